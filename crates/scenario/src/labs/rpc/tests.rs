//! The remote-calls lab's tests: presets keep their promises, validation, slicing, forks and
//! replays, and the committed trace hash.

use super::*;
use crate::fork::fork;
use crate::lab_run::LabRun;
use rpc::RpcReport;
use sim::RunBudget;

#[allow(dead_code)]
#[path = "../../../tests/common/reference_hashes.rs"]
mod reference_hashes;

fn find(name: &str) -> Scenario {
    rpc_presets()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no preset {name}"))
        .scenario
}

fn report(s: &Scenario) -> RpcReport {
    let r = run_rpc(s).expect("valid").1;
    assert!(r.is_conserved(), "{r:?}");
    r
}

fn edit(mut s: Scenario, f: impl FnOnce(&mut RpcScenario)) -> Scenario {
    if let Lab::Rpc(r) = &mut s.lab {
        f(r);
    }
    s
}

#[test]
fn the_default_scenario_keeps_its_committed_trace_hash() {
    let (name, hash) = reference_hashes::RPC_REFERENCE_HASH;
    assert_eq!(rpc_presets()[0].name, name);
    assert_eq!(default_rpc_scenario(), find(name));
    assert_eq!(run_rpc(&find(name)).expect("valid").0, hash);
}

#[test]
fn lossless_every_call_once_and_loss_brings_retries_and_double_deposits() {
    let s = find("Lossless: every call once");
    let r = report(&s);
    assert!(
        (150..=250).contains(&r.started),
        "about 20 calls a second: {r:?}"
    );
    assert_eq!(
        (r.duplicate_executions, r.unknown, r.retries_sent),
        (0, 0, 0)
    );
    assert_eq!(r.never_executed, 0);
    assert_eq!(r.balance, r.executions);
    // Only calls still in progress at the end may be executed and not yet believed.
    assert!(r.discrepancy() >= 0 && r.discrepancy() as u64 <= r.in_progress);
    let mean = r.latency_mean.expect("completed calls");
    assert!(
        mean >= SimDuration::from_millis(25) && mean < SimDuration::from_millis(26),
        "{mean}"
    );
    // The advice: fork with 10 % loss.
    let lossy = fork(&s, SimTime::ZERO, &Change::Loss(0.1)).expect("valid");
    let l = report(&lossy);
    assert!(l.retries_sent > 0 && l.duplicate_executions > 0, "{l:?}");
}

#[test]
fn lossy_at_least_once_deposits_twice_and_exactly_once_does_not() {
    let s = find("Lossy link, at-least-once: double deposits");
    let r = report(&s);
    assert!(r.retries_sent > 0, "{r:?}");
    assert!(r.duplicate_executions > 0, "{r:?}");
    assert!(
        r.discrepancy() > 0,
        "the balance ends above the believed deposits: {r:?}"
    );
    // The advice: fork with exactly-once.
    let change = ChangeKind::Variant
        .change("exactly-once", &s)
        .expect("a choice of the menu");
    let e = report(&fork(&s, SimTime::ZERO, &change).expect("valid"));
    assert_eq!(e.duplicate_executions, 0, "{e:?}");
    assert!(e.cached_replies > 0);
}

#[test]
fn at_most_once_never_deposits_twice_and_leaves_outcomes_unknown_both_ways() {
    let r = report(&find("At-most-once: unknown outcomes"));
    assert_eq!((r.duplicate_executions, r.retries_sent), (0, 0), "{r:?}");
    assert!(r.unknown > 0, "{r:?}");
    assert!(r.unknown_executed > 0, "some replies were lost: {r:?}");
    assert!(r.never_executed > 0, "some requests were lost: {r:?}");
}

#[test]
fn exactly_once_with_a_reply_cache_answers_retries_from_it() {
    let r = report(&find("Exactly-once with a reply cache"));
    assert_eq!(r.duplicate_executions, 0, "{r:?}");
    assert!(r.retries_sent > 0 && r.cached_replies > 0, "{r:?}");
    let settled = r.started - r.in_progress;
    assert!(
        r.completed * 100 >= settled * 98,
        "almost every call completes: {r:?}"
    );
}

