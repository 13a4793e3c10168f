//! Score models fit from samples: the density is no longer known, only data drawn from it.
//!
//! - [`Training`] fits a Gaussian mixture's parameters θ by contrastive divergence (the
//!   *ordinary* score ∇_θ log p̃, with the normaliser's gradient estimated from Langevin samples
//!   of the model), by Hyvärinen score matching and denoising score matching (the *Stein* score
//!   ∇ₓ log p_θ, no model samples, no normaliser), or by maximum likelihood with the mixture's
//!   known normaliser (the reference the others are measured against).
//! - [`LinearScore`] is a flexible score, linear in radial-basis features, fit by denoising score
//!   matching in closed form (ridge least squares); [`NoiseConditionalScore`] is one such score
//!   for every noise level σ, fit once by ε-prediction, for annealed Langevin and for the
//!   reverse-time samplers.
//! - [`ks_to_data`] measures a reverse-time sampler against the data, [`paired_gap`] two runs
//!   from one start against each other (over score evaluations:
//!   [`studies::StepsNeeded`](crate::studies::StepsNeeded)).
//! - [`tweedie`] denoises with a score: E[x | x̃] = x̃ + σ² ∇ log p_σ(x̃).

mod adam;
mod contrastive;
mod denoising;
mod error;
mod fit_warning;
mod hyvarinen;
mod linear;
mod method;
mod noise_conditional;
mod objective;
mod optimizer;
mod reverse_check;
mod score_matching;
mod training;
mod tweedie;

pub use error::{LearnError, NOISE_RANGE};
pub use fit_warning::FitWarning;
pub use linear::{DsmFit, LinearScore, RANGE_LIMIT, RbfFeatures, ScoreOnDensity};
pub use method::Method;
pub use noise_conditional::{AtNoise, DiffusionScore, EpsFit, NoiseConditionalScore};
pub use optimizer::Optimizer;
pub use reverse_check::{ks_to_data, paired_gap};
pub use score_matching::score_divergence;
pub use training::{LearningCurve, Training};
pub use tweedie::tweedie;
