//! Round values for ticks and contour levels, by matplotlib's rules: `MaxNLocator` (steps
//! 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 × 10ᵏ for contours; 1, 2, 2.5, 5, 10 × 10ᵏ for axes),
//! `contour`'s trimming of its levels, and labels with only the decimals the step needs.

/// matplotlib's default `MaxNLocator` steps (what `contour(levels=N)` uses).
pub(crate) const CONTOUR_STEPS: [f64; 10] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0];
/// The steps of matplotlib's `AutoLocator` (axis ticks).
pub(crate) const AXIS_STEPS: [f64; 5] = [1.0, 2.0, 2.5, 5.0, 10.0];

/// `MaxNLocator(nbins, steps, min_n_ticks).tick_values(vmin, vmax)`: at most `nbins + 1`
/// round values covering `[vmin, vmax]` (the first and last may lie just outside).
pub(crate) fn max_n_locator(
    vmin: f64,
    vmax: f64,
    nbins: usize,
    steps: &[f64],
    min_n_ticks: usize,
) -> Vec<f64> {
    if !(vmin.is_finite() && vmax.is_finite()) || nbins == 0 || steps.is_empty() {
        return Vec::new();
    }
    let (vmin, vmax) = nonsingular(vmin.min(vmax), vmin.max(vmax));
    let nbins_f = nbins as f64;
    // scale_range
    let dv = vmax - vmin;
    let meanv = 0.5 * (vmax + vmin);
    let offset = if meanv.abs() / dv < 100.0 {
        0.0
    } else {
        10f64.powf(meanv.abs().log10().floor()).copysign(meanv)
    };
    let scale = 10f64.powf((dv / nbins_f).log10().floor());
    let (lo, hi) = (vmin - offset, vmax - offset);
    // _staircase: 0.1 × steps[..-1], steps, 10 × steps[1]
    let mut extended: Vec<f64> = steps[..steps.len() - 1].iter().map(|s| 0.1 * s).collect();
    extended.extend_from_slice(steps);
    extended.push(10.0 * steps.get(1).copied().unwrap_or(steps[0]));
    let extended: Vec<f64> = extended.iter().map(|s| s * scale).collect();
    let raw_step = (hi - lo) / nbins_f;
    let istep = extended
        .iter()
        .position(|&s| s >= raw_step)
        .unwrap_or(extended.len() - 1);
    let mut ticks = Vec::new();
    for &step in extended[..=istep].iter().rev() {
        let best_vmin = (lo / step).floor() * step;
        let edge = EdgeInteger {
            step,
            offset: offset.abs(),
        };
        let low = edge.le(lo - best_vmin);
        let high = edge.ge(hi - best_vmin);
        ticks = ((low as i64)..=(high as i64))
            .map(|i| i as f64 * step + best_vmin)
            .collect();
        let shown = ticks.iter().filter(|&&t| t >= lo && t <= hi).count();
        if shown >= min_n_ticks {
            break;
        }
    }
    ticks.iter().map(|t| t + offset).collect()
}

/// matplotlib's `transforms.nonsingular(vmin, vmax, expander=1e-13, tiny=1e-14)`.
fn nonsingular(vmin: f64, vmax: f64) -> (f64, f64) {
    let maxabs = vmin.abs().max(vmax.abs());
    if maxabs < 1e6 * f64::MIN_POSITIVE {
        (-1e-13, 1e-13)
    } else if vmax - vmin <= maxabs * 1e-14 {
        if vmax == 0.0 && vmin == 0.0 {
            (-1e-13, 1e-13)
        } else {
            (vmin - 1e-13 * vmin.abs(), vmax + 1e-13 * vmax.abs())
        }
    } else {
        (vmin, vmax)
    }
}

/// matplotlib's `_Edge_integer`: floor / ceil of `x / step` that forgive rounding error.
struct EdgeInteger {
    step: f64,
    offset: f64,
}

impl EdgeInteger {
    fn close_to(&self, ms: f64, edge: f64) -> bool {
        let tol = if self.offset > 0.0 {
            let digits = (self.offset / self.step).log10();
            10f64.powf(digits - 12.0).clamp(1e-10, 0.4999)
        } else {
            1e-10
        };
        (ms - edge).abs() < tol
    }

