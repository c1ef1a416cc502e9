//! Built-in observers: message counters, latency histograms, a stable trace hash and a bounded
//! recorder. Combine them as a tuple: `sim.run_until(t, &mut (&mut counters, &mut hash))`.

use crate::fault::{Fault, RestartMode};
use crate::id::{MessageId, NodeId, TimerId};
use crate::time::{SimDuration, SimTime};
use crate::trace::{DropReason, Observer, TraceEvent, TraceKind};
use std::collections::{BTreeMap, VecDeque};

/// Messages and bytes in one direction of traffic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// How many messages.
    pub messages: u64,
    /// How many bytes.
    pub bytes: u64,
}

impl Traffic {
    fn add(&mut self, bytes: u32) {
        self.messages += 1;
        self.bytes += bytes as u64;
    }
}

/// Per-node or per-link totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrafficCounters {
    /// Sent (as sender).
    pub sent: Traffic,
    /// Delivered (as receiver, or on the link).
    pub delivered: Traffic,
    /// Dropped (counted at the receiver, or on the link).
    pub dropped: Traffic,
}

/// Counts messages and bytes sent, delivered and dropped per node, per link and by drop reason.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Per node: sends counted at the sender, deliveries and drops at the receiver.
    pub per_node: Vec<TrafficCounters>,
    /// Per link direction `(from, to)`.
    pub per_link: BTreeMap<(NodeId, NodeId), TrafficCounters>,
    /// Totals over the run.
    pub total: TrafficCounters,
    /// Extra copies made by the network.
    pub duplicated: u64,
    /// Drops by reason, indexed by [`DropReason::index`].
    pub dropped_by_reason: [u64; DropReason::ALL.len()],
    /// Whether to keep per-link counters (off for huge runs to save memory).
    pub track_links: bool,
}

impl Counters {
    /// Counters with per-link tracking on.
    pub fn new() -> Counters {
        Counters {
            track_links: true,
            ..Counters::default()
        }
    }
    /// Counters without per-link tracking (constant memory per node).
    pub fn per_node_only() -> Counters {
        Counters::default()
    }
    fn node(&mut self, n: NodeId) -> &mut TrafficCounters {
        if self.per_node.len() <= n.index() {
            self.per_node
                .resize(n.index() + 1, TrafficCounters::default());
        }
        &mut self.per_node[n.index()]
    }
    fn link(&mut self, from: NodeId, to: NodeId) -> Option<&mut TrafficCounters> {
        self.track_links
            .then(|| self.per_link.entry((from, to)).or_default())
    }
}

impl<M> Observer<M> for Counters {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        match event.kind {
            TraceKind::Send {
                from,
                to,
                size_bytes,
                ..
            } => {
                self.total.sent.add(size_bytes);
                self.node(from).sent.add(size_bytes);
                if let Some(l) = self.link(from, to) {
                    l.sent.add(size_bytes);
                }
            }
            TraceKind::Duplicate { .. } => self.duplicated += 1,
            TraceKind::Deliver {
                from,
                to,
                size_bytes,
                ..
            } => {
                self.total.delivered.add(size_bytes);
                self.node(to).delivered.add(size_bytes);
                if let Some(l) = self.link(from, to) {
                    l.delivered.add(size_bytes);
                }
            }
            TraceKind::Drop {
                from,
                to,
                size_bytes,
                reason,
                ..
            } => {
                self.total.dropped.add(size_bytes);
                self.dropped_by_reason[reason.index()] += 1;
                if reason != DropReason::UnknownDestination {
                    self.node(to).dropped.add(size_bytes);
                }
                if let Some(l) = self.link(from, to) {
                    l.dropped.add(size_bytes);
                }
            }
            _ => {}
        }
    }
}

/// A log-linear histogram of durations: exact below 16 ns, then 16 sub-buckets per power of
/// two, so any reported quantile is within 6.25 % of the true value. Constant memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    buckets: Vec<u64>,
    count: u64,
    sum_ns: u128,
    min_ns: u64,
    max_ns: u64,
}

