//! The world: nodes, network, clocks, faults and the event queue, advanced one event at a time.

use crate::clock::{ClockParams, LocalClock};
use crate::error::ConfigError;
use crate::fault::{Fault, PartitionState, RestartMode};
use crate::id::{MessageId, NodeId, TimerId};
use crate::network::LinkParams;
use crate::node::{Ctx, Effect, Message, Node};
use crate::queue::EventQueue;
use crate::rng::SimRng;
use crate::time::{LocalTime, SimDuration, SimTime};
use crate::timers::TimerSet;
use crate::topology::Topology;
use crate::trace::{DropReason, Observer, TraceEvent, TraceKind};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything that defines a run apart from the nodes themselves. Build one with the `with_*`
/// methods; every knob not set keeps the default documented on its type.
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// The run's seed: every random draw derives from it.
    pub seed: u64,
    /// Who neighbours whom.
    pub topology: Topology,
    /// Parameters of every link without an override ([`LinkParams::default`]).
    pub default_link: LinkParams,
    /// Per-direction overrides, `(from, to)`.
    pub links: BTreeMap<(NodeId, NodeId), LinkParams>,
    /// Per-node clock parameters (default: perfect clocks).
    pub clocks: BTreeMap<NodeId, ClockParams>,
    /// Faults to apply, each at its time.
    pub faults: Vec<(SimTime, Fault)>,
}

impl SimConfig {
    /// A run of `topology` with seed `seed` and defaults for everything else.
    pub fn new(seed: u64, topology: Topology) -> SimConfig {
        SimConfig {
            seed,
            topology,
            default_link: LinkParams::default(),
            links: BTreeMap::new(),
            clocks: BTreeMap::new(),
            faults: Vec::new(),
        }
    }
    /// Sets the parameters of every link without an override.
    pub fn with_default_link(mut self, params: LinkParams) -> SimConfig {
        self.default_link = params;
        self
    }
    /// Overrides both directions of the link between `a` and `b`.
    pub fn with_link(mut self, a: NodeId, b: NodeId, params: LinkParams) -> SimConfig {
        self.links.insert((a, b), params.clone());
        self.links.insert((b, a), params);
        self
    }
    /// Overrides one direction, `from → to`.
    pub fn with_directed_link(mut self, from: NodeId, to: NodeId, params: LinkParams) -> SimConfig {
        self.links.insert((from, to), params);
        self
    }
    /// Gives `node` a clock with offset and drift.
    pub fn with_clock(mut self, node: NodeId, clock: ClockParams) -> SimConfig {
        self.clocks.insert(node, clock);
        self
    }
    /// Schedules `fault` at `at`.
    pub fn with_fault(mut self, at: SimTime, fault: Fault) -> SimConfig {
        self.faults.push((at, fault));
        self
    }

    /// Checks every parameter against the topology, naming the first problem.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let n = self.topology.node_count();
        let known = |node: NodeId| {
            if node.0 < n {
                Ok(())
            } else {
                Err(ConfigError::UnknownNode {
                    node,
                    node_count: n,
                })
            }
        };
        self.default_link.validate()?;
        for (&(a, b), p) in &self.links {
            known(a)?;
            known(b)?;
            p.validate()?;
        }
        for (&node, c) in &self.clocks {
            known(node)?;
            c.validate()?;
        }
        for (_, f) in &self.faults {
            f.validate(n)?;
        }
        Ok(())
    }
}

/// Counts that must balance: `sent + duplicated = delivered + dropped + in_flight` at every step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetworkStats {
    /// Messages handed to the network by nodes.
    pub sent: u64,
    /// Extra copies the network made.
    pub duplicated: u64,
    /// Copies handed to their receiver.
    pub delivered: u64,
    /// Copies dropped, for any reason.
    pub dropped: u64,
    /// Copies on the wire now.
    pub in_flight: u64,
}

