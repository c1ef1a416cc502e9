//! A live run of the remote-calls lab: the world plus its observers and curves, advanced in
//! slices, with faults recorded into the scenario so a share link replays them exactly.

use super::RpcScenario;
use crate::broadcast_run::{PER_LINK_COUNTERS_MAX_NODES, wrong_lab};
use crate::energy_ledger::lab_ledger_config;
use crate::lab_run::{Better, Knowledge, LabRun, Metric, NodeLook, Unit, traffic_and_energy};
use crate::scenario::{Action, ActionKind, Lab, Problem, Scenario, ScenarioError, TopologyKind};
use crate::series::{Series, Timed};
use energy::EnergyLedger;
use rpc::{RpcMsg, RpcNode, RpcReport, RpcStats};
use sim::{
    ConfigError, Counters, Fault, InFlight, NodeId, Observer, RunBudget, RunOutcome, Sim,
    SimDuration, SimTime, Topology, TraceEvent, TraceHash, TraceKind, TraceLog,
};
use std::fmt::Write as _;

/// One point of the lab's curves, sampled at a fixed interval of simulated time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RpcSample {
    /// When.
    pub time: SimTime,
    /// Calls started so far.
    pub started: u64,
    /// Calls completed so far: the deposits the clients believe were made.
    pub completed: u64,
    /// Calls of unknown outcome so far.
    pub unknown: u64,
    /// Calls in progress.
    pub in_progress: u64,
    /// Deposits executed so far, duplicates included.
    pub executions: u64,
    /// Executions beyond the first of a call so far.
    pub duplicate_executions: u64,
    /// The server's balance.
    pub balance: u64,
    /// Requests sent so far, retries included.
    pub requests_sent: u64,
}

impl Timed for RpcSample {
    fn time(&self) -> SimTime {
        self.time
    }
}

/// The observers of a run, fed together.
#[derive(Clone, Debug)]
struct Observers {
    stats: RpcStats,
    counters: Counters,
    hash: TraceHash,
    curves: Series<RpcSample>,
    energy: EnergyLedger,
    trace: TraceLog,
}

impl Observers {
    fn sample_up_to(&mut self, t: SimTime) {
        while self.curves.next_due() <= t {
            let s = &self.stats;
            self.curves.push(RpcSample {
                time: self.curves.next_due(),
                started: s.started,
                completed: s.completed,
                unknown: s.unknown(),
                in_progress: s.in_progress(),
                executions: s.executions,
                duplicate_executions: s.duplicate_executions,
                balance: s.balance,
                requests_sent: s.requests_sent,
            });
        }
    }
}

impl Observer<RpcMsg> for Observers {
    fn observe(&mut self, event: &TraceEvent<'_, RpcMsg>) {
        // Sample before counting an event at a later time, so each sample shows the state at
        // its instant.
        if event.time >= self.curves.next_due() && !matches!(event.kind, TraceKind::Start { .. }) {
            self.sample_up_to(SimTime(event.time.0.saturating_sub(1)));
        }
        self.stats.observe(event);
        self.counters.observe(event);
        self.hash.observe(event);
        self.energy.observe(event);
        self.trace.observe(event);
    }
}

/// A remote-calls lab run in progress.
#[derive(Clone)]
pub struct RpcRun {
    scenario: Scenario,
    sim: Sim<RpcNode>,
    observers: Observers,
    actions_scheduled: usize,
}

fn rpc_of(s: &Scenario) -> &RpcScenario {
    match &s.lab {
        Lab::Rpc(r) => r,
        _ => unreachable!("an RpcRun only ever holds a remote-calls scenario"),
    }
}

fn rpc_of_mut(s: &mut Scenario) -> &mut RpcScenario {
    match &mut s.lab {
        Lab::Rpc(r) => r,
        _ => unreachable!("an RpcRun only ever holds a remote-calls scenario"),
    }
}

fn config_error(e: ConfigError) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            field: "scenario".into(),
            message: e.to_string(),
        }],
    }
}

/// How a node is drawn, as [`Knowledge::State`] categories (one colour each).
pub mod look {
    /// The server.
    pub const SERVER: u32 = 0;
    /// A client waiting for nothing, all of whose settled calls completed.
    pub const IDLE: u32 = 1;
    /// A client waiting for the reply to some call now.
    pub const WAITING: u32 = 2;
    /// A client waiting for nothing that gave up on some call: it does not know whether that
    /// deposit was made.
    pub const UNKNOWN: u32 = 3;
}

