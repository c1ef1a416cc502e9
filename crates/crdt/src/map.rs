//! A last-writer-wins map: one LWW register per key, where a removal is a write of "absent".

use crate::clock::ReplicaId;
use crate::register::{LwwRegister, LwwWrite, Stamp};
use crate::traits::{
    CmRdt, CvRdt, DeltaRdt, Internals, Metadata, MetadataKind, MetadataPart, abbreviate,
};
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A map whose keys each hold a last-writer-wins register of `Option<V>`: `None` is a
/// removal. Removed keys stay as tombstones (their stamps), since forgetting one would let an
/// older write of that key come back when a slow replica merges.
///
/// Concurrent writes to one key: the larger stamp wins; writes to different keys never
/// conflict. A remove concurrent with a write wins only if its stamp is larger.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LwwMap<K: Ord, V> {
    entries: BTreeMap<K, LwwRegister<Option<V>>>,
}

impl<K: Ord, V> Default for LwwMap<K, V> {
    fn default() -> Self {
        LwwMap {
            entries: BTreeMap::new(),
        }
    }
}

/// A write to one key of an LWW map (a removal writes `None`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LwwMapWrite<K, V> {
    /// The key.
    pub key: K,
    /// The value, or `None` to remove the key.
    pub write: LwwWrite<Option<V>>,
}

impl<K: Ord + Clone, V: Ord + Clone> LwwMap<K, V> {
    /// The empty map.
    pub fn new() -> Self {
        LwwMap::default()
    }
    /// The value under `key`, if present.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.entries
            .get(key)
            .and_then(|r| r.value())
            .and_then(Option::as_ref)
    }
    /// The present keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> + '_ {
        self.entries
            .iter()
            .filter_map(|(k, r)| r.value().and_then(Option::as_ref).map(|v| (k, v)))
    }
    /// How many keys are present.
    pub fn len(&self) -> usize {
        self.iter().count()
    }
    /// Whether no key is present.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many removed keys are remembered.
    pub fn tombstones(&self) -> usize {
        self.entries.len() - self.len()
    }
    /// Sets `key` to `value` at `replica`; returns the delta (a map of that one key).
    pub fn insert(&mut self, replica: ReplicaId, key: K, value: V) -> LwwMap<K, V> {
        self.write(replica, key, Some(value))
    }
    /// Removes `key` at `replica` (a tombstone write); returns the delta.
    pub fn remove(&mut self, replica: ReplicaId, key: K) -> LwwMap<K, V> {
        self.write(replica, key, None)
    }
    fn write(&mut self, replica: ReplicaId, key: K, value: Option<V>) -> LwwMap<K, V> {
        self.write_at(replica, 0, key, value)
    }
    /// Writes `value` (or removes, for `None`) under `key` at `replica` with a hybrid stamp
    /// from its physical clock `now_ns`; returns the delta.
    pub fn write_at(
        &mut self,
        replica: ReplicaId,
        now_ns: u64,
        key: K,
        value: Option<V>,
    ) -> LwwMap<K, V> {
        let op = self.write_op_at(replica, now_ns, key, value);
        self.apply_write(&op);
        LwwMap {
            entries: BTreeMap::from([(op.key, LwwRegister::from(op.write))]),
        }
    }
    /// Prepares the operation "`replica` sets `key` to `value`" (or removes it, for `None`).
    pub fn write_op(&self, replica: ReplicaId, key: K, value: Option<V>) -> LwwMapWrite<K, V> {
        self.write_op_at(replica, 0, key, value)
    }
    /// Prepares a write stamped by the hybrid clock at physical time `now_ns` (0: Lamport).
    pub fn write_op_at(
        &self,
        replica: ReplicaId,
        now_ns: u64,
        key: K,
        value: Option<V>,
    ) -> LwwMapWrite<K, V> {
        let latest = self
            .entries
            .get(&key)
            .map(|r| r.stamp())
            .unwrap_or_default();
        LwwMapWrite {
            write: LwwWrite {
                value,
                stamp: Stamp::hybrid(replica, now_ns, latest),
            },
            key,
        }
    }
    /// Every key ever written, with the stamp of its winning write (removed keys included).
    pub fn stamps(&self) -> impl Iterator<Item = (&K, Stamp)> + '_ {
        self.entries.iter().map(|(k, r)| (k, r.stamp()))
    }
    fn apply_write(&mut self, op: &LwwMapWrite<K, V>) {
        self.entries
            .entry(op.key.clone())
            .or_default()
            .merge(&LwwRegister::from(op.write.clone()));
    }
}

impl<K: Ord + Clone, V: Ord + Clone> CvRdt for LwwMap<K, V> {
    fn merge(&mut self, other: &Self) {
        for (k, r) in &other.entries {
            match self.entries.get_mut(k) {
                Some(mine) => mine.merge(r),
                None => {
                    self.entries.insert(k.clone(), r.clone());
                }
            }
        }
    }
}

impl<K: Ord + Clone + fmt::Debug, V: Ord + Clone + fmt::Debug> CmRdt for LwwMap<K, V> {
    type Op = LwwMapWrite<K, V>;
    fn apply(&mut self, op: &Self::Op) {
        self.apply_write(op);
    }
}

impl<K: Ord + Clone + fmt::Debug, V: Ord + Clone + fmt::Debug> DeltaRdt for LwwMap<K, V> {
    type Delta = LwwMap<K, V>;
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

impl<K: Ord + Clone + fmt::Debug, V: Ord + Clone + fmt::Debug> Metadata for LwwMap<K, V> {
    /// A stamp per key, present or removed; a removed key also counts 8 bytes for the key.
    fn metadata_bytes(&self) -> usize {
        self.entries.len() * Stamp::BYTES + self.tombstones() * 8
    }
    fn internals(&self) -> Internals {
        let stamps = self
            .entries
            .iter()
            .map(|(k, r)| format!("{k:?}@{}", r.stamp()));
        let removed = self
            .entries
            .iter()
            .filter(|(_, r)| !matches!(r.value(), Some(Some(_))))
            .map(|(k, _)| format!("{k:?}"));
        Internals {
            type_name: "LWW-Map",
            value: abbreviate(self.iter().map(|(k, v)| format!("{k:?}: {v:?}")), 8),
            parts: vec![
                MetadataPart::new(
                    MetadataKind::Timestamps,
                    self.entries.len(),
                    Stamp::BYTES,
                    abbreviate(stamps, 6),
                ),
                MetadataPart::new(
                    MetadataKind::Tombstones,
                    self.tombstones(),
                    8,
                    abbreviate(removed, 6),
                ),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_write_wins_per_key_and_removals_stick() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = LwwMap::new();
        x.insert(a, "colour", "red");
        let mut y = x.clone();
        y.remove(b, "colour");
        x.insert(a, "size", "L");
        x.merge(&y);
        assert_eq!(x.get(&"colour"), None);
        assert_eq!(x.get(&"size"), Some(&"L"));
        assert_eq!(x.tombstones(), 1);
    }
}
