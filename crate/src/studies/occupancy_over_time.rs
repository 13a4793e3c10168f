//! [`OccupancyOverTime`]: the fraction of particles in each mode at each recorded step.

use super::error::StudyError;
use super::shared::as_f64;
use crate::analysis::diagnostics::mode_occupancy;
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};
use crate::plot::{number, number_list};
use crate::sample::ensemble::Snapshots;

/// The fraction of particles in each mode at each recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupancyOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// Occupancy per step, one value per component.
    pub occupancy: Vec<Vec<f64>>,
    /// The mixture's weights.
    pub weights: Vec<f64>,
    /// The mixture's means.
    pub means: Vec<Vec<f64>>,
}

/// Fraction of particles in each mode against step, to compare with the mode weights.
///
/// # Errors
/// [`StudyError::NoSnapshots`] for empty snapshots, [`StudyError::Diagnostic`] if the particles
/// do not have the mixture's dimension.
pub fn occupancy_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
) -> Result<OccupancyOverTime, StudyError> {
    if snapshots.is_empty() {
        return Err(StudyError::NoSnapshots);
    }
    let occupancy = snapshots
        .iter()
        .map(|(_, p)| mode_occupancy(mixture, p))
        .collect::<Result<_, _>>()?;
    Ok(OccupancyOverTime {
        steps: snapshots.steps().to_vec(),
        occupancy,
        weights: mixture.weights().to_vec(),
        means: (0..mixture.n_components())
            .map(|k| mixture.mean(k).unwrap_or_default().to_vec())
            .collect(),
    })
}

impl OccupancyOverTime {
    /// One line per mode, its weight dashed in the same colour.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let steps = as_f64(&self.steps);
        let ends = [steps[0], steps[steps.len() - 1]];
        let mut plot = LinePlot::new("Mode occupancy over time")
            .labels("step", "fraction of particles")
            .y_range(0.0, 1.0);
        for (k, mean) in self.means.iter().enumerate() {
            let ys: Vec<f64> = self.occupancy.iter().map(|o| o[k]).collect();
            let mean = match mean[..] {
                [m] => number(m),
                _ => format!("({})", number_list(mean, 6)),
            };
            plot = plot
                .line(format!("mode {k} (μ = {mean})"), &steps, &ys)
                .color(k);
        }
        for (k, &w) in self.weights.iter().enumerate() {
            plot = plot
                .dashed(format!("weight w_{{{k}}} = {}", number(w)), &ends, &[w, w])
                .color(k);
        }
        plot.render()
    }
}

shown_as_figure!(OccupancyOverTime);
