//! Fitting a mixture's parameters θ to samples: contrastive divergence against score matching.
//!
//! Treat the mixture as an energy model $\tilde p_\theta(x) = \sum_k e^{a_k}\mathcal N(x;\mu_k,\Sigma_k)
//! = e^{-E_\theta(x)}$ with normaliser $Z(\theta)$. Then:
//!
//! - **Contrastive divergence** ascends the log-likelihood with the *ordinary* score,
//!   $\nabla_\theta \log p_\theta = \mathbb E_{\text{data}}[\nabla_\theta \log\tilde p_\theta] -
//!   \mathbb E_{p_\theta}[\nabla_\theta \log\tilde p_\theta]$, the second expectation (the gradient of
//!   $\log Z$) estimated from MALA chains of the current model: restarted at the data for k steps
//!   (CD-k) or carried over between iterations (persistent CD).
//! - **Score matching** (Hyvärinen) minimises
//!   $J(\theta) = \mathbb E_{\text{data}}[\tfrac12\lVert s_\theta\rVert^2 + \nabla\cdot s_\theta]$ with the *Stein* score $s_\theta = \nabla_x \log p_\theta$; Z never enters
//!   and no model samples are drawn.
//! - **Denoising score matching** minimises $\mathbb E\,\sigma^2\lVert s_{\theta,\sigma}(\tilde x) +
//!   (\tilde x - x)/\sigma^2\rVert^2$, $\tilde x = x + \sigma z$, where $s_{\theta,\sigma}$ is the score of the
//!   model perturbed by σ (so its minimiser is the data's θ).
//!
//! Every method takes Adam steps (the rate decaying linearly to a tenth) on θ in the coordinates
//! of [`MixtureParameters`]. Hyvärinen's objective has an exact gradient in θ (one pass over the
//! data); the DSM objective is differentiated by central differences (it is closed-form in θ).

use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::error::{LearnError, check_dsm_sigma};
use super::fit_warning::FitWarning;
use super::method::Method;
use super::score_matching;
use crate::limits;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::model::score::{Dimension, LogDensity, Score};
use crate::progress::Progress;
use crate::sample::ensemble::Particles;
use crate::sample::mala::Mala;
use crate::sample::seeding::{Purpose, stream_key, stream_rng};

/// Points per parallel task when an objective is summed over the data (fixed, so sums do not
/// depend on the thread count).
const CHUNK: usize = 128;
/// Central-difference step for the gradient of the score-matching objectives.
const FD_STEP: f64 = 1e-5;

/// A fitting run's settings: the method, the number of Adam iterations and its learning rate.
///
/// ```
/// use scorelab::prelude::*;
/// let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0])?;
/// let data = Particles::sample(&truth, 500, 1)?;
/// let start = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.5, 1.5])?;
/// let fit = Training::new(Method::ScoreMatching).iterations(150).fit(&data, &start, 2)?;
/// let mu = fit.final_mixture()?.mean(0).unwrap()[0];
/// assert!((mu + 2.0).abs() < 0.3, "μ₀ = {mu}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Training {
    method: Method,
    iterations: usize,
    learning_rate: f64,
}

/// What a fit went through: θ and the data's mean log-likelihood after every iteration, and any
/// [`FitWarning`] about the result (shown by `Display` and `Debug`).
#[derive(Debug, Clone)]
pub struct LearningCurve {
    method: Method,
    parameters: Vec<MixtureParameters>,
    log_likelihood: Vec<f64>,
    model_samples: usize,
    warnings: Vec<FitWarning>,
}

impl Training {
    /// `method` with 200 iterations at learning rate 0.05.
    pub fn new(method: Method) -> Self {
        Training {
            method,
            iterations: 200,
            learning_rate: 0.05,
        }
    }

    /// The number of Adam iterations.
    pub fn iterations(mut self, n: usize) -> Self {
        self.iterations = n;
        self
    }

    /// Adam's learning rate.
    pub fn learning_rate(mut self, rate: f64) -> Self {
        self.learning_rate = rate;
        self
    }

