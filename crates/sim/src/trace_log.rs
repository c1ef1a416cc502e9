//! A trace log in bounded memory: the events a space-time diagram and a trace export need
//! (send, deliver, drop with its reason, duplicate, timer, input, crash, restart, partitions,
//! notes), each with its node, time, message id, kind and size, and its Lamport clock.
//!
//! **Memory.** The log keeps the most recent events in chunks of [`CHUNK_EVENTS`]; when the
//! chunks take more than the byte cap given to [`TraceLog::new`], the oldest chunk is dropped
//! and counted in [`TraceLog::evicted`]. So however long the run, the log takes at most its cap
//! (or one chunk, if the cap is smaller than a chunk) plus two counters per node. Chunks are
//! shared (`Arc`) between copies of the log, so copying a run for time travel copies only the
//! chunk being filled.
//!
//! **Clocks.** Lamport clocks are computed as events arrive (a delivery whose send was evicted
//! takes the largest evicted Lamport time as its send's, which keeps the clock condition).
//! Vector clocks are computed on demand over the kept window ([`TraceLog::vector_clock`],
//! [`TraceLog::shiviz`]): each node's entry counts its events in the window that happen before
//! (or are) the event. When nothing was evicted that is the usual vector clock of the run; after
//! evictions it is the vector clock of the kept suffix, which is what a log of that suffix must
//! carry to be consistent (ShiViz checks that each host's clock starts at 1 and grows by 1).
//!
//! Happens-before is Lamport's: program order on each node (a restarted node is the same
//! process, so its events stay in one order), and each send before its delivery. Drops and
//! duplicates are network events: they follow their send and precede nothing.

use crate::fault::{Fault, RestartMode};
use crate::id::{MessageId, NodeId, TimerId};
use crate::time::SimTime;
use crate::trace::{DropReason, Observer, TraceEvent, TraceKind};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::mem::size_of;
use std::sync::Arc;

/// Events per chunk: the unit of eviction and of copying.
pub const CHUNK_EVENTS: usize = 512;

/// The byte cap a lab run gives its log: 2 MiB, about 20,000 events, ten times the most a
/// diagram draws around the cursor, and a bounded share of the time-travel copies' 96 MiB.
pub const DEFAULT_TRACE_LOG_BYTES: usize = 2 << 20;

/// Most nodes for which vector clocks are computed (each costs `nodes` counters per event on
/// the way); ShiViz draws one column per host, so bigger runs are exported without them.
pub const MAX_CLOCK_NODES: u32 = 256;

/// ShiViz's default log parsing regular expression, from `js/shiviz.js`
/// (`var defaultParser = "(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})";`) and the upload help in
/// `index.html` of DistributedClocks/shiviz: one line describing the event, then a line with the
/// host, a space and its vector clock as a JSON object `{"host": counter, ...}`.
pub const SHIVIZ_DEFAULT_REGEX: &str = r"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})";

