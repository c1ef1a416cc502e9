//! The kernel benchmark: push gossip on 1,000 / 10,000 / 100,000 nodes.
//!
//! For each size it reports events per second, the ratio to a bare `BinaryHeap` pop+push loop over
//! the same number of events with the same number pending (measured in the same process, so the
//! ratio does not wander with the machine), and heap bytes per node and per pending event
//! (measured with a counting allocator). A last part builds 100,000 nodes with 1,000,000
//! messages in flight and reports the heap it takes.
//!
//! `cargo xtask bench` runs this natively and compiled to `wasm32-wasip1` under Node, and prints
//! the WASM/native ratio (`--no-baseline --skip-memory` there: the bare heap and the memory part
//! are native figures). Lines starting with `RESULT` are read by xtask.
//!
//! The baseline pops and pushes 32-byte entries (time, sequence number, 16 bytes of payload) with
//! delays drawn like the workload's (5–25 ms), and is as many entries deep as the kernel's queue
//! was on average (the `pending` column). The kernel's own queue is a radix heap, not a binary
//! heap, so with many events pending the ratio can exceed 1: the baseline is the textbook
//! queue, not the kernel's.
//!
//! Targets (from the kernel issue; checked by reading the output, never asserted in tests):
//! kernel ≥ 0.4 × bare heap natively; WASM ≥ 0.6 × native; 100k nodes + 1M in flight < 1 GiB.

use cap::Cap;
use protocols::broadcast::{BroadcastConfig, BroadcastMsg, Protocol, build_sim};
use sim::{LatencyModel, LinkParams, NodeId, SimConfig, SimDuration, SimTime, Topology};
use std::alloc::System;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

/// Events per size: enough for a stable rate, few enough for 2 cores in a minute.
const TARGET_EVENTS: u64 = 3_000_000;

fn gossip_sim(nodes: u32, updates: u32) -> sim::Sim<protocols::broadcast::BroadcastNode> {
    let topology = Topology::random(nodes, 8.0, 1).expect("valid topology");
    let link = LinkParams {
        latency: LatencyModel::Uniform {
            min: SimDuration::from_millis(5),
            max: SimDuration::from_millis(25),
        },
        ..LinkParams::default()
    };
    let config = SimConfig::new(42, topology).with_default_link(link);
    let protocol = Protocol::PushGossip {
        fanout: 3,
        rounds: 4,
        period: SimDuration::from_millis(20),
    };
    let mut sim = build_sim(
        config,
        BroadcastConfig {
            protocol,
            update_bytes: 64,
        },
    )
    .expect("valid protocol");
    for u in 0..updates {
        let node = NodeId((u as u64 * 7919 % nodes as u64) as u32);
        sim.schedule_input(
            SimTime::from_millis(10 * u as u64),
            node,
            BroadcastMsg::Broadcast { update: u },
        )
        .expect("valid input");
    }
    sim
}

