//! Arbitrary mixture parameters: construction never panics (it returns a typed error), and a
//! valid mixture evaluates at arbitrary finite points without panic or NaN.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scorelab::prelude::*;

#[derive(Arbitrary, Debug)]
struct Input {
    weights: Vec<f64>,
    means: Vec<Vec<f64>>,
    covariances: Vec<Vec<Vec<f64>>>,
    points: Vec<Vec<f64>>,
    /// Turn the raw numbers into valid parameters (normalised weights, Σ = AAᵀ + εI), so that
    /// evaluation is reached often, not only validation.
    repair: bool,
}

fuzz_target!(|input: Input| {
    let Input {
        mut weights,
        means,
        mut covariances,
        points,
        repair,
    } = input;
    if repair {
        weights
            .iter_mut()
            .for_each(|w| *w = if w.is_finite() { w.abs() % 1e6 } else { 1.0 });
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            weights.iter_mut().for_each(|w| *w /= total);
        }
        let d = means.first().map_or(0, Vec::len);
        covariances = covariances
            .iter()
            .map(|a| {
                let a: Vec<f64> = a
                    .iter()
                    .flatten()
                    .map(|v| if v.is_finite() { v % 1e3 } else { 0.0 })
                    .collect();
                let at = |i: usize, j: usize| a.get(i * d + j).copied().unwrap_or(0.0);
                (0..d)
                    .map(|i| {
                        (0..d)
                            .map(|j| {
                                (0..d).map(|m| at(i, m) * at(j, m)).sum::<f64>()
                                    + if i == j { 1e-3 } else { 0.0 }
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
    }
    let Ok(gm) = GaussianMixture::new(&weights, &means, &covariances) else {
        return;
    };
    let d = gm.dim();
    for p in points {
        if p.len() != d || p.iter().any(|v| !v.is_finite()) {
            continue;
        }
        let log_p = gm.log_prob(&p);
        let s = gm.score(&p);
        assert!(!log_p.is_nan(), "log p is NaN at {p:?}");
        assert!(s.iter().all(|v| !v.is_nan()), "score {s:?} is NaN at {p:?}");
        let r = gm.responsibilities(&p);
        assert!(
            r.iter().all(|v| !v.is_nan()),
            "responsibilities {r:?} at {p:?}"
        );
    }
});
