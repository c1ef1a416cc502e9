//! The space-time (Lamport) diagram's layout: pure, tested natively. One lane per chosen node,
//! events placed by simulated time or by Lamport time, arrows from send to delivery, drops
//! marked with their reason, partitions shaded, and the chosen event's causal past and future.
//!
//! Only a window of recent events is laid out ([`MAX_DRAWN_EVENTS`] on the chosen lanes, found
//! by looking back at most [`MAX_SCANNED_EVENTS`] log entries), so the drawing stays small
//! however long the run. Coordinates are in the SVG's viewBox units.

use sim::{DropReason, Happening, LogEntry, NodeId, PartitionState, SimTime, TraceLog};
use std::collections::BTreeSet;

/// Most events drawn (arrows come with them), so the SVG stays a few hundred elements.
pub const MAX_DRAWN_EVENTS: usize = 160;
/// Most log entries looked at when filling the window (lanes may be quiet).
pub const MAX_SCANNED_EVENTS: usize = 6_000;
/// Most lanes drawn by default (more do not fit a screen's height legibly).
pub const MAX_LANES: usize = 12;

/// The diagram's width in viewBox units.
pub const WIDTH: f64 = 720.0;
/// Where the lanes start (room for the lane labels).
pub const LEFT: f64 = 44.0;
/// Room after the last event.
pub const RIGHT: f64 = 16.0;
/// Distance between lanes.
pub const LANE_GAP: f64 = 30.0;
/// Room above the first lane.
pub const TOP: f64 = 18.0;
/// Room below the last lane (the axis).
pub const BOTTOM: f64 = 26.0;

/// What the horizontal axis measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Simulated time.
    Time,
    /// Lamport time: causally related events are ordered, concurrent ones may share a column.
    Lamport,
}

/// How an event is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glyph {
    /// Start (a ring).
    Start,
    /// Send (a dot).
    Send,
    /// Delivery (a dot with a ring).
    Deliver,
    /// Dropped message (a cross, with the reason written beside it).
    Drop,
    /// Timer (a small square).
    Timer,
    /// Input from outside (a diamond).
    Input,
    /// Crash (a bar across the lane).
    Crash,
    /// Restart (a triangle).
    Restart,
    /// Note (a small dot).
    Note,
    /// Network duplicate (a small cross-dot on the sender's lane).
    Duplicate,
}

/// Where an event stands relative to the chosen one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// Nothing is chosen.
    None,
    /// The chosen event.
    Chosen,
    /// It happens before the chosen event.
    Past,
    /// The chosen event happens before it.
    Future,
    /// Concurrent with the chosen event.
    Concurrent,
}

impl Relation {
    /// A CSS class word.
    pub fn word(self) -> &'static str {
        match self {
            Relation::None => "none",
            Relation::Chosen => "chosen",
            Relation::Past => "past",
            Relation::Future => "future",
            Relation::Concurrent => "concurrent",
        }
    }
}

/// One drawn event.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnEvent {
    /// Its trace number.
    pub seq: u64,
    /// When it happened.
    pub time: SimTime,
    /// Position.
    pub x: f64,
    /// Position (its lane).
    pub y: f64,
    /// Shape.
    pub glyph: Glyph,
    /// For a drop: the reason, written beside the cross.
    pub reason: Option<&'static str>,
    /// Relation to the chosen event.
    pub relation: Relation,
    /// Whether it lies after the time cursor (drawn faded: the run has not reached it again).
    pub after_cursor: bool,
    /// What it was, in words (tooltip and accessible name).
    pub title: String,
}

/// An arrow from a send to its delivery or drop.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    /// From.
    pub x1: f64,
    /// From.
    pub y1: f64,
    /// To.
    pub x2: f64,
    /// To.
    pub y2: f64,
    /// Whether the message was dropped (drawn dashed, ending in the cross).
    pub dropped: bool,
    /// Relation to the chosen event (of its receiving end).
    pub relation: Relation,
    /// The message, in words.
    pub title: String,
}

