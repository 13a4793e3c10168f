//! The step loop every path runs ([`walk`]), and the runner of a chunk of particles
//! ([`run_chunk`]): the point-by-point path walks one particle at a time, the vector path a
//! block of [`LANES`](crate::LANES).

use super::engine::{Chunk, ChunkRecord, Divergence};
use crate::sample::divergence::DivergenceTrigger;
use crate::sample::level::Level;

/// What the step loop advances: one particle, or a block of particles on the vector path.
pub(crate) trait Walker {
    /// Starts level `level` of the run (a level of annealing; other runs have one level).
    fn enter(&mut self, _level: usize) {}
    /// Takes step `t` (1-based); returns how many of its real particles had a proposal accepted
    /// (ULA accepts none: it has no proposals).
    fn advance(&mut self, t: usize) -> u64;
    /// The divergence rule one of its particles breaks, non-finite first.
    fn divergence(&self) -> Option<DivergenceTrigger>;
    /// Records its real particles if snapshot `next` is taken at step `t`; returns the index of
    /// the next snapshot to take.
    fn record(&self, record: &mut ChunkRecord<'_>, next: usize, t: usize) -> usize;
}

/// The step loop: records the start, then takes the steps of each level in turn (`levels`
/// gives their numbers), numbered 1, 2, … across levels and each recorded, until one diverges
/// (reported with its rule) or another particle has diverged earlier. Returns the number of
/// accepted proposals.
#[inline(always)]
pub(crate) fn walk<W: Walker>(
    walker: &mut W,
    levels: impl IntoIterator<Item = usize>,
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 {
    let mut accepted = 0;
    let mut next = walker.record(record, record.first_from(0), 0);
    let mut due = record.step_of(next);
    let mut t = 0;
    'run: for (level, steps) in levels.into_iter().enumerate() {
        walker.enter(level);
        for _ in 0..steps {
            t += 1;
            if !divergence.allows(t) {
                break 'run;
            }
            accepted += walker.advance(t);
            if let Some(trigger) = walker.divergence() {
                divergence.report(t, trigger);
                break 'run;
            }
            if t == due {
                next = walker.record(record, next, t);
                due = record.step_of(next);
            }
        }
    }
    accepted
}

/// Runs the particles of `chunk` through `levels`, `width` particles at a time:
/// `walker(first, j, points)` is the walker of the particles whose run index starts at `first`,
/// chunk index at `j`, and whose starting points (row per particle of dimension `dim`) are
/// `points`. Returns the number of accepted proposals.
#[inline(always)]
pub(crate) fn run_chunk<S: ?Sized, W: Walker>(
    chunk: Chunk<'_, '_>,
    levels: &[Level<'_, S>],
    (width, dim): (usize, usize),
    mut walker: impl FnMut(usize, usize, &[f64]) -> W,
) -> u64 {
    let Chunk {
        first,
        points,
        record,
        divergence,
    } = chunk;
    let mut accepted = 0;
    for (b, points) in points.chunks(width * dim).enumerate() {
        let j = b * width;
        let mut w = walker(first + j, j, points);
        accepted += walk(&mut w, levels.iter().map(|l| l.steps), record, divergence);
    }
    accepted
}
