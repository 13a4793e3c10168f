//! The canvas figures are drawn on: a plotters drawing backend over a tiny-skia pixmap, so
//! lines, polygons, markers and text are anti-aliased, and every piece of text it draws is
//! remembered with its box.
//!
//! plotters lays figures out in whole logical pixels; the canvas draws them `scale` times
//! larger (2 for high-density screens), so edges and glyphs stay smooth at any density.

use std::convert::Infallible;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect as SkRect, Stroke, Transform,
};

use super::text;
pub(crate) use super::text_box::TextBox;
use crate::limits::{self, LimitError};
use crate::plot::PlotError;

/// The drawing area every figure is drawn on.
pub(crate) type Area<'a> = DrawingArea<SkiaBackend<'a>, Shift>;

/// An RGB image, 3 bytes per pixel, rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Rgb {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) data: Vec<u8>,
}

impl Rgb {
    /// The pixels as packed `0xRRGGBB` values.
    pub(crate) fn pixels(&self) -> impl Iterator<Item = u32> + '_ {
        self.data
            .chunks_exact(3)
            .map(|p| u32::from_be_bytes([0, p[0], p[1], p[2]]))
    }
}

/// A white canvas of `width × height` logical pixels drawn at `scale` device pixels each.
#[derive(Clone)]
pub(crate) struct Canvas {
    pub(super) pixmap: Pixmap,
    width: u32,
    height: u32,
    pub(super) scale: u32,
    pub(super) texts: Vec<TextBox>,
}

impl Canvas {
    /// A white canvas, or an error if a side is outside [`limits::FIGURE_WIDTH`] or
    /// [`limits::FIGURE_HEIGHT`], the density outside 1..=4, or the pixels over the memory budget.
    pub(crate) fn new(width: u32, height: u32, scale: u32) -> Result<Canvas, PlotError> {
        super::font::register();
        let (dw, dh) = (width.saturating_mul(scale), height.saturating_mul(scale));
        if !(1..=4).contains(&scale) {
            return Err(PlotError::InvalidParameter {
                name: "figure density",
                reason: format!("{scale} is not within 1..=4"),
            });
        }
        limits::FIGURE_WIDTH.check(width as usize)?;
        limits::FIGURE_HEIGHT.check(height as usize)?;
        let bytes = (dw as usize) * (dh as usize) * 4;
        limits::check_bytes("figure", bytes, "draw a smaller figure")?;
        let pixmap = Pixmap::new(dw, dh).ok_or(LimitError::AllocationFailed {
            what: "figure",
            bytes,
        })?;
        let mut canvas = Canvas {
            pixmap,
            width,
            height,
            scale,
            texts: Vec::new(),
        };
        canvas.pixmap.fill(tiny_skia::Color::WHITE);
        Ok(canvas)
    }

    /// Runs `draw` on the canvas.
    pub(crate) fn draw<F>(&mut self, draw: F) -> Result<(), PlotError>
    where
        F: FnOnce(&Area<'_>) -> Result<(), PlotError>,
    {
        let root = SkiaBackend { canvas: self }.into_drawing_area();
        draw(&root)
    }

    /// The pixels (the canvas is opaque, so premultiplied RGBA is plain RGB plus 255).
    pub(crate) fn to_rgb(&self) -> Rgb {
        let rgba = self.pixmap.data();
        let mut data = Vec::with_capacity(rgba.len() / 4 * 3);
        for p in rgba.chunks_exact(4) {
            data.extend_from_slice(&p[..3]);
        }
        Rgb {
            width: self.pixmap.width(),
            height: self.pixmap.height(),
            data,
        }
    }

    /// Logical size.
    pub(crate) fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Every piece of text drawn so far, with its box.
    pub(crate) fn into_texts(self) -> Vec<TextBox> {
        self.texts
    }

    /// From logical to device pixels.
    pub(super) fn transform(&self) -> Transform {
        let s = self.scale as f32;
        Transform::from_row(s, 0.0, 0.0, s, 0.0, 0.0)
    }

    /// Blends `color` at `alpha` into the device pixel (x, y).
    fn blend(&mut self, x: i32, y: i32, rgb: (u8, u8, u8), alpha: f32) {
        let (w, h) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        if x < 0 || y < 0 || x >= w || y >= h || alpha <= 0.0 {
            return;
        }
        let a = alpha.min(1.0);
        let i = 4 * (y as usize * w as usize + x as usize);
        let data = self.pixmap.data_mut();
        for (k, c) in [rgb.0, rgb.1, rgb.2].into_iter().enumerate() {
            let d = data[i + k] as f32;
            data[i + k] = (d + a * (c as f32 - d)).round() as u8;
        }
    }
}

/// The plotters backend over a [`Canvas`].
pub(crate) struct SkiaBackend<'a> {
    pub(super) canvas: &'a mut Canvas,
}

