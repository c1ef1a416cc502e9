//! Replica ids, dots, version vectors and causal contexts: the causality bookkeeping every
//! non-trivial CRDT builds on.

use crate::traits::{
    CvRdt, DOT_BYTES, Internals, Metadata, MetadataKind, MetadataPart, abbreviate,
};
use core::cmp::Ordering;
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Who made an update: one replica of a replicated value. In the simulator it is the node's id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct ReplicaId(pub u32);

impl From<sim::NodeId> for ReplicaId {
    fn from(node: sim::NodeId) -> Self {
        ReplicaId(node.0)
    }
}

/// Bits of a [`ReplicaId`] that hold the node id; the bits above count incarnations.
pub const REPLICA_NODE_BITS: u32 = 20;

impl ReplicaId {
    /// The replica a node runs in its `incarnation`-th life with fresh state: node ids below
    /// 2²⁰ keep their number, and each amnesic restart gets ids nobody used before (up to 4,095
    /// restarts per node, after which ids would repeat; scenarios stay far below that).
    pub fn incarnation_of(node: sim::NodeId, incarnation: u32) -> ReplicaId {
        ReplicaId((node.0 & ((1 << REPLICA_NODE_BITS) - 1)) | (incarnation << REPLICA_NODE_BITS))
    }
    /// The node this replica runs on.
    pub fn node(self) -> sim::NodeId {
        sim::NodeId(self.0 & ((1 << REPLICA_NODE_BITS) - 1))
    }
    /// Which life of its node this replica is (0 for the first).
    pub fn incarnation(self) -> u32 {
        self.0 >> REPLICA_NODE_BITS
    }
}

impl fmt::Debug for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl fmt::Display for ReplicaId {
    /// `r3` for node 3's first replica, `r3#2` after its second amnesic restart.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.incarnation() {
            0 => write!(f, "r{}", self.0),
            i => write!(f, "r{}#{i}", self.node().0),
        }
    }
}

/// The `counter`-th update made by `replica` (counting from 1): a globally unique event name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dot {
    /// The replica that made the update.
    pub replica: ReplicaId,
    /// Its sequence number at that replica, from 1.
    pub counter: u64,
}

impl Dot {
    /// The `counter`-th update of `replica`.
    pub const fn new(replica: ReplicaId, counter: u64) -> Self {
        Dot { replica, counter }
    }
}

impl fmt::Debug for Dot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.replica, self.counter)
    }
}
impl fmt::Display for Dot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A version vector: for each replica, how many of its updates have been seen. Replicas absent
/// from the map count as zero, so equal histories always have equal vectors.
///
/// Version vectors are partially ordered: `a < b` when `b` has seen everything `a` has and
/// more; `partial_cmp` is `None` for concurrent histories.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VClock {
    entries: BTreeMap<ReplicaId, u64>,
}

impl VClock {
    /// The empty history.
    pub fn new() -> Self {
        VClock::default()
    }
    /// How many updates of `replica` have been seen.
    pub fn get(&self, replica: ReplicaId) -> u64 {
        self.entries.get(&replica).copied().unwrap_or(0)
    }
    /// Records one more update by `replica` and returns its dot.
    pub fn increment(&mut self, replica: ReplicaId) -> Dot {
        let n = self.entries.entry(replica).or_insert(0);
        *n += 1;
        Dot::new(replica, *n)
    }
    /// Raises `replica`'s entry to at least `counter`.
    pub fn observe(&mut self, replica: ReplicaId, counter: u64) {
        if counter > 0 {
            let n = self.entries.entry(replica).or_insert(0);
            *n = (*n).max(counter);
        }
    }
    /// Whether the update `dot` is part of this history.
    pub fn contains(&self, dot: Dot) -> bool {
        dot.counter <= self.get(dot.replica)
    }
    /// Whether this history includes all of `other`'s (`other ≤ self`).
    pub fn dominates(&self, other: &VClock) -> bool {
        other.entries.iter().all(|(&r, &n)| self.get(r) >= n)
    }
    /// Whether neither history includes the other.
    pub fn concurrent(&self, other: &VClock) -> bool {
        self.partial_cmp(other).is_none()
    }
    /// The entries, by replica id.
    pub fn iter(&self) -> impl Iterator<Item = (ReplicaId, u64)> + '_ {
        self.entries.iter().map(|(&r, &n)| (r, n))
    }
    /// How many replicas have a non-zero entry.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The total number of updates seen (the sum of the entries).
    pub fn total(&self) -> u64 {
        self.entries.values().sum()
    }
}

impl PartialOrd for VClock {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.dominates(other), other.dominates(self)) {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Greater),
            (false, true) => Some(Ordering::Less),
            (false, false) => None,
        }
    }
}

impl CvRdt for VClock {
    fn merge(&mut self, other: &Self) {
        for (r, n) in other.iter() {
            self.observe(r, n);
        }
    }
}

impl fmt::Debug for VClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl fmt::Display for VClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.iter().map(|(r, n)| format!("{r}:{n}"));
        f.write_str(&abbreviate(entries, 8))
    }
}

impl Metadata for VClock {
    fn metadata_bytes(&self) -> usize {
        self.len() * DOT_BYTES
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "version vector",
            value: self.to_string(),
            parts: vec![MetadataPart::new(
                MetadataKind::VersionVector,
                self.len(),
                DOT_BYTES,
                self.to_string(),
            )],
        }
    }
}

