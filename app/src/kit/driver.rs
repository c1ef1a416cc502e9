//! Advancing a run without blocking the page: events are run in chunks towards a target time
//! until the target is reached or the frame's time budget is spent.
//!
//! The wall clock is passed in as a function (`performance.now()` in the browser, a counter in
//! tests), so the slicing is tested natively and never depends on how fast the machine is.

use scenario::LabRun;
use sim::{RunBudget, RunOutcome, SimTime};

/// How much work one animation frame may do.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliceBudget {
    /// Events per call into the kernel between two looks at the clock.
    pub chunk_events: u64,
    /// Wall-clock milliseconds the frame may spend simulating.
    pub max_ms: f64,
}

impl SliceBudget {
    /// The budget of an animation frame: chunks of 2,000 events, 8 ms, so drawing and input
    /// handling keep the rest of a 16 ms frame.
    pub const FRAME: SliceBudget = SliceBudget {
        chunk_events: 2_000,
        max_ms: 8.0,
    };
}

/// What one slice did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// Whether the run reached the target time (or its end, or ran out of events).
    pub reached: bool,
    /// Events processed in this slice.
    pub events: u64,
}

/// Runs `run` towards `target` in chunks, checking `wall_ms()` after each chunk and stopping
/// once `budget.max_ms` have passed since the slice began.
pub fn advance_towards<R: LabRun>(
    run: &mut R,
    target: SimTime,
    budget: SliceBudget,
    mut wall_ms: impl FnMut() -> f64,
) -> Slice {
    let started = wall_ms();
    let before = run.events_processed();
    let target = target.min(run.end());
    loop {
        let outcome = run.advance_slice(RunBudget {
            until: target,
            max_events: budget.chunk_events.max(1),
        });
        let events = run.events_processed() - before;
        if outcome != RunOutcome::EventBudgetSpent {
            return Slice {
                reached: true,
                events,
            };
        }
        if wall_ms() - started >= budget.max_ms {
            return Slice {
                reached: false,
                events,
            };
        }
    }
}

/// Most events one step through a moment processes: a moment of a huge run (100,000 nodes
/// starting at 0 ms) is cut into several steps, so a press never freezes the page.
pub const MAX_MOMENT_EVENTS: u64 = 20_000;

/// Processes the next moment: the next event and every other event at the same simulated
/// instant (at most [`MAX_MOMENT_EVENTS`]), so that a step shows a change (messages leaving,
/// nodes learning) rather than one of many invisible events at the same time. Returns how many
/// events ran (0 at the end of the run).
pub fn step_moment<R: LabRun>(run: &mut R) -> u64 {
    let before = run.events_processed();
    if !step_one(run) {
        return 0;
    }
    let instant = run.now();
    run.advance(RunBudget {
        until: instant,
        max_events: MAX_MOMENT_EVENTS - 1,
    });
    run.events_processed() - before
}

/// Processes exactly one event (the clock jumps to it); at the end of the run, does nothing.
/// Returns whether an event was processed.
pub fn step_one<R: LabRun>(run: &mut R) -> bool {
    if run.is_finished() {
        return false;
    }
    let before = run.events_processed();
    let end = run.end();
    run.advance(RunBudget {
        until: end,
        max_events: 1,
    });
    run.events_processed() > before
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::BroadcastRun;
    use scenario::scenario::broadcast_presets;

    fn run_of(preset: usize) -> BroadcastRun {
        BroadcastRun::new(&broadcast_presets()[preset].scenario).expect("a valid preset")
    }

    #[test]
    fn slices_reach_the_target_when_the_budget_allows() {
        let mut run = run_of(0);
        let slice = advance_towards(
            &mut run,
            SimTime::from_millis(50),
            SliceBudget::FRAME,
            || 0.0,
        );
        assert!(slice.reached);
        assert!(slice.events > 0);
        assert_eq!(run.now(), SimTime::from_millis(50));
    }

    #[test]
    fn a_spent_budget_stops_early_and_later_slices_finish_the_same_run() {
        let mut sliced = run_of(0);
        let mut clock = 0.0;
        let budget = SliceBudget {
            chunk_events: 3,
            max_ms: 1.0,
        };
        // Every look at the clock says a millisecond passed: one chunk per slice.
        let first = advance_towards(&mut sliced, SimTime::from_millis(200), budget, || {
            clock += 1.0;
            clock
        });
        assert!(!first.reached);
        assert_eq!(first.events, 3);
        let mut slices = 1;
        while !advance_towards(&mut sliced, SimTime::from_millis(200), budget, || {
            clock += 1.0;
            clock
        })
        .reached
        {
            slices += 1;
            assert!(slices < 100_000, "never reached the target");
        }
        let mut whole = run_of(0);
        advance_towards(
            &mut whole,
            SimTime::from_millis(200),
            SliceBudget::FRAME,
            || 0.0,
        );
        assert_eq!(sliced.trace_hash().hex(), whole.trace_hash().hex());
        assert_eq!(sliced.now(), whole.now());
    }

    #[test]
    fn actions_taken_between_slices_replay_exactly() {
        // Act in the middle of instants: after every third event, now and then.
        let mut run = run_of(2);
        let budget = SliceBudget {
            chunk_events: 3,
            max_ms: 0.5,
        };
        let mut clock = 0.0;
        let mut slices = 0u32;
        while !run.is_finished() {
            advance_towards(&mut run, SimTime::from_millis(900), budget, || {
                clock += 1.0;
                clock
            });
            slices += 1;
            match slices {
                40 => drop(run.broadcast_now(sim::NodeId(17)).expect("valid")),
                90 => run
                    .fault_now(sim::Fault::Crash(sim::NodeId(3)))
                    .expect("valid"),
                _ => {}
            }
            if run.now() >= SimTime::from_millis(900) {
                run.run_to_end();
            }
        }
        let replay = scenario::run(run.scenario()).expect("valid");
        assert_eq!(replay.trace_hash, run.trace_hash().hex());
        assert_eq!(run.params().actions.len(), 5);
    }

    #[test]
    fn targets_past_the_end_stop_at_the_end() {
        let mut run = run_of(0);
        let slice = advance_towards(&mut run, SimTime::MAX, SliceBudget::FRAME, || 0.0);
        assert!(slice.reached);
        assert!(run.is_finished());
        assert!(!step_one(&mut run), "nothing to step after the end");
    }

    #[test]
    fn step_processes_one_event_at_a_time() {
        let mut run = run_of(0);
        for expected in 1..=10 {
            assert!(step_one(&mut run));
            assert_eq!(run.sim().events_processed(), expected);
        }
    }
}