fn paint(color: BackendColor) -> Option<Paint<'static>> {
    if color.alpha <= 0.0 {
        return None;
    }
    let mut paint = Paint::default();
    let (r, g, b) = color.rgb;
    paint.set_color_rgba8(r, g, b, (color.alpha.clamp(0.0, 1.0) * 255.0).round() as u8);
    paint.anti_alias = true;
    Some(paint)
}

/// The centre of pixel `p` (plotters' pixel (x, y) covers [x, x + 1) × [y, y + 1)).
fn centre(p: BackendCoord) -> (f32, f32) {
    (p.0 as f32 + 0.5, p.1 as f32 + 0.5)
}

impl SkiaBackend<'_> {
    fn stroke(&mut self, points: &[BackendCoord], color: BackendColor, width: u32, closed: bool) {
        let Some(paint) = paint(color) else { return };
        if points.len() < 2 || width == 0 {
            return;
        }
        let mut pb = PathBuilder::new();
        let (x, y) = centre(points[0]);
        pb.move_to(x, y);
        for &p in &points[1..] {
            let (x, y) = centre(p);
            pb.line_to(x, y);
        }
        if closed {
            pb.close();
        }
        let Some(path) = pb.finish() else { return };
        let stroke = Stroke {
            width: width as f32,
            line_cap: LineCap::Butt,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        let t = self.canvas.transform();
        self.canvas
            .pixmap
            .stroke_path(&path, &paint, &stroke, t, None);
    }

    fn fill(&mut self, points: &[(f32, f32)], color: BackendColor) {
        let Some(paint) = paint(color) else { return };
        let mut pb = PathBuilder::new();
        let Some((&first, rest)) = points.split_first() else {
            return;
        };
        pb.move_to(first.0, first.1);
        for &(x, y) in rest {
            pb.line_to(x, y);
        }
        pb.close();
        let Some(path) = pb.finish() else { return };
        let t = self.canvas.transform();
        self.canvas
            .pixmap
            .fill_path(&path, &paint, FillRule::Winding, t, None);
    }
}

