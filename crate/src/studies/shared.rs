//! What several studies share: dimension checks, grids, and thinning for markers.

use std::ops::RangeInclusive;

use ndarray::Array1;

use super::error::StudyError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Dimension, Score};

pub(super) fn require_dim(mixture: &GaussianMixture, dim: usize) -> Result<(), StudyError> {
    if mixture.dim() == dim {
        Ok(())
    } else {
        Err(StudyError::WrongDimension {
            expected: dim,
            found: mixture.dim(),
        })
    }
}

/// Refuses a range that is reversed, empty, NaN or infinite, before a grid is made over it.
pub(super) fn check_range(range: &RangeInclusive<f64>) -> Result<(), StudyError> {
    let (start, end) = (*range.start(), *range.end());
    if start.is_finite() && end.is_finite() && start < end {
        Ok(())
    } else {
        Err(StudyError::InvalidRange { start, end })
    }
}

/// `n` evenly spaced points over `range`, both ends included.
pub(super) fn grid(range: &RangeInclusive<f64>, n: usize) -> Vec<f64> {
    Array1::linspace(*range.start(), *range.end(), n).to_vec()
}

/// The 1-D score at each point of `xs`.
pub(super) fn score_1d(mixture: &GaussianMixture, xs: &[f64]) -> Vec<f64> {
    xs.iter().map(|&x| mixture.score(&[x])[0]).collect()
}

/// Every tenth value, for markers that do not hide the line under them.
pub(super) fn every_tenth(v: &[f64]) -> Vec<f64> {
    v.iter().step_by(10).cloned().collect()
}

pub(super) fn as_f64(steps: &[usize]) -> Vec<f64> {
    steps.iter().map(|&s| s as f64).collect()
}