const SUB_BITS: u32 = 4;
const SUB: u64 = 1 << SUB_BITS;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            buckets: Vec::new(),
            count: 0,
            sum_ns: 0,
            min_ns: u64::MAX,
            max_ns: 0,
        }
    }
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Histogram {
        Histogram::default()
    }
    fn bucket_of(v: u64) -> usize {
        if v < SUB {
            return v as usize;
        }
        let exp = 63 - v.leading_zeros(); // ≥ SUB_BITS
        let sub = (v >> (exp - SUB_BITS)) & (SUB - 1);
        (SUB + (exp - SUB_BITS) as u64 * SUB + sub) as usize
    }
    /// The largest value that falls in bucket `b`.
    fn bucket_upper(b: usize) -> u64 {
        let b = b as u64;
        if b < SUB {
            return b;
        }
        let exp = (b - SUB) / SUB + SUB_BITS as u64;
        let sub = (b - SUB) % SUB;
        let low = (1u64 << exp) | (sub << (exp - SUB_BITS as u64));
        low + (1u64 << (exp - SUB_BITS as u64)) - 1
    }
    /// Adds one duration.
    pub fn record(&mut self, d: SimDuration) {
        let v = d.0;
        let b = Self::bucket_of(v);
        if self.buckets.len() <= b {
            self.buckets.resize(b + 1, 0);
        }
        self.buckets[b] += 1;
        self.count += 1;
        self.sum_ns += v as u128;
        self.min_ns = self.min_ns.min(v);
        self.max_ns = self.max_ns.max(v);
    }
    /// How many durations were recorded.
    pub fn count(&self) -> u64 {
        self.count
    }
    /// The mean, if any were recorded.
    pub fn mean(&self) -> Option<SimDuration> {
        (self.count > 0).then(|| SimDuration((self.sum_ns / self.count as u128) as u64))
    }
    /// The smallest recorded value.
    pub fn min(&self) -> Option<SimDuration> {
        (self.count > 0).then_some(SimDuration(self.min_ns))
    }
    /// The largest recorded value.
    pub fn max(&self) -> Option<SimDuration> {
        (self.count > 0).then_some(SimDuration(self.max_ns))
    }
    /// The `q`-quantile (`0.5` median, `0.99` p99): the upper edge of the bucket holding it,
    /// capped at the maximum seen. `None` when empty or `q` is outside `[0, 1]`.
    pub fn quantile(&self, q: f64) -> Option<SimDuration> {
        if self.count == 0 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (b, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(SimDuration(
                    Self::bucket_upper(b).min(self.max_ns).max(self.min_ns),
                ));
            }
        }
        Some(SimDuration(self.max_ns))
    }
    /// Merges another histogram into this one.
    pub fn merge(&mut self, other: &Histogram) {
        if self.buckets.len() < other.buckets.len() {
            self.buckets.resize(other.buckets.len(), 0);
        }
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            *a += b;
        }
        self.count += other.count;
        self.sum_ns += other.sum_ns;
        self.min_ns = self.min_ns.min(other.min_ns);
        self.max_ns = self.max_ns.max(other.max_ns);
    }
}

/// Histogram of one-way message latency (send to delivery), over all delivered messages.
#[derive(Clone, Debug, Default)]
pub struct LatencyHistogram {
    /// The distribution.
    pub histogram: Histogram,
}

impl<M> Observer<M> for LatencyHistogram {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        if let TraceKind::Deliver { sent_at, .. } = event.kind {
            self.histogram.record(event.time - sent_at);
        }
    }
}

/// A stable 64-bit hash of the trace: same scenario and seed ⇒ same hash, on every target.
///
/// It covers every event's time, kind and structural fields (ids, nodes, sizes, reasons, metric
/// values, note text), but not message contents: those are functions of the run's inputs and
/// already shape every later event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceHash {
    state: u64,
    events: u64,
}

impl Default for TraceHash {
    fn default() -> Self {
        TraceHash {
            state: 0xcbf2_9ce4_8422_2325,
            events: 0,
        }
    }
}

impl TraceHash {
    /// A fresh hash.
    pub fn new() -> TraceHash {
        TraceHash::default()
    }
    /// The hash so far.
    pub fn value(&self) -> u64 {
        crate::rng::mix64(self.state ^ self.events)
    }
    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.value())
    }
    /// How many events were hashed.
    pub fn events(&self) -> u64 {
        self.events
    }
    fn word(&mut self, w: u64) {
        // FNV-1a over 64-bit words, then a multiply-xorshift to spread bits.
        self.state = (self.state ^ w).wrapping_mul(0x0000_0100_0000_01b3);
        self.state ^= self.state >> 29;
    }
    fn node(&mut self, n: NodeId) {
        self.word(n.0 as u64);
    }
}