#[test]
fn a_server_crash_loses_a_volatile_cache_and_a_durable_one_survives() {
    let s = find("Server crash loses the reply cache");
    let volatile = report(&s);
    assert!(volatile.duplicate_executions > 0, "{volatile:?}");
    assert!(volatile.discrepancy() > 0);
    // The advice: make the reply cache durable (an editor field).
    let durable = report(&edit(s.clone(), |r| {
        r.reply_cache = CacheDurability::Durable;
    }));
    assert_eq!(durable.duplicate_executions, 0, "{durable:?}");
    // Without the crashes, the volatile cache is never lost.
    let calm = report(&edit(s, |r| r.actions.clear()));
    assert_eq!(calm.duplicate_executions, 0, "{calm:?}");
}

#[test]
fn absurd_values_are_each_named_with_their_limits() {
    let bad = edit(default_rpc_scenario(), |r| {
        r.clients = 0;
        r.call_rate = f64::INFINITY;
        r.timeout = SimDuration::ZERO;
        r.max_attempts = 1_000;
        r.processing = SimDuration::from_secs(7_200);
        r.link.loss = 1.5;
        r.actions.push(Action {
            at: SimTime::from_millis(1),
            kind: ActionKind::Broadcast {
                node: NodeId(1),
                update: 0,
            },
        });
    });
    let e = bad.validate().unwrap_err();
    let fields: Vec<&str> = e.problems.iter().map(|p| p.field.as_str()).collect();
    for field in [
        "clients",
        "call_rate",
        "timeout",
        "max_attempts",
        "processing",
        "link",
    ] {
        assert!(fields.contains(&field), "{field} missing from {e}");
    }
    let timeout = &e.problems[fields.iter().position(|f| *f == "timeout").unwrap()];
    assert!(
        timeout.message.contains("between 1 ms and 60000 ms"),
        "{timeout:?}"
    );
    assert!(RpcRun::new(&bad).is_err(), "never a panic");

    let too_many = edit(default_rpc_scenario(), |r| {
        r.clients = 1_000;
        r.call_rate = 1_000.0;
    });
    let e = too_many.validate().unwrap_err().to_string();
    assert!(e.contains("at most 100000"), "{e}");

    let actions = edit(default_rpc_scenario(), |r| {
        r.actions = vec![
            Action {
                at: SimTime::from_millis(1),
                kind: ActionKind::Broadcast {
                    node: NodeId(1),
                    update: 0,
                },
            },
            Action {
                at: SimTime::from_millis(2),
                kind: ActionKind::Fault(Fault::Crash(NodeId(9))),
            },
            Action {
                at: SimTime::from_secs(99),
                kind: ActionKind::Fault(Fault::Crash(NodeId(0))),
            },
        ]
    });
    let e = actions.validate().unwrap_err().to_string();
    assert!(e.contains("actions[0]: is a broadcast"), "{e}");
    assert!(e.contains("actions[1]") && e.contains("n9"), "{e}");
    assert!(e.contains("actions[2]: happens at 99000 ms"), "{e}");
}

#[test]
fn a_run_sliced_small_equals_one_run_to_the_end() {
    let s = find("Server crash loses the reply cache");
    let mut whole = RpcRun::new(&s).expect("valid");
    whole.run_to_end();
    let mut sliced = RpcRun::new(&s).expect("valid");
    let mut t = SimTime::ZERO;
    while !sliced.is_finished() {
        t = SimTime(t.0 + 7_300_000);
        sliced.advance(RunBudget {
            until: t,
            max_events: 13,
        });
        if sliced.now() < t {
            t = sliced.now();
        }
    }
    assert_eq!(whole.trace_hash().hex(), sliced.trace_hash().hex());
    assert_eq!(whole.samples(), sliced.samples());
    assert_eq!(whole.report(), sliced.report());
    assert_eq!(whole.metrics(), sliced.metrics());
}

