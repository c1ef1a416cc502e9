//! Collaborative text: a sequence CRDT with insert and delete at character positions.
//!
//! Every character gets a unique id `(replica, seq)` and remembers its *origins*: the
//! characters immediately to its left and right when it was typed. A replica that receives
//! the character puts it between its origins; when other characters were inserted there
//! concurrently, the YATA rule (Nicolaescu et al., *Near real-time peer-to-peer shared
//! editing on extensible data types*, 2016), in the variant Seph Gentle's reference CRDTs
//! call YjsMod, decides the order by comparing origins, then replica ids. The order depends
//! only on the characters, not on when they arrived, so all replicas agree. Deleted
//! characters stay as tombstones, because a concurrent insertion may name them as origins.
//!
//! Storage: characters in document order in chunks of at most [`MAX_CHUNK`] with a visible
//! count each, so finding a position skips whole chunks; and per replica a vector from
//! sequence number to chunk, so finding a character by id is one lookup and a scan of one
//! chunk. Dependencies (both origins and the replica's previous character) are always
//! integrated first, so each replica's characters are a contiguous range `1..=n` and the
//! version vector is just those lengths.

use crate::clock::{ReplicaId, VClock};
use crate::traits::{
    CmRdt, CvRdt, DOT_BYTES, DeltaRdt, Internals, Metadata, MetadataKind, MetadataPart, abbreviate,
};
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most characters in one chunk; a fuller chunk splits in two.
pub const MAX_CHUNK: usize = 512;

/// A character's id: the `seq`-th character typed at `replica` (from 1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharId {
    /// Where it was typed.
    pub replica: ReplicaId,
    /// Its number there, from 1.
    pub seq: u32,
}

impl CharId {
    /// Bytes of a character id in metadata accounting (replica id and sequence number).
    pub const BYTES: usize = 8;
    /// Sequence number 0 is never a character: it marks "no origin" inside the store.
    const NONE: CharId = CharId {
        replica: ReplicaId(0),
        seq: 0,
    };
    fn from_option(id: Option<CharId>) -> CharId {
        id.unwrap_or(CharId::NONE)
    }
    fn to_option(self) -> Option<CharId> {
        (self.seq != 0).then_some(self)
    }
}

impl fmt::Debug for CharId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.replica, self.seq)
    }
}
impl fmt::Display for CharId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// One inserted character as it travels: its id, its origins and the character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CharInsert {
    /// The character's id.
    pub id: CharId,
    /// The character to its left when typed (`None`: the start of the text).
    pub left: Option<CharId>,
    /// The character to its right when typed (`None`: the end of the text).
    pub right: Option<CharId>,
    /// The character.
    pub ch: char,
}

/// An operation on the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextOp {
    /// Insert a character between its origins.
    Insert(CharInsert),
    /// Delete the character with this id (it stays as a tombstone).
    Delete(CharId),
}

/// What changed: inserted characters (in an order where dependencies come first) and
/// deleted ids. A delta group is the concatenation of deltas.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextDelta {
    /// New characters.
    pub inserts: Vec<CharInsert>,
    /// Deleted characters.
    pub deletes: Vec<CharId>,
}

impl TextDelta {
    /// Whether the delta changes nothing.
    pub fn is_empty(&self) -> bool {
        self.inserts.is_empty() && self.deletes.is_empty()
    }
}

/// A character in the store (32 bytes): origins use [`CharId::NONE`] instead of `Option` to
/// keep it small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    id: CharId,
    left: CharId,
    right: CharId,
    ch: char,
    deleted: bool,
}

