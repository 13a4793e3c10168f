//! One learned score for every noise level, fit once: what annealed Langevin and the
//! reverse-time samplers need.
//!
//! Denoising score matching at noise σ minimises $\mathbb E\lVert s(\tilde x, \sigma) + z/\sigma\rVert^2$
//! with $\tilde x = x + \sigma z$. Weighted by $\lambda(\sigma) = \sigma^2$ it becomes
//!
//! $$\sigma^2\,\mathbb E\big\lVert s(\tilde x, \sigma) + z/\sigma\big\rVert^2
//! = \mathbb E\big\lVert \sigma\, s(\tilde x, \sigma) + z\big\rVert^2
//! = \mathbb E\big\lVert z - \hat\varepsilon(\tilde x, \sigma)\big\rVert^2,
//! \qquad \hat\varepsilon := -\sigma\, s,$$
//!
//! a regression of the noise z on the noisy point: **ε-prediction** is the same model, and
//! $s = -\hat\varepsilon/\sigma$. The target has unit variance at every σ, so one regression
//! over pairs (x̃, σ) weighs all noise levels alike.
//!
//! The model is linear: $\hat\varepsilon(\tilde x, \sigma) = W\psi(\tilde x, \sigma)$ with
//! $\psi_{ki} = b_k(\ln\sigma)\,\varphi_i\big(\tilde x/\sqrt{\sigma^2 + c^2}\big)$: the
//! [`RbfFeatures`] φ of the input rescaled by its own spread (c the data's spread, so one grid of
//! centres covers every σ: modern diffusion models' "c_in"), times smooth bumps $b_k$ in ln σ
//! ($\cos^2$ bumps that sum to 1, each σ touching two). σ is drawn log-uniform on
//! [σ_min, σ_max] per noisy sample, and W solves one ridge least squares over all pairs.

use std::ops::RangeInclusive;

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

use super::error::{LearnError, check_dsm_sigma};
use super::linear::{LinearScore, RbfFeatures, ridge_least_squares};
use crate::limits;
use crate::model::diffusion::{Diffusion, TimeScore, assert_time_batch};
use crate::model::score::{Dimension, Score};
use crate::sample::ensemble::Particles;

/// Features of a point, on the stack up to this many.
const STACK_FEATURES: usize = 256;

/// A score $s_\theta(x, \sigma) = -\hat\varepsilon(x, \sigma)/\sigma$ for every noise level σ,
/// fit once by ε-prediction (see the module documentation). Made by
/// [`NoiseConditionalScore::eps`].
///
/// Outside the fitted range: **below σ_min** the score at σ_min (a score learned from samples
/// cannot resolve structure finer than its smallest noise, so a sampler run down to σ → 0 ends
/// at the data blurred by about σ_min); **above σ_max** the bumps' weights stay those of σ_max
/// while the input keeps its rescaling $x/\sqrt{\sigma^2 + c^2}$ and the score its $1/\sigma$:
/// once σ is several times the data's spread c, $p_\sigma$ is nearly $\mathcal N(m, \sigma^2 I)$,
/// whose ε̂ in the rescaled input is the same linear map at every σ.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let data = Particles::sample(&gm, 3000, 1)?;
/// let features = RbfFeatures::grid(1, -4.0..=4.0, 41)?;
/// let model = NoiseConditionalScore::eps(0.1..=10.0).bumps(8).draws(16).ridge(1e-3)
///     .fit(&features, &data, 7)?;
/// // One model, many noise levels: close to the exact score of p_σ near the data.
/// for sigma in [0.3, 1.0, 3.0] {
///     let exact = gm.perturbed(sigma)?.score(&[1.5])[0];
///     let learned = model.score_at_sigma(&[1.5], sigma)[0];
///     assert!((learned - exact).abs() < 0.2, "σ = {sigma}: {learned} vs {exact}");
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseConditionalScore {
    features: RbfFeatures,
    /// ln σ_min and ln σ_max: the bumps' centres are spaced evenly between them.
    log_range: (f64, f64),
    bumps: usize,
    /// The data's spread c: the input is rescaled by √(σ² + c²).
    scale: f64,
    /// d × (K·M), row per output coordinate; column k·M + i is bump k times feature i.
    weights: Vec<f64>,
}

