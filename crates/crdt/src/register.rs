//! Registers: last-writer-wins (one value, ordered by timestamps) and multi-value (every
//! concurrent write kept, ordered by version vectors).

use crate::clock::{CausalContext, Dot, ReplicaId};
use crate::traits::{
    COUNTER_BYTES, CmRdt, CvRdt, DOT_BYTES, DeltaRdt, Internals, Metadata, MetadataKind,
    MetadataPart, REPLICA_ID_BYTES, abbreviate,
};
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A write's timestamp: a time, then the writer's id to break ties, so any two writes by
/// different replicas are ordered and every replica picks the same winner.
///
/// `time` is either a Lamport clock (one more than the largest time seen) or a hybrid logical
/// clock (the larger of the local physical clock and one more than the largest time seen);
/// both make a write that *saw* another write carry a larger time.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    /// Logical or hybrid time; compared first.
    pub time: u64,
    /// The writer; compared when times are equal.
    pub replica: ReplicaId,
}

impl Stamp {
    /// Bytes of a stamp in metadata accounting: a time and a replica id.
    pub const BYTES: usize = COUNTER_BYTES + REPLICA_ID_BYTES;

    /// A Lamport stamp for a write by `replica` that has seen `latest`.
    pub fn lamport(replica: ReplicaId, latest: Stamp) -> Stamp {
        Stamp {
            time: latest.time.saturating_add(1),
            replica,
        }
    }
    /// A hybrid stamp for a write by `replica` at local physical time `now_ns` that has seen
    /// `latest`: physical time when the clock is ahead, else one more than the latest seen,
    /// so a slow clock can never make a newer write lose to one it has seen.
    pub fn hybrid(replica: ReplicaId, now_ns: u64, latest: Stamp) -> Stamp {
        Stamp {
            time: now_ns.max(latest.time.saturating_add(1)),
            replica,
        }
    }
}

impl fmt::Debug for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.time, self.replica)
    }
}
impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A last-writer-wins register: the write with the largest [`Stamp`] wins.
///
/// Concurrent writes are resolved by timestamp, so one of them is silently discarded: that is
/// the semantics, not a bug, but the lab shows which write lost and why. The register starts
/// empty (`None`) with the zero stamp.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LwwRegister<T> {
    value: Option<T>,
    stamp: Stamp,
}

impl<T> Default for LwwRegister<T> {
    fn default() -> Self {
        LwwRegister {
            value: None,
            stamp: Stamp::default(),
        }
    }
}

/// A write to an LWW register, as an operation (and as a delta): the value and its stamp.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LwwWrite<T> {
    /// The value written.
    pub value: T,
    /// When, and by whom.
    pub stamp: Stamp,
}

impl<T: Clone + Ord> LwwRegister<T> {
    /// An empty register.
    pub fn new() -> Self {
        LwwRegister::default()
    }
    /// The current value, if anything was ever written.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }
    /// The winning write's stamp (zero when empty).
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }
    /// Writes `value` at `replica` with a Lamport stamp; returns the write (op and delta).
    pub fn set(&mut self, replica: ReplicaId, value: T) -> LwwWrite<T> {
        let write = self.set_op(replica, value);
        self.accept(&write);
        write
    }
    /// Writes `value` at `replica` with a hybrid stamp from its physical clock `now_ns`.
    pub fn set_at(&mut self, replica: ReplicaId, now_ns: u64, value: T) -> LwwWrite<T> {
        let write = LwwWrite {
            value,
            stamp: Stamp::hybrid(replica, now_ns, self.stamp),
        };
        self.accept(&write);
        write
    }
    /// Prepares a write stamped by the hybrid clock at physical time `now_ns` (0: Lamport).
    pub fn set_op_at(&self, replica: ReplicaId, now_ns: u64, value: T) -> LwwWrite<T> {
        LwwWrite {
            value,
            stamp: Stamp::hybrid(replica, now_ns, self.stamp),
        }
    }
    /// Prepares a Lamport-stamped write without applying it.
    pub fn set_op(&self, replica: ReplicaId, value: T) -> LwwWrite<T> {
        LwwWrite {
            value,
            stamp: Stamp::lamport(replica, self.stamp),
        }
    }
    fn accept(&mut self, w: &LwwWrite<T>) {
        if self.loses_to(w.stamp, &w.value) {
            self.value = Some(w.value.clone());
            self.stamp = w.stamp;
        }
    }
    /// Whether `write` beats what the register holds. Equal stamps (which well-behaved
    /// replicas never produce) fall back to comparing values, so merge stays commutative
    /// even then.
    fn loses_to(&self, stamp: Stamp, value: &T) -> bool {
        match &self.value {
            None => true,
            Some(mine) => (stamp, value) > (self.stamp, mine),
        }
    }
}

