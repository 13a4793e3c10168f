//! Round values for ticks and contour levels, by matplotlib's rules: `MaxNLocator` (steps
//! 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 × 10ᵏ for contours; 1, 2, 2.5, 5, 10 × 10ᵏ for axes),
//! `contour`'s trimming of its levels, `LogLocator`'s decades and minor ticks, and labels with
//! only the decimals the step needs.

use super::number::{number, superscript};

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

/// Axis ticks as matplotlib's `AutoLocator` places them on an axis `length_px` long that gives
/// each tick `spacing_px` (matplotlib's `get_tick_space`: three tick font sizes along an x
/// axis, two along a y axis): `MaxNLocator` with steps 1, 2, 2.5, 5, 10 and
/// nbins = clamp(⌊length / spacing⌋, 1, 9), the ticks inside `[lo, hi]`. So equal ranges on
/// equal lengths get equal ticks.
pub(crate) fn axis_ticks(lo: f64, hi: f64, length_px: f64, spacing_px: f64) -> Vec<f64> {
    let nbins = tick_space(length_px, spacing_px).clamp(1, 9);
    inside(max_n_locator(lo, hi, nbins, &AXIS_STEPS, 2), lo, hi)
}

/// matplotlib's `Axis.get_tick_space`: how many ticks of `spacing_px` fit in `length_px`.
fn tick_space(length_px: f64, spacing_px: f64) -> usize {
    if length_px.is_finite() && spacing_px > 0.0 {
        (length_px / spacing_px).floor().max(0.0) as usize
    } else {
        1
    }
}

/// The ticks within `[lo, hi]` (either way round), forgiving rounding error.
fn inside(mut ticks: Vec<f64>, lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let slack = 1e-9 * (hi - lo);
    ticks.retain(|&t| t >= lo - slack && t <= hi + slack);
    ticks
}

/// A tick on an axis: its value, its label (markup; empty for none) and whether it is a major
/// tick (long) or a minor one (short).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tick {
    pub value: f64,
    pub label: String,
    pub major: bool,
}

/// The ticks of a log axis from `lo` to `hi` (both positive), as matplotlib's `LogLocator` and
/// `LogFormatterSciNotation` make them on an axis `length_px` long with `spacing_px` per tick:
/// major ticks at decades (every `stride`-th, at most clamp(tick space, 2, 9) of them),
/// labelled 10ⁿ; minor ticks at 2…9 × 10ⁿ when the majors are every decade and fewer than ten
/// decades show, labelled only when the axis spans less than about a decade and a half. On a
/// range too short for two ticks, `AutoLocator`'s ticks labelled m×10ⁿ. Empty unless
/// `0 < lo < hi < ∞`.
pub(crate) fn log_ticks(lo: f64, hi: f64, length_px: f64, spacing_px: f64) -> Vec<Tick> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let n_request = tick_space(length_px, spacing_px).clamp(2, 9);
    let (efmin, efmax) = (lo.log10(), hi.log10());
    let (emin, emax) = (efmin.ceil() as i64, efmax.floor() as i64);
    let n_avail = emax - emin + 1;
    let stride = log_stride(n_avail, n_request as i64, (efmin, efmax));
    let near = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let majors: Vec<f64> = (emin..=emax)
        .filter(|&e| (e - stride.1).rem_euclid(stride.0) == 0)
        .map(|e| times_decade(1.0, e as i32))
        .filter(|&v| near(v))
        .collect();
    let mut minors: Vec<f64> = Vec::new();
    if n_avail < 10 && (stride.0 == 1 || n_avail <= 1) {
        for e in (emin - 1)..=emax {
            for m in 2..10 {
                let v = times_decade(f64::from(m), e as i32);
                if near(v) {
                    minors.push(v);
                }
            }
        }
    }
    let labelled = minor_labels(lo, hi);
    if stride.0 == 1 && majors.len() + minors.len() <= 1 {
        // matplotlib's minor locator falls back to AutoLocator, whose ticks all get labels.
        let ticks = axis_ticks(lo, hi, length_px, spacing_px);
        let d = ticks
            .iter()
            .map(|&t| decimals(t / 10f64.powi(t.log10().floor() as i32)))
            .max()
            .unwrap_or(0);
        return ticks
            .into_iter()
            .map(|t| Tick {
                value: t,
                label: log_label(t, Some(d)),
                major: false,
            })
            .collect();
    }
    let mut ticks: Vec<Tick> = majors
        .into_iter()
        .map(|v| Tick {
            value: v,
            label: format_decade(v),
            major: true,
        })
        .collect();
    ticks.extend(minors.into_iter().map(|v| {
        let coefficient = (v / 10f64.powi(v.log10().floor() as i32)).round() as u32;
        let label = if labelled.contains(&coefficient) {
            log_label(v, None)
        } else {
            String::new()
        };
        Tick {
            value: v,
            label,
            major: false,
        }
    }));
    ticks
}

