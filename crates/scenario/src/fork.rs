//! Forking a run: the same scenario with one change, for comparing two runs side by side.
//!
//! A fork is plain data like every scenario: [`fork`] returns the original scenario with the
//! change applied, so a fork replays exactly and can be shared on its own. How the change
//! reaches "from the fork moment on" depends on what the kernel can change during a run:
//!
//! - A **fault** (crash a node, split the network) is a verb the kernel applies at any time, so
//!   the fork is the original with the fault appended to its action log at the fork moment.
//!   Both runs are identical up to that moment (same events, same trace hash): at equal times
//!   the kernel runs its own events first and external ones in scheduling order, and the
//!   appended fault is scheduled last, so it takes effect after everything the original does at
//!   that instant.
//! - A **parameter** (protocol, sync mode, loss, latency, seed, placement policy, keep-alive)
//!   is fixed when the kernel builds the world: links, nodes and random streams come from it.
//!   Such a fork replays from time zero with the change and the same action log, and
//!   [`Change::replays_from_zero`] says so, so the page can tell the learner.

#[cfg(doc)]
use crate::lab_scenario::VariantMenu;
use crate::scenario::{Action, ActionKind, Problem, Scenario, ScenarioError};
use crdt::SyncMode;
use protocols::broadcast::Protocol;
use serde::{Deserialize, Serialize};
use sim::{Fault, LatencyModel, NodeId, SimDuration, SimTime};

/// The one thing a fork changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// Another broadcast protocol, with its parameters (network lab).
    Protocol(Protocol),
    /// Another sync mode, interval or fanout (CRDT lab).
    Sync(SyncMode),
    /// Another probability that a message is lost, on every link.
    Loss(f64),
    /// Another latency model, on every link.
    Latency(LatencyModel),
    /// Another seed: different random draws (and a different random topology).
    Seed(u64),
    /// A fault at the fork moment.
    Fault(Fault),
    /// Another placement policy (edge lab).
    Policy(edge::Policy),
    /// Another keep-alive window for serverless instances (edge lab, serverless runs).
    KeepAlive(SimDuration),
    /// Another of the lab's own alternatives ([`ChangeKind::Variant`]): the chosen key of its
    /// [`VariantMenu`] (`exactly-once` in the remote-calls lab). Replays from time zero.
    Variant(String),
}

impl Change {
    /// Whether the fork replays from time zero with the change (a parameter the kernel fixes
    /// when it builds the world), rather than branching at the fork moment (a fault).
    pub fn replays_from_zero(&self) -> bool {
        !matches!(self, Change::Fault(_))
    }

    /// What the change is about, for a lab that has no such thing (`sync mode`).
    pub fn what(&self) -> &'static str {
        match self {
            Change::Protocol(_) => "broadcast protocol",
            Change::Sync(_) => "sync mode",
            Change::Loss(_) | Change::Latency(_) | Change::Fault(_) => "network",
            Change::Seed(_) => "seed",
            Change::Policy(_) => "placement policy",
            Change::KeepAlive(_) => "serverless keep-alive",
            Change::Variant(_) => "choice of its own",
        }
    }

    /// A short English description (`loss 30 %`, `crash n3`).
    pub fn describe(&self) -> String {
        match self {
            Change::Protocol(p) => format!("protocol {}", describe_protocol(p)),
            Change::Sync(m) => format!("{} sync", describe_sync(m)),
            Change::Loss(p) => format!("loss {} %", trim(p * 100.0)),
            Change::Latency(l) => format!("latency {}", describe_latency(l)),
            Change::Seed(s) => format!("seed {s}"),
            Change::Fault(f) => f.describe(),
            Change::Policy(p) => format!("policy {}", p.name().to_lowercase()),
            Change::KeepAlive(d) => format!("keep-alive {d}"),
            Change::Variant(key) => key.clone(),
        }
    }

    /// [`Change::describe`] in the words of `scenario`'s lab: a [`Change::Variant`] reads as
    /// the lab names it (`semantics exactly-once by deduplication`); every other change as
    /// [`Change::describe`] says.
    pub fn describe_in(&self, scenario: &Scenario) -> String {
        match (self, scenario.lab.as_lab().variant_menu()) {
            (Change::Variant(key), Some(menu)) => {
                format!("{} {}", menu.what, menu.name_of(key).unwrap_or(key))
            }
            _ => self.describe(),
        }
    }
}

