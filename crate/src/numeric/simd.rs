//! Blocks of points for vector instructions, and compiling a kernel for the widest vector
//! instructions the processor has.
//!
//! The kernels are loops over fixed-size arrays that the compiler vectorises for whatever
//! instruction set the function is compiled with. [`multiversion!`] defines a function that
//! inlines the kernel into copies compiled for AVX-512, AVX2 and the x86-64 baseline; the caller
//! picks one with a [`Simd`] value. Floating-point results do not depend on the choice: only IEEE
//! operations are used, never fused multiply-adds, so every copy computes the same bits.

use std::sync::OnceLock;

/// Points per block: one AVX-512 register of `f64`, two AVX ones.
pub const LANES: usize = 8;

/// A block of [`LANES`] points of dimension D stored coordinate by coordinate: coordinate i of
/// point l is `block[i][l]`.
pub type Block<const D: usize> = [[f64; LANES]; D];

/// An instruction set a kernel can be compiled for. Only the variants the processor supports
/// are handed out ([`Simd::best`], [`Simd::available`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Simd {
    /// The x86-64 baseline (SSE2), or the only variant on other architectures.
    Baseline,
    /// AVX2.
    Avx2,
    /// AVX-512F.
    Avx512,
}

impl Simd {
    /// Every variant this processor runs, baseline first.
    pub(crate) fn available() -> Vec<Simd> {
        let mut out = vec![Simd::Baseline];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                out.push(Simd::Avx2);
            }
            if std::arch::is_x86_feature_detected!("avx512f") {
                out.push(Simd::Avx512);
            }
        }
        out
    }

    /// The widest variant this processor runs (detected once).
    pub(crate) fn best() -> Simd {
        static BEST: OnceLock<Simd> = OnceLock::new();
        *BEST.get_or_init(|| *Simd::available().last().unwrap_or(&Simd::Baseline))
    }
}

/// `multiversion!(pub(crate) fn name<const D: usize, S: (Bounds)>(args…) -> R = kernel);`
/// defines `name(simd, args…)`, which runs the `#[inline(always)]` function
/// `kernel::<D, S>(args…)` compiled for the instruction set `simd`.
macro_rules! multiversion {
    ($vis:vis fn $name:ident<const D: usize, S: ($($bound:tt)*)>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $kernel:ident;) => {
        $vis fn $name<const D: usize, S: $($bound)*>(
            simd: $crate::numeric::simd::Simd,
            $($arg: $ty),*
        ) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                unsafe fn avx512<const D: usize, S: $($bound)*>($($arg: $ty),*) -> $ret {
                    $kernel::<D, S>($($arg),*)
                }
                #[target_feature(enable = "avx2")]
                unsafe fn avx2<const D: usize, S: $($bound)*>($($arg: $ty),*) -> $ret {
                    $kernel::<D, S>($($arg),*)
                }
                match simd {
                    // SAFETY: a `Simd` value other than the baseline is only handed out when the
                    // processor supports it (`Simd::available`).
                    $crate::numeric::simd::Simd::Avx512 => {
                        return unsafe { avx512::<D, S>($($arg),*) }
                    }
                    // SAFETY: as above.
                    $crate::numeric::simd::Simd::Avx2 => return unsafe { avx2::<D, S>($($arg),*) },
                    $crate::numeric::simd::Simd::Baseline => {}
                }
            }
            let _ = simd;
            $kernel::<D, S>($($arg),*)
        }
    };
}

pub(crate) use multiversion;
