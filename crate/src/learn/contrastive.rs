//! Contrastive divergence: ascend the log-likelihood with the *ordinary* score,
//! $\nabla_\theta \log p_\theta = \mathbb E_{\text{data}}[\nabla_\theta \log\tilde p_\theta] -
//! \mathbb E_{p_\theta}[\nabla_\theta \log\tilde p_\theta]$, the second expectation (the gradient
//! of log Z) estimated from MALA chains of the current model: restarted at the data for k steps
//! (CD-k) or carried over between iterations (persistent CD). For a mixture the model term is
//! also known exactly ([`ExactModelTerm`]): the reference the chains are measured against.

use rayon::prelude::*;

use super::error::LearnError;
use super::objective::{CHUNK, Objective};
use crate::limits;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::sample::ensemble::Particles;
use crate::sample::mala::Mala;
use crate::sample::seeding::{Purpose, stream_key};

/// CD-k (each iteration restarts MALA chains at the data and runs k steps) or persistent CD
/// (the chains run k steps per iteration from where the last iteration left them).
pub(crate) struct ContrastiveDivergence<'a> {
    chains: Chains<'a>,
    persistent: bool,
}

impl<'a> ContrastiveDivergence<'a> {
    /// CD-k with MALA steps of size `step`, or persistent CD if `persistent`.
    pub(crate) fn new(
        data: &'a Particles,
        k: usize,
        step: f64,
        seed: u64,
        persistent: bool,
    ) -> Result<Self, LearnError> {
        Ok(ContrastiveDivergence {
            chains: Chains::new(data, k, step, seed)?,
            persistent,
        })
    }
}

impl Objective for ContrastiveDivergence<'_> {
    fn ascent(
        &mut self,
        _: &MixtureParameters,
        model: &GaussianMixture,
        iteration: usize,
    ) -> Result<Vec<f64>, LearnError> {
        self.chains.ascent(model, iteration, self.persistent)
    }

    fn evaluations_per_sample(&self, _: usize) -> f64 {
        self.chains.evaluations_per_sample()
    }

    fn model_samples(&self) -> usize {
        self.chains.model_samples
    }

    fn acceptance(&self) -> Option<f64> {
        self.chains.acceptance()
    }
}

/// The exact log-likelihood gradient: the data term of CD minus its model term computed from
/// the known normaliser. With $Z = \sum_k e^{a_k}$, $\partial_{a_k}\log Z = w_k$; the means and
/// factors do not enter Z (each component is normalised), so their model term is 0.
pub(crate) struct ExactModelTerm<'a> {
    data: &'a Particles,
}

impl<'a> ExactModelTerm<'a> {
    pub(crate) fn new(data: &'a Particles) -> Self {
        ExactModelTerm { data }
    }
}

impl Objective for ExactModelTerm<'_> {
    fn ascent(
        &mut self,
        _: &MixtureParameters,
        model: &GaussianMixture,
        _: usize,
    ) -> Result<Vec<f64>, LearnError> {
        let mut ascent = mean_unnormalized_score(model, self.data);
        for (a, w) in ascent.iter_mut().zip(model.weights()) {
            *a -= w;
        }
        Ok(ascent)
    }

    /// About 20 for the data's ordinary scores, as for CD's data term.
    fn evaluations_per_sample(&self, _: usize) -> f64 {
        20.0
    }
}

/// The MALA chains of the model and what they have drawn.
struct Chains<'a> {
    data: &'a Particles,
    mala: Mala,
    k: usize,
    seed: u64,
    /// Where the chains ended in the last iteration (the data before the first).
    last: Particles,
    /// Sum and count of the acceptance rates of the iterations.
    accepted: (f64, usize),
    model_samples: usize,
}

impl<'a> Chains<'a> {
    fn new(data: &'a Particles, k: usize, step: f64, seed: u64) -> Result<Self, LearnError> {
        let mala = Mala::new(step)?;
        limits::CD_STEPS.check(k)?;
        Ok(Chains {
            data,
            mala,
            k,
            seed,
            last: data.clone(),
            accepted: (0.0, 0),
            model_samples: 0,
        })
    }

    /// About 8 evaluations per MALA step (score and log-density at the proposal, ordinary
    /// scores of data and chains) and 20 for the data's ordinary scores.
    fn evaluations_per_sample(&self) -> f64 {
        8.0 * self.k as f64 + 20.0
    }

    fn acceptance(&self) -> Option<f64> {
        (self.accepted.1 > 0).then(|| self.accepted.0 / self.accepted.1 as f64)
    }

