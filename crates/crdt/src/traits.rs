//! The three ways to replicate a data type, as traits in the style of the `crdts` crate, plus the
//! metadata report every type gives the lab's X-ray panels.

use core::fmt;
use serde::{Deserialize, Serialize};

/// A state-based (convergent) replicated data type: replicas exchange whole states and merge them.
///
/// `merge` must be a *join* in a join-semilattice, which is what makes replicas converge whatever
/// the order, grouping or repetition of merges:
/// - commutative: `a ⊔ b = b ⊔ a`;
/// - associative: `(a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)`;
/// - idempotent: `a ⊔ a = a`;
/// - inflationary: `a ⊑ a ⊔ b`, so a merge never loses an update either side had seen.
///
/// The property tests in `tests/it` check each law by name for every type.
pub trait CvRdt {
    /// Joins `other` into `self`: afterwards `self` has seen every update either side had seen.
    fn merge(&mut self, other: &Self);
}

/// An operation-based (commutative) replicated data type: replicas broadcast operations and
/// apply every operation exactly once.
///
/// Operations that are concurrent must commute. Operations that are causally related are only
/// guaranteed to work in causal order, which [`crate::CausalDelivery`] provides (and which also
/// removes duplicates, since most operations are not idempotent).
pub trait CmRdt {
    /// One operation, prepared at the replica where the user acted and then applied everywhere.
    type Op: Clone + fmt::Debug;
    /// Applies an operation (the local one included).
    fn apply(&mut self, op: &Self::Op);
}

/// A delta-state replicated data type: every mutation also yields a *delta*, a small piece of
/// state that joins into any replica like a full state would, so only what changed is shipped.
///
/// Deltas join into delta groups (`join_deltas`), which lets a replica ship everything a peer
/// has not acknowledged in one message (Almeida, Shoker and Baquero, *Delta state replicated
/// data types*, 2018).
pub trait DeltaRdt: CvRdt {
    /// What one mutation (or a group of them) changed.
    type Delta: Clone + fmt::Debug;
    /// Joins a delta (or delta group) into this replica.
    fn merge_delta(&mut self, delta: &Self::Delta);
    /// Joins `delta` into the group `into`, so one message carries both.
    fn join_deltas(into: &mut Self::Delta, delta: &Self::Delta);
    /// The whole state as a delta, for a peer that missed too much to catch up by deltas.
    fn state_as_delta(&self) -> Self::Delta;
}

/// What a replica keeps besides the value itself, in bytes, and a description of it for the lab.
///
/// Sizes count fixed-width fields: a replica id is 4 bytes, a counter or timestamp 8, so a
/// version-vector entry is 12 bytes and a dot 12 bytes. (On the wire, [`crate::wire_bytes`]
/// measures the actual compact encoding instead.)
pub trait Metadata {
    /// Bytes of bookkeeping: version vectors, dots, causal contexts, timestamps, tombstones.
    fn metadata_bytes(&self) -> usize;
    /// The value and the bookkeeping behind it, for the X-ray panels.
    fn internals(&self) -> Internals;
    /// One line: the value, then each part of the metadata.
    fn describe(&self) -> String {
        self.internals().to_string()
    }
}

/// Bytes of a replica id in metadata accounting.
pub const REPLICA_ID_BYTES: usize = 4;
/// Bytes of a counter, sequence number or timestamp in metadata accounting.
pub const COUNTER_BYTES: usize = 8;
/// Bytes of one version-vector entry or one dot: a replica id and a counter.
pub const DOT_BYTES: usize = REPLICA_ID_BYTES + COUNTER_BYTES;

/// What kind of bookkeeping a [`MetadataPart`] is; the lab colours each kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MetadataKind {
    /// One counter per replica (G-Counter entries, version vectors, causal contexts).
    VersionVector,
    /// Dots `(replica, n)` tagging values (OR-Set elements, MV-Register values).
    Dots,
    /// Timestamps that order writes (LWW registers and maps).
    Timestamps,
    /// Entries kept only to remember a removal (2P-Set removed set, LWW tombstones, deleted
    /// characters of the text).
    Tombstones,
    /// Structure that places elements (the text's origins and ids).
    Identifiers,
    /// Updates received early and held until what they depend on arrives.
    Pending,
}

impl MetadataKind {
    /// The kind's name as the lab shows it.
    pub fn name(self) -> &'static str {
        match self {
            MetadataKind::VersionVector => "version vector",
            MetadataKind::Dots => "dots",
            MetadataKind::Timestamps => "timestamps",
            MetadataKind::Tombstones => "tombstones",
            MetadataKind::Identifiers => "identifiers",
            MetadataKind::Pending => "pending",
        }
    }
}

/// One part of a replica's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataPart {
    /// What it is.
    pub kind: MetadataKind,
    /// How many entries (vector entries, dots, tombstones …).
    pub entries: usize,
    /// How many bytes they take (see [`Metadata`] for the accounting).
    pub bytes: usize,
    /// The entries themselves, abbreviated, e.g. `{r0:3, r2:1}`.
    pub detail: String,
}

impl MetadataPart {
    /// A part of `kind` with `entries` entries of `bytes_each` bytes.
    pub fn new(kind: MetadataKind, entries: usize, bytes_each: usize, detail: String) -> Self {
        MetadataPart {
            kind,
            entries,
            bytes: entries * bytes_each,
            detail,
        }
    }
}

/// A replica's value and metadata, structured for the lab's per-replica panels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Internals {
    /// The type's short name (`G-Counter`, `OR-Set` …).
    pub type_name: &'static str,
    /// The value a user sees, rendered.
    pub value: String,
    /// The bookkeeping, part by part.
    pub parts: Vec<MetadataPart>,
}

impl Internals {
    /// Total metadata bytes over all parts.
    pub fn metadata_bytes(&self) -> usize {
        self.parts.iter().map(|p| p.bytes).sum()
    }
}

impl fmt::Display for Internals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.type_name, self.value)?;
        for p in &self.parts {
            write!(f, "; {} {} ({} B)", p.kind.name(), p.detail, p.bytes)?;
        }
        Ok(())
    }
}

/// Abbreviates a list for a one-line description: at most `max` items, then `…`.
pub(crate) fn abbreviate<I>(items: I, max: usize) -> String
where
    I: IntoIterator,
    I::Item: fmt::Display,
{
    let mut out = String::from("{");
    for (i, item) in items.into_iter().enumerate() {
        if i == max {
            out.push_str(", …");
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&item.to_string());
    }
    out.push('}');
    out
}

/// The size of `value` on the wire in bytes: its compact `postcard` encoding (variable-length
/// integers), which is what the replica nodes charge to the network.
pub fn wire_bytes<T: Serialize + ?Sized>(value: &T) -> usize {
    // Serialising into the size-counting flavour cannot run out of buffer; a type whose
    // `Serialize` fails would be a bug in this crate, and 0 bytes is a harmless answer to it.
    postcard::serialize_with_flavor(value, postcard::ser_flavors::Size::default()).unwrap_or(0)
}
