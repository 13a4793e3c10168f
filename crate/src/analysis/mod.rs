//! What samples and densities are measured with: distances and diagnostics, and the
//! Fokker–Planck solver.

pub(crate) mod diagnostic_error;
pub mod diagnostics;
pub(crate) mod fokker_planck;
