//! The levels of a Langevin run: stretches of steps with one target and one step size each. ULA
//! and MALA are one level; annealed Langevin has one per noise level. Steps are numbered 1, 2, …
//! across the levels, in order.

/// `steps` steps of size `step` on the score `target`: a whole ULA or MALA run, or one noise
/// level of annealed Langevin.
#[derive(Debug)]
pub(crate) struct Level<'a, S: ?Sized> {
    pub(crate) target: &'a S,
    pub(crate) step: f64,
    pub(crate) steps: usize,
}

impl<S: ?Sized> Clone for Level<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ?Sized> Copy for Level<'_, S> {}

/// The levels of a run, with the step each one ends at, so the step size of any step is a
/// binary search away.
#[derive(Debug, Clone)]
pub(crate) struct Levels<'a, S: ?Sized> {
    levels: Vec<Level<'a, S>>,
    /// `ends[i]`: the last step of level i (the steps of levels 0..=i).
    ends: Vec<usize>,
}

impl<'a, S: ?Sized> Levels<'a, S> {
    /// The levels in order (at least one).
    pub(crate) fn new(levels: Vec<Level<'a, S>>) -> Self {
        let ends = levels
            .iter()
            .scan(0usize, |end, l| {
                *end = end.saturating_add(l.steps);
                Some(*end)
            })
            .collect();
        Levels { levels, ends }
    }

    /// One level: `steps` steps of size `step` on `target`.
    pub(crate) fn one(target: &'a S, step: f64, steps: usize) -> Self {
        Self::new(vec![Level {
            target,
            step,
            steps,
        }])
    }

    /// The levels in order.
    pub(crate) fn as_slice(&self) -> &[Level<'a, S>] {
        &self.levels
    }

    /// The first level's target (every level has the same dimension).
    pub(crate) fn first_target(&self) -> &'a S {
        self.levels[0].target
    }

    /// The total number of steps.
    pub(crate) fn n_steps(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }

    /// The step size of step t (1-based; step 0 counts as step 1, a step past the end as the
    /// last one).
    pub(crate) fn step_size(&self, t: usize) -> f64 {
        let i = self.ends.partition_point(|&end| end < t.max(1));
        self.levels[i.min(self.levels.len() - 1)].step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_has_the_step_size_of_its_level() {
        let target = ();
        let levels = Levels::new(
            [(0.4, 2), (0.2, 0), (0.1, 3)]
                .map(|(step, steps)| Level {
                    target: &target,
                    step,
                    steps,
                })
                .to_vec(),
        );
        assert_eq!(levels.n_steps(), 5);
        let sizes: Vec<f64> = (0..=6).map(|t| levels.step_size(t)).collect();
        assert_eq!(sizes, [0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.1]);
    }
}
