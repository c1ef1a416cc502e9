//! One lab session: the live run, its layout, the transport state (playing, paused, seeking),
//! the selected node and the actions a learner takes at the current moment. Pure: the page calls
//! [`Session::frame`] from `requestAnimationFrame` with `performance.now()`, tests call it with a
//! fake clock.

use crate::kit::driver::{self, Slice, SliceBudget};
use crate::kit::layout::{self, Point};
use crate::kit::pacing::Pacer;
use crate::kit::scene;
use crate::kit::timeline::Timeline;
use scenario::LabRun;
use scenario::Scenario;
use scenario::fork::Change;
use scenario::scenario::{ActionKind, ScenarioError, TopologyKind};
use sim::{Fault, NodeId, RestartMode, SimTime};

/// What the transport is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Nothing advances.
    Paused,
    /// Advancing at the chosen speed.
    Playing,
    /// Advancing as fast as the frame budget allows to a moment, then pausing there (opening a
    /// link with `t=`, or "run to end").
    Seeking(SimTime),
}

impl Mode {
    /// A stable word for tests and styling: `paused`, `playing`, `seeking`.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Paused => "paused",
            Mode::Playing => "playing",
            Mode::Seeking(_) => "seeking",
        }
    }
}

/// What one animation frame did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameReport {
    /// Events processed.
    pub events: u64,
    /// Whether anything visible may have changed (time moved, events ran).
    pub changed: bool,
}

/// A live lab run and everything the page needs around it. Generic over the lab's run; the
/// network lab's is the default.
pub struct Session<R: LabRun> {
    run: R,
    layout: Vec<Point>,
    spacing: f64,
    /// Bumped whenever the layout changes (a new topology), so drawings can cache by it.
    pub layout_id: u64,
    pacer: Pacer,
    /// Speed factor relative to real time.
    pub speed: f64,
    mode: Mode,
    selected: Option<NodeId>,
    /// Copies of the run for going back in time.
    timeline: Timeline<R>,
    /// A fork of the run, compared side by side (compare mode), if any.
    compare: Option<Box<Comparison<R>>>,
    /// The event counts before and after each step through a moment, latest last, so that
    /// stepping back undoes exactly one such step.
    moment_steps: Vec<(u64, u64)>,
}

/// Most moment steps remembered for stepping back (older ones go back one event at a time).
const MAX_MOMENT_STEPS: usize = 1_000;

/// A fork of a session's run, compared side by side under the session's time cursor: the
/// transport, the timeline and stepping drive the original, and the fork follows it to the same
/// simulated time. Actions taken on the original while comparing are repeated on the fork at
/// the same moment.
pub struct Comparison<R: LabRun> {
    /// The fork's own session (its run, layout and copies); it never plays on its own.
    fork: Session<R>,
    /// What the fork changes.
    pub change: Change,
    /// The moment the fork was made.
    pub at: SimTime,
    /// How many of the original's actions the fork has already.
    mirrored: usize,
}

impl<R: LabRun> Comparison<R> {
    /// The fork's session (for drawing it).
    pub fn fork(&self) -> &Session<R> {
        &self.fork
    }
}

/// The budget of one run while two share a frame (original and fork): half a frame's each.
const HALF_FRAME: SliceBudget = SliceBudget {
    chunk_events: SliceBudget::FRAME.chunk_events,
    max_ms: SliceBudget::FRAME.max_ms / 2.0,
};

/// No limit: for moves the learner waits for anyway (a step, a step back).
const UNBOUNDED: SliceBudget = SliceBudget {
    chunk_events: u64::MAX,
    max_ms: f64::INFINITY,
};

impl<R: LabRun> Session<R> {
    /// A paused session at time zero of `scenario`.
    pub fn new(scenario: &Scenario) -> Result<Self, ScenarioError> {
        let run = R::start(scenario)?;
        let (layout, spacing) = layout_of(&run);
        Ok(Session {
            run,
            layout,
            spacing,
            layout_id: 1,
            pacer: Pacer::default(),
            speed: R::DEFAULT_SPEED,
            mode: Mode::Paused,
            selected: None,
            timeline: Timeline::default(),
            compare: None,
            moment_steps: Vec::new(),
        })
    }

