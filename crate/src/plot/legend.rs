//! Legends placed like matplotlib's `loc="best"`: of the ten standard positions inside the
//! plot, the first that covers least data (vertices, line segments, markers and bars); each
//! entry's swatch is drawn in its series' own style (solid, dashed, markers, bars), in
//! matplotlib's frame. The frames of a sweep can share one position.

use super::area::Area;
use super::clip::Rect;
use super::color::Color;
use super::shapes::Shapes;
use super::shared_scales::{LEGEND_BADNESS, Ranges};
use super::text::{self, Align, TextStyle};

/// How an entry's series looks.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A line of this width, dashed if `dashed`, with an optional marker of this radius.
    Line {
        color: Color,
        width: u32,
        dashed: bool,
        marker: u32,
    },
    /// A marker alone.
    Marker { color: Color, radius: u32 },
    /// A filled bar.
    Bar { color: Color, alpha: f64 },
    /// Nothing: a line of text alone.
    Blank,
}

/// Dash and gap lengths (px) of every dashed line, so legends match the plot.
pub(crate) const DASH: (u32, u32) = (7, 4);

/// A legend: entries, and the data (relative to the area) it should avoid covering.
#[derive(Default)]
pub(crate) struct Legend {
    entries: Vec<(String, Swatch)>,
    /// Single points (markers).
    obstacles: Vec<(i32, i32)>,
    /// Polylines: each vertex inside counts, and the line once more if it crosses the box.
    paths: Vec<Vec<(i32, i32)>>,
    /// Filled boxes (bars): each one the legend overlaps counts once.
    boxes: Vec<(i32, i32, i32, i32)>,
}

/// Legend text size (points): matplotlib's 10 pt.
const FONT: u32 = 10;

/// The legend's font size in px (10 pt at 100 dpi): matplotlib's spacings are multiples of it.
const EM: f32 = 10.0 * 100.0 / 72.0;
/// matplotlib's legend spacings, in [`EM`]s: inside the frame, between rows, the swatch's
/// length and height, between swatch and label, and between the frame and the axes.
const BORDER_PAD: f32 = 0.4;
const LABEL_SPACING: f32 = 0.5;
const HANDLE_LENGTH: f32 = 2.0;
const HANDLE_HEIGHT: f32 = 0.7;
const HANDLE_TEXT_PAD: f32 = 0.8;
const BORDER_AXES_PAD: f32 = 0.5;
/// The frame: corner radius (in [`EM`]s, `fancybox`), line width (1 pt), opacity of face and
/// edge, and the edge's grey (0.8).
const CORNER: f32 = 0.2;
const FRAME_WIDTH: f32 = 100.0 / 72.0;
const FRAME_ALPHA: f64 = 0.8;
const FRAME_EDGE: Color = Color(204, 204, 204);

impl Legend {
    /// Adds an entry (label markup and swatch).
    pub(crate) fn entry(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.entries.push((label.into(), swatch));
    }

    /// Marks pixels (relative to the area) that hold data.
    pub(crate) fn avoid(&mut self, points: impl IntoIterator<Item = (i32, i32)>) {
        self.obstacles.extend(points);
    }

    /// Marks a polyline: each of its vertices a legend covers counts, and the line once more
    /// if any of its segments crosses the legend (so a 2-point line counts too).
    pub(crate) fn avoid_path(&mut self, path: &[(i32, i32)]) {
        if !path.is_empty() {
            self.paths.push(path.to_vec());
        }
    }

