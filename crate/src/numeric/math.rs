//! Elementary functions written so that the compiler can vectorise them across particles.
//!
//! `f64::exp` is a call into the platform's libm: accurate, but one value at a time. The mixture
//! kernels evaluate eˣ for x ≤ 0 (a log-sum-exp weight) on several particles at once, so the
//! function must be straight-line arithmetic that inlines into a lane loop.

/// 1 / ln 2.
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split into a head with 32 significant bits (so k · `LN2_HI` is exact for |k| < 2²⁰)
/// and the rest.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// 1.5 · 2⁵²: adding it rounds a float of magnitude < 2⁵¹ to an integer, held in the low bits.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// Below this, eˣ < 2⁻¹⁰²² is not a normal float; the kernels flush it to 0.
const UNDERFLOW: f64 = -708.0;

/// eˣ for x ≤ 0, within 1 ulp of the correctly rounded value; results below 2⁻¹⁰²² (x < −708)
/// are flushed to 0, NaN gives NaN, and exp(±0) = 1 exactly.
///
/// x = k ln 2 + r with |r| ≤ ln 2 / 2, eʳ by its Taylor polynomial of degree 13 (truncation error
/// below 5 · 10⁻¹⁸), then 2ᵏ is put into the exponent bits.
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f64) -> f64 {
    let shifted = x * LOG2_E + ROUND;
    let k = shifted - ROUND;
    // k as an integer: the low mantissa bits of `shifted` (two's complement), no float-to-int
    // conversion (which SIMD lacks for 64-bit integers before AVX-512).
    let ki = shifted.to_bits().wrapping_sub(ROUND.to_bits());
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0 / 6_227_020_800.0;
    p = p * r + 1.0 / 479_001_600.0;
    p = p * r + 1.0 / 39_916_800.0;
    p = p * r + 1.0 / 3_628_800.0;
    p = p * r + 1.0 / 362_880.0;
    p = p * r + 1.0 / 40_320.0;
    p = p * r + 1.0 / 5_040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    let scale = f64::from_bits(ki.wrapping_add(1023) << 52);
    let y = p * scale;
    // `x >= UNDERFLOW` is false for NaN, so test the other way round to keep NaN.
    if x < UNDERFLOW { 0.0 } else { y }
}

/// Bits of √½: mantissas are normalised to [√½, √2) for the logarithm.
const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_667f_3bcd;
const MANTISSA: u64 = (1 << 52) - 1;
/// 2⁵² as a float: `from_bits(TWO52_BITS | n) - TWO52` is n, for n < 2⁵².
const TWO52: f64 = 4_503_599_627_370_496.0;

/// ln u for a normal float u in (0, 1], within a few ulp.
///
/// u = 2ᵏ m with m ∈ [√½, √2), and ln m = 2 artanh s = 2(s + s³/3 + s⁵/5 + …) with
/// s = (m − 1)/(m + 1), |s| ≤ 0.172, summed to s²¹ (truncation below 3 · 10⁻¹⁷).
#[inline(always)]
pub(crate) fn ln_unit(u: f64) -> f64 {
    // Adding (1 − √½) in the bit pattern carries into the exponent exactly when the mantissa
    // is ≥ √½, so the exponent field of `t` is k + 1023 ∈ [0, 1023].
    let t = u.to_bits().wrapping_add(1.0f64.to_bits() - SQRT_HALF_BITS);
    let k = f64::from_bits(TWO52.to_bits() | (t >> 52)) - TWO52 - 1023.0;
    let m = f64::from_bits((t & MANTISSA).wrapping_add(SQRT_HALF_BITS));
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let mut p = 1.0 / 21.0;
    p = p * z + 1.0 / 19.0;
    p = p * z + 1.0 / 17.0;
    p = p * z + 1.0 / 15.0;
    p = p * z + 1.0 / 13.0;
    p = p * z + 1.0 / 11.0;
    p = p * z + 1.0 / 9.0;
    p = p * z + 1.0 / 7.0;
    p = p * z + 1.0 / 5.0;
    p = p * z + 1.0 / 3.0;
    let ln_m = 2.0 * s + 2.0 * s * (z * p);
    k * LN2_HI + (ln_m + k * LN2_LO)
}

/// (sin φ, cos φ) for |φ| ≤ π/4, by their Taylor polynomials to φ¹⁵ and φ¹⁶ (truncation below
/// 10⁻¹⁶ relative).
#[inline(always)]
pub(crate) fn sin_cos_octant(phi: f64) -> (f64, f64) {
    let z = phi * phi;
    let mut s = -1.0 / 1_307_674_368_000.0;
    s = s * z + 1.0 / 6_227_020_800.0;
    s = s * z - 1.0 / 39_916_800.0;
    s = s * z + 1.0 / 362_880.0;
    s = s * z - 1.0 / 5_040.0;
    s = s * z + 1.0 / 120.0;
    s = s * z - 1.0 / 6.0;
    let sin = phi + phi * (z * s);
    let mut c = 1.0 / 20_922_789_888_000.0;
    c = c * z - 1.0 / 87_178_291_200.0;
    c = c * z + 1.0 / 479_001_600.0;
    c = c * z - 1.0 / 3_628_800.0;
    c = c * z + 1.0 / 40_320.0;
    c = c * z - 1.0 / 720.0;
    c = c * z + 1.0 / 24.0;
    c = c * z - 0.5;
    let cos = 1.0 + z * c;
    (sin, cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn ln2_split_is_exact() {
        assert_eq!(
            LN2_HI.to_bits() & 0x1f_ffff,
            0,
            "head has trailing zero bits"
        );
        assert!((LN2_HI + LN2_LO - std::f64::consts::LN_2).abs() < 1e-25);
    }

    #[test]
    fn within_one_ulp_of_libm() {
        let mut worst = 0;
        for i in 0..=200_000 {
            let x = -708.0 * (i as f64 / 200_000.0).powi(3);
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        for i in 0..=100_000 {
            let x = -(i as f64) * 1e-5;
            worst = worst.max(ulps(exp_nonpositive(x), x.exp()));
        }
        assert!(worst <= 1, "worst error {worst} ulp");
    }

    #[test]
    fn ln_unit_is_accurate_on_the_unit_interval() {
        let mut worst = 0.0f64;
        let mut u = 1.0f64;
        while u > 1e-16 {
            for v in [u, u * 0.707, u * 0.708, u * 0.500_000_1, u * 0.9999] {
                let err = (ln_unit(v) - v.ln()).abs() / v.ln().abs().max(1e-300);
                worst = worst.max(err);
            }
            u *= 0.93;
        }
        assert_eq!(ln_unit(1.0), 0.0);
        assert!(worst < 4e-16, "worst relative error {worst}");
        assert!((ln_unit(f64::EPSILON) - f64::EPSILON.ln()).abs() < 1e-14);
    }

    #[test]
    fn sin_cos_is_accurate_on_an_octant() {
        for i in -1000..=1000 {
            let phi = std::f64::consts::FRAC_PI_4 * i as f64 / 1000.0;
            let (s, c) = sin_cos_octant(phi);
            assert!((s - phi.sin()).abs() <= 2.0 * f64::EPSILON * phi.sin().abs().max(1e-300));
            assert!((c - phi.cos()).abs() <= 2.0 * f64::EPSILON);
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-0.0), 1.0);
        assert_eq!(exp_nonpositive(-709.0), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
        assert!(exp_nonpositive(f64::NAN).is_nan());
        assert_eq!(exp_nonpositive(-1e-300), 1.0);
    }
}
