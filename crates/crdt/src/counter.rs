//! Counters: the grow-only G-Counter and the PN-Counter built from two of them.

use crate::clock::ReplicaId;
use crate::traits::{
    CmRdt, CvRdt, DOT_BYTES, DeltaRdt, Internals, Metadata, MetadataKind, MetadataPart, abbreviate,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A grow-only counter: each replica counts its own increments in its own entry, and the value
/// is the sum of the entries.
///
/// Merge takes the entry-wise maximum. Because a replica's entry only ever grows and only that
/// replica writes it, the maximum is always the most recent count: concurrent increments at
/// different replicas land in different entries and are never lost, unlike a single shared
/// number, where two replicas both turning 5 into 6 lose one increment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GCounter {
    counts: BTreeMap<ReplicaId, u64>,
}

/// An increment of a counter, as an operation: who, and by how much.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Increment {
    /// The replica that incremented.
    pub replica: ReplicaId,
    /// By how much.
    pub by: u64,
}

impl GCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        GCounter::default()
    }
    /// The counter's value: the sum of all replicas' counts (saturating).
    pub fn value(&self) -> u64 {
        self.counts
            .values()
            .fold(0u64, |sum, &n| sum.saturating_add(n))
    }
    /// How many increments `replica` has made (by total amount).
    pub fn count_of(&self, replica: ReplicaId) -> u64 {
        self.counts.get(&replica).copied().unwrap_or(0)
    }
    /// Adds `by` at `replica` and returns the delta: a counter holding only that entry.
    pub fn increment(&mut self, replica: ReplicaId, by: u64) -> GCounter {
        if by == 0 {
            return GCounter::new();
        }
        let n = self.counts.entry(replica).or_insert(0);
        *n = n.saturating_add(by);
        GCounter {
            counts: BTreeMap::from([(replica, *n)]),
        }
    }
    /// Prepares the operation "`replica` adds `by`" without applying it.
    pub fn increment_op(&self, replica: ReplicaId, by: u64) -> Increment {
        Increment { replica, by }
    }
    /// The entries, by replica.
    pub fn entries(&self) -> impl Iterator<Item = (ReplicaId, u64)> + '_ {
        self.counts.iter().map(|(&r, &n)| (r, n))
    }
}

impl CvRdt for GCounter {
    fn merge(&mut self, other: &Self) {
        for (&r, &n) in &other.counts {
            let mine = self.counts.entry(r).or_insert(0);
            *mine = (*mine).max(n);
        }
    }
}

impl CmRdt for GCounter {
    type Op = Increment;
    /// Adds the increment to its replica's entry. Not idempotent: the causal-delivery layer
    /// must deliver each operation exactly once.
    fn apply(&mut self, op: &Increment) {
        if op.by > 0 {
            let n = self.counts.entry(op.replica).or_insert(0);
            *n = n.saturating_add(op.by);
        }
    }
}

impl DeltaRdt for GCounter {
    type Delta = GCounter;
    fn merge_delta(&mut self, delta: &GCounter) {
        self.merge(delta);
    }
    fn join_deltas(into: &mut GCounter, delta: &GCounter) {
        into.merge(delta);
    }
    fn state_as_delta(&self) -> GCounter {
        self.clone()
    }
}

impl Metadata for GCounter {
    /// One entry per replica that ever incremented: the counter's whole state is metadata
    /// except the sum it stands for.
    fn metadata_bytes(&self) -> usize {
        self.counts.len() * DOT_BYTES
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "G-Counter",
            value: self.value().to_string(),
            parts: vec![self.vector_part()],
        }
    }
}

impl GCounter {
    fn vector_part(&self) -> MetadataPart {
        MetadataPart::new(
            MetadataKind::VersionVector,
            self.counts.len(),
            DOT_BYTES,
            abbreviate(self.entries().map(|(r, n)| format!("{r}:{n}")), 8),
        )
    }
}

/// A counter that goes up and down: one G-Counter of increments and one of decrements; the
/// value is their difference. (A single vector of signed counts would not work: the maximum
/// of two entries would throw away a decrement.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PnCounter {
    increments: GCounter,
    decrements: GCounter,
}

