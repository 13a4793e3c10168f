//! [`PriorMismatch`]: what starting the reverse process from the prior N(0, I) instead of the
//! exact p₁ costs, for VP processes whose β_max leaves p₁ more or less far from N(0, I).

use super::error::StudyError;
use super::shared::require_dim;
use crate::analysis::diagnostics::{ks_statistic, mixture_cdf};
use crate::learn::{LearnError, ks_to_data};
use crate::model::diffusion::Diffusion;
use crate::model::mixture::GaussianMixture;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::reverse::ReverseSampler;
use crate::sample::seeding::{Purpose, stream_key};

/// For each β_max (β from β_min = 0.1), the VP process's mismatch at t = 1 and what it leaves
/// at t = 0: the KS distance between p₁ and N(0, 1), and the KS distances from the data of the
/// samples of a run started at the exact p₁ and of one started at N(0, 1) (same sampler, steps
/// and seed).
#[derive(Debug, Clone, PartialEq)]
pub struct PriorMismatch {
    /// The β_max of each process.
    pub beta_max: Vec<f64>,
    /// $\sup_x|F_{p_1}(x) - \Phi(x)|$: how far the prior is from the true p₁.
    pub start_gap: Vec<f64>,
    /// KS distance D at t = 0 of the run started at the exact p₁.
    pub from_exact: Vec<f64>,
    /// KS distance D at t = 0 of the run started at N(0, 1).
    pub from_prior: Vec<f64>,
    /// The mean KS distance of as many exact samples of the data (8 draws): the floor.
    pub floor: f64,
}

/// Settings of a [`PriorMismatch`] study on the 1-D mixture `data`, made by
/// [`prior_mismatch`]; [`run`](Self::run) runs it.
#[derive(Debug, Clone)]
pub struct PriorMismatchStudy<'a> {
    data: &'a GaussianMixture,
    beta_max: Vec<f64>,
    particles: usize,
    steps: usize,
    sampler: ReverseSampler,
    seed: u64,
}

/// The prior-mismatch study on the 1-D mixture `data`: β_max of 1, 2, 5, 10 and 20, 2000
/// particles, 500 steps of the reverse SDE, seed 0, until set otherwise.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6])?;
/// let study = scorelab::studies::prior_mismatch(&data)
///     .beta_max(&[2.0, 20.0])
///     .particles(1000)
///     .steps(200)
///     .seed(3)
///     .run()?;
/// // β_max = 2 leaves p₁ far from N(0, 1), and the samples inherit it; β_max = 20 does not.
/// assert!(study.start_gap[0] > 0.1 && study.start_gap[1] < 2e-3);
/// assert!(study.from_prior[0] > 2.0 * study.from_exact[0]);
/// assert!((study.from_prior[1] - study.from_exact[1]).abs() < 0.02);
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn prior_mismatch(data: &GaussianMixture) -> PriorMismatchStudy<'_> {
    PriorMismatchStudy {
        data,
        beta_max: vec![1.0, 2.0, 5.0, 10.0, 20.0],
        particles: 2000,
        steps: 500,
        sampler: ReverseSampler::Sde,
        seed: 0,
    }
}

