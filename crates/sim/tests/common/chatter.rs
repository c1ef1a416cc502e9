//! A test workload that exercises every kernel feature: periodic timers, sends to neighbours and
//! to random nodes, varied sizes, metrics and notes, and a scenario generator around it.
#![allow(dead_code)]

use sim::{
    ClockParams, Ctx, Fault, LatencyModel, LinkParams, Message, Node, NodeId, RestartMode, Sim,
    SimConfig, SimDuration, SimTime, Topology, TraceHash,
};

/// A chatter message: a counter and a claimed size.
#[derive(Clone, Debug, PartialEq)]
pub struct Chat {
    pub hop: u32,
    pub size: u32,
}

impl Message for Chat {
    fn size_bytes(&self) -> u32 {
        self.size
    }
}

/// Every `period` (local time) sends one message to a random neighbour and one to a random node;
/// forwards received messages with `hop < 3` to one neighbour.
#[derive(Clone, Debug, PartialEq)]
pub struct Chatter {
    pub received: u64,
    pub ticks: u64,
    pub period: SimDuration,
    pub max_ticks: u64,
}

impl Chatter {
    pub fn new(period: SimDuration, max_ticks: u64) -> Chatter {
        Chatter {
            received: 0,
            ticks: 0,
            period,
            max_ticks,
        }
    }
}

impl Node for Chatter {
    type Msg = Chat;
    type Timer = ();

    fn on_start(&mut self, ctx: &mut Ctx<'_, Chat, ()>) {
        let jitter = ctx.rng().below(self.period.0.max(1));
        ctx.set_timer(SimDuration(jitter), ());
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Chat, ()>, _from: NodeId, msg: Chat) {
        self.received += 1;
        ctx.metric("received", self.received as f64);
        if msg.hop < 3 {
            let ns = ctx.neighbours();
            if let Some(i) = ctx.rng().index(ns.len()) {
                ctx.send(
                    ns[i],
                    Chat {
                        hop: msg.hop + 1,
                        size: msg.size,
                    },
                );
            }
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Chat, ()>, _: ()) {
        self.ticks += 1;
        let size = 16 + ctx.rng().below(1500) as u32;
        let ns = ctx.neighbours();
        if let Some(i) = ctx.rng().index(ns.len()) {
            ctx.send(ns[i], Chat { hop: 0, size });
        }
        let n = ctx.node_count() as u64;
        let to = NodeId(ctx.rng().below(n) as u32);
        ctx.send(to, Chat { hop: 2, size });
        if self.ticks.is_multiple_of(5) {
            ctx.note(format!("tick {}", self.ticks));
        }
        if self.ticks < self.max_ticks {
            ctx.set_timer(self.period, ());
        }
    }

    fn on_input(&mut self, ctx: &mut Ctx<'_, Chat, ()>, input: Chat) {
        ctx.send_to_neighbours(input);
    }
}

/// The committed scenario whose trace hash is checked natively and in WASM: 30 nodes on a
/// random graph, log-normal latency with jitter, loss, duplication, a bandwidth-limited FIFO
/// link, drifting clocks, a split, a crash with volatile restart and a clock step.
pub fn reference_scenario() -> Sim<Chatter> {
    let topo = Topology::random(30, 4.0, 7).expect("valid topology");
    let link = LinkParams {
        latency: LatencyModel::LogNormal {
            median: SimDuration::from_millis(8),
            sigma: 0.6,
        },
        jitter: SimDuration::from_millis(2),
        loss: 0.02,
        duplicate: 0.01,
        ..LinkParams::default()
    };
    let config = SimConfig::new(20261126, topo)
        .with_default_link(link)
        .with_link(
            NodeId(0),
            NodeId(1),
            LinkParams {
                latency: LatencyModel::Pareto {
                    scale: SimDuration::from_millis(1),
                    shape: 1.5,
                },
                bandwidth_bps: Some(1_000_000),
                fifo: true,
                ..LinkParams::default()
            },
        )
        .with_clock(
            NodeId(3),
            ClockParams {
                offset_ns: 5_000_000,
                drift_ppb: 200_000,
            },
        )
        .with_clock(NodeId(4), ClockParams::drifting_ppm(-5_000))
        .with_fault(
            SimTime::from_millis(300),
            Fault::Split(vec![(0..15).map(NodeId).collect()]),
        )
        .with_fault(SimTime::from_millis(600), Fault::HealAll)
        .with_fault(SimTime::from_millis(400), Fault::Crash(NodeId(5)))
        .with_fault(
            SimTime::from_millis(700),
            Fault::Restart {
                node: NodeId(5),
                mode: RestartMode::Volatile,
            },
        )
        .with_fault(
            SimTime::from_millis(500),
            Fault::ClockStep {
                node: NodeId(6),
                by_ns: -3_000_000,
            },
        );
    let mut sim = Sim::new(config, |_| Chatter::new(SimDuration::from_millis(50), 20))
        .expect("valid scenario");
    sim.schedule_input(
        SimTime::from_millis(100),
        NodeId(2),
        Chat { hop: 0, size: 100 },
    )
    .expect("valid input");
    sim
}

/// Runs the reference scenario to quiescence and returns its trace hash and event count.
pub fn reference_trace_hash() -> (String, u64) {
    let mut sim = reference_scenario();
    let mut hash = TraceHash::new();
    sim.run_until(SimTime::from_secs(10), &mut hash);
    (hash.hex(), hash.events())
}
