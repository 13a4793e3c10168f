//! Text with a small markup for sub- and superscripts, laid out with the bundled font.
//!
//! `p_{σ}` sets σ as a subscript, `x^{2}` sets 2 as a superscript; a single character needs no
//! braces (`p_t`, `e^x`). So an underscore or caret is never printed: `\_` and `\^` print them
//! literally.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont};

use super::font;

/// Size of a sub- or superscript relative to the text around it.
const SCRIPT_SCALE: f32 = 0.7;

/// Where a run of text sits relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shift {
    Normal,
    Sub,
    Super,
}

/// Splits markup into runs of normal, subscript and superscript text.
pub(crate) fn parse(markup: &str) -> Vec<(Shift, String)> {
    let mut runs: Vec<(Shift, String)> = Vec::new();
    let mut push = |shift: Shift, c: char| match runs.last_mut() {
        Some((s, text)) if *s == shift => text.push(c),
        _ => runs.push((shift, c.to_string())),
    };
    let mut chars = markup.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('_' | '^')) => {
                push(Shift::Normal, chars.next().unwrap_or(c));
            }
            '_' | '^' if chars.peek().is_some() => {
                let shift = if c == '_' { Shift::Sub } else { Shift::Super };
                if chars.peek() == Some(&'{') {
                    chars.next();
                    for c in chars.by_ref().take_while(|&c| c != '}') {
                        push(shift, c);
                    }
                } else if let Some(c) = chars.next() {
                    push(shift, c);
                }
            }
            _ => push(Shift::Normal, c),
        }
    }
    runs
}

/// Where a text's anchor sits along one side of its box: at the start (left or top), the
/// centre, or the end (right or bottom).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Start,
    Centre,
    End,
}

/// How a line of text is set: its size (px), where its anchor sits on its box (across, down),
/// and whether it is set vertically (turned a quarter counter-clockwise, read bottom to top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextStyle {
    pub size: u32,
    pub horizontal: Align,
    pub vertical_align: Align,
    pub vertical: bool,
}

impl TextStyle {
    /// Upright text of `size` px anchored at its top-left corner.
    pub(crate) fn new(size: u32) -> TextStyle {
        TextStyle {
            size,
            horizontal: Align::Start,
            vertical_align: Align::Start,
            vertical: false,
        }
    }

    /// Anchored at `horizontal` across its box (as drawn) and `vertical` down it.
    pub(crate) fn align(self, horizontal: Align, vertical: Align) -> TextStyle {
        TextStyle {
            horizontal,
            vertical_align: vertical,
            ..self
        }
    }

    /// Set vertically, reading from bottom to top.
    pub(crate) fn vertical(self) -> TextStyle {
        TextStyle {
            vertical: true,
            ..self
        }
    }
}

/// The size (width, height) of `markup` set upright at `size` px, rounded up to whole pixels.
pub(crate) fn measure(markup: &str, size: u32) -> (i32, i32) {
    let layout = layout(markup, size as f32);
    (layout.width.ceil() as i32, layout.height.ceil() as i32)
}

/// The characters a reader sees (markup removed): what tests search for stray underscores.
pub(crate) fn plain(markup: &str) -> String {
    parse(markup).into_iter().map(|(_, text)| text).collect()
}

/// One glyph placed relative to the text's top-left corner, in pixels.
pub(crate) struct Placed {
    pub glyph: Glyph,
}

/// Markup laid out at a font size: its glyphs and its box.
pub(crate) struct Layout {
    pub glyphs: Vec<Placed>,
    pub width: f32,
    pub height: f32,
}

/// The bundled font, parsed once.
pub(crate) fn face() -> &'static FontRef<'static> {
    static FACE: OnceLock<FontRef<'static>> = OnceLock::new();
    // The bundled font is a fixed, valid file (a test renders text with it).
    FACE.get_or_init(|| FontRef::try_from_slice(font::FONT).expect("the bundled font parses"))
}

/// Lays out `markup` at `size` px: glyphs on one line, scripts smaller and shifted. The box is
/// the font's full line height (ascent to descent), so labels of one size align whatever
/// their letters.
pub(crate) fn layout(markup: &str, size: f32) -> Layout {
    let face = face();
    let normal = face.as_scaled(PxScale::from(size));
    let ascent = normal.ascent();
    let mut glyphs = Vec::new();
    let mut x = 0.0f32;
    for (shift, text) in parse(markup) {
        let (scale, rise) = match shift {
            Shift::Normal => (size, 0.0),
            Shift::Sub => (size * SCRIPT_SCALE, -0.2 * size),
            Shift::Super => (size * SCRIPT_SCALE, 0.38 * size),
        };
        let scaled = face.as_scaled(PxScale::from(scale));
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            glyphs.push(Placed {
                glyph: id.with_scale_and_position(scale, ab_glyph::point(x, ascent - rise)),
            });
            x += scaled.h_advance(id);
            previous = Some(id);
        }
    }
    Layout {
        glyphs,
        width: x,
        height: ascent - normal.descent(),
    }
}

/// Calls `paint(x, y, coverage)` for every pixel the laid-out text covers, with `(x, y)`
/// relative to the text's top-left corner.
pub(crate) fn rasterize(layout: &Layout, mut paint: impl FnMut(i32, i32, f32)) {
    let face = face();
    for placed in &layout.glyphs {
        if let Some(outline) = face.outline_glyph(placed.glyph.clone()) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, c| {
                paint(
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                    c,
                )
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_makes_scripts_and_never_underscores() {
        assert_eq!(
            parse("p_{σ}(x)"),
            vec![
                (Shift::Normal, "p".to_string()),
                (Shift::Sub, "σ".to_string()),
                (Shift::Normal, "(x)".to_string()),
            ]
        );
        assert_eq!(parse("e^x")[1], (Shift::Super, "x".to_string()));
        assert_eq!(plain("∇_{μ0} log p_t"), "∇μ0 log pt");
        assert_eq!(plain(r"a\_b"), "a_b");
    }

    #[test]
    fn scripts_are_smaller_than_the_text_around_them() {
        let plain_width = layout("pt", 20.0).width;
        let scripted = layout("p_t", 20.0).width;
        assert!(scripted < plain_width, "{scripted} vs {plain_width}");
        let mut pixels = 0;
        rasterize(&layout("p_t", 20.0), |_, _, c| pixels += (c > 0.5) as usize);
        assert!(pixels > 20);
    }
}
