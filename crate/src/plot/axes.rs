//! Axes drawn as matplotlib draws them: a frame of four spines, outward ticks at round values
//! (`AutoLocator`'s; decades with minor ticks between on a log axis), labels without needless
//! decimals, axis labels and a title centred over the plot, all text in points as matplotlib
//! sizes it.
//!
//! A chart's coordinates are its axes' [`Axis::coord`]s: the values themselves on a linear
//! axis, their log₁₀ on a logarithmic one, so one linear chart serves every pair of scales.

use super::area::{Area, Region};
use super::color::Color;
use super::text::{self, Align, TextStyle};
use super::text_box::TickAxis;
use super::ticks::{Tick, axis_ticks, format_ticks, log_ticks};

/// Font sizes (points), matplotlib's: 10 pt tick labels and axis labels, 12 pt titles.
pub(crate) const TICK_FONT: u32 = 10;
pub(crate) const LABEL_FONT: u32 = 10;
pub(crate) const TITLE_FONT: u32 = 12;

/// The room (logical px) matplotlib's `get_tick_space` gives each tick: three tick-label font
/// sizes along an x axis, two along a y axis.
pub(crate) const X_TICK_SPACE: f64 = 3.0 * TICK_FONT as f64 * 100.0 / 72.0;
pub(crate) const Y_TICK_SPACE: f64 = 2.0 * TICK_FONT as f64 * 100.0 / 72.0;
/// Tick lengths (px): matplotlib's 3.5 pt major and 2 pt minor ticks.
const MAJOR_TICK: i32 = 5;
const MINOR_TICK: i32 = 3;
/// Gap (px) between a tick's end and its label's box.
const TICK_PAD: i32 = 3;

/// A plot laid out on an area: the region its data fill, and the coordinate ranges its two axes
/// span there (the axes' [`Axis::range`]s).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chart {
    /// The plotting region, in canvas pixels.
    pub(crate) plot: Region,
    x: (f64, f64),
    y: (f64, f64),
}

impl Chart {
    /// A chart over `x × y` (coordinates) on `area`, with room around the plot for a title (if
    /// `title`), tick labels and axis labels ([`LEFT`] and [`BOTTOM`]).
    pub(crate) fn new(area: &Area<'_>, title: bool, x: (f64, f64), y: (f64, f64)) -> Chart {
        let inner = area.region.margin(if title { 34 } else { 12 }, 6, 8, 22);
        let (w, h) = inner.size();
        let cells = inner.grid([LEFT as i32, w as i32], [0, h as i32 - BOTTOM as i32]);
        Chart {
            plot: cells[4],
            x,
            y,
        }
    }

    /// The whole pixel the coordinate `(x, y)` falls in, in canvas pixels: the range's ends
    /// fall on the first and last pixels of the plot (the y axis upwards).
    pub(crate) fn pixel(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let p = self.plot;
        (
            to_pixel(x, self.x, (p.x0, p.x1 - 1)),
            to_pixel(y, self.y, (p.y1 - 1, p.y0)),
        )
    }
}

/// Where `v` in `range` falls on the pixels `from..=to` (either way round), to the pixel,
/// a thousandth of a pixel short of a boundary counting as on it; beyond `i32`, at its bound.
fn to_pixel(v: f64, (lo, hi): (f64, f64), (from, to): (i32, i32)) -> i32 {
    if hi == lo {
        return (to - from) / 2;
    }
    let t = (v - lo) / (hi - lo);
    let length = to - from;
    if length == 0 {
        return to;
    }
    if t.is_infinite() {
        return if t.is_sign_positive() { to } else { from };
    }
    if t.is_nan() {
        return from;
    }
    let offset = if length > 0 {
        (f64::from(length) * t + 1e-3).floor()
    } else {
        (f64::from(length) * t - 1e-3).ceil()
    };
    // Summed as floats: far outside the range, the cast saturates at i32's bounds.
    (f64::from(from) + offset) as i32
}

/// Where data points fall on a chart, in canvas pixels, unrounded: the coordinate c of an axis
/// from `c0` to `c1` drawn over pixels `p0..=p1` lands at p0 + (c − c0)/(c1 − c0)·(p1 − p0) + ½
/// (the ½ puts the ends on the centres of pixels p0 and p1, where the ticks are). On a
/// logarithmic axis c = log₁₀ v (see [`Axis::coord`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PixelMap {
    x: [f64; 4],
    y: [f64; 4],
    log: (bool, bool),
}

impl PixelMap {
    /// The map of `chart`, whose x axis is linear and whose y axis is logarithmic if `y_log`.
    pub(crate) fn new(chart: &Chart, y_log: bool) -> PixelMap {
        Self::scaled(chart, (false, y_log))
    }

