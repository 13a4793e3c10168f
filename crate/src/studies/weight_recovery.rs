//! [`WeightRecovery`]: how each way of fitting a 1-D mixture finds its weights when the modes
//! are far apart — where contrastive divergence needs model samples that cross between them.

use super::error::StudyError;
use super::fit_table::{FitTable, fit_table};
use super::shared::require_dim;
use crate::learn::{LearningCurve, Method, Optimizer, Training};
use crate::model::mixture::GaussianMixture;
use crate::plot::learning::styled;
use crate::plot::number;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_key};

/// The fits of a [`weight_recovery`] study: the data, each method's learning curve, and how
/// many data points lie where the weights show in the Stein score.
#[derive(Debug, Clone)]
pub struct WeightRecovery {
    /// The mixture the data were drawn from.
    pub truth: GaussianMixture,
    /// The data every fit sees.
    pub data: Particles,
    /// One learning curve per method, in the order given.
    pub curves: Vec<LearningCurve>,
    /// Data points where no component's responsibility under the truth exceeds 0.99: the
    /// "valley" where the Stein score depends on the weights.
    pub in_valley: usize,
}

/// Settings of a [`weight_recovery`] study; [`run`](Self::run) draws the data and fits.
#[derive(Debug, Clone)]
pub struct WeightRecoveryStudy<'a> {
    truth: &'a GaussianMixture,
    start: Option<&'a GaussianMixture>,
    methods: Vec<Method>,
    samples: usize,
    iterations: usize,
    optimizer: Optimizer,
    learning_rate: Option<f64>,
    seed: u64,
}

/// Fits the weights of the 1-D mixture `truth` from its samples, several ways. By default: 600
/// samples (seed 1), 200 Adam iterations at [`Training`]'s learning rate, from the truth's means
/// and widths with equal weights, by CD-1 and CD-100 (MALA step 0.1), maximum likelihood with Z
/// known, score matching, and denoising score matching at σ = 2.
///
/// With plain gradient steps a fit moves as fast as its gradient: maximum likelihood reaches
/// the data's share of the left mode, CD (whose model term is nearly the data term) barely
/// leaves the start.
///
/// ```
/// use scorelab::prelude::*;
/// let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0])?;
/// let study = scorelab::studies::weight_recovery(&truth)
///     .methods(&[Method::MaximumLikelihood, Method::ContrastiveDivergence { k: 1, step: 0.1 }])
///     .optimizer(Optimizer::GradientAscent)
///     .learning_rate(0.5)
///     .samples(300)
///     .iterations(100)
///     .run()?;
/// let last = |c: &scorelab::learn::LearningCurve| c.weight_path(0).last().copied().unwrap();
/// // With Z known, the weight goes to the data's share of the left mode; CD-1 stays near 0.5.
/// assert!((last(&study.curves[0]) - study.data_share()).abs() < 0.02);
/// assert!((last(&study.curves[1]) - 0.5).abs() < 0.02);
/// let (_, lowest, highest) = &study.weight_ranges()[0];
/// assert!(*lowest < 0.25 && *highest == 0.5);
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn weight_recovery(truth: &GaussianMixture) -> WeightRecoveryStudy<'_> {
    WeightRecoveryStudy {
        truth,
        start: None,
        methods: vec![
            Method::ContrastiveDivergence { k: 1, step: 0.1 },
            Method::ContrastiveDivergence { k: 100, step: 0.1 },
            Method::MaximumLikelihood,
            Method::ScoreMatching,
            Method::DenoisingScoreMatching { sigma: 2.0 },
        ],
        samples: 600,
        iterations: 200,
        optimizer: Optimizer::Adam,
        learning_rate: None,
        seed: 1,
    }
}

impl<'a> WeightRecoveryStudy<'a> {
    /// The mixture every fit starts from (default: the truth's means and widths, equal weights).
    pub fn start(mut self, start: &'a GaussianMixture) -> Self {
        self.start = Some(start);
        self
    }

    /// The methods compared, one curve each.
    pub fn methods(mut self, methods: &[Method]) -> Self {
        self.methods = methods.to_vec();
        self
    }

    /// How many samples of the truth the fits see (600 by default).
    pub fn samples(mut self, n: usize) -> Self {
        self.samples = n;
        self
    }

    /// Iterations of each fit (200 by default).
    pub fn iterations(mut self, n: usize) -> Self {
        self.iterations = n;
        self
    }

    /// How every fit steps θ ([`Optimizer::Adam`] by default).
    pub fn optimizer(mut self, optimizer: Optimizer) -> Self {
        self.optimizer = optimizer;
        self
    }

    /// The learning rate of every fit (by default [`Training::new`]'s).
    pub fn learning_rate(mut self, rate: f64) -> Self {
        self.learning_rate = Some(rate);
        self
    }

