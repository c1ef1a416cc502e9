//! The CRDT lab's runs: presets converge to the values their descriptions promise, runs are
//! deterministic and independent of slicing, recorded actions replay exactly, bad parameters
//! are refused with a message, and the naive twin shows what goes wrong without a CRDT.

use scenario::crdt_lab::{
    CrdtScenario, CrdtType, MAX_CRDT_REPLICAS, Update, crdt_presets, default_crdt_scenario,
};
use scenario::crdt_run::mode_index;
use scenario::scenario::{Action, ActionKind, Lab, Problem, TopologyKind};
use scenario::{CrdtRun, Scenario, run_crdt};
use sim::{Fault, NodeId, RunBudget, SimDuration, SimTime};

fn crdt(s: &mut Scenario) -> &mut CrdtScenario {
    match &mut s.lab {
        Lab::Crdt(c) => c,
        _ => panic!("not a CRDT scenario"),
    }
}

fn preset(name: &str) -> Scenario {
    crdt_presets()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no preset {name}"))
        .scenario
}

fn finished(scenario: &Scenario) -> CrdtRun {
    let mut run = CrdtRun::new(scenario).expect("a valid scenario");
    run.run_to_end();
    run
}

#[test]
fn every_crdt_preset_is_valid_and_converges_in_every_mode() {
    for p in crdt_presets() {
        p.scenario
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        let run = finished(&p.scenario);
        let report = run.report();
        assert!(report.network.is_conserved(), "{}", p.name);
        if crdt(&mut p.scenario.clone()).data_type.is_naive() {
            continue;
        }
        for (i, c) in report.convergence_by_mode.iter().enumerate() {
            assert!(
                c.is_some(),
                "{}: mode {i} did not converge: {report:?}",
                p.name
            );
        }
        assert_eq!(report.distinct_states, 1, "{}", p.name);
    }
}

#[test]
fn concurrent_add_and_remove_keeps_the_element_add_wins() {
    let run = finished(&preset("Concurrent add and remove"));
    for v in run.values() {
        assert_eq!(
            v, r#"{"milk"}"#,
            "eggs removed after it was seen, milk re-added concurrently"
        );
    }
}

#[test]
fn collaborative_text_ends_identical_everywhere() {
    let run = finished(&preset("Collaborative text"));
    let values = run.values();
    assert!(values.windows(2).all(|w| w[0] == w[1]), "{values:?}");
    let text = &values[0];
    assert!(text.starts_with("Jello world"), "{text}");
    assert_eq!(
        text.chars().count(),
        13,
        "both concurrent characters kept: {text}"
    );
    assert!(text.contains('!') && text.contains('?'), "{text}");
}

