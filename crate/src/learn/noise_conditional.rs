//! One learned score per noise level: what annealed Langevin and the reverse-time samplers need.

use super::error::{LearnError, check_dsm_sigma};
use super::linear::{LinearScore, RbfFeatures};
use crate::limits;
use crate::model::diffusion::{Diffusion, TimeScore, assert_time_batch};
use crate::model::score::{Dimension, Score};
use crate::numeric::linalg;
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_key};

/// [`LinearScore`]s fit by DSM at noise levels σ₁ > … > σ_L (one fit per level), and the data's
/// mean m and covariance C.
///
/// [`score_at_sigma`](Self::score_at_sigma) is the learned score of $p_\sigma$ for every σ:
///
/// - between levels, the two nearest fits interpolated linearly in log σ;
/// - **above σ₁**, the score of $\mathcal N(m, C + \sigma^2 I)$. Noise of variance σ² added to
///   data of covariance C gives exactly this mean and covariance, and the perturbed density tends
///   to this Gaussian as σ grows past the data's spread (its higher cumulants shrink relative to
///   σ). A fit at σ₁ says nothing beyond σ₁: its noisy samples lie within a few σ₁ of the data,
///   and outside them its features extrapolate linearly. So fit σ₁ a few times the data's
///   spread, where the fit and the Gaussian agree; the score jumps at σ₁ by their difference.
/// - **below σ_L**, the fit at σ_L: a score learned from samples cannot resolve structure finer
///   than its smallest noise (the data's own empirical score is singular as σ → 0), so a
///   sampler run down to σ → 0 ends at the data blurred by about σ_L.
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseConditionalScore {
    levels: Vec<LinearScore>,
    /// The data's mean, d values.
    mean: Vec<f64>,
    /// The data's covariance (1/n), d × d row-major.
    covariance: Vec<f64>,
}

/// How a [`NoiseConditionalScore`] is fit: one [`DsmFit`](crate::learn::DsmFit) per noise level, all with the same
/// ridge λ and draws per sample. Made by [`NoiseConditionalScore::dsm`].
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseConditionalFit {
    sigmas: Vec<f64>,
    ridge: f64,
    draws: usize,
}

impl NoiseConditionalFit {
    /// The noise levels `sigmas`, ridge 10⁻⁴, one draw per sample.
    pub(crate) fn new(sigmas: &[f64]) -> Self {
        NoiseConditionalFit {
            sigmas: sigmas.to_vec(),
            ridge: 1e-4,
            draws: 1,
        }
    }

    /// The ridge λ ≥ 0 of every level, as in [`DsmFit::ridge`](crate::learn::DsmFit::ridge).
    pub fn ridge(mut self, ridge: f64) -> Self {
        self.ridge = ridge;
        self
    }

    /// Independent noises drawn per sample at every level, as in [`DsmFit::draws`](crate::learn::DsmFit::draws).
    pub fn draws(mut self, draws: usize) -> Self {
        self.draws = draws;
        self
    }

