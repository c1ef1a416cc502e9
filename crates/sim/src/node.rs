//! Nodes are state machines; [`Ctx`] collects what they want to happen as values.

use crate::id::{NodeId, TimerId};
use crate::rng::SimRng;
use crate::time::{LocalTime, SimDuration};
use core::fmt::Debug;

/// A message that can travel on the simulated network. Its size drives serialisation delay,
/// bandwidth accounting and the energy ledger.
pub trait Message: Clone + Debug {
    /// The size of this message on the wire, in bytes (headers included, as the protocol counts them).
    /// It must depend on the message alone: the kernel asks again when a copy arrives.
    fn size_bytes(&self) -> u32;

    /// A short name of the message's kind for traces and diagrams (`"rumor"`, `"state"`);
    /// the same for every message of that kind.
    fn kind(&self) -> &'static str {
        "message"
    }
}

/// A simulated process: a deterministic state machine driven by the kernel.
///
/// Handlers never block and never perform I/O: they read their own state and the [`Ctx`], and
/// return effects through it. A run mixes roles (client, replica, server) by making the node
/// type an enum. `Clone` lets the kernel snapshot the whole world for time travel.
pub trait Node: Clone {
    /// What nodes send each other (and what the outside world injects as inputs).
    type Msg: Message;
    /// What a node attaches to a timer, to know which timer fired.
    type Timer: Clone + Debug;

    /// Called once when the run starts, and again after every restart.
    fn on_start(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>) {
        let _ = ctx;
    }

    /// A message from `from` arrived.
    fn on_message(
        &mut self,
        ctx: &mut Ctx<'_, Self::Msg, Self::Timer>,
        from: NodeId,
        msg: Self::Msg,
    );

    /// A timer set by this node fired (timers set before a crash never fire after it).
    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>, timer: Self::Timer) {
        let _ = (ctx, timer);
    }

    /// An input from outside the system (a user action, a client request) scheduled by the scenario.
    fn on_input(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>, input: Self::Msg) {
        let _ = (ctx, input);
    }

    /// The node crashed and will later restart with its state kept (a durable restart): drop here
    /// whatever the protocol keeps only in memory. Not called for volatile restarts, which start
    /// from a fresh node.
    fn on_crash(&mut self) {}

    /// A one-line summary of the state for inspectors and notes (default: nothing).
    fn describe(&self) -> String {
        String::new()
    }
}

/// One thing a handler asked for. The kernel applies effects in the order they were made.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect<M, T> {
    /// Send `msg` to `to`.
    Send {
        /// The destination.
        to: NodeId,
        /// The message.
        msg: M,
    },
    /// Start a timer that fires after `after` of the node's *local* clock.
    SetTimer {
        /// The id returned to the node.
        id: TimerId,
        /// Local-clock delay.
        after: SimDuration,
        /// What the node gets back in `on_timer`.
        timer: T,
    },
    /// Cancel a pending timer (no effect if it already fired).
    CancelTimer(TimerId),
    /// Record a named measurement at this moment.
    Metric {
        /// The metric's name.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A free-text note about a state change, shown in traces and inspectors.
    Note(String),
}

/// A handler's view of the world: its identity, neighbours, local clock and random stream, and
/// a place to put effects. It never exposes global time or other nodes' state.
pub struct Ctx<'a, M, T> {
    pub(crate) id: NodeId,
    pub(crate) node_count: u32,
    pub(crate) local_time: LocalTime,
    pub(crate) incarnation: u32,
    pub(crate) neighbours: &'a [NodeId],
    pub(crate) rng: &'a mut SimRng,
    pub(crate) effects: &'a mut Vec<Effect<M, T>>,
    pub(crate) next_timer: &'a mut u64,
}

impl<'a, M: Clone, T> Ctx<'a, M, T> {
    /// Builds a context by hand, for unit-testing a node's handlers without a simulation.
    pub fn detached(
        id: NodeId,
        node_count: u32,
        local_time: LocalTime,
        neighbours: &'a [NodeId],
        rng: &'a mut SimRng,
        effects: &'a mut Vec<Effect<M, T>>,
        next_timer: &'a mut u64,
    ) -> Self {
        Ctx {
            id,
            node_count,
            local_time,
            incarnation: 0,
            neighbours,
            rng,
            effects,
            next_timer,
        }
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// How many times this node has crashed so far (0 in its first life). A node restarted with
    /// its volatile state lost can use it to take a fresh identity, so that it never reuses
    /// sequence numbers it handed out before the crash.
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }
    /// Sets the incarnation of a [`Ctx::detached`] context (for unit tests of restarts).
    pub fn with_incarnation(mut self, incarnation: u32) -> Self {
        self.incarnation = incarnation;
        self
    }
    /// How many nodes the run has (membership is known, as in Maelstrom's `init`).
    pub fn node_count(&self) -> u32 {
        self.node_count
    }
    /// This node's own clock reading (offset and drifting; see [`crate::ClockParams`]).
    pub fn local_time(&self) -> LocalTime {
        self.local_time
    }
    /// This node's neighbours in the topology, sorted by id.
    pub fn neighbours(&self) -> &'a [NodeId] {
        self.neighbours
    }
    /// This node's seeded random stream.
    pub fn rng(&mut self) -> &mut SimRng {
        self.rng
    }
    /// Sends `msg` to `to` (any node; non-neighbours use the default link).
    pub fn send(&mut self, to: NodeId, msg: M) {
        self.effects.push(Effect::Send { to, msg });
    }
    /// Sends a copy of `msg` to every neighbour.
    pub fn send_to_neighbours(&mut self, msg: M) {
        self.send_to_neighbours_except(msg, None);
    }
    /// Sends a copy of `msg` to every neighbour but `except` (typically the node it came from).
    pub fn send_to_neighbours_except(&mut self, msg: M, except: Option<NodeId>) {
        let neighbours = self.neighbours;
        for &to in neighbours {
            if Some(to) != except {
                self.effects.push(Effect::Send {
                    to,
                    msg: msg.clone(),
                });
            }
        }
    }
    /// Starts a timer that fires after `after` on this node's local clock.
    pub fn set_timer(&mut self, after: SimDuration, timer: T) -> TimerId {
        let id = TimerId(*self.next_timer);
        *self.next_timer += 1;
        self.effects.push(Effect::SetTimer { id, after, timer });
        id
    }
    /// Cancels a timer this node set.
    pub fn cancel_timer(&mut self, id: TimerId) {
        self.effects.push(Effect::CancelTimer(id));
    }
    /// Records a named measurement (observers see it with the global time).
    pub fn metric(&mut self, name: &'static str, value: f64) {
        self.effects.push(Effect::Metric { name, value });
    }
    /// Records a note about a state change.
    pub fn note(&mut self, text: impl Into<String>) {
        self.effects.push(Effect::Note(text.into()));
    }
}
