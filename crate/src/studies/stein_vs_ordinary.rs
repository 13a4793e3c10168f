//! [`SteinVsOrdinary`]: the Stein score ∇ₓ log p(x) beside the ordinary scores ∇_{μₖ} log p(x) of a 1-D mixture.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, grid, require_dim, score_1d};
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};

/// The Stein score ∇ₓ log p(x) beside the ordinary scores ∇_{μₖ} log p(x) of a 1-D mixture.
#[derive(Debug, Clone, PartialEq)]
pub struct SteinVsOrdinary {
    /// The grid.
    pub xs: Vec<f64>,
    /// ∇ₓ log p at each point.
    pub stein: Vec<f64>,
    /// ∇_{μₖ} log p at each point, one row per component k.
    pub ordinary: Vec<Vec<f64>>,
}

/// The Stein score beside the ordinary scores of a 1-D mixture over `range`. The Stein score
/// moves the point; the ordinary score moves a parameter, and is large only where its component
/// is responsible for x.
///
/// # Errors
/// [`StudyError::InvalidRange`] unless `range` is finite with start < end,
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn stein_vs_ordinary(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<SteinVsOrdinary, StudyError> {
    check_range(&range)?;
    require_dim(mixture, 1)?;
    let xs = grid(&range, 600);
    let ordinary = (0..mixture.n_components())
        .map(|k| {
            xs.iter()
                .map(|&x| mixture.mean_score(&[x], k).map_or(f64::NAN, |g| g[0]))
                .collect()
        })
        .collect();
    Ok(SteinVsOrdinary {
        stein: score_1d(mixture, &xs),
        xs,
        ordinary,
    })
}

impl SteinVsOrdinary {
    /// The Stein score and the dashed ordinary scores against x.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut plot = LinePlot::new("Stein score ∇ₓ log p vs ordinary scores ∇_{μk} log p")
            .labels("x", "score")
            .line("Stein score ∇ₓ log p(x)", &self.xs, &self.stein);
        for (k, ys) in self.ordinary.iter().enumerate() {
            // Components are numbered from 1 in the legend, as in the text (k = 1, …, K).
            let label = format!("ordinary score ∇_{{μ{}}} log p(x)", k + 1);
            plot = plot.dashed(label, &self.xs, ys);
        }
        plot.render()
    }
}

shown_as_figure!(SteinVsOrdinary);
