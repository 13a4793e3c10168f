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
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::error::SamplerError;
use crate::model::score::Score;
use crate::numeric::simd::Simd;
use crate::sample::annealed::Schedule;
use crate::sample::ensemble::samplers::ula_chain;

/// The random number generator of every sampler: seeded, fast, the same stream on every platform.
pub type SamplerRng = Xoshiro256PlusPlus;

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
}

impl Ula {
    /// ULA with step size ε > 0.
    pub fn new(step: f64) -> Result<Self, SamplerError> {
        Ok(Ula {
            step: check_step(step)?,
        })
    }

    /// The step size ε.
    pub fn step_size(&self) -> f64 {
        self.step
    }

    /// Runs `n_steps` steps from `start` with the noise of [`NoiseStream::new(seed, 0)`](crate::NoiseStream):
    /// particle 0 of [`run_ensemble`](Self::run_ensemble) with the same seed, every step kept.
    ///
    /// # Errors
    /// [`SamplerError::DimensionMismatch`] or [`SamplerError::NonFiniteStart`] for a bad start,
    /// [`SamplerError::Diverged`] if the chain diverges.
    pub fn run<S: Score + ?Sized>(
        &self,
        target: &S,
        start: &[f64],
        n_steps: usize,
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        let schedule = Schedule::constant(self.step, n_steps);
        ula_chain(&[target], &schedule, start, seed, Simd::best())
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

/// A point drawn uniformly from the box [lo, hi]ᵈ, seeded: a reproducible random start.
///
/// ```
/// let p = scorelab::uniform_start(-8.0, 8.0, 2, 1);
/// assert!(p.iter().all(|v| (-8.0..=8.0).contains(v)));
/// assert_eq!(p, scorelab::uniform_start(-8.0, 8.0, 2, 1));
/// ```
pub fn uniform_start(lo: f64, hi: f64, dim: usize, seed: u64) -> Vec<f64> {
    let mut rng = SamplerRng::seed_from_u64(seed);
    (0..dim)
        .map(|_| lo + (hi - lo) * rng.random::<f64>())
        .collect()
}

/// The states x₀, x₁, …, x_T of one sampler run, each of dimension d. Serialises to JSON
/// (`serde_json::to_string(&path)`) for saving runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trajectory {
    dim: usize,
    /// (T + 1) × d, row per state.
    points: Vec<f64>,
    acceptance_rate: Option<f64>,
}

impl Trajectory {
    pub(crate) fn new(dim: usize, points: Vec<f64>, acceptance_rate: Option<f64>) -> Self {
        Trajectory {
            dim,
            points,
            acceptance_rate,
        }
    }

    /// Fraction of accepted proposals, for samplers with an accept step (MALA); `None` otherwise.
    pub fn acceptance_rate(&self) -> Option<f64> {
        self.acceptance_rate
    }

    /// Number of states, T + 1 (the start included).
    pub fn len(&self) -> usize {
        self.points.len() / self.dim
    }

    /// Whether there are no states (never true for a trajectory from a sampler).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// State t, or `None` past the end.
    pub fn point(&self, t: usize) -> Option<&[f64]> {
        self.points.get(t * self.dim..(t + 1) * self.dim)
    }

    /// The states in order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.points.chunks_exact(self.dim)
    }

    /// Coordinate `axis` of every state (empty if `axis >= d`).
    pub fn coordinate(&self, axis: usize) -> Vec<f64> {
        if axis >= self.dim {
            return Vec::new();
        }
        self.points().map(|p| p[axis]).collect()
    }

    /// The states as a (T + 1) × d array view, row t being state t.
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
