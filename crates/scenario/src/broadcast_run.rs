//! A live run of the network & broadcast lab: the world plus the observers a page needs, advanced
//! in slices, with user actions recorded into the scenario so a share link replays them exactly.

use crate::energy_ledger::lab_ledger_config;
use crate::scenario::{
    Action, ActionKind, BroadcastScenario, Lab, Problem, Scenario, ScenarioError,
};
use crate::series::{Series, Timed};
use energy::EnergyLedger;
use protocols::broadcast::{
    BroadcastConfig, BroadcastMsg, BroadcastNode, BroadcastReport, BroadcastStats, build_sim,
};
use sim::{
    ConfigError, Counters, Fault, NetworkStats, NodeId, Observer, RunBudget, RunOutcome, Sim,
    SimDuration, SimTime, TraceEvent, TraceHash, TraceKind, TraceLog,
};

/// One point of the curves the lab plots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// When.
    pub time: SimTime,
    /// Fraction of (node, injected update) pairs informed.
    pub informed_fraction: f64,
    /// Messages sent so far.
    pub messages_sent: u64,
    /// Messages dropped so far.
    pub messages_dropped: u64,
}

impl Timed for Sample {
    fn time(&self) -> SimTime {
        self.time
    }
}

/// Samples the broadcast curves at a fixed interval of simulated time (bounded memory).
#[derive(Clone, Debug)]
struct Curves {
    series: Series<Sample>,
}

impl Curves {
    fn new(interval: SimDuration) -> Curves {
        Curves {
            series: Series::new(interval),
        }
    }

    fn sample_up_to(&mut self, t: SimTime, stats: &BroadcastStats, counters: &Counters) {
        while self.series.next_due() <= t {
            self.series.push(Sample {
                time: self.series.next_due(),
                informed_fraction: stats.overall_fraction_informed(),
                messages_sent: stats.messages_sent,
                messages_dropped: counters.total.dropped.messages,
            });
        }
    }
}

/// Observers of a broadcast run, fed together.
#[derive(Clone, Debug)]
struct Observers {
    stats: BroadcastStats,
    counters: Counters,
    hash: TraceHash,
    curves: Curves,
    energy: EnergyLedger,
    trace: TraceLog,
}

impl Observer<BroadcastMsg> for Observers {
    fn observe(&mut self, event: &TraceEvent<'_, BroadcastMsg>) {
        // Sample before counting an event at a later time, so each sample shows the state at its instant.
        if event.time >= self.curves.series.next_due()
            && !matches!(event.kind, TraceKind::Start { .. })
        {
            let before = SimTime(event.time.0.saturating_sub(1));
            self.curves
                .sample_up_to(before, &self.stats, &self.counters);
        }
        self.stats.observe(event);
        self.counters.observe(event);
        self.hash.observe(event);
        self.energy.observe(event);
        self.trace.observe(event);
    }
}

/// Nodes beyond which per-link counters are not kept (memory stays linear in nodes).
pub const PER_LINK_COUNTERS_MAX_NODES: u32 = 2_000;

/// A broadcast lab run in progress.
#[derive(Clone)]
pub struct BroadcastRun {
    scenario: Scenario,
    sim: Sim<BroadcastNode>,
    observers: Observers,
    actions_scheduled: usize,
}

/// What a finished run measured, for tests, comparisons and the share-link round trip.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The stable hash of the whole trace.
    pub trace_hash: String,
    /// Trace events.
    pub events: u64,
    /// Message accounting.
    pub network: NetworkStats,
    /// The protocol's figures.
    pub broadcast: BroadcastReport,
    /// Bytes sent in total.
    pub bytes_sent: u64,
}

/// The broadcast parameters of a scenario already known to be a broadcast one.
fn broadcast_of(s: &Scenario) -> &BroadcastScenario {
    match &s.lab {
        Lab::Broadcast(b) => b,
        _ => unreachable!("a BroadcastRun only ever holds a broadcast scenario"),
    }
}

fn broadcast_of_mut(s: &mut Scenario) -> &mut BroadcastScenario {
    match &mut s.lab {
        Lab::Broadcast(b) => b,
        _ => unreachable!("a BroadcastRun only ever holds a broadcast scenario"),
    }
}

/// The error for a scenario of another lab.
pub(crate) fn wrong_lab(expected: &str, scenario: &Scenario) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            field: "lab".into(),
            message: format!(
                "this is a scenario of the {} lab, not of the {expected} lab",
                scenario.lab.route()
            ),
        }],
    }
}