impl DrawingBackend for SkiaBackend<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.canvas.size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let s = self.canvas.scale as i32;
        for dy in 0..s {
            for dx in 0..s {
                let (x, y) = (point.0 * s + dx, point.1 * s + dy);
                self.canvas.blend(x, y, color.rgb, color.alpha as f32);
            }
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.stroke(&[from, to], style.color(), style.stroke_width(), false);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (l, t) = (
            upper_left.0.min(bottom_right.0),
            upper_left.1.min(bottom_right.1),
        );
        let (r, b) = (
            upper_left.0.max(bottom_right.0),
            upper_left.1.max(bottom_right.1),
        );
        if fill {
            let Some(paint) = paint(style.color()) else {
                return Ok(());
            };
            // plotters' rectangles include both corner pixels.
            if let Some(rect) =
                SkRect::from_ltrb(l as f32, t as f32, r as f32 + 1.0, b as f32 + 1.0)
            {
                let tr = self.canvas.transform();
                self.canvas.pixmap.fill_rect(rect, &paint, tr, None);
            }
        } else {
            let corners = [(l, t), (r, t), (r, b), (l, b)];
            self.stroke(&corners, style.color(), style.stroke_width(), true);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        self.stroke(&points, style.color(), style.stroke_width(), false);
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (cx, cy) = centre(center);
        let Some(paint) = paint(style.color()) else {
            return Ok(());
        };
        let r = radius.max(1) as f32;
        if let Some(circle) = PathBuilder::from_circle(cx, cy, r) {
            let t = self.canvas.transform();
            if fill {
                self.canvas
                    .pixmap
                    .fill_path(&circle, &paint, FillRule::Winding, t, None);
            } else {
                let stroke = Stroke {
                    width: style.stroke_width().max(1) as f32,
                    ..Stroke::default()
                };
                self.canvas
                    .pixmap
                    .stroke_path(&circle, &paint, &stroke, t, None);
            }
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let points: Vec<(f32, f32)> = vert.into_iter().map(centre).collect();
        self.fill(&points, style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        markup: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        let (axis, markup) = text::split_tick(markup);
        let color = style.color();
        let s = self.canvas.scale as f32;
        let layout = text::layout(markup, style.size() as f32 * s);
        let (w, h) = (layout.width / s, layout.height / s);
        let rotated = matches!(
            style.transform(),
            FontTransform::Rotate90 | FontTransform::Rotate270
        );
        // The anchor applies to the box as drawn (rotated or not).
        let (bw, bh) = if rotated { (h, w) } else { (w, h) };
        let anchor = style.anchor();
        let x0 = pos.0 as f32
            - match anchor.h_pos {
                HPos::Left => 0.0,
                HPos::Center => bw / 2.0,
                HPos::Right => bw,
            };
        let y0 = pos.1 as f32
            - match anchor.v_pos {
                VPos::Top => 0.0,
                VPos::Center => bh / 2.0,
                VPos::Bottom => bh,
            };
        self.canvas.texts.push(TextBox {
            text: text::plain(markup),
            x0: x0 as f64,
            y0: y0 as f64,
            x1: (x0 + bw) as f64,
            y1: (y0 + bh) as f64,
            angle: 0.0,
            axis,
        });
        if color.alpha <= 0.0 {
            return Ok(());
        }
        let (ox, oy) = ((x0 * s).round() as i32, (y0 * s).round() as i32);
        let (lw, lh) = (layout.width.round() as i32, layout.height.round() as i32);
        let transform = style.transform();
        let canvas = &mut *self.canvas;
        text::rasterize(&layout, |x, y, c| {
            let (dx, dy) = match transform {
                FontTransform::Rotate270 => (y, lw - 1 - x),
                FontTransform::Rotate90 => (lh - 1 - y, x),
                FontTransform::Rotate180 => (lw - 1 - x, lh - 1 - y),
                FontTransform::None => (x, y),
            };
            canvas.blend(ox + dx, oy + dy, color.rgb, c * color.alpha as f32);
        });
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        markup: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Infallible>> {
        let layout = text::layout(text::split_tick(markup).1, style.size() as f32);
        Ok((layout.width.ceil() as u32, layout.height.ceil() as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn a_diagonal_line_has_intermediate_shades() {
        let mut canvas = Canvas::new(60, 60, 1).unwrap();
        canvas
            .draw(|root| {
                root.draw(&PathElement::new(vec![(5, 5), (55, 40)], BLACK))
                    .map_err(crate::plot::axes::drawing)
            })
            .unwrap();
        let greys = canvas
            .to_rgb()
            .pixels()
            .filter(|&p| p != 0xffffff && p != 0)
            .count();
        assert!(greys > 40, "only {greys} intermediate pixels");
    }

    #[test]
    fn text_boxes_are_remembered_and_too_small_canvases_refused() {
        let mut canvas = Canvas::new(200, 50, 2).unwrap();
        canvas
            .draw(|root| {
                root.draw(&Text::new("p_t", (10, 10), ("sans-serif", 20)))
                    .map_err(crate::plot::axes::drawing)
            })
            .unwrap();
        assert_eq!(canvas.to_rgb().width, 400);
        let texts = canvas.into_texts();
        assert_eq!(texts[0].text, "pt");
        assert!(texts[0].x0 == 10.0 && texts[0].x1 > 20.0);
        assert!(Canvas::new(15, 100, 1).is_err());
        assert!(Canvas::new(5000, 100, 2).is_err());
    }
}
