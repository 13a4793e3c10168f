//! Mixture kernels for a dimension D known at compile time (1, 2 or 3), evaluating a block of
//! [`LANES`] points at once.
//!
//! The points of a block are stored coordinate by coordinate (structure of arrays), every loop
//! runs over the lanes innermost, and the exponential is straight-line arithmetic, so the
//! compiler turns each line into vector instructions. The arithmetic per point is the one of
//! [`GaussianMixture::log_prob_and_score`], operation for operation in the same order: results
//! are identical to it, bit for bit, wherever every component's ℓₖ is finite. A lane that may have
//! an ℓₖ of −∞ or NaN (a coordinate beyond a bound under which every quadratic form is finite, or a
//! NaN) is flagged *irregular*; the caller evaluates it by the general path, which has the
//! far-field branch.

// Index loops over lanes and coordinates read like the formulas and vectorise best.
#![allow(clippy::needless_range_loop)]

use crate::numeric::math::exp_nonpositive;
use crate::numeric::simd::{Block, LANES};

/// The log-sum-exp of a block: per lane the running maximum m and sum Σ (log p = m + ln Σ).
pub(crate) struct Sums {
    pub(crate) max: [f64; LANES],
    pub(crate) sum: [f64; LANES],
}

impl Sums {
    /// log p = m + ln Σ of every lane.
    #[inline(always)]
    pub(crate) fn log_prob(&self) -> [f64; LANES] {
        let mut out = [0.0; LANES];
        for ((o, m), s) in out.iter_mut().zip(&self.max).zip(&self.sum) {
            *o = m + s.ln();
        }
        out
    }
}
/// A mixture on ℝᴰ with the constants of every component of non-zero weight in fixed-size arrays.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FixedMixture<const D: usize> {
    /// Never empty: a valid mixture has a component of positive weight.
    components: Vec<Component<D>>,
    /// Points with every |xᵢ| ≤ `safe` have a finite quadratic form for every component.
    safe: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Component<const D: usize> {
    mean: [f64; D],
    /// Lₖ⁻¹, lower-triangular, `whitening[i][j]` for j ≤ i.
    whitening: [[f64; D]; D],
    log_norm: f64,
}

/// The kernel of a mixture, if its dimension has one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kernel {
    /// Dimension above 3: points are evaluated one by one.
    None,
    /// Dimension 1.
    D1(FixedMixture<1>),
    /// Dimension 2.
    D2(FixedMixture<2>),
    /// Dimension 3.
    D3(FixedMixture<3>),
}

/// A mixture's components as the kernels read them: flat K × d means, K × d × d whitening
/// factors Lₖ⁻¹ (row-major) and log-normalisers, of dimension `dim`.
pub(crate) struct Parts<'a> {
    pub dim: usize,
    pub means: &'a [f64],
    pub whitening: &'a [f64],
    pub log_norm: &'a [f64],
}

impl Kernel {
    /// The kernel of the components' dimension.
    pub(crate) fn of(parts: &Parts) -> Kernel {
        let kernel = match parts.dim {
            1 => FixedMixture::new(parts).map(Kernel::D1),
            2 => FixedMixture::new(parts).map(Kernel::D2),
            3 => FixedMixture::new(parts).map(Kernel::D3),
            _ => None,
        };
        kernel.unwrap_or(Kernel::None)
    }
}

