//! Replica nodes on the simulation kernel: for every type and every sync mode, a seeded run
//! with concurrent actions, a lossy, duplicating, reordering network and a partition; after
//! the heal and some quiet time every replica holds the same state. Failures name the seed.

use crdt::{
    GCounter, GSet, LwwMap, LwwRegister, MvRegister, NaiveCounter, OrSet, PnCounter, ReplicaId,
    ReplicaMsg, ReplicaNode, Replicated, SyncMode, Text, TwoPSet,
};
use sim::{
    Fault, LatencyModel, LinkParams, LocalTime, NodeId, Sim, SimConfig, SimDuration, SimRng,
    SimTime, Topology,
};

/// Actions happen before this time; the partition lasts from 0.5 s to 2.5 s.
const LAST_ACTION: SimTime = SimTime::from_secs(3);
/// Give up waiting for convergence at this time.
const DEADLINE: SimTime = SimTime::from_secs(60);

fn modes() -> [SyncMode; 3] {
    let interval = SimDuration::from_millis(100);
    [
        SyncMode::State {
            interval,
            fanout: 2,
        },
        SyncMode::Op {
            interval,
            fanout: 1,
        },
        SyncMode::Delta {
            interval,
            fanout: 2,
        },
    ]
}

/// Builds the seeded run: replicas, topology, faulty network, partition and user actions.
fn build<C: Replicated>(seed: u64, mode: SyncMode) -> (Sim<ReplicaNode<C>>, u64) {
    let mut rng = SimRng::new(seed);
    let n = 3 + rng.below(6) as u32;
    // Complete graphs, and rings where updates must be relayed.
    let topology = if seed.is_multiple_of(2) {
        Topology::complete(n)
    } else {
        Topology::ring(n)
    }
    .expect("3 to 8 nodes are a valid topology");
    let link = LinkParams {
        latency: LatencyModel::Uniform {
            min: SimDuration::from_millis(5),
            max: SimDuration::from_millis(40),
        },
        jitter: SimDuration::from_millis(20),
        loss: 0.05 + rng.unit_f64() * 0.2,
        duplicate: rng.unit_f64() * 0.2,
        ..LinkParams::default()
    };
    let cut: Vec<NodeId> = (0..n).filter(|_| rng.chance(0.5)).map(NodeId).collect();
    let config = SimConfig::new(seed, topology)
        .with_default_link(link)
        .with_fault(SimTime::from_millis(500), Fault::Split(vec![cut]))
        .with_fault(SimTime::from_millis(2_500), Fault::HealAll);
    let mut sim = Sim::new(config, move |id| ReplicaNode::<C>::new(id, mode))
        .expect("the test's configuration is valid");
    // Actions are drawn against a shadow of what each replica itself did, so removals name
    // elements that replica added (the real state may hold more by then).
    let mut shadows: Vec<C> = (0..n).map(|_| C::default()).collect();
    let actions = 10 + rng.below(40);
    let mut times: Vec<u64> = (0..actions)
        .map(|_| rng.below(LAST_ACTION.as_nanos()))
        .collect();
    times.sort_unstable();
    let mut increments = 0;
    for t in times {
        let node = rng.below(n as u64) as u32;
        let shadow = &mut shadows[node as usize];
        let action = shadow.random_action(&mut rng);
        shadow.act(ReplicaId(node), LocalTime(t as i64), &action);
        increments += 1;
        sim.schedule_input(SimTime(t), NodeId(node), ReplicaMsg::Act(action))
            .expect("inputs are scheduled in the future");
    }
    (sim, increments)
}

/// Runs until every replica holds the same state; `Err` if not by the deadline.
fn run_to_convergence<C: Replicated>(seed: u64, mode: SyncMode) -> Result<SimTime, String> {
    let (mut sim, _) = build::<C>(seed, mode);
    sim.run_until(LAST_ACTION, &mut ());
    let mut t = LAST_ACTION;
    loop {
        let nodes = sim.nodes();
        if crdt::distinct_states(nodes) == 1 {
            return Ok(t);
        }
        if t >= DEADLINE {
            let states: Vec<String> = nodes
                .iter()
                .enumerate()
                .map(|(i, r)| format!("  n{i}: {}", sim::Node::describe(r)))
                .collect();
            return Err(format!(
                "{} with {} sync did not converge by {DEADLINE:?} (seed {seed}):\n{}",
                C::NAME,
                mode.name(),
                states.join("\n")
            ));
        }
        t += SimDuration::from_millis(250);
        sim.run_until(t, &mut ());
    }
}

