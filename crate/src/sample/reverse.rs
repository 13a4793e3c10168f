//! Sampling by running a forward noising process backwards in time.
//!
//! For $dx = f(x,t)\,dt + g(t)\,dW$ with marginals $p_t$, two processes carry $p_T$ back to $p_0$:
//!
//! - the **reverse-time SDE** $dx = [f - g^2 s(x,t)]\,dt + g\,d\bar W$ (time running backward),
//!   solved by Euler–Maruyama: $x \leftarrow x - [f - g^2 s]\,\Delta t + g\sqrt{\Delta t}\,z$;
//! - the **probability-flow ODE** $dx = [f - \tfrac12 g^2 s(x,t)]\,dt$, deterministic, solved by
//!   Heun's method (a predictor step, then the trapezoid of both slopes);
//! - **predictor–corrector** (Song et al. 2021): each reverse-SDE step followed by one Langevin
//!   step on the new $p_t$, with annealed Langevin's step rule α ∝ σ²;
//! - **DDPM's ancestral step** (VP only): $x \leftarrow (x + \beta_i s)/\sqrt{1-\beta_i} + \sqrt{\beta_i}\,z$,
//!   the same reverse SDE discretised another way.
//!
//! Every run counts its score evaluations per particle ([`ReverseRun::score_evaluations`]):
//! the cost to compare samplers by, since Heun's step and a predictor–corrector step take two.
//!
//! Both are driven by any [`TimeScore`]: the exact one of a [`Diffusion`] on a mixture, or a learned
//! one. Steps are uniform on [0, T]; particles are moved in parallel in chunks of 256. Each
//! particle i draws the SDE's noise from its own stream (seed, [`Purpose::ReverseNoise`], i),
//! d standard normals per step as a Langevin sampler draws them ([`NoiseStream::fill`]), so the
//! result does not depend on the number of threads. A run whose steps are too long for the
//! process says so in its result (see [`ReverseWarning`]).
//!
//! [`Purpose::ReverseNoise`]: crate::Purpose::ReverseNoise
//! [`NoiseStream::fill`]: crate::NoiseStream::fill

use rayon::prelude::*;

use crate::limits;
use crate::model::diffusion::Schedule;
use crate::model::diffusion::{Diffusion, HORIZON, TimeScore};
use crate::model::score::Dimension;
use crate::progress::Progress;
use crate::sample::divergence::point_divergence;
use crate::sample::ensemble::Particles;
use crate::sample::error::SamplerError;
use crate::sample::record::Record;
use crate::sample::rules::{
    ddpm_move, euler_back, flow_velocity, heun_back, langevin_move, reverse_sde_move,
};
use crate::sample::seeding::{NoiseStream, Purpose, stream_rng};

/// Particles moved together, this many per parallel task.
const CHUNK: usize = 256;

/// Which reverse-time integrator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReverseSampler {
    /// The reverse-time SDE by Euler–Maruyama (stochastic; one normal draw per coordinate and
    /// step, from the particle's own stream). One score evaluation per step.
    Sde,
    /// The probability-flow ODE by Heun's method (deterministic: same start, same end). Two
    /// score evaluations per step.
    Ode,
    /// Predictor–corrector (Song et al. 2021): each step the reverse-SDE step from t to
    /// t − Δt (the predictor), then one Langevin step $x \leftarrow x + \alpha s + \sqrt{2\alpha}\,z$
    /// on $p_{t-\Delta t}$ (the corrector) with annealed Langevin's rule α ∝ σ² (notebook 05),
    /// written through its signal-to-noise ratio r: $\alpha = 2r^2 v(t - \Delta t)$, v the noise
    /// variance the process has added. Since $\lVert s\rVert \sim 1/\sqrt v$, the step's drift
    /// over its noise, $\alpha\lVert s\rVert/\sqrt{2\alpha}$, is about r at every t (Song and
    /// Ermon's argument for α ∝ σ²). Two score evaluations per step; none for the corrector
    /// where v = 0 (the last step ends at t = 0).
    PredictorCorrector {
        /// The corrector's signal-to-noise ratio r > 0 (Song et al. use 0.16 for VE).
        snr: f64,
    },
    /// DDPM's ancestral step, for a variance-preserving process only:
    /// $x \leftarrow (x + \beta_i s(x, t))/\sqrt{1 - \beta_i} + \sqrt{\beta_i}\,z$ with the
    /// discrete rate $\beta_i = 1 - a_t^2/a_{t-\Delta t}^2 \approx \beta(t)\Delta t$
    /// (DDPM's $1 - \bar\alpha_i/\bar\alpha_{i-1}$ with $\bar\alpha = a^2$), always in (0, 1).
    /// To first order in β it is the Euler–Maruyama step of the VP reverse SDE. One score
    /// evaluation per step.
    Ddpm,
}

