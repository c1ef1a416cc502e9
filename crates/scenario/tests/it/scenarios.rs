//! Scenarios: presets, validation, share-link round trips and exact replay of user actions.

use proptest::prelude::*;
use scenario::scenario::{
    Action, ActionKind, Lab, MAX_LAB_NODES, OpenError, TopologyKind, broadcast_presets,
    default_scenario,
};
use scenario::{BroadcastRun, Scenario, run};
use sim::{Fault, LinkParams, NodeId, RestartMode, RunBudget, SimDuration, SimTime};

fn broadcast(s: &mut Scenario) -> &mut scenario::scenario::BroadcastScenario {
    match &mut s.lab {
        Lab::Broadcast(b) => b,
        _ => panic!("not a broadcast scenario"),
    }
}

#[test]
fn every_preset_is_valid_runs_and_informs_nodes() {
    for p in broadcast_presets() {
        p.scenario
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", p.name));
        if broadcast(&mut p.scenario.clone()).nodes > 1000 {
            continue; // the 10,000-node preset is exercised by the benchmark and the browser tests
        }
        let report = run(&p.scenario).unwrap();
        assert!(
            report.broadcast.reached_fraction > 0.3,
            "{}: {report:?}",
            p.name
        );
        assert!(report.network.is_conserved());
    }
}

#[test]
fn the_grid_and_line_presets_reproduce_maelstroms_trade_off() {
    let presets = broadcast_presets();
    let grid = run(&presets[0].scenario).unwrap().broadcast;
    let line = run(&presets[1].scenario).unwrap().broadcast;
    assert!(grid.messages_per_update > line.messages_per_update);
    assert!(
        grid.time_to_all_p50.unwrap().as_nanos() * 2 < line.time_to_all_p50.unwrap().as_nanos()
    );
}

#[test]
fn a_share_link_reproduces_the_same_trace() {
    for p in broadcast_presets().into_iter().take(6) {
        let fragment = p
            .scenario
            .to_fragment(Some(SimTime::from_millis(250)))
            .unwrap();
        assert!(
            fragment.len() < 400,
            "{}: {} characters",
            p.name,
            fragment.len()
        );
        let opened = Scenario::from_fragment(&format!("#{fragment}")).unwrap();
        assert_eq!(opened.scenario, p.scenario);
        assert_eq!(opened.at, Some(SimTime::from_millis(250)));
        assert_eq!(
            run(&opened.scenario).unwrap(),
            run(&p.scenario).unwrap(),
            "{}",
            p.name
        );
    }
}

#[test]
fn actions_taken_during_a_live_run_replay_exactly_from_the_link() {
    let mut live = BroadcastRun::new(&default_scenario()).unwrap();
    live.advance(RunBudget {
        until: SimTime::from_millis(95),
        max_events: u64::MAX,
    });
    live.fault_now(Fault::Crash(NodeId(7))).unwrap();
    // Pause in the middle of an instant (an event budget), then act: the input must still replay.
    live.advance(RunBudget {
        until: SimTime::from_secs(1),
        max_events: 37,
    });
    live.broadcast_now(NodeId(24)).unwrap();
    live.advance(RunBudget {
        until: SimTime::from_millis(600),
        max_events: u64::MAX,
    });
    live.fault_now(Fault::Restart {
        node: NodeId(7),
        mode: RestartMode::Volatile,
    })
    .unwrap();
    live.broadcast_now(NodeId(7)).unwrap();
    live.run_to_end();

    let link = live.scenario().to_fragment(None).unwrap();
    let replayed = run(&Scenario::from_fragment(&link).unwrap().scenario).unwrap();
    assert_eq!(replayed, live.report());
    assert_eq!(live.report().broadcast.updates, 4);
}

#[test]
fn invalid_scenarios_list_every_problem() {
    let mut s = default_scenario();
    s.duration = SimDuration::ZERO;
    let b = broadcast(&mut s);
    b.nodes = MAX_LAB_NODES + 1;
    b.link = LinkParams {
        loss: 3.0,
        ..LinkParams::default()
    };
    b.actions.push(Action {
        at: SimTime::from_secs(5),
        kind: ActionKind::Fault(Fault::Crash(NodeId(1))),
    });
    let e = s.validate().unwrap_err();
    let fields: Vec<&str> = e.problems.iter().map(|p| p.field.as_str()).collect();
    assert!(
        fields.contains(&"duration") && fields.contains(&"nodes") && fields.contains(&"link"),
        "{fields:?}"
    );
    assert!(e.to_string().contains("between 1 and 100000"), "{e}");
    assert!(e.to_string().contains("between 0 and 1"), "{e}");
}