fn to_scenario_error(e: ConfigError) -> ScenarioError {
    ScenarioError {
        problems: vec![crate::scenario::Problem {
            field: "scenario".into(),
            message: e.to_string(),
        }],
    }
}

impl BroadcastRun {
    /// Validates and builds the run (nothing is simulated yet).
    pub fn new(scenario: &Scenario) -> Result<BroadcastRun, ScenarioError> {
        let Lab::Broadcast(b) = &scenario.lab else {
            return Err(wrong_lab("network", scenario));
        };
        scenario.validate()?;
        let config = scenario.sim_config(b).map_err(to_scenario_error)?;
        let sim = build_sim(
            config,
            BroadcastConfig {
                protocol: b.protocol,
                update_bytes: b.update_bytes,
            },
        )
        .map_err(to_scenario_error)?;
        let counters = if b.nodes <= PER_LINK_COUNTERS_MAX_NODES {
            Counters::new()
        } else {
            Counters::per_node_only()
        };
        let observers = Observers {
            stats: BroadcastStats::new(b.nodes),
            counters,
            hash: TraceHash::new(),
            curves: Curves::new(SimDuration(scenario.duration.0 / 500)),
            energy: EnergyLedger::new(lab_ledger_config(b.nodes, PER_LINK_COUNTERS_MAX_NODES)),
            trace: TraceLog::new(b.nodes, sim::DEFAULT_TRACE_LOG_BYTES),
        };
        let mut run = BroadcastRun {
            scenario: scenario.clone(),
            sim,
            observers,
            actions_scheduled: 0,
        };
        run.schedule_new_actions().map_err(to_scenario_error)?;
        Ok(run)
    }

    fn schedule_new_actions(&mut self) -> Result<(), ConfigError> {
        let b = broadcast_of(&self.scenario);
        for a in &b.actions[self.actions_scheduled..] {
            match &a.kind {
                ActionKind::Broadcast { node, update } => self.sim.schedule_input(
                    a.at,
                    *node,
                    BroadcastMsg::Broadcast { update: *update },
                )?,
                ActionKind::Fault(f) => self.sim.schedule_fault(a.at, f.clone())?,
                // Validation keeps replica updates out of broadcast scenarios.
                ActionKind::Update { .. } => {}
            }
        }
        self.actions_scheduled = b.actions.len();
        Ok(())
    }

