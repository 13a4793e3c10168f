//! Langevin dynamics driven by a score.
//!
//! The unadjusted Langevin algorithm (ULA) discretises $dX = \nabla \log p(X)\,dt + \sqrt 2\, dW$:
//!
//! $$x_{t+1} = x_t + \varepsilon\, s(x_t) + \sqrt{2\varepsilon}\, z_t, \qquad z_t \sim \mathcal N(0, I).$$
//!
//! Its stationary law is close to p for small ε but biased: on N(0, σ²) its variance is
//! σ² / (1 − ε / 2σ²), and for ε ≥ 2σ² it diverges. A run that produces a non-finite state stops
//! with [`SamplerError::Diverged`] instead of returning NaN (as does one that runs off beyond
//! [`DIVERGENCE_BOUND`]).

use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::error::SamplerError;
use crate::limits;
use crate::model::score::Score;
use crate::progress::Progress;

/// A state coordinate beyond this magnitude counts as divergence: past it the target's density
/// underflows f64 entirely (|x − μ|² ≳ 10³⁰⁰), so the chain has left every region that matters.
pub const DIVERGENCE_BOUND: f64 = 1e150;

/// Whether a coordinate is NaN, infinite or beyond [`DIVERGENCE_BOUND`].
#[inline(always)]
pub(crate) fn escaped(v: f64) -> bool {
    v.is_nan() || v.abs() > DIVERGENCE_BOUND
}

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

    /// Runs `n_steps` steps from `start` with a generator seeded by `seed`; the same seed gives
    /// the same trajectory.
    pub fn run<S: Score + ?Sized>(
        &self,
        target: &S,
        start: &[f64],
        n_steps: usize,
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        let d = check_start(target.dim(), start)?;
        limits::STEPS.check(n_steps)?;
        let mut points = limits::reserve(
            "trajectory",
            (n_steps + 1).saturating_mul(d),
            "take fewer steps",
        )?;
        let mut progress = Progress::new("ULA", "steps", n_steps as u64);
        let mut rng = SamplerRng::seed_from_u64(seed);
        points.extend_from_slice(start);
        let mut x = start.to_vec();
        let mut s = vec![0.0; d];
        let noise = (2.0 * self.step).sqrt();
        for step in 1..=n_steps {
            target.score_into(&x, &mut s);
            for (xi, si) in x.iter_mut().zip(&s) {
                let z: f64 = rng.sample(StandardNormal);
                *xi += self.step * si + noise * z;
            }
            if x.iter().any(|v| !v.is_finite()) {
                return Err(SamplerError::Diverged {
                    step,
                    step_size: self.step,
                });
            }
            points.extend_from_slice(&x);
            if step.is_multiple_of(4096) {
                progress.update(step as u64);
            }
        }
        progress.finish();
        Ok(Trajectory::new(d, points, None))
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
}