/// What a finished reverse-time run should not be trusted for, and why.
///
/// **Step-size limit.** Near a component of $p_t$ with covariance $\Sigma$ the score is
/// $-\Sigma^{-1}(x - \mu)$, so one step of either integrator multiplies the deviation along an
/// eigenvector of variance $\sigma^2$ by $R(z)$, $z = \Delta t\,\rho$, where the flow itself
/// multiplies it by $e^{-z}$; the stiffness is $\rho = g^2/\sigma^2 + c$ for the SDE and
/// $\tfrac12 g^2/\sigma^2 + c$ for the ODE ($f = c\,x$). Euler's $R(z) = 1 - z$ turns negative
/// past z = 1 (each step overshoots the mode) and grows past 2 (unstable); Heun's
/// $R(z) = 1 - z + z^2/2$ stops falling past z = 1 (a stiffer target is contracted *less*, the
/// opposite of the flow) and grows past 2. So both follow the flow only for $z \le 1$, the
/// limit used here. The score's Jacobian is at least $-1/\sigma^2_{\min}(t)$ in every
/// direction, $\sigma^2_{\min}$ the narrowest variance of any component
/// ([`Diffusion::narrowest_variance`]), and reaches it near that component, so $\rho(t)$ with
/// $\sigma^2_{\min}$ is the stiffness that matters. A run whose steps exceed the limit still
/// returns its samples (they may be finite and wrong: e.g. KS distance 0.5 from the data after
/// 10 steps of VE with σ_max = 10⁶), with this warning, which says how many steps would keep
/// within it.
#[derive(Debug, Clone, PartialEq)]
pub enum ReverseWarning {
    /// The steps were longer than the limit Δt ρ(t) ≤ 1 within which the integrator follows
    /// the flow: the samples may be far from the data, finite or not.
    StepsTooLong {
        /// The sampler.
        sampler: ReverseSampler,
        /// The largest Δt ρ(t) over the run (the limit is 1; past 2 the steps grow errors).
        worst: f64,
        /// The time t where ρ(t) is largest.
        time: f64,
        /// The fewest uniform steps that keep Δt ρ(t) ≤ 1 on all of [0, T].
        steps_needed: usize,
    },
}

impl std::fmt::Display for ReverseWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReverseWarning::StepsTooLong {
                sampler,
                worst,
                time,
                steps_needed,
            } => write!(
                f,
                "the {}'s steps are too long for this process: Δt·ρ reaches {worst:.3} > 1 \
                 near t = {time:.3} (ρ = the stiffness of p_t's narrowest component; past 1 a \
                 step no longer follows the flow, past 2 it is unstable), so the samples may be \
                 far from the data; use at least {steps_needed} steps, and several times \
                 more for accurate samples",
                sampler.name()
            ),
        }
    }
}

/// The states of a reverse-time run at recorded times, from t = T down to t = 0, and any
/// [`ReverseWarning`] about them (shown by `Display` and `Debug`), and the score evaluations
/// the run took per particle.
#[derive(Debug, Clone)]
pub struct ReverseRun {
    sampler: ReverseSampler,
    times: Vec<f64>,
    states: Vec<Particles>,
    warnings: Vec<ReverseWarning>,
    evaluations: usize,
}

