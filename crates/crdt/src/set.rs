//! Sets: grow-only, two-phase (remove once, forever) and observed-remove (add wins).

use crate::clock::{CausalContext, Dot, ReplicaId};
use crate::traits::{
    CmRdt, CvRdt, DOT_BYTES, DeltaRdt, Internals, Metadata, MetadataKind, MetadataPart, abbreviate,
};
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

fn render<T: fmt::Debug>(items: impl IntoIterator<Item = T>) -> String {
    abbreviate(items.into_iter().map(|x| format!("{x:?}")), 12)
}

/// A grow-only set: elements can be added, never removed. Merge is union, the simplest join.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GSet<T: Ord> {
    elements: BTreeSet<T>,
}

impl<T: Ord> Default for GSet<T> {
    fn default() -> Self {
        GSet {
            elements: BTreeSet::new(),
        }
    }
}

impl<T: Ord + Clone> GSet<T> {
    /// The empty set.
    pub fn new() -> Self {
        GSet::default()
    }
    /// Adds `x`; returns the delta (a set of just `x`).
    pub fn insert(&mut self, x: T) -> GSet<T> {
        self.elements.insert(x.clone());
        GSet {
            elements: BTreeSet::from([x]),
        }
    }
    /// Whether `x` is in the set.
    pub fn contains(&self, x: &T) -> bool {
        self.elements.contains(x)
    }
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.elements.iter()
    }
    /// How many elements.
    pub fn len(&self) -> usize {
        self.elements.len()
    }
    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }
}

impl<T: Ord + Clone> CvRdt for GSet<T> {
    fn merge(&mut self, other: &Self) {
        for x in &other.elements {
            if !self.elements.contains(x) {
                self.elements.insert(x.clone());
            }
        }
    }
}

impl<T: Ord + Clone + fmt::Debug> CmRdt for GSet<T> {
    /// The element to add (adding twice is harmless: this op is idempotent).
    type Op = T;
    fn apply(&mut self, op: &T) {
        if !self.elements.contains(op) {
            self.elements.insert(op.clone());
        }
    }
}

impl<T: Ord + Clone + fmt::Debug> DeltaRdt for GSet<T> {
    type Delta = GSet<T>;
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

impl<T: Ord + Clone + fmt::Debug> Metadata for GSet<T> {
    /// None: a G-Set is its value.
    fn metadata_bytes(&self) -> usize {
        0
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "G-Set",
            value: render(&self.elements),
            parts: Vec::new(),
        }
    }
}

/// A two-phase set: a G-Set of additions and a G-Set of removals (tombstones). An element is
/// in the set if added and never removed; once removed it can never come back (remove wins,
/// for ever), which is the price of needing nothing but two unions to merge.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TwoPSet<T: Ord> {
    added: GSet<T>,
    removed: GSet<T>,
}

impl<T: Ord> Default for TwoPSet<T> {
    fn default() -> Self {
        TwoPSet {
            added: GSet::default(),
            removed: GSet::default(),
        }
    }
}

/// An operation on a 2P-Set.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TwoPOp<T> {
    /// Add the element (no effect if it was ever removed).
    Add(T),
    /// Remove the element for good.
    Remove(T),
}

impl<T: Ord + Clone> TwoPSet<T> {
    /// The empty set.
    pub fn new() -> Self {
        TwoPSet::default()
    }
    /// Adds `x` (a no-op for the value if `x` was ever removed); returns the delta.
    pub fn insert(&mut self, x: T) -> TwoPSet<T> {
        TwoPSet {
            added: self.added.insert(x),
            removed: GSet::new(),
        }
    }
    /// Removes `x` for ever if it is in the set here; returns the delta (empty when `x` is
    /// not). Only an element present at the replica may be removed: Shapiro, Preguiça, Baquero
    /// & Zawirski's 2P-Set makes `lookup(e)` the precondition of `remove(e)` ("A comprehensive
    /// study of Convergent and Commutative Replicated Data Types", INRIA RR-7506, 2011). A
    /// remove before any add would leave a tombstone that silently swallows a later add.
    pub fn remove(&mut self, x: T) -> TwoPSet<T> {
        if !self.contains(&x) {
            return TwoPSet::default();
        }
        TwoPSet {
            added: GSet::new(),
            removed: self.removed.insert(x),
        }
    }
    /// Whether `x` is in the set.
    pub fn contains(&self, x: &T) -> bool {
        self.added.contains(x) && !self.removed.contains(x)
    }
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.added.iter().filter(|x| !self.removed.contains(x))
    }
    /// The tombstones.
    pub fn removed(&self) -> impl Iterator<Item = &T> + '_ {
        self.removed.iter()
    }
}

