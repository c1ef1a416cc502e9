//! A live run of the CRDT lab: replicas of the chosen type synchronising by the chosen mode,
//! plus two shadow runs of the same scenario by the other two modes (so the lab can plot bytes
//! on the wire *per mode* on identical inputs) and, for counters and registers, a shadow run
//! of the naive non-CRDT twin (so the explainer can say what it got wrong in this very run).
//!
//! All runs get the same actions at the same times and are sampled at the same instants, so the
//! curves and the comparison never depend on how the page slices the run.

use crate::broadcast_run::wrong_lab;
use crate::crdt_lab::{CrdtScenario, CrdtType, Update, all_modes, sync_interval_and_fanout};
use crate::energy_ledger::lab_ledger_config;
use crate::scenario::{Action, ActionKind, Lab, Problem, Scenario, ScenarioError, network_config};
use crate::series::{Series, Timed};
use crdt::{
    GCounter, GSet, Internals, LwwMap, LwwRegister, MapAction, MvRegister, NaiveCounter,
    NaiveRegister, OrSet, PnCounter, ReplicaMsg, ReplicaNode, ReplicaStats, Replicated, SetAction,
    SyncMode, Text, TextAction, TwoPSet,
};
use energy::EnergyLedger;
use sim::{
    ConfigError, Counters, Fault, InFlight, LocalTime, NetworkStats, NodeId, Observer,
    PartitionState, RunBudget, RunOutcome, Sim, SimDuration, SimTime, Topology, TraceEvent,
    TraceHash, TraceLog,
};
use std::collections::BTreeMap;

/// A replicated type the lab can run: how a scenario's [`Update`] becomes the type's action,
/// and how many elements its value holds (for metadata per element).
trait LabType: Replicated + 'static {
    /// The type's action for `update` (`None` if the type does not take it; validation
    /// rules that out before a run starts).
    fn action(update: &Update) -> Option<Self::Action>;
    /// Elements in the value: 1 for a counter, values of a register, members of a set, keys
    /// of a map, visible characters of a text.
    fn elements(&self) -> usize;
}

