//! What the live view shows, computed from a run without touching the DOM: each node's state,
//! whether to draw individual messages or only node states, the caption that says which, the
//! geometry that maps unit-space layouts to canvas pixels, and hit testing for clicks.

use crate::kit::format;
use crate::kit::layout::Point;
use sim::SimTime;

/// Above this many nodes the view draws node states only, not individual messages.
pub const DETAIL_MAX_NODES: u32 = 500;
/// Above this many messages in flight the view draws node states only.
pub const DETAIL_MAX_MESSAGES: u64 = 3_000;
/// Above this many links they are not drawn at all (they would be a grey blur that costs
/// seconds to paint).
pub const MAX_DRAWN_LINKS: u64 = 60_000;

pub use scenario::lab_run::{Knowledge, NodeLook};

/// How many nodes are in each state: the text alternative of the picture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// Knowing the latest update.
    pub latest: u32,
    /// Knowing only older updates.
    pub older: u32,
    /// Knowing nothing.
    pub unaware: u32,
    /// Crashed (counted in the above too).
    pub crashed: u32,
}

/// Counts node states.
pub fn census(looks: &[NodeLook]) -> Census {
    let mut c = Census::default();
    for look in looks {
        match look.knowledge {
            Knowledge::Latest => c.latest += 1,
            Knowledge::Older => c.older += 1,
            Knowledge::Unaware => c.unaware += 1,
            Knowledge::State(_) => {}
        }
        if !look.up {
            c.crashed += 1;
        }
    }
    c
}

impl Census {
    /// One sentence: "25 nodes: 12 know the latest update (u1), 3 only older ones, 10 none; 1 crashed."
    pub fn sentence(&self, latest: Option<u32>) -> String {
        let total = self.latest + self.older + self.unaware;
        let nodes = format::count(total as u64);
        let mut text = match latest {
            None => format!("{nodes} nodes; no update has been broadcast yet"),
            Some(u) => format!(
                "{nodes} nodes: {} know the latest update (u{u}), {} only older ones, {} none",
                format::count(self.latest as u64),
                format::count(self.older as u64),
                format::count(self.unaware as u64)
            ),
        };
        if self.crashed > 0 {
            text.push_str(&format!("; {} crashed", format::count(self.crashed as u64)));
        }
        text.push('.');
        text
    }
}

/// How much the view draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Nodes, links and every message in flight.
    Messages,
    /// Node states only (too many nodes or messages to draw one by one).
    NodeStates,
}

/// The level of detail for a run of `nodes` nodes with `in_flight` messages on the wire.
pub fn detail(nodes: u32, in_flight: u64) -> Detail {
    if nodes > DETAIL_MAX_NODES || in_flight > DETAIL_MAX_MESSAGES {
        Detail::NodeStates
    } else {
        Detail::Messages
    }
}

/// The caption under the view: says plainly when messages are not drawn and why.
pub fn caption(nodes: u32, links: u64, in_flight: u64, detail: Detail) -> String {
    let mut text = match detail {
        Detail::Messages => format!(
            "{} nodes, {} links, {} messages in flight (dots moving along links).",
            format::count(nodes as u64),
            format::count(links),
            format::count(in_flight)
        ),
        Detail::NodeStates if nodes > DETAIL_MAX_NODES => format!(
            "{} nodes: showing node states, not individual messages ({} in flight).",
            format::count(nodes as u64),
            format::count(in_flight)
        ),
        Detail::NodeStates => format!(
            "{} messages in flight: showing node states, not individual messages.",
            format::count(in_flight)
        ),
    };
    if links > MAX_DRAWN_LINKS {
        text.push_str(&format!(
            " The {} links are not drawn.",
            format::count(links)
        ));
    }
    text
}

/// Maps unit-space points to canvas pixels: `pixel = offset + unit × scale`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    /// Pixels per unit.
    pub scale: f64,
    /// Pixel x of unit x = 0.
    pub offset_x: f64,
    /// Pixel y of unit y = 0.
    pub offset_y: f64,
}

