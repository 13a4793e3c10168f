//! The figures of the studies: each study's data ([`crate::studies`]) drawn as a line plot or
//! histograms, and shown as that figure when it is a notebook cell's value.

use super::Figure;
use crate::analysis::studies::{
    AnnealedVsUla, DistancesOverTime, FiniteDifferenceCheck, MmdOverTime, NaiveVsExact,
    NoiseLevels1d, OccupancyOverTime, SteinVsOrdinary, StepSizeBias,
};
use crate::plot::PlotError;
use crate::plot::{Histograms, LinePlot};

/// `figure()` from the drawing below, and `evcxr_display` showing it (or the error, as text).
macro_rules! shown_as_figure {
    ($($study:ty),* $(,)?) => {$(
        impl $study {
            /// Shows the figure inline when this is the value of a notebook cell (evcxr).
            pub fn evcxr_display(&self) {
                match self.figure() {
                    Ok(figure) => figure.evcxr_display(),
                    Err(err) => println!(
                        "EVCXR_BEGIN_CONTENT text/plain\nthe figure could not be drawn: {err}\nEVCXR_END_CONTENT"
                    ),
                }
            }
        }
    )*};
}

shown_as_figure!(
    SteinVsOrdinary,
    FiniteDifferenceCheck,
    NaiveVsExact,
    StepSizeBias,
    OccupancyOverTime,
    DistancesOverTime,
    MmdOverTime,
    NoiseLevels1d,
    AnnealedVsUla,
);

/// Every tenth value, for markers that do not hide the line under them.
fn every_tenth(v: &[f64]) -> Vec<f64> {
    v.iter().step_by(10).cloned().collect()
}

fn as_f64(steps: &[usize]) -> Vec<f64> {
    steps.iter().map(|&s| s as f64).collect()
}

impl SteinVsOrdinary {
    /// The Stein score and the dashed ordinary scores against x.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut plot = LinePlot::new("Stein score ∇ₓ log p vs ordinary scores ∇_μₖ log p")
            .labels("x", "score")
            .line("Stein score ∇ₓ log p(x)", &self.xs, &self.stein);
        for (k, ys) in self.ordinary.iter().enumerate() {
            plot = plot.dashed(format!("ordinary score ∇_μ{k} log p(x)"), &self.xs, ys);
        }
        plot.render()
    }
}

impl FiniteDifferenceCheck {
    /// The analytic score as a line, the finite difference as markers, the worst gap in the title.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        LinePlot::new(format!(
            "Analytic score vs finite difference (h = {:e}): max |difference| = {:.1e}",
            self.h, self.worst
        ))
        .labels("x", "score")
        .line("analytic −Σ rₖ Σₖ⁻¹(x − μₖ)", &self.xs, &self.analytic)
        .points(
            "finite difference of log p",
            &every_tenth(&self.xs),
            &every_tenth(&self.numeric),
        )
        .render()
    }
}

impl NaiveVsExact {
    /// The exact score as a line, the naive one as markers (missing where it is 0/0).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        LinePlot::new(format!(
            "Exact score vs ∇p / p: {} of {} points are 0/0 = NaN",
            self.lost,
            self.xs.len()
        ))
        .labels("x", "score")
        .line("exact (log-sum-exp)", &self.xs, &self.exact)
        .points("naive ∇p / p", &self.xs, &self.naive)
        .render()
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

impl OccupancyOverTime {
    /// One line per mode, its weight dashed in the same colour.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let steps = as_f64(&self.steps);
        let ends = [steps[0], steps[steps.len() - 1]];
        let mut plot = LinePlot::new("Mode occupancy over time")
            .labels("step", "fraction of particles")
            .y_range(0.0, 1.0);
        for (k, mean) in self.means.iter().enumerate() {
            let ys: Vec<f64> = self.occupancy.iter().map(|o| o[k]).collect();
            plot = plot
                .line(format!("mode {k} (μ = {mean:?})"), &steps, &ys)
                .color(k);
        }
        for (k, &w) in self.weights.iter().enumerate() {
            plot = plot
                .dashed(format!("weight w{k} = {w}"), &ends, &[w, w])
                .color(k);
        }
        plot.render()
    }
}

impl DistancesOverTime {
    /// KS and W1 against step.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let steps = as_f64(&self.steps);
        LinePlot::new("Distance of the particles to the target")
            .labels("step", "distance")
            .line("Kolmogorov–Smirnov D", &steps, &self.ks)
            .line("Wasserstein W1", &steps, &self.w1)
            .render()
    }
}

impl MmdOverTime {
    /// MMD² against step on a log axis (floored at 10⁻⁶: the unbiased estimate can dip below 0).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let floored: Vec<f64> = self.mmd.iter().map(|v| v.max(1e-6)).collect();
        LinePlot::new("MMD² to exact samples (Gaussian kernel, h = 1)")
            .labels("step", "MMD²")
            .line("particles vs target", &as_f64(&self.steps), &floored)
            .log_y(true)
            .render()
    }
}

impl NoiseLevels1d {
    /// One density per noise level.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut plot = LinePlot::new("Noise-perturbed densities p_σ = Σ wₖ N(μₖ, σₖ² + σ²)")
            .labels("x", "density");
        for (s, ys) in self.sigmas.iter().zip(&self.densities) {
            plot = plot.line(format!("σ = {s}"), &self.xs, ys);
        }
        plot.render()
    }
}

impl AnnealedVsUla {
    /// The two final clouds as histograms over the target, titled with their occupancies.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let fmt = |o: &[f64]| {
            o.iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Histograms::new(&self.mixture, self.range.clone())
            .panel(
                format!(
                    "annealed, {} steps: occupancy {}",
                    self.cost,
                    fmt(&self.annealed_occupancy)
                ),
                &self.annealed,
            )
            .panel(
                format!(
                    "ULA ε = {}, {} steps: occupancy {}",
                    self.ula_step,
                    self.cost,
                    fmt(&self.ula_occupancy)
                ),
                &self.ula,
            )
            .panel_size(620, 380)
            .render()
    }
}
