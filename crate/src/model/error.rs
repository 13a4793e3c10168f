//! [`MixtureError`] and [`BatchError`]: why a density could not be built or evaluated.

/// Why a set of mixture parameters was rejected by [`GaussianMixture::new`](crate::GaussianMixture::new)
/// or [`GaussianMixture::new_1d`](crate::GaussianMixture::new_1d).
///
/// Components are numbered from 0, in the order they were given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MixtureError {
    /// No components were given.
    #[error("invalid Gaussian mixture: no components given")]
    Empty,
    /// Two parameter lists that must have one entry per component differ in length.
    #[error(
        "invalid Gaussian mixture: {expected} weights but {found} {what}; give one per component"
    )]
    LengthMismatch {
        /// Name of the list that disagrees with `weights`.
        what: &'static str,
        /// Number of weights.
        expected: usize,
        /// Number of entries in `what`.
        found: usize,
    },
    /// A weight is below zero.
    #[error("invalid Gaussian mixture: weight of component {component} is {weight}, must be >= 0")]
    NegativeWeight {
        /// Index of the offending component, from 0.
        component: usize,
        /// The weight given.
        weight: f64,
    },
    /// A weight is NaN or infinite.
    #[error(
        "invalid Gaussian mixture: weight of component {component} is {weight}, must be finite"
    )]
    NonFiniteWeight {
        /// Index of the offending component, from 0.
        component: usize,
        /// The weight given.
        weight: f64,
    },
    /// The weights do not sum to 1 (within 1e-6).
    #[error("invalid Gaussian mixture: weights sum to {sum}, must sum to 1")]
    WeightsDoNotSumToOne {
        /// The sum of the weights given.
        sum: f64,
    },
    /// The first mean has no coordinates.
    #[error("invalid Gaussian mixture: means have no coordinates; dimension must be >= 1")]
    ZeroDimension,
    /// A mean or covariance does not have the dimension of the first mean.
    #[error(
        "invalid Gaussian mixture: {what} of component {component} has dimension {found}, expected {expected}"
    )]
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
    #[error(
        "invalid Gaussian mixture: mean of component {component} has a NaN or infinite coordinate"
    )]
    NonFiniteMean {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A covariance has a NaN or infinite entry.
    #[error(
        "invalid Gaussian mixture: covariance of component {component} has a NaN or infinite entry"
    )]
    NonFiniteCovariance {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A covariance differs from its transpose at `(row, col)`.
    #[error(
        "invalid Gaussian mixture: covariance of component {component} is not symmetric: entry ({row}, {col}) differs from ({col}, {row})"
    )]
    CovarianceNotSymmetric {
        /// Index of the offending component, from 0.
        component: usize,
        /// Row of the differing entry.
        row: usize,
        /// Column of the differing entry.
        col: usize,
    },
    /// A covariance is symmetric but not positive definite.
    #[error(
        "invalid Gaussian mixture: covariance of component {component} is not positive definite"
    )]
    CovarianceNotPositiveDefinite {
        /// Index of the offending component, from 0.
        component: usize,
    },
    /// A 1-D standard deviation is zero, negative or not finite.
    #[error(
        "invalid Gaussian mixture: standard deviation of component {component} is {std}, must be finite and > 0"
    )]
    NonPositiveStd {
        /// Index of the offending component, from 0.
        component: usize,
        /// The standard deviation given.
        std: f64,
    },
    /// A noise level σ is negative or not finite.
    #[error("invalid Gaussian mixture: noise level σ = {sigma}, must be finite and >= 0")]
    InvalidNoise {
        /// The noise level given.
        sigma: f64,
    },
}

/// Why a batch of points could not be evaluated: a flat buffer does not fit the dimension.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The points buffer is not a whole number of points of dimension `dim` (or `dim` is 0).
    #[error("a buffer of {len} values is not a whole number of points of dimension {dim}")]
    RaggedPoints {
        /// Length of the flat buffer given.
        len: usize,
        /// The dimension of a point.
        dim: usize,
    },
    /// An array of points does not have one column per coordinate.
    #[error("the points have {found} columns, the density has dimension {expected}")]
    Columns {
        /// The dimension d.
        expected: usize,
        /// The number of columns given.
        found: usize,
    },
    /// The output buffer does not hold one value per point (log-densities) or d values per point
    /// (scores).
    #[error("the output buffer has length {found}, expected {expected}")]
    OutputLength {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
}
