//! Runaway inputs: every size a caller can pass is either done quickly or refused with a typed
//! error before any work starts — never a panic, an abort or a run of minutes.

mod common;

use std::time::{Duration, Instant};

use common::reference_2d;
use proptest::prelude::*;
use scorelab::limits::{self, LimitError};
use scorelab::prelude::*;

/// Every test of this file runs under this budget, so any buffer over it must be refused.
const BUDGET: usize = 16 << 20;
/// The longest any single call may take here (the machine is shared and slow).
const TIME_LIMIT: Duration = Duration::from_secs(5);

fn limited<T>(call: impl FnOnce() -> T) -> T {
    set_memory_budget(BUDGET);
    let started = Instant::now();
    let out = call();
    let took = started.elapsed();
    assert!(took < TIME_LIMIT, "took {took:?}");
    out
}

/// A size as a reader might type it: small, zero, or absurd.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..200,
        1 => Just(0usize),
        2 => 1_000_000_000usize..=usize::MAX,
        1 => Just(usize::MAX),
    ]
}

fn limit_error(err: &SamplerError) -> Option<&LimitError> {
    match err {
        SamplerError::Limit(e) => Some(e),
        _ => None,
    }
}

#[test]
fn the_runaway_ula_run_is_refused_before_it_starts() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let err = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0], 2_000_000_000, 1)).unwrap_err();
    assert_eq!(
        limit_error(&err),
        Some(&LimitError::OutOfRange {
            parameter: "steps",
            value: 2_000_000_000,
            min: 1,
            max: limits::STEPS.max
        })
    );
    assert!(err.to_string().contains("steps = 2000000000"), "{err}");
}

#[test]
fn a_trajectory_over_the_budget_says_how_much_and_how_to_ask_for_less() {
    let gm = reference_2d();
    // 10⁷ states of 2 coordinates, their step numbers and slices: 400 MB, over the budget.
    let err = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0, 0.0], 10_000_000, 1)).unwrap_err();
    let Some(LimitError::OverBudget { what, bytes, .. }) = limit_error(&err) else {
        panic!("expected OverBudget, got {err:?}");
    };
    assert_eq!((*what, *bytes), ("trajectory", 400_000_040));
    let text = err.to_string();
    assert!(
        text.contains("400 MB") && text.contains("take fewer steps"),
        "{text}"
    );
    // Within the budget the same call runs.
    assert!(limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0, 0.0], 100_000, 1)).is_ok());
}

#[test]
fn contour_levels_out_of_range_are_errors() {
    let gm = reference_2d();
    for n in [0, 1_000_000] {
        let err = limited(|| {
            ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
                .levels(n)
                .render()
        })
        .unwrap_err();
        assert!(
            matches!(err, PlotError::Limit(LimitError::OutOfRange { parameter: "levels", value, .. }) if value == n),
            "{err:?}"
        );
    }
}

#[test]
fn snapshots_over_the_budget_are_refused() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let start = limited(|| Particles::uniform(1_000_000, 1, -1.0, 1.0, 0)).unwrap();
    // 1 000 snapshots of 10⁶ particles: 8 GB.
    let record: Vec<usize> = (0..1000).collect();
    let err = limited(|| {
        Ula::new(0.01)
            .unwrap()
            .run_ensemble(&gm, &start, 1000, &record, 1)
    })
    .unwrap_err();
    assert!(
        matches!(
            limit_error(&err),
            Some(LimitError::OverBudget {
                what: "snapshots",
                ..
            })
        ),
        "{err:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn samplers_take_any_size(steps in size(), particles in size(), snapshots in size()) {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
        let _ = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0], steps, 1));
        let _ = limited(|| Mala::new(0.01).unwrap().run(&gm, &[0.0], steps, 1));
        let _ = limited(|| AnnealedLangevin::geometric(2.0, 0.1, particles, 0.01, steps));
        let _ = limited(|| Particles::sample(&gm, particles, 1));
        if let Ok(start) = limited(|| Particles::uniform(particles, 1, -3.0, 3.0, 1)) {
            let record: Vec<usize> = (0..snapshots.min(20_000)).map(|k| k % (steps.max(1))).collect();
            let _ = limited(|| Ula::new(0.01).unwrap().run_ensemble(&gm, &start, steps, &record, 1));
        }
    }

    #[test]
    fn figures_take_any_size(levels in size(), arrows in size(), resolution in size(), bins in size()) {
        let gm2 = reference_2d();
        let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0).size(200, 200);
        let _ = limited(|| field.clone().levels(levels).arrows(arrows).resolution(resolution).render());
        let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let cloud = Particles::sample(&gm1, 1000, 1).unwrap();
        let _ = limited(|| Histograms::new(&gm1, -4.0..=4.0).panel("t = 0", &cloud).bins(bins).render());
        let _ = limited(|| Curves1d::new(&gm1, -4.0..=4.0).points(levels).size(200, 300).render());
    }
}

#[test]
fn reverse_samplers_and_fits_bound_their_sizes() {
    let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let process = Diffusion::variance_preserving(&data, 0.1, 20.0).unwrap();
    let start = Particles::uniform(1000, 1, -3.0, 3.0, 1).unwrap();
    for sampler in [ReverseSampler::Sde, ReverseSampler::Ode] {
        for steps in [0, 1_000_000_000] {
            let err = limited(|| sampler.run(&process, &process, &start, steps, 0, 1)).unwrap_err();
            assert!(
                matches!(
                    limit_error(&err),
                    Some(LimitError::OutOfRange {
                        parameter: "steps",
                        ..
                    })
                ),
                "{err:?}"
            );
        }
        // Recording every step of a long run would take 8 GB: refused before it starts.
        let err = limited(|| sampler.run(&process, &process, &start, 1_000_000, 1, 1)).unwrap_err();
        assert!(
            matches!(limit_error(&err), Some(LimitError::OverBudget { .. })),
            "{err:?}"
        );
    }
    let samples = Particles::sample(&data, 200, 1).unwrap();
    for iterations in [0, 1 << 40] {
        let err = limited(|| {
            Training::new(Method::ScoreMatching)
                .iterations(iterations)
                .fit(&samples, &data, 1)
        })
        .unwrap_err();
        assert!(
            matches!(
                err,
                LearnError::Limit(LimitError::OutOfRange {
                    parameter: "iterations",
                    ..
                })
            ),
            "{err:?}"
        );
    }
}