    /// Evaluations of a mixture's score per iteration and sample (θ of `parameters` values),
    /// as measured by `examples/work_costs.rs`: score matching's exact gradient costs about 20;
    /// DSM's central differences 2 per parameter; CD about 8 per MALA step (score and
    /// log-density at the proposal, ordinary scores of data and chains).
    fn evaluations_per_sample(&self, parameters: usize) -> f64 {
        match self.method {
            Method::ScoreMatching => 20.0,
            Method::DenoisingScoreMatching { .. } => 2.0 * parameters as f64 + 2.0,
            Method::ContrastiveDivergence { k, .. }
            | Method::PersistentContrastiveDivergence { k, .. } => 8.0 * k as f64 + 20.0,
        }
    }

    /// Fits θ to `data` from the mixture `start` (which fixes the number of components).
    ///
    /// A fit whose θ moved less than its own noise returns with a [`FitWarning`] in
    /// [`LearningCurve::warnings`].
    ///
    /// # Errors
    /// [`LearnError::EmptySamples`] for no data, [`LearnError::DimensionMismatch`] if data and
    /// start differ in dimension, [`LearnError::InvalidNoise`] for σ outside
    /// [`NOISE_RANGE`](crate::learn::NOISE_RANGE), [`LearnError::NoiseBelowRounding`] for σ too
    /// small to change the data, [`LearnError::InvalidParameter`] for a non-positive learning
    /// rate, CD step or k, [`LearnError::Mixture`] if θ leaves the valid mixtures,
    /// [`LearnError::Sampler`] if a chain diverges, [`LearnError::Limit`] for iterations
    /// outside [`limits::ITERATIONS`], CD's k outside [`limits::CD_STEPS`], a learning curve
    /// (θ after every iteration) over the memory budget, or iterations × samples over the
    /// [work budget](limits::work_budget); [`LearnError::NonFiniteResult`] when the data's
    /// log-likelihood under the start, or after a step (a learning rate far too large), is
    /// beyond f64's range.
    pub fn fit(
        &self,
        data: &Particles,
        start: &GaussianMixture,
        seed: u64,
    ) -> Result<LearningCurve, LearnError> {
        if data.is_empty() {
            return Err(LearnError::EmptySamples);
        }
        if data.dim() != start.dim() {
            return Err(LearnError::DimensionMismatch {
                expected: start.dim(),
                found: data.dim(),
            });
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return Err(LearnError::InvalidParameter {
                name: "learning rate",
                value: self.learning_rate,
                reason: "must be finite and > 0",
            });
        }
        limits::ITERATIONS.check(self.iterations)?;
        let mut theta = MixtureParameters::of(start);
        let kept = self.iterations + 1;
        let each = std::mem::size_of::<MixtureParameters>()
            + std::mem::size_of::<f64>()
                * (theta.logits.len() + theta.means.len() + theta.cholesky.len());
        let advice = "take fewer iterations";
        limits::check_bytes("learning curve", kept.saturating_mul(each), advice)?;
        let mut parameters = limits::reserve("learning curve", kept, advice)?;
        parameters.push(theta.clone());
        let mut adam = Adam::new(theta.len(), self.learning_rate);
        let mut curve = LearningCurve {
            method: self.method,
            parameters,
            log_likelihood: vec![mean_log_likelihood(start, data).ok_or(
                LearnError::NonFiniteResult {
                    what: "data's mean log-likelihood under the start",
                    advice: "the data lie too far from the start mixture: start nearer them",
                },
            )?],
            model_samples: 0,
            warnings: Vec::new(),
        };
        let objective = Objective::new(self.method, data, seed)?;
        let per_sample = self.evaluations_per_sample(theta.len()) * start.evaluation_cost();
        limits::check_work(
            "fit",
            self.iterations as f64 * data.len() as f64 * per_sample,
            "take fewer iterations or samples",
        )?;
        let mut chains = data.clone();
        let mut accepted = (0.0, 0usize);
        let mut progress = Progress::new("fit", "iterations", self.iterations as u64);
        for iteration in 0..self.iterations {
            progress.update(iteration as u64);
            let model = theta.to_mixture()?;
            let ascent = match self.method {
                Method::ContrastiveDivergence { k, step }
                | Method::PersistentContrastiveDivergence { k, step } => {
                    let from = match self.method {
                        Method::ContrastiveDivergence { .. } => data,
                        _ => &chains,
                    };
                    let run_seed = stream_key(seed, Purpose::Run, iteration);
                    let snaps = Mala::new(step)?.run_ensemble(&model, from, k, &[k], run_seed)?;
                    chains = snaps.last().cloned().unwrap_or_else(|| from.clone());
                    if let Some(rate) = snaps.acceptance_rate() {
                        accepted = (accepted.0 + rate, accepted.1 + 1);
                    }
                    curve.model_samples += chains.len() * k;
                    let positive = mean_unnormalized_score(&model, data);
                    let negative = mean_unnormalized_score(&model, &chains);
                    positive.iter().zip(&negative).map(|(p, n)| p - n).collect()
                }
                _ => objective.descent_direction(&theta)?,
            };
            // The rate decays linearly to a tenth, so stochastic (CD) gradients settle.
            let decay = 1.0 - 0.9 * iteration as f64 / self.iterations as f64;
            adam.ascend(&mut theta, &ascent, decay);
            let fitted = theta.to_mixture()?;
            let ll = mean_log_likelihood(&fitted, data).ok_or(LearnError::NonFiniteResult {
                what: "data's mean log-likelihood after a step",
                advice: "the step left every region near the data: use a smaller learning rate",
            })?;
            curve.log_likelihood.push(ll);
            curve.parameters.push(theta.clone());
        }
        progress.finish();
        let ll = &curve.log_likelihood;
        let ends = (ll[0], ll[ll.len() - 1]);
        let acceptance = (accepted.1 > 0).then(|| accepted.0 / accepted.1 as f64);
        curve.warnings.extend(FitWarning::check(
            self.method,
            data.len(),
            theta.len(),
            ends,
            acceptance,
        ));
        Ok(curve)
    }
}

