//! The event queue: a radix heap on time, with ties at one instant broken by sequence number.
//!
//! A discrete-event queue only ever hands out events at or after the last one taken, which is
//! what a radix heap needs. Times are read as 7-bit digits (ten, the top one short). Bucket
//! `(level, d)` holds the events whose time first differs from `last` (the time of the last
//! event handed out) in digit `level`, counted from the least significant, where it is `d`;
//! bucket order is then time order. Scheduling appends to one bucket. When nothing is due at
//! `last`, the lowest non-empty bucket is taken: its earliest event is the next one, its time
//! becomes `last`, and the rest of the bucket moves to lower levels (or to `current`, if due at
//! `last`). A bucket of one event is just taken. Each event moves at most 10 times, in practice
//! two or three, always by appending.
//!
//! Events are stored whole, not behind an index: buckets are filled and emptied in order, so the
//! memory traffic is sequential and the event to run next is already in cache. (With a binary
//! heap of keys over a slab, fetching each event from a random slab slot was the largest single
//! cost of a run.)
//!
//! Events due at `last` wait in `current`, a binary heap ordered by sequence number (usually
//! empty: distinct events rarely share an instant).
//!
//! Empty buckets keep their allocation for the next time they fill, within a budget (see
//! [`SMALL`]), so memory stays proportional to the number of events pending.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One scheduled event with its time and sequence number.
#[derive(Clone, Debug)]
struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

/// Within `current` all times are equal: the lowest sequence number is the greatest entry, so
/// the max-heap yields it first.
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.seq.cmp(&self.seq)
    }
}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}

/// Bits per digit: times are compared digit by digit, most significant first. (7 measured
/// faster than 6 or 8 on the gossip benchmark: fewer, smaller redistributions that stay in cache.)
const BITS: usize = 7;
/// Values of one digit.
const DIGITS: usize = 1 << BITS;
/// Digits in a time.
const LEVELS: usize = 64usize.div_ceil(BITS);
/// One bucket per (level, digit).
const BUCKETS: usize = LEVELS * DIGITS;
/// Words of the non-empty mask.
const WORDS: usize = BUCKETS.div_ceil(64);

/// Empty buckets always keep allocations of up to this many entries; larger ones only while
/// their total stays below the number of events pending.
const SMALL: usize = 32;

/// Events ordered by `(time, seq)`; `seq` must be unique per queue.
#[derive(Clone, Debug)]
pub(crate) struct EventQueue<E> {
    /// Every pending event is due at or after this time.
    last: SimTime,
    /// Events due exactly at `last`.
    current: BinaryHeap<Entry<E>>,
    /// `buckets[level * DIGITS + d]`: events whose time first differs from `last` in digit
    /// `level` (counted from the least significant), where it is `d`. Bucket order is time order.
    buckets: Vec<Vec<Entry<E>>>,
    /// Bit `b % 64` of word `b / 64` is set when `buckets[b]` is not empty.
    nonempty: [u64; WORDS],
    /// Bit `w` is set when `nonempty[w]` is not zero.
    summary: u64,
    /// Entries' worth of large allocations held by empty buckets (kept so that refilling them
    /// does not allocate, but never more than the number pending).
    idle: usize,
    len: usize,
}

const _: () = assert!(WORDS <= 64);

