//! Drawings plotters can't express: many shapes at exact (unrounded) positions drawn as one
//! path, and text turned to any angle. Both draw straight on the [`Canvas`](super::canvas)
//! behind a drawing area, with `area.draw(&element)`.

use std::convert::Infallible;

use plotters::element::Drawable;
use plotters::prelude::RGBColor;
use plotters_backend::{BackendCoord, DrawingErrorKind};
use tiny_skia::{FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform};

use super::canvas::SkiaBackend;
use super::text;
use super::text_box::TextBox;

/// Lets `area.draw(&x)` take the given types, which paint straight on the canvas: plotters asks
/// every element for the points it should map, and these have none.
macro_rules! paints_on_canvas {
    ($($t:ty),+) => {$(
        impl<'a, C: 'a> plotters::element::PointCollection<'a, C> for &'a $t {
            type Point = &'a C;
            type IntoIter = std::iter::Empty<&'a C>;
            fn point_iter(self) -> Self::IntoIter {
                std::iter::empty()
            }
        }
    )+};
}
pub(crate) use paints_on_canvas;

paints_on_canvas!(Shapes, TurnedText);

/// Many shapes of one colour in exact (unrounded) canvas coordinates, in logical pixels (plotters
/// rounds every point to a whole pixel): polylines stroked `width` px wide, polygons and circles
/// filled. Each kind is drawn as one path, so thousands of arrows cost two path draws, not
/// thousands. Draw it on any area of the canvas with `area.draw(&shapes)`; its coordinates
/// ignore the area's origin.
pub(crate) struct Shapes {
    color: RGBColor,
    width: f32,
    dash: Option<(f32, f32)>,
    lines: PathBuilder,
    fills: PathBuilder,
}

impl Shapes {
    /// No shapes yet, in `color`, lines `width` px wide.
    pub(crate) fn new(color: RGBColor, width: f32) -> Shapes {
        Shapes {
            color,
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

    /// A disc of radius `r` around `(x, y)` (filled).
    pub(crate) fn disc(&mut self, (x, y): (f32, f32), r: f32) {
        self.fills.push_circle(x, y, r);
    }
}

impl<'b> Drawable<SkiaBackend<'b>> for Shapes {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        backend: &mut SkiaBackend<'b>,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let RGBColor(r, g, b) = self.color;
        let mut paint = Paint::default();
        paint.set_color_rgba8(r, g, b, 255);
        paint.anti_alias = true;
        let t = backend.canvas.transform();
        let pixmap = &mut backend.canvas.pixmap;
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
        Ok(())
    }
}

/// A line of text (markup) at an exact centre (logical pixels), turned `angle` degrees
/// counter-clockwise as the reader sees it; recorded with its turned box like all text.
pub(crate) struct TurnedText {
    pub(crate) text: String,
    pub(crate) centre: (f32, f32),
    pub(crate) angle: f64,
    pub(crate) size: f32,
    pub(crate) color: RGBColor,
}

impl TurnedText {
    /// Its size (width, height) in logical pixels.
    pub(crate) fn size(&self) -> (f64, f64) {
        let layout = text::layout(&self.text, self.size);
        (f64::from(layout.width), f64::from(layout.height))
    }
}

impl<'b> Drawable<SkiaBackend<'b>> for TurnedText {
    /// Rasterizes the text upright into a mask at device resolution, then draws the mask
    /// turned, sampled bilinearly.
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        _: I,
        backend: &mut SkiaBackend<'b>,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let canvas = &mut *backend.canvas;
        let s = canvas.scale as f32;
        let layout = text::layout(&self.text, self.size * s);
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
            return Ok(());
        };
        let RGBColor(r, g, b) = self.color;
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::canvas::Canvas;
    use plotters::prelude::*;

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

    /// Times drawing the arrows one path each (through plotters' elements, as the field did)
    /// and batched into one [`Shapes`], in one run:
    /// `cargo test --release --lib batched_arrows -- --ignored --nocapture`.
    #[test]
    #[ignore = "a timing, not a check"]
    fn batched_arrows_against_one_path_each() {
        let arrows = arrow_field();
        let round = |p: (f32, f32)| (p.0.round() as i32, p.1.round() as i32);
        for density in [1, 2] {
            let mut best = [f64::INFINITY; 3];
            for _ in 0..7 {
                let mut canvas = Canvas::new(700, 700, density).unwrap();
                let t = std::time::Instant::now();
                canvas
                    .draw(|root| {
                        for a in &arrows {
                            let grey = RGBColor(64, 64, 64);
                            root.draw(&PathElement::new(vec![round(a[0]), round(a[1])], grey))
                                .map_err(crate::plot::axes::drawing)?;
                            root.draw(&Polygon::new(
                                vec![round(a[2]), round(a[3]), round(a[4])],
                                grey.filled(),
                            ))
                            .map_err(crate::plot::axes::drawing)?;
                        }
                        Ok(())
                    })
                    .unwrap();
                best[0] = best[0].min(t.elapsed().as_secs_f64() * 1e3);
                let mut canvas = Canvas::new(700, 700, density).unwrap();
                let t = std::time::Instant::now();
                canvas
                    .draw(|root| {
                        let mut shapes = Shapes::new(RGBColor(64, 64, 64), 1.0);
                        for a in &arrows {
                            shapes.line(&a[..2]);
                            shapes.polygon(&a[2..]);
                        }
                        root.draw(&shapes).map_err(crate::plot::axes::drawing)
                    })
                    .unwrap();
                best[1] = best[1].min(t.elapsed().as_secs_f64() * 1e3);
                let mut canvas = Canvas::new(700, 700, density).unwrap();
                let t = std::time::Instant::now();
                canvas
                    .draw(|root| {
                        let mut shapes = Shapes::new(RGBColor(64, 64, 64), 1.0);
                        for a in &arrows {
                            let (dx, dy) = (a[1].0 - a[0].0, a[1].1 - a[0].1);
                            let n = dx.hypot(dy).max(1e-6);
                            let (nx, ny) = (-0.5 * dy / n, 0.5 * dx / n);
                            shapes.polygon(&[
                                (a[0].0 + nx, a[0].1 + ny),
                                (a[1].0 + nx, a[1].1 + ny),
                                a[3],
                                a[2],
                                a[4],
                                (a[1].0 - nx, a[1].1 - ny),
                                (a[0].0 - nx, a[0].1 - ny),
                            ]);
                        }
                        root.draw(&shapes).map_err(crate::plot::axes::drawing)
                    })
                    .unwrap();
                best[2] = best[2].min(t.elapsed().as_secs_f64() * 1e3);
            }
            println!(
                "density {density}: 2500 arrows one path each {:.1} ms, batched {:.1} ms ({:.1}x), \
                 as one filled outline each {:.1} ms ({:.1}x)",
                best[0],
                best[1],
                best[0] / best[1],
                best[2],
                best[0] / best[2]
            );
        }
    }
}
