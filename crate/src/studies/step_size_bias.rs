//! [`StepSizeBias`]: ULA's and MALA's stationary variance on N(0, σ²) against step size.

use super::error::StudyError;
use crate::model::mixture::GaussianMixture;
use crate::sample::error::SamplerError;

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

/// ULA's stationary variance on N(0, σ²) against step size ε, measured with an ensemble of
/// `particles` started from exact samples, to compare with σ² / (1 − ε / 2σ²); MALA's at the same
/// steps stays at σ².
///
/// # Errors
/// [`StudyError::InvalidParameter`] for fewer than 2 particles, [`StudyError::Sampler`] unless
/// every step lies in (0, 2σ²), or σ is invalid.
pub fn step_size_bias(
    sigma: f64,
    steps: &[f64],
    particles: usize,
    seed: u64,
) -> Result<StepSizeBias, StudyError> {
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

impl StepSizeBias {
    /// Measured variances as markers over the predicted curve, on a log axis.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let s2 = self.sigma * self.sigma;
        let lo = self.steps.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = self.steps.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let fine: Vec<f64> = ndarray::Array1::linspace(lo, hi, 200).to_vec();
        let predicted: Vec<f64> = fine.iter().map(|&e| self.predicted(e)).collect();
        LinePlot::new(format!(
            "Stationary variance on N(0, {s2}) after {} steps, {} particles",
            self.n_steps, self.particles
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