impl std::fmt::Display for ReverseRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let samples = self.samples();
        write!(
            f,
            "{}: {} particles in {}-D from t = {HORIZON} to 0, {} states recorded, {} score \
             evaluations per particle",
            self.sampler.name(),
            samples.len(),
            samples.dim(),
            self.states.len(),
            self.evaluations
        )?;
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        Ok(())
    }
}

impl ReverseRun {
    /// What the samples should not be trusted for (empty when nothing was noticed).
    pub fn warnings(&self) -> &[ReverseWarning] {
        &self.warnings
    }

    /// The score evaluations per particle the run took: its cost. The SDE and DDPM take one per
    /// step, Heun's ODE and predictor–corrector two (PC one less where its last corrector falls
    /// at v = 0).
    pub fn score_evaluations(&self) -> usize {
        self.evaluations
    }

    /// The sampler that made the run.
    pub fn sampler(&self) -> ReverseSampler {
        self.sampler
    }

    /// The recorded times, decreasing from T to 0.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The particles at each recorded time.
    pub fn states(&self) -> &[Particles] {
        &self.states
    }

    /// The particles at t = 0: the samples.
    pub fn samples(&self) -> &Particles {
        // A run records at least its start and end.
        &self.states[self.states.len() - 1]
    }

    /// Coordinate `axis` of particle `i` at every recorded time: its path.
    pub fn path(&self, i: usize, axis: usize) -> Vec<f64> {
        self.states
            .iter()
            .filter_map(|p| p.point(i).and_then(|x| x.get(axis).copied()))
            .collect()
    }
}

impl ReverseSampler {
    /// The sampler's name, as progress lines show it.
    pub fn name(self) -> &'static str {
        match self {
            ReverseSampler::Sde => "reverse SDE",
            ReverseSampler::Ode => "probability-flow ODE",
            ReverseSampler::PredictorCorrector { .. } => "predictor–corrector",
            ReverseSampler::Ddpm => "DDPM ancestral sampler",
        }
    }

    /// Score evaluations per step (at most).
    pub fn evaluations_per_step(self) -> usize {
        match self {
            ReverseSampler::Sde | ReverseSampler::Ddpm => 1,
            ReverseSampler::Ode | ReverseSampler::PredictorCorrector { .. } => 2,
        }
    }

    /// A run of this sampler in `steps` uniform steps, to be given its record and seed and
    /// then [`run`](ReverseRunner::run).
    pub fn steps(self, steps: usize) -> ReverseRunner {
        ReverseRunner::new(self).steps(steps)
    }

    /// A run of this sampler (default steps) keeping the states `record` says.
    pub fn record(self, record: Record) -> ReverseRunner {
        ReverseRunner::new(self).record(record)
    }

    /// A run of this sampler (default steps) with the SDE's noise seeded by `seed`.
    pub fn seed(self, seed: u64) -> ReverseRunner {
        ReverseRunner::new(self).seed(seed)
    }

    /// The stiffness ρ(t) of `process` for this integrator (see [`ReverseWarning`]).
    fn stiffness(self, process: &Diffusion, t: f64) -> f64 {
        let share = match self {
            ReverseSampler::Ode => 0.5,
            _ => 1.0,
        };
        share * process.g_squared(t) / process.narrowest_variance(t) + process.drift_factor(t)
    }

    /// A warning if `steps` uniform steps exceed the step-size limit somewhere on [0, T]. ρ is
    /// taken at 4 097 uniform times and at 16 per decade from 1 down to 10⁻³⁰⁰ (a VP process
    /// with a large β_max is stiffest at t ≈ √(2 ln 2 / β_max), between the uniform times).
    fn stability(self, process: &Diffusion, steps: usize) -> Option<ReverseWarning> {
        let uniform = (0..=4096).map(|i| HORIZON * i as f64 / 4096.0);
        let near_zero = (0..=4800).map(|i| HORIZON * 10f64.powf(-(i as f64) / 16.0));
        let (time, rho) = uniform
            .chain(near_zero)
            .map(|t| (t, self.stiffness(process, t)))
            .filter(|(_, rho)| !rho.is_nan())
            .fold(
                (0.0, f64::NEG_INFINITY),
                |a, b| if b.1 > a.1 { b } else { a },
            );
        let dt = HORIZON / steps as f64;
        (dt * rho > 1.0).then(|| ReverseWarning::StepsTooLong {
            sampler: self,
            worst: dt * rho,
            time,
            // With 1 % to spare for the peak falling between the times sampled.
            steps_needed: (1.01 * rho * HORIZON).ceil().min(usize::MAX as f64) as usize,
        })
    }
}