    /// Runs until `budget.until` (capped at the end of the run) or `budget.max_events`.
    pub fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        let until = budget.until.min(self.end());
        let outcome = self.sim.run(
            RunBudget {
                until,
                max_events: budget.max_events,
            },
            &mut self.observers,
        );
        if outcome != RunOutcome::EventBudgetSpent {
            let now = until.max(self.sim.now()).min(self.end());
            self.sim.run_until(now, &mut self.observers);
            self.observers.curves.sample_up_to(
                now,
                &self.observers.stats,
                &self.observers.counters,
            );
        }
        outcome
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        self.advance(RunBudget {
            until: self.end(),
            max_events: u64::MAX,
        });
    }

    /// Records and schedules a user action at the current moment (it becomes part of the scenario,
    /// so a share link made afterwards replays it).
    pub fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError> {
        let at = self.sim.now();
        broadcast_of_mut(&mut self.scenario)
            .actions
            .push(Action { at, kind });
        if let Err(e) = self.scenario.validate() {
            broadcast_of_mut(&mut self.scenario).actions.pop();
            return Err(e);
        }
        self.schedule_new_actions().map_err(to_scenario_error)
    }

    /// Asks `node` to broadcast a new update now; returns the update's id.
    pub fn broadcast_now(&mut self, node: NodeId) -> Result<u32, ScenarioError> {
        let update = broadcast_of(&self.scenario).next_update();
        self.act_now(ActionKind::Broadcast { node, update })?;
        Ok(update)
    }

    /// Applies a fault verb now.
    pub fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        self.act_now(ActionKind::Fault(fault))
    }

    /// The scenario, including every action recorded so far.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// The broadcast parameters.
    pub fn params(&self) -> &BroadcastScenario {
        broadcast_of(&self.scenario)
    }
    /// The world, for drawing and inspecting.
    pub fn sim(&self) -> &Sim<BroadcastNode> {
        &self.sim
    }
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }
    /// When the run ends.
    pub fn end(&self) -> SimTime {
        SimTime::ZERO + self.scenario.duration
    }
    /// Whether the run has reached its end.
    pub fn is_finished(&self) -> bool {
        self.sim.now() >= self.end()
    }
    /// Per-update progress and message totals.
    pub fn stats(&self) -> &BroadcastStats {
        &self.observers.stats
    }
    /// Why the first injected update that has not reached every node has not, as things stand
    /// now (`None` when every injected update reached every node, or none was injected).
    pub fn shortfall(&self) -> Option<Shortfall> {
        let n = self.params().nodes as usize;
        let (update, progress) = self
            .stats()
            .updates
            .iter()
            .enumerate()
            .find(|(_, p)| p.injected_at.is_some() && p.all_informed_at.is_none())?;
        let knows = |i: usize| progress.informed_at.get(i).is_some_and(Option::is_some);
        let sim = &self.sim;
        let topology = sim.topology();
        let partitions = sim.partitions();
        // Hops from the nearest node that knows the update, over links a message can cross
        // now: both ends up, not cut by a partition.
        let mut hops: Vec<Option<u32>> = vec![None; n];
        let mut queue = std::collections::VecDeque::new();
        for (i, h) in hops.iter_mut().enumerate() {
            if knows(i) && sim.is_up(NodeId(i as u32)) {
                *h = Some(0);
                queue.push_back(NodeId(i as u32));
            }
        }
        while let Some(a) = queue.pop_front() {
            let next = hops[a.index()].map_or(0, |h| h + 1);
            for &b in topology.neighbours(a) {
                if hops[b.index()].is_none() && sim.is_up(b) && !partitions.blocks(a, b) {
                    hops[b.index()] = Some(next);
                    queue.push_back(b);
                }
            }
        }
        let mut out = Shortfall {
            update: update as u32,
            missing: 0,
            crashed: Vec::new(),
            cut_off: 0,
            in_reach: 0,
            farthest_hops: 0,
        };
        for (i, h) in hops.iter().enumerate().filter(|&(i, _)| !knows(i)) {
            out.missing += 1;
            let id = NodeId(i as u32);
            if !sim.is_up(id) {
                out.crashed.push(id);
            } else if let Some(h) = h {
                out.in_reach += 1;
                out.farthest_hops = out.farthest_hops.max(*h);
            } else {
                out.cut_off += 1;
            }
        }
        Some(out)
    }
    /// Per-node and per-link message counters.
    pub fn counters(&self) -> &Counters {
        &self.observers.counters
    }
    /// The curves to plot.
    pub fn samples(&self) -> &[Sample] {
        self.observers.curves.series.samples()
    }
    /// The energy ledger of the run so far.
    pub fn energy(&self) -> &EnergyLedger {
        &self.observers.energy
    }
    /// The trace so far, in bounded memory (for the space-time diagram and exports).
    pub fn trace_log(&self) -> &TraceLog {
        &self.observers.trace
    }
    /// The trace hash so far.
    pub fn trace_hash(&self) -> &TraceHash {
        &self.observers.hash
    }
    /// A summary of the run so far.
    pub fn report(&self) -> Report {
        Report {
            trace_hash: self.observers.hash.hex(),
            events: self.observers.hash.events(),
            network: self.sim.stats(),
            broadcast: self.observers.stats.report(),
            bytes_sent: self.observers.stats.bytes_sent,
        }
    }
}

/// Runs a scenario from start to end and reports.
pub fn run(scenario: &Scenario) -> Result<Report, ScenarioError> {
    let mut r = BroadcastRun::new(scenario)?;
    r.run_to_end();
    Ok(r.report())
}

impl BroadcastRun {
    /// The newest update injected so far (the one whose spread the live view shows).
    pub fn latest_update(&self) -> Option<u32> {
        self.stats()
            .updates
            .iter()
            .enumerate()
            .rev()
            .find(|(_, p)| p.injected_at.is_some())
            .map(|(u, _)| u as u32)
    }
}

/// The page's view of this run (see [`crate::lab_run`]).
mod lab_run_impl {
    use super::*;
    use crate::Scenario;
    use crate::lab_run::{Better, Knowledge, LabRun, Metric, NodeLook, Unit, traffic_and_energy};
    use crate::scenario::{ActionKind, Lab, ScenarioError, TopologyKind};
    use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