#[test]
fn faults_made_live_are_recorded_and_replay_identically() {
    let s = find("Exactly-once with a reply cache");
    let mut live = RpcRun::new(&s).expect("valid");
    live.advance(RunBudget {
        until: SimTime::from_millis(3_000),
        max_events: u64::MAX,
    });
    live.fault_now(Fault::Crash(rpc::SERVER)).expect("valid");
    live.advance(RunBudget {
        until: SimTime::from_millis(3_250),
        max_events: u64::MAX,
    });
    assert!(!live.is_up(rpc::SERVER));
    live.act_now(ActionKind::Fault(Fault::Restart {
        node: rpc::SERVER,
        mode: RestartMode::Durable,
    }))
    .expect("valid");
    assert!(
        live.act_now(ActionKind::Broadcast {
            node: NodeId(1),
            update: 0
        })
        .is_err(),
        "this lab takes faults only"
    );
    live.run_to_end();
    assert_eq!(live.scenario().lab.actions().len(), 2);
    let mut replay = RpcRun::new(live.scenario()).expect("valid");
    replay.run_to_end();
    assert_eq!(live.trace_hash().hex(), replay.trace_hash().hex());
    assert_eq!(live.report(), replay.report());
    assert_ne!(
        live.trace_hash().hex(),
        run_rpc(&s).expect("valid").0,
        "the crash changed the run"
    );
}

#[test]
fn the_fork_menu_offers_another_semantics_that_replays_from_zero() {
    let s = find("Lossy link, at-least-once: double deposits");
    let kinds = ChangeKind::for_lab(&s);
    assert_eq!(kinds[0], ChangeKind::Variant);
    assert_eq!(ChangeKind::Variant.label_in(&s), "Another call semantics");
    assert_eq!(
        ChangeKind::Variant.value_label_in(&s),
        Some("Semantics in the fork")
    );
    assert_eq!(ChangeKind::Variant.choices_in(&s).map(<[_]>::len), Some(3));
    assert_eq!(ChangeKind::Variant.suggestion(&s), "exactly-once");
    let change = ChangeKind::Variant
        .change("at-most-once", &s)
        .expect("valid");
    assert_eq!(change, Change::Variant("at-most-once".into()));
    assert!(change.replays_from_zero());
    assert_eq!(change.describe_in(&s), "semantics at-most-once");
    let forked = fork(&s, SimTime::from_millis(500), &change).expect("valid");
    assert_eq!(
        rpc_of(&forked).map(|r| r.semantics),
        Some(Semantics::AtMostOnce)
    );
    assert!(report(&forked).unknown > 0);
    assert!(ChangeKind::Variant.change("twice", &s).is_err());
    // Every kind's suggestion is a valid fork.
    for kind in kinds {
        let change = kind.change(&kind.suggestion(&s), &s).expect("a change");
        fork(&s, SimTime::ZERO, &change).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    }
}

#[test]
fn the_run_answers_the_page() {
    let s = find("Server crash loses the reply cache");
    let mut run = RpcRun::start(&s).expect("valid");
    assert_eq!(
        <RpcRun as LabRun>::network_of(&s),
        Some((9, crate::scenario::TopologyKind::Star))
    );
    run.advance(RunBudget {
        until: SimTime::from_millis(2_050),
        max_events: u64::MAX,
    });
    let looks = run.node_looks();
    assert_eq!(looks.len(), 9);
    assert_eq!(
        looks[0].knowledge,
        crate::lab_run::Knowledge::State(look::SERVER)
    );
    assert!(!looks[0].up, "the server is down between 2 s and 2.1 s");
    run.run_to_end();
    let csv = run.metrics_csv();
    assert_eq!(csv.lines().count(), run.samples().len() + 1);
    assert!(csv.lines().last().unwrap().starts_with("10000,"), "{csv}");
    let last = run.samples().last().unwrap();
    assert_eq!(last.duplicate_executions, run.report().duplicate_executions);
    assert!(
        run.metrics()
            .iter()
            .any(|m| m.name == "Duplicate executions"
                && m.value == Some(run.report().duplicate_executions as f64))
    );
    assert!(run.energy().totals(run.now()).total.0 > 0.0);
    assert!(LabRun::trace_log(&run).is_some());
}

#[test]
fn every_preset_travels_in_a_share_link_and_a_file() {
    for p in rpc_presets() {
        let fragment = p.scenario.to_fragment(None).expect("encodes");
        assert!(fragment.ends_with("&lab=rpc"), "{fragment}");
        let opened = Scenario::from_fragment(&fragment).expect("opens");
        assert_eq!(opened.scenario, p.scenario, "{}", p.name);
        let json = p.scenario.to_json();
        assert_eq!(Scenario::from_json(&json).expect("reads"), p.scenario);
    }
}