/// A reverse-time run to make: the sampler, its number of uniform steps (default 1000), the
/// states to keep (default [`Record::Ends`]: the start and the samples) and the seed of the
/// SDE's noise (default 0; the ODE has none). Made by [`ReverseSampler::steps`].
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// let start = Particles::sample(&vp.marginal(1.0)?, 500, 1)?;
/// let run = ReverseSampler::Ode.steps(100).run(&vp, &vp, &start)?;
/// let near_a_mode = run.samples().points().filter(|x| (x[0].abs() - 2.0).abs() < 1.5).count();
/// assert!(near_a_mode > 480);
/// let sde = ReverseSampler::Sde.steps(100).record(Record::Every(10)).seed(3);
/// let path = sde.run(&vp, &vp, &start)?;
/// assert_eq!(path.times().len(), 11);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReverseRunner {
    sampler: ReverseSampler,
    steps: usize,
    record: Record,
    seed: u64,
}

impl ReverseRunner {
    /// A run of `sampler` with the defaults.
    pub fn new(sampler: ReverseSampler) -> Self {
        ReverseRunner {
            sampler,
            steps: 1000,
            record: Record::Ends,
            seed: 0,
        }
    }

    /// The number of uniform steps from T to 0.
    pub fn steps(self, steps: usize) -> Self {
        ReverseRunner { steps, ..self }
    }

    /// Which states to keep, counted in steps from t = T: [`Record::Every(k)`](Record::Every)
    /// keeps the start, every k-th step and the end, [`Record::Ends`] the start and the end.
    pub fn record(self, record: Record) -> Self {
        ReverseRunner { record, ..self }
    }

    /// The seed of the SDE's noise; the ODE ignores it.
    pub fn seed(self, seed: u64) -> Self {
        ReverseRunner { seed, ..self }
    }