#[test]
fn a_slow_clock_makes_the_earlier_write_win() {
    let run = finished(&preset("LWW and a slow clock"));
    for v in run.values() {
        assert_eq!(v, r#""early""#);
    }
}

#[test]
fn an_amnesic_replica_loses_nothing() {
    let run = finished(&preset("Crash and forget"));
    for v in run.values() {
        assert_eq!(v, "8");
    }
    let view = run.replica(NodeId(2)).expect("replica 2");
    assert_eq!(view.replica_id, "r2#1");
}

#[test]
fn a_partition_keeps_two_states_until_the_heal() {
    let run = finished(&preset("Partition, then heal"));
    let during: Vec<u32> = run
        .samples()
        .iter()
        .filter(|s| s.time > SimTime::from_millis(2_800) && s.time < SimTime::from_secs(3))
        .map(|s| s.distinct_states)
        .collect();
    assert!(
        !during.is_empty() && during.iter().all(|&d| d == 2),
        "{during:?}"
    );
    let total: i64 = crdt(&mut preset("Partition, then heal"))
        .actions
        .iter()
        .filter_map(|a| match &a.kind {
            ActionKind::Update {
                update: Update::Add(by),
                ..
            } => Some(*by),
            _ => None,
        })
        .sum();
    for v in run.values() {
        assert_eq!(v, total.to_string());
    }
    // The naive twin, fed the same updates, ends below the true total somewhere: it lost
    // increments that the PN-Counter kept.
    let naive = run.naive_values().expect("counters have a naive twin");
    assert!(
        naive.iter().any(|v| v.parse::<i64>().unwrap() != total),
        "{naive:?} vs {total}"
    );
}

#[test]
fn runs_are_deterministic_and_survive_a_share_link() {
    for p in crdt_presets().into_iter().take(4) {
        let a = run_crdt(&p.scenario).unwrap();
        let b = run_crdt(&p.scenario).unwrap();
        assert_eq!(a, b, "{}", p.name);
        let fragment = p.scenario.to_fragment(None).unwrap();
        let opened = Scenario::from_fragment(&fragment).unwrap();
        assert_eq!(opened.scenario, p.scenario);
        assert_eq!(run_crdt(&opened.scenario).unwrap().trace_hash, a.trace_hash);
    }
}

#[test]
fn slicing_does_not_change_the_run_or_its_curves() {
    let scenario = preset("Lossy network");
    let whole = finished(&scenario);
    let mut sliced = CrdtRun::new(&scenario).unwrap();
    let mut until = SimTime::ZERO;
    while !sliced.is_finished() {
        until += SimDuration::from_millis(37);
        sliced.advance(RunBudget {
            until,
            max_events: 53,
        });
    }
    assert_eq!(sliced.report(), whole.report());
    assert_eq!(sliced.samples(), whole.samples());
}

#[test]
fn updates_made_live_replay_exactly_from_the_recorded_scenario() {
    let mut run = CrdtRun::new(&default_crdt_scenario()).unwrap();
    run.advance(RunBudget {
        until: SimTime::from_millis(700),
        max_events: u64::MAX,
    });
    run.update_now(NodeId(4), Update::Insert("tea".into()))
        .unwrap();
    run.fault_now(Fault::Isolate(NodeId(3))).unwrap();
    run.advance(RunBudget {
        until: SimTime::from_millis(1_900),
        max_events: 1_000,
    });
    run.update_now(NodeId(3), Update::Remove("tea".into()))
        .unwrap();
    run.fault_now(Fault::HealAll).unwrap();
    run.run_to_end();
    let replay = finished(run.scenario());
    assert_eq!(replay.report(), run.report());
    assert_eq!(replay.values(), run.values());
}

#[test]
fn state_sync_ships_more_bytes_than_deltas() {
    let run = finished(&preset("Concurrent add and remove"));
    let bytes = run.report().bytes_by_mode;
    assert!(
        bytes[mode_index(&crdt::SyncMode::State {
            interval: SimDuration::ZERO,
            fanout: 1
        })] > bytes[2],
        "{bytes:?}"
    );
}

fn problems(s: &Scenario) -> Vec<Problem> {
    s.validate().err().map(|e| e.problems).unwrap_or_default()
}

#[test]
fn bad_parameters_are_refused_with_a_message() {
    let base = default_crdt_scenario();
    let mut s = base.clone();
    crdt(&mut s).replicas = MAX_CRDT_REPLICAS + 1;
    assert_eq!(problems(&s)[0].field, "nodes");

    let mut s = base.clone();
    crdt(&mut s).sync = crdt::SyncMode::Delta {
        interval: SimDuration::ZERO,
        fanout: 0,
    };
    let fields: Vec<String> = problems(&s).into_iter().map(|p| p.field).collect();
    assert_eq!(fields, ["sync.interval", "sync.fanout"]);

    let mut s = base.clone();
    crdt(&mut s).actions.push(Action {
        at: SimTime::from_millis(10),
        kind: ActionKind::Update {
            node: NodeId(0),
            update: Update::Add(1),
        },
    });
    let p = problems(&s);
    assert!(
        p[0].message.contains("not an update a OR-Set takes"),
        "{p:?}"
    );

    let mut s = base.clone();
    crdt(&mut s).data_type = CrdtType::GCounter;
    crdt(&mut s).actions = [(9, 2), (0, -2)]
        .map(|(node, by)| Action {
            at: SimTime::from_millis(10),
            kind: ActionKind::Update {
                node: NodeId(node),
                update: Update::Add(by),
            },
        })
        .to_vec();
    let p = problems(&s);
    assert!(p.iter().any(|p| p.message.contains("n0 to n4")), "{p:?}");
    assert!(p.iter().any(|p| p.message.contains("only grows")), "{p:?}");

    let mut s = base.clone();
    crdt(&mut s).actions.push(Action {
        at: SimTime::from_millis(10),
        kind: ActionKind::Update {
            node: NodeId(0),
            update: Update::Insert("x".repeat(33)),
        },
    });
    assert!(problems(&s)[0].message.contains("1 to 32 characters"));

    let mut s = base;
    crdt(&mut s).topology = TopologyKind::Random { mean_degree: -1.0 };
    assert_eq!(problems(&s)[0].field, "topology");
    // A CRDT scenario is not a broadcast one.
    assert!(scenario::BroadcastRun::new(&default_crdt_scenario()).is_err());
}

#[test]
fn a_step_is_one_event_of_the_chosen_mode() {
    let mut run = CrdtRun::new(&default_crdt_scenario()).unwrap();
    for expected in 1..=7 {
        run.advance(RunBudget {
            until: run.end(),
            max_events: 1,
        });
        assert_eq!(run.events_processed(), expected);
    }
}

/// Trace hashes of CRDT presets run to the end (also checked compiled to WebAssembly).
pub use crate::reference_hashes::CRDT_REFERENCE_HASHES as REFERENCE_HASHES;

#[test]
fn crdt_runs_match_their_committed_trace_hashes() {
    for (name, hash) in REFERENCE_HASHES {
        let report = run_crdt(&preset(name)).unwrap();
        println!("{name}: {}", report.trace_hash);
        assert_eq!(report.trace_hash, hash, "{name}");
    }
}

/// The ledger's totals are the sum of its per-node parts, and its network energy the sum of
/// its per-message parts.
pub fn ledger_adds_up(ledger: &energy::EnergyLedger, at: SimTime, what: &str) {
    let totals = ledger.totals(at);
    let nodes: f64 = ledger.nodes(at).iter().map(|n| n.total.0).sum();
    let tolerance = 1e-9 * totals.total.0.max(1e-12);
    assert!(
        (totals.total.0 - nodes).abs() <= tolerance,
        "{what}: {totals:?} vs {nodes}"
    );
    let messages: f64 = ledger.messages().iter().map(|m| m.energy.0).sum();
    assert!(
        (totals.network.0 - messages).abs() <= 1e-9 * totals.network.0.max(1e-12),
        "{what}: network {} vs messages {messages}",
        totals.network.0
    );
    assert_eq!(ledger.messages().len() as u64, totals.messages, "{what}");
    assert!(
        totals.idle.0 > 0.0 && totals.network.0 > 0.0,
        "{what}: {totals:?}"
    );
}

#[test]
fn the_energy_ledger_adds_up_in_every_crdt_preset_and_mode() {
    for p in crdt_presets()
        .into_iter()
        .filter(|p| crdt(&mut p.scenario.clone()).replicas <= 50)
    {
        let run = finished(&p.scenario);
        ledger_adds_up(run.energy(), run.now(), p.name);
        let by_mode = run.energy_by_mode();
        let bytes = run.report().bytes_by_mode;
        // Same idle power and up time in every mode: the network part follows the bytes.
        for i in 0..3 {
            for j in 0..3 {
                if bytes[i] > bytes[j] {
                    assert!(by_mode[i].network.0 > by_mode[j].network.0, "{}", p.name);
                }
            }
        }
    }
}

#[test]
fn slices_cut_at_every_sample_give_the_same_run() {
    for name in ["Partition, then heal", "Collaborative text"] {
        let scenario = preset(name);
        let whole = finished(&scenario);
        let mut sliced = CrdtRun::new(&scenario).expect("valid");
        let mut calls = 0;
        while sliced.now() < whole.now() || sliced.events_processed() < whole.events_processed() {
            let before = (
                sliced.now(),
                sliced.events_processed(),
                sliced.samples().len(),
            );
            sliced.advance_slice(RunBudget {
                until: SimTime::ZERO + scenario.duration,
                max_events: 5_000,
            });
            calls += 1;
            assert_ne!(
                before,
                (
                    sliced.now(),
                    sliced.events_processed(),
                    sliced.samples().len()
                ),
                "{name}: every slice moves on"
            );
        }
        assert!(calls > 2, "{name}: slices stop at samples ({calls} calls)");
        assert_eq!(sliced.samples(), whole.samples(), "{name}");
        assert_eq!(
            sliced.trace_hash().hex(),
            whole.trace_hash().hex(),
            "{name}"
        );
        assert_eq!(sliced.values(), whole.values(), "{name}");
    }
}