impl LabType for GCounter {
    fn action(u: &Update) -> Option<u64> {
        match *u {
            Update::Add(by) if by > 0 => Some(by as u64),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        1
    }
}

impl LabType for PnCounter {
    fn action(u: &Update) -> Option<i64> {
        match *u {
            Update::Add(by) => Some(by),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        1
    }
}

impl LabType for NaiveCounter {
    fn action(u: &Update) -> Option<i64> {
        match *u {
            Update::Add(by) => Some(by),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        1
    }
}

fn written(u: &Update) -> Option<String> {
    match u {
        Update::Write(v) => Some(v.clone()),
        _ => None,
    }
}

impl LabType for LwwRegister<String> {
    fn action(u: &Update) -> Option<String> {
        written(u)
    }
    fn elements(&self) -> usize {
        usize::from(self.value().is_some())
    }
}

impl LabType for MvRegister<String> {
    fn action(u: &Update) -> Option<String> {
        written(u)
    }
    fn elements(&self) -> usize {
        self.values().len()
    }
}

impl LabType for NaiveRegister<String> {
    fn action(u: &Update) -> Option<String> {
        written(u)
    }
    fn elements(&self) -> usize {
        1
    }
}

impl LabType for GSet<String> {
    fn action(u: &Update) -> Option<String> {
        match u {
            Update::Insert(e) => Some(e.clone()),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        self.len()
    }
}

fn set_action(u: &Update) -> Option<SetAction<String>> {
    match u {
        Update::Insert(e) => Some(SetAction::Add(e.clone())),
        Update::Remove(e) => Some(SetAction::Remove(e.clone())),
        _ => None,
    }
}

impl LabType for TwoPSet<String> {
    fn action(u: &Update) -> Option<SetAction<String>> {
        set_action(u)
    }
    fn elements(&self) -> usize {
        self.iter().count()
    }
}

impl LabType for OrSet<String> {
    fn action(u: &Update) -> Option<SetAction<String>> {
        set_action(u)
    }
    fn elements(&self) -> usize {
        self.len()
    }
}

impl LabType for LwwMap<String, String> {
    fn action(u: &Update) -> Option<MapAction<String, String>> {
        match u {
            Update::Put { key, value } => Some(MapAction::Insert(key.clone(), value.clone())),
            Update::Remove(key) => Some(MapAction::Remove(key.clone())),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        self.len()
    }
}

impl LabType for Text {
    fn action(u: &Update) -> Option<TextAction> {
        match u {
            Update::Type { pos, text } => Some(TextAction::Insert {
                pos: *pos as usize,
                text: text.clone(),
            }),
            Update::Erase { pos, len } => Some(TextAction::Delete {
                pos: *pos as usize,
                len: *len as usize,
            }),
            _ => None,
        }
    }
    fn elements(&self) -> usize {
        self.len()
    }
}

/// One replica as the lab's panels show it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    /// The id it stamps updates with (`r3`, or `r3#1` after an amnesic restart).
    pub replica_id: String,
    /// The value and its metadata, part by part.
    pub internals: Internals,
    /// Bytes of sync bookkeeping (causal-delivery vectors, logs, unacknowledged deltas).
    pub sync_metadata_bytes: usize,
    /// Op mode: operations waiting for their causal dependencies.
    pub buffered_ops: usize,
    /// Op mode: what has been delivered, as a vector.
    pub delivered: Option<String>,
    /// Delta mode: deltas kept until every neighbour acknowledges them.
    pub unacknowledged_deltas: usize,
    /// Its counters.
    pub stats: ReplicaStats,
    /// Whether it is running.
    pub up: bool,
    /// Its local clock.
    pub local_time: Option<LocalTime>,
    /// Elements in its value.
    pub elements: usize,
    /// The value as text (for the text type: the text itself, for the editor).
    pub value: String,
}

/// Sums over all replicas at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Metadata of the values (version vectors, dots, tombstones, timestamps …).
    pub metadata_bytes: u64,
    /// Sync bookkeeping (see [`ReplicaView::sync_metadata_bytes`]).
    pub sync_metadata_bytes: u64,
    /// Elements over all replicas.
    pub elements: u64,
    /// Operations waiting for causal delivery.
    pub buffered_ops: u64,
}

/// Which replicas hold the same state: a group number per replica, numbered in order of first
/// appearance, so replica 0 is always in group 0.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateGroups {
    /// The group of each replica.
    pub group_of: Vec<u32>,
    /// How many distinct states there are (1: converged).
    pub count: u32,
}

/// One run of replicas of some type by some mode, behind a type-erased interface.
trait Replicas {
    fn clone_box(&self) -> Box<dyn Replicas>;
    fn run(&mut self, budget: RunBudget) -> RunOutcome;
    fn run_until(&mut self, t: SimTime);
    fn schedule(&mut self, action: &Action) -> Result<(), ConfigError>;
    fn now(&self) -> SimTime;
    fn events_processed(&self) -> u64;
    fn events_pending(&self) -> u64;
    fn node_count(&self) -> u32;
    fn is_up(&self, node: NodeId) -> bool;
    fn topology(&self) -> &Topology;
    fn partitions(&self) -> &PartitionState;
    fn messages_in_flight(&self) -> Vec<InFlight>;
    fn stats(&self) -> NetworkStats;
    fn counters(&self) -> &Counters;
    fn trace_hash(&self) -> &TraceHash;
    fn energy(&self) -> &EnergyLedger;
    fn replica(&self, node: NodeId) -> Option<ReplicaView>;
    fn state_groups(&self) -> StateGroups;
    fn totals(&self) -> Totals;
    fn values(&self) -> Vec<String>;
    fn approx_heap_bytes(&self) -> usize;
    fn trace_log(&self) -> Option<&TraceLog>;
}

#[derive(Clone, Debug)]
struct WorldObservers {
    counters: Counters,
    hash: TraceHash,
    energy: EnergyLedger,
    /// The trace for the diagram and exports: kept for the chosen mode only.
    trace: Option<TraceLog>,
}

impl<M: sim::Message> Observer<M> for WorldObservers {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        self.counters.observe(event);
        self.hash.observe(event);
        self.energy.observe(event);
        if let Some(t) = &mut self.trace {
            t.observe(event);
        }
    }
}

#[derive(Clone)]
struct World<C: LabType> {
    sim: Sim<ReplicaNode<C>>,
    obs: WorldObservers,
}

/// A 64-bit FNV-1a hash of a value's compact encoding, computed as it is encoded (no buffer).
/// Equal states encode to equal bytes; two different states share a hash with probability
/// about 2⁻⁶⁴, which the lab accepts for counting distinct states.
struct HashFlavor(u64);

impl postcard::ser_flavors::Flavor for HashFlavor {
    type Output = u64;
    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0 = (self.0 ^ u64::from(data)).wrapping_mul(0x0100_0000_01b3);
        Ok(())
    }
    fn finalize(self) -> postcard::Result<u64> {
        Ok(self.0)
    }
}

