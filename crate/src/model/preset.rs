//! Mixtures as JSON files (presets), validated on load with the same checks as the constructors.
//!
//! N-D form: `{"weights": [..], "means": [[..], ..], "covariances": [[[..], ..], ..]}`.
//! 1-D form: `{"weights": [..], "means": [..], "stds": [..]}`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::error::MixtureError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;

/// A mean as written in a file: a number (1-D) or a list of coordinates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum Point {
    Scalar(f64),
    Vector(Vec<f64>),
}

impl Point {
    fn coordinates(&self) -> Vec<f64> {
        match self {
            Point::Scalar(v) => vec![*v],
            Point::Vector(v) => v.clone(),
        }
    }
}

/// The file layout of a mixture.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MixtureFile {
    weights: Vec<f64>,
    means: Vec<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    covariances: Option<Vec<Vec<Vec<f64>>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stds: Option<Vec<f64>>,
}

/// Why a preset could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PresetError {
    /// Reading or writing the file failed.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error (in the message; see [`crate::error`] on wrapping).
        cause: std::io::Error,
    },
    /// The text is not a valid mixture: bad JSON, a missing or unknown field, a wrong type, or
    /// parameters the constructor rejects (the message names the field or component).
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, naming the field.
        message: String,
    },
}

/// Why a file's fields do not make a mixture.
#[derive(Debug)]
enum LayoutError {
    Mixture(MixtureError),
    Shape(&'static str),
}

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LayoutError::Mixture(e) => e.fmt(f),
            LayoutError::Shape(msg) => f.write_str(msg),
        }
    }
}

/// Validates a file's fields through the mixture constructors.
fn build(file: MixtureFile) -> Result<GaussianMixture, LayoutError> {
    match (file.covariances, file.stds) {
        (Some(_), Some(_)) => Err(LayoutError::Shape(
            "give either `covariances` or `stds`, not both",
        )),
        (None, None) => Err(LayoutError::Shape(
            "missing field `covariances` (or `stds` for a 1-D mixture)",
        )),
        (None, Some(stds)) => {
            let mut means = Vec::with_capacity(file.means.len());
            for m in &file.means {
                match m {
                    Point::Scalar(v) => means.push(*v),
                    Point::Vector(_) => {
                        return Err(LayoutError::Shape(
                            "`stds` needs `means` given as plain numbers (1-D)",
                        ));
                    }
                }
            }
            GaussianMixture::new_1d(&file.weights, &means, &stds).map_err(LayoutError::Mixture)
        }
        (Some(covs), None) => {
            let means: Vec<Vec<f64>> = file.means.iter().map(Point::coordinates).collect();
            GaussianMixture::new(&file.weights, &means, &covs).map_err(LayoutError::Mixture)
        }
    }
}

impl From<&GaussianMixture> for MixtureFile {
    /// Written with covariances even in 1-D: a variance read back from a standard deviation
    /// (σ², with σ = √v rounded) is not always the same float, a covariance always is.
    fn from(gm: &GaussianMixture) -> Self {
        let d = gm.dim();
        let k = gm.n_components();
        let mean = |i: usize| gm.mean(i).unwrap_or_default().to_vec();
        MixtureFile {
            weights: gm.weights().to_vec(),
            means: (0..k)
                .map(|i| {
                    if d == 1 {
                        Point::Scalar(mean(i)[0])
                    } else {
                        Point::Vector(mean(i))
                    }
                })
                .collect(),
            covariances: Some(
                (0..k)
                    .map(|i| {
                        gm.covariance(i)
                            .unwrap_or_default()
                            .chunks_exact(d)
                            .map(<[f64]>::to_vec)
                            .collect()
                    })
                    .collect(),
            ),
            stds: None,
        }
    }
}