impl Item {
    fn from_insert(c: &CharInsert) -> Item {
        Item {
            id: c.id,
            left: CharId::from_option(c.left),
            right: CharId::from_option(c.right),
            ch: c.ch,
            deleted: false,
        }
    }
    fn to_insert(self) -> CharInsert {
        CharInsert {
            id: self.id,
            left: self.left.to_option(),
            right: self.right.to_option(),
            ch: self.ch,
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Chunk {
    items: Vec<Item>,
    visible: usize,
}

/// A place between characters during integration, comparable across chunks: 0 is before
/// the first character, `u64::MAX` after the last, else `(rank << 32 | offset) + 1`.
type Key = u64;
const START: Key = 0;
const END: Key = u64::MAX;

/// Collaborative plain text (see the module documentation for the algorithm).
#[derive(Clone, Default)]
pub struct Text {
    chunks: Vec<Chunk>,
    /// Chunk ids in document order.
    order: Vec<u32>,
    /// For each chunk id, its position in `order`.
    rank: Vec<u32>,
    /// For each replica, the chunk holding its character `seq` at index `seq - 1`.
    index: BTreeMap<ReplicaId, Vec<u32>>,
    visible: usize,
    tombstones: usize,
    /// Characters received before one of their dependencies (only from deltas).
    pending_inserts: BTreeMap<CharId, CharInsert>,
    /// Deletions received before their character.
    pending_deletes: BTreeSet<CharId>,
}

impl Text {
    /// Empty text.
    pub fn new() -> Self {
        Text::default()
    }

    /// Text holding `s`, as if typed by `replica`.
    pub fn from_str_at(replica: ReplicaId, s: &str) -> Self {
        let mut t = Text::new();
        t.insert_str(replica, 0, s);
        t
    }

    /// How many characters are visible.
    pub fn len(&self) -> usize {
        self.visible
    }
    /// Whether no character is visible.
    pub fn is_empty(&self) -> bool {
        self.visible == 0
    }
    /// Bytes of heap the text holds: chunks of 32-byte characters (with their spare
    /// capacity), the chunk order and the id index.
    pub fn heap_bytes(&self) -> usize {
        use core::mem::size_of;
        let chunks: usize = self
            .chunks
            .iter()
            .map(|c| c.items.capacity() * size_of::<Item>())
            .sum();
        let index: usize = self.index.values().map(|v| v.capacity() * 4 + 48).sum();
        chunks
            + self.chunks.capacity() * size_of::<Chunk>()
            + (self.order.capacity() + self.rank.capacity()) * 4
            + index
            + self.pending_inserts.len() * (size_of::<CharInsert>() + 32)
            + self.pending_deletes.len() * (size_of::<CharId>() + 16)
    }
    /// How many deleted characters are kept as tombstones.
    pub fn tombstones(&self) -> usize {
        self.tombstones
    }
    /// How many characters wait for a dependency (received early via deltas).
    pub fn pending(&self) -> usize {
        self.pending_inserts.len() + self.pending_deletes.len()
    }
    /// For each replica, how many of its characters are integrated here.
    pub fn version(&self) -> VClock {
        let mut v = VClock::new();
        for (&r, seqs) in &self.index {
            v.observe(r, seqs.len() as u64);
        }
        v
    }
    fn seen(&self, id: CharId) -> bool {
        id.seq == 0
            || self
                .index
                .get(&id.replica)
                .is_some_and(|s| id.seq as usize <= s.len())
    }

    fn items(&self) -> impl Iterator<Item = &Item> + '_ {
        self.order
            .iter()
            .flat_map(move |&c| self.chunks[c as usize].items.iter())
    }

    /// The visible characters.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.items().filter(|i| !i.deleted).map(|i| i.ch)
    }

    /// Every character with its id and whether it is deleted, in document order (for the
    /// X-ray view).
    pub fn characters(&self) -> impl Iterator<Item = (CharId, char, bool)> + '_ {
        self.items().map(|i| (i.id, i.ch, i.deleted))
    }

    // ----- local editing ---------------------------------------------------------------

    /// Inserts `ch` at visible position `pos` (clamped to the length) at `replica`; returns
    /// the delta.
    pub fn insert(&mut self, replica: ReplicaId, pos: usize, ch: char) -> TextDelta {
        let c = self.insert_op_char(replica, pos, ch);
        self.integrate(Item::from_insert(&c));
        TextDelta {
            inserts: vec![c],
            deletes: Vec::new(),
        }
    }

    /// Inserts `s` at visible position `pos` at `replica`; returns the delta.
    pub fn insert_str(&mut self, replica: ReplicaId, pos: usize, s: &str) -> TextDelta {
        let mut delta = TextDelta::default();
        for (pos, ch) in (pos.min(self.visible)..).zip(s.chars()) {
            let c = self.insert_op_char(replica, pos, ch);
            self.integrate(Item::from_insert(&c));
            delta.inserts.push(c);
        }
        delta
    }