impl<T: Ord + Clone> CvRdt for TwoPSet<T> {
    fn merge(&mut self, other: &Self) {
        self.added.merge(&other.added);
        self.removed.merge(&other.removed);
    }
}

impl<T: Ord + Clone + fmt::Debug> CmRdt for TwoPSet<T> {
    type Op = TwoPOp<T>;
    fn apply(&mut self, op: &TwoPOp<T>) {
        match op {
            TwoPOp::Add(x) => self.added.apply(x),
            TwoPOp::Remove(x) => self.removed.apply(x),
        }
    }
}

impl<T: Ord + Clone + fmt::Debug> DeltaRdt for TwoPSet<T> {
    type Delta = TwoPSet<T>;
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

impl<T: Ord + Clone + fmt::Debug> Metadata for TwoPSet<T> {
    /// The tombstones, counted as 8 bytes each (an element reference); the lab shows them
    /// growing without bound.
    fn metadata_bytes(&self) -> usize {
        self.removed.len() * 8
    }
    fn internals(&self) -> Internals {
        Internals {
            type_name: "2P-Set",
            value: render(self.iter()),
            parts: vec![MetadataPart::new(
                MetadataKind::Tombstones,
                self.removed.len(),
                8,
                render(self.removed()),
            )],
        }
    }
}

/// An observed-remove set with add-wins semantics, optimised to keep no tombstones (Bieniusa
/// et al., *An optimized conflict-free replicated set*, 2012).
///
/// Every add tags the element with a fresh dot; a remove deletes the dots it has *observed*.
/// A concurrent add carries a dot the remover never saw, so it survives: add wins. The causal
/// context remembers every dot seen, so a removed element is simply absent from the store,
/// and on merge a dot missing on one side is either "removed there" (in its context) or "not
/// yet seen there" (not in its context).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrSet<T: Ord> {
    entries: BTreeMap<T, BTreeSet<Dot>>,
    context: CausalContext,
}

impl<T: Ord> Default for OrSet<T> {
    fn default() -> Self {
        OrSet {
            entries: BTreeMap::new(),
            context: CausalContext::new(),
        }
    }
}

/// An operation on an OR-Set. Both forms name the dots their issuer observed for the element,
/// so under causal delivery they commute with any concurrent operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrSetOp<T> {
    /// Add `element` with a fresh `dot`, replacing the dots `observed` for it.
    Add {
        /// The element.
        element: T,
        /// The add's dot.
        dot: Dot,
        /// The element's dots the adder had seen (superseded by `dot`).
        observed: Vec<Dot>,
    },
    /// Remove `element`: delete the dots `observed` for it.
    Remove {
        /// The element.
        element: T,
        /// The element's dots the remover had seen.
        observed: Vec<Dot>,
    },
}

impl<T: Ord + Clone> OrSet<T> {
    /// The empty set.
    pub fn new() -> Self {
        OrSet::default()
    }
    /// Whether `x` is in the set.
    pub fn contains(&self, x: &T) -> bool {
        self.entries.contains_key(x)
    }
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.entries.keys()
    }
    /// How many elements.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// The elements with their dots.
    pub fn entries(&self) -> impl Iterator<Item = (&T, &BTreeSet<Dot>)> + '_ {
        self.entries.iter()
    }
    /// Every dot seen.
    pub fn context(&self) -> &CausalContext {
        &self.context
    }

    /// Adds `x` at `replica` with a fresh dot (dropping the element's older dots, which the
    /// new one supersedes); returns the delta: the new dot, in a context that also holds the
    /// superseded ones so peers drop them too.
    pub fn insert(&mut self, replica: ReplicaId, x: T) -> OrSet<T> {
        let mut delta = OrSet::new();
        if let Some(old) = self.entries.get(&x) {
            for &d in old {
                delta.context.insert(d);
            }
        }
        let dot = self.context.next_dot(replica);
        self.entries.insert(x.clone(), BTreeSet::from([dot]));
        delta.context.insert(dot);
        delta.entries.insert(x, BTreeSet::from([dot]));
        delta
    }
    /// Removes `x` (every dot observed for it); returns the delta: an empty store whose
    /// context holds those dots.
    pub fn remove(&mut self, x: &T) -> OrSet<T> {
        let mut delta = OrSet::new();
        if let Some(dots) = self.entries.remove(x) {
            for d in dots {
                delta.context.insert(d);
            }
        }
        delta
    }
    /// Prepares the operation "`replica` adds `x`" without applying it.
    pub fn insert_op(&self, replica: ReplicaId, x: T) -> OrSetOp<T> {
        OrSetOp::Add {
            observed: self.observed(&x),
            dot: Dot::new(replica, self.context.vector().get(replica) + 1),
            element: x,
        }
    }
    /// Prepares the operation "remove `x`" without applying it.
    pub fn remove_op(&self, x: T) -> OrSetOp<T> {
        OrSetOp::Remove {
            observed: self.observed(&x),
            element: x,
        }
    }
    fn observed(&self, x: &T) -> Vec<Dot> {
        self.entries
            .get(x)
            .map(|d| d.iter().copied().collect())
            .unwrap_or_default()
    }
    fn drop_dots(&mut self, x: &T, dots: &[Dot]) {
        if let Some(mine) = self.entries.get_mut(x) {
            for d in dots {
                mine.remove(d);
            }
            if mine.is_empty() {
                self.entries.remove(x);
            }
        }
    }
}

