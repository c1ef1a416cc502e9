//! Helpers shared by the edge integration tests.

use edge::{EdgeConfig, EdgeWorld};
use energy::LedgerConfig;
use energy::coefficients::{grid, network_intensity};
use sim::{RunBudget, SimTime};

/// The ledger configuration of the lab: fixed broadband network, world grid, no configured
/// idle power (nodes report their own).
pub fn ledger() -> LedgerConfig {
    let mut c = LedgerConfig::from_coefficients(
        network_intensity("fixed-eu-2020").unwrap(),
        grid("WLD").unwrap(),
        None,
    );
    c.keep_messages = false;
    c
}

/// Builds a world, panicking with the problem.
pub fn world(config: &EdgeConfig, seed: u64) -> EdgeWorld {
    EdgeWorld::new(config, seed, ledger()).unwrap_or_else(|e| panic!("seed {seed}: {e}"))
}

/// Checks conservation and capacity now.
pub fn check_invariants(w: &EdgeWorld, seed: u64) {
    let m = w.metrics();
    assert_eq!(
        m.created,
        m.completed + m.dropped_total() + w.tasks_in_world(),
        "seed {seed}: tasks lost at {:?}",
        w.now()
    );
    for n in w.sim().nodes() {
        if let Some(s) = n.server() {
            let cores = w.plan().spec(s.tier).cores;
            assert!(
                s.busy <= cores,
                "seed {seed}: {} busy on {cores} cores",
                s.busy
            );
            assert!(
                s.queue.len() <= w.plan().queue_capacity as usize,
                "seed {seed}"
            );
        }
    }
}

/// Runs in slices of `slice_ms`, checking the invariants after each.
pub fn run_checked(w: &mut EdgeWorld, end: SimTime, slice_ms: u64, seed: u64) {
    let mut t = SimTime::ZERO;
    while t < end {
        t = (t + sim::SimDuration::from_millis(slice_ms)).min(end);
        w.advance(RunBudget {
            until: t,
            max_events: u64::MAX,
        });
        check_invariants(w, seed);
    }
}