/// `name` plus the parameters that matter (`push gossip, fanout 3, 4 rounds every 20 ms`).
pub fn describe_protocol(p: &Protocol) -> String {
    match p {
        Protocol::Flood => "flooding".into(),
        Protocol::PushGossip {
            fanout,
            rounds,
            period,
        } => format!("push gossip, fanout {fanout}, {rounds} rounds every {period}"),
        Protocol::PushPull { fanout, period } => {
            format!("push-pull gossip, fanout {fanout}, every {period}")
        }
        Protocol::Tree { root } => format!("spanning tree from {root}"),
    }
}

/// The mode with its interval and fanout (`delta, every 100 ms, fanout 2`).
pub fn describe_sync(m: &SyncMode) -> String {
    let (interval, fanout) = crate::crdt_lab::sync_interval_and_fanout(m);
    format!("{}, every {interval}, fanout {fanout}", m.name())
}

/// A latency model in words (`10 ms`, `uniform 5 ms–20 ms`).
pub fn describe_latency(l: &LatencyModel) -> String {
    match l {
        LatencyModel::Constant(d) => d.to_string(),
        other => format!("{other:?}"),
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A scenario error with one problem.
pub(crate) fn problem(field: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            field: field.into(),
            message: message.into(),
        }],
    }
}

/// The scenario of a fork of `original` at `at` with `change` (see the module's documentation
/// for how the change reaches the fork moment). Errors when the change does not fit the lab,
/// changes nothing, or makes the scenario invalid (every problem listed).
pub fn fork(original: &Scenario, at: SimTime, change: &Change) -> Result<Scenario, ScenarioError> {
    let mut forked = original.clone();
    let lab = forked.lab.as_lab_mut();
    let route = lab.route();
    let wrong = |what: &str| {
        problem(
            "change",
            format!("the {route} lab has no {what} to change; pick another change"),
        )
    };
    match change {
        Change::Loss(p) => lab.link_mut().ok_or_else(|| wrong("network"))?.loss = *p,
        Change::Latency(l) => lab.link_mut().ok_or_else(|| wrong("network"))?.latency = l.clone(),
        Change::Seed(s) => forked.seed = *s,
        Change::Fault(f) => lab
            .actions_mut()
            .ok_or_else(|| wrong("network"))?
            .push(Action {
                at,
                kind: ActionKind::Fault(f.clone()),
            }),
        Change::Variant(key) => {
            let Some(menu) = lab.variant_menu() else {
                return Err(wrong(change.what()));
            };
            if menu.name_of(key).is_none() {
                let keys: Vec<&str> = menu.choices.iter().map(|(k, _)| *k).collect();
                return Err(problem(
                    "change",
                    format!(
                        "the {route} lab has no {} \"{key}\"; pick one of {}",
                        menu.what,
                        keys.join(", ")
                    ),
                ));
            }
            match lab.apply(change) {
                Some(applied) => applied?,
                None => return Err(wrong(change.what())),
            }
        }
        Change::Protocol(_) | Change::Sync(_) | Change::Policy(_) | Change::KeepAlive(_) => {
            match lab.apply(change) {
                Some(applied) => applied?,
                None => return Err(wrong(change.what())),
            }
        }
    }
    if forked == *original {
        return Err(problem(
            "change",
            format!(
                "the fork would run exactly like the original ({} already); pick another value",
                change.describe()
            ),
        ));
    }
    forked.validate()?;
    Ok(forked)
}

/// What kind of change a learner picks for a fork; with a value typed or chosen, it becomes a
/// [`Change`]. Which kinds a lab offers, and what its own kinds mean, the lab says
/// ([`fork_menu`], [`suggest`], [`lab_change`]); the network's kinds (loss, latency, crash,
/// split) and the seed are the same in every lab.
///
/// [`fork_menu`]: crate::lab_scenario::LabScenario::fork_menu
/// [`suggest`]: crate::lab_scenario::LabScenario::suggest
/// [`lab_change`]: crate::lab_scenario::LabScenario::lab_change
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
    /// Another of the lab's own alternatives, whose label, value label and choices the lab
    /// gives through [`crate::lab_scenario::LabScenario::variant_menu`] (the remote-calls lab:
    /// another call semantics). A lab adds its own kind of change here, without a new variant.
    /// Read it with the `_in` methods ([`ChangeKind::label_in`], [`ChangeKind::value_label_in`],
    /// [`ChangeKind::choices_in`]), which ask the lab.
    Variant,
}

