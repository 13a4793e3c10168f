//! [`StepSignalToNoise`]: the signal-to-noise ratio of one ULA step at each level of an
//! annealing schedule, $\alpha\lVert s\rVert/\sqrt{2\alpha}$, measured on exact samples of $p_\sigma$.

use super::error::StudyError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Score;
use crate::plot::number;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::annealed::AnnealedLangevin;
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_key};

/// Per noise level $\sigma_i$ of a schedule: the root-mean-square score of $p_{\sigma_i}$ over exact
/// samples of it, and the ratio of one ULA step's drift to its noise,
/// $\alpha\,\lVert s\rVert_{\rm rms}/\sqrt{2\alpha} = \lVert s\rVert_{\rm rms}\sqrt{\alpha/2}$, for the schedule's
/// steps $\alpha_i$ and, for comparison, for one fixed step (the first level's or the last's).
#[derive(Debug, Clone, PartialEq)]
pub struct StepSignalToNoise {
    /// The noise levels σᵢ, largest first.
    pub sigmas: Vec<f64>,
    /// The schedule's steps αᵢ.
    pub steps: Vec<f64>,
    /// $\sqrt{\mathbb E\lVert s_{\sigma_i}(x)\rVert^2}$ over exact samples x of $p_{\sigma_i}$.
    pub score_rms: Vec<f64>,
    /// The ratio with the schedule's step αᵢ at each level.
    pub ratio: Vec<f64>,
    /// The ratio with the first level's step α₁ at every level.
    pub ratio_first_step: Vec<f64>,
    /// The ratio with the last level's step α_L at every level.
    pub ratio_last_step: Vec<f64>,
}

/// The signal-to-noise study, built by [`step_signal_to_noise`]; [`run`](Self::run) runs it.
#[derive(Debug, Clone)]
pub struct StepSignalToNoiseStudy<'a> {
    mixture: &'a GaussianMixture,
    schedule: &'a AnnealedLangevin,
    draws: usize,
    seed: u64,
}

/// The signal-to-noise ratio of a ULA step at each level of `schedule` on `mixture`, from
/// 2 000 exact draws of each $p_{\sigma_i}$ (seed 0 by default).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5])?;
/// let schedule = AnnealedLangevin::geometric().sigmas(10.0, 0.05).levels(15).step(0.0002).build()?;
/// let snr = scorelab::studies::step_signal_to_noise(&gm, &schedule).seed(1).run()?;
/// // Where the noise dominates the modes' width, ‖s‖ ≈ 1/σ and α ∝ σ² keeps the ratio near
/// // √(ε/2)/σ_L = 0.2; below the width 0.5, ‖s‖ stops growing and the ratio falls with σ.
/// assert!(snr.ratio[..8].iter().all(|r| (0.14..0.22).contains(r)));
/// assert!(snr.ratio[14] < 0.03);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn step_signal_to_noise<'a>(
    mixture: &'a GaussianMixture,
    schedule: &'a AnnealedLangevin,
) -> StepSignalToNoiseStudy<'a> {
    StepSignalToNoiseStudy {
        mixture,
        schedule,
        draws: 2000,
        seed: 0,
    }
}

impl StepSignalToNoiseStudy<'_> {
    /// Exact draws of each $p_{\sigma_i}$ (2 000 by default, at least 1).
    pub fn draws(mut self, draws: usize) -> Self {
        self.draws = draws;
        self
    }

    /// The seed of the draws (0 by default); level i draws with its own stream.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws from each $p_{\sigma_i}$ and measures its score's size.
    ///
    /// # Errors
    /// [`StudyError::InvalidParameter`] for 0 draws, [`StudyError::Sampler`] for a number of
    /// draws over the limits, [`StudyError::Mixture`] if a level's mixture cannot be formed.
    pub fn run(&self) -> Result<StepSignalToNoise, StudyError> {
        if self.draws == 0 {
            return Err(StudyError::InvalidParameter {
                name: "draws",
                value: 0.0,
                reason: "the root-mean-square score needs at least one draw",
            });
        }
        let sigmas = self.schedule.sigmas().to_vec();
        let steps: Vec<f64> = (0..sigmas.len())
            .map(|i| self.schedule.step_size(i).unwrap_or(f64::NAN))
            .collect();
        let mut score_rms = Vec::with_capacity(sigmas.len());
        for (i, &sigma) in sigmas.iter().enumerate() {
            let smoothed = self.mixture.perturbed(sigma)?;
            let seed = stream_key(self.seed, Purpose::Run, i);
            let draws = Particles::sample(&smoothed, self.draws, seed)?;
            let sum: f64 = draws
                .points()
                .map(|x| smoothed.score(x).iter().map(|v| v * v).sum::<f64>())
                .sum();
            score_rms.push((sum / self.draws as f64).sqrt());
        }
        let ratio_at = |alpha: f64| -> Vec<f64> {
            score_rms.iter().map(|r| r * (alpha / 2.0).sqrt()).collect()
        };
        let ratio = score_rms
            .iter()
            .zip(&steps)
            .map(|(r, a)| r * (a / 2.0).sqrt())
            .collect();
        let (first, last) = (steps[0], steps[steps.len() - 1]);
        Ok(StepSignalToNoise {
            ratio_first_step: ratio_at(first),
            ratio_last_step: ratio_at(last),
            sigmas,
            steps,
            score_rms,
            ratio,
        })
    }
}

impl StepSignalToNoise {
    /// The ratio against σ (both axes logarithmic): the schedule's steps as markers, the two
    /// fixed steps dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let (first, last) = (
            number(self.steps[0]),
            number(self.steps[self.steps.len() - 1]),
        );
        LinePlot::new("Signal-to-noise of one ULA step, α‖s‖ / √(2α), at each noise level")
            .labels("noise level σ", "α ‖s‖_{rms} / √(2α)")
            .line_with_markers("schedule: α ∝ σ²", &self.sigmas, &self.ratio)
            .dashed(
                format!("fixed α = {first} (first level's)"),
                &self.sigmas,
                &self.ratio_first_step,
            )
            .dashed(
                format!("fixed α = {last} (last level's)"),
                &self.sigmas,
                &self.ratio_last_step,
            )
            .log_x(true)
            .log_y(true)
            .render()
    }
}

shown_as_figure!(StepSignalToNoise);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_flat_where_the_noise_dominates_and_falls_below_the_modes_width() {
        let gm = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5]).unwrap();
        let schedule = AnnealedLangevin::geometric()
            .sigmas(10.0, 0.05)
            .levels(15)
            .step(0.0002)
            .build()
            .unwrap();
        let snr = step_signal_to_noise(&gm, &schedule)
            .draws(4000)
            .seed(2)
            .run()
            .unwrap();
        // One Gaussian of variance v has E s² = 1/v exactly; at σ = 10 the modes are merged
        // into a bump of variance ≈ 0.25 + 16 · 0.8 · 0.2 + 100.
        let v: f64 = 0.25 + 16.0 + 100.0;
        assert!((snr.score_rms[0] - 1.0 / v.sqrt()).abs() < 0.01, "{snr:?}");
        let last = snr.ratio.len() - 1;
        assert!(snr.ratio[last] < 0.5 * snr.ratio[0], "{snr:?}");
        assert_eq!(snr.ratio_last_step[last], snr.ratio[last]);
        assert!(step_signal_to_noise(&gm, &schedule).draws(0).run().is_err());
    }
}
