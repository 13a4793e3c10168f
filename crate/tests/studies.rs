//! The studies' numbers, checked on the data they return; the figure is drawn from the same
//! data, without running the experiment again.

use scorelab::prelude::*;
use scorelab::studies;

#[test]
fn step_size_bias_follows_the_formula_and_mala_does_not_bias() {
    let study = studies::step_size_bias(1.0)
        .steps(&[0.1, 0.5, 1.0])
        .particles(20_000)
        .seed(3)
        .run()
        .unwrap();
    for (i, &eps) in study.steps.iter().enumerate() {
        let predicted = study.predicted(eps);
        assert!(
            (study.ula[i] / predicted - 1.0).abs() < 0.05,
            "ULA at ε = {eps}: {} vs {predicted}",
            study.ula[i]
        );
        assert!(
            (study.mala[i] - 1.0).abs() < 0.05,
            "MALA at ε = {eps}: {}",
            study.mala[i]
        );
    }
    assert_eq!(study.predicted(1.0), 2.0);
    let figure = study.figure().unwrap();
    assert!(figure.png().starts_with(b"\x89PNG"));
}

#[test]
fn step_size_bias_rejects_steps_outside_the_stable_range() {
    let err = studies::step_size_bias(1.0)
        .steps(&[0.1, 2.0])
        .particles(100)
        .seed(1)
        .run()
        .unwrap_err();
    assert!(matches!(
        err,
        StudyError::Sampler(SamplerError::InvalidParameter { value, .. }) if value == 2.0
    ));
}

#[test]
fn score_studies_carry_their_numbers() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let check = studies::finite_difference_check(&gm, -6.0..=6.0, 1e-5).unwrap();
    assert!(check.worst < 1e-8, "worst {}", check.worst);
    let naive = studies::naive_vs_exact(&gm, -60.0..=60.0).unwrap();
    assert!(naive.lost > 100 && naive.lost < naive.xs.len());
    let stein = studies::stein_vs_ordinary(&gm, -6.0..=6.0).unwrap();
    assert_eq!(stein.ordinary.len(), 2);
    // The two ordinary scores sum to minus the Stein score for equal unit variances.
    for i in 0..stein.xs.len() {
        let sum = stein.ordinary[0][i] + stein.ordinary[1][i];
        assert!((sum + stein.stein[i]).abs() < 1e-12);
    }
}

#[test]
fn occupancy_and_distances_of_a_stuck_cloud() {
    let gm = GaussianMixture::new_1d(&[0.7, 0.3], &[-4.0, 4.0], &[0.5, 0.5]).unwrap();
    let start = Particles::uniform(2.0..=6.0).draw(4000, 1).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&gm, &start, 200, &[0, 200], 2)
        .unwrap();
    let occupancy = studies::occupancy_over_time(&gm, &snaps).unwrap();
    assert_eq!(occupancy.steps, vec![0, 200]);
    // Every particle starts and stays in the right-hand mode.
    assert_eq!(occupancy.occupancy[1], vec![0.0, 1.0]);
    let distances = studies::distances_over_time(&gm, &snaps).unwrap();
    assert!(distances.ks[1] > 0.6, "KS {:?}", distances.ks);
    assert!(distances.w1[1] > 5.0, "W1 {:?}", distances.w1);
}