    /// Replaces the run with a new scenario (the editor's Apply, a preset). On error the current
    /// run is kept untouched.
    pub fn load(&mut self, scenario: &Scenario) -> Result<(), ScenarioError> {
        let run = R::start(scenario)?;
        let same_graph = same_topology::<R>(self.run.scenario(), scenario);
        self.run = run;
        self.timeline.clear();
        self.compare = None;
        if !same_graph {
            let (layout, spacing) = layout_of(&self.run);
            self.layout = layout;
            self.spacing = spacing;
            self.layout_id += 1;
        }
        if self.selected.is_some_and(|n| n.0 >= self.run.node_count()) {
            self.selected = None;
        }
        self.mode = Mode::Paused;
        self.pacer.pause();
        Ok(())
    }

    /// The run.
    pub fn run(&self) -> &R {
        &self.run
    }
    /// The run, to act on it (actions are recorded into its scenario). Acting changes the
    /// future, so the copies kept for going back are dropped.
    pub fn run_mut(&mut self) -> &mut R {
        self.timeline.clear();
        &mut self.run
    }
    /// The scenario with every recorded action (what Share shares).
    pub fn scenario(&self) -> &Scenario {
        self.run.scenario()
    }
    /// Node positions in unit space.
    pub fn layout(&self) -> &[Point] {
        &self.layout
    }
    /// Distance between neighbouring nodes in unit space (for node sizes).
    pub fn spacing(&self) -> f64 {
        self.spacing
    }
    /// The transport's state.
    pub fn mode(&self) -> Mode {
        self.mode
    }
    /// Whether the run's clock has reached its end.
    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }
    /// Whether the run is failing to keep up with the chosen speed.
    pub fn is_behind(&self) -> bool {
        self.mode == Mode::Playing && self.pacer.is_behind()
    }
    /// The speed achieved while behind.
    pub fn achieved_speed(&self) -> Option<f64> {
        self.pacer.achieved_speed()
    }
    /// The selected node.
    pub fn selected(&self) -> Option<NodeId> {
        self.selected
    }

    /// Selects a node (or none); ids beyond the run are ignored.
    pub fn select(&mut self, node: Option<NodeId>) {
        self.selected = node.filter(|n| n.0 < self.run.node_count());
    }

    /// Play if paused (from the start again if finished), pause otherwise.
    pub fn toggle_play(&mut self) {
        match self.mode {
            Mode::Paused => self.play(),
            _ => self.pause(),
        }
    }

    /// Starts playing at the chosen speed (a finished run restarts from zero).
    pub fn play(&mut self) {
        if self.run.is_finished() {
            self.reset();
        }
        self.pacer.pause();
        self.mode = Mode::Playing;
    }

    /// Stops advancing.
    pub fn pause(&mut self) {
        self.mode = Mode::Paused;
        self.pacer.pause();
    }

    /// Pauses and processes one event.
    pub fn step(&mut self) -> bool {
        self.pause();
        let stepped = driver::step_one(&mut self.run);
        self.timeline.record(&self.run, &mut || 0.0);
        self.fork_follows(UNBOUNDED, || 0.0);
        stepped
    }

    /// Pauses and processes the next moment: every event at the next event's instant (see
    /// [`driver::step_moment`]). Returns how many events ran.
    pub fn step_moment(&mut self) -> u64 {
        self.pause();
        let before = self.run.events_processed();
        let ran = driver::step_moment(&mut self.run);
        if ran > 0 {
            if self.moment_steps.len() == MAX_MOMENT_STEPS {
                self.moment_steps.remove(0);
            }
            self.moment_steps
                .push((before, self.run.events_processed()));
        }
        self.timeline.record(&self.run, &mut || 0.0);
        self.fork_follows(UNBOUNDED, || 0.0);
        ran
    }

    /// Pauses and undoes the last [`Session::step_moment`] if the run is right after it, exactly
    /// (restored from the nearest copy, then replayed); otherwise goes back one event, as
    /// [`Session::step_back`]. Returns whether there was anything to undo.
    pub fn step_back_moment(&mut self) -> bool {
        let now = self.run.events_processed();
        while let Some((before, after)) = self.moment_steps.pop() {
            if after == now {
                self.seek_to_event(before);
                return true;
            }
        }
        self.step_back()
    }

    /// Pauses and goes back one event: the world is exactly what a fresh run reaches after one
    /// event less (restored from the nearest copy before it, then replayed). Returns whether
    /// there was an event to undo.
    pub fn step_back(&mut self) -> bool {
        match self.run.events_processed().checked_sub(1) {
            Some(target) => {
                self.seek_to_event(target);
                true
            }
            None => {
                self.pause();
                false
            }
        }
    }

    /// Pauses at the moment the `target`-th event has just been processed (or at the end, if
    /// the run has fewer): backwards from the nearest copy, forwards from here.
    pub fn seek_to_event(&mut self, target: u64) {
        self.pause();
        if target < self.run.events_processed() {
            self.rewind_to(self.run.now(), target);
        }
        let missing = target.saturating_sub(self.run.events_processed());
        if missing > 0 {
            let end = self.run.end();
            self.run.advance(sim::RunBudget {
                until: end,
                max_events: missing,
            });
            self.timeline.record(&self.run, &mut || 0.0);
        }
        self.fork_follows(UNBOUNDED, || 0.0);
    }

    /// Replaces the run by the latest copy at or before `time` with at most `max_events`
    /// events, or by a fresh start.
    fn rewind_to(&mut self, time: SimTime, max_events: u64) {
        match self.timeline.before(time, max_events) {
            Some(copy) => self.run = copy,
            None => {
                if let Ok(run) = R::start(self.run.scenario()) {
                    self.run = run;
                }
            }
        }
    }

    /// Back to time zero of the same scenario, recorded actions included; paused.
    pub fn reset(&mut self) {
        let scenario = self.run.scenario().clone();
        if let Ok(run) = R::start(&scenario) {
            self.run = run;
        }
        if let Some(c) = &mut self.compare {
            c.fork.reset();
        }
        self.pause();
    }

    /// Runs as fast as the page allows to `at`, then pauses. A moment in the past is reached
    /// from the nearest copy before it (or from zero).
    pub fn seek(&mut self, at: SimTime) {
        if at < self.run.now() {
            self.rewind_to(at, u64::MAX);
            self.pacer.pause();
        }
        if let Some(c) = &mut self.compare
            && at < c.fork.run.now()
        {
            c.fork.rewind_to(at, u64::MAX);
        }
        self.mode = Mode::Seeking(at.min(self.run.end()));
    }

    /// Runs as fast as the page allows to the end, then pauses.
    pub fn run_to_end(&mut self) {
        self.mode = Mode::Seeking(self.run.end());
    }

    /// Advances for one animation frame: `wall_ms` is the frame's timestamp, `clock` reads the
    /// wall clock while simulating (for the time budget).
    pub fn frame(&mut self, wall_ms: f64, mut clock: impl FnMut() -> f64) -> FrameReport {
        let before_time = self.run.now();
        // A fork still on its way to the shared moment (just made, or behind after a seek)
        // catches up first; the original waits for it.
        let caught_up = self.fork_follows(HALF_FRAME, &mut clock);
        if let Some(slice) = caught_up
            && !slice.reached
        {
            return report(slice, true);
        }
        let budget = if self.compare.is_some() {
            HALF_FRAME
        } else {
            SliceBudget::FRAME
        };
        let slice = match self.mode {
            Mode::Paused => {
                return caught_up.map_or_else(FrameReport::default, |s| report(s, true));
            }
            Mode::Playing => {
                let target =
                    self.pacer
                        .target(wall_ms, self.run.now().0, self.run.end().0, self.speed);
                let slice =
                    driver::advance_towards(&mut self.run, SimTime(target), budget, &mut clock);
                self.pacer.record(
                    slice.reached,
                    self.run.now().0.saturating_sub(before_time.0),
                );
                slice
            }
            Mode::Seeking(at) => {
                let slice = driver::advance_towards(&mut self.run, at, budget, &mut clock);
                if slice.reached {
                    self.mode = Mode::Paused;
                }
                slice
            }
        };
        if self.run.is_finished() && self.mode == Mode::Playing {
            self.pause();
        }
        self.timeline.record(&self.run, &mut clock);
        let fork_events = self
            .fork_follows(HALF_FRAME, &mut clock)
            .map_or(0, |s| s.events);
        report(
            Slice {
                reached: slice.reached,
                events: slice.events + fork_events,
            },
            before_time != self.run.now(),
        )
    }

    /// Brings this run to `at`: back from the nearest copy, or forward within `budget`.
    fn follow(
        &mut self,
        at: SimTime,
        budget: SliceBudget,
        mut clock: impl FnMut() -> f64,
    ) -> Slice {
        if at < self.run.now() {
            self.rewind_to(at, u64::MAX);
        }
        let slice = driver::advance_towards(&mut self.run, at, budget, &mut clock);
        self.timeline.record(&self.run, &mut clock);
        slice
    }

    /// Moves the fork (if comparing and not there yet) towards the original's moment.
    fn fork_follows(&mut self, budget: SliceBudget, clock: impl FnMut() -> f64) -> Option<Slice> {
        let now = self.run.now();
        let c = self.compare.as_mut()?;
        (c.fork.run.now() != now).then(|| c.fork.follow(now, budget, clock))
    }

    /// Forks the run here with `change` and compares the two (compare mode). A fault forks at
    /// this moment from an exact copy of the run; a parameter the kernel fixes when it builds the
    /// world replays from time zero with the change (and catches up over the next frames).
    /// Says what happened, or why not.
    pub fn fork(&mut self, change: Change) -> Result<String, String> {
        let at = self.run.now();
        let forked = scenario::fork::fork(self.run.scenario(), at, &change)
            .map_err(|e| format!("This fork cannot run: {e}."))?;
        let mut fork = Session::<R>::new(&forked).map_err(|e| e.to_string())?;
        if same_topology::<R>(self.run.scenario(), &forked) {
            fork.layout = self.layout.clone();
            fork.spacing = self.spacing;
        }
        if let Change::Fault(fault) = &change {
            // The same as replaying `forked` to here (a live action replays exactly), without
            // the replay.
            let mut run = self.run.clone();
            run.act_now(ActionKind::Fault(fault.clone()))
                .map_err(|e| e.to_string())?;
            fork.run = run;
        }
        fork.pause();
        let mirrored = self.run.scenario().lab.actions().len();
        let how = if change.replays_from_zero() {
            format!(
                "The fork replays from 0 ms with {}: the kernel fixes that when it builds the run.",
                change.describe_in(self.run.scenario())
            )
        } else {
            format!(
                "The fork shares everything up to {} and then {}.",
                crate::kit::format::time_ns(at.0),
                change.describe_in(self.run.scenario())
            )
        };
        self.compare = Some(Box::new(Comparison {
            fork,
            change,
            at,
            mirrored,
        }));
        Ok(how)
    }

    /// The fork being compared, if any.
    pub fn comparison(&self) -> Option<&Comparison<R>> {
        self.compare.as_deref()
    }

    /// Leaves compare mode: back to the single run, where it is.
    pub fn leave_compare(&mut self) {
        self.compare = None;
    }

    /// Repeats on the fork the actions recorded on the original since the last call, at the
    /// same moment (after catching the fork up to it). Returns any action the fork refused.
    pub fn mirror_actions(&mut self) -> Result<(), String> {
        let now = self.run.now();
        let Some(c) = self.compare.as_mut() else {
            return Ok(());
        };
        let actions = self.run.scenario().lab.actions();
        if actions.len() <= c.mirrored {
            return Ok(());
        }
        c.fork.follow(now, UNBOUNDED, || 0.0);
        let mut refused = Ok(());
        for a in &actions[c.mirrored..] {
            if let Err(e) = c.fork.run_mut().act_now(a.kind.clone()) {
                refused = Err(format!("The fork could not repeat that action: {e}."));
            }
        }
        c.mirrored = actions.len();
        refused
    }

    /// The selected node, or an explanation for the button's status line.
    pub fn need_selection(&self) -> Result<NodeId, String> {
        self.selected
            .ok_or_else(|| "Select a node first: click it in the view or type its number.".into())
    }

    /// Crashes the selected node if it is up, restarts it (with `mode`) if it is down.
    pub fn crash_or_restart_selected(&mut self, mode: RestartMode) -> Result<String, String> {
        let node = self.need_selection()?;
        let fault = if self.run.is_up(node) {
            Fault::Crash(node)
        } else {
            Fault::Restart { node, mode }
        };
        self.fault(fault)
    }

    /// Splits the nodes into two halves by id (`n0…` and `…n(N-1)`), which cannot talk across.
    pub fn split_in_halves(&mut self) -> Result<String, String> {
        let n = self.run.node_count();
        if n < 2 {
            return Err("A split needs at least two nodes.".into());
        }
        self.fault(Fault::Split(vec![(0..n / 2).map(NodeId).collect()]))
    }

    /// Heals every partition.
    pub fn heal(&mut self) -> Result<String, String> {
        self.fault(Fault::HealAll)
    }

    /// Applies a fault verb now; says what happened.
    pub fn fault(&mut self, fault: Fault) -> Result<String, String> {
        let letter = self.run.node_letter();
        let text = crate::kit::spacetime::rename_nodes(&fault.describe(), letter);
        self.run_mut()
            .fault_now(fault)
            .map_err(|e| crate::kit::spacetime::rename_nodes(&e.to_string(), letter))?;
        let mut said = format!(
            "{} at {}.",
            capitalise(&text),
            crate::kit::format::time_ns(self.run.now().0)
        );
        if self.mode == Mode::Paused {
            said.push_str(" It takes effect when the run goes on.");
        }
        Ok(said)
    }

    /// Node positions in pixels for a canvas of `width × height` pixels with a margin.
    pub fn transform(&self, width: f64, height: f64, margin: f64) -> scene::Transform {
        scene::Transform::fit(layout::bounds(&self.layout), width, height, margin)
    }
}

