//! Fork and compare, the pure part: a lab's headline metrics as values with a unit and a better
//! direction, and the table of differences between the original run and its fork (Δ and which
//! is better, in words, so colour is never the only signal).

use crate::kit::format;
use crdt::SyncMode;
use protocols::broadcast::Protocol;
use scenario::Scenario;
use scenario::edge_lab::edge_of;
use scenario::fork::Change;
use scenario::scenario::Lab;
use sim::{Fault, LatencyModel, NodeId, SimDuration};

/// What kind of change a learner picks for a fork; with a value typed or chosen, it becomes a
/// [`Change`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Another broadcast protocol (network lab).
    Protocol,
    /// Another sync mode (CRDT lab).
    SyncMode,
    /// Neighbours contacted per round (gossip, anti-entropy, sync).
    Fanout,
    /// Time between rounds (gossip period, sync interval).
    Interval,
    /// Message loss on every link.
    Loss,
    /// Constant latency on every link.
    Latency,
    /// The seed.
    Seed,
    /// Crash a node at the fork moment.
    Crash,
    /// Split the nodes in halves at the fork moment.
    Split,
    /// Another placement policy (edge lab).
    Policy,
    /// Another serverless keep-alive window (edge lab, serverless runs).
    KeepAlive,
}

/// The protocols a fork can switch to: (menu value, name).
pub const PROTOCOL_CHOICES: [(&str, &str); 4] = [
    ("flood", "flooding"),
    ("push", "push gossip"),
    ("push-pull", "push-pull gossip"),
    ("tree", "spanning tree"),
];

/// The sync modes a fork can switch to: (menu value, name).
pub const SYNC_CHOICES: [(&str, &str); 3] = [
    ("state", "state-based"),
    ("op", "op-based"),
    ("delta", "delta-state"),
];

/// The placement policies a fork can switch to: (menu value, name), in the lab's order.
pub const POLICY_CHOICES: [(&str, &str); 9] = {
    use edge::Policy as P;
    const fn c(p: P) -> (&'static str, &'static str) {
        (p.key(), p.name())
    }
    [
        c(P::CloudOnly),
        c(P::NearestEdge),
        c(P::Random),
        c(P::RoundRobin),
        c(P::LeastLoaded),
        c(P::LatencyAware),
        c(P::EnergyAware),
        c(P::DeadlineAware),
        c(P::Bandit),
    ]
};

/// Gossip defaults when switching from a protocol without them: the network lab form's (fanout
/// 3, 4 rounds every 20 ms; see `lab::form`).
const GOSSIP_DEFAULTS: (u32, u32, SimDuration) = (3, 4, SimDuration::from_millis(20));

impl ChangeKind {
    /// The kinds of change that fit a scenario's lab, in menu order.
    pub fn for_lab(scenario: &Scenario) -> Vec<ChangeKind> {
        use ChangeKind::*;
        let first = match &scenario.lab {
            Lab::Crdt(_) => SyncMode,
            // The edge run has no network faults or link parameters to change: its forks change
            // where tasks run, how long serverless instances stay warm, or the random draws.
            Lab::Edge(e) if e.serverless.is_some() => return vec![Policy, KeepAlive, Seed],
            Lab::Edge(_) => return vec![Policy, Seed],
            _ => Protocol,
        };
        vec![first, Loss, Latency, Fanout, Interval, Seed, Crash, Split]
    }