/// How a [`NoiseConditionalScore`] is fit: the noise range, the number of bumps in ln σ, the
/// noise draws per sample and the ridge λ. Made by [`NoiseConditionalScore::eps`].
#[derive(Debug, Clone, PartialEq)]
pub struct EpsFit {
    sigma: (f64, f64),
    bumps: usize,
    draws: usize,
    ridge: f64,
}

impl EpsFit {
    /// The number K of bumps in ln σ (at least 2 unless σ_min = σ_max); the default is 6.
    pub fn bumps(self, bumps: usize) -> Self {
        EpsFit { bumps, ..self }
    }

    /// Independent (σ, z) pairs drawn per sample (default 1).
    pub fn draws(self, draws: usize) -> Self {
        EpsFit { draws, ..self }
    }

    /// The ridge λ ≥ 0, relative to the features' mean square as in
    /// [`DsmFit::ridge`](crate::learn::DsmFit::ridge) (default 10⁻⁴).
    pub fn ridge(self, ridge: f64) -> Self {
        EpsFit { ridge, ..self }
    }

    /// Fits W on `data`: each sample gets `draws` pairs, σ log-uniform on [σ_min, σ_max] and
    /// x̃ = x + σz, from the noise streams of `seed`; then one ridge least squares of z on
    /// ψ(x̃, σ). `features` are the [`RbfFeatures`] of the *rescaled* input
    /// $\tilde x/\sqrt{\sigma^2 + c^2}$, whose spread is about 1 at every σ: a grid on
    /// −4..=4 covers it.
    ///
    /// # Errors
    /// [`LearnError::InvalidNoise`] or [`LearnError::NoiseBelowRounding`] for σ_min (as
    /// [`DsmFit::fit`](crate::learn::DsmFit::fit)), [`LearnError::InvalidParameter`] for
    /// σ_max < σ_min or beyond [`NOISE_RANGE`](crate::learn::NOISE_RANGE), fewer than 2 bumps
    /// on a range, a negative ridge or data of spread 0, [`LearnError::EmptySamples`],
    /// [`LearnError::DimensionMismatch`], [`LearnError::TooFewSamples`] (fewer noisy samples
    /// than K·M), [`LearnError::Limit`] for bumps outside [`limits::NOISE_LEVELS`], K·M
    /// outside [`limits::FEATURES`], draws, memory or work over their bounds,
    /// [`LearnError::Singular`].
    pub fn fit(
        &self,
        features: &RbfFeatures,
        data: &Particles,
        seed: u64,
    ) -> Result<NoiseConditionalScore, LearnError> {
        let EpsFit {
            sigma: (sigma_min, sigma_max),
            bumps,
            draws,
            ridge,
        } = *self;
        let sigma_min = check_dsm_sigma(sigma_min, data.as_flat())?;
        if !(sigma_max >= sigma_min && sigma_max <= crate::learn::NOISE_RANGE.1) {
            return Err(invalid(
                "sigma_max",
                sigma_max,
                "must be >= sigma_min and within the noise range",
            ));
        }
        let bumps = if sigma_max == sigma_min { 1 } else { bumps };
        if bumps < 2 && sigma_max > sigma_min {
            return Err(invalid(
                "bumps",
                bumps as f64,
                "needs at least 2 on a range",
            ));
        }
        limits::NOISE_LEVELS.check(bumps)?;
        if !(ridge >= 0.0 && ridge.is_finite()) {
            return Err(invalid("ridge", ridge, "must be finite and >= 0"));
        }
        if data.is_empty() {
            return Err(LearnError::EmptySamples);
        }
        let d = features.dim();
        if data.dim() != d {
            return Err(LearnError::DimensionMismatch {
                expected: d,
                found: data.dim(),
            });
        }
        limits::DRAWS.check(draws)?;
        let m = features.len();
        let total = limits::FEATURES.check(bumps.saturating_mul(m))?;
        let n = limits::NOISY_SAMPLES.check(data.len().saturating_mul(draws))?;
        if n < total {
            return Err(LearnError::TooFewSamples {
                found: n,
                needed: total,
            });
        }
        limits::check_bytes(
            "normal equations",
            LinearScore::memory_estimate(total, d),
            "use fewer features or bumps",
        )?;
        // Each row touches two bumps: the work of 2M dense features, then a K·M system.
        let work = super::linear::work_estimate(n, 2 * m, d) + (total as f64).powi(3) / 3.0;
        limits::check_work(
            "ε-prediction fit",
            work,
            "use fewer samples, draws or features",
        )?;
        let scale = spread(data);
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(invalid("data spread", scale, "must be finite and > 0"));
        }
        let log_range = (sigma_min.ln(), sigma_max.ln());
        let (lo, hi) = log_range;
        let weights = ridge_least_squares(
            data,
            draws,
            (total, ridge),
            seed,
            "ε-prediction fit",
            |x, rng, row| {
                let sigma = (lo + (hi - lo) * rng.random::<f64>()).exp();
                let rescale = (sigma * sigma + scale * scale).sqrt();
                for ((input, target), xi) in row.input.iter_mut().zip(&mut row.target).zip(x) {
                    let z: f64 = StandardNormal.sample(rng);
                    *input = (xi + sigma * z) / rescale;
                    *target = z;
                }
                features.eval_into(&row.input, &mut row.dense[..m]);
                row.index.clear();
                row.value.clear();
                for (k, b) in bump_weights(log_range, bumps, sigma.ln()) {
                    for (i, &p) in row.dense[..m].iter().enumerate() {
                        if p != 0.0 && b != 0.0 {
                            row.index.push(k * m + i);
                            row.value.push(b * p);
                        }
                    }
                }
            },
        )?;
        Ok(NoiseConditionalScore {
            features: features.clone(),
            log_range,
            bumps,
            scale,
            weights,
        })
    }
}

