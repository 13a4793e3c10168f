//! Arbitrary text as a mixture preset: loading never panics, and a mixture that loads evaluates
//! without NaN at its means and far away.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scorelab::prelude::*;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(gm) = GaussianMixture::from_json(text) else {
        return;
    };
    for k in 0..gm.n_components() {
        let mean = gm.mean(k).unwrap().to_vec();
        let far: Vec<f64> = mean.iter().map(|m| m + 1e6).collect();
        for x in [mean, far] {
            assert!(
                !gm.log_prob(&x).is_nan(),
                "log p is NaN at {x:?} for {text}"
            );
            assert!(
                gm.score(&x).iter().all(|v| !v.is_nan()),
                "score is NaN at {x:?} for {text}"
            );
        }
    }
    // What loads saves and loads back to the same mixture.
    assert_eq!(GaussianMixture::from_json(&gm.to_json()).unwrap(), gm);
});
