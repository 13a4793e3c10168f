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

/// Solves `Lᵀ x = y` in place (`y` becomes `x`).
#[inline]
pub(crate) fn solve_upper_transposed(l: &[f64], d: usize, y: &mut [f64]) {
    for i in (0..d).rev() {
        let mut v = y[i];
        for k in i + 1..d {
            v -= l[k * d + i] * y[k];
        }
        y[i] = v / l[i * d + i];
    }
}

/// `out = L z`, for drawing `N(0, L Lᵀ)` from standard normal `z`.
#[inline]
pub(crate) fn mul_lower(l: &[f64], d: usize, z: &[f64], out: &mut [f64]) {
    for i in 0..d {
        out[i] = (0..=i).map(|k| l[i * d + k] * z[k]).sum();
    }
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
        // Solve a x = b through L then Lᵀ, and check a x == b.
        let b = [1.0, -2.0, 0.5];
        let mut x = b;
        solve_lower(&l, 3, &mut x);
        solve_upper_transposed(&l, 3, &mut x);
        for i in 0..3 {
            let v: f64 = (0..3).map(|k| a[i * 3 + k] * x[k]).sum();
            assert!((v - b[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn cholesky_rejects_indefinite() {
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
        assert!(cholesky(&[0.0], 1).is_none());
        assert!(cholesky(&[f64::NAN], 1).is_none());
    }
}
