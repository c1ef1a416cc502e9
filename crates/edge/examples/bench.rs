//! The edge benchmark: simulated tasks per second.
//!
//! 1. The Melbourne CBD (125 base stations, 816 users, EdgeCloudSim's four applications,
//!    PureEdgeSim's cellular latencies, mobility, deadline-aware placement) for 10 simulated
//!    minutes, advanced one simulated second per slice as the page does: wall time in total and
//!    for the longest slice.
//! 2. A larger synthetic continuum (100 edges, 10 fogs, 5,000 devices) for 60 simulated seconds.
//!
//! `cargo xtask bench` runs this natively and under Node's WASI and prints the WASM/native ratio
//! of every `events_per_second_*` and `tasks_per_second_*` figure. Lines starting with `RESULT`
//! are read by xtask. Figures are for reading, never asserted.

use edge::layout::{MELBOURNE_USERS, TopologyPreset};
use edge::{EdgeConfig, EdgeWorld, Links, Policy};
use energy::LedgerConfig;
use energy::coefficients::{grid, network_intensity};
use sim::{RunBudget, SimDuration, SimTime};
use std::time::Instant;

fn ledger() -> LedgerConfig {
    let mut c = LedgerConfig::from_coefficients(
        network_intensity("fixed-eu-2020").expect("known coefficient"),
        grid("WLD").expect("known grid"),
        None,
    );
    c.keep_messages = false;
    c
}

fn run(name: &str, config: &EdgeConfig, secs: u64) {
    let start = Instant::now();
    let mut w = EdgeWorld::new(config, 1, ledger()).expect("a valid configuration");
    let built = start.elapsed();
    let mut longest = 0.0f64;
    for s in 1..=secs {
        let slice = Instant::now();
        w.advance(RunBudget {
            until: SimTime::from_secs(s),
            max_events: u64::MAX,
        });
        longest = longest.max(slice.elapsed().as_secs_f64());
    }
    let wall = start.elapsed().as_secs_f64();
    let m = w.metrics();
    let events = w.sim().events_processed();
    println!(
        "{name}: {} nodes, {secs} simulated s in {wall:.3} s (build {:.3} s, longest 1-s slice {:.1} ms): {} tasks created, {} completed, {events} events",
        w.sim().node_count(),
        built.as_secs_f64(),
        longest * 1e3,
        m.created,
        m.completed,
    );
    println!(
        "RESULT tasks_per_second_{name} {:.0}",
        m.completed as f64 / wall
    );
    println!(
        "RESULT events_per_second_{name} {:.0}",
        events as f64 / wall
    );
    println!("RESULT wall_seconds_{name} {wall:.3}");
    println!("RESULT longest_slice_ms_{name} {:.1}", longest * 1e3);
}

fn main() {
    let melbourne = EdgeConfig {
        topology: TopologyPreset::MelbourneCbd {
            users: MELBOURNE_USERS,
            fogs: 5,
        },
        links: Links::pure_edge_sim_cellular(),
        policy: Policy::DeadlineAware,
        mobility_dwell: Some(SimDuration::from_secs(120)),
        ..EdgeConfig::default()
    };
    run("melbourne_10min", &melbourne, 600);
    let large = EdgeConfig {
        topology: TopologyPreset::Synthetic {
            edges: 100,
            fogs: 10,
            devices: 5_000,
        },
        policy: Policy::LatencyAware,
        ..EdgeConfig::default()
    };
    run("synthetic_5000_devices", &large, 60);
    println!("RESULT complete 1");
}
