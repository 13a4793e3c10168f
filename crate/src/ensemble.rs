//! Many independent chains at once: particles, and snapshots of them at chosen steps.
//!
//! Each particle has its own random stream, derived from the seed and the particle's index, so a
//! run gives bit-identical results on any number of threads. Only the requested snapshots are
//! kept: memory grows with particles × snapshots, never with the number of steps.

use rand::{Rng, SeedableRng};
use rayon::prelude::*;

use crate::annealed::AnnealedLangevin;
use crate::error::SamplerError;
use crate::langevin::{SamplerRng, Ula};
use crate::mala::Mala;
use crate::mixture::GaussianMixture;
use crate::score::{LogDensity, Score};

/// Particles processed per parallel task.
const CHUNK: usize = 256;

/// A cloud of n points in ℝᵈ, stored row per particle.
#[derive(Debug, Clone, PartialEq)]
pub struct Particles {
    dim: usize,
    data: Vec<f64>,
}

impl Particles {
    /// Particles from a flat row-major buffer of n × d finite values.
    pub fn from_flat(dim: usize, data: Vec<f64>) -> Result<Self, SamplerError> {
        if dim == 0 || !data.len().is_multiple_of(dim) || data.is_empty() {
            return Err(SamplerError::InvalidParameter {
                name: "particle buffer length",
                value: data.len() as f64,
                reason: "must be a positive multiple of the dimension",
            });
        }
        if data.iter().any(|v| !v.is_finite()) {
            return Err(SamplerError::NonFiniteStart);
        }
        Ok(Particles { dim, data })
    }

    /// n particles uniform on the box [lo, hi]ᵈ, seeded.
    ///
    /// ```
    /// let p = scorelab::Particles::uniform(1000, 1, -3.0, 3.0, 1)?;
    /// assert!(p.coordinate(0).iter().all(|x| (-3.0..=3.0).contains(x)));
    /// # Ok::<(), scorelab::SamplerError>(())
    /// ```
    pub fn uniform(
        n: usize,
        dim: usize,
        lo: f64,
        hi: f64,
        seed: u64,
    ) -> Result<Self, SamplerError> {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(SamplerError::InvalidParameter {
                name: "box bound",
                value: hi,
                reason: "need finite lo < hi",
            });
        }
        let data = (0..n)
            .flat_map(|i| {
                let mut rng = particle_rng(seed, i);
                (0..dim)
                    .map(move |_| lo + (hi - lo) * rng.random::<f64>())
                    .collect::<Vec<_>>()
            })
            .collect();
        Self::from_flat(dim, data)
    }

    /// n exact draws from a mixture, seeded.
    pub fn sample(mixture: &GaussianMixture, n: usize, seed: u64) -> Result<Self, SamplerError> {
        let d = mixture.dim_of_points();
        let mut data = vec![0.0; n * d];
        data.par_chunks_mut(d).enumerate().for_each(|(i, out)| {
            let mut rng = particle_rng(seed, i);
            mixture.sample_into(&mut rng, out);
        });
        Self::from_flat(d, data)
    }

    /// Number of particles n.
    pub fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    /// Whether there are no particles (never true for a constructed cloud).
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Particle i, or `None` past the end.
    pub fn point(&self, i: usize) -> Option<&[f64]> {
        self.data.get(i * self.dim..(i + 1) * self.dim)
    }

    /// The particles in order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.data.chunks_exact(self.dim)
    }

    /// Coordinate `axis` of every particle (empty if `axis >= d`).
    pub fn coordinate(&self, axis: usize) -> Vec<f64> {
        if axis >= self.dim {
            return Vec::new();
        }
        self.points().map(|p| p[axis]).collect()
    }

    /// The flat row-major buffer.
    pub fn as_flat(&self) -> &[f64] {
        &self.data
    }
}

/// The particle cloud at chosen steps of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshots {
    steps: Vec<usize>,
    times: Vec<f64>,
    clouds: Vec<Particles>,
    acceptance_rate: Option<f64>,
}

impl Snapshots {
    /// The recorded step numbers, ascending (0 is the start).
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// Diffusion time of each snapshot: the sum of step sizes up to it (t = k ε for ULA), the
    /// time at which the Fokker–Planck density p_t is comparable.
    pub fn times(&self) -> &[f64] {
        &self.times
    }

    /// The particles at the i-th recorded step.
    pub fn get(&self, i: usize) -> Option<&Particles> {
        self.clouds.get(i)
    }

    /// The particles at step number `step`, if it was recorded.
    pub fn at_step(&self, step: usize) -> Option<&Particles> {
        self.steps
            .iter()
            .position(|&s| s == step)
            .and_then(|i| self.clouds.get(i))
    }

    /// The last recorded cloud.
    pub fn last(&self) -> Option<&Particles> {
        self.clouds.last()
    }

    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.clouds.len()
    }

    /// Whether no step was recorded.
    pub fn is_empty(&self) -> bool {
        self.clouds.is_empty()
    }

    /// Fraction of accepted proposals over all particles and steps (MALA only).
    pub fn acceptance_rate(&self) -> Option<f64> {
        self.acceptance_rate
    }

    /// Iterates over (step, particles).
    pub fn iter(&self) -> impl Iterator<Item = (usize, &Particles)> + '_ {
        self.steps.iter().copied().zip(&self.clouds)
    }
}

