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
//! - **Maximum likelihood** ([`Method::MaximumLikelihood`]) is the same ascent with the model
//!   term computed from the known $Z(\theta) = \sum_k e^{a_k}$: the reference CD is measured
//!   against.
//! - **Score matching** (Hyvärinen) minimises
//!   $J(\theta) = \mathbb E_{\text{data}}[\tfrac12\lVert s_\theta\rVert^2 + \nabla\cdot s_\theta]$ with the *Stein* score $s_\theta = \nabla_x \log p_\theta$; Z never enters
//!   and no model samples are drawn.
//! - **Denoising score matching** minimises $\mathbb E\,\sigma^2\lVert s_{\theta,\sigma}(\tilde x) +
//!   (\tilde x - x)/\sigma^2\rVert^2$, $\tilde x = x + \sigma z$, where $s_{\theta,\sigma}$ is the score of the
//!   model perturbed by σ (so its minimiser is the data's θ).
//!
//! Every method steps θ in the coordinates of [`MixtureParameters`] with an [`Optimizer`]
//! (Adam by default, or plain gradient ascent), the rate decaying linearly to a tenth. Hyvärinen's objective has an exact gradient in θ (one pass over the
//! data); the DSM objective is differentiated by central differences (it is closed-form in θ).
//! Each method is one objective type (`contrastive.rs`, `hyvarinen.rs`, `denoising.rs`), named
//! by a variant of [`Method`] (`method.rs`); the loop here, the optimisers (`optimizer.rs`,
//! `adam.rs`) and the checks are shared, and adding a method never touches them.

use super::adam::Adam;
use super::error::LearnError;
use super::fit_warning::FitWarning;
use super::method::{Method, objective};
use super::optimizer::{GradientAscent, Optimizer, UpdateRule};
use crate::limits;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::model::score::{Dimension, LogDensity, Score};
use crate::progress::Progress;
use crate::sample::ensemble::Particles;

/// A fitting run's settings: the method, the optimiser, the number of iterations and the
/// learning rate.
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
    optimizer: Optimizer,
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
    /// `method` with 200 Adam iterations at learning rate 0.05.
    pub fn new(method: Method) -> Self {
        Training {
            method,
            optimizer: Optimizer::Adam,
            iterations: 200,
            learning_rate: 0.05,
        }
    }

    /// How θ steps along the ascent direction ([`Optimizer::Adam`] by default).
    pub fn optimizer(mut self, optimizer: Optimizer) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// The number of iterations.
    pub fn iterations(mut self, n: usize) -> Self {
        self.iterations = n;
        self
    }

    /// The learning rate η of the optimiser.
    pub fn learning_rate(mut self, rate: f64) -> Self {
        self.learning_rate = rate;
        self
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
        let mut rule = update_rule(self.optimizer, theta.len(), self.learning_rate);
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
        let mut objective = objective(self.method, data, seed)?;
        let per_sample = objective.evaluations_per_sample(theta.len()) * start.evaluation_cost();
        limits::check_work(
            "fit",
            self.iterations as f64 * data.len() as f64 * per_sample,
            "take fewer iterations or samples",
        )?;
        let mut progress = Progress::new("fit", "iterations", self.iterations as u64);
        for iteration in 0..self.iterations {
            progress.update(iteration as u64);
            let model = theta.to_mixture()?;
            let ascent = objective.ascent(&theta, &model, iteration)?;
            // The rate decays linearly to a tenth, so stochastic (CD) gradients settle.
            let decay = 1.0 - 0.9 * iteration as f64 / self.iterations as f64;
            rule.ascend(&mut theta, &ascent, decay);
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
        let acceptance = objective.acceptance();
        curve.model_samples = objective.model_samples();
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

    /// The lowest mean log-likelihood of the data from iteration `from` on (NaN if the curve
    /// is shorter): how far a fit that swings falls after it first got close.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0])?;
    /// let data = Particles::sample(&truth, 300, 1)?;
    /// let fit = Training::new(Method::MaximumLikelihood).iterations(50).fit(&data, &truth, 2)?;
    /// let ll = fit.log_likelihood();
    /// assert_eq!(fit.lowest_log_likelihood(49), ll[49].min(ll[50]));
    /// assert!(fit.lowest_log_likelihood(51).is_nan());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lowest_log_likelihood(&self, from: usize) -> f64 {
        match self.log_likelihood.get(from..) {
            Some(tail) if !tail.is_empty() => tail.iter().copied().fold(f64::INFINITY, f64::min),
            _ => f64::NAN,
        }
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

/// The state of `optimizer`'s rule for θ of `n` values at learning rate `rate`.
fn update_rule(optimizer: Optimizer, n: usize, rate: f64) -> Box<dyn UpdateRule> {
    match optimizer {
        Optimizer::Adam => Box::new(Adam::new(n, rate)),
        Optimizer::GradientAscent => Box::new(GradientAscent { rate }),
    }
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

    #[test]
    fn a_far_too_large_gradient_step_is_a_typed_error() {
        let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0]).unwrap();
        let data = Particles::sample(&truth, 200, 1).unwrap();
        let fit = Training::new(Method::MaximumLikelihood)
            .optimizer(Optimizer::GradientAscent)
            .learning_rate(1e300)
            .iterations(5)
            .fit(&data, &truth, 2);
        assert!(
            matches!(
                fit,
                Err(LearnError::NonFiniteResult { .. } | LearnError::Mixture(_))
            ),
            "{fit:?}"
        );
    }

    #[test]
    fn a_gradient_step_scales_with_the_gradient_and_adams_does_not() {
        let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0]).unwrap();
        let n = MixtureParameters::of(&gm).len();
        let step = |optimizer: Optimizer, scale: f64| {
            let mut t = MixtureParameters::of(&gm);
            let before = t.to_vec();
            update_rule(optimizer, n, 0.1).ascend(&mut t, &vec![scale; n], 1.0);
            t.to_vec()[0] - before[0]
        };
        let plain = (
            step(Optimizer::GradientAscent, 1e-3),
            step(Optimizer::GradientAscent, 1.0),
        );
        assert!((plain.1 / plain.0 - 1000.0).abs() < 1e-6, "{plain:?}");
        // Adam's first step is rate · sign(g), up to its ε.
        let adam = (step(Optimizer::Adam, 1e-3), step(Optimizer::Adam, 1.0));
        assert!(
            (adam.0 - 0.1).abs() < 1e-5 && (adam.1 - 0.1).abs() < 1e-9,
            "{adam:?}"
        );
    }
}