/// `LogLocator`'s (stride, offset) for `n_avail` decades inside the view and `n_request`
/// ticks wanted: major ticks at the decades e with e ≡ offset (mod stride).
fn log_stride(n_avail: i64, n_request: i64, (efmin, efmax): (f64, f64)) -> (i64, i64) {
    let emin = efmin.ceil() as i64;
    let mut stride = n_avail.max(0) / (n_request + 1) + 1;
    let nr = (n_avail.max(0) + stride - 1) / stride;
    let n_request = if nr <= n_request { nr } else { n_request };
    match n_request {
        0 => (1, 0),
        1 => {
            // One tick close to the centre.
            let mid = ((efmin + efmax) / 2.0).round() as i64;
            let emax = efmax.floor() as i64;
            stride = (mid - (emin - 1)).max(emax + 1 - mid);
            (stride, mid.rem_euclid(stride))
        }
        _ => {
            stride = (n_avail - 1) / (n_request - 1);
            if (stride as f64) < n_avail as f64 / n_request as f64 {
                stride = n_avail / n_request;
            }
            let olo = (n_avail - stride * n_request).max(0);
            let ohi = (n_avail - stride * (n_request - 1)).min(stride);
            let mut offset = (-emin).rem_euclid(stride);
            if !(olo <= offset && offset < ohi) {
                offset = olo;
            }
            (stride, (emin + offset).rem_euclid(stride))
        }
    }
}

/// The mantissas whose minor ticks `LogFormatter` labels on `[lo, hi]` (its
/// `minor_thresholds = (1, 0.4)`): none when more than one decade boundary lies inside,
/// 2, 3, 4, 6 within a span over 0.4 decades, every one below.
fn minor_labels(lo: f64, hi: f64) -> Vec<u32> {
    let (lmin, lmax) = (lo.log10(), hi.log10());
    let crossed = lmax.floor() - (lmin - 1e-12 * lmin.abs().max(1.0)).floor();
    if crossed > 1.0 {
        Vec::new()
    } else if lmax - lmin > 0.4 {
        vec![1, 2, 3, 4, 6, 10]
    } else {
        (1..=10).collect()
    }
}

/// A log axis' label for a value that is not a decade: "3×10^{−2}" (mantissa with `decimals`,
/// or as short as it goes), "10^{k}" for a decade.
fn log_label(v: f64, decimals: Option<usize>) -> String {
    let k = v.log10().floor() as i32;
    let m = v / 10f64.powi(k);
    if (m - 1.0).abs() < 1e-9 {
        return format_decade(v);
    }
    let m = match decimals {
        Some(d) => format_tick(m, d),
        None => number(m),
    };
    format!("{m}×{}", format_decade(10f64.powi(k)))
}