impl NoiseConditionalScore {
    /// The settings of a fit by ε-prediction over the noise levels `sigma` = σ_min..=σ_max,
    /// with 6 bumps in ln σ, one draw per sample and ridge 10⁻⁴ until set otherwise;
    /// [`EpsFit::fit`] makes the fit.
    pub fn eps(sigma: RangeInclusive<f64>) -> EpsFit {
        EpsFit {
            sigma: (*sigma.start(), *sigma.end()),
            bumps: 6,
            draws: 1,
            ridge: 1e-4,
        }
    }

    /// The fitted noise range σ_min..=σ_max.
    pub fn sigma_range(&self) -> RangeInclusive<f64> {
        self.log_range.0.exp()..=self.log_range.1.exp()
    }

    /// The data's spread c, the root mean variance per coordinate: the input is rescaled by
    /// √(σ² + c²).
    pub fn data_scale(&self) -> f64 {
        self.scale
    }

    /// ε̂ at the rescaled input `y` and noise σ (clamped to the fitted range for the bumps),
    /// into `out`.
    fn eps_rescaled(&self, y: &[f64], sigma: f64, out: &mut [f64]) {
        let m = self.features.len();
        let mut stack = [0.0; STACK_FEATURES];
        let mut heap;
        let phi: &mut [f64] = if m <= STACK_FEATURES {
            &mut stack[..m]
        } else {
            heap = vec![0.0; m];
            &mut heap
        };
        self.features.eval_into(y, phi);
        let total = m * self.bumps;
        out.iter_mut().for_each(|o| *o = 0.0);
        for (k, b) in bump_weights(self.log_range, self.bumps, sigma.ln()) {
            if b == 0.0 {
                continue;
            }
            for (o, row) in out.iter_mut().zip(self.weights.chunks_exact(total)) {
                let w = &row[k * m..(k + 1) * m];
                *o += b * w.iter().zip(phi.iter()).map(|(w, p)| w * p).sum::<f64>();
            }
        }
    }

    /// The predicted noise $\hat\varepsilon(x, \sigma) = W\psi(x, \sigma)$; σ below σ_min is
    /// taken as σ_min.
    ///
    /// # Panics
    /// If `x` does not have the model's dimension.
    pub fn predicted_noise(&self, x: &[f64], sigma: f64) -> Vec<f64> {
        self.check_point(x);
        let sigma = self.floor(sigma);
        let rescale = (sigma * sigma + self.scale * self.scale).sqrt();
        let y: Vec<f64> = x.iter().map(|v| v / rescale).collect();
        let mut out = vec![0.0; x.len()];
        self.eps_rescaled(&y, sigma, &mut out);
        out
    }