    /// Deletes `count` visible characters from `pos` (clamped to the text); returns the delta.
    pub fn delete(&mut self, pos: usize, count: usize) -> TextDelta {
        let mut delta = TextDelta::default();
        for _ in 0..count.min(self.visible.saturating_sub(pos)) {
            if let Some(id) = self.delete_op_id(pos) {
                self.delete_id(id);
                delta.deletes.push(id);
            }
        }
        delta
    }

    /// Prepares "insert `ch` at `pos`" at `replica` without applying it.
    pub fn insert_op(&self, replica: ReplicaId, pos: usize, ch: char) -> TextOp {
        TextOp::Insert(self.insert_op_char(replica, pos, ch))
    }

    /// Prepares "delete the character at `pos`"; `None` past the end.
    pub fn delete_op(&self, pos: usize) -> Option<TextOp> {
        self.delete_op_id(pos).map(TextOp::Delete)
    }

    fn insert_op_char(&self, replica: ReplicaId, pos: usize, ch: char) -> CharInsert {
        let seq = self.index.get(&replica).map_or(0, Vec::len) as u32 + 1;
        let id = CharId { replica, seq };
        let pos = pos.min(self.visible);
        // The new character goes right after the visible character before `pos`, before
        // whatever (perhaps a tombstone) follows it.
        let (left, right) = if pos == 0 {
            (None, self.items().next().map(|i| i.id))
        } else {
            let (rank, offset) = self.find_visible(pos - 1);
            let chunk = &self.chunks[self.order[rank] as usize];
            let right = match chunk.items.get(offset + 1) {
                Some(next) => Some(next.id),
                None => self
                    .order
                    .get(rank + 1)
                    .and_then(|&c| self.chunks[c as usize].items.first())
                    .map(|i| i.id),
            };
            (Some(chunk.items[offset].id), right)
        };
        CharInsert {
            id,
            left,
            right,
            ch,
        }
    }

    fn delete_op_id(&self, pos: usize) -> Option<CharId> {
        if pos >= self.visible {
            return None;
        }
        let (rank, offset) = self.find_visible(pos);
        Some(self.chunks[self.order[rank] as usize].items[offset].id)
    }

    /// `(rank, offset)` of the visible character number `pos` (which must exist).
    fn find_visible(&self, mut pos: usize) -> (usize, usize) {
        for (rank, &c) in self.order.iter().enumerate() {
            let chunk = &self.chunks[c as usize];
            if pos < chunk.visible {
                for (offset, item) in chunk.items.iter().enumerate() {
                    if !item.deleted {
                        if pos == 0 {
                            return (rank, offset);
                        }
                        pos -= 1;
                    }
                }
            }
            pos -= chunk.visible;
        }
        unreachable!("find_visible past the end: callers check against the length")
    }

    // ----- integration -----------------------------------------------------------------

    /// Chunk id and offset of an integrated character.
    fn locate(&self, id: CharId) -> Option<(usize, usize)> {
        let slot = (id.seq as usize).checked_sub(1)?;
        let chunk = *self.index.get(&id.replica)?.get(slot)? as usize;
        let offset = self.chunks[chunk].items.iter().position(|i| i.id == id)?;
        Some((chunk, offset))
    }

    fn key(rank: usize, offset: usize) -> Key {
        (((rank as u64) << 32) | offset as u64) + 1
    }

    /// The key of an origin: `none` for "no origin", else where the character is.
    fn origin_key(&self, id: CharId, none: Key) -> Key {
        if id.seq == 0 {
            return none;
        }
        match self.locate(id) {
            Some((c, o)) => Text::key(self.rank[c] as usize, o),
            None => none,
        }
    }

    fn ready(&self, c: &CharInsert) -> bool {
        let previous = CharId {
            replica: c.id.replica,
            seq: c.id.seq.saturating_sub(1),
        };
        self.seen(previous)
            && c.left.is_none_or(|l| self.seen(l))
            && c.right.is_none_or(|r| self.seen(r))
    }

