//! Tweedie's formula: denoising with a score.

use super::error::{LearnError, check_sigma};
use crate::model::score::Score;
use crate::sample::ensemble::Particles;

/// The posterior mean $\mathbb E[x \mid \tilde x] = \tilde x + \sigma^2 \nabla\log p_\sigma(\tilde x)$
/// for every noisy point $\tilde x = x + \sigma z$, given the score of $p_\sigma$ (exact: the data
/// mixture's [`perturbed`](crate::GaussianMixture::perturbed) σ; or a learned one).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// // For N(0, 1) + N(0, σ²): E[x | x̃] = x̃ / (1 + σ²).
/// let noisy = Particles::from_flat(1, vec![2.0])?;
/// let clean = scorelab::learn::tweedie(&gm.perturbed(1.0)?, 1.0, &noisy)?;
/// assert!((clean.point(0).unwrap()[0] - 1.0).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`LearnError::InvalidNoise`] for σ outside [`NOISE_RANGE`](crate::learn::NOISE_RANGE),
/// [`LearnError::DimensionMismatch`] if the points and the score differ in dimension,
/// [`LearnError::NonFiniteResult`] if x̃ + σ²s(x̃) overflows (a score not of p_σ).
pub fn tweedie<S: Score + ?Sized>(
    score_of_noisy: &S,
    sigma: f64,
    noisy: &Particles,
) -> Result<Particles, LearnError> {
    let sigma = check_sigma(sigma)?;
    if noisy.dim() != score_of_noisy.dim() {
        return Err(LearnError::DimensionMismatch {
            expected: score_of_noisy.dim(),
            found: noisy.dim(),
        });
    }
    let mut scores = vec![0.0; noisy.as_flat().len()];
    // Lengths match by construction.
    let _ = score_of_noisy.score_batch(noisy.as_flat(), &mut scores);
    let s2 = sigma * sigma;
    let denoised: Vec<f64> = noisy
        .as_flat()
        .iter()
        .zip(&scores)
        .map(|(x, s)| x + s2 * s)
        .collect();
    if denoised.iter().any(|v| !v.is_finite()) {
        return Err(LearnError::NonFiniteResult {
            what: "denoised points x̃ + σ²s(x̃)",
            advice: "pass the score of the data perturbed by the same σ, whose size is about \
                     |x̃|/σ², or a smaller σ",
        });
    }
    Ok(Particles::from_flat(noisy.dim(), denoised)?)
}
