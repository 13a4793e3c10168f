//! Marks measured on rendered pixels: quiver arrows as wide as matplotlib's and kept inside the
//! plot, histogram bars without seams and with x margins, and legends in matplotlib's rounded
//! frame, off a 2-point line and in one place across a sweep's frames.

use scorelab::plot::{Histograms, LinePlot};
use scorelab::prelude::*;

mod common;
use common::decode_png;

/// A decoded figure: width, height and RGB pixels, rows top to bottom.
struct Image {
    w: usize,
    h: usize,
    px: Vec<[u8; 3]>,
}

impl Image {
    fn of(fig: &Figure) -> Image {
        let (w, h, px) = decode_png(fig.png());
        Image {
            w: w as usize,
            h: h as usize,
            px,
        }
    }

    fn at(&self, x: usize, y: usize) -> [u8; 3] {
        self.px[y * self.w + x]
    }

    /// The plot's frame: the columns of the left and right spines and the rows of the top
    /// and bottom ones (the only long runs of black).
    fn frame(&self) -> (usize, usize, usize, usize) {
        let black = |p: [u8; 3]| p.iter().all(|&c| c < 60);
        let cols: Vec<usize> = (0..self.w)
            .filter(|&x| (0..self.h).filter(|&y| black(self.at(x, y))).count() > self.h * 2 / 5)
            .collect();
        let rows: Vec<usize> = (0..self.h)
            .filter(|&y| (0..self.w).filter(|&x| black(self.at(x, y))).count() > self.w * 2 / 5)
            .collect();
        (cols[0], cols[cols.len() - 1], rows[0], rows[rows.len() - 1])
    }
}

/// A wide Gaussian far to the right: over [-4, 4]² its score points right along y = 0.
fn far_right() -> GaussianMixture {
    GaussianMixture::new(&[1.0], &[[60.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap()
}

fn grey(p: [u8; 3]) -> bool {
    let [r, g, b] = p.map(i32::from);
    (r - g).abs() < 6 && (g - b).abs() < 6 && g < 250
}

#[test]
fn quiver_shafts_are_as_wide_as_matplotlibs_at_the_same_axes_size() {
    let gm = far_right();
    let fig = ScoreField::new(&gm, -4.0..=4.0, -4.0..=4.0)
        .arrows(5)
        .levels(1)
        .normalized(true)
        .size(500, 500)
        .render()
        .unwrap();
    let img = Image::of(&fig);
    let (l, r, t, b) = img.frame();
    // matplotlib's default shaft for 25 arrows: 0.06 / max(8, min(25, √25)) of the axes width.
    let expected = 0.06 / 8.0 * (r - l + 1) as f64;
    // The arrows along y = 0 run through the middle row: the grey runs there.
    let yc = (t + b) / 2;
    let mut runs = Vec::new();
    let mut start = None;
    for x in l + 2..r - 1 {
        match (grey(img.at(x, yc)), start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                if x - s > 20 {
                    runs.push((s, x));
                }
                start = None;
            }
            _ => {}
        }
    }
    assert!(runs.len() >= 2, "arrows along the middle row: {runs:?}");
    // The shaft's width is its coverage summed down a column 30 % along the arrow.
    let mut widths: Vec<f64> = runs
        .iter()
        .map(|&(s, e)| {
            let x = s + (e - s) * 3 / 10;
            (yc - 12..=yc + 12)
                .map(|y| img.at(x, y))
                .filter(|&p| grey(p))
                .map(|p| (255.0 - f64::from(p[1])) / (255.0 - 64.0))
                .sum()
        })
        .collect();
    widths.sort_by(f64::total_cmp);
    let width = widths[widths.len() / 2];
    assert!(
        (width - expected).abs() < 0.3,
        "shaft {width:.2} px, matplotlib's {expected:.2} px ({widths:?})"
    );
}

#[test]
fn no_arrow_pixel_falls_outside_the_plot() {
    let gm = far_right();
    for normalized in [true, false] {
        let fig = ScoreField::new(&gm, -4.0..=4.0, -4.0..=4.0)
            .arrows(9)
            .levels(1)
            .normalized(normalized)
            .size(500, 500)
            .render()
            .unwrap();
        let img = Image::of(&fig);
        let (_, r, t, b) = img.frame();
        // Right of the right spine there is nothing but white: arrows end at the frame.
        let marked: Vec<(usize, usize)> = (t..=b)
            .flat_map(|y| (r + 1..img.w).map(move |x| (x, y)))
            .filter(|&(x, y)| img.at(x, y).iter().any(|&c| c < 250))
            .collect();
        assert!(
            marked.is_empty(),
            "{} pixels right of the frame, first {:?}",
            marked.len(),
            marked.first()
        );
    }
}

/// A histogram of a uniform cloud over [-4, 5] under a wide Gaussian, at density 1.
fn histogram() -> Image {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.5], &[1.5]).unwrap();
    let cloud = Particles::uniform(-4.0..=5.0).draw(20_000, 3).unwrap();
    let fig = Histograms::new(&gm, -4.0..=5.0)
        .panel("uniform", &cloud)
        .bins(50)
        .panel_size(500, 360)
        .density(1)
        .render()
        .unwrap();
    Image::of(&fig)
}

