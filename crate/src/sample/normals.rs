//! Standard normals from random words by the Box–Muller transform,
//!
//! $$z_1 = \rho \cos\theta,\quad z_2 = \rho \sin\theta, \qquad \rho = \sqrt{-2 \ln u},\ \theta \sim \mathcal U[0, 2\pi),$$
//!
//! with branch-free ln, sin and cos, so a lane loop over it compiles to straight-line vector
//! code. A step that needs d normals takes ⌈d/2⌉ pairs and drops the last value if d is odd.

use crate::numeric::math::{ln_unit, sin_cos_octant};

/// Bits of 1.0: OR-ing 52 random bits into them gives a uniform float in [1, 2).
const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;

/// A uniform number in [0, 1) from the top 53 bits of a word (the convention of `rand`).
#[inline(always)]
pub(crate) fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Two independent standard normals from two random words: the radius from `a`
/// (u = 2 − [1, 2) ∈ (0, 1], 52 bits, so |z| ≤ 8.5), the angle from `b` (a quarter turn from its
/// top two bits, an offset uniform in [−π/4, π/4) from the next 52).
#[inline(always)]
pub(crate) fn box_muller(a: u64, b: u64) -> (f64, f64) {
    let u = 2.0 - f64::from_bits((a >> 12) | ONE_BITS);
    let rho = (-2.0 * ln_unit(u)).sqrt();
    let offset = f64::from_bits(((b << 2) >> 12) | ONE_BITS) - 1.5;
    let (sin, cos) = sin_cos_octant(offset * std::f64::consts::FRAC_PI_2);
    // Quarter turn q: (cos, sin) ↦ (cos, sin), (−sin, cos), (−cos, −sin), (sin, −cos).
    let q = b >> 62;
    let swap = q & 1;
    let (x, y) = if swap == 1 { (sin, cos) } else { (cos, sin) };
    let flip_x = (q ^ (q >> 1)) & 1; // q = 1, 2
    let flip_y = q >> 1; // q = 2, 3
    let x = f64::from_bits(x.to_bits() ^ (flip_x << 63));
    let y = f64::from_bits(y.to_bits() ^ (flip_y << 63));
    (rho * x, rho * y)
}
