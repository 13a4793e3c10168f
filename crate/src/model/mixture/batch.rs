//! log p and s at many points at once: parallel over chunks of points, and within a chunk by
//! blocks of [`LANES`] points through the kernels of fixed dimension when d ≤ 3.

use rayon::prelude::*;

use super::fixed::{Block, FixedMixture, LANES};
use super::GaussianMixture;
use crate::model::score::{LogDensity, Score};

/// Points per parallel task.
const CHUNK: usize = 2048;

impl GaussianMixture {
    /// Scores of the points in `points` (n × d, shapes already checked) into `out` (n × d).
    pub(super) fn score_batch_checked(&self, points: &[f64], out: &mut [f64]) {
        match self.dim {
            1 => self.fixed_batch::<1, true>(points, out),
            2 => self.fixed_batch::<2, true>(points, out),
            3 => self.fixed_batch::<3, true>(points, out),
            d => points
                .par_chunks(CHUNK * d)
                .zip(out.par_chunks_mut(CHUNK * d))
                .for_each(|(p, o)| {
                    for (x, s) in p.chunks_exact(d).zip(o.chunks_exact_mut(d)) {
                        self.score_into(x, s);
                    }
                }),
        }
    }

    /// log p of the points in `points` (n × d, shapes already checked) into `out` (n).
    pub(super) fn log_prob_batch_checked(&self, points: &[f64], out: &mut [f64]) {
        match self.dim {
            1 => self.fixed_batch::<1, false>(points, out),
            2 => self.fixed_batch::<2, false>(points, out),
            3 => self.fixed_batch::<3, false>(points, out),
            d => points
                .par_chunks(CHUNK * d)
                .zip(out.par_chunks_mut(CHUNK))
                .for_each(|(p, o)| {
                    for (x, v) in p.chunks_exact(d).zip(o.iter_mut()) {
                        *v = self.log_prob(x);
                    }
                }),
        }
    }

    /// Scores (`SCORE`, D values per point) or log-densities (1 value per point) by blocks.
    fn fixed_batch<const D: usize, const SCORE: bool>(&self, points: &[f64], out: &mut [f64]) {
        let Some(kernel) = FixedMixture::<D>::new(self) else {
            return;
        };
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
                        kernel.score(&x, &mut s);
                        for (l, dst) in ob.chunks_exact_mut(D).enumerate() {
                            for (v, si) in dst.iter_mut().zip(&s) {
                                *v = si[l];
                            }
                        }
                    } else {
                        let lp = kernel.log_prob(&x);
                        ob.copy_from_slice(&lp[..n]);
                    }
                }
            });
    }
}