    /// A stable word for the menu.
    pub fn word(self) -> &'static str {
        match self {
            ChangeKind::Protocol => "protocol",
            ChangeKind::SyncMode => "sync-mode",
            ChangeKind::Fanout => "fanout",
            ChangeKind::Interval => "interval",
            ChangeKind::Loss => "loss",
            ChangeKind::Latency => "latency",
            ChangeKind::Seed => "seed",
            ChangeKind::Crash => "crash",
            ChangeKind::Split => "split",
            ChangeKind::Policy => "policy",
            ChangeKind::KeepAlive => "keep-alive",
        }
    }

    /// The kind named by [`ChangeKind::word`].
    pub fn from_word(word: &str) -> Option<ChangeKind> {
        use ChangeKind::*;
        [
            Protocol, SyncMode, Fanout, Interval, Loss, Latency, Seed, Crash, Split, Policy,
            KeepAlive,
        ]
        .into_iter()
        .find(|k| k.word() == word)
    }

    /// The menu entry.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Protocol => "Another protocol",
            ChangeKind::SyncMode => "Another sync mode",
            ChangeKind::Fanout => "Fanout",
            ChangeKind::Interval => "Round interval",
            ChangeKind::Loss => "Message loss",
            ChangeKind::Latency => "Link latency",
            ChangeKind::Seed => "Seed",
            ChangeKind::Crash => "Crash a node now",
            ChangeKind::Split => "Split the network in halves now",
            ChangeKind::Policy => "Another placement policy",
            ChangeKind::KeepAlive => "Serverless keep-alive",
        }
    }

    /// The value field's label (`None`: the change needs no value).
    pub fn value_label(self) -> Option<&'static str> {
        match self {
            ChangeKind::Protocol => Some("Protocol"),
            ChangeKind::SyncMode => Some("Sync mode"),
            ChangeKind::Fanout => Some("Neighbours per round"),
            ChangeKind::Interval => Some("Interval (ms)"),
            ChangeKind::Loss => Some("Loss (%)"),
            ChangeKind::Latency => Some("Latency (ms)"),
            ChangeKind::Seed => Some("Seed"),
            ChangeKind::Crash => Some("Node number"),
            ChangeKind::Split => None,
            // Not "Placement policy": that names the editor's menu on the same page.
            ChangeKind::Policy => Some("Policy in the fork"),
            ChangeKind::KeepAlive => Some("Keep-alive (s)"),
        }
    }

    /// The menu of values, for a change picked from a list.
    pub fn choices(self) -> Option<&'static [(&'static str, &'static str)]> {
        match self {
            ChangeKind::Protocol => Some(&PROTOCOL_CHOICES),
            ChangeKind::SyncMode => Some(&SYNC_CHOICES),
            ChangeKind::Policy => Some(&POLICY_CHOICES),
            _ => None,
        }
    }

    /// A value to start from that differs from the scenario's (another choice, one more
    /// neighbour, twice the interval or latency); the learner edits it.
    pub fn suggestion(self, scenario: &Scenario) -> String {
        let (protocol, sync) = params(scenario);
        let ms = |d: SimDuration| format::trim(d.0 as f64 / 1e6, 3);
        match self {
            ChangeKind::Protocol => match protocol {
                Some(Protocol::Flood) => "push",
                _ => "flood",
            }
            .to_owned(),
            ChangeKind::SyncMode => match sync {
                Some(SyncMode::Delta { .. }) => "state",
                _ => "delta",
            }
            .to_owned(),
            ChangeKind::Fanout => {
                current_fanout(scenario).map_or(String::new(), |f| (f + 1).to_string())
            }
            ChangeKind::Interval => {
                current_interval(scenario).map_or(String::new(), |i| ms(SimDuration(2 * i.0)))
            }
            ChangeKind::Loss => {
                let loss = link(scenario).map_or(0.0, |l| l.loss);
                format::trim(if loss == 0.0 { 30.0 } else { 0.0 }, 0)
            }
            ChangeKind::Latency => match link(scenario).map(|l| &l.latency) {
                Some(LatencyModel::Constant(d)) if d.0 > 0 => ms(SimDuration(2 * d.0)),
                _ => "50".to_owned(),
            },
            ChangeKind::Seed => scenario.seed.wrapping_add(1).to_string(),
            ChangeKind::Crash | ChangeKind::Split => "0".to_owned(),
            ChangeKind::Policy => match edge_of(scenario).map(|e| e.policy) {
                Some(edge::Policy::NearestEdge) => "deadline-aware",
                _ => "nearest-edge",
            }
            .to_owned(),
            // Ten times as long: enough to bridge the gaps between sparse requests.
            ChangeKind::KeepAlive => edge_of(scenario)
                .and_then(|e| e.serverless.as_ref())
                .map_or_else(
                    || "60".to_owned(),
                    |s| format::trim(s.keep_alive.0 as f64 * 10.0 / 1e9, 3),
                ),
        }
    }

    /// The change this kind makes with `value` (typed or chosen) to `scenario`, or what to fix.
    pub fn change(self, value: &str, scenario: &Scenario) -> Result<Change, String> {
        let value = value.trim();
        let number = |what: &str| {
            value
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| format!("Type {what} as a number, for example 30."))
        };
        let whole = |what: &str| {
            value
                .parse::<u64>()
                .map_err(|_| format!("Type {what} as a whole number, for example 3."))
        };
        let ms = |v: f64| SimDuration((v * 1e6).round() as u64);
        let (protocol, sync) = params(scenario);
        match self {
            ChangeKind::Protocol => {
                let (fanout, rounds, period) = match protocol {
                    Some(Protocol::PushGossip {
                        fanout,
                        rounds,
                        period,
                    }) => (fanout, rounds, period),
                    Some(Protocol::PushPull { fanout, period }) => {
                        (fanout, GOSSIP_DEFAULTS.1, period)
                    }
                    _ => GOSSIP_DEFAULTS,
                };
                Ok(Change::Protocol(match value {
                    "flood" => Protocol::Flood,
                    "push" => Protocol::PushGossip {
                        fanout,
                        rounds,
                        period,
                    },
                    "push-pull" => Protocol::PushPull { fanout, period },
                    "tree" => Protocol::Tree { root: NodeId(0) },
                    _ => return Err("Pick a protocol from the list.".into()),
                }))
            }
            ChangeKind::SyncMode => {
                let (interval, fanout) = sync
                    .as_ref()
                    .map(scenario::crdt_lab::sync_interval_and_fanout)
                    .ok_or("This lab has no sync mode.")?;
                let modes = scenario::crdt_lab::all_modes(interval, fanout);
                let i = SYNC_CHOICES
                    .iter()
                    .position(|(v, _)| *v == value)
                    .ok_or("Pick a sync mode from the list.")?;
                Ok(Change::Sync(modes[i]))
            }
            ChangeKind::Fanout => {
                let f = u32::try_from(whole("the fanout")?)
                    .map_err(|_| "That fanout is far too large.".to_owned())?;
                with_round(scenario, |fanout, _| *fanout = f)
            }
            ChangeKind::Interval => {
                let d = ms(number("the interval in milliseconds")?);
                with_round(scenario, |_, interval| *interval = d)
            }
            ChangeKind::Loss => {
                let p = number("the loss in percent")?;
                if p > 100.0 {
                    return Err("A loss is at most 100 %.".into());
                }
                Ok(Change::Loss(p / 100.0))
            }
            ChangeKind::Latency => Ok(Change::Latency(LatencyModel::Constant(ms(number(
                "the latency in milliseconds",
            )?)))),
            ChangeKind::Seed => Ok(Change::Seed(whole("the seed")?)),
            ChangeKind::Crash => {
                let n = value.trim_start_matches(['n', 'r', 'N', 'R']);
                let node = n
                    .parse::<u32>()
                    .map_err(|_| "Type the node's number, for example 3.".to_owned())?;
                Ok(Change::Fault(Fault::Crash(NodeId(node))))
            }
            ChangeKind::Policy => edge::Policy::from_key(value)
                .map(Change::Policy)
                .ok_or_else(|| "Pick a placement policy from the list.".to_owned()),
            ChangeKind::KeepAlive => {
                crate::kit::form::parse_secs(value, "The keep-alive").map(Change::KeepAlive)
            }
            ChangeKind::Split => {
                let n = link_nodes(scenario);
                if n < 2 {
                    return Err("A split needs at least two nodes.".into());
                }
                Ok(Change::Fault(Fault::Split(vec![
                    (0..n / 2).map(NodeId).collect(),
                ])))
            }
        }
    }
}

