//! Typed errors. Constructors validate; evaluation never fails.

use std::fmt;

use crate::limits::LimitError;
pub use crate::sample::divergence::DivergenceTrigger;
pub use crate::sample::error::SamplerError;

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

/// Why a diagnostic (a distance between samples and a target) could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum DiagnosticError {
    /// There are no samples, or fewer than a statistic needs.
    TooFewSamples {
        /// What is required.
        needed: usize,
        /// What was given.
        found: usize,
    },
    /// A sample is NaN or infinite.
    NonFiniteSample {
        /// Its index.
        index: usize,
    },
    /// A grid is not strictly increasing and finite at `index`.
    GridNotIncreasing {
        /// The first offending index.
        index: usize,
    },
    /// Two inputs that go together have different lengths.
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A density value is negative or not finite, or the density has no mass.
    InvalidDensity {
        /// What is wrong.
        reason: &'static str,
    },
    /// A parameter is out of range.
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is required.
        reason: &'static str,
    },
    /// Two point sets (or a point set and a mixture) have different dimensions.
    DimensionMismatch {
        /// The dimension required.
        expected: usize,
        /// The dimension given.
        found: usize,
    },
    /// A CDF returned a value that is NaN or outside [0, 1].
    InvalidCdf {
        /// Where it was evaluated (a sample).
        x: f64,
        /// What it returned.
        value: f64,
    },
}

impl fmt::Display for DiagnosticError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DiagnosticError::*;
        match self {
            TooFewSamples { needed, found } => {
                write!(f, "{found} samples given, at least {needed} needed")
            }
            NonFiniteSample { index } => write!(f, "sample {index} is NaN or infinite"),
            GridNotIncreasing { index } => write!(
                f,
                "the grid must be finite and strictly increasing; it is not at index {index}"
            ),
            LengthMismatch {
                what,
                expected,
                found,
            } => write!(f, "{what} has length {found}, expected {expected}"),
            InvalidDensity { reason } => write!(f, "invalid density: {reason}"),
            InvalidParameter {
                name,
                value,
                reason,
            } => write!(f, "invalid {name} {value}: {reason}"),
            DimensionMismatch { expected, found } => write!(
                f,
                "points of dimension {found}, expected dimension {expected}"
            ),
            InvalidCdf { x, value } => {
                write!(f, "the CDF at x = {x} is {value}, not a value in [0, 1]")
            }
        }
    }
}

impl std::error::Error for DiagnosticError {}

/// Any error of a study ([`studies`](crate::studies)): bad mixture, sampler or diagnostic input.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyError {
    /// See [`MixtureError`].
    Mixture(MixtureError),
    /// See [`SamplerError`].
    Sampler(SamplerError),
    /// See [`DiagnosticError`].
    Diagnostic(DiagnosticError),
    /// The study needs a mixture of another dimension.
    WrongDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// The snapshots hold no recorded step.
    NoSnapshots,
}

impl fmt::Display for StudyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StudyError::Mixture(e) => e.fmt(f),
            StudyError::Sampler(e) => e.fmt(f),
            StudyError::Diagnostic(e) => e.fmt(f),
            StudyError::WrongDimension { expected, found } => write!(
                f,
                "this study needs a {expected}-D mixture, got dimension {found}"
            ),
            StudyError::NoSnapshots => write!(f, "the snapshots hold no recorded step"),
        }
    }
}

impl std::error::Error for StudyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StudyError::Mixture(e) => Some(e),
            StudyError::Sampler(e) => Some(e),
            StudyError::Diagnostic(e) => Some(e),
            _ => None,
        }
    }
}

impl From<MixtureError> for StudyError {
    fn from(e: MixtureError) -> Self {
        StudyError::Mixture(e)
    }
}

impl From<SamplerError> for StudyError {
    fn from(e: SamplerError) -> Self {
        StudyError::Sampler(e)
    }
}

impl From<DiagnosticError> for StudyError {
    fn from(e: DiagnosticError) -> Self {
        StudyError::Diagnostic(e)
    }
}

/// Why a figure could not be drawn or saved.
#[derive(Debug)]
pub enum PlotError {
    /// A plotting parameter is out of range (e.g. an empty axis range or a grid of 1 point).
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// What is required.
        reason: String,
    },
    /// The figure needs a density of another dimension.
    WrongDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
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
        /// Index of the frame, from 0.
        index: usize,
        /// The parameter value(s) of the frame, as shown on the slider.
        at: String,
        /// Why the frame failed.
        source: Box<PlotError>,
    },
    /// A size is out of range or its buffer is over the memory budget.
    Limit(LimitError),
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
            PlotError::Limit(err) => err.fmt(f),
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
            PlotError::Limit(err) => Some(err),
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

impl From<LimitError> for PlotError {
    fn from(err: LimitError) -> Self {
        PlotError::Limit(err)
    }
}

impl From<std::io::Error> for PlotError {
    fn from(err: std::io::Error) -> Self {
        PlotError::Io(err)
    }
}