impl<M> Observer<M> for TraceHash {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        self.events += 1;
        self.word(event.time.0);
        match &event.kind {
            TraceKind::Start { node } => {
                self.word(1);
                self.node(*node);
            }
            TraceKind::Send {
                id,
                from,
                to,
                size_bytes,
                ..
            } => {
                self.word(2);
                self.word(id.0);
                self.node(*from);
                self.node(*to);
                self.word(*size_bytes as u64);
            }
            TraceKind::Duplicate { id, original, .. } => {
                self.word(3);
                self.word(id.0);
                self.word(original.0);
            }
            TraceKind::Deliver {
                id,
                from,
                to,
                sent_at,
                ..
            } => {
                self.word(4);
                self.word(id.0);
                self.node(*from);
                self.node(*to);
                self.word(sent_at.0);
            }
            TraceKind::Drop { id, reason, .. } => {
                self.word(5);
                self.word(id.0);
                self.word(reason.index() as u64);
            }
            TraceKind::Timer { node, id } => {
                self.word(6);
                self.node(*node);
                self.word(id.0);
            }
            TraceKind::Input { node, accepted, .. } => {
                self.word(7);
                self.node(*node);
                self.word(*accepted as u64);
            }
            TraceKind::Fault { fault } => {
                self.word(8);
                for b in fault.describe().bytes() {
                    self.word(b as u64);
                }
            }
            TraceKind::Crash { node } => {
                self.word(9);
                self.node(*node);
            }
            TraceKind::Restart { node, mode } => {
                self.word(10);
                self.node(*node);
                self.word(matches!(mode, RestartMode::Durable) as u64);
            }
            TraceKind::Note { node, text } => {
                self.word(11);
                self.node(*node);
                for b in text.bytes() {
                    self.word(b as u64);
                }
            }
            TraceKind::Metric { node, name, value } => {
                self.word(12);
                self.node(*node);
                for b in name.bytes() {
                    self.word(b as u64);
                }
                self.word(value.to_bits());
            }
        }
    }
}

/// An owned copy of a trace event, as kept by a [`Recorder`].
#[derive(Clone, Debug, PartialEq)]
pub enum Record<M> {
    /// See [`TraceKind::Start`].
    Start {
        /// The node.
        node: NodeId,
    },
    /// See [`TraceKind::Send`].
    Send {
        /// Message id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Wire size.
        size_bytes: u32,
        /// The message.
        msg: M,
    },
    /// See [`TraceKind::Duplicate`].
    Duplicate {
        /// Copy id.
        id: MessageId,
        /// Original id.
        original: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
    },
    /// See [`TraceKind::Deliver`].
    Deliver {
        /// Message id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// When it was sent.
        sent_at: SimTime,
        /// The message.
        msg: M,
    },
    /// See [`TraceKind::Drop`].
    Drop {
        /// Message id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Why.
        reason: DropReason,
    },
    /// See [`TraceKind::Timer`].
    Timer {
        /// The node.
        node: NodeId,
        /// The timer.
        id: TimerId,
    },
    /// See [`TraceKind::Input`].
    Input {
        /// The node.
        node: NodeId,
        /// The input.
        msg: M,
        /// Whether the node was up.
        accepted: bool,
    },
    /// See [`TraceKind::Fault`].
    Fault(Fault),
    /// See [`TraceKind::Crash`].
    Crash {
        /// The node.
        node: NodeId,
    },
    /// See [`TraceKind::Restart`].
    Restart {
        /// The node.
        node: NodeId,
        /// Whether state was kept.
        mode: RestartMode,
    },
    /// See [`TraceKind::Note`].
    Note {
        /// The node.
        node: NodeId,
        /// The note.
        text: String,
    },
    /// See [`TraceKind::Metric`].
    Metric {
        /// The node.
        node: NodeId,
        /// Name.
        name: &'static str,
        /// Value.
        value: f64,
    },
}

