//! The step of a [`Live`](crate::Live) slider whose step was not set.

/// Most steps a chosen step may give a slider before a hundredth of the range is taken instead.
const MAX_STEPS: f64 = 10_000.0;

/// The step a reader would pick for a slider over `min..=max` starting at `value`: the largest
/// 1, 2 or 5 × 10ⁿ that is at most a hundredth of the range and puts both the top and `value` on
/// the slider's grid (`min` plus whole steps), so that −0.95..=0.95 from 0.8 moves by 0.01, not by
/// 0.019 from 0.798. A `value` that no such step reaches (one drawn at random, say) is left off
/// the grid and the top alone decides; a range whose top no such step within [`MAX_STEPS`]
/// reaches gets a hundredth of the range.
pub(crate) fn default_step(min: f64, max: f64, value: f64) -> f64 {
    let hundredth = (max - min) / 100.0;
    if !hundredth.is_normal() {
        return hundredth; // a range too narrow for a power of ten, or too wide for a float
    }
    let on_grid = |x: f64, step: f64| {
        let k = (x - min) / step;
        (k - k.round()).abs() < 1e-6
    };
    let round_steps = || {
        let top = hundredth.log10().floor() as i32;
        (0..)
            .map(move |i| top - i)
            .flat_map(|e| [5.0, 2.0, 1.0].map(|m| m * 10f64.powi(e)))
            // 10ⁿ by `powi` may land a rounding error above a hundredth that is 10ⁿ itself.
            .skip_while(move |&step| step > hundredth * (1.0 + 1e-9))
            .take_while(move |&step| step > 0.0 && (max - min) / step <= MAX_STEPS)
    };
    round_steps()
        .find(|&step| on_grid(max, step) && on_grid(value, step))
        .or_else(|| round_steps().find(|&step| on_grid(max, step)))
        .unwrap_or(hundredth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs()
    }

    #[test]
    fn a_round_step_near_a_hundredth_of_the_range_that_reaches_the_top_and_the_value() {
        for (min, max, value, step) in [
            (-0.95, 0.95, 0.8, 0.01),    // a hundredth: 0.019
            (-4.0, 4.0, 2.0, 0.05),      // 0.08
            (0.05, 0.95, 0.6, 0.005),    // 0.009
            (0.005, 0.4, 0.02, 0.001),   // 0.00395: 0.002 misses 0.02
            (0.0, 4.0, 3.0, 0.02),       // 0.04
            (0.002, 0.06, 0.01, 0.0005), // 0.00058
            (0.0, 1000.0, 250.0, 10.0),
            (0.0, 1e300, 5e299, 1e298), // huge and tiny ranges alike
            (0.0, 1e-300, 0.0, 1e-302),
        ] {
            let got = default_step(min, max, value);
            assert!(
                close(got, step),
                "{min}..={max} from {value}: {got}, not {step}"
            );
        }
    }

    #[test]
    fn a_value_off_every_round_grid_leaves_the_top_to_decide() {
        assert!(close(default_step(-8.0, 8.0, -3.536772347026405), 0.1));
    }

    #[test]
    fn a_top_off_every_round_grid_gets_a_hundredth_of_the_range() {
        let third = 1.0 / 3.0;
        assert!(close(default_step(0.0, third, 0.1), third / 100.0));
        assert!(close(
            default_step(-1.0, 1.0 + 1e-7, 0.0),
            (2.0 + 1e-7) / 100.0
        ));
        assert_eq!(default_step(0.0, 1e-320, 0.0), 1e-320 / 100.0);
    }
}
