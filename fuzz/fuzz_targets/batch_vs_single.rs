//! The batch methods against the single-point ones on arbitrary valid mixtures of dimension 1 to
//! 4 and arbitrary points, of any magnitude up to f64::MAX, ±∞ and NaN: the same bits, always.
//! Also MALA's block path, the score and log p from one pass, against the single-point ones, for
//! the mixture and for the mixture at any temperature.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scorelab::prelude::*;
use scorelab::{LANES, ScoreBlock};

#[derive(Arbitrary, Debug)]
struct Input {
    dim: u8,
    means: [[f64; 4]; 2],
    scales: [f64; 2],
    weight: f64,
    temperature: f64,
    points: Vec<f64>,
}

fuzz_target!(|input: Input| {
    let d = usize::from(input.dim % 4) + 1;
    let w = if input.weight.is_finite() {
        input.weight.abs().fract()
    } else {
        0.5
    };
    let identity = |scale: f64| -> Vec<Vec<f64>> {
        (0..d)
            .map(|i| (0..d).map(|j| if i == j { scale } else { 0.0 }).collect())
            .collect()
    };
    let means: Vec<Vec<f64>> = input.means.iter().map(|m| m[..d].to_vec()).collect();
    let covs = [identity(input.scales[0]), identity(input.scales[1])];
    let Ok(gm) = GaussianMixture::new(&[w, 1.0 - w], &means, &covs) else {
        return;
    };
    let n = input.points.len() / d;
    let points = &input.points[..n * d];
    let (mut scores, mut logs) = (vec![0.0; n * d], vec![0.0; n]);
    gm.score_batch(points, &mut scores).unwrap();
    gm.log_prob_batch(points, &mut logs).unwrap();
    for (i, x) in points.chunks_exact(d).enumerate() {
        let single = gm.score(x);
        for (a, b) in scores[i * d..(i + 1) * d].iter().zip(&single) {
            assert_eq!(a.to_bits(), b.to_bits(), "score at {x:?}");
        }
        assert_eq!(
            logs[i].to_bits(),
            gm.log_prob(x).to_bits(),
            "log p at {x:?}"
        );
    }
    check_blocks(&gm, points, d);
    if let Ok(tempered) = Tempered::new(&gm, input.temperature) {
        check_blocks(&tempered, points, d);
    }
});

/// The block path (score and log p from one pass) against the single-point methods.
fn check_blocks<S: ScoreBlock + LogDensity>(density: &S, points: &[f64], d: usize) {
    for block in points.chunks_exact(d * LANES) {
        let mut x = vec![[0.0; LANES]; d];
        for (l, point) in block.chunks_exact(d).enumerate() {
            for (i, v) in point.iter().enumerate() {
                x[i][l] = *v;
            }
        }
        let mut score = vec![[0.0; LANES]; d];
        let Some(log_p) = density.score_block_with_log_prob(&x, &mut score) else {
            return;
        };
        for (l, point) in block.chunks_exact(d).enumerate() {
            assert_eq!(
                log_p[l].to_bits(),
                density.log_prob(point).to_bits(),
                "block log p at {point:?}"
            );
            for (i, b) in density.score(point).iter().enumerate() {
                assert_eq!(
                    score[i][l].to_bits(),
                    b.to_bits(),
                    "block score at {point:?}"
                );
            }
        }
    }
}