fn state_hash<T: serde::Serialize>(value: &T) -> u64 {
    postcard::serialize_with_flavor(value, HashFlavor(0xcbf2_9ce4_8422_2325)).unwrap_or(0)
}

impl<C: LabType> World<C> {
    fn new(
        scenario: &Scenario,
        c: &CrdtScenario,
        mode: SyncMode,
        trace: bool,
    ) -> Result<Self, ConfigError> {
        let config = network_config(scenario.seed, c.replicas, &c.topology, &c.link)?;
        let sim = Sim::new(config, move |id| ReplicaNode::<C>::new(id, mode))?;
        let counters = if c.replicas <= crate::broadcast_run::PER_LINK_COUNTERS_MAX_NODES {
            Counters::new()
        } else {
            Counters::per_node_only()
        };
        Ok(World {
            sim,
            obs: WorldObservers {
                counters,
                hash: TraceHash::new(),
                energy: EnergyLedger::new(lab_ledger_config(
                    c.replicas,
                    crate::crdt_lab::MAX_ANIMATED_REPLICAS,
                )),
                trace: trace.then(|| TraceLog::new(c.replicas, sim::DEFAULT_TRACE_LOG_BYTES)),
            },
        })
    }
}

impl<C: LabType> Replicas for World<C> {
    fn clone_box(&self) -> Box<dyn Replicas> {
        Box::new(self.clone())
    }
    fn run(&mut self, budget: RunBudget) -> RunOutcome {
        self.sim.run(budget, &mut self.obs)
    }
    fn run_until(&mut self, t: SimTime) {
        self.sim.run_until(t, &mut self.obs);
    }
    fn schedule(&mut self, action: &Action) -> Result<(), ConfigError> {
        match &action.kind {
            ActionKind::Update { node, update } => match C::action(update) {
                Some(a) => self
                    .sim
                    .schedule_input(action.at, *node, ReplicaMsg::Act(a)),
                // Validation keeps updates a type does not take out of its scenarios.
                None => Ok(()),
            },
            ActionKind::Fault(f) => self.sim.schedule_fault(action.at, f.clone()),
            // Validation keeps broadcasts out of CRDT scenarios.
            ActionKind::Broadcast { .. } => Ok(()),
        }
    }
    fn now(&self) -> SimTime {
        self.sim.now()
    }
    fn events_processed(&self) -> u64 {
        self.sim.events_processed()
    }
    fn events_pending(&self) -> u64 {
        self.sim.pending().events as u64
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
    fn partitions(&self) -> &PartitionState {
        self.sim.partitions()
    }
    fn messages_in_flight(&self) -> Vec<InFlight> {
        self.sim.messages_in_flight().collect()
    }
    fn stats(&self) -> NetworkStats {
        self.sim.stats()
    }
    fn counters(&self) -> &Counters {
        &self.obs.counters
    }
    fn trace_hash(&self) -> &TraceHash {
        &self.obs.hash
    }
    fn energy(&self) -> &EnergyLedger {
        &self.obs.energy
    }
    fn replica(&self, node: NodeId) -> Option<ReplicaView> {
        let r = self.sim.node(node)?;
        let delivered = matches!(r.mode(), SyncMode::Op { .. }).then(|| r.delivered().to_string());
        Some(ReplicaView {
            replica_id: r.replica_id().to_string(),
            internals: r.state().internals(),
            sync_metadata_bytes: r.sync_metadata_bytes(),
            buffered_ops: r.buffered_ops(),
            delivered,
            unacknowledged_deltas: r.unacknowledged_deltas(),
            stats: r.stats(),
            up: self.sim.is_up(node),
            local_time: self.sim.local_time(node),
            elements: r.state().elements(),
            value: r.state().value_string(),
        })
    }
    fn state_groups(&self) -> StateGroups {
        let mut groups: BTreeMap<u64, u32> = BTreeMap::new();
        let mut group_of = Vec::with_capacity(self.sim.nodes().len());
        for r in self.sim.nodes() {
            let next = groups.len() as u32;
            group_of.push(*groups.entry(state_hash(r.state())).or_insert(next));
        }
        StateGroups {
            count: groups.len() as u32,
            group_of,
        }
    }
    fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for r in self.sim.nodes() {
            t.metadata_bytes += r.state().metadata_bytes() as u64;
            t.sync_metadata_bytes += r.sync_metadata_bytes() as u64;
            t.elements += r.state().elements() as u64;
            t.buffered_ops += r.buffered_ops() as u64;
        }
        t
    }
    fn values(&self) -> Vec<String> {
        self.sim
            .nodes()
            .iter()
            .map(|r| r.state().value_string())
            .collect()
    }
    fn approx_heap_bytes(&self) -> usize {
        // The kernel's own estimate, plus every replica's state and sync bookkeeping at their
        // encoded size (their in-memory size is of the same order), plus the messages on the
        // wire (full states in state-based sync: often the biggest part of a copy).
        let wire = &self.obs.counters.total;
        let in_flight_bytes = wire
            .sent
            .bytes
            .saturating_sub(wire.delivered.bytes + wire.dropped.bytes);
        self.sim.approx_heap_bytes()
            + in_flight_bytes as usize
            + self
                .sim
                .nodes()
                .iter()
                .map(|r| crdt::wire_bytes(r.state()) + r.sync_metadata_bytes())
                .sum::<usize>()
            + self.obs.trace.as_ref().map_or(0, TraceLog::heap_bytes)
    }
    fn trace_log(&self) -> Option<&TraceLog> {
        self.obs.trace.as_ref()
    }
}

