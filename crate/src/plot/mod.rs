//! Figures drawn with plotters: [`Curves1d`] (pdf / log-pdf / score) and [`ScoreField`]
//! (log-density contours under the score's arrows, optionally with a Langevin trajectory).

mod clip;
mod colormap;
mod contours;
mod curves_1d;
pub(crate) mod font;
mod histograms;
mod levels;
mod line_plot;
mod score_field;
mod studies;

pub use curves_1d::Curves1d;
pub use histograms::Histograms;
pub use line_plot::LinePlot;
pub use score_field::ScoreField;

use crate::error::PlotError;

/// Checks that `(lo, hi)` is a finite, non-empty interval.
pub(crate) fn check_range(name: &'static str, (lo, hi): (f64, f64)) -> Result<(), PlotError> {
    if lo.is_finite() && hi.is_finite() && lo < hi {
        Ok(())
    } else {
        Err(PlotError::InvalidParameter {
            name,
            reason: format!("[{lo}, {hi}] must be finite with start < end"),
        })
    }
}