/// What happened, as kept by the log.
#[derive(Clone, Debug, PartialEq)]
pub enum Happening {
    /// The node started.
    Start,
    /// The node sent a message.
    Send {
        /// The message copy's id.
        id: MessageId,
        /// Receiver.
        to: NodeId,
        /// Wire size.
        size_bytes: u32,
        /// The message's kind ([`crate::Message::kind`]).
        kind: &'static str,
    },
    /// The node received a message.
    Deliver {
        /// The message copy's id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// When it was sent.
        sent_at: SimTime,
        /// Wire size.
        size_bytes: u32,
        /// The message's kind.
        kind: &'static str,
        /// The trace number of its send, if the send is still in the log.
        send_seq: Option<u64>,
    },
    /// The network dropped a message (kept on the receiver's lane; `at_send` if it never left
    /// the sender).
    Drop {
        /// The message copy's id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Wire size.
        size_bytes: u32,
        /// The message's kind.
        kind: &'static str,
        /// Why.
        reason: DropReason,
        /// Whether it was dropped as it was sent (loss, a partition at send, no such node)
        /// rather than on arrival.
        at_send: bool,
        /// The trace number of its send, if still in the log.
        send_seq: Option<u64>,
    },
    /// The network made an extra copy `id` of message `original` (kept on the sender's lane).
    Duplicate {
        /// The copy's id.
        id: MessageId,
        /// The original's id.
        original: MessageId,
        /// Receiver.
        to: NodeId,
        /// The trace number of the original's send, if still in the log.
        send_seq: Option<u64>,
    },
    /// A timer of the node fired.
    Timer {
        /// The timer.
        id: TimerId,
    },
    /// An input from outside reached the node (`accepted` false if it was down).
    Input {
        /// Whether the node was up to handle it.
        accepted: bool,
        /// The input's kind.
        kind: &'static str,
    },
    /// The node crashed.
    Crash,
    /// The node restarted.
    Restart {
        /// Whether its state was kept.
        mode: RestartMode,
    },
    /// A partition changed (split, isolate, cut, heal …) or a clock was stepped: a fault that is
    /// not a crash or restart (those are [`Happening::Crash`] and [`Happening::Restart`]).
    Fault(Fault),
    /// The node noted a change of its state.
    Note(Box<str>),
}

impl Happening {
    /// A stable lowercase word for the event's type (`send`, `deliver`, `drop`, …).
    pub fn word(&self) -> &'static str {
        match self {
            Happening::Start => "start",
            Happening::Send { .. } => "send",
            Happening::Deliver { .. } => "deliver",
            Happening::Drop { .. } => "drop",
            Happening::Duplicate { .. } => "duplicate",
            Happening::Timer { .. } => "timer",
            Happening::Input { .. } => "input",
            Happening::Crash => "crash",
            Happening::Restart { .. } => "restart",
            Happening::Fault(_) => "fault",
            Happening::Note(_) => "note",
        }
    }

    /// Whether this is an event of the node's own history (it counts in vector clocks); drops,
    /// duplicates and faults are events of the network.
    pub fn is_local(&self) -> bool {
        !matches!(
            self,
            Happening::Drop { .. } | Happening::Duplicate { .. } | Happening::Fault(_)
        )
    }

    /// Bytes this event holds outside its entry.
    fn heap_bytes(&self) -> usize {
        match self {
            Happening::Note(text) => text.len(),
            Happening::Fault(Fault::Split(groups)) => {
                groups.capacity() * size_of::<Vec<NodeId>>()
                    + groups
                        .iter()
                        .map(|g| g.capacity() * size_of::<NodeId>())
                        .sum::<usize>()
            }
            _ => 0,
        }
    }
}

/// One kept event.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Its number in the trace ([`TraceEvent::seq`]).
    pub seq: u64,
    /// When it happened.
    pub time: SimTime,
    /// The node whose lane it is on (for a fault: the node it names, or n0).
    pub node: NodeId,
    /// Its Lamport time.
    pub lamport: u64,
    /// What happened.
    pub happening: Happening,
}

/// A run of consecutive entries, shared between copies of the log once full.
#[derive(Debug, Default)]
struct Chunk {
    entries: Vec<LogEntry>,
    /// `(message id, index in entries)` of every send and duplicate, ascending by id.
    sends: Vec<(MessageId, u32)>,
    heap_extra: usize,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            entries: Vec::with_capacity(CHUNK_EVENTS),
            sends: Vec::new(),
            heap_extra: 0,
        }
    }
    /// Its size, counted from lengths and the fixed entry capacity (not from the vectors'
    /// capacities, which a copy does not keep), so that a log and its copies account alike and
    /// evict at the same events: a restored copy then reproduces the original log exactly.
    fn bytes(&self) -> usize {
        size_of::<Chunk>()
            + CHUNK_EVENTS * size_of::<LogEntry>()
            + self.sends.len() * size_of::<(MessageId, u32)>()
            + self.heap_extra
    }
}