/// A partitioned stretch, shaded across every lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Start.
    pub x1: f64,
    /// End.
    pub x2: f64,
    /// What was in force.
    pub title: String,
}

/// A lane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lane {
    /// The node.
    pub node: NodeId,
    /// Its line's height.
    pub y: f64,
}

/// Everything to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// The viewBox height.
    pub height: f64,
    /// The lanes, top to bottom.
    pub lanes: Vec<Lane>,
    /// Shaded partitions.
    pub bands: Vec<Band>,
    /// Arrows (under the events).
    pub arrows: Vec<Arrow>,
    /// Events, oldest first.
    pub events: Vec<DrawnEvent>,
    /// Where the time cursor is (`None` if outside the window).
    pub cursor_x: Option<f64>,
    /// The axis' end labels.
    pub axis_from: String,
    /// The axis' end labels.
    pub axis_to: String,
    /// The letter the lab names its nodes with (`n`, or `r` for replicas).
    pub letter: char,
}

impl Diagram {
    /// A lane's label: its node named the lab's way.
    pub fn lane_name(&self, lane: &Lane) -> String {
        format!("{}{}", self.letter, lane.node.0)
    }
}

/// Which nodes get a lane: all if they fit, else the selected node and its neighbours, else the
/// first [`MAX_LANES`].
pub fn choose_lanes(
    node_count: u32,
    selected: Option<NodeId>,
    neighbours: &[NodeId],
) -> Vec<NodeId> {
    if node_count as usize <= MAX_LANES {
        return (0..node_count).map(NodeId).collect();
    }
    match selected {
        Some(s) => {
            let mut lanes: BTreeSet<NodeId> = BTreeSet::from([s]);
            lanes.extend(neighbours.iter().copied().take(MAX_LANES - 1));
            lanes.into_iter().collect()
        }
        None => (0..MAX_LANES as u32).map(NodeId).collect(),
    }
}

/// The lanes a learner typed: node numbers (`3`, `n3`, or with the lab's own letter, `r3` for
/// a CRDT replica) and ranges (`0-5`, `n2–n7`), separated by commas or spaces, in the order
/// given, each once. Empty text means "choose for me" (`Ok(None)`). Every problem is a sentence
/// that names nodes the lab's way: an unknown word, a node the run does not have, more than
/// [`MAX_LANES`] lanes (refused, never cut silently).
pub fn parse_lanes(
    text: &str,
    node_count: u32,
    letter: char,
) -> Result<Option<Vec<NodeId>>, String> {
    let node = |word: &str| -> Result<u32, String> {
        let digits =
            word.trim()
                .trim_start_matches(['n', 'N', letter, letter.to_ascii_uppercase()]);
        let id: u32 = digits.parse().map_err(|_| {
            format!(
                "“{}” is not a node: write numbers like 3 or {letter}3, or ranges like 0-5.",
                word.trim()
            )
        })?;
        if id >= node_count {
            return Err(format!(
                "{letter}{id} is not in this run: its nodes are {letter}0 to {letter}{}.",
                node_count.saturating_sub(1)
            ));
        }
        Ok(id)
    };
    let mut lanes: Vec<NodeId> = Vec::new();
    for word in text.split([',', ' ', ';']).filter(|w| !w.trim().is_empty()) {
        let (from, to) = match word.split_once(['-', '–']) {
            Some((a, b)) => (node(a)?, node(b)?),
            None => (node(word)?, node(word)?),
        };
        if from > to {
            return Err(format!(
                "The range {word} runs backwards: write {letter}{to}-{letter}{from}."
            ));
        }
        // Count before collecting, so a huge range is refused without building it.
        let new = (from..=to).filter(|&i| !lanes.contains(&NodeId(i)));
        if lanes.len() + new.clone().take(MAX_LANES + 1).count() > MAX_LANES {
            return Err(format!(
                "That is more than {MAX_LANES} lanes; the diagram draws at most {MAX_LANES} at once."
            ));
        }
        let new: Vec<NodeId> = new.map(NodeId).collect();
        lanes.extend(new);
    }
    Ok((!lanes.is_empty()).then_some(lanes))
}