    impl LabRun for BroadcastRun {
        fn start(scenario: &Scenario) -> Result<Self, ScenarioError> {
            BroadcastRun::new(scenario)
        }
        fn advance(&mut self, budget: RunBudget) -> RunOutcome {
            BroadcastRun::advance(self, budget)
        }
        fn scenario(&self) -> &Scenario {
            BroadcastRun::scenario(self)
        }
        fn now(&self) -> SimTime {
            BroadcastRun::now(self)
        }
        fn events_processed(&self) -> u64 {
            self.sim().events_processed()
        }
        fn events_pending(&self) -> u64 {
            self.sim().pending().events as u64
        }
        fn trace_hash_hex(&self) -> String {
            self.trace_hash().hex()
        }
        fn node_count(&self) -> u32 {
            self.sim().node_count()
        }
        fn is_up(&self, node: NodeId) -> bool {
            self.sim().is_up(node)
        }
        fn topology(&self) -> &Topology {
            self.sim().topology()
        }
        fn network_of(scenario: &Scenario) -> Option<(u32, TopologyKind)> {
            match &scenario.lab {
                Lab::Broadcast(b) => Some((b.nodes, b.topology)),
                _ => None,
            }
        }
        fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
            BroadcastRun::fault_now(self, fault)
        }
        /// Filled: knows the latest update; pale: only older ones; hollow: none.
        fn node_looks(&self) -> Vec<NodeLook> {
            let sim = self.sim();
            let latest = self.latest_update();
            let groups = sim.partitions().groups();
            sim.nodes()
                .iter()
                .enumerate()
                .map(|(i, node)| {
                    let knowledge = match latest {
                        Some(u) if node.known.contains(u) => Knowledge::Latest,
                        _ if !node.known.is_empty() => Knowledge::Older,
                        _ => Knowledge::Unaware,
                    };
                    NodeLook {
                        knowledge,
                        up: sim.is_up(sim::NodeId(i as u32)),
                        group: groups.and_then(|g| g.get(i).copied()),
                    }
                })
                .collect()
        }
        fn messages_in_flight(&self) -> Vec<InFlight> {
            self.sim().messages_in_flight().collect()
        }
        fn in_flight_count(&self) -> u64 {
            self.sim().pending().messages_in_flight
        }
        /// The kernel's estimate, doubled for what nodes and observers allocate themselves (known
        /// updates, per-link counters), which it does not see, plus the trace log.
        fn approx_heap_bytes(&self) -> usize {
            2 * self.sim().approx_heap_bytes() + self.trace_log().heap_bytes()
        }
        fn approx_copy_bytes(&self) -> usize {
            2 * self.sim().approx_heap_bytes() + self.trace_log().unshared_bytes()
        }
        fn trace_log(&self) -> Option<&sim::TraceLog> {
            Some(BroadcastRun::trace_log(self))
        }
        fn energy(&self) -> &energy::EnergyLedger {
            BroadcastRun::energy(self)
        }
        fn metrics_csv(&self) -> String {
            crate::export::broadcast_csv(self.samples())
        }
        fn metrics(&self) -> Vec<Metric> {
            let report = self.stats().report();
            let ns = |d: Option<sim::SimDuration>| d.map(|d| d.0 as f64);
            let mut out = vec![
                Metric::new(
                    "Reach (node, update) pairs",
                    report.reached_fraction,
                    Unit::Fraction,
                    Better::Higher,
                ),
                Metric::new(
                    "Updates that reached every node",
                    report.complete_updates as f64,
                    Unit::Count,
                    Better::Higher,
                ),
                Metric::maybe(
                    "Time to reach all, median",
                    ns(report.time_to_all_p50),
                    Unit::Nanoseconds,
                    Better::Lower,
                    "not reached",
                ),
                Metric::new(
                    "Messages delivered",
                    self.counters().total.delivered.messages as f64,
                    Unit::Count,
                    Better::Neither,
                ),
            ];
            out.extend(traffic_and_energy(
                self.counters(),
                self.energy(),
                self.now(),
            ));
            out
        }
        fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError> {
            BroadcastRun::act_now(self, kind)
        }
    }
}

/// Why an update has not reached every node (see [`BroadcastRun::shortfall`]): each node that
/// does not know it is down, cut off (no path of running nodes and open links leads to it from a
/// node that knows the update), or in reach (the update can still get there, or could have, had
/// the run lasted longer or no message been lost).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    /// The update.
    pub update: u32,
    /// Nodes that do not know it.
    pub missing: u32,
    /// Those that are crashed now.
    pub crashed: Vec<NodeId>,
    /// Those that are up but cut off from every node that knows it.
    pub cut_off: u32,
    /// Those that are up and in reach.
    pub in_reach: u32,
    /// The most hops between a node in reach and the nearest node that knows the update.
    pub farthest_hops: u32,
}
