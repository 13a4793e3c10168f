//! Forward noising processes on a mixture, with every marginal in closed form.
//!
//! A diffusion model adds noise to data by an SDE $dx = f(x, t)\,dt + g(t)\,dW$ on $t \in [0, 1]$.
//! Applied to a Gaussian mixture, each marginal $p_t$ is again a Gaussian mixture:
//!
//! - **VE** (variance exploding), $f = 0$, $\sigma(t) = \sigma_{\min}(\sigma_{\max}/\sigma_{\min})^t$,
//!   added variance $v(t) = \sigma(t)^2 - \sigma_{\min}^2$, $g(t)^2 = v'(t) = 2\sigma(t)^2 \log(\sigma_{\max}/\sigma_{\min})$:
//!   $p_t = \sum_k w_k \mathcal N(\mu_k, \Sigma_k + v(t) I)$. This is the exact marginal of the
//!   SDE started from the data at t = 0. Song et al.'s `sde_lib.py` (score_sde, `VESDE.marginal_prob`)
//!   uses $\sigma(t)^2$ instead, as if the data already carried noise σ_min at t = 0; the two differ
//!   by σ_min², negligible for σ_min = 0.01 except near t = 0.
//! - **VP** (variance preserving), $f = -\tfrac12\beta(t)x$, $g = \sqrt{\beta(t)}$,
//!   $\beta(t) = \beta_{\min} + t(\beta_{\max} - \beta_{\min})$, $a_t = e^{-\frac12\int_0^t\beta}$:
//!   $p_t = \sum_k w_k \mathcal N(a_t\mu_k, a_t^2\Sigma_k + (1 - a_t^2) I)$.
//!
//! So the exact time-dependent score $s(x, t) = \nabla_x \log p_t(x)$ is available: the toy where
//! a diffusion model's network would have to learn it.

use std::ops::RangeInclusive;

use crate::model::error::MixtureError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Dimension, Score};
use crate::numeric::linalg;

/// The end of the time interval [0, T] of every process here.
pub const HORIZON: f64 = 1.0;

/// Why a diffusion could not be built or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffusionError {
    /// A schedule parameter is out of range.
    #[error("invalid diffusion schedule: {name} = {value}, {reason}")]
    InvalidSchedule {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must satisfy.
        reason: &'static str,
    },
    /// A time outside [0, T].
    #[error("time t = {t} is outside [0, {HORIZON}]")]
    TimeOutOfRange {
        /// The time given.
        t: f64,
    },
    /// The marginal could not be formed (see [`MixtureError`]).
    #[error(transparent)]
    Mixture(#[from] MixtureError),
    /// A point whose dimension is not the process's.
    #[error("a point of dimension {found}, the process has dimension {expected}")]
    DimensionMismatch {
        /// The process's dimension.
        expected: usize,
        /// The point's.
        found: usize,
    },
    /// A point with a NaN or infinite coordinate, where the score is undefined.
    #[error("coordinate {axis} of the point is {value}: the score needs finite x")]
    NonFinitePoint {
        /// The first such coordinate's index.
        axis: usize,
        /// Its value.
        value: f64,
    },
    /// A score beyond f64's range (about 1.8·10³⁰⁸): the point is that many standard
    /// deviations of p_t from every mode.
    #[error(
        "the score at t = {t} is beyond f64's range: the point is too many standard deviations \
         of p_t from every mode"
    )]
    ScoreOverflow {
        /// The time.
        t: f64,
    },
}

/// A noise schedule: how fast the forward SDE destroys the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// Variance exploding: $dx = g(t)\,dW$, noise scale from σ_min to σ_max. The added
    /// variance is $\sigma(t)^2 - \sigma_{\min}^2$ (exact from the data at t = 0), not the
    /// $\sigma(t)^2$ of score_sde's `sde_lib.py`.
    VarianceExploding {
        /// σ(0) > 0.
        sigma_min: f64,
        /// σ(T) > σ_min.
        sigma_max: f64,
    },
    /// Variance preserving: $dx = -\tfrac12\beta x\,dt + \sqrt\beta\,dW$, β linear in t.
    VariancePreserving {
        /// β(0) ≥ 0.
        beta_min: f64,
        /// β(T) ≥ β_min, > 0.
        beta_max: f64,
    },
}

/// The smallest and largest noise scale σ of a VE process: σ² and the diffusion coefficient
/// g² = 2σ² log(σ_max/σ_min) stay normal, finite numbers with room for the data's covariance.
const VE_SIGMA_RANGE: (f64, f64) = (1e-150, 1e150);