impl<const D: usize> FixedMixture<D> {
    /// The kernel of these components, or `None` if their dimension is not D.
    pub(crate) fn new(parts: &Parts) -> Option<Self> {
        if parts.dim != D {
            return None;
        }
        let components: Vec<Component<D>> = (0..parts.log_norm.len())
            .filter(|&k| parts.log_norm[k] != f64::NEG_INFINITY)
            .map(|k| {
                let mut mean = [0.0; D];
                mean.copy_from_slice(&parts.means[k * D..(k + 1) * D]);
                let white = &parts.whitening[k * D * D..(k + 1) * D * D];
                let mut whitening = [[0.0; D]; D];
                for (i, row) in whitening.iter_mut().enumerate() {
                    row.copy_from_slice(&white[i * D..(i + 1) * D]);
                }
                Component {
                    mean,
                    whitening,
                    log_norm: parts.log_norm[k],
                }
            })
            .collect();
        // |yᵢ| ≤ (row sum of |Lₖ⁻¹|) (|x|_∞ + |μₖ|_∞), so ‖y‖² ≤ 1e300 when
        // |x|_∞ ≤ 1e150 / (√D · row sum) − |μₖ|_∞.
        let safe = components
            .iter()
            .map(|c| {
                let rows = c
                    .whitening
                    .iter()
                    .map(|r| r.iter().map(|w| w.abs()).sum::<f64>());
                let row_sum = rows.fold(0.0, f64::max);
                let mean = c.mean.iter().fold(0.0f64, |a, m| a.max(m.abs()));
                1e150 / ((D as f64).sqrt() * row_sum) - mean
            })
            // Negative when a mean alone can overflow a quadratic form: then no lane is safe.
            .fold(f64::INFINITY, f64::min);
        (!components.is_empty()).then_some(FixedMixture { components, safe })
    }

    /// The lanes the kernel may not evaluate exactly like the general path: a coordinate beyond
    /// the safe range (where some ℓₖ could be −∞) or NaN.
    #[inline(always)]
    #[allow(clippy::neg_cmp_op_on_partial_ord)] // one comparison, true for NaN
    pub(crate) fn irregular(&self, x: &Block<D>) -> [bool; LANES] {
        let mut out = [false; LANES];
        for xi in x {
            for l in 0..LANES {
                // False for NaN as well.
                out[l] |= !(xi[l].abs() <= self.safe);
            }
        }
        out
    }

    /// Whether some lane is [irregular](Self::irregular).
    #[inline(always)]
    pub(crate) fn any_irregular(&self, x: &Block<D>) -> bool {
        self.irregular(x).iter().fold(false, |a, &b| a | b)
    }

    /// Writes s(x) of every lane into `score` and returns the lanes' log-sum-exp sums.
    #[inline(always)]
    pub(crate) fn score(&self, x: &Block<D>, score: &mut Block<D>) -> Sums {
        let sums = self.accumulate::<true>(x, score);
        for s in score.iter_mut() {
            for l in 0..LANES {
                s[l] = -s[l] / sums.sum[l];
            }
        }
        sums
    }

    /// log p(x) of every lane.
    #[inline(always)]
    pub(crate) fn log_prob(&self, x: &Block<D>) -> [f64; LANES] {
        let mut unused = [[0.0; LANES]; D];
        self.accumulate::<false>(x, &mut unused).log_prob()
    }

    /// The online log-sum-exp over the components: returns (m, Σ) and, if `SCORE`, leaves
    /// Σₖ e^{ℓₖ − m} Σₖ⁻¹δₖ in `acc`.
    #[inline(always)]
    fn accumulate<const SCORE: bool>(&self, x: &Block<D>, acc: &mut Block<D>) -> Sums {
        let (first, rest) = match self.components.split_first() {
            Some(split) => split,
            None => {
                return Sums {
                    max: [f64::NAN; LANES],
                    sum: [f64::NAN; LANES],
                };
            }
        };
        let mut max = first.whiten(x, acc);
        if SCORE {
            first.precision(acc);
        }
        let mut sum = [1.0; LANES];
        let mut y = [[0.0; LANES]; D];
        for c in rest {
            let ell = c.whiten(x, &mut y);
            if SCORE {
                c.precision(&mut y);
            }
            let mut old = [0.0; LANES];
            let mut new = [0.0; LANES];
            for l in 0..LANES {
                let diff = ell[l] - max[l];
                let e = exp_nonpositive(-diff.abs());
                let up = diff > 0.0;
                old[l] = if up { e } else { 1.0 };
                new[l] = if up { 1.0 } else { e };
                max[l] = if up { ell[l] } else { max[l] };
                sum[l] = sum[l] * old[l] + new[l];
            }
            if SCORE {
                for (a, g) in acc.iter_mut().zip(&y) {
                    for l in 0..LANES {
                        a[l] = a[l] * old[l] + new[l] * g[l];
                    }
                }
            }
        }
        Sums { max, sum }
    }
}