impl Clone for Chunk {
    /// A copy with room for a whole chunk (copied only when a shared chunk is written to).
    fn clone(&self) -> Chunk {
        let mut entries = Vec::with_capacity(CHUNK_EVENTS);
        entries.extend_from_slice(&self.entries);
        Chunk {
            entries,
            sends: self.sends.clone(),
            heap_extra: self.heap_extra,
        }
    }
}

/// The trace of a run in bounded memory; an [`Observer`]. See the module documentation.
#[derive(Clone, Debug)]
pub struct TraceLog {
    byte_cap: usize,
    node_count: u32,
    chunks: VecDeque<Arc<Chunk>>,
    chunk_bytes: usize,
    lamport: Vec<u64>,
    max_lamport: u64,
    evicted: u64,
    evicted_max_lamport: u64,
    skipped: u64,
}

impl TraceLog {
    /// An empty log for a run of `node_count` nodes, keeping at most `byte_cap` bytes of events
    /// (at least one chunk).
    pub fn new(node_count: u32, byte_cap: usize) -> TraceLog {
        TraceLog {
            byte_cap,
            node_count,
            chunks: VecDeque::new(),
            chunk_bytes: 0,
            lamport: vec![0; node_count as usize],
            max_lamport: 0,
            evicted: 0,
            evicted_max_lamport: 0,
            skipped: 0,
        }
    }

