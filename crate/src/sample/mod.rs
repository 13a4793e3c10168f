//! Samplers that follow a score: ULA, MALA, annealed Langevin, and the particle engine that runs
//! many chains at once.

pub(crate) mod annealed;
pub(crate) mod ensemble;
pub(crate) mod langevin;
pub(crate) mod mala;
pub(crate) mod reverse;
