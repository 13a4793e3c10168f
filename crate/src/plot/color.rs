//! [`Color`]: an opaque sRGB colour, 8 bits a channel.

/// An opaque sRGB colour: red, green, blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Color(pub u8, pub u8, pub u8);

impl Color {
    pub(crate) const BLACK: Color = Color(0, 0, 0);
    pub(crate) const WHITE: Color = Color(255, 255, 255);
    pub(crate) const BLUE: Color = Color(0, 0, 255);
    pub(crate) const RED: Color = Color(255, 0, 0);

    /// A tiny-skia paint of this colour at opacity `alpha` (0 to 1), anti-aliased; `None` if
    /// fully transparent.
    pub(crate) fn paint(self, alpha: f64) -> Option<tiny_skia::Paint<'static>> {
        if alpha <= 0.0 {
            return None;
        }
        let mut paint = tiny_skia::Paint::default();
        let Color(r, g, b) = self;
        paint.set_color_rgba8(r, g, b, (alpha.clamp(0.0, 1.0) * 255.0).round() as u8);
        paint.anti_alias = true;
        Some(paint)
    }
}
