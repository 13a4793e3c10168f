//! Text with a small markup for sub- and superscripts, laid out with the bundled font.
//!
//! `p_{σ}` sets σ as a subscript, `x^{2}` sets 2 as a superscript; a single character needs no
//! braces (`p_t`, `e^x`). So an underscore or caret is never printed: `\_` and `\^` print them
//! literally. A hyphen in a script, or before a number ("= -4"), is set as a minus sign (−).
//! Unicode sub- and superscript characters (`wₖ`, `σ²`, `10⁻⁵`) are set the same way,
//! from their ordinary letters, so they sit where markup scripts sit and never stack on one.
//!
//! Sizes are in points, as matplotlib's: a point is 1/72 inch, and a figure has 100 logical
//! pixels per inch, so 10 pt text has an em of 100/72 × 10 ≈ 13.9 px.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, Glyph, PxScale, ScaleFont};

use super::font;

/// Size of a sub- or superscript relative to the text around it.
const SCRIPT_SCALE: f32 = 0.7;
/// How far a subscript's baseline drops, and a superscript's rises, in ems of the text around
/// it (matplotlib's mathtext in DejaVu Sans drops a subscript by about a fifth of an em).
const SUB_DROP: f32 = 0.22;
const SUPER_RISE: f32 = 0.44;

/// Logical pixels per point: figures have 100 logical pixels per inch.
pub(crate) const PX_PER_PT: f32 = 100.0 / 72.0;

/// The em (px) of text of `points` at one device pixel per logical pixel.
pub(crate) fn em_px(points: f32) -> f32 {
    points * PX_PER_PT
}

/// Where a run of text sits relative to the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shift {
    Normal,
    Sub,
    Super,
}

/// The ordinary character a Unicode sub- or superscript character stands for, and which.
fn unscript(c: char) -> Option<(Shift, char)> {
    const SUBS: [(char, char); 28] = [
        ('₀', '0'),
        ('₁', '1'),
        ('₂', '2'),
        ('₃', '3'),
        ('₄', '4'),
        ('₅', '5'),
        ('₆', '6'),
        ('₇', '7'),
        ('₈', '8'),
        ('₉', '9'),
        ('₊', '+'),
        ('₋', '−'),
        ('₌', '='),
        ('₍', '('),
        ('₎', ')'),
        ('ₐ', 'a'),
        ('ₑ', 'e'),
        ('ₒ', 'o'),
        ('ₓ', 'x'),
        ('ₕ', 'h'),
        ('ₖ', 'k'),
        ('ₗ', 'l'),
        ('ₘ', 'm'),
        ('ₙ', 'n'),
        ('ₚ', 'p'),
        ('ₛ', 's'),
        ('ₜ', 't'),
        ('ᵢ', 'i'),
    ];
    const SUPERS: [(char, char); 17] = [
        ('⁰', '0'),
        ('¹', '1'),
        ('²', '2'),
        ('³', '3'),
        ('⁴', '4'),
        ('⁵', '5'),
        ('⁶', '6'),
        ('⁷', '7'),
        ('⁸', '8'),
        ('⁹', '9'),
        ('⁺', '+'),
        ('⁻', '−'),
        ('⁼', '='),
        ('⁽', '('),
        ('⁾', ')'),
        ('ⁿ', 'n'),
        ('ⁱ', 'i'),
    ];
    let find = |table: &[(char, char)], shift| {
        table
            .iter()
            .find(|(s, _)| *s == c)
            .map(|&(_, p)| (shift, p))
    };
    find(&SUBS, Shift::Sub).or_else(|| find(&SUPERS, Shift::Super))
}

/// Splits markup into runs of normal, subscript and superscript text. A Unicode sub- or
/// superscript character becomes its ordinary character in a script run: at the level of the
/// script around it if it is already in one (`∇_{μₖ}` is ∇ with the subscript μk), never a
/// script of a script.
pub(crate) fn parse(markup: &str) -> Vec<(Shift, String)> {
    runs(markup, true)
}

