//! The energy ledger on real runs: its totals equal the sum of its per-node and per-message
//! parts, and match hand-computed energy for runs with known traffic and up-time.

use energy::coefficients::{grid, network_intensity, network_power};
use energy::{EnergyLedger, Joules, LedgerConfig, Watts};
use proptest::prelude::*;
use sim::{
    Counters, Ctx, Fault, LinkParams, Message, Node, NodeId, RestartMode, Sim, SimConfig,
    SimDuration, SimTime, Topology,
};

#[derive(Clone, Debug)]
struct Ping(u32);
impl Message for Ping {
    fn size_bytes(&self) -> u32 {
        self.0
    }
}

/// Node 0 sends a `size`-byte ping to every other node every 10 ms; each of them answers with
/// a 1-byte acknowledgement, so the traffic is easy to count by hand.
#[derive(Clone, Debug)]
struct Pinger {
    size: u32,
}

impl Node for Pinger {
    type Msg = Ping;
    type Timer = ();
    fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, ()>) {
        if ctx.id() == NodeId(0) {
            ctx.set_timer(SimDuration::from_millis(10), ());
        }
    }
    fn on_message(&mut self, ctx: &mut Ctx<'_, Ping, ()>, from: NodeId, msg: Ping) {
        if ctx.id() != NodeId(0) && msg.0 > 1 {
            ctx.send(from, Ping(1));
        }
    }
    fn on_timer(&mut self, ctx: &mut Ctx<'_, Ping, ()>, _: ()) {
        for i in 1..ctx.node_count() {
            ctx.send(NodeId(i), Ping(self.size));
        }
        ctx.set_timer(SimDuration::from_millis(10), ());
    }
}

fn config(idle: Option<Watts>) -> LedgerConfig {
    LedgerConfig::from_coefficients(
        network_intensity("lecture").unwrap(),
        grid("WLD").unwrap(),
        idle,
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-15)
}

/// Checks the ledger's invariant at `at`: totals are the sums of the parts.
fn assert_parts_sum(ledger: &EnergyLedger, at: SimTime) {
    let t = ledger.totals(at);
    let nodes = ledger.nodes(at);
    let node_sum: Joules = nodes.iter().map(|n| n.total).sum();
    let idle_sum: Joules = nodes.iter().map(|n| n.idle + n.dynamic + n.line).sum();
    let msg_sum: Joules = ledger.messages().iter().map(|m| m.energy).sum();
    assert!(close(t.total.0, node_sum.0), "{t:?} vs {node_sum}");
    assert!(close(t.total.0, (idle_sum + msg_sum).0), "{t:?}");
    assert!(close(t.network.0, msg_sum.0));
    assert_eq!(t.messages, ledger.messages().len() as u64);
    assert!(close(t.kwh.0, t.total.0 / 3.6e6));
    assert!(close(t.carbon.0, t.kwh.0 * 481.0));
}

#[test]
fn known_traffic_and_uptime_by_hand() {
    let cfg = SimConfig::new(7, Topology::complete(4).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)));
    let mut sim = Sim::new(cfg, |_| Pinger { size: 100 }).unwrap();
    let mut ledger = EnergyLedger::new(config(Some(Watts(2.0))));
    let mut counters = Counters::new();
    let end = SimTime::from_millis(105);
    sim.run_until(end, &mut (&mut ledger, &mut counters));
    // Ticks at 10..=100 ms: 10 × 3 pings of 100 B, and 10 × 3 one-byte acks.
    assert_eq!(counters.total.sent.messages, 60);
    let bits = (30 * 100 + 30) as f64 * 8.0;
    // 0.01 kWh/GB = 4.5e-6 J/bit.
    let t = ledger.totals(end);
    assert!(close(t.network.0, bits * 4.5e-6), "{t:?}");
    // Four nodes up for 0.105 s at 2 W.
    assert!(close(t.idle.0, 4.0 * 2.0 * 0.105));
    assert_parts_sum(&ledger, end);
    // Node 0 sent the pings, the others one ack per tick each.
    let n0 = ledger.node(NodeId(0), end);
    assert_eq!((n0.messages, n0.bytes), (30, 3000));
    assert_eq!(ledger.node(NodeId(2), end).bytes, 10);
    assert_eq!(t.per_operation(), None);
    assert_eq!(ledger.config().provenance.len(), 2);
}

/// The power model: each node's line draws 4.5 W while the node is up, and each bit adds only
/// 20 nJ per link; the same traffic as above, by hand.
#[test]
fn the_power_model_charges_lines_always_and_bits_marginally() {
    let cfg = SimConfig::new(7, Topology::complete(4).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)));
    let mut sim = Sim::new(cfg, |_| Pinger { size: 100 }).unwrap();
    let mut ledger = EnergyLedger::new(LedgerConfig::from_power_model(
        network_power("fixed-malmodin-2020").unwrap(),
        grid("WLD").unwrap(),
        Some(Watts(2.0)),
    ));
    let end = SimTime::from_millis(105);
    sim.run_until(end, &mut ledger);
    let bits = (30 * 100 + 30) as f64 * 8.0;
    let t = ledger.totals(end);
    assert!(close(t.network.0, bits * 2e-8), "{t:?}");
    assert!(close(t.line.0, 4.0 * 4.5 * 0.105), "{t:?}");
    assert!(close(t.idle.0, 4.0 * 2.0 * 0.105));
    assert!(close(t.total.0, t.idle.0 + t.line.0 + t.network.0));
    assert_parts_sum(&ledger, end);
    // Twice the traffic would add 0.5 mJ to about 2.7 J: the lines dominate.
    assert!(t.network.0 < 1e-3 * t.line.0);
    assert!(ledger.config().network_model.contains("power model"));
}