/// m × 10ᵏ as the nearest double to the decimal (0.3, not 0.30000000000000004).
fn times_decade(m: f64, k: i32) -> f64 {
    if k < 0 {
        m / 10f64.powi(-k)
    } else {
        m * 10f64.powi(k)
    }
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
/// 7.5" as matplotlib writes it, and integers never get ".0". Where the largest tick is below
/// 10⁻⁴ or from 10⁶ up (matplotlib's power limits), each label is m×10ⁿ with one n for all.
pub(crate) fn format_ticks(ticks: &[f64]) -> Vec<String> {
    let largest = ticks.iter().fold(0.0f64, |m, t| m.max(t.abs()));
    let order = if largest > 0.0 && largest.is_finite() {
        largest.log10().floor() as i32
    } else {
        0
    };
    let scale = if order <= -5 || order >= 6 {
        10f64.powi(order)
    } else {
        1.0
    };
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    let d = if step.is_finite() {
        decimals(step / scale)
    } else {
        ticks
            .iter()
            .map(|&t| decimals(t / scale))
            .max()
            .unwrap_or(0)
    };
    ticks
        .iter()
        .map(|&t| {
            let m = format_tick(t / scale, d);
            if scale == 1.0 || t == 0.0 {
                m
            } else {
                format!("{m}×10{}", superscript(order))
            }
        })
        .collect()
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

    /// matplotlib's tick space per tick (px at 100 dpi) for 10 pt tick labels: 3 font sizes
    /// along x, 2 along y.
    const X: f64 = 3.0 * 1000.0 / 72.0;
    const Y: f64 = 2.0 * 1000.0 / 72.0;

    /// (lo, hi, axis length, x ticks, y ticks).
    type Case = (f64, f64, f64, &'static [f64], &'static [f64]);

    #[test]
    fn axis_ticks_match_matplotlibs_auto_locator() {
        // matplotlib 3.11.2: ax.get_xticks() / get_yticks() inside the limits, for an axes
        // `length` px long at 100 dpi with 10 pt tick labels.
        #[rustfmt::skip]
        let cases: [Case; 12] = [
            (-8.0, 8.0, 400.0, &[-8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0],
             &[-8.0, -6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0, 8.0]),
            (-8.0, 8.0, 200.0, &[-5.0, 0.0, 5.0], &[-7.5, -5.0, -2.5, 0.0, 2.5, 5.0, 7.5]),
            (-6.6, 6.6, 500.0, &[-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0],
             &[-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0]),
            (0.0, 0.21, 300.0, &[0.0, 0.05, 0.1, 0.15, 0.2],
             &[0.0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2]),
            (-0.3, 0.3, 120.0, &[-0.25, 0.0, 0.25], &[-0.2, 0.0, 0.2]),
            (1e-3, 2.5e3, 500.0, &[500.0, 1000.0, 1500.0, 2000.0, 2500.0],
             &[500.0, 1000.0, 1500.0, 2000.0, 2500.0]),
            (-2.0, 2.0, 60.0, &[-2.0, 0.0, 2.0], &[-2.0, 0.0, 2.0]),
            (-18.5, -1.0, 85.0, &[-15.0, -10.0, -5.0], &[-15.0, -10.0, -5.0]),
            (0.0, 1.0, 300.0, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0], &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
            (-4.4, 4.4, 250.0, &[-4.0, -2.0, 0.0, 2.0, 4.0],
             &[-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]),
            (0.5, 3.7, 150.0, &[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]),
            (0.0, 100.0, 600.0, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0],
             &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
        ];
        for (lo, hi, length, x, y) in cases {
            let (gx, gy) = (axis_ticks(lo, hi, length, X), axis_ticks(lo, hi, length, Y));
            assert!(close(&gx, x), "x {lo}..{hi} over {length} px: {gx:?}");
            assert!(close(&gy, y), "y {lo}..{hi} over {length} px: {gy:?}");
            // Only AutoLocator's steps: 1, 2, 2.5, 5 × 10ᵏ.
            for t in [gx, gy] {
                if let [a, b, ..] = t[..] {
                    let step = b - a;
                    let m = step / 10f64.powf(step.log10().floor());
                    assert!(
                        [1.0, 2.0, 2.5, 5.0].iter().any(|s| (m - s).abs() < 1e-9),
                        "step {step}"
                    );
                }
            }
        }
    }

    #[test]
    fn tick_labels_have_the_steps_decimals_and_true_minus_signs() {
        assert_eq!(
            format_ticks(&[-6.0, -4.0, 0.0, 200.0]),
            ["−6", "−4", "0", "200"]
        );
        assert_eq!(format_ticks(&[-7.5, -5.0, -2.5]), ["−7.5", "−5.0", "−2.5"]);
        assert_eq!(format_tick(-0.0, 1), "0.0");
        assert_eq!(format_decade(0.01), "10^{−2}");
        assert_eq!(format_ticks(&[0.0, 2e-6, 4e-6]), ["0", "2×10⁻⁶", "4×10⁻⁶"]);
        assert_eq!(
            format_ticks(&[0.0, 2.5e6, 5e6]),
            ["0.0", "2.5×10⁶", "5.0×10⁶"]
        );
    }

    fn ticks_of(ticks: &[Tick], major: bool) -> Vec<(f64, &str)> {
        ticks
            .iter()
            .filter(|t| t.major == major)
            .map(|t| (t.value, t.label.as_str()))
            .collect()
    }

    #[test]
    fn log_ticks_match_matplotlibs_log_locator_and_formatter() {
        // matplotlib 3.11.2, ax.set_yscale("log") on a y axis 300 px long (tick space 10):
        // major and minor ticks inside the limits with their labels.
        let log = |lo: f64, hi: f64| log_ticks(lo, hi, 300.0, Y);
        let t = log(0.004, 20.0);
        assert_eq!(
            ticks_of(&t, true),
            [
                (0.01, "10^{−2}"),
                (0.1, "10^{−1}"),
                (1.0, "10^{0}"),
                (10.0, "10^{1}")
            ]
        );
        let minor = ticks_of(&t, false);
        assert_eq!(minor.len(), 31);
        assert_eq!((minor[0].0, minor[30].0), (0.004, 20.0));
        assert!(minor.iter().all(|(_, l)| l.is_empty()));
        // 4.3 … 116: decades 10 and 100 labelled, minor ticks 5…9, 20…90 not.
        let t = log(4.3, 116.0);
        assert_eq!(ticks_of(&t, true), [(10.0, "10^{1}"), (100.0, "10^{2}")]);
        let minor: Vec<f64> = ticks_of(&t, false).iter().map(|m| m.0).collect();
        assert_eq!(
            minor,
            [
                5.0, 6.0, 7.0, 8.0, 9.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0
            ]
        );
        assert!(ticks_of(&t, false).iter().all(|(_, l)| l.is_empty()));
        // 0.022 … 0.46, one decade boundary inside: minor ticks 2, 3, 4, 6 × 10ⁿ labelled.
        let t = log(0.022, 0.46);
        assert_eq!(ticks_of(&t, true), [(0.1, "10^{−1}")]);
        assert_eq!(
            ticks_of(&t, false),
            [
                (0.03, "3×10^{−2}"),
                (0.04, "4×10^{−2}"),
                (0.05, ""),
                (0.06, "6×10^{−2}"),
                (0.07, ""),
                (0.08, ""),
                (0.09, ""),
                (0.2, "2×10^{−1}"),
                (0.3, "3×10^{−1}"),
                (0.4, "4×10^{−1}")
            ]
        );
        // Thirty decades: every fourth, no minor ticks.
        let t = log(1e-20, 1e10);
        let majors: Vec<f64> = ticks_of(&t, true)
            .iter()
            .map(|m| m.0.log10().round())
            .collect();
        assert_eq!(majors, [-20.0, -16.0, -12.0, -8.0, -4.0, 0.0, 4.0, 8.0]);
        assert!(ticks_of(&t, false).is_empty());
        // Under a factor 2: AutoLocator's ticks, labelled m×10ⁿ.
        let t = log(1.1, 1.9);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels[0], "1.1×10^{0}");
        assert_eq!(labels.len(), 9);
        // Five decades on a short axis (tick space 5): every other decade, no minor ticks.
        let t = log_ticks(1e-3, 1e2, 150.0, Y);
        let majors: Vec<f64> = ticks_of(&t, true).iter().map(|m| m.0).collect();
        assert_eq!(majors, [0.01, 1.0, 100.0]);
        assert!(ticks_of(&t, false).is_empty());
        assert!(log(0.0, 1.0).is_empty() && log(2.0, 1.0).is_empty());
    }
}
