//! [`MeanOrdinaryScore`]: the ordinary score $\nabla_\theta \log p_\theta$ averaged over data,
//! the gradient of the average log-likelihood.

use super::error::StudyError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::ensemble::Particles;
use crate::sample::error::SamplerError;

/// $\frac1n\sum_i \nabla_\theta \log p_\theta(x_i) = \nabla_\theta\,\frac1n\sum_i \log p_\theta(x_i)$:
/// the gradient of the average log-likelihood of the data, in the coordinates of
/// [`MixtureParameters`](crate::MixtureParameters). It is 0 at the maximum-likelihood fit; for
/// data drawn from $p_\theta$ itself it is near 0, since $\mathbb E_{p_\theta}[\nabla_\theta \log
/// p_\theta] = \int \nabla_\theta p_\theta = \nabla_\theta 1 = 0$.
#[derive(Debug, Clone, PartialEq)]
pub struct MeanOrdinaryScore {
    /// Mean of ∂ log p / ∂aₖ = rₖ − wₖ, one per component (softmax logits aₖ).
    pub logits: Vec<f64>,
    /// Mean of ∇_μₖ log p = rₖ Σₖ⁻¹(x − μₖ), K × d.
    pub means: Vec<f64>,
    /// Mean of ∂ log p / ∂(Lₖ)ᵢⱼ, K × d × d (in 1-D, Lₖ = σₖ).
    pub cholesky: Vec<f64>,
}

/// The ordinary score of `model` averaged over the points of `data`.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
/// let data = Particles::sample(&gm, 20_000, 1)?;
/// let at_truth = scorelab::studies::mean_ordinary_score(&gm, &data)?;
/// assert!(at_truth.means.iter().all(|g| g.abs() < 0.03));
/// // Mean 1 moved from −2 to −1.5: the gradient points back, towards −2.
/// let moved = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.5, 2.0], &[1.0, 1.0])?;
/// assert!(scorelab::studies::mean_ordinary_score(&moved, &data)?.means[0] < -0.1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StudyError::Sampler`] if the data do not have the model's dimension,
/// [`StudyError::InvalidParameter`] if there are no data.
pub fn mean_ordinary_score(
    model: &GaussianMixture,
    data: &Particles,
) -> Result<MeanOrdinaryScore, StudyError> {
    if data.dim() != model.dim() {
        return Err(SamplerError::DimensionMismatch {
            expected: model.dim(),
            found: data.dim(),
        }
        .into());
    }
    if data.is_empty() {
        return Err(StudyError::InvalidParameter {
            name: "data",
            value: 0.0,
            reason: "an average needs at least one point",
        });
    }
    let mut sum: Option<MeanOrdinaryScore> = None;
    for x in data.points() {
        let g = model.parameter_score(x);
        match &mut sum {
            None => {
                sum = Some(MeanOrdinaryScore {
                    logits: g.logits,
                    means: g.means,
                    cholesky: g.cholesky,
                })
            }
            Some(s) => {
                let pairs = [
                    (&mut s.logits, &g.logits),
                    (&mut s.means, &g.means),
                    (&mut s.cholesky, &g.cholesky),
                ];
                for (acc, v) in pairs {
                    acc.iter_mut().zip(v).for_each(|(a, b)| *a += b);
                }
            }
        }
    }
    let n = data.len() as f64;
    let mut mean = sum.unwrap_or(MeanOrdinaryScore {
        logits: Vec::new(),
        means: Vec::new(),
        cholesky: Vec::new(),
    });
    for v in [&mut mean.logits, &mut mean.means, &mut mean.cholesky] {
        v.iter_mut().for_each(|a| *a /= n);
    }
    Ok(mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_is_the_gradient_of_the_average_log_likelihood() {
        use crate::model::score::LogDensity;
        let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-1.0, 2.0], &[0.5, 1.5]).unwrap();
        let data = Particles::sample(&gm, 500, 4).unwrap();
        let avg_loglik = |m: &GaussianMixture| {
            data.points().map(|x| m.log_prob(x)).sum::<f64>() / data.len() as f64
        };
        let g = mean_ordinary_score(&gm, &data).unwrap();
        let h = 1e-5;
        let up = GaussianMixture::new_1d(&[0.3, 0.7], &[-1.0 + h, 2.0], &[0.5, 1.5]).unwrap();
        let down = GaussianMixture::new_1d(&[0.3, 0.7], &[-1.0 - h, 2.0], &[0.5, 1.5]).unwrap();
        let numeric = (avg_loglik(&up) - avg_loglik(&down)) / (2.0 * h);
        assert!(
            (g.means[0] - numeric).abs() < 1e-7,
            "{} vs {numeric}",
            g.means[0]
        );
    }

    #[test]
    fn data_of_another_dimension_are_refused() {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let data = Particles::uniform(-1.0..=1.0).dim(2).draw(10, 1).unwrap();
        let err = mean_ordinary_score(&gm, &data).unwrap_err();
        assert!(matches!(err, StudyError::Sampler(_)), "{err}");
    }
}
