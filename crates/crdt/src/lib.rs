//! # `crdt` — conflict-free replicated data types for Continuum's CRDT lab
//!
//! Replicated values that any number of replicas update without coordination and that still
//! end equal once every replica has heard of every update, whatever the network did in between.
//!
//! Three ways to replicate, one trait each, in the style of the `crdts` crate:
//! - [`CvRdt`] (state-based): ship whole states, `merge` them; merge is a join, so commutative,
//!   associative, idempotent and inflationary.
//! - [`CmRdt`] (op-based): ship operations, `apply` each exactly once in causal order
//!   ([`CausalDelivery`]); concurrent operations commute.
//! - [`DeltaRdt`] (delta-state): mutations return small deltas that join like states.
//!
//! Every type reports its bookkeeping through [`Metadata`], for the lab's X-ray panels, and
//! [`Replicated`] puts a type and its three forms behind one interface: a user's action
//! becomes a delta or a list of operations.
//!
//! [`ReplicaNode`] runs a replica on a `sim` node, synchronising by [`SyncMode`]: full-state
//! anti-entropy, op-based causal broadcast with repair, or delta-state with acknowledgements.
//!
//! | type | semantics under concurrency |
//! |---|---|
//! | [`GCounter`], [`PnCounter`] | every increment counts |
//! | [`LwwRegister`], [`LwwMap`] | the largest timestamp wins (ties: larger replica id) |
//! | [`MvRegister`] | concurrent writes are all kept |
//! | [`GSet`], [`TwoPSet`] | grow only; remove once, for ever |
//! | [`OrSet`] | add wins over a concurrent remove |
//! | [`Text`] | concurrent insertions at one place are ordered by origins, then replica id |
//! | [`NaiveCounter`], [`NaiveRegister`] | *not* CRDTs: the last message received wins |
//!
//! Invariants: no hash-map iteration (only `BTreeMap`/`Vec`), no randomness, no clocks: a
//! replica's state depends only on the updates it has seen.

mod causal;
mod clock;
mod counter;
mod map;
mod naive;
mod register;
mod replica;
mod replicated;
mod set;
mod text;
mod traits;

pub use causal::{CausalDelivery, CausalMsg, Receipt};
pub use clock::{CausalContext, Dot, REPLICA_NODE_BITS, ReplicaId, VClock};
pub use counter::{GCounter, Increment, PnCounter, PnOp};
pub use map::{LwwMap, LwwMapWrite};
pub use naive::{NaiveCounter, NaiveRegister};
pub use register::{LwwRegister, LwwWrite, MvRegister, MvWrite, Stamp};
pub use replica::{
    HEADER_BYTES, ReplicaMsg, ReplicaNode, ReplicaStats, SyncMode, SyncRound, distinct_states,
};
pub use replicated::{Element, MapAction, Replicated, SetAction, TextAction};
pub use set::{GSet, OrSet, OrSetOp, TwoPOp, TwoPSet};
pub use text::{CharId, CharInsert, MAX_CHUNK, Text, TextDelta, TextOp, TextState};
pub use traits::{
    COUNTER_BYTES, CmRdt, CvRdt, DOT_BYTES, DeltaRdt, Internals, Metadata, MetadataKind,
    MetadataPart, REPLICA_ID_BYTES, wire_bytes,
};
