//! What a lab's run offers the page: one trait, [`LabRun`], that every lab's live run implements
//! beside its own code (`broadcast_run.rs`, `crdt_run.rs`, `edge_run.rs`), and the plain data it
//! answers with: how each node looks ([`NodeLook`]) and the headline numbers a fork is compared
//! on ([`Metric`]). The app's kit (session, time travel, fork and compare, painter, share) is
//! generic over it and draws what it returns; nothing here touches the DOM, so every answer is
//! tested natively.

use crate::Scenario;
use crate::scenario::{ActionKind, ScenarioError, TopologyKind};
use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

/// The speed a session starts at unless its lab says otherwise: 0.05 × real time, slow enough to
/// watch a 10 ms message cross a link (it takes 0.2 s of wall time).
pub const DEFAULT_SPEED: f64 = 0.05;

/// A lab's run, advanced in slices by the page.
pub trait LabRun: Sized + Clone {
    /// The speed a session of this lab starts at (a factor of real time).
    const DEFAULT_SPEED: f64 = DEFAULT_SPEED;
    /// Validates `scenario` and builds the run at time zero.
    fn start(scenario: &Scenario) -> Result<Self, ScenarioError>;
    /// Runs until `budget.until` (capped at the end) or `budget.max_events`.
    fn advance(&mut self, budget: RunBudget) -> RunOutcome;
    /// [`LabRun::advance`] for the page's frame-sized slices: it may also stop early, returning
    /// [`RunOutcome::EventBudgetSpent`], where costly work of the lab's own (a sample of every
    /// replica) ends, so the page checks its frame budget in between. The run is the same
    /// however it is cut.
    fn advance_slice(&mut self, budget: RunBudget) -> RunOutcome {
        self.advance(budget)
    }
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
    /// The letter a node's name starts with on this lab's pages: `n3` for a node, `r3` for a
    /// CRDT replica. Every panel, diagram lane and typed lane uses it, so one thing has one name.
    fn node_letter(&self) -> char {
        'n'
    }
    /// `node`'s name on this lab's pages (see [`LabRun::node_letter`]).
    fn node_name(&self, node: NodeId) -> String {
        format!("{}{}", self.node_letter(), node.0)
    }
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
    /// downwards; `None` (the default): laid out from the topology by the app's layout of the topology.
    fn positions(&self) -> Option<Vec<(f64, f64)>> {
        None
    }
    /// The headline numbers a fork is compared on.
    fn metrics(&self) -> Vec<Metric>;
    /// Records and schedules an action at the current moment (what a fork repeats of the
    /// original's actions while they are compared).
    fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError>;
}

/// The message totals and energy every lab's run is compared on.
pub(crate) fn traffic_and_energy(
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

/// What a node knows, for its fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knowledge {
    /// Knows no update: drawn hollow.
    Unaware,
    /// Knows some update but not the latest one: filled, pale.
    Older,
    /// Knows the latest update: filled.
    Latest,
    /// CRDT lab: holds distinct state number `n` (replicas with equal states share it).
    State(u32),
}

/// How one node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeLook {
    /// Its knowledge (fill).
    pub knowledge: Knowledge,
    /// Whether it is running (a crashed node gets a cross).
    pub up: bool,
    /// Its group while the network is split (shaded), `None` otherwise.
    pub group: Option<u32>,
}

/// Which way a metric is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (reach).
    Higher,
    /// Less is better (messages, bytes, energy, time to converge).
    Lower,
    /// Neither way is better in itself (messages delivered: redundant copies count too).
    Neither,
}

/// How a metric's value reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A whole number.
    Count,
    /// A fraction in `[0, 1]`, shown in percent; differences in percentage points.
    Fraction,
    /// Bytes.
    Bytes,
    /// Simulated nanoseconds.
    Nanoseconds,
    /// Joules.
    Joules,
}

/// One headline number of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// What it measures, in words.
    pub name: &'static str,
    /// The value; `None` when it does not exist yet (nothing reached everyone, not converged).
    pub value: Option<f64>,
    /// How it reads.
    pub unit: Unit,
    /// Which way is better.
    pub better: Better,
    /// What a missing value means (`not yet`).
    pub missing: &'static str,
}

impl Metric {
    /// A metric that always has a value.
    pub fn new(name: &'static str, value: f64, unit: Unit, better: Better) -> Metric {
        Metric {
            name,
            value: Some(value),
            unit,
            better,
            missing: "–",
        }
    }

    /// A metric that may not have a value yet (`missing` says what that means).
    pub fn maybe(
        name: &'static str,
        value: Option<f64>,
        unit: Unit,
        better: Better,
        missing: &'static str,
    ) -> Metric {
        Metric {
            name,
            value,
            unit,
            better,
            missing,
        }
    }
}
