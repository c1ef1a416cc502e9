//! Broadcast protocols on the kernel: reach, partitions, loss, and their costs.

use proptest::prelude::*;
use protocols::broadcast::{
    BroadcastConfig, BroadcastMsg, BroadcastStats, DEFAULT_UPDATE_BYTES, Protocol, build_sim,
    flood_messages_per_update, flood_reach_all_complete_at_least, flood_reach_all_ring,
    flood_reach_all_tree,
};
use sim::{Fault, LinkParams, NodeId, SimConfig, SimDuration, SimTime, Topology};

fn config(protocol: Protocol) -> BroadcastConfig {
    BroadcastConfig {
        protocol,
        update_bytes: DEFAULT_UPDATE_BYTES,
    }
}

const PUSH: Protocol = Protocol::PushGossip {
    fanout: 3,
    rounds: 8,
    period: SimDuration::from_millis(20),
};
const PUSH_PULL: Protocol = Protocol::PushPull {
    fanout: 1,
    period: SimDuration::from_millis(50),
};

/// Runs `protocol` on `sim_config`, broadcasting `updates` from node 0 (update i at i × 100 ms).
fn run(sim_config: SimConfig, protocol: Protocol, updates: u32, until: SimTime) -> BroadcastStats {
    let n = sim_config.topology.node_count();
    let mut sim = build_sim(sim_config, config(protocol)).expect("valid scenario");
    for u in 0..updates {
        sim.schedule_input(
            SimTime::from_millis(100 * u as u64),
            NodeId(0),
            BroadcastMsg::Broadcast { update: u },
        )
        .unwrap();
    }
    let mut stats = BroadcastStats::new(n);
    sim.run_until(until, &mut stats);
    stats
}

#[test]
fn every_protocol_reaches_every_node_of_a_connected_graph_without_loss() {
    for topology in [
        Topology::line(25).unwrap(),
        Topology::grid(5, 5).unwrap(),
        Topology::random(200, 4.0, 9).unwrap(),
    ] {
        // Push gossip with a fanout of at least the largest degree pushes to every neighbour, so it
        // is certain to reach everyone; with a smaller fanout it is probabilistic (next test).
        let max_degree = (0..topology.node_count())
            .map(|i| topology.neighbours(NodeId(i)).len())
            .max()
            .unwrap() as u32;
        let push_all = Protocol::PushGossip {
            fanout: max_degree,
            rounds: 1,
            period: SimDuration::from_millis(20),
        };
        for protocol in [
            Protocol::Flood,
            Protocol::Tree { root: NodeId(0) },
            push_all,
            PUSH_PULL,
        ] {
            let stats = run(
                SimConfig::new(1, topology.clone()),
                protocol,
                3,
                SimTime::from_secs(30),
            );
            let report = stats.report();
            assert_eq!(
                report.complete_updates,
                3,
                "{} on {} nodes: {report:?}",
                protocol.name(),
                topology.node_count()
            );
            assert_eq!(report.reached_fraction, 1.0);
        }
    }
}

/// Push gossip with a small fanout is probabilistic: it reaches almost everyone, and more rounds
/// reach more nodes for more messages.
#[test]
fn push_gossip_reaches_almost_everyone_and_rounds_trade_messages_for_reach() {
    let few = Protocol::PushGossip {
        fanout: 2,
        rounds: 2,
        period: SimDuration::from_millis(20),
    };
    let (mut reach_many, mut reach_few, mut msgs_many, mut msgs_few) = (0.0, 0.0, 0.0, 0.0);
    for seed in 0..20 {
        let cfg = || SimConfig::new(seed, Topology::random(300, 6.0, seed).unwrap());
        let many = run(cfg(), PUSH, 1, SimTime::from_secs(10)).report();
        let f = run(cfg(), few, 1, SimTime::from_secs(10)).report();
        assert!(many.reached_fraction > 0.98, "seed {seed}: {many:?}");
        reach_many += many.reached_fraction;
        reach_few += f.reached_fraction;
        msgs_many += many.messages_per_update;
        msgs_few += f.messages_per_update;
    }
    assert!(
        reach_many / 20.0 > 0.995,
        "mean reach {}",
        reach_many / 20.0
    );
    assert!(reach_few < reach_many && msgs_few < msgs_many);
}

