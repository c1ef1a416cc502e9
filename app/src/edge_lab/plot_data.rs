//! The edge lab's two plots, from the run's samples: latency of the tasks completed in each
//! sampling window (mean and 95th percentile), and the busy share of each tier's cores.

use crate::kit::plot_data::{Line, LineChart, nice_ceiling};
use edge::Tier;
use scenario::edge_run::EdgeSample;
use sim::SimTime;

/// Which line of a chart (and of its HTML legend).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Mean latency of the window's completed tasks.
    MeanLatency,
    /// 95th percentile latency of the window's completed tasks.
    P95Latency,
    /// Busy share of a tier's cores.
    Utilisation(Tier),
}

fn ms(t: SimTime) -> f64 {
    t.as_millis_f64()
}

/// Latency of the tasks completed in each window, ms (windows with none are skipped).
pub fn latency(samples: &[EdgeSample], end: SimTime) -> LineChart<Curve> {
    let line = |curve, f: fn(&EdgeSample) -> Option<f64>| Line {
        curve,
        points: samples
            .iter()
            .filter_map(|s| f(s).map(|v| (ms(s.time), v)))
            .collect(),
    };
    let lines = vec![
        line(Curve::P95Latency, |s| s.window_p95_ms),
        line(Curve::MeanLatency, |s| s.window_mean_ms),
    ];
    let most = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    LineChart {
        x_max_ms: ms(end).max(1e-3),
        y_max: nice_ceiling(most),
        y_desc: "latency (ms)",
        lines,
    }
}

/// The busy share of each server tier's cores, percent.
pub fn utilisation(samples: &[EdgeSample], end: SimTime) -> LineChart<Curve> {
    let lines = [Tier::Edge, Tier::Fog, Tier::Cloud]
        .into_iter()
        .map(|tier| Line {
            curve: Curve::Utilisation(tier),
            points: samples
                .iter()
                .map(|s| (ms(s.time), s.utilisation[tier.index()] * 100.0))
                .collect(),
        })
        .collect();
    LineChart {
        x_max_ms: ms(end).max(1e-3),
        y_max: 100.0,
        y_desc: "busy cores (%)",
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::EdgeRun;
    use scenario::edge_lab::saturated_edge;

    #[test]
    fn curves_follow_the_samples_of_a_saturated_edge() {
        let mut run = EdgeRun::new(&saturated_edge()).unwrap();
        run.run_to_end();
        let end = run.end();
        let lat = latency(run.samples(), end);
        assert_eq!(lat.lines.len(), 2);
        assert!(lat.lines.iter().all(|l| !l.points.is_empty()));
        assert!(
            lat.lines
                .iter()
                .flat_map(|l| &l.points)
                .all(|p| p.1 <= lat.y_max)
        );
        let util = utilisation(run.samples(), end);
        assert_eq!(util.lines.len(), 3);
        let edge_busy = util.lines[0].points.iter().map(|p| p.1).fold(0.0, f64::max);
        assert!(edge_busy > 90.0, "a saturated edge is busy: {edge_busy}");
        assert!(
            util.lines
                .iter()
                .flat_map(|l| &l.points)
                .all(|p| (0.0..=100.0).contains(&p.1))
        );
    }
}
