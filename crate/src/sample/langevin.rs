//! Langevin dynamics driven by a score.
//!
//! The unadjusted Langevin algorithm (ULA) discretises $dX = \nabla \log p(X)\,dt + \sqrt 2\, dW$:
//!
//! $$x_{t+1} = x_t + \varepsilon\, s(x_t) + \sqrt{2\varepsilon}\, z_t, \qquad z_t \sim \mathcal N(0, I).$$
//!
//! Its stationary law is close to p for small ε but biased: on N(0, σ²) its variance is
//! σ² / (1 − ε / 2σ²), and for ε ≥ 2σ² it diverges. A run that produces a non-finite state, or
//! one beyond [`DIVERGENCE_BOUND`](crate::DIVERGENCE_BOUND), stops with
//! [`SamplerError::Diverged`] instead of returning NaN.

use crate::model::score::Score;
use crate::numeric::simd::Simd;
use crate::sample::ensemble::samplers::{ula_chain, ula_ensemble};
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::error::SamplerError;
use crate::sample::level::Levels;
use crate::sample::record::Record;
use crate::sample::rules::check_step;
use crate::sample::trajectory::Trajectory;

/// Unadjusted Langevin algorithm with step size ε.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[3.0], &[1.0])?;
/// let path = Ula::new(0.05)?.run(&gm, &[-5.0], 2000, 7)?;
/// assert_eq!(path.len(), 2001); // the start plus one point per step
/// let tail: Vec<f64> = path.coordinate(0)[1000..].to_vec();
/// let mean = tail.iter().sum::<f64>() / tail.len() as f64;
/// assert!((mean - 3.0).abs() < 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ula {
    step: f64,
    record: Record,
}

impl Ula {
    /// ULA with step size ε > 0, recording every step.
    pub fn new(step: f64) -> Result<Self, SamplerError> {
        Ok(Ula {
            step: check_step(step)?,
            record: Record::Every(1),
        })
    }

    /// The step size ε.
    pub fn step_size(&self) -> f64 {
        self.step
    }

    /// Which states a [`run`](Self::run) keeps: [`Record::Every(k)`](Record::Every) keeps steps
    /// 0, k, 2k, … and the last one, so a long run takes 1/k of the memory;
    /// [`Record::Ends`] only the start and the end. The states kept are the same numbers as in
    /// the full run; [`Trajectory::steps`] tells their step numbers.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let full = Ula::new(0.1)?.run(&gm, &[2.0], 1000, 3)?;
    /// let thin = Ula::new(0.1)?.record(Record::Every(100)).run(&gm, &[2.0], 1000, 3)?;
    /// assert_eq!(thin.len(), 11);
    /// assert_eq!(thin.steps()[1], 100);
    /// assert_eq!(thin.point(700), full.point(700));
    /// assert_eq!(thin.point(701), None); // not recorded
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(mut self, record: Record) -> Self {
        self.record = record;
        self
    }

    /// Runs `n_steps` steps from `start` with the noise of [`NoiseStream::new(seed, 0)`](crate::NoiseStream):
    /// particle 0 of [`run_ensemble`](Self::run_ensemble) with the same seed, every step kept
    /// (or those [`record`](Self::record) says).
    ///
    /// # Errors
    /// [`SamplerError::DimensionMismatch`] or [`SamplerError::NonFiniteStart`] for a bad start,
    /// [`SamplerError::Diverged`] if the chain diverges, [`SamplerError::Limit`] for a step
    /// count outside [`limits::STEPS`](crate::limits::STEPS) or a trajectory over the memory
    /// budget.
    pub fn run<S: Score + ?Sized>(
        &self,
        target: &S,
        start: &[f64],
        n_steps: usize,
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        ula_chain(
            &Levels::one(target, self.step, n_steps),
            start,
            self.record,
            seed,
            Simd::best(),
        )
    }

    /// Runs every particle of `start` for `n_steps` ULA steps in parallel, keeping the clouds at
    /// the steps in `snapshots` (0 is the start; [`record`](Self::record) is for single runs).
    /// Same seed, same result, on any number of threads.
    ///
    /// In dimension 1, 2 or 3 particles advance in blocks of vector registers (a
    /// [`GaussianMixture`](crate::GaussianMixture) answers with its vector kernel); above, point
    /// by point. Both give the same numbers.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    /// let start = Particles::uniform(-3.0..=3.0).draw(10_000, 0)?;
    /// let snaps = Ula::new(0.01)?.run_ensemble(&gm, &start, 100, &[0, 1, 10, 100], 7)?;
    /// assert_eq!(snaps.steps(), &[0, 1, 10, 100]);
    /// assert!((snaps.times()[3] - 1.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SamplerError::DimensionMismatch`] if the particles do not have the target's dimension,
    /// [`SamplerError::InvalidParameter`] for a snapshot step after `n_steps`, and
    /// [`SamplerError::Diverged`] (with the earliest step) if a particle becomes non-finite.
    pub fn run_ensemble<S: Score + Sync + ?Sized>(
        &self,
        target: &S,
        start: &Particles,
        n_steps: usize,
        snapshots: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        let levels = Levels::one(target, self.step, n_steps);
        ula_ensemble(&levels, start, snapshots, seed, Simd::best())
    }
}