    /// Runs `start` (samples of $p_T$, e.g. [`Diffusion::marginal`] at T) from T to 0 under
    /// `process` with score `score`.
    ///
    /// A run whose steps are too long for the process returns with a [`ReverseWarning`] in
    /// [`ReverseRun::warnings`].
    ///
    /// # Errors
    /// [`SamplerError::Limit`] for steps outside `1..=10⁸`, `Record::Every(0)`, recorded clouds
    /// over the memory budget or particles × steps over the
    /// [work budget](crate::limits::work_budget), [`SamplerError::InvalidParameter`] for a
    /// predictor–corrector's r that is not finite and > 0 or DDPM on a VE process,
    /// [`SamplerError::DimensionMismatch`] if the
    /// particles, score and process disagree in dimension, [`SamplerError::Diverged`] if a
    /// particle leaves every finite region.
    pub fn run<S: TimeScore + ?Sized>(
        &self,
        process: &Diffusion,
        score: &S,
        start: &Particles,
    ) -> Result<ReverseRun, SamplerError> {
        let ReverseRunner {
            sampler,
            steps,
            record,
            seed,
        } = *self;
        limits::STEPS.check(steps)?;
        for found in [score.dim(), start.dim()] {
            if found != process.dim() {
                return Err(SamplerError::DimensionMismatch {
                    expected: process.dim(),
                    found,
                });
            }
        }
        let d = process.dim();
        record.check()?;
        let recorded = record.len(steps);
        let bytes = recorded.saturating_mul(std::mem::size_of_val(start.as_flat()));
        limits::check_bytes(
            "reverse-time path",
            bytes,
            "record fewer steps or particles",
        )?;
        check_sampler(sampler, process)?;
        let per_step = sampler.evaluations_per_step() as f64;
        let units = start.len() as f64 * steps as f64 * per_step * score.evaluation_cost();
        limits::check_work(sampler.name(), units, "use fewer particles or steps")?;
        let warnings = sampler.stability(process, steps).into_iter().collect();
        let mut progress = Progress::new(sampler.name(), "steps", steps as u64);
        let dt = HORIZON / steps as f64;
        let mut x = start.as_flat().to_vec();
        let mut times = vec![HORIZON];
        let mut states = vec![start.clone()];
        let mut velocity = vec![0.0; x.len()];
        let mut predicted = vec![0.0; x.len()];
        let mut velocity_end = vec![0.0; x.len()];
        // The noise: one stream per particle, and room for one step's normals.
        let (mut streams, mut normals) = match sampler {
            ReverseSampler::Ode => (Vec::new(), Vec::new()),
            _ => (
                (0..start.len())
                    .map(|i| stream_rng(seed, Purpose::ReverseNoise, i))
                    .collect(),
                vec![0.0; x.len()],
            ),
        };
        let mut evaluations = 0;
        for n in 0..steps {
            let t = HORIZON - n as f64 * dt;
            // The last step ends at 0 exactly (where v = 0), not at a rounding error from it.
            let t_next = if n + 1 == steps {
                0.0
            } else {
                (t - dt).max(0.0)
            };
            let mut noisy = Noisy {
                d,
                streams: &mut streams,
                normals: &mut normals,
            };
            match sampler {
                ReverseSampler::Sde | ReverseSampler::PredictorCorrector { .. } => {
                    // x ← x − [f − g² s] Δt + g √Δt z.
                    let g2 = process.g_squared(t);
                    let c = process.drift_factor(t);
                    score.score_batch_at(t, &x, &mut velocity);
                    evaluations += 1;
                    let noise = (g2 * dt).sqrt();
                    noisy.apply(&mut x, &velocity, |xi, si, zi| {
                        reverse_sde_move(xi, si, zi, (g2, c), dt, noise)
                    });
                    if let ReverseSampler::PredictorCorrector { snr } = sampler {
                        // Langevin on p_{t − Δt}: α = 2 r² v(t − Δt).
                        let alpha = 2.0 * snr * snr * process.scale_and_variance(t_next).1;
                        if alpha > 0.0 {
                            score.score_batch_at(t_next, &x, &mut velocity);
                            evaluations += 1;
                            let noise = (2.0 * alpha).sqrt();
                            noisy.apply(&mut x, &velocity, |xi, si, zi| {
                                langevin_move(xi, si, zi, alpha, noise)
                            });
                        }
                    }
                }
                ReverseSampler::Ddpm => {
                    // β_i = 1 − a²(t)/a²(t − Δt), from the scales' logarithms.
                    let log_ratio = process.log_scale(t) - process.log_scale(t_next);
                    let beta = -(2.0 * log_ratio).exp_m1();
                    let (inverse_root, noise) = (1.0 / (1.0 - beta).sqrt(), beta.sqrt());
                    score.score_batch_at(t, &x, &mut velocity);
                    evaluations += 1;
                    noisy.apply(&mut x, &velocity, |xi, si, zi| {
                        ddpm_move(xi, si, zi, beta, inverse_root, noise)
                    });
                }
                ReverseSampler::Ode => {
                    // v = f − ½ g² s; predictor x̃ = x − Δt v(x, t), then the trapezoid.
                    probability_flow(process, score, t, &x, &mut velocity);
                    for ((p, &xi), &v) in predicted.iter_mut().zip(&x).zip(&velocity) {
                        *p = euler_back(xi, v, dt);
                    }
                    probability_flow(process, score, t_next, &predicted, &mut velocity_end);
                    evaluations += 2;
                    x.par_iter_mut()
                        .zip(velocity.par_iter().zip(velocity_end.par_iter()))
                        .for_each(|(xi, (&v0, &v1))| *xi = heun_back(*xi, v0, v1, dt));
                }
            }
            if let Some(trigger) = point_divergence(&x) {
                return Err(SamplerError::Diverged {
                    step: n + 1,
                    step_size: dt,
                    trigger,
                });
            }
            let last = n + 1 == steps;
            if record.keeps(n + 1, steps) {
                times.push(if last { 0.0 } else { t_next });
                states.push(Particles::from_flat(d, x.clone())?);
            }
            progress.update(n as u64 + 1);
        }
        progress.finish();
        Ok(ReverseRun {
            sampler,
            times,
            states,
            warnings,
            evaluations,
        })
    }
}

