//! The 1-D Fokker–Planck equation of Langevin dynamics: how the density of particles moves.
//!
//! Particles following $dX = s(X)\,dt + \sqrt2\,dW$ have a density $p_t$ solving
//!
//! $$\partial_t p = -\partial_x (s\, p) + \partial_x^2 p,$$
//!
//! whose stationary solution is the target itself when $s = \nabla \log p$. The solver uses finite
//! volumes with the Scharfetter–Gummel flux (exact for locally constant drift, positive, no
//! numerical diffusion from upwinding) and zero flux at both ends, so total mass is conserved
//! to rounding error. Time steps are explicit and sized for stability automatically.

use std::ops::RangeInclusive;

use crate::limits::{self, LimitError};
use crate::model::score::Score;

/// p_t on a uniform grid of cells over [a, b], advanced in time under the score's drift.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
/// let mut fp = FokkerPlanck1d::new(&gm, -4.0..=5.0, 900, |x| if x.abs() <= 3.0 { 1.0 } else { 0.0 })?;
/// fp.advance(1.0)?;
/// assert!((fp.mass() - 1.0).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FokkerPlanck1d {
    centers: Vec<f64>,
    dx: f64,
    /// Scharfetter–Gummel weights at interior faces: flux = (bm·pᵢ − bp·pᵢ₊₁)/dx.
    b_minus: Vec<f64>,
    b_plus: Vec<f64>,
    density: Vec<f64>,
    time: f64,
    dt: f64,
}

/// Why a Fokker–Planck solver could not be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FokkerPlanckError {
    /// The score is not 1-D.
    #[error("Fokker–Planck solver needs a 1-D score, got dimension {dim}")]
    NotOneDimensional {
        /// The dimension given.
        dim: usize,
    },
    /// The interval is empty or not finite.
    #[error("invalid Fokker–Planck grid: {reason}")]
    InvalidGrid {
        /// What is required.
        reason: String,
    },
    /// The initial density is negative, not finite, or has zero mass.
    #[error("invalid initial density: {reason}")]
    InvalidInitialDensity {
        /// What is required.
        reason: String,
    },
    /// A duration or time to advance by is NaN, infinite or negative.
    #[error("cannot advance the Fokker–Planck density by {duration}: must be finite and >= 0")]
    InvalidDuration {
        /// The duration given.
        duration: f64,
    },
    /// Too many cells, or too much work (cells × time steps) to advance by a duration.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

/// B(z) = z / (eᶻ − 1), the Bernoulli function, stable near 0.
fn bernoulli(z: f64) -> f64 {
    if z.abs() < 1e-6 {
        1.0 - 0.5 * z
    } else {
        z / z.exp_m1()
    }
}