fn world_of(
    scenario: &Scenario,
    c: &CrdtScenario,
    data_type: CrdtType,
    mode: SyncMode,
    trace: bool,
) -> Result<Box<dyn Replicas>, ConfigError> {
    fn boxed<C: LabType>(
        s: &Scenario,
        c: &CrdtScenario,
        mode: SyncMode,
        trace: bool,
    ) -> Result<Box<dyn Replicas>, ConfigError> {
        Ok(Box::new(World::<C>::new(s, c, mode, trace)?))
    }
    match data_type {
        CrdtType::GCounter => boxed::<GCounter>(scenario, c, mode, trace),
        CrdtType::PnCounter => boxed::<PnCounter>(scenario, c, mode, trace),
        CrdtType::LwwRegister => boxed::<LwwRegister<String>>(scenario, c, mode, trace),
        CrdtType::MvRegister => boxed::<MvRegister<String>>(scenario, c, mode, trace),
        CrdtType::GSet => boxed::<GSet<String>>(scenario, c, mode, trace),
        CrdtType::TwoPSet => boxed::<TwoPSet<String>>(scenario, c, mode, trace),
        CrdtType::OrSet => boxed::<OrSet<String>>(scenario, c, mode, trace),
        CrdtType::LwwMap => boxed::<LwwMap<String, String>>(scenario, c, mode, trace),
        CrdtType::Text => boxed::<Text>(scenario, c, mode, trace),
        CrdtType::NaiveCounter => boxed::<NaiveCounter>(scenario, c, mode, trace),
        CrdtType::NaiveRegister => boxed::<NaiveRegister<String>>(scenario, c, mode, trace),
    }
}

/// The index of a mode in [`all_modes`] order: state 0, op 1, delta 2.
pub fn mode_index(mode: &SyncMode) -> usize {
    match mode {
        SyncMode::State { .. } => 0,
        SyncMode::Op { .. } => 1,
        SyncMode::Delta { .. } => 2,
    }
}

