//! The curves of the plot, from a run's samples: the fraction of (node, update) pairs informed,
//! in percent, and the messages sent and dropped so far, against simulated milliseconds.

use crate::kit::format;
use scenario::broadcast_run::Sample;
use sim::SimTime;

/// Points ready for the chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlotData {
    /// `(ms, percent informed)`.
    pub informed: Vec<(f64, f64)>,
    /// `(ms, messages sent so far)`.
    pub sent: Vec<(f64, f64)>,
    /// `(ms, messages dropped so far)`.
    pub dropped: Vec<(f64, f64)>,
    /// The x axis ends at the end of the run.
    pub x_max_ms: f64,
    /// The message axis ends at a round number above the most messages.
    pub y_max_messages: f64,
}

/// A chart of lines on one axis against simulated milliseconds; `C` names each line (its colour
/// and its legend entry).
#[derive(Clone, Debug, PartialEq)]
pub struct LineChart<C> {
    /// The x axis ends at the end of the run.
    pub x_max_ms: f64,
    /// The y axis ends here.
    pub y_max: f64,
    /// The y axis's description.
    pub y_desc: &'static str,
    /// The lines, drawn in order.
    pub lines: Vec<Line<C>>,
}

/// One line of a [`LineChart`].
#[derive(Clone, Debug, PartialEq)]
pub struct Line<C> {
    /// Which line.
    pub curve: C,
    /// `(ms, value)` points.
    pub points: Vec<(f64, f64)>,
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `v` (at least 10).
pub fn nice_ceiling(v: f64) -> f64 {
    if !(v.is_finite() && v > 10.0) {
        return 10.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * magnitude >= v {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// The plot's points for `samples` of a run that ends at `end`.
pub fn plot_data(samples: &[Sample], end: SimTime) -> PlotData {
    let ms = |t: SimTime| t.as_millis_f64();
    let most = samples.iter().map(|s| s.messages_sent).max().unwrap_or(0);
    PlotData {
        informed: samples
            .iter()
            .map(|s| (ms(s.time), s.informed_fraction * 100.0))
            .collect(),
        sent: samples
            .iter()
            .map(|s| (ms(s.time), s.messages_sent as f64))
            .collect(),
        dropped: samples
            .iter()
            .map(|s| (ms(s.time), s.messages_dropped as f64))
            .collect(),
        x_max_ms: ms(end).max(1e-3),
        y_max_messages: nice_ceiling(most as f64),
    }
}

/// The plot's last point in words (its text alternative).
pub fn describe_last(samples: &[Sample]) -> String {
    match samples.last() {
        None => "The curves start when the run does.".to_owned(),
        Some(s) => format!(
            "At {}: {} of (node, update) pairs informed, {} messages sent, {} dropped.",
            format::time_ns(s.time.0),
            format::percent(s.informed_fraction),
            format::count(s.messages_sent),
            format::count(s.messages_dropped)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::BroadcastRun;
    use scenario::scenario::broadcast_presets;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(0.0), 10.0);
        assert_eq!(nice_ceiling(11.0), 20.0);
        assert_eq!(nice_ceiling(80.0), 100.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(80_688.0), 100_000.0);
        assert_eq!(nice_ceiling(f64::NAN), 10.0);
    }

    #[test]
    fn curves_follow_a_run_and_stay_in_range() {
        let mut run = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        run.run_to_end();
        let data = plot_data(run.samples(), run.end());
        assert!(!data.informed.is_empty());
        assert_eq!(data.x_max_ms, 1_000.0);
        assert!(
            data.informed
                .iter()
                .all(|&(x, y)| (0.0..=1_000.0).contains(&x) && (0.0..=100.0).contains(&y))
        );
        assert_eq!(data.informed.last().map(|p| p.1), Some(100.0));
        let sent = data.sent.last().map(|p| p.1).unwrap_or(0.0);
        assert!(sent > 0.0 && sent <= data.y_max_messages);
        assert!(data.sent.windows(2).all(|w| w[0].1 <= w[1].1), "cumulative");
        assert!(describe_last(run.samples()).contains("100 % of (node, update) pairs informed"));
    }

    #[test]
    fn an_empty_run_has_an_empty_plot() {
        let data = plot_data(&[], SimTime::from_millis(5));
        assert!(data.informed.is_empty());
        assert_eq!(data.y_max_messages, 10.0);
        assert_eq!(describe_last(&[]), "The curves start when the run does.");
    }
}
