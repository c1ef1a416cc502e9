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

use crate::scenario::{Action, ActionKind, Lab, Problem, Scenario, ScenarioError};
use crdt::SyncMode;
use protocols::broadcast::Protocol;
use serde::{Deserialize, Serialize};
use sim::{Fault, LatencyModel, LinkParams, SimDuration, SimTime};

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
}

impl Change {
    /// Whether the fork replays from time zero with the change (a parameter the kernel fixes
    /// when it builds the world), rather than branching at the fork moment (a fault).
    pub fn replays_from_zero(&self) -> bool {
        !matches!(self, Change::Fault(_))
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

fn problem(field: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            field: field.into(),
            message: message.into(),
        }],
    }
}

fn link_of(lab: &mut Lab) -> Option<&mut LinkParams> {
    match lab {
        Lab::Broadcast(b) => Some(&mut b.link),
        Lab::Crdt(c) => Some(&mut c.link),
        Lab::Energy(_) | Lab::Edge(_) => None,
    }
}

/// The scenario of a fork of `original` at `at` with `change` (see the module's documentation
/// for how the change reaches the fork moment). Errors when the change does not fit the lab,
/// changes nothing, or makes the scenario invalid (every problem listed).
pub fn fork(original: &Scenario, at: SimTime, change: &Change) -> Result<Scenario, ScenarioError> {
    let mut forked = original.clone();
    let lab = forked.lab.route();
    let wrong = |what: &str| {
        problem(
            "change",
            format!("the {lab} lab has no {what} to change; pick another change"),
        )
    };
    match (change, &mut forked.lab) {
        (Change::Protocol(p), Lab::Broadcast(b)) => b.protocol = *p,
        (Change::Protocol(_), _) => return Err(wrong("broadcast protocol")),
        (Change::Sync(m), Lab::Crdt(c)) => c.sync = *m,
        (Change::Sync(_), _) => return Err(wrong("sync mode")),
        (Change::Loss(p), lab) => link_of(lab).ok_or_else(|| wrong("network"))?.loss = *p,
        (Change::Latency(l), lab) => {
            link_of(lab).ok_or_else(|| wrong("network"))?.latency = l.clone();
        }
        (Change::Seed(s), _) => forked.seed = *s,
        (Change::Policy(p), Lab::Edge(e)) => e.policy = *p,
        (Change::Policy(_), _) => return Err(wrong("placement policy")),
        (Change::KeepAlive(d), Lab::Edge(e)) => {
            e.serverless
                .as_mut()
                .ok_or_else(|| {
                    problem(
                        "change",
                        "this run places tasks on servers, not serverless functions, so it has \
                         no keep-alive; switch the execution to serverless first",
                    )
                })?
                .keep_alive = *d;
        }
        (Change::KeepAlive(_), _) => return Err(wrong("serverless keep-alive")),
        (Change::Fault(f), lab) => {
            lab.actions_mut()
                .ok_or_else(|| wrong("network"))?
                .push(Action {
                    at,
                    kind: ActionKind::Fault(f.clone()),
                })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BroadcastRun;
    use crate::crdt_lab::default_crdt_scenario;
    use crate::scenario::broadcast_presets;
    use sim::{NodeId, RunBudget};

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
}
