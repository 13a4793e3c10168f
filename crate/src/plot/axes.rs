//! Axes drawn as matplotlib draws them: a frame of four spines, outward ticks at round values
//! (4 to 9 per axis, decades on a log axis), labels without needless decimals, axis labels and
//! a title centred over the plot.
//!
//! A chart's coordinates are its axes' [`Axis::coord`]s: the values themselves on a linear
//! axis, their log₁₀ on a logarithmic one, so one linear chart serves every pair of scales.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::{Area, SkiaBackend};
use super::font::FAMILY;
use super::text::{self, TickAxis};
use super::ticks::{axis_ticks, format_log_ticks, format_ticks, log_ticks};
use crate::plot::PlotError;

/// Font sizes (px): tick labels, axis labels, titles.
pub(crate) const TICK_FONT: u32 = 13;
pub(crate) const LABEL_FONT: u32 = 14;
pub(crate) const TITLE_FONT: u32 = 16;

/// A chart on a canvas with f64 coordinates on x and any f64 scale on y.
pub(crate) type Chart<'a, 'b, Y> =
    ChartContext<'a, SkiaBackend<'b>, Cartesian2d<RangedCoordf64, Y>>;

/// Maps a drawing error to [`PlotError::Drawing`].
pub(crate) fn drawing<E: std::error::Error + Send + Sync + 'static>(err: E) -> PlotError {
    PlotError::Drawing(Box::new(err))
}

/// Where data points fall on a chart, in canvas pixels, without plotters' rounding to whole
/// pixels: the coordinate c of an axis from `c0` to `c1` drawn over pixels `p0..=p1` lands at
/// p0 + (c − c0)/(c1 − c0)·(p1 − p0) + ½ (the ½ puts the ends where plotters draws them, on the
/// centres of pixels p0 and p1, as the ticks are). On a logarithmic axis c = log₁₀ v (see
/// [`Axis::coord`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PixelMap {
    x: [f64; 4],
    y: [f64; 4],
    log: (bool, bool),
}

impl PixelMap {
    /// The map of `chart`, whose x axis is linear and whose y axis is logarithmic if `y_log`.
    pub(crate) fn new<Y>(chart: &Chart<'_, '_, Y>, y_log: bool) -> PixelMap
    where
        Y: Ranged<ValueType = f64>,
    {
        Self::scaled(chart, (false, y_log))
    }

