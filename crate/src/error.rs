//! Every error type of the crate, to import from one place. Each is defined next to what it
//! reports on; constructors validate and return them, evaluation never fails.
//!
//! One wrapping rule: an error's message says everything, and no message is printed twice.
//! - A variant that only passes another error on is `#[error(transparent)]`: its message and
//!   [`source`](std::error::Error::source) are the inner error's.
//! - A variant that adds context (which frame of a sweep, which file) says the context, then the
//!   inner error's message, and keeps the inner error as a typed field, not as its `source`.
//!
//! The message carries the cause because a notebook shows nothing else: the evcxr kernel prints
//! an error returned through `?` with `Display` only, never its sources.

pub use crate::analysis::diagnostic_error::DiagnosticError;
pub use crate::analysis::fokker_planck::FokkerPlanckError;
pub use crate::learn::LearnError;
pub use crate::limits::LimitError;
pub use crate::model::diffusion::DiffusionError;
pub use crate::model::error::{BatchError, MixtureError};
pub use crate::model::preset::PresetError;
pub use crate::model::slice::SliceError;
pub use crate::output::live_error::LiveError;
pub use crate::plot::PlotError;
pub use crate::sample::divergence::DivergenceTrigger;
pub use crate::sample::error::SamplerError;
pub use crate::studies::error::StudyError;
