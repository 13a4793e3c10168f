//! The one definition of each piece of a Langevin transition, applied coordinate by coordinate:
//! by the point-by-point path and, lane by lane, by the vector path (so both give the same bits).
//!
//! - Move: $x' = x + (\varepsilon\, s(x) + \sqrt{2\varepsilon}\, z)$, the ULA step and MALA's proposal.
//! - MALA: accept when $\ln u < \log\alpha$ with
//!   $\log \alpha = \log p(x') - \log p(x) + \frac{\lVert x' - x - \varepsilon s(x)\rVert^2 - \lVert x - x' - \varepsilon s(x')\rVert^2}{4\varepsilon}$.
//! - Reverse-time SDE (time running back by Δt, drift f = c x):
//!   $x' = x + \big((g^2 s(x, t) - c\,x)\,\Delta t + g\sqrt{\Delta t}\, z\big)$ (Euler–Maruyama).
//! - Probability-flow ODE: velocity $v = c\,x - \tfrac12 g^2 s(x, t)$; Heun's predictor
//!   $\tilde x = x - \Delta t\, v(x, t)$, then $x' = x - \tfrac12 \Delta t\,(v(x, t) + v(\tilde x, t - \Delta t))$.
//! - DDPM's ancestral step for VP (discrete rate β_i ∈ (0, 1)):
//!   $x' = (x + \beta_i\, s(x, t))/\sqrt{1 - \beta_i} + \sqrt{\beta_i}\, z$.
//! - Divergence: a coordinate that is NaN or infinite, or beyond
//!   [`DIVERGENCE_BOUND`](crate::DIVERGENCE_BOUND) (the divergence module).
//!
//! And the checks every sampler makes before it runs: a step size, a starting point.

use crate::sample::error::SamplerError;

/// One coordinate of a Langevin move: x + (ε s + √(2ε) z), with `noise` = √(2ε).
#[inline(always)]
pub(crate) fn langevin_move(x: f64, score: f64, z: f64, eps: f64, noise: f64) -> f64 {
    x + (eps * score + noise * z)
}

/// The terms of coordinate i in MALA's proposal densities: (x'ᵢ − xᵢ − ε sᵢ(x))² and
/// (xᵢ − x'ᵢ − ε sᵢ(x'))², summed in coordinate order into the forward and backward norms.
#[inline(always)]
pub(crate) fn mala_terms(
    proposal: f64,
    x: f64,
    score: f64,
    proposal_score: f64,
    eps: f64,
) -> (f64, f64) {
    let f = proposal - x - eps * score;
    let b = x - proposal - eps * proposal_score;
    (f * f, b * b)
}

/// Whether MALA accepts: ln u < log α. A NaN log α (e.g. an underflowed density) rejects.
#[inline(always)]
pub(crate) fn mala_accepts(
    u: f64,
    log_p_proposal: f64,
    log_p: f64,
    forward: f64,
    backward: f64,
    eps: f64,
) -> bool {
    u.ln() < log_p_proposal - log_p + (forward - backward) / (4.0 * eps)
}

/// One coordinate of the reverse-time SDE's Euler–Maruyama step back by Δt:
/// x + ((g² s − c x) Δt + g√Δt z), with `drift` = (g², c) and `noise` = g√Δt.
#[inline(always)]
pub(crate) fn reverse_sde_move(
    x: f64,
    score: f64,
    z: f64,
    (g2, c): (f64, f64),
    dt: f64,
    noise: f64,
) -> f64 {
    x + ((g2 * score - c * x) * dt + noise * z)
}

/// One coordinate of the probability-flow velocity c x − ½ g² s, with `half_g2` = ½ g².
#[inline(always)]
pub(crate) fn flow_velocity(x: f64, score: f64, c: f64, half_g2: f64) -> f64 {
    c * x - half_g2 * score
}

/// Heun's predictor, an Euler step back by Δt: x − Δt v.
#[inline(always)]
pub(crate) fn euler_back(x: f64, velocity: f64, dt: f64) -> f64 {
    x - dt * velocity
}

/// Heun's corrector, the trapezoid of both velocities: x − ½ Δt (v₀ + v₁).
#[inline(always)]
pub(crate) fn heun_back(x: f64, v0: f64, v1: f64, dt: f64) -> f64 {
    x - 0.5 * dt * (v0 + v1)
}

/// One coordinate of DDPM's ancestral step with discrete rate β_i (`beta`):
/// (x + β_i s)/√(1 − β_i) + √β_i z, with `noise` = √β_i and `inverse_root` = 1/√(1 − β_i).
///
/// A discretisation of the VP reverse SDE: to first order 1/√(1 − β) ≈ 1 + β/2, so the step
/// is x + (½βx + βs) + √β z — the reverse drift −f + g²s = ½βx + βs over Δt (β_i ≈ β(t)Δt) and
/// noise g√Δt = √β_i.
#[inline(always)]
pub(crate) fn ddpm_move(
    x: f64,
    score: f64,
    z: f64,
    beta: f64,
    inverse_root: f64,
    noise: f64,
) -> f64 {
    (x + beta * score) * inverse_root + noise * z
}

/// A step size ε, if it is finite and > 0.
pub(crate) fn check_step(step: f64) -> Result<f64, SamplerError> {
    if step > 0.0 && step.is_finite() {
        Ok(step)
    } else {
        Err(SamplerError::InvalidStepSize { step })
    }
}

/// Checks a starting point against the target's dimension; returns the dimension.
pub(crate) fn check_start(dim: usize, start: &[f64]) -> Result<usize, SamplerError> {
    if start.len() != dim {
        return Err(SamplerError::DimensionMismatch {
            expected: dim,
            found: start.len(),
        });
    }
    if start.iter().any(|v| !v.is_finite()) {
        return Err(SamplerError::NonFiniteStart);
    }
    Ok(dim)
}
