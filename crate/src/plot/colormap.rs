//! Colour maps: Spectral for contour levels, magma for heat maps.

use super::color::Color;

/// matplotlib's diverging "Spectral" map, dark red (0) → pale yellow → blue-violet (1).
const SPECTRAL: [(u8, u8, u8); 11] = [
    (0x9e, 0x01, 0x42),
    (0xd5, 0x3e, 0x4f),
    (0xf4, 0x6d, 0x43),
    (0xfd, 0xae, 0x61),
    (0xfe, 0xe0, 0x8b),
    (0xff, 0xff, 0xbf),
    (0xe6, 0xf5, 0x98),
    (0xab, 0xdd, 0xa4),
    (0x66, 0xc2, 0xa5),
    (0x32, 0x88, 0xbd),
    (0x5e, 0x4f, 0xa2),
];

/// matplotlib's sequential "magma" map, black (0) → purple → red → pale yellow (1), at ninths.
const MAGMA: [(u8, u8, u8); 9] = [
    (0, 0, 4),
    (28, 16, 68),
    (79, 18, 123),
    (129, 37, 129),
    (181, 54, 122),
    (229, 80, 100),
    (251, 135, 97),
    (254, 194, 135),
    (252, 253, 191),
];

/// The Spectral colour at `t ∈ [0, 1]` (clamped), linearly interpolated between anchors.
pub(crate) fn spectral(t: f64) -> Color {
    interpolate(&SPECTRAL, if t.is_finite() { t } else { 0.5 })
}

/// The magma colour at `t ∈ [0, 1]` (clamped; the low end for a non-finite `t`).
pub(crate) fn magma(t: f64) -> Color {
    interpolate(&MAGMA, if t.is_finite() { t } else { 0.0 })
}

/// The colour at `t` (clamped to [0, 1]) on the line through evenly spaced `anchors`.
fn interpolate(anchors: &[(u8, u8, u8)], t: f64) -> Color {
    let pos = t.clamp(0.0, 1.0) * (anchors.len() - 1) as f64;
    let i = (pos.floor() as usize).min(anchors.len() - 2);
    let f = pos - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (anchors[i], anchors[i + 1]);
    Color(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spectral_hits_its_ends_and_middle() {
        assert_eq!(spectral(0.0), Color(0x9e, 0x01, 0x42));
        assert_eq!(spectral(0.5), Color(0xff, 0xff, 0xbf));
        assert_eq!(spectral(1.0), Color(0x5e, 0x4f, 0xa2));
        assert_eq!(spectral(7.0), spectral(1.0));
        assert_eq!(magma(0.0), Color(0, 0, 4));
        assert_eq!(magma(1.0), Color(252, 253, 191));
        assert_eq!(magma(f64::NAN), magma(-1.0));
    }
}
