//! Hyvärinen's score matching as a fitting objective: minimise
//! $J(\theta) = \mathbb E_{\text{data}}[\tfrac12\lVert s_\theta\rVert^2 + \nabla\cdot s_\theta]$
//! with the *Stein* score $s_\theta = \nabla_x \log p_\theta$; Z never enters and no model
//! samples are drawn. Its gradient in θ is exact, one pass over the data.

use super::error::LearnError;
use super::objective::Objective;
use super::score_matching;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::sample::ensemble::Particles;

/// Hyvärinen's objective on fixed data.
pub(crate) struct ScoreMatching<'a> {
    data: &'a Particles,
}

impl<'a> ScoreMatching<'a> {
    pub(crate) fn new(data: &'a Particles) -> Self {
        ScoreMatching { data }
    }
}

impl Objective for ScoreMatching<'_> {
    /// −∇J(θ), exact.
    fn ascent(
        &mut self,
        _: &MixtureParameters,
        model: &GaussianMixture,
        _: usize,
    ) -> Result<Vec<f64>, LearnError> {
        let (_, grad) = score_matching::objective_and_gradient(model, self.data.as_flat());
        Ok(grad.iter().map(|g| -g).collect())
    }

    /// About 20 for the exact gradient.
    fn evaluations_per_sample(&self, _: usize) -> f64 {
        20.0
    }
}
