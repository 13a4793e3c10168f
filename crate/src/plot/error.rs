//! [`PlotError`]: why a figure could not be drawn or saved.

use crate::analysis::fokker_planck::FokkerPlanckError;
use crate::learn::LearnError;
use crate::limits::LimitError;
use crate::model::diffusion::DiffusionError;
use crate::model::error::{BatchError, MixtureError};
use crate::sample::error::SamplerError;

/// Why a figure could not be drawn or saved.
///
/// Errors of the inputs a figure is drawn from (a mixture, a sampler, a fit, …) are passed on
/// whole (transparent variants); [`Io`](Self::Io), [`Density`](Self::Density) and
/// [`Frame`](Self::Frame) add their context and say the cause in their message, keeping it as a
/// field (see [`crate::error`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// A plotting parameter is out of range (e.g. an empty axis range or a grid of 1 point).
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// What is required.
        reason: String,
    },
    /// The figure needs a density of another dimension.
    #[error("this figure needs a density of dimension {expected}, got dimension {found}")]
    WrongDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// Encoding or writing the image failed.
    #[error("writing the image failed: {0}")]
    Io(std::io::Error),
    /// A figure's mixture could not be built (e.g. inside a [`Sweep`](crate::Sweep) closure).
    #[error(transparent)]
    Mixture(#[from] MixtureError),
    /// A figure's sampler failed (e.g. inside an [`Animation`](crate::Animation) closure).
    #[error(transparent)]
    Sampler(#[from] SamplerError),
    /// A density refused to be evaluated on the figure's grid (only a custom density can).
    #[error("the density could not be evaluated on the figure's grid: {0}")]
    Density(BatchError),
    /// A score could not be fit or applied for the figure (e.g. a DSM fit at noise σ).
    #[error(transparent)]
    Learn(#[from] LearnError),
    /// A diffusion's marginal could not be taken (e.g. a time outside [0, T]).
    #[error(transparent)]
    Diffusion(#[from] DiffusionError),
    /// The Fokker–Planck density to overlay could not be computed.
    #[error(transparent)]
    FokkerPlanck(#[from] FokkerPlanckError),
    /// A study drawn as a figure failed (e.g. inside a [`Sweep`](crate::Sweep) closure): its
    /// [`StudyError`](crate::StudyError), which `?` converts (studies build on figures, so the
    /// error is held as a trait object here; `downcast_ref::<StudyError>()` gets it back).
    #[error(transparent)]
    Study(Box<dyn std::error::Error + Send + Sync>),
    /// Frame `index` of a [`Sweep`](crate::Sweep) or [`Animation`](crate::Animation), drawn
    /// for the parameter values `at` (e.g. `"mode separation = 1.5"`), failed.
    #[error("frame {index} ({at}): {cause}")]
    Frame {
        /// Index of the frame, from 0.
        index: usize,
        /// The parameter value(s) of the frame, as shown on the slider.
        at: String,
        /// Why the frame failed (in the message; see [`crate::error`] on wrapping).
        cause: Box<PlotError>,
    },
    /// A size is out of range or its buffer is over the memory budget.
    #[error(transparent)]
    Limit(#[from] LimitError),
}

impl From<std::io::Error> for PlotError {
    fn from(e: std::io::Error) -> Self {
        PlotError::Io(e)
    }
}