/// Maelstrom's reference experiment: 25 nodes, 10 ms links. The grid sends more messages per
/// broadcast and delivers much faster than the line.
#[test]
fn grid_floods_faster_but_costlier_than_line() {
    let line = run(
        SimConfig::new(1, Topology::line(25).unwrap()),
        Protocol::Flood,
        5,
        SimTime::from_secs(10),
    )
    .report();
    let grid = run(
        SimConfig::new(1, Topology::grid(5, 5).unwrap()),
        Protocol::Flood,
        5,
        SimTime::from_secs(10),
    )
    .report();
    // Line: 24 hops of 10 ms from one end; 2 × 24 links − 24 returns... exactly 24 messages.
    assert_eq!(line.time_to_all_p50, Some(SimDuration::from_millis(240)));
    assert_eq!(line.messages_per_update, 24.0);
    // Grid 5×5 from a corner: 8 hops; flooding sends 2·40 − 24 = 56 messages.
    assert_eq!(grid.time_to_all_p50, Some(SimDuration::from_millis(80)));
    assert_eq!(grid.messages_per_update, 56.0);
}

#[test]
fn the_tree_sends_n_minus_one_messages_per_update() {
    let r = run(
        SimConfig::new(1, Topology::grid(6, 6).unwrap()),
        Protocol::Tree { root: NodeId(0) },
        4,
        SimTime::from_secs(5),
    )
    .report();
    assert_eq!(r.messages_per_update, 35.0);
}

#[test]
fn nothing_crosses_a_partition_until_it_heals_then_anti_entropy_delivers_everything() {
    let left: Vec<NodeId> = (0..10).map(NodeId).collect();
    let topo = Topology::ring(20).unwrap();
    let sim_config = SimConfig::new(3, topo)
        .with_fault(SimTime::ZERO, Fault::Split(vec![left.clone()]))
        .with_fault(SimTime::from_secs(2), Fault::HealAll);
    let mut stats_at_heal = None;
    let n = 20;
    let mut sim = build_sim(sim_config, config(PUSH_PULL)).unwrap();
    sim.schedule_input(
        SimTime::from_millis(10),
        NodeId(0),
        BroadcastMsg::Broadcast { update: 0 },
    )
    .unwrap();
    let mut stats = BroadcastStats::new(n);
    sim.run_until(SimTime::from_millis(1999), &mut stats);
    for i in 10..20 {
        assert_eq!(
            stats.updates[0].informed_at[i], None,
            "n{i} heard across the partition"
        );
    }
    assert_eq!(stats.updates[0].informed, 10);
    stats_at_heal.replace(stats.clone());
    sim.run_until(SimTime::from_secs(10), &mut stats);
    assert_eq!(
        stats.updates[0].informed, 20,
        "after healing everything arrives"
    );
    assert!(stats.updates[0].informed_at[15].unwrap() >= SimTime::from_secs(2));
}

#[test]
fn flooding_does_not_repair_a_partition_but_push_pull_does() {
    let cfg = |seed| {
        SimConfig::new(seed, Topology::grid(4, 4).unwrap())
            .with_fault(SimTime::ZERO, Fault::Isolate(NodeId(15)))
            .with_fault(SimTime::from_secs(1), Fault::Rejoin(NodeId(15)))
    };
    let flood = run(cfg(1), Protocol::Flood, 1, SimTime::from_secs(5));
    assert_eq!(flood.updates[0].informed, 15);
    let anti = run(cfg(1), PUSH_PULL, 1, SimTime::from_secs(5));
    assert_eq!(anti.updates[0].informed, 16);
}

#[test]
fn loss_hurts_the_tree_most() {
    let lossy = |seed| {
        SimConfig::new(seed, Topology::random(100, 6.0, seed).unwrap()).with_default_link(
            LinkParams {
                loss: 0.2,
                ..LinkParams::default()
            },
        )
    };
    let (mut tree, mut flood) = (0.0, 0.0);
    for seed in 0..10 {
        tree += run(
            lossy(seed),
            Protocol::Tree { root: NodeId(0) },
            5,
            SimTime::from_secs(5),
        )
        .report()
        .reached_fraction;
        flood += run(lossy(seed), Protocol::Flood, 5, SimTime::from_secs(5))
            .report()
            .reached_fraction;
    }
    assert!(tree / 10.0 < 0.8, "tree reached {}", tree / 10.0);
    assert!(flood / 10.0 > 0.95, "flood reached {}", flood / 10.0);
}