    /// The learned score of $p_\sigma$ at x: $-\hat\varepsilon(x, \sigma)/\sigma$, with σ below
    /// σ_min (NaN included) taken as σ_min.
    ///
    /// # Panics
    /// If `x` does not have the model's dimension.
    pub fn score_at_sigma(&self, x: &[f64], sigma: f64) -> Vec<f64> {
        let sigma = self.floor(sigma);
        let mut out = self.predicted_noise(x, sigma);
        out.iter_mut().for_each(|o| *o /= -sigma);
        out
    }

    /// σ, or σ_min where σ is below it or NaN.
    fn floor(&self, sigma: f64) -> f64 {
        let min = self.log_range.0.exp();
        if sigma >= min { sigma } else { min }
    }

    fn check_point(&self, x: &[f64]) {
        let d = self.features.dim();
        assert!(
            x.len() == d,
            "x has length {}, the score has dimension {d}",
            x.len()
        );
    }

    /// The score at the fixed noise level `sigma`, as a [`Score`]: a level for annealed
    /// Langevin.
    pub fn at(&self, sigma: f64) -> AtNoise<'_> {
        AtNoise { model: self, sigma }
    }

    /// The score at each of the noise levels `sigmas`: pass them to
    /// [`AnnealedLangevin::run_ensemble`](crate::AnnealedLangevin::run_ensemble) as its levels.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
    /// let data = Particles::sample(&gm, 2000, 1)?;
    /// let features = RbfFeatures::grid(1, -4.0..=4.0, 33)?;
    /// let model = NoiseConditionalScore::eps(0.2..=5.0).draws(2).fit(&features, &data, 7)?;
    /// let schedule = AnnealedLangevin::geometric().sigmas(5.0, 0.2).levels(5).step(0.01).build()?;
    /// let start = Particles::uniform(-6.0..=6.0).draw(200, 3)?;
    /// let end = schedule.run_ensemble(&model.levels(schedule.sigmas()), &start, &[500], 4)?;
    /// let near_a_mode = end.last().unwrap().points().filter(|x| (x[0].abs() - 2.0).abs() < 1.0);
    /// assert!(near_a_mode.count() > 180);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn levels(&self, sigmas: &[f64]) -> Vec<AtNoise<'_>> {
        sigmas.iter().map(|&s| self.at(s)).collect()
    }

    /// This score as the time-dependent score of `process` (see [`DiffusionScore`]).
    pub fn for_diffusion<'a>(&'a self, process: &'a Diffusion) -> DiffusionScore<'a> {
        DiffusionScore {
            model: self,
            process,
        }
    }
}

impl Dimension for NoiseConditionalScore {
    fn dim(&self) -> usize {
        self.features.dim()
    }
}

/// A [`NoiseConditionalScore`] at one noise level: a [`Score`]. Made by
/// [`NoiseConditionalScore::at`].
#[derive(Debug, Clone, Copy)]
pub struct AtNoise<'a> {
    model: &'a NoiseConditionalScore,
    sigma: f64,
}

impl AtNoise<'_> {
    /// The noise level σ.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }
}

impl Dimension for AtNoise<'_> {
    fn dim(&self) -> usize {
        self.model.dim()
    }
}

impl Score for AtNoise<'_> {
    /// $-\hat\varepsilon(x, \sigma)/\sigma$.
    ///
    /// # Panics
    /// If `x` or `out` does not have the score's dimension.
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        let s = self.model.score_at_sigma(x, self.sigma);
        assert!(
            out.len() == s.len(),
            "score output has length {}, the score has dimension {}",
            out.len(),
            s.len()
        );
        out.copy_from_slice(&s);
    }

    /// Two bumps' weights over the features.
    fn evaluation_cost(&self) -> f64 {
        cost(self.model)
    }
}

/// The cost of one evaluation: the features (distance and `exp` each) and two bumps' sums.
fn cost(model: &NoiseConditionalScore) -> f64 {
    let d = model.dim() as f64;
    model.features.len() as f64 * (2.0 * d + 20.0 + 4.0 * d)
}