    /// The byte cap it was made with.
    pub fn byte_cap(&self) -> usize {
        self.byte_cap
    }
    /// How many nodes the run has.
    pub fn node_count(&self) -> u32 {
        self.node_count
    }
    /// Events dropped from the front to stay within the cap.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }
    /// Trace events not kept because they are not drawn or exported (metrics).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }
    /// How many events are kept.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.entries.len()).sum()
    }
    /// Whether no event is kept.
    pub fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.entries.is_empty())
    }
    /// Bytes the log holds: its chunks (whether or not shared with copies) and its own state.
    /// At most the byte cap, unless one chunk alone is more.
    pub fn heap_bytes(&self) -> usize {
        self.chunk_bytes + self.own_bytes()
    }
    /// Bytes a copy of the log does not share with the original: its own state and the chunk
    /// being filled (full chunks are shared).
    pub fn unshared_bytes(&self) -> usize {
        self.own_bytes()
            + self
                .chunks
                .back()
                .filter(|c| c.entries.len() < CHUNK_EVENTS)
                .map_or(0, |c| c.bytes())
    }
    /// The log's state besides its chunks: per-node Lamport clocks and the chunk list.
    fn own_bytes(&self) -> usize {
        size_of::<TraceLog>()
            + self.lamport.len() * size_of::<u64>()
            + self.chunks.len() * size_of::<Arc<Chunk>>()
    }
    /// Whether vector clocks are computed for this run (at most [`MAX_CLOCK_NODES`] nodes).
    pub fn has_vector_clocks(&self) -> bool {
        self.node_count <= MAX_CLOCK_NODES
    }

    /// The kept events, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &LogEntry> + '_ {
        self.chunks.iter().flat_map(|c| c.entries.iter())
    }

    /// The kept event with trace number `seq`.
    pub fn get(&self, seq: u64) -> Option<&LogEntry> {
        let c = self
            .chunks
            .partition_point(|c| c.entries.first().is_some_and(|e| e.seq <= seq));
        let chunk = self.chunks.get(c.checked_sub(1)?)?;
        let i = chunk.entries.partition_point(|e| e.seq < seq);
        chunk.entries.get(i).filter(|e| e.seq == seq)
    }

    /// The kept events with trace numbers in `from..=to`, oldest first.
    pub fn between(&self, from: u64, to: u64) -> impl DoubleEndedIterator<Item = &LogEntry> + '_ {
        let (c0, i0) = self.position(from);
        let (c1, i1) = self.position(to.saturating_add(1));
        let end = (c1 + 1).min(self.chunks.len()).max(c0);
        self.chunks
            .range(c0..end)
            .enumerate()
            .flat_map(move |(k, chunk)| {
                let c = c0 + k;
                let start = if c == c0 { i0 } else { 0 };
                let stop = if c == c1 { i1 } else { chunk.entries.len() };
                chunk.entries[start..stop.max(start)].iter()
            })
    }

    /// Where the first kept event numbered `seq` or later is: `(chunk, index in chunk)`.
    fn position(&self, seq: u64) -> (usize, usize) {
        let c = self
            .chunks
            .partition_point(|ch| ch.entries.last().is_some_and(|e| e.seq < seq));
        match self.chunks.get(c) {
            Some(ch) => (c, ch.entries.partition_point(|e| e.seq < seq)),
            None => (c, 0),
        }
    }

    /// The send (or duplicate) entry of message copy `id`, if kept.
    fn find_send(&self, id: MessageId) -> Option<&LogEntry> {
        for chunk in self.chunks.iter().rev() {
            match chunk.sends.first() {
                Some(&(first, _)) if first <= id => {
                    let i = chunk.sends.partition_point(|&(m, _)| m < id);
                    return chunk
                        .sends
                        .get(i)
                        .filter(|&&(m, _)| m == id)
                        .map(|&(_, at)| &chunk.entries[at as usize]);
                }
                _ => {}
            }
        }
        None
    }

    /// The send a message copy traces back to: `(its trace number, its Lamport time)`, or the
    /// evicted stand-in.
    fn cause_of(&self, id: MessageId) -> (Option<u64>, u64) {
        match self.find_send(id) {
            Some(e) => match e.happening {
                Happening::Duplicate { send_seq, .. } => (send_seq, e.lamport),
                _ => (Some(e.seq), e.lamport),
            },
            None => (None, self.evicted_max_lamport),
        }
    }

    fn tick(&mut self, node: NodeId, at_least: u64) -> u64 {
        let i = node.index();
        if self.lamport.len() <= i {
            self.lamport.resize(i + 1, 0);
        }
        let l = self.lamport[i].max(at_least) + 1;
        self.lamport[i] = l;
        self.max_lamport = self.max_lamport.max(l);
        l
    }

    fn push(&mut self, entry: LogEntry) {
        let open = match self.chunks.back() {
            Some(c) if c.entries.len() < CHUNK_EVENTS => self.chunks.len() - 1,
            _ => {
                let fresh = Chunk::new();
                self.chunk_bytes += fresh.bytes();
                self.chunks.push_back(Arc::new(fresh));
                self.chunks.len() - 1
            }
        };
        let chunk = Arc::make_mut(&mut self.chunks[open]);
        let before = chunk.bytes();
        if let Happening::Send { id, .. } | Happening::Duplicate { id, .. } = entry.happening {
            chunk.sends.push((id, chunk.entries.len() as u32));
        }
        chunk.heap_extra += entry.happening.heap_bytes();
        chunk.entries.push(entry);
        self.chunk_bytes = self.chunk_bytes + chunk.bytes() - before;
        while self.heap_bytes() > self.byte_cap && self.chunks.len() > 1 {
            if let Some(old) = self.chunks.pop_front() {
                self.chunk_bytes -= old.bytes();
                self.evicted += old.entries.len() as u64;
                let max = old.entries.iter().map(|e| e.lamport).max().unwrap_or(0);
                self.evicted_max_lamport = self.evicted_max_lamport.max(max);
            }
        }
    }

    // ----- causality over the kept window -------------------------------------------------

    /// The kept events that happen before event `seq` (and `seq` itself), among those numbered
    /// `from` or later, ascending. Empty if `seq` is not kept.
    pub fn causal_past(&self, seq: u64, from: u64) -> Vec<u64> {
        let Some(target) = self.get(seq) else {
            return Vec::new();
        };
        let mut nodes = BTreeSet::new();
        let mut sends = BTreeSet::new();
        let mut past = Vec::new();
        if target.happening.is_local() {
            nodes.insert(target.node);
        }
        past.push(seq);
        note_send(&target.happening, &mut sends);
        for e in self.between(from, seq).rev().skip(1) {
            let caused =
                (e.happening.is_local() && nodes.contains(&e.node)) || sends.remove(&e.seq);
            if caused {
                past.push(e.seq);
                if e.happening.is_local() {
                    nodes.insert(e.node);
                }
                note_send(&e.happening, &mut sends);
            }
        }
        past.reverse();
        past
    }

    /// The kept events that event `seq` happens before (and `seq` itself), among those numbered
    /// `to` or earlier, ascending. Drops and duplicates of a message in the future are included.
    pub fn causal_future(&self, seq: u64, to: u64) -> Vec<u64> {
        let Some(target) = self.get(seq) else {
            return Vec::new();
        };
        let mut nodes = BTreeSet::new();
        let mut sends = BTreeSet::new();
        if target.happening.is_local() {
            nodes.insert(target.node);
        }
        if matches!(target.happening, Happening::Send { .. }) {
            sends.insert(seq);
        }
        let mut future = vec![seq];
        for e in self.between(seq, to).skip(1) {
            let from_send = match e.happening {
                Happening::Deliver { send_seq, .. }
                | Happening::Drop { send_seq, .. }
                | Happening::Duplicate { send_seq, .. } => {
                    send_seq.is_some_and(|s| sends.contains(&s))
                }
                _ => false,
            };
            let local = e.happening.is_local();
            if (local && nodes.contains(&e.node)) || from_send {
                future.push(e.seq);
                if local {
                    nodes.insert(e.node);
                }
                if matches!(e.happening, Happening::Send { .. }) {
                    sends.insert(e.seq);
                }
            }
        }
        future
    }

    /// The vector clock of kept event `seq` over the window: per node, how many of its kept
    /// events happen before or are `seq` (nodes with none left out). For a network event
    /// (drop, duplicate), the clock of its send; `None` for a fault or an unknown `seq`, or
    /// when the run has more than [`MAX_CLOCK_NODES`] nodes.
    pub fn vector_clock(&self, seq: u64) -> Option<Vec<(NodeId, u64)>> {
        if !self.has_vector_clocks() {
            return None;
        }
        let target = self.get(seq)?;
        let of = match target.happening {
            Happening::Fault(_) => return None,
            Happening::Drop { send_seq, .. } | Happening::Duplicate { send_seq, .. } => send_seq?,
            _ => seq,
        };
        let first = self.entries().next().map_or(0, |e| e.seq);
        let mut counts: BTreeMap<NodeId, u64> = BTreeMap::new();
        for s in self.causal_past(of, first) {
            if let Some(e) = self.get(s)
                && e.happening.is_local()
            {
                *counts.entry(e.node).or_default() += 1;
            }
        }
        Some(counts.into_iter().collect())
    }

    // ----- exports ------------------------------------------------------------------------

    /// Walks the kept events in order with each local event's window vector clock (indexed by
    /// node; `None` for network events and faults).
    fn walk_with_clocks(&self, mut visit: impl FnMut(&LogEntry, Option<&[u64]>)) {
        let n = self.node_count as usize;
        // How many deliveries each kept send still has coming, so its clock is kept only as
        // long as needed.
        let mut awaited: BTreeMap<u64, u32> = BTreeMap::new();
        for e in self.entries() {
            if let Happening::Deliver {
                send_seq: Some(s), ..
            } = e.happening
            {
                *awaited.entry(s).or_default() += 1;
            }
        }
        let mut clocks = vec![vec![0u64; n]; n];
        let mut at_send: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
        for e in self.entries() {
            if !e.happening.is_local() || e.node.index() >= n {
                visit(e, None);
                continue;
            }
            let i = e.node.index();
            if let Happening::Deliver {
                send_seq: Some(s), ..
            } = e.happening
                && let Some(left) = awaited.get_mut(&s)
            {
                *left -= 1;
                let sent = if *left == 0 {
                    awaited.remove(&s);
                    at_send.remove(&s)
                } else {
                    at_send.get(&s).cloned()
                };
                if let Some(sent) = sent {
                    for (mine, theirs) in clocks[i].iter_mut().zip(&sent) {
                        *mine = (*mine).max(*theirs);
                    }
                }
            }
            clocks[i][i] += 1;
            if matches!(e.happening, Happening::Send { .. }) && awaited.contains_key(&e.seq) {
                at_send.insert(e.seq, clocks[i].clone());
            }
            visit(e, Some(&clocks[i]));
        }
    }

    /// The kept trace as JSON lines: a header object (`format`, `version`, `nodes`, `events`,
    /// `evicted`, `clocks`), then one object per event with `seq`, `time_ns`, `node`, `event`,
    /// the event's own fields, `lamport`, and `clock` (the window vector clock, for a run with
    /// vector clocks, on local events).
    pub fn json_lines(&self) -> String {
        let mut out = String::new();
        let clocks = self.has_vector_clocks();
        let _ = writeln!(
            out,
            "{{\"format\":\"continuum-trace\",\"version\":1,\"nodes\":{},\"events\":{},\"evicted\":{},\"clocks\":\"{}\"}}",
            self.node_count,
            self.len(),
            self.evicted,
            if !clocks {
                "none (too many nodes)"
            } else if self.evicted > 0 {
                "vector clocks of the kept events (older events were evicted)"
            } else {
                "vector clocks"
            }
        );
        let mut line = |e: &LogEntry, clock: Option<&[u64]>| {
            let _ = write!(
                out,
                "{{\"seq\":{},\"time_ns\":{},\"node\":\"{}\",\"event\":\"{}\"",
                e.seq,
                e.time.0,
                e.node,
                e.happening.word()
            );
            write_fields(&mut out, &e.happening);
            let _ = write!(out, ",\"lamport\":{}", e.lamport);
            if let Some(clock) = clock {
                out.push_str(",\"clock\":");
                write_clock(&mut out, clock);
            }
            out.push_str("}\n");
        };
        if clocks {
            self.walk_with_clocks(&mut line);
        } else {
            for e in self.entries() {
                line(e, None);
            }
        }
        out
    }

    /// The kept trace as a ShiViz log: the first line is ShiViz's default parser expression
    /// ([`SHIVIZ_DEFAULT_REGEX`]), the second is empty (one execution, no delimiter), then for
    /// every local event a line describing it and a line `host {"host": counter, ...}` with its
    /// window vector clock. Network events (drops, duplicates) and faults are folded into the
    /// description of their sender's send or left out, as ShiViz has one column per host.
    ///
    /// An error sentence when the run has more than [`MAX_CLOCK_NODES`] nodes.
    pub fn shiviz(&self) -> Result<String, String> {
        if !self.has_vector_clocks() {
            return Err(format!(
                "ShiViz draws one column per node; this run has {} nodes, more than the {MAX_CLOCK_NODES} a ShiViz export allows. Export the trace as JSON lines instead.",
                self.node_count
            ));
        }
        let mut out = String::new();
        out.push_str(SHIVIZ_DEFAULT_REGEX);
        out.push_str("\n\n");
        self.walk_with_clocks(|e, clock| {
            let Some(clock) = clock else { return };
            out.push_str(&describe(e));
            let _ = write!(out, "\n{} ", e.node);
            write_clock(&mut out, clock);
            out.push('\n');
        });
        Ok(out)
    }
}

