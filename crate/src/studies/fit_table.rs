//! [`FitTable`]: what each fit of a 1-D mixture reached, beside the truth, as a table.

use std::fmt;

use super::error::StudyError;
use super::shared::require_dim;
use crate::learn::LearningCurve;
use crate::model::mixture::GaussianMixture;
use crate::model::score::LogDensity;
use crate::sample::ensemble::Particles;

/// One row of a [`FitTable`]: a mixture's weights, means and standard deviations, the data's
/// mean log-likelihood under it, and the model samples its fit drew.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    /// The method's name, or "truth".
    pub name: String,
    /// w₁ … w_K.
    pub weights: Vec<f64>,
    /// μ₁ … μ_K.
    pub means: Vec<f64>,
    /// σ₁ … σ_K.
    pub stds: Vec<f64>,
    /// $\frac1n\sum_i \log p(x_i)$ over the data.
    pub log_likelihood: f64,
    /// MALA steps × chains the fit drew (`None` for the truth).
    pub model_samples: Option<usize>,
}

/// The truth and every fit's final mixture, one row each; `Display` prints it aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct FitTable {
    /// The truth first, then the fits in the order given.
    pub rows: Vec<FitRow>,
}

/// The table of `curves`' final mixtures beside `truth`, with the mean log-likelihood of `data`
/// under each.
///
/// ```
/// use scorelab::prelude::*;
/// let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0])?;
/// let data = Particles::sample(&truth, 300, 1)?;
/// let start = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.5, 1.5])?;
/// let ml = Training::new(Method::MaximumLikelihood).fit(&data, &start, 2)?;
/// let table = scorelab::studies::fit_table(&[&ml], &truth, &data)?;
/// // Maximum likelihood fits these data at least as well as the truth does.
/// assert!(table.rows[1].log_likelihood >= table.rows[0].log_likelihood);
/// assert!(table.to_string().contains("max. likelihood"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the truth is 1-D; [`StudyError::InvalidParameter`] for
/// a fit with another number of components than the truth; [`StudyError::Learn`] for a curve
/// without a final mixture.
pub fn fit_table(
    curves: &[&LearningCurve],
    truth: &GaussianMixture,
    data: &Particles,
) -> Result<FitTable, StudyError> {
    require_dim(truth, 1)?;
    let ll_truth = data.points().map(|x| truth.log_prob(x)).sum::<f64>() / data.len().max(1) as f64;
    let mut rows = vec![row("truth".into(), truth, ll_truth, None)];
    for curve in curves {
        let fitted = curve.final_mixture()?;
        if fitted.n_components() != truth.n_components() {
            return Err(StudyError::InvalidParameter {
                name: "curves",
                value: fitted.n_components() as f64,
                reason: "every fit needs as many components as the truth",
            });
        }
        let ll = curve.log_likelihood().last().copied().unwrap_or(f64::NAN);
        let name = curve.method().name();
        rows.push(row(name, &fitted, ll, Some(curve.model_samples())));
    }
    Ok(FitTable { rows })
}

fn row(name: String, m: &GaussianMixture, ll: f64, samples: Option<usize>) -> FitRow {
    let k = m.n_components();
    FitRow {
        name,
        weights: m.weights().to_vec(),
        means: (0..k)
            .map(|c| m.mean(c).map_or(f64::NAN, |v| v[0]))
            .collect(),
        stds: (0..k)
            .map(|c| m.covariance(c).map_or(f64::NAN, |v| v[0].sqrt()))
            .collect(),
        log_likelihood: ll,
        model_samples: samples,
    }
}

/// Subscript digits for a component index.
fn sub(k: usize) -> String {
    k.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

impl fmt::Display for FitTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.rows.first().map_or(0, |r| r.weights.len());
        let width = self
            .rows
            .iter()
            .map(|r| r.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(6);
        write!(f, "{:<width$}", "method")?;
        for symbol in ["w", "μ", "σ"] {
            for c in 0..k {
                write!(f, " {:>7}", format!("{symbol}{}", sub(c)))?;
            }
        }
        write!(f, " {:>9} {:>13}", "log-lik.", "model samples")?;
        for r in &self.rows {
            write!(f, "\n{:<width$}", r.name)?;
            for values in [&r.weights, &r.means, &r.stds] {
                for v in values.iter() {
                    write!(f, " {v:>7.3}")?;
                }
            }
            let samples = r.model_samples.map_or("–".to_string(), |n| n.to_string());
            write!(f, " {:>9.4} {samples:>13}", r.log_likelihood)?;
        }
        Ok(())
    }
}

impl FitTable {
    /// Shows the table as text when this is the value of a notebook cell (evcxr).
    pub fn evcxr_display(&self) {
        println!("EVCXR_BEGIN_CONTENT text/plain\n{self}\nEVCXR_END_CONTENT");
    }
}
