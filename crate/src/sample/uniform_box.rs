//! [`UniformBox`]: reproducible starts drawn uniformly from a box [lo, hi]ᵈ.

use std::ops::RangeInclusive;

use rand::Rng;

use crate::limits;
use crate::sample::ensemble::Particles;
use crate::sample::error::SamplerError;
use crate::sample::seeding::{NoiseStream, Purpose, stream_rng};

/// The uniform law on the box [lo, hi]ᵈ, made by [`Particles::uniform`]: point i of a draw
/// with seed s comes from stream (s, [`Purpose::Start`], i), so a start is independent of a
/// sampler's noise under the same seed, and [`point`](Self::point) is particle 0 of
/// [`draw`](Self::draw).
///
/// ```
/// use scorelab::Particles;
/// let cloud = Particles::uniform(-8.0..=8.0).dim(2).draw(1000, 7)?;
/// assert_eq!((cloud.len(), cloud.dim()), (1000, 2));
/// assert!(cloud.as_flat().iter().all(|x| (-8.0..=8.0).contains(x)));
/// assert_eq!(Particles::uniform(-8.0..=8.0).dim(2).point(7)?, cloud.point(0).unwrap());
/// # Ok::<(), scorelab::SamplerError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UniformBox {
    lo: f64,
    hi: f64,
    dim: usize,
}

impl Particles {
    /// The uniform law on [lo, hi]ᵈ for `range` = lo..=hi, in dimension 1 unless
    /// [`UniformBox::dim`] says otherwise; [`UniformBox::draw`] draws particles from it.
    pub fn uniform(range: RangeInclusive<f64>) -> UniformBox {
        UniformBox {
            lo: *range.start(),
            hi: *range.end(),
            dim: 1,
        }
    }
}

impl UniformBox {
    /// The dimension d of the box (1 by default).
    pub fn dim(mut self, dim: usize) -> Self {
        self.dim = dim;
        self
    }

    /// `n` particles, seeded.
    ///
    /// # Errors
    /// [`SamplerError::InvalidParameter`] for a dimension of 0 or bounds that are not finite
    /// with lo < hi; [`SamplerError::Limit`] for n outside
    /// [`limits::PARTICLES`](crate::limits::PARTICLES) or over the memory budget.
    pub fn draw(&self, n: usize, seed: u64) -> Result<Particles, SamplerError> {
        self.check()?;
        limits::PARTICLES.check(n)?;
        limits::check_bytes(
            "particles",
            n.saturating_mul(self.dim.saturating_mul(8)),
            "use fewer particles",
        )?;
        let data = (0..n)
            .flat_map(|i| self.coordinates(stream_rng(seed, Purpose::Start, i)))
            .collect();
        Particles::from_flat(self.dim, data)
    }

    /// One point, seeded: particle 0 of [`draw`](Self::draw) with the same seed.
    ///
    /// # Errors
    /// As [`draw`](Self::draw), for the dimension (over the memory budget too) and bounds.
    pub fn point(&self, seed: u64) -> Result<Vec<f64>, SamplerError> {
        self.check()?;
        limits::check_bytes(
            "point",
            self.dim.saturating_mul(8),
            "use a smaller dimension",
        )?;
        Ok(self
            .coordinates(stream_rng(seed, Purpose::Start, 0))
            .collect())
    }

    fn coordinates(&self, mut rng: NoiseStream) -> impl Iterator<Item = f64> + use<> {
        let (lo, hi) = (self.lo, self.hi);
        (0..self.dim).map(move |_| lo + (hi - lo) * rng.random::<f64>())
    }

    fn check(&self) -> Result<(), SamplerError> {
        if self.dim == 0 {
            return Err(SamplerError::InvalidParameter {
                name: "dimension",
                value: 0.0,
                reason: "must be at least 1",
            });
        }
        if !(self.lo.is_finite() && self.hi.is_finite() && self.lo < self.hi) {
            return Err(SamplerError::InvalidParameter {
                name: "box bound",
                value: self.hi,
                reason: "need finite lo < hi",
            });
        }
        Ok(())
    }
}
