//! Compiles a kernel for the widest vector instructions the processor has.
//!
//! The kernels are loops over fixed-size arrays that the compiler vectorises for whatever
//! instruction set the function is compiled with. [`multiversion!`] defines a function that
//! inlines the kernel into copies compiled for AVX-512, AVX2 and the x86-64 baseline, and picks
//! one at run time. Floating-point results do not depend on the choice: only IEEE operations are
//! used, never fused multiply-adds, so every copy computes the same bits.

/// `multiversion!(pub(crate) fn name<const D: usize>(args…) -> R = kernel);` defines `name`,
/// which calls the `#[inline(always)]` function `kernel::<D>(args…)` compiled for the best
/// instruction set available.
macro_rules! multiversion {
    ($vis:vis fn $name:ident<const D: usize>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $kernel:ident;) => {
        #[allow(clippy::too_many_arguments)]
        $vis fn $name<const D: usize>($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                #[allow(clippy::too_many_arguments)]
                unsafe fn avx512<const D: usize>($($arg: $ty),*) -> $ret {
                    $kernel::<D>($($arg),*)
                }
                #[target_feature(enable = "avx2")]
                #[allow(clippy::too_many_arguments)]
                unsafe fn avx2<const D: usize>($($arg: $ty),*) -> $ret {
                    $kernel::<D>($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: the processor supports AVX-512F, checked just above.
                    return unsafe { avx512::<D>($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: the processor supports AVX2, checked just above.
                    return unsafe { avx2::<D>($($arg),*) };
                }
            }
            $kernel::<D>($($arg),*)
        }
    };
}

pub(crate) use multiversion;
