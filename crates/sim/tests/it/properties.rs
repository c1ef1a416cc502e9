//! Kernel invariants as properties over random scenarios.

use crate::chatter::{Chat, Chatter};
use proptest::prelude::*;
use sim::observers::Record;
use sim::{
    ClockParams, DropReason, Fault, LatencyModel, LinkParams, NodeId, Observer, Recorder,
    RestartMode, Sim, SimConfig, SimDuration, SimTime, Topology, TraceEvent, TraceHash, TraceKind,
};

/// A generated scenario: everything needed to rebuild it exactly.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub seed: u64,
    pub nodes: u32,
    pub topology: u8,
    pub link: LinkParams,
    pub fifo_pair: Option<(u32, u32)>,
    pub clocks: Vec<(u32, i64, i64)>,
    pub faults: Vec<(u64, Fault)>,
}

fn latency() -> impl Strategy<Value = LatencyModel> {
    prop_oneof![
        (0u64..20).prop_map(|ms| LatencyModel::Constant(SimDuration::from_millis(ms))),
        (0u64..10, 0u64..20).prop_map(|(a, b)| LatencyModel::Uniform {
            min: SimDuration::from_millis(a),
            max: SimDuration::from_millis(a + b)
        }),
        (0u64..20, 0u64..10).prop_map(|(m, s)| LatencyModel::Normal {
            mean: SimDuration::from_millis(m),
            std_dev: SimDuration::from_millis(s)
        }),
        (1u64..20, 0.0f64..1.5).prop_map(|(m, s)| LatencyModel::LogNormal {
            median: SimDuration::from_millis(m),
            sigma: s
        }),
        (1u64..10, 1.1f64..4.0).prop_map(|(m, a)| LatencyModel::Pareto {
            scale: SimDuration::from_millis(m),
            shape: a
        }),
    ]
}

fn fault(n: u32) -> impl Strategy<Value = Fault> {
    let node = 0..n;
    prop_oneof![
        proptest::collection::vec(0..n, 1..(n as usize).max(2)).prop_map(|g| Fault::Split(vec![{
            let mut g: Vec<NodeId> = g.into_iter().map(NodeId).collect();
            g.sort();
            g.dedup();
            g
        }])),
        node.clone().prop_map(|x| Fault::Isolate(NodeId(x))),
        node.clone().prop_map(|x| Fault::Rejoin(NodeId(x))),
        (node.clone(), node.clone()).prop_map(|(a, b)| Fault::CutLink {
            from: NodeId(a),
            to: NodeId(b)
        }),
        Just(Fault::HealAll),
        node.clone().prop_map(|x| Fault::Crash(NodeId(x))),
        (node.clone(), any::<bool>()).prop_map(|(x, d)| Fault::Restart {
            node: NodeId(x),
            mode: if d {
                RestartMode::Durable
            } else {
                RestartMode::Volatile
            }
        }),
        (node.clone(), -5_000_000i64..5_000_000).prop_map(|(x, by)| Fault::ClockStep {
            node: NodeId(x),
            by_ns: by
        }),
        (node, -1_000_000i64..1_000_000).prop_map(|(x, d)| Fault::SetDrift {
            node: NodeId(x),
            drift_ppb: d
        }),
    ]
}

pub fn scenario() -> impl Strategy<Value = Scenario> {
    (2u32..20).prop_flat_map(|n| {
        (
            any::<u64>(),
            0u8..7,
            latency(),
            (
                0.0f64..0.3,
                0.0f64..0.2,
                0u64..5,
                proptest::option::of(100_000u64..10_000_000),
            ),
            proptest::option::of((0..n, 0..n)),
            proptest::collection::vec(
                (0..n, -1_000_000i64..1_000_000, -2_000_000i64..2_000_000),
                0..3,
            ),
            proptest::collection::vec((0u64..800, fault(n)), 0..6),
        )
            .prop_map(
                move |(
                    seed,
                    topology,
                    latency,
                    (loss, duplicate, jitter_ms, bandwidth),
                    fifo_pair,
                    clocks,
                    faults,
                )| {
                    Scenario {
                        seed,
                        nodes: n,
                        topology,
                        link: LinkParams {
                            latency,
                            jitter: SimDuration::from_millis(jitter_ms),
                            bandwidth_bps: bandwidth,
                            loss,
                            duplicate,
                            fifo: false,
                        },
                        fifo_pair,
                        clocks,
                        faults,
                    }
                },
            )
    })
}