impl NetworkStats {
    /// Whether the books balance.
    pub fn is_conserved(&self) -> bool {
        self.sent + self.duplicated == self.delivered + self.dropped + self.in_flight
    }
}

/// What is left to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    /// Scheduled events (including timers that were cancelled but not yet discarded).
    pub events: usize,
    /// Message copies on the wire.
    pub messages_in_flight: u64,
    /// When the next event is due, if any.
    pub next_event_at: Option<SimTime>,
}

/// How far a call to [`Sim::run`] may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunBudget {
    /// Process events due at or before this time, then stop with the clock at this time.
    pub until: SimTime,
    /// Process at most this many events.
    pub max_events: u64,
}

/// Why [`Sim::run`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every event up to `until` was processed; the clock now reads `until`.
    ReachedTime,
    /// `max_events` events were processed; more are due before `until`.
    EventBudgetSpent,
    /// Nothing is scheduled any more (the clock stays at the last event).
    Quiescent,
}

/// A frozen copy of the whole world; see [`Sim::snapshot`].
#[derive(Clone)]
pub struct Snapshot<N: Node>(Sim<N>);

impl<N: Node> Snapshot<N> {
    /// The time at which it was taken.
    pub fn time(&self) -> SimTime {
        self.0.now
    }
    /// The world as it was, to inspect or run from.
    pub fn world(&self) -> &Sim<N> {
        &self.0
    }
}

#[derive(Clone, Debug)]
enum Event<M, T> {
    Start(NodeId),
    /// A message copy on the wire. Its size is asked of `msg` again on arrival rather than
    /// stored: queue entries stay 8 bytes smaller, and every pending event is copied a few times.
    Deliver {
        id: MessageId,
        from: NodeId,
        to: NodeId,
        sent_at: SimTime,
        msg: M,
    },
    Timer {
        node: NodeId,
        id: TimerId,
        incarnation: u32,
        timer: T,
    },
    Input {
        node: NodeId,
        msg: M,
    },
    Fault(Fault),
}

/// Per link direction: when the link is free again, and the latest arrival (for FIFO links).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LinkState {
    busy_until: SimTime,
    last_arrival: SimTime,
}

/// What the kernel keeps per node, together so that handling an event touches one cache line.
#[derive(Clone, Debug)]
#[repr(align(64))]
struct PerNode {
    /// The node's local clock.
    clock: LocalClock,
    /// The node's random stream.
    rng: SimRng,
    /// Bumped at every crash, so timers set before it never fire.
    incarnation: u32,
    /// Whether the node is running.
    up: bool,
}

const _: () = assert!(size_of::<PerNode>() == 64);

/// The sequence-number bit that orders external events after internal ones at the same instant.
const EXTERNAL: u64 = 1 << 63;

/// Builds a node for an id; called at the start and for every volatile restart.
pub type NodeFactory<N> = Arc<dyn Fn(NodeId) -> N>;

