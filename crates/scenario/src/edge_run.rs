//! A live run of the edge–cloud continuum lab: the world plus its observers and curves,
//! advanced in slices, and the compare mode (every policy across seeds).

use crate::broadcast_run::wrong_lab;
use crate::edge_lab::EdgeScenario;
use crate::energy_ledger::lab_ledger_config;
use crate::scenario::{Lab, Problem, Scenario, ScenarioError};
use crate::series::{Series, Timed};
use edge::layout::Position;
use edge::world::{EdgeObservers, Sampler};
use edge::{Comparison, EdgeWorld, Plan, Policy, RunSummary, Tier, TierEnergy};
use energy::{EnergyLedger, LedgerConfig};
use sim::{
    Fault, InFlight, NodeId, RunBudget, RunOutcome, SimDuration, SimTime, Topology, TraceHash,
};
use std::fmt::Write as _;

/// One point of the lab's curves, sampled at a fixed interval of simulated time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EdgeSample {
    /// When.
    pub time: SimTime,
    /// Tasks created so far.
    pub created: u64,
    /// Tasks completed so far.
    pub completed: u64,
    /// Tasks dropped so far.
    pub dropped: u64,
    /// Completed tasks later than their deadline so far.
    pub deadline_misses: u64,
    /// Mean latency of the tasks completed since the previous sample, ms.
    pub window_mean_ms: Option<f64>,
    /// 95th percentile latency of the tasks completed since the previous sample, ms.
    pub window_p95_ms: Option<f64>,
    /// Busy share of each tier's cores at this instant (indexed by `Tier::index`).
    pub utilisation: [f64; 4],
    /// Serverless instances alive.
    pub instances: u64,
    /// Energy so far, J.
    pub energy_j: f64,
}

impl Timed for EdgeSample {
    fn time(&self) -> SimTime {
        self.time
    }
}

#[derive(Clone, Debug)]
struct Curves {
    series: Series<EdgeSample>,
}

impl Sampler for Curves {
    fn next_due(&self) -> SimTime {
        self.series.next_due()
    }
    fn sample(&mut self, at: SimTime, o: &mut EdgeObservers) {
        let window = o.metrics.take_window();
        let m = &o.metrics;
        self.series.push(EdgeSample {
            time: at,
            created: m.created,
            completed: m.completed,
            dropped: m.dropped_total(),
            deadline_misses: m.deadline_misses,
            window_mean_ms: window.mean().map(SimDuration::as_millis_f64),
            window_p95_ms: window.quantile(0.95).map(SimDuration::as_millis_f64),
            utilisation: m.utilisation_now(),
            instances: m.instances(),
            energy_j: o.ledger.totals(at).total.0,
        });
    }
}

/// A server as the page draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerView {
    /// Its node.
    pub node: NodeId,
    /// Its tier.
    pub tier: Tier,
    /// Where it is drawn.
    pub position: Position,
    /// Its label (the base station's name in the city).
    pub label: String,
    /// Tasks waiting.
    pub queued: u32,
    /// Queue capacity.
    pub queue_capacity: u32,
    /// Cores running a task.
    pub busy: u32,
    /// Cores.
    pub cores: u32,
    /// Serverless instances alive (0 without serverless).
    pub instances: u32,
    /// Tasks finished here.
    pub completed: u64,
    /// Tasks dropped here.
    pub dropped: u64,
}

/// A device as the page draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceView {
    /// Its node.
    pub node: NodeId,
    /// Where it is drawn (its own position; for a moving device, its home position).
    pub position: Position,
    /// The edge server's node it is attached to now.
    pub attached: NodeId,
    /// Its application's index.
    pub app: u16,
}