    /// Runs the chains k steps, from the data or (`persistent`) from where they ended, and
    /// returns the mean ordinary score at the data minus that at the chains.
    fn ascent(
        &mut self,
        model: &GaussianMixture,
        iteration: usize,
        persistent: bool,
    ) -> Result<Vec<f64>, LearnError> {
        let from = if persistent { &self.last } else { self.data };
        let run_seed = stream_key(self.seed, Purpose::Run, iteration);
        let snaps = self
            .mala
            .run_ensemble(model, from, self.k, &[self.k], run_seed)?;
        let chains = snaps.last().cloned().unwrap_or_else(|| from.clone());
        if let Some(rate) = snaps.acceptance_rate() {
            self.accepted = (self.accepted.0 + rate, self.accepted.1 + 1);
        }
        self.model_samples += chains.len() * self.k;
        let positive = mean_unnormalized_score(model, self.data);
        let negative = mean_unnormalized_score(model, &chains);
        self.last = chains;
        Ok(positive.iter().zip(&negative).map(|(p, n)| p - n).collect())
    }
}

/// The mean over `points` of $\nabla_\theta \log\tilde p_\theta$: the ordinary score of the
/// unnormalised model (∂/∂aₖ = rₖ, the others as for the normalised one), flattened.
fn mean_unnormalized_score(model: &GaussianMixture, points: &Particles) -> Vec<f64> {
    let d = points.dim();
    let weights = model.weights();
    let n = MixtureParameters::of(model).len();
    let sums: Vec<Vec<f64>> = points
        .as_flat()
        .par_chunks(CHUNK * d)
        .map(|c| {
            let mut acc = vec![0.0; n];
            for x in c.chunks_exact(d) {
                let mut g = model.parameter_score(x);
                for (a, w) in g.logits.iter_mut().zip(weights) {
                    *a += w;
                }
                for (s, v) in acc.iter_mut().zip(g.to_vec()) {
                    *s += v;
                }
            }
            acc
        })
        .collect();
    let mut mean = vec![0.0; n];
    for s in &sums {
        for (m, v) in mean.iter_mut().zip(s) {
            *m += v / points.len() as f64;
        }
    }
    mean
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::score::LogDensity;

    /// The data's mean log-likelihood at θ.
    fn mean_log_likelihood(theta: &MixtureParameters, data: &Particles) -> f64 {
        let model = theta.to_mixture().unwrap();
        data.points().map(|x| model.log_prob(x)).sum::<f64>() / data.len() as f64
    }

    #[test]
    fn the_exact_model_term_gives_the_gradient_of_the_log_likelihood() {
        let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0]).unwrap();
        let data = Particles::sample(&truth, 200, 3).unwrap();
        let at = GaussianMixture::new_1d(&[0.6, 0.4], &[-1.0, 1.0], &[1.2, 0.8]).unwrap();
        let theta = MixtureParameters::of(&at);
        let ascent = ExactModelTerm::new(&data).ascent(&theta, &at, 0).unwrap();
        let base = theta.to_vec();
        let h = 1e-6;
        for i in 0..base.len() {
            let mut probe = theta.clone();
            let mut v = base.clone();
            v[i] += h;
            probe.set_from(&v);
            let up = mean_log_likelihood(&probe, &data);
            v[i] -= 2.0 * h;
            probe.set_from(&v);
            let down = mean_log_likelihood(&probe, &data);
            let numeric = (up - down) / (2.0 * h);
            assert!(
                (numeric - ascent[i]).abs() < 1e-6,
                "θ[{i}]: finite difference {numeric} vs exact model term {}",
                ascent[i]
            );
        }
    }

    #[test]
    fn the_exact_model_term_of_a_logit_is_its_weight() {
        let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0]).unwrap();
        let data = Particles::sample(&truth, 100, 1).unwrap();
        let model = GaussianMixture::new_1d(&[0.5, 0.5], &[-4.0, 4.0], &[1.0, 1.0]).unwrap();
        let data_term = mean_unnormalized_score(&model, &data);
        let exact = ExactModelTerm::new(&data)
            .ascent(&MixtureParameters::of(&model), &model, 0)
            .unwrap();
        // The exact model term of the logit is w₀ = 0.5, the data term about 0.2.
        assert!((data_term[0] - exact[0] - 0.5).abs() < 1e-12);
        assert!((data_term[0] - 0.2).abs() < 0.1);
    }
}