/// The glyph for a happening.
fn glyph(h: &Happening) -> Glyph {
    match h {
        Happening::Start => Glyph::Start,
        Happening::Send { .. } => Glyph::Send,
        Happening::Deliver { .. } => Glyph::Deliver,
        Happening::Drop { .. } => Glyph::Drop,
        Happening::Timer { .. } => Glyph::Timer,
        Happening::Input { .. } => Glyph::Input,
        Happening::Crash => Glyph::Crash,
        Happening::Restart { .. } => Glyph::Restart,
        Happening::Note(_) => Glyph::Note,
        Happening::Duplicate { .. } | Happening::Fault(_) => Glyph::Duplicate,
    }
}

fn reason_of(h: &Happening) -> Option<DropReason> {
    match h {
        Happening::Drop { reason, .. } => Some(*reason),
        _ => None,
    }
}

/// The log entries in the window: the latest [`MAX_DRAWN_EVENTS`] on the lanes (oldest first),
/// and the faults among them.
fn window<'a>(log: &'a TraceLog, lanes: &BTreeSet<NodeId>) -> Vec<&'a LogEntry> {
    let mut picked: Vec<&LogEntry> = log
        .entries()
        .rev()
        .take(MAX_SCANNED_EVENTS)
        .filter(|e| {
            !matches!(
                e.happening,
                Happening::Fault(_) | Happening::Duplicate { .. }
            ) && lanes.contains(&e.node)
        })
        .take(MAX_DRAWN_EVENTS)
        .collect();
    picked.reverse();
    picked
}

