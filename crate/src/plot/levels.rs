//! "Nice" contour levels: round steps (1, 2, 2.5, 5 × 10ᵏ), at most `n` of them.

/// Up to `n` evenly spaced round values inside `[lo, hi]`, ascending.
pub(crate) fn nice_levels(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return Vec::new();
    }
    let step = nice_step(hi - lo, n);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// The smallest round step that splits `span` into at most `n` intervals.
pub(crate) fn nice_step(span: f64, n: usize) -> f64 {
    let raw = span / n as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| span / step <= n as f64 + 1e-9)
        .unwrap_or(10.0 * magnitude)
}

/// A label for `value` with as many decimals as `step` needs (−7.5 with step 2.5, −8 with step 2).
pub(crate) fn format_level(value: f64, step: f64) -> String {
    let decimals = (0..4).find(|&d| {
        let scaled = step * 10f64.powi(d);
        (scaled - scaled.round()).abs() < 1e-6
    });
    format!("{:.*}", decimals.unwrap_or(3) as usize, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_the_reference_field() {
        // The reference 2-D field spans about [-47, -3.3]: matplotlib picks -45 … -5 by 2.5.
        let levels = nice_levels(-47.3, -3.3, 20);
        assert_eq!(levels.first(), Some(&-45.0));
        assert_eq!(levels.last(), Some(&-5.0));
        assert_eq!(levels.len(), 17);
        assert_eq!(format_level(-7.5, 2.5), "-7.5");
        assert_eq!(format_level(-8.0, 2.0), "-8");
    }

    #[test]
    fn degenerate_ranges_give_no_levels() {
        assert!(nice_levels(1.0, 1.0, 10).is_empty());
        assert!(nice_levels(f64::NEG_INFINITY, 0.0, 10).is_empty());
    }
}