/// The baseline: a bare heap of 32-byte events, `pending` entries, `events` pops and pushes.
fn bare_heap(events: u64, pending: usize) -> f64 {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut heap: BinaryHeap<Reverse<(u64, u64, [u64; 2])>> =
        BinaryHeap::with_capacity(pending + 1);
    for i in 0..pending as u64 {
        heap.push(Reverse((next() % 20_000_000, i, [i, i])));
    }
    let start = Instant::now();
    let mut seq = pending as u64;
    let mut checksum = 0u64;
    for _ in 0..events {
        if let Some(Reverse((t, _, p))) = heap.pop() {
            checksum = checksum.wrapping_add(p[0]);
            seq += 1;
            heap.push(Reverse((
                t + 5_000_000 + next() % 20_000_000,
                seq,
                [seq, t],
            )));
        }
    }
    std::hint::black_box(checksum);
    events as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<u32> = if args.iter().any(|a| a == "--quick") {
        vec![1_000, 10_000]
    } else if let Some(n) = args
        .iter()
        .position(|a| a == "--nodes")
        .and_then(|i| args.get(i + 1)?.parse().ok())
    {
        vec![n]
    } else {
        vec![1_000, 10_000, 100_000]
    };
    let bare_only = std::env::args().any(|a| a == "--no-baseline");
    println!("push gossip (fanout 3, 4 rounds, random graph of mean degree 8, 5–25 ms links)");
    println!(
        "{:>8} {:>10} {:>9} {:>12} {:>12} {:>8} {:>10} {:>12}",
        "nodes", "events", "pending", "events/s", "bare heap/s", "ratio", "B/node", "B/pending"
    );
    for &nodes in &sizes {
        // ~12 sends per node per update (fanout 3 × 4 rounds), each a send and a delivery event.
        let per_update = nodes as u64 * 24;
        let updates = (TARGET_EVENTS / per_update).clamp(1, 200) as u32;
        let before_build = ALLOCATOR.allocated();
        let mut sim = gossip_sim(nodes, updates);
        let after_build = ALLOCATOR.allocated();
        let start = Instant::now();
        let mut peak_pending = 0usize;
        let mut pending_sum = 0u64;
        let mut samples = 0u64;
        let mut peak_heap = 0usize;
        while sim.step(&mut ()) {
            if sim.events_processed().is_multiple_of(4096) {
                let p = sim.pending().events;
                peak_pending = peak_pending.max(p);
                pending_sum += p as u64;
                samples += 1;
                peak_heap = peak_heap.max(ALLOCATOR.allocated());
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let events = sim.events_processed();
        let rate = events as f64 / secs;
        let mean_pending = (pending_sum / samples.max(1)) as usize;
        let bare = if bare_only {
            f64::NAN
        } else {
            bare_heap(events, mean_pending.max(1))
        };
        let per_node = (after_build - before_build) as f64 / nodes as f64;
        let queue_growth = peak_heap.saturating_sub(after_build) as f64;
        let per_pending = if peak_pending > 0 {
            queue_growth / peak_pending as f64
        } else {
            0.0
        };
        println!(
            "{nodes:>8} {events:>10} {mean_pending:>9} {rate:>12.0} {bare:>12.0} {:>8.2} {per_node:>10.0} {per_pending:>12.1}",
            rate / bare
        );
        println!("RESULT events_per_second_{nodes} {rate:.0}");
        println!("RESULT ratio_to_bare_heap_{nodes} {:.3}", rate / bare);
        drop(sim);
    }

    if std::env::args().any(|a| a == "--skip-memory") {
        println!("RESULT complete 1");
        return;
    }
    // 100,000 nodes with 1,000,000 messages in flight: every node floods to its ~10 neighbours on
    // a 1-hour link, so nothing arrives while we measure.
    let before = ALLOCATOR.allocated();
    let topology = Topology::random(100_000, 20.0, 3).expect("valid topology");
    let config = SimConfig::new(1, topology)
        .with_default_link(LinkParams::constant(SimDuration::from_secs(3600)));
    let mut sim = build_sim(
        config,
        BroadcastConfig {
            protocol: Protocol::Flood,
            update_bytes: 64,
        },
    )
    .expect("valid");
    for n in 0..100_000u32 {
        sim.schedule_input(
            SimTime::ZERO,
            NodeId(n),
            BroadcastMsg::Broadcast { update: n % 4000 },
        )
        .expect("valid");
    }
    sim.run_until(SimTime::from_secs(1), &mut ());
    let in_flight = sim.pending().messages_in_flight;
    let bytes = ALLOCATOR.allocated() - before;
    println!(
        "100,000 nodes with {in_flight} messages in flight: {:.0} MiB of heap ({:.1} B per message in flight, {} B per queue entry)",
        bytes as f64 / (1024.0 * 1024.0),
        bytes as f64 / in_flight.max(1) as f64,
        sim::Sim::<protocols::broadcast::BroadcastNode>::bytes_per_pending_event()
    );
    println!("RESULT memory_100k_nodes_1m_in_flight_bytes {bytes}");
    println!("RESULT messages_in_flight {in_flight}");
    // Read by xtask: everything above was measured (a runtime crashing while it exits after
    // this line does not void the figures).
    println!("RESULT complete 1");
}