impl std::fmt::Display for LearningCurve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ll = &self.log_likelihood;
        write!(
            f,
            "{}: {} iterations, mean log-likelihood of the data {:.4} → {:.4}",
            self.method.name(),
            ll.len() - 1,
            ll[0],
            ll[ll.len() - 1]
        )?;
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        Ok(())
    }
}

impl LearningCurve {
    /// The method that produced it.
    pub fn method(&self) -> Method {
        self.method
    }

    /// θ at iteration 0 (the start) … n.
    pub fn parameters(&self) -> &[MixtureParameters] {
        &self.parameters
    }

    /// The data's mean log-likelihood under θ at iteration 0 … n.
    pub fn log_likelihood(&self) -> &[f64] {
        &self.log_likelihood
    }

    /// What the result should not be trusted for (empty when nothing was noticed).
    pub fn warnings(&self) -> &[FitWarning] {
        &self.warnings
    }

    /// How many model samples (MALA steps times chains) the fit drew: 0 for score matching.
    pub fn model_samples(&self) -> usize {
        self.model_samples
    }

    /// The fitted mixture.
    ///
    /// # Errors
    /// [`LearnError::Mixture`] if the final θ is not a valid mixture (a fit that succeeded never
    /// ends there), [`LearnError::EmptyCurve`] for a curve without parameters (a fit always
    /// records at least its start).
    pub fn final_mixture(&self) -> Result<GaussianMixture, LearnError> {
        let last = self.parameters.last().ok_or(LearnError::EmptyCurve)?;
        Ok(last.to_mixture()?)
    }

    /// Coordinate `axis` of component `k`'s mean at every iteration.
    pub fn mean_path(&self, k: usize, axis: usize) -> Vec<f64> {
        self.parameters
            .iter()
            .map(|p| p.means.get(k * p.dim() + axis).copied().unwrap_or(f64::NAN))
            .collect()
    }

    /// Component `k`'s weight at every iteration.
    pub fn weight_path(&self, k: usize) -> Vec<f64> {
        self.parameters
            .iter()
            .map(|p| p.weights().get(k).copied().unwrap_or(f64::NAN))
            .collect()
    }
}

