//! The step size of every step of a Langevin run: one level for ULA and MALA, one per noise
//! level for annealed Langevin.

/// The step sizes of a run, level by level: level i has step size `step_sizes[i]` for steps
/// i·T + 1 ..= (i + 1)·T, the last level running to `n_steps`. Plain ULA is one level.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StepSchedule {
    step_sizes: Vec<f64>,
    steps_per_level: usize,
    n_steps: usize,
}

impl StepSchedule {
    /// One level of step size `step` for `n_steps` steps.
    pub(crate) fn constant(step: f64, n_steps: usize) -> Self {
        StepSchedule {
            step_sizes: vec![step],
            steps_per_level: n_steps,
            n_steps,
        }
    }

    /// `steps_per_level` steps of each size in `step_sizes` (at least one), in order.
    pub(crate) fn levels(step_sizes: Vec<f64>, steps_per_level: usize) -> Self {
        let n_steps = step_sizes.len() * steps_per_level;
        StepSchedule {
            step_sizes,
            steps_per_level,
            n_steps,
        }
    }

    /// The total number of steps.
    pub(crate) fn n_steps(&self) -> usize {
        self.n_steps
    }

    /// The level of step t (1-based).
    pub(crate) fn level(&self, t: usize) -> usize {
        ((t.max(1) - 1) / self.steps_per_level.max(1)).min(self.step_sizes.len() - 1)
    }

    /// The step size of step t (1-based).
    pub(crate) fn step_size(&self, t: usize) -> f64 {
        self.step_sizes[self.level(t)]
    }

    /// The step size of level i.
    pub(crate) fn level_step_size(&self, level: usize) -> f64 {
        self.step_sizes[level]
    }

    /// The number of steps of each level, in order (they sum to `n_steps`).
    pub(crate) fn counts(&self) -> Vec<usize> {
        let (n, per_level, levels) = (
            self.n_steps,
            self.steps_per_level.max(1),
            self.step_sizes.len(),
        );
        let begin = |i: usize| (i * per_level).min(n);
        (0..levels)
            .map(|i| if i + 1 == levels { n } else { begin(i + 1) } - begin(i))
            .collect()
    }
}