    /// Puts a character whose dependencies are all integrated into its place.
    fn integrate(&mut self, item: Item) {
        debug_assert!(!self.seen(item.id) && self.ready(&item.to_insert()));
        let (left_key, mut cursor) = match self.locate(item.left) {
            Some((c, o)) => {
                let rank = self.rank[c] as usize;
                (Text::key(rank, o), self.advance(rank, o))
            }
            _ => (START, (0, 0)),
        };
        let right_key = self.origin_key(item.right, END);
        let mut dest = cursor;
        let mut scanning = false;
        loop {
            if !scanning {
                dest = cursor;
            }
            let (rank, offset) = cursor;
            if rank >= self.order.len() || Text::key(rank, offset) == right_key {
                break;
            }
            let other = self.chunks[self.order[rank] as usize].items[offset];
            let other_left = self.origin_key(other.left, START);
            if other_left < left_key {
                break;
            }
            if other_left == left_key {
                let other_right = self.origin_key(other.right, END);
                if other_right < right_key {
                    // `other` may belong before us or after us: decided by what follows.
                    scanning = true;
                } else if other_right == right_key {
                    // A true conflict: same origins. The smaller replica id goes first.
                    if item.id.replica < other.id.replica {
                        break;
                    }
                    scanning = false;
                } else {
                    scanning = false;
                }
            }
            cursor = self.advance(rank, offset);
        }
        self.insert_at(dest, item);
    }

    fn advance(&self, rank: usize, offset: usize) -> (usize, usize) {
        if offset + 1 < self.chunks[self.order[rank] as usize].items.len() {
            (rank, offset + 1)
        } else {
            (rank + 1, 0)
        }
    }

    fn insert_at(&mut self, (rank, offset): (usize, usize), item: Item) {
        let (chunk, offset) = if rank < self.order.len() {
            (self.order[rank] as usize, offset)
        } else if let Some(&last) = self.order.last() {
            (last as usize, self.chunks[last as usize].items.len())
        } else {
            self.chunks.push(Chunk::default());
            self.order.push(0);
            self.rank.push(0);
            (0, 0)
        };
        self.index
            .entry(item.id.replica)
            .or_default()
            .push(chunk as u32);
        if item.deleted {
            self.tombstones += 1;
        } else {
            self.visible += 1;
            self.chunks[chunk].visible += 1;
        }
        self.chunks[chunk].items.insert(offset, item);
        if self.chunks[chunk].items.len() > MAX_CHUNK {
            self.split(chunk);
        }
    }

    fn split(&mut self, chunk: usize) {
        let new_id = self.chunks.len() as u32;
        let half = self.chunks[chunk].items.len() / 2;
        let moved: Vec<Item> = self.chunks[chunk].items.split_off(half);
        // The full chunk's buffer doubled to hold one item more than the limit; give the
        // spare half back, or every chunk would keep room for twice what it holds.
        self.chunks[chunk].items.shrink_to_fit();
        let moved_visible = moved.iter().filter(|i| !i.deleted).count();
        self.chunks[chunk].visible -= moved_visible;
        for item in &moved {
            if let Some(slot) = self
                .index
                .get_mut(&item.id.replica)
                .and_then(|v| v.get_mut(item.id.seq as usize - 1))
            {
                *slot = new_id;
            }
        }
        self.chunks.push(Chunk {
            items: moved,
            visible: moved_visible,
        });
        let at = self.rank[chunk] as usize + 1;
        self.order.insert(at, new_id);
        self.rank.push(0);
        for (r, &c) in self.order.iter().enumerate().skip(at) {
            self.rank[c as usize] = r as u32;
        }
    }

    fn delete_id(&mut self, id: CharId) -> bool {
        let Some((chunk, offset)) = self.locate(id) else {
            return false;
        };
        let item = &mut self.chunks[chunk].items[offset];
        if !item.deleted {
            item.deleted = true;
            self.chunks[chunk].visible -= 1;
            self.visible -= 1;
            self.tombstones += 1;
        }
        true
    }

    /// Integrates a received character now if it can be, else holds it until it can.
    fn receive_insert(&mut self, c: &CharInsert) {
        if self.seen(c.id) {
            return;
        }
        if self.ready(c) {
            self.pending_inserts.remove(&c.id);
            self.integrate(Item::from_insert(c));
        } else {
            self.pending_inserts.insert(c.id, *c);
        }
    }

    fn receive_delete(&mut self, id: CharId) {
        if !self.delete_id(id) {
            self.pending_deletes.insert(id);
        }
    }