impl Transform {
    /// Fits the bounding box `(min_x, min_y, max_x, max_y)` into `width × height` pixels with a
    /// `margin` on every side, keeping the aspect ratio and centring.
    pub fn fit(bounds: (f64, f64, f64, f64), width: f64, height: f64, margin: f64) -> Transform {
        let (min_x, min_y, max_x, max_y) = bounds;
        let span_x = (max_x - min_x).max(1e-9);
        let span_y = (max_y - min_y).max(1e-9);
        let room_x = (width - 2.0 * margin).max(1.0);
        let room_y = (height - 2.0 * margin).max(1.0);
        let degenerate_x = max_x - min_x < 1e-9;
        let degenerate_y = max_y - min_y < 1e-9;
        let scale = match (degenerate_x, degenerate_y) {
            (true, true) => 1.0,
            (true, false) => room_y / span_y,
            (false, true) => room_x / span_x,
            (false, false) => (room_x / span_x).min(room_y / span_y),
        };
        let used_x = if degenerate_x { 0.0 } else { span_x * scale };
        let used_y = if degenerate_y { 0.0 } else { span_y * scale };
        Transform {
            scale,
            offset_x: (width - used_x) / 2.0 - min_x * scale,
            offset_y: (height - used_y) / 2.0 - min_y * scale,
        }
    }

    /// A unit-space point in pixels.
    pub fn apply(&self, p: Point) -> Point {
        (
            self.offset_x + p.0 * self.scale,
            self.offset_y + p.1 * self.scale,
        )
    }
}

/// The radius of a node's disc in pixels, from the distance between nearest neighbours in the
/// layout (`spacing`, unit space): large for a handful of nodes, a pixel or two for thousands.
pub fn node_radius(spacing: f64, scale: f64) -> f64 {
    (0.36 * spacing * scale).clamp(1.0, 16.0)
}

/// A cheap estimate of the spacing between neighbouring nodes for `n` nodes in the unit square.
pub fn spacing_estimate(points: &[Point]) -> f64 {
    if points.len() <= 1 {
        return 1.0;
    }
    if points.len() <= DETAIL_MAX_NODES as usize {
        return crate::kit::layout::min_distance(points).max(1e-6);
    }
    // Evenly spread points: each owns about 1 / n of the area.
    (0.8 / points.len() as f64).sqrt()
}

/// The node under pixel `(x, y)`, if any lies within `reach` pixels (the nearest wins).
pub fn hit(points_px: &[Point], x: f64, y: f64, reach: f64) -> Option<u32> {
    let mut best: Option<(u32, f64)> = None;
    for (i, p) in points_px.iter().enumerate() {
        let d2 = (p.0 - x).powi(2) + (p.1 - y).powi(2);
        if d2 <= reach * reach && best.is_none_or(|(_, b)| d2 < b) {
            best = Some((i as u32, d2));
        }
    }
    best.map(|(i, _)| i)
}

