//! Sampling by running a forward noising process backwards in time.
//!
//! For $dx = f(x,t)\,dt + g(t)\,dW$ with marginals $p_t$, two processes carry $p_T$ back to $p_0$:
//!
//! - the **reverse-time SDE** $dx = [f - g^2 s(x,t)]\,dt + g\,d\bar W$ (time running backward),
//!   solved by Euler–Maruyama: $x \leftarrow x - [f - g^2 s]\,\Delta t + g\sqrt{\Delta t}\,z$;
//! - the **probability-flow ODE** $dx = [f - \tfrac12 g^2 s(x,t)]\,dt$, deterministic, solved by
//!   Heun's method (a predictor step, then the trapezoid of both slopes).
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
use crate::model::diffusion::{Diffusion, HORIZON, TimeScore};
use crate::model::score::Dimension;
use crate::progress::Progress;
use crate::sample::divergence::point_divergence;
use crate::sample::ensemble::Particles;
use crate::sample::error::SamplerError;
use crate::sample::record::Record;
use crate::sample::rules::{euler_back, flow_velocity, heun_back, reverse_sde_move};
use crate::sample::seeding::{Purpose, stream_rng};

/// Particles moved together, this many per parallel task.
const CHUNK: usize = 256;

/// Which reverse-time integrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReverseSampler {
    /// The reverse-time SDE by Euler–Maruyama (stochastic; one normal draw per coordinate and
    /// step, from the particle's own stream).
    Sde,
    /// The probability-flow ODE by Heun's method (deterministic: same start, same end).
    Ode,
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
/// [`ReverseWarning`] about them (shown by `Display` and `Debug`).
#[derive(Debug, Clone)]
pub struct ReverseRun {
    sampler: ReverseSampler,
    times: Vec<f64>,
    states: Vec<Particles>,
    warnings: Vec<ReverseWarning>,
}

impl std::fmt::Display for ReverseRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let samples = self.samples();
        write!(
            f,
            "{}: {} particles in {}-D from t = {HORIZON} to 0, {} states recorded",
            self.sampler.name(),
            samples.len(),
            samples.dim(),
            self.states.len()
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
            ReverseSampler::Sde => 1.0,
            ReverseSampler::Ode => 0.5,
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
    /// [work budget](crate::limits::work_budget), [`SamplerError::DimensionMismatch`] if the
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
        let evaluations = match sampler {
            ReverseSampler::Sde => 1.0,
            ReverseSampler::Ode => 2.0,
        };
        let units = start.len() as f64 * steps as f64 * evaluations * score.evaluation_cost();
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
        // The SDE's noise: one stream per particle, and room for one step's normals.
        let (mut streams, mut normals) = match sampler {
            ReverseSampler::Sde => (
                (0..start.len())
                    .map(|i| stream_rng(seed, Purpose::ReverseNoise, i))
                    .collect(),
                vec![0.0; x.len()],
            ),
            ReverseSampler::Ode => (Vec::new(), Vec::new()),
        };
        for n in 0..steps {
            let t = HORIZON - n as f64 * dt;
            let t_next = (t - dt).max(0.0);
            match sampler {
                ReverseSampler::Sde => {
                    // x ← x − [f − g² s] Δt + g √Δt z.
                    let g2 = process.g_squared(t);
                    let c = process.drift_factor(t);
                    score.score_batch_at(t, &x, &mut velocity);
                    let noise = (g2 * dt).sqrt();
                    x.par_chunks_mut(CHUNK * d)
                        .zip(velocity.par_chunks(CHUNK * d))
                        .zip(streams.par_chunks_mut(CHUNK))
                        .zip(normals.par_chunks_mut(CHUNK * d))
                        .for_each(|(((xs, ss), rngs), zs)| {
                            let particles = xs.chunks_exact_mut(d).zip(ss.chunks_exact(d));
                            for ((xp, sp), (rng, zp)) in
                                particles.zip(rngs.iter_mut().zip(zs.chunks_exact_mut(d)))
                            {
                                rng.fill(zp);
                                for ((xi, &si), &zi) in xp.iter_mut().zip(sp).zip(zp.iter()) {
                                    *xi = reverse_sde_move(*xi, si, zi, (g2, c), dt, noise);
                                }
                            }
                        });
                }
                ReverseSampler::Ode => {
                    // v = f − ½ g² s; predictor x̃ = x − Δt v(x, t), then the trapezoid.
                    probability_flow(process, score, t, &x, &mut velocity);
                    for ((p, &xi), &v) in predicted.iter_mut().zip(&x).zip(&velocity) {
                        *p = euler_back(xi, v, dt);
                    }
                    probability_flow(process, score, t_next, &predicted, &mut velocity_end);
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