/// Flooding without loss sends exactly 2L − (n − 1) messages per update: 56 on the 5 × 5 grid
/// (40 links), 24 on a line of 25; checked against runs on several topologies.
#[test]
fn flooding_sends_exactly_two_l_minus_n_minus_one() {
    assert_eq!(
        flood_messages_per_update(&Topology::grid(5, 5).unwrap()),
        Some(56)
    );
    assert_eq!(
        flood_messages_per_update(&Topology::line(25).unwrap()),
        Some(24)
    );
    for topology in [
        Topology::line(25).unwrap(),
        Topology::grid(5, 5).unwrap(),
        Topology::ring(30).unwrap(),
        Topology::star(16).unwrap(),
        Topology::complete(12).unwrap(),
        Topology::tree(40, 3).unwrap(),
        Topology::random(200, 4.0, 9).unwrap(),
    ] {
        let n = topology.node_count();
        let links = topology.link_count();
        let Some(exact) = flood_messages_per_update(&topology) else {
            assert!(!topology.is_connected());
            continue;
        };
        let stats = run(
            SimConfig::new(3, topology),
            Protocol::Flood,
            3,
            SimTime::from_secs(5),
        );
        assert_eq!(stats.messages_sent, 3 * exact, "n {n}, {links} links");
        assert_eq!(exact, 2 * links - u64::from(n - 1));
    }
}

/// The fraction of updates that reach every node at 10 % loss matches the formulas the lab's
/// explainer quotes: 0.9^(n−1) on a star or tree (21 % at n = 16), 0.9^(n−1)·(1 + 0.1(n − 1))
/// on a ring (18 % at n = 30), and at least the bound on a complete graph. 600 updates per
/// topology; the tolerance is about four standard errors.
#[test]
fn flooding_reaches_everyone_under_loss_as_often_as_the_formulas_say() {
    assert!((flood_reach_all_tree(16, 0.1) - 0.2059).abs() < 1e-4);
    assert!((flood_reach_all_ring(30, 0.1) - 0.1837).abs() < 1e-4);
    let updates = 600;
    let lossy = |topology: Topology| {
        SimConfig::new(11, topology).with_default_link(LinkParams {
            loss: 0.1,
            ..LinkParams::default()
        })
    };
    let all_reached = |topology: Topology| {
        let n = topology.node_count();
        let stats = run(
            lossy(topology),
            Protocol::Flood,
            updates,
            SimTime::from_secs(70),
        );
        let complete = stats.updates.iter().filter(|u| u.informed == n).count();
        complete as f64 / f64::from(updates)
    };
    for (name, topology, expected) in [
        (
            "star 16",
            Topology::star(16).unwrap(),
            flood_reach_all_tree(16, 0.1),
        ),
        (
            "tree 16",
            Topology::tree(16, 2).unwrap(),
            flood_reach_all_tree(16, 0.1),
        ),
        (
            "ring 30",
            Topology::ring(30).unwrap(),
            flood_reach_all_ring(30, 0.1),
        ),
        (
            "ring 8",
            Topology::ring(8).unwrap(),
            flood_reach_all_ring(8, 0.1),
        ),
    ] {
        let measured = all_reached(topology);
        let se = (expected * (1.0 - expected) / f64::from(updates)).sqrt();
        assert!(
            (measured - expected).abs() < 4.0 * se,
            "{name}: {measured} of updates reached all, formula {expected}"
        );
    }
    let bound = flood_reach_all_complete_at_least(6, 0.1);
    assert!(bound > 0.99, "{bound}");
    assert!(all_reached(Topology::complete(6).unwrap()) >= bound - 0.01);
}

#[test]
fn bad_protocol_parameters_are_errors() {
    let e = build_sim(
        SimConfig::new(1, Topology::line(3).unwrap()),
        config(Protocol::PushGossip {
            fanout: 0,
            rounds: 1,
            period: SimDuration::from_millis(1),
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("fanout"), "{e}");
    assert!(
        build_sim(
            SimConfig::new(1, Topology::line(3).unwrap()),
            config(Protocol::Tree { root: NodeId(3) })
        )
        .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Push-pull anti-entropy delivers every update to every node once loss stops mattering and
    /// partitions heal, whatever the connected topology, loss rate and partition.
    #[test]
    fn push_pull_converges_after_heal(seed in any::<u64>(), n in 2u32..60, loss in 0.0f64..0.4, cut in 1u32..59) {
        let cut = cut.min(n - 1);
        let sim_config = SimConfig::new(seed, Topology::random(n, 3.0, seed).unwrap())
            .with_default_link(LinkParams { loss, ..LinkParams::default() })
            .with_fault(SimTime::from_millis(50), Fault::Split(vec![(0..cut).map(NodeId).collect()]))
            .with_fault(SimTime::from_secs(1), Fault::HealAll);
        let stats = run(sim_config, PUSH_PULL, 3, SimTime::from_secs(40));
        prop_assert_eq!(stats.report().reached_fraction, 1.0, "seed {}", seed);
    }
}
