//! Faults, run control and errors, on small hand-made scenarios.

use crate::chatter::{Chat, Chatter};
use sim::{
    ConfigError, Counters, Ctx, DropReason, Fault, LinkParams, Message, Node, NodeId, RestartMode,
    RunBudget, RunOutcome, Sim, SimConfig, SimDuration, SimTime, TimerId, Topology,
};

/// Counts what it receives; node 0 sends one message to every node every 10 ms.
#[derive(Clone, Debug, Default, PartialEq)]
struct Counter {
    received: u32,
    cache: u32,
}

#[derive(Clone, Debug)]
struct Ping;
impl Message for Ping {
    fn size_bytes(&self) -> u32 {
        8
    }
}

impl Node for Counter {
    type Msg = Ping;
    type Timer = ();
    fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, ()>) {
        if ctx.id() == NodeId(0) {
            ctx.set_timer(SimDuration::from_millis(10), ());
        }
    }
    fn on_message(&mut self, _: &mut Ctx<'_, Ping, ()>, _: NodeId, _: Ping) {
        self.received += 1;
        self.cache += 1;
    }
    fn on_timer(&mut self, ctx: &mut Ctx<'_, Ping, ()>, _: ()) {
        for i in 1..ctx.node_count() {
            ctx.send(NodeId(i), Ping);
        }
        ctx.set_timer(SimDuration::from_millis(10), ());
    }
    fn on_crash(&mut self) {
        self.cache = 0; // in-memory only
    }
}

fn counters_run(config: SimConfig, until_ms: u64) -> (Sim<Counter>, Counters) {
    let mut sim = Sim::new(config, |_| Counter::default()).unwrap();
    let mut c = Counters::new();
    sim.run_until(SimTime::from_millis(until_ms), &mut c);
    (sim, c)
}

#[test]
fn split_blocks_across_groups_until_healed_then_traffic_flows() {
    // Pings leave at 10, 20, … ms and take 1 ms. Split {0,1} | {2,3} from 25 ms to 55 ms.
    let config = SimConfig::new(1, Topology::complete(4).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
        .with_fault(
            SimTime::from_millis(25),
            Fault::Split(vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2), NodeId(3)]]),
        )
        .with_fault(SimTime::from_millis(55), Fault::HealAll);
    let (sim, c) = counters_run(config, 100);
    // Ticks at 10..=100 ms: 10 ticks. Node 1 (same side) gets all that arrived by 100 ms (9: the
    // one sent at 100 ms is in flight); nodes 2, 3 miss the ticks at 30, 40, 50 ms.
    assert_eq!(sim.node(NodeId(1)).unwrap().received, 9);
    assert_eq!(sim.node(NodeId(2)).unwrap().received, 6);
    assert_eq!(sim.node(NodeId(3)).unwrap().received, 6);
    assert_eq!(c.dropped_by_reason[DropReason::Partitioned.index()], 6);
    assert_eq!(c.per_link[&(NodeId(0), NodeId(2))].dropped.messages, 3);
}