    /// The map of `chart` with (x, y) axes logarithmic as `log` says.
    pub(crate) fn scaled(chart: &Chart, log: (bool, bool)) -> PixelMap {
        let (xs, ys) = (chart.x, chart.y);
        let lo = chart.pixel((xs.0, ys.0));
        let hi = chart.pixel((xs.1, ys.1));
        PixelMap {
            x: [xs.0, xs.1, f64::from(lo.0), f64::from(hi.0)],
            y: [ys.0, ys.1, f64::from(lo.1), f64::from(hi.1)],
            log,
        }
    }
    /// Data point `(x, y)` in canvas pixels.
    pub(crate) fn at(&self, (x, y): (f64, f64)) -> (f32, f32) {
        let map = |[lo, hi, p0, p1]: [f64; 4], v: f64, log: bool| {
            let c = if log { v.log10() } else { v };
            (p0 + (c - lo) / (hi - lo) * (p1 - p0) + 0.5) as f32
        };
        (map(self.x, x, self.log.0), map(self.y, y, self.log.1))
    }

    /// Data points in canvas pixels.
    pub(crate) fn all(&self, points: &[(f64, f64)]) -> Vec<(f32, f32)> {
        points.iter().map(|&p| self.at(p)).collect()
    }
}

/// What one axis shows: its range, whether it is logarithmic, and its label (markup).
#[derive(Debug, Clone)]
pub(crate) struct Axis<'s> {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    pub label: &'s str,
}

impl<'s> Axis<'s> {
    pub(crate) fn linear(lo: f64, hi: f64, label: &'s str) -> Self {
        Axis {
            lo,
            hi,
            log: false,
            label,
        }
    }

    /// A logarithmic axis from `lo` to `hi` (both positive).
    pub(crate) fn log(lo: f64, hi: f64, label: &'s str) -> Self {
        Axis {
            lo,
            hi,
            log: true,
            label,
        }
    }

    /// Where the value `v` sits on the chart: v itself, or log₁₀ v on a log axis.
    pub(crate) fn coord(&self, v: f64) -> f64 {
        if self.log { v.log10() } else { v }
    }

    /// The chart's range along this axis, in [`coord`](Self::coord)s.
    pub(crate) fn range(&self) -> std::ops::Range<f64> {
        self.coord(self.lo)..self.coord(self.hi)
    }

    /// The ticks and their labels for an axis `length` px long with `spacing` px per tick.
    fn ticks(&self, length: f64, spacing: f64) -> Vec<Tick> {
        if self.log {
            return log_ticks(self.lo, self.hi, length, spacing);
        }
        let ticks = axis_ticks(self.lo, self.hi, length, spacing);
        let labels = format_ticks(&ticks);
        ticks
            .into_iter()
            .zip(labels)
            .map(|(value, label)| Tick {
                value,
                label,
                major: true,
            })
            .collect()
    }
}

/// The space (px) around a plot that [`draw_axes`] fills: (left, bottom).
pub(crate) const LEFT: u32 = 70;
pub(crate) const BOTTOM: u32 = 46;

/// Draws the frame, ticks, tick labels, axis labels and (if not empty) the title of `chart`,
/// laid out on `area` over the axes' [`Axis::range`]s.
pub(crate) fn draw_axes(
    area: &mut Area<'_>,
    chart: &Chart,
    x: &Axis<'_>,
    y: &Axis<'_>,
    title: &str,
) {
    let (ox, oy) = area.base();
    let p = chart.plot;
    let (l, r) = (p.x0 - ox, p.x1 - ox - 1);
    let (t, b) = (p.y0 - oy, p.y1 - oy - 1);
    let (aw, ah) = area.size();
    let (aw, ah) = (aw as i32, ah as i32);
    let black = Color::BLACK;
    area.stroke(&[(l, t), (r, t), (r, b), (l, b), (l, t)], black, 1, false);
    let px = |vx: f64, vy: f64| {
        let (a, b) = chart.pixel((vx, vy));
        (a - ox, b - oy)
    };
    let corner = (l + ox, b + oy);
    let axis = |horizontal: bool| {
        let (x, y) = corner;
        Some(TickAxis { horizontal, x, y })
    };
    // x ticks: labels centred under them, kept inside the area.
    let x_ticks = x.ticks(f64::from(p.x1 - p.x0), X_TICK_SPACE);
    let mut lowest = b + MAJOR_TICK;
    let below = TextStyle::new(TICK_FONT).align(Align::Centre, Align::Start);
    for tick in &x_ticks {
        let (tx, _) = px(x.coord(tick.value), y_mid(y));
        let length = if tick.major { MAJOR_TICK } else { MINOR_TICK };
        area.stroke(&[(tx, b), (tx, b + length)], black, 1, false);
        if tick.label.is_empty() {
            continue;
        }
        let (w, h) = text::measure(&tick.label, TICK_FONT);
        let cx = tx.min(aw - w / 2 - 1).max(w / 2 + 1);
        let top = b + MAJOR_TICK + TICK_PAD;
        area.text(&tick.label, (cx, top), below, axis(true));
        lowest = lowest.max(top + h);
    }
    // y ticks: labels right-aligned left of them.
    let y_ticks = y.ticks(f64::from(p.y1 - p.y0), Y_TICK_SPACE);
    let mut leftmost = l - MAJOR_TICK;
    let left_of = TextStyle::new(TICK_FONT).align(Align::End, Align::Centre);
    for tick in &y_ticks {
        let (_, ty) = px(x_mid(x), y.coord(tick.value));
        let length = if tick.major { MAJOR_TICK } else { MINOR_TICK };
        area.stroke(&[(l - length, ty), (l, ty)], black, 1, false);
        if tick.label.is_empty() {
            continue;
        }
        let (w, h) = text::measure(&tick.label, TICK_FONT);
        let cy = ty.min(ah - h / 2).max(h / 2);
        let end = l - MAJOR_TICK - TICK_PAD;
        area.text(&tick.label, (end, cy), left_of, axis(false));
        leftmost = leftmost.min(end - w);
    }
    if !x.label.is_empty() {
        let style = TextStyle::new(LABEL_FONT).align(Align::Centre, Align::Start);
        let (_, h) = text::measure(x.label, LABEL_FONT);
        let y0 = (lowest + 4).min(ah - h - 1);
        area.text(x.label, ((l + r) / 2, y0), style, None);
    }
    if !y.label.is_empty() {
        let style = TextStyle::new(LABEL_FONT)
            .vertical()
            .align(Align::End, Align::Centre);
        let (_, h) = text::measure(y.label, LABEL_FONT);
        area.text(
            y.label,
            ((leftmost - 4).max(h + 1), (t + b) / 2),
            style,
            None,
        );
    }
    if !title.is_empty() {
        // A title wider than the figure is set smaller (down to 8 pt) rather than clipped.
        let mut size = TITLE_FONT;
        while size > 8 && text::measure(title, size).0 > aw - 2 {
            size -= 1;
        }
        let (w, _) = text::measure(title, size);
        let cx = ((l + r) / 2).min(aw - w / 2 - 1).max(w / 2 + 1);
        let style = TextStyle::new(size).align(Align::Centre, Align::End);
        area.text(title, (cx, t - 8), style, None);
    }
}

