//! A point of the wrong dimension: a typed error where the function returns a `Result`, else a
//! panic whose message names the expected and the found dimension (as slices and ndarray do).

use scorelab::learn::score_divergence;
use scorelab::prelude::*;

fn mixture_2d() -> GaussianMixture {
    GaussianMixture::new(
        &[0.4, 0.6],
        &[[-1.0, 0.0], [1.0, 0.5]],
        &[[[1.0, 0.2], [0.2, 0.8]], [[0.6, 0.0], [0.0, 1.2]]],
    )
    .unwrap()
}

fn linear_score_2d() -> LinearScore {
    let data = Particles::sample(&mixture_2d(), 300, 1).unwrap();
    let features = RbfFeatures::grid(2, -3.0..=3.0, 3).unwrap();
    LinearScore::dsm(0.5)
        .ridge(1e-3)
        .fit(&features, &data, 2)
        .unwrap()
}

#[test]
#[should_panic(expected = "x has length 3, the score has dimension 2")]
fn linear_score_of_a_longer_point() {
    linear_score_2d().score(&[0.0, 0.0, 0.0]);
}

#[test]
#[should_panic(expected = "x has length 1, the score has dimension 2")]
fn linear_score_of_a_shorter_point() {
    linear_score_2d().score(&[0.0]);
}

#[test]
#[should_panic(expected = "score output has length 3, the score has dimension 2")]
fn linear_score_into_a_longer_output() {
    linear_score_2d().score_into(&[0.0, 0.0], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "x has length 1, the features have dimension 2")]
fn features_of_a_shorter_point() {
    let features = RbfFeatures::grid(2, -3.0..=3.0, 3).unwrap();
    features.eval_into(&[0.0], &mut vec![0.0; features.len()]);
}

#[test]
#[should_panic(expected = "feature output has length 4, there are 12 features")]
fn features_into_a_shorter_output() {
    let features = RbfFeatures::grid(2, -3.0..=3.0, 3).unwrap();
    features.eval_into(&[0.0, 0.0], &mut [0.0; 4]);
}

#[test]
fn diffusion_score_at_a_point_of_another_dimension_is_an_error() {
    let ve = Diffusion::variance_exploding(&mixture_2d(), 0.01..=10.0).unwrap();
    assert_eq!(
        ve.score_at(&[0.0, 0.0, 0.0], 0.5),
        Err(DiffusionError::DimensionMismatch {
            expected: 2,
            found: 3
        })
    );
    let err = ve.score_at(&[0.0], 0.5).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a point of dimension 1, the process has dimension 2"
    );
}

#[test]
fn diffusion_score_at_a_non_finite_point_is_an_error() {
    // It was Ok([NaN, ..]).
    let ve = Diffusion::variance_exploding(&mixture_2d(), 0.01..=10.0).unwrap();
    for (x, axis) in [([f64::NAN, 0.0], 0), ([0.0, f64::INFINITY], 1)] {
        let err = ve.score_at(&x, 0.5).unwrap_err();
        assert!(
            matches!(err, DiffusionError::NonFinitePoint { axis: a, .. } if a == axis),
            "{err:?}"
        );
    }
}

#[test]
fn diffusion_score_beyond_f64_is_an_error() {
    // Means ±1e160 with variance about 1e-290 at the start: s(0) = ∓1e160 / 1e-290, beyond f64.
    // It was Ok([inf]).
    let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-1e160, 1e160], &[1e-150, 1e-150]).unwrap();
    let vp = Diffusion::variance_preserving(&data, 0.0..=1.0).unwrap();
    let err = vp.score_at(&[1.0], 1e-300).unwrap_err();
    assert_eq!(err, DiffusionError::ScoreOverflow { t: 1e-300 });
    assert!(vp.score_at(&[1.0], 1.0).is_ok());
}

#[test]
#[should_panic(expected = "x has length 3, the mixture has dimension 2")]
fn parameter_score_of_a_longer_point() {
    mixture_2d().parameter_score(&[0.0, 0.0, 0.0]);
}

#[test]
#[should_panic(expected = "x has length 1, the mixture has dimension 2")]
fn mean_score_of_a_shorter_point() {
    mixture_2d().mean_score(&[0.0], 0);
}

#[test]
#[should_panic(expected = "x has length 3, the mixture has dimension 2")]
fn score_divergence_of_a_longer_point() {
    score_divergence(&mixture_2d(), &[0.0, 0.0, 0.0]);
}

#[test]
#[should_panic(expected = "x has length 3, the slice has dimension 2")]
fn slice_of_a_longer_point() {
    let gm = mixture_2d();
    let slice = Slice2d::new(&gm, [1, 0], &[0.0, 0.0]).unwrap();
    slice.score(&[0.0, 0.0, 0.0]);
}