    /// The map of `chart` with (x, y) axes logarithmic as `log` says.
    pub(crate) fn scaled<Y>(chart: &Chart<'_, '_, Y>, log: (bool, bool)) -> PixelMap
    where
        Y: Ranged<ValueType = f64>,
    {
        let (xs, ys) = (chart.x_range(), chart.y_range());
        let lo = chart.backend_coord(&(xs.start, ys.start));
        let hi = chart.backend_coord(&(xs.end, ys.end));
        PixelMap {
            x: [xs.start, xs.end, f64::from(lo.0), f64::from(hi.0)],
            y: [ys.start, ys.end, f64::from(lo.1), f64::from(hi.1)],
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

    /// The tick values and their labels for an axis `length` px long.
    fn ticks(&self, length: f64, spacing: f64) -> Vec<(f64, String)> {
        let (ticks, labels) = if self.log {
            let ticks = log_ticks(self.lo, self.hi, length, spacing);
            let labels = format_log_ticks(&ticks);
            (ticks, labels)
        } else {
            let ticks = axis_ticks(self.lo, self.hi, length, spacing);
            let labels = format_ticks(&ticks);
            (ticks, labels)
        };
        ticks.into_iter().zip(labels).collect()
    }
}

/// The space (px) around a plot that [`draw_axes`] fills: (left, bottom).
pub(crate) const LEFT: u32 = 62;
pub(crate) const BOTTOM: u32 = 46;

/// Builds a chart on `area` with room for a title, tick labels and axis labels.
pub(crate) fn chart_builder<'a, 'b>(
    area: &'a Area<'b>,
    title: bool,
) -> ChartBuilder<'a, 'b, SkiaBackend<'b>> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(if title { 34 } else { 12 })
        .margin_right(22)
        .margin_left(8)
        .margin_bottom(6)
        .x_label_area_size(BOTTOM)
        .y_label_area_size(LEFT);
    builder
}

/// Draws the frame, ticks, tick labels, axis labels and (if not empty) the title of `chart`,
/// which was built on `area` by [`chart_builder`] over the axes' [`Axis::range`]s.
pub(crate) fn draw_axes<Y>(
    area: &Area<'_>,
    chart: &Chart<'_, '_, Y>,
    x: &Axis<'_>,
    y: &Axis<'_>,
    title: &str,
) -> Result<(), PlotError>
where
    Y: Ranged<ValueType = f64>,
{
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (ox, oy) = area.get_base_pixel();
    let root = area.strip_coord_spec();
    let (l, r) = (xr.start - ox, xr.end - ox - 1);
    let (t, b) = (yr.start - oy, yr.end - oy - 1);
    let (aw, ah) = area.dim_in_pixel();
    let black = BLACK.stroke_width(1);
    root.draw(&PathElement::new(
        vec![(l, t), (r, t), (r, b), (l, b), (l, t)],
        black,
    ))
    .map_err(drawing)?;
    let tick_font = TextStyle::from((FAMILY, TICK_FONT).into_font());
    let label_font = TextStyle::from((FAMILY, LABEL_FONT).into_font());
    let px = |vx: f64, vy: f64| {
        let (a, b) = chart.backend_coord(&(vx, vy));
        (a - ox, b - oy)
    };
    let corner = (l + ox, b + oy);
    let tag = |horizontal: bool, label: &str| {
        let (x, y) = corner;
        text::tick_label(TickAxis { horizontal, x, y }, label)
    };
    // x ticks: labels centred under them, kept inside the area.
    let x_ticks = x.ticks((r - l) as f64, 78.0);
    let mut lowest = b + 4;
    for (value, label) in &x_ticks {
        let (tx, _) = px(x.coord(*value), y_mid(y));
        root.draw(&PathElement::new(vec![(tx, b), (tx, b + 4)], black))
            .map_err(drawing)?;
        let (w, h) = root
            .estimate_text_size(label, &tick_font)
            .map_err(drawing)?;
        let cx = tx.min(aw as i32 - w as i32 / 2 - 1).max(w as i32 / 2 + 1);
        let style = tick_font.pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(tag(true, label), (cx, b + 6), style))
            .map_err(drawing)?;
        lowest = lowest.max(b + 6 + h as i32);
    }
    // y ticks: labels right-aligned left of them.
    let y_ticks = y.ticks((b - t) as f64, 42.0);
    let mut leftmost = l - 4;
    for (value, label) in &y_ticks {
        let (_, ty) = px(x_mid(x), y.coord(*value));
        root.draw(&PathElement::new(vec![(l - 4, ty), (l, ty)], black))
            .map_err(drawing)?;
        let (w, h) = root
            .estimate_text_size(label, &tick_font)
            .map_err(drawing)?;
        let cy = ty.min(ah as i32 - h as i32 / 2).max(h as i32 / 2);
        let style = tick_font.pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(tag(false, label), (l - 6, cy), style))
            .map_err(drawing)?;
        leftmost = leftmost.min(l - 6 - w as i32);
    }
    if !x.label.is_empty() {
        let style = label_font.pos(Pos::new(HPos::Center, VPos::Top));
        let y0 = (lowest + 3).min(ah as i32 - 17);
        root.draw(&Text::new(x.label.to_string(), ((l + r) / 2, y0), style))
            .map_err(drawing)?;
    }
    if !y.label.is_empty() {
        let style = label_font
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Right, VPos::Center));
        root.draw(&Text::new(
            y.label.to_string(),
            ((leftmost - 4).max(18), (t + b) / 2),
            style,
        ))
        .map_err(drawing)?;
    }
    if !title.is_empty() {
        let font = TextStyle::from((FAMILY, TITLE_FONT).into_font());
        let (w, _) = root.estimate_text_size(title, &font).map_err(drawing)?;
        let cx = ((l + r) / 2)
            .min(aw as i32 - w as i32 / 2 - 1)
            .max(w as i32 / 2 + 1);
        let style = font.pos(Pos::new(HPos::Center, VPos::Bottom));
        root.draw(&Text::new(title.to_string(), (cx, t - 8), style))
            .map_err(drawing)?;
    }
    Ok(())
}

fn y_mid(y: &Axis<'_>) -> f64 {
    0.5 * (y.range().start + y.range().end)
}

fn x_mid(x: &Axis<'_>) -> f64 {
    0.5 * (x.range().start + x.range().end)
}
