//! What the shared lab machinery (session, driver, transport) needs from a lab's live run, so
//! every lab gets the same play/pause/step/seek, pacing and share behaviour.

use crate::lab::scene::{self, Knowledge, NodeLook};
use scenario::scenario::{Lab, ScenarioError, TopologyKind};
use scenario::{BroadcastRun, CrdtRun, Scenario};
use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

/// A lab's run, advanced in slices by the page.
pub trait LiveRun: Sized + Clone {
    /// The speed a session of this lab starts at (a factor of real time).
    const DEFAULT_SPEED: f64 = crate::lab::pacing::DEFAULT_SPEED;
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
        crate::lab::export::broadcast_csv(self.samples())
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
        crate::lab::export::crdt_csv(self.samples())
    }
}
