//! # `sim` — Continuum's deterministic discrete-event simulation kernel
//!
//! Many virtual nodes, each an actor with its own state, clock and random stream, exchange
//! messages over a simulated network with latency, bandwidth, loss, duplication, partitions,
//! crashes and clock drift. Handlers return their effects as values through a [`Ctx`]; the kernel
//! applies them, and everything observable leaves as a [`TraceEvent`] to an [`Observer`].
//!
//! Invariants (see `ARCHITECTURE.md`):
//! - virtual time is an integer ([`SimTime`], ns) and the wall clock is never read;
//! - events run in `(time, sequence)` order, the sequence counting schedulings, so the same
//!   configuration and seed give the same trace on every machine and target;
//! - every random draw comes from a [`SimRng`] derived from the seed; floats that feed the run use
//!   `libm`; no hash-map iteration order reaches the trace;
//! - `sent + duplicated = delivered + dropped + in_flight` after every event;
//! - nothing a user configures panics: bad configuration is a [`ConfigError`].

mod clock;
mod error;
mod fault;
mod id;
mod network;
mod node;
pub mod observers;
mod queue;
mod rng;
mod sim;
mod time;
mod timers;
mod topology;
mod trace;
pub mod trace_log;

pub use clock::{ClockParams, LocalClock, MAX_CLOCK_OFFSET_NS, MAX_DRIFT_PPB};
pub use error::ConfigError;
pub use fault::{Fault, PartitionState, RestartMode};
pub use id::{MessageId, NodeId, TimerId};
pub use network::{
    DEFAULT_LATENCY, LatencyModel, LinkParams, MAX_LATENCY, MIN_BANDWIDTH_BPS, check_probability,
};
pub use node::{Ctx, Effect, Message, Node};
pub use observers::{Counters, Histogram, LatencyHistogram, Recorder, TraceHash};
pub use rng::SimRng;
pub use sim::{
    InFlight, NetworkStats, NodeFactory, Pending, RunBudget, RunOutcome, Sim, SimConfig, Snapshot,
};
pub use time::{LocalTime, SimDuration, SimTime};
pub use topology::{MAX_LINKS, MAX_NODES, Topology};
pub use trace::{DropReason, FnObserver, Observer, TraceEvent, TraceKind};
pub use trace_log::{
    DEFAULT_TRACE_LOG_BYTES, Happening, LogEntry, MAX_CLOCK_NODES, SHIVIZ_DEFAULT_REGEX, TraceLog,
};
