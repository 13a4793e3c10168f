//! Offsets from a component with a power of two factored out, so that derivatives of log p built
//! from them stay exact for every finite x, up to ±f64::MAX.
//!
//! $v_k = \Sigma_k^{-1}(x - \mu_k)$ and $y_k = L_k^{-1}(x - \mu_k)$ overflow long before x does
//! (and $x - \mu_k$ itself can). With $m = 2^a \ge 1$ within a factor 2 of the largest $|x_i|$,
//! $|\mu_{k,i}|$ and $c = 2^b$ within a factor 2 of the largest entry of $W_k = L_k^{-1}$,
//!
//! $$\tilde y_k = \frac{W_k}{c}\Big(\frac{x}{m} - \frac{\mu_k}{m}\Big) = \frac{y_k}{mc},\qquad
//! \tilde v_k = \Big(\frac{W_k}{c}\Big)^{\!\top}\tilde y_k = \frac{v_k}{mc^2}$$
//!
//! have entries below 8d and 16d² and never overflow. Scaling by a power of two is exact, so
//! where nothing overflows or underflows they are the unscaled values to the bit.

use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::numeric::linalg;

/// The exponents a ≥ 0 and b of the scales m = 2ᵃ (offsets) and c = 2ᵇ (whitening factors).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub(crate) offset: i32,
    pub(crate) white: i32,
}

impl Scale {
    /// The scale for x and the components `ks` of `mixture`.
    pub(crate) fn of(
        mixture: &GaussianMixture,
        x: &[f64],
        ks: impl IntoIterator<Item = usize> + Clone,
    ) -> Scale {
        let largest = |a: f64, v: &f64| a.max(v.abs());
        let offsets = ks
            .clone()
            .into_iter()
            .flat_map(|k| mixture.mean(k).unwrap_or_default())
            .chain(x)
            .fold(0.0, largest);
        let white = ks
            .into_iter()
            .flat_map(|k| mixture.white(k))
            .fold(0.0, largest);
        Scale {
            offset: exponent(offsets).max(0),
            white: exponent(white),
        }
    }

    /// The exponent e of $v_k = \tilde v_k\,2^e$, e = a + 2b.
    pub(crate) fn vector_exp(self) -> i32 {
        self.offset + 2 * self.white
    }

    /// The exponent e of $y_k = \tilde y_k\,2^e$, e = a + b.
    pub(crate) fn whitened_exp(self) -> i32 {
        self.offset + self.white
    }

    /// $\lVert W_k\rVert_F^2 / c^2 = \operatorname{tr}\Sigma_k^{-1} / c^2$.
    pub(crate) fn trace(self, mixture: &GaussianMixture, k: usize) -> f64 {
        mixture
            .white(k)
            .iter()
            .map(|w| libm::scalbn(*w, -self.white))
            .map(|w| w * w)
            .sum()
    }
}

/// ⌊log₂ v⌋ for a finite v > 0 (the exponent of its bits; −1023 for 0 and subnormals).
fn exponent(v: f64) -> i32 {
    ((v.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

impl GaussianMixture {
    /// $\tilde y_k$ into `y` and $\tilde v_k$ into `v` (length d each) under `scale`.
    pub(crate) fn scaled_offsets(
        &self,
        k: usize,
        x: &[f64],
        scale: Scale,
        y: &mut [f64],
        v: &mut [f64],
    ) {
        let d = self.dim();
        let w = self.white(k);
        for ((yi, xi), mi) in y.iter_mut().zip(x).zip(self.mean(k).unwrap_or_default()) {
            *yi = libm::scalbn(*xi, -scale.offset) - libm::scalbn(*mi, -scale.offset);
        }
        linalg::mul_lower_in_place(w, d, y);
        y.iter_mut()
            .for_each(|yi| *yi = libm::scalbn(*yi, -scale.white));
        v.copy_from_slice(y);
        linalg::mul_lower_transposed_in_place(w, d, v);
        v.iter_mut()
            .for_each(|vi| *vi = libm::scalbn(*vi, -scale.white));
    }
}

/// $r\,t\,2^e$ for $0 \le r \le 1$ without spurious overflow or underflow: ±∞ only when the
/// product itself is beyond f64's range, exactly 0 when r is.
pub(crate) fn scaled_product(r: f64, t: f64, e: i32) -> f64 {
    if r == 0.0 {
        return 0.0;
    }
    let full = libm::scalbn(t, e);
    if full.is_finite() {
        return r * full;
    }
    let (fraction, exp) = libm::frexp(r);
    libm::scalbn(fraction * t, e + exp)
}
