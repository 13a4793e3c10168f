//! One way to write a number in a figure, for titles, legends and labels alike: as short as
//! `{:g}` writes it (no trailing zeros, no Debug output), with a true minus sign (U+2212) and
//! ×10ⁿ instead of `e` for very large and very small values.

/// `value` with up to 6 significant digits, as `{:g}` writes it but with a true minus sign and
/// ×10ⁿ (Unicode superscripts, which the label markup sets as a superscript) below 10⁻⁴ and from
/// 10⁶ up: `0.22`, `−4`, `1250`, `2.1×10⁻¹⁰`, `10⁻⁵` (a mantissa of 1 is left out).
///
/// ```
/// use scorelab::plot::number;
/// assert_eq!(number(-4.0), "−4");
/// assert_eq!(number(0.1 + 0.2), "0.3");
/// assert_eq!(number(2.1e-10), "2.1×10⁻¹⁰");
/// assert_eq!(number(1e-5), "10⁻⁵");
/// assert_eq!(number(123_456.0), "123456");
/// ```
pub fn number(value: f64) -> String {
    significant(value, 6)
}

/// `value` rounded to `digits` significant digits (1 to 17), written as [`number`] writes it:
/// `significant(0.2204545, 3)` is `0.22`, not `0.220`.
///
/// ```
/// use scorelab::plot::significant;
/// assert_eq!(significant(0.2204545, 3), "0.22");
/// assert_eq!(significant(-0.0004, 2), "−0.0004");
/// assert_eq!(significant(3.0e-7, 2), "3×10⁻⁷");
/// ```
pub fn significant(value: f64, digits: usize) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "−∞" }.to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let digits = digits.clamp(1, 17);
    // Rounded to `digits` significant digits first, so 999999.7 counts as 10⁶.
    let scientific = format!("{:.*e}", digits - 1, value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if value < 0.0 { "−" } else { "" };
    if (-4..6).contains(&exponent) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        let fixed = format!("{:.*}", decimals, value.abs());
        format!("{sign}{}", trim_zeros(&fixed))
    } else {
        let mantissa = trim_zeros(mantissa);
        let power = format!("10{}", superscript(exponent));
        if mantissa == "1" {
            format!("{sign}{power}")
        } else {
            format!("{sign}{mantissa}×{power}")
        }
    }
}

/// "0.2500" → "0.25", "3.000" → "3", "120" → "120".
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

/// An integer in Unicode superscript digits ("⁻¹⁰").
pub(crate) fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits = n.unsigned_abs().to_string();
    let sign = if n < 0 { "⁻" } else { "" };
    sign.chars()
        .chain(digits.bytes().map(|b| DIGITS[usize::from(b - b'0')]))
        .collect()
}

/// Numbers separated by ", " (a list of occupancies, weights or means), each as
/// [`significant`] writes it: "0.25, 0.75".
pub(crate) fn list(values: &[f64], digits: usize) -> String {
    values
        .iter()
        .map(|&v| significant(v, digits))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_with_true_minus_signs_and_powers_of_ten() {
        let cases: [(f64, &str); 14] = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-4.0, "−4"),
            (0.220, "0.22"),
            (0.1 + 0.2, "0.3"),
            (2.5, "2.5"),
            (1e-4, "0.0001"),
            (1e-5, "10⁻⁵"),
            (2.1e-10, "2.1×10⁻¹⁰"),
            (-3.5e7, "−3.5×10⁷"),
            (999_999.7, "10⁶"),
            (20_000.0, "20000"),
            (f64::NEG_INFINITY, "−∞"),
        ];
        for (v, text) in cases {
            assert_eq!(number(v), text, "{v:e}");
        }
        assert_eq!(significant(0.2204545, 3), "0.22");
        assert_eq!(significant(0.249_999, 2), "0.25");
        assert_eq!(list(&[0.25, 0.7501], 3), "0.25, 0.75");
        for v in [-1e-300, -7.5, -1e300, -0.3] {
            assert!(!number(v).contains('-'), "{}", number(v));
        }
    }
}