fn params(scenario: &Scenario) -> (Option<Protocol>, Option<SyncMode>) {
    match &scenario.lab {
        Lab::Broadcast(b) => (Some(b.protocol), None),
        Lab::Crdt(c) => (None, Some(c.sync)),
        Lab::Energy(_) | Lab::Edge(_) => (None, None),
    }
}

fn link(scenario: &Scenario) -> Option<&sim::LinkParams> {
    match &scenario.lab {
        Lab::Broadcast(b) => Some(&b.link),
        Lab::Crdt(c) => Some(&c.link),
        Lab::Energy(_) | Lab::Edge(_) => None,
    }
}

fn link_nodes(scenario: &Scenario) -> u32 {
    match &scenario.lab {
        Lab::Broadcast(b) => b.nodes,
        Lab::Crdt(c) => c.replicas,
        Lab::Energy(_) | Lab::Edge(_) => 0,
    }
}

fn current_fanout(scenario: &Scenario) -> Option<u32> {
    let mut out = None;
    with_round(scenario, |f, _| out = Some(*f)).ok()?;
    out
}

fn current_interval(scenario: &Scenario) -> Option<SimDuration> {
    let mut out = None;
    with_round(scenario, |_, i| out = Some(*i)).ok()?;
    out
}

/// The protocol or sync mode with its fanout and round interval changed by `edit`; an error
/// for a protocol that has no rounds.
fn with_round(
    scenario: &Scenario,
    edit: impl FnOnce(&mut u32, &mut SimDuration),
) -> Result<Change, String> {
    match &scenario.lab {
        Lab::Broadcast(b) => {
            let mut p = b.protocol;
            match &mut p {
                Protocol::PushGossip { fanout, period, .. }
                | Protocol::PushPull { fanout, period } => edit(fanout, period),
                other => {
                    return Err(format!(
                        "{} has no rounds or fanout: fork with another protocol instead.",
                        crate::kit::session::capitalise(other.name())
                    ));
                }
            }
            Ok(Change::Protocol(p))
        }
        Lab::Crdt(c) => {
            let mut m = c.sync;
            match &mut m {
                SyncMode::State { interval, fanout }
                | SyncMode::Op { interval, fanout }
                | SyncMode::Delta { interval, fanout } => edit(fanout, interval),
            }
            Ok(Change::Sync(m))
        }
        Lab::Energy(_) | Lab::Edge(_) => Err("This lab has no network to fork.".into()),
    }
}

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
    use scenario::scenario::broadcast_presets;
    use std::cmp::Ordering;

    #[test]
    fn change_kinds_turn_values_into_changes_or_say_what_to_fix() {
        let flood = &broadcast_presets()[0].scenario;
        let crdt = scenario::crdt_lab::default_crdt_scenario();
        assert_eq!(ChangeKind::for_lab(flood)[0], ChangeKind::Protocol);
        assert_eq!(ChangeKind::for_lab(&crdt)[0], ChangeKind::SyncMode);
        for kind in ChangeKind::for_lab(flood) {
            assert_eq!(ChangeKind::from_word(kind.word()), Some(kind));
        }
        assert_eq!(ChangeKind::Loss.change("30", flood), Ok(Change::Loss(0.3)));
        assert!(ChangeKind::Loss.change("130", flood).is_err());
        assert!(
            ChangeKind::Loss
                .change("lots", flood)
                .unwrap_err()
                .contains("number")
        );
        assert_eq!(
            ChangeKind::Crash.change("n4", flood),
            Ok(Change::Fault(Fault::Crash(NodeId(4))))
        );
        let push = ChangeKind::Protocol.change("push", flood).unwrap();
        assert!(matches!(
            push,
            Change::Protocol(Protocol::PushGossip { fanout: 3, .. })
        ));
        let e = ChangeKind::Fanout.change("2", flood).unwrap_err();
        assert!(e.starts_with("Flooding has no rounds"), "{e}");
        let delta = ChangeKind::SyncMode.change("delta", &crdt).unwrap();
        assert!(matches!(delta, Change::Sync(SyncMode::Delta { .. })));
        let fanout = ChangeKind::Fanout.change("1", &crdt).unwrap();
        let Change::Sync(m) = fanout else {
            panic!("a sync change")
        };
        assert_eq!(scenario::crdt_lab::sync_interval_and_fanout(&m).1, 1);
        // The edge lab forks its policy, its keep-alive (serverless runs only) or its seed.
        let edge = scenario::edge_lab::default_edge_scenario();
        let warm = scenario::edge_lab::serverless(edge::Runtime::WasmIsolate);
        assert_eq!(
            ChangeKind::for_lab(&edge),
            vec![ChangeKind::Policy, ChangeKind::Seed]
        );
        assert_eq!(ChangeKind::for_lab(&warm)[1], ChangeKind::KeepAlive);
        assert_eq!(
            ChangeKind::Policy.change("cloud-only", &edge),
            Ok(Change::Policy(edge::Policy::CloudOnly))
        );
        assert!(ChangeKind::Policy.change("fastest", &edge).is_err());
        assert_eq!(
            ChangeKind::KeepAlive.change("30", &warm),
            Ok(Change::KeepAlive(SimDuration::from_secs(30)))
        );
        assert!(
            ChangeKind::KeepAlive
                .change("-1", &warm)
                .unwrap_err()
                .contains("negative")
        );
        assert_eq!(POLICY_CHOICES.len(), edge::Policy::ALL.len());
        // Every suggestion is a valid fork of the scenario it was made for.
        for s in [flood, &crdt, &edge, &warm] {
            for kind in ChangeKind::for_lab(s) {
                if matches!(kind, ChangeKind::Fanout | ChangeKind::Interval)
                    && matches!(s.lab, Lab::Broadcast(_))
                {
                    continue;
                }
                let change = kind.change(&kind.suggestion(s), s).expect("a change");
                scenario::fork::fork(s, sim::SimTime::ZERO, &change)
                    .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            }
        }
    }

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
