//! Samplers with arbitrary step sizes, starts and seeds on arbitrary valid 1-D and 2-D mixtures:
//! never a panic, and never a NaN in a result — a run either returns finite states or a typed
//! error (divergence is reported, not plotted).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scorelab::prelude::*;

#[derive(Arbitrary, Debug)]
struct Input {
    means: [f64; 2],
    stds: [f64; 2],
    weight: f64,
    step: f64,
    start: f64,
    steps: u8,
    seed: u64,
    sampler: u8,
}

fuzz_target!(|input: Input| {
    let w = if input.weight.is_finite() {
        input.weight.abs().fract()
    } else {
        0.5
    };
    let Ok(gm) = GaussianMixture::new_1d(&[w, 1.0 - w], &input.means, &input.stds) else {
        return;
    };
    let n = usize::from(input.steps);
    let result = match input.sampler % 4 {
        0 => Ula::new(input.step).and_then(|s| s.run(&gm, &[input.start], n, input.seed)),
        1 => Mala::new(input.step).and_then(|s| s.run(&gm, &[input.start], n, input.seed)),
        2 => AnnealedLangevin::geometric().sigmas(10.0, 0.1).levels(3).step(input.step).steps_per_level(n / 3).build().and_then(|a| {
            a.run(
                &a.perturbed_levels(&gm)
                    .map_err(|_| SamplerError::NonFiniteStart)?,
                &[input.start],
                input.seed,
            )
        }),
        _ => {
            let start = Particles::from_flat(1, vec![input.start; 8]);
            let snaps = start
                .and_then(|p| Ula::new(input.step)?.run_ensemble(&gm, &p, n, &[n], input.seed));
            if let Ok(s) = &snaps {
                assert!(s.last().unwrap().as_flat().iter().all(|v| v.is_finite()));
            }
            return;
        }
    };
    if let Ok(path) = result {
        for p in path.points() {
            assert!(p.iter().all(|v| v.is_finite()), "non-finite state {p:?}");
        }
    }
});
