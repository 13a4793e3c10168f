//! Metropolis-adjusted Langevin (MALA): ULA's proposal plus an accept/reject step that makes
//! p exactly stationary, whatever the step size.
//!
//! Propose $x' = x + \varepsilon s(x) + \sqrt{2\varepsilon} z$ and accept with probability
//! $\min(1, \alpha)$,
//!
//! $$\log \alpha = \log p(x') - \log p(x) + \frac{\lVert x' - x - \varepsilon s(x)\rVert^2 - \lVert x - x' - \varepsilon s(x')\rVert^2}{4\varepsilon}.$$
//!
//! A proposal with a non-finite value is rejected, so MALA rarely diverges; a too-large step
//! shows as a low acceptance rate instead (≈ 0.57 is the textbook target in high dimension).

use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::Simd;
use crate::sample::ensemble::samplers::{mala_chain, mala_ensemble};
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::error::SamplerError;
use crate::sample::level::Levels;
use crate::sample::record::Record;
use crate::sample::rules::check_step;
use crate::sample::trajectory::Trajectory;

/// Metropolis-adjusted Langevin algorithm with step size ε.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// let path = Mala::new(1.9)?.run(&gm, &[0.0], 1000, 1)?;
/// let rate = path.acceptance_rate().unwrap();
/// assert!(rate > 0.1 && rate < 0.9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mala {
    step: f64,
    record: Record,
}

impl Mala {
    /// MALA with step size ε > 0, recording every step.
    pub fn new(step: f64) -> Result<Self, SamplerError> {
        Ok(Mala {
            step: check_step(step)?,
            record: Record::Every(1),
        })
    }

    /// The step size ε.
    pub fn step_size(&self) -> f64 {
        self.step
    }

    /// Which states a [`run`](Self::run) keeps, as
    /// [`Ula::record`](crate::Ula::record); the acceptance rate still counts every
    /// step.
    pub fn record(mut self, record: Record) -> Self {
        self.record = record;
        self
    }

    /// Runs `n_steps` transitions from `start`, seeded: particle 0 of
    /// [`run_ensemble`](Self::run_ensemble) with the same seed, every step kept (or every k-th,
    /// see [`record`](Self::record)); the trajectory records the acceptance rate.
    ///
    /// # Errors
    /// As [`Ula::run`](crate::Ula::run).
    pub fn run<D: LogDensity + Score + ?Sized>(
        &self,
        target: &D,
        start: &[f64],
        n_steps: usize,
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        mala_chain(
            &Levels::one(target, self.step, n_steps),
            start,
            self.record,
            seed,
            Simd::best(),
        )
    }

    /// Like [`Ula::run_ensemble`](crate::Ula::run_ensemble), with MALA transitions; the
    /// snapshots carry the acceptance rate.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let start = Particles::sample(&gm, 1000, 1)?;
    /// let snaps = Mala::new(0.5)?.run_ensemble(&gm, &start, 20, &[20], 2)?;
    /// assert!(snaps.acceptance_rate().unwrap() > 0.8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Ula::run_ensemble`](crate::Ula::run_ensemble).
    pub fn run_ensemble<D: LogDensity + Score + Sync + ?Sized>(
        &self,
        target: &D,
        start: &Particles,
        n_steps: usize,
        snapshots: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        mala_ensemble(
            &Levels::one(target, self.step, n_steps),
            start,
            snapshots,
            seed,
            Simd::best(),
        )
    }
}
