//! matplotlib's quiver arrows: filled wedges with its default geometry, built in pixel space so
//! an equal-aspect plot keeps their shape.

use super::color::Color;

/// The quiver's shaft width as a share of the plot's width for `arrows` arrows: matplotlib's
/// default, 0.06 / √N with √N clamped to 8..=25 (0.0024 for 25 × 25 arrows or more, about
/// 1.3 px on a 540-px plot).
pub(crate) fn shaft_share(arrows: usize) -> f64 {
    0.06 / (arrows as f64).sqrt().clamp(8.0, 25.0)
}

/// The arrows' colour.
pub(crate) const ARROW_GREY: Color = Color(64, 64, 64);
/// Head width, head length and head axis length, in shaft widths (matplotlib's defaults).
const HEAD: (f64, f64, f64) = (3.0, 5.0, 4.5);

/// Points in `f32`, as shapes take them.
pub(crate) fn to_f32(points: &[(f64, f64)]) -> Vec<(f32, f32)> {
    points.iter().map(|&(x, y)| (x as f32, y as f32)).collect()
}

/// matplotlib's quiver arrow from `tail` to `tip` (pixels) with a shaft `width` px wide, as a
/// polygon. In shaft widths, an arrow L long has the corners (0, ±½), (L − 4.5, ±½),
/// (L − 5, ±3/2) and the tip (L, 0). An arrow shorter than its head (L < 5, `minshaft` 1) is
/// that of length 5 shrunk by L/5, and one shorter than a shaft width (`minlength` 1) is a
/// hexagon one width across, centred on the tail.
pub(crate) fn quiver_wedge(tail: (f32, f32), tip: (f32, f32), width: f64) -> Vec<(f64, f64)> {
    let (tx, ty) = (f64::from(tail.0), f64::from(tail.1));
    let (dx, dy) = (f64::from(tip.0) - tx, f64::from(tip.1) - ty);
    let length = dx.hypot(dy) / width;
    let (head_width, head_length, head_axis) = HEAD;
    if length.is_nan() || length < 1.0 {
        return (0..6)
            .map(|k| {
                let a = f64::from(k) * std::f64::consts::FRAC_PI_3;
                (tx + 0.5 * width * a.cos(), ty + 0.5 * width * a.sin())
            })
            .collect();
    }
    let minimum = head_length;
    let (l, shrink) = if length < minimum {
        (minimum, length / minimum)
    } else {
        (length, 1.0)
    };
    // Along the arrow (u) and across it (v), in shaft widths.
    let outline = [
        (0.0, 0.5),
        (l - head_axis, 0.5),
        (l - head_length, 0.5 * head_width),
        (l, 0.0),
        (l - head_length, -0.5 * head_width),
        (l - head_axis, -0.5),
        (0.0, -0.5),
    ];
    let norm = dx.hypot(dy);
    let (ux, uy) = (dx / norm, dy / norm);
    let k = shrink * width;
    outline
        .iter()
        .map(|&(u, v)| (tx + k * (u * ux - v * uy), ty + k * (u * uy + v * ux)))
        .collect()
}
