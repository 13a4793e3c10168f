//! The optimisers of [`Training`](crate::learn::Training): how θ moves along an ascent direction.
//!
//! [`Optimizer`] names the choice; each rule lives in one place: plain gradient ascent here,
//! Adam in `adam.rs`.

use super::adam::Adam;
use crate::model::parameter_score::MixtureParameters;

/// How a fit steps θ along its ascent direction $g_t$ (η = the learning rate, $d_t$ = the decay
/// of the rate, from 1 at the first iteration linearly down to a tenth).
///
/// ```
/// use scorelab::prelude::*;
/// let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0])?;
/// let start = GaussianMixture::new_1d(&[0.5, 0.5], &[-4.0, 4.0], &[1.0, 1.0])?;
/// let data = Particles::sample(&truth, 400, 1)?;
/// let fit = Training::new(Method::MaximumLikelihood)
///     .optimizer(Optimizer::GradientAscent)
///     .learning_rate(0.5)
///     .fit(&data, &start, 2)?;
/// let w0 = fit.final_mixture()?.weights()[0];
/// assert!((w0 - 0.2).abs() < 0.05, "w₀ = {w0}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Optimizer {
    /// Adam (Kingma & Ba): $m_t$, $v_t$ running means of $g$ and $g^2$ (rates 0.9, 0.999, bias
    /// corrected), $\theta \leftarrow \theta + d_t\,\eta\,\hat m_t/(\sqrt{\hat v_t} + 10^{-8})$.
    /// The step's size does not depend on the gradient's scale: a steady sign moves θ by about
    /// $d_t\eta$ per iteration however small $g$ is.
    #[default]
    Adam,
    /// Plain gradient ascent, $\theta \leftarrow \theta + d_t\,\eta\,g_t$: the step is
    /// proportional to the gradient, so a gradient a thousand times too small moves θ a
    /// thousand times too slowly.
    GradientAscent,
}

impl Optimizer {
    /// The rule's state for θ of `n` values at learning rate `rate`.
    pub(crate) fn rule(self, n: usize, rate: f64) -> Box<dyn UpdateRule> {
        match self {
            Optimizer::Adam => Box::new(Adam::new(n, rate)),
            Optimizer::GradientAscent => Box::new(GradientAscent { rate }),
        }
    }

    /// A short name for tables and captions.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// assert_eq!(Optimizer::GradientAscent.name(), "gradient ascent");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Adam => "Adam",
            Optimizer::GradientAscent => "gradient ascent",
        }
    }
}

/// A rule that moves θ along an ascent direction.
pub(crate) trait UpdateRule {
    /// Moves θ along `ascent`, with the step scaled by `decay` (1 at the start).
    fn ascend(&mut self, theta: &mut MixtureParameters, ascent: &[f64], decay: f64);
}

/// Plain gradient ascent: θ ← θ + decay · rate · g.
pub(crate) struct GradientAscent {
    rate: f64,
}

impl UpdateRule for GradientAscent {
    fn ascend(&mut self, theta: &mut MixtureParameters, gradient: &[f64], decay: f64) {
        let mut values = theta.to_vec();
        for (v, g) in values.iter_mut().zip(gradient) {
            *v += decay * self.rate * g;
        }
        theta.set_from(&values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;

    fn theta() -> MixtureParameters {
        let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0]).unwrap();
        MixtureParameters::of(&gm)
    }

    #[test]
    fn one_gradient_step_is_theta_plus_rate_times_gradient() {
        let mut t = theta();
        let before = t.to_vec();
        let g: Vec<f64> = (0..before.len()).map(|i| 0.1 * i as f64 - 0.25).collect();
        let mut rule = Optimizer::GradientAscent.rule(before.len(), 0.3);
        rule.ascend(&mut t, &g, 1.0);
        let after = t.to_vec();
        for i in 0..before.len() {
            assert_eq!(after[i], before[i] + 0.3 * g[i]);
        }
        // A second step with the rate decayed to a half: no memory of the first.
        rule.ascend(&mut t, &g, 0.5);
        let twice = t.to_vec();
        for i in 0..before.len() {
            assert_eq!(twice[i], after[i] + 0.5 * 0.3 * g[i]);
        }
    }

    #[test]
    fn a_gradient_step_scales_with_the_gradient_and_adams_does_not() {
        let n = theta().to_vec().len();
        let step = |optimizer: Optimizer, scale: f64| {
            let mut t = theta();
            let before = t.to_vec();
            let mut rule = optimizer.rule(n, 0.1);
            rule.ascend(&mut t, &vec![scale; n], 1.0);
            t.to_vec()[0] - before[0]
        };
        let (small, large) = (
            step(Optimizer::GradientAscent, 1e-3),
            step(Optimizer::GradientAscent, 1.0),
        );
        assert!((large / small - 1000.0).abs() < 1e-6, "{large} / {small}");
        // Adam's first step is rate · sign(g), up to its ε.
        let (small, large) = (step(Optimizer::Adam, 1e-3), step(Optimizer::Adam, 1.0));
        assert!(
            (small - 0.1).abs() < 1e-5 && (large - 0.1).abs() < 1e-9,
            "{small}, {large}"
        );
    }

    #[test]
    fn adam_is_the_default() {
        assert_eq!(Optimizer::default(), Optimizer::Adam);
    }
}
