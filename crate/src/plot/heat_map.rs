//! A heat map: a function sampled on a grid drawn as crisp coloured cells (matplotlib's
//! "magma"), a colour bar with round ticks on the right, and contour lines and named sets of
//! lines on top, with a legend where it covers the fewest of them.

use super::Figure;
use super::area::Area;
use super::axes::{Axis, Chart, LABEL_FONT, PixelMap, TICK_FONT, Y_TICK_SPACE, draw_axes};
use super::canvas::{Canvas, Drawable};
use super::clip::Rect;
use super::color::Color;
use super::colormap::magma;
use super::contours::Grid;
use super::figure::DENSITY;
use super::legend::{DASH, Legend, Swatch};
use super::shapes::Shapes;
use super::text::{self, Align, TextStyle};
use super::text_box::TickAxis;
use super::ticks::{axis_ticks, format_ticks};
use crate::plot::PlotError;

/// Lines in data coordinates, each a list of points.
pub(crate) type Polylines = Vec<Vec<(f64, f64)>>;

/// How a set of lines is drawn: colour, width (px) and whether dashed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineStyle {
    pub color: Color,
    pub width: u32,
    pub dashed: bool,
}

/// A named set of lines in one style.
pub(crate) struct LineSet<'a> {
    pub name: &'a str,
    pub lines: &'a [Vec<(f64, f64)>],
    pub style: LineStyle,
}

/// Figure size (px) and where the colour bar starts.
const SIZE: (u32, u32) = (780, 600);
const BAR_AREA: i32 = 690;
const BAR_WIDTH: i32 = 18;

