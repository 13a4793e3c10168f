//! What one fitting method contributes to [`Training`](crate::learn::Training): the direction
//! θ moves in at each iteration. The optimiser loop, the learning curve and the checks are
//! shared; a method is one type implementing [`Objective`].

use super::error::LearnError;
use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;

/// Points per parallel task when an objective is summed over the data (fixed, so sums do not
/// depend on the thread count).
pub(crate) const CHUNK: usize = 128;

/// A fitting method's objective over θ, on data fixed when it is made.
pub(crate) trait Objective {
    /// The direction that improves the fit at θ (`model` is θ's mixture) in iteration
    /// `iteration` (from 0): the gradient of the log-likelihood, or minus the gradient of a
    /// loss.
    fn ascent(
        &mut self,
        theta: &MixtureParameters,
        model: &GaussianMixture,
        iteration: usize,
    ) -> Result<Vec<f64>, LearnError>;

    /// Evaluations of a mixture's score per iteration and sample, for θ of `parameters` values,
    /// as measured by `examples/work_costs.rs`: what the work budget is checked with.
    fn evaluations_per_sample(&self, parameters: usize) -> f64;

    /// Model samples drawn so far (MALA steps times chains): 0 unless the method samples.
    fn model_samples(&self) -> usize {
        0
    }

    /// The mean MALA acceptance rate so far, for methods that sample.
    fn acceptance(&self) -> Option<f64> {
        None
    }
}
