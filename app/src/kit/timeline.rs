//! Going back in time: copies of the run taken every so many events, so that seeking to an
//! earlier moment (or stepping back one event) restores the nearest copy before it and replays
//! forward, instead of replaying from time zero. The world is deterministic, so the replayed
//! state is exactly the state a fresh run reaches at that moment.
//!
//! Memory stays bounded: at most [`MAX_SNAPSHOTS`] copies and [`MAX_SNAPSHOT_BYTES`] in all
//! (by each run's own estimate). When full, every other copy is dropped and the spacing doubles;
//! a run too big to copy even once simply replays from zero.
//!
//! Time stays bounded too: a copy is one synchronous task of the page, so it is taken only when
//! it should take at most [`MAX_COPY_MS`]. Each copy is timed, and the copying speed it showed
//! (per estimated byte) predicts the next one; a run too dear to copy replays from zero (in
//! frame-sized slices) when the learner goes back.

use scenario::LabRun;
use sim::SimTime;

/// Most copies kept.
pub const MAX_SNAPSHOTS: usize = 32;
/// Most bytes all copies may take together (estimated).
pub const MAX_SNAPSHOT_BYTES: usize = 96 << 20;
/// Fewest events between copies (the spacing doubles as the run grows).
pub const FIRST_SPACING_EVENTS: u64 = 256;
/// Bytes of a copy per event of spacing: copying a run costs about a nanosecond per byte and
/// an event about a hundred, so spacing copies `bytes / 16` events apart keeps copying under a
/// tenth of the simulation's time.
pub const BYTES_PER_SPACING_EVENT: u64 = 16;
/// Longest one copy may take, in milliseconds: well inside a frame, and far under the 50 ms
/// of a long task.
pub const MAX_COPY_MS: f64 = 8.0;
/// Copying speed assumed before any copy was timed, in nanoseconds per estimated byte. Copies
/// of the labs' runs measured natively (2026-12-03) took 5 to 35 ns per estimated byte: nodes
/// and states are many small allocations. The first copies, of a young small run, correct it.
pub const FIRST_NS_PER_BYTE: f64 = 8.0;

/// One copy of the run.
#[derive(Clone)]
struct Snapshot<R> {
    events: u64,
    time: SimTime,
    run: R,
}

/// Copies of one run, in event order.
#[derive(Clone)]
pub struct Timeline<R> {
    snapshots: Vec<Snapshot<R>>,
    spacing_events: u64,
    bytes_each: usize,
    /// Whether the spacing ignores the copies' size (tests); their time is capped all the same.
    fixed: bool,
    /// Copying speed, nanoseconds per estimated byte, from the last timed copy.
    ns_per_byte: f64,
}

impl<R> Default for Timeline<R> {
    fn default() -> Self {
        Timeline {
            snapshots: Vec::new(),
            spacing_events: FIRST_SPACING_EVENTS,
            bytes_each: 0,
            fixed: false,
            ns_per_byte: FIRST_NS_PER_BYTE,
        }
    }
}

impl<R> Timeline<R> {
    /// A timeline copying every `events` events whatever the copies cost (for tests).
    pub fn with_fixed_spacing(events: u64) -> Self {
        Timeline {
            spacing_events: events.max(1),
            fixed: true,
            ..Timeline::default()
        }
    }
}

impl<R: LabRun + Clone> Timeline<R> {
    /// Forgets every copy (a new scenario, or an action that changed the future).
    pub fn clear(&mut self) {
        self.snapshots.clear();
        self.bytes_each = 0;
        if !self.fixed {
            self.spacing_events = FIRST_SPACING_EVENTS;
        }
    }

    /// How many copies are kept.
    pub fn len(&self) -> usize {
        self.snapshots.len()
    }

    /// The memory all copies take, by their own estimates (never more than
    /// [`MAX_SNAPSHOT_BYTES`], except for a single copy bigger than that).
    pub fn bytes(&self) -> usize {
        self.snapshots
            .iter()
            .map(|s| s.run.approx_heap_bytes())
            .sum()
    }

    /// Whether no copy is kept.
    pub fn is_empty(&self) -> bool {
        self.snapshots.is_empty()
    }