    /// Fits one [`LinearScore`] per noise level (sorted decreasing here) on the same data,
    /// with the ridge and draws of [`DsmFit`](crate::learn::DsmFit), each level from its own stream of `seed`.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
    /// let data = Particles::sample(&gm, 2000, 1)?;
    /// let features = RbfFeatures::grid(1, -8.0..=8.0, 33)?;
    /// let model = NoiseConditionalScore::dsm(&[0.2, 1.0, 3.0]).draws(2).fit(&features, &data, 7)?;
    /// assert_eq!(model.sigmas(), vec![3.0, 1.0, 0.2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`LearnError::Limit`] for a number of levels outside [`limits::NOISE_LEVELS`] or all the
    /// fits together over the [work budget](limits::work_budget), and every error of
    /// [`DsmFit::fit`](crate::learn::DsmFit::fit) (each σ is checked before the first fit).
    pub fn fit(
        &self,
        features: &RbfFeatures,
        data: &Particles,
        seed: u64,
    ) -> Result<NoiseConditionalScore, LearnError> {
        let (sigmas, ridge, draws) = (self.sigmas.as_slice(), self.ridge, self.draws);
        limits::NOISE_LEVELS.check(sigmas.len())?;
        let mut sorted = sigmas.to_vec();
        for &s in &sorted {
            check_dsm_sigma(s, data.as_flat())?;
        }
        sorted.sort_by(|a, b| b.total_cmp(a));
        limits::DRAWS.check(draws)?;
        let noisy = limits::NOISY_SAMPLES.check(data.len().saturating_mul(draws))?;
        let one = super::linear::work_estimate(noisy, features.len(), features.dim());
        limits::check_work(
            "noise-conditional fit",
            one * sigmas.len() as f64,
            "use fewer levels, samples, draws or features",
        )?;
        let levels = sorted
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                LinearScore::dsm(s).ridge(ridge).draws(draws).fit(
                    features,
                    data,
                    stream_key(seed, Purpose::Run, i),
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (mean, covariance) = moments(data);
        Ok(NoiseConditionalScore {
            levels,
            mean,
            covariance,
        })
    }
}

impl NoiseConditionalScore {
    /// The settings of a fit by denoising score matching at each of the noise levels `sigmas`,
    /// with ridge 10⁻⁴ and one draw per sample until set otherwise;
    /// [`NoiseConditionalFit::fit`] makes the fits.
    pub fn dsm(sigmas: &[f64]) -> NoiseConditionalFit {
        NoiseConditionalFit::new(sigmas)
    }

    /// The noise levels, decreasing.
    pub fn sigmas(&self) -> Vec<f64> {
        self.levels.iter().map(LinearScore::sigma).collect()
    }

    /// The fits, one per level (largest σ first): pass them to
    /// [`AnnealedLangevin::run_ensemble`](crate::AnnealedLangevin::run_ensemble) as its levels.
    pub fn levels(&self) -> &[LinearScore] {
        &self.levels
    }

    /// The data's mean m and covariance C (d × d, row-major), which fix the score beyond the
    /// largest level.
    pub fn data_moments(&self) -> (&[f64], &[f64]) {
        (&self.mean, &self.covariance)
    }

    /// The learned score of $p_\sigma$ at x (see the type's documentation): the level's fit,
    /// between two levels the interpolation linear in log σ, above the largest level the
    /// Gaussian limit $-(C + \sigma^2 I)^{-1}(x - m)$, below the smallest level (σ ≤ 0 and NaN
    /// included) the smallest level's fit.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[0.5, 0.5])?;
    /// let data = Particles::sample(&gm, 2000, 1)?;
    /// let features = RbfFeatures::grid(1, -8.0..=8.0, 33)?;
    /// let model = NoiseConditionalScore::dsm(&[0.2, 1.0, 3.0]).draws(2).fit(&features, &data, 7)?;
    /// // Far above the largest level, p_σ is N(m, C + σ²): at x = 100, σ = 100 about −1/100.
    /// let mut s = [0.0];
    /// model.score_at_sigma(&[100.0], 100.0, &mut s);
    /// assert!((s[0] + 0.01).abs() < 1e-3, "{s:?}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Panics
    /// If `x` or `out` does not have the score's dimension, as [`LinearScore`]'s score.
    pub fn score_at_sigma(&self, x: &[f64], sigma: f64, out: &mut [f64]) {
        let last = self.levels.len() - 1;
        if sigma > self.levels[0].sigma() {
            gaussian_score(self, 1.0, sigma * sigma, x, out);
            return;
        }
        let i = self.levels.partition_point(|l| l.sigma() > sigma);
        if i == 0 || i > last || sigma.is_nan() || sigma <= 0.0 {
            let level = if sigma.is_nan() || i > last {
                last
            } else {
                i.min(last)
            };
            self.levels[level].score_into(x, out);
            return;
        }
        let (hi, lo) = (&self.levels[i - 1], &self.levels[i]);
        let u = (sigma.ln() - lo.sigma().ln()) / (hi.sigma().ln() - lo.sigma().ln());
        lo.score_into(x, out);
        let upper = hi.score(x);
        for (o, h) in out.iter_mut().zip(upper) {
            *o = (1.0 - u) * *o + u * h;
        }
    }

