//! The event queue: a binary heap of small `(time, sequence, slot)` keys over a slab of events.
//!
//! Keeping events out of the heap makes every sift move 24 bytes instead of a whole event
//! (messages can be large), which is most of the cost of a discrete-event loop.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A heap key. The heap is a max-heap, so the order is reversed: earliest `(time, seq)` first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    time: SimTime,
    seq: u64,
    slot: u32,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Events ordered by `(time, seq)`; `seq` must be unique per queue.
#[derive(Clone, Debug)]
pub(crate) struct EventQueue<E> {
    heap: BinaryHeap<Key>,
    slots: Vec<Option<E>>,
    free: Vec<u32>,
}

impl<E> EventQueue<E> {
    pub(crate) fn with_capacity(n: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            slots: Vec::with_capacity(n),
            free: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, time: SimTime, seq: u64, event: E) {
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(event);
                s
            }
            None => {
                self.slots.push(Some(event));
                (self.slots.len() - 1) as u32
            }
        };
        self.heap.push(Key { time, seq, slot });
    }

    pub(crate) fn pop(&mut self) -> Option<(SimTime, E)> {
        let key = self.heap.pop()?;
        let event = self.slots[key.slot as usize].take()?;
        self.free.push(key.slot);
        Some((key.time, event))
    }

    pub(crate) fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|k| k.time)
    }

    pub(crate) fn len(&self) -> usize {
        self.heap.len()
    }

    /// Every pending event with its time, in no particular (but deterministic) order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (SimTime, &E)> + '_ {
        self.heap
            .iter()
            .filter_map(|k| self.slots[k.slot as usize].as_ref().map(|e| (k.time, e)))
    }

    /// Bytes held by the heap, the slab and the free list.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.heap.capacity() * size_of::<Key>()
            + self.slots.capacity() * size_of::<Option<E>>()
            + self.free.capacity() * 4
    }

    /// Bytes one pending event costs (key + slot).
    pub(crate) fn bytes_per_entry() -> usize {
        size_of::<Key>() + size_of::<Option<E>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_sequence_order_and_reuses_slots() {
        let mut q = EventQueue::with_capacity(4);
        q.push(SimTime(5), 0, 'a');
        q.push(SimTime(1), 1, 'b');
        q.push(SimTime(5), 2, 'c');
        q.push(SimTime(1), 3, 'd');
        assert_eq!(q.pop(), Some((SimTime(1), 'b')));
        q.push(SimTime(0), 4, 'e');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['e', 'd', 'a', 'c']);
        assert!(q.slots.len() <= 4);
    }
}