/// A score-matching objective on fixed data (and, for DSM, fixed noise draws).
enum Objective<'a> {
    None,
    ScoreMatching(&'a Particles),
    Denoising {
        sigma: f64,
        clean: &'a Particles,
        noisy: Vec<f64>,
    },
}

impl<'a> Objective<'a> {
    fn new(method: Method, data: &'a Particles, seed: u64) -> Result<Self, LearnError> {
        Ok(match method {
            Method::ScoreMatching => Objective::ScoreMatching(data),
            Method::DenoisingScoreMatching { sigma } => {
                let sigma = check_dsm_sigma(sigma, data.as_flat())?;
                Objective::Denoising {
                    sigma,
                    clean: data,
                    noisy: add_noise(data, sigma, seed)?,
                }
            }
            Method::ContrastiveDivergence { k, step }
            | Method::PersistentContrastiveDivergence { k, step } => {
                Mala::new(step)?;
                limits::CD_STEPS.check(k)?;
                Objective::None
            }
        })
    }

    /// The objective at θ (lower is better).
    fn value(&self, theta: &MixtureParameters) -> Result<f64, LearnError> {
        let model = theta.to_mixture()?;
        Ok(match self {
            Objective::None => 0.0,
            Objective::ScoreMatching(data) => {
                score_matching::objective_and_gradient(&model, data.as_flat()).0
            }
            Objective::Denoising {
                sigma,
                clean,
                noisy,
            } => {
                let perturbed = model.perturbed(*sigma)?;
                let d = clean.dim();
                let mut scores = vec![0.0; noisy.len()];
                // Lengths match by construction.
                let _ = perturbed.score_batch(noisy, &mut scores);
                let s2 = sigma * sigma;
                let total: f64 = scores
                    .iter()
                    .zip(noisy)
                    .zip(clean.as_flat())
                    .map(|((s, xt), x)| {
                        let r = s + (xt - x) / s2;
                        r * r
                    })
                    .sum();
                s2 * total / (noisy.len() / d) as f64
            }
        })
    }

    /// −∇J(θ): exact for score matching, by central differences for DSM.
    fn descent_direction(&self, theta: &MixtureParameters) -> Result<Vec<f64>, LearnError> {
        if let Objective::ScoreMatching(data) = self {
            let model = theta.to_mixture()?;
            let (_, grad) = score_matching::objective_and_gradient(&model, data.as_flat());
            return Ok(grad.iter().map(|g| -g).collect());
        }
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

/// The data's mean log-likelihood under `model`, if finite (−∞ when a point is beyond f64's
/// range of every component).
fn mean_log_likelihood(model: &GaussianMixture, data: &Particles) -> Option<f64> {
    let mut out = vec![0.0; data.len()];
    // Lengths match by construction.
    let _ = model.log_prob_batch(data.as_flat(), &mut out);
    let mean = out.iter().sum::<f64>() / out.len() as f64;
    mean.is_finite().then_some(mean)
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

/// Adam (Kingma & Ba) for gradient *ascent*, with its usual constants.
struct Adam {
    rate: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Adam {
    fn new(n: usize, rate: f64) -> Self {
        Adam {
            rate,
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
        }
    }

    fn ascend(&mut self, theta: &mut MixtureParameters, gradient: &[f64], decay: f64) {
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        self.t += 1;
        let mut values = theta.to_vec();
        for (i, g) in gradient.iter().enumerate() {
            self.m[i] = B1 * self.m[i] + (1.0 - B1) * g;
            self.v[i] = B2 * self.v[i] + (1.0 - B2) * g * g;
            let m = self.m[i] / (1.0 - B1.powi(self.t));
            let v = self.v[i] / (1.0 - B2.powi(self.t));
            values[i] += decay * self.rate * m / (v.sqrt() + 1e-8);
        }
        theta.set_from(&values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_without_parameters_has_no_final_mixture() {
        let curve = LearningCurve {
            method: Method::ScoreMatching,
            parameters: Vec::new(),
            log_likelihood: Vec::new(),
            model_samples: 0,
            warnings: Vec::new(),
        };
        assert_eq!(curve.final_mixture(), Err(LearnError::EmptyCurve));
    }
}
