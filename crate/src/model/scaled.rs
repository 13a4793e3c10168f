//! Offsets from a component that stay exact for every finite x, up to ±f64::MAX.
//!
//! $y_k = L_k^{-1}(x - \mu_k)$ and $v_k = \Sigma_k^{-1}(x - \mu_k)$ are first computed directly;
//! where an entry is not finite (the value, or only an intermediate product, is beyond f64's
//! range) it is recomputed with powers of two factored out. With $m = 2^a \ge 1$ within a factor
//! 2 of the largest $|x_i|$, $|\mu_{k,i}|$ and $c = 2^b$ within a factor 2 of the largest entry of
//! $W_k = L_k^{-1}$,
//!
//! $$\tilde y_k = \frac{W_k}{c}\Big(\frac{x}{m} - \frac{\mu_k}{m}\Big) = \frac{y_k}{mc},\qquad
//! \tilde v_k = \Big(\frac{W_k}{c}\Big)^{\!\top}\tilde y_k = \frac{v_k}{mc^2}$$
//!
//! have entries below 8d and 16d² and never overflow. Each entry is returned as a pair (f, e)
//! meaning f · 2ᵉ, and products of such pairs ([`product`]) overflow only where the true value
//! does. Scaling by a power of two is exact, but it can push offsets much smaller than m below
//! f64's range; the direct values, used wherever they are finite, keep those.

use crate::model::mixture::GaussianMixture;
use crate::model::mixture::white;
use crate::model::score::Dimension;
use crate::numeric::linalg;

/// A value f · 2ᵉ as the pair (f, e).
pub(crate) type Factor = (f64, i32);

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
            .flat_map(|k| white(mixture, k))
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
        white(mixture, k)
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

/// $y_k$ and $v_k$ as factors (f, e) meaning f · 2ᵉ: the direct values (e = 0, bit for bit the
/// plain arithmetic) where they are finite, the scaled ones elsewhere.
pub(crate) fn offset_factors(
    gm: &GaussianMixture,
    k: usize,
    x: &[f64],
) -> (Vec<Factor>, Vec<Factor>) {
    let d = gm.dim();
    let (mut y, mut v) = (vec![0.0; d], vec![0.0; d]);
    direct_offsets(gm, k, x, &mut y, &mut v);
    let mut ys: Vec<Factor> = y.iter().map(|&f| (f, 0)).collect();
    let mut vs: Vec<Factor> = v.iter().map(|&f| (f, 0)).collect();
    if y.iter().chain(&v).all(|a| a.is_finite()) {
        return (ys, vs);
    }
    let scale = Scale::of(gm, x, [k]);
    scaled_offsets(gm, k, x, scale, &mut y, &mut v);
    for (pair, f) in ys.iter_mut().zip(&y) {
        if !pair.0.is_finite() {
            *pair = (*f, scale.whitened_exp());
        }
    }
    for (pair, f) in vs.iter_mut().zip(&v) {
        if !pair.0.is_finite() {
            *pair = (*f, scale.vector_exp());
        }
    }
    (ys, vs)
}

/// $y_k$ into `y` and $v_k$ into `v`, computed directly (entries may be ±∞ or NaN where an
/// intermediate overflows).
pub(crate) fn direct_offsets(
    gm: &GaussianMixture,
    k: usize,
    x: &[f64],
    y: &mut [f64],
    v: &mut [f64],
) {
    let d = gm.dim();
    for ((yi, xi), mi) in y.iter_mut().zip(x).zip(gm.mean(k).unwrap_or_default()) {
        *yi = xi - mi;
    }
    linalg::mul_lower_in_place(white(gm, k), d, y);
    v.copy_from_slice(y);
    linalg::mul_lower_transposed_in_place(white(gm, k), d, v);
}

/// $\tilde y_k$ into `y` and $\tilde v_k$ into `v` (length d each) under `scale`.
pub(crate) fn scaled_offsets(
    gm: &GaussianMixture,
    k: usize,
    x: &[f64],
    scale: Scale,
    y: &mut [f64],
    v: &mut [f64],
) {
    let d = gm.dim();
    let w = white(gm, k);
    for ((yi, xi), mi) in y.iter_mut().zip(x).zip(gm.mean(k).unwrap_or_default()) {
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

/// $\prod_i f_i 2^{e_i}$ for factors (f, e): the fractions are multiplied with their exponents
/// kept apart, so the result is ±∞ or 0 only when the product itself is beyond f64's range.
pub(crate) fn product(factors: &[Factor]) -> f64 {
    let (mut f, mut e) = (1.0, 0);
    for &(value, exp) in factors {
        let (fraction, more) = libm::frexp(value);
        let (g, carry) = libm::frexp(f * fraction);
        f = g;
        e += exp + more + carry;
    }
    libm::scalbn(f, e)
}
