//! What the shared lab machinery (session, driver, transport) needs from a lab's live run, so
//! every lab gets the same play/pause/step/seek, pacing and share behaviour.

use crate::kit::compare::{Better, Metric, Unit};
use crate::kit::scene::{self, Knowledge, NodeLook};
use scenario::scenario::{Action, ActionKind, Lab, ScenarioError, TopologyKind};
use scenario::{BroadcastRun, CrdtRun, EdgeRun, Scenario};
use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

/// A lab's run, advanced in slices by the page.
pub trait LiveRun: Sized + Clone {
    /// The speed a session of this lab starts at (a factor of real time).
    const DEFAULT_SPEED: f64 = crate::kit::pacing::DEFAULT_SPEED;
    /// Validates `scenario` and builds the run at time zero.
    fn start(scenario: &Scenario) -> Result<Self, ScenarioError>;
    /// Runs until `budget.until` (capped at the end) or `budget.max_events`.
    fn advance(&mut self, budget: RunBudget) -> RunOutcome;
    /// The scenario with every action recorded so far.
    fn scenario(&self) -> &Scenario;
    /// The current simulated time.
    fn now(&self) -> SimTime;
    /// When the run ends.
    fn end(&self) -> SimTime {
        SimTime::ZERO + self.scenario().duration
    }
    /// Whether the run has reached its end.
    fn is_finished(&self) -> bool {
        self.now() >= self.end()
    }
    /// Events processed so far.
    fn events_processed(&self) -> u64;
    /// Events waiting in the queue.
    fn events_pending(&self) -> u64;
    /// The trace hash so far, in hex.
    fn trace_hash_hex(&self) -> String;
    /// How many nodes.
    fn node_count(&self) -> u32;
    /// Whether `node` is running.
    fn is_up(&self, node: NodeId) -> bool;
    /// Who is linked to whom.
    fn topology(&self) -> &Topology;
    /// The nodes and topology a scenario of this lab asks for (for reusing a layout).
    fn network_of(scenario: &Scenario) -> Option<(u32, TopologyKind)>;
    /// Applies a fault verb now and records it.
    fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError>;
    /// How every node should be drawn now, by node id.
    fn node_looks(&self) -> Vec<NodeLook>;
    /// Message copies on the wire now.
    fn messages_in_flight(&self) -> Vec<InFlight>;
    /// How many message copies are on the wire (cheaper than listing them).
    fn in_flight_count(&self) -> u64;
    /// An estimate of the memory a copy of the run takes (for bounding time-travel copies),
    /// counting everything it holds, even what it shares with other copies.
    fn approx_heap_bytes(&self) -> usize;
    /// An estimate of the bytes copying the run actually copies (for spacing the copies): what
    /// it shares with the original (the trace log's full chunks) is not copied.
    fn approx_copy_bytes(&self) -> usize {
        self.approx_heap_bytes()
    }
    /// The trace kept for the space-time diagram and the trace exports.
    fn trace_log(&self) -> Option<&sim::TraceLog>;
    /// The run's energy ledger.
    fn energy(&self) -> &energy::EnergyLedger;
    /// The run's curves as CSV.
    fn metrics_csv(&self) -> String;
    /// Where the lab places its nodes itself (on a map, in tiers), in any unit with y growing
    /// downwards; `None` (the default): laid out from the topology by `layout::layout`.
    fn positions(&self) -> Option<Vec<crate::kit::layout::Point>> {
        None
    }
    /// The headline numbers a fork is compared on.
    fn metrics(&self) -> Vec<Metric>;
    /// Records and schedules an action at the current moment (what a fork repeats of the
    /// original's actions while they are compared).
    fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError>;
}

/// The action log of a scenario (empty for a lab without one).
pub fn actions_of(scenario: &Scenario) -> &[Action] {
    match &scenario.lab {
        Lab::Broadcast(b) => &b.actions,
        Lab::Crdt(c) => &c.actions,
        Lab::Energy(_) | Lab::Edge(_) => &[],
    }
}

/// The message totals and energy every lab's run is compared on.
fn traffic_and_energy(
    counters: &sim::Counters,
    energy: &energy::EnergyLedger,
    now: SimTime,
) -> [Metric; 4] {
    let t = &counters.total;
    [
        Metric::new(
            "Messages sent",
            t.sent.messages as f64,
            Unit::Count,
            Better::Lower,
        ),
        Metric::new(
            "Bytes sent",
            t.sent.bytes as f64,
            Unit::Bytes,
            Better::Lower,
        ),
        Metric::new(
            "Messages dropped",
            t.dropped.messages as f64,
            Unit::Count,
            Better::Lower,
        ),
        Metric::new(
            "Energy (ledger total)",
            energy.totals(now).total.0,
            Unit::Joules,
            Better::Lower,
        ),
    ]
}