    /// Integrates held characters and deletions whose dependencies have arrived.
    fn drain_pending(&mut self) {
        if self.pending_inserts.is_empty() && self.pending_deletes.is_empty() {
            return;
        }
        loop {
            let ready: Vec<CharInsert> = self
                .pending_inserts
                .values()
                .filter(|c| self.ready(c))
                .copied()
                .collect();
            if ready.is_empty() {
                break;
            }
            for c in ready {
                // An earlier character of this batch may be a dependency of a later one,
                // so check again and leave the rest for the next pass.
                if self.seen(c.id) {
                    self.pending_inserts.remove(&c.id);
                } else if self.ready(&c) {
                    self.pending_inserts.remove(&c.id);
                    self.integrate(Item::from_insert(&c));
                }
            }
        }
        let deletes: Vec<CharId> = self.pending_deletes.iter().copied().collect();
        for id in deletes {
            if self.delete_id(id) {
                self.pending_deletes.remove(&id);
            }
        }
    }

    /// Integrates a batch of characters in dependency order (each one's origins and its
    /// replica's previous character first), holding those whose dependencies are missing.
    fn receive_inserts(&mut self, inserts: &[CharInsert]) {
        let mut todo: BTreeMap<CharId, CharInsert> = inserts
            .iter()
            .filter(|c| !self.seen(c.id))
            .map(|c| (c.id, *c))
            .collect();
        // Depth-first over dependencies with an explicit stack (texts can be long chains).
        let keys: Vec<CharId> = todo.keys().copied().collect();
        for start in keys {
            let mut stack = vec![start];
            while let Some(&id) = stack.last() {
                let Some(c) = todo.get(&id).copied() else {
                    stack.pop();
                    continue;
                };
                let previous = CharId {
                    replica: id.replica,
                    seq: id.seq - 1,
                };
                let deps = [Some(previous), c.left, c.right];
                if let Some(dep) = deps
                    .into_iter()
                    .flatten()
                    .find(|&d| d.seq != 0 && !self.seen(d) && todo.contains_key(&d))
                {
                    stack.push(dep);
                    continue;
                }
                todo.remove(&id);
                stack.pop();
                self.receive_insert(&c);
            }
        }
    }

    fn apply_delta(&mut self, delta: &TextDelta) {
        self.receive_inserts(&delta.inserts);
        for &id in &delta.deletes {
            self.receive_delete(id);
        }
        self.drain_pending();
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ch in self.chars() {
            fmt::Write::write_char(f, ch)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({:?}", self.to_string())?;
        if self.tombstones > 0 {
            write!(f, ", {} tombstones", self.tombstones)?;
        }
        if self.pending() > 0 {
            write!(f, ", {} pending", self.pending())?;
        }
        f.write_str(")")
    }
}

/// Two texts are equal when they hold the same characters (visible or not) in the same
/// order, with the same deletions and the same pending updates; how chunks are cut is not
/// part of the value.
impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.visible == other.visible
            && self.tombstones == other.tombstones
            && self.pending_inserts == other.pending_inserts
            && self.pending_deletes == other.pending_deletes
            && self
                .items()
                .map(|i| (i.id, i.deleted))
                .eq(other.items().map(|i| (i.id, i.deleted)))
    }
}
impl Eq for Text {}

impl CvRdt for Text {
    fn merge(&mut self, other: &Self) {
        let missing: Vec<CharInsert> = other
            .items()
            .filter(|i| !self.seen(i.id))
            .map(|i| i.to_insert())
            .chain(other.pending_inserts.values().copied())
            .collect();
        self.receive_inserts(&missing);
        let deleted: Vec<CharId> = other
            .items()
            .filter(|i| i.deleted)
            .map(|i| i.id)
            .chain(other.pending_deletes.iter().copied())
            .collect();
        for id in deleted {
            self.receive_delete(id);
        }
        self.drain_pending();
    }
}

impl CmRdt for Text {
    type Op = TextOp;
    /// Under causal delivery every dependency is already here; if one is not (a broken
    /// channel), the character waits rather than being misplaced.
    fn apply(&mut self, op: &TextOp) {
        match op {
            TextOp::Insert(c) => self.receive_insert(c),
            TextOp::Delete(id) => self.receive_delete(*id),
        }
        self.drain_pending();
    }
}

