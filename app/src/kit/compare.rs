//! Fork and compare, the pure part: a lab's headline metrics as values with a unit and a better
//! direction, and the table of differences between the original run and its fork (Δ and which
//! is better, in words, so colour is never the only signal).

use crate::kit::format;

/// The fork's change menu lives with the scenarios (`scenario::fork`): each lab says which
/// changes it offers and what its own mean.
pub use scenario::fork::{ChangeKind, POLICY_CHOICES, PROTOCOL_CHOICES, SYNC_CHOICES};

pub use scenario::lab_run::{Better, Metric, Unit};

/// A metric's value in words (what a missing value means, when it has none).
pub fn metric_text(metric: &Metric) -> String {
    metric
        .value
        .map_or_else(|| metric.missing.to_owned(), |v| value_text(v, metric.unit))
}

fn value_text(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Count => format::count(v.round().max(0.0) as u64),
        Unit::Fraction => format::percent(v),
        Unit::Bytes => format::bytes(v.round().max(0.0) as u64),
        Unit::Nanoseconds => format::time_ns(v.round().max(0.0) as u64),
        Unit::Joules => format::si(v, "J"),
    }
}

/// Which run a row favours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The fork is better on this metric.
    Fork,
    /// The original is better.
    Original,
    /// Both are equal.
    Same,
    /// They differ, but neither is better in itself.
    Differs,
}

impl Verdict {
    /// The verdict in words, for the table.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Fork => "fork better",
            Verdict::Original => "original better",
            Verdict::Same => "same",
            Verdict::Differs => "neither better",
        }
    }

    /// A stable word for styling and tests.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Fork => "fork",
            Verdict::Original => "original",
            Verdict::Same => "same",
            Verdict::Differs => "differs",
        }
    }
}

/// One row of the difference table.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// What is measured.
    pub name: &'static str,
    /// The original's value in words.
    pub original: String,
    /// The fork's value in words.
    pub fork: String,
    /// Fork − original, signed, in words (`+12`, `−3.5 pp`, `–` when one is missing).
    pub delta: String,
    /// The sign of fork − original (`None` when a value is missing).
    pub sign: Option<std::cmp::Ordering>,
    /// Which run is better on it.
    pub verdict: Verdict,
}

/// The difference table: one row per metric the two runs share (by name, in the original's
/// order).
pub fn differences(original: &[Metric], fork: &[Metric]) -> Vec<Difference> {
    original
        .iter()
        .filter_map(|a| {
            let b = fork.iter().find(|b| b.name == a.name)?;
            Some(difference(a, b))
        })
        .collect()
}

fn difference(a: &Metric, b: &Metric) -> Difference {
    let (delta, sign, verdict) = match (a.value, b.value) {
        (Some(x), Some(y)) => {
            let d = y - x;
            // Counts and bytes are whole; the rest compare to a part in a billion so that
            // float noise (energy sums) does not read as a difference.
            let tolerance = 1e-9 * x.abs().max(y.abs());
            let sign = if d.abs() <= tolerance {
                std::cmp::Ordering::Equal
            } else if d > 0.0 {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Less
            };
            let verdict = match (sign, a.better) {
                (std::cmp::Ordering::Equal, _) => Verdict::Same,
                (_, Better::Neither) => Verdict::Differs,
                (std::cmp::Ordering::Greater, Better::Higher)
                | (std::cmp::Ordering::Less, Better::Lower) => Verdict::Fork,
                _ => Verdict::Original,
            };
            (delta_text(d, x, a.unit, sign), Some(sign), verdict)
        }
        // A missing value is one not reached yet: having one is better whichever way is
        // better (reached everyone, converged).
        (Some(_), None) => (
            "–".to_owned(),
            None,
            verdict_missing(a.better, Verdict::Original),
        ),
        (None, Some(_)) => (
            "–".to_owned(),
            None,
            verdict_missing(a.better, Verdict::Fork),
        ),
        (None, None) => ("–".to_owned(), None, Verdict::Same),
    };
    Difference {
        name: a.name,
        original: metric_text(a),
        fork: metric_text(b),
        delta,
        sign,
        verdict,
    }
}

fn verdict_missing(better: Better, has_value: Verdict) -> Verdict {
    match better {
        Better::Neither => Verdict::Differs,
        _ => has_value,
    }
}

fn delta_text(d: f64, base: f64, unit: Unit, sign: std::cmp::Ordering) -> String {
    if sign == std::cmp::Ordering::Equal {
        return "0".to_owned();
    }
    let plus_minus = if d > 0.0 { "+" } else { "−" };
    let magnitude = match unit {
        Unit::Fraction => format!("{} pp", format::trim(d.abs() * 100.0, 1)),
        other => value_text(d.abs(), other),
    };
    let relative = if base != 0.0 && unit != Unit::Fraction {
        let percent = (d / base).abs() * 100.0;
        // Small changes keep a decimal, so they do not read as "0 %".
        format!(
            " ({plus_minus}{} %)",
            format::trim(percent, if percent < 10.0 { 1 } else { 0 })
        )
    } else {
        String::new()
    };
    format!("{plus_minus}{magnitude}{relative}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn verdicts_follow_the_better_direction_and_missing_values() {
        let a = [
            Metric::new("sent", 100.0, Unit::Count, Better::Lower),
            Metric::new("reach", 1.0, Unit::Fraction, Better::Higher),
            Metric::new("delivered", 90.0, Unit::Count, Better::Neither),
            Metric::maybe(
                "converged",
                Some(5e6),
                Unit::Nanoseconds,
                Better::Lower,
                "not yet",
            ),
            Metric::new("energy", 3.0, Unit::Joules, Better::Lower),
        ];
        let b = [
            Metric::new("sent", 150.0, Unit::Count, Better::Lower),
            Metric::new("reach", 0.875, Unit::Fraction, Better::Higher),
            Metric::new("delivered", 60.0, Unit::Count, Better::Neither),
            Metric::maybe(
                "converged",
                None,
                Unit::Nanoseconds,
                Better::Lower,
                "not yet",
            ),
            Metric::new("energy", 3.0 + 1e-12, Unit::Joules, Better::Lower),
        ];
        let small = differences(
            &[Metric::new("e", 15.5, Unit::Joules, Better::Lower)],
            &[Metric::new("e", 15.45, Unit::Joules, Better::Lower)],
        );
        assert_eq!(small[0].delta, "−50 mJ (−0.3 %)");
        let rows = differences(&a, &b);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0].delta, "+50 (+50 %)");
        assert_eq!(rows[0].verdict, Verdict::Original);
        assert_eq!(rows[1].delta, "−12.5 pp");
        assert_eq!(rows[1].verdict, Verdict::Original);
        assert_eq!(rows[2].sign, Some(Ordering::Less));
        assert_eq!(rows[2].verdict, Verdict::Differs);
        assert_eq!(rows[3].fork, "not yet");
        assert_eq!(
            rows[3].verdict,
            Verdict::Original,
            "converged beats not yet"
        );
        assert_eq!(
            rows[4].verdict,
            Verdict::Same,
            "float noise is no difference"
        );
        assert_eq!(rows[4].delta, "0");
        let swapped = differences(&b, &a);
        assert_eq!(swapped[0].verdict, Verdict::Fork);
        assert_eq!(swapped[0].delta, "−50 (−33 %)");
    }
}