/// Lays out the diagram of `log` on `lanes` with the time cursor at `cursor` and `chosen` (a
/// trace number) highlighted with its causal past and future.
pub fn layout(
    log: &TraceLog,
    lanes: &[NodeId],
    axis: Axis,
    cursor: SimTime,
    chosen: Option<u64>,
) -> Diagram {
    let lane_set: BTreeSet<NodeId> = lanes.iter().copied().collect();
    let lane_y = |n: NodeId| {
        lanes
            .iter()
            .position(|&l| l == n)
            .map(|i| TOP + LANE_GAP * i as f64)
    };
    let height = TOP + LANE_GAP * lanes.len().saturating_sub(1) as f64 + BOTTOM;
    let events = window(log, &lane_set);
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Diagram {
            height,
            lanes: lanes
                .iter()
                .map(|&n| Lane {
                    node: n,
                    y: lane_y(n).unwrap_or(TOP),
                })
                .collect(),
            bands: Vec::new(),
            arrows: Vec::new(),
            events: Vec::new(),
            cursor_x: None,
            axis_from: String::new(),
            axis_to: String::new(),
            letter: 'n',
        };
    };
    let key = |e: &LogEntry| match axis {
        Axis::Time => e.time.0 as f64,
        Axis::Lamport => e.lamport as f64,
    };
    let (lo, hi) = events.iter().fold((f64::MAX, f64::MIN), |(lo, hi), e| {
        (lo.min(key(e)), hi.max(key(e)))
    });
    let span = (hi - lo).max(1.0);
    let x_of = |v: f64| LEFT + (v - lo) / span * (WIDTH - LEFT - RIGHT);
    let (from_seq, to_seq) = (first.seq, last.seq);

    let (past, future): (BTreeSet<u64>, BTreeSet<u64>) = match chosen {
        Some(c) if log.get(c).is_some() => (
            log.causal_past(c, from_seq).into_iter().collect(),
            log.causal_future(c, to_seq).into_iter().collect(),
        ),
        _ => (BTreeSet::new(), BTreeSet::new()),
    };
    let relation = |seq: u64| match chosen {
        None => Relation::None,
        Some(c) if c == seq => Relation::Chosen,
        Some(_) if past.contains(&seq) => Relation::Past,
        Some(_) if future.contains(&seq) => Relation::Future,
        Some(_) => Relation::Concurrent,
    };

    let drawn: Vec<DrawnEvent> = events
        .iter()
        .map(|e| DrawnEvent {
            seq: e.seq,
            time: e.time,
            x: x_of(key(e)),
            y: lane_y(e.node).unwrap_or(TOP),
            glyph: glyph(&e.happening),
            reason: reason_of(&e.happening).map(DropReason::label),
            relation: relation(e.seq),
            after_cursor: e.time > cursor,
            title: sim::trace_log::describe(e),
        })
        .collect();

    // Arrows: to every drawn delivery or drop whose send is drawn too.
    let mut arrows = Vec::new();
    for (e, d) in events.iter().zip(&drawn) {
        let send_seq = match e.happening {
            Happening::Deliver { send_seq, .. } | Happening::Drop { send_seq, .. } => send_seq,
            _ => None,
        };
        let Some(from) = send_seq.and_then(|s| drawn.binary_search_by_key(&s, |d| d.seq).ok())
        else {
            continue;
        };
        let s = &drawn[from];
        arrows.push(Arrow {
            x1: s.x,
            y1: s.y,
            x2: d.x,
            y2: d.y,
            dropped: d.glyph == Glyph::Drop,
            relation: d.relation,
            title: d.title.clone(),
        });
    }

    // Partitions: replay the log's faults; shade where any is in force within the window.
    let mut bands = Vec::new();
    let mut state = PartitionState::default();
    let mut open: Option<(f64, String)> = None;
    let clamp = |v: f64| x_of(v.clamp(lo, hi));
    for e in log.entries() {
        let Happening::Fault(f) = &e.happening else {
            continue;
        };
        let was = state.is_active();
        state.apply(f, log.node_count());
        let at = match axis {
            Axis::Time => e.time.0 as f64,
            Axis::Lamport => e.lamport as f64,
        };
        match (was, state.is_active()) {
            (false, true) => open = Some((at, f.describe())),
            (true, false) => {
                if let Some((start, what)) = open.take()
                    && at >= lo
                    && start <= hi
                {
                    bands.push(Band {
                        x1: clamp(start),
                        x2: clamp(at),
                        title: format!("partitioned ({what}) until {}", f.describe()),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some((start, what)) = open
        && start <= hi
    {
        bands.push(Band {
            x1: clamp(start),
            x2: WIDTH - RIGHT,
            title: format!("partitioned ({what})"),
        });
    }

    let cursor_x = match axis {
        Axis::Time => {
            let t = cursor.0 as f64;
            (t >= lo && t <= hi.max(lo)).then(|| x_of(t)).or_else(|| {
                // The cursor after the last drawn event: at the right edge.
                (t > hi).then_some(WIDTH - RIGHT)
            })
        }
        Axis::Lamport => events
            .iter()
            .rev()
            .find(|e| e.time <= cursor)
            .map(|e| x_of(key(e))),
    };
    let label = |v: f64| match axis {
        Axis::Time => crate::kit::format::time_ns(v as u64),
        Axis::Lamport => format!("Lamport {}", v as u64),
    };
    Diagram {
        height,
        lanes: lanes
            .iter()
            .map(|&n| Lane {
                node: n,
                y: lane_y(n).unwrap_or(TOP),
            })
            .collect(),
        bands,
        arrows,
        events: drawn,
        cursor_x,
        axis_from: label(lo),
        axis_to: label(hi),
        letter: 'n',
    }
}

/// `text` with every node name (`n3`, a word of its own) written with `letter` (`r3`): the
/// kernel's descriptions name nodes `n…`, a lab may name them otherwise.
pub fn rename_nodes(text: &str, letter: char) -> String {
    if letter == 'n' {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let starts_name = c == 'n'
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
            && {
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| !c.is_ascii_digit())
                    .map_or(chars.len(), |p| i + 1 + p);
                chars.get(end).is_none_or(|c| !c.is_alphanumeric())
            };
        out.push(if starts_name { letter } else { c });
    }
    out
}

/// The chosen event's vector clock as text: `n0:3 n2:5` (only nodes with events in its past).
pub fn clock_text(log: &TraceLog, seq: u64) -> Option<String> {
    let vc = log.vector_clock(seq)?;
    Some(
        vc.iter()
            .map(|(n, c)| format!("{n}:{c}"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::scenario::broadcast_presets;
    use scenario::{BroadcastRun, CrdtRun};
    use sim::RunBudget;

    fn run_for(scenario: &scenario::Scenario, events: u64) -> BroadcastRun {
        let mut run = BroadcastRun::new(scenario).expect("valid");
        run.advance(RunBudget {
            until: run.end(),
            max_events: events,
        });
        run
    }

    #[test]
    fn lanes_arrows_and_bounded_size() {
        let run = run_for(&broadcast_presets()[0].scenario, 3_000);
        let lanes = choose_lanes(25, Some(NodeId(12)), &[NodeId(7), NodeId(11), NodeId(13)]);
        assert_eq!(lanes, vec![NodeId(7), NodeId(11), NodeId(12), NodeId(13)]);
        let d = layout(run.trace_log(), &lanes, Axis::Time, run.now(), None);
        assert_eq!(d.lanes.len(), 4);
        assert!(!d.events.is_empty() && d.events.len() <= MAX_DRAWN_EVENTS);
        assert!(
            !d.arrows.is_empty(),
            "messages between neighbours are drawn"
        );
        assert!(
            d.events
                .iter()
                .all(|e| e.x >= LEFT - 1e-9 && e.x <= WIDTH - RIGHT + 1e-9)
        );
        // Arrows go forward in time.
        assert!(d.arrows.iter().all(|a| a.x2 >= a.x1));
        // Twelve lanes at most by default.
        assert_eq!(choose_lanes(200, None, &[]).len(), MAX_LANES);
        assert_eq!(choose_lanes(5, None, &[]).len(), 5);
    }

    #[test]
    fn drops_carry_their_reason_and_partitions_are_shaded() {
        let preset = broadcast_presets()
            .into_iter()
            .find(|p| p.name == "Partition, then heal (push-pull)")
            .expect("preset");
        let mut run = BroadcastRun::new(&preset.scenario).expect("valid");
        run.run_to_end();
        let log = run.trace_log();
        // Lay out the window around the first partitioned drop.
        let drop = log
            .entries()
            .find(|e| {
                matches!(
                    e.happening,
                    Happening::Drop {
                        reason: DropReason::Partitioned,
                        ..
                    }
                )
            })
            .expect("a partitioned drop");
        let lanes = choose_lanes(log.node_count(), Some(drop.node), &[]);
        let mut copy = scenario::BroadcastRun::new(&preset.scenario).expect("valid");
        copy.advance(RunBudget {
            until: drop.time,
            max_events: u64::MAX,
        });
        let d = layout(copy.trace_log(), &lanes, Axis::Time, copy.now(), None);
        let crosses: Vec<_> = d.events.iter().filter(|e| e.glyph == Glyph::Drop).collect();
        assert!(!crosses.is_empty());
        assert!(crosses.iter().all(|e| e.reason.is_some()));
        assert!(
            crosses
                .iter()
                .any(|e| e.reason == Some("partitioned") && e.title.contains("partitioned"))
        );
        assert!(!d.bands.is_empty(), "the split is shaded");
    }

    #[test]
    fn the_chosen_event_splits_the_window_into_past_future_and_concurrent() {
        let run = run_for(&broadcast_presets()[0].scenario, 400);
        let lanes = choose_lanes(25, None, &[]);
        let log = run.trace_log();
        let plain = layout(log, &lanes, Axis::Lamport, run.now(), None);
        let middle = plain.events[plain.events.len() / 2].seq;
        let d = layout(log, &lanes, Axis::Lamport, run.now(), Some(middle));
        let count = |r: Relation| d.events.iter().filter(|e| e.relation == r).count();
        assert_eq!(count(Relation::Chosen), 1);
        assert!(count(Relation::Past) > 0 && count(Relation::Future) > 0);
        // In Lamport layout, the past lies left of the chosen event and the future right.
        let x = d.events.iter().find(|e| e.seq == middle).unwrap().x;
        for e in &d.events {
            match e.relation {
                Relation::Past => assert!(e.x < x),
                Relation::Future => assert!(e.x > x),
                _ => {}
            }
        }
        assert!(clock_text(log, middle).is_some_and(|t| t.contains(':')));
    }

    #[test]
    fn the_crdt_lab_draws_too() {
        let mut run = CrdtRun::new(&scenario::crdt_lab::default_crdt_scenario()).expect("valid");
        run.advance(RunBudget {
            until: run.end(),
            max_events: 500,
        });
        let log = run.trace_log().expect("a trace");
        let lanes = choose_lanes(log.node_count(), None, &[]);
        let d = layout(log, &lanes, Axis::Time, run.now(), None);
        assert!(!d.events.is_empty() && !d.arrows.is_empty());
    }

    #[test]
    fn the_edge_lab_draws_too() {
        let mut run =
            scenario::EdgeRun::new(&scenario::edge_lab::default_edge_scenario()).expect("valid");
        run.advance(RunBudget {
            until: run.end(),
            max_events: 3_000,
        });
        let log = run.trace_log().expect("a trace");
        let lanes = choose_lanes(log.node_count(), None, &[]);
        let d = layout(log, &lanes, Axis::Time, run.now(), None);
        eprintln!(
            "nodes {} lanes {:?} events {} arrows {}",
            log.node_count(),
            lanes,
            d.events.len(),
            d.arrows.len()
        );
        assert!(!d.events.is_empty() && !d.arrows.is_empty());
        assert!(
            d.events.iter().any(|e| e.title.contains("offload")),
            "edge messages are named"
        );
    }

    #[test]
    fn typed_lanes_are_read_in_order_and_every_mistake_is_explained() {
        let ids = |v: &[u32]| Some(v.iter().copied().map(NodeId).collect::<Vec<_>>());
        assert_eq!(parse_lanes("", 50, 'n'), Ok(None));
        assert_eq!(parse_lanes("  ", 50, 'n'), Ok(None));
        assert_eq!(parse_lanes("n7, 3 n7", 50, 'n'), Ok(ids(&[7, 3])));
        assert_eq!(
            parse_lanes("0-3, n10–n11", 50, 'n'),
            Ok(ids(&[0, 1, 2, 3, 10, 11]))
        );
        let err = |t: &str| parse_lanes(t, 50, 'n').unwrap_err();
        assert!(err("x7").contains("“x7” is not a node"));
        assert!(err("n50").contains("n0 to n49"));
        assert!(err("9-2").contains("backwards"));
        assert!(err("0-12").contains("at most 12"));
        assert!(err("0-4000000000").contains("not in this run"));
        assert_eq!(
            parse_lanes("0-11", 50, 'n').unwrap().map(|l| l.len()),
            Some(12)
        );
        assert!(parse_lanes("0-5 6-12", 50, 'n').is_err());
    }

    #[test]
    fn node_names_follow_the_lab() {
        assert_eq!(
            rename_nodes("n0 sends to n12 (in n2x and n)", 'r'),
            "r0 sends to r12 (in n2x and n)"
        );
        assert_eq!(rename_nodes("n0:3 n2:5", 'r'), "r0:3 r2:5");
        assert_eq!(rename_nodes("n0:3", 'n'), "n0:3");
        assert_eq!(
            parse_lanes("r2, 3", 5, 'r'),
            Ok(Some(vec![NodeId(2), NodeId(3)]))
        );
        assert!(parse_lanes("r9", 5, 'r').unwrap_err().contains("r0 to r4"));
    }
}
