//! Going back in time: copies of the run taken every so many events, so that seeking to an
//! earlier moment (or stepping back one event) restores the nearest copy before it and replays
//! forward, instead of replaying from time zero. The world is deterministic, so the replayed
//! state is exactly the state a fresh run reaches at that moment.
//!
//! Memory stays bounded: at most [`MAX_SNAPSHOTS`] copies and [`MAX_SNAPSHOT_BYTES`] in all
//! (by each run's own estimate). When full, every other copy is dropped and the spacing doubles;
//! a run too big to copy even once simply replays from zero.

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
    /// Whether the spacing ignores the copies' size (tests).
    fixed: bool,
}

impl<R> Default for Timeline<R> {
    fn default() -> Self {
        Timeline {
            snapshots: Vec::new(),
            spacing_events: FIRST_SPACING_EVENTS,
            bytes_each: 0,
            fixed: false,
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

    /// Copies `run` if it has moved at least the spacing past the last copy and a copy fits.
    pub fn record(&mut self, run: &R) {
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
        if !self.fixed {
            let by_cost = run.approx_copy_bytes() as u64 / BYTES_PER_SPACING_EVENT;
            if by_cost > self.spacing_events {
                // Too dear to copy this often: space copies out, and look again later.
                self.spacing_events = by_cost;
                if events < last + self.spacing_events {
                    return;
                }
            }
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
        self.snapshots.push(Snapshot {
            events,
            time: run.now(),
            run: run.clone(),
        });
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
            timeline.record(&run);
        }
        assert!(!timeline.is_empty());
        assert!(timeline.len() <= MAX_SNAPSHOTS);
        let at = SimTime::from_millis(700);
        let copy = timeline.before(at, u64::MAX).expect("a copy before 700 ms");
        assert!(copy.now() <= at);
        assert!(timeline.before(SimTime::ZERO, u64::MAX).is_none());
    }

    #[test]
    fn big_runs_are_copied_rarely() {
        let mut run = BroadcastRun::new(&broadcast_presets()[6].scenario).expect("valid");
        let mut timeline = Timeline::default();
        run.advance(RunBudget {
            until: run.end(),
            max_events: 1_000,
        });
        timeline.record(&run);
        assert!(
            timeline.is_empty(),
            "10,000 nodes: not worth a copy after 1,000 events"
        );
        assert!(
            timeline.spacing_events >= run.approx_copy_bytes() as u64 / BYTES_PER_SPACING_EVENT
        );
    }
}