    /// Python's `divmod(x, step)`.
    fn divmod(&self, x: f64) -> (f64, f64) {
        let d = (x / self.step).floor();
        (d, x - d * self.step)
    }

    fn le(&self, x: f64) -> f64 {
        let (d, m) = self.divmod(x);
        if self.close_to(m / self.step, 1.0) {
            d + 1.0
        } else {
            d
        }
    }

    fn ge(&self, x: f64) -> f64 {
        let (d, m) = self.divmod(x);
        if self.close_to(m / self.step, 0.0) {
            d
        } else {
            d + 1.0
        }
    }
}

/// The levels of matplotlib's `contour(Z, levels=n)` for data in `[zmin, zmax]`:
/// `MaxNLocator(n + 1)`, then trimmed to the levels that cover the data.
pub(crate) fn contour_levels(zmin: f64, zmax: f64, n: usize) -> Vec<f64> {
    if n == 0 || !(zmin.is_finite() && zmax.is_finite()) || zmax <= zmin {
        return Vec::new();
    }
    let levels = max_n_locator(zmin, zmax, n + 1, &CONTOUR_STEPS, 1);
    // matplotlib keeps the last level below zmin and the first above zmax, then (for line
    // contours) draws only those inside the data.
    let i0 = levels.iter().rposition(|&l| l < zmin).unwrap_or(0);
    let i1 = levels
        .iter()
        .position(|&l| l > zmax)
        .map_or(levels.len(), |i| i + 1);
    let kept = if i1 - i0 < 3 {
        &levels[..]
    } else {
        &levels[i0..i1]
    };
    kept.to_vec()
}

/// Axis ticks as matplotlib's `AutoLocator` places them on an axis `length_px` long: about one
/// tick per `spacing_px`, 4 to 9 of them inside `[lo, hi]`. On an axis too short for four of
/// its steps (they would sit closer than half of `spacing_px`), the contour steps (3, 4, 6, 8
/// too) give four ticks farther apart, so labels don't collide.
pub(crate) fn axis_ticks(lo: f64, hi: f64, length_px: f64, spacing_px: f64) -> Vec<f64> {
    let nbins = ((length_px / spacing_px).floor() as usize).clamp(3, 8);
    let gap = |t: &[f64]| match t {
        [a, b, ..] => length_px * (b - a) / (hi - lo),
        _ => f64::INFINITY,
    };
    let ticks = ticks_with_steps(lo, hi, nbins, &AXIS_STEPS);
    if gap(&ticks) >= 0.5 * spacing_px {
        return ticks;
    }
    let wider = ticks_with_steps(lo, hi, nbins, &CONTOUR_STEPS);
    if (4..=9).contains(&wider.len()) && gap(&wider) > gap(&ticks) {
        wider
    } else {
        ticks
    }
}

/// The first of `MaxNLocator`'s tick sets, from `nbins` bins up (then down), that has 4 to 9
/// ticks inside `[lo, hi]`.
fn ticks_with_steps(lo: f64, hi: f64, nbins: usize, steps: &[f64]) -> Vec<f64> {
    let mut ticks = Vec::new();
    for bins in (nbins..=nbins + 6).chain((2..nbins).rev()) {
        ticks = max_n_locator(lo, hi, bins, steps, 2);
        ticks.retain(|&t| t >= lo - 1e-9 * (hi - lo) && t <= hi + 1e-9 * (hi - lo));
        if (4..=9).contains(&ticks.len()) {
            break;
        }
    }
    ticks
}

/// The mantissas of the tick sets a log axis tries, coarsest first: decades, then 1-2-5, 1-2-3-5
/// and every integer in each decade (matplotlib's `LogLocator` with `subs`).
const LOG_SUBS: [&[f64]; 4] = [
    &[1.0],
    &[1.0, 2.0, 5.0],
    &[1.0, 2.0, 3.0, 5.0],
    &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
];