/// One point of the CRDT lab's curves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrdtSample {
    /// When.
    pub time: SimTime,
    /// Distinct replica states in the chosen mode (1: converged).
    pub distinct_states: u32,
    /// Distinct replica states per mode (state, op, delta).
    pub distinct_by_mode: [u32; 3],
    /// Bytes sent so far per mode (state, op, delta).
    pub bytes_by_mode: [u64; 3],
    /// Mean metadata bytes per replica in the chosen mode: the value's metadata plus sync
    /// bookkeeping.
    pub metadata_bytes_per_replica: f64,
    /// Operations waiting for causal delivery (op mode), over all replicas.
    pub buffered_ops: u64,
    /// Distinct states of the naive twin, if the type has one.
    pub naive_distinct: Option<u32>,
}

impl Timed for CrdtSample {
    fn time(&self) -> SimTime {
        self.time
    }
}

/// When the replicas of one mode last became identical, after the last update so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Convergence {
    /// First sample since which all replicas have been identical (`None` while they differ).
    since: Option<SimTime>,
}

/// What a CRDT run measured so far, per mode and overall.
#[derive(Clone, Debug, PartialEq)]
pub struct CrdtReport {
    /// The chosen mode's trace hash.
    pub trace_hash: String,
    /// The chosen mode's trace events.
    pub events: u64,
    /// When the last update so far was made.
    pub last_update: Option<SimTime>,
    /// Per mode (state, op, delta): how long after the last update the replicas became and
    /// stayed identical (to the sampling interval), if they have.
    pub convergence_by_mode: [Option<SimDuration>; 3],
    /// Bytes sent per mode.
    pub bytes_by_mode: [u64; 3],
    /// Messages sent per mode.
    pub messages_by_mode: [u64; 3],
    /// Distinct states now in the chosen mode.
    pub distinct_states: u32,
    /// The chosen mode's network accounting.
    pub network: NetworkStats,
}

/// A CRDT lab run in progress.
pub struct CrdtRun {
    scenario: Scenario,
    /// The runs by mode (state, op, delta); the chosen one is `modes[chosen]`.
    modes: [Box<dyn Replicas>; 3],
    chosen: usize,
    naive: Option<Box<dyn Replicas>>,
    series: Series<CrdtSample>,
    convergence: [Convergence; 3],
    last_update: Option<SimTime>,
    actions_scheduled: usize,
    /// The chosen mode's state groups and totals at one event count: the page asks for them
    /// several times per update (node looks, explainer, report, metrics), and each looks at
    /// every replica's encoded state.
    views: ViewCache,
}

/// What [`CrdtRun::state_groups`] and [`CrdtRun::totals`] last computed, by the chosen mode's
/// event count (replica states change only by events).
#[derive(Clone, Default)]
struct ViewCache {
    groups: std::cell::RefCell<Option<(u64, StateGroups)>>,
    totals: std::cell::Cell<Option<(u64, Totals)>>,
}

impl Clone for CrdtRun {
    fn clone(&self) -> Self {
        CrdtRun {
            scenario: self.scenario.clone(),
            modes: [
                self.modes[0].clone_box(),
                self.modes[1].clone_box(),
                self.modes[2].clone_box(),
            ],
            chosen: self.chosen,
            naive: self.naive.as_ref().map(|n| n.clone_box()),
            series: self.series.clone(),
            convergence: self.convergence,
            last_update: self.last_update,
            actions_scheduled: self.actions_scheduled,
            views: self.views.clone(),
        }
    }
}

fn crdt_of(s: &Scenario) -> &CrdtScenario {
    match &s.lab {
        Lab::Crdt(c) => c,
        _ => unreachable!("a CrdtRun only ever holds a CRDT scenario"),
    }
}

