//! Annealed Langevin dynamics (NCSN): Langevin on a sequence of ever less noisy targets.
//!
//! With noise levels $\sigma_1 > \dots > \sigma_L$ (geometric), run T ULA steps on each
//! $p_{\sigma_i}$ with step $\alpha_i = \varepsilon\, \sigma_i^2 / \sigma_L^2$, starting each level where
//! the previous one ended. Large σ smooths the modes together, so particles spread between them
//! in proportion to their weights before the fine levels sharpen each mode — which plain
//! Langevin, stuck in whichever basin it starts in, does not do.

use crate::limits;
use crate::model::error::MixtureError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Score;
use crate::numeric::simd::Simd;
use crate::sample::ensemble::samplers::{ula_chain, ula_ensemble};
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::error::SamplerError;
use crate::sample::level::{Level, Levels};
use crate::sample::record::Record;
use crate::sample::rules::check_step;
use crate::sample::trajectory::Trajectory;

/// Annealed Langevin dynamics: noise levels, base step ε and steps per level T, built by
/// [`geometric`](Self::geometric).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5])?;
/// let sampler = AnnealedLangevin::geometric()
///     .sigmas(10.0, 0.1)
///     .levels(10)
///     .step(2e-5)
///     .steps_per_level(100)
///     .build()?;
/// let levels = sampler.perturbed_levels(&gm)?;
/// let path = sampler.run(&levels, &[0.0], 3)?;
/// assert_eq!(path.len(), 1 + 10 * 100);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AnnealedLangevin {
    sigmas: Vec<f64>,
    epsilon: f64,
    steps_per_level: usize,
    record: Record,
}

/// The settings of [`AnnealedLangevin`] with geometrically spaced noise levels, checked by
/// [`build`](Self::build). The defaults are those of the original NCSN sampler: 10 levels from
/// σ = 10 down to 0.01, base step ε = 2·10⁻⁵, 100 steps per level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnnealedLangevinBuilder {
    sigma_max: f64,
    sigma_min: f64,
    levels: usize,
    epsilon: f64,
    steps_per_level: usize,
}

impl Default for AnnealedLangevinBuilder {
    fn default() -> Self {
        AnnealedLangevinBuilder {
            sigma_max: 10.0,
            sigma_min: 0.01,
            levels: 10,
            epsilon: 2e-5,
            steps_per_level: 100,
        }
    }
}

impl AnnealedLangevinBuilder {
    /// The largest and the smallest noise level, σ₁ ≥ σ_L > 0.
    pub fn sigmas(self, sigma_max: f64, sigma_min: f64) -> Self {
        AnnealedLangevinBuilder {
            sigma_max,
            sigma_min,
            ..self
        }
    }

    /// The number of noise levels L.
    pub fn levels(self, levels: usize) -> Self {
        AnnealedLangevinBuilder { levels, ..self }
    }

    /// The base step ε > 0: level i takes steps αᵢ = ε σᵢ² / σ_L².
    pub fn step(self, epsilon: f64) -> Self {
        AnnealedLangevinBuilder { epsilon, ..self }
    }

    /// The number of ULA steps T at each level.
    pub fn steps_per_level(self, steps_per_level: usize) -> Self {
        AnnealedLangevinBuilder {
            steps_per_level,
            ..self
        }
    }

    /// The sampler, its L levels from σ₁ down to σ_L spaced geometrically.
    ///
    /// # Errors
    /// [`SamplerError::InvalidParameter`] for a σ that is not finite and > 0 or σ_L > σ₁,
    /// [`SamplerError::InvalidStepSize`] for ε, [`SamplerError::Limit`] for a number of levels
    /// outside [`limits::NOISE_LEVELS`](crate::limits::NOISE_LEVELS) or L · T outside
    /// [`limits::STEPS`](crate::limits::STEPS).
    pub fn build(self) -> Result<AnnealedLangevin, SamplerError> {
        let AnnealedLangevinBuilder {
            sigma_max,
            sigma_min,
            levels,
            epsilon,
            steps_per_level,
        } = self;
        let positive = |name, value: f64| {
            if value > 0.0 && value.is_finite() {
                Ok(())
            } else {
                Err(SamplerError::InvalidParameter {
                    name,
                    value,
                    reason: "must be finite and > 0",
                })
            }
        };
        positive("sigma_max", sigma_max)?;
        positive("sigma_min", sigma_min)?;
        if sigma_min > sigma_max {
            return Err(SamplerError::InvalidParameter {
                name: "sigma_min",
                value: sigma_min,
                reason: "must not exceed sigma_max",
            });
        }
        limits::NOISE_LEVELS.check(levels)?;
        limits::STEPS.check(levels.saturating_mul(steps_per_level))?;
        let epsilon = check_step(epsilon)?;
        let ratio = if levels > 1 {
            (sigma_min / sigma_max).powf(1.0 / (levels - 1) as f64)
        } else {
            1.0
        };
        let mut sigmas: Vec<f64> = (0..levels)
            .map(|i| sigma_max * ratio.powi(i as i32))
            .collect();
        *sigmas.last_mut().unwrap_or(&mut 0.0) = sigma_min;
        Ok(AnnealedLangevin {
            sigmas,
            epsilon,
            steps_per_level,
            record: Record::Every(1),
        })
    }
}

