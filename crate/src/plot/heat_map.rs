//! A heat map: a function sampled on a grid, shaded in matplotlib's "magma" between its samples
//! (bilinearly, as `imshow(interpolation='bilinear')` does), a colour bar with round ticks and
//! `extend` triangles where values were clamped on the right, contour lines and named sets of
//! lines on top, and their legend beside the colour bar, never over the data.

use super::Figure;
use super::area::{Area, Region};
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

/// Figure height (px), the width of its part left of the colour bar, the colour bar's width and
/// its gap from the plot (matplotlib's `pad = 0.05` of a 500 px axes).
const SIZE: (u32, u32) = (780, 600);
const BAR_AREA: i32 = 690;
const BAR_WIDTH: i32 = 18;
const BAR_PAD: i32 = 24;
/// Shades of magma the colours are looked up in: 256, as matplotlib's colour maps have, so
/// neighbouring shades differ by a level or two per channel and no band shows, while the figure
/// keeps to a palette (its lines' and text's blends take the nearest colour) and its budget.
const SHADES: usize = 256;

/// Titles of a heat map: the figure's, the two axes' and the colour bar's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MapLabels<'a> {
    pub title: &'a str,
    pub x: &'a str,
    pub y: &'a str,
    pub bar: &'a str,
}

/// How a heat map is laid out: for a map over space, one unit as long across as up
/// (matplotlib's `set_aspect('equal')`: a square domain in square axes), and which ends of the colour bar end
/// in a triangle because values beyond them were clamped (matplotlib's `colorbar(extend=…)`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MapStyle {
    pub equal_aspect: bool,
    /// Values below the colour range were clamped to it.
    pub extend_min: bool,
    /// Values above the colour range were clamped to it.
    pub extend_max: bool,
}

