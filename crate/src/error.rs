//! Every error type of the crate, to import from one place. Each is defined next to what it
//! reports on; constructors validate and return them, evaluation never fails.

pub use crate::analysis::diagnostic_error::DiagnosticError;
pub use crate::analysis::fokker_planck::FokkerPlanckError;
pub use crate::learn::LearnError;
pub use crate::limits::LimitError;
pub use crate::model::diffusion::DiffusionError;
pub use crate::model::error::{BatchError, MixtureError};
pub use crate::model::preset::PresetError;
pub use crate::model::slice::SliceError;
pub use crate::plot::PlotError;
pub use crate::sample::divergence::DivergenceTrigger;
pub use crate::sample::error::SamplerError;
pub use crate::studies::error::StudyError;
