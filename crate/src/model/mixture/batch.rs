//! log p and s at many points at once: parallel over chunks of points, and within a chunk by
//! blocks of [`LANES`] points through the kernels of fixed dimension when d ≤ 3.

use rayon::prelude::*;

use super::GaussianMixture;
use super::fixed::FixedMixture;
use crate::model::block_kernel::BlockKernel;
use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::{Block, LANES};

/// Points per parallel task.
const CHUNK: usize = 2048;

/// Scores of the points in `points` (n × d, shapes already checked) into `out` (n × d).
pub(super) fn score_batch_checked(gm: &GaussianMixture, points: &[f64], out: &mut [f64]) {
    match gm.dim {
        1 => fixed_batch::<1, true>(gm, points, out),
        2 => fixed_batch::<2, true>(gm, points, out),
        3 => fixed_batch::<3, true>(gm, points, out),
        d => points
            .par_chunks(CHUNK * d)
            .zip(out.par_chunks_mut(CHUNK * d))
            .for_each(|(p, o)| {
                for (x, s) in p.chunks_exact(d).zip(o.chunks_exact_mut(d)) {
                    gm.score_into(x, s);
                }
            }),
    }
}

/// log p of the points in `points` (n × d, shapes already checked) into `out` (n).
pub(super) fn log_prob_batch_checked(gm: &GaussianMixture, points: &[f64], out: &mut [f64]) {
    match gm.dim {
        1 => fixed_batch::<1, false>(gm, points, out),
        2 => fixed_batch::<2, false>(gm, points, out),
        3 => fixed_batch::<3, false>(gm, points, out),
        d => points
            .par_chunks(CHUNK * d)
            .zip(out.par_chunks_mut(CHUNK))
            .for_each(|(p, o)| {
                for (x, v) in p.chunks_exact(d).zip(o.iter_mut()) {
                    *v = gm.log_prob(x);
                }
            }),
    }
}

/// Scores (`SCORE`, D values per point) or log-densities (1 value per point) by blocks,
/// through the vector kernel ([`BlockKernel`]).
fn fixed_batch<const D: usize, const SCORE: bool>(
    gm: &GaussianMixture,
    points: &[f64],
    out: &mut [f64],
) {
    let per_point = if SCORE { D } else { 1 };
    points
        .par_chunks(CHUNK * D)
        .zip(out.par_chunks_mut(CHUNK * per_point))
        .for_each(|(p, o)| {
            for (pb, ob) in p.chunks(LANES * D).zip(o.chunks_mut(LANES * per_point)) {
                let n = pb.len() / D;
                // Lanes past the last point repeat it; their results are dropped.
                let mut x: Block<D> = [[0.0; LANES]; D];
                for l in 0..LANES {
                    let src = &pb[l.min(n - 1) * D..][..D];
                    for (xi, v) in x.iter_mut().zip(src) {
                        xi[l] = *v;
                    }
                }
                if SCORE {
                    let mut s = [[0.0; LANES]; D];
                    gm.score_lanes(&x, &mut s);
                    for (l, dst) in ob.chunks_exact_mut(D).enumerate() {
                        for (v, si) in dst.iter_mut().zip(&s) {
                            *v = si[l];
                        }
                    }
                } else {
                    let lp = gm.log_prob_lanes(&x);
                    ob.copy_from_slice(&lp[..n]);
                }
            }
        });
}

// Blocks of [`LANES`] points for the samplers: the kernel, and the general path for the lanes
// it flags.