impl PriorMismatchStudy<'_> {
    /// The β_max of the VP processes compared (each ≥ 0.1).
    pub fn beta_max(mut self, beta_max: &[f64]) -> Self {
        self.beta_max = beta_max.to_vec();
        self
    }

    /// Particles per run.
    pub fn particles(mut self, particles: usize) -> Self {
        self.particles = particles;
        self
    }

    /// Steps per run.
    pub fn steps(mut self, steps: usize) -> Self {
        self.steps = steps;
        self
    }

    /// The reverse-time sampler (default the reverse SDE).
    pub fn sampler(mut self, sampler: ReverseSampler) -> Self {
        self.sampler = sampler;
        self
    }

    /// The seed of the starts and of the sampler's noise.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs both starts for each β_max.
    ///
    /// # Errors
    /// [`StudyError::WrongDimension`] unless the data are 1-D, [`StudyError::InvalidParameter`]
    /// for no β_max; as [`Diffusion::variance_preserving`] (as [`StudyError::Learn`]),
    /// [`Particles::sample`] and [`ReverseRunner::run`](crate::ReverseRunner::run).
    pub fn run(&self) -> Result<PriorMismatch, StudyError> {
        require_dim(self.data, 1)?;
        if self.beta_max.is_empty() {
            return Err(StudyError::InvalidParameter {
                name: "beta_max",
                value: 0.0,
                reason: "give at least one β_max",
            });
        }
        let prior = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
        let prior_start = Particles::sample(&prior, self.particles, self.seed)?;
        let runner = self.sampler.steps(self.steps).seed(self.seed);
        let mut study = PriorMismatch {
            beta_max: self.beta_max.clone(),
            start_gap: Vec::new(),
            from_exact: Vec::new(),
            from_prior: Vec::new(),
            floor: 0.0,
        };
        for &beta_max in &self.beta_max {
            let vp = Diffusion::variance_preserving(self.data, 0.1..=beta_max)
                .map_err(LearnError::from)?;
            let p1 = vp.marginal(1.0).map_err(LearnError::from)?;
            study.start_gap.push(cdf_gap(&p1, &prior));
            let exact_start = Particles::sample(&p1, self.particles, self.seed)?;
            for (start, out) in [
                (&exact_start, &mut study.from_exact),
                (&prior_start, &mut study.from_prior),
            ] {
                let run = runner.run(&vp, &vp, start)?;
                out.push(ks_to_data(&run, self.data)?);
            }
        }
        let mut floor = 0.0;
        for k in 0..8 {
            let key = stream_key(self.seed, Purpose::Run, k);
            let x = Particles::sample(self.data, self.particles, key)?.coordinate(0);
            floor += ks_statistic(&x, |v| mixture_cdf(self.data, v).unwrap_or(f64::NAN))? / 8.0;
        }
        study.floor = floor;
        Ok(study)
    }
}

/// $\sup_x|F_a(x) - F_b(x)|$ of two 1-D mixtures, on 4001 points over ±12 of the wider's
/// spread.
fn cdf_gap(a: &GaussianMixture, b: &GaussianMixture) -> f64 {
    (0..=4000)
        .map(|i| -12.0 + 24.0 * i as f64 / 4000.0)
        .map(|x| {
            let fa = mixture_cdf(a, x).unwrap_or(f64::NAN);
            let fb = mixture_cdf(b, x).unwrap_or(f64::NAN);
            (fa - fb).abs()
        })
        .fold(0.0, f64::max)
}

impl PriorMismatch {
    /// D at t = 0 from both starts, the gap between p₁ and N(0, 1) (drawn at least 10⁻⁴), and
    /// the floor, against β_max; logarithmic D.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let (lo, hi) = self
            .beta_max
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        let gap: Vec<f64> = self.start_gap.iter().map(|g| g.max(1e-4)).collect();
        LinePlot::new("Prior mismatch: start at N(0, 1) instead of the exact p₁ (VP)")
            .labels(
                "β_{max} (β rises linearly from 0.1 to β_{max}; larger: p₁ closer to N(0, 1))",
                "KS distance (log scale)",
            )
            .log_y(true)
            .line_with_markers(
                "D at t = 0, start N(0, 1)",
                &self.beta_max,
                &self.from_prior,
            )
            .line_with_markers(
                "D at t = 0, start exact p₁",
                &self.beta_max,
                &self.from_exact,
            )
            .dashed("gap between p₁ and N(0, 1) at t = 1", &self.beta_max, &gap)
            .dashed(
                "D of as many exact samples (floor)",
                &[lo, hi],
                &[self.floor, self.floor],
            )
            .color(5)
            .render()
    }
}

impl std::fmt::Display for PriorMismatch {
    /// One row per β_max: the gap at t = 1 and D at t = 0 from both starts, then the floor.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let data = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6])?;
    /// let study = scorelab::studies::prior_mismatch(&data).beta_max(&[1.0, 20.0]).particles(200);
    /// let table = study.steps(100).seed(3).run()?.to_string();
    /// assert_eq!(table.lines().count(), 4, "{table}");
    /// assert!(table.starts_with("β_max"), "{table}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<6} {:>14} {:>18} {:>18}",
            "β_max", "gap at t = 1", "D from exact p₁", "D from N(0, 1)"
        )?;
        for (i, beta) in self.beta_max.iter().enumerate() {
            writeln!(
                f,
                "{beta:<6} {:>14.4} {:>18.3} {:>18.3}",
                self.start_gap[i], self.from_exact[i], self.from_prior[i]
            )?;
        }
        write!(f, "floor (D of as many exact samples): {:.3}", self.floor)
    }
}

shown_as_figure!(PriorMismatch);