fn crdt_of_mut(s: &mut Scenario) -> &mut CrdtScenario {
    match &mut s.lab {
        Lab::Crdt(c) => c,
        _ => unreachable!("a CrdtRun only ever holds a CRDT scenario"),
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

impl CrdtRun {
    /// Validates and builds the run (nothing is simulated yet).
    pub fn new(scenario: &Scenario) -> Result<CrdtRun, ScenarioError> {
        let Lab::Crdt(c) = &scenario.lab else {
            return Err(wrong_lab("crdt", scenario));
        };
        scenario.validate()?;
        let (interval, fanout) = sync_interval_and_fanout(&c.sync);
        let [s, o, d] = all_modes(interval, fanout);
        let chosen = mode_index(&c.sync);
        let world =
            |mode, i| world_of(scenario, c, c.data_type, mode, i == chosen).map_err(config_error);
        let modes = [world(s, 0)?, world(o, 1)?, world(d, 2)?];
        let naive = match c.data_type.naive_counterpart() {
            Some(t) => Some(world_of(scenario, c, t, c.sync, false).map_err(config_error)?),
            None => None,
        };
        let mut run = CrdtRun {
            scenario: scenario.clone(),
            modes,
            chosen,
            naive,
            series: Series::new(SimDuration(scenario.duration.0 / 500)),
            convergence: [Convergence::default(); 3],
            last_update: None,
            actions_scheduled: 0,
            views: ViewCache::default(),
        };
        run.schedule_new_actions().map_err(config_error)?;
        Ok(run)
    }

    fn worlds_mut(&mut self) -> impl Iterator<Item = &mut Box<dyn Replicas>> {
        self.modes.iter_mut().chain(self.naive.iter_mut())
    }

    fn schedule_new_actions(&mut self) -> Result<(), ConfigError> {
        let new: Vec<Action> = crdt_of(&self.scenario).actions[self.actions_scheduled..].to_vec();
        for a in &new {
            for w in self.worlds_mut() {
                w.schedule(a)?;
            }
        }
        self.actions_scheduled += new.len();
        Ok(())
    }

    fn main(&self) -> &dyn Replicas {
        self.modes[self.chosen].as_ref()
    }

    /// The latest update at or before `t`.
    fn last_update_until(&self, t: SimTime) -> Option<SimTime> {
        crdt_of(&self.scenario)
            .actions
            .iter()
            .filter(|a| a.at <= t && matches!(a.kind, ActionKind::Update { .. }))
            .map(|a| a.at)
            .max()
    }

    fn take_sample(&mut self) {
        let time = self.series.next_due();
        let last_update = self.last_update_until(time);
        let groups: Vec<u32> = self.modes.iter().map(|w| w.state_groups().count).collect();
        for (i, &count) in groups.iter().enumerate() {
            let c = &mut self.convergence[i];
            if count <= 1 {
                // Convergence counts from the first identical sample after the last update.
                if c.since.is_none_or(|s| last_update.is_some_and(|u| s < u)) {
                    c.since = Some(time);
                }
            } else {
                c.since = None;
            }
        }
        self.last_update = last_update;
        let totals = self.totals();
        let replicas = self.main().node_count().max(1);
        let bytes = |i: usize| self.modes[i].counters().total.sent.bytes;
        let sample = CrdtSample {
            time,
            distinct_states: groups[self.chosen],
            distinct_by_mode: [groups[0], groups[1], groups[2]],
            bytes_by_mode: [bytes(0), bytes(1), bytes(2)],
            metadata_bytes_per_replica: (totals.metadata_bytes + totals.sync_metadata_bytes) as f64
                / f64::from(replicas),
            buffered_ops: totals.buffered_ops,
            naive_distinct: self.naive.as_ref().map(|n| n.state_groups().count),
        };
        self.series.push(sample);
    }

    /// Runs every mode until `budget.until` (capped at the end of the run), or until the chosen
    /// mode has processed `budget.max_events` events; takes the samples due on the way.
    ///
    pub fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        self.advance_until_sample(budget, false)
    }

    /// [`CrdtRun::advance`], but returning as if its event budget were spent after taking a
    /// sample, once it has processed events: a sample looks at every replica of every mode,
    /// so the page's driver checks its frame budget before the next. The run and its samples
    /// are the same however the calls are cut.
    pub fn advance_slice(&mut self, budget: RunBudget) -> RunOutcome {
        self.advance_until_sample(budget, true)
    }

    fn advance_until_sample(&mut self, budget: RunBudget, stop_after_sample: bool) -> RunOutcome {
        let until = budget.until.min(self.end());
        let mut left = budget.max_events;
        loop {
            let segment_end = until.min(self.series.next_due());
            let before = self.main().events_processed();
            let chosen = self.chosen;
            let outcome = self.modes[chosen].run(RunBudget {
                until: segment_end,
                max_events: left,
            });
            left -= self.main().events_processed() - before;
            if outcome == RunOutcome::EventBudgetSpent {
                // The shadows catch up to this instant; the chosen run stays where its event
                // budget stopped it (a step is one event).
                let now = self.main().now();
                let (before, rest) = self.modes.split_at_mut(chosen);
                for w in before
                    .iter_mut()
                    .chain(rest.iter_mut().skip(1))
                    .chain(self.naive.iter_mut())
                {
                    w.run_until(now);
                }
                return outcome;
            }
            for w in self.worlds_mut() {
                w.run_until(segment_end);
            }
            if segment_end == self.series.next_due() {
                self.take_sample();
                if stop_after_sample && segment_end < until && left < budget.max_events {
                    return RunOutcome::EventBudgetSpent;
                }
            }
            if segment_end >= until {
                return RunOutcome::ReachedTime;
            }
        }
    }

    /// Runs to the end.
    pub fn run_to_end(&mut self) {
        self.advance(RunBudget {
            until: self.end(),
            max_events: u64::MAX,
        });
    }

    /// Records and schedules a user action at the current moment (it becomes part of the
    /// scenario, so a share link made afterwards replays it).
    pub fn act_now(&mut self, kind: ActionKind) -> Result<(), ScenarioError> {
        let at = self.now();
        crdt_of_mut(&mut self.scenario)
            .actions
            .push(Action { at, kind });
        if let Err(e) = self.scenario.validate() {
            crdt_of_mut(&mut self.scenario).actions.pop();
            return Err(e);
        }
        self.schedule_new_actions().map_err(config_error)
    }

    /// Applies `update` at replica `node` now.
    pub fn update_now(&mut self, node: NodeId, update: Update) -> Result<(), ScenarioError> {
        self.act_now(ActionKind::Update { node, update })
    }

    /// Applies a fault verb now.
    pub fn fault_now(&mut self, fault: Fault) -> Result<(), ScenarioError> {
        self.act_now(ActionKind::Fault(fault))
    }

    /// The scenario, including every action recorded so far.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    /// The CRDT parameters.
    pub fn params(&self) -> &CrdtScenario {
        crdt_of(&self.scenario)
    }
    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.main().now()
    }
    /// When the run ends.
    pub fn end(&self) -> SimTime {
        SimTime::ZERO + self.scenario.duration
    }
    /// Whether the run has reached its end.
    pub fn is_finished(&self) -> bool {
        self.now() >= self.end()
    }
    /// Events the chosen mode has processed.
    pub fn events_processed(&self) -> u64 {
        self.main().events_processed()
    }
    /// Events waiting in the chosen mode's queue.
    pub fn events_pending(&self) -> u64 {
        self.main().events_pending()
    }
    /// How many replicas.
    pub fn node_count(&self) -> u32 {
        self.main().node_count()
    }
    /// Whether replica `node` is running.
    pub fn is_up(&self, node: NodeId) -> bool {
        self.main().is_up(node)
    }
    /// Who talks to whom.
    pub fn topology(&self) -> &Topology {
        self.main().topology()
    }
    /// The chosen mode's partitions.
    pub fn partitions(&self) -> &PartitionState {
        self.main().partitions()
    }
    /// The chosen mode's messages on the wire.
    pub fn messages_in_flight(&self) -> Vec<InFlight> {
        self.main().messages_in_flight()
    }
    /// The chosen mode's message accounting.
    pub fn network_stats(&self) -> NetworkStats {
        self.main().stats()
    }
    /// The chosen mode's message counters.
    pub fn counters(&self) -> &Counters {
        self.main().counters()
    }
    /// The chosen mode's trace, in bounded memory (for the space-time diagram and exports).
    pub fn trace_log(&self) -> Option<&TraceLog> {
        self.main().trace_log()
    }
    /// The chosen mode's trace hash.
    pub fn trace_hash(&self) -> &TraceHash {
        self.main().trace_hash()
    }
    /// The chosen mode's energy ledger.
    pub fn energy(&self) -> &EnergyLedger {
        self.main().energy()
    }
    /// Energy totals so far per mode (state, op, delta) on the same updates.
    pub fn energy_by_mode(&self) -> [energy::LedgerTotals; 3] {
        let now = self.now();
        [0, 1, 2].map(|i| self.modes[i].energy().totals(now))
    }
    /// Replica `node` in the chosen mode.
    pub fn replica(&self, node: NodeId) -> Option<ReplicaView> {
        self.main().replica(node)
    }
    /// Which replicas share a state, in the chosen mode.
    pub fn state_groups(&self) -> StateGroups {
        let events = self.main().events_processed();
        if let Some((at, groups)) = self.views.groups.borrow().as_ref()
            && *at == events
        {
            return groups.clone();
        }
        let groups = self.main().state_groups();
        *self.views.groups.borrow_mut() = Some((events, groups.clone()));
        groups
    }
    /// Sums over the chosen mode's replicas.
    pub fn totals(&self) -> Totals {
        let events = self.main().events_processed();
        match self.views.totals.get() {
            Some((at, totals)) if at == events => totals,
            _ => {
                let totals = self.main().totals();
                self.views.totals.set(Some((events, totals)));
                totals
            }
        }
    }
    /// The naive twin's values per replica, if the type has a twin.
    pub fn naive_values(&self) -> Option<Vec<String>> {
        self.naive.as_ref().map(|n| n.values())
    }
    /// An estimate of the memory the run takes, shadow runs included.
    pub fn approx_heap_bytes(&self) -> usize {
        self.modes
            .iter()
            .chain(self.naive.iter())
            .map(|w| w.approx_heap_bytes())
            .sum()
    }
    /// The values per replica in the chosen mode.
    pub fn values(&self) -> Vec<String> {
        self.main().values()
    }
    /// The curves to plot.
    pub fn samples(&self) -> &[CrdtSample] {
        self.series.samples()
    }

    /// A summary of the run so far.
    pub fn report(&self) -> CrdtReport {
        let last_update = self.last_update_until(self.now());
        let convergence_by_mode = self.convergence.map(|c| {
            let since = c.since?;
            Some(match last_update {
                Some(u) if since >= u => since - u,
                Some(_) => return None,
                None => SimDuration::ZERO,
            })
        });
        CrdtReport {
            trace_hash: self.trace_hash().hex(),
            events: self.trace_hash().events(),
            last_update,
            convergence_by_mode,
            bytes_by_mode: [0, 1, 2].map(|i| self.modes[i].counters().total.sent.bytes),
            messages_by_mode: [0, 1, 2].map(|i| self.modes[i].counters().total.sent.messages),
            distinct_states: self.state_groups().count,
            network: self.main().stats(),
        }
    }
}

