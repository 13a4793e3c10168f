//! What can go wrong when fitting a score from samples.

use crate::analysis::diagnostic_error::DiagnosticError;
use crate::error::{MixtureError, SamplerError};
use crate::limits::LimitError;
use crate::model::diffusion::DiffusionError;

/// Why a fit could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum LearnError {
    /// No samples were given.
    EmptySamples,
    /// Fewer samples than the fit has unknowns per output.
    TooFewSamples {
        /// Samples given.
        found: usize,
        /// Samples needed (at least the number of features).
        needed: usize,
    },
    /// A noise level σ outside [`NOISE_RANGE`] (NaN, 0 and ∞ included).
    InvalidNoise {
        /// The σ given.
        sigma: f64,
    },
    /// A noise level σ so small next to the data that x + σz rounds to x: the noisy samples
    /// would be the clean ones and the denoising target rounding noise.
    NoiseBelowRounding {
        /// The σ given.
        sigma: f64,
        /// The smallest σ of which at least 10 bits survive the addition to the largest |x|.
        smallest: f64,
    },
    /// A result overflowed.
    NonFiniteResult {
        /// What overflowed.
        what: &'static str,
        /// How to avoid it.
        advice: &'static str,
    },
    /// Samples, model and features disagree in dimension.
    DimensionMismatch {
        /// The model's dimension.
        expected: usize,
        /// The dimension given.
        found: usize,
    },
    /// Another parameter is out of range.
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must satisfy.
        reason: &'static str,
    },
    /// The fit's normal equations are singular (raise the ridge).
    Singular,
    /// The parameters left the set of valid mixtures (lower the learning rate).
    Mixture(MixtureError),
    /// The model's Langevin chains failed.
    Sampler(SamplerError),
    /// A diffusion time or schedule is invalid.
    Diffusion(DiffusionError),
    /// A distance between samples could not be measured.
    Diagnostic(DiagnosticError),
    /// A size is out of range or over the memory budget.
    Limit(LimitError),
}

impl std::fmt::Display for LearnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LearnError::EmptySamples => write!(f, "no samples given; a fit needs data"),
            LearnError::TooFewSamples { found, needed } => write!(
                f,
                "{found} samples for {needed} features; give at least {needed}"
            ),
            LearnError::InvalidNoise { sigma } => write!(
                f,
                "noise level σ = {sigma}: must be within {:e}..={:e} (σ² neither 0 nor ∞)",
                NOISE_RANGE.0, NOISE_RANGE.1
            ),
            LearnError::NoiseBelowRounding { sigma, smallest } => write!(
                f,
                "noise level σ = {sigma} is lost in the rounding of the data: x + σz equals x; \
                 use σ ≥ {smallest:.1e}, best comparable to the data's spread"
            ),
            LearnError::NonFiniteResult { what, advice } => {
                write!(f, "the {what} overflowed; {advice}")
            }
            LearnError::DimensionMismatch { expected, found } => {
                write!(
                    f,
                    "dimension {found} given, the model has dimension {expected}"
                )
            }
            LearnError::InvalidParameter {
                name,
                value,
                reason,
            } => write!(f, "{name} = {value}: {reason}"),
            LearnError::Singular => write!(
                f,
                "the least-squares system is singular; use a larger ridge"
            ),
            LearnError::Mixture(e) => write!(f, "fit left the valid mixtures: {e}"),
            LearnError::Sampler(e) => e.fmt(f),
            LearnError::Diffusion(e) => e.fmt(f),
            LearnError::Diagnostic(e) => e.fmt(f),
            LearnError::Limit(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LearnError {}

impl From<MixtureError> for LearnError {
    fn from(e: MixtureError) -> Self {
        LearnError::Mixture(e)
    }
}

impl From<SamplerError> for LearnError {
    fn from(e: SamplerError) -> Self {
        LearnError::Sampler(e)
    }
}

impl From<LimitError> for LearnError {
    fn from(e: LimitError) -> Self {
        LearnError::Limit(e)
    }
}

impl From<DiagnosticError> for LearnError {
    fn from(e: DiagnosticError) -> Self {
        LearnError::Diagnostic(e)
    }
}

impl From<DiffusionError> for LearnError {
    fn from(e: DiffusionError) -> Self {
        LearnError::Diffusion(e)
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
