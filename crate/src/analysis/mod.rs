//! What samples and densities are measured with: distances and diagnostics, the Fokker–Planck
//! solver, and the series' studies.

pub(crate) mod diagnostic_error;
pub mod diagnostics;
pub(crate) mod fokker_planck;
pub mod studies;
pub(crate) mod study_error;