/// Records the send a delivery or network event traces back to.
fn note_send(h: &Happening, sends: &mut BTreeSet<u64>) {
    if let Happening::Deliver {
        send_seq: Some(s), ..
    }
    | Happening::Drop {
        send_seq: Some(s), ..
    }
    | Happening::Duplicate {
        send_seq: Some(s), ..
    } = *h
    {
        sends.insert(s);
    }
}

/// One line of English for an event (no newline, never `word {` at its start).
pub fn describe(e: &LogEntry) -> String {
    let at = e.time;
    match &e.happening {
        Happening::Start => format!("{} starts at {at}", e.node),
        Happening::Send {
            id,
            to,
            size_bytes,
            kind,
        } => format!(
            "{} sends m{} ({kind}, {size_bytes} B) to {to} at {at}",
            e.node, id.0
        ),
        Happening::Deliver {
            id,
            from,
            sent_at,
            size_bytes,
            kind,
            ..
        } => format!(
            "{} receives m{} ({kind}, {size_bytes} B) from {from} at {at}, sent at {sent_at}",
            e.node, id.0
        ),
        Happening::Drop {
            id,
            from,
            kind,
            reason,
            at_send,
            ..
        } => format!(
            "m{} ({kind}) from {from} to {} dropped{}: {} at {at}",
            id.0,
            e.node,
            if *at_send { " as sent" } else { " on arrival" },
            reason.label()
        ),
        Happening::Duplicate {
            id, original, to, ..
        } => format!(
            "the network duplicates m{} as m{} to {to} at {at}",
            original.0, id.0
        ),
        Happening::Timer { id } => format!("{} timer t{} fires at {at}", e.node, id.0),
        Happening::Input { accepted, kind } => format!(
            "{} gets input ({kind}) at {at}{}",
            e.node,
            if *accepted { "" } else { ", but is down" }
        ),
        Happening::Crash => format!("{} crashes at {at}", e.node),
        Happening::Restart { mode } => format!(
            "{} restarts at {at} ({})",
            e.node,
            match mode {
                RestartMode::Durable => "state kept",
                RestartMode::Volatile => "state lost",
            }
        ),
        Happening::Fault(f) => format!("fault at {at}: {}", f.describe()),
        Happening::Note(text) => format!("{} notes at {at}: {}", e.node, text.replace('\n', " ")),
    }
}