/// The kinds of change of a lab on the shared network, after the lab's own kind, in menu order
/// (the lab answers fanout and interval: they belong to its protocol).
pub const NETWORK_CHANGES: [ChangeKind; 7] = [
    ChangeKind::Loss,
    ChangeKind::Latency,
    ChangeKind::Fanout,
    ChangeKind::Interval,
    ChangeKind::Seed,
    ChangeKind::Crash,
    ChangeKind::Split,
];

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

const ALL_KINDS: [ChangeKind; 12] = [
    ChangeKind::Protocol,
    ChangeKind::SyncMode,
    ChangeKind::Fanout,
    ChangeKind::Interval,
    ChangeKind::Loss,
    ChangeKind::Latency,
    ChangeKind::Seed,
    ChangeKind::Crash,
    ChangeKind::Split,
    ChangeKind::Policy,
    ChangeKind::KeepAlive,
    ChangeKind::Variant,
];

impl ChangeKind {
    /// The kinds of change that fit a scenario's lab, in menu order.
    pub fn for_lab(scenario: &Scenario) -> Vec<ChangeKind> {
        scenario.lab.as_lab().fork_menu()
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
            ChangeKind::Variant => "variant",
        }
    }

    /// The kind named by [`ChangeKind::word`].
    pub fn from_word(word: &str) -> Option<ChangeKind> {
        ALL_KINDS.into_iter().find(|k| k.word() == word)
    }

    /// The menu entry. For [`ChangeKind::Variant`] only a generic one: use
    /// [`ChangeKind::label_in`], which asks the lab.
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
            ChangeKind::Variant => "Another choice",
        }
    }

    /// The value field's label (`None`: the change needs no value). For
    /// [`ChangeKind::Variant`] only a generic one: use [`ChangeKind::value_label_in`].
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
            ChangeKind::Variant => Some("Choice"),
        }
    }

    /// The menu of values, for a change picked from a list. `None` for
    /// [`ChangeKind::Variant`], whose choices the lab gives: use [`ChangeKind::choices_in`].
    pub fn choices(self) -> Option<&'static [(&'static str, &'static str)]> {
        match self {
            ChangeKind::Protocol => Some(&PROTOCOL_CHOICES),
            ChangeKind::SyncMode => Some(&SYNC_CHOICES),
            ChangeKind::Policy => Some(&POLICY_CHOICES),
            _ => None,
        }
    }

    /// The menu entry in `scenario`'s lab: [`ChangeKind::label`], or for
    /// [`ChangeKind::Variant`] the lab's own (`Another call semantics`).
    pub fn label_in(self, scenario: &Scenario) -> &'static str {
        match (self, scenario.lab.as_lab().variant_menu()) {
            (ChangeKind::Variant, Some(menu)) => menu.label,
            _ => self.label(),
        }
    }

    /// The value field's label in `scenario`'s lab: [`ChangeKind::value_label`], or for
    /// [`ChangeKind::Variant`] the lab's own.
    pub fn value_label_in(self, scenario: &Scenario) -> Option<&'static str> {
        match (self, scenario.lab.as_lab().variant_menu()) {
            (ChangeKind::Variant, Some(menu)) => Some(menu.value_label),
            _ => self.value_label(),
        }
    }

    /// The menu of values in `scenario`'s lab: [`ChangeKind::choices`], or for
    /// [`ChangeKind::Variant`] the lab's own alternatives.
    pub fn choices_in(
        self,
        scenario: &Scenario,
    ) -> Option<&'static [(&'static str, &'static str)]> {
        match (self, scenario.lab.as_lab().variant_menu()) {
            (ChangeKind::Variant, Some(menu)) => Some(menu.choices),
            _ => self.choices(),
        }
    }

    /// A value to start from that differs from the scenario's (another choice, one more
    /// neighbour, twice the interval or latency); the learner edits it.
    pub fn suggestion(self, scenario: &Scenario) -> String {
        let lab = scenario.lab.as_lab();
        if let Some(value) = lab.suggest(self) {
            return value;
        }
        match self {
            ChangeKind::Loss => {
                let loss = lab.link().map_or(0.0, |l| l.loss);
                trim_to(if loss == 0.0 { 30.0 } else { 0.0 }, 0)
            }
            ChangeKind::Latency => match lab.link().map(|l| &l.latency) {
                Some(LatencyModel::Constant(d)) if d.0 > 0 => millis_text(SimDuration(2 * d.0)),
                _ => "50".to_owned(),
            },
            ChangeKind::Seed => scenario.seed.wrapping_add(1).to_string(),
            ChangeKind::Crash | ChangeKind::Split => "0".to_owned(),
            // The first of the lab's alternatives that is not the scenario's own.
            ChangeKind::Variant => lab
                .variant_menu()
                .and_then(|menu| {
                    menu.choices
                        .iter()
                        .find(|(key, _)| *key != menu.current)
                        .map(|(key, _)| (*key).to_owned())
                })
                .unwrap_or_default(),
            _ => String::new(),
        }
    }

    /// The change this kind makes with `value` (typed or chosen) to `scenario`, or what to fix.
    pub fn change(self, value: &str, scenario: &Scenario) -> Result<Change, String> {
        let lab = scenario.lab.as_lab();
        let value = value.trim();
        if let Some(change) = lab.lab_change(self, value) {
            return change;
        }
        if self == ChangeKind::Variant
            && let Some(menu) = lab.variant_menu()
        {
            return match menu.name_of(value) {
                Some(_) => Ok(Change::Variant(value.to_owned())),
                None => Err(format!("Pick a {} from the list.", menu.what)),
            };
        }
        match self {
            ChangeKind::Loss => {
                let p = non_negative(value, "the loss in percent")?;
                if p > 100.0 {
                    return Err("A loss is at most 100 %.".into());
                }
                Ok(Change::Loss(p / 100.0))
            }
            ChangeKind::Latency => Ok(Change::Latency(LatencyModel::Constant(millis(
                non_negative(value, "the latency in milliseconds")?,
            )))),
            ChangeKind::Seed => Ok(Change::Seed(whole(value, "the seed")?)),
            ChangeKind::Crash => {
                let n = value.trim_start_matches(['n', 'r', 'N', 'R']);
                let node = n
                    .parse::<u32>()
                    .map_err(|_| "Type the node's number, for example 3.".to_owned())?;
                Ok(Change::Fault(Fault::Crash(NodeId(node))))
            }
            ChangeKind::Split => {
                let n = lab.network_nodes();
                if n < 2 {
                    return Err("A split needs at least two nodes.".into());
                }
                Ok(Change::Fault(Fault::Split(vec![
                    (0..n / 2).map(NodeId).collect(),
                ])))
            }
            ChangeKind::Variant => Err(format!(
                "The {} lab has no choice of its own to change.",
                lab.route()
            )),
            other => Err(format!(
                "The {} lab has no {} to change.",
                lab.route(),
                other.label().to_lowercase()
            )),
        }
    }
}