/// A simulation run: the whole world, advanced by the run-control methods.
///
/// Events are processed in order of `(time, sequence number)`. The sequence number counts every
/// scheduling in the run, and events from outside (inputs and faults) carry the top bit, so
/// **among events due at the same instant, the simulation's own events (starts, deliveries,
/// timers) run first, in the order they were scheduled, then external events in the order they
/// were scheduled**. At time zero that is: every node's start (in id order) and whatever they
/// cause at once, then the configured faults and inputs.
///
/// That rule makes a recorded action log replay exactly: an input a user gives while the run is
/// paused at `t` runs after everything else due at `t`, both live and when the log is replayed
/// from the start, where it was scheduled long before.
///
/// ```
/// use sim::{Ctx, Message, Node, NodeId, Sim, SimConfig, SimTime, Topology};
///
/// #[derive(Clone, Debug)]
/// struct Ping;
/// impl Message for Ping {
///     fn size_bytes(&self) -> u32 { 16 }
/// }
///
/// /// Counts pings and answers each one, up to ten.
/// #[derive(Clone, Default)]
/// struct Echo { pings: u32 }
/// impl Node for Echo {
///     type Msg = Ping;
///     type Timer = ();
///     fn on_start(&mut self, ctx: &mut Ctx<'_, Ping, ()>) {
///         if ctx.id() == NodeId(0) { ctx.send(NodeId(1), Ping); }
///     }
///     fn on_message(&mut self, ctx: &mut Ctx<'_, Ping, ()>, from: NodeId, _: Ping) {
///         self.pings += 1;
///         if self.pings < 10 { ctx.send(from, Ping); }
///     }
/// }
///
/// let config = SimConfig::new(42, Topology::line(2)?);
/// let mut sim = Sim::new(config, |_| Echo::default())?;
/// sim.run_until(SimTime::from_secs(1), &mut ());
/// assert_eq!(sim.node(NodeId(1)).unwrap().pings, 10);
/// // The default link takes 10 ms, so 19 one-way trips end at 190 ms.
/// assert_eq!(sim.stats().delivered, 19);
/// # Ok::<(), sim::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Sim<N: Node> {
    seed: u64,
    now: SimTime,
    next_seq: u64,
    trace_seq: u64,
    events_processed: u64,
    queue: EventQueue<Event<N::Msg, N::Timer>>,
    nodes: Vec<N>,
    /// The kernel's own state of each node, one cache line per node.
    per_node: Vec<PerNode>,
    net_rng: SimRng,
    topology: Arc<Topology>,
    default_link: Arc<LinkParams>,
    links: Arc<BTreeMap<(NodeId, NodeId), LinkParams>>,
    link_state: BTreeMap<(NodeId, NodeId), LinkState>,
    partitions: PartitionState,
    /// Pending, uncancelled timers (only looked up, never iterated).
    live_timers: TimerSet,
    next_timer: u64,
    next_message: u64,
    stats: NetworkStats,
    factory: NodeFactory<N>,
    scratch: Vec<Effect<N::Msg, N::Timer>>,
}

/// Hands one event to the observer, numbering it.
fn emit<M, O: Observer<M> + ?Sized>(
    obs: &mut O,
    seq: &mut u64,
    time: SimTime,
    kind: TraceKind<'_, M>,
) {
    let event = TraceEvent {
        time,
        seq: *seq,
        kind,
    };
    *seq += 1;
    obs.observe(&event);
}

impl<N: Node> Sim<N> {
    /// Builds the world: validates `config`, makes every node with `make_node`, and schedules
    /// the starts and the configured faults. Nothing runs until a run-control method is called.
    pub fn new(
        config: SimConfig,
        make_node: impl Fn(NodeId) -> N + 'static,
    ) -> Result<Sim<N>, ConfigError> {
        config.validate()?;
        let n = config.topology.node_count();
        let factory: NodeFactory<N> = Arc::new(make_node);
        let nodes: Vec<N> = (0..n).map(|i| factory(NodeId(i))).collect();
        let per_node = (0..n)
            .map(|i| PerNode {
                clock: LocalClock::new(config.clocks.get(&NodeId(i)).copied().unwrap_or_default()),
                rng: SimRng::for_stream(config.seed, i as u64),
                incarnation: 0,
                up: true,
            })
            .collect();
        let mut sim = Sim {
            seed: config.seed,
            now: SimTime::ZERO,
            next_seq: 0,
            trace_seq: 0,
            events_processed: 0,
            queue: EventQueue::with_capacity(n as usize + config.faults.len()),
            nodes,
            per_node,
            net_rng: SimRng::for_stream(config.seed, u64::MAX),
            topology: Arc::new(config.topology),
            default_link: Arc::new(config.default_link),
            links: Arc::new(config.links),
            link_state: BTreeMap::new(),
            partitions: PartitionState::default(),
            live_timers: TimerSet::default(),
            next_timer: 0,
            next_message: 0,
            stats: NetworkStats::default(),
            factory,
            scratch: Vec::new(),
        };
        for i in 0..n {
            sim.schedule(SimTime::ZERO, Event::Start(NodeId(i)));
        }
        for (at, fault) in config.faults {
            sim.schedule(at, Event::Fault(fault));
        }
        Ok(sim)
    }