/// `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn report(slice: Slice, time_moved: bool) -> FrameReport {
    FrameReport {
        events: slice.events,
        changed: time_moved || slice.events > 0,
    }
}

fn layout_of<R: LabRun>(run: &R) -> (Vec<Point>, f64) {
    let points = run.positions().unwrap_or_else(|| {
        let (nodes, kind) = R::network_of(run.scenario())
            .unwrap_or((run.node_count(), TopologyKind::Random { mean_degree: 0.0 }));
        layout::layout(&kind, nodes, run.topology())
    });
    let spacing = scene::spacing_estimate(&points);
    (points, spacing)
}

fn same_topology<R: LabRun>(a: &Scenario, b: &Scenario) -> bool {
    let (Some((n, x)), Some((m, y))) = (R::network_of(a), R::network_of(b)) else {
        return false;
    };
    n == m && x == y && (a.seed == b.seed || !matches!(x, TopologyKind::Random { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::BroadcastRun;
    use scenario::scenario::broadcast_presets;

    fn session(preset: usize) -> Session<BroadcastRun> {
        Session::new(&broadcast_presets()[preset].scenario).expect("a valid preset")
    }

    /// Plays `frames` frames of 16 ms with an instant clock.
    fn play_frames(s: &mut Session<BroadcastRun>, frames: u32) {
        for i in 0..frames {
            s.frame(i as f64 * 16.0, || 0.0);
        }
    }

    #[test]
    fn play_advances_by_speed_and_pause_stops() {
        let mut s = session(0);
        s.speed = 1.0;
        s.play();
        play_frames(&mut s, 11);
        assert_eq!(s.run().now(), SimTime::from_millis(160));
        s.pause();
        s.frame(1_000.0, || 0.0);
        assert_eq!(s.run().now(), SimTime::from_millis(160));
        assert_eq!(s.mode(), Mode::Paused);
    }

    #[test]
    fn a_finished_run_pauses_and_play_starts_over() {
        let mut s = session(0);
        s.speed = 100.0;
        s.play();
        play_frames(&mut s, 20);
        assert!(s.is_finished());
        assert_eq!(s.mode(), Mode::Paused);
        s.toggle_play();
        assert_eq!(s.run().now(), SimTime::ZERO);
        assert_eq!(s.mode(), Mode::Playing);
    }

    #[test]
    fn seeking_pauses_at_the_moment_and_matches_a_direct_run() {
        let mut s = session(2);
        s.seek(SimTime::from_millis(300));
        let mut frames = 0;
        while s.mode() != Mode::Paused {
            s.frame(frames as f64, || 0.0);
            frames += 1;
        }
        assert_eq!(s.run().now(), SimTime::from_millis(300));
        let mut direct = BroadcastRun::new(&broadcast_presets()[2].scenario).expect("valid");
        direct.advance(sim::RunBudget {
            until: SimTime::from_millis(300),
            max_events: u64::MAX,
        });
        assert_eq!(s.run().trace_hash().hex(), direct.trace_hash().hex());
    }

    #[test]
    fn actions_need_a_selection_and_are_recorded_for_replay() {
        let mut s = session(0);
        assert!(s.broadcast_from_selected().is_err());
        s.select(Some(NodeId(99)));
        assert_eq!(s.selected(), None, "no node 99 in a 5×5 grid");
        s.select(Some(NodeId(7)));
        s.seek(SimTime::from_millis(120));
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        let said = s.broadcast_from_selected().expect("a broadcast");
        assert_eq!(said, "n7 broadcasts update u2 at 120 ms.");
        s.crash_or_restart_selected(RestartMode::Durable)
            .expect("a crash");
        s.split_in_halves().expect("a split");
        s.heal().expect("a heal");
        s.run_to_end();
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        // The recorded scenario replays to the same trace.
        let replay = scenario::run(s.scenario()).expect("valid");
        assert_eq!(replay.trace_hash, s.run().trace_hash().hex());
        // Reset keeps the actions: the preset's two broadcasts and the four above.
        s.reset();
        assert_eq!(s.run().now(), SimTime::ZERO);
        assert_eq!(s.run().params().actions.len(), 6);
    }

    #[test]
    fn restart_follows_a_crash() {
        let mut s = session(0);
        s.select(Some(NodeId(3)));
        assert!(
            s.crash_or_restart_selected(RestartMode::Volatile)
                .unwrap()
                .starts_with("Crash n3")
        );
        s.step();
        s.step();
        // The crash is scheduled behind the starts at time zero; run until it happened.
        s.seek(SimTime::from_millis(1));
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        assert!(!s.run().sim().is_up(NodeId(3)));
        let said = s.crash_or_restart_selected(RestartMode::Volatile).unwrap();
        assert!(said.starts_with("Restart n3 (volatile)"), "{said}");
    }

    #[test]
    fn loading_an_invalid_scenario_keeps_the_run() {
        let mut s = session(0);
        s.step();
        let mut bad = broadcast_presets()[0].scenario.clone();
        let scenario::scenario::Lab::Broadcast(b) = &mut bad.lab else {
            panic!("a broadcast scenario")
        };
        b.nodes = 0;
        assert!(s.load(&bad).is_err());
        assert_eq!(s.run().sim().events_processed(), 1);
        let layout_id = s.layout_id;
        s.load(&broadcast_presets()[1].scenario).expect("valid");
        assert_eq!(s.layout_id, layout_id + 1, "grid → line: a new layout");
        assert_eq!(s.run().now(), SimTime::ZERO);
    }

    /// A fresh run of `scenario` advanced by exactly `events` events.
    fn fresh_at<R: LabRun>(scenario: &Scenario, events: u64) -> R {
        let mut run = R::start(scenario).expect("valid");
        let end = run.end();
        run.advance(sim::RunBudget {
            until: end,
            max_events: events,
        });
        run
    }

    /// Seeking to random events, backwards and forwards, gives exactly the world a fresh run
    /// reaches at that event (same trace hash, time and event count). Positions come from a
    /// fixed seed, printed on failure.
    fn seeking_to_events_matches_fresh_runs<R: LabRun>(scenario: &Scenario) {
        let mut s = Session::<R>::new(scenario).expect("valid");
        s.timeline = Timeline::with_fixed_spacing(50);
        let mut k = 0;
        while !s.run().is_finished() {
            k += 37;
            s.seek_to_event(k);
        }
        let total = s.run().events_processed();
        assert!(
            s.timeline.len() > 1,
            "copies were taken on the way ({total} events)"
        );
        let seed = 0x5eed_u64;
        let mut x = seed;
        for _ in 0..12 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let target = x % (total + 1);
            s.seek_to_event(target);
            let fresh: R = fresh_at(scenario, target);
            assert_eq!(s.run().events_processed(), target, "seed {seed}");
            assert_eq!(s.run().now(), fresh.now(), "seed {seed}, event {target}");
            assert_eq!(
                s.run().trace_hash_hex(),
                fresh.trace_hash_hex(),
                "seed {seed}, event {target}"
            );
        }
    }

    #[test]
    fn seeking_to_an_event_is_exact_in_both_labs() {
        seeking_to_events_matches_fresh_runs::<BroadcastRun>(&broadcast_presets()[2].scenario);
        let crdt = scenario::crdt_lab::crdt_presets()
            .into_iter()
            .find(|p| p.name == "Lossy network")
            .expect("preset")
            .scenario;
        seeking_to_events_matches_fresh_runs::<scenario::CrdtRun>(&crdt);
    }

    #[test]
    fn step_back_undoes_exactly_one_event_and_seek_back_lands_on_the_moment() {
        let scenario = &broadcast_presets()[0].scenario;
        let mut s = session(0);
        for _ in 0..40 {
            s.step();
        }
        let before = s.run().trace_hash().hex();
        s.step();
        assert!(s.step_back());
        assert_eq!(s.run().events_processed(), 40);
        assert_eq!(s.run().trace_hash().hex(), before);
        s.seek(SimTime::from_millis(900));
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        s.seek(SimTime::from_millis(250));
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        let mut direct = BroadcastRun::new(scenario).expect("valid");
        direct.advance(sim::RunBudget {
            until: SimTime::from_millis(250),
            max_events: u64::MAX,
        });
        assert_eq!(s.run().now(), SimTime::from_millis(250));
        assert_eq!(s.run().trace_hash().hex(), direct.trace_hash().hex());
        // At time zero with nothing processed there is nothing to undo.
        s.reset();
        assert!(!s.step_back());
    }

    #[test]
    fn acting_drops_the_copies_so_going_back_replays_the_action() {
        let mut s = session(0);
        s.seek(SimTime::from_millis(600));
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        s.select(Some(NodeId(24)));
        s.broadcast_from_selected().expect("a broadcast");
        assert!(s.timeline.is_empty());
        s.run_to_end();
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
        let target = s.run().events_processed() - 3;
        s.seek_to_event(target);
        let fresh: BroadcastRun = fresh_at(s.scenario(), target);
        assert_eq!(s.run().trace_hash().hex(), fresh.trace_hash().hex());
    }

    /// Frames until the session pauses (a seek or run to end has arrived).
    fn until_paused(s: &mut Session<BroadcastRun>) {
        while s.mode() != Mode::Paused {
            s.frame(0.0, || 0.0);
        }
    }

    fn fork_time(s: &Session<BroadcastRun>) -> SimTime {
        s.comparison().expect("comparing").fork().run().now()
    }

    #[test]
    fn a_fork_follows_the_shared_cursor_and_replays_like_its_scenario() {
        let mut s = session(0);
        s.seek(SimTime::from_millis(120));
        until_paused(&mut s);
        let said = s.fork(Change::Loss(0.3)).expect("a valid fork");
        assert!(said.contains("replays from 0 ms"), "{said}");
        // Paused: the fork catches up to the shared moment on the next frames.
        s.frame(0.0, || 0.0);
        assert_eq!(fork_time(&s), SimTime::from_millis(120));
        s.speed = 1.0;
        s.play();
        for i in 0..6 {
            s.frame(1_000.0 + 16.0 * i as f64, || 0.0);
            assert_eq!(fork_time(&s), s.run().now(), "lockstep after frame {i}");
        }
        s.step();
        assert_eq!(fork_time(&s), s.run().now());
        s.seek(SimTime::from_millis(40));
        until_paused(&mut s);
        assert_eq!(fork_time(&s), SimTime::from_millis(40), "back together");
        let fork_scenario = s.comparison().unwrap().fork().scenario().clone();
        let fresh: BroadcastRun = {
            let mut r = BroadcastRun::new(&fork_scenario).expect("valid");
            r.advance(sim::RunBudget {
                until: SimTime::from_millis(40),
                max_events: u64::MAX,
            });
            r
        };
        let fork_hash = s.comparison().unwrap().fork().run().trace_hash().hex();
        assert_eq!(fork_hash, fresh.trace_hash().hex());
        s.run_to_end();
        until_paused(&mut s);
        let rows = crate::kit::compare::differences(
            &s.run().metrics(),
            &s.comparison().unwrap().fork().run().metrics(),
        );
        let dropped = rows.iter().find(|r| r.name == "Messages dropped").unwrap();
        assert_eq!(dropped.sign, Some(std::cmp::Ordering::Greater));
        assert_eq!(dropped.verdict, crate::kit::compare::Verdict::Original);
        s.leave_compare();
        assert!(s.comparison().is_none());
    }

    #[test]
    fn a_fault_fork_branches_here_and_repeats_later_actions() {
        let mut s = session(0);
        s.seek(SimTime::from_millis(100));
        until_paused(&mut s);
        let before = s.run().trace_hash().hex();
        let said = s.fork(Change::Fault(Fault::Crash(NodeId(6)))).unwrap();
        assert!(said.contains("shares everything up to 100 ms"), "{said}");
        let fork = s.comparison().unwrap().fork();
        assert_eq!(fork.run().now(), SimTime::from_millis(100));
        assert_eq!(fork.run().trace_hash().hex(), before, "not yet crashed");
        // An action on the original is repeated on the fork at the same moment.
        s.select(Some(NodeId(0)));
        s.broadcast_from_selected().unwrap();
        s.mirror_actions().unwrap();
        let fork_actions = s.comparison().unwrap().fork().scenario().lab.actions();
        assert_eq!(
            fork_actions.last().map(|a| a.at),
            Some(SimTime::from_millis(100))
        );
        assert_eq!(
            fork_actions.len(),
            s.scenario().lab.actions().len() + 1,
            "the original's actions and the crash"
        );
        s.run_to_end();
        until_paused(&mut s);
        let fork = s.comparison().unwrap().fork();
        let replay = scenario::run(fork.scenario()).expect("valid");
        assert_eq!(replay.trace_hash, fork.run().trace_hash().hex());
        assert!(!fork.run().sim().is_up(NodeId(6)));
        // A new scenario leaves compare mode.
        s.load(&broadcast_presets()[1].scenario).unwrap();
        assert!(s.comparison().is_none());
    }

    /// A long run keeps its trace log under the log's cap and the time-travel copies under
    /// theirs, though every copy carries a log (their full chunks shared, but counted whole).
    #[test]
    fn a_long_run_keeps_its_log_and_copies_within_their_caps() {
        let mut scenario = broadcast_presets()
            .into_iter()
            .find(|p| p.name == "Partition, then heal (push-pull)")
            .expect("preset")
            .scenario;
        scenario.duration = sim::SimDuration::from_secs(400);
        let mut s = Session::<BroadcastRun>::new(&scenario).expect("valid");
        let mut target = 0;
        while !s.run().is_finished() {
            target += 10_000;
            s.seek_to_event(target);
            assert!(s.timeline.bytes() <= crate::kit::timeline::MAX_SNAPSHOT_BYTES);
            assert!(s.run().trace_log().heap_bytes() <= sim::DEFAULT_TRACE_LOG_BYTES);
        }
        assert!(s.run().trace_log().evicted() > 0, "the run outgrew its log");
        assert!(
            s.timeline.len() > 2,
            "copies were kept: {} after {} events, {} bytes each, {} to copy",
            s.timeline.len(),
            s.run().events_processed(),
            s.run().approx_heap_bytes(),
            s.run().approx_copy_bytes()
        );
        // Going back restores a copy whose log is the log of that moment.
        s.seek_to_event(target / 2);
        let fresh: BroadcastRun = fresh_at(&scenario, target / 2);
        let seqs = |r: &BroadcastRun| r.trace_log().entries().map(|e| e.seq).collect::<Vec<_>>();
        let (restored, fresh) = (seqs(s.run()), seqs(&fresh));
        assert!(
            restored == fresh,
            "the restored log keeps events {:?}..{:?}, a fresh run's {:?}..{:?}",
            restored.first(),
            restored.last(),
            fresh.first(),
            fresh.last()
        );
    }

    #[test]
    fn a_step_goes_through_a_whole_moment_and_steps_back_exactly() {
        use scenario::LabRun;
        let mut s = session(0);
        let first = s.step_moment();
        assert!(
            first > 1,
            "the starts and the broadcast at 0 ms in one step ({first})"
        );
        assert_eq!(s.run().now(), SimTime::ZERO);
        assert!(s.run().in_flight_count() > 0, "messages leave at once");
        assert_eq!(s.mode(), Mode::Paused);
        let after_first = (s.run().events_processed(), s.run().trace_hash().hex());
        // Nothing is left at that instant: the next event is later.
        let mut next = s.run().clone();
        assert!(driver::step_one(&mut next));
        assert!(next.now() > SimTime::ZERO);
        s.step_moment();
        let second = s.run().now();
        assert!(second > SimTime::ZERO, "the next step moves the clock");
        assert!(s.step_back_moment());
        assert_eq!(
            (s.run().events_processed(), s.run().trace_hash().hex()),
            after_first,
            "one step back undoes exactly one step"
        );
        assert!(s.step_back_moment());
        assert_eq!(s.run().events_processed(), 0);
        assert!(!s.step_back_moment(), "nothing before time zero");
        // After moving elsewhere, stepping back goes back one event.
        for _ in 0..3 {
            s.step_moment();
        }
        s.step();
        let here = s.run().events_processed();
        assert!(s.step_back_moment());
        assert_eq!(s.run().events_processed(), here - 1);
    }

    #[test]
    fn step_moves_one_event() {
        let mut s = session(0);
        s.play();
        assert!(s.step());
        assert_eq!(s.mode(), Mode::Paused);
        assert_eq!(s.run().sim().events_processed(), 1);
    }
}