impl RpcRun {
    /// Validates and builds the run (nothing is simulated yet).
    pub fn new(scenario: &Scenario) -> Result<RpcRun, ScenarioError> {
        let Lab::Rpc(r) = &scenario.lab else {
            return Err(wrong_lab("rpc", scenario));
        };
        scenario.validate()?;
        let config = rpc::node::sim_config(scenario.seed, r.clients, r.link.clone())
            .map_err(config_error)?;
        let sim = rpc::build_sim(config, r.config()).map_err(config_error)?;
        let nodes = r.nodes();
        let observers = Observers {
            stats: RpcStats::new(),
            counters: Counters::new(),
            hash: TraceHash::new(),
            curves: Series::new(SimDuration(scenario.duration.0 / 500)),
            energy: EnergyLedger::new(lab_ledger_config(nodes, PER_LINK_COUNTERS_MAX_NODES)),
            trace: TraceLog::new(nodes, sim::DEFAULT_TRACE_LOG_BYTES),
        };
        let mut run = RpcRun {
            scenario: scenario.clone(),
            sim,
            observers,
            actions_scheduled: 0,
        };
        run.schedule_new_actions().map_err(config_error)?;
        Ok(run)
    }

    fn schedule_new_actions(&mut self) -> Result<(), ConfigError> {
        let r = rpc_of(&self.scenario);
        for a in &r.actions[self.actions_scheduled..] {
            // Validation keeps every other kind of action out of remote-calls scenarios.
            if let ActionKind::Fault(f) = &a.kind {
                self.sim.schedule_fault(a.at, f.clone())?;
            }
        }
        self.actions_scheduled = r.actions.len();
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
            self.observers.sample_up_to(now);
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

    /// Records and schedules an action at the current moment (it becomes part of the
    /// scenario, so a share link made afterwards replays it). The lab takes faults only.
    pub fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError> {
        let at = self.sim.now();
        rpc_of_mut(&mut self.scenario)
            .actions
            .push(Action { at, kind });
        if let Err(e) = self.scenario.validate() {
            rpc_of_mut(&mut self.scenario).actions.pop();
            return Err(e);
        }
        self.schedule_new_actions().map_err(config_error)
    }

    /// Applies a fault verb now (crash or restart the server or a client, a partition).
    pub fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        self.act_now(ActionKind::Fault(fault))
    }