    fn schedule(&mut self, time: SimTime, event: Event<N::Msg, N::Timer>) {
        let external = matches!(event, Event::Input { .. } | Event::Fault(_));
        let seq = self.next_seq | if external { EXTERNAL } else { 0 };
        self.next_seq += 1;
        self.queue.push(time, seq, event);
    }

    fn check_node(&self, node: NodeId) -> Result<(), ConfigError> {
        if node.index() < self.nodes.len() {
            Ok(())
        } else {
            Err(ConfigError::UnknownNode {
                node,
                node_count: self.nodes.len() as u32,
            })
        }
    }

    /// Schedules an input from outside (a user action, a client request) for `node` at `at`.
    pub fn schedule_input(
        &mut self,
        at: SimTime,
        node: NodeId,
        input: N::Msg,
    ) -> Result<(), ConfigError> {
        self.check_node(node)?;
        if at < self.now {
            return Err(ConfigError::InThePast {
                what: "an input",
                at_ns: at.0,
                now_ns: self.now.0,
            });
        }
        self.schedule(at, Event::Input { node, msg: input });
        Ok(())
    }

    /// Schedules a fault at `at` (validated against this run).
    pub fn schedule_fault(&mut self, at: SimTime, fault: Fault) -> Result<(), ConfigError> {
        fault.validate(self.nodes.len() as u32)?;
        if at < self.now {
            return Err(ConfigError::InThePast {
                what: "a fault",
                at_ns: at.0,
                now_ns: self.now.0,
            });
        }
        self.schedule(at, Event::Fault(fault));
        Ok(())
    }

    // ----- run control -------------------------------------------------------------------

    /// Processes the next event. Returns `false` when nothing is left to do.
    pub fn step<O: Observer<N::Msg> + ?Sized>(&mut self, obs: &mut O) -> bool {
        while let Some((time, event)) = self.queue.pop() {
            if self.process(time, event, obs) {
                self.events_processed += 1;
                return true;
            }
        }
        false
    }

    /// Runs events until the budget's time or event count is reached, whichever comes first.
    pub fn run<O: Observer<N::Msg> + ?Sized>(
        &mut self,
        budget: RunBudget,
        obs: &mut O,
    ) -> RunOutcome {
        let mut done = 0u64;
        loop {
            match self.queue.next_time() {
                None => {
                    return RunOutcome::Quiescent;
                }
                Some(time) if time > budget.until => {
                    self.now = self.now.max(budget.until);
                    return RunOutcome::ReachedTime;
                }
                Some(_) => {}
            }
            if done >= budget.max_events {
                return RunOutcome::EventBudgetSpent;
            }
            if let Some((time, event)) = self.queue.pop()
                && self.process(time, event, obs)
            {
                self.events_processed += 1;
                done += 1;
            }
        }
    }

    /// Runs every event due at or before `t`, then sets the clock to `t` (if it was earlier).
    pub fn run_until<O: Observer<N::Msg> + ?Sized>(
        &mut self,
        t: SimTime,
        obs: &mut O,
    ) -> RunOutcome {
        let outcome = self.run(
            RunBudget {
                until: t,
                max_events: u64::MAX,
            },
            obs,
        );
        self.now = self.now.max(t);
        outcome
    }

    /// Runs at most `n` events; returns how many ran.
    pub fn run_events<O: Observer<N::Msg> + ?Sized>(&mut self, n: u64, obs: &mut O) -> u64 {
        let before = self.events_processed;
        self.run(
            RunBudget {
                until: SimTime::MAX,
                max_events: n,
            },
            obs,
        );
        self.events_processed - before
    }

