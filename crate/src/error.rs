//! Typed errors. Constructors validate; evaluation never fails.

use std::fmt;

use crate::limits::LimitError;

/// Why a set of mixture parameters was rejected by [`GaussianMixture::new`](crate::GaussianMixture::new)
/// or [`GaussianMixture::new_1d`](crate::GaussianMixture::new_1d).
///
/// Components are numbered from 0, in the order they were given.
#[derive(Debug, Clone, PartialEq)]
pub enum MixtureError {
    /// No components were given.
    Empty,
    /// Two parameter lists that must have one entry per component differ in length.
    LengthMismatch {
        /// Name of the list that disagrees with `weights`.
        what: &'static str,
        /// Number of weights.
        expected: usize,
        /// Number of entries in `what`.
        found: usize,
    },
    /// A weight is below zero.
    NegativeWeight {
        /// Index of the offending component, from 0.
        component: usize,
        /// The weight given.
        weight: f64,
    },
    /// A weight is NaN or infinite.
    NonFiniteWeight {
        /// Index of the offending component, from 0.
        component: usize,
        /// The weight given.
        weight: f64,
    },
    /// The weights do not sum to 1 (within 1e-6).
    WeightsDoNotSumToOne {
        /// The sum of the weights given.
        sum: f64,
    },
    /// The first mean has no coordinates.
    ZeroDimension,
    /// A mean or covariance does not have the dimension of the first mean.
    DimensionMismatch {
        /// Index of the offending component, from 0.
        component: usize,
        /// `"mean"` or `"covariance"`.
        what: &'static str,
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// A mean has a NaN or infinite coordinate.
    NonFiniteMean {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A covariance has a NaN or infinite entry.
    NonFiniteCovariance {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A covariance differs from its transpose at `(row, col)`.
    CovarianceNotSymmetric {
        /// Index of the offending component, from 0.
        component: usize,
        /// Row of the differing entry.
        row: usize,
        /// Column of the differing entry.
        col: usize,
    },
    /// A covariance is symmetric but not positive definite.
    CovarianceNotPositiveDefinite {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A 1-D standard deviation is zero, negative or not finite.
    NonPositiveStd {
        /// Index of the offending component, from 0.
        component: usize,
        /// The standard deviation given.
        std: f64,
    },
    /// A noise level σ is negative or not finite.
    InvalidNoise {
        /// The noise level given.
        sigma: f64,
    },
}

impl fmt::Display for MixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MixtureError::*;
        write!(f, "invalid Gaussian mixture: ")?;
        match *self {
            Empty => write!(f, "no components given"),
            LengthMismatch {
                what,
                expected,
                found,
            } => write!(
                f,
                "{expected} weights but {found} {what}; give one per component"
            ),
            NegativeWeight { component, weight } => {
                write!(
                    f,
                    "weight of component {component} is {weight}, must be >= 0"
                )
            }
            NonFiniteWeight { component, weight } => {
                write!(
                    f,
                    "weight of component {component} is {weight}, must be finite"
                )
            }
            WeightsDoNotSumToOne { sum } => write!(f, "weights sum to {sum}, must sum to 1"),
            ZeroDimension => write!(f, "means have no coordinates; dimension must be >= 1"),
            DimensionMismatch {
                component,
                what,
                expected,
                found,
            } => write!(
                f,
                "{what} of component {component} has dimension {found}, expected {expected}"
            ),
            NonFiniteMean { component } => {
                write!(
                    f,
                    "mean of component {component} has a NaN or infinite coordinate"
                )
            }
            NonFiniteCovariance { component } => {
                write!(
                    f,
                    "covariance of component {component} has a NaN or infinite entry"
                )
            }
            CovarianceNotSymmetric {
                component,
                row,
                col,
            } => write!(
                f,
                "covariance of component {component} is not symmetric: entry ({row}, {col}) differs from ({col}, {row})"
            ),
            CovarianceNotPositiveDefinite { component } => write!(
                f,
                "covariance of component {component} is not positive definite"
            ),
            NonPositiveStd { component, std } => write!(
                f,
                "standard deviation of component {component} is {std}, must be finite and > 0"
            ),
            InvalidNoise { sigma } => write!(f, "noise level σ = {sigma}, must be finite and >= 0"),
        }
    }
}

impl std::error::Error for MixtureError {}

/// Why a sampler was rejected at construction or stopped while running.
#[derive(Debug, Clone, PartialEq)]
pub enum SamplerError {
    /// The step size ε is zero, negative or not finite.
    InvalidStepSize {
        /// The step size given.
        step: f64,
    },
    /// The starting point does not have the target's dimension.
    DimensionMismatch {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// The starting point has a NaN or infinite coordinate.
    NonFiniteStart,
    /// A parameter other than the step size is out of range.
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
    Diverged {
        /// The earliest step at which a state diverged.
        step: usize,
        /// The step size in use.
        step_size: f64,
        /// Which rule fired (non-finite wins if both fired at that step).
        trigger: DivergenceTrigger,
    },
    /// A size is out of range or its buffer is over the memory budget.
    Limit(LimitError),
}

/// Which divergence rule stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DivergenceTrigger {
    /// A coordinate became NaN or infinite.
    NonFinite,
    /// A coordinate exceeded [`DIVERGENCE_BOUND`](crate::DIVERGENCE_BOUND) in magnitude.
    Bound,
}

impl fmt::Display for SamplerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SamplerError::*;
        match *self {
            InvalidStepSize { step } => {
                write!(f, "invalid step size {step}: must be finite and > 0")
            }
            DimensionMismatch { expected, found } => write!(
                f,
                "starting point has dimension {found}, the target has dimension {expected}"
            ),
            NonFiniteStart => write!(f, "starting point has a NaN or infinite coordinate"),
            InvalidParameter {
                name,
                value,
                reason,
            } => {
                write!(f, "invalid {name} {value}: {reason}")
            }
            Diverged {
                step,
                step_size,
                trigger,
            } => {
                let what = match trigger {
                    DivergenceTrigger::NonFinite => "became infinite or NaN".to_string(),
                    DivergenceTrigger::Bound => {
                        format!("left |x| <= {:e}", crate::sample::rules::DIVERGENCE_BOUND)
                    }
                };
                write!(
                    f,
                    "Langevin dynamics diverged at step {step} with step size {step_size}: \
                     the state {what}; use a smaller step size"
                )
            }
            Limit(ref err) => err.fmt(f),
        }
    }
}

impl std::error::Error for SamplerError {}

impl From<LimitError> for SamplerError {
    fn from(err: LimitError) -> Self {
        SamplerError::Limit(err)
    }
}

/// Why a batch of points could not be evaluated: a flat buffer does not fit the dimension.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchError {
    /// The points buffer is not a whole number of points of dimension `dim` (or `dim` is 0).
    RaggedPoints {
        /// Length of the flat buffer given.
        len: usize,
        /// The dimension of a point.
        dim: usize,
    },
    /// An array of points does not have one column per coordinate.
    Columns {
        /// The dimension d.
        expected: usize,
        /// The number of columns given.
        found: usize,
    },
    /// The output buffer does not hold one value per point (log-densities) or d values per point
    /// (scores).
    OutputLength {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            BatchError::RaggedPoints { len, dim } => write!(
                f,
                "a buffer of {len} values is not a whole number of points of dimension {dim}"
            ),
            BatchError::Columns { expected, found } => write!(
                f,
                "the points have {found} columns, the density has dimension {expected}"
            ),
            BatchError::OutputLength { expected, found } => write!(
                f,
                "the output buffer has length {found}, expected {expected}"
            ),
        }
    }
}

impl std::error::Error for BatchError {}