fn write_clock(out: &mut String, clock: &[u64]) {
    out.push('{');
    let mut first = true;
    for (i, &c) in clock.iter().enumerate() {
        if c > 0 {
            if !first {
                out.push(',');
            }
            first = false;
            let _ = write!(out, "\"n{i}\":{c}");
        }
    }
    out.push('}');
}

fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_fields(out: &mut String, h: &Happening) {
    let msg = |out: &mut String, id: MessageId, kind: &str, size: u32| {
        let _ = write!(out, ",\"msg\":{},\"kind\":", id.0);
        write_json_str(out, kind);
        let _ = write!(out, ",\"bytes\":{size}");
    };
    match h {
        Happening::Start | Happening::Crash => {}
        Happening::Send {
            id,
            to,
            size_bytes,
            kind,
        } => {
            msg(out, *id, kind, *size_bytes);
            let _ = write!(out, ",\"to\":\"{to}\"");
        }
        Happening::Deliver {
            id,
            from,
            sent_at,
            size_bytes,
            kind,
            ..
        } => {
            msg(out, *id, kind, *size_bytes);
            let _ = write!(out, ",\"from\":\"{from}\",\"sent_ns\":{}", sent_at.0);
        }
        Happening::Drop {
            id,
            from,
            size_bytes,
            kind,
            reason,
            at_send,
            ..
        } => {
            msg(out, *id, kind, *size_bytes);
            let _ = write!(
                out,
                ",\"from\":\"{from}\",\"reason\":\"{}\",\"at_send\":{at_send}",
                reason.label()
            );
        }
        Happening::Duplicate {
            id, original, to, ..
        } => {
            let _ = write!(
                out,
                ",\"msg\":{},\"original\":{},\"to\":\"{to}\"",
                id.0, original.0
            );
        }
        Happening::Timer { id } => {
            let _ = write!(out, ",\"timer\":{}", id.0);
        }
        Happening::Input { accepted, kind } => {
            out.push_str(",\"kind\":");
            write_json_str(out, kind);
            let _ = write!(out, ",\"accepted\":{accepted}");
        }
        Happening::Restart { mode } => {
            let _ = write!(
                out,
                ",\"mode\":\"{}\"",
                match mode {
                    RestartMode::Durable => "durable",
                    RestartMode::Volatile => "volatile",
                }
            );
        }
        Happening::Fault(f) => {
            out.push_str(",\"fault\":");
            write_json_str(out, &f.describe());
        }
        Happening::Note(text) => {
            out.push_str(",\"text\":");
            write_json_str(out, text);
        }
    }
}