impl<M: Clone> Record<M> {
    /// Copies a borrowed trace event.
    pub fn from_kind(kind: &TraceKind<'_, M>) -> Record<M> {
        match *kind {
            TraceKind::Start { node } => Record::Start { node },
            TraceKind::Send {
                id,
                from,
                to,
                size_bytes,
                msg,
            } => Record::Send {
                id,
                from,
                to,
                size_bytes,
                msg: msg.clone(),
            },
            TraceKind::Duplicate {
                id,
                original,
                from,
                to,
                ..
            } => Record::Duplicate {
                id,
                original,
                from,
                to,
            },
            TraceKind::Deliver {
                id,
                from,
                to,
                sent_at,
                msg,
                ..
            } => Record::Deliver {
                id,
                from,
                to,
                sent_at,
                msg: msg.clone(),
            },
            TraceKind::Drop {
                id,
                from,
                to,
                reason,
                ..
            } => Record::Drop {
                id,
                from,
                to,
                reason,
            },
            TraceKind::Timer { node, id } => Record::Timer { node, id },
            TraceKind::Input {
                node,
                msg,
                accepted,
            } => Record::Input {
                node,
                msg: msg.clone(),
                accepted,
            },
            TraceKind::Fault { fault } => Record::Fault(fault.clone()),
            TraceKind::Crash { node } => Record::Crash { node },
            TraceKind::Restart { node, mode } => Record::Restart { node, mode },
            TraceKind::Note { node, text } => Record::Note {
                node,
                text: text.to_owned(),
            },
            TraceKind::Metric { node, name, value } => Record::Metric { node, name, value },
        }
    }
}

/// Keeps the most recent `capacity` trace events (older ones are counted, then forgotten), so
/// memory stays bounded however long the run.
#[derive(Clone, Debug)]
pub struct Recorder<M> {
    capacity: usize,
    events: VecDeque<(SimTime, u64, Record<M>)>,
    forgotten: u64,
}

impl<M: Clone> Recorder<M> {
    /// A recorder keeping at most `capacity` events.
    pub fn new(capacity: usize) -> Recorder<M> {
        Recorder {
            capacity,
            events: VecDeque::with_capacity(capacity.min(4096)),
            forgotten: 0,
        }
    }
    /// The kept events, oldest first: `(time, trace sequence number, record)`.
    pub fn events(
        &self,
    ) -> impl DoubleEndedIterator<Item = &(SimTime, u64, Record<M>)> + ExactSizeIterator {
        self.events.iter()
    }
    /// How many events were forgotten to stay within capacity.
    pub fn forgotten(&self) -> u64 {
        self.forgotten
    }
    /// The most events kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
    /// Forgets everything.
    pub fn clear(&mut self) {
        self.events.clear();
        self.forgotten = 0;
    }
}

impl<M: Clone> Observer<M> for Recorder<M> {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        if self.capacity == 0 {
            self.forgotten += 1;
            return;
        }
        if self.events.len() == self.capacity {
            self.events.pop_front();
            self.forgotten += 1;
        }
        self.events
            .push_back((event.time, event.seq, Record::from_kind(&event.kind)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_within_bucket_error() {
        let mut h = Histogram::new();
        for v in 1..=10_000u64 {
            h.record(SimDuration(v * 1000));
        }
        for (q, exact) in [(0.5, 5_000_000.0), (0.99, 9_900_000.0), (1.0, 10_000_000.0)] {
            let got = h.quantile(q).unwrap().0 as f64;
            assert!((got - exact).abs() / exact <= 0.0625, "q={q} got {got}");
        }
        assert_eq!(h.min(), Some(SimDuration(1000)));
        assert_eq!(h.max(), Some(SimDuration(10_000_000)));
        assert_eq!(h.mean(), Some(SimDuration(5_000_500)));
        assert_eq!(h.quantile(1.5), None);
    }

    #[test]
    fn histogram_buckets_are_contiguous() {
        let mut last = None;
        for v in 0..5000u64 {
            let b = Histogram::bucket_of(v);
            assert!(v <= Histogram::bucket_upper(b), "v={v} b={b}");
            if let Some(l) = last {
                assert!(b == l || b == l + 1);
            }
            last = Some(b);
        }
    }
}