const SEEDS: u64 = 12;

fn converges<C: Replicated>() {
    for mode in modes() {
        for seed in 0..SEEDS {
            if let Err(e) = run_to_convergence::<C>(seed, mode) {
                panic!("{e}");
            }
        }
    }
}

macro_rules! replicas_converge {
    ($name:ident, $ty:ty) => {
        #[test]
        fn $name() {
            converges::<$ty>();
        }
    };
}

replicas_converge!(g_counter_replicas_converge, GCounter);
replicas_converge!(pn_counter_replicas_converge, PnCounter);
replicas_converge!(lww_register_replicas_converge, LwwRegister<u32>);
replicas_converge!(mv_register_replicas_converge, MvRegister<u32>);
replicas_converge!(g_set_replicas_converge, GSet<String>);
replicas_converge!(two_p_set_replicas_converge, TwoPSet<u32>);
replicas_converge!(or_set_replicas_converge, OrSet<String>);
replicas_converge!(lww_map_replicas_converge, LwwMap<char, u32>);
replicas_converge!(text_replicas_converge, Text);

#[test]
fn counter_replicas_keep_every_increment() {
    for mode in modes() {
        for seed in 0..SEEDS {
            let (mut sim, _) = build::<GCounter>(seed, mode);
            let mut expected = 0;
            // Re-derive the increments from the scheduled inputs' trace.
            let mut count = sim::FnObserver(|e: &sim::TraceEvent<'_, ReplicaMsg<GCounter>>| {
                if let sim::TraceKind::Input {
                    msg: ReplicaMsg::Act(by),
                    accepted: true,
                    ..
                } = e.kind
                {
                    expected += *by;
                }
            });
            sim.run_until(DEADLINE, &mut count);
            for (i, r) in sim.nodes().iter().enumerate() {
                assert_eq!(
                    r.state().value(),
                    expected,
                    "n{i} lost increments ({} sync, seed {seed})",
                    mode.name()
                );
            }
        }
    }
}

#[test]
fn naive_counter_replicas_lose_increments() {
    let mut lost = 0;
    for seed in 0..SEEDS {
        let mode = modes()[0];
        let (mut sim, increments) = build::<NaiveCounter>(seed, mode);
        sim.run_until(DEADLINE, &mut ());
        // Actions add 1 to 3 each, so the total is at least the number of actions.
        if sim
            .nodes()
            .iter()
            .any(|r| r.state().value() < increments as i64)
        {
            lost += 1;
        }
    }
    assert!(
        lost > SEEDS / 2,
        "the naive counter lost increments in only {lost} of {SEEDS} runs"
    );
}

#[test]
fn runs_are_deterministic() {
    for mode in modes() {
        let a = run_to_convergence::<Text>(5, mode);
        let b = run_to_convergence::<Text>(5, mode);
        assert_eq!(a, b, "{} sync", mode.name());
    }
}

/// A replica that loses its state in a crash comes back under a new id, so its new increments
/// are not mistaken for the ones it made before (which the others still hold): nothing is lost
/// in any mode.
#[test]
fn an_amnesic_restart_takes_a_new_id_and_loses_no_increment() {
    for mode in modes() {
        let config = SimConfig::new(7, Topology::complete(3).expect("valid"))
            .with_fault(SimTime::from_secs(1), Fault::Crash(NodeId(0)))
            .with_fault(
                SimTime::from_millis(1_500),
                Fault::Restart {
                    node: NodeId(0),
                    mode: sim::RestartMode::Volatile,
                },
            );
        let mut sim = Sim::new(config, move |id| ReplicaNode::<GCounter>::new(id, mode))
            .expect("valid configuration");
        sim.schedule_input(SimTime::from_millis(10), NodeId(0), ReplicaMsg::Act(5))
            .expect("valid input");
        sim.schedule_input(SimTime::from_secs(2), NodeId(0), ReplicaMsg::Act(1))
            .expect("valid input");
        sim.run_until(SimTime::from_secs(10), &mut ());
        let name = mode.name();
        let restarted = sim.node(NodeId(0)).expect("node 0");
        assert_eq!(restarted.replica_id().to_string(), "r0#1", "{name}");
        for r in sim.nodes() {
            assert_eq!(
                r.state().value(),
                6,
                "{name}: {}",
                crdt::Metadata::describe(r.state())
            );
        }
    }
}
