//! What can go wrong when fitting a score from samples.

use crate::analysis::diagnostic_error::DiagnosticError;
use crate::limits::LimitError;
use crate::model::diffusion::DiffusionError;
use crate::model::error::MixtureError;
use crate::sample::error::SamplerError;

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LearnError {
    /// No samples were given.
    #[error("no samples given; a fit needs data")]
    EmptySamples,
    /// A learning curve holds no parameters, so it has no final mixture.
    #[error("the learning curve holds no parameters; it has no final mixture")]
    EmptyCurve,
    /// Fewer samples than the fit has unknowns per output.
    #[error("{found} samples for {needed} features; give at least {needed}")]
    TooFewSamples {
        /// Samples given.
        found: usize,
        /// Samples needed (at least the number of features).
        needed: usize,
    },
    /// A noise level σ outside [`NOISE_RANGE`] (NaN, 0 and ∞ included).
    #[error(
        "noise level σ = {sigma}: must be within {:e}..={:e} (σ² neither 0 nor ∞)",
        NOISE_RANGE.0,
        NOISE_RANGE.1
    )]
    InvalidNoise {
        /// The σ given.
        sigma: f64,
    },
    /// A noise level σ so small next to the data that x + σz rounds to x: the noisy samples
    /// would be the clean ones and the denoising target rounding noise.
    #[error(
        "noise level σ = {sigma} is lost in the rounding of the data: x + σz equals x; \
         use σ ≥ {smallest:.1e}, best comparable to the data's spread"
    )]
    NoiseBelowRounding {
        /// The σ given.
        sigma: f64,
        /// The smallest σ of which at least 10 bits survive the addition to the largest |x|.
        smallest: f64,
    },
    /// A result overflowed.
    #[error("the {what} overflowed; {advice}")]
    NonFiniteResult {
        /// What overflowed.
        what: &'static str,
        /// How to avoid it.
        advice: &'static str,
    },
    /// Samples, model and features disagree in dimension.
    #[error("dimension {found} given, the model has dimension {expected}")]
    DimensionMismatch {
        /// The model's dimension.
        expected: usize,
        /// The dimension given.
        found: usize,
    },
    /// Another parameter is out of range.
    #[error("{name} = {value}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must satisfy.
        reason: &'static str,
    },
    /// The fit's normal equations are singular (raise the ridge).
    #[error("the least-squares system is singular; use a larger ridge")]
    Singular,
    /// The parameters left the set of valid mixtures (lower the learning rate); the message
    /// ends with the mixture's own error.
    #[error("the fit left the valid mixtures; use a smaller learning rate ({0})")]
    Mixture(MixtureError),
    /// The model's Langevin chains failed.
    #[error(transparent)]
    Sampler(#[from] SamplerError),
    /// A diffusion time or schedule is invalid.
    #[error(transparent)]
    Diffusion(#[from] DiffusionError),
    /// A distance between samples could not be measured.
    #[error(transparent)]
    Diagnostic(#[from] DiagnosticError),
    /// A size is out of range or over the memory budget.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl From<MixtureError> for LearnError {
    fn from(e: MixtureError) -> Self {
        LearnError::Mixture(e)
    }
}

/// The noise levels σ a fit or a denoiser takes: σ² and 1/σ² stay normal, finite numbers.
pub const NOISE_RANGE: (f64, f64) = (1e-150, 1e150);

/// Checks σ within [`NOISE_RANGE`].
pub(crate) fn check_sigma(sigma: f64) -> Result<f64, LearnError> {
    if (NOISE_RANGE.0..=NOISE_RANGE.1).contains(&sigma) {
        Ok(sigma)
    } else {
        Err(LearnError::InvalidNoise { sigma })
    }
}

/// Checks σ for denoising score matching on `data`: within [`NOISE_RANGE`], and large enough
/// that x + σz is not x. With |x| up to X, the sum keeps the bits of σz above X·2⁻⁵²; requiring
/// σ ≥ 2¹⁰·2⁻⁵²·X keeps at least 10 of them, so the target (x̃ − x)/σ² is the noise, not
/// rounding.
pub(crate) fn check_dsm_sigma(sigma: f64, data: &[f64]) -> Result<f64, LearnError> {
    let sigma = check_sigma(sigma)?;
    let largest = data.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    let smallest = 1024.0 * f64::EPSILON * largest;
    if sigma < smallest {
        return Err(LearnError::NoiseBelowRounding { sigma, smallest });
    }
    Ok(sigma)
}
