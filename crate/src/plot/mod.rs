//! Figures as drawings: [`Curves1d`] (pdf / log-pdf / score), [`ScoreField`] (log-density
//! contours under the score's arrows, optionally with a Langevin trajectory), [`Histograms`]
//! and [`LinePlot`], all drawn anti-aliased on one canvas, with matplotlib's ticks, contour
//! levels and legend placement.
//!
//! Labels take a small markup: `p_{σ}` and `x^{2}` set sub- and superscripts.

pub(crate) mod area;
pub(crate) mod axes;
pub(crate) mod canvas;
mod clip;
pub(crate) mod color;
mod colormap;
mod contour_labels;
mod contours;
mod curves_1d;
pub mod diffusion;
pub(crate) mod error;
pub(crate) mod figure;
mod font;
mod heat_map;
mod histograms;
pub mod learning;
pub(crate) mod legend;
mod line_plot;
mod memo;
mod number;
mod quiver;
pub(crate) mod score_field;
pub(crate) mod shapes;
pub(crate) mod shared_scales;
pub(crate) mod text;
mod text_box;
pub(crate) mod ticks;

pub use curves_1d::Curves1d;
pub use error::PlotError;
pub use figure::{Figure, SHARP_BUDGET};
pub use histograms::Histograms;
pub use line_plot::LinePlot;
pub(crate) use number::list as number_list;
pub use number::{number, significant};
pub use score_field::ScoreField;
pub use text_box::{TextBox, TickAxis};

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
