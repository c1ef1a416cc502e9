//! Numbers as a person reads them: times with a fitting unit, counts with thousands separators,
//! percentages and speeds. Pure functions, tested natively.

/// A simulated time or duration in nanoseconds, with a unit that keeps 3–4 significant digits:
/// `0 ms`, `850 µs`, `12.5 ms`, `1.25 s`.
pub fn time_ns(ns: u64) -> String {
    if ns == 0 {
        "0 ms".to_owned()
    } else if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{} µs", trim(ns as f64 / 1e3, 1))
    } else if ns < 1_000_000_000 {
        format!("{} ms", trim(ns as f64 / 1e6, 1))
    } else {
        format!("{} s", trim(ns as f64 / 1e9, 3))
    }
}

/// A duration given in milliseconds, as [`time_ns`] writes it (`2415.9` → `2.416 s`); `–` when
/// it is not a number.
pub fn millis(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        return "–".to_owned();
    }
    time_ns((ms * 1e6).round() as u64)
}

/// A value with at most `decimals` decimals and no trailing zeros (`12.50` → `12.5`).
pub fn trim(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// An integer with thousands separators: `10000` → `10,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number with thousands separators and at most `decimals` decimals, no trailing zeros:
/// `grouped(3600000.0, 0)` is `3,600,000`, `grouped(-1234.5, 1)` is `-1,234.5`.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let text = trim(value.abs(), decimals);
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    if value < 0.0 && text != "0" {
        out.push('-');
    }
    out.push_str(
        &whole
            .parse::<u64>()
            .map_or_else(|_| whole.to_owned(), count),
    );
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A fraction in `0..=1` as a percentage with up to one decimal: `0.125` → `12.5 %`.
pub fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "–".to_owned();
    }
    format!("{} %", trim(fraction * 100.0, 1))
}

/// A speed factor relative to real time: `0.05×`, `1×`, `100×`.
pub fn speed(factor: f64) -> String {
    let decimals = if factor < 0.1 {
        3
    } else if factor < 1.0 {
        2
    } else if factor < 10.0 {
        1
    } else {
        0
    };
    format!("{}×", trim(factor, decimals))
}

/// Bytes with a binary-free, SI unit: `96 B`, `12.3 kB`, `4.5 MB`.
pub fn bytes(n: u64) -> String {
    if n < 1_000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        format!("{} kB", trim(n as f64 / 1e3, 1))
    } else if n < 1_000_000_000 {
        format!("{} MB", trim(n as f64 / 1e6, 1))
    } else {
        format!("{} GB", trim(n as f64 / 1e9, 2))
    }
}

/// A quantity with an SI prefix chosen so the number reads well: `si(0.0042, "J")` is
/// `4.2 mJ`; three significant digits at most.
pub fn si(value: f64, unit: &str) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    if value == 0.0 {
        return format!("0 {unit}");
    }
    const PREFIXES: [(f64, &str); 9] = [
        (1e12, "T"),
        (1e9, "G"),
        (1e6, "M"),
        (1e3, "k"),
        (1.0, ""),
        (1e-3, "m"),
        (1e-6, "µ"),
        (1e-9, "n"),
        (1e-12, "p"),
    ];
    let magnitude = value.abs();
    let (scale, prefix) = PREFIXES
        .iter()
        .copied()
        .find(|(scale, _)| magnitude >= *scale)
        .unwrap_or(PREFIXES[PREFIXES.len() - 1]);
    let scaled = value / scale;
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{} {prefix}{unit}", trim(scaled, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_prefixes_keep_numbers_short() {
        assert_eq!(si(0.0, "J"), "0 J");
        assert_eq!(si(0.0042, "J"), "4.2 mJ");
        assert_eq!(si(95.0, "J"), "95 J");
        assert_eq!(si(1234.0, "J"), "1.23 kJ");
        assert_eq!(si(3.3e-8, "kWh"), "33 nkWh");
        assert_eq!(si(2.5e-13, "g"), "0.25 pg");
        assert_eq!(si(f64::NAN, "J"), "–");
    }

    #[test]
    fn times_pick_a_readable_unit() {
        assert_eq!(time_ns(0), "0 ms");
        assert_eq!(time_ns(500), "500 ns");
        assert_eq!(time_ns(850_000), "850 µs");
        assert_eq!(time_ns(12_500_000), "12.5 ms");
        assert_eq!(time_ns(10_000_000), "10 ms");
        assert_eq!(time_ns(1_250_000_000), "1.25 s");
        assert_eq!(time_ns(3_600_000_000_000), "3600 s");
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn percentages_and_speeds() {
        assert_eq!(percent(0.125), "12.5 %");
        assert_eq!(percent(1.0), "100 %");
        assert_eq!(percent(f64::NAN), "–");
        assert_eq!(speed(0.05), "0.05×");
        assert_eq!(speed(0.01), "0.01×");
        assert_eq!(speed(1.0), "1×");
        assert_eq!(speed(2.5), "2.5×");
        assert_eq!(speed(100.0), "100×");
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(bytes(96), "96 B");
        assert_eq!(bytes(12_300), "12.3 kB");
        assert_eq!(bytes(4_500_000), "4.5 MB");
    }

    #[test]
    fn grouped_numbers_read_like_counts() {
        assert_eq!(grouped(3_600_000.0, 0), "3,600,000");
        assert_eq!(grouped(-1234.5, 1), "-1,234.5");
        assert_eq!(grouped(0.25, 3), "0.25");
        assert_eq!(grouped(-0.0001, 1), "0");
        assert_eq!(grouped(f64::NAN, 1), "–");
    }

    #[test]
    fn milliseconds_read_like_every_other_time() {
        assert_eq!(millis(2415.9), "2.416 s");
        assert_eq!(millis(111.84), "111.8 ms");
        assert_eq!(millis(f64::NAN), "–");
    }
}
