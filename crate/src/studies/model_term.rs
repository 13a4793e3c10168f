//! [`ModelTerm`]: contrastive divergence's model term, estimated from MALA chains started at the
//! data, against the number of steps the chains ran — how long chains take to forget the data.

use super::error::StudyError;
use super::shared::{as_f64, require_dim};
use crate::model::mixture::GaussianMixture;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::plot::{number, significant};
use crate::sample::ensemble::Particles;
use crate::sample::mala::Mala;
use crate::sample::seeding::{Purpose, stream_key};

/// The mean responsibility of the first component, $\mathbb E[\,r_0]$, over chains of the model
/// after k MALA steps, for chains started at the data and at exact samples of the model.
///
/// For the logit $a_0$, CD's ascent is $\mathbb E_{\text{data}}[\,r_0] - \mathbb E_{\text{chains}}[\,r_0]$;
/// the exact model term is $\mathbb E_{p_\theta}[\,r_0] = w_0$.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelTerm {
    /// The step counts k at which the chains were read.
    pub steps: Vec<usize>,
    /// $\mathbb E[\,r_0]$ over the chains started at the data, after each k.
    pub from_data: Vec<f64>,
    /// $\mathbb E[\,r_0]$ over chains started at exact samples of the model, after each k.
    pub from_model: Vec<f64>,
    /// The data term $\mathbb E_{\text{data}}[\,r_0]$ (responsibilities under the model).
    pub data_term: f64,
    /// The exact model term $w_0$ of the model.
    pub exact: f64,
}

/// Settings of a [`model_term`] study; [`run`](Self::run) draws and runs the chains.
#[derive(Debug, Clone)]
pub struct ModelTermStudy<'a> {
    truth: &'a GaussianMixture,
    model: Option<&'a GaussianMixture>,
    samples: usize,
    step: f64,
    seed: u64,
}

/// CD's model term for the logit of the first component of a model of the 1-D mixture `truth`:
/// by default 600 data points (seed 1), the model with the truth's means and widths and equal
/// weights, MALA steps of 0.1, read after 1, 3, 10, … 30 000 steps.
///
/// ```
/// use scorelab::prelude::*;
/// let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0])?;
/// let term = scorelab::studies::model_term(&truth).samples(200).run()?;
/// // After one step, chains from the data still hold the data's proportions, not w₀ = 0.5.
/// assert!((term.from_data[0] - term.data_term).abs() < 0.01);
/// assert_eq!(term.exact, 0.5);
/// assert!(term.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn model_term(truth: &GaussianMixture) -> ModelTermStudy<'_> {
    ModelTermStudy {
        truth,
        model: None,
        samples: 600,
        step: 0.1,
        seed: 1,
    }
}

/// The step counts the chains are read at: 1, 3, 10, 30, … 30 000.
const READ_AT: [usize; 9] = [1, 3, 10, 30, 100, 300, 1000, 3000, 10000];
const LAST: usize = 30000;

impl<'a> ModelTermStudy<'a> {
    /// The model whose chains run (default: the truth's means and widths, equal weights).
    pub fn model(mut self, model: &'a GaussianMixture) -> Self {
        self.model = Some(model);
        self
    }

    /// How many data points, and chains of each kind (600 by default).
    pub fn samples(mut self, n: usize) -> Self {
        self.samples = n;
        self
    }

    /// The MALA step size ε (0.1 by default).
    pub fn step(mut self, step: f64) -> Self {
        self.step = step;
        self
    }

    /// The seed of the data (stream (seed, Draw, i)), of the model's exact samples and of the
    /// chains (streams (seed, Run, 0 … 2)).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws the data and the model's samples and runs both sets of chains.
    ///
    /// # Errors
    /// [`StudyError::WrongDimension`] unless the truth (and model) are 1-D;
    /// [`StudyError::Sampler`] for a bad step, no samples, or chains over the work budget.
    pub fn run(&self) -> Result<ModelTerm, StudyError> {
        require_dim(self.truth, 1)?;
        let model = match self.model {
            Some(m) => m.clone(),
            None => super::weight_recovery::equal_weights(self.truth)?,
        };
        require_dim(&model, 1)?;
        let mala = Mala::new(self.step)?;
        let data = Particles::sample(self.truth, self.samples, self.seed)?;
        let exact_samples =
            Particles::sample(&model, self.samples, stream_key(self.seed, Purpose::Run, 0))?;
        let mean_r0 = |p: &Particles| {
            p.points()
                .map(|x| model.responsibilities(x)[0])
                .sum::<f64>()
                / p.len().max(1) as f64
        };
        let mut steps = READ_AT.to_vec();
        steps.push(LAST);
        let read = |start: &Particles, run: usize| -> Result<Vec<f64>, StudyError> {
            let seed = stream_key(self.seed, Purpose::Run, run);
            let snaps = mala.run_ensemble(&model, start, LAST, &steps, seed)?;
            Ok(snaps.iter().map(|(_, p)| mean_r0(p)).collect())
        };
        Ok(ModelTerm {
            from_data: read(&data, 1)?,
            from_model: read(&exact_samples, 2)?,
            data_term: mean_r0(&data),
            exact: model.weights()[0],
            steps,
        })
    }
}

impl ModelTerm {
    /// $\mathbb E[\,r_0]$ over both sets of chains against k (log scale), with the data term and
    /// the exact model term dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let ks = as_f64(&self.steps);
        let ends = [ks[0], ks[ks.len() - 1]];
        LinePlot::new("CD's model term E[r₀] over chains of the model, against their length")
            .labels("MALA steps k (log scale)", "E[r₀] over the chains")
            .line_with_markers("chains started at the data (CD-k)", &ks, &self.from_data)
            .color(0)
            .line_with_markers(
                "chains started at exact samples of the model",
                &ks,
                &self.from_model,
            )
            .color(2)
            .dashed(
                format!("exact model term w₀ = {}", number(self.exact)),
                &ends,
                &[self.exact, self.exact],
            )
            .color(2)
            .dashed(
                format!(
                    "data term, mean r₀ over the data = {}",
                    significant(self.data_term, 3)
                ),
                &ends,
                &[self.data_term, self.data_term],
            )
            .color(0)
            .log_x(true)
            .y_range(0.0, 0.8)
            .render()
    }
}

impl std::fmt::Display for ModelTerm {
    /// The share after each k, one row per k, under the data term and the exact model term.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "data term {:.5}, exact model term {:.5}",
            self.data_term, self.exact
        )?;
        write!(
            f,
            "{:>7} {:>17} {:>18}",
            "k", "chains from data", "chains from model"
        )?;
        for ((k, a), b) in self.steps.iter().zip(&self.from_data).zip(&self.from_model) {
            write!(f, "\n{k:>7} {a:>17.5} {b:>18.5}")?;
        }
        Ok(())
    }
}

shown_as_figure!(ModelTerm);