    /// This score as the time-dependent score of `process` (see [`DiffusionScore`]).
    pub fn for_diffusion<'a>(&'a self, process: &'a Diffusion) -> DiffusionScore<'a> {
        DiffusionScore {
            model: self,
            process,
        }
    }
}

/// The score at x of the Gaussian limit of the data scaled by `a` plus noise of variance
/// `v`: $-(a^2C + vI)^{-1}(x - a\,m)$, with v > 0. Written in x, it needs no division by
/// `a`, which underflows to 0 late in a VP process.
fn gaussian_score(model: &NoiseConditionalScore, a: f64, v: f64, x: &[f64], out: &mut [f64]) {
    let d = model.mean.len();
    let mut cov = [0.0; 9];
    for i in 0..d {
        for j in 0..d {
            cov[i * d + j] = a * a * model.covariance[i * d + j] + if i == j { v } else { 0.0 };
        }
    }
    for ((o, xi), mi) in out.iter_mut().zip(x).zip(&model.mean) {
        *o = xi - a * mi;
    }
    match linalg::cholesky(&cov[..d * d], d) {
        Some(l) => {
            linalg::solve_lower(&l, d, out);
            linalg::solve_lower_transposed(&l, d, out);
        }
        // Only when rounding makes a²C + vI lose definiteness: its mean variance instead.
        None => {
            let mean_variance = (0..d).map(|i| cov[i * d + i]).sum::<f64>() / d as f64;
            out.iter_mut().for_each(|o| *o /= mean_variance);
        }
    }
    out.iter_mut().for_each(|o| *o = -*o);
}

impl Dimension for NoiseConditionalScore {
    fn dim(&self) -> usize {
        self.levels[0].dim()
    }
}

/// A noise-conditional learned score of the *data* used as $s(x, t)$ of a forward process:
/// with $x_t = a_t x_0 + \sqrt{v_t}\,z$, $p_t(x) = a_t^{-d}\,p_{\sigma'}(x/a_t)$ for
/// $\sigma' = \sqrt{v_t}/a_t$, so $s(x, t) = s_{\sigma'}(x/a_t)/a_t$.
///
/// Where σ′ is beyond the largest fitted level — late in a VP process σ′ grows without bound
/// (152 at t = 1 for β from 0.1 to 20) — this is the Gaussian limit of
/// [`NoiseConditionalScore::score_at_sigma`], written in x as $-(a_t^2C + v_tI)^{-1}(x - a_t m)$:
/// exactly the score of $p_t$ for Gaussian data, and close to it whenever the noise dominates.
/// Below the smallest level the smallest fit is used, as there.
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
        // σ′ = √v/a beyond the largest level, compared without dividing by a (a VP process's
        // a underflows to 0 while v = 1 − a² does not).
        if v.sqrt() > self.model.levels[0].sigma() * a {
            out.par_chunks_mut(d)
                .zip(points.par_chunks(d))
                .for_each(|(o, x)| gaussian_score(self.model, a, v, x, o));
            return;
        }
        let sigma = v.sqrt() / a;
        out.par_chunks_mut(d)
            .zip(points.par_chunks(d))
            .for_each(|(o, x)| {
                let mut scaled = [0.0; 3];
                for (s, xi) in scaled.iter_mut().zip(x) {
                    *s = xi / a;
                }
                self.model.score_at_sigma(&scaled[..d], sigma, o);
                o.iter_mut().for_each(|v| *v /= a);
            });
    }

    /// Two levels' fits per point, where it interpolates.
    fn evaluation_cost(&self) -> f64 {
        2.0 * self.model.levels[0].evaluation_cost()
    }
}

/// The mean and covariance (1/n) of the data.
fn moments(data: &Particles) -> (Vec<f64>, Vec<f64>) {
    let d = data.dim();
    let n = data.len().max(1) as f64;
    let mut mean = vec![0.0; d];
    for x in data.points() {
        for (m, xi) in mean.iter_mut().zip(x) {
            *m += xi / n;
        }
    }
    let mut covariance = vec![0.0; d * d];
    for x in data.points() {
        for i in 0..d {
            for j in 0..d {
                covariance[i * d + j] += (x[i] - mean[i]) * (x[j] - mean[j]) / n;
            }
        }
    }
    (mean, covariance)
}