/// A noise-conditional learned score of the *data* used as $s(x, t)$ of a forward process:
/// with $x_t = a_t x_0 + \sqrt{v_t}\,z$, $p_t(x) = a_t^{-d}\,p_{\sigma'}(x/a_t)$ for
/// $\sigma' = \sqrt{v_t}/a_t$, so
///
/// $$s(x, t) = \frac{s_{\sigma'}(x/a_t)}{a_t}
/// = -\frac{\hat\varepsilon\big(x/\sqrt{v_t + a_t^2c^2},\ \sigma'\big)}{\sqrt{v_t}},$$
///
/// the second form without a division by $a_t$, which underflows to 0 late in a VP process
/// (σ′ reaches 152 at t = 1 for β from 0.1 to 20). Where σ′ < σ_min (t near 0) the score at
/// σ_min is used, as in [`NoiseConditionalScore::score_at_sigma`].
///
/// # Panics
/// [`score_batch_at`](TimeScore::score_batch_at) panics, as [`Diffusion`]'s does, for t outside
/// [0, T] or `points` and `out` of different lengths.
#[derive(Debug, Clone, Copy)]
pub struct DiffusionScore<'a> {
    model: &'a NoiseConditionalScore,
    process: &'a Diffusion,
}

impl Dimension for DiffusionScore<'_> {
    fn dim(&self) -> usize {
        self.model.dim()
    }
}

impl TimeScore for DiffusionScore<'_> {
    fn score_batch_at(&self, t: f64, points: &[f64], out: &mut [f64]) {
        use rayon::prelude::*;
        let d = self.dim();
        assert_time_batch(d, t, points.len(), out.len());
        let (a, v) = self.process.scale_and_variance(t);
        let v = v.max(0.0);
        let sigma_min = self.model.log_range.0.exp();
        let c = self.model.scale;
        // σ′ = √v/a ≥ σ_min, compared without dividing by a.
        let (sigma, rescale, divisor) = if v.sqrt() >= sigma_min * a {
            (v.sqrt() / a, (v + a * a * c * c).sqrt(), v.sqrt())
        } else {
            let s = sigma_min;
            (s, a * (s * s + c * c).sqrt(), a * s)
        };
        out.par_chunks_mut(d)
            .zip(points.par_chunks(d))
            .for_each(|(o, x)| {
                let mut y = [0.0; 3];
                for (yi, xi) in y.iter_mut().zip(x) {
                    *yi = xi / rescale;
                }
                self.model.eps_rescaled(&y[..d], sigma, o);
                o.iter_mut().for_each(|v| *v /= -divisor);
            });
    }

    fn evaluation_cost(&self) -> f64 {
        cost(self.model)
    }
}

/// The bumps touching ln σ (clamped to `(lo, hi)`, the range of the centres) and their
/// weights, which sum to 1: $b_k = \cos^2(\tfrac\pi2 u)$ and $b_{k+1} = \sin^2(\tfrac\pi2 u)$ at
/// the fraction u of the way from centre k to centre k + 1. A NaN ln σ counts as ln σ_min.
fn bump_weights((lo, hi): (f64, f64), bumps: usize, log_sigma: f64) -> [(usize, f64); 2] {
    if bumps < 2 {
        return [(0, 1.0), (0, 0.0)];
    }
    let spacing = (hi - lo) / (bumps - 1) as f64;
    let clamped = if log_sigma >= lo {
        log_sigma.min(hi)
    } else {
        lo
    };
    let position = (clamped - lo) / spacing;
    let k = (position.floor().max(0.0) as usize).min(bumps - 2);
    let u = (position - k as f64).clamp(0.0, 1.0);
    let c = (0.5 * std::f64::consts::PI * u).cos();
    [(k, c * c), (k + 1, 1.0 - c * c)]
}

/// The data's spread: the root of the mean variance per coordinate (1/n).
fn spread(data: &Particles) -> f64 {
    let d = data.dim();
    let n = data.len().max(1) as f64;
    let mut mean = vec![0.0; d];
    for x in data.points() {
        for (m, xi) in mean.iter_mut().zip(x) {
            *m += xi / n;
        }
    }
    let mut variance = 0.0;
    for x in data.points() {
        for (xi, m) in x.iter().zip(&mean) {
            variance += (xi - m) * (xi - m) / n;
        }
    }
    (variance / d as f64).sqrt()
}

fn invalid(name: &'static str, value: f64, reason: &'static str) -> LearnError {
    LearnError::InvalidParameter {
        name,
        value,
        reason,
    }
}