impl<E> EventQueue<E> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        EventQueue {
            last: SimTime::ZERO,
            current: BinaryHeap::with_capacity(n),
            buckets: (0..BUCKETS).map(|_| Vec::new()).collect(),
            nonempty: [0; WORDS],
            summary: 0,
            idle: 0,
            len: 0,
        }
    }

    /// Files `entry` relative to `last` (its time must not be earlier). Always inlined: in the
    /// loop that empties a bucket, it lets each entry be copied once, straight to its new bucket
    /// (measured: +25 % events/s in WebAssembly, no change natively).
    #[inline(always)]
    fn file(&mut self, entry: Entry<E>) {
        let diff = entry.time.0 ^ self.last.0;
        if diff == 0 {
            self.current.push(entry);
            return;
        }
        let level = (63 - diff.leading_zeros() as usize) / BITS;
        let digit = (entry.time.0 >> (level * BITS)) as usize & (DIGITS - 1);
        let b = level * DIGITS + digit;
        let (w, bit) = (b / 64, 1 << (b % 64));
        let bucket = &mut self.buckets[b];
        if self.nonempty[w] & bit == 0 {
            self.nonempty[w] |= bit;
            self.summary |= 1 << w;
            if bucket.capacity() > SMALL {
                self.idle = self.idle.saturating_sub(bucket.capacity());
            }
        }
        bucket.push(entry);
    }

    /// Marks bucket `b` as empty.
    #[inline]
    fn clear(&mut self, b: usize) {
        let w = b / 64;
        self.nonempty[w] &= !(1 << (b % 64));
        if self.nonempty[w] == 0 {
            self.summary &= !(1 << w);
        }
    }

    /// Marks bucket `b`, now empty, as such, and keeps its allocation if the budget allows.
    fn emptied(&mut self, b: usize, mut bucket: Vec<Entry<E>>) {
        self.clear(b);
        let capacity = bucket.capacity();
        if capacity > SMALL {
            if self.idle + capacity <= self.len {
                self.idle += capacity;
            } else {
                bucket = Vec::new();
            }
        }
        self.buckets[b] = bucket;
    }

    pub(crate) fn push(&mut self, time: SimTime, seq: u64, event: E) {
        if time < self.last {
            self.rebase(time);
        }
        self.len += 1;
        self.file(Entry { time, seq, event });
    }

    /// Makes `time`, earlier than every pending event, the new `last`, refiling everything.
    /// Happens only when a peek moved `last` forward and something is then scheduled in between.
    #[cold]
    fn rebase(&mut self, time: SimTime) {
        let mut all: Vec<Entry<E>> = std::mem::take(&mut self.current).into_vec();
        for bucket in &mut self.buckets {
            all.append(bucket);
        }
        self.nonempty = [0; WORDS];
        self.summary = 0;
        self.last = time;
        for entry in all {
            self.file(entry);
        }
        self.idle = self
            .buckets
            .iter()
            .filter(|b| b.is_empty() && b.capacity() > SMALL)
            .map(Vec::capacity)
            .sum();
    }

    /// Takes the earliest event from the lowest non-empty bucket, making its time `last` and
    /// refiling the rest of that bucket relative to it (events due at the same time go to
    /// `current`). A bucket of one event is just taken.
    fn take_from_buckets(&mut self) -> Option<Entry<E>> {
        let k = self.first_nonempty()?;
        if self.buckets[k].len() == 1 {
            let entry = self.buckets[k].pop()?;
            self.last = entry.time;
            if self.buckets[k].capacity() <= SMALL {
                self.clear(k);
            } else {
                let bucket = std::mem::take(&mut self.buckets[k]);
                self.emptied(k, bucket);
            }
            return Some(entry);
        }
        let mut bucket = std::mem::take(&mut self.buckets[k]);
        // The earliest entry, and how many share its time.
        let mut first = 0;
        let mut at_first_time = 1;
        for (i, e) in bucket.iter().enumerate().skip(1) {
            let f = &bucket[first];
            if e.time < f.time {
                first = i;
                at_first_time = 1;
            } else if e.time == f.time {
                at_first_time += 1;
                if e.seq < f.seq {
                    first = i;
                }
            }
        }
        let all_due_at_once = at_first_time == bucket.len();
        let entry = bucket.swap_remove(first);
        self.last = entry.time;
        if all_due_at_once && self.current.is_empty() {
            // All due at once (a burst sent together on equal links): the bucket becomes
            // `current` in place, and the bucket takes `current`'s old allocation.
            let old = std::mem::replace(&mut self.current, BinaryHeap::from(bucket));
            self.emptied(k, old.into_vec());
        } else {
            for other in bucket.drain(..) {
                self.file(other);
            }
            self.emptied(k, bucket);
        }
        Some(entry)
    }

    pub(crate) fn pop(&mut self) -> Option<(SimTime, E)> {
        let entry = match self.current.pop() {
            Some(entry) => entry,
            None => self.take_from_buckets()?,
        };
        self.len -= 1;
        Some((entry.time, entry.event))
    }

    /// When the next event is due; moves the earliest event to the front, so a `pop` after it
    /// is cheap.
    pub(crate) fn next_time(&mut self) -> Option<SimTime> {
        if self.current.is_empty() {
            let entry = self.take_from_buckets()?;
            self.current.push(entry);
        }
        Some(self.last)
    }

    /// When the next event is due (without reordering anything: scans one bucket at worst).
    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        if !self.current.is_empty() {
            return Some(self.last);
        }
        self.buckets[self.first_nonempty()?]
            .iter()
            .map(|e| e.time)
            .min()
    }

    /// The lowest non-empty bucket.
    #[inline]
    fn first_nonempty(&self) -> Option<usize> {
        if self.summary == 0 {
            return None;
        }
        let w = self.summary.trailing_zeros() as usize;
        Some(w * 64 + self.nonempty[w].trailing_zeros() as usize)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Every pending event with its time, in no particular (but deterministic) order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (SimTime, &E)> + '_ {
        self.current
            .iter()
            .chain(self.buckets.iter().flatten())
            .map(|e| (e.time, &e.event))
    }

    /// Bytes held by the buckets.
    pub(crate) fn heap_bytes(&self) -> usize {
        (self.current.capacity() + self.buckets.iter().map(Vec::capacity).sum::<usize>())
            * size_of::<Entry<E>>()
            + self.buckets.capacity() * size_of::<Vec<Entry<E>>>()
    }

    /// Bytes one pending event costs.
    pub(crate) fn bytes_per_entry() -> usize {
        size_of::<Entry<E>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_sequence_order() {
        let mut q = EventQueue::with_capacity(4);
        q.push(SimTime(5), 0, 'a');
        q.push(SimTime(1), 1, 'b');
        q.push(SimTime(5), 2, 'c');
        q.push(SimTime(1), 3, 'd');
        assert_eq!(q.pop(), Some((SimTime(1), 'b')));
        q.push(SimTime(1), 4, 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['d', 'e', 'a', 'c']);
    }

    #[test]
    fn a_peek_that_moves_ahead_still_accepts_earlier_events() {
        let mut q = EventQueue::with_capacity(4);
        q.push(SimTime(100), 0, 'a');
        q.push(SimTime(300), 1, 'b');
        assert_eq!(q.next_time(), Some(SimTime(100)));
        q.push(SimTime(50), 2, 'c');
        q.push(SimTime(100), 3, 'd');
        assert_eq!(q.peek_time(), Some(SimTime(50)));
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['c', 'a', 'd', 'b']);
    }

    #[test]
    fn a_burst_due_at_one_instant_comes_out_in_sequence_order() {
        let mut q = EventQueue::with_capacity(0);
        q.push(SimTime(1), 0, 0);
        for s in (1..100).rev() {
            q.push(SimTime(7_000), s, s);
        }
        assert_eq!(q.pop(), Some((SimTime(1), 0)));
        q.push(SimTime(7_000), 100, 100);
        let order: Vec<u64> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, (1..=100).collect::<Vec<_>>());
    }

    /// Against a reference heap, over many interleaved pushes and pops with many ties.
    #[test]
    fn matches_a_reference_heap() {
        let mut q = EventQueue::with_capacity(0);
        let mut reference = BinaryHeap::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut seq = 0u64;
        let mut now = 0u64;
        for round in 0..20_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let pushes = if round < 10_000 { x % 3 } else { x % 2 };
            for i in 0..pushes {
                // Mostly short delays with ties, sometimes a long one.
                let delay = if (x >> 20).is_multiple_of(11) {
                    (x >> 24) % 100_000
                } else {
                    (x >> (8 * i)) % 50
                };
                let time = now + delay;
                // Some sequence numbers carry the top bit, like external events.
                let s = if (x >> 40).is_multiple_of(7) {
                    seq | 1 << 63
                } else {
                    seq
                };
                seq += 1;
                q.push(SimTime(time), s, (time, s));
                reference.push(std::cmp::Reverse((time, s)));
            }
            if (x >> 50).is_multiple_of(13) {
                assert_eq!(q.peek_time().map(|t| t.0), reference.peek().map(|r| r.0.0));
                assert_eq!(q.next_time().map(|t| t.0), reference.peek().map(|r| r.0.0));
            }
            if !x.is_multiple_of(5) {
                let want = reference.pop().map(|r| r.0);
                let got = q.pop().map(|(t, e)| {
                    assert_eq!(t.0, e.0);
                    e
                });
                assert_eq!(got, want);
                if let Some((t, _)) = got {
                    now = t;
                }
                assert_eq!(q.len(), reference.len());
            }
        }
        let rest: Vec<(u64, u64)> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        let want: Vec<(u64, u64)> = reference
            .into_sorted_vec()
            .into_iter()
            .rev()
            .map(|r| r.0)
            .collect();
        assert_eq!(rest, want);
    }
}