    /// Marks a filled box (a bar), which counts once if the legend overlaps it.
    pub(crate) fn avoid_box(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32)) {
        self.boxes
            .push((x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)));
    }

    /// Where the legend goes inside `plot` (left, top, right, bottom; relative to `area`):
    /// its box, or `None` without entries; the position is shared by the frames of a sweep,
    /// the one that covers least data over all frames together (see [`Ranges`]).
    pub(crate) fn place_in(
        &self,
        plot: (i32, i32, i32, i32),
        ranges: &Ranges,
    ) -> Option<(i32, i32, i32, i32)> {
        self.layout(plot, Some(ranges)).map(|l| l.bounds())
    }

    /// Draws the legend inside `plot` (left, top, right, bottom; relative to `area`) at the
    /// position shared by the frames of a sweep ([`place_in`](Self::place_in)); returns its
    /// box.
    pub(crate) fn draw_in(
        &self,
        area: &mut Area<'_>,
        plot: (i32, i32, i32, i32),
        ranges: &Ranges,
    ) -> Option<(i32, i32, i32, i32)> {
        let layout = self.layout(plot, Some(ranges))?;
        self.paint(area, &layout);
        Some(layout.bounds())
    }

    /// The frame's size (width, height; whole logical px), or `None` without entries.
    pub(crate) fn size(&self) -> Option<(i32, i32)> {
        let (_, _, w, h) = self.measure()?.bounds();
        Some((w, h))
    }

    /// Draws the legend with its frame's top-left corner at `(x, y)` (relative to `area`),
    /// such as beside a plot, where matplotlib's `loc="upper left", bbox_to_anchor=(1.02, 1)`
    /// puts it.
    pub(crate) fn draw_at(&self, area: &mut Area<'_>, (x, y): (i32, i32)) {
        if let Some(mut layout) = self.measure() {
            (layout.x, layout.y) = (x as f32, y as f32);
            self.paint(area, &layout);
        }
    }

    /// The frame at the best position inside `plot` (shared through `ranges` if given).
    fn layout(&self, plot: (i32, i32, i32, i32), ranges: Option<&Ranges>) -> Option<Layout> {
        let mut layout = self.measure()?;
        (layout.x, layout.y) = self.best(plot, (layout.w, layout.h), ranges);
        Some(layout)
    }

    /// The frame's size and each row's height, as matplotlib lays a legend out: rows of
    /// swatch and label, [`LABEL_SPACING`] apart, in a frame [`BORDER_PAD`] wide; placed at
    /// the origin.
    fn measure(&self) -> Option<Layout> {
        if self.entries.is_empty() {
            return None;
        }
        let sizes: Vec<(i32, i32)> = self
            .entries
            .iter()
            .map(|(label, _)| text::measure(label, FONT))
            .collect();
        let text_w = sizes.iter().map(|s| s.0).max().unwrap_or(0) as f32;
        let rows: Vec<f32> = sizes
            .iter()
            .map(|s| (s.1 as f32).max(HANDLE_HEIGHT * EM))
            .collect();
        let w = EM * (2.0 * BORDER_PAD + HANDLE_LENGTH + HANDLE_TEXT_PAD) + text_w;
        let h = EM * (2.0 * BORDER_PAD + LABEL_SPACING * (rows.len() - 1) as f32)
            + rows.iter().sum::<f32>();
        Some(Layout {
            x: 0.0,
            y: 0.0,
            w,
            h,
            rows,
        })
    }

    /// Paints the frame, the swatches and the labels.
    fn paint(&self, area: &mut Area<'_>, layout: &Layout) {
        let (ox, oy) = area.base();
        let (ox, oy) = (ox as f32, oy as f32);
        let frame = (
            ox + layout.x,
            oy + layout.y,
            ox + layout.x + layout.w,
            oy + layout.y + layout.h,
        );
        let mut face = Shapes::new(Color::WHITE, 0.0).alpha(FRAME_ALPHA);
        face.rounded_rect(frame, CORNER * EM, false);
        area.draw(&face);
        let mut edge = Shapes::new(FRAME_EDGE, FRAME_WIDTH).alpha(FRAME_ALPHA);
        edge.rounded_rect(frame, CORNER * EM, true);
        area.draw(&edge);
        let style = TextStyle::new(FONT).align(Align::Start, Align::Centre);
        let sx0 = layout.x + BORDER_PAD * EM;
        let sx1 = sx0 + HANDLE_LENGTH * EM;
        let tx = sx1 + HANDLE_TEXT_PAD * EM;
        let mut top = layout.y + BORDER_PAD * EM;
        for ((label, swatch), row) in self.entries.iter().zip(&layout.rows) {
            let cy = (top + 0.5 * row).round() as i32;
            draw_swatch(area, *swatch, (sx0.round() as i32, sx1.round() as i32), cy);
            area.text(label, (tx.round() as i32, cy), style, None);
            top += row + LABEL_SPACING * EM;
        }
    }

    /// How much data the box `(x, y, w, h)` covers, as matplotlib counts it: the vertices of
    /// each path inside it, plus one for each path crossing it, each point inside it and each
    /// box it overlaps.
    fn badness(&self, (x, y, w, h): (f32, f32, f32, f32)) -> usize {
        let r = Rect {
            x0: f64::from(x),
            x1: f64::from(x + w),
            y0: f64::from(y),
            y1: f64::from(y + h),
        };
        let inside = |&(px, py): &(i32, i32)| r.contains((f64::from(px), f64::from(py)));
        let paths: usize = self
            .paths
            .iter()
            .map(|path| {
                let vertices = path.iter().filter(|p| inside(p)).count();
                let point = |p: (i32, i32)| (f64::from(p.0), f64::from(p.1));
                let crosses = path
                    .windows(2)
                    .any(|s| r.clip_segment(point(s[0]), point(s[1])).is_some());
                vertices + usize::from(crosses)
            })
            .sum();
        let points = self.obstacles.iter().filter(|p| inside(p)).count();
        let boxes = self
            .boxes
            .iter()
            .filter(|b| {
                f64::from(b.0) < r.x1
                    && f64::from(b.2) > r.x0
                    && f64::from(b.1) < r.y1
                    && f64::from(b.3) > r.y0
            })
            .count();
        paths + points + boxes
    }

    /// The top-left corner of the position that covers least data, in matplotlib's order of
    /// preference (upper right first), [`BORDER_AXES_PAD`] inside the plot. With `ranges`,
    /// each position's badness passes through them, so a sweep's frames all take the position
    /// best for all of them together.
    fn best(
        &self,
        (l, t, r, b): (i32, i32, i32, i32),
        (w, h): (f32, f32),
        ranges: Option<&Ranges>,
    ) -> (f32, f32) {
        let (l, t, r, b) = (l as f32, t as f32, r as f32, b as f32);
        let m = BORDER_AXES_PAD * EM;
        let (xl, xc, xr) = (l + m, 0.5 * (l + r - w), r - m - w);
        let (yt, yc, yb) = (t + m, 0.5 * (t + b - h), b - m - h);
        let candidates = [
            (xr, yt),
            (xl, yt),
            (xl, yb),
            (xr, yb),
            (xr, yc),
            (xl, yc),
            (xr, yc),
            (xc, yb),
            (xc, yt),
            (xc, yc),
        ];
        let mut best = candidates[0];
        let mut least = f64::INFINITY;
        for &(x, y) in &candidates {
            let own = self.badness((x, y, w, h)) as f64;
            let n = match ranges {
                Some(ranges) => ranges.shared(LEGEND_BADNESS, own, own).1,
                None => own,
            };
            if n < least {
                (best, least) = ((x, y), n);
            }
        }
        best
    }
}