fn y_mid(y: &Axis<'_>) -> f64 {
    0.5 * (y.range().start + y.range().end)
}

fn x_mid(x: &Axis<'_>) -> f64 {
    0.5 * (x.range().start + x.range().end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::canvas::Canvas;

    /// The number of tick labels `draw_axes` puts on the x and the y axis of a plot `w × h` px
    /// spanning [-8, 8] on both axes.
    fn tick_label_counts(w: i32, h: i32) -> (usize, usize) {
        let mut canvas = Canvas::new(w as u32 + 200, h as u32 + 200, 1).unwrap();
        let mut root = Area::new(&mut canvas);
        let mut chart = Chart::new(&root, false, (-8.0, 8.0), (-8.0, 8.0));
        chart.plot = Region {
            x0: 100,
            y0: 50,
            x1: 100 + w,
            y1: 50 + h,
        };
        let (x, y) = (Axis::linear(-8.0, 8.0, ""), Axis::linear(-8.0, 8.0, ""));
        draw_axes(&mut root, &chart, &x, &y, "");
        let texts = canvas.into_texts();
        let count = |horizontal: bool| {
            texts
                .iter()
                .filter(|t| t.axis.is_some_and(|a| a.horizontal == horizontal))
                .count()
        };
        (count(true), count(false))
    }

    #[test]
    fn tick_density_follows_matplotlibs_tick_space() {
        // matplotlib 3.11.2 at 100 dpi with 10 pt tick labels gives each x tick three font
        // sizes (≈ 41.7 px) and each y tick two (≈ 27.8 px): on [-8, 8], a 400 px x axis gets
        // −8 … 8 by 2 (9 ticks), a 200 px y axis −7.5 … 7.5 by 2.5 (7 ticks).
        assert_eq!(tick_label_counts(400, 200), (9, 7));
        // A longer axis does not add ticks beyond AutoLocator's 9 bins.
        let (x, y) = tick_label_counts(800, 800);
        assert!(x <= 10 && y <= 10, "{x} and {y} ticks");
    }

    #[test]
    fn a_point_far_outside_the_range_lands_at_i32s_bound_in_its_direction() {
        let (range, pixels) = ((-8.0, 8.0), (100, 499));
        assert_eq!(to_pixel(8.0, range, pixels), 499);
        assert_eq!(to_pixel(1e300, range, pixels), i32::MAX);
        assert_eq!(to_pixel(-1e300, range, pixels), i32::MIN);
        // The y axis runs upwards: pixels from bottom to top.
        assert_eq!(to_pixel(1e300, range, (499, 100)), i32::MIN);
        assert_eq!(to_pixel(-1e300, range, (499, 100)), i32::MAX);
        assert_eq!(to_pixel(f64::INFINITY, range, pixels), 499);
        assert_eq!(to_pixel(f64::NAN, range, pixels), 100);
    }
}
