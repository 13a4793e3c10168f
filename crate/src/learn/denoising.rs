//! Denoising score matching as a fitting objective: minimise
//! $\mathbb E\,\sigma^2\lVert s_{\theta,\sigma}(\tilde x) + (\tilde x - x)/\sigma^2\rVert^2$,
//! $\tilde x = x + \sigma z$, where $s_{\theta,\sigma}$ is the score of the model perturbed by σ
//! (so its minimiser is the data's θ). The objective is closed-form in θ and differentiated by
//! central differences.

use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::error::{LearnError, check_dsm_sigma};
use super::objective::{CHUNK, Objective};
use crate::limits;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::model::score::Score;
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_rng};

/// Central-difference step for the gradient.
const FD_STEP: f64 = 1e-5;

/// The DSM objective on fixed data and fixed noise draws.
pub(crate) struct DenoisingScoreMatching<'a> {
    sigma: f64,
    clean: &'a Particles,
    noisy: Vec<f64>,
}

impl<'a> DenoisingScoreMatching<'a> {
    /// Draws one noise per sample from the streams of `seed`.
    ///
    /// # Errors
    /// σ outside the noise range or lost in the data's rounding; noisy samples over the
    /// memory budget.
    pub(crate) fn new(data: &'a Particles, sigma: f64, seed: u64) -> Result<Self, LearnError> {
        let sigma = check_dsm_sigma(sigma, data.as_flat())?;
        Ok(DenoisingScoreMatching {
            sigma,
            clean: data,
            noisy: add_noise(data, sigma, seed)?,
        })
    }

    /// The objective at θ (lower is better).
    fn value(&self, theta: &MixtureParameters) -> Result<f64, LearnError> {
        let perturbed = theta.to_mixture()?.perturbed(self.sigma)?;
        let d = self.clean.dim();
        let mut scores = vec![0.0; self.noisy.len()];
        // Lengths match by construction.
        let _ = perturbed.score_batch(&self.noisy, &mut scores);
        let s2 = self.sigma * self.sigma;
        let total: f64 = scores
            .iter()
            .zip(&self.noisy)
            .zip(self.clean.as_flat())
            .map(|((s, xt), x)| {
                let r = s + (xt - x) / s2;
                r * r
            })
            .sum();
        Ok(s2 * total / (self.noisy.len() / d) as f64)
    }
}

impl Objective for DenoisingScoreMatching<'_> {
    /// −∇J(θ) by central differences.
    fn ascent(
        &mut self,
        theta: &MixtureParameters,
        _: &GaussianMixture,
        _: usize,
    ) -> Result<Vec<f64>, LearnError> {
        let base = theta.to_vec();
        let mut probe = theta.clone();
        let mut grad = Vec::with_capacity(base.len());
        for i in 0..base.len() {
            let mut v = base.clone();
            v[i] = base[i] + FD_STEP;
            probe.set_from(&v);
            let up = self.value(&probe)?;
            v[i] = base[i] - FD_STEP;
            probe.set_from(&v);
            let down = self.value(&probe)?;
            grad.push(-(up - down) / (2.0 * FD_STEP));
        }
        Ok(grad)
    }

    /// Two per parameter for the central differences, and two more.
    fn evaluations_per_sample(&self, parameters: usize) -> f64 {
        2.0 * parameters as f64 + 2.0
    }
}

/// x + σ z for every sample, seeded per chunk of particles.
fn add_noise(data: &Particles, sigma: f64, seed: u64) -> Result<Vec<f64>, LearnError> {
    let flat = data.as_flat();
    let mut noisy = limits::reserve("noisy samples", flat.len(), "use fewer samples")?;
    noisy.extend_from_slice(flat);
    noisy
        .par_chunks_mut(CHUNK * data.dim())
        .enumerate()
        .for_each(|(chunk, xs)| {
            let mut rng = stream_rng(seed, Purpose::Perturbation, chunk);
            for x in xs {
                let z: f64 = StandardNormal.sample(&mut rng);
                *x += sigma * z;
            }
        });
    Ok(noisy)
}