/// Draws `grid` as a heat map with its colours spanning the data's range, and `sets` of lines
/// on top, named in a legend right of the colour bar.
pub(crate) fn heat_map(
    grid: &Grid,
    style: MapStyle,
    labels: MapLabels<'_>,
    sets: &[LineSet<'_>],
) -> Result<Figure, PlotError> {
    let colours = grid.finite_range().unwrap_or((0.0, 1.0));
    heat_map_at(grid, colours, DENSITY, style, labels, sets)
}

/// [`heat_map`] with the colour bar spanning `colours` (values outside take its end colours,
/// and its ends gain `extend` triangles), at `density`: the form a figure whose colour scale a
/// sweep shares draws with.
pub(crate) fn heat_map_at(
    grid: &Grid,
    colours: (f64, f64),
    density: u32,
    style: MapStyle,
    labels: MapLabels<'_>,
    sets: &[LineSet<'_>],
) -> Result<Figure, PlotError> {
    let (lo, hi) = colours;
    let hi = if hi > lo { hi } else { lo + 1.0 };
    // Data beyond the colour range (a sweep's shared range is wider, never narrower, than a
    // frame's own) is clamped too.
    let data = grid.finite_range().unwrap_or((lo, hi));
    let style = MapStyle {
        extend_min: style.extend_min || data.0 < lo,
        extend_max: style.extend_max || data.1 > hi,
        ..style
    };
    let mut legend = Legend::default();
    for set in sets {
        let LineStyle {
            color,
            width,
            dashed,
        } = set.style;
        let marker = 0;
        legend.entry(
            set.name,
            Swatch::Line {
                color,
                width,
                dashed,
                marker,
            },
        );
    }
    let aspect = (grid.x1 - grid.x0) / (grid.y1 - grid.y0);
    let layout = Layout::new(style, aspect, (lo, hi), labels.bar, &legend)?;
    Figure::render_at(layout.width, SIZE.1, density, |root| {
        draw(root, grid, (lo, hi), style, &layout, labels, sets, &legend)
    })
}

/// Where a heat map's parts go (canvas pixels): the plot, the colour bar's left edge, the
/// legend's box, and the figure's width that holds them.
struct Layout {
    width: u32,
    plot: Region,
    bar_left: i32,
    legend: Option<(i32, i32, i32, i32)>,
}

impl Layout {
    /// The plot as a chart lays it out left of the colour bar (for `equal_aspect`, shrunk to
    /// width / height = `aspect` and centred in the room it had), the colour bar [`BAR_PAD`] right of it, then
    /// its tick labels and label, then the legend, top-aligned with the plot (matplotlib's
    /// `legend(loc='upper left', bbox_to_anchor=(1.02, 1))` beside a colour bar).
    fn new(
        style: MapStyle,
        aspect: f64,
        (lo, hi): (f64, f64),
        bar_label: &str,
        legend: &Legend,
    ) -> Result<Layout, PlotError> {
        let mut canvas = Canvas::new(SIZE.0, SIZE.1, 1)?;
        let mut root = Area::new(&mut canvas);
        let (main, _) = root.region.split_at_x(BAR_AREA);
        let mut plot = Chart::new(&root.at(main), true, (0.0, 1.0), (0.0, 1.0)).plot;
        if style.equal_aspect && aspect.is_finite() && aspect > 0.0 {
            let (w, h) = plot.size();
            let (w, h) = (f64::from(w), f64::from(h));
            let (fw, fh) = if w > h * aspect {
                ((h * aspect).round(), h)
            } else {
                (w, (w / aspect).round())
            };
            plot.x0 += ((w - fw) / 2.0) as i32;
            plot.y0 += ((h - fh) / 2.0) as i32;
            plot.x1 = plot.x0 + fw as i32;
            plot.y1 = plot.y0 + fh as i32;
        }
        let bar_left = plot.x1 + BAR_PAD;
        let (top, bottom) = bar_span(style, (plot.y0, plot.y1 - 1));
        let widest = bar_ticks((lo, hi), (top, bottom))
            .iter()
            .map(|(_, tick)| text::measure(tick, TICK_FONT).0)
            .max()
            .unwrap_or(0);
        let label = if bar_label.is_empty() {
            0
        } else {
            text::measure(bar_label, LABEL_FONT).1
        };
        let mut right = bar_left + BAR_WIDTH + 10 + widest + label + 12;
        let legend = legend.size().map(|(w, h)| {
            let at = (right, plot.y0, right + w, plot.y0 + h);
            right = at.2 + 12;
            at
        });
        Ok(Layout {
            width: right.max(SIZE.1 as i32) as u32,
            plot,
            bar_left,
            legend,
        })
    }
}

/// The heat map onto `root`, its colours spanning `lo..=hi`.
#[allow(clippy::too_many_arguments)]
fn draw(
    root: &mut Area<'_>,
    grid: &Grid,
    (lo, hi): (f64, f64),
    style: MapStyle,
    layout: &Layout,
    labels: MapLabels<'_>,
    sets: &[LineSet<'_>],
    legend: &Legend,
) -> Result<(), PlotError> {
    let x = Axis::linear(grid.x0, grid.x1, labels.x);
    let y = Axis::linear(grid.y0, grid.y1, labels.y);
    let view = Rect {
        x0: grid.x0,
        x1: grid.x1,
        y0: grid.y0,
        y1: grid.y1,
    };
    let (xr, yr) = (x.range(), y.range());
    let mut chart = Chart::new(root, true, (xr.start, xr.end), (yr.start, yr.end));
    chart.plot = layout.plot;
    let map = PixelMap::new(&chart, false);
    let plot = plot_box(&chart);
    let (first, last) = (map.at((grid.x0, grid.y0)), map.at((grid.x1, grid.y1)));
    root.draw(&Cells {
        values: grid.values().to_vec(),
        range: (lo, hi),
        n: (grid.nx, grid.ny),
        first,
        last,
        rect: plot,
    });
    for set in sets {
        let mut shapes = Shapes::new(set.style.color, set.style.width as f32);
        if set.style.dashed {
            shapes = shapes.dashed(DASH.0 as f32, DASH.1 as f32);
        }
        for line in set.lines {
            for piece in view.clip_polyline(line) {
                shapes.line(&map.all(&piece));
            }
        }
        root.draw(&shapes);
    }
    draw_axes(root, &chart, &x, &y, labels.title);
    if let Some((x0, y0, _, _)) = layout.legend {
        legend.draw_at(root, (x0, y0));
    }
    colour_bar(
        root,
        (layout.bar_left, (plot.1, plot.3 - 1)),
        (lo, hi),
        style,
        labels.bar,
    );
    Ok(())
}

/// The plotting area's box (left, top, right, bottom) in canvas pixels.
fn plot_box(chart: &Chart) -> (i32, i32, i32, i32) {
    let p = chart.plot;
    (p.x0, p.y0, p.x1, p.y1)
}

/// The rows of a colour bar from `top` to `bottom` (its whole height) that show colours, less
/// the extend triangles: each as long as 5 % of those rows (matplotlib's `extendfrac`).
fn bar_span(style: MapStyle, (top, bottom): (i32, i32)) -> (i32, i32) {
    let ends = i32::from(style.extend_min) + i32::from(style.extend_max);
    let tip = extend_length(bottom - top, ends);
    (
        top + if style.extend_max { tip } else { 0 },
        bottom - if style.extend_min { tip } else { 0 },
    )
}

/// The length of one extend triangle on a bar `length` px long with `ends` triangles.
fn extend_length(length: i32, ends: i32) -> i32 {
    (f64::from(length) * 0.05 / (1.0 + 0.05 * f64::from(ends))).round() as i32
}

/// The colour bar's ticks at round values of `lo..=hi` and their labels, on the rows
/// `top..=bottom`.
fn bar_ticks((lo, hi): (f64, f64), (top, bottom): (i32, i32)) -> Vec<(f64, String)> {
    let ticks = axis_ticks(lo, hi, f64::from(bottom - top), Y_TICK_SPACE);
    let labels = format_ticks(&ticks);
    ticks.into_iter().zip(labels).collect()
}

/// The colour bar from column `l` and rows `top..=bottom` (canvas pixels): the colours from
/// `lo` (bottom) to `hi`, shaded continuously; a triangle in the end colour at each end whose
/// values were clamped; a frame; ticks at round values on the right, and its label.
fn colour_bar(
    root: &mut Area<'_>,
    (l, (top, bottom)): (i32, (i32, i32)),
    (lo, hi): (f64, f64),
    style: MapStyle,
    label: &str,
) {
    let r = l + BAR_WIDTH;
    let fr = r - 1;
    let (itop, ibottom) = bar_span(style, (top, bottom));
    root.draw(&Cells {
        values: vec![0.0, 1.0],
        range: (0.0, 1.0),
        n: (1, 2),
        first: (l as f32, ibottom as f32 + 1.0),
        last: (r as f32, itop as f32),
        rect: (l, itop, r, ibottom + 1),
    });
    let (lf, rf, mid) = (l as f32, r as f32, (l + r) as f32 / 2.0);
    let mut outline = vec![(l, itop)];
    if style.extend_max {
        let mut tip = Shapes::new(magma(1.0), 1.0);
        tip.polygon(&[(lf, itop as f32), (rf, itop as f32), (mid, top as f32)]);
        root.draw(&tip);
        outline.push(((l + fr) / 2, top));
    }
    outline.extend([(fr, itop), (fr, ibottom)]);
    if style.extend_min {
        let mut tip = Shapes::new(magma(0.0), 1.0);
        let base = ibottom as f32 + 1.0;
        tip.polygon(&[(lf, base), (rf, base), (mid, bottom as f32 + 1.0)]);
        root.draw(&tip);
        outline.push(((l + fr) / 2, bottom));
    }
    outline.push((l, ibottom));
    let black = Color::BLACK;
    root.stroke(&outline, black, 1, true);
    let axis = TickAxis {
        horizontal: false,
        x: l,
        y: ibottom,
    };
    let text_style = TextStyle::new(TICK_FONT).align(Align::Start, Align::Centre);
    let mut widest = 0;
    for (value, tick) in bar_ticks((lo, hi), (itop, ibottom)) {
        let y = f64::from(ibottom) - (value - lo) / (hi - lo) * f64::from(ibottom - itop);
        let y = y.round() as i32;
        root.stroke(&[(fr, y), (fr + 4, y)], black, 1, false);
        widest = widest.max(text::measure(&tick, TICK_FONT).0);
        root.text(&tick, (fr + 6, y), text_style, Some(axis));
    }
    if !label.is_empty() {
        let label_style = TextStyle::new(LABEL_FONT)
            .vertical()
            .align(Align::Start, Align::Centre);
        root.text(
            label,
            (fr + 10 + widest, (top + bottom) / 2),
            label_style,
            None,
        );
    }
}

/// A function sampled at `n.0 × n.1` points, row after row from the bottom, whose first and
/// last sample sit at `first` and `last` (canvas pixels), shaded over `rect` (left, top, right,
/// bottom) in magma from `range.0` to `range.1`. Each device pixel takes the value
/// interpolated bilinearly between the four samples around its centre (matplotlib's
/// `imshow(interpolation='bilinear')`, interpolating the data before the colour map), clamped
/// to the outermost samples beyond them; its colour is the nearest of [`SHADES`] shades.
struct Cells {
    values: Vec<f64>,
    range: (f64, f64),
    n: (usize, usize),
    first: (f32, f32),
    last: (f32, f32),
    rect: (i32, i32, i32, i32),
}

/// Along one side: for device pixel `p`, the sample below its centre and the weight of the one
/// after it.
fn weights(p: i32, scale: i32, (first, last): (f32, f32), n: usize) -> (usize, f64) {
    if n < 2 || last == first {
        return (0, 0.0);
    }
    let logical = (p as f32 + 0.5) / scale as f32;
    let t = f64::from((logical - first) / (last - first)) * (n - 1) as f64;
    let t = t.clamp(0.0, (n - 1) as f64);
    let i = (t.floor() as usize).min(n - 2);
    (i, t - i as f64)
}

impl Drawable for Cells {
    fn draw_on(&self, canvas: &mut Canvas) {
        let s = canvas.scale as i32;
        let (w, h) = (canvas.pixmap.width() as i32, canvas.pixmap.height() as i32);
        let (l, t, r, b) = self.rect;
        let (x0, x1) = ((l * s).clamp(0, w), (r * s).clamp(0, w));
        let (y0, y1) = ((t * s).clamp(0, h), (b * s).clamp(0, h));
        let (nx, ny) = self.n;
        if nx == 0 || ny == 0 || self.values.len() < nx * ny {
            return;
        }
        let (lo, hi) = self.range;
        let span = if hi > lo { hi - lo } else { 1.0 };
        let shades: Vec<[u8; 4]> = (0..SHADES)
            .map(|k| {
                let Color(r, g, b) = magma(k as f64 / (SHADES - 1) as f64);
                [r, g, b, 255]
            })
            .collect();
        // A NaN ratio casts to shade 0, the low end.
        let top = (SHADES - 1) as f64;
        let shade = |v: f64| shades[(((v - lo) / span).clamp(0.0, 1.0) * top).round() as usize];
        let columns: Vec<(usize, f64)> = (x0..x1)
            .map(|x| weights(x, s, (self.first.0, self.last.0), nx))
            .collect();
        let next = |i: usize, n: usize| (i + 1).min(n - 1);
        let mut row = vec![0.0; nx];
        let data = canvas.pixmap.data_mut();
        for y in y0..y1 {
            let (j, g) = weights(y, s, (self.first.1, self.last.1), ny);
            let (below, above) = (
                &self.values[j * nx..][..nx],
                &self.values[next(j, ny) * nx..],
            );
            for (v, (a, b)) in row.iter_mut().zip(below.iter().zip(above)) {
                *v = a + g * (b - a);
            }
            let start = 4 * (y as usize * w as usize + x0 as usize);
            for (px, &(i, f)) in data[start..start + 4 * columns.len()]
                .chunks_exact_mut(4)
                .zip(&columns)
            {
                let (a, b) = (row[i], row[next(i, nx)]);
                px.copy_from_slice(&shade(a + f * (b - a)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The device pixel at `(x, y)`.
    fn at(fig: &Figure, (x, y): (i32, i32)) -> Color {
        let image = fig.image();
        let i = 3 * (y as usize * image.width as usize + x as usize);
        Color(image.data[i], image.data[i + 1], image.data[i + 2])
    }

    /// The layout `heat_map_at` gives `grid` without lines.
    fn layout_of(grid: &Grid, style: MapStyle, colours: (f64, f64)) -> Layout {
        let aspect = (grid.x1 - grid.x0) / (grid.y1 - grid.y0);
        Layout::new(style, aspect, colours, "bar", &Legend::default()).unwrap()
    }

    fn labels() -> MapLabels<'static> {
        MapLabels {
            title: "",
            x: "x",
            y: "y",
            bar: "bar",
        }
    }

    /// A grid whose value runs from 0 (left) to 1 (right).
    fn ramp(n: (usize, usize)) -> Grid {
        Grid::sample((0.0, 1.0), (-3.0, 3.0), n, |x, _| x)
    }

    #[test]
    fn the_colour_bar_and_the_map_shade_in_hundreds_of_colours() {
        let grid = ramp((80, 120));
        let fig = heat_map(&grid, MapStyle::default(), labels(), &[]).unwrap();
        let layout = layout_of(&grid, MapStyle::default(), (0.0, 1.0));
        let d = fig.density() as i32;
        let p = layout.plot;
        let distinct = |pixels: Vec<Color>| {
            let mut v: Vec<(u8, u8, u8)> = pixels.iter().map(|c| (c.0, c.1, c.2)).collect();
            v.sort_unstable();
            v.dedup();
            v.len()
        };
        // As the notebook shows it: the pixels its PNG holds.
        let shown = crate::plot::canvas::Rgb::from_png(fig.png()).unwrap();
        let at = |(x, y): (i32, i32)| {
            let i = 3 * (y as usize * shown.width as usize + x as usize);
            Color(shown.data[i], shown.data[i + 1], shown.data[i + 2])
        };
        let cx = d * (layout.bar_left + BAR_WIDTH / 2);
        let bar = distinct(
            (d * p.y0 + 3..d * (p.y1 - 1) - 3)
                .map(|y| at((cx, y)))
                .collect(),
        );
        // 64 bands of a 256-colour palette gave 60-65.
        assert!(bar > 200, "{bar} colours on the colour bar");
        let cy = d * (p.y0 + p.y1) / 2;
        let row = distinct((d * p.x0 + 3..d * p.x1 - 3).map(|x| at((x, cy))).collect());
        assert!(row > 200, "{row} colours across the map");
        // Within a figure's budget.
        let png = fig.png();
        assert!(png.len() <= 250_000, "{} bytes", png.len());
    }

    #[test]
    fn no_cell_shows_as_a_block_at_2x() {
        // 80 samples across ~600 px: nearest-cell drawing showed runs of 15 device px.
        let grid = ramp((80, 120));
        let fig = heat_map(&grid, MapStyle::default(), labels(), &[]).unwrap();
        assert_eq!(fig.density(), 2);
        let p = layout_of(&grid, MapStyle::default(), (0.0, 1.0)).plot;
        let y = p.y0 + p.y1;
        let row: Vec<Color> = (2 * p.x0 + 2..2 * p.x1 - 2)
            .map(|x| at(&fig, (x, y)))
            .collect();
        let mut longest = 1;
        let mut run = 1;
        for w in row.windows(2) {
            run = if w[0] == w[1] { run + 1 } else { 1 };
            longest = longest.max(run);
        }
        assert!(longest <= 8, "a run of {longest} device px of one colour");
    }

    #[test]
    fn a_spatial_map_has_equal_aspect() {
        for (x1, ratio) in [(8.0, 1.0), (24.0, 2.0)] {
            let grid = Grid::sample((-8.0, x1), (-8.0, 8.0), (40, 40), |_, _| 0.5);
            let style = MapStyle {
                equal_aspect: true,
                ..MapStyle::default()
            };
            let fig = heat_map_at(&grid, (0.0, 1.0), 2, style, labels(), &[]).unwrap();
            let p = layout_of(&grid, style, (0.0, 1.0)).plot;
            let centre = (p.x0 + p.x1, p.y0 + p.y1);
            let fill = at(&fig, centre);
            let run = |step: (i32, i32)| {
                let mut n = 0;
                let mut q = centre;
                while at(&fig, q) == fill {
                    n += 1;
                    q = (q.0 + step.0, q.1 + step.1);
                }
                n
            };
            let w = run((1, 0)) + run((-1, 0)) - 1;
            let h = run((0, 1)) + run((0, -1)) - 1;
            assert!(h > 500, "{h} px high");
            let aspect = f64::from(w) / f64::from(h);
            assert!((aspect - ratio).abs() < 0.01, "{w} × {h} device px");
        }
    }

    #[test]
    fn the_colour_bar_ends_in_a_triangle_only_where_values_were_clamped() {
        let grid = ramp((20, 20));
        let style = MapStyle::default();
        // Colours from 0.2: the values below are clamped (as by `extend_min`).
        for (lo, clamped) in [(0.2, true), (0.0, false)] {
            let fig = heat_map_at(&grid, (lo, 1.0), 2, style, labels(), &[]).unwrap();
            let layout = layout_of(&grid, style, (0.0, 1.0));
            let (l, p) = (2 * layout.bar_left, layout.plot);
            let bottom = 2 * (p.y1 - 1);
            let corner = at(&fig, (l + 3, bottom - 2));
            let tip = at(&fig, (l + BAR_WIDTH, bottom - 2));
            let dark = |c: Color| u32::from(c.0) + u32::from(c.1) + u32::from(c.2) < 60;
            assert!(dark(tip), "{tip:?} at the bottom centre");
            assert_eq!(corner == Color::WHITE, clamped, "{corner:?} in the corner");
            // The top end is never clamped here: its corner is coloured.
            let top = at(&fig, (l + 3, 2 * p.y0 + 2));
            assert_ne!(top, Color::WHITE);
        }
        let extended = MapStyle {
            extend_max: true,
            ..style
        };
        let fig = heat_map_at(&grid, (0.0, 1.0), 2, extended, labels(), &[]).unwrap();
        let layout = layout_of(&grid, extended, (0.0, 1.0));
        let top = at(&fig, (2 * layout.bar_left + 3, 2 * layout.plot.y0 + 2));
        assert_eq!(top, Color::WHITE);
    }

    #[test]
    fn the_legend_sits_beside_the_map_never_over_it() {
        // A dark map with a black line: a legend box over it would show its pale fill.
        let grid = Grid::sample((-3.0, 3.0), (-3.0, 3.0), (30, 30), |_, _| 0.0);
        let line = vec![vec![(-2.0, -2.0), (2.0, 2.0)]];
        let sets = [LineSet {
            name: "a line",
            lines: &line,
            style: LineStyle {
                color: Color::BLACK,
                width: 2,
                dashed: false,
            },
        }];
        let style = MapStyle {
            equal_aspect: true,
            ..MapStyle::default()
        };
        let fig = heat_map_at(&grid, (0.0, 1.0), 2, style, labels(), &sets).unwrap();
        let mut legend = Legend::default();
        legend.entry("a line", Swatch::Blank);
        let layout = Layout::new(style, 1.0, (0.0, 1.0), "bar", &legend).unwrap();
        let p = layout.plot;
        let pale = (2 * p.y0 + 2..2 * p.y1 - 2)
            .flat_map(|y| (2 * p.x0 + 2..2 * p.x1 - 2).map(move |x| (x, y)))
            .filter(|&q| at(&fig, q).1 > 100)
            .count();
        assert_eq!(pale, 0, "pale pixels over the map");
        let (x0, y0, ..) = layout.legend.unwrap();
        assert!(x0 > layout.bar_left + BAR_WIDTH);
        assert!(
            at(&fig, (2 * x0 + 12, 2 * y0 + 12)).1 > 200,
            "the legend's fill"
        );
    }
}
