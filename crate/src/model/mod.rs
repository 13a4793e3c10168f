//! What is sampled and drawn: densities, their scores, and Gaussian mixtures.

pub(crate) mod block;
pub(crate) mod block_kernel;
pub(crate) mod diffusion;
pub(crate) mod error;
pub(crate) mod mixture;
pub(crate) mod parameter_score;
pub(crate) mod preset;
pub(crate) mod scaled;
pub(crate) mod score;
pub(crate) mod slice;
pub(crate) mod tempered;
