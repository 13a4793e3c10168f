//! The canvas figures are drawn on: a tiny-skia pixmap, so lines, polygons, markers and text
//! are anti-aliased, and every piece of text it draws is remembered with its box.
//!
//! Figures are laid out in logical pixels; the canvas draws them `scale` times larger (2 for
//! high-density screens), so edges and glyphs stay smooth at any density. A point given in
//! whole pixels, `(x, y)`, stands for the centre of that pixel, which covers
//! [x, x + 1) × [y, y + 1).

use tiny_skia::{
    FillRule, LineCap, LineJoin, PathBuilder, Pixmap, Rect as SkRect, Stroke, Transform,
};

use super::color::Color;
use super::text::{self, Align, TextStyle};
pub(crate) use super::text_box::TextBox;
use super::text_box::TickAxis;
use crate::limits::{self, LimitError};
use crate::plot::PlotError;

/// Something that paints itself straight on the canvas, in canvas coordinates.
pub(crate) trait Drawable {
    /// Paints on `canvas`.
    fn draw_on(&self, canvas: &mut Canvas);
}

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

    /// Blends `color` at opacity `alpha` into the device pixel (x, y).
    fn blend(&mut self, x: i32, y: i32, Color(r, g, b): Color, alpha: f32) {
        let (w, h) = (self.pixmap.width() as i32, self.pixmap.height() as i32);
        if x < 0 || y < 0 || x >= w || y >= h || alpha <= 0.0 {
            return;
        }
        let a = alpha.min(1.0);
        let i = 4 * (y as usize * w as usize + x as usize);
        let data = self.pixmap.data_mut();
        for (k, c) in [r, g, b].into_iter().enumerate() {
            let d = data[i + k] as f32;
            data[i + k] = (d + a * (c as f32 - d)).round() as u8;
        }
    }
}

/// The centre of pixel `p`.
fn centre(p: (i32, i32)) -> (f32, f32) {
    (p.0 as f32 + 0.5, p.1 as f32 + 0.5)
}

impl Canvas {
    /// A polyline through the centres of the pixels `points`, `width` px wide, closed if
    /// `closed`, with butt caps and round joins.
    pub(crate) fn stroke(&mut self, points: &[(i32, i32)], color: Color, width: u32, closed: bool) {
        let Some(paint) = color.paint(1.0) else {
            return;
        };
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
        let t = self.transform();
        self.pixmap.stroke_path(&path, &paint, &stroke, t, None);
    }

    /// The rectangle of whole pixels with opposite corners `a` and `b` (both included),
    /// filled with `color` at opacity `alpha`.
    pub(crate) fn fill_rect(&mut self, a: (i32, i32), b: (i32, i32), color: Color, alpha: f64) {
        let Some(paint) = color.paint(alpha) else {
            return;
        };
        let (l, t) = (a.0.min(b.0), a.1.min(b.1));
        let (r, b) = (a.0.max(b.0), a.1.max(b.1));
        if let Some(rect) = SkRect::from_ltrb(l as f32, t as f32, r as f32 + 1.0, b as f32 + 1.0) {
            let tr = self.transform();
            self.pixmap.fill_rect(rect, &paint, tr, None);
        }
    }

    /// A disc of `radius` px (at least 1) around the centre of pixel `at`, in `color` at
    /// opacity `alpha`.
    pub(crate) fn fill_circle(&mut self, at: (i32, i32), radius: u32, color: Color, alpha: f64) {
        let Some(paint) = color.paint(alpha) else {
            return;
        };
        let (cx, cy) = centre(at);
        if let Some(circle) = PathBuilder::from_circle(cx, cy, radius.max(1) as f32) {
            let t = self.transform();
            self.pixmap
                .fill_path(&circle, &paint, FillRule::Winding, t, None);
        }
    }

    /// A line of text (markup) in black, anchored at `at` as `style` says, remembered with its
    /// box; `axis` names the axis a tick label labels.
    pub(crate) fn text(
        &mut self,
        markup: &str,
        at: (i32, i32),
        style: TextStyle,
        axis: Option<TickAxis>,
    ) {
        let s = self.scale as f32;
        let layout = text::layout(markup, text::em_px(style.size as f32) * s);
        let (w, h) = (layout.width / s, layout.height / s);
        // The anchor applies to the box as drawn (vertical or not).
        let (bw, bh) = if style.vertical { (h, w) } else { (w, h) };
        let x0 = at.0 as f32
            - match style.horizontal {
                Align::Start => 0.0,
                Align::Centre => bw / 2.0,
                Align::End => bw,
            };
        let y0 = at.1 as f32
            - match style.vertical_align {
                Align::Start => 0.0,
                Align::Centre => bh / 2.0,
                Align::End => bh,
            };
        self.texts.push(TextBox {
            text: text::plain(markup),
            x0: x0 as f64,
            y0: y0 as f64,
            x1: (x0 + bw) as f64,
            y1: (y0 + bh) as f64,
            angle: 0.0,
            axis,
        });
        let (ox, oy) = ((x0 * s).round() as i32, (y0 * s).round() as i32);
        let lw = layout.width.round() as i32;
        let vertical = style.vertical;
        text::rasterize(&layout, |x, y, c| {
            // Set vertically, the text reads from bottom to top.
            let (dx, dy) = if vertical { (y, lw - 1 - x) } else { (x, y) };
            self.blend(ox + dx, oy + dy, Color::BLACK, c);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagonal_line_has_intermediate_shades() {
        let mut canvas = Canvas::new(60, 60, 1).unwrap();
        canvas.stroke(&[(5, 5), (55, 40)], Color::BLACK, 1, false);
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
        canvas.text("p_t", (10, 10), TextStyle::new(20), None);
        assert_eq!(canvas.to_rgb().width, 400);
        let texts = canvas.into_texts();
        assert_eq!(texts[0].text, "pt");
        assert!(texts[0].x0 == 10.0 && texts[0].x1 > 20.0);
        assert!(Canvas::new(15, 100, 1).is_err());
        assert!(Canvas::new(5000, 100, 2).is_err());
    }

    #[test]
    fn only_the_axis_given_makes_a_tick_label() {
        let mut canvas = Canvas::new(200, 60, 1).unwrap();
        // Text shaped like a tag once smuggled into tick labels is just text.
        canvas.text("\u{E000}x1,2\u{E001}5", (10, 10), TextStyle::new(13), None);
        let axis = TickAxis {
            horizontal: true,
            x: 3,
            y: 40,
        };
        canvas.text("0.5", (10, 30), TextStyle::new(13), Some(axis));
        let texts = canvas.into_texts();
        assert_eq!(texts[0].axis, None);
        assert_eq!(texts[0].text, "\u{E000}x1,2\u{E001}5");
        assert_eq!((texts[1].text.as_str(), texts[1].axis), ("0.5", Some(axis)));
    }

    #[test]
    fn a_vertical_label_is_anchored_by_its_box_as_drawn() {
        let mut canvas = Canvas::new(200, 200, 1).unwrap();
        let style = TextStyle::new(14)
            .vertical()
            .align(Align::End, Align::Centre);
        canvas.text("log p", (100, 100), style, None);
        let b = &canvas.into_texts()[0];
        assert_eq!(b.x1, 100.0);
        assert!(b.y1 - b.y0 > b.x1 - b.x0, "{b:?} is not tall");
        assert!((0.5 * (b.y0 + b.y1) - 100.0).abs() < 1e-3);
    }
}
