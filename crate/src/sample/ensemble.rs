//! Many independent chains at once: particles, and snapshots of them at chosen steps.
//!
//! Each particle has its own random stream, derived from the seed and the particle's index, so a
//! run gives bit-identical results on any number of threads. The Langevin noise of a step is
//! drawn from it by the Box–Muller transform, ⌈d/2⌉ pairs per step, on every path: a Gaussian
//! mixture of dimension 1, 2 or 3 runs through kernels specialised to its dimension (blocks of
//! particles in vector registers), any other score point by point, with identical results. Only the requested snapshots are
//! kept: memory grows with particles × snapshots, never with the number of steps.

use rayon::prelude::*;

use ndarray::{Array2, ArrayView2};

use crate::limits;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::error::SamplerError;
use crate::sample::seeding::{Purpose, stream_rng};

mod engine;
mod generic;
mod lanes;
pub(crate) mod samplers;
pub(crate) mod stream;
mod walk;

/// A cloud of n points in ℝᵈ, stored row per particle.
#[derive(Debug, Clone, PartialEq)]
pub struct Particles {
    dim: usize,
    data: Vec<f64>,
}

impl Particles {
    /// Particles from a flat row-major buffer of n × d finite values.
    pub fn from_flat(dim: usize, data: Vec<f64>) -> Result<Self, SamplerError> {
        if dim == 0 || !data.len().is_multiple_of(dim) || data.is_empty() {
            return Err(SamplerError::InvalidParameter {
                name: "particle buffer length",
                value: data.len() as f64,
                reason: "must be a positive multiple of the dimension",
            });
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(SamplerError::NonFiniteStart);
        }
        Ok(Particles { dim, data })
    }

    /// n exact draws from a mixture, seeded: particle i from stream (seed, [`Purpose::Draw`], i),
    /// independent of a sampler's noise under the same seed.
    pub fn sample(mixture: &GaussianMixture, n: usize, seed: u64) -> Result<Self, SamplerError> {
        let d = mixture.dim();
        limits::PARTICLES.check(n)?;
        let mut data = limits::reserve("particles", n.saturating_mul(d), "use fewer particles")?;
        data.resize(n * d, 0.0);
        data.par_chunks_mut(d).enumerate().for_each(|(i, out)| {
            let mut rng = stream_rng(seed, Purpose::Draw, i);
            mixture.sample_into(&mut rng, out);
        });
        Self::from_flat(d, data)
    }

    /// Number of particles n.
    pub fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    /// Whether there are no particles (never true for a constructed cloud).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Particle i, or `None` past the end.
    pub fn point(&self, i: usize) -> Option<&[f64]> {
        self.data.get(i * self.dim..(i + 1) * self.dim)
    }

    /// The particles in order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.data.chunks_exact(self.dim)
    }

    /// Coordinate `axis` of every particle (empty if `axis >= d`).
    pub fn coordinate(&self, axis: usize) -> Vec<f64> {
        if axis >= self.dim {
            return Vec::new();
        }
        self.points().map(|p| p[axis]).collect()
    }

    /// The flat row-major buffer.
    pub fn as_flat(&self) -> &[f64] {
        &self.data
    }

    /// The particles as an n × d array view, row i being particle i.
    ///
    /// ```
    /// let p = scorelab::Particles::uniform(-1.0..=1.0).dim(2).draw(100, 3)?;
    /// let x = p.view();
    /// assert_eq!(x.dim(), (100, 2));
    /// assert!(x.column(1).iter().all(|v| v.abs() <= 1.0));
    /// # Ok::<(), scorelab::SamplerError>(())
    /// ```
    pub fn view(&self) -> ArrayView2<'_, f64> {
        ArrayView2::from_shape((self.len(), self.dim), &self.data)
            .unwrap_or_else(|_| unreachable!("a cloud holds whole particles"))
    }

    /// Particles from the rows of an n × d array (n ≥ 1, d ≥ 1, finite values).
    ///
    /// ```
    /// let p = scorelab::Particles::from_array(ndarray::array![[0.0, 1.0], [2.0, 3.0]].view())?;
    /// assert_eq!(p.point(1), Some(&[2.0, 3.0][..]));
    /// # Ok::<(), scorelab::SamplerError>(())
    /// ```
    ///
    /// # Errors
    /// As [`from_flat`](Self::from_flat).
    pub fn from_array(points: ArrayView2<'_, f64>) -> Result<Self, SamplerError> {
        Self::from_flat(points.ncols(), points.iter().copied().collect())
    }

    /// The particles as an owned n × d array.
    pub fn to_array(&self) -> Array2<f64> {
        self.view().to_owned()
    }
}

/// The particle cloud at chosen steps of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshots {
    steps: Vec<usize>,
    times: Vec<f64>,
    clouds: Vec<Particles>,
    acceptance_rate: Option<f64>,
}

impl Snapshots {
    /// The recorded step numbers, ascending (0 is the start).
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// Diffusion time of each snapshot: the sum of step sizes up to it (t = k ε for ULA), the
    /// time at which the Fokker–Planck density p_t is comparable.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The particles at the i-th recorded step.
    pub fn get(&self, i: usize) -> Option<&Particles> {
        self.clouds.get(i)
    }

    /// The particles at step number `step`, if it was recorded.
    pub fn at_step(&self, step: usize) -> Option<&Particles> {
        self.steps
            .iter()
            .position(|&s| s == step)
            .and_then(|i| self.clouds.get(i))
    }

    /// The last recorded cloud.
    pub fn last(&self) -> Option<&Particles> {
        self.clouds.last()
    }

    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.clouds.len()
    }

    /// Whether no step was recorded.
    pub fn is_empty(&self) -> bool {
        self.clouds.is_empty()
    }

    /// Fraction of accepted proposals over all particles and steps (MALA only).
    pub fn acceptance_rate(&self) -> Option<f64> {
        self.acceptance_rate
    }

    /// Iterates over (step, particles).
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Particles)> + '_ {
        self.steps.iter().copied().zip(&self.clouds)
    }
}