impl<T: Clone + Ord> CvRdt for LwwRegister<T> {
    fn merge(&mut self, other: &Self) {
        if let Some(v) = &other.value
            && self.loses_to(other.stamp, v)
        {
            self.value = Some(v.clone());
            self.stamp = other.stamp;
        }
    }
}

impl<T: Clone + Ord + fmt::Debug> CmRdt for LwwRegister<T> {
    type Op = LwwWrite<T>;
    fn apply(&mut self, op: &LwwWrite<T>) {
        self.accept(op);
    }
}

impl<T: Clone + Ord + fmt::Debug> DeltaRdt for LwwRegister<T> {
    type Delta = LwwRegister<T>;
    fn merge_delta(&mut self, delta: &Self) {
        self.merge(delta);
    }
    fn join_deltas(into: &mut Self, delta: &Self) {
        into.merge(delta);
    }
    fn state_as_delta(&self) -> Self {
        self.clone()
    }
}

impl<T> From<LwwWrite<T>> for LwwRegister<T> {
    fn from(w: LwwWrite<T>) -> Self {
        LwwRegister {
            value: Some(w.value),
            stamp: w.stamp,
        }
    }
}

impl<T: Clone + Ord + fmt::Debug> Metadata for LwwRegister<T> {
    fn metadata_bytes(&self) -> usize {
        Stamp::BYTES
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "LWW-Register",
            value: match &self.value {
                Some(v) => format!("{v:?}"),
                None => "∅".into(),
            },
            parts: vec![MetadataPart::new(
                MetadataKind::Timestamps,
                1,
                Stamp::BYTES,
                self.stamp.to_string(),
            )],
        }
    }
}

/// A multi-value register: a write replaces every value it has seen, and concurrent writes
/// are all kept, so a read may return several values for the application (or user) to
/// reconcile, as in Amazon's Dynamo shopping cart.
///
/// Each value is tagged with the dot of its write; the causal context records every write
/// seen. On merge, a value survives if the other side still has it or has never seen its
/// write: a value the other side has seen but no longer holds was overwritten.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MvRegister<T> {
    values: BTreeMap<Dot, T>,
    context: CausalContext,
}

impl<T> Default for MvRegister<T> {
    fn default() -> Self {
        MvRegister {
            values: BTreeMap::new(),
            context: CausalContext::new(),
        }
    }
}

/// A write to an MV register as an operation: the new value's dot, and the dots of the
/// values it overwrites (those its writer had seen).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MvWrite<T> {
    /// The value written.
    pub value: T,
    /// The write's dot.
    pub dot: Dot,
    /// The values the writer saw, now overwritten.
    pub overwrites: Vec<Dot>,
}

