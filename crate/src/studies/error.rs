//! [`StudyError`]: why a study could not be run.

use crate::analysis::diagnostic_error::DiagnosticError;
use crate::learn::LearnError;
use crate::model::error::MixtureError;
use crate::plot::PlotError;
use crate::sample::error::SamplerError;

/// Any error of a study ([`studies`](crate::studies)): bad mixture, sampler or diagnostic input.
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