/// Where a legend is drawn: its frame's top-left corner and size, and its rows' heights
/// (logical px, relative to the area).
struct Layout {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    rows: Vec<f32>,
}

impl Layout {
    /// The frame's box in whole pixels (left, top, right, bottom), rounded outwards.
    fn bounds(&self) -> (i32, i32, i32, i32) {
        (
            self.x.floor() as i32,
            self.y.floor() as i32,
            (self.x + self.w).ceil() as i32,
            (self.y + self.h).ceil() as i32,
        )
    }
}

/// The rim of a light swatch.
const OUTLINE: Color = Color(110, 110, 110);

/// Relative luminance of a colour, 0 (black) to 1 (white), by the sRGB weights.
fn luminance(Color(r, g, b): Color) -> f64 {
    (0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b)) / 255.0
}

/// Draws a swatch between `x0` and `x1` on the row at `y`.
fn draw_swatch(area: &mut Area<'_>, swatch: Swatch, (x0, x1): (i32, i32), y: i32) {
    match swatch {
        Swatch::Line {
            color,
            width,
            dashed,
            marker,
        } => {
            let mut line = |color: Color, width: u32| {
                let (dash, gap) = if dashed {
                    (DASH.0 as i32, DASH.1 as i32)
                } else {
                    (x1 - x0, 0)
                };
                let mut x = x0;
                while x < x1 {
                    let end = (x + dash).min(x1);
                    area.stroke(&[(x, y), (end, y)], color, width, false);
                    x += dash + gap;
                }
            };
            // A line nearly as light as the legend's background (white paths over a heat
            // map) gets a grey rim, so its swatch shows.
            if luminance(color) > 0.85 {
                line(OUTLINE, width + 2);
            }
            line(color, width);
            if marker > 0 {
                area.fill_circle(((x0 + x1) / 2, y), marker, color, 1.0);
            }
        }
        Swatch::Marker { color, radius } => {
            area.fill_circle(((x0 + x1) / 2, y), radius, color, 1.0);
        }
        Swatch::Blank => {}
        Swatch::Bar { color, alpha } => {
            // matplotlib's patch handle: the whole swatch, HANDLE_HEIGHT high.
            let half = (0.5 * HANDLE_HEIGHT * EM).round() as i32;
            area.fill_rect((x0, y - half), (x1 - 1, y + half - 1), color, alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::shared_scales::{Scales, union};
    use super::*;

    #[test]
    fn best_position_avoids_the_data() {
        let mut legend = Legend::default();
        // Data fill the upper right and upper left quadrants.
        legend.avoid_box((0, 0), (400, 150));
        let (x, y) = legend.best((0, 0, 400, 300), (100.0, 40.0), None);
        assert!(y > 150.0, "legend at ({x}, {y}) sits on the data");
        // Without data, upper right, half a font size inside the plot.
        let m = BORDER_AXES_PAD * EM;
        assert_eq!(
            Legend::default().best((0, 0, 400, 300), (100.0, 40.0), None),
            (300.0 - m, m)
        );
    }

    #[test]
    fn a_segment_through_the_box_counts_without_a_vertex_inside() {
        let mut legend = Legend::default();
        // A 2-point line across the top of the plot: no vertex near the upper right.
        legend.avoid_path(&[(0, 20), (400, 20)]);
        assert_eq!(legend.badness((290.0, 5.0, 100.0, 40.0)), 1);
        assert_eq!(legend.badness((290.0, 200.0, 100.0, 40.0)), 0);
        let (_, y) = legend.best((0, 0, 400, 300), (100.0, 40.0), None);
        assert!(
            y > 20.0,
            "the legend covers the line at y = 20 (top at {y})"
        );
    }

    #[test]
    fn frames_of_a_sweep_take_the_position_best_for_all_together() {
        // Frame a has data in the upper right, frame b in the upper left and lower left.
        let mut a = Legend::default();
        a.avoid_box((250, 0), (400, 100));
        let mut b = Legend::default();
        b.avoid_box((0, 0), (150, 300));
        let plot = (0, 0, 400, 300);
        let size = (100.0, 40.0);
        let own = |l: &Legend| l.best(plot, size, None);
        assert_ne!(own(&a), own(&b));
        let recorded: Vec<Scales> = [&a, &b]
            .iter()
            .map(|l| {
                let ranges = Ranges::own();
                l.best(plot, size, Some(&ranges));
                ranges.recorded()
            })
            .collect();
        let all = union(&recorded);
        let shared = |l: &Legend| l.best(plot, size, Some(&Ranges::apply(&all)));
        assert_eq!(shared(&a), shared(&b));
        // The lower right is free in both.
        let (x, y) = shared(&a);
        assert!(x > 200.0 && y > 150.0, "({x}, {y})");
    }
}
