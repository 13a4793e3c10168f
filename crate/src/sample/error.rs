//! Why a sampler was rejected or stopped.

use thiserror::Error;

use crate::limits::LimitError;
use crate::sample::divergence::DivergenceTrigger;

/// Why a sampler was rejected at construction or stopped while running.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SamplerError {
    /// The step size ε is zero, negative or not finite.
    #[error("invalid step size {step}: must be finite and > 0")]
    InvalidStepSize {
        /// The step size given.
        step: f64,
    },
    /// The starting point does not have the target's dimension.
    #[error("starting point has dimension {found}, the target has dimension {expected}")]
    DimensionMismatch {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// The starting point has a NaN or infinite coordinate.
    #[error("starting point has a NaN or infinite coordinate")]
    NonFiniteStart,
    /// A parameter other than the step size is out of range.
    #[error("invalid {name} {value}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is required.
        reason: &'static str,
    },
    /// Iteration `step` produced a NaN or infinite state, or one beyond
    /// [`DIVERGENCE_BOUND`](crate::DIVERGENCE_BOUND): the step size is too large for this target
    /// (for ULA on N(μ, σ²), any ε ≥ 2σ² diverges).
    #[error(
        "Langevin dynamics diverged at step {step} with step size {step_size}: \
         the state {trigger}; use a smaller step size"
    )]
    Diverged {
        /// The earliest step at which a state diverged.
        step: usize,
        /// The step size in use.
        step_size: f64,
        /// Which rule fired (non-finite wins if both fired at that step).
        trigger: DivergenceTrigger,
    },
    /// A size is out of range or its buffer is over the memory budget.
    #[error(transparent)]
    Limit(#[from] LimitError),
}
