//! The driver shared by every run: it checks the snapshot steps, runs chunks of particles in
//! parallel, stops at the earliest divergence and hands each chunk the slices of the snapshot
//! buffers it fills. A single chain ([`run_one`]) is one particle recorded at every step.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Particles, Snapshots};
use crate::limits;
use crate::progress::Progress;
use crate::sample::divergence::DivergenceTrigger;
use crate::sample::error::SamplerError;
use crate::sample::record::Record;
use crate::sample::trajectory::Trajectory;

/// Particles per parallel task: a multiple of the kernels' block width.
const CHUNK: usize = 512;

/// A validated run: its length and the steps to record, ascending and without repeats, and
/// what one particle-step costs (see [`Plan::costing`]).
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) n_steps: usize,
    pub(crate) steps: Vec<usize>,
    work: Option<(&'static str, f64)>,
}

impl Plan {
    pub(crate) fn new(n_steps: usize, record: &[usize]) -> Result<Self, SamplerError> {
        limits::STEPS.check(n_steps)?;
        limits::SNAPSHOTS.check(record.len())?;
        let mut steps = record.to_vec();
        steps.sort_unstable();
        steps.dedup();
        if let Some(&last) = steps.last()
            && last > n_steps
        {
            return Err(SamplerError::InvalidParameter {
                name: "snapshot step",
                value: last as f64,
                reason: "is after the last step of the run",
            });
        }
        Ok(Plan {
            n_steps,
            steps,
            work: None,
        })
    }

    /// The run, named `task`, with `cost` units of work per particle-step (see
    /// [`limits::NANOS_PER_UNIT`]): [`run`] checks particles × steps × cost against the work
    /// budget before it starts.
    pub(crate) fn costing(self, task: &'static str, cost: f64) -> Self {
        Plan {
            work: Some((task, cost)),
            ..self
        }
    }
}

/// The earliest step at which some particle diverged, and the rule that fired (non-finite before
/// bound at the same step), kept as 2·step + rule. Every particle runs up to and including that
/// step, so what is reported is the same whatever the order in which chunks run.
pub(crate) struct Divergence {
    code: AtomicUsize,
    /// A single chain's progress, reported from its step loop (ensembles report per chunk).
    chain: Option<Mutex<Progress>>,
}

/// A single chain reports its progress every this many steps (one clock read each time).
const CHAIN_REPORT_EVERY: usize = 1 << 14;

impl Divergence {
    fn new(chain: Option<Progress>) -> Self {
        Divergence {
            code: AtomicUsize::new(usize::MAX),
            chain: chain.map(Mutex::new),
        }
    }

    /// Whether step `t` can still change the outcome: no particle has diverged before it.
    #[inline]
    pub(crate) fn allows(&self, t: usize) -> bool {
        if t.is_multiple_of(CHAIN_REPORT_EVERY) {
            self.chain_reached(t);
        }
        t <= self.code.load(Ordering::Relaxed) / 2
    }

    #[cold]
    fn chain_reached(&self, t: usize) {
        if let Some(Ok(mut progress)) = self.chain.as_ref().map(Mutex::lock) {
            progress.update(t as u64);
        }
    }

    pub(crate) fn report(&self, t: usize, trigger: DivergenceTrigger) {
        let rule = match trigger {
            DivergenceTrigger::NonFinite => 0,
            DivergenceTrigger::Bound => 1,
        };
        self.code.fetch_min(2 * t + rule, Ordering::Relaxed);
    }

    /// The error to return, if a particle diverged.
    fn error(&self, step_size: impl Fn(usize) -> f64) -> Result<(), SamplerError> {
        let code = self.code.load(Ordering::Relaxed);
        if code == usize::MAX {
            return Ok(());
        }
        let step = code / 2;
        Err(SamplerError::Diverged {
            step,
            step_size: step_size(step),
            trigger: if code.is_multiple_of(2) {
                DivergenceTrigger::NonFinite
            } else {
                DivergenceTrigger::Bound
            },
        })
    }
}

/// The part of every snapshot that belongs to one chunk: `clouds[s]` holds its `len` particles
/// of dimension `dim`, row after row.
pub(crate) struct ChunkRecord<'a> {
    steps: &'a [usize],
    clouds: Vec<&'a mut [f64]>,
    dim: usize,
}

impl ChunkRecord<'_> {
    /// Index of the first snapshot taken at step ≥ `t`.
    pub(crate) fn first_from(&self, t: usize) -> usize {
        self.steps.partition_point(|&s| s < t)
    }

    /// If snapshot `next` is taken at step `t`, stores particle `j`'s point, given coordinate by
    /// coordinate, and returns the next snapshot's index; otherwise returns `next`.
    #[inline]
    pub(crate) fn record(
        &mut self,
        next: usize,
        t: usize,
        j: usize,
        coordinate: impl Fn(usize) -> f64,
    ) -> usize {
        if self.steps.get(next) != Some(&t) {
            return next;
        }
        let d = self.dim;
        for (i, v) in self.clouds[next][j * d..(j + 1) * d].iter_mut().enumerate() {
            *v = coordinate(i);
        }
        next + 1
    }

    /// The step snapshot `next` is taken at; `usize::MAX` past the last one.
    #[inline]
    pub(crate) fn step_of(&self, next: usize) -> usize {
        self.steps.get(next).copied().unwrap_or(usize::MAX)
    }

    /// Whether snapshot `next` is taken at step `t`.
    #[inline]
    pub(crate) fn due(&self, next: usize, t: usize) -> bool {
        self.steps.get(next) == Some(&t)
    }
}

