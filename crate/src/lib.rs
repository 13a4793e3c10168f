//! # scorelab
//!
//! The score function $s(x) = \nabla_x \log p(x)$ of Gaussian mixtures, Langevin dynamics that
//! follow it, and the figures that show both — for learning, in Rust notebooks or plain Rust.
//!
//! ```
//! use scorelab::prelude::*;
//!
//! // Two modes on the line; the score points towards the nearer one.
//! let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
//! assert!(gm.score(&[-3.0])[0] > 0.0 && gm.score(&[3.0])[0] < 0.0);
//!
//! // Langevin dynamics: x ← x + ε s(x) + √(2ε) z.
//! let path = Ula::new(0.02)?.run(&gm, &[0.0], 500, 42)?;
//! assert_eq!(path.len(), 501);
//!
//! // The three curves of the 1-D figure, as a PNG (shown inline in a notebook).
//! let figure = Curves1d::new(&gm, -6.0..=6.0).render()?;
//! assert!(figure.png().starts_with(b"\x89PNG"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions: points are `&[f64]` of the density's dimension; every random result takes an
//! explicit seed; constructors validate and return typed errors, evaluation never fails.

#![warn(missing_docs)]

pub mod annealed;
pub mod diagnostics;
pub mod display;
pub mod ensemble;
pub mod error;
pub mod fokker_planck;
pub mod langevin;
mod linalg;
pub mod mala;
pub mod mixture;
mod parameter_score;
pub mod plot;
pub mod preset;
pub mod score;
pub mod slice;
pub mod studies;

pub use annealed::AnnealedLangevin;
pub use display::Figure;
pub use ensemble::{Particles, Snapshots};
pub use error::{MixtureError, PlotError, SamplerError};
pub use fokker_planck::{FokkerPlanck1d, FokkerPlanckError};
pub use langevin::{uniform_start, Trajectory, Ula};
pub use mala::Mala;
pub use mixture::GaussianMixture;
pub use plot::{Curves1d, Histograms, LinePlot, ScoreField};
pub use preset::PresetError;
pub use score::{finite_difference_score, Density, Dimension, LogDensity, Score};
pub use slice::{Slice2d, SliceError};

/// Everything a notebook needs: `use scorelab::prelude::*;`.
pub mod prelude {
    pub use crate::{
        finite_difference_score, uniform_start, AnnealedLangevin, Curves1d, Density, Dimension,
        Figure, FokkerPlanck1d, FokkerPlanckError, GaussianMixture, Histograms, LinePlot,
        LogDensity, Mala, MixtureError, Particles, PlotError, PresetError, SamplerError, Score,
        ScoreField, Slice2d, SliceError, Snapshots, Trajectory, Ula,
    };
}
