//! [`FiniteDifferenceCheck`]: the analytic score against a central finite difference of log p.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, every_tenth, grid, require_dim, score_1d};
use crate::model::mixture::GaussianMixture;
use crate::model::score::finite_difference_score;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::plot::{number, significant};

/// The analytic score against a central finite difference of log p.
#[derive(Debug, Clone, PartialEq)]
pub struct FiniteDifferenceCheck {
    /// The grid.
    pub xs: Vec<f64>,
    /// The analytic score.
    pub analytic: Vec<f64>,
    /// The finite difference with step h.
    pub numeric: Vec<f64>,
    /// The step h.
    pub h: f64,
    /// The largest |analytic − numeric| over the grid.
    pub worst: f64,
}

/// The analytic score of a 1-D mixture against a central finite difference of log p with step `h`.
///
/// # Errors
/// [`StudyError::InvalidRange`] unless `range` is finite with start < end,
/// [`StudyError::InvalidParameter`] unless `h` is finite and > 0,
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn finite_difference_check(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
    h: f64,
) -> Result<FiniteDifferenceCheck, StudyError> {
    check_range(&range)?;
    if !(h.is_finite() && h > 0.0) {
        return Err(StudyError::InvalidParameter {
            name: "h",
            value: h,
            reason: "the finite-difference step must be finite and > 0",
        });
    }
    require_dim(mixture, 1)?;
    let xs = grid(&range, 400);
    let analytic = score_1d(mixture, &xs);
    let numeric: Vec<f64> = xs
        .iter()
        .map(|&x| finite_difference_score(mixture, &[x], h)[0])
        .collect();
    let worst = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| (a - n).abs())
        // `f64::max` would drop a NaN gap and report a perfect match: keep it.
        .fold(0.0, |worst: f64, d| {
            if d.is_nan() || worst.is_nan() {
                f64::NAN
            } else {
                worst.max(d)
            }
        });
    Ok(FiniteDifferenceCheck {
        xs,
        analytic,
        numeric,
        h,
        worst,
    })
}

impl FiniteDifferenceCheck {
    /// The analytic score as a line, the finite difference as markers, the worst gap in the title.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        LinePlot::new(format!(
            "Analytic score vs finite difference (h = {}): max |difference| = {}",
            number(self.h),
            significant(self.worst, 2)
        ))
        .labels("x", "score")
        .line("analytic −Σ rₖ Σₖ⁻¹(x − μₖ)", &self.xs, &self.analytic)
        .points(
            "finite difference of log p",
            &every_tenth(&self.xs),
            &every_tenth(&self.numeric),
        )
        .render()
    }
}

shown_as_figure!(FiniteDifferenceCheck);
