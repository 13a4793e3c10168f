//! The canvas figures are drawn on: a plotters drawing backend over a tiny-skia pixmap, so
//! lines, polygons, markers and text are anti-aliased, and every piece of text it draws is
//! remembered with its box.
//!
//! plotters lays figures out in whole logical pixels; the canvas draws them `scale` times
//! larger (2 for high-density screens), so edges and glyphs stay smooth at any density.

use std::convert::Infallible;

use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingArea, IntoDrawingArea, RGBColor};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontTransform;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Rect as SkRect, Stroke, Transform,
};

use super::text::{self, TickAxis};
use crate::error::PlotError;
use crate::limits::{self, LimitError};

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

/// A piece of text a figure shows, and where: its box in logical pixels (x to the right, y
/// down, from the figure's top-left corner), turned by `angle` about the box's centre.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text as the reader sees it (markup such as `p_{σ}` resolved to `pσ`).
    pub text: String,
    /// Left edge (before turning).
    pub x0: f64,
    /// Top edge (before turning).
    pub y0: f64,
    /// Right edge (before turning).
    pub x1: f64,
    /// Bottom edge (before turning).
    pub y1: f64,
    /// How far the text is turned about the box's centre, in degrees counter-clockwise as the
    /// reader sees it (0 for most text; a contour label follows its line). Text set vertically,
    /// such as a y-axis label, has angle 0 and a tall box.
    pub angle: f64,
    /// For a tick label, the axis it labels.
    pub axis: Option<TickAxis>,
}

impl TextBox {
    /// The corners as drawn (turned), in order around the box.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (cx, cy) = (0.5 * (self.x0 + self.x1), 0.5 * (self.y0 + self.y1));
        let (hw, hh) = (0.5 * (self.x1 - self.x0), 0.5 * (self.y1 - self.y0));
        // Along the text and across it, on a screen whose y axis points down.
        let (c, s) = (self.angle.to_radians().cos(), self.angle.to_radians().sin());
        let (along, across) = ((c, -s), (s, c));
        [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(a, b)| {
            (
                cx + a * hw * along.0 + b * hh * across.0,
                cy + a * hw * along.1 + b * hh * across.1,
            )
        })
    }

    /// The smallest unturned box holding the text as drawn: (left, top, right, bottom).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        self.corners().iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |(l, t, r, b), &(x, y)| (l.min(x), t.min(y), r.max(x), b.max(y)),
        )
    }

    /// Whether two boxes, as drawn, share more than `tolerance` pixels in every direction
    /// (a negative tolerance asks whether they come closer than that). Turned boxes are
    /// compared along the sides of both (separating axes), so a label on a diagonal line
    /// overlaps only what it really covers.
    pub fn overlaps(&self, other: &TextBox, tolerance: f64) -> bool {
        let (a, b) = (self.corners(), other.corners());
        let sides = |c: &[(f64, f64); 4]| {
            [
                (c[1].0 - c[0].0, c[1].1 - c[0].1),
                (c[3].0 - c[0].0, c[3].1 - c[0].1),
            ]
        };
        sides(&a).into_iter().chain(sides(&b)).all(|(dx, dy)| {
            let n = dx.hypot(dy);
            if n == 0.0 {
                return true;
            }
            let project = |c: &[(f64, f64); 4]| {
                c.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                        let v = (p.0 * dx + p.1 * dy) / n;
                        (lo.min(v), hi.max(v))
                    })
            };
            let ((a0, a1), (b0, b1)) = (project(&a), project(&b));
            a1.min(b1) - a0.max(b0) > tolerance
        })
    }
}

/// A white canvas of `width × height` logical pixels drawn at `scale` device pixels each.
#[derive(Clone)]
pub(crate) struct Canvas {
    pixmap: Pixmap,
    width: u32,
    height: u32,
    scale: u32,
    texts: Vec<TextBox>,
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

    fn transform(&self) -> Transform {
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
    canvas: &'a mut Canvas,
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

impl<'a, C: 'a> PointCollection<'a, C> for &'a Shapes {
    type Point = &'a C;
    type IntoIter = std::iter::Empty<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
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

impl<'a, C: 'a> PointCollection<'a, C> for &'a TurnedText {
    type Point = &'a C;
    type IntoIter = std::iter::Empty<&'a C>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::empty()
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
                    .map_err(|e| PlotError::Drawing(e.to_string()))
            })
            .unwrap();
        let greys = canvas
            .to_rgb()
            .pixels()
            .filter(|&p| p != 0xffffff && p != 0)
            .count();
        assert!(greys > 40, "only {greys} intermediate pixels");
    }

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
                                .map_err(|e| PlotError::Drawing(e.to_string()))?;
                            root.draw(&Polygon::new(
                                vec![round(a[2]), round(a[3]), round(a[4])],
                                grey.filled(),
                            ))
                            .map_err(|e| PlotError::Drawing(e.to_string()))?;
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
                        root.draw(&shapes)
                            .map_err(|e| PlotError::Drawing(e.to_string()))
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
                        root.draw(&shapes)
                            .map_err(|e| PlotError::Drawing(e.to_string()))
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

    #[test]
    fn turned_boxes_overlap_only_where_they_really_do() {
        let turned = |cx: f64, cy: f64, angle: f64| TextBox {
            text: String::new(),
            x0: cx - 30.0,
            y0: cy - 5.0,
            x1: cx + 30.0,
            y1: cy + 5.0,
            angle,
            axis: None,
        };
        // Two labels on parallel diagonals 14 px apart: their upright bounds overlap, the
        // labels do not.
        let (a, b) = (turned(100.0, 100.0, 45.0), turned(110.0, 110.0, 45.0));
        let (al, at, ar, ab) = a.bounds();
        let (bl, bt, _, _) = b.bounds();
        assert!(bl < ar && bt < ab && al < bl && at < bt);
        assert!(!a.overlaps(&b, 0.0));
        // Crossing labels overlap; an upright box is compared as before.
        assert!(a.overlaps(&turned(100.0, 100.0, -45.0), 0.5));
        assert!(turned(0.0, 0.0, 0.0).overlaps(&turned(50.0, 0.0, 0.0), 0.5));
        assert!(!turned(0.0, 0.0, 0.0).overlaps(&turned(61.0, 0.0, 0.0), 0.0));
        // A negative tolerance asks for a gap: 1 px apart is closer than 2.
        assert!(turned(0.0, 0.0, 0.0).overlaps(&turned(61.0, 0.0, 0.0), -2.0));
    }

    #[test]
    fn text_boxes_are_remembered_and_too_small_canvases_refused() {
        let mut canvas = Canvas::new(200, 50, 2).unwrap();
        canvas
            .draw(|root| {
                root.draw(&Text::new("p_t", (10, 10), ("sans-serif", 20)))
                    .map_err(|e| PlotError::Drawing(e.to_string()))
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
