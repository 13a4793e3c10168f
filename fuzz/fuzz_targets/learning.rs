//! The learning and diffusion API with arbitrary numbers, NaN, ±∞, 0, subnormals and f64::MAX
//! among them: constructors, fits, `tweedie` and the reverse samplers. The rule: every call
//! that returns a `Result` gives a typed error or finite output, in bounded time (sizes are
//! capped small); a trait method that cannot fail (a learned score) gives no NaN at a number;
//! nothing panics.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scorelab::learn::tweedie;
use scorelab::prelude::*;

#[derive(Arbitrary, Debug)]
struct Input {
    mean: f64,
    std: f64,
    range: (f64, f64),
    per_axis: u8,
    sigma: f64,
    ridge: f64,
    draws: u8,
    schedule: (f64, f64),
    variance_preserving: bool,
    steps: u8,
    samples: u8,
    point: f64,
    time: f64,
    rate: f64,
    cd_step: f64,
    method: u8,
    seed: u64,
}

fn finite(p: &Particles) -> bool {
    p.as_flat().iter().all(|v| v.is_finite())
}

fuzz_target!(|input: Input| {
    let Ok(data_law) = GaussianMixture::new_1d(
        &[0.5, 0.5],
        &[-input.mean, input.mean],
        &[input.std, input.std],
    ) else {
        return;
    };
    let n = 4 + usize::from(input.samples % 60);
    let Ok(data) = Particles::sample(&data_law, n, input.seed) else {
        return;
    };
    assert!(finite(&data));

    // Tweedie on the exact perturbed score.
    if let Ok(perturbed) = data_law.perturbed(input.sigma.abs())
        && let Ok(clean) = tweedie(&perturbed, input.sigma, &data)
    {
        assert!(finite(&clean), "tweedie σ = {}", input.sigma);
    }

    // A DSM fit and its score.
    let per_axis = 2 + usize::from(input.per_axis % 10);
    let draws = 1 + usize::from(input.draws % 4);
    let features = RbfFeatures::grid(1, input.range.0..=input.range.1, per_axis);
    let model = features.as_ref().ok().and_then(|f| {
        LinearScore::dsm(input.sigma).ridge(input.ridge).draws(draws).fit(f, &data, input.seed).ok()
    });
    if let Some(model) = &model {
        // A trait method cannot fail: ±∞ where the value is beyond f64, never NaN at a number.
        let s = model.score(&[input.point]);
        assert!(
            input.point.is_nan() || !s[0].is_nan(),
            "learned score {s:?} at {}",
            input.point
        );
    }

    // Training, a few iterations.
    let method = match input.method % 5 {
        0 => Method::ContrastiveDivergence {
            k: 1 + usize::from(input.steps % 3),
            step: input.cd_step,
        },
        1 => Method::PersistentContrastiveDivergence {
            k: 1,
            step: input.cd_step,
        },
        2 => Method::ScoreMatching,
        3 => Method::DenoisingScoreMatching { sigma: input.sigma },
        _ => Method::MaximumLikelihood,
    };
    let optimizer = if input.method / 5 % 2 == 0 {
        Optimizer::Adam
    } else {
        Optimizer::GradientAscent
    };
    if let Ok(start) = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.0, 1.0]) {
        let fit = Training::new(method)
            .optimizer(optimizer)
            .iterations(1 + usize::from(input.steps % 4))
            .learning_rate(input.rate)
            .fit(&data, &start, input.seed);
        if let Ok(curve) = fit {
            assert!(curve.log_likelihood().iter().all(|v| v.is_finite()));
            let _ = curve.final_mixture();
        }
    }

    // Diffusion: exact and learned scores, both reverse samplers.
    let (a, b) = input.schedule;
    let process = if input.variance_preserving {
        Diffusion::variance_preserving(&data_law, a..=b)
    } else {
        Diffusion::variance_exploding(&data_law, a..=b)
    };
    let Ok(process) = process else { return };
    if let Ok(s) = process.score_at(&[input.point], input.time) {
        assert!(
            s.iter().all(|v| v.is_finite()),
            "exact s({}, {}) = {s:?}",
            input.point,
            input.time
        );
    }
    let Ok(prior) = process.marginal(1.0) else {
        return;
    };
    let Ok(start) = Particles::sample(&prior, 8, input.seed) else {
        return;
    };
    let steps = 1 + usize::from(input.steps % 24);
    let samplers = [
        ReverseSampler::Sde,
        ReverseSampler::Ode,
        ReverseSampler::PredictorCorrector { snr: 0.16 },
        ReverseSampler::Ddpm,
    ];
    for sampler in samplers {
        if let Ok(run) = sampler.steps(steps).seed(input.seed).run(&process, &process, &start) {
            assert!(finite(run.samples()), "{sampler:?} on the exact score");
        }
    }
    if let (Ok(f), Some(_)) = (&features, &model) {
        let sigma = input.sigma.abs();
        if let Ok(levels) =
            NoiseConditionalScore::eps(sigma / 4.0..=sigma).ridge(input.ridge).fit(f, &data, input.seed)
        {
            let learned = levels.for_diffusion(&process);
            for sampler in samplers {
                if let Ok(run) = sampler.steps(steps).seed(input.seed).run(&process, &learned, &start) {
                    assert!(finite(run.samples()), "{sampler:?} on the learned score");
                }
            }
        }
    }
});