#[test]
fn a_link_to_an_absurd_scenario_explains_instead_of_running() {
    let mut s = default_scenario();
    broadcast(&mut s).nodes = 5_000_000;
    let fragment = scenario::link::to_link(scenario::scenario::FORMAT_VERSION, &s, None).unwrap();
    match Scenario::from_fragment(&fragment) {
        Err(OpenError::Invalid(e)) => assert!(e.to_string().contains("nodes"), "{e}"),
        other => panic!("expected an invalid scenario, got {other:?}"),
    }
    let mut s = default_scenario();
    broadcast(&mut s).topology = TopologyKind::Complete;
    broadcast(&mut s).nodes = 50_000;
    assert!(s.validate().unwrap_err().to_string().contains("complete"));
    let fragment = default_scenario()
        .to_fragment(Some(SimTime::from_secs(99)))
        .unwrap();
    assert!(matches!(
        Scenario::from_fragment(&fragment),
        Err(OpenError::Invalid(_))
    ));
}

#[test]
fn grid_topology_fills_rows_for_any_node_count() {
    for n in [1, 2, 5, 24, 25, 26, 99, 1000] {
        let t = TopologyKind::Grid.build(n, 0).unwrap();
        assert_eq!(t.node_count(), n);
        assert!(t.is_connected(), "{n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random pauses and actions during a live run replay to the same trace from the link.
    #[test]
    fn live_actions_always_replay(seed in any::<u64>(), steps in proptest::collection::vec((1u64..60, 0u64..200, 0u32..25, 0u8..4), 1..8)) {
        let mut s = default_scenario();
        s.seed = seed;
        let mut live = BroadcastRun::new(&s).unwrap();
        for (ms, events, node, what) in steps {
            let until = live.now() + SimDuration::from_millis(ms);
            live.advance(RunBudget { until, max_events: if events == 0 { u64::MAX } else { events } });
            let node = NodeId(node);
            let _ = match what {
                0 => live.broadcast_now(node).map(|_| ()),
                1 => live.fault_now(Fault::Crash(node)),
                2 => live.fault_now(Fault::Restart { node, mode: RestartMode::Durable }),
                _ => live.fault_now(Fault::Isolate(node)),
            };
        }
        live.run_to_end();
        let link = live.scenario().to_fragment(None).unwrap();
        let replayed = run(&Scenario::from_fragment(&link).unwrap().scenario).unwrap();
        prop_assert_eq!(replayed, live.report(), "seed {}", seed);
    }
}

#[test]
fn the_energy_ledger_adds_up_in_every_network_preset() {
    for p in broadcast_presets() {
        if broadcast(&mut p.scenario.clone()).nodes > 1000 {
            continue;
        }
        let mut r = BroadcastRun::new(&p.scenario).unwrap();
        r.run_to_end();
        crate::crdt::ledger_adds_up(r.energy(), r.now(), p.name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Validation checks a topology's parameters without building it; it must accept exactly
    /// what building accepts. (Random graphs stay small: a near-complete one is slow to draw;
    /// `a_random_graph_past_the_link_limit_is_refused_unbuilt` covers the limit.)
    #[test]
    fn checking_a_topology_agrees_with_building_it(
        kind in 0u8..7,
        nodes in prop_oneof![0u32..50, 1_990u32..2_010, 4_470u32..4_480],
        branching in 0u32..4,
        mean_degree in prop_oneof![Just(f64::NAN), Just(-1.0), 0.0f64..8.0, Just(5_000.0)],
        seed in any::<u64>(),
    ) {
        let topology = match kind {
            0 => TopologyKind::Complete,
            1 => TopologyKind::Line,
            2 => TopologyKind::Ring,
            3 => TopologyKind::Star,
            4 => TopologyKind::Grid,
            5 => TopologyKind::Tree { branching },
            _ => TopologyKind::Random { mean_degree },
        };
        let nodes = if kind == 6 { nodes % 60 } else { nodes };
        let built = topology.build(nodes, seed).map(|_| ());
        prop_assert_eq!(topology.check(nodes), built, "{:?} with {} nodes, seed {}", topology, nodes, seed);
    }
}

#[test]
fn a_random_graph_past_the_link_limit_is_refused_unbuilt() {
    let topology = TopologyKind::Random {
        mean_degree: 5_000.0,
    };
    // 4,475 nodes × 5,000 / 2 is clamped to 4,475 × 4,474 / 2 = 10,010,575 links, past 10 million.
    assert!(topology.check(4_475).is_err());
    assert_eq!(topology.check(4_475), topology.build(4_475, 1).map(|_| ()));
}
