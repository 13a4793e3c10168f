//! [`TemperedLangevin`]: Langevin dynamics on one energy $E = -\log p$ at several temperatures,
//! against the tempered densities $e^{-E/T}/Z_T$, and at T = 0, where it is gradient descent.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, grid, require_dim};
use crate::analysis::diagnostics::{mode_occupancy, most_responsible};
use crate::model::mixture::GaussianMixture;
use crate::model::score::{LogDensity, Score};
use crate::model::tempered::Tempered;
use crate::plot::{Figure, Histograms, LinePlot, PlotError};
use crate::plot::{number, significant};
use crate::sample::ensemble::Particles;
use crate::sample::langevin::Ula;
use crate::sample::rules::{check_step, langevin_move};
use crate::sample::seeding::{Purpose, stream_key};

/// Grid points for E and the tempered densities.
const GRID: usize = 401;

/// Langevin dynamics on the energy $E = -\log p$ of a 1-D mixture at temperatures T: each run
/// is ULA with step εT on the tempered score s/T ([`Tempered`]), i.e.
/// $x \leftarrow x - \varepsilon\nabla E(x) + \sqrt{2\varepsilon T}\,z$. The T = 0 run is the
/// same move without noise: gradient descent.
#[derive(Debug, Clone, PartialEq)]
pub struct TemperedLangevin {
    /// The mixture p whose energy is sampled.
    pub mixture: GaussianMixture,
    /// The temperatures T > 0 of the noisy runs.
    pub temperatures: Vec<f64>,
    /// The energy step ε (ULA's step on s/T is εT).
    pub step: f64,
    /// Steps of every run.
    pub steps: usize,
    /// The grid over the range.
    pub xs: Vec<f64>,
    /// $E(x) = -\log p(x)$ on the grid.
    pub energy: Vec<f64>,
    /// $e^{-E/T}/Z_T$ on the grid for each temperature, $Z_T$ by the trapezoid rule.
    pub densities: Vec<Vec<f64>>,
    /// Mass of each component's region (largest responsibility) under each tempered density.
    pub tempered_weights: Vec<Vec<f64>>,
    /// The cloud at the end of each noisy run.
    pub clouds: Vec<Particles>,
    /// Fraction of each cloud in each component's region.
    pub occupancy: Vec<Vec<f64>>,
    /// Where gradient descent (T = 0) ends, from the same start.
    pub descent: Particles,
    /// Fraction of the T = 0 end points in each component's region.
    pub descent_occupancy: Vec<f64>,
}

/// The tempered runs, built by [`tempered_langevin`]; [`run`](Self::run) runs them.
#[derive(Debug, Clone)]
pub struct TemperedLangevinStudy<'a> {
    mixture: &'a GaussianMixture,
    temperatures: Vec<f64>,
    step: f64,
    steps: usize,
    particles: usize,
    range: RangeInclusive<f64>,
    seed: u64,
}

/// Langevin dynamics on the energy of the 1-D `mixture` at several temperatures, from one
/// uniform start over the range. Defaults: temperatures 0.5, 1, 2; energy step ε = 0.02;
/// 2 000 steps; 10 000 particles; range −4..=4; seed 0.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.7, 0.3], &[-1.2, 1.2], &[0.6, 0.6])?;
/// let study = scorelab::studies::tempered_langevin(&gm).particles(2000).seed(1).run()?;
/// // T = 1 samples p: the heavier mode holds about 0.7 of the cloud.
/// assert!((study.occupancy[1][0] - 0.7).abs() < 0.05);
/// // Colder, the deeper minimum holds more; hotter, less.
/// assert!(study.tempered_weights[0][0] > 0.8 && study.tempered_weights[2][0] < 0.65);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tempered_langevin(mixture: &GaussianMixture) -> TemperedLangevinStudy<'_> {
    TemperedLangevinStudy {
        mixture,
        temperatures: vec![0.5, 1.0, 2.0],
        step: 0.02,
        steps: 2000,
        particles: 10_000,
        range: -4.0..=4.0,
        seed: 0,
    }
}