#[test]
fn crashed_nodes_stop_drawing_power_until_restarted() {
    let cfg = SimConfig::new(1, Topology::complete(3).unwrap())
        .with_default_link(LinkParams::constant(SimDuration::from_millis(1)))
        .with_fault(SimTime::from_millis(20), Fault::Crash(NodeId(2)))
        .with_fault(
            SimTime::from_millis(50),
            Fault::Restart {
                node: NodeId(2),
                mode: RestartMode::Durable,
            },
        );
    let mut sim = Sim::new(cfg, |_| Pinger { size: 10 }).unwrap();
    let mut ledger = EnergyLedger::new(config(Some(Watts(1.0))));
    let end = SimTime::from_millis(100);
    sim.run_until(end, &mut ledger);
    // Node 2 is up 0–20 ms and 50–100 ms: 70 ms.
    assert!(close(ledger.node(NodeId(2), end).up_time.0, 0.070));
    assert!(close(ledger.node(NodeId(1), end).up_time.0, 0.100));
    assert!(close(ledger.totals(end).idle.0, 0.1 + 0.1 + 0.07));
    assert_parts_sum(&ledger, end);
}

#[test]
fn without_idle_power_only_messages_count() {
    let cfg = SimConfig::new(3, Topology::ring(5).unwrap());
    let mut sim = Sim::new(cfg, |_| Pinger { size: 64 }).unwrap();
    let mut ledger = EnergyLedger::new(config(None));
    let end = SimTime::from_millis(200);
    sim.run_until(end, &mut ledger);
    let t = ledger.totals(end);
    assert_eq!(t.idle, Joules::ZERO);
    assert_eq!(t.total, t.network);
    assert_parts_sum(&ledger, end);
}

proptest! {
    /// On random lossy, duplicating networks with random faults the totals still equal the
    /// sum of the parts, and every copy the kernel put on the wire is charged.
    #[test]
    fn prop_totals_equal_sum_of_parts(
        seed in any::<u64>(),
        n in 2u32..8,
        loss in 0.0..0.5f64,
        dup in 0.0..0.5f64,
        size in 1u32..2000,
        crash_at in 0u64..200,
        idle in prop::option::of(0.0..100.0f64),
    ) {
        let mut link = LinkParams::constant(SimDuration::from_millis(2));
        link.loss = loss;
        link.duplicate = dup;
        let cfg = SimConfig::new(seed, Topology::complete(n).unwrap())
            .with_default_link(link)
            .with_fault(SimTime::from_millis(crash_at), Fault::Crash(NodeId(n - 1)));
        let mut sim = Sim::new(cfg, move |_| Pinger { size }).unwrap();
        let mut ledger = EnergyLedger::new(config(idle.map(Watts)));
        let mut counters = Counters::new();
        let end = SimTime::from_millis(250);
        sim.run_until(end, &mut (&mut ledger, &mut counters));
        let t = ledger.totals(end);
        prop_assert_eq!(t.messages, counters.total.sent.messages + counters.duplicated);
        assert_parts_sum(&ledger, end);
    }
}

/// A node that reports its own idle power at start and 10 W above idle from 1 s to 3 s.
#[derive(Clone, Debug)]
struct Reporter;

impl Node for Reporter {
    type Msg = Ping;
    type Timer = u8;
    fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, u8>) {
        ctx.metric(energy::IDLE_POWER_METRIC, 4.0);
        ctx.set_timer(SimDuration::from_secs(1), 1);
        ctx.set_timer(SimDuration::from_secs(3), 0);
    }
    fn on_message(&mut self, _: &mut Ctx<'_, Ping, u8>, _: NodeId, _: Ping) {}
    fn on_timer(&mut self, ctx: &mut Ctx<'_, Ping, u8>, t: u8) {
        ctx.metric(energy::DYNAMIC_POWER_METRIC, 10.0 * f64::from(t));
    }
}

#[test]
fn reported_idle_and_dynamic_power_are_integrated_as_steps() {
    let cfg = SimConfig::new(1, Topology::line(2).unwrap());
    let mut sim = Sim::new(cfg, |_| Reporter).unwrap();
    // The configured idle power (2 W) is replaced by the reported 4 W.
    let mut ledger = EnergyLedger::new(config(Some(Watts(2.0))));
    // Half-way through the busy period the open step counts up to then.
    sim.run_until(SimTime::from_secs(2), &mut ledger);
    assert!(close(
        ledger.node(NodeId(0), SimTime::from_secs(2)).dynamic.0,
        10.0
    ));
    let end = SimTime::from_secs(5);
    sim.run_until(end, &mut ledger);
    let n = ledger.node(NodeId(0), end);
    assert!(close(n.idle.0, 4.0 * 5.0), "{n:?}");
    assert!(close(n.dynamic.0, 10.0 * 2.0), "{n:?}");
    assert_parts_sum(&ledger, end);
    let t = ledger.totals(end);
    assert!(close(t.dynamic.0, 2.0 * 20.0));
    assert!(close(t.total.0, 2.0 * (20.0 + 20.0)));
}