/// The ledger configuration of edge runs: the labs' network marginal energy per bit and grid;
/// no configured idle power (every node reports its own tier's idle and dynamic power); no
/// always-on line power (the network's standing power does not depend on where tasks run, and
/// the devices are phones, not fixed lines); no per-message entries (a 10-minute city run sends
/// about a million messages).
pub fn edge_ledger_config(nodes: u32) -> LedgerConfig {
    let mut c = lab_ledger_config(nodes, 0);
    c.idle_power = None;
    c.line_power = None;
    c.provenance.retain(|p| !p.starts_with("node:"));
    let w = |t: edge::Tier| {
        let s = edge::ServerSpec::for_tier(t);
        format!("{} {}→{} W", t.name(), s.idle_w, s.peak_w)
    };
    c.provenance.push(format!(
        "servers: linear from idle to peak with utilisation, power in proportion to capacity at \
         {} mW idle and {} mW busy per MIPS (PureEdgeSim's edge data centre, 100→250 W at \
         400,000 MIPS), the same on every tier since no source gives one tier an advantage per \
         instruction: {}, {}, {}; devices: PureEdgeSim's smartphone, 0.2→5 W",
        edge::tier::WATTS_PER_MIPS_IDLE * 1e3,
        edge::tier::WATTS_PER_MIPS_PEAK * 1e3,
        w(edge::Tier::Edge),
        w(edge::Tier::Fog),
        w(edge::Tier::Cloud)
    ));
    c.network_model = format!(
        "Network: marginal energy only, {} nJ per bit on each link a message crosses (Malmodin \
         2020). The network's always-on power is not charged: it does not change with where \
         tasks run.",
        (c.energy_per_bit.0 * 1e12).round() / 1e3
    );
    c.keep_messages = false;
    c
}

/// An edge lab run in progress.
#[derive(Clone)]
pub struct EdgeRun {
    scenario: Scenario,
    world: EdgeWorld,
    curves: Curves,
}

/// What a finished run measured (for tests, the WASM check and comparisons).
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeReport {
    /// The trace hash.
    pub trace_hash: String,
    /// The summary at the end.
    pub summary: RunSummary,
}

fn edge_of(s: &Scenario) -> &EdgeScenario {
    match &s.lab {
        Lab::Edge(e) => e,
        _ => unreachable!("an EdgeRun only ever holds an edge scenario"),
    }
}

fn error(message: String) -> ScenarioError {
    ScenarioError {
        problems: vec![Problem {
            field: "scenario".into(),
            message,
        }],
    }
}

impl EdgeRun {
    /// Validates and builds the run (nothing is simulated yet), keeping a trace log of
    /// [`sim::DEFAULT_TRACE_LOG_BYTES`] for the space-time diagram and the trace exports.
    pub fn new(scenario: &Scenario) -> Result<EdgeRun, ScenarioError> {
        let mut run = EdgeRun::untraced(scenario)?;
        run.world = run.world.with_trace_log(sim::DEFAULT_TRACE_LOG_BYTES);
        Ok(run)
    }

    /// Like [`EdgeRun::new`] without the trace log: for runs only their summary is read from
    /// (compare mode), which then cost no memory or time for a trace nobody draws.
    pub fn untraced(scenario: &Scenario) -> Result<EdgeRun, ScenarioError> {
        let Lab::Edge(e) = &scenario.lab else {
            return Err(wrong_lab("edge", scenario));
        };
        scenario.validate()?;
        let world =
            EdgeWorld::new(e, scenario.seed, edge_ledger_config(e.node_count())).map_err(error)?;
        Ok(EdgeRun {
            scenario: scenario.clone(),
            world,
            curves: Curves {
                series: Series::new(SimDuration(scenario.duration.0 / 500)),
            },
        })
    }

