//! The experiments of the teaching notebooks, one per file: each computes its data (returned
//! as a value, so tests check the numbers without drawing), draws it with `.figure()`, and
//! shows that figure when it is a notebook cell's value, so a cell stays one line.

/// `evcxr_display` for a study: shows its figure (or the error, as text) inline when the study
/// is the value of a notebook cell.
macro_rules! shown_as_figure {
    ($study:ty) => {
        impl $study {
            /// Shows the figure inline when this is the value of a notebook cell (evcxr).
            pub fn evcxr_display(&self) {
                match self.figure() {
                    Ok(figure) => figure.evcxr_display(),
                    Err(err) => println!(
                        "EVCXR_BEGIN_CONTENT text/plain\nthe figure could not be drawn: {err}\nEVCXR_END_CONTENT"
                    ),
                }
            }
        }
    };
}

mod annealed_vs_ula;
mod distances_over_time;
mod dsm_error_map;
pub(crate) mod error;
mod finite_difference_check;
mod fit_table;
mod mean_ordinary_score;
mod mmd_over_time;
mod model_term;
mod naive_vs_exact;
mod noise_levels_1d;
mod occupancy_over_time;
mod prior_mismatch;
mod shared;
mod stein_vs_ordinary;
mod step_signal_to_noise;
mod step_size_bias;
mod steps_needed;
mod tempered_langevin;
mod tweedie_denoiser;
mod weight_recovery;

pub use annealed_vs_ula::{AnnealedVsUla, AnnealedVsUlaStudy, annealed_vs_ula};
pub use distances_over_time::{DistancesOverTime, distances_over_time};
pub use dsm_error_map::{DsmErrorMap, dsm_error_map};
pub use finite_difference_check::{FiniteDifferenceCheck, finite_difference_check};
pub use fit_table::{FitRow, FitTable, fit_table};
pub use mean_ordinary_score::{MeanOrdinaryScore, mean_ordinary_score};
pub use mmd_over_time::{MmdOverTime, mmd_over_time};
pub use model_term::{ModelTerm, ModelTermStudy, model_term};
pub use naive_vs_exact::{NaiveVsExact, naive_score_1d, naive_vs_exact};
pub use noise_levels_1d::{NoiseLevels1d, noise_levels_1d};
pub use occupancy_over_time::{OccupancyOverTime, occupancy_over_time};
pub use prior_mismatch::{PriorMismatch, PriorMismatchStudy, prior_mismatch};
pub use stein_vs_ordinary::{SteinVsOrdinary, stein_vs_ordinary};
pub use step_signal_to_noise::{StepSignalToNoise, StepSignalToNoiseStudy, step_signal_to_noise};
pub use step_size_bias::{StepSizeBias, StepSizeBiasStudy, step_size_bias};
pub use steps_needed::StepsNeeded;
pub use tempered_langevin::{TemperedLangevin, TemperedLangevinStudy, tempered_langevin};
pub use tweedie_denoiser::{TweedieDenoiser, TweedieStudy, tweedie_denoiser};
pub use weight_recovery::{WeightRecovery, WeightRecoveryStudy, weight_recovery};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;
    use crate::model::score::Score;
    use crate::sample::ensemble::Particles;
    use crate::sample::langevin::Ula;

    #[test]
    fn naive_score_breaks_where_the_density_underflows() {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
        assert!((naive_score_1d(&gm, 1.0) - gm.score(&[1.0])[0]).abs() < 1e-12);
        assert!(naive_score_1d(&gm, 45.0).is_nan());
        assert!(gm.score(&[45.0])[0].is_finite());
        let study = naive_vs_exact(&gm, -60.0..=60.0).unwrap();
        assert!(study.lost > 0 && study.exact.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn studies_reject_the_wrong_dimension() {
        let gm2 = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let err = stein_vs_ordinary(&gm2, -1.0..=1.0).unwrap_err();
        assert!(err.to_string().contains("1-D mixture"), "{err}");
    }

    #[test]
    fn a_run_without_snapshots_is_refused_before_any_study() {
        // The studies also reject empty snapshots (`StudyError::NoSnapshots`), but the engine
        // refuses to make them: recording nothing is a mistake, not a result.
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let start = Particles::uniform(-1.0..=1.0).draw(10, 1).unwrap();
        let err = Ula::new(0.1)
            .unwrap()
            .run_ensemble(&gm, &start, 5, &[], 1)
            .unwrap_err();
        assert!(err.to_string().contains("snapshots = 0"), "{err}");
    }

    #[test]
    fn the_grid_is_ndarray_linspace() {
        assert_eq!(
            shared::grid(&(-1.0..=1.0), 5),
            vec![-1.0, -0.5, 0.0, 0.5, 1.0]
        );
    }

    #[test]
    fn a_finite_difference_step_that_is_not_positive_and_finite_is_refused() {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        for h in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
            let err = finite_difference_check(&gm, -1.0..=1.0, h).unwrap_err();
            assert!(
                matches!(err, error::StudyError::InvalidParameter { name: "h", .. }),
                "{err}"
            );
        }
        assert!(
            finite_difference_check(&gm, -1.0..=1.0, 1e-4)
                .unwrap()
                .worst
                < 1e-6
        );
    }

    #[test]
    fn a_step_size_bias_of_one_particle_is_refused() {
        let err = step_size_bias(1.0)
            .steps(&[0.1])
            .particles(1)
            .seed(7)
            .run()
            .unwrap_err();
        assert!(
            matches!(
                err,
                error::StudyError::InvalidParameter {
                    name: "particles",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn reversed_nan_or_infinite_ranges_are_refused() {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
        let bad = [1.0..=-1.0, f64::NAN..=1.0, -1.0..=f64::INFINITY, 0.0..=0.0];
        for range in bad {
            let is_range_error =
                |e: error::StudyError| matches!(e, error::StudyError::InvalidRange { .. });
            assert!(is_range_error(
                naive_vs_exact(&gm, range.clone()).unwrap_err()
            ));
            assert!(is_range_error(
                stein_vs_ordinary(&gm, range.clone()).unwrap_err()
            ));
            assert!(is_range_error(
                noise_levels_1d(&gm, &[0.5], range.clone()).unwrap_err()
            ));
            assert!(is_range_error(
                finite_difference_check(&gm, range.clone(), 1e-4).unwrap_err()
            ));
        }
    }

    #[test]
    fn a_tweedie_study_of_fewer_than_two_draws_is_refused() {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        for n in [0, 1] {
            let err = tweedie_denoiser(&gm, 0.5).draws(n).run().unwrap_err();
            assert!(
                matches!(
                    err,
                    error::StudyError::InvalidParameter { name: "draws", .. }
                ),
                "{err}"
            );
        }
    }
}