impl<T: Ord + Clone> CvRdt for OrSet<T> {
    fn merge(&mut self, other: &Self) {
        // Our dots survive if they still hold them or never saw them.
        let (their_entries, their_context) = (&other.entries, &other.context);
        self.entries.retain(|x, dots| {
            let theirs = their_entries.get(x);
            dots.retain(|d| theirs.is_some_and(|t| t.contains(d)) || !their_context.contains(*d));
            !dots.is_empty()
        });
        // Their dots arrive if we never saw them (if we saw them and lack them, we removed them).
        for (x, dots) in &other.entries {
            for &d in dots {
                if !self.context.contains(d) {
                    self.entries.entry(x.clone()).or_default().insert(d);
                }
            }
        }
        self.context.merge(&other.context);
    }
}

impl<T: Ord + Clone + fmt::Debug> CmRdt for OrSet<T> {
    type Op = OrSetOp<T>;
    fn apply(&mut self, op: &OrSetOp<T>) {
        match op {
            OrSetOp::Add {
                element,
                dot,
                observed,
            } => {
                self.drop_dots(element, observed);
                if !self.context.contains(*dot) {
                    self.context.insert(*dot);
                    self.entries
                        .entry(element.clone())
                        .or_default()
                        .insert(*dot);
                }
            }
            OrSetOp::Remove { element, observed } => self.drop_dots(element, observed),
        }
    }
}

impl<T: Ord + Clone + fmt::Debug> DeltaRdt for OrSet<T> {
    type Delta = OrSet<T>;
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

impl<T: Ord + Clone + fmt::Debug> Metadata for OrSet<T> {
    fn metadata_bytes(&self) -> usize {
        let dots: usize = self.entries.values().map(BTreeSet::len).sum();
        dots * DOT_BYTES + self.context.metadata_bytes()
    }
    fn internals(&self) -> Internals {
        let dots: usize = self.entries.values().map(BTreeSet::len).sum();
        let tagged = self.entries.iter().map(|(x, ds)| {
            let ds: Vec<String> = ds.iter().map(|d| d.to_string()).collect();
            format!("{x:?}@{}", ds.join("|"))
        });
        let mut parts = vec![MetadataPart::new(
            MetadataKind::Dots,
            dots,
            DOT_BYTES,
            abbreviate(tagged, 8),
        )];
        parts.extend(self.context.parts());
        Internals {
            type_name: "OR-Set",
            value: render(self.iter()),
            parts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_phase_set_removes_for_ever() {
        let mut s = TwoPSet::new();
        s.insert('a');
        s.remove('a');
        s.insert('a');
        assert!(!s.contains(&'a'));
    }

    #[test]
    fn two_phase_set_ignores_a_remove_of_what_it_does_not_hold() {
        let mut s = TwoPSet::new();
        assert_eq!(
            s.remove('a'),
            TwoPSet::default(),
            "no tombstone, empty delta"
        );
        s.insert('a');
        assert!(s.contains(&'a'), "a later add is not swallowed");
        assert_eq!(s.removed().count(), 0);
    }

    #[test]
    fn concurrent_add_wins_over_remove() {
        let (a, b) = (ReplicaId(0), ReplicaId(1));
        let mut x = OrSet::new();
        x.insert(a, "milk");
        let mut y = x.clone();
        x.remove(&"milk");
        y.insert(b, "milk");
        let mut xy = x.clone();
        xy.merge(&y);
        let mut yx = y.clone();
        yx.merge(&x);
        assert_eq!(xy, yx);
        assert!(xy.contains(&"milk"));
        // A remove that saw the re-add does remove it.
        xy.remove(&"milk");
        yx.merge(&xy);
        assert!(!yx.contains(&"milk"));
        assert_eq!(yx.metadata_bytes(), yx.context().metadata_bytes());
    }
}