impl<const D: usize> Component<D> {
    /// ℓₖ per lane; writes y = Lₖ⁻¹(x − μₖ) into `y`.
    #[inline(always)]
    fn whiten(&self, x: &Block<D>, y: &mut Block<D>) -> [f64; LANES] {
        let mut delta = [[0.0; LANES]; D];
        for ((d, xi), m) in delta.iter_mut().zip(x).zip(&self.mean) {
            for l in 0..LANES {
                d[l] = xi[l] - m;
            }
        }
        for i in 0..D {
            let w = &self.whitening[i];
            for l in 0..LANES {
                let mut v = w[0] * delta[0][l];
                for j in 1..=i {
                    v += w[j] * delta[j][l];
                }
                y[i][l] = v;
            }
        }
        let mut ell = [0.0; LANES];
        for l in 0..LANES {
            let mut quad = y[0][l] * y[0][l];
            for yi in &y[1..] {
                quad += yi[l] * yi[l];
            }
            ell[l] = self.log_norm - 0.5 * quad;
        }
        ell
    }

    /// y ← Lₖ⁻ᵀ y, turning the whitened offset into Σₖ⁻¹δₖ.
    #[inline(always)]
    fn precision(&self, y: &mut Block<D>) {
        let w = &self.whitening;
        for j in 0..D {
            for l in 0..LANES {
                let mut v = w[j][j] * y[j][l];
                for i in j + 1..D {
                    v += w[i][j] * y[i][l];
                }
                y[j][l] = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;
    use crate::model::score::{LogDensity, Score};

    fn kernel<const D: usize>(gm: &GaussianMixture) -> Option<FixedMixture<D>> {
        FixedMixture::new(&Parts {
            dim: gm.dim,
            means: &gm.means,
            whitening: &gm.whitening,
            log_norm: &gm.normalisers,
        })
    }

    fn mixture_3d() -> GaussianMixture {
        GaussianMixture::new(
            &[0.2, 0.0, 0.5, 0.3],
            &[
                [-1.0, 0.5, 2.0],
                [0.0, 0.0, 0.0],
                [2.0, 1.0, -1.0],
                [0.0, -3.0, 0.5],
            ],
            &[
                [[1.0, 0.3, 0.1], [0.3, 2.0, -0.4], [0.1, -0.4, 0.7]],
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
                [[0.5, 0.0, 0.2], [0.0, 0.8, 0.0], [0.2, 0.0, 1.5]],
                [[2.0, -0.5, 0.0], [-0.5, 1.0, 0.3], [0.0, 0.3, 1.2]],
            ],
        )
        .unwrap()
    }

    #[test]
    fn block_kernel_is_bit_identical_to_the_general_path() {
        let gm = mixture_3d();
        let kernel = kernel::<3>(&gm).unwrap();
        let mut x = [[0.0; LANES]; 3];
        for l in 0..LANES {
            x[0][l] = -4.0 + 1.1 * l as f64;
            x[1][l] = 3.0 - 0.7 * l as f64;
            x[2][l] = if l == 3 { 1e6 } else { 0.3 * l as f64 };
        }
        let mut s = [[0.0; LANES]; 3];
        assert!(!kernel.any_irregular(&x));
        let sums = kernel.score(&x, &mut s);
        let lp = kernel.log_prob(&x);
        for l in 0..LANES {
            let p = [x[0][l], x[1][l], x[2][l]];
            let expected = gm.score(&p);
            for i in 0..3 {
                assert_eq!(
                    s[i][l].to_bits(),
                    expected[i].to_bits(),
                    "lane {l} axis {i}"
                );
            }
            assert_eq!(lp[l].to_bits(), gm.log_prob(&p).to_bits());
            assert_eq!((sums.max[l] + sums.sum[l].ln()).to_bits(), lp[l].to_bits());
        }
    }

    #[test]
    fn wrong_dimension_has_no_kernel() {
        assert!(kernel::<2>(&mixture_3d()).is_none());
    }
}