#[test]
fn one_way_cut_blocks_only_that_direction() {
    let config = SimConfig::new(1, Topology::complete(3).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
        .with_fault(
            SimTime::ZERO,
            Fault::CutLink {
                from: NodeId(0),
                to: NodeId(2),
            },
        );
    let (sim, _) = counters_run(config, 50);
    // Ticks at 10..=50 ms; the one sent at 50 ms is still on the wire.
    assert_eq!(sim.node(NodeId(1)).unwrap().received, 4);
    assert_eq!(sim.node(NodeId(2)).unwrap().received, 0);
    assert!(sim.partitions().blocks(NodeId(0), NodeId(2)));
    assert!(!sim.partitions().blocks(NodeId(2), NodeId(0)));
}

#[test]
fn crashed_nodes_receive_nothing_and_messages_to_them_drop_as_node_down() {
    let config = SimConfig::new(1, Topology::complete(3).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
        .with_fault(SimTime::from_millis(15), Fault::Crash(NodeId(2)));
    let (sim, c) = counters_run(config, 100);
    assert!(!sim.is_up(NodeId(2)));
    assert_eq!(sim.node(NodeId(2)).unwrap().received, 1);
    assert_eq!(c.dropped_by_reason[DropReason::NodeDown.index()], 8);
    assert_eq!(c.per_node[2].dropped.messages, 8);
}

#[test]
fn volatile_restart_loses_state_and_durable_restart_keeps_it() {
    let run = |mode| {
        let config = SimConfig::new(1, Topology::complete(2).unwrap())
            .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
            .with_fault(SimTime::from_millis(35), Fault::Crash(NodeId(1)))
            .with_fault(
                SimTime::from_millis(45),
                Fault::Restart {
                    node: NodeId(1),
                    mode,
                },
            );
        counters_run(config, 65).0
    };
    // Received at 11, 21, 31 ms; down for the one at 41 ms; up again for 51 and 61 ms.
    let durable = run(RestartMode::Durable);
    assert_eq!(
        durable.node(NodeId(1)).unwrap(),
        &Counter {
            received: 5,
            cache: 2
        }
    );
    let volatile = run(RestartMode::Volatile);
    assert_eq!(
        volatile.node(NodeId(1)).unwrap(),
        &Counter {
            received: 2,
            cache: 2
        }
    );
}

#[test]
fn crashing_discards_pending_timers_and_restart_starts_fresh_ones() {
    let config = SimConfig::new(1, Topology::complete(2).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
        .with_fault(SimTime::from_millis(15), Fault::Crash(NodeId(0)))
        .with_fault(
            SimTime::from_millis(33),
            Fault::Restart {
                node: NodeId(0),
                mode: RestartMode::Durable,
            },
        );
    let (sim, _) = counters_run(config, 60);
    // Ticks at 10 ms, then (after the restart at 33 ms) at 43 and 53 ms: the 20 ms tick never fires.
    assert_eq!(sim.node(NodeId(1)).unwrap().received, 3);
}

#[test]
fn cancelled_timers_never_fire() {
    #[derive(Clone, Default)]
    struct Canceller {
        fired: Vec<u8>,
        pending: Option<TimerId>,
    }
    impl Node for Canceller {
        type Msg = Ping;
        type Timer = u8;
        fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, u8>) {
            self.pending = Some(ctx.set_timer(SimDuration::from_millis(5), 1));
            ctx.set_timer(SimDuration::from_millis(2), 2);
        }
        fn on_message(&mut self, _: &mut Ctx<'_, Ping, u8>, _: NodeId, _: Ping) {}
        fn on_timer(&mut self, ctx: &mut Ctx<'_, Ping, u8>, t: u8) {
            self.fired.push(t);
            if let Some(id) = self.pending.take() {
                ctx.cancel_timer(id);
            }
        }
    }
    let mut sim = Sim::new(SimConfig::new(1, Topology::line(1).unwrap()), |_| {
        Canceller::default()
    })
    .unwrap();
    sim.run_until(SimTime::from_millis(10), &mut ());
    assert_eq!(sim.node(NodeId(0)).unwrap().fired, vec![2]);
    assert_eq!(sim.pending().events, 0);
}

#[test]
fn run_control_steps_budgets_and_reports_pending() {
    let config = SimConfig::new(1, Topology::complete(3).unwrap());
    let mut sim = Sim::new(config, |_| Counter::default()).unwrap();
    assert_eq!(sim.pending().events, 3, "three starts");
    assert_eq!(sim.pending().next_event_at, Some(SimTime::ZERO));
    assert!(sim.step(&mut ()));
    assert_eq!(sim.events_processed(), 1);
    let outcome = sim.run(
        RunBudget {
            until: SimTime::from_secs(1),
            max_events: 5,
        },
        &mut (),
    );
    assert_eq!(outcome, RunOutcome::EventBudgetSpent);
    assert_eq!(sim.events_processed(), 6);
    let outcome = sim.run(
        RunBudget {
            until: SimTime::from_millis(35),
            max_events: u64::MAX,
        },
        &mut (),
    );
    assert_eq!(outcome, RunOutcome::ReachedTime);
    assert_eq!(sim.now(), SimTime::from_millis(35));
    // Ticks at 10, 20, 30 ms sent 2 each; the default link takes 10 ms: the last two are in flight.
    assert_eq!(sim.pending().messages_in_flight, 2);
    assert_eq!(sim.pending().next_event_at, Some(SimTime::from_millis(40)));
    let ran = sim.run_while(&mut (), |s| s.now() < SimTime::from_millis(40));
    assert!(ran >= 1);
}

#[test]
fn a_node_without_timers_goes_quiescent() {
    let mut sim = Sim::new(SimConfig::new(3, Topology::line(3).unwrap()), |_| {
        Chatter::new(SimDuration::from_millis(5), 2)
    })
    .unwrap();
    let outcome = sim.run_until(SimTime::from_secs(100), &mut ());
    assert_eq!(outcome, RunOutcome::Quiescent);
    assert_eq!(sim.now(), SimTime::from_secs(100));
    assert_eq!(sim.pending().events, 0);
    assert!(sim.stats().is_conserved());
}

#[test]
fn sending_to_an_unknown_node_is_a_drop_not_a_panic() {
    #[derive(Clone)]
    struct Stray;
    impl Node for Stray {
        type Msg = Ping;
        type Timer = ();
        fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, ()>) {
            ctx.send(NodeId(99), Ping);
        }
        fn on_message(&mut self, _: &mut Ctx<'_, Ping, ()>, _: NodeId, _: Ping) {}
    }
    let mut sim = Sim::new(SimConfig::new(1, Topology::line(2).unwrap()), |_| Stray).unwrap();
    let mut c = Counters::new();
    sim.run_until(SimTime::from_secs(1), &mut c);
    assert_eq!(
        c.dropped_by_reason[DropReason::UnknownDestination.index()],
        2
    );
}

#[test]
fn invalid_configuration_is_a_typed_error_with_an_actionable_message() {
    let topo = || Topology::line(3).unwrap();
    let err = |c: SimConfig| Sim::new(c, |_| Counter::default()).unwrap_err();

    let e = err(SimConfig::new(1, topo()).with_default_link(LinkParams {
        loss: -0.1,
        ..LinkParams::default()
    }));
    assert!(matches!(
        e,
        ConfigError::ProbabilityOutOfRange { knob: "loss", .. }
    ));
    assert!(e.to_string().contains("between 0 and 1"), "{e}");

    let e = err(SimConfig::new(1, topo()).with_fault(SimTime::ZERO, Fault::Crash(NodeId(7))));
    assert_eq!(
        e.to_string(),
        "node n7 does not exist: this run has nodes n0 to n2"
    );

    let e = err(SimConfig::new(1, topo()).with_link(NodeId(0), NodeId(5), LinkParams::default()));
    assert!(matches!(e, ConfigError::UnknownNode { .. }));

    let e = Topology::line(2_000_000).unwrap_err();
    assert!(e.to_string().contains("at most 1000000"), "{e}");

    let mut sim = Sim::new(SimConfig::new(1, topo()), |_| Counter::default()).unwrap();
    sim.run_until(SimTime::from_secs(1), &mut ());
    let e = sim
        .schedule_input(SimTime::ZERO, NodeId(0), Ping)
        .unwrap_err();
    assert!(e.to_string().contains("already at 1 s"), "{e}");
    assert!(
        sim.schedule_input(SimTime::from_secs(2), NodeId(9), Ping)
            .is_err()
    );
}

#[test]
fn bandwidth_queues_messages_in_a_fifo_per_link_direction() {
    // 1,000-byte pings on an 8 Mbit/s link: 1 ms each on the wire; three sent at once arrive at
    // 1 + 1, 2 + 1 and 3 + 1 ms after the 1 ms propagation delay.
    #[derive(Clone, Default)]
    struct Burst(Vec<SimTime>);
    #[derive(Clone, Debug)]
    struct Big;
    impl Message for Big {
        fn size_bytes(&self) -> u32 {
            1000
        }
    }
    impl Node for Burst {
        type Msg = Big;
        type Timer = ();
        fn on_start(&mut self, ctx: &mut Ctx<'_, Big, ()>) {
            if ctx.id() == NodeId(0) {
                for _ in 0..3 {
                    ctx.send(NodeId(1), Big);
                }
            }
        }
        fn on_message(&mut self, ctx: &mut Ctx<'_, Big, ()>, _: NodeId, _: Big) {
            self.0.push(SimTime(ctx.local_time().0 as u64));
        }
    }
    let link = LinkParams {
        bandwidth_bps: Some(8_000_000),
        ..LinkParams::constant(SimDuration::from_millis(1))
    };
    let mut sim = Sim::new(
        SimConfig::new(1, Topology::line(2).unwrap()).with_default_link(link),
        |_| Burst::default(),
    )
    .unwrap();
    sim.run_until(SimTime::from_secs(1), &mut ());
    assert_eq!(
        sim.node(NodeId(1)).unwrap().0,
        vec![
            SimTime::from_millis(2),
            SimTime::from_millis(3),
            SimTime::from_millis(4)
        ]
    );
}

#[test]
fn inputs_reach_running_nodes_and_are_refused_by_crashed_ones() {
    let config = SimConfig::new(1, Topology::line(3).unwrap())
        .with_fault(SimTime::from_millis(5), Fault::Crash(NodeId(2)));
    let mut sim = Sim::new(config, |_| Chatter::new(SimDuration::from_secs(100), 0)).unwrap();
    sim.schedule_input(
        SimTime::from_millis(1),
        NodeId(1),
        Chat { hop: 9, size: 10 },
    )
    .unwrap();
    sim.schedule_input(
        SimTime::from_millis(6),
        NodeId(2),
        Chat { hop: 9, size: 10 },
    )
    .unwrap();
    let mut c = Counters::new();
    sim.run_until(SimTime::from_millis(100), &mut c);
    // Node 1 forwarded its input to both neighbours; node 2 was down for its own input.
    assert_eq!(c.per_node[1].sent.messages, 2);
    assert_eq!(c.per_node.get(2).map_or(0, |n| n.sent.messages), 0);
}
