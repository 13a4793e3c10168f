//! Evaluation by blocks of [`LANES`] points stored coordinate by coordinate (`x[i][l]` is
//! coordinate i of point l; `x.len()` is d): what samplers call on blocks of particles.
//!
//! Every [`Score`] and [`LogDensity`] has these methods, through [`ScoreBlock`] and
//! [`LogDensityBlock`]: by default one point at a time, or by the type's own [`BlockKernel`](crate::BlockKernel)
//! when [`Dimension::block_kernel`](crate::Dimension::block_kernel) offers one (the mixture's vector kernel in d ≤ 3). Either way
//! the results are bit-identical to [`Score::score_into`] and [`LogDensity::log_prob`] on each
//! point. None of this is needed to implement or use a density, so it stays out of the traits a
//! reader implements and out of the methods a notebook offers.

use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::LANES;

/// The score at a block of [`LANES`] points; implemented for every [`Score`].
#[doc(hidden)]
pub trait ScoreBlock: Score {
    /// s at the points of the block `x`, into `out` (`out.len()` is d).
    fn score_block(&self, x: &[[f64; LANES]], out: &mut [[f64; LANES]]);

    /// [`score_block`](Self::score_block), and log p at the same points when the score's pass
    /// yields it (a mixture's log-sum-exp does): what MALA asks at each proposal. If `Some`, it
    /// equals [`LogDensityBlock::log_prob_block`] bit for bit.
    fn score_block_with_log_prob(
        &self,
        x: &[[f64; LANES]],
        out: &mut [[f64; LANES]],
    ) -> Option<[f64; LANES]>;
}

/// log p at a block of [`LANES`] points; implemented for every [`LogDensity`].
#[doc(hidden)]
pub trait LogDensityBlock: LogDensity {
    /// log p at the points of the block `x`.
    fn log_prob_block(&self, x: &[[f64; LANES]]) -> [f64; LANES];
}

impl<T: Score + ?Sized> ScoreBlock for T {
    #[inline(always)]
    fn score_block(&self, x: &[[f64; LANES]], out: &mut [[f64; LANES]]) {
        match self.block_kernel() {
            Some(kernel) => kernel.score_lanes(x, out),
            None => score_one_by_one(self, x, out),
        }
    }

    #[inline(always)]
    fn score_block_with_log_prob(
        &self,
        x: &[[f64; LANES]],
        out: &mut [[f64; LANES]],
    ) -> Option<[f64; LANES]> {
        match self.block_kernel() {
            Some(kernel) => kernel.score_and_log_prob_lanes(x, out),
            None => {
                score_one_by_one(self, x, out);
                None
            }
        }
    }
}

impl<T: LogDensity + ?Sized> LogDensityBlock for T {
    #[inline(always)]
    fn log_prob_block(&self, x: &[[f64; LANES]]) -> [f64; LANES] {
        match self.block_kernel() {
            Some(kernel) => kernel.log_prob_lanes(x),
            None => log_prob_one_by_one(self, x),
        }
    }
}

/// s at each point of the block by [`Score::score_into`].
fn score_one_by_one<S: Score + ?Sized>(score: &S, x: &[[f64; LANES]], out: &mut [[f64; LANES]]) {
    let (mut point_buf, mut score_buf) = (PointBuf::new(x.len()), PointBuf::new(x.len()));
    let (point, s) = (point_buf.get(), score_buf.get());
    for l in 0..LANES {
        for (p, xi) in point.iter_mut().zip(x) {
            *p = xi[l];
        }
        score.score_into(point, s);
        for (o, v) in out.iter_mut().zip(s.iter()) {
            o[l] = *v;
        }
    }
}

/// log p at each point of the block by [`LogDensity::log_prob`].
fn log_prob_one_by_one<D: LogDensity + ?Sized>(density: &D, x: &[[f64; LANES]]) -> [f64; LANES] {
    let mut buf = PointBuf::new(x.len());
    let point = buf.get();
    std::array::from_fn(|l| {
        for (p, xi) in point.iter_mut().zip(x) {
            *p = xi[l];
        }
        density.log_prob(point)
    })
}

/// Scratch space for one point: on the stack up to 16 coordinates.
enum PointBuf {
    Stack([f64; 16], usize),
    Heap(Vec<f64>),
}

impl PointBuf {
    fn new(d: usize) -> Self {
        if d <= 16 {
            PointBuf::Stack([0.0; 16], d)
        } else {
            PointBuf::Heap(vec![0.0; d])
        }
    }

    fn get(&mut self) -> &mut [f64] {
        match self {
            PointBuf::Stack(buf, d) => &mut buf[..*d],
            PointBuf::Heap(v) => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;
    use crate::model::score::Dimension;

    /// A score written as a reader would: `dim` and `score_into`, nothing else.
    struct StandardNormal;

    impl Dimension for StandardNormal {
        fn dim(&self) -> usize {
            2
        }
    }

    impl LogDensity for StandardNormal {
        fn log_prob(&self, x: &[f64]) -> f64 {
            -0.5 * x.iter().map(|v| v * v).sum::<f64>()
        }
    }

    impl Score for StandardNormal {
        fn score_into(&self, x: &[f64], out: &mut [f64]) {
            for (o, v) in out.iter_mut().zip(x) {
                *o = -v;
            }
        }
    }

    fn block() -> [[f64; LANES]; 2] {
        [
            std::array::from_fn(|l| l as f64 - 1.5),
            std::array::from_fn(|l| 0.25 * l as f64),
        ]
    }

    #[test]
    fn a_score_with_only_score_into_is_evaluated_by_blocks_point_by_point() {
        let x = block();
        let mut out = [[f64::NAN; LANES]; 2];
        assert!(
            StandardNormal
                .score_block_with_log_prob(&x, &mut out)
                .is_none()
        );
        let lp = StandardNormal.log_prob_block(&x);
        for l in 0..LANES {
            assert_eq!([out[0][l], out[1][l]], [-x[0][l], -x[1][l]]);
            assert_eq!(lp[l], StandardNormal.log_prob(&[x[0][l], x[1][l]]));
        }
    }

    #[test]
    fn the_mixture_offers_its_vector_kernel_and_a_reader_type_none() {
        let gm = GaussianMixture::new(&[1.0], &[[0.0, 1.0]], &[[[1.0, 0.0], [0.0, 2.0]]]).unwrap();
        assert!(gm.block_kernel().is_some());
        assert!(StandardNormal.block_kernel().is_none());
        let x = block();
        let mut out = [[0.0; LANES]; 2];
        let lp = gm.score_block_with_log_prob(&x, &mut out).unwrap();
        for l in 0..LANES {
            let point = [x[0][l], x[1][l]];
            assert_eq!([out[0][l], out[1][l]], *gm.score(&point));
            assert_eq!(lp[l], gm.log_prob(&point));
        }
    }
}