impl Scenario {
    pub fn topology(&self) -> Topology {
        let n = self.nodes;
        match self.topology {
            0 => Topology::complete(n),
            1 => Topology::line(n),
            2 => Topology::ring(n),
            3 => Topology::star(n),
            4 if n.is_multiple_of(2) => Topology::grid(n / 2, 2),
            4 => Topology::grid(n, 1),
            5 => Topology::tree(n, 2),
            _ => Topology::random(n, 3.0, self.seed),
        }
        .expect("generated topologies are valid")
    }

    pub fn build(&self) -> Sim<Chatter> {
        let mut config =
            SimConfig::new(self.seed, self.topology()).with_default_link(self.link.clone());
        if let Some((a, b)) = self.fifo_pair
            && a != b
        {
            let fifo = LinkParams {
                fifo: true,
                latency: LatencyModel::Uniform {
                    min: SimDuration::from_millis(1),
                    max: SimDuration::from_millis(30),
                },
                ..LinkParams::default()
            };
            config = config.with_directed_link(NodeId(a), NodeId(b), fifo);
        }
        for &(node, offset_ns, drift_ppb) in &self.clocks {
            config = config.with_clock(
                NodeId(node),
                ClockParams {
                    offset_ns,
                    drift_ppb,
                },
            );
        }
        for (at, f) in &self.faults {
            config = config.with_fault(SimTime::from_millis(*at), f.clone());
        }
        let mut sim = Sim::new(config, |_| Chatter::new(SimDuration::from_millis(40), 12))
            .expect("generated scenarios are valid");
        sim.schedule_input(
            SimTime::from_millis(10),
            NodeId(0),
            Chat { hop: 0, size: 64 },
        )
        .expect("node 0 exists");
        sim
    }
}

fn run_hash(s: &Scenario) -> (u64, Vec<Chatter>) {
    let mut sim = s.build();
    let mut h = TraceHash::new();
    sim.run_until(SimTime::from_secs(5), &mut h);
    (h.value(), sim.nodes().to_vec())
}

/// Collects the events of one step, to check them against the world right after that step.
#[derive(Default)]
struct StepEvents(Vec<(SimTime, Record<Chat>)>);

