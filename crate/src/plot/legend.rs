//! Legends placed like matplotlib's `loc="best"`: of the ten standard positions inside the
//! plot, the first that covers the fewest data points; each entry's swatch is drawn in its
//! series' own style (solid, dashed, markers, bars).

use super::area::Area;
use super::color::Color;
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

/// A legend: entries, and the pixels (relative to the area) it should avoid covering.
#[derive(Default)]
pub(crate) struct Legend {
    entries: Vec<(String, Swatch)>,
    obstacles: Vec<(i32, i32)>,
}

/// Legend text size (points): matplotlib's 10 pt.
const FONT: u32 = 10;
const ROW: i32 = 20;
const SWATCH: i32 = 28;
const PAD: i32 = 7;

impl Legend {
    /// Adds an entry (label markup and swatch).
    pub(crate) fn entry(&mut self, label: impl Into<String>, swatch: Swatch) {
        self.entries.push((label.into(), swatch));
    }

    /// Marks pixels (relative to the area) that hold data.
    pub(crate) fn avoid(&mut self, points: impl IntoIterator<Item = (i32, i32)>) {
        self.obstacles.extend(points);
    }

    /// Marks the pixels along a polyline, one every 3 px, so long segments count too.
    pub(crate) fn avoid_path(&mut self, path: &[(i32, i32)]) {
        for w in path.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 3).max(1);
            for k in 0..n {
                self.obstacles
                    .push((a.0 + (b.0 - a.0) * k / n, a.1 + (b.1 - a.1) * k / n));
            }
        }
        if let Some(&last) = path.last() {
            self.obstacles.push(last);
        }
    }

    /// Marks a filled box (a bar): a grid of points every 4 px.
    pub(crate) fn avoid_box(&mut self, (x0, y0): (i32, i32), (x1, y1): (i32, i32)) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        for x in (x0..=x1).step_by(4) {
            for y in (y0..=y1).step_by(4) {
                self.obstacles.push((x, y));
            }
        }
    }

    /// Where the legend goes inside `plot` (left, top, right, bottom; relative to `area`):
    /// its box, or `None` without entries.
    pub(crate) fn place(&self, plot: (i32, i32, i32, i32)) -> Option<(i32, i32, i32, i32)> {
        if self.entries.is_empty() {
            return None;
        }
        let text_w = self
            .entries
            .iter()
            .map(|(label, _)| text::measure(label, FONT).0)
            .max()
            .unwrap_or(0);
        let w = PAD + SWATCH + 6 + text_w + PAD;
        let h = 2 * PAD - 4 + ROW * self.entries.len() as i32;
        let (x0, y0) = self.best(plot, (w, h));
        Some((x0, y0, x0 + w, y0 + h))
    }

    /// Draws the legend inside `plot` (left, top, right, bottom; relative to `area`) at the
    /// best position; returns its box.
    pub(crate) fn draw(
        &self,
        area: &mut Area<'_>,
        plot: (i32, i32, i32, i32),
    ) -> Option<(i32, i32, i32, i32)> {
        let (x0, y0, x1, y1) = self.place(plot)?;
        area.fill_rect((x0, y0), (x1, y1), Color::WHITE, 0.8);
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
        area.stroke(&corners, Color(204, 204, 204), 1, true);
        let style = TextStyle::new(FONT).align(Align::Start, Align::Centre);
        for (k, (label, swatch)) in self.entries.iter().enumerate() {
            let cy = y0 + PAD - 2 + ROW * k as i32 + ROW / 2;
            let (sx0, sx1) = (x0 + PAD, x0 + PAD + SWATCH);
            draw_swatch(area, *swatch, (sx0, sx1), cy);
            area.text(label, (sx1 + 6, cy), style, None);
        }
        Some((x0, y0, x1, y1))
    }

    /// The top-left corner of the position that covers the fewest obstacles, in matplotlib's
    /// order of preference (upper right first).
    fn best(&self, (l, t, r, b): (i32, i32, i32, i32), (w, h): (i32, i32)) -> (i32, i32) {
        let m = 8;
        let (xl, xc, xr) = (l + m, (l + r - w) / 2, r - m - w);
        let (yt, yc, yb) = (t + m, (t + b - h) / 2, b - m - h);
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
        let covered = |&(x, y): &(i32, i32)| {
            self.obstacles
                .iter()
                .filter(|p| p.0 >= x && p.0 <= x + w && p.1 >= y && p.1 <= y + h)
                .count()
        };
        let mut best = candidates[0];
        let mut least = usize::MAX;
        for c in &candidates {
            let n = covered(c);
            if n < least {
                (best, least) = (*c, n);
            }
        }
        best
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
            area.fill_rect((x0 + 4, y - 6), (x1 - 4, y + 6), color, alpha);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_position_avoids_the_data() {
        let mut legend = Legend::default();
        // Data fills the upper right and upper left quadrants.
        legend.avoid_box((0, 0), (400, 150));
        let (x, y) = legend.best((0, 0, 400, 300), (100, 40));
        assert!(y > 150, "legend at ({x}, {y}) sits on the data");
        // Without data, upper right.
        assert_eq!(
            Legend::default().best((0, 0, 400, 300), (100, 40)),
            (292, 8)
        );
    }
}