#[test]
fn adjacent_bars_share_an_edge_without_a_darker_seam() {
    let img = histogram();
    let (l, r, _, b) = img.frame();
    // Just above the x axis every bar is filled: along that row, a shared edge must be as
    // light as a bar's inside (each pixel blended once).
    let y = b - 3;
    let (from, to) = (l + (r - l) * 3 / 10, r - (r - l) * 3 / 10);
    let greens: Vec<u8> = (from..to).map(|x| img.at(x, y)[1]).collect();
    let (lo, hi) = (*greens.iter().min().unwrap(), *greens.iter().max().unwrap());
    assert!(
        hi - lo <= 2,
        "green from {lo} to {hi} along the bars: seams where bars meet"
    );
    // 0.6 of orange over white.
    assert!((i32::from(hi) - 201).abs() <= 2, "bar green {hi}");
}

#[test]
fn histogram_data_keep_matplotlibs_x_margins_off_the_spines() {
    let img = histogram();
    let (l, r, t, b) = img.frame();
    // The data span [-4, 5]; the axis 5 % more either side, about 17 px here.
    let margin = (r - l) / 25;
    for y in (t + b) / 2..b - 1 {
        for x in (l + 2..l + margin).chain(r - margin..r - 1) {
            let p = img.at(x, y);
            assert!(
                p.iter().all(|&c| c > 250),
                "pixel ({x}, {y}) is {p:?}: the data reach the spine"
            );
        }
    }
}

/// The box of the legend label `label` (logical pixels).
fn label_box(fig: &Figure, label: &str) -> (f64, f64, f64, f64) {
    let b = fig
        .texts()
        .iter()
        .find(|t| t.text == label)
        .unwrap_or_else(|| panic!("no label {label}"));
    (b.x0, b.y0, b.x1, b.y1)
}

#[test]
fn best_keeps_the_legend_off_a_two_point_line() {
    // A rising curve fills the upper right and lower left. A 2-point line runs from the left
    // edge, below where a legend at the upper left would end, up to the top: across that
    // place's corner, with neither of its points inside it (counting vertices alone, the
    // upper left looks free). The lower right is free of both lines.
    let xs: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    let fig = LinePlot::new("")
        .line("rising", &xs, &xs)
        .dashed("level", &[0.0, 0.2], &[0.78, 1.0])
        .y_range(0.0, 1.0)
        .density(1)
        .render()
        .unwrap();
    let (left, top, _, _) = label_box(&fig, "rising");
    assert!(
        top > f64::from(fig.height()) / 2.0 && left > f64::from(fig.width()) / 2.0,
        "the legend at ({left:.0}, {top:.0}) is not in the lower right, the one place no line crosses"
    );
}

#[test]
fn a_sweep_keeps_its_legend_in_one_place() {
    let xs: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    // The curve turns from rising to falling: on its own, each frame's best corner differs.
    let sweep = Sweep::over("slope", [1.0, 0.0, -1.0], |k| {
        let ys: Vec<f64> = xs.iter().map(|x| 0.5 + k * (x - 0.5)).collect();
        LinePlot::new("")
            .line("curve", &xs, &ys)
            .y_range(0.0, 1.0)
            .density(1)
            .render()
    })
    .unwrap();
    let places: Vec<_> = sweep
        .frames()
        .iter()
        .map(|f| label_box(f, "curve"))
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] == w[1]),
        "the legend moves: {places:?}"
    );
}

#[test]
fn the_legend_frame_has_rounded_corners() {
    let xs: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    let fig = LinePlot::new("")
        .line("low", &xs, &vec![0.0; xs.len()])
        .y_range(-0.1, 1.0)
        .density(1)
        .render()
        .unwrap();
    let img = Image::of(&fig);
    let (x0, y0, x1, y1) = label_box(&fig, "low");
    let (cx, cy) = (((x0 + x1) / 2.0) as usize, ((y0 + y1) / 2.0) as usize);
    let marked = |p: [u8; 3]| p[0] < 245;
    // The outermost column of the frame's right edge, right of the label, and the outermost
    // row of its top edge, above it (the 1.4-px line covers two pixels).
    let first = (x1 as usize + 1..img.w)
        .find(|&x| marked(img.at(x, cy)))
        .unwrap();
    let right = (first..img.w)
        .take_while(|&x| marked(img.at(x, cy)))
        .last()
        .unwrap();
    let first = (0..y0 as usize)
        .rev()
        .find(|&y| marked(img.at(cx, y)))
        .unwrap();
    let top = (0..=first)
        .rev()
        .take_while(|&y| marked(img.at(cx, y)))
        .last()
        .unwrap();
    let darkness = |x: usize, y: usize| 255 - i32::from(img.at(x, y)[0]);
    let edge = darkness(right, cy).min(darkness(cx, top));
    let corner = darkness(right, top);
    assert!(edge >= 25, "edge darkness {edge}");
    assert!(
        corner * 3 < edge,
        "corner ({right}, {top}) darkness {corner} against the edges' {edge}: a square corner"
    );
}
