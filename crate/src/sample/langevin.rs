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

use ndarray::ArrayView2;
use rand::Rng;

use crate::error::SamplerError;
use crate::model::score::Score;
use crate::numeric::simd::Simd;
use crate::sample::annealed::Schedule;
use crate::sample::ensemble::samplers::ula_chain;
use crate::sample::seeding::{Purpose, stream_rng};

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
    record_every: usize,
}

impl Ula {
    /// ULA with step size ε > 0, recording every step.
    pub fn new(step: f64) -> Result<Self, SamplerError> {
        Ok(Ula {
            step: check_step(step)?,
            record_every: 1,
        })
    }

    /// The step size ε.
    pub fn step_size(&self) -> f64 {
        self.step
    }

    /// Keeps only every k-th state of a [`run`](Self::run): steps 0, k, 2k, … and the last
    /// one, so a long run takes 1/k of the memory. The states kept are the same numbers as in
    /// the full run; [`Trajectory::steps`] tells their step numbers. `k = 0` is refused by
    /// `run` ([`limits::RECORD_EVERY`](crate::limits::RECORD_EVERY)).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let full = Ula::new(0.1)?.run(&gm, &[2.0], 1000, 3)?;
    /// let thin = Ula::new(0.1)?.record_every(100).run(&gm, &[2.0], 1000, 3)?;
    /// assert_eq!(thin.len(), 11);
    /// assert_eq!(thin.steps()[1], 100);
    /// assert_eq!(thin.point(700), full.point(700));
    /// assert_eq!(thin.point(701), None); // not recorded
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_every(mut self, k: usize) -> Self {
        self.record_every = k;
        self
    }

    /// Runs `n_steps` steps from `start` with the noise of [`NoiseStream::new(seed, 0)`](crate::NoiseStream):
    /// particle 0 of [`run_ensemble`](Self::run_ensemble) with the same seed, every step kept
    /// (or every k-th, see [`record_every`](Self::record_every)).
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
        let schedule = Schedule::constant(self.step, n_steps);
        ula_chain(
            &[target],
            &schedule,
            start,
            self.record_every,
            seed,
            Simd::best(),
        )
    }
}

/// A step size ε, if it is finite and > 0.
pub(crate) fn check_step(step: f64) -> Result<f64, SamplerError> {
    if step > 0.0 && step.is_finite() {
        Ok(step)
    } else {
        Err(SamplerError::InvalidStepSize { step })
    }
}

/// Checks a starting point against the target's dimension; returns the dimension.
pub(crate) fn check_start(dim: usize, start: &[f64]) -> Result<usize, SamplerError> {
    if start.len() != dim {
        return Err(SamplerError::DimensionMismatch {
            expected: dim,
            found: start.len(),
        });
    }
    if start.iter().any(|v| !v.is_finite()) {
        return Err(SamplerError::NonFiniteStart);
    }
    Ok(dim)
}

/// A point drawn uniformly from the box [lo, hi]ᵈ, seeded: a reproducible random start, the
/// first particle of [`Particles::uniform`](crate::Particles::uniform) with the same seed, and
/// independent of a sampler's noise under that seed.
///
/// ```
/// let p = scorelab::uniform_start(-8.0, 8.0, 2, 1);
/// assert!(p.iter().all(|v| (-8.0..=8.0).contains(v)));
/// assert_eq!(p, scorelab::uniform_start(-8.0, 8.0, 2, 1));
/// ```
pub fn uniform_start(lo: f64, hi: f64, dim: usize, seed: u64) -> Vec<f64> {
    let mut rng = stream_rng(seed, Purpose::Start, 0);
    (0..dim)
        .map(|_| lo + (hi - lo) * rng.random::<f64>())
        .collect()
}

/// The states x₀, x₁, …, x_T of one sampler run, each of dimension d — or, for a run with
/// `record_every(k)`, the states at steps 0, k, 2k, … and T. Serialises to JSON
/// (`serde_json::to_string(&path)`) for saving runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trajectory {
    dim: usize,
    /// One row of d per recorded state.
    points: Vec<f64>,
    /// The step number of each recorded state, ascending.
    steps: Vec<usize>,
    acceptance_rate: Option<f64>,
}

impl Trajectory {
    pub(crate) fn new(
        dim: usize,
        points: Vec<f64>,
        steps: Vec<usize>,
        acceptance_rate: Option<f64>,
    ) -> Self {
        Trajectory {
            dim,
            points,
            steps,
            acceptance_rate,
        }
    }

    /// The steps recorded by a run of `n_steps` steps keeping every `every`-th state: 0,
    /// every, 2·every, … and `n_steps`.
    pub(crate) fn recorded_steps(n_steps: usize, every: usize) -> usize {
        n_steps / every + 1 + usize::from(!n_steps.is_multiple_of(every))
    }

    /// The bytes a run of `n_steps` steps in dimension `dim`, recording every `every`-th
    /// state, allocates for its trajectory: per recorded state its d coordinates, its step
    /// number and, while the run lasts, a slice into it — (d + 3) words. This is the amount
    /// checked against the [memory budget](crate::memory_budget) before the run starts.
    ///
    /// ```
    /// use scorelab::Trajectory;
    /// // 10⁶ steps in 2-D: 40 MB for every step, 400 kB for every 100th.
    /// assert_eq!(Trajectory::memory_estimate(2, 1_000_000, 1), 40_000_040);
    /// assert_eq!(Trajectory::memory_estimate(2, 1_000_000, 100), 400_040);
    /// ```
    pub fn memory_estimate(dim: usize, n_steps: usize, every: usize) -> usize {
        Self::recorded_steps(n_steps, every.max(1))
            .saturating_mul(dim.saturating_add(3))
            .saturating_mul(std::mem::size_of::<f64>())
    }

    /// Fraction of accepted proposals, for samplers with an accept step (MALA); `None` otherwise.
    pub fn acceptance_rate(&self) -> Option<f64> {
        self.acceptance_rate
    }

    /// Number of recorded states: T + 1 (the start included) when every step is recorded.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there are no states (never true for a trajectory from a sampler).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The state at step t, or `None` past the end or if step t was not recorded.
    pub fn point(&self, t: usize) -> Option<&[f64]> {
        let i = self.steps.binary_search(&t).ok()?;
        self.points.get(i * self.dim..(i + 1) * self.dim)
    }

    /// The step number of each recorded state, in order: 0, 1, …, T, or 0, k, 2k, …, T for a
    /// run with `record_every(k)`.
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// The recorded states in order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.points.chunks_exact(self.dim)
    }

    /// Coordinate `axis` of every recorded state (empty if `axis >= d`).
    pub fn coordinate(&self, axis: usize) -> Vec<f64> {
        if axis >= self.dim {
            return Vec::new();
        }
        self.points().map(|p| p[axis]).collect()
    }

    /// The recorded states as a [`len`](Self::len) × d array view, row i being the state at
    /// step [`steps()[i]`](Self::steps).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let path = Ula::new(0.1)?.run(&gm, &[2.0], 10, 1)?;
    /// let states = path.view();
    /// assert_eq!(states.dim(), (11, 1));
    /// assert_eq!(states[[0, 0]], 2.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn view(&self) -> ArrayView2<'_, f64> {
        ArrayView2::from_shape((self.len(), self.dim), &self.points)
            .unwrap_or_else(|_| unreachable!("a trajectory holds whole states"))
    }
}