/// A time-dependent score $s(x, t)$ evaluated for many points at once: what the reverse-time
/// samplers follow. [`Diffusion`] supplies the exact one; a learned model can supply another.
pub trait TimeScore: Dimension + Sync {
    /// Writes $s(x, t)$ for each point of `points` (n × d values, one point after another) into
    /// `out` (same layout), for t in [0, T]. The samplers only ask within [0, T] and with
    /// matching lengths; the implementations here panic otherwise, with a message naming what
    /// was expected and found, rather than leave `out` as it was.
    fn score_batch_at(&self, t: f64, points: &[f64], out: &mut [f64]);

    /// The rough cost of one point's score, as [`Score::evaluation_cost`]: what the work budget
    /// estimates a reverse-time run's time with. The default is one Gaussian's.
    fn evaluation_cost(&self) -> f64 {
        crate::model::score::gaussian_cost(self.dim())
    }
}

/// Panics unless t ∈ [0, T] and `points` and `out` hold the same whole points of dimension
/// `dim`: the contract of [`TimeScore::score_batch_at`], whose callers cannot be told otherwise.
pub(crate) fn assert_time_batch(dim: usize, t: f64, points: usize, out: usize) {
    assert!(
        (0.0..=HORIZON).contains(&t),
        "score_batch_at: time t = {t} is outside [0, {HORIZON}]; check it with \
         Diffusion::check_time first"
    );
    assert!(
        points == out && points.is_multiple_of(dim.max(1)),
        "score_batch_at: expected `out` to hold as many values as `points`, whole points of \
         dimension {dim}; found {points} values in `points` and {out} in `out`"
    );
}

/// A forward noising process applied to a Gaussian mixture.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let ve = Diffusion::variance_exploding(&data, 0.01..=10.0)?;
/// // p_0 is the data; p_T is nearly N(0, σ_max²).
/// assert!((ve.marginal(0.0)?.covariance(0).unwrap()[0] - 0.25).abs() < 1e-12);
/// // Σ + (σ(t)² − σ_min²): 0.25 + 100 − 0.0001 at t = 1.
/// assert!((ve.marginal(1.0)?.covariance(0).unwrap()[0] - 100.2499).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Diffusion {
    data: GaussianMixture,
    schedule: Schedule,
    /// The smallest eigenvalue of any component's covariance: see [`Diffusion::narrowest_variance`].
    narrowest: f64,
}