    /// Runs while `keep_going(self)` holds (checked before each event) and events remain.
    pub fn run_while<O: Observer<N::Msg> + ?Sized>(
        &mut self,
        obs: &mut O,
        mut keep_going: impl FnMut(&Self) -> bool,
    ) -> u64 {
        let before = self.events_processed;
        while keep_going(self) && self.step(obs) {}
        self.events_processed - before
    }

    // ----- inspection --------------------------------------------------------------------

    /// The current global time.
    pub fn now(&self) -> SimTime {
        self.now
    }
    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
    /// How many events have been processed.
    pub fn events_processed(&self) -> u64 {
        self.events_processed
    }
    /// What is left to do.
    pub fn pending(&self) -> Pending {
        Pending {
            events: self.queue.len(),
            messages_in_flight: self.stats.in_flight,
            next_event_at: self.queue.peek_time(),
        }
    }
    /// Message accounting so far.
    pub fn stats(&self) -> NetworkStats {
        self.stats
    }
    /// How many nodes.
    pub fn node_count(&self) -> u32 {
        self.nodes.len() as u32
    }
    /// A node's state (for inspectors and tests; nodes themselves cannot see each other).
    pub fn node(&self, id: NodeId) -> Option<&N> {
        self.nodes.get(id.index())
    }
    /// Every node's state, by id.
    pub fn nodes(&self) -> &[N] {
        &self.nodes
    }
    /// Whether a node is running (not crashed).
    pub fn is_up(&self, id: NodeId) -> bool {
        self.per_node.get(id.index()).is_some_and(|p| p.up)
    }
    /// What a node's clock reads now.
    pub fn local_time(&self, id: NodeId) -> Option<LocalTime> {
        self.per_node
            .get(id.index())
            .map(|p| p.clock.read(self.now))
    }
    /// The topology.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }
    /// The partitions in force.
    pub fn partitions(&self) -> &PartitionState {
        &self.partitions
    }
    /// The parameters of the link direction `from → to`.
    pub fn link_params(&self, from: NodeId, to: NodeId) -> &LinkParams {
        self.links.get(&(from, to)).unwrap_or(&self.default_link)
    }
    /// An estimate of the memory the world holds: queue, node structs, per-node kernel state
    /// and topology. It counts `size_of::<N>()` per node, not memory a node allocates itself.
    pub fn approx_heap_bytes(&self) -> usize {
        use std::mem::size_of;
        self.queue.heap_bytes()
            + self.nodes.capacity() * size_of::<N>()
            + self.per_node.capacity() * size_of::<PerNode>()
            + self.topology.heap_bytes()
            + self.link_state.len() * (size_of::<(NodeId, NodeId)>() + size_of::<LinkState>() + 16)
            + self.live_timers.heap_bytes()
    }
    /// Bytes of one queue entry (the per-pending-event cost).
    pub fn bytes_per_pending_event() -> usize {
        EventQueue::<Event<N::Msg, N::Timer>>::bytes_per_entry()
    }

    // ----- time travel -------------------------------------------------------------------

    /// Copies the whole world: nodes, network state, queue, clocks and random streams.
    /// Restoring it and running forward reproduces the original run exactly.
    pub fn snapshot(&self) -> Snapshot<N> {
        Snapshot(self.clone())
    }
    /// Returns the world to a snapshot.
    pub fn restore(&mut self, snapshot: &Snapshot<N>) {
        *self = snapshot.0.clone();
    }

    // ----- the engine --------------------------------------------------------------------