impl LiveRun for BroadcastRun {
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
    fn node_looks(&self) -> Vec<NodeLook> {
        scene::node_looks(self)
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
        crate::kit::export::broadcast_csv(self.samples())
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

impl LiveRun for CrdtRun {
    /// Half real time: sync rounds take hundreds of milliseconds, so a few seconds of run
    /// unfold in a few seconds of watching, with messages still visible on 20 ms links.
    const DEFAULT_SPEED: f64 = 0.5;
    fn start(scenario: &Scenario) -> Result<Self, ScenarioError> {
        CrdtRun::new(scenario)
    }
    fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        CrdtRun::advance(self, budget)
    }
    fn scenario(&self) -> &Scenario {
        CrdtRun::scenario(self)
    }
    fn now(&self) -> SimTime {
        CrdtRun::now(self)
    }
    fn events_processed(&self) -> u64 {
        CrdtRun::events_processed(self)
    }
    fn events_pending(&self) -> u64 {
        CrdtRun::events_pending(self)
    }
    fn trace_hash_hex(&self) -> String {
        self.trace_hash().hex()
    }
    fn node_count(&self) -> u32 {
        CrdtRun::node_count(self)
    }
    fn is_up(&self, node: NodeId) -> bool {
        CrdtRun::is_up(self, node)
    }
    fn topology(&self) -> &Topology {
        CrdtRun::topology(self)
    }
    fn network_of(scenario: &Scenario) -> Option<(u32, TopologyKind)> {
        match &scenario.lab {
            Lab::Crdt(c) => Some((c.replicas, c.topology)),
            _ => None,
        }
    }
    fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        CrdtRun::fault_now(self, fault)
    }
    /// Replicas are filled by which distinct state they hold (same colour, same state).
    fn node_looks(&self) -> Vec<NodeLook> {
        let groups = self.partitions().groups();
        self.state_groups()
            .group_of
            .iter()
            .enumerate()
            .map(|(i, &state)| NodeLook {
                knowledge: Knowledge::State(state),
                up: self.is_up(NodeId(i as u32)),
                group: groups.and_then(|g| g.get(i).copied()),
            })
            .collect()
    }
    fn messages_in_flight(&self) -> Vec<InFlight> {
        CrdtRun::messages_in_flight(self)
    }
    fn in_flight_count(&self) -> u64 {
        self.network_stats().in_flight
    }
    fn approx_heap_bytes(&self) -> usize {
        CrdtRun::approx_heap_bytes(self)
    }
    fn approx_copy_bytes(&self) -> usize {
        let log = CrdtRun::trace_log(self);
        CrdtRun::approx_heap_bytes(self) - log.map_or(0, |l| l.heap_bytes())
            + log.map_or(0, |l| l.unshared_bytes())
    }
    fn trace_log(&self) -> Option<&sim::TraceLog> {
        CrdtRun::trace_log(self)
    }
    fn energy(&self) -> &energy::EnergyLedger {
        CrdtRun::energy(self)
    }
    fn metrics_csv(&self) -> String {
        crate::kit::export::crdt_csv(self.samples())
    }
    fn metrics(&self) -> Vec<Metric> {
        let report = self.report();
        let chosen = scenario::crdt_run::mode_index(&self.params().sync);
        let mut out = vec![
            Metric::new(
                "Distinct replica states (1: converged)",
                report.distinct_states as f64,
                Unit::Count,
                Better::Lower,
            ),
            Metric::maybe(
                "Converged after the last update",
                report.convergence_by_mode[chosen].map(|d| d.0 as f64),
                Unit::Nanoseconds,
                Better::Lower,
                "not converged",
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
        if let Some(last) = self.samples().last() {
            out.push(Metric::new(
                "Metadata per replica",
                last.metadata_bytes_per_replica,
                Unit::Bytes,
                Better::Lower,
            ));
        }
        out
    }
    fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError> {
        CrdtRun::act_now(self, kind)
    }
}

impl LiveRun for EdgeRun {
    /// Real time: a task's trip (milliseconds to a few hundred) is visible as it happens, and a
    /// minute of traffic takes a minute to watch (faster with the speed slider).
    const DEFAULT_SPEED: f64 = 1.0;
    fn start(scenario: &Scenario) -> Result<Self, ScenarioError> {
        EdgeRun::new(scenario)
    }
    fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        EdgeRun::advance(self, budget)
    }
    fn scenario(&self) -> &Scenario {
        EdgeRun::scenario(self)
    }
    fn now(&self) -> SimTime {
        EdgeRun::now(self)
    }
    fn events_processed(&self) -> u64 {
        EdgeRun::events_processed(self)
    }
    fn events_pending(&self) -> u64 {
        EdgeRun::events_pending(self)
    }
    fn trace_hash_hex(&self) -> String {
        self.trace_hash().hex()
    }
    fn node_count(&self) -> u32 {
        EdgeRun::node_count(self)
    }
    fn is_up(&self, node: NodeId) -> bool {
        EdgeRun::is_up(self, node)
    }
    fn topology(&self) -> &Topology {
        EdgeRun::topology(self)
    }
    fn network_of(_scenario: &Scenario) -> Option<(u32, TopologyKind)> {
        None
    }
    fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        EdgeRun::fault_now(self, fault)
    }
    /// Servers computing something are filled; idle servers hollow; devices pale.
    fn node_looks(&self) -> Vec<NodeLook> {
        let mut looks: Vec<NodeLook> = (0..self.node_count())
            .map(|i| NodeLook {
                knowledge: Knowledge::Older,
                up: self.is_up(NodeId(i)),
                group: None,
            })
            .collect();
        for s in self.servers() {
            if let Some(look) = looks.get_mut(s.node.index()) {
                look.knowledge = if s.busy > 0 {
                    Knowledge::Latest
                } else {
                    Knowledge::Unaware
                };
            }
        }
        looks
    }
    fn messages_in_flight(&self) -> Vec<InFlight> {
        EdgeRun::messages_in_flight(self)
    }
    fn in_flight_count(&self) -> u64 {
        EdgeRun::in_flight_count(self)
    }
    fn approx_heap_bytes(&self) -> usize {
        EdgeRun::approx_heap_bytes(self)
    }
    fn energy(&self) -> &energy::EnergyLedger {
        EdgeRun::energy(self)
    }
    fn metrics_csv(&self) -> String {
        EdgeRun::metrics_csv(self)
    }
    fn metrics(&self) -> Vec<Metric> {
        let s = self.summary();
        let ms = |v: f64| v * 1e6;
        vec![
            Metric::new(
                "Tasks completed",
                s.completed as f64,
                Unit::Count,
                Better::Higher,
            ),
            Metric::new(
                "Tasks dropped",
                s.dropped_total() as f64,
                Unit::Count,
                Better::Lower,
            ),
            Metric::new(
                "Deadline miss rate",
                s.miss_rate,
                Unit::Fraction,
                Better::Lower,
            ),
            Metric::new(
                "Mean latency",
                ms(s.mean_ms),
                Unit::Nanoseconds,
                Better::Lower,
            ),
            Metric::new(
                "p95 latency",
                ms(s.p95_ms),
                Unit::Nanoseconds,
                Better::Lower,
            ),
            Metric::new(
                "Cold starts",
                s.cold_starts as f64,
                Unit::Count,
                Better::Lower,
            ),
            Metric::new("Energy", s.energy.total().0, Unit::Joules, Better::Lower),
        ]
    }
    fn approx_copy_bytes(&self) -> usize {
        let log = EdgeRun::trace_log(self);
        EdgeRun::approx_heap_bytes(self) - log.map_or(0, |l| l.heap_bytes())
            + log.map_or(0, |l| l.unshared_bytes())
    }
    fn trace_log(&self) -> Option<&sim::TraceLog> {
        EdgeRun::trace_log(self)
    }
    fn act_now(&mut self, _kind: ActionKind) -> Result<(), ScenarioError> {
        Err(ScenarioError {
            problems: vec![scenario::scenario::Problem {
                field: "actions".into(),
                message: "the edge lab records no actions".into(),
            }],
        })
    }
    /// The layout's own positions (metres east and north; the city map for Melbourne), with
    /// north up.
    fn positions(&self) -> Option<Vec<crate::kit::layout::Point>> {
        Some(
            EdgeRun::positions(self)
                .iter()
                .map(|p| (p.x_m, -p.y_m))
                .collect(),
        )
    }
}
