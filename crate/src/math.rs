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
    if x < UNDERFLOW {
        0.0
    } else {
        y
    }
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
    fn special_values() {
        assert_eq!(exp_nonpositive(0.0), 1.0);
        assert_eq!(exp_nonpositive(-0.0), 1.0);
        assert_eq!(exp_nonpositive(-709.0), 0.0);
        assert_eq!(exp_nonpositive(f64::NEG_INFINITY), 0.0);
        assert!(exp_nonpositive(f64::NAN).is_nan());
        assert_eq!(exp_nonpositive(-1e-300), 1.0);
    }
}
