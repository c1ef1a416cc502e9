//! The set of pending, uncancelled timers.
//!
//! Timer ids are handed out in increasing order, and timers are usually short-lived, so the
//! pending ones are a dense-ish range of recent ids: a bitmap over a sliding window of ids makes
//! setting, firing and cancelling a few instructions each, without hashing. Ids that fall
//! behind the window (a very long timer among many short ones) move to a hash set, so memory
//! stays bounded by [`MAX_WINDOW_WORDS`] plus the pending timers.
//!
//! The set is only looked up, never iterated, so nothing about its layout can reach the trace.

use crate::id::TimerId;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

/// Longest window, in 64-bit words (2^17 ids, 16 KiB).
const MAX_WINDOW_WORDS: usize = 2048;

/// A fixed multiplicative hash for timer ids (sequential integers): fast and the same everywhere.
#[derive(Clone, Copy, Default)]
struct TimerIdHasher(u64);

impl Hasher for TimerIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Pending, uncancelled timer ids.
#[derive(Clone, Debug, Default)]
pub(crate) struct TimerSet {
    /// Id of bit 0 of `window[0]`; a multiple of 64.
    base: u64,
    /// Bit `i % 64` of word `i / 64` stands for id `base + i`.
    window: VecDeque<u64>,
    /// Pending ids below `base`.
    behind: HashSet<TimerId, BuildHasherDefault<TimerIdHasher>>,
}

impl TimerSet {
    pub(crate) fn insert(&mut self, id: TimerId) {
        // `base` never decreases, so every id in `behind` stays below it.
        if self.window.is_empty() && id.0 >= self.base {
            self.base = id.0 & !63;
        }
        if id.0 < self.base {
            self.behind.insert(id);
            return;
        }
        let word = ((id.0 - self.base) / 64) as usize;
        if word >= MAX_WINDOW_WORDS {
            // Slide the window: whatever is still pending at its start moves behind it.
            let shift = word + 1 - MAX_WINDOW_WORDS;
            for _ in 0..shift.min(self.window.len()) {
                let bits = self.window.pop_front().unwrap_or(0);
                for b in 0..64 {
                    if bits & (1 << b) != 0 {
                        self.behind.insert(TimerId(self.base + b));
                    }
                }
                self.base += 64;
            }
            self.base = self
                .base
                .max((id.0 & !63) - 64 * (MAX_WINDOW_WORDS as u64 - 1));
            if self.window.is_empty() {
                self.base = id.0 & !63;
            }
            return self.insert(id);
        }
        if word >= self.window.len() {
            self.window.resize(word + 1, 0);
        }
        self.window[word] |= 1 << ((id.0 - self.base) % 64);
    }

    /// Removes `id`; whether it was there.
    pub(crate) fn remove(&mut self, id: TimerId) -> bool {
        if id.0 < self.base {
            return !self.behind.is_empty() && self.behind.remove(&id);
        }
        let word = ((id.0 - self.base) / 64) as usize;
        let bit = 1 << ((id.0 - self.base) % 64);
        let Some(w) = self.window.get_mut(word) else {
            return false;
        };
        if *w & bit == 0 {
            return false;
        }
        *w &= !bit;
        while self.window.front() == Some(&0) {
            self.window.pop_front();
            self.base += 64;
        }
        true
    }

    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.window.capacity() * 8 + self.behind.capacity() * (size_of::<TimerId>() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a plain set, with long timers that fall behind the window and cancellations of
    /// ids that fired long ago or never existed.
    #[test]
    fn behaves_like_a_set() {
        let mut set = TimerSet::default();
        let mut reference = std::collections::BTreeSet::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = 0u64;
        for _ in 0..400_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match x % 4 {
                0 | 1 => {
                    let id = TimerId(next);
                    next += 1 + (x >> 60); // sometimes skip ids (other nodes' timers)
                    set.insert(id);
                    reference.insert(id);
                }
                _ => {
                    // Mostly recent ids; now and then a very old one or one never given.
                    let back = if (x >> 8).is_multiple_of(50) {
                        (x >> 16) % (next + 10)
                    } else {
                        (x >> 16) % 300
                    };
                    let id = TimerId(next.saturating_sub(back) + (x >> 62));
                    assert_eq!(set.remove(id), reference.remove(&id), "{id:?}");
                }
            }
        }
        for id in reference {
            assert!(set.remove(id));
        }
        assert!(set.window.is_empty() && set.behind.is_empty());
    }
}
