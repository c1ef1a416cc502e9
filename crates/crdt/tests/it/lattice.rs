//! "Has seen at least as much as": the order that merge must only ever climb, per type.
//!
//! `a.leq(b)` holds when every update `a` has seen, `b` has seen too (and, for removals and
//! overwrites, has not undone them). A merge that lost an update would break `a ≤ a ⊔ b`.

use crdt::{
    CausalContext, CharId, Dot, GCounter, GSet, LwwMap, LwwRegister, MvRegister, OrSet, PnCounter,
    Text, TwoPSet,
};
use std::collections::BTreeMap;

/// The lattice order of a state-based type, spelled out from its parts.
pub trait Lattice {
    /// Whether `other` has seen every update `self` has.
    fn leq(&self, other: &Self) -> bool;
}

fn context_leq(a: &CausalContext, b: &CausalContext) -> bool {
    a.vector()
        .iter()
        .all(|(r, n)| (1..=n).all(|k| b.contains(Dot::new(r, k))))
        && a.cloud().all(|d| b.contains(d))
}

impl Lattice for GCounter {
    fn leq(&self, other: &Self) -> bool {
        self.entries().all(|(r, n)| other.count_of(r) >= n)
    }
}

impl Lattice for PnCounter {
    fn leq(&self, other: &Self) -> bool {
        self.increments().leq(other.increments()) && self.decrements().leq(other.decrements())
    }
}

impl Lattice for LwwRegister<u32> {
    fn leq(&self, other: &Self) -> bool {
        self.value().is_none() || (other.value().is_some() && self.stamp() <= other.stamp())
    }
}

impl Lattice for MvRegister<u32> {
    fn leq(&self, other: &Self) -> bool {
        context_leq(self.context(), other.context())
    }
}

impl Lattice for GSet<u32> {
    fn leq(&self, other: &Self) -> bool {
        self.iter().all(|x| other.contains(x))
    }
}

impl Lattice for TwoPSet<u32> {
    fn leq(&self, other: &Self) -> bool {
        let removed: Vec<&u32> = other.removed().collect();
        self.removed().all(|x| removed.contains(&x))
            && self
                .iter()
                .all(|x| other.contains(x) || removed.contains(&x))
    }
}

impl Lattice for OrSet<u32> {
    fn leq(&self, other: &Self) -> bool {
        context_leq(self.context(), other.context())
    }
}

impl Lattice for LwwMap<u32, u32> {
    fn leq(&self, other: &Self) -> bool {
        let theirs: BTreeMap<&u32, _> = other.stamps().collect();
        self.stamps()
            .all(|(k, s)| theirs.get(k).is_some_and(|t| s <= *t))
    }
}

impl Lattice for Text {
    fn leq(&self, other: &Self) -> bool {
        let theirs: BTreeMap<CharId, bool> = other.characters().map(|(id, _, d)| (id, d)).collect();
        other.version().dominates(&self.version())
            && self
                .characters()
                .all(|(id, _, deleted)| theirs.get(&id).is_some_and(|&d| d || !deleted))
    }
}