impl<M: crate::node::Message> Observer<M> for TraceLog {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        let (node, lamport, happening) = match event.kind {
            TraceKind::Start { node } => (node, self.tick(node, 0), Happening::Start),
            TraceKind::Send {
                id,
                from,
                to,
                size_bytes,
                msg,
            } => (
                from,
                self.tick(from, 0),
                Happening::Send {
                    id,
                    to,
                    size_bytes,
                    kind: msg.kind(),
                },
            ),
            TraceKind::Deliver {
                id,
                from,
                to,
                sent_at,
                size_bytes,
                msg,
            } => {
                let (send_seq, sent) = self.cause_of(id);
                (
                    to,
                    self.tick(to, sent),
                    Happening::Deliver {
                        id,
                        from,
                        sent_at,
                        size_bytes,
                        kind: msg.kind(),
                        send_seq,
                    },
                )
            }
            TraceKind::Drop {
                id,
                from,
                to,
                size_bytes,
                reason,
                msg,
            } => {
                let (send_seq, sent) = self.cause_of(id);
                let at_send = self.entries().next_back().is_some_and(
                    |e| matches!(e.happening, Happening::Send { id: sent_id, .. } if sent_id == id),
                );
                (
                    to,
                    sent + 1,
                    Happening::Drop {
                        id,
                        from,
                        size_bytes,
                        kind: msg.kind(),
                        reason,
                        at_send,
                        send_seq,
                    },
                )
            }
            TraceKind::Duplicate {
                id,
                original,
                from,
                to,
                ..
            } => {
                let (send_seq, sent) = self.cause_of(original);
                (
                    from,
                    sent,
                    Happening::Duplicate {
                        id,
                        original,
                        to,
                        send_seq,
                    },
                )
            }
            TraceKind::Timer { node, id } => (node, self.tick(node, 0), Happening::Timer { id }),
            TraceKind::Input {
                node,
                msg,
                accepted,
            } => (
                node,
                self.tick(node, 0),
                Happening::Input {
                    accepted,
                    kind: msg.kind(),
                },
            ),
            TraceKind::Fault { fault } => match fault {
                // Crashes and restarts are logged as the node's own events that follow.
                Fault::Crash(_) | Fault::Restart { .. } => return,
                f => (fault_node(f), self.max_lamport, Happening::Fault(f.clone())),
            },
            TraceKind::Crash { node } => (node, self.tick(node, 0), Happening::Crash),
            TraceKind::Restart { node, mode } => {
                (node, self.tick(node, 0), Happening::Restart { mode })
            }
            TraceKind::Note { node, text } => {
                (node, self.tick(node, 0), Happening::Note(text.into()))
            }
            TraceKind::Metric { .. } => {
                self.skipped += 1;
                return;
            }
        };
        self.push(LogEntry {
            seq: event.seq,
            time: event.time,
            node,
            lamport,
            happening,
        });
    }
}

/// The node a fault names (n0 for one naming several or none).
fn fault_node(f: &Fault) -> NodeId {
    match *f {
        Fault::Isolate(n)
        | Fault::Rejoin(n)
        | Fault::Crash(n)
        | Fault::Restart { node: n, .. }
        | Fault::ClockStep { node: n, .. }
        | Fault::SetDrift { node: n, .. } => n,
        Fault::CutLink { from, .. } | Fault::RestoreLink { from, .. } => from,
        Fault::Split(_) | Fault::HealAll => NodeId(0),
    }
}