/// A typed number that must be finite and not negative (`what`: `the loss in percent`).
pub(crate) fn non_negative(value: &str, what: &str) -> Result<f64, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("Type {what} as a number, for example 30."))
}

/// A typed whole number (`what`: `the fanout`).
pub(crate) fn whole(value: &str, what: &str) -> Result<u64, String> {
    value
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("Type {what} as a whole number, for example 3."))
}

/// Milliseconds as a duration, rounded to the nanosecond.
pub(crate) fn millis(ms: f64) -> SimDuration {
    SimDuration((ms * 1e6).round() as u64)
}

/// A duration in milliseconds as typed in a field (`20`, `0.5`).
pub(crate) fn millis_text(d: SimDuration) -> String {
    trim_to(d.0 as f64 / 1e6, 3)
}

/// `value` with at most `decimals` decimals and no trailing zeros (`2.50` → `2.5`).
pub(crate) fn trim_to(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BroadcastRun;
    use crate::crdt_lab::default_crdt_scenario;
    use crate::scenario::{Lab, broadcast_presets};
    use sim::RunBudget;

    fn advance_to(run: &mut BroadcastRun, t: SimTime) {
        run.advance(RunBudget {
            until: t,
            max_events: u64::MAX,
        });
    }

    #[test]
    fn a_fault_fork_shares_the_history_up_to_the_fork_moment() {
        let original = &broadcast_presets()[0].scenario;
        let at = SimTime::from_millis(120);
        let forked = fork(original, at, &Change::Fault(Fault::Crash(NodeId(12)))).expect("valid");
        let mut a = BroadcastRun::new(original).expect("valid");
        let mut b = BroadcastRun::new(&forked).expect("valid");
        // Up to just before the fork moment, and through every event the original runs at it.
        advance_to(&mut a, SimTime(at.0 - 1));
        advance_to(&mut b, SimTime(at.0 - 1));
        assert_eq!(a.trace_hash().hex(), b.trace_hash().hex());
        advance_to(&mut a, at);
        advance_to(&mut b, at);
        assert_eq!(
            b.sim().events_processed(),
            a.sim().events_processed() + 1,
            "the fork runs the crash last at its instant"
        );
        assert!(!b.sim().is_up(NodeId(12)));
        a.run_to_end();
        b.run_to_end();
        assert_ne!(a.trace_hash().hex(), b.trace_hash().hex());
        // The fork is a scenario like any other: it replays to the same trace.
        assert_eq!(
            crate::run(&forked).expect("valid").trace_hash,
            b.trace_hash().hex()
        );
    }

    #[test]
    fn more_loss_drops_messages_and_reaches_fewer() {
        let original = &broadcast_presets()[0].scenario;
        let forked = fork(original, SimTime::ZERO, &Change::Loss(0.3)).expect("valid");
        let a = crate::run(original).expect("valid");
        let b = crate::run(&forked).expect("valid");
        assert_eq!(a.network.dropped, 0);
        assert!(b.network.dropped > 0);
        assert!(b.broadcast.reached_fraction <= a.broadcast.reached_fraction);
    }

    #[test]
    fn change_kinds_turn_values_into_changes_or_say_what_to_fix() {
        let flood = &broadcast_presets()[0].scenario;
        let crdt = crate::crdt_lab::default_crdt_scenario();
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
        assert_eq!(crate::crdt_lab::sync_interval_and_fanout(&m).1, 1);
        // The edge lab forks its policy, its keep-alive (serverless runs only) or its seed.
        let edge = crate::edge_lab::default_edge_scenario();
        let warm = crate::edge_lab::serverless(edge::Runtime::WasmIsolate);
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
                fork(s, sim::SimTime::ZERO, &change).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            }
        }
    }

    #[test]
    fn changes_must_fit_the_lab_change_something_and_stay_valid() {
        let broadcast = &broadcast_presets()[0].scenario;
        let crdt = &default_crdt_scenario();
        let at = SimTime::from_millis(10);
        let sync = SyncMode::Delta {
            interval: SimDuration::from_millis(100),
            fanout: 1,
        };
        let e = fork(broadcast, at, &Change::Sync(sync)).unwrap_err();
        assert!(e.to_string().contains("no sync mode"), "{e}");
        let e = fork(crdt, at, &Change::Protocol(Protocol::Flood)).unwrap_err();
        assert!(e.to_string().contains("no broadcast protocol"), "{e}");
        let e = fork(broadcast, at, &Change::Seed(broadcast.seed)).unwrap_err();
        assert!(e.to_string().contains("exactly like the original"), "{e}");
        let e = fork(broadcast, at, &Change::Loss(1.5)).unwrap_err();
        assert!(e.to_string().contains("loss"), "{e}");
        let e = fork(broadcast, at, &Change::Fault(Fault::Crash(NodeId(999)))).unwrap_err();
        assert!(e.to_string().contains("actions"), "{e}");
        assert!(fork(crdt, at, &Change::Sync(sync)).is_ok());
        assert!(!Change::Fault(Fault::HealAll).replays_from_zero());
        assert!(Change::Loss(0.1).replays_from_zero());
        assert_eq!(Change::Loss(0.3).describe(), "loss 30 %");
        assert_eq!(
            Change::Fault(Fault::Crash(NodeId(3))).describe(),
            "crash n3"
        );
    }

    #[test]
    fn edge_forks_change_the_policy_or_the_keep_alive_and_the_runs_differ_as_expected() {
        use crate::edge_lab::{low_load, serverless};
        use edge::{Policy, Runtime};
        let summary = |s: &Scenario| {
            let mut run = crate::EdgeRun::untraced(s).expect("valid");
            run.run_to_end();
            run.summary()
        };
        // Low load: the cloud's WAN round trip makes every task slower than at the nearest edge.
        let mut near = low_load();
        near.duration = SimDuration::from_secs(20);
        if let Lab::Edge(e) = &mut near.lab {
            e.policy = Policy::NearestEdge;
        }
        let cloud = fork(&near, SimTime::ZERO, &Change::Policy(Policy::CloudOnly)).expect("valid");
        assert!(matches!(&cloud.lab, Lab::Edge(e) if e.policy == Policy::CloudOnly));
        assert!(Change::Policy(Policy::CloudOnly).replays_from_zero());
        assert!(summary(&cloud).mean_ms > summary(&near).mean_ms);
        // A longer keep-alive spares cold starts on sparse serverless traffic.
        let short = serverless(Runtime::Container);
        let long = fork(
            &short,
            SimTime::ZERO,
            &Change::KeepAlive(SimDuration::from_secs(60)),
        )
        .expect("valid");
        assert!(summary(&long).cold_starts < summary(&short).cold_starts);
        // Changes that do not fit are refused with a reason.
        let e = fork(
            &near,
            SimTime::ZERO,
            &Change::KeepAlive(SimDuration::from_secs(9)),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no keep-alive"), "{e}");
        let e = fork(&near, SimTime::ZERO, &Change::Loss(0.2)).unwrap_err();
        assert!(e.to_string().contains("no network"), "{e}");
        let e = fork(
            &broadcast_presets()[0].scenario,
            SimTime::ZERO,
            &Change::Policy(Policy::Random),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no placement policy"), "{e}");
        assert_eq!(
            Change::Policy(Policy::NearestEdge).describe(),
            "policy nearest edge"
        );
    }

    #[test]
    fn a_lab_own_variant_is_read_from_the_lab_and_refused_elsewhere() {
        let rpc = crate::labs::rpc::default_rpc_scenario();
        let flood = &broadcast_presets()[0].scenario;
        // The lab names its own kind of change; the old kinds read as before.
        assert_eq!(ChangeKind::from_word("variant"), Some(ChangeKind::Variant));
        assert_eq!(ChangeKind::Variant.label_in(&rpc), "Another call semantics");
        assert_eq!(
            ChangeKind::Variant.label_in(flood),
            ChangeKind::Variant.label()
        );
        assert_eq!(ChangeKind::Loss.label_in(&rpc), ChangeKind::Loss.label());
        assert_eq!(
            ChangeKind::Protocol.choices_in(flood),
            ChangeKind::Protocol.choices()
        );
        assert_eq!(ChangeKind::Variant.choices_in(flood), None);
        let keys: Vec<&str> = ChangeKind::Variant
            .choices_in(&rpc)
            .expect("the lab's menu")
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(keys, ["at-most-once", "at-least-once", "exactly-once"]);
        assert_eq!(
            ChangeKind::Loss.value_label_in(&rpc),
            ChangeKind::Loss.value_label()
        );
        // Chosen, it becomes a change that replays from zero and reads in the lab's words.
        let change = ChangeKind::Variant
            .change(&ChangeKind::Variant.suggestion(&rpc), &rpc)
            .expect("a choice");
        assert_eq!(change, Change::Variant("exactly-once".into()));
        assert!(change.replays_from_zero());
        assert_eq!(
            change.describe_in(&rpc),
            "semantics exactly-once by deduplication"
        );
        assert_eq!(Change::Loss(0.3).describe_in(&rpc), "loss 30 %");
        assert!(fork(&rpc, SimTime::ZERO, &change).is_ok());
        // The same choice again changes nothing; an unknown key or a lab without a menu is
        // refused with a reason.
        let same = Change::Variant("at-least-once".into());
        let e = fork(&rpc, SimTime::ZERO, &same).unwrap_err();
        assert!(e.to_string().contains("exactly like the original"), "{e}");
        let e = fork(&rpc, SimTime::ZERO, &Change::Variant("twice".into())).unwrap_err();
        assert!(e.to_string().contains("pick one of at-most-once"), "{e}");
        let e = fork(flood, SimTime::ZERO, &Change::Variant("x".into())).unwrap_err();
        assert!(e.to_string().contains("no choice of its own"), "{e}");
        let e = ChangeKind::Variant.change("x", flood).unwrap_err();
        assert_eq!(e, "The network lab has no choice of its own to change.");
        assert_eq!(
            ChangeKind::Variant.change("twice", &rpc),
            Err("Pick a semantics from the list.".to_owned())
        );
    }
}
