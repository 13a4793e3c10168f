//! [`DiagnosticError`]: why a distance between samples and a target could not be computed.

/// Why a diagnostic (a distance between samples and a target) could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DiagnosticError {
    /// There are no samples, or fewer than a statistic needs.
    #[error("{found} samples given, at least {needed} needed")]
    TooFewSamples {
        /// What is required.
        needed: usize,
        /// What was given.
        found: usize,
    },
    /// A sample is NaN or infinite.
    #[error("sample {index} is NaN or infinite")]
    NonFiniteSample {
        /// Its index.
        index: usize,
    },
    /// A grid is not strictly increasing and finite at `index`.
    #[error("the grid must be finite and strictly increasing; it is not at index {index}")]
    GridNotIncreasing {
        /// The first offending index.
        index: usize,
    },
    /// Two inputs that go together have different lengths.
    #[error("{what} has length {found}, expected {expected}")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// A density value is negative or not finite, or the density has no mass.
    #[error("invalid density: {reason}")]
    InvalidDensity {
        /// What is wrong.
        reason: &'static str,
    },
    /// A parameter is out of range.
    #[error("invalid {name} {value}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What is required.
        reason: &'static str,
    },
    /// Two point sets (or a point set and a mixture) have different dimensions.
    #[error("points of dimension {found}, expected dimension {expected}")]
    DimensionMismatch {
        /// The dimension required.
        expected: usize,
        /// The dimension given.
        found: usize,
    },
    /// A CDF returned a value that is NaN or outside [0, 1].
    #[error("the CDF at x = {x} is {value}, not a value in [0, 1]")]
    InvalidCdf {
        /// Where it was evaluated (a sample).
        x: f64,
        /// What it returned.
        value: f64,
    },
}
