//! Typed errors. Constructors validate; evaluation never fails.

use std::fmt;

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
    NegativeWeight { component: usize, weight: f64 },
    /// A weight is NaN or infinite.
    NonFiniteWeight { component: usize, weight: f64 },
    /// The weights do not sum to 1 (within 1e-6).
    WeightsDoNotSumToOne { sum: f64 },
    /// The first mean has no coordinates.
    ZeroDimension,
    /// A mean or covariance does not have the dimension of the first mean.
    DimensionMismatch {
        component: usize,
        /// `"mean"` or `"covariance"`.
        what: &'static str,
        expected: usize,
        found: usize,
    },
    /// A mean has a NaN or infinite coordinate.
    NonFiniteMean { component: usize },
    /// A covariance has a NaN or infinite entry.
    NonFiniteCovariance { component: usize },
    /// A covariance differs from its transpose at `(row, col)`.
    CovarianceNotSymmetric {
        component: usize,
        row: usize,
        col: usize,
    },
    /// A covariance is symmetric but not positive definite.
    CovarianceNotPositiveDefinite { component: usize },
    /// A 1-D standard deviation is zero, negative or not finite.
    NonPositiveStd { component: usize, std: f64 },
}

impl fmt::Display for MixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MixtureError::*;
        write!(f, "invalid Gaussian mixture: ")?;
        match *self {
            Empty => write!(f, "no components given"),
            LengthMismatch { what, expected, found } => write!(
                f,
                "{expected} weights but {found} {what}; give one per component"
            ),
            NegativeWeight { component, weight } => {
                write!(f, "weight of component {component} is {weight}, must be >= 0")
            }
            NonFiniteWeight { component, weight } => {
                write!(f, "weight of component {component} is {weight}, must be finite")
            }
            WeightsDoNotSumToOne { sum } => write!(f, "weights sum to {sum}, must sum to 1"),
            ZeroDimension => write!(f, "means have no coordinates; dimension must be >= 1"),
            DimensionMismatch { component, what, expected, found } => write!(
                f,
                "{what} of component {component} has dimension {found}, expected {expected}"
            ),
            NonFiniteMean { component } => {
                write!(f, "mean of component {component} has a NaN or infinite coordinate")
            }
            NonFiniteCovariance { component } => {
                write!(f, "covariance of component {component} has a NaN or infinite entry")
            }
            CovarianceNotSymmetric { component, row, col } => write!(
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
        }
    }
}

impl std::error::Error for MixtureError {}

/// Why a sampler was rejected at construction or stopped while running.
#[derive(Debug, Clone, PartialEq)]
pub enum SamplerError {
    /// The step size ε is zero, negative or not finite.
    InvalidStepSize { step: f64 },
    /// The starting point does not have the target's dimension.
    DimensionMismatch { expected: usize, found: usize },
    /// The starting point has a NaN or infinite coordinate.
    NonFiniteStart,
    /// A parameter other than the step size is out of range.
    InvalidParameter {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
    /// Iteration `step` produced a NaN or infinite state: the step size is too large for
    /// this target (for ULA on N(μ, σ²), any ε ≥ 2σ² diverges).
    Diverged { step: usize, step_size: f64 },
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
            Diverged { step, step_size } => write!(
                f,
                "Langevin dynamics diverged at step {step} with step size {step_size}: \
                 the state became infinite or NaN; use a smaller step size"
            ),
        }
    }
}

impl std::error::Error for SamplerError {}

/// Why a figure could not be drawn or saved.
#[derive(Debug)]
pub enum PlotError {
    /// A plotting parameter is out of range (e.g. an empty axis range or a grid of 1 point).
    InvalidParameter { name: &'static str, reason: String },
    /// The figure needs a density of another dimension.
    WrongDimension { expected: usize, found: usize },
    /// The drawing backend failed.
    Drawing(String),
    /// Encoding or writing the image failed.
    Io(std::io::Error),
    /// A figure's mixture could not be built (e.g. inside a [`Sweep`](crate::Sweep) closure).
    Mixture(MixtureError),
    /// A figure's sampler failed (e.g. inside an [`Animation`](crate::Animation) closure).
    Sampler(SamplerError),
    /// Frame `index` of a [`Sweep`](crate::Sweep) or [`Animation`](crate::Animation), drawn
    /// for the parameter values `at` (e.g. `"mode separation = 1.5"`), failed.
    Frame {
        index: usize,
        at: String,
        source: Box<PlotError>,
    },
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::InvalidParameter { name, reason } => write!(f, "invalid {name}: {reason}"),
            PlotError::WrongDimension { expected, found } => write!(
                f,
                "this figure needs a density of dimension {expected}, got dimension {found}"
            ),
            PlotError::Drawing(msg) => write!(f, "drawing failed: {msg}"),
            PlotError::Io(err) => write!(f, "writing the image failed: {err}"),
            PlotError::Mixture(err) => err.fmt(f),
            PlotError::Sampler(err) => err.fmt(f),
            PlotError::Frame { index, at, source } => {
                write!(f, "frame {index} ({at}): {source}")
            }
        }
    }
}

impl std::error::Error for PlotError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlotError::Io(err) => Some(err),
            PlotError::Mixture(err) => Some(err),
            PlotError::Sampler(err) => Some(err),
            PlotError::Frame { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<MixtureError> for PlotError {
    fn from(err: MixtureError) -> Self {
        PlotError::Mixture(err)
    }
}

impl From<SamplerError> for PlotError {
    fn from(err: SamplerError) -> Self {
        PlotError::Sampler(err)
    }
}

impl From<std::io::Error> for PlotError {
    fn from(err: std::io::Error) -> Self {
        PlotError::Io(err)
    }
}