/// The random stream of particle `index` under `seed`: independent of thread count and order.
pub fn particle_rng(seed: u64, index: usize) -> SamplerRng {
    SamplerRng::seed_from_u64(splitmix64(
        seed ^ splitmix64(index as u64 ^ 0x5EED_5EED_5EED_5EED),
    ))
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One Markov chain transition applied to a single particle.
pub(crate) trait Transition: Sync {
    /// Per-particle cached values (e.g. MALA's log p and score).
    type Cache: Send;
    fn dim(&self) -> usize;
    fn init(&self, x: &[f64]) -> Self::Cache;
    /// Step size used by step `t` (1-based), for the diffusion time.
    fn step_size(&self, t: usize) -> f64;
    /// Advances `x` by step `t`; returns whether a proposal was accepted (always true for ULA).
    fn advance(
        &self,
        t: usize,
        x: &mut [f64],
        cache: &mut Self::Cache,
        rng: &mut SamplerRng,
    ) -> bool;
}

/// Runs every particle through `n_steps` transitions, keeping the clouds at the `record` steps.
pub(crate) fn run_particles<T: Transition>(
    transition: &T,
    start: &Particles,
    n_steps: usize,
    record: &[usize],
    seed: u64,
    counts_acceptance: bool,
) -> Result<Snapshots, SamplerError> {
    let d = start.dim();
    if d != transition.dim() {
        return Err(SamplerError::DimensionMismatch {
            expected: transition.dim(),
            found: d,
        });
    }
    let mut steps: Vec<usize> = record.to_vec();
    steps.sort_unstable();
    steps.dedup();
    if let Some(&last) = steps.last() {
        if last > n_steps {
            return Err(SamplerError::InvalidParameter {
                name: "snapshot step",
                value: last as f64,
                reason: "is after the last step of the run",
            });
        }
    }
    let n = start.len();
    let n_snap = steps.len();
    // Each chunk returns its particles' snapshots (n_snap × chunk × d), accepted count, and the
    // first divergence (particle index, step) if any.
    type ChunkResult = (Vec<f64>, u64, Option<(usize, usize)>);
    let chunks: Vec<ChunkResult> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let range = c * CHUNK..((c + 1) * CHUNK).min(n);
            let len = range.len();
            let mut out = vec![0.0; n_snap * len * d];
            let mut accepted = 0u64;
            let mut x = vec![0.0; d];
            for (j, i) in range.enumerate() {
                x.copy_from_slice(start.point(i).unwrap_or_default());
                let mut rng = particle_rng(seed, i);
                let mut cache = transition.init(&x);
                let mut next = 0;
                let store = |t: usize, x: &[f64], next: &mut usize, out: &mut [f64]| {
                    while *next < n_snap && steps[*next] == t {
                        out[(*next * len + j) * d..(*next * len + j + 1) * d].copy_from_slice(x);
                        *next += 1;
                    }
                };
                store(0, &x, &mut next, &mut out);
                for t in 1..=n_steps {
                    if transition.advance(t, &mut x, &mut cache, &mut rng) {
                        accepted += 1;
                    }
                    if x.iter().any(|v| !v.is_finite()) {
                        return (out, accepted, Some((i, t)));
                    }
                    store(t, &x, &mut next, &mut out);
                }
            }
            (out, accepted, None)
        })
        .collect();
    if let Some((_, step)) = chunks.iter().filter_map(|c| c.2).min() {
        return Err(SamplerError::Diverged {
            step,
            step_size: transition.step_size(step),
        });
    }
    let mut clouds: Vec<Vec<f64>> = vec![Vec::with_capacity(n * d); n_snap];
    let mut accepted = 0u64;
    for (out, acc, _) in &chunks {
        accepted += acc;
        let len = out.len() / (n_snap * d).max(1);
        for (s, cloud) in clouds.iter_mut().enumerate() {
            cloud.extend_from_slice(&out[s * len * d..(s + 1) * len * d]);
        }
    }
    let mut times = Vec::with_capacity(n_snap);
    let (mut t_acc, mut k) = (0.0, 0);
    for &s in &steps {
        while k < s {
            k += 1;
            t_acc += transition.step_size(k);
        }
        times.push(t_acc);
    }
    let total = (n as u64) * (n_steps as u64);
    Ok(Snapshots {
        steps,
        times,
        clouds: clouds
            .into_iter()
            .map(|data| Particles { dim: d, data })
            .collect(),
        acceptance_rate: (counts_acceptance && total > 0).then(|| accepted as f64 / total as f64),
    })
}

struct UlaTransition<'a, S: ?Sized> {
    ula: Ula,
    target: &'a S,
}

