//! [`Replicated`]: one interface over every type and all three ways of replicating it, so
//! replica nodes, the lab and the test harnesses treat a G-Counter and a text alike.

use crate::clock::ReplicaId;
use crate::counter::{GCounter, PnCounter};
use crate::map::LwwMap;
use crate::naive::{NaiveCounter, NaiveRegister};
use crate::register::{LwwRegister, MvRegister};
use crate::set::{GSet, OrSet, TwoPSet};
use crate::text::{Text, TextDelta};
use crate::traits::{CmRdt, CvRdt, DeltaRdt, Metadata};
use core::fmt::Debug;
use serde::{Deserialize, Serialize};
use sim::{LocalTime, SimRng};

/// A replicated type the lab can run: a user's action applied at one replica yields a delta
/// (for state and delta sync) or operations (for op-based sync).
pub trait Replicated:
    CvRdt
    + CmRdt<Op: Serialize>
    + DeltaRdt<Delta: Serialize>
    + Metadata
    + Clone
    + PartialEq
    + Debug
    + Default
    + Serialize
{
    /// What a user does to a replica: increment by 2, add "milk", type "hi" at 3 …
    type Action: Clone + Debug + PartialEq + Serialize + for<'de> Deserialize<'de>;

    /// The type's name as the lab shows it.
    const NAME: &'static str;

    /// Applies `action` at `replica` (whose clock reads `now`) and returns the delta.
    fn act(&mut self, replica: ReplicaId, now: LocalTime, action: &Self::Action) -> Self::Delta;

    /// Applies `action` at `replica` op by op and returns the operations to broadcast, in the
    /// order they must be delivered.
    fn act_op(
        &mut self,
        replica: ReplicaId,
        now: LocalTime,
        action: &Self::Action,
    ) -> Vec<Self::Op>;

    /// A random action that makes sense on the current state (workloads and fuzzers).
    fn random_action(&self, rng: &mut SimRng) -> Self::Action;

    /// The value as a user sees it, rendered (the metadata left out).
    fn value_string(&self) -> String {
        self.internals().value
    }
}

/// Values the generic types hold in the lab: small domains, so that replicas collide.
pub trait Element: Clone + Ord + Debug + Serialize + for<'de> Deserialize<'de> {
    /// A random value from a small domain.
    fn random(rng: &mut SimRng) -> Self;
}

impl Element for u32 {
    /// `0..8`.
    fn random(rng: &mut SimRng) -> u32 {
        rng.below(8) as u32
    }
}

impl Element for char {
    /// `'a'..='h'`.
    fn random(rng: &mut SimRng) -> char {
        char::from(b'a' + rng.below(8) as u8)
    }
}

impl Element for String {
    /// A word from a shopping list.
    fn random(rng: &mut SimRng) -> String {
        const WORDS: [&str; 8] = [
            "milk", "eggs", "bread", "tea", "rice", "soap", "jam", "figs",
        ];
        WORDS[rng.below(WORDS.len() as u64) as usize].to_string()
    }
}

/// A physical clock reading for hybrid timestamps: negative readings (a clock set before
/// the epoch) count as zero, which hybrid stamps then treat as a Lamport clock.
fn physical_ns(now: LocalTime) -> u64 {
    now.as_nanos().max(0) as u64
}