/// The probability-flow velocity $f(x,t) - \tfrac12 g(t)^2 s(x,t)$ at every point.
fn probability_flow<S: TimeScore + ?Sized>(
    process: &Diffusion,
    score: &S,
    t: f64,
    x: &[f64],
    out: &mut [f64],
) {
    score.score_batch_at(t, x, out);
    let (c, half_g2) = (process.drift_factor(t), 0.5 * process.g_squared(t));
    for (o, &xi) in out.iter_mut().zip(x) {
        *o = flow_velocity(xi, *o, c, half_g2);
    }
}

/// A sampler's noise: each particle's stream and room for one step's normals.
struct Noisy<'a> {
    d: usize,
    streams: &'a mut [NoiseStream],
    normals: &'a mut [f64],
}

impl Noisy<'_> {
    /// Moves every coordinate of `x` to `step(x, s, z)` with s its score from `scores` and z
    /// drawn from its particle's own stream, d normals per particle and step.
    fn apply(&mut self, x: &mut [f64], scores: &[f64], step: impl Fn(f64, f64, f64) -> f64 + Sync) {
        let d = self.d;
        x.par_chunks_mut(CHUNK * d)
            .zip(scores.par_chunks(CHUNK * d))
            .zip(self.streams.par_chunks_mut(CHUNK))
            .zip(self.normals.par_chunks_mut(CHUNK * d))
            .for_each(|(((xs, ss), rngs), zs)| {
                let particles = xs.chunks_exact_mut(d).zip(ss.chunks_exact(d));
                for ((xp, sp), (rng, zp)) in
                    particles.zip(rngs.iter_mut().zip(zs.chunks_exact_mut(d)))
                {
                    rng.fill(zp);
                    for ((xi, &si), &zi) in xp.iter_mut().zip(sp).zip(zp.iter()) {
                        *xi = step(*xi, si, zi);
                    }
                }
            });
    }
}

/// Checks that `sampler` applies to `process`: a predictor–corrector's r finite and > 0, DDPM
/// on a variance-preserving process.
fn check_sampler(sampler: ReverseSampler, process: &Diffusion) -> Result<(), SamplerError> {
    match (sampler, process.schedule()) {
        (ReverseSampler::PredictorCorrector { snr }, _) if !(snr > 0.0 && snr.is_finite()) => {
            Err(SamplerError::InvalidParameter {
                name: "predictor–corrector snr",
                value: snr,
                reason: "must be finite and > 0",
            })
        }
        (ReverseSampler::Ddpm, Schedule::VarianceExploding { sigma_max, .. }) => {
            Err(SamplerError::InvalidParameter {
                name: "VE process (σ_max)",
                value: sigma_max,
                reason: "DDPM's ancestral step is for a variance-preserving process; use Sde, \
                         Ode or PredictorCorrector",
            })
        }
        _ => Ok(()),
    }
}