/// [`parse`], with Unicode script characters converted (`unscripted`) or left as they are.
fn runs(markup: &str, unscripted: bool) -> Vec<(Shift, String)> {
    let mut runs: Vec<(Shift, String)> = Vec::new();
    let mut push = |shift: Shift, c: char| {
        let (shift, c) = match unscript(c).filter(|_| unscripted) {
            Some((own, plain)) if shift == Shift::Normal => (own, plain),
            Some((_, plain)) => (shift, plain),
            None => (shift, c),
        };
        match runs.last_mut() {
            Some((s, text)) if *s == shift => text.push(c),
            _ => runs.push((shift, c.to_string())),
        }
    };
    let mut chars = markup.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('_' | '^')) => {
                push(Shift::Normal, chars.next().unwrap_or(c));
            }
            '_' | '^' if chars.peek().is_some() => {
                let shift = if c == '_' { Shift::Sub } else { Shift::Super };
                if chars.peek() == Some(&'{') {
                    chars.next();
                    // In a script a hyphen is a minus sign, as in mathtext: 10^{-5}.
                    for c in chars.by_ref().take_while(|&c| c != '}') {
                        push(shift, if c == '-' { '−' } else { c });
                    }
                } else if let Some(c) = chars.next() {
                    push(shift, c);
                }
            }
            // A hyphen before a number, not joining a word to it ("= -4", "(-2, 0)", but
            // "CD-1"), is a minus sign.
            '-' if chars
                .peek()
                .is_some_and(|d| d.is_ascii_digit() || *d == '.')
                && !previous.is_alphanumeric() =>
            {
                push(Shift::Normal, '−');
            }
            _ => push(Shift::Normal, c),
        }
        previous = c;
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

/// How a line of text is set: its size (points), where its anchor sits on its box (across, down),
/// and whether it is set vertically (turned a quarter counter-clockwise, read bottom to top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextStyle {
    pub size: u32,
    pub horizontal: Align,
    pub vertical_align: Align,
    pub vertical: bool,
}