impl FokkerPlanck1d {
    /// The solver for drift `score` on `cells` cells over `range` = [a, b], starting from
    /// `initial` (any non-negative function; it is normalised to mass 1 on the grid).
    pub fn new<S: Score + ?Sized>(
        score: &S,
        range: RangeInclusive<f64>,
        cells: usize,
        initial: impl Fn(f64) -> f64,
    ) -> Result<Self, FokkerPlanckError> {
        let (a, b) = (*range.start(), *range.end());
        if score.dim() != 1 {
            return Err(FokkerPlanckError::NotOneDimensional { dim: score.dim() });
        }
        limits::CELLS.check(cells)?;
        if !(a.is_finite() && b.is_finite() && a < b) {
            return Err(FokkerPlanckError::InvalidGrid {
                reason: format!("[{a}, {b}] with {cells} cells"),
            });
        }
        let dx = (b - a) / cells as f64;
        let centers: Vec<f64> = (0..cells).map(|i| a + (i as f64 + 0.5) * dx).collect();
        let mut density: Vec<f64> = centers.iter().map(|&x| initial(x)).collect();
        if density.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(FokkerPlanckError::InvalidInitialDensity {
                reason: "values must be finite and >= 0".into(),
            });
        }
        // Scaled by its largest value first, so that huge values (1e308) do not overflow the sum.
        let peak = density.iter().cloned().fold(0.0, f64::max);
        if peak <= 0.0 {
            return Err(FokkerPlanckError::InvalidInitialDensity {
                reason: "zero mass on the grid".into(),
            });
        }
        density.iter_mut().for_each(|p| *p /= peak);
        let mass: f64 = density.iter().sum::<f64>() * dx;
        density.iter_mut().for_each(|p| *p /= mass);
        let mut s = [0.0];
        let (mut b_minus, mut b_plus) =
            (Vec::with_capacity(cells - 1), Vec::with_capacity(cells - 1));
        for i in 0..cells - 1 {
            score.score_into(&[a + (i + 1) as f64 * dx], &mut s);
            let v = s[0] * dx;
            b_minus.push(bernoulli(-v));
            b_plus.push(bernoulli(v));
        }
        // Positivity and stability of explicit Euler: 1 − dt/dx² (bm_right + bp_left) ≥ 0.
        let worst = (0..cells)
            .map(|i| {
                let right = if i + 1 < cells { b_minus[i] } else { 0.0 };
                let left = if i > 0 { b_plus[i - 1] } else { 0.0 };
                right + left
            })
            .fold(0.0f64, f64::max);
        let dt = 0.9 * dx * dx / worst.max(1e-12);
        Ok(FokkerPlanck1d {
            centers,
            dx,
            b_minus,
            b_plus,
            density,
            time: 0.0,
            dt,
        })
    }

    /// Advances p_t by `duration` ≥ 0 (in the same time units as ULA's ε: k steps of ε is
    /// t = kε).
    ///
    /// # Errors
    /// [`FokkerPlanckError::InvalidDuration`] for a NaN, infinite or negative duration.
    pub fn advance(&mut self, duration: f64) -> Result<(), FokkerPlanckError> {
        if !(duration >= 0.0 && duration.is_finite()) {
            return Err(FokkerPlanckError::InvalidDuration { duration });
        }
        if duration == 0.0 {
            return Ok(());
        }
        let n = (duration / self.dt).ceil().min(usize::MAX as f64) as usize;
        limits::GRID_STEPS.check(n.saturating_mul(self.density.len()))?;
        let dt = duration / n as f64;
        let c = dt / (self.dx * self.dx);
        let cells = self.density.len();
        let mut flux = vec![0.0; cells - 1];
        for _ in 0..n {
            for (i, f) in flux.iter_mut().enumerate() {
                *f = self.b_minus[i] * self.density[i] - self.b_plus[i] * self.density[i + 1];
            }
            for i in 0..cells {
                let out = if i + 1 < cells { flux[i] } else { 0.0 };
                let inflow = if i > 0 { flux[i - 1] } else { 0.0 };
                self.density[i] -= c * (out - inflow);
            }
        }
        self.time += duration;
        Ok(())
    }

    /// Advances to absolute time `t` (nothing to do if already there or past it).
    ///
    /// # Errors
    /// [`FokkerPlanckError::InvalidDuration`] if `t` is NaN or infinite.
    pub fn advance_to(&mut self, t: f64) -> Result<(), FokkerPlanckError> {
        if !t.is_finite() {
            return Err(FokkerPlanckError::InvalidDuration { duration: t });
        }
        self.advance((t - self.time).max(0.0))
    }

    /// Cell centres.
    pub fn centers(&self) -> &[f64] {
        &self.centers
    }

    /// p_t at the cell centres.
    pub fn density(&self) -> &[f64] {
        &self.density
    }

    /// Current time t.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// Total mass ∫ p_t (stays 1).
    pub fn mass(&self) -> f64 {
        self.density.iter().sum::<f64>() * self.dx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;

    fn standard() -> GaussianMixture {
        GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap()
    }

    #[test]
    fn huge_initial_values_are_normalised_not_lost() {
        // Used to overflow the mass to ∞ and return an all-zero density.
        let fp = FokkerPlanck1d::new(&standard(), -1.0..=1.0, 10, |_| 1e308).unwrap();
        assert!((fp.mass() - 1.0).abs() < 1e-12, "mass {}", fp.mass());
        assert!(fp.density().iter().all(|&p| (p - 0.5).abs() < 1e-12));
    }

    #[test]
    fn bad_durations_are_typed_errors() {
        let mut fp = FokkerPlanck1d::new(&standard(), -3.0..=3.0, 30, |_| 1.0).unwrap();
        for bad in [f64::NAN, -1.0, f64::INFINITY] {
            assert!(matches!(
                fp.advance(bad),
                Err(FokkerPlanckError::InvalidDuration { .. })
            ));
        }
        assert!(fp.advance_to(f64::NAN).is_err());
        assert_eq!(fp.time(), 0.0);
        fp.advance(0.0).unwrap();
        fp.advance_to(0.5).unwrap();
        fp.advance_to(0.25).unwrap();
        assert_eq!(fp.time(), 0.5);
    }
}