    /// Processes one popped event; `false` if it was a stale timer with nothing to observe.
    fn process<O: Observer<N::Msg> + ?Sized>(
        &mut self,
        time: SimTime,
        event: Event<N::Msg, N::Timer>,
        obs: &mut O,
    ) -> bool {
        self.now = time;
        match event {
            Event::Start(node) => {
                if !self.per_node[node.index()].up {
                    return false;
                }
                emit(
                    obs,
                    &mut self.trace_seq,
                    self.now,
                    TraceKind::Start { node },
                );
                self.handle(node, obs, |n, ctx| n.on_start(ctx));
            }
            Event::Deliver {
                id,
                from,
                to,
                sent_at,
                msg,
            } => {
                self.stats.in_flight -= 1;
                let size_bytes = msg.size_bytes();
                let reason = if !self.per_node[to.index()].up {
                    Some(DropReason::NodeDown)
                } else if self.partitions.blocks(from, to) {
                    Some(DropReason::Partitioned)
                } else {
                    None
                };
                if let Some(reason) = reason {
                    self.stats.dropped += 1;
                    let kind = TraceKind::Drop {
                        id,
                        from,
                        to,
                        size_bytes,
                        reason,
                        msg: &msg,
                    };
                    emit(obs, &mut self.trace_seq, self.now, kind);
                } else {
                    self.stats.delivered += 1;
                    let kind = TraceKind::Deliver {
                        id,
                        from,
                        to,
                        sent_at,
                        size_bytes,
                        msg: &msg,
                    };
                    emit(obs, &mut self.trace_seq, self.now, kind);
                    self.handle(to, obs, |n, ctx| n.on_message(ctx, from, msg));
                }
            }
            Event::Timer {
                node,
                id,
                incarnation,
                timer,
            } => {
                if !self.live_timers.remove(id)
                    || incarnation != self.per_node[node.index()].incarnation
                    || !self.per_node[node.index()].up
                {
                    return false;
                }
                emit(
                    obs,
                    &mut self.trace_seq,
                    self.now,
                    TraceKind::Timer { node, id },
                );
                self.handle(node, obs, |n, ctx| n.on_timer(ctx, timer));
            }
            Event::Input { node, msg } => {
                let accepted = self.per_node[node.index()].up;
                emit(
                    obs,
                    &mut self.trace_seq,
                    self.now,
                    TraceKind::Input {
                        node,
                        msg: &msg,
                        accepted,
                    },
                );
                if accepted {
                    self.handle(node, obs, |n, ctx| n.on_input(ctx, msg));
                }
            }
            Event::Fault(fault) => {
                emit(
                    obs,
                    &mut self.trace_seq,
                    self.now,
                    TraceKind::Fault { fault: &fault },
                );
                self.apply_fault(&fault, obs);
            }
        }
        true
    }

    fn apply_fault<O: Observer<N::Msg> + ?Sized>(&mut self, fault: &Fault, obs: &mut O) {
        match *fault {
            Fault::Crash(node) => self.crash(node, obs),
            Fault::Restart { node, mode } => {
                if self.per_node[node.index()].up {
                    self.crash(node, obs); // restarting a running node bounces it
                }
                let i = node.index();
                self.per_node[i].up = true;
                if mode == RestartMode::Volatile {
                    self.nodes[i] = (self.factory)(node);
                }
                emit(
                    obs,
                    &mut self.trace_seq,
                    self.now,
                    TraceKind::Restart { node, mode },
                );
                self.handle(node, obs, |n, ctx| n.on_start(ctx));
            }
            Fault::ClockStep { node, by_ns } => {
                self.per_node[node.index()].clock.step(self.now, by_ns)
            }
            Fault::SetDrift { node, drift_ppb } => self.per_node[node.index()]
                .clock
                .set_drift(self.now, drift_ppb),
            _ => self.partitions.apply(fault, self.nodes.len() as u32),
        }
    }

    fn crash<O: Observer<N::Msg> + ?Sized>(&mut self, node: NodeId, obs: &mut O) {
        let i = node.index();
        if !self.per_node[i].up {
            return;
        }
        self.per_node[i].up = false;
        self.per_node[i].incarnation = self.per_node[i].incarnation.wrapping_add(1);
        self.nodes[i].on_crash();
        emit(
            obs,
            &mut self.trace_seq,
            self.now,
            TraceKind::Crash { node },
        );
    }