/// Ticks on a log axis from `lo` to `hi` (both positive) `length_px` long: decades when at
/// least 4 fit (every n-th, so at most 9 and none closer than half of `spacing_px`), else the
/// first of 1-2-5, 1-2-3-5, 1…9 × 10ᵏ that puts 4 to 9 ticks inside, none closer than half of
/// `spacing_px`; on a range too short for that (under about a factor 2), the linear axis'
/// ticks. Empty unless `0 < lo < hi < ∞`.
pub(crate) fn log_ticks(lo: f64, hi: f64, length_px: f64, spacing_px: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let (k0, k1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let inside = |t: &f64| *t >= lo * (1.0 - 1e-9) && *t <= hi * (1.0 + 1e-9);
    let per_decade = length_px / (hi.log10() - lo.log10());
    for subs in LOG_SUBS {
        let ticks: Vec<f64> = (k0..=k1)
            .flat_map(|k| subs.iter().map(move |&m| times_decade(m, k)))
            .filter(inside)
            .collect();
        if subs.len() == 1 && ticks.len() >= 4 {
            // Every n-th decade: at most 9, none closer than half the spacing.
            let apart = (0.5 * spacing_px / per_decade).ceil().max(1.0) as usize;
            let every = ticks.len().div_ceil(9).max(apart);
            return ticks.into_iter().step_by(every).collect();
        }
        let closest = ticks
            .windows(2)
            .map(|w| per_decade * (w[1] / w[0]).log10())
            .fold(f64::INFINITY, f64::min);
        if (4..=9).contains(&ticks.len()) && closest >= 0.5 * spacing_px {
            return ticks;
        }
    }
    axis_ticks(lo, hi, length_px, spacing_px)
}

/// m × 10ᵏ as the nearest double to the decimal (0.3, not 0.30000000000000004).
fn times_decade(m: f64, k: i32) -> f64 {
    if k < 0 {
        m / 10f64.powi(-k)
    } else {
        m * 10f64.powi(k)
    }
}

/// Labels for [`log_ticks`]: `10^{k}` markup when every tick is a decade, else each value as a
/// plain number ("0.05", "20") while that stays short (10⁻⁴ to 10⁵), `m×10^{k}` beyond.
pub(crate) fn format_log_ticks(ticks: &[f64]) -> Vec<String> {
    let exponent = |t: f64| t.log10().floor() as i32;
    let mantissa = |t: f64| t / 10f64.powi(exponent(t));
    let decade = |t: f64| (mantissa(t) - 1.0).abs() < 1e-9;
    if ticks.len() > 1 && ticks.iter().all(|&t| decade(t)) {
        return ticks.iter().map(|&t| format_decade(t)).collect();
    }
    let plain = ticks.iter().all(|&t| (-4..=5).contains(&exponent(t)));
    ticks
        .iter()
        .map(|&t| {
            if plain {
                format_tick(t, decimals(t))
            } else if decade(t) {
                format_decade(t)
            } else {
                let m = format_tick(mantissa(t), decimals(mantissa(t)));
                format!("{m}×{}", format_decade(10f64.powi(exponent(t))))
            }
        })
        .collect()
}

/// The decimals a label needs for values on a grid of `step` (0 for 5, 1 for 2.5, 2 for 0.25).
pub(crate) fn decimals(step: f64) -> usize {
    (0..8)
        .find(|&d| {
            let scaled = step.abs() * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(8)
}

/// `value` with `decimals` decimals and a true minus sign ("−7.5", "0", "200").
pub(crate) fn format_tick(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value);
    let text = if text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_string()
    } else {
        text
    };
    text.replace('-', "−")
}

/// Labels for ticks on a grid: decimals from the spacing, so "2.5, 5, 7.5" reads "2.5, 5.0,
/// 7.5" as matplotlib writes it, and integers never get ".0".
pub(crate) fn format_ticks(ticks: &[f64]) -> Vec<String> {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    let d = if step.is_finite() {
        decimals(step)
    } else {
        ticks.iter().map(|&t| decimals(t)).max().unwrap_or(0)
    };
    ticks.iter().map(|&t| format_tick(t, d)).collect()
}

/// "10^{k}" markup for a decade (rendered with a superscript).
pub(crate) fn format_decade(value: f64) -> String {
    let k = value.log10().round() as i32;
    format!("10^{{{}}}", k.to_string().replace('-', "−"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9)
    }

    fn range(start: f64, step: f64, n: usize) -> Vec<f64> {
        (0..n).map(|i| start + step * i as f64).collect()
    }

    #[test]
    fn contour_levels_match_matplotlib_on_the_reference_field() {
        // matplotlib 3.11.2, contour(X, Y, log p, levels=n) on the reference mixture's 50 × 50
        // grid over [-8, 8]², where log p spans [-58.780, -2.736]:
        // levels=20 → -60 … 0 by 3; levels=25 → -60 … -2.5 by 2.5.
        let (lo, hi) = (-58.78005299942469, -2.736288372244024);
        assert!(close(&contour_levels(lo, hi, 20), &range(-60.0, 3.0, 21)));
        assert!(close(&contour_levels(lo, hi, 25), &range(-60.0, 2.5, 24)));
    }

    #[test]
    fn max_n_locator_matches_matplotlib() {
        // MaxNLocator(n, min_n_ticks=1).tick_values(a, b), matplotlib 3.11.2.
        let cases: [(f64, f64, usize, Vec<f64>); 6] = [
            (-47.31, -3.32, 21, range(-47.5, 2.5, 19)),
            (0.0, 0.21, 9, range(0.0, 0.025, 10)),
            (-6.6, 6.6, 9, range(-7.5, 1.5, 11)),
            (1e-3, 2.5e3, 9, range(0.0, 300.0, 10)),
            (-0.3, 0.3, 9, range(-0.32, 0.08, 9)),
            (-9.9, -1.2, 6, range(-10.5, 1.5, 8)),
        ];
        for (a, b, n, expected) in cases {
            let got = max_n_locator(a, b, n, &CONTOUR_STEPS, 1);
            assert!(close(&got, &expected), "{a}..{b} ({n}): {got:?}");
        }
    }

    #[test]
    fn axis_ticks_are_round_and_four_to_nine() {
        for (lo, hi, len) in [
            (-6.6, 6.6, 1000.0),
            (0.0, 0.21, 200.0),
            (-0.3, 0.3, 120.0),
            (1e-3, 2.5e3, 500.0),
            (-2.0, 2.0, 60.0),
        ] {
            let t = axis_ticks(lo, hi, len, 60.0);
            assert!((4..=9).contains(&t.len()), "{lo}..{hi}: {t:?}");
        }
        // A short axis: 2.5 would put 7 labels 12 px apart; 4 gives 4 labels 19 px apart.
        assert_eq!(
            axis_ticks(-18.5, -1.0, 85.0, 42.0),
            [-16.0, -12.0, -8.0, -4.0]
        );
        assert_eq!(
            format_ticks(&[-6.0, -4.0, 0.0, 200.0]),
            ["−6", "−4", "0", "200"]
        );
        assert_eq!(format_ticks(&[-7.5, -5.0, -2.5]), ["−7.5", "−5.0", "−2.5"]);
        assert_eq!(format_tick(-0.0, 1), "0.0");
        assert_eq!(format_decade(0.01), "10^{−2}");
    }

    #[test]
    fn log_ticks_are_decades_when_four_fit_else_one_two_five() {
        let log = |lo: f64, hi: f64| log_ticks(lo, hi, 300.0, 42.0);
        assert_eq!(log(0.004, 20.0), [0.01, 0.1, 1.0, 10.0]);
        assert_eq!(
            format_log_ticks(&log(0.004, 20.0)),
            ["10^{−2}", "10^{−1}", "10^{0}", "10^{1}"]
        );
        // Steps 5 … 100: two decades alone would be too few.
        assert_eq!(log(4.3, 116.0), [5.0, 10.0, 20.0, 50.0, 100.0]);
        assert_eq!(
            format_log_ticks(&log(4.3, 116.0)),
            ["5", "10", "20", "50", "100"]
        );
        // KS distances 0.022 … 0.46: 1-2-5 gives three, 1-2-3-5 five.
        assert_eq!(log(0.022, 0.46), [0.03, 0.05, 0.1, 0.2, 0.3]);
        assert_eq!(
            format_log_ticks(&log(0.022, 0.46)),
            ["0.03", "0.05", "0.1", "0.2", "0.3"]
        );
        // Thirty decades: every fourth, at most 9.
        let many = log(1e-20, 1e10);
        assert!((4..=9).contains(&many.len()), "{many:?}");
        // A range shorter than a factor 2 falls back to linear ticks, never one.
        let short = log(1.1, 1.9);
        assert!((4..=9).contains(&short.len()), "{short:?}");
        assert_eq!(
            format_log_ticks(&[2e-6, 5e-6, 1e-5]),
            ["2×10^{−6}", "5×10^{−6}", "10^{−5}"]
        );
        assert!(log(0.0, 1.0).is_empty() && log(2.0, 1.0).is_empty());
    }
}