    /// The scenario, including every action recorded so far.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// The lab's parameters.
    pub fn params(&self) -> &RpcScenario {
        rpc_of(&self.scenario)
    }
    /// The world, for drawing and inspecting (the server is node 0).
    pub fn sim(&self) -> &Sim<RpcNode> {
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
    /// Every call's fate and the totals so far.
    pub fn stats(&self) -> &RpcStats {
        &self.observers.stats
    }
    /// The summary so far.
    pub fn report(&self) -> RpcReport {
        self.observers.stats.report()
    }
    /// Per-node and per-link message counters.
    pub fn counters(&self) -> &Counters {
        &self.observers.counters
    }
    /// The curves to plot.
    pub fn samples(&self) -> &[RpcSample] {
        self.observers.curves.samples()
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

    /// The curves as CSV, one row per sample (time in milliseconds).
    pub fn metrics_csv(&self) -> String {
        let mut out = String::from(
            "time_ms,started,completed,unknown,in_progress,executions,duplicate_executions,\
             balance,requests_sent\n",
        );
        for s in self.samples() {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                crate::fork::trim_to(s.time.as_millis_f64(), 6),
                s.started,
                s.completed,
                s.unknown,
                s.in_progress,
                s.executions,
                s.duplicate_executions,
                s.balance,
                s.requests_sent
            );
        }
        out
    }
}

/// Runs a remote-calls scenario from start to end: its trace hash and report.
pub fn run_rpc(scenario: &Scenario) -> Result<(String, RpcReport), ScenarioError> {
    let mut r = RpcRun::new(scenario)?;
    r.run_to_end();
    Ok((r.trace_hash().hex(), r.report()))
}

impl LabRun for RpcRun {
    fn start(scenario: &Scenario) -> Result<Self, ScenarioError> {
        RpcRun::new(scenario)
    }
    fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        RpcRun::advance(self, budget)
    }
    fn scenario(&self) -> &Scenario {
        RpcRun::scenario(self)
    }
    fn now(&self) -> SimTime {
        RpcRun::now(self)
    }
    fn events_processed(&self) -> u64 {
        self.sim.events_processed()
    }
    fn events_pending(&self) -> u64 {
        self.sim.pending().events as u64
    }
    fn trace_hash_hex(&self) -> String {
        self.trace_hash().hex()
    }
    fn node_count(&self) -> u32 {
        self.sim.node_count()
    }
    fn is_up(&self, node: NodeId) -> bool {
        self.sim.is_up(node)
    }
    fn topology(&self) -> &Topology {
        self.sim.topology()
    }
    /// A star: the server in the middle, each client linked to it.
    fn network_of(scenario: &Scenario) -> Option<(u32, TopologyKind)> {
        match &scenario.lab {
            Lab::Rpc(r) => Some((r.nodes(), TopologyKind::Star)),
            _ => None,
        }
    }
    fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        RpcRun::fault_now(self, fault)
    }
    /// One colour per [`look`] category: the server; clients idle, waiting for a reply, or
    /// having given up on some call.
    fn node_looks(&self) -> Vec<NodeLook> {
        let groups = self.sim.partitions().groups();
        self.sim
            .nodes()
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let state = match node {
                    RpcNode::Server(_) => look::SERVER,
                    RpcNode::Client(c) if c.in_flight() > 0 => look::WAITING,
                    RpcNode::Client(c) if c.unknown > 0 => look::UNKNOWN,
                    RpcNode::Client(_) => look::IDLE,
                };
                NodeLook {
                    knowledge: Knowledge::State(state),
                    up: self.sim.is_up(NodeId(i as u32)),
                    group: groups.and_then(|g| g.get(i).copied()),
                }
            })
            .collect()
    }
    fn messages_in_flight(&self) -> Vec<InFlight> {
        self.sim.messages_in_flight().collect()
    }
    fn in_flight_count(&self) -> u64 {
        self.sim.pending().messages_in_flight
    }
    /// The kernel's estimate, plus what the nodes and the stats allocate themselves (about 48
    /// bytes per call: the server's cache entry and the stats' record), plus the trace log.
    fn approx_heap_bytes(&self) -> usize {
        self.sim.approx_heap_bytes()
            + 48 * self.observers.stats.started as usize
            + self.trace_log().heap_bytes()
    }
    fn approx_copy_bytes(&self) -> usize {
        self.sim.approx_heap_bytes()
            + 48 * self.observers.stats.started as usize
            + self.trace_log().unshared_bytes()
    }
    fn trace_log(&self) -> Option<&TraceLog> {
        Some(RpcRun::trace_log(self))
    }
    fn energy(&self) -> &EnergyLedger {
        RpcRun::energy(self)
    }
    fn metrics_csv(&self) -> String {
        RpcRun::metrics_csv(self)
    }
    fn metrics(&self) -> Vec<Metric> {
        let r = self.report();
        let ns = |d: Option<SimDuration>| d.map(|d| d.0 as f64);
        let count = |v: u64| v as f64;
        let mut out = vec![
            Metric::new(
                "Calls started",
                count(r.started),
                Unit::Count,
                Better::Neither,
            ),
            Metric::new(
                "Calls completed",
                count(r.completed),
                Unit::Count,
                Better::Higher,
            ),
            Metric::new(
                "Outcome unknown",
                count(r.unknown),
                Unit::Count,
                Better::Lower,
            ),
            Metric::new(
                "Duplicate executions",
                count(r.duplicate_executions),
                Unit::Count,
                Better::Lower,
            ),
            Metric::new(
                "Server balance",
                count(r.balance),
                Unit::Count,
                Better::Neither,
            ),
            Metric::new(
                "Balance minus deposits clients believe",
                r.discrepancy() as f64,
                Unit::Count,
                Better::Neither,
            ),
            Metric::new(
                "Requests sent (retries included)",
                count(r.requests_sent),
                Unit::Count,
                Better::Lower,
            ),
            Metric::maybe(
                "Latency of completed calls, mean",
                ns(r.latency_mean),
                Unit::Nanoseconds,
                Better::Lower,
                "no call completed",
            ),
            Metric::maybe(
                "Latency of completed calls, p99",
                ns(r.latency_p99),
                Unit::Nanoseconds,
                Better::Lower,
                "no call completed",
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
        RpcRun::act_now(self, kind)
    }
}
