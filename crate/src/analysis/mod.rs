//! What samples and densities are measured with: distances and diagnostics, the Fokker–Planck
//! solver, and the series' studies.

pub mod diagnostics;
pub(crate) mod fokker_planck;
pub mod studies;
