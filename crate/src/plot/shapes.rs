//! Drawings in exact (unrounded) canvas coordinates: many shapes drawn as one path, and text
//! turned to any angle. Both paint straight on the [`Canvas`], with `area.draw(&item)`.

use tiny_skia::{FillRule, LineCap, LineJoin, PathBuilder, Pixmap, Stroke, Transform};

use super::canvas::{Canvas, Drawable};
use super::color::Color;
use super::text;
use super::text_box::TextBox;

/// Many shapes of one colour in exact (unrounded) canvas coordinates, in logical pixels:
/// polylines stroked `width` px wide, polygons and circles
/// filled. Each kind is drawn as one path, so thousands of arrows cost two path draws, not
/// thousands. Draw it on any area of the canvas with `area.draw(&shapes)`; its coordinates
/// ignore the area's origin.
pub(crate) struct Shapes {
    color: Color,
    alpha: f64,
    width: f32,
    dash: Option<(f32, f32)>,
    lines: PathBuilder,
    fills: PathBuilder,
}

impl Shapes {
    /// No shapes yet, in `color`, lines `width` px wide.
    pub(crate) fn new(color: Color, width: f32) -> Shapes {
        Shapes {
            color,
            alpha: 1.0,
            width,
            dash: None,
            lines: PathBuilder::new(),
            fills: PathBuilder::new(),
        }
    }

    /// Lines dashed: `on` px drawn, `off` px skipped.
    pub(crate) fn dashed(mut self, on: f32, off: f32) -> Shapes {
        self.dash = Some((on, off));
        self
    }

    /// Drawn at opacity `alpha` (0 to 1). Each kind is one path, so a pixel two overlapping
    /// or abutting shapes cover is blended once, not twice.
    pub(crate) fn alpha(mut self, alpha: f64) -> Shapes {
        self.alpha = alpha;
        self
    }

    /// A polyline through `points` (stroked).
    pub(crate) fn line(&mut self, points: &[(f32, f32)]) {
        if let Some((&(x, y), rest)) = points.split_first() {
            self.lines.move_to(x, y);
            for &(x, y) in rest {
                self.lines.line_to(x, y);
            }
        }
    }

    /// A polygon with corners `points` (filled).
    pub(crate) fn polygon(&mut self, points: &[(f32, f32)]) {
        if let Some((&(x, y), rest)) = points.split_first() {
            self.fills.move_to(x, y);
            for &(x, y) in rest {
                self.fills.line_to(x, y);
            }
            self.fills.close();
        }
    }

    /// A rectangle `(x0, y0)`–`(x1, y1)` with corners rounded to radius `r`: filled, or
    /// stroked as a closed outline if `outline`.
    pub(crate) fn rounded_rect(
        &mut self,
        (x0, y0, x1, y1): (f32, f32, f32, f32),
        r: f32,
        outline: bool,
    ) {
        let pb = if outline {
            &mut self.lines
        } else {
            &mut self.fills
        };
        let r = r
            .min(0.5 * (x1 - x0).abs())
            .min(0.5 * (y1 - y0).abs())
            .max(0.0);
        // A quarter circle as one cubic: control points at 1 − 0.5523 of the radius.
        let k = r * (1.0 - 0.552_284_8);
        pb.move_to(x0 + r, y0);
        pb.line_to(x1 - r, y0);
        pb.cubic_to(x1 - k, y0, x1, y0 + k, x1, y0 + r);
        pb.line_to(x1, y1 - r);
        pb.cubic_to(x1, y1 - k, x1 - k, y1, x1 - r, y1);
        pb.line_to(x0 + r, y1);
        pb.cubic_to(x0 + k, y1, x0, y1 - k, x0, y1 - r);
        pb.line_to(x0, y0 + r);
        pb.cubic_to(x0, y0 + k, x0 + k, y0, x0 + r, y0);
        pb.close();
    }

    /// A disc of radius `r` around `(x, y)` (filled).
    pub(crate) fn disc(&mut self, (x, y): (f32, f32), r: f32) {
        self.fills.push_circle(x, y, r);
    }
}

impl Drawable for Shapes {
    fn draw_on(&self, canvas: &mut Canvas) {
        let Some(paint) = self.color.paint(self.alpha) else {
            return;
        };
        let t = canvas.transform();
        let pixmap = &mut canvas.pixmap;
        if let Some(path) = self.lines.clone().finish() {
            let stroke = Stroke {
                width: self.width,
                line_cap: LineCap::Butt,
                line_join: LineJoin::Miter,
                dash: self
                    .dash
                    .and_then(|(on, off)| tiny_skia::StrokeDash::new(vec![on, off], 0.0)),
                ..Stroke::default()
            };
            pixmap.stroke_path(&path, &paint, &stroke, t, None);
        }
        if let Some(path) = self.fills.clone().finish() {
            pixmap.fill_path(&path, &paint, FillRule::Winding, t, None);
        }
    }
}

/// A line of text (markup) at an exact centre (logical pixels), turned `angle` degrees
/// counter-clockwise as the reader sees it; recorded with its turned box like all text.
pub(crate) struct TurnedText {
    pub(crate) text: String,
    pub(crate) centre: (f32, f32),
    pub(crate) angle: f64,
    /// Font size in points.
    pub(crate) size: f32,
    pub(crate) color: Color,
}