/// Runs a CRDT scenario from start to end and reports.
pub fn run_crdt(scenario: &Scenario) -> Result<CrdtReport, ScenarioError> {
    let mut r = CrdtRun::new(scenario)?;
    r.run_to_end();
    Ok(r.report())
}

/// The page's view of this run (see [`crate::lab_run`]).
mod lab_run_impl {
    use super::*;
    use crate::Scenario;
    use crate::lab_run::{Better, Knowledge, LabRun, Metric, NodeLook, Unit, traffic_and_energy};
    use crate::scenario::{ActionKind, Lab, ScenarioError, TopologyKind};
    use sim::{Fault, InFlight, NodeId, RunBudget, RunOutcome, SimTime, Topology};

    impl LabRun for CrdtRun {
        /// Half real time: sync rounds take hundreds of milliseconds, so a few seconds of run
        /// unfold in a few seconds of watching, with messages still visible on 20 ms links.
        const DEFAULT_SPEED: f64 = 0.5;
        fn start(scenario: &Scenario) -> Result<Self, ScenarioError> {
            CrdtRun::new(scenario)
        }
        fn advance(&mut self, budget: RunBudget) -> RunOutcome {
            CrdtRun::advance(self, budget)
        }
        fn advance_slice(&mut self, budget: RunBudget) -> RunOutcome {
            CrdtRun::advance_slice(self, budget)
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
        /// Replicas are `r0`, `r1`, … everywhere in the CRDT lab (a replica restarted with its
        /// state lost takes a new replica id, `r2#1`, shown in its panel).
        fn node_letter(&self) -> char {
            'r'
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
            crate::export::crdt_csv(self.samples())
        }
        fn metrics(&self) -> Vec<Metric> {
            let report = self.report();
            let chosen = crate::crdt_run::mode_index(&self.params().sync);
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
}