impl TemperedLangevinStudy<'_> {
    /// The temperatures of the noisy runs, each finite and > 0 (0.5, 1, 2 by default); T = 0
    /// is always run, as gradient descent.
    pub fn temperatures(mut self, temperatures: &[f64]) -> Self {
        self.temperatures = temperatures.to_vec();
        self
    }

    /// The energy step ε (0.02 by default): each run takes ULA steps of εT on s/T.
    pub fn step(mut self, step: f64) -> Self {
        self.step = step;
        self
    }

    /// Steps of every run (2 000 by default).
    pub fn steps(mut self, steps: usize) -> Self {
        self.steps = steps;
        self
    }

    /// Particles of every run (10 000 by default).
    pub fn particles(mut self, particles: usize) -> Self {
        self.particles = particles;
        self
    }

    /// The range of the uniform start, the grid and the histograms (−4..=4 by default).
    pub fn range(mut self, range: RangeInclusive<f64>) -> Self {
        self.range = range;
        self
    }

    /// The seed of the start and of every run (0 by default).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs gradient descent and the noisy run at each temperature from the same start.
    ///
    /// # Errors
    /// [`StudyError::WrongDimension`] unless the mixture is 1-D, [`StudyError::InvalidRange`],
    /// [`StudyError::InvalidParameter`] for no temperatures, a temperature that is not finite
    /// and > 0, or a gradient descent that diverges (a step too large for the energy), and
    /// [`StudyError::Sampler`] for a bad step, size or a diverging noisy run.
    pub fn run(&self) -> Result<TemperedLangevin, StudyError> {
        let gm = self.mixture;
        require_dim(gm, 1)?;
        check_range(&self.range)?;
        let step = check_step(self.step)?;
        if self.temperatures.is_empty() {
            return Err(StudyError::InvalidParameter {
                name: "temperatures",
                value: 0.0,
                reason: "give at least one temperature",
            });
        }
        let start = Particles::uniform(self.range.clone()).draw(self.particles, self.seed)?;
        let mut clouds = Vec::new();
        for (i, &t) in self.temperatures.iter().enumerate() {
            let tempered = Tempered::new(gm, t).map_err(|_| StudyError::InvalidParameter {
                name: "temperature",
                value: t,
                reason: "each temperature must be finite and > 0 (T = 0 is always run)",
            })?;
            let seed = stream_key(self.seed, Purpose::Run, i);
            let run = Ula::new(step * t)?.run_ensemble(
                &tempered,
                &start,
                self.steps,
                &[self.steps],
                seed,
            )?;
            clouds.extend(run.last().cloned());
        }
        let descent = gradient_descent(gm, &start, step, self.steps)?;
        let xs = grid(&self.range, GRID);
        let energy: Vec<f64> = xs.iter().map(|&x| -gm.log_prob(&[x])).collect();
        let owner: Vec<usize> = xs.iter().map(|&x| most_responsible(gm, &[x])).collect();
        let (mut densities, mut tempered_weights) = (Vec::new(), Vec::new());
        for &t in &self.temperatures {
            let density = tempered_density(&xs, &energy, t);
            let dx = xs[1] - xs[0];
            let mut mass = vec![0.0; gm.n_components()];
            for (&k, &d) in owner.iter().zip(&density) {
                mass[k] += d * dx;
            }
            let total: f64 = mass.iter().sum();
            tempered_weights.push(mass.iter().map(|m| m / total).collect());
            densities.push(density);
        }
        let occupancy = clouds
            .iter()
            .map(|c| mode_occupancy(gm, c))
            .collect::<Result<_, _>>()?;
        Ok(TemperedLangevin {
            mixture: gm.clone(),
            temperatures: self.temperatures.clone(),
            step,
            steps: self.steps,
            descent_occupancy: mode_occupancy(gm, &descent)?,
            xs,
            energy,
            densities,
            tempered_weights,
            clouds,
            occupancy,
            descent,
        })
    }
}

/// The Langevin move with the noise term zero, `steps` times from each start point:
/// $x \leftarrow x + \varepsilon s(x) = x - \varepsilon \nabla E(x)$. A point stops early once
/// its move is below 10⁻¹³ (it sits at a minimum, to rounding).
fn gradient_descent(
    gm: &GaussianMixture,
    start: &Particles,
    step: f64,
    steps: usize,
) -> Result<Particles, StudyError> {
    let mut x = start.as_flat().to_vec();
    for xi in &mut x {
        for _ in 0..steps {
            let next = langevin_move(*xi, gm.score(&[*xi])[0], 0.0, step, 0.0);
            let moved = (next - *xi).abs();
            *xi = next;
            if moved < 1e-13 || moved.is_nan() {
                break;
            }
        }
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(StudyError::InvalidParameter {
            name: "step",
            value: step,
            reason: "gradient descent diverged: use a smaller step",
        });
    }
    Ok(Particles::from_flat(1, x)?)
}

/// $e^{-E/T}/Z_T$ on the grid `xs`, $Z_T$ by the trapezoid rule (E shifted by its minimum
/// first, so nothing overflows).
fn tempered_density(xs: &[f64], energy: &[f64], t: f64) -> Vec<f64> {
    let low = energy.iter().cloned().fold(f64::INFINITY, f64::min);
    let q: Vec<f64> = energy.iter().map(|e| (-(e - low) / t).exp()).collect();
    let dx = xs[1] - xs[0];
    let z = dx * (q.iter().sum::<f64>() - 0.5 * (q[0] + q[q.len() - 1]));
    q.iter().map(|v| v / z).collect()
}

