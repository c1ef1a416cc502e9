//! The deliberately wrong way: a plain value replicated by "the last message received wins".
//!
//! These types implement [`CvRdt`] so they run in exactly the same harnesses and replica nodes
//! as the real CRDTs, but their `merge` is an overwrite, which is neither commutative nor
//! inflationary. The tests show the consequences: replicas that received the same messages in
//! different orders disagree for ever, and concurrent increments are lost.

use crate::traits::{CmRdt, CvRdt, DeltaRdt, Internals, Metadata};
use core::fmt;
use serde::{Deserialize, Serialize};

/// A register holding a plain value: a received value simply replaces the local one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NaiveRegister<T> {
    value: T,
}

impl<T: Clone> NaiveRegister<T> {
    /// A register holding `value`.
    pub fn new(value: T) -> Self {
        NaiveRegister { value }
    }
    /// The current value.
    pub fn value(&self) -> &T {
        &self.value
    }
    /// Overwrites the value locally.
    pub fn set(&mut self, value: T) {
        self.value = value;
    }
}

impl<T: Clone> CvRdt for NaiveRegister<T> {
    /// Overwrites: whichever message arrives last wins, so the outcome depends on delivery order.
    fn merge(&mut self, other: &Self) {
        self.value = other.value.clone();
    }
}

impl<T: Clone + fmt::Debug> CmRdt for NaiveRegister<T> {
    /// "Set the value to this."
    type Op = T;
    fn apply(&mut self, op: &T) {
        self.value = op.clone();
    }
}

impl<T: Clone + fmt::Debug> DeltaRdt for NaiveRegister<T> {
    /// The whole new value: there is nothing smaller to send.
    type Delta = NaiveRegister<T>;
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

impl<T: Clone + fmt::Debug> Metadata for NaiveRegister<T> {
    /// None, which is exactly why it cannot tell old from new.
    fn metadata_bytes(&self) -> usize {
        0
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "naive register",
            value: format!("{:?}", self.value),
            parts: Vec::new(),
        }
    }
}

/// A counter held as one plain number: an increment changes the local number, and syncing
/// sends the number, which the receiver adopts. Two replicas that both turn 5 into 6 and sync
/// end at 6: one increment is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NaiveCounter {
    value: i64,
}

impl NaiveCounter {
    /// A counter at zero.
    pub fn new() -> Self {
        NaiveCounter::default()
    }
    /// The current value.
    pub fn value(&self) -> i64 {
        self.value
    }
    /// Adds `delta` locally.
    pub fn add(&mut self, delta: i64) {
        self.value = self.value.saturating_add(delta);
    }
    /// The operation to broadcast after a local change: "the value is now this".
    pub fn set_op(&self) -> i64 {
        self.value
    }
}

impl CvRdt for NaiveCounter {
    /// Overwrites with the received number.
    fn merge(&mut self, other: &Self) {
        self.value = other.value;
    }
}

impl CmRdt for NaiveCounter {
    /// "The value is now this."
    type Op = i64;
    fn apply(&mut self, op: &i64) {
        self.value = *op;
    }
}

impl DeltaRdt for NaiveCounter {
    /// The whole new value.
    type Delta = NaiveCounter;
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

impl Metadata for NaiveCounter {
    fn metadata_bytes(&self) -> usize {
        0
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "naive counter",
            value: self.value.to_string(),
            parts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_increments_are_lost() {
        let mut x = NaiveCounter::new();
        let mut y = NaiveCounter::new();
        x.add(1);
        y.add(1);
        let (sx, sy) = (x.clone(), y.clone());
        x.merge(&sy);
        y.merge(&sx);
        assert_eq!(x.value(), 1, "two increments, but the value is 1");
        assert_eq!(x, y);
    }
}