    /// Runs until `budget.until` (capped at the end of the run) or `budget.max_events`.
    pub fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        let until = budget.until.min(self.end());
        self.world.advance_sampled(
            RunBudget {
                until,
                max_events: budget.max_events,
            },
            &mut self.curves,
        )
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        self.advance(RunBudget {
            until: self.end(),
            max_events: u64::MAX,
        });
    }

    /// The edge lab records no actions and injects no faults: its experiments are the
    /// parameters and the policy. Always an error that says so.
    pub fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        Err(error(format!(
            "the edge lab does not inject faults ({fault:?}); change the parameters instead"
        )))
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// The edge parameters.
    pub fn params(&self) -> &EdgeScenario {
        edge_of(&self.scenario)
    }
    /// The world.
    pub fn world(&self) -> &EdgeWorld {
        &self.world
    }
    /// The static plan (layout, tiers, regions).
    pub fn plan(&self) -> &Plan {
        self.world.plan()
    }
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.world.now()
    }
    /// When the run ends.
    pub fn end(&self) -> SimTime {
        SimTime::ZERO + self.scenario.duration
    }
    /// Whether the run has reached its end.
    pub fn is_finished(&self) -> bool {
        self.now() >= self.end()
    }
    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.world.sim().events_processed()
    }
    /// Events waiting.
    pub fn events_pending(&self) -> u64 {
        self.world.sim().pending().events as u64
    }
    /// The trace hash so far.
    pub fn trace_hash(&self) -> &TraceHash {
        &self.world.observers().hash
    }
    /// Nodes in the run.
    pub fn node_count(&self) -> u32 {
        self.world.sim().node_count()
    }
    /// Whether `node` runs (always, in this lab).
    pub fn is_up(&self, node: NodeId) -> bool {
        self.world.sim().is_up(node)
    }
    /// The wiring: cloud–fog, cloud–edge, fog–edge, device–home base station.
    pub fn topology(&self) -> &Topology {
        self.world.sim().topology()
    }
    /// Message copies on the wire.
    pub fn messages_in_flight(&self) -> Vec<InFlight> {
        self.world.sim().messages_in_flight().collect()
    }
    /// How many message copies are on the wire.
    pub fn in_flight_count(&self) -> u64 {
        self.world.sim().pending().messages_in_flight
    }
    /// An estimate of the memory a copy takes: the kernel's estimate, plus the servers' boxed
    /// state and the metrics' per-node arrays.
    pub fn approx_heap_bytes(&self) -> usize {
        let nodes = self.node_count() as usize;
        self.world.sim().approx_heap_bytes()
            + nodes * 24
            + (self.plan().layout.fogs + self.plan().layout.edges + 1) as usize * 512
            + self.trace_log().map_or(0, sim::TraceLog::heap_bytes)
    }
    /// The energy ledger.
    pub fn energy(&self) -> &EnergyLedger {
        self.world.ledger()
    }
    /// Energy per tier and network now.
    pub fn energy_by_tier(&self) -> TierEnergy {
        self.world.energy_by_tier(self.now())
    }
    /// The summary now (latency percentiles, misses, drops, utilisation, cold starts, energy,
    /// cost).
    pub fn summary(&self) -> RunSummary {
        self.world.summary()
    }
    /// The curves.
    pub fn samples(&self) -> &[EdgeSample] {
        self.curves.series.samples()
    }
    /// Tasks held by servers or on the wire now (equals the summary's `in_progress`).
    pub fn tasks_in_world(&self) -> u64 {
        self.world.tasks_in_world()
    }
    /// Where node `id` is drawn.
    pub fn position(&self, id: NodeId) -> Option<Position> {
        self.plan().layout.sites.get(id.index()).map(|s| s.position)
    }
    /// The recent trace (for the space-time diagram and the trace exports).
    pub fn trace_log(&self) -> Option<&sim::TraceLog> {
        self.world.observers().trace.as_ref()
    }
    /// Every node's position, by id (synthetic layout or city coordinates).
    pub fn positions(&self) -> Vec<Position> {
        self.plan()
            .layout
            .sites
            .iter()
            .map(|s| s.position)
            .collect()
    }
    /// Every node's tier, by id.
    pub fn tiers(&self) -> Vec<Tier> {
        self.plan().layout.sites.iter().map(|s| s.tier).collect()
    }
    /// Every server (cloud, fogs, edges), by id.
    pub fn servers(&self) -> Vec<ServerView> {
        let plan = self.plan();
        self.world
            .sim()
            .nodes()
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let s = n.server()?;
                let spec = plan.spec(s.tier);
                let site = &plan.layout.sites[i];
                Some(ServerView {
                    node: NodeId(i as u32),
                    tier: s.tier,
                    position: site.position,
                    label: site.label.clone(),
                    queued: s.queue.len() as u32,
                    queue_capacity: plan.queue_capacity,
                    busy: s.busy,
                    cores: spec.cores,
                    instances: s.pool.as_ref().map_or(0, |p| p.count() as u32),
                    completed: s.completed,
                    dropped: s.dropped,
                })
            })
            .collect()
    }
    /// Every device, by device index.
    pub fn devices(&self) -> Vec<DeviceView> {
        let plan = self.plan();
        (0..plan.layout.devices)
            .map(|d| {
                let node = plan.device_node(d);
                DeviceView {
                    node,
                    position: plan.layout.sites[node.index()].position,
                    attached: self.world.metrics().attached(d),
                    app: plan.device_app[d as usize],
                }
            })
            .collect()
    }

    /// The curves as CSV, one row per sample.
    pub fn metrics_csv(&self) -> String {
        let mut out = String::from(
            "time_s,created,completed,dropped,deadline_misses,window_mean_ms,window_p95_ms,\
             utilisation_edge,utilisation_fog,utilisation_cloud,instances,energy_j\n",
        );
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
        for s in self.samples() {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                s.time.as_secs_f64(),
                s.created,
                s.completed,
                s.dropped,
                s.deadline_misses,
                opt(s.window_mean_ms),
                opt(s.window_p95_ms),
                s.utilisation[Tier::Edge.index()],
                s.utilisation[Tier::Fog.index()],
                s.utilisation[Tier::Cloud.index()],
                s.instances,
                s.energy_j
            );
        }
        out
    }

    /// A report of the run so far.
    pub fn report(&self) -> EdgeReport {
        EdgeReport {
            trace_hash: self.trace_hash().hex(),
            summary: self.summary(),
        }
    }
}