impl<T: Clone + Ord> MvRegister<T> {
    /// An empty register.
    pub fn new() -> Self {
        MvRegister::default()
    }
    /// The concurrent values, sorted (one value unless writes were concurrent).
    pub fn values(&self) -> Vec<&T> {
        let mut v: Vec<&T> = self.values.values().collect();
        v.sort();
        v.dedup();
        v
    }
    /// The values with the dots of their writes.
    pub fn entries(&self) -> impl Iterator<Item = (Dot, &T)> + '_ {
        self.values.iter().map(|(&d, v)| (d, v))
    }
    /// The writes seen.
    pub fn context(&self) -> &CausalContext {
        &self.context
    }
    /// Writes `value` at `replica`, overwriting every value seen; returns the delta.
    pub fn set(&mut self, replica: ReplicaId, value: T) -> MvRegister<T> {
        let mut delta = MvRegister::new();
        for &d in self.values.keys() {
            delta.context.insert(d);
        }
        let dot = self.context.next_dot(replica);
        self.values.clear();
        self.values.insert(dot, value.clone());
        delta.context.insert(dot);
        delta.values.insert(dot, value);
        delta
    }
    /// Prepares a write without applying it.
    pub fn set_op(&self, replica: ReplicaId, value: T) -> MvWrite<T> {
        MvWrite {
            value,
            dot: Dot::new(replica, self.context.vector().get(replica) + 1),
            overwrites: self.values.keys().copied().collect(),
        }
    }
}

impl<T: Clone + Ord> CvRdt for MvRegister<T> {
    fn merge(&mut self, other: &Self) {
        let context = &other.context;
        let theirs = &other.values;
        // Keep ours unless they saw the write and no longer hold it (they overwrote it).
        self.values
            .retain(|d, _| theirs.contains_key(d) || !context.contains(*d));
        for (&d, v) in theirs {
            if !self.context.contains(d) {
                self.values.insert(d, v.clone());
            }
        }
        self.context.merge(&other.context);
    }
}

impl<T: Clone + Ord + fmt::Debug> CmRdt for MvRegister<T> {
    type Op = MvWrite<T>;
    fn apply(&mut self, op: &MvWrite<T>) {
        for d in &op.overwrites {
            self.values.remove(d);
            self.context.insert(*d);
        }
        if !self.context.contains(op.dot) {
            self.context.insert(op.dot);
            self.values.insert(op.dot, op.value.clone());
        }
    }
}

impl<T: Clone + Ord + fmt::Debug> DeltaRdt for MvRegister<T> {
    type Delta = MvRegister<T>;
    fn merge_delta(&mut self, delta: &Self) {
        self.merge(delta);
    }
    fn join_deltas(into: &mut Self, delta: &Self) {
        into.merge(delta);
    }
    fn state_as_delta(&self) -> Self {
        self.clone()
    }
}

impl<T: Clone + Ord + fmt::Debug> Metadata for MvRegister<T> {
    fn metadata_bytes(&self) -> usize {
        self.values.len() * DOT_BYTES + self.context.metadata_bytes()
    }
    fn internals(&self) -> Internals {
        let mut parts = vec![MetadataPart::new(
            MetadataKind::Dots,
            self.values.len(),
            DOT_BYTES,
            abbreviate(self.values.iter().map(|(d, v)| format!("{v:?}@{d}")), 6),
        )];
        parts.extend(self.context.parts());
        Internals {
            type_name: "MV-Register",
            value: format!("{:?}", self.values()),
            parts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lww_keeps_the_later_write_and_breaks_ties_by_replica() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = LwwRegister::new();
        let mut y = LwwRegister::new();
        x.set(a, "from a");
        y.set(b, "from b"); // same Lamport time 1: r1 wins the tie
        x.merge(&y);
        assert_eq!(x.value(), Some(&"from b"));
        x.set(a, "a again"); // time 2 saw time 1: wins
        y.merge(&x);
        assert_eq!(y.value(), Some(&"a again"));
    }

    #[test]
    fn mv_register_keeps_concurrent_writes_until_overwritten() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = MvRegister::new();
        let mut y = MvRegister::new();
        x.set(a, 1);
        y.set(b, 2);
        x.merge(&y);
        assert_eq!(x.values(), vec![&1, &2]);
        x.set(a, 3);
        y.merge(&x);
        assert_eq!(y.values(), vec![&3]);
    }
}
