//! The step loop every path runs ([`walk`]): the point-by-point path advances one particle
//! through it, the vector path a block of particles.

use super::engine::{ChunkRecord, Divergence};
use crate::sample::divergence::DivergenceTrigger;

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