impl DeltaRdt for Text {
    type Delta = TextDelta;
    fn merge_delta(&mut self, delta: &TextDelta) {
        self.apply_delta(delta);
    }
    fn join_deltas(into: &mut TextDelta, delta: &TextDelta) {
        let known: BTreeSet<CharId> = into.inserts.iter().map(|c| c.id).collect();
        into.inserts
            .extend(delta.inserts.iter().filter(|c| !known.contains(&c.id)));
        let deleted: BTreeSet<CharId> = into.deletes.iter().copied().collect();
        into.deletes
            .extend(delta.deletes.iter().filter(|d| !deleted.contains(d)));
    }
    fn state_as_delta(&self) -> TextDelta {
        TextDelta {
            inserts: self
                .items()
                .map(|i| i.to_insert())
                .chain(self.pending_inserts.values().copied())
                .collect(),
            deletes: self
                .items()
                .filter(|i| i.deleted)
                .map(|i| i.id)
                .chain(self.pending_deletes.iter().copied())
                .collect(),
        }
    }
}

impl Metadata for Text {
    /// Per character (visible or not) its id and two origins (24 bytes); per tombstone the
    /// character it keeps alive (4 bytes); the version vector; pending updates.
    fn metadata_bytes(&self) -> usize {
        let characters = self.visible + self.tombstones;
        characters * 3 * CharId::BYTES
            + self.tombstones * 4
            + self.index.len() * DOT_BYTES
            + self.pending_inserts.len() * (3 * CharId::BYTES + 4)
            + self.pending_deletes.len() * CharId::BYTES
    }
    fn internals(&self) -> Internals {
        let characters = self.visible + self.tombstones;
        let ids = self.items().map(|i| format!("{:?}={}", i.ch, i.id));
        let dead = self
            .items()
            .filter(|i| i.deleted)
            .map(|i| format!("{:?}={}", i.ch, i.id));
        let mut parts = vec![
            MetadataPart::new(
                MetadataKind::Identifiers,
                characters,
                3 * CharId::BYTES,
                abbreviate(ids, 6),
            ),
            MetadataPart::new(
                MetadataKind::Tombstones,
                self.tombstones,
                4,
                abbreviate(dead, 6),
            ),
            MetadataPart::new(
                MetadataKind::VersionVector,
                self.index.len(),
                DOT_BYTES,
                self.version().to_string(),
            ),
        ];
        if self.pending() > 0 {
            parts.push(MetadataPart::new(
                MetadataKind::Pending,
                self.pending(),
                3 * CharId::BYTES + 4,
                abbreviate(
                    self.pending_inserts
                        .keys()
                        .chain(self.pending_deletes.iter()),
                    6,
                ),
            ));
        }
        let mut value: String = self.chars().take(60).collect();
        if self.visible > 60 {
            value.push('…');
        }
        Internals {
            type_name: "text",
            value: format!("{value:?}"),
            parts,
        }
    }
}

/// The text as it is serialised: every character in document order with its deletion flag,
/// then what is pending. Chunking is rebuilt on load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextState {
    /// Characters in document order, with whether each is deleted.
    pub characters: Vec<(CharInsert, bool)>,
    /// Characters held for missing dependencies.
    pub pending_inserts: Vec<CharInsert>,
    /// Deletions held for missing characters.
    pub pending_deletes: Vec<CharId>,
}

impl From<&Text> for TextState {
    fn from(t: &Text) -> Self {
        TextState {
            characters: t.items().map(|i| (i.to_insert(), i.deleted)).collect(),
            pending_inserts: t.pending_inserts.values().copied().collect(),
            pending_deletes: t.pending_deletes.iter().copied().collect(),
        }
    }
}

impl TryFrom<TextState> for Text {
    type Error = String;
    /// Rebuilds a text, checking that ids are unique and each replica's are `1..=n`.
    fn try_from(s: TextState) -> Result<Self, String> {
        let mut t = Text::new();
        let mut seqs: BTreeMap<ReplicaId, BTreeSet<u32>> = BTreeMap::new();
        for (c, _) in &s.characters {
            if c.id.seq == 0 || !seqs.entry(c.id.replica).or_default().insert(c.id.seq) {
                return Err(format!("character id {} is zero or repeated", c.id));
            }
        }
        for (r, s) in &seqs {
            if s.last().copied() != Some(s.len() as u32) {
                return Err(format!(
                    "replica {r}'s characters are not numbered 1..={}",
                    s.len()
                ));
            }
        }
        // Half-full chunks leave room to type without splitting at once.
        for group in s.characters.chunks(MAX_CHUNK / 2) {
            let mut chunk = Chunk::default();
            for (c, deleted) in group {
                let mut item = Item::from_insert(c);
                item.deleted = *deleted;
                if *deleted {
                    t.tombstones += 1;
                } else {
                    chunk.visible += 1;
                }
                chunk.items.push(item);
            }
            t.visible += chunk.visible;
            let id = t.chunks.len() as u32;
            t.chunks.push(chunk);
            t.order.push(id);
            t.rank.push(id);
        }
        t.reindex();
        for c in s.pending_inserts {
            t.pending_inserts.insert(c.id, c);
        }
        t.pending_deletes.extend(s.pending_deletes);
        Ok(t)
    }
}

