//! Every error that wraps another, printed the way a reporter (anyhow, eyre, `main` returning
//! `Result`) prints it: the message, then each `source()` in turn; and the way a notebook shows
//! it: the message alone. A wrapper either is transparent (its message and source are the inner
//! error's) or says its context and then the inner message, without returning the inner error
//! as its source again (see `scorelab::error`). Either way each message is printed once and the
//! message alone names the cause.

use std::error::Error;

use scorelab::error::*;
use scorelab::prelude::*;
use scorelab::studies;

/// The messages a reporter prints for `e`: its own, then its sources', outermost first.
fn chain(e: &(dyn Error + 'static)) -> Vec<String> {
    let mut messages = vec![e.to_string()];
    let mut next = e.source();
    while let Some(inner) = next {
        messages.push(inner.to_string());
        next = inner.source();
    }
    messages
}

/// Asserts that no message of the chain repeats an inner one, and that none is empty.
fn assert_each_message_once(e: &(dyn Error + 'static)) {
    let messages = chain(e);
    for (i, message) in messages.iter().enumerate() {
        assert!(!message.is_empty(), "an empty message in {messages:#?}");
        for inner in &messages[i + 1..] {
            assert!(
                !message.contains(inner.as_str()),
                "{message:?} repeats its source {inner:?}: a reporter prints it twice"
            );
        }
    }
}

/// Asserts that `e`'s own message, all a notebook shows, contains its cause's message.
fn assert_says_its_cause(e: &dyn Error, cause: &dyn Error) {
    assert!(
        e.to_string().contains(&cause.to_string()),
        "{e} does not say its cause: {cause}"
    );
}

fn limit() -> LimitError {
    Ula::new(0.01)
        .unwrap()
        .run(
            &GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap(),
            &[0.0],
            usize::MAX,
            0,
        )
        .map(|_| ())
        .map_or_else(
            |e| match e {
                SamplerError::Limit(limit) => limit,
                other => panic!("expected a limit error, got {other:?}"),
            },
            |_| panic!("usize::MAX steps were accepted"),
        )
}

fn mixture() -> MixtureError {
    GaussianMixture::new_1d(&[0.5, 0.6], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err()
}

#[test]
fn the_helpers_make_what_they_say() {
    assert!(matches!(
        mixture(),
        MixtureError::WeightsDoNotSumToOne { .. }
    ));
    assert!(!limit().to_string().is_empty());
}

#[test]
fn the_reporter_check_catches_a_message_printed_twice() {
    /// Displays the inner message and also returns it as the source: the double print.
    #[derive(Debug)]
    struct Twice(MixtureError);
    impl std::fmt::Display for Twice {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "fit failed: {}", self.0)
        }
    }
    impl Error for Twice {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }
    let twice = Twice(mixture());
    let result = std::panic::catch_unwind(|| assert_each_message_once(&twice));
    assert!(result.is_err(), "the check let a repeated message pass");
}

#[test]
fn sampler_errors_report_each_message_once() {
    assert_each_message_once(&SamplerError::Limit(limit()));
    let diverged = Ula::new(10.0)
        .unwrap()
        .run(
            &GaussianMixture::new_1d(&[1.0], &[0.0], &[0.01]).unwrap(),
            &[1.0],
            100,
            0,
        )
        .unwrap_err();
    assert_each_message_once(&diverged);
}

#[test]
fn learn_errors_report_each_message_once() {
    let wrapped = [
        LearnError::Mixture(mixture()),
        LearnError::Sampler(SamplerError::Limit(limit())),
        LearnError::Limit(limit()),
        LearnError::Diffusion(DiffusionError::Mixture(mixture())),
    ];
    for e in &wrapped {
        assert_each_message_once(e);
    }
    // The one wrapper with context of its own says the mixture's error in its message.
    assert_says_its_cause(&wrapped[0], &mixture());
}

#[test]
fn plot_errors_report_each_message_once() {
    let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no write access");
    assert!(PlotError::from(io).to_string().contains("no write access"));
    let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "no write access");
    let wrapped = [
        PlotError::Io(io),
        PlotError::Mixture(mixture()),
        PlotError::Sampler(SamplerError::Limit(limit())),
        PlotError::Limit(limit()),
        PlotError::Density(BatchError::OutputLength {
            expected: 2,
            found: 3,
        }),
        PlotError::Learn(LearnError::Mixture(mixture())),
        PlotError::Diffusion(DiffusionError::Mixture(mixture())),
        PlotError::FokkerPlanck(FokkerPlanckError::Limit(limit())),
        PlotError::from(StudyError::Learn(LearnError::Mixture(mixture()))),
    ];
    for e in &wrapped {
        assert_each_message_once(e);
    }
}

#[test]
fn a_failing_frame_reports_the_frame_then_its_cause_once() {
    let err = Sweep::over("weight", [0.5, 2.0], |w| {
        let gm = GaussianMixture::new_1d(&[w, 1.0 - w], &[-2.0, 2.0], &[1.0, 1.0])?;
        Curves1d::new(&gm, -5.0..=5.0).render()
    })
    .unwrap_err();
    assert_each_message_once(&err);
    let messages = chain(&err);
    assert!(messages[0].starts_with("frame 1"), "{messages:?}");
    assert!(
        messages
            .iter()
            .filter(|m| m.contains("must be >= 0"))
            .count()
            == 1,
        "{messages:?}"
    );
}

#[test]
fn a_study_inside_a_sweep_reports_each_message_once() {
    let truth = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let err = Sweep::over("σ", [0.5, -1.0], |s| {
        studies::tweedie_denoiser(&truth, s)
            .draws(50)
            .seed(5)
            .run()?
            .figure()
    })
    .unwrap_err();
    assert_each_message_once(&err);
}

#[test]
fn other_errors_report_each_message_once() {
    assert_each_message_once(&DiffusionError::Mixture(mixture()));
    assert_each_message_once(&StudyError::Sampler(SamplerError::Limit(limit())));
    assert_each_message_once(&FokkerPlanckError::Limit(limit()));
    let missing = GaussianMixture::load("no/such/preset.json").unwrap_err();
    let PresetError::Io { cause, .. } = &missing else {
        panic!("expected an io error, got {missing:?}")
    };
    assert_each_message_once(&missing);
    assert_says_its_cause(&missing, cause);
}
