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
//! Conventions: a point is a `&[f64]` of the density's dimension, many points an n × d
//! [`ndarray`] array ([`Score::score_rows`], [`Particles::view`]); every random result takes an
//! explicit seed; constructors validate and return typed errors, evaluation never fails.
//!
//! Figures that move: [`Live`] redraws a figure from named sliders (checkboxes, dropdowns) on
//! every drag, in the project's notebook kernel, and shows its first frame anywhere else;
//! [`Sweep`] renders a slider's frames ahead of time into a player that needs no kernel;
//! [`Animation`] makes a GIF.

#![warn(missing_docs)]

pub use ndarray;

mod analysis;
pub mod error;
pub mod learn;
pub mod limits;
mod model;
mod numeric;
mod output;
pub mod plot;
mod progress;
mod sample;
pub mod studies;

pub use analysis::diagnostic_error::DiagnosticError;
pub use analysis::diagnostics;
pub use analysis::fokker_planck::{FokkerPlanck1d, FokkerPlanckError};
pub use error::{BatchError, MixtureError};
pub use limits::{LimitError, memory_budget, set_memory_budget, set_work_budget, work_budget};
#[doc(hidden)]
pub use model::block::{LogDensityBlock, ScoreBlock};
#[doc(hidden)]
pub use model::block_kernel::BlockKernel;
pub use model::diffusion::{Diffusion, DiffusionError, HORIZON, Schedule, TimeScore};
pub use model::mixture::GaussianMixture;
pub use model::parameter_score::{MixtureParameters, ParameterScore};
pub use model::preset::PresetError;
pub use model::score::{Density, Dimension, LogDensity, Score, finite_difference_score};
pub use model::slice::{Slice2d, SliceError};
pub use model::tempered::{Tempered, TemperedError};
pub use numeric::simd::LANES;
pub use output::animation::{Animation, MAX_FRAMES};
pub use output::live::{Live, LiveFigure, LiveValues};
pub use output::live_error::LiveError;
pub use output::sweep::Sweep;
pub use plot::{Curves1d, Histograms, LinePlot, ScoreField};
pub use plot::{Figure, PlotError};
pub use progress::{Progress, set_show_progress, show_progress};
pub use sample::annealed::AnnealedLangevin;
pub use sample::annealed::AnnealedLangevinBuilder;
pub use sample::divergence::{DIVERGENCE_BOUND, DivergenceTrigger};
pub use sample::ensemble::{Particles, Snapshots};
pub use sample::error::SamplerError;
pub use sample::langevin::Ula;
pub use sample::mala::Mala;
pub use sample::record::Record;
pub use sample::reverse::{ReverseRun, ReverseRunner, ReverseSampler, ReverseWarning};
pub use sample::seeding::{NoiseStream, Purpose, stream_key, stream_rng};
pub use sample::trajectory::Trajectory;
pub use sample::uniform_box::UniformBox;
pub use studies::error::StudyError;

/// Everything a notebook needs: `use scorelab::prelude::*;`.
pub mod prelude {
    pub use crate::learn::{
        LearnError, LinearScore, Method, NoiseConditionalScore, Optimizer, RbfFeatures, Training,
    };
    pub use crate::plot::{number, significant};
    pub use crate::{
        Animation, AnnealedLangevin, AnnealedLangevinBuilder, BatchError, Curves1d, Density,
        DiagnosticError, Diffusion, DiffusionError, Dimension, DivergenceTrigger, Figure,
        FokkerPlanck1d, FokkerPlanckError, GaussianMixture, Histograms, LimitError, LinePlot, Live,
        LiveError, LiveFigure, LiveValues, LogDensity, Mala, MixtureError, MixtureParameters,
        NoiseStream, Particles, PlotError, PresetError, Record, ReverseRun, ReverseRunner,
        ReverseSampler, ReverseWarning, SamplerError, Score, ScoreField, Slice2d, SliceError,
        Snapshots, StudyError, Sweep, Tempered, TemperedError, TimeScore, Trajectory, Ula,
        UniformBox, finite_difference_score, memory_budget, set_memory_budget, set_work_budget,
        work_budget,
    };
}