    /// Copies `run` if it has moved at least the spacing past the last copy, a copy fits, and
    /// it should take at most [`MAX_COPY_MS`]. `clock` reads milliseconds (the page's
    /// `performance.now()`), to time the copy; one that always reads 0 times nothing.
    pub fn record(&mut self, run: &R, clock: &mut dyn FnMut() -> f64) {
        let events = run.events_processed();
        let last = self.snapshots.last().map_or(0, |s| s.events);
        if events < last + self.spacing_events {
            return;
        }
        let bytes = run.approx_heap_bytes().max(1);
        let fits = MAX_SNAPSHOT_BYTES / bytes;
        if fits == 0 {
            return;
        }
        let copy_bytes = run.approx_copy_bytes().max(1);
        if !self.fixed {
            let by_cost = copy_bytes as u64 / BYTES_PER_SPACING_EVENT;
            if by_cost > self.spacing_events {
                // Too dear to copy this often: space copies out, and look again later.
                self.spacing_events = by_cost;
                if events < last + self.spacing_events {
                    return;
                }
            }
        }
        if self.predicted_ms(copy_bytes) > MAX_COPY_MS {
            return;
        }
        self.bytes_each = self.bytes_each.max(bytes);
        let cap = MAX_SNAPSHOTS
            .min(MAX_SNAPSHOT_BYTES / self.bytes_each)
            .max(1);
        if self.snapshots.len() >= cap {
            let kept: Vec<Snapshot<R>> =
                self.snapshots.iter().skip(1).step_by(2).cloned().collect();
            self.snapshots = kept;
            self.spacing_events *= 2;
        }
        let began = clock();
        let copy = run.clone();
        let took_ms = clock() - began;
        if took_ms > 0.0 {
            // The latest speed, but never trusting a fast copy to undo a slow one at once.
            let seen = took_ms * 1e6 / copy_bytes as f64;
            self.ns_per_byte = seen.max(self.ns_per_byte * 0.5);
        }
        self.snapshots.push(Snapshot {
            events,
            time: run.now(),
            run: copy,
        });
    }

    /// How long copying `bytes` (estimated) should take, at the last speed seen.
    fn predicted_ms(&self, bytes: usize) -> f64 {
        bytes as f64 * self.ns_per_byte / 1e6
    }

    /// The latest copy at or before `time` that has processed at most `max_events` events.
    pub fn before(&self, time: SimTime, max_events: u64) -> Option<R> {
        self.snapshots
            .iter()
            .rev()
            .find(|s| s.time <= time && s.events <= max_events)
            .map(|s| s.run.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::BroadcastRun;
    use scenario::scenario::broadcast_presets;
    use sim::RunBudget;

    #[test]
    fn copies_are_spaced_bounded_and_found_by_time() {
        let mut run = BroadcastRun::new(&broadcast_presets()[2].scenario).expect("valid");
        let mut timeline = Timeline::with_fixed_spacing(300);
        while !run.is_finished() {
            run.advance(RunBudget {
                until: run.end(),
                max_events: 500,
            });
            timeline.record(&run, &mut || 0.0);
        }
        assert!(!timeline.is_empty());
        assert!(timeline.len() <= MAX_SNAPSHOTS);
        let at = SimTime::from_millis(700);
        let copy = timeline.before(at, u64::MAX).expect("a copy before 700 ms");
        assert!(copy.now() <= at);
        assert!(timeline.before(SimTime::ZERO, u64::MAX).is_none());
    }

    fn advance_events(run: &mut BroadcastRun, events: u64) {
        run.advance(RunBudget {
            until: run.end(),
            max_events: events,
        });
    }

    #[test]
    fn a_copy_is_taken_only_when_it_should_be_quick() {
        let mut run = BroadcastRun::new(&broadcast_presets()[2].scenario).expect("valid");
        advance_events(&mut run, 100);
        let bytes = run.approx_copy_bytes();
        assert!(
            bytes as f64 * FIRST_NS_PER_BYTE / 1e6 <= MAX_COPY_MS,
            "a small run"
        );
        // A clock that says the first copy took 100 ns per estimated byte.
        let mut readings = [0.0, bytes as f64 * 100.0 / 1e6].into_iter();
        let mut slow_clock = move || readings.next().unwrap_or(0.0);
        let mut timeline = Timeline::with_fixed_spacing(100);
        timeline.record(&run, &mut slow_clock);
        assert_eq!(timeline.len(), 1, "copied at the assumed speed");
        assert!((timeline.ns_per_byte - 100.0).abs() < 1e-6);
        // The next copy is predicted from that speed: skipped if it would be too long.
        advance_events(&mut run, 100);
        let predicted = timeline.predicted_ms(run.approx_copy_bytes());
        timeline.record(&run, &mut || 0.0);
        let expected = if predicted > MAX_COPY_MS { 1 } else { 2 };
        assert_eq!(timeline.len(), expected, "predicted {predicted:.1} ms");
        // Seen as far too slow, no copy at all is taken.
        timeline.ns_per_byte = 1e6;
        advance_events(&mut run, 100);
        timeline.record(&run, &mut || 0.0);
        assert_eq!(timeline.len(), expected);
    }

    #[test]
    fn big_runs_are_copied_rarely() {
        let mut run = BroadcastRun::new(&broadcast_presets()[6].scenario).expect("valid");
        let mut timeline = Timeline::default();
        run.advance(RunBudget {
            until: run.end(),
            max_events: 1_000,
        });
        timeline.record(&run, &mut || 0.0);
        assert!(
            timeline.is_empty(),
            "10,000 nodes: not worth a copy after 1,000 events"
        );
        assert!(
            timeline.spacing_events >= run.approx_copy_bytes() as u64 / BYTES_PER_SPACING_EVENT
        );
    }
}