    /// Runs one handler of `node` with a fresh context, then applies its effects in order.
    fn handle<O, F>(&mut self, node: NodeId, obs: &mut O, f: F)
    where
        O: Observer<N::Msg> + ?Sized,
        F: FnOnce(&mut N, &mut Ctx<'_, N::Msg, N::Timer>),
    {
        let i = node.index();
        let mut effects = std::mem::take(&mut self.scratch);
        {
            let mut ctx = Ctx {
                id: node,
                node_count: self.nodes.len() as u32,
                local_time: self.per_node[i].clock.read(self.now),
                incarnation: self.per_node[i].incarnation,
                neighbours: self.topology.neighbours(node),
                rng: &mut self.per_node[i].rng,
                effects: &mut effects,
                next_timer: &mut self.next_timer,
            };
            f(&mut self.nodes[i], &mut ctx);
        }
        for effect in effects.drain(..) {
            match effect {
                Effect::Send { to, msg } => self.transmit(node, to, msg, obs),
                Effect::SetTimer { id, after, timer } => {
                    let delay = self.per_node[i].clock.global_delay(after);
                    self.live_timers.insert(id);
                    let incarnation = self.per_node[i].incarnation;
                    self.schedule(
                        self.now + delay,
                        Event::Timer {
                            node,
                            id,
                            incarnation,
                            timer,
                        },
                    );
                }
                Effect::CancelTimer(id) => {
                    self.live_timers.remove(id);
                }
                Effect::Metric { name, value } => {
                    emit(
                        obs,
                        &mut self.trace_seq,
                        self.now,
                        TraceKind::Metric { node, name, value },
                    );
                }
                Effect::Note(text) => {
                    emit(
                        obs,
                        &mut self.trace_seq,
                        self.now,
                        TraceKind::Note { node, text: &text },
                    );
                }
            }
        }
        self.scratch = effects;
    }

    fn new_message_id(&mut self) -> MessageId {
        let id = MessageId(self.next_message);
        self.next_message += 1;
        id
    }

    /// A node hands `msg` to the network: partition check, loss, duplication, then one arrival
    /// per copy. Every random draw comes from the network stream, in a fixed order.
    fn transmit<O: Observer<N::Msg> + ?Sized>(
        &mut self,
        from: NodeId,
        to: NodeId,
        msg: N::Msg,
        obs: &mut O,
    ) {
        let size_bytes = msg.size_bytes();
        let id = self.new_message_id();
        self.stats.sent += 1;
        emit(
            obs,
            &mut self.trace_seq,
            self.now,
            TraceKind::Send {
                id,
                from,
                to,
                size_bytes,
                msg: &msg,
            },
        );
        let drop_reason = if to.index() >= self.nodes.len() {
            Some(DropReason::UnknownDestination)
        } else if self.partitions.blocks(from, to) {
            Some(DropReason::Partitioned)
        } else {
            None
        };
        if let Some(reason) = drop_reason {
            self.stats.dropped += 1;
            emit(
                obs,
                &mut self.trace_seq,
                self.now,
                TraceKind::Drop {
                    id,
                    from,
                    to,
                    size_bytes,
                    reason,
                    msg: &msg,
                },
            );
            return;
        }
        // Draw loss, duplication and arrivals with `params` borrowed from the link table while
        // the random stream and link queues are borrowed mutably (disjoint fields, no copies).
        let (lost, copy_at, at) = {
            let params = self.links.get(&(from, to)).unwrap_or(&self.default_link);
            if self.net_rng.chance(params.loss) {
                (true, None, SimTime::ZERO)
            } else {
                let duplicate = self.net_rng.chance(params.duplicate);
                let mut arrive = |rng: &mut SimRng| {
                    arrival(
                        rng,
                        &mut self.link_state,
                        self.now,
                        (from, to),
                        params,
                        size_bytes,
                    )
                };
                let copy_at = if duplicate {
                    Some(arrive(&mut self.net_rng))
                } else {
                    None
                };
                (false, copy_at, arrive(&mut self.net_rng))
            }
        };
        if lost {
            self.stats.dropped += 1;
            let kind = TraceKind::Drop {
                id,
                from,
                to,
                size_bytes,
                reason: DropReason::Lost,
                msg: &msg,
            };
            emit(obs, &mut self.trace_seq, self.now, kind);
            return;
        }
        let sent_at = self.now;
        if let Some(copy_at) = copy_at {
            let copy_id = self.new_message_id();
            self.stats.duplicated += 1;
            let kind = TraceKind::Duplicate {
                id: copy_id,
                original: id,
                from,
                to,
                size_bytes,
            };
            emit(obs, &mut self.trace_seq, self.now, kind);
            self.stats.in_flight += 1;
            let msg = msg.clone();
            self.schedule(
                copy_at,
                Event::Deliver {
                    id: copy_id,
                    from,
                    to,
                    sent_at,
                    msg,
                },
            );
        }
        self.stats.in_flight += 1;
        self.schedule(
            at,
            Event::Deliver {
                id,
                from,
                to,
                sent_at,
                msg,
            },
        );
    }
}

/// When a copy sent at `now` on `link` arrives: queue behind earlier messages while the link is
/// busy, serialise, propagate, add jitter, and keep order on FIFO links.
fn arrival(
    rng: &mut SimRng,
    link_state: &mut BTreeMap<(NodeId, NodeId), LinkState>,
    now: SimTime,
    link: (NodeId, NodeId),
    params: &LinkParams,
    size_bytes: u32,
) -> SimTime {
    let mut latency = params.latency.sample(rng);
    if params.jitter > SimDuration::ZERO {
        latency = latency + SimDuration(rng.below(params.jitter.0 + 1));
    }
    if params.bandwidth_bps.is_none() && !params.fifo {
        return now + latency;
    }
    let state = link_state.entry(link).or_default();
    let departure = now.max(state.busy_until) + params.serialisation_delay(size_bytes);
    state.busy_until = departure;
    let mut at = departure + latency;
    if params.fifo {
        at = at.max(state.last_arrival);
        state.last_arrival = at;
    }
    at
}

impl<N: Node> core::fmt::Debug for Sim<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sim")
            .field("seed", &self.seed)
            .field("now", &self.now)
            .field("nodes", &self.nodes.len())
            .field("pending", &self.queue.len())
            .field("stats", &self.stats)
            .finish()
    }
}

/// A message copy on the wire, as seen from outside (for drawing messages in flight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InFlight {
    /// The copy's id.
    pub id: MessageId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When it was sent.
    pub sent_at: SimTime,
    /// When it will arrive (or be dropped on arrival).
    pub arrives_at: SimTime,
    /// Wire size.
    pub size_bytes: u32,
}

impl<N: Node> Sim<N> {
    /// How many message copies on the wire now satisfy `pred` (for models that count what
    /// their messages carry, such as tasks in flight).
    pub fn count_in_flight(&self, mut pred: impl FnMut(&N::Msg) -> bool) -> usize {
        self.queue
            .iter()
            .filter(|(_, event)| matches!(event, Event::Deliver { msg, .. } if pred(msg)))
            .count()
    }

    /// Every message copy on the wire now, in no particular (but deterministic) order.
    pub fn messages_in_flight(&self) -> impl Iterator<Item = InFlight> + '_ {
        self.queue.iter().filter_map(|(time, event)| match *event {
            Event::Deliver {
                id,
                from,
                to,
                sent_at,
                ref msg,
            } => Some(InFlight {
                id,
                from,
                to,
                sent_at,
                arrives_at: time,
                size_bytes: msg.size_bytes(),
            }),
            _ => None,
        })
    }
}
