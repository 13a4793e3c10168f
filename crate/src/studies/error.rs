//! [`StudyError`]: why a study could not be run.

use crate::analysis::diagnostic_error::DiagnosticError;
use crate::learn::LearnError;
use crate::model::error::MixtureError;
use crate::plot::PlotError;
use crate::sample::error::SamplerError;

/// Any error of a study ([`studies`](crate::studies)): bad mixture, sampler, diagnostic or fit input, or a bad
/// parameter of the study itself.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StudyError {
    /// See [`MixtureError`].
    #[error(transparent)]
    Mixture(#[from] MixtureError),
    /// See [`SamplerError`].
    #[error(transparent)]
    Sampler(#[from] SamplerError),
    /// See [`DiagnosticError`].
    #[error(transparent)]
    Diagnostic(#[from] DiagnosticError),
    /// See [`LearnError`].
    #[error(transparent)]
    Learn(#[from] LearnError),
    /// The study needs a mixture of another dimension.
    #[error("this study needs a {expected}-D mixture, got dimension {found}")]
    WrongDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// A parameter of the study is outside its domain.
    #[error("invalid {name} = {value}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must satisfy.
        reason: &'static str,
    },
    /// A range to study is empty, reversed or not finite.
    #[error("invalid range {start}..={end}: the ends must be finite with start < end")]
    InvalidRange {
        /// The start given.
        start: f64,
        /// The end given.
        end: f64,
    },
    /// The snapshots hold no recorded step.
    #[error("the snapshots hold no recorded step")]
    NoSnapshots,
}

/// `?` on a study inside a figure's closure (a [`Sweep`](crate::Sweep) frame, say) keeps the
/// study's error whole, as [`PlotError::Study`].
impl From<StudyError> for PlotError {
    fn from(e: StudyError) -> Self {
        PlotError::Study(Box::new(e))
    }
}
