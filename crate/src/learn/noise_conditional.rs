//! One learned score per noise level: what annealed Langevin and the reverse-time samplers need.

use super::error::{check_dsm_sigma, LearnError};
use super::linear::{LinearScore, RbfFeatures};
use crate::limits;
use crate::model::diffusion::{assert_time_batch, Diffusion, TimeScore};
use crate::model::score::{Dimension, Score};
use crate::sample::ensemble::Particles;

/// [`LinearScore`]s fit by DSM at noise levels σ₁ > … > σ_L (one fit per level).
///
/// Between levels, [`score_at_sigma`](Self::score_at_sigma) interpolates linearly in log σ;
/// outside them it uses the nearest level.
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseConditionalScore {
    levels: Vec<LinearScore>,
}

impl NoiseConditionalScore {
    /// Fits one [`LinearScore`] per σ in `sigmas` (sorted decreasing here) on the same data,
    /// with `ridge` and `draws` as in [`LinearScore::fit_dsm`].
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
    /// let data = Particles::sample(&gm, 2000, 1)?;
    /// let features = RbfFeatures::grid(1, -8.0..=8.0, 33)?;
    /// let model = NoiseConditionalScore::fit(&features, &data, &[0.2, 1.0, 3.0], 1e-4, 2, 7)?;
    /// assert_eq!(model.sigmas(), vec![3.0, 1.0, 0.2]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`LearnError::Limit`] for a number of levels outside [`limits::NOISE_LEVELS`], and
    /// every error of [`LinearScore::fit_dsm`] (each σ is checked before the first fit).
    pub fn fit(
        features: &RbfFeatures,
        data: &Particles,
        sigmas: &[f64],
        ridge: f64,
        draws: usize,
        seed: u64,
    ) -> Result<Self, LearnError> {
        limits::NOISE_LEVELS.check(sigmas.len())?;
        let mut sorted = sigmas.to_vec();
        for &s in &sorted {
            check_dsm_sigma(s, data.as_flat())?;
        }
        sorted.sort_by(|a, b| b.total_cmp(a));
        let levels = sorted
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                LinearScore::fit_dsm(features, data, s, ridge, draws, seed.wrapping_add(i as u64))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NoiseConditionalScore { levels })
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

    /// The learned score of $p_\sigma$ at x: the level's fit, or between two levels the
    /// interpolation linear in log σ.
    pub fn score_at_sigma(&self, x: &[f64], sigma: f64, out: &mut [f64]) {
        let last = self.levels.len() - 1;
        let i = self.levels.partition_point(|l| l.sigma() > sigma);
        if i == 0 || i > last || !sigma.is_finite() || sigma <= 0.0 {
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

impl Dimension for NoiseConditionalScore {
    fn dim(&self) -> usize {
        self.levels[0].dim()
    }
}

/// A noise-conditional learned score of the *data* used as $s(x, t)$ of a forward process:
/// with $x_t = a_t x_0 + \sqrt{v_t}\,z$, $p_t(x) = a_t^{-d}\,p_{\sigma'}(x/a_t)$ for
/// $\sigma' = \sqrt{v_t}/a_t$, so $s(x, t) = s_{\sigma'}(x/a_t)/a_t$.
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
        let sigma = v.max(0.0).sqrt() / a;
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
}
