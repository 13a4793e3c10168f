//! Samplers that follow a score: ULA, MALA, annealed Langevin. Each is one rule per transition
//! ([`rules`]), run by one particle engine: a single chain is its one-particle case.

pub(crate) mod annealed;
pub(crate) mod divergence;
pub(crate) mod ensemble;
pub(crate) mod error;
pub(crate) mod langevin;
pub(crate) mod level;
pub(crate) mod mala;
pub(crate) mod normals;
pub(crate) mod record;
pub(crate) mod reverse;
pub(crate) mod rules;
pub(crate) mod seeding;
pub(crate) mod trajectory;
pub(crate) mod uniform_box;