impl AnnealedLangevin {
    /// The settings of a sampler with geometrically spaced noise levels, from their defaults
    /// (see [`AnnealedLangevinBuilder`]); [`build`](AnnealedLangevinBuilder::build) checks them.
    pub fn geometric() -> AnnealedLangevinBuilder {
        AnnealedLangevinBuilder::default()
    }

    /// Which states a [`run`](Self::run) keeps (steps counted over all levels),
    /// as [`Ula::record`](crate::Ula::record).
    pub fn record(mut self, record: Record) -> Self {
        self.record = record;
        self
    }

    /// The noise levels σ₁ > … > σ_L.
    pub fn sigmas(&self) -> &[f64] {
        &self.sigmas
    }

    /// The step size at level i, αᵢ = ε σᵢ² / σ_L².
    pub fn step_size(&self, level: usize) -> Option<f64> {
        let last = *self.sigmas.last()?;
        self.sigmas
            .get(level)
            .map(|s| self.epsilon * s * s / (last * last))
    }

    /// ULA steps per level, T.
    pub fn steps_per_level(&self) -> usize {
        self.steps_per_level
    }

    /// Total number of steps, L · T.
    pub fn total_steps(&self) -> usize {
        self.sigmas.len() * self.steps_per_level
    }

    /// The exact perturbed mixtures p_σᵢ, one per level: the scores annealing follows.
    pub fn perturbed_levels(
        &self,
        mixture: &GaussianMixture,
    ) -> Result<Vec<GaussianMixture>, MixtureError> {
        self.sigmas.iter().map(|&s| mixture.perturbed(s)).collect()
    }

    /// The run's levels, `scores[i]` the score at noise σᵢ with step size αᵢ, after checking
    /// there is one score per noise level.
    fn levels<'a, S>(&self, scores: &'a [S]) -> Result<Levels<'a, S>, SamplerError> {
        if scores.len() != self.sigmas.len() {
            return Err(SamplerError::InvalidParameter {
                name: "number of score levels",
                value: scores.len() as f64,
                reason: "must equal the number of noise levels",
            });
        }
        let level = |(i, target)| Level {
            target,
            step: self.step_size(i).unwrap_or(self.epsilon),
            steps: self.steps_per_level,
        };
        Ok(Levels::new(scores.iter().enumerate().map(level).collect()))
    }

    /// Runs all levels from `start`; `levels[i]` supplies the score at noise σᵢ (e.g. from
    /// [`perturbed_levels`](Self::perturbed_levels), or a learned model). Particle 0 of
    /// [`run_ensemble`](Self::run_ensemble) with the same seed, every step kept (or every k-th,
    /// see [`record`](Self::record)).
    ///
    /// # Errors
    /// [`SamplerError::InvalidParameter`] unless there is one score per noise level, as
    /// [`Ula::run`](crate::Ula::run) otherwise.
    pub fn run<S: Score>(
        &self,
        levels: &[S],
        start: &[f64],
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        ula_chain(
            &self.levels(levels)?,
            start,
            self.record,
            seed,
            Simd::best(),
        )
    }

    /// Runs every particle through all noise levels; `snapshots` counts steps over all levels
    /// (level i covers steps i·T + 1 ..= (i + 1)·T). Levels of dimension ≤ 3 take the
    /// same fast path as [`Ula::run_ensemble`](crate::Ula::run_ensemble).
    ///
    /// # Errors
    /// [`SamplerError::InvalidParameter`] unless there is one score per noise level, and as
    /// [`Ula::run_ensemble`](crate::Ula::run_ensemble).
    pub fn run_ensemble<S: Score + Sync>(
        &self,
        levels: &[S],
        start: &Particles,
        snapshots: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        ula_ensemble(&self.levels(levels)?, start, snapshots, seed, Simd::best())
    }
}
