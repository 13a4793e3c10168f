//! Which states of a run to keep: every k-th, or the start and the end.

use crate::limits::{self, LimitError};

/// Which states of a single run a sampler keeps: [`Ula::record`](crate::Ula::record),
/// [`Mala::record`](crate::Mala::record),
/// [`AnnealedLangevin::record`](crate::AnnealedLangevin::record),
/// [`ReverseRunner::record`](crate::ReverseRunner::record). The states kept are the same
/// numbers as in the full run; a long run that keeps 1/k of them takes 1/k of the memory.
///
/// ```
/// use scorelab::Record;
/// assert_eq!(Record::default(), Record::Every(1));
/// assert_eq!(Record::Every(4).steps(10).collect::<Vec<_>>(), [0, 4, 8, 10]);
/// assert_eq!(Record::Ends.steps(10).collect::<Vec<_>>(), [0, 10]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Record {
    /// Every k-th state: steps 0, k, 2k, … and the last one. `Every(1)`, the default, keeps
    /// them all; `Every(0)` is refused when the run starts
    /// ([`limits::RECORD_EVERY`](crate::limits::RECORD_EVERY)).
    Every(usize),
    /// The start and the end only: steps 0 and T.
    Ends,
}

impl Default for Record {
    fn default() -> Self {
        Record::Every(1)
    }
}

impl Record {
    /// The spacing of the recorded steps in a run of `n_steps` steps (the end is always kept).
    fn spacing(self, n_steps: usize) -> usize {
        match self {
            Record::Every(k) => k.max(1),
            Record::Ends => n_steps.max(1),
        }
    }

    /// The recorded step numbers of a run of `n_steps` steps, ascending: 0, k, 2k, … and
    /// `n_steps`.
    pub fn steps(self, n_steps: usize) -> impl Iterator<Item = usize> {
        let k = self.spacing(n_steps);
        (0..=n_steps)
            .step_by(k)
            .chain((!n_steps.is_multiple_of(k)).then_some(n_steps))
    }

    /// How many states a run of `n_steps` steps keeps.
    pub fn len(self, n_steps: usize) -> usize {
        let k = self.spacing(n_steps);
        n_steps / k + 1 + usize::from(!n_steps.is_multiple_of(k))
    }

    /// Whether step `t` of a run of `n_steps` steps is kept.
    pub(crate) fn keeps(self, t: usize, n_steps: usize) -> bool {
        t == n_steps || t.is_multiple_of(self.spacing(n_steps))
    }

    /// The record, if its spacing is within [`limits::RECORD_EVERY`].
    pub(crate) fn check(self) -> Result<Self, LimitError> {
        if let Record::Every(k) = self {
            limits::RECORD_EVERY.check(k)?;
        }
        Ok(self)
    }
}
