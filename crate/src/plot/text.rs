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

/// Starts and ends the tag [`tick_label`] puts before a tick label (Unicode private use).
const TAG_START: char = '\u{E000}';
const TAG_END: char = '\u{E001}';

/// `label` tagged as a tick label of `axis`; the canvas removes the tag and records the axis
/// with the label's box.
pub(crate) fn tick_label(axis: TickAxis, label: &str) -> String {
    let h = if axis.horizontal { 'x' } else { 'y' };
    format!("{TAG_START}{h}{},{}{TAG_END}{label}", axis.x, axis.y)
}

/// The axis a [`tick_label`] names, and the label without its tag.
pub(crate) fn split_tick(markup: &str) -> (Option<TickAxis>, &str) {
    let untagged = (None, markup);
    let Some(rest) = markup.strip_prefix(TAG_START) else {
        return untagged;
    };
    let Some((tag, label)) = rest.split_once(TAG_END) else {
        return untagged;
    };
    let mut chars = tag.chars();
    let horizontal = chars.next() == Some('x');
    let mut corner = chars.as_str().split(',').map(str::parse::<i32>);
    match (corner.next(), corner.next()) {
        (Some(Ok(x)), Some(Ok(y))) => (Some(TickAxis { horizontal, x, y }), label),
        _ => untagged,
    }
}

/// Which axis a tick label belongs to: its direction and the plot's bottom-left corner (canvas
/// pixels), which tells panels apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TickAxis {
    /// The x axis (`true`) or the y axis.
    pub horizontal: bool,
    /// Left edge of the plot.
    pub x: i32,
    /// Bottom edge of the plot.
    pub y: i32,
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