    /// The seed of the data (stream (seed, Draw, i)) and of each fit (stream (seed, Run, fit)).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws the data and runs every fit.
    ///
    /// # Errors
    /// [`StudyError::WrongDimension`] unless the truth is 1-D; [`StudyError::InvalidParameter`]
    /// for no methods; [`StudyError::Sampler`] for no or too many samples;
    /// [`StudyError::Learn`] for a fit that fails (see [`Training::fit`]).
    pub fn run(&self) -> Result<WeightRecovery, StudyError> {
        require_dim(self.truth, 1)?;
        if self.methods.is_empty() {
            return Err(StudyError::InvalidParameter {
                name: "methods",
                value: 0.0,
                reason: "name at least one method to fit with",
            });
        }
        let truth = self.truth;
        let start = match self.start {
            Some(start) => start.clone(),
            None => equal_weights(truth)?,
        };
        let data = Particles::sample(truth, self.samples, self.seed)?;
        let curves = self
            .methods
            .iter()
            .enumerate()
            .map(|(i, &method)| {
                let mut training = Training::new(method)
                    .optimizer(self.optimizer)
                    .iterations(self.iterations);
                if let Some(rate) = self.learning_rate {
                    training = training.learning_rate(rate);
                }
                training.fit(&data, &start, stream_key(self.seed, Purpose::Run, i))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let in_valley = data
            .points()
            .filter(|x| truth.responsibilities(x).iter().all(|&r| r <= 0.99))
            .count();
        Ok(WeightRecovery {
            truth: truth.clone(),
            data,
            curves,
            in_valley,
        })
    }
}

/// The 1-D mixture with `truth`'s means and widths and equal weights.
pub(super) fn equal_weights(truth: &GaussianMixture) -> Result<GaussianMixture, StudyError> {
    let k = truth.n_components();
    let means: Vec<f64> = (0..k)
        .map(|c| truth.mean(c).map_or(0.0, |m| m[0]))
        .collect();
    let stds: Vec<f64> = (0..k)
        .map(|c| truth.covariance(c).map_or(1.0, |v| v[0].sqrt()))
        .collect();
    Ok(GaussianMixture::new_1d(
        &vec![1.0 / k as f64; k],
        &means,
        &stds,
    )?)
}

impl WeightRecovery {
    /// Every fit's final weights, means, widths and log-likelihood beside the truth's
    /// ([`fit_table`]).
    ///
    /// # Errors
    /// As [`fit_table`].
    pub fn table(&self) -> Result<FitTable, StudyError> {
        let curves: Vec<&LearningCurve> = self.curves.iter().collect();
        fit_table(&curves, &self.truth, &self.data)
    }

    /// The data's share of points nearer the first component (by responsibility under the
    /// truth): what CD's data term counts, and the weight maximum likelihood reaches.
    pub fn data_share(&self) -> f64 {
        let left: f64 = self
            .data
            .points()
            .map(|x| self.truth.responsibilities(x)[0])
            .sum();
        left / self.data.len().max(1) as f64
    }

    /// Each fit's name with the lowest and highest weight $w_0$ it passed through.
    pub fn weight_ranges(&self) -> Vec<(String, f64, f64)> {
        self.curves
            .iter()
            .map(|c| {
                let w = c.weight_path(0);
                let lo = w.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (c.method().name(), lo, hi)
            })
            .collect()
    }

    /// The first component's weight against iteration for each fit, with the true weight
    /// dashed (the axis runs to 1.6 so that the legend sits above the curves).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut plot =
            LinePlot::new("Weight of the left mode during each fit").labels("iteration", "w₀");
        let mut longest = 0;
        for (i, c) in self.curves.iter().enumerate() {
            let w = c.weight_path(0);
            longest = longest.max(w.len());
            let its: Vec<f64> = (0..w.len()).map(|t| t as f64).collect();
            plot = styled(plot, i, c.method().name(), &its, &w);
        }
        let ends = [0.0, longest.saturating_sub(1) as f64];
        let w0 = self.truth.weights()[0];
        plot.dashed(format!("true weight {}", number(w0)), &ends, &[w0, w0])
            .color(5)
            .y_range(0.0, 1.6)
            .size(800, 560)
            .render()
    }
}

shown_as_figure!(WeightRecovery);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optimizer_and_rate_reach_every_fit() {
        let truth = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0]).unwrap();
        let study = |optimizer| {
            weight_recovery(&truth)
                .methods(&[Method::MaximumLikelihood])
                .optimizer(optimizer)
                .learning_rate(0.01)
                .samples(200)
                .iterations(1)
                .run()
                .unwrap()
        };
        let moved = |w: &WeightRecovery| 0.5 - w.curves[0].weight_path(0)[1];
        // Adam's first step moves each logit by the rate; gradient ascent by rate × gradient,
        // a gradient of about 0.3 in each logit: about three times less.
        let (adam, plain) = (
            moved(&study(Optimizer::Adam)),
            moved(&study(Optimizer::GradientAscent)),
        );
        assert!((adam - 0.25 * 0.02).abs() < 2e-4, "Adam moved w₀ by {adam}");
        assert!(
            plain > 0.0 && plain < 0.5 * adam,
            "gradient ascent moved w₀ by {plain}"
        );
    }
}