impl Diffusion {
    /// The VE process on `data`, its noise scale running over `sigma` = σ_min..=σ_max as
    /// σ(t) = σ_min (σ_max/σ_min)ᵗ, with $g(t) = \sigma(t)\sqrt{2\ln(\sigma_{\max}/\sigma_{\min})}$.
    /// The marginal at t adds variance
    /// σ(t)² − σ_min² to each component: the exact law of the SDE started from the data at
    /// t = 0. Song et al.'s `sde_lib.py` (score_sde, `VESDE.marginal_prob`) uses σ(t)², as if the
    /// data carried noise σ_min already at t = 0.
    ///
    /// # Errors
    /// [`DiffusionError::InvalidSchedule`] unless σ_min < σ_max, both within 10⁻¹⁵⁰ … 10¹⁵⁰
    /// (beyond, σ² or g² is 0 or ∞);
    /// [`DiffusionError::Mixture`] if the data's covariance plus σ_max² overflows.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let data = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let ve = Diffusion::variance_exploding(&data, 0.01..=10.0)?;
    /// // g(1)² = 2 σ_max² ln(σ_max/σ_min) = 200 ln 1000.
    /// assert!((ve.g_squared(1.0) - 200.0 * 1000f64.ln()).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn variance_exploding(
        data: &GaussianMixture,
        sigma: RangeInclusive<f64>,
    ) -> Result<Self, DiffusionError> {
        let (sigma_min, sigma_max) = (*sigma.start(), *sigma.end());
        let (lo, hi) = VE_SIGMA_RANGE;
        if !(lo..=hi).contains(&sigma_min) {
            return Err(invalid(
                "sigma_min",
                sigma_min,
                "must be within 1e-150..=1e150 (so σ² is neither 0 nor ∞)",
            ));
        }
        if !(sigma_max > sigma_min && sigma_max <= hi) {
            return Err(invalid(
                "sigma_max",
                sigma_max,
                "must be > sigma_min and at most 1e150 (so σ² is finite)",
            ));
        }
        Self::build(
            data,
            Schedule::VarianceExploding {
                sigma_min,
                sigma_max,
            },
        )
    }

    /// The process, once the schedule is valid: its marginals at 0 and T must exist, and then
    /// every marginal between does (VE adds a variance growing in t; VP's covariance
    /// a²Σ + (1 − a²)I lies between Σ and I).
    fn build(data: &GaussianMixture, schedule: Schedule) -> Result<Self, DiffusionError> {
        let d = data.dim();
        let narrowest = (0..data.n_components())
            .map(|k| linalg::smallest_eigenvalue(data.covariance(k).unwrap_or_default(), d))
            .fold(f64::INFINITY, f64::min);
        let process = Diffusion {
            data: data.clone(),
            schedule,
            narrowest,
        };
        process.marginal(0.0)?;
        process.marginal(HORIZON)?;
        Ok(process)
    }

    /// The VP process on `data`, its rate β linear in t over `beta` = β_min..=β_max:
    /// β(t) = β_min + t (β_max − β_min), drift f = −½β(t)x and $g(t) = \sqrt{\beta(t)}$.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let data = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
    /// // a₁ = e^{−½∫β} with ∫₀¹β = (0.1 + 20)/2.
    /// assert!((vp.scale_and_variance(1.0).0 - (-0.25f64 * 20.1).exp()).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`DiffusionError::InvalidSchedule`] unless 0 ≤ β_min ≤ β_max, β_max > 0, both finite.
    pub fn variance_preserving(
        data: &GaussianMixture,
        beta: RangeInclusive<f64>,
    ) -> Result<Self, DiffusionError> {
        let (beta_min, beta_max) = (*beta.start(), *beta.end());
        if !(beta_min >= 0.0 && beta_min.is_finite()) {
            return Err(invalid("beta_min", beta_min, "must be finite and >= 0"));
        }
        if !(beta_max >= beta_min && beta_max > 0.0 && beta_max.is_finite()) {
            return Err(invalid(
                "beta_max",
                beta_max,
                "must be finite, > 0 and >= beta_min",
            ));
        }
        Self::build(data, Schedule::VariancePreserving { beta_min, beta_max })
    }

    /// The data mixture p₀.
    pub fn data(&self) -> &GaussianMixture {
        &self.data
    }

    /// The noise schedule.
    pub fn schedule(&self) -> Schedule {
        self.schedule
    }

    /// Checks t ∈ [0, T].
    ///
    /// # Errors
    /// [`DiffusionError::TimeOutOfRange`] otherwise (NaN included).
    pub fn check_time(t: f64) -> Result<f64, DiffusionError> {
        if (0.0..=HORIZON).contains(&t) {
            Ok(t)
        } else {
            Err(DiffusionError::TimeOutOfRange { t })
        }
    }

    /// $(a_t, v_t)$ with $x_t = a_t x_0 + \sqrt{v_t}\, z$: the scale of the data and the added
    /// noise variance at time t (t is assumed in [0, T]).
    pub fn scale_and_variance(&self, t: f64) -> (f64, f64) {
        match self.schedule {
            Schedule::VarianceExploding {
                sigma_min,
                sigma_max,
            } => {
                let sigma = sigma_min * (sigma_max / sigma_min).powf(t);
                (1.0, sigma * sigma - sigma_min * sigma_min)
            }
            Schedule::VariancePreserving { .. } => {
                let log_a = self.log_scale(t);
                (log_a.exp(), -(2.0 * log_a).exp_m1())
            }
        }
    }

    /// $\ln a_t$: $-\tfrac12\int_0^t\beta = -\tfrac12(\beta_{\min}t + \tfrac12 t^2(\beta_{\max} - \beta_{\min}))$
    /// for VP, 0 for VE; finite where $a_t$ itself underflows to 0.
    pub fn log_scale(&self, t: f64) -> f64 {
        match self.schedule {
            Schedule::VarianceExploding { .. } => 0.0,
            Schedule::VariancePreserving { beta_min, beta_max } => {
                -0.5 * (beta_min * t + 0.5 * t * t * (beta_max - beta_min))
            }
        }
    }

    /// The drift coefficient: $f(x, t) = -\tfrac12\beta(t)\,x$ is linear, so this returns the
    /// factor c(t) with f = c(t) x (0 for VE).
    pub fn drift_factor(&self, t: f64) -> f64 {
        match self.schedule {
            Schedule::VarianceExploding { .. } => 0.0,
            Schedule::VariancePreserving { beta_min, beta_max } => {
                -0.5 * (beta_min + t * (beta_max - beta_min))
            }
        }
    }

    /// The squared diffusion coefficient $g(t)^2$.
    pub fn g_squared(&self, t: f64) -> f64 {
        match self.schedule {
            Schedule::VarianceExploding {
                sigma_min,
                sigma_max,
            } => {
                let sigma = sigma_min * (sigma_max / sigma_min).powf(t);
                2.0 * sigma * sigma * (sigma_max / sigma_min).ln()
            }
            Schedule::VariancePreserving { beta_min, beta_max } => {
                beta_min + t * (beta_max - beta_min)
            }
        }
    }

    /// The smallest variance, in any direction, of any component of $p_t$:
    /// $a_t^2\lambda_{\min} + v_t$ with $\lambda_{\min}$ the smallest eigenvalue of the data's
    /// covariances. Its inverse bounds how fast the score can turn: the Jacobian of a mixture's
    /// score is $-\sum_k r_k\Sigma_k^{-1}$ plus a positive semi-definite term (the spread of the
    /// components' pulls), so its most negative eigenvalue is at least $-1/$ this.
    pub fn narrowest_variance(&self, t: f64) -> f64 {
        let (a, v) = self.scale_and_variance(t);
        a * a * self.narrowest + v
    }

    /// The marginal $p_t$ as a Gaussian mixture: VE $\sum_k w_k\mathcal N(\mu_k, \Sigma_k + (\sigma(t)^2 - \sigma_{\min}^2)I)$,
    /// VP $\sum_k w_k\mathcal N(a_t\mu_k, a_t^2\Sigma_k + (1 - a_t^2)I)$.
    ///
    /// # Errors
    /// [`DiffusionError::TimeOutOfRange`] unless t ∈ [0, T].
    pub fn marginal(&self, t: f64) -> Result<GaussianMixture, DiffusionError> {
        Self::check_time(t)?;
        let (a, v) = self.scale_and_variance(t);
        let d = self.data.dim();
        let k = self.data.n_components();
        let means: Vec<Vec<f64>> = (0..k)
            .map(|c| {
                self.data
                    .mean(c)
                    .unwrap_or_default()
                    .iter()
                    .map(|m| a * m)
                    .collect()
            })
            .collect();
        let covs: Vec<Vec<Vec<f64>>> = (0..k)
            .map(|c| {
                let cov = self.data.covariance(c).unwrap_or_default();
                (0..d)
                    .map(|i| {
                        (0..d)
                            .map(|j| a * a * cov[i * d + j] + if i == j { v } else { 0.0 })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Ok(GaussianMixture::new(self.data.weights(), &means, &covs)?)
    }

    /// The exact score $s(x, t) = \nabla_x \log p_t(x)$ at one point.
    ///
    /// # Errors
    /// [`DiffusionError::DimensionMismatch`] unless x has the data's dimension,
    /// [`DiffusionError::TimeOutOfRange`] unless t ∈ [0, T], [`DiffusionError::NonFinitePoint`]
    /// for a NaN or infinite coordinate, [`DiffusionError::ScoreOverflow`] where the score's
    /// magnitude exceeds f64's range ([`GaussianMixture::score`] gives ±∞ there).
    pub fn score_at(&self, x: &[f64], t: f64) -> Result<Vec<f64>, DiffusionError> {
        if x.len() != self.dim() {
            return Err(DiffusionError::DimensionMismatch {
                expected: self.dim(),
                found: x.len(),
            });
        }
        if let Some((axis, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(DiffusionError::NonFinitePoint { axis, value });
        }
        let score = self.marginal(t)?.score(x);
        if score.iter().all(|v| v.is_finite()) {
            Ok(score)
        } else {
            Err(DiffusionError::ScoreOverflow { t })
        }
    }
}

impl Dimension for Diffusion {
    fn dim(&self) -> usize {
        self.data.dim()
    }
}

/// The exact score of $p_t$.
///
/// # Panics
/// If t is outside [0, T] (NaN included), or `points` and `out` differ in length or do not hold
/// whole points of the process's dimension: the message names what was expected and found.
/// [`Diffusion::score_at`] returns a time outside [0, T] as an error instead.
impl TimeScore for Diffusion {
    fn score_batch_at(&self, t: f64, points: &[f64], out: &mut [f64]) {
        assert_time_batch(self.dim(), t, points.len(), out.len());
        // The constructors checked the marginals at 0 and T, so every one between exists.
        match self.marginal(t) {
            Ok(marginal) => {
                let _ = marginal.score_batch(points, out);
            }
            Err(e) => panic!("score_batch_at: the marginal at t = {t} could not be formed: {e}"),
        }
    }

    fn evaluation_cost(&self) -> f64 {
        self.data.evaluation_cost()
    }
}

fn invalid(name: &'static str, value: f64, reason: &'static str) -> DiffusionError {
    DiffusionError::InvalidSchedule {
        name,
        value,
        reason,
    }
}