impl TemperedLangevin {
    /// One histogram panel per temperature, each over its own $e^{-E/T}/Z_T$.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut h = Histograms::new(&self.mixture, self.range()).bins(60);
        let runs = self
            .temperatures
            .iter()
            .zip(&self.clouds)
            .zip(&self.densities);
        for (((&t, cloud), density), (occ, w)) in
            runs.zip(self.occupancy.iter().zip(&self.tempered_weights))
        {
            let what = match t {
                t if t < 1.0 => "sharper",
                t if t > 1.0 => "flatter",
                _ => "p itself",
            };
            let title = format!(
                "T = {}, {what}: left mode {} (exact {})",
                number(t),
                significant(occ[0], 2),
                significant(w[0], 2)
            );
            h = h.panel_over(title, cloud, "e^{−E/T}/Z_T", (&self.xs, density));
        }
        h.panel_size(440, 360).render()
    }

    /// The energy E(x) with the points where gradient descent (T = 0) ends.
    pub fn descent_figure(&self) -> Result<Figure, PlotError> {
        let ends = self.descent.coordinate(0);
        let step = (ends.len() / 200).max(1);
        let shown: Vec<f64> = ends.iter().step_by(step).cloned().collect();
        let at: Vec<f64> = shown
            .iter()
            .map(|&x| -self.mixture.log_prob(&[x]))
            .collect();
        let split = self
            .descent_occupancy
            .iter()
            .map(|&o| significant(o, 2))
            .collect::<Vec<_>>()
            .join(" / ");
        LinePlot::new(format!(
            "T = 0: gradient descent on E ends at the nearest minimum (split {split})"
        ))
        .labels("x", "energy E(x) = −log p(x)")
        .line("E(x)", &self.xs, &self.energy)
        .points(
            format!("end points after {} steps", self.steps),
            &shown,
            &at,
        )
        .size(720, 400)
        .render()
    }

    fn range(&self) -> RangeInclusive<f64> {
        self.xs[0]..=self.xs[self.xs.len() - 1]
    }
}

shown_as_figure!(TemperedLangevin);

#[cfg(test)]
mod tests {
    use super::*;

    fn mixture() -> GaussianMixture {
        GaussianMixture::new_1d(&[0.7, 0.3], &[-1.2, 1.2], &[0.6, 0.6]).unwrap()
    }

    #[test]
    fn the_tempered_density_integrates_to_one_and_is_p_at_t_1() {
        let gm = mixture();
        let study = tempered_langevin(&gm)
            .temperatures(&[1.0])
            .particles(100)
            .steps(10)
            .run()
            .unwrap();
        for (x, d) in study.xs.iter().zip(&study.densities[0]) {
            assert!((d - gm.pdf(&[*x])).abs() < 1e-4, "{x}: {d}");
        }
        assert!((study.tempered_weights[0][0] - 0.7).abs() < 0.01);
    }

    #[test]
    fn gradient_descent_ends_at_the_minimum_of_its_basin() {
        let gm = mixture();
        let study = tempered_langevin(&gm)
            .particles(1000)
            .seed(3)
            .run()
            .unwrap();
        for x in study.descent.coordinate(0) {
            assert!((x + 1.2).abs() < 0.01 || (x - 1.2).abs() < 0.01, "{x}");
        }
        // The split is by basin (the barrier sits near 0.17), not by depth.
        assert!((study.descent_occupancy[0] - 0.52).abs() < 0.05);
    }

    #[test]
    fn each_cloud_matches_its_tempered_weights() {
        let gm = mixture();
        let study = tempered_langevin(&gm)
            .particles(4000)
            .seed(5)
            .run()
            .unwrap();
        for (occ, w) in study.occupancy.iter().zip(&study.tempered_weights) {
            assert!((occ[0] - w[0]).abs() < 0.04, "{occ:?} vs {w:?}");
        }
    }

    #[test]
    fn bad_temperatures_and_steps_are_refused() {
        let gm = mixture();
        for t in [0.0, -1.0, f64::NAN] {
            let err = tempered_langevin(&gm).temperatures(&[t]).run().unwrap_err();
            assert!(
                matches!(
                    err,
                    StudyError::InvalidParameter {
                        name: "temperature",
                        ..
                    }
                ),
                "{err}"
            );
        }
        let err = tempered_langevin(&gm).temperatures(&[]).run().unwrap_err();
        assert!(matches!(err, StudyError::InvalidParameter { .. }), "{err}");
        let err = tempered_langevin(&gm).step(0.0).run().unwrap_err();
        assert!(matches!(err, StudyError::Sampler(_)), "{err}");
    }
}