impl Observer<Chat> for StepEvents {
    fn observe(&mut self, e: &TraceEvent<'_, Chat>) {
        self.0.push((e.time, Record::from_kind(&e.kind)));
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Same scenario and seed twice ⇒ the same trace hash and the same final states.
    #[test]
    fn determinism(s in scenario()) {
        let a = run_hash(&s);
        let b = run_hash(&s);
        prop_assert_eq!(a.0, b.0, "seed {}", s.seed);
        prop_assert_eq!(a.1, b.1, "seed {}", s.seed);
    }

    /// After every single event: sent + duplicated = delivered + dropped + in flight; and every
    /// delivery and drop is consistent with the partitions and crashes in force at that moment.
    #[test]
    fn conservation_partitions_and_crashes_at_every_step(s in scenario()) {
        let mut sim = s.build();
        let mut events = StepEvents::default();
        let mut steps = 0;
        while sim.now() <= SimTime::from_secs(3) && sim.step(&mut events) {
            steps += 1;
            let stats = sim.stats();
            prop_assert!(stats.is_conserved(), "seed {}: {:?} after {} steps", s.seed, stats, steps);
            prop_assert_eq!(stats.in_flight, sim.pending().messages_in_flight);
            for (_, r) in events.0.drain(..) {
                match r {
                    Record::Deliver { from, to, .. } => {
                        prop_assert!(!sim.partitions().blocks(from, to), "seed {}: delivered across a partition", s.seed);
                        prop_assert!(sim.is_up(to), "seed {}: delivered to crashed {}", s.seed, to);
                    }
                    Record::Drop { from, to, reason: DropReason::Partitioned, .. } => {
                        prop_assert!(sim.partitions().blocks(from, to), "seed {}: dropped as partitioned but not cut", s.seed);
                    }
                    Record::Drop { to, reason: DropReason::NodeDown, .. } => {
                        prop_assert!(!sim.is_up(to), "seed {}: dropped as node down but {} is up", s.seed, to);
                    }
                    Record::Timer { node, .. } => prop_assert!(sim.is_up(node), "seed {}: timer on crashed node", s.seed),
                    _ => {}
                }
            }
        }
    }

    /// No message arrives before its send time plus the link's minimum delay, and FIFO links
    /// deliver in send order.
    #[test]
    fn causality_and_fifo(s in scenario()) {
        let mut sim = s.build();
        let mut rec = Recorder::new(usize::MAX);
        sim.run_until(SimTime::from_secs(3), &mut rec);
        let mut last_sent_on_fifo = SimTime::ZERO;
        let mut sizes = std::collections::BTreeMap::new();
        for (time, _, r) in rec.events() {
            match r {
                Record::Send { id, size_bytes, .. } => { sizes.insert(*id, *size_bytes); }
                Record::Duplicate { id, original, .. } => { let sz = sizes[original]; sizes.insert(*id, sz); }
                Record::Deliver { id, from, to, sent_at, .. } => {
                    let params = sim.link_params(*from, *to);
                    let min = params.latency.min_delay();
                    prop_assert!(*time >= *sent_at + min, "seed {}: {:?} arrived after {} < {}", s.seed, id, *time - *sent_at, min);
                    // Serialisation is part of the minimum too (the link may have been busy: ≥).
                    prop_assert!(*time >= *sent_at + params.min_delay(sizes[id]), "seed {}", s.seed);
                    if params.fifo {
                        prop_assert!(*sent_at >= last_sent_on_fifo, "seed {}: FIFO link reordered", s.seed);
                        last_sent_on_fifo = *sent_at;
                    }
                }
                _ => {}
            }
        }
    }

    /// Snapshot at a random event, keep running; restoring the snapshot and running again gives
    /// the same trace as the uninterrupted run.
    #[test]
    fn snapshot_restore_run_equals_uninterrupted(s in scenario(), cut in 0u64..400) {
        let end = SimTime::from_secs(3);
        let mut full = s.build();
        let mut full_hash = TraceHash::new();
        full.run_until(end, &mut full_hash);

        let mut sim = s.build();
        let mut hash = TraceHash::new();
        sim.run_events(cut, &mut hash);
        let snapshot = sim.snapshot();
        let hash_at_snapshot = hash;
        sim.run_until(end, &mut hash);
        prop_assert_eq!(hash, full_hash, "seed {}", s.seed);

        let mut restored = s.build();
        restored.run_until(SimTime::from_secs(4), &mut ()); // wander off elsewhere first
        restored.restore(&snapshot);
        let mut hash2 = hash_at_snapshot;
        restored.run_until(end, &mut hash2);
        prop_assert_eq!(hash2, full_hash, "seed {}", s.seed);
        prop_assert_eq!(restored.nodes(), full.nodes());
    }

    /// A node's local clock reads offset + t + t·drift (within a nanosecond of integer rounding).
    #[test]
    fn local_clocks_follow_offset_and_drift(offset in -1_000_000_000i64..1_000_000_000, drift_ppm in -1000i64..1000, t_ms in 0u64..100_000) {
        let config = SimConfig::new(1, Topology::line(2).unwrap())
            .with_clock(NodeId(1), ClockParams { offset_ns: offset, drift_ppb: drift_ppm * 1000 });
        let mut sim = Sim::new(config, |_| Chatter::new(SimDuration::from_secs(1000), 0)).unwrap();
        let t = SimTime::from_millis(t_ms);
        sim.run_until(t, &mut ());
        let expected = offset as i128 + t.0 as i128 + (t.0 as i128 * drift_ppm as i128 * 1000) / 1_000_000_000;
        prop_assert_eq!(sim.local_time(NodeId(1)).unwrap().0 as i128, expected);
        prop_assert_eq!(sim.local_time(NodeId(0)).unwrap().0, t.0 as i64);
    }
}

/// Observers see only what happened; a closure observer counts kinds.
#[test]
fn every_kind_of_event_appears_in_the_reference_run() {
    let mut sim = crate::chatter::reference_scenario();
    let mut kinds = std::collections::BTreeSet::new();
    sim.run_until(
        SimTime::from_secs(10),
        &mut sim::FnObserver(|e: &TraceEvent<'_, Chat>| {
            kinds.insert(match e.kind {
                TraceKind::Start { .. } => "start",
                TraceKind::Send { .. } => "send",
                TraceKind::Duplicate { .. } => "duplicate",
                TraceKind::Deliver { .. } => "deliver",
                TraceKind::Drop { .. } => "drop",
                TraceKind::Timer { .. } => "timer",
                TraceKind::Input { .. } => "input",
                TraceKind::Fault { .. } => "fault",
                TraceKind::Crash { .. } => "crash",
                TraceKind::Restart { .. } => "restart",
                TraceKind::Note { .. } => "note",
                TraceKind::Metric { .. } => "metric",
            });
        }),
    );
    assert_eq!(kinds.len(), 12, "{kinds:?}");
}