/// s of a block by the kernel, lanes it flags by the general path; with `log_p`, also log p
/// there, from the same pass (its log-sum-exp). One test decides: a block with no irregular
/// lane (every block a sampler meets) takes the kernel alone.
#[inline(always)]
pub(super) fn score_block_with<const D: usize>(
    gm: &GaussianMixture,
    kernel: &FixedMixture<D>,
    x: &[[f64; LANES]],
    out: &mut [[f64; LANES]],
    log_p: Option<&mut [f64; LANES]>,
) {
    match (
        <&Block<D>>::try_from(x),
        <&mut Block<D>>::try_from(&mut *out),
    ) {
        (Ok(xb), Ok(ob)) if !kernel.any_irregular(xb) => {
            // Local copies in and out let the compiler keep the block in registers.
            let (xl, mut sl) = (*xb, [[0.0; LANES]; D]);
            let sums = kernel.score(&xl, &mut sl);
            *ob = sl;
            if let Some(lp) = log_p {
                *lp = sums.log_prob();
            }
        }
        _ => score_irregular_block(gm, kernel, x, out, log_p),
    }
}

/// [`score_block_with`](score_block_with) for a block with an irregular lane (or of the
/// wrong shape): the kernel for the others, the general path for those.
#[cold]
#[inline(never)]
fn score_irregular_block<const D: usize>(
    gm: &GaussianMixture,
    kernel: &FixedMixture<D>,
    x: &[[f64; LANES]],
    out: &mut [[f64; LANES]],
    mut log_p: Option<&mut [f64; LANES]>,
) {
    let irregular = match (
        <&Block<D>>::try_from(x),
        <&mut Block<D>>::try_from(&mut *out),
    ) {
        (Ok(xb), Ok(ob)) => {
            let sums = kernel.score(xb, ob);
            if let Some(lp) = log_p.as_deref_mut() {
                *lp = sums.log_prob();
            }
            kernel.irregular(xb)
        }
        _ => [true; LANES],
    };
    score_lanes_one_by_one(gm, x, out, irregular);
    if let Some(lp) = log_p {
        log_prob_lanes_one_by_one(gm, x, lp, irregular);
    }
}

/// log p of a block by the kernel, lanes it flags by the general path.
#[inline(always)]
pub(super) fn log_prob_block_with<const D: usize>(
    gm: &GaussianMixture,
    kernel: &FixedMixture<D>,
    x: &[[f64; LANES]],
) -> [f64; LANES] {
    match <&Block<D>>::try_from(x) {
        Ok(xb) if !kernel.any_irregular(xb) => kernel.log_prob(&{ *xb }),
        _ => log_prob_irregular_block(gm, kernel, x),
    }
}

/// [`log_prob_block_with`](log_prob_block_with) for a block with an irregular lane (or
/// of the wrong shape).
#[cold]
#[inline(never)]
fn log_prob_irregular_block<const D: usize>(
    gm: &GaussianMixture,
    kernel: &FixedMixture<D>,
    x: &[[f64; LANES]],
) -> [f64; LANES] {
    let (mut lp, irregular) = match <&Block<D>>::try_from(x) {
        Ok(xb) => (kernel.log_prob(xb), kernel.irregular(xb)),
        Err(_) => ([0.0; LANES], [true; LANES]),
    };
    log_prob_lanes_one_by_one(gm, x, &mut lp, irregular);
    lp
}

/// The lanes `which` of a block by the general path (far field, non-finite points).
#[cold]
pub(super) fn score_lanes_one_by_one(
    gm: &GaussianMixture,
    x: &[[f64; LANES]],
    out: &mut [[f64; LANES]],
    which: [bool; LANES],
) {
    let (mut point, mut s) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    for l in (0..LANES).filter(|&l| which[l]) {
        for (p, xi) in point.iter_mut().zip(x) {
            *p = xi[l];
        }
        gm.score_into(&point, &mut s);
        for (o, v) in out.iter_mut().zip(&s) {
            o[l] = *v;
        }
    }
}

#[cold]
pub(super) fn log_prob_lanes_one_by_one(
    gm: &GaussianMixture,
    x: &[[f64; LANES]],
    out: &mut [f64; LANES],
    which: [bool; LANES],
) {
    let mut point = vec![0.0; x.len()];
    for l in (0..LANES).filter(|&l| which[l]) {
        for (p, xi) in point.iter_mut().zip(x) {
            *p = xi[l];
        }
        out[l] = gm.log_prob(&point);
    }
}