impl TextStyle {
    /// Upright text of `size` points anchored at its top-left corner.
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

/// The size (width, height) of `markup` set upright at `size` points, in logical pixels rounded
/// up to whole pixels.
pub(crate) fn measure(markup: &str, size: u32) -> (i32, i32) {
    let layout = layout(markup, em_px(size as f32));
    (layout.width.ceil() as i32, layout.height.ceil() as i32)
}

/// The characters a reader sees (markup removed, Unicode scripts kept, a superscript in
/// Unicode superscript characters where they all have one: `10^{−2}` reads "10⁻²"): what tests
/// search for stray underscores.
pub(crate) fn plain(markup: &str) -> String {
    runs(markup, false)
        .into_iter()
        .map(|(shift, text)| {
            let raised: Option<String> = (shift == Shift::Super)
                .then(|| text.chars().map(superscript_of).collect())
                .flatten();
            raised.unwrap_or(text)
        })
        .collect()
}

/// The Unicode superscript character for `c`, if there is one.
fn superscript_of(c: char) -> Option<char> {
    let c = if c == '−' { '⁻' } else { c };
    "0123456789+=()ni"
        .chars()
        .zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁼⁽⁾ⁿⁱ".chars())
        .find(|&(p, _)| p == c)
        .map(|(_, s)| s)
        .or((c == '⁻').then_some('⁻'))
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

/// ab_glyph's scale for an em of `em` px: ab_glyph scales the font's ascent-to-descent height
/// (about 1.16 em for DejaVu Sans) to the scale, not its em.
fn px_scale(em: f32) -> PxScale {
    let face = face();
    let units_per_em = face.units_per_em().unwrap_or(2048.0);
    PxScale::from(em * face.height_unscaled() / units_per_em)
}

/// Lays out `markup` with an em of `em` px: glyphs on one line, scripts smaller and shifted.
/// The box is the font's full line height (ascent to descent), so labels of one size align
/// whatever their letters.
pub(crate) fn layout(markup: &str, em: f32) -> Layout {
    let face = face();
    let normal = face.as_scaled(px_scale(em));
    let ascent = normal.ascent();
    let mut glyphs = Vec::new();
    let mut x = 0.0f32;
    // A superscript right after a subscript (or the other way round) stacks over it, as
    // `Σ_k^{−1}` does in mathtext: it starts where the first script started.
    let mut script: Option<(Shift, f32, f32)> = None;
    for (shift, text) in parse(markup) {
        let end = x;
        match script {
            Some((s, start, _)) if s != shift && shift != Shift::Normal => x = start,
            _ => script = None,
        }
        let start = x;
        let (size, rise) = match shift {
            Shift::Normal => (em, 0.0),
            Shift::Sub => (em * SCRIPT_SCALE, -SUB_DROP * em),
            Shift::Super => (em * SCRIPT_SCALE, SUPER_RISE * em),
        };
        let scale = px_scale(size);
        let scaled = face.as_scaled(scale);
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
        if let Some((_, _, first_end)) = script.take() {
            // The second of a stacked pair: the pair ends where the longer one does.
            x = x.max(first_end).max(end);
        } else if shift != Shift::Normal {
            script = Some((shift, start, x));
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
    use crate::plot::axes;
    use crate::plot::canvas::Canvas;

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

    /// Rows and columns of ink darker than mid-grey of `markup` set at `points` on a
    /// 1× canvas: (top, bottom, left, right), inclusive.
    fn ink(markup: &str, points: u32) -> (usize, usize, usize, usize) {
        let mut canvas = Canvas::new(400, 60, 1).unwrap();
        canvas.text(markup, (10, 10), TextStyle::new(points), None);
        let image = canvas.to_rgb();
        let (w, pixels) = (image.width as usize, image.pixels().collect::<Vec<u32>>());
        let dark: Vec<(usize, usize)> = pixels
            .iter()
            .enumerate()
            .filter(|(_, p)| (*p >> 16) & 0xff < 128)
            .map(|(i, _)| (i / w, i % w))
            .collect();
        let rows = dark.iter().map(|d| d.0);
        let cols = dark.iter().map(|d| d.1);
        (
            rows.clone().min().unwrap(),
            rows.max().unwrap(),
            cols.clone().min().unwrap(),
            cols.max().unwrap(),
        )
    }

    #[test]
    fn text_in_points_is_as_large_as_matplotlibs() {
        // matplotlib 3.11.2 at 100 dpi, DejaVu Sans, ink darker than mid-grey: a 10 pt "0"
        // or "8" is 10 px tall and 7 px wide; a 12 pt "Mixture of Gaussians PDF" 212 px wide.
        for digit in ["0", "8"] {
            let (t, b, l, r) = ink(digit, axes::TICK_FONT);
            assert_eq!((b - t + 1, r - l + 1), (10, 7), "{digit}");
        }
        let (_, _, l, r) = ink("Mixture of Gaussians PDF", axes::TITLE_FONT);
        assert!(
            (r - l + 1).abs_diff(212) <= 3,
            "title {} px wide",
            r - l + 1
        );
    }

    #[test]
    fn a_subscript_sits_below_the_baseline_and_smaller() {
        // matplotlib's $x_2$ at 10 pt: 10 px of ink from the top of x to the bottom of 2.
        let (xt, xb, ..) = ink("x", 10);
        let (st, sb, ..) = ink("x_2", 10);
        let (dt, db, ..) = ink("2", 10);
        assert_eq!(st, xt, "the subscript rises above x");
        assert!((3..=4).contains(&(sb - xb)), "drops {} px below x", sb - xb);
        assert!((sb + 1 - st).abs_diff(10) <= 1, "{} px of ink", sb + 1 - st);
        // The subscript 2 is about 0.7 of a full-size 2.
        let (lt, lb, ..) = ink("_2", 10);
        let (full, small) = ((db - dt + 1) as f64, (lb - lt + 1) as f64);
        assert!((0.6..=0.8).contains(&(small / full)), "{small} vs {full}");
        assert_eq!(lb, sb, "the same subscript");
    }

    #[test]
    fn unicode_scripts_become_scripts_never_scripts_of_scripts() {
        let sub = |s: &str| (Shift::Sub, s.to_string());
        let normal = |s: &str| (Shift::Normal, s.to_string());
        assert_eq!(parse("wₖ"), [normal("w"), sub("k")]);
        assert_eq!(
            parse("∇_{μₖ} log p"),
            [normal("∇"), sub("μk"), normal(" log p")]
        );
        assert_eq!(parse("σ²"), [normal("σ"), (Shift::Super, "2".to_string())]);
        assert_eq!(parse("10⁻⁵")[1], (Shift::Super, "−5".to_string()));
        // ₓ sits where a markup subscript x sits.
        let (a, b) = (layout("∇ₓ", 20.0), layout("∇_x", 20.0));
        let at = |l: &Layout| l.glyphs[1].glyph.position;
        assert_eq!((at(&a), a.width), (at(&b), b.width));
        // What a reader sees keeps the Unicode characters.
        assert_eq!(plain("Σₖ wₖ"), "Σₖ wₖ");
    }

    #[test]
    fn a_hyphen_before_a_number_is_a_minus_sign() {
        assert_eq!(plain("μ = -4, (-2.5, 0), e^{-x}"), "μ = −4, (−2.5, 0), e−x");
        assert_eq!(plain("10^{-2}, 10^{0}, x^{2}"), "10⁻², 10⁰, x²");
        assert_eq!(plain("CD-1 and Log-PDF, x - 1"), "CD-1 and Log-PDF, x - 1");
    }

    #[test]
    fn a_superscript_after_a_subscript_stacks_over_it() {
        let stacked = layout("Σ_k^{−1}", 20.0);
        let (sub, sup) = (&stacked.glyphs[1].glyph, &stacked.glyphs[2].glyph);
        assert_eq!(sub.position.x, sup.position.x);
        assert!(sup.position.y < sub.position.y);
        assert!(stacked.width < layout("Σ_k", 20.0).width + layout("^{−1}", 20.0).width - 1.0);
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
