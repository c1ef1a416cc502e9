//! The CRDT lab's three plots, from the run's samples: distinct states over time (chosen mode
//! and naive twin), bytes sent by each sync mode, and metadata per replica.

use crate::kit::plot_data::{Line, LineChart, nice_ceiling};
use scenario::crdt_run::CrdtSample;
use sim::SimTime;

/// Which line of a chart (and of its HTML legend).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Distinct states, chosen mode.
    Distinct,
    /// Distinct states, the naive twin.
    NaiveDistinct,
    /// Bytes sent by state-based sync.
    StateBytes,
    /// Bytes sent by op-based sync.
    OpBytes,
    /// Bytes sent by delta-state sync.
    DeltaBytes,
    /// Metadata bytes per replica.
    Metadata,
}

fn ms(t: SimTime) -> f64 {
    t.as_millis_f64()
}

/// Distinct replica states over time.
pub fn divergence(samples: &[CrdtSample], end: SimTime) -> LineChart<Curve> {
    let most = samples
        .iter()
        .map(|s| s.distinct_states.max(s.naive_distinct.unwrap_or(0)))
        .max()
        .unwrap_or(1);
    let mut lines = vec![Line {
        curve: Curve::Distinct,
        points: samples
            .iter()
            .map(|s| (ms(s.time), f64::from(s.distinct_states)))
            .collect(),
    }];
    if samples.iter().any(|s| s.naive_distinct.is_some()) {
        lines.push(Line {
            curve: Curve::NaiveDistinct,
            points: samples
                .iter()
                .filter_map(|s| s.naive_distinct.map(|d| (ms(s.time), f64::from(d))))
                .collect(),
        });
    }
    LineChart {
        x_max_ms: ms(end).max(1e-3),
        y_max: f64::from(most.max(2)) + 0.5,
        y_desc: "distinct states",
        lines,
    }
}

/// Bytes sent so far by each sync mode on the same updates.
pub fn bytes_by_mode(samples: &[CrdtSample], end: SimTime) -> LineChart<Curve> {
    let most = samples
        .iter()
        .flat_map(|s| s.bytes_by_mode)
        .max()
        .unwrap_or(0);
    let line = |curve, i: usize| Line {
        curve,
        points: samples
            .iter()
            .map(|s| (ms(s.time), s.bytes_by_mode[i] as f64))
            .collect(),
    };
    LineChart {
        x_max_ms: ms(end).max(1e-3),
        y_max: nice_ceiling(most as f64),
        y_desc: "bytes sent",
        lines: vec![
            line(Curve::StateBytes, 0),
            line(Curve::OpBytes, 1),
            line(Curve::DeltaBytes, 2),
        ],
    }
}

/// Mean metadata bytes per replica (the value's and the sync's bookkeeping).
pub fn metadata(samples: &[CrdtSample], end: SimTime) -> LineChart<Curve> {
    let most = samples
        .iter()
        .map(|s| s.metadata_bytes_per_replica)
        .fold(0.0, f64::max);
    LineChart {
        x_max_ms: ms(end).max(1e-3),
        y_max: nice_ceiling(most),
        y_desc: "bytes per replica",
        lines: vec![Line {
            curve: Curve::Metadata,
            points: samples
                .iter()
                .map(|s| (ms(s.time), s.metadata_bytes_per_replica))
                .collect(),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::CrdtRun;
    use scenario::crdt_lab::default_crdt_scenario;

    #[test]
    fn charts_cover_the_run_and_stay_in_range() {
        let mut run = CrdtRun::new(&default_crdt_scenario()).expect("valid");
        run.run_to_end();
        for chart in [
            divergence(run.samples(), run.end()),
            bytes_by_mode(run.samples(), run.end()),
            metadata(run.samples(), run.end()),
        ] {
            assert!(!chart.lines.is_empty());
            for line in &chart.lines {
                assert!(!line.points.is_empty(), "{}", chart.y_desc);
                for &(x, y) in &line.points {
                    assert!((0.0..=chart.x_max_ms).contains(&x), "{}", chart.y_desc);
                    assert!((0.0..=chart.y_max).contains(&y), "{}: {y}", chart.y_desc);
                }
            }
        }
        assert_eq!(bytes_by_mode(run.samples(), run.end()).lines.len(), 3);
    }
}