impl TurnedText {
    /// Its size (width, height) in logical pixels.
    pub(crate) fn size(&self) -> (f64, f64) {
        let layout = text::layout(&self.text, text::em_px(self.size));
        (f64::from(layout.width), f64::from(layout.height))
    }
}

impl Drawable for TurnedText {
    /// Rasterizes the text upright into a mask at device resolution, then draws the mask
    /// turned, sampled bilinearly.
    fn draw_on(&self, canvas: &mut Canvas) {
        let s = canvas.scale as f32;
        let layout = text::layout(&self.text, text::em_px(self.size) * s);
        let (w, h) = (layout.width / s, layout.height / s);
        let (cx, cy) = self.centre;
        canvas.texts.push(TextBox {
            text: text::plain(&self.text),
            x0: f64::from(cx - w / 2.0),
            y0: f64::from(cy - h / 2.0),
            x1: f64::from(cx + w / 2.0),
            y1: f64::from(cy + h / 2.0),
            angle: self.angle,
            axis: None,
        });
        // One transparent pixel of border keeps the bilinear edges soft.
        let (mw, mh) = (
            layout.width.ceil() as u32 + 2,
            layout.height.ceil() as u32 + 2,
        );
        let Some(mut mask) = Pixmap::new(mw, mh) else {
            return;
        };
        let Color(r, g, b) = self.color;
        let pixels = mask.pixels_mut();
        text::rasterize(&layout, |x, y, c| {
            let (x, y) = (x + 1, y + 1);
            if x >= 0 && y >= 0 && (x as u32) < mw && (y as u32) < mh {
                let i = y as usize * mw as usize + x as usize;
                let a = ((c.clamp(0.0, 1.0) * 255.0).round() as u8).max(pixels[i].alpha());
                pixels[i] = tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
            }
        });
        let transform = Transform::from_translate(cx * s, cy * s)
            .pre_rotate(-self.angle as f32)
            .pre_translate(-(mw as f32) / 2.0, -(mh as f32) / 2.0);
        let paint = tiny_skia::PixmapPaint {
            quality: tiny_skia::FilterQuality::Bilinear,
            ..tiny_skia::PixmapPaint::default()
        };
        canvas
            .pixmap
            .draw_pixmap(0, 0, mask.as_ref(), &paint, transform, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2 500 arrows (shaft and head) over a 700 × 700 canvas, in logical pixels.
    fn arrow_field() -> Vec<[(f32, f32); 5]> {
        (0..2500)
            .map(|k| {
                let (x, y) = (60.0 + (k % 50) as f32 * 12.3, 60.0 + (k / 50) as f32 * 12.3);
                let t = k as f32 * 0.37;
                let (dx, dy) = (9.0 * t.cos(), 9.0 * t.sin());
                let base = (x + 0.65 * dx, y + 0.65 * dy);
                let wing = |s: f32| (base.0 - s * 0.175 * dy, base.1 + s * 0.175 * dx);
                [(x, y), base, (x + dx, y + dy), wing(1.0), wing(-1.0)]
            })
            .collect()
    }

    /// Times drawing the arrows one path each and batched into one [`Shapes`], in one run:
    /// `cargo test --release --lib batched_arrows -- --ignored --nocapture`.
    #[test]
    #[ignore = "a timing, not a check"]
    fn batched_arrows_against_one_path_each() {
        let arrows = arrow_field();
        let grey = Color(64, 64, 64);
        for density in [1, 2] {
            let mut best = [f64::INFINITY; 2];
            for _ in 0..7 {
                let mut canvas = Canvas::new(700, 700, density).unwrap();
                let t = std::time::Instant::now();
                for a in &arrows {
                    let mut shaft = Shapes::new(grey, 1.0);
                    shaft.line(&a[..2]);
                    shaft.draw_on(&mut canvas);
                    let mut head = Shapes::new(grey, 1.0);
                    head.polygon(&a[2..]);
                    head.draw_on(&mut canvas);
                }
                best[0] = best[0].min(t.elapsed().as_secs_f64() * 1e3);
                let mut canvas = Canvas::new(700, 700, density).unwrap();
                let t = std::time::Instant::now();
                let mut shapes = Shapes::new(grey, 1.0);
                for a in &arrows {
                    shapes.line(&a[..2]);
                    shapes.polygon(&a[2..]);
                }
                shapes.draw_on(&mut canvas);
                best[1] = best[1].min(t.elapsed().as_secs_f64() * 1e3);
            }
            println!(
                "density {density}: 2500 arrows one path each {:.1} ms, batched {:.1} ms ({:.1}x)",
                best[0],
                best[1],
                best[0] / best[1],
            );
        }
    }

    #[test]
    fn a_turned_label_is_recorded_with_its_angle_and_painted() {
        let mut canvas = Canvas::new(100, 100, 2).unwrap();
        let label = TurnedText {
            text: "-7.5".into(),
            centre: (50.0, 50.0),
            angle: 30.0,
            size: 11.0,
            color: Color::BLACK,
        };
        label.draw_on(&mut canvas);
        let dark = canvas.to_rgb().pixels().filter(|&p| p < 0x808080).count();
        assert!(dark > 20, "{dark} dark pixels");
        let b = &canvas.into_texts()[0];
        assert_eq!((b.angle, b.text.as_str()), (30.0, "−7.5"));
        assert!((0.5 * (b.x0 + b.x1) - 50.0).abs() < 1e-6);
    }
}