/// An operation on a PN-Counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PnOp {
    /// Add to the counter.
    Increment(Increment),
    /// Subtract from the counter.
    Decrement(Increment),
}

impl PnCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        PnCounter::default()
    }
    /// Increments minus decrements (saturating at the ends of `i64`).
    pub fn value(&self) -> i64 {
        let up = self.increments.value() as i128;
        let down = self.decrements.value() as i128;
        (up - down).clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }
    /// Adds `by` at `replica`; returns the delta.
    pub fn increment(&mut self, replica: ReplicaId, by: u64) -> PnCounter {
        PnCounter {
            increments: self.increments.increment(replica, by),
            decrements: GCounter::new(),
        }
    }
    /// Subtracts `by` at `replica`; returns the delta.
    pub fn decrement(&mut self, replica: ReplicaId, by: u64) -> PnCounter {
        PnCounter {
            increments: GCounter::new(),
            decrements: self.decrements.increment(replica, by),
        }
    }
    /// Adds `delta` (of either sign) at `replica`; returns the delta state.
    pub fn add(&mut self, replica: ReplicaId, delta: i64) -> PnCounter {
        if delta >= 0 {
            self.increment(replica, delta.unsigned_abs())
        } else {
            self.decrement(replica, delta.unsigned_abs())
        }
    }
    /// Prepares the operation "`replica` adds `delta`" without applying it.
    pub fn add_op(&self, replica: ReplicaId, delta: i64) -> PnOp {
        let inc = Increment {
            replica,
            by: delta.unsigned_abs(),
        };
        if delta >= 0 {
            PnOp::Increment(inc)
        } else {
            PnOp::Decrement(inc)
        }
    }
    /// The increments, per replica.
    pub fn increments(&self) -> &GCounter {
        &self.increments
    }
    /// The decrements, per replica.
    pub fn decrements(&self) -> &GCounter {
        &self.decrements
    }
}

impl CvRdt for PnCounter {
    fn merge(&mut self, other: &Self) {
        self.increments.merge(&other.increments);
        self.decrements.merge(&other.decrements);
    }
}

impl CmRdt for PnCounter {
    type Op = PnOp;
    fn apply(&mut self, op: &PnOp) {
        match op {
            PnOp::Increment(i) => self.increments.apply(i),
            PnOp::Decrement(i) => self.decrements.apply(i),
        }
    }
}

impl DeltaRdt for PnCounter {
    type Delta = PnCounter;
    fn merge_delta(&mut self, delta: &PnCounter) {
        self.merge(delta);
    }
    fn join_deltas(into: &mut PnCounter, delta: &PnCounter) {
        into.merge(delta);
    }
    fn state_as_delta(&self) -> PnCounter {
        self.clone()
    }
}

impl Metadata for PnCounter {
    fn metadata_bytes(&self) -> usize {
        self.increments.metadata_bytes() + self.decrements.metadata_bytes()
    }
    fn internals(&self) -> Internals {
        let mut p = self.increments.vector_part();
        p.detail = format!("P {}", p.detail);
        let mut n = self.decrements.vector_part();
        n.detail = format!("N {}", n.detail);
        Internals {
            type_name: "PN-Counter",
            value: self.value().to_string(),
            parts: vec![p, n],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_increments_are_all_counted() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = GCounter::new();
        let mut y = GCounter::new();
        x.increment(a, 1);
        y.increment(b, 1);
        y.increment(b, 2);
        x.merge(&y);
        y.merge(&x);
        assert_eq!(x.value(), 4);
        assert_eq!(x, y);
    }

    #[test]
    fn pn_counter_goes_down() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = PnCounter::new();
        let mut y = PnCounter::new();
        x.add(a, 5);
        let d = y.add(b, -7);
        x.merge_delta(&d);
        assert_eq!(x.value(), -2);
        assert_eq!(
            x.describe(),
            "PN-Counter -2; version vector P {r0:5} (12 B); version vector N {r1:7} (12 B)"
        );
    }
}