/// One parallel task's share of a run: the particles `first..` (their run indices), starting at
/// `points` (row per particle), the parts of the snapshots they fill, and the run's watch for
/// divergence.
pub(crate) struct Chunk<'c, 'r> {
    pub(crate) first: usize,
    pub(crate) points: &'c [f64],
    pub(crate) record: &'c mut ChunkRecord<'r>,
    pub(crate) divergence: &'c Divergence,
}

/// Runs `chunk` on consecutive chunks of `start` in parallel; it advances the chunk's particles,
/// records them, and returns how many proposals it accepted. `step_size(t)` is the step size of
/// step t.
pub(crate) fn run<F>(
    start: &Particles,
    plan: &Plan,
    counts_acceptance: bool,
    step_size: impl Fn(usize) -> f64,
    chunk: F,
) -> Result<Snapshots, SamplerError>
where
    F: Fn(Chunk<'_, '_>) -> u64 + Sync,
{
    let d = start.dim();
    let n = start.len();
    let bytes = (plan.steps.len() * n).saturating_mul(d * std::mem::size_of::<f64>());
    limits::check_bytes("snapshots", bytes, "keep fewer snapshots or particles")?;
    if let Some((task, cost)) = plan.work {
        let units = n as f64 * plan.n_steps as f64 * cost;
        limits::check_work(task, units, "use fewer particles or steps")?;
    }
    let mut clouds: Vec<Vec<f64>> = plan.steps.iter().map(|_| vec![0.0; n * d]).collect();
    // Per chunk, its slice of every snapshot.
    let mut parts: Vec<Vec<&mut [f64]>> = (0..n.div_ceil(CHUNK)).map(|_| Vec::new()).collect();
    for cloud in &mut clouds {
        for (part, slice) in parts.iter_mut().zip(cloud.chunks_mut(CHUNK * d)) {
            part.push(slice);
        }
    }
    let divergence = Divergence::new(None);
    let total = (n as u64) * (plan.n_steps as u64);
    let progress = Mutex::new(Progress::new("particles", "particle-steps", total));
    let done = AtomicU64::new(0);
    let accepted: u64 = parts
        .into_par_iter()
        .zip(start.as_flat().par_chunks(CHUNK * d))
        .enumerate()
        .map(|(c, (clouds, points))| {
            let mut record = ChunkRecord {
                steps: &plan.steps,
                clouds,
                dim: d,
            };
            let accepted = chunk(Chunk {
                first: c * CHUNK,
                points,
                record: &mut record,
                divergence: &divergence,
            });
            let len = (points.len() / d.max(1)) as u64 * plan.n_steps as u64;
            let so_far = done.fetch_add(len, Ordering::Relaxed) + len;
            if let Ok(mut progress) = progress.try_lock() {
                progress.update(so_far);
            }
            accepted
        })
        .sum();
    divergence.error(&step_size)?;
    if let Ok(progress) = progress.into_inner() {
        progress.finish();
    }
    let mut times = Vec::with_capacity(plan.steps.len());
    let (mut time, mut k) = (0.0, 0);
    for &s in &plan.steps {
        while k < s {
            k += 1;
            time += step_size(k);
        }
        times.push(time);
    }
    Ok(Snapshots {
        steps: plan.steps.clone(),
        times,
        clouds: clouds
            .into_iter()
            .map(|data| Particles { dim: d, data })
            .collect(),
        acceptance_rate: (counts_acceptance && total > 0).then(|| accepted as f64 / total as f64),
    })
}

/// What to do when a trajectory is over the memory budget.
const TRAJECTORY_ADVICE: &str =
    "record every k-th step with .record(Record::Every(k)) on the sampler, or take fewer steps";

/// One chain from `start` for `n_steps` steps, keeping the states `record` says (its progress
/// shown as `task`): `chunk` as in [`run`], on a single particle (index 0). Returns the recorded states (row after row), their step numbers and the
/// accepted proposals. The buffers are those [`Trajectory::memory_estimate`] counts, reserved
/// within the budget before the run starts.
pub(crate) fn run_one<F>(
    task: &'static str,
    start: &[f64],
    n_steps: usize,
    record: Record,
    step_size: impl Fn(usize) -> f64,
    chunk: F,
) -> Result<(Vec<f64>, Vec<usize>, u64), SamplerError>
where
    F: FnOnce(Chunk<'_, '_>) -> u64,
{
    let d = start.len();
    limits::STEPS.check(n_steps)?;
    record.check()?;
    let bytes = Trajectory::memory_estimate(d, n_steps, record);
    limits::check_bytes("trajectory", bytes, TRAJECTORY_ADVICE)?;
    let kept = record.len(n_steps);
    let mut states = limits::reserve::<f64>("trajectory", kept * d, TRAJECTORY_ADVICE)?;
    states.resize(kept * d, 0.0);
    let mut steps = limits::reserve::<usize>("trajectory", kept, TRAJECTORY_ADVICE)?;
    steps.extend(record.steps(n_steps));
    let mut clouds = limits::reserve("trajectory", kept, TRAJECTORY_ADVICE)?;
    clouds.extend(states.chunks_mut(d.max(1)));
    let divergence = Divergence::new(Some(Progress::new(task, "steps", n_steps as u64)));
    let accepted = {
        let mut record = ChunkRecord {
            steps: &steps,
            clouds,
            dim: d,
        };
        chunk(Chunk {
            first: 0,
            points: start,
            record: &mut record,
            divergence: &divergence,
        })
    };
    divergence.error(step_size)?;
    if let Some(Ok(progress)) = divergence.chain.map(Mutex::into_inner) {
        progress.finish();
    }
    Ok((states, steps, accepted))
}
