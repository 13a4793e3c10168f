//! The little dense linear algebra a mixture needs: Cholesky factor and triangular solves.
//! Matrices are `d × d`, row-major, in flat slices.

/// Lower-triangular `L` with `L Lᵀ = a`, or `None` when `a` is not positive definite.
pub(crate) fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum();
            let v = a[i * d + j] - dot;
            if i == j {
                if v.is_nan() || v <= 0.0 || v.is_infinite() {
                    return None;
                }
                l[i * d + i] = v.sqrt();
            } else {
                l[i * d + j] = v / l[j * d + j];
            }
        }
    }
    Some(l)
}

/// Solves `L y = b` in place (`b` becomes `y`).
#[inline]
pub(crate) fn solve_lower(l: &[f64], d: usize, b: &mut [f64]) {
    for i in 0..d {
        let mut v = b[i];
        for k in 0..i {
            v -= l[i * d + k] * b[k];
        }
        b[i] = v / l[i * d + i];
    }
}

/// Solves `Lᵀ x = b` in place for lower-triangular `L` (`b` becomes `x`).
#[inline]
pub(crate) fn solve_lower_transposed(l: &[f64], d: usize, b: &mut [f64]) {
    for i in (0..d).rev() {
        let mut v = b[i];
        for k in i + 1..d {
            v -= l[k * d + i] * b[k];
        }
        b[i] = v / l[i * d + i];
    }
}

/// `y ← W y` for lower-triangular `W`, in place; row i sums `W[i][0] y[0] + … + W[i][i] y[i]`
/// left to right (the mixture kernels of fixed dimension use the same order, bit for bit).
#[inline]
pub(crate) fn mul_lower_in_place(w: &[f64], d: usize, y: &mut [f64]) {
    for i in (0..d).rev() {
        let row = &w[i * d..i * d + i + 1];
        let mut v = row[0] * y[0];
        for j in 1..=i {
            v += row[j] * y[j];
        }
        y[i] = v;
    }
}

/// `y ← Wᵀ y` for lower-triangular `W`, in place; entry j sums `W[j][j] y[j] + … + W[d−1][j] y[d−1]`
/// left to right.
#[inline]
pub(crate) fn mul_lower_transposed_in_place(w: &[f64], d: usize, y: &mut [f64]) {
    for j in 0..d {
        let mut v = w[j * d + j] * y[j];
        for i in j + 1..d {
            v += w[i * d + j] * y[i];
        }
        y[j] = v;
    }
}

/// `L⁻¹` of a lower-triangular `L` with a positive diagonal, again lower-triangular: the
/// whitening map, `y = L⁻¹ δ` has `‖y‖² = δᵀ (L Lᵀ)⁻¹ δ`. Computed once per factor.
pub(crate) fn invert_lower(l: &[f64], d: usize) -> Vec<f64> {
    let mut inv = vec![0.0; d * d];
    for col in 0..d {
        // Column `col` of L⁻¹ solves L v = e_col.
        let mut e = vec![0.0; d];
        e[col] = 1.0;
        solve_lower(l, d, &mut e);
        for row in col..d {
            inv[row * d + col] = e[row];
        }
    }
    inv
}

/// `out = L z`, for drawing `N(0, L Lᵀ)` from standard normal `z`.
#[inline]
pub(crate) fn mul_lower(l: &[f64], d: usize, z: &[f64], out: &mut [f64]) {
    for i in 0..d {
        out[i] = (0..=i).map(|k| l[i * d + k] * z[k]).sum();
    }
}

/// The smallest eigenvalue of the symmetric `d × d` matrix `a`, by cyclic Jacobi rotations
/// (exact for d = 1; to rounding within a few sweeps for the small d of a mixture).
pub(crate) fn smallest_eigenvalue(a: &[f64], d: usize) -> f64 {
    let mut m = a.to_vec();
    for _sweep in 0..50 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * d + j] * m[i * d + j])
            .sum();
        let diag: f64 = (0..d).map(|i| m[i * d + i] * m[i * d + i]).sum();
        let converged = off.is_nan() || off <= 1e-30 * diag;
        if converged {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = m[p * d + q];
                if apq == 0.0 {
                    continue;
                }
                // The rotation that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1).
                let tau = (m[q * d + q] - m[p * d + p]) / (2.0 * apq);
                let t = tau.signum() / (tau.abs() + (1.0 + tau * tau).sqrt());
                let t = if tau == 0.0 { 1.0 } else { t };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (mkp, mkq) = (m[k * d + p], m[k * d + q]);
                    m[k * d + p] = c * mkp - s * mkq;
                    m[k * d + q] = s * mkp + c * mkq;
                }
                for k in 0..d {
                    let (mpk, mqk) = (m[p * d + k], m[q * d + k]);
                    m[p * d + k] = c * mpk - s * mqk;
                    m[q * d + k] = s * mpk + c * mqk;
                }
            }
        }
    }
    (0..d).map(|i| m[i * d + i]).fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_reconstructs_matrix_and_solves() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let l = cholesky(&a, 3).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l[i * 3 + k] * l[j * 3 + k]).sum();
                assert!((v - a[i * 3 + j]).abs() < 1e-12);
            }
        }
        // Solve a x = b as x = L⁻ᵀ L⁻¹ b, and check a x == b.
        let b = [1.0, -2.0, 0.5];
        let mut x = b;
        let inv = invert_lower(&l, 3);
        mul_lower_in_place(&inv, 3, &mut x);
        mul_lower_transposed_in_place(&inv, 3, &mut x);
        for i in 0..3 {
            let v: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((v - b[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn inverse_of_lower_factor() {
        let l = cholesky(&[4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0], 3).unwrap();
        let inv = invert_lower(&l, 3);
        for i in 0..3 {
            for j in 0..3 {
                let v: f64 = (0..3).map(|k| l[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((v - f64::from(u8::from(i == j))).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn cholesky_rejects_indefinite() {
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        assert!(cholesky(&[0.0], 1).is_none());
        assert!(cholesky(&[f64::NAN], 1).is_none());
    }

    #[test]
    fn smallest_eigenvalue_of_small_symmetric_matrices() {
        assert_eq!(smallest_eigenvalue(&[0.16], 1), 0.16);
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
        assert!((smallest_eigenvalue(&[2.0, 1.0, 1.0, 2.0], 2) - 1.0).abs() < 1e-12);
        // Diagonal, and a 3 × 3 with eigenvalues 2 − √2, 2, 2 + √2.
        assert_eq!(smallest_eigenvalue(&[3.0, 0.0, 0.0, 0.5], 2), 0.5);
        let a = [2.0, -1.0, 0.0, -1.0, 2.0, -1.0, 0.0, -1.0, 2.0];
        assert!((smallest_eigenvalue(&a, 3) - (2.0 - 2f64.sqrt())).abs() < 1e-12);
    }
}
