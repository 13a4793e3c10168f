//! What can go wrong when fitting a score from samples.

use crate::error::{DiagnosticError, MixtureError, SamplerError};
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
    /// A noise level σ that is not finite and > 0.
    InvalidNoise {
        /// The σ given.
        sigma: f64,
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
            LearnError::InvalidNoise { sigma } => {
                write!(f, "noise level σ = {sigma}, must be finite and > 0")
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

/// Checks σ > 0 and finite.
pub(crate) fn check_sigma(sigma: f64) -> Result<f64, LearnError> {
    if sigma > 0.0 && sigma.is_finite() {
        Ok(sigma)
    } else {
        Err(LearnError::InvalidNoise { sigma })
    }
}
