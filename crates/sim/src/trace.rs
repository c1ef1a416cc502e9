//! Everything observable leaves the kernel as a [`TraceEvent`] delivered to an [`Observer`].

use crate::fault::{Fault, RestartMode};
use crate::id::{MessageId, NodeId, TimerId};
use crate::time::SimTime;

/// Why a message did not arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// The link's loss probability struck.
    Lost,
    /// A partition separated sender and receiver (at send or at arrival).
    Partitioned,
    /// The receiver was crashed when the message arrived.
    NodeDown,
    /// The destination id does not exist in this run.
    UnknownDestination,
}

impl DropReason {
    /// All reasons, in a fixed order (for tables and counters).
    pub const ALL: [DropReason; 4] = [
        DropReason::Lost,
        DropReason::Partitioned,
        DropReason::NodeDown,
        DropReason::UnknownDestination,
    ];

    /// A short lowercase label.
    pub fn label(self) -> &'static str {
        match self {
            DropReason::Lost => "lost",
            DropReason::Partitioned => "partitioned",
            DropReason::NodeDown => "node down",
            DropReason::UnknownDestination => "unknown destination",
        }
    }

    /// Position in [`DropReason::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What happened.
#[derive(Debug)]
pub enum TraceKind<'a, M> {
    /// A node started (at time zero, or after a restart: see [`TraceKind::Restart`]).
    Start {
        /// The node.
        node: NodeId,
    },
    /// A node handed a message to the network.
    Send {
        /// The message copy's id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Wire size.
        size_bytes: u32,
        /// The message.
        msg: &'a M,
    },
    /// The network made an extra copy of message `original`, with its own id.
    Duplicate {
        /// The copy's id.
        id: MessageId,
        /// The id of the message copied.
        original: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Wire size.
        size_bytes: u32,
    },
    /// A message reached its receiver, which handles it now.
    Deliver {
        /// The message copy's id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// When it was sent.
        sent_at: SimTime,
        /// Wire size.
        size_bytes: u32,
        /// The message.
        msg: &'a M,
    },
    /// A message was dropped (at send time or on arrival).
    Drop {
        /// The message copy's id.
        id: MessageId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// Wire size.
        size_bytes: u32,
        /// Why.
        reason: DropReason,
        /// The message.
        msg: &'a M,
    },
    /// A timer fired and its node handles it now.
    Timer {
        /// The node.
        node: NodeId,
        /// The timer.
        id: TimerId,
    },
    /// An input from outside reached a node (`accepted` is false if the node was down).
    Input {
        /// The node.
        node: NodeId,
        /// The input.
        msg: &'a M,
        /// Whether the node was up to handle it.
        accepted: bool,
    },
    /// A scheduled fault took effect.
    Fault {
        /// The fault.
        fault: &'a Fault,
    },
    /// A node crashed.
    Crash {
        /// The node.
        node: NodeId,
    },
    /// A node restarted.
    Restart {
        /// The node.
        node: NodeId,
        /// Whether state was kept.
        mode: RestartMode,
    },
    /// A node recorded a note about its state.
    Note {
        /// The node.
        node: NodeId,
        /// The note.
        text: &'a str,
    },
    /// A node recorded a measurement.
    Metric {
        /// The node.
        node: NodeId,
        /// The metric's name.
        name: &'static str,
        /// Its value.
        value: f64,
    },
}

/// One observable event at a global instant.
#[derive(Debug)]
pub struct TraceEvent<'a, M> {
    /// When it happened (global virtual time).
    pub time: SimTime,
    /// Its number in the run (0, 1, 2, …), counting every trace event.
    pub seq: u64,
    /// What happened.
    pub kind: TraceKind<'a, M>,
}

/// Receives trace events as the run produces them (a sink: the kernel does not know who listens).
pub trait Observer<M> {
    /// Called for every trace event, in order.
    fn observe(&mut self, event: &TraceEvent<'_, M>);
}

impl<M> Observer<M> for () {
    fn observe(&mut self, _: &TraceEvent<'_, M>) {}
}

impl<M, O: Observer<M> + ?Sized> Observer<M> for &mut O {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        (**self).observe(event);
    }
}

impl<M, O: Observer<M> + ?Sized> Observer<M> for Box<O> {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        (**self).observe(event);
    }
}

impl<M, O: Observer<M>> Observer<M> for Vec<O> {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        for o in self.iter_mut() {
            o.observe(event);
        }
    }
}

macro_rules! tuple_observer {
    ($($name:ident . $idx:tt),+) => {
        impl<M, $($name: Observer<M>),+> Observer<M> for ($($name,)+) {
            fn observe(&mut self, event: &TraceEvent<'_, M>) {
                $(self.$idx.observe(event);)+
            }
        }
    };
}
tuple_observer!(A.0);
tuple_observer!(A.0, B.1);
tuple_observer!(A.0, B.1, C.2);
tuple_observer!(A.0, B.1, C.2, D.3);
tuple_observer!(A.0, B.1, C.2, D.3, E.4);

/// An observer made from a closure.
pub struct FnObserver<F>(pub F);

impl<M, F: FnMut(&TraceEvent<'_, M>)> Observer<M> for FnObserver<F> {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        (self.0)(event);
    }
}