/// Draws `grid` as a heat map titled `title` with axis labels `labels`, its colour bar labelled
/// `bar_label`, and `sets` of lines on top (each in the legend).
pub(crate) fn heat_map(
    grid: &Grid,
    title: &str,
    labels: (&str, &str),
    bar_label: &str,
    sets: &[LineSet<'_>],
) -> Result<Figure, PlotError> {
    let colours = grid.finite_range().unwrap_or((0.0, 1.0));
    heat_map_at(grid, colours, DENSITY, title, labels, bar_label, sets)
}

/// [`heat_map`] with the colour bar spanning `colours` (values outside take its end colours),
/// at `density`: the form a figure whose colour scale a sweep shares draws with.
pub(crate) fn heat_map_at(
    grid: &Grid,
    (lo, hi): (f64, f64),
    density: u32,
    title: &str,
    (x_label, y_label): (&str, &str),
    bar_label: &str,
    sets: &[LineSet<'_>],
) -> Result<Figure, PlotError> {
    Figure::render_at(SIZE.0, SIZE.1, density, |root| {
        draw(
            root,
            grid,
            (lo, hi),
            title,
            (x_label, y_label),
            bar_label,
            sets,
        )
    })
}

/// The heat map onto `root`, its colours spanning `lo..=hi`.
fn draw(
    root: &mut Area<'_>,
    grid: &Grid,
    (lo, hi): (f64, f64),
    title: &str,
    (x_label, y_label): (&str, &str),
    bar_label: &str,
    sets: &[LineSet<'_>],
) -> Result<(), PlotError> {
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let x = Axis::linear(grid.x0, grid.x1, x_label);
    let y = Axis::linear(grid.y0, grid.y1, y_label);
    let view = Rect {
        x0: grid.x0,
        x1: grid.x1,
        y0: grid.y0,
        y1: grid.y1,
    };
    let (main, _) = root.region.split_at_x(BAR_AREA);
    let (xr, yr) = (x.range(), y.range());
    let chart = Chart::new(&root.at(main), true, (xr.start, xr.end), (yr.start, yr.end));
    let map = PixelMap::new(&chart, false);
    let plot = plot_box(&chart);
    let colors: Vec<Color> = grid
        .values()
        .iter()
        .map(|v| banded((v - lo) / (hi - lo)))
        .collect();
    let (first, last) = (map.at((grid.x0, grid.y0)), map.at((grid.x1, grid.y1)));
    root.draw(&Cells {
        colors,
        n: (grid.nx, grid.ny),
        first,
        last,
        rect: plot,
    });
    let mut legend = Legend::default();
    for set in sets {
        let mut shapes = Shapes::new(set.style.color, set.style.width as f32);
        if set.style.dashed {
            shapes = shapes.dashed(DASH.0 as f32, DASH.1 as f32);
        }
        for line in set.lines {
            for piece in view.clip_polyline(line) {
                let pixels = map.all(&piece);
                shapes.line(&pixels);
                let whole: Vec<(i32, i32)> = pixels
                    .iter()
                    .map(|p| (p.0.round() as i32, p.1.round() as i32))
                    .collect();
                legend.avoid_path(&whole);
            }
        }
        root.draw(&shapes);
        let LineStyle {
            color,
            width,
            dashed,
        } = set.style;
        legend.entry(
            set.name,
            Swatch::Line {
                color,
                width,
                dashed,
                marker: 0,
            },
        );
    }
    draw_axes(&mut root.at(main), &chart, &x, &y, title);
    legend.draw(&mut root.at(main), plot);
    colour_bar(root, (plot.1, plot.3), (lo, hi), bar_label);
    Ok(())
}

/// Shades of the colour map: few enough that the figure's PNG keeps an exact palette for them
/// (and room for the lines' and text's shades), many enough that the bands are hard to see.
const BANDS: f64 = 64.0;

/// The colour of `t ∈ [0, 1]`, rounded to one of [`BANDS`] + 1 shades of magma.
fn banded(t: f64) -> Color {
    magma((t * BANDS).round() / BANDS)
}

/// The plotting area's box (left, top, right, bottom) in canvas pixels.
fn plot_box(chart: &Chart) -> (i32, i32, i32, i32) {
    let p = chart.plot;
    (p.x0, p.y0, p.x1, p.y1)
}

/// The colour bar right of the plot, from `top` to `bottom` (canvas pixels): the colours from
/// `lo` (bottom) to `hi`, a frame, ticks at round values on the right, and its label.
fn colour_bar(root: &mut Area<'_>, (top, bottom): (i32, i32), (lo, hi): (f64, f64), label: &str) {
    const STEPS: usize = 256;
    let (l, r) = (BAR_AREA + 8, BAR_AREA + 8 + BAR_WIDTH);
    let colors = (0..STEPS)
        .map(|k| banded(k as f64 / (STEPS - 1) as f64))
        .collect();
    let (first, last) = ((l as f32, bottom as f32), (r as f32, top as f32));
    root.draw(&Cells {
        colors,
        n: (1, STEPS),
        first,
        last,
        rect: (l, top, r, bottom),
    });
    let black = Color::BLACK;
    let (fr, fb) = (r - 1, bottom - 1);
    root.stroke(
        &[(l, top), (fr, top), (fr, fb), (l, fb), (l, top)],
        black,
        1,
        false,
    );
    let ticks = axis_ticks(lo, hi, f64::from(fb - top), Y_TICK_SPACE);
    let axis = TickAxis {
        horizontal: false,
        x: l,
        y: fb,
    };
    let style = TextStyle::new(TICK_FONT).align(Align::Start, Align::Centre);
    let mut widest = 0;
    for (value, tick) in ticks.iter().zip(format_ticks(&ticks)) {
        let y = fb as f64 - (value - lo) / (hi - lo) * f64::from(fb - top);
        let y = y.round() as i32;
        root.stroke(&[(fr, y), (fr + 4, y)], black, 1, false);
        widest = widest.max(text::measure(&tick, TICK_FONT).0);
        root.text(&tick, (fr + 6, y), style, Some(axis));
    }
    if !label.is_empty() {
        let style = TextStyle::new(LABEL_FONT)
            .vertical()
            .align(Align::Start, Align::Centre);
        root.text(label, (fr + 10 + widest, (top + bottom) / 2), style, None);
    }
}

/// Cells of colour, `n.0 × n.1` of them row after row from the bottom, whose centres run from
/// `first` (the bottom-left cell's, canvas pixels) to `last` (the top-right cell's), filling
/// `rect` (left, top, right, bottom) without gaps and without blending: each device pixel takes
/// the colour of the cell whose centre is nearest.
struct Cells {
    colors: Vec<Color>,
    n: (usize, usize),
    first: (f32, f32),
    last: (f32, f32),
    rect: (i32, i32, i32, i32),
}

impl Drawable for Cells {
    fn draw_on(&self, canvas: &mut Canvas) {
        let s = canvas.scale as i32;
        let (w, h) = (canvas.pixmap.width() as i32, canvas.pixmap.height() as i32);
        // The cell index of device pixel p along one side: its centre's nearest cell centre.
        let index = |p: i32, first: f32, last: f32, n: usize| {
            let logical = (p as f32 + 0.5) / s as f32;
            let t = if n > 1 && last != first {
                (logical - first) / (last - first) * (n - 1) as f32
            } else {
                0.0
            };
            (t.round().max(0.0) as usize).min(n - 1)
        };
        let (l, t, r, b) = self.rect;
        let (x0, x1) = ((l * s).clamp(0, w), (r * s).clamp(0, w));
        let (y0, y1) = ((t * s).clamp(0, h), (b * s).clamp(0, h));
        let (nx, ny) = self.n;
        if nx == 0 || ny == 0 || self.colors.len() < nx * ny {
            return;
        }
        let columns: Vec<usize> = (x0..x1)
            .map(|x| index(x, self.first.0, self.last.0, nx))
            .collect();
        let data = canvas.pixmap.data_mut();
        for y in y0..y1 {
            let row = index(y, self.first.1, self.last.1, ny) * nx;
            let start = 4 * (y as usize * w as usize + x0 as usize);
            for (px, &i) in data[start..start + 4 * columns.len()]
                .chunks_exact_mut(4)
                .zip(&columns)
            {
                let Color(r, g, b) = self.colors[row + i];
                px.copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Device pixels of a figure as packed 0xRRGGBB.
    fn pixels(fig: &Figure) -> Vec<u32> {
        fig.image().pixels().collect()
    }

    #[test]
    fn cells_are_crisp_and_fill_the_plot_without_gaps() {
        // Two columns of values: the left half dark, the right half bright.
        let grid = Grid::sample((0.0, 1.0), (0.0, 1.0), (2, 2), |x, _| x);
        let fig = heat_map(&grid, "", ("x", "y"), "", &[]).unwrap();
        let px = pixels(&fig);
        let (dark, bright) = (magma(0.0), magma(1.0));
        let pack = |c: Color| u32::from_be_bytes([0, c.0, c.1, c.2]);
        let w = fig.image().width as usize;
        // A row through the middle of the plot holds only the two cell colours inside the
        // frame, switching once.
        let row = &px[w * fig.image().height as usize / 2..][..w];
        let inside: Vec<u32> = row
            .iter()
            .copied()
            .skip_while(|&p| p != pack(dark))
            .take_while(|&p| p == pack(dark) || p == pack(bright))
            .collect();
        let switches = inside.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(inside.len() > 1000, "{} cell pixels", inside.len());
        assert_eq!(switches, 1);
    }
}