/// The set of updates a replica has seen, stored compactly: a version vector for the
/// contiguous prefix of each replica's updates, plus the "dot cloud" of updates seen out of
/// order. When the gap before a cloud dot fills, the dot moves into the vector.
///
/// This is what lets an OR-Set or MV-Register forget removed elements entirely (no tombstones):
/// a dot in the context but not in the store was removed.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CausalContext {
    vector: VClock,
    cloud: BTreeSet<Dot>,
}

impl CausalContext {
    /// Nothing seen.
    pub fn new() -> Self {
        CausalContext::default()
    }
    /// Whether `dot` has been seen.
    pub fn contains(&self, dot: Dot) -> bool {
        self.vector.contains(dot) || self.cloud.contains(&dot)
    }
    /// The next dot for a new update by `replica`, recorded as seen.
    ///
    /// A replica's own updates are always contiguous in its own context, so the vector entry
    /// is the last one it made.
    pub fn next_dot(&mut self, replica: ReplicaId) -> Dot {
        let dot = Dot::new(replica, self.vector.get(replica) + 1);
        self.insert(dot);
        dot
    }
    /// Records `dot` as seen.
    pub fn insert(&mut self, dot: Dot) {
        if self.contains(dot) {
            return;
        }
        if dot.counter == self.vector.get(dot.replica) + 1 {
            self.vector.observe(dot.replica, dot.counter);
            self.compact_replica(dot.replica);
        } else {
            self.cloud.insert(dot);
        }
    }
    /// Moves cloud dots that now continue the vector into it.
    fn compact_replica(&mut self, replica: ReplicaId) {
        loop {
            let next = Dot::new(replica, self.vector.get(replica) + 1);
            if self.cloud.remove(&next) {
                self.vector.observe(replica, next.counter);
            } else {
                break;
            }
        }
    }
    /// The compact part: contiguous prefixes per replica.
    pub fn vector(&self) -> &VClock {
        &self.vector
    }
    /// The dots seen out of order.
    pub fn cloud(&self) -> impl Iterator<Item = Dot> + '_ {
        self.cloud.iter().copied()
    }
    /// Entries of the vector plus dots in the cloud.
    pub fn len(&self) -> usize {
        self.vector.len() + self.cloud.len()
    }
    /// Whether nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.vector.is_empty() && self.cloud.is_empty()
    }
}

impl CvRdt for CausalContext {
    fn merge(&mut self, other: &Self) {
        self.vector.merge(&other.vector);
        // Cloud dots now covered by the vector are redundant; drop them before compacting.
        let vector = &self.vector;
        self.cloud.retain(|d| !vector.contains(*d));
        for &dot in &other.cloud {
            if !self.vector.contains(dot) {
                self.cloud.insert(dot);
            }
        }
        let replicas: BTreeSet<ReplicaId> = self.cloud.iter().map(|d| d.replica).collect();
        for r in replicas {
            self.compact_replica(r);
        }
    }
}

impl fmt::Debug for CausalContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl fmt::Display for CausalContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.vector)?;
        if !self.cloud.is_empty() {
            write!(f, " + {}", abbreviate(self.cloud.iter(), 6))?;
        }
        Ok(())
    }
}

impl Metadata for CausalContext {
    fn metadata_bytes(&self) -> usize {
        self.len() * DOT_BYTES
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "causal context",
            value: self.to_string(),
            parts: self.parts(),
        }
    }
}

impl CausalContext {
    /// The context as metadata parts: the vector, and the out-of-order dots if any.
    pub(crate) fn parts(&self) -> Vec<MetadataPart> {
        let mut parts = vec![MetadataPart::new(
            MetadataKind::VersionVector,
            self.vector.len(),
            DOT_BYTES,
            self.vector.to_string(),
        )];
        if !self.cloud.is_empty() {
            parts.push(MetadataPart::new(
                MetadataKind::Dots,
                self.cloud.len(),
                DOT_BYTES,
                abbreviate(self.cloud.iter(), 6),
            ));
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: ReplicaId = ReplicaId(0);
    const B: ReplicaId = ReplicaId(1);

    #[test]
    fn version_vectors_order_histories() {
        let mut a = VClock::new();
        let mut b = VClock::new();
        a.increment(A);
        assert!(a > b);
        b.merge(&a);
        assert_eq!(a, b);
        a.increment(A);
        b.increment(B);
        assert!(a.concurrent(&b));
        assert_eq!(a.partial_cmp(&b), None);
    }

    #[test]
    fn causal_context_compacts_when_gaps_fill() {
        let mut c = CausalContext::new();
        c.insert(Dot::new(A, 2));
        c.insert(Dot::new(A, 3));
        assert_eq!(c.cloud().count(), 2);
        c.insert(Dot::new(A, 1));
        assert_eq!(c.cloud().count(), 0);
        assert_eq!(c.vector().get(A), 3);
        let mut d = CausalContext::new();
        d.insert(Dot::new(A, 5));
        d.merge(&c);
        assert!(d.contains(Dot::new(A, 5)) && d.contains(Dot::new(A, 2)));
        assert!(!d.contains(Dot::new(A, 4)));
        d.insert(Dot::new(A, 4));
        assert_eq!(d.vector().get(A), 5);
        assert_eq!(d.cloud().count(), 0);
    }
}
