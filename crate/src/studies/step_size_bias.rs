//! [`StepSizeBias`]: ULA's and MALA's stationary variance on N(0, σ²) against step size.

use super::error::StudyError;
use crate::model::mixture::GaussianMixture;
use crate::sample::error::SamplerError;

use crate::plot::number;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::langevin::Ula;
use crate::sample::mala::Mala;
use crate::sample::seeding::{Purpose, stream_key};

/// ULA's and MALA's stationary variance on N(0, σ²) against step size.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSizeBias {
    /// σ of the target.
    pub sigma: f64,
    /// The step sizes ε.
    pub steps: Vec<f64>,
    /// Steps run per ensemble.
    pub n_steps: usize,
    /// Particles per ensemble.
    pub particles: usize,
    /// ULA's measured variance at each step size.
    pub ula: Vec<f64>,
    /// MALA's measured variance at each step size.
    pub mala: Vec<f64>,
}

impl StepSizeBias {
    /// ULA's predicted stationary variance σ² / (1 − ε / 2σ²).
    pub fn predicted(&self, eps: f64) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2 / (1.0 - eps / (2.0 * s2))
    }
}

/// The study of ULA's stationary variance on N(0, σ²) against step size, built by
/// [`step_size_bias`]; [`run`](Self::run) measures it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSizeBiasStudy {
    sigma: f64,
    steps: Vec<f64>,
    particles: usize,
    seed: u64,
}

/// ULA's stationary variance on N(0, σ²) against step size ε, measured with an ensemble started
/// from exact samples, to compare with σ² / (1 − ε / 2σ²); MALA's at the same steps stays at σ².
/// By default the steps are (0.05, 0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 1.9) σ², with 10 000 particles
/// and seed 0.
///
/// ```
/// let study = scorelab::studies::step_size_bias(1.0).steps(&[0.1, 1.0]).particles(2000).seed(3).run()?;
/// assert!(study.ula[1] > study.ula[0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn step_size_bias(sigma: f64) -> StepSizeBiasStudy {
    let s2 = sigma * sigma;
    StepSizeBiasStudy {
        sigma,
        steps: [0.05, 0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 1.9]
            .iter()
            .map(|f| f * s2)
            .collect(),
        particles: 10_000,
        seed: 0,
    }
}

impl StepSizeBiasStudy {
    /// The step sizes ε, each in (0, 2σ²).
    pub fn steps(mut self, steps: &[f64]) -> Self {
        self.steps = steps.to_vec();
        self
    }

    /// Particles per ensemble (at least 2; 10 000 by default).
    pub fn particles(mut self, n: usize) -> Self {
        self.particles = n;
        self
    }

    /// The seed of the start and of every run (0 by default).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs ULA and MALA at each step size from the same exact samples.
    ///
    /// # Errors
    /// [`StudyError::InvalidParameter`] for fewer than 2 particles, [`StudyError::Sampler`] unless
    /// every step lies in (0, 2σ²), or σ is invalid.
    pub fn run(&self) -> Result<StepSizeBias, StudyError> {
        let (sigma, steps, particles, seed) =
            (self.sigma, &self.steps[..], self.particles, self.seed);
        if particles < 2 {
            return Err(StudyError::InvalidParameter {
                name: "particles",
                value: particles as f64,
                reason: "the sample variance needs at least 2 particles",
            });
        }
        let target = GaussianMixture::new_1d(&[1.0], &[0.0], &[sigma])?;
        let s2 = sigma * sigma;
        if let Some(&bad) = steps.iter().find(|&&e| !(e > 0.0 && e < 2.0 * s2)) {
            return Err(SamplerError::InvalidParameter {
                name: "step size",
                value: bad,
                reason: "steps must lie in (0, 2σ²)",
            }
            .into());
        }
        let start = Particles::sample(&target, particles, seed)?;
        let variance = |p: &Particles| {
            let x = p.coordinate(0);
            let n = x.len() as f64;
            let m = x.iter().sum::<f64>() / n;
            x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0)
        };
        let n_steps = 400;
        let (mut ula, mut mala) = (Vec::new(), Vec::new());
        for (i, &eps) in steps.iter().enumerate() {
            let s = stream_key(seed, Purpose::Run, i);
            let u = Ula::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
            let m = Mala::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
            ula.push(u.last().map_or(f64::NAN, variance));
            mala.push(m.last().map_or(f64::NAN, variance));
        }
        Ok(StepSizeBias {
            sigma,
            steps: steps.to_vec(),
            n_steps,
            particles,
            ula,
            mala,
        })
    }
}

impl StepSizeBias {
    /// Measured variances as markers over the predicted curve, on a log axis.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let s2 = self.sigma * self.sigma;
        let lo = self.steps.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = self.steps.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let fine: Vec<f64> = ndarray::Array1::linspace(lo, hi, 200).to_vec();
        let predicted: Vec<f64> = fine.iter().map(|&e| self.predicted(e)).collect();
        LinePlot::new(format!(
            "Stationary variance on N(0, {}) after {} steps, {} particles",
            number(s2),
            self.n_steps,
            self.particles
        ))
        .labels("step size ε", "variance")
        .dashed("ULA predicted σ²/(1 − ε/2σ²)", &fine, &predicted)
        .points("ULA measured", &self.steps, &self.ula)
        .points("MALA measured", &self.steps, &self.mala)
        .dashed("target σ²", &[lo, hi], &[s2, s2])
        .log_y(true)
        .render()
    }
}

shown_as_figure!(StepSizeBias);
