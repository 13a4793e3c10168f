//! [`MmdOverTime`]: MMD² of particle clouds to exact samples of their target, per recorded step.

use super::error::StudyError;
use super::shared::as_f64;
use crate::analysis::diagnostics::mmd_squared;
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::{Particles, Snapshots};

/// MMD² of particle clouds to exact samples of their target, per recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct MmdOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// MMD² per step (Gaussian kernel, bandwidth 1, up to 1000 points per cloud).
    pub mmd: Vec<f64>,
}

/// MMD² between particle clouds and 1000 exact samples of the target, against step.
///
/// # Errors
/// [`StudyError::NoSnapshots`] for empty snapshots, [`StudyError::Diagnostic`] for clouds of
/// another dimension or of fewer than 2 particles.
pub fn mmd_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
    seed: u64,
) -> Result<MmdOverTime, StudyError> {
    if snapshots.is_empty() {
        return Err(StudyError::NoSnapshots);
    }
    let reference = Particles::sample(mixture, 1000, seed)?;
    let mmd = snapshots
        .iter()
        .map(|(_, p)| mmd_squared(p, &reference, 1.0, 1000))
        .collect::<Result<_, _>>()?;
    Ok(MmdOverTime {
        steps: snapshots.steps().to_vec(),
        mmd,
    })
}

impl MmdOverTime {
    /// MMD² against step on a log axis (floored at 10⁻⁶: the unbiased estimate can dip below 0).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let floored: Vec<f64> = self.mmd.iter().map(|v| v.max(1e-6)).collect();
        LinePlot::new("MMD² to exact samples (Gaussian kernel, h = 1)")
            .labels("step", "MMD²")
            .line("particles vs target", &as_f64(&self.steps), &floored)
            .log_y(true)
            .render()
    }
}

shown_as_figure!(MmdOverTime);
