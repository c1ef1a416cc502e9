//! Integration and property tests for the kernel, over seeded random scenarios.
//!
//! proptest prints the failing case (including its `seed`) when a property fails, so any failure
//! can be replayed by putting those values into a unit test.

#[path = "../common/chatter.rs"]
mod chatter;

mod faults;
mod properties;
mod trace_log;

use chatter::reference_trace_hash;

#[path = "../common/reference.rs"]
mod reference;
pub use reference::REFERENCE_HASH;

#[test]
fn reference_scenario_has_the_committed_trace_hash() {
    let (hash, events) = reference_trace_hash();
    assert!(
        events > 1000,
        "the reference run should be busy, got {events} events"
    );
    assert_eq!(hash, REFERENCE_HASH, "trace hash changed ({events} events)");
}