impl Text {
    /// Rebuilds the id → chunk index from the chunks.
    fn reindex(&mut self) {
        let mut index: BTreeMap<ReplicaId, Vec<u32>> = BTreeMap::new();
        for (c, chunk) in self.chunks.iter().enumerate() {
            for item in &chunk.items {
                let v = index.entry(item.id.replica).or_default();
                let i = item.id.seq as usize - 1;
                if v.len() <= i {
                    v.resize(i + 1, 0);
                }
                v[i] = c as u32;
            }
        }
        self.index = index;
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TextState::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let state = TextState::deserialize(deserializer)?;
        Text::try_from(state).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::SimRng;

    const A: ReplicaId = ReplicaId(0);
    const B: ReplicaId = ReplicaId(1);

    #[test]
    fn local_edits_behave_like_a_string() {
        let mut t = Text::new();
        t.insert_str(A, 0, "hello world");
        t.delete(5, 6);
        t.insert_str(A, 5, ", you");
        t.insert(A, 0, '>');
        assert_eq!(t.to_string(), ">hello, you");
        assert_eq!(t.len(), 11);
        assert_eq!(t.tombstones(), 6);
    }

    #[test]
    fn random_edits_match_a_vec_of_chars_across_chunk_splits() {
        let mut rng = SimRng::new(7);
        let mut t = Text::new();
        let mut model: Vec<char> = Vec::new();
        for step in 0..6000 {
            let len = model.len() as u64;
            if len > 0 && rng.chance(0.3) {
                let pos = rng.below(len) as usize;
                t.delete(pos, 1);
                model.remove(pos);
            } else {
                let pos = rng.below(len + 1) as usize;
                let ch = char::from(b'a' + rng.below(26) as u8);
                t.insert(A, pos, ch);
                model.insert(pos, ch);
            }
            if step % 997 == 0 {
                assert_eq!(
                    t.to_string(),
                    model.iter().collect::<String>(),
                    "step {step}"
                );
            }
        }
        assert_eq!(t.to_string(), model.iter().collect::<String>());
        assert!(t.chunks.len() > 4, "the test should split chunks");
    }

    #[test]
    fn concurrent_typing_at_one_place_does_not_interleave() {
        let base = Text::from_str_at(A, "[]");
        let mut x = base.clone();
        let mut y = base.clone();
        x.insert_str(A, 1, "abc");
        y.insert_str(B, 1, "xyz");
        let mut xy = x.clone();
        xy.merge(&y);
        let mut yx = y.clone();
        yx.merge(&x);
        assert_eq!(xy, yx);
        assert_eq!(xy.to_string(), "[abcxyz]");
    }

    #[test]
    fn serialisation_round_trips_and_rejects_gaps() {
        let mut t = Text::new();
        for i in 0..(MAX_CHUNK * 3) {
            t.insert(if i % 3 == 0 { A } else { B }, i / 2, 'q');
        }
        t.delete(10, 100);
        let state = TextState::from(&t);
        let back = Text::try_from(state.clone()).expect("a text's own state loads");
        assert_eq!(back, t);
        let mut u = back.clone();
        u.insert_str(A, 5, "more");
        t.insert_str(A, 5, "more");
        assert_eq!(u.to_string(), t.to_string());
        let mut broken = state;
        broken.characters.remove(0);
        assert!(Text::try_from(broken).is_err());
    }

    #[test]
    fn early_deltas_wait_for_their_origins() {
        let mut x = Text::new();
        let d1 = x.insert_str(A, 0, "ab");
        let d2 = x.insert(A, 1, '-');
        let d3 = x.delete(0, 1);
        let mut y = Text::new();
        y.merge_delta(&d3);
        y.merge_delta(&d2);
        assert_eq!(y.pending(), 2);
        y.merge_delta(&d1);
        assert_eq!(y.pending(), 0);
        assert_eq!(y, x);
        assert_eq!(y.to_string(), "-b");
    }
}