impl GaussianMixture {
    /// A mixture from JSON text, validated like [`GaussianMixture::new`].
    ///
    /// ```
    /// use scorelab::GaussianMixture;
    /// let gm = GaussianMixture::from_json(r#"{"weights": [0.5, 0.5], "means": [-2, 2], "stds": [1, 1]}"#)?;
    /// assert_eq!(gm.n_components(), 2);
    /// let err = GaussianMixture::from_json(r#"{"weights": [0.5, 0.6], "means": [-2, 2], "stds": [1, 1]}"#).unwrap_err();
    /// assert!(err.to_string().contains("weights sum to 1.1"));
    /// # Ok::<(), scorelab::PresetError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, PresetError> {
        parse(text, "<json>")
    }

    /// The mixture as pretty-printed JSON, with covariances (so that loading it back gives the
    /// same mixture bit for bit).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&MixtureFile::from(self)).unwrap_or_default()
    }

    /// Loads a mixture from a JSON file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, PresetError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|cause| PresetError::Io {
            path: shown.clone(),
            cause,
        })?;
        parse(&text, &shown)
    }

    /// Saves the mixture as a JSON file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PresetError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json() + "\n").map_err(|cause| PresetError::Io {
            path: path.display().to_string(),
            cause,
        })
    }
}

fn parse(text: &str, path: &str) -> Result<GaussianMixture, PresetError> {
    let invalid = |message: String| PresetError::Invalid {
        path: path.to_string(),
        message,
    };
    let file: MixtureFile = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
    build(file).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        GaussianMixture::from_json(text).unwrap_err().to_string()
    }

    #[test]
    fn round_trips_1d_and_2d() {
        let gm1 = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
        assert_eq!(GaussianMixture::from_json(&gm1.to_json()).unwrap(), gm1);
        // Found by fuzzing: σ = 25.709920264364882 has σ² = 661 but √661 squares to 660.999….
        let gm = GaussianMixture::from_json(
            r#"{"weights": [1], "means": [7], "stds": [25.709920264364882]}"#,
        )
        .unwrap();
        assert_eq!(GaussianMixture::from_json(&gm.to_json()).unwrap(), gm);
        // Found by fuzzing: "4444000000000190.0" must parse back to the float it was printed
        // from (serde_json's correctly rounded parser, feature float_roundtrip).
        let text = r#"{"weights": [1], "means": [5], "covariances": [[[4444000000000190]]]}"#;
        let gm = GaussianMixture::from_json(text).unwrap();
        assert_eq!(GaussianMixture::from_json(&gm.to_json()).unwrap(), gm);
        let gm2 = GaussianMixture::new(
            &[0.3, 0.7],
            &[[-3.0, 0.0], [3.0, 1.0]],
            &[[[1.0, 0.3], [0.3, 1.0]], [[1.5, -0.2], [-0.2, 1.0]]],
        )
        .unwrap();
        assert_eq!(GaussianMixture::from_json(&gm2.to_json()).unwrap(), gm2);
    }

    #[test]
    fn bad_files_name_the_problem() {
        assert!(err(r#"{"means": [0], "stds": [1]}"#).contains("missing field `weights`"));
        assert!(err(r#"{"weights": [1], "means": [0]}"#).contains("missing field `covariances`"));
        assert!(
            err(r#"{"weights": [1], "means": [0], "stds": [1], "covariances": [[[1]]]}"#)
                .contains("not both")
        );
        assert!(
            err(r#"{"weights": [1], "means": [0], "stds": [1], "colour": 3}"#)
                .contains("unknown field `colour`")
        );
        assert!(err(r#"{"weights": ["a"], "means": [0], "stds": [1]}"#).contains("invalid type"));
        assert!(
            err(r#"{"weights": [0.5, 0.5], "means": [0, 1], "stds": [1, -1]}"#)
                .contains("standard deviation of component 1")
        );
        assert!(
            err(r#"{"weights": [1], "means": [[0, 0]], "covariances": [[[1, 2], [2, 1]]]}"#)
                .contains("covariance of component 0 is not positive definite")
        );
        assert!(
            err(r#"{"weights": [1], "means": [[0, 0]], "stds": [1]}"#).contains("plain numbers")
        );
        assert!(err("{").contains("EOF"));
    }

    #[test]
    fn load_reports_the_path() {
        let e = GaussianMixture::load("no/such/preset.json").unwrap_err();
        assert!(e.to_string().starts_with("no/such/preset.json: "), "{e}");
    }
}
