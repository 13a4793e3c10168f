//! A 2-D slice through a density of higher dimension, so 2-D figures can show it.

use crate::model::score::{Dimension, LogDensity, Score};

/// The density restricted to the plane through `origin` spanned by coordinate axes `axes`:
/// $(u, v) \mapsto \log p(\text{origin} + u\,e_i + v\,e_j)$, with score the `(i, j)` components
/// of the full score there (the gradient of the restriction).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new(&[1.0], &[[1.0, 2.0, 3.0]],
///     &[[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]])?;
/// let plane = Slice2d::new(&gm, [0, 2], &[0.0, 2.0, 0.0])?;
/// assert_eq!(plane.score(&[1.0, 3.0]), vec![0.0, 0.0]); // the mode, seen in the (x₀, x₂) plane
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Slice2d<'a, D: ?Sized> {
    density: &'a D,
    axes: [usize; 2],
    origin: Vec<f64>,
}

/// Why a slice could not be taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SliceError {
    /// `origin` does not have the density's dimension.
    #[error("slice origin has dimension {found}, the density has dimension {expected}")]
    OriginDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// An axis index is not below the dimension, or both axes are the same.
    #[error("slice axes {axes:?} must be two different indices below the dimension {dim}")]
    InvalidAxes {
        /// The axes given.
        axes: [usize; 2],
        /// The dimension of the density.
        dim: usize,
    },
    /// `origin` has a NaN or infinite coordinate.
    #[error("slice origin has a NaN or infinite coordinate")]
    NonFiniteOrigin,
}

impl<'a, D: LogDensity + Score + ?Sized> Slice2d<'a, D> {
    /// The slice through `origin` along coordinate axes `axes = [i, j]`.
    pub fn new(density: &'a D, axes: [usize; 2], origin: &[f64]) -> Result<Self, SliceError> {
        let dim = density.dim();
        if origin.len() != dim {
            return Err(SliceError::OriginDimension {
                expected: dim,
                found: origin.len(),
            });
        }
        if axes[0] >= dim || axes[1] >= dim || axes[0] == axes[1] {
            return Err(SliceError::InvalidAxes { axes, dim });
        }
        if origin.iter().any(|v| !v.is_finite()) {
            return Err(SliceError::NonFiniteOrigin);
        }
        Ok(Slice2d {
            density,
            axes,
            origin: origin.to_vec(),
        })
    }

    fn lift(&self, uv: &[f64]) -> Vec<f64> {
        assert!(
            uv.len() == 2,
            "x has length {}, the slice has dimension 2",
            uv.len()
        );
        let mut x = self.origin.clone();
        x[self.axes[0]] = uv[0];
        x[self.axes[1]] = uv[1];
        x
    }
}

impl<D: ?Sized> Dimension for Slice2d<'_, D> {
    fn dim(&self) -> usize {
        2
    }
}

impl<D: LogDensity + Score + ?Sized> LogDensity for Slice2d<'_, D> {
    /// # Panics
    /// If `uv` does not have length 2; the message names its length.
    fn log_prob(&self, uv: &[f64]) -> f64 {
        self.density.log_prob(&self.lift(uv))
    }
}

impl<D: LogDensity + Score + ?Sized> Score for Slice2d<'_, D> {
    /// # Panics
    /// If `uv` or `out` does not have length 2; the message names its length.
    fn score_into(&self, uv: &[f64], out: &mut [f64]) {
        assert!(
            out.len() == 2,
            "score output has length {}, the slice has dimension 2",
            out.len()
        );
        let full = self.density.score(&self.lift(uv));
        out[0] = full[self.axes[0]];
        out[1] = full[self.axes[1]];
    }

    fn evaluation_cost(&self) -> f64 {
        self.density.evaluation_cost()
    }
}
