//! [`MmdOverTime`]: MMD² of particle clouds to exact samples of their target, per recorded step.

use super::error::StudyError;
use super::shared::as_f64;
use crate::analysis::diagnostics::mmd_squared;
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::seeding::{Purpose, stream_key};

/// Independent exact sets compared with the reference, for the estimator's noise.
const NOISE_DRAWS: usize = 8;

/// MMD² of particle clouds to exact samples of their target, per recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct MmdOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// MMD² per step (Gaussian kernel, bandwidth 1, up to 1000 points per cloud).
    pub mmd: Vec<f64>,
    /// The estimator's noise: MMD² of 8 independent sets of 1000 exact samples against the same
    /// reference, where the true value is 0.
    pub noise: Vec<f64>,
}

/// MMD² between particle clouds and 1000 exact samples of the target, against step, and the
/// same estimate for 8 independent sets of 1000 exact samples: its noise, where the truth is 0.
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
    let mut noise = Vec::with_capacity(NOISE_DRAWS);
    for i in 0..NOISE_DRAWS {
        let exact = Particles::sample(mixture, 1000, stream_key(seed, Purpose::Run, i))?;
        noise.push(mmd_squared(&exact, &reference, 1.0, 1000)?);
    }
    Ok(MmdOverTime {
        steps: snapshots.steps().to_vec(),
        mmd,
        noise,
    })
}

impl MmdOverTime {
    /// The largest |MMD²| between exact samples and the reference: the level below which a
    /// cloud cannot be told from the target with 1000 points.
    pub fn noise_level(&self) -> f64 {
        self.noise.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    /// MMD² against step on a log axis (floored at 10⁻⁶: the unbiased estimate can dip below 0),
    /// with the noise level dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let floored: Vec<f64> = self.mmd.iter().map(|v| v.max(1e-6)).collect();
        let steps = as_f64(&self.steps);
        let ends = [steps[0], steps[steps.len() - 1]];
        let level = self.noise_level().max(1e-6);
        LinePlot::new("MMD² to exact samples (Gaussian kernel, h = 1)")
            .labels("step", "MMD²")
            .line("particles vs target", &steps, &floored)
            .dashed(
                "noise: largest |MMD²|, exact vs target",
                &ends,
                &[level, level],
            )
            .log_y(true)
            .render()
    }
}

shown_as_figure!(MmdOverTime);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::langevin::Ula;

    #[test]
    fn the_noise_is_small_and_a_far_cloud_is_far_above_it() {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
        let start = Particles::uniform(-6.0..=6.0).draw(2000, 1).unwrap();
        let snaps = Ula::new(0.01)
            .unwrap()
            .run_ensemble(&gm, &start, 10, &[0], 2)
            .unwrap();
        let study = mmd_over_time(&gm, &snaps, 3).unwrap();
        assert_eq!(study.noise.len(), NOISE_DRAWS);
        assert!(study.noise_level() < 5e-3, "{:?}", study.noise);
        assert!(study.mmd[0] > 10.0 * study.noise_level(), "{study:?}");
        // Independent draws: not all the same value.
        assert!(study.noise.windows(2).any(|w| w[0] != w[1]));
    }
}
