//! Numbers as a person reads them in the energy lab: four significant digits, thousands
//! separators, and powers of ten only for the very large and the very small.

use energy::streaming::group_digits;

/// `v` with at most four significant digits: `51150000` → `51,150,000`, `51.15` → `51.15`,
/// `0.00031` → `0.00031`; beyond 10¹⁵ or below 10⁻⁶, `1.23 × 10¹⁸`.
pub fn figure(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_owned();
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let magnitude = v.abs().log10().floor() as i32;
    if !(-6..15).contains(&magnitude) {
        let mantissa = v / 10f64.powi(magnitude);
        // Rounding may carry 9.9996 to 10.
        let (mantissa, magnitude) = if trim_decimals(mantissa, 3) == "10" || mantissa.abs() >= 10.0
        {
            (mantissa / 10.0, magnitude + 1)
        } else {
            (mantissa, magnitude)
        };
        return format!(
            "{} × 10{}",
            trim_decimals(mantissa, 3),
            superscript(magnitude)
        );
    }
    let decimals = (3 - magnitude).max(0) as usize;
    let text = trim_decimals(v, decimals);
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest.to_owned()),
        None => ("", text),
    };
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (text, None),
    };
    let mut out = String::from(sign);
    out.push_str(&group_digits(&int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// A value with at most `decimals` decimals and no trailing zeros.
fn trim_decimals(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// An integer with thousands separators.
pub fn whole(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A count of views in words as well as digits: `16,500,000,000 (16.5 billion)`.
pub fn views(n: u64) -> String {
    let words = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]
        .into_iter()
        .find(|&(scale, _)| n as f64 >= scale)
        .map(|(scale, word)| format!(" ({} {word})", trim_decimals(n as f64 / scale, 2)));
    format!("{}{}", whole(n), words.unwrap_or_default())
}

/// A number as the form shows it for editing: no separators, no float noise (`70`, `0.5`).
pub fn editable(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        energy::streaming::short(v).replace(',', "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_digits_with_separators() {
        assert_eq!(figure(51_150_000.0), "51,150,000");
        assert_eq!(figure(51.15), "51.15");
        assert_eq!(figure(0.0031), "0.0031");
        assert_eq!(figure(0.0007000000000000001), "0.0007");
        assert_eq!(figure(2.5), "2.5");
        assert_eq!(figure(1234.5678), "1,235");
        assert_eq!(figure(0.123456), "0.1235");
        assert_eq!(figure(-1500.0), "-1,500");
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(f64::NAN), "–");
    }

    #[test]
    fn powers_of_ten_at_the_extremes() {
        assert_eq!(figure(2.4603e19), "2.46 × 10¹⁹");
        assert_eq!(figure(1.5e-9), "1.5 × 10⁻⁹");
        assert_eq!(figure(9.99996e20), "1 × 10²¹");
    }

    #[test]
    fn views_in_words() {
        assert_eq!(views(16_500_000_000), "16,500,000,000 (16.5 billion)");
        assert_eq!(views(999), "999");
        assert_eq!(views(2_000_000), "2,000,000 (2 million)");
    }

    #[test]
    fn editable_numbers_round_trip() {
        for v in [70.0, 2.0, 0.5, 1.25, 123_456.0] {
            assert_eq!(editable(v).parse::<f64>().unwrap(), v);
        }
        assert_eq!(editable(70.0), "70");
    }
}
