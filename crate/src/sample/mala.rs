//! Metropolis-adjusted Langevin (MALA): ULA's proposal plus an accept/reject step that makes
//! p exactly stationary, whatever the step size.
//!
//! Propose $x' = x + \varepsilon s(x) + \sqrt{2\varepsilon} z$ and accept with probability
//! $\min(1, \alpha)$,
//!
//! $$\log \alpha = \log p(x') - \log p(x) + \frac{\lVert x' - x - \varepsilon s(x)\rVert^2 - \lVert x - x' - \varepsilon s(x')\rVert^2}{4\varepsilon}.$$
//!
//! A proposal with a non-finite value is rejected, so MALA cannot diverge; a too-large step
//! shows as a low acceptance rate instead (≈ 0.57 is the textbook target in high dimension).

use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

use crate::error::SamplerError;
use crate::limits;
use crate::model::score::{LogDensity, Score};
use crate::sample::langevin::{check_start, check_step, SamplerRng, Trajectory};

/// Metropolis-adjusted Langevin algorithm with step size ε.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// let path = Mala::new(1.9)?.run(&gm, &[0.0], 1000, 1)?;
/// let rate = path.acceptance_rate().unwrap();
/// assert!(rate > 0.1 && rate < 0.9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mala {
    step: f64,
}

impl Mala {
    /// MALA with step size ε > 0.
    pub fn new(step: f64) -> Result<Self, SamplerError> {
        Ok(Mala {
            step: check_step(step)?,
        })
    }

    /// The step size ε.
    pub fn step_size(&self) -> f64 {
        self.step
    }

    /// One MALA transition from `x` (with its log-density and score) in place; returns whether
    /// the proposal was accepted. `proposal` and `proposal_score` are scratch space of length d.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn transition<D: LogDensity + Score + ?Sized, R: Rng + ?Sized>(
        &self,
        target: &D,
        x: &mut [f64],
        log_p: &mut f64,
        score: &mut [f64],
        proposal: &mut [f64],
        proposal_score: &mut [f64],
        rng: &mut R,
    ) -> bool {
        let eps = self.step;
        let noise = (2.0 * eps).sqrt();
        for ((p, xi), si) in proposal.iter_mut().zip(x.iter()).zip(score.iter()) {
            let z: f64 = rng.sample(StandardNormal);
            *p = xi + eps * si + noise * z;
        }
        let u: f64 = rng.random();
        if proposal.iter().any(|v| !v.is_finite()) {
            return false;
        }
        let log_p_new = target.log_prob(proposal);
        target.score_into(proposal, proposal_score);
        let mut forward = 0.0;
        let mut backward = 0.0;
        for i in 0..x.len() {
            let f = proposal[i] - x[i] - eps * score[i];
            let b = x[i] - proposal[i] - eps * proposal_score[i];
            forward += f * f;
            backward += b * b;
        }
        let log_alpha = log_p_new - *log_p + (forward - backward) / (4.0 * eps);
        // NaN (e.g. an underflowed density) compares false: rejected.
        if u.ln() < log_alpha {
            x.copy_from_slice(proposal);
            score.copy_from_slice(proposal_score);
            *log_p = log_p_new;
            true
        } else {
            false
        }
    }

    /// Runs `n_steps` transitions from `start`, seeded; the trajectory records the acceptance rate.
    pub fn run<D: LogDensity + Score + ?Sized>(
        &self,
        target: &D,
        start: &[f64],
        n_steps: usize,
        seed: u64,
    ) -> Result<Trajectory, SamplerError> {
        let d = check_start(target.dim(), start)?;
        limits::STEPS.check(n_steps)?;
        let mut points = limits::reserve(
            "trajectory",
            (n_steps + 1).saturating_mul(d),
            "take fewer steps",
        )?;
        let mut rng = SamplerRng::seed_from_u64(seed);
        points.extend_from_slice(start);
        let mut x = start.to_vec();
        let mut log_p = target.log_prob(&x);
        let mut score = target.score(&x);
        let (mut proposal, mut proposal_score) = (vec![0.0; d], vec![0.0; d]);
        let mut accepted = 0usize;
        for _ in 0..n_steps {
            if self.transition(
                target,
                &mut x,
                &mut log_p,
                &mut score,
                &mut proposal,
                &mut proposal_score,
                &mut rng,
            ) {
                accepted += 1;
            }
            points.extend_from_slice(&x);
        }
        let rate = if n_steps > 0 {
            Some(accepted as f64 / n_steps as f64)
        } else {
            None
        };
        Ok(Trajectory::new(d, points, rate))
    }
}