impl Replicated for GCounter {
    /// Increment by this much.
    type Action = u64;
    const NAME: &'static str = "G-Counter";
    fn act(&mut self, replica: ReplicaId, _: LocalTime, by: &u64) -> GCounter {
        self.increment(replica, *by)
    }
    fn act_op(&mut self, replica: ReplicaId, _: LocalTime, by: &u64) -> Vec<Self::Op> {
        let op = self.increment_op(replica, *by);
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> u64 {
        1 + rng.below(3)
    }
}

impl Replicated for PnCounter {
    /// Add this much (negative: subtract).
    type Action = i64;
    const NAME: &'static str = "PN-Counter";
    fn act(&mut self, replica: ReplicaId, _: LocalTime, by: &i64) -> PnCounter {
        self.add(replica, *by)
    }
    fn act_op(&mut self, replica: ReplicaId, _: LocalTime, by: &i64) -> Vec<Self::Op> {
        let op = self.add_op(replica, *by);
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> i64 {
        rng.below(7) as i64 - 3
    }
}

impl<T: Element> Replicated for LwwRegister<T> {
    /// Write this value (stamped by the replica's hybrid clock).
    type Action = T;
    const NAME: &'static str = "LWW-Register";
    fn act(&mut self, replica: ReplicaId, now: LocalTime, value: &T) -> Self {
        self.set_at(replica, physical_ns(now), value.clone()).into()
    }
    fn act_op(&mut self, replica: ReplicaId, now: LocalTime, value: &T) -> Vec<Self::Op> {
        let op = self.set_op_at(replica, physical_ns(now), value.clone());
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> T {
        T::random(rng)
    }
}

impl<T: Element> Replicated for MvRegister<T> {
    /// Write this value.
    type Action = T;
    const NAME: &'static str = "MV-Register";
    fn act(&mut self, replica: ReplicaId, _: LocalTime, value: &T) -> Self {
        self.set(replica, value.clone())
    }
    fn act_op(&mut self, replica: ReplicaId, _: LocalTime, value: &T) -> Vec<Self::Op> {
        let op = self.set_op(replica, value.clone());
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> T {
        T::random(rng)
    }
}

impl<T: Element> Replicated for GSet<T> {
    /// Add this element.
    type Action = T;
    const NAME: &'static str = "G-Set";
    fn act(&mut self, _: ReplicaId, _: LocalTime, x: &T) -> Self {
        self.insert(x.clone())
    }
    fn act_op(&mut self, _: ReplicaId, _: LocalTime, x: &T) -> Vec<T> {
        self.apply(x);
        vec![x.clone()]
    }
    fn random_action(&self, rng: &mut SimRng) -> T {
        T::random(rng)
    }
}

/// A user's action on a set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetAction<T> {
    /// Add the element.
    Add(T),
    /// Remove the element.
    Remove(T),
}

/// Removes an element already in the set two times in five, else adds a random one.
fn random_set_action<'a, T: Element + 'a>(
    present: impl Iterator<Item = &'a T>,
    rng: &mut SimRng,
) -> SetAction<T> {
    let present: Vec<&T> = present.collect();
    match rng.index(present.len()) {
        Some(i) if rng.chance(0.4) => SetAction::Remove(present[i].clone()),
        _ => SetAction::Add(T::random(rng)),
    }
}

impl<T: Element> Replicated for TwoPSet<T> {
    type Action = SetAction<T>;
    const NAME: &'static str = "2P-Set";
    fn act(&mut self, _: ReplicaId, _: LocalTime, a: &SetAction<T>) -> Self {
        match a {
            SetAction::Add(x) => self.insert(x.clone()),
            SetAction::Remove(x) => self.remove(x.clone()),
        }
    }
    fn act_op(&mut self, _: ReplicaId, _: LocalTime, a: &SetAction<T>) -> Vec<Self::Op> {
        let op = match a {
            SetAction::Add(x) => crate::set::TwoPOp::Add(x.clone()),
            // The precondition of remove: only an element present here may be removed.
            SetAction::Remove(x) if !self.contains(x) => return Vec::new(),
            SetAction::Remove(x) => crate::set::TwoPOp::Remove(x.clone()),
        };
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> SetAction<T> {
        random_set_action(self.iter(), rng)
    }
}

impl<T: Element> Replicated for OrSet<T> {
    type Action = SetAction<T>;
    const NAME: &'static str = "OR-Set";
    fn act(&mut self, replica: ReplicaId, _: LocalTime, a: &SetAction<T>) -> Self {
        match a {
            SetAction::Add(x) => self.insert(replica, x.clone()),
            SetAction::Remove(x) => self.remove(x),
        }
    }
    fn act_op(&mut self, replica: ReplicaId, _: LocalTime, a: &SetAction<T>) -> Vec<Self::Op> {
        let op = match a {
            SetAction::Add(x) => self.insert_op(replica, x.clone()),
            SetAction::Remove(x) => self.remove_op(x.clone()),
        };
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> SetAction<T> {
        random_set_action(self.iter(), rng)
    }
}

/// A user's action on a map.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapAction<K, V> {
    /// Set the key to the value.
    Insert(K, V),
    /// Remove the key.
    Remove(K),
}

impl<K: Element, V: Element> Replicated for LwwMap<K, V> {
    type Action = MapAction<K, V>;
    const NAME: &'static str = "LWW-Map";
    fn act(&mut self, replica: ReplicaId, now: LocalTime, a: &MapAction<K, V>) -> Self {
        let (k, v) = match a {
            MapAction::Insert(k, v) => (k.clone(), Some(v.clone())),
            MapAction::Remove(k) => (k.clone(), None),
        };
        self.write_at(replica, physical_ns(now), k, v)
    }
    fn act_op(&mut self, replica: ReplicaId, now: LocalTime, a: &MapAction<K, V>) -> Vec<Self::Op> {
        let (k, v) = match a {
            MapAction::Insert(k, v) => (k.clone(), Some(v.clone())),
            MapAction::Remove(k) => (k.clone(), None),
        };
        let op = self.write_op_at(replica, physical_ns(now), k, v);
        self.apply(&op);
        vec![op]
    }
    fn random_action(&self, rng: &mut SimRng) -> MapAction<K, V> {
        let keys: Vec<&K> = self.iter().map(|(k, _)| k).collect();
        match rng.index(keys.len()) {
            Some(i) if rng.chance(0.3) => MapAction::Remove(keys[i].clone()),
            _ => MapAction::Insert(K::random(rng), V::random(rng)),
        }
    }
}

/// A user's edit of a text, at character positions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextAction {
    /// Type `text` at `pos`.
    Insert {
        /// Character position (clamped to the length).
        pos: usize,
        /// What to type.
        text: String,
    },
    /// Delete `len` characters from `pos`.
    Delete {
        /// Character position.
        pos: usize,
        /// How many characters.
        len: usize,
    },
}

impl Replicated for Text {
    type Action = TextAction;
    const NAME: &'static str = "text";
    fn act(&mut self, replica: ReplicaId, _: LocalTime, a: &TextAction) -> TextDelta {
        match a {
            TextAction::Insert { pos, text } => self.insert_str(replica, *pos, text),
            TextAction::Delete { pos, len } => self.delete(*pos, *len),
        }
    }
    fn act_op(&mut self, replica: ReplicaId, _: LocalTime, a: &TextAction) -> Vec<Self::Op> {
        let mut ops = Vec::new();
        match a {
            TextAction::Insert { pos, text } => {
                for (pos, ch) in ((*pos).min(self.len())..).zip(text.chars()) {
                    let op = self.insert_op(replica, pos, ch);
                    self.apply(&op);
                    ops.push(op);
                }
            }
            TextAction::Delete { pos, len } => {
                for _ in 0..*len {
                    // Deleting at `pos` again and again removes the following characters.
                    let Some(op) = self.delete_op(*pos) else {
                        break;
                    };
                    self.apply(&op);
                    ops.push(op);
                }
            }
        }
        ops
    }
    fn random_action(&self, rng: &mut SimRng) -> TextAction {
        let len = self.len();
        if len > 0 && rng.chance(0.3) {
            let pos = rng.below(len as u64) as usize;
            TextAction::Delete {
                pos,
                len: 1 + rng.below(3.min(len - pos) as u64) as usize,
            }
        } else {
            let text: String = (0..1 + rng.below(3))
                .map(|_| char::from(b'a' + rng.below(26) as u8))
                .collect();
            TextAction::Insert {
                pos: rng.below(len as u64 + 1) as usize,
                text,
            }
        }
    }
    fn value_string(&self) -> String {
        self.to_string()
    }
}

impl Replicated for NaiveCounter {
    /// Add this much.
    type Action = i64;
    const NAME: &'static str = "naive counter";
    fn act(&mut self, _: ReplicaId, _: LocalTime, by: &i64) -> NaiveCounter {
        self.add(*by);
        self.clone()
    }
    fn act_op(&mut self, _: ReplicaId, _: LocalTime, by: &i64) -> Vec<i64> {
        self.add(*by);
        vec![self.set_op()]
    }
    fn random_action(&self, rng: &mut SimRng) -> i64 {
        1 + rng.below(3) as i64
    }
}

impl<T: Element + Default> Replicated for NaiveRegister<T> {
    /// Write this value.
    type Action = T;
    const NAME: &'static str = "naive register";
    fn act(&mut self, _: ReplicaId, _: LocalTime, value: &T) -> Self {
        self.set(value.clone());
        self.clone()
    }
    fn act_op(&mut self, _: ReplicaId, _: LocalTime, value: &T) -> Vec<T> {
        self.set(value.clone());
        vec![value.clone()]
    }
    fn random_action(&self, rng: &mut SimRng) -> T {
        T::random(rng)
    }
}
