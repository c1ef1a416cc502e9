//! Typed configuration errors with messages a user can act on.

use crate::id::NodeId;
use core::fmt;

/// Why a simulation could not be configured as asked. Each message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// A probability knob is outside `[0, 1]` or not a number.
    ProbabilityOutOfRange {
        /// Which knob (`loss`, `duplicate`, …).
        knob: &'static str,
        /// The value given.
        value: f64,
    },
    /// A latency distribution's parameters are impossible or absurd.
    InvalidLatency {
        /// What is wrong, in words.
        reason: String,
    },
    /// A bandwidth below the supported minimum.
    InvalidBandwidth {
        /// The value given, bits per second.
        bits_per_second: u64,
    },
    /// A node id that does not exist in this run.
    UnknownNode {
        /// The id given.
        node: NodeId,
        /// How many nodes the run has.
        node_count: u32,
    },
    /// A size limit was exceeded.
    LimitExceeded {
        /// What was too large (`nodes`, `links`, …).
        what: &'static str,
        /// The amount asked for.
        requested: u64,
        /// The largest amount allowed.
        limit: u64,
    },
    /// A topology parameter is impossible (for example a tree with branching factor 0).
    InvalidTopology {
        /// What is wrong, in words.
        reason: String,
    },
    /// A clock parameter is out of range.
    InvalidClock {
        /// What is wrong, in words.
        reason: String,
    },
    /// Something was scheduled before the current time of the run.
    InThePast {
        /// What was scheduled.
        what: &'static str,
        /// When it was asked for, ns.
        at_ns: u64,
        /// The run's current time, ns.
        now_ns: u64,
    },
    /// A protocol's parameters are impossible (for example a gossip fanout of 0).
    InvalidProtocol {
        /// What is wrong, in words.
        reason: String,
    },
    /// A fault's parameters are impossible (for example a split with a node in two groups).
    InvalidFault {
        /// What is wrong, in words.
        reason: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ProbabilityOutOfRange { knob, value } => {
                write!(
                    f,
                    "`{knob}` is a probability and must be between 0 and 1 (for example 0.05 for 5 %), but it is {value}"
                )
            }
            ConfigError::InvalidLatency { reason } => write!(f, "invalid latency: {reason}"),
            ConfigError::InvalidBandwidth { bits_per_second } => write!(
                f,
                "bandwidth {bits_per_second} bit/s is below the minimum of {} bit/s; leave it unset for an unlimited link",
                crate::network::MIN_BANDWIDTH_BPS
            ),
            ConfigError::UnknownNode { node, node_count } => {
                write!(
                    f,
                    "node {node} does not exist: this run has nodes n0 to n{}",
                    node_count.saturating_sub(1)
                )
            }
            ConfigError::LimitExceeded {
                what,
                requested,
                limit,
            } => {
                write!(
                    f,
                    "too many {what}: {requested} requested, at most {limit} supported"
                )
            }
            ConfigError::InvalidTopology { reason } => write!(f, "invalid topology: {reason}"),
            ConfigError::InvalidClock { reason } => write!(f, "invalid clock: {reason}"),
            ConfigError::InThePast {
                what,
                at_ns,
                now_ns,
            } => write!(
                f,
                "cannot schedule {what} at {} because the run is already at {}",
                crate::SimTime(*at_ns),
                crate::SimTime(*now_ns)
            ),
            ConfigError::InvalidFault { reason } => write!(f, "invalid fault: {reason}"),
            ConfigError::InvalidProtocol { reason } => {
                write!(f, "invalid protocol settings: {reason}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}
