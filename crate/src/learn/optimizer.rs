//! The optimisers of [`Training`](crate::learn::Training): how θ moves along an ascent direction.
//!
//! [`Optimizer`] names the choice; each rule lives in one place: plain gradient ascent here,
//! Adam in `adam.rs` (`training.rs` builds the one chosen).

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
    pub(crate) rate: f64,
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
        let mut rule = GradientAscent { rate: 0.3 };
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
    fn adam_is_the_default() {
        assert_eq!(Optimizer::default(), Optimizer::Adam);
    }
}