/// Where a message is drawn: on the straight line from sender to receiver, the fraction of
/// its flight time already elapsed along.
pub fn message_point(
    from: Point,
    to: Point,
    sent_at: SimTime,
    arrives_at: SimTime,
    now: SimTime,
) -> Point {
    let total = arrives_at.0.saturating_sub(sent_at.0);
    let fraction = if total == 0 {
        1.0
    } else {
        (now.0.saturating_sub(sent_at.0) as f64 / total as f64).clamp(0.0, 1.0)
    };
    (
        from.0 + (to.0 - from.0) * fraction,
        from.1 + (to.1 - from.1) * fraction,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::scenario::broadcast_presets;
    use scenario::{BroadcastRun, LabRun};
    use sim::NodeId;
    use sim::{Fault, RunBudget};

    #[test]
    fn node_states_follow_the_run() {
        let mut run = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        let looks = run.node_looks();
        assert_eq!(looks.len(), 25);
        assert!(
            looks
                .iter()
                .all(|l| l.knowledge == Knowledge::Unaware && l.up)
        );
        assert_eq!(run.latest_update(), None);

        run.advance(RunBudget {
            until: SimTime::from_millis(25),
            max_events: u64::MAX,
        });
        let looks = run.node_looks();
        let c = census(&looks);
        assert_eq!(run.latest_update(), Some(0));
        assert!(c.latest > 1 && c.unaware > 0, "{c:?}");
        assert_eq!(c.latest + c.older + c.unaware, 25);

        run.fault_now(Fault::Crash(NodeId(24)))
            .expect("a valid fault");
        run.fault_now(Fault::Split(vec![(0..10).map(NodeId).collect()]))
            .expect("a valid fault");
        run.advance(RunBudget {
            until: SimTime::from_millis(26),
            max_events: u64::MAX,
        });
        let looks = run.node_looks();
        assert!(!looks[24].up);
        assert_eq!(census(&looks).crashed, 1);
        assert!(looks[0].group.is_some() && looks[0].group != looks[20].group);

        // The second broadcast (400 ms) makes u1 the latest: nodes knowing only u0 are "older".
        run.advance(RunBudget {
            until: SimTime::from_millis(405),
            max_events: u64::MAX,
        });
        let c = census(&run.node_looks());
        assert_eq!(run.latest_update(), Some(1));
        assert!(c.older > 0, "{c:?}");
    }

    #[test]
    fn census_sentences() {
        let c = Census {
            latest: 12,
            older: 3,
            unaware: 10,
            crashed: 1,
        };
        assert_eq!(
            c.sentence(Some(1)),
            "25 nodes: 12 know the latest update (u1), 3 only older ones, 10 none; 1 crashed."
        );
        let none = Census {
            unaware: 10_000,
            ..Census::default()
        };
        assert_eq!(
            none.sentence(None),
            "10,000 nodes; no update has been broadcast yet."
        );
    }

    #[test]
    fn big_runs_show_node_states_and_say_so() {
        assert_eq!(detail(25, 10), Detail::Messages);
        assert_eq!(detail(10_000, 0), Detail::NodeStates);
        assert_eq!(detail(200, 5_000), Detail::NodeStates);
        let text = caption(10_000, 40_000, 1_234, Detail::NodeStates);
        assert!(
            text.starts_with("10,000 nodes: showing node states, not individual messages"),
            "{text}"
        );
        assert!(caption(100_000, 400_000, 0, Detail::NodeStates).contains("links are not drawn"));
        assert!(caption(200, 900, 5_000, Detail::NodeStates).starts_with("5,000 messages"));
    }

    #[test]
    fn fitting_keeps_the_aspect_ratio_and_centres() {
        let t = Transform::fit((0.0, 0.0, 1.0, 0.5), 400.0, 400.0, 20.0);
        assert_eq!(t.scale, 360.0);
        assert_eq!(t.apply((0.0, 0.0)), (20.0, 110.0));
        assert_eq!(t.apply((1.0, 0.5)), (380.0, 290.0));
        let one = Transform::fit((0.5, 0.5, 0.5, 0.5), 300.0, 200.0, 10.0);
        assert_eq!(one.apply((0.5, 0.5)), (150.0, 100.0));
        let row = Transform::fit((0.0, 0.5, 1.0, 0.5), 300.0, 200.0, 10.0);
        assert_eq!(row.apply((0.0, 0.5)), (10.0, 100.0));
    }

    #[test]
    fn radius_shrinks_with_density_within_limits() {
        assert_eq!(node_radius(0.25, 400.0), 16.0);
        assert!(node_radius(0.01, 400.0) < 2.0);
        assert_eq!(node_radius(1e-6, 400.0), 1.0);
    }

    #[test]
    fn clicks_pick_the_nearest_node_in_reach() {
        let points = [(10.0, 10.0), (30.0, 10.0), (100.0, 100.0)];
        assert_eq!(hit(&points, 12.0, 11.0, 8.0), Some(0));
        assert_eq!(hit(&points, 22.0, 10.0, 15.0), Some(1));
        assert_eq!(hit(&points, 60.0, 60.0, 8.0), None);
    }

    #[test]
    fn messages_move_along_their_link() {
        let at = |now| {
            message_point(
                (0.0, 0.0),
                (100.0, 50.0),
                SimTime(1_000),
                SimTime(2_000),
                SimTime(now),
            )
        };
        assert_eq!(at(1_000), (0.0, 0.0));
        assert_eq!(at(1_500), (50.0, 25.0));
        assert_eq!(at(2_000), (100.0, 50.0));
        assert_eq!(at(5_000), (100.0, 50.0), "clamped");
        assert_eq!(at(0), (0.0, 0.0), "clamped");
    }
}