impl<S: Score + Sync + ?Sized> Transition for UlaTransition<'_, S> {
    type Cache = Vec<f64>;
    fn dim(&self) -> usize {
        self.target.dim()
    }
    fn init(&self, x: &[f64]) -> Vec<f64> {
        vec![0.0; x.len()]
    }
    fn step_size(&self, _: usize) -> f64 {
        self.ula.step_size()
    }
    fn advance(&self, _: usize, x: &mut [f64], score: &mut Vec<f64>, rng: &mut SamplerRng) -> bool {
        ula_step(self.target, self.ula.step_size(), x, score, rng);
        true
    }
}

#[inline]
fn ula_step<S: Score + ?Sized>(
    target: &S,
    eps: f64,
    x: &mut [f64],
    score: &mut [f64],
    rng: &mut SamplerRng,
) {
    target.score_into(x, score);
    let noise = (2.0 * eps).sqrt();
    for (xi, si) in x.iter_mut().zip(score.iter()) {
        let z: f64 = rng.sample(rand_distr::StandardNormal);
        *xi += eps * si + noise * z;
    }
}

struct MalaTransition<'a, D: ?Sized> {
    mala: Mala,
    target: &'a D,
}

/// MALA's per-particle cache: log p(x), s(x), and scratch for the proposal.
struct MalaCache {
    log_p: f64,
    score: Vec<f64>,
    proposal: Vec<f64>,
    proposal_score: Vec<f64>,
}

impl<D: LogDensity + Score + Sync + ?Sized> Transition for MalaTransition<'_, D> {
    type Cache = MalaCache;
    fn dim(&self) -> usize {
        self.target.dim()
    }
    fn init(&self, x: &[f64]) -> MalaCache {
        let d = x.len();
        MalaCache {
            log_p: self.target.log_prob(x),
            score: self.target.score(x),
            proposal: vec![0.0; d],
            proposal_score: vec![0.0; d],
        }
    }
    fn step_size(&self, _: usize) -> f64 {
        self.mala.step_size()
    }
    fn advance(&self, _: usize, x: &mut [f64], c: &mut MalaCache, rng: &mut SamplerRng) -> bool {
        self.mala.transition(
            self.target,
            x,
            &mut c.log_p,
            &mut c.score,
            &mut c.proposal,
            &mut c.proposal_score,
            rng,
        )
    }
}

struct AnnealedTransition<'a, S> {
    sampler: &'a AnnealedLangevin,
    levels: &'a [S],
}

impl<S: Score + Sync> Transition for AnnealedTransition<'_, S> {
    type Cache = Vec<f64>;
    fn dim(&self) -> usize {
        self.levels[0].dim()
    }
    fn init(&self, x: &[f64]) -> Vec<f64> {
        vec![0.0; x.len()]
    }
    fn step_size(&self, t: usize) -> f64 {
        self.sampler.step_size(self.level(t)).unwrap_or(0.0)
    }
    fn advance(&self, t: usize, x: &mut [f64], score: &mut Vec<f64>, rng: &mut SamplerRng) -> bool {
        let level = self.level(t);
        ula_step(&self.levels[level], self.step_size(t), x, score, rng);
        true
    }
}

impl<S> AnnealedTransition<'_, S> {
    fn level(&self, t: usize) -> usize {
        ((t - 1) / self.sampler.steps_per_level().max(1)).min(self.levels.len() - 1)
    }
}

impl Ula {
    /// Runs every particle of `start` for `n_steps` ULA steps in parallel, keeping the clouds at
    /// the steps in `record` (0 is the start). Same seed, same result, on any number of threads.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    /// let start = Particles::uniform(10_000, 1, -3.0, 3.0, 0)?;
    /// let snaps = Ula::new(0.01)?.run_ensemble(&gm, &start, 100, &[0, 1, 10, 100], 7)?;
    /// assert_eq!(snaps.steps(), &[0, 1, 10, 100]);
    /// assert!((snaps.times()[3] - 1.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_ensemble<S: Score + Sync + ?Sized>(
        &self,
        target: &S,
        start: &Particles,
        n_steps: usize,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        run_particles(
            &UlaTransition { ula: *self, target },
            start,
            n_steps,
            record,
            seed,
            false,
        )
    }
}

impl Mala {
    /// Like [`Ula::run_ensemble`], with MALA transitions; the snapshots carry the acceptance rate.
    pub fn run_ensemble<D: LogDensity + Score + Sync + ?Sized>(
        &self,
        target: &D,
        start: &Particles,
        n_steps: usize,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        run_particles(
            &MalaTransition {
                mala: *self,
                target,
            },
            start,
            n_steps,
            record,
            seed,
            true,
        )
    }
}

impl AnnealedLangevin {
    /// Runs every particle through all noise levels; `record` counts steps over all levels
    /// (level i covers steps i·T + 1 ..= (i + 1)·T).
    pub fn run_ensemble<S: Score + Sync>(
        &self,
        levels: &[S],
        start: &Particles,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        if levels.len() != self.sigmas().len() {
            return Err(SamplerError::InvalidParameter {
                name: "number of score levels",
                value: levels.len() as f64,
                reason: "must equal the number of noise levels",
            });
        }
        let transition = AnnealedTransition {
            sampler: self,
            levels,
        };
        run_particles(&transition, start, self.total_steps(), record, seed, false)
    }
}
