//! [`NaiveVsExact`]: the naive score ∇p / p beside the exact log-sum-exp score.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, grid, require_dim, score_1d};
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};

/// The naive score ∇p / p beside the exact log-sum-exp score.
#[derive(Debug, Clone, PartialEq)]
pub struct NaiveVsExact {
    /// The grid.
    pub xs: Vec<f64>,
    /// The exact score.
    pub exact: Vec<f64>,
    /// ∇p / p in floating point ([`naive_score_1d`]).
    pub naive: Vec<f64>,
    /// How many naive values are not finite (0/0 where p underflows).
    pub lost: usize,
}

/// The naive score ∇p(x) / p(x), computed in floating point as the original notebook does,
/// beside the exact score: where p underflows to 0 the naive one is 0/0.
///
/// # Errors
/// [`StudyError::InvalidRange`] unless `range` is finite with start < end,
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn naive_vs_exact(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<NaiveVsExact, StudyError> {
    check_range(&range)?;
    require_dim(mixture, 1)?;
    let xs = grid(&range, 481);
    let naive: Vec<f64> = xs.iter().map(|&x| naive_score_1d(mixture, x)).collect();
    Ok(NaiveVsExact {
        exact: score_1d(mixture, &xs),
        lost: naive.iter().filter(|v| !v.is_finite()).count(),
        xs,
        naive,
    })
}

/// ∇p(x) / p(x) with p and ∇p summed as plain floating-point densities.
pub fn naive_score_1d(mixture: &GaussianMixture, x: f64) -> f64 {
    let (mut p, mut dp) = (0.0, 0.0);
    for k in 0..mixture.n_components() {
        let mu = mixture.mean(k).map_or(0.0, |m| m[0]);
        let var = mixture.covariance(k).map_or(1.0, |c| c[0]);
        let density = mixture.weights()[k] * (-(x - mu) * (x - mu) / (2.0 * var)).exp()
            / (2.0 * std::f64::consts::PI * var).sqrt();
        p += density;
        dp += -density * (x - mu) / var;
    }
    dp / p
}

impl NaiveVsExact {
    /// The exact score as a line, the naive one as markers (missing where it is 0/0).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        LinePlot::new(format!(
            "Exact score vs ∇p / p: {} of {} points are 0/0 = NaN",
            self.lost,
            self.xs.len()
        ))
        .labels("x", "score")
        .line("exact (log-sum-exp)", &self.xs, &self.exact)
        .points("naive ∇p / p", &self.xs, &self.naive)
        .render()
    }
}

shown_as_figure!(NaiveVsExact);