/// Runs an edge scenario from start to end and reports.
pub fn run_edge(scenario: &Scenario) -> Result<EdgeReport, ScenarioError> {
    let mut r = EdgeRun::new(scenario)?;
    r.run_to_end();
    Ok(r.report())
}

/// Most seeds in one comparison.
pub const MAX_COMPARE_SEEDS: usize = 30;

/// Compare mode: the scenario's workload under every policy for each of `seeds`, for the
/// scenario's duration; rows with 95 % confidence intervals and the Pareto front flagged.
pub fn compare(scenario: &Scenario, seeds: &[u64]) -> Result<Comparison, ScenarioError> {
    let Lab::Edge(e) = &scenario.lab else {
        return Err(wrong_lab("edge", scenario));
    };
    scenario.validate()?;
    if seeds.is_empty() || seeds.len() > MAX_COMPARE_SEEDS {
        return Err(error(format!(
            "a comparison needs between 1 and {MAX_COMPARE_SEEDS} seeds, but {} were given",
            seeds.len()
        )));
    }
    edge::compare(
        e,
        scenario.duration,
        seeds,
        &Policy::ALL,
        &edge_ledger_config(e.node_count()),
    )
    .map_err(error)
}

/// The page's view of this run (see [`crate::lab_run`]).
mod lab_run_impl {
    use super::*;
    use crate::Scenario;
    use crate::lab_run::{Better, Knowledge, LabRun, Metric, NodeLook, Unit};
    use crate::scenario::{ActionKind, ScenarioError, TopologyKind};
    use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

    impl LabRun for EdgeRun {
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
                problems: vec![crate::scenario::Problem {
                    field: "actions".into(),
                    message: "the edge lab records no actions".into(),
                }],
            })
        }
        /// The layout's own positions (metres east and north; the city map for Melbourne), with
        /// north up.
        fn positions(&self) -> Option<Vec<(f64, f64)>> {
            Some(
                EdgeRun::positions(self)
                    .iter()
                    .map(|p| (p.x_m, -p.y_m))
                    .collect(),
            )
        }
    }
}
