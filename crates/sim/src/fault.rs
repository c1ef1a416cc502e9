//! Faults as verbs scheduled at times: partitions, crashes, restarts and clock trouble.

use crate::error::ConfigError;
use crate::id::NodeId;
use serde::{Deserialize, Serialize};

/// What state a node keeps across a crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestartMode {
    /// State kept, as if every write reached disk ([`crate::Node::on_crash`] may drop caches).
    Durable,
    /// State lost: the node restarts as freshly built.
    Volatile,
}

/// One fault verb. Scheduled at a time, it changes the network or a node from then on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Fault {
    /// Split the nodes into groups that cannot talk across; nodes listed in no group form one
    /// more group together. Replaces any earlier split.
    Split(Vec<Vec<NodeId>>),
    /// Cut a node off from every other node (both directions).
    Isolate(NodeId),
    /// Undo [`Fault::Isolate`] for this node.
    Rejoin(NodeId),
    /// Cut one direction of a link: `from` can no longer reach `to`.
    CutLink {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
    },
    /// Undo [`Fault::CutLink`] for this direction.
    RestoreLink {
        /// Sender side.
        from: NodeId,
        /// Receiver side.
        to: NodeId,
    },
    /// Undo every partition: splits, isolations and cut links.
    HealAll,
    /// Stop a node: it handles nothing, its timers are discarded, messages to it are dropped.
    Crash(NodeId),
    /// Start a crashed node again.
    Restart {
        /// The node.
        node: NodeId,
        /// Whether its state survives.
        mode: RestartMode,
    },
    /// Jump a node's clock by `by_ns` (negative: backwards), as NTP step corrections do.
    ClockStep {
        /// The node.
        node: NodeId,
        /// The jump, ns.
        by_ns: i64,
    },
    /// Change a node's clock drift from now on.
    SetDrift {
        /// The node.
        node: NodeId,
        /// New drift in parts per billion.
        drift_ppb: i64,
    },
}

impl Fault {
    /// Checks node ids and parameters against a run of `node_count` nodes.
    pub fn validate(&self, node_count: u32) -> Result<(), ConfigError> {
        let known = |n: NodeId| {
            if n.0 < node_count {
                Ok(())
            } else {
                Err(ConfigError::UnknownNode {
                    node: n,
                    node_count,
                })
            }
        };
        match self {
            Fault::Split(groups) => {
                let mut seen = std::collections::BTreeSet::new();
                for g in groups {
                    for &n in g {
                        known(n)?;
                        if !seen.insert(n) {
                            return Err(ConfigError::InvalidFault {
                                reason: format!("split puts {n} in two groups"),
                            });
                        }
                    }
                }
                Ok(())
            }
            Fault::Isolate(n) | Fault::Rejoin(n) | Fault::Crash(n) => known(*n),
            Fault::CutLink { from, to } | Fault::RestoreLink { from, to } => {
                known(*from)?;
                known(*to)
            }
            Fault::HealAll => Ok(()),
            Fault::Restart { node, .. } => known(*node),
            Fault::ClockStep { node, by_ns } => {
                known(*node)?;
                if by_ns.unsigned_abs() > crate::clock::MAX_CLOCK_OFFSET_NS as u64 {
                    return Err(ConfigError::InvalidClock {
                        reason: format!("clock step of {by_ns} ns is larger than one day"),
                    });
                }
                Ok(())
            }
            Fault::SetDrift { node, drift_ppb } => {
                known(*node)?;
                crate::clock::check_drift(*drift_ppb)
            }
        }
    }

    /// A short English description (`crash n3`, `split {n0 n1} | {n2}`).
    pub fn describe(&self) -> String {
        let list = |g: &Vec<NodeId>| {
            g.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        match self {
            Fault::Split(groups) => {
                format!(
                    "split {}",
                    groups
                        .iter()
                        .map(|g| format!("{{{}}}", list(g)))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )
            }
            Fault::Isolate(n) => format!("isolate {n}"),
            Fault::Rejoin(n) => format!("rejoin {n}"),
            Fault::CutLink { from, to } => format!("cut {from} → {to}"),
            Fault::RestoreLink { from, to } => format!("restore {from} → {to}"),
            Fault::HealAll => "heal all partitions".into(),
            Fault::Crash(n) => format!("crash {n}"),
            Fault::Restart {
                node,
                mode: RestartMode::Durable,
            } => format!("restart {node} (durable)"),
            Fault::Restart {
                node,
                mode: RestartMode::Volatile,
            } => format!("restart {node} (volatile)"),
            Fault::ClockStep { node, by_ns } => {
                format!("step clock of {node} by {}", crate::LocalTime(*by_ns))
            }
            Fault::SetDrift { node, drift_ppb } => {
                format!("set drift of {node} to {} ppm", *drift_ppb as f64 / 1000.0)
            }
        }
    }
}

/// Which node pairs can currently talk. Kept compact: no per-pair storage unless a link is cut.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionState {
    /// Group label per node while a split is active (`None`: no split).
    groups: Option<Vec<u32>>,
    /// Nodes cut off from everyone.
    isolated: std::collections::BTreeSet<NodeId>,
    /// Cut link directions `(from, to)`.
    cut: std::collections::BTreeSet<(NodeId, NodeId)>,
}

impl PartitionState {
    /// Whether a message from `from` to `to` is blocked right now. A node can always reach itself.
    #[inline]
    pub fn blocks(&self, from: NodeId, to: NodeId) -> bool {
        if !self.is_active() || from == to {
            return false;
        }
        self.blocks_active(from, to)
    }

    /// [`PartitionState::blocks`] while some partition is in force.
    fn blocks_active(&self, from: NodeId, to: NodeId) -> bool {
        if let Some(g) = &self.groups
            && g.get(from.index()) != g.get(to.index())
        {
            return true;
        }
        (!self.isolated.is_empty()
            && (self.isolated.contains(&from) || self.isolated.contains(&to)))
            || (!self.cut.is_empty() && self.cut.contains(&(from, to)))
    }

    /// Whether any partition is in force.
    #[inline]
    pub fn is_active(&self) -> bool {
        self.groups.is_some() || !self.isolated.is_empty() || !self.cut.is_empty()
    }

    /// The group label of each node under the current split (`None` when there is no split).
    pub fn groups(&self) -> Option<&[u32]> {
        self.groups.as_deref()
    }

    /// Applies a partition verb; other verbs are ignored here.
    pub fn apply(&mut self, fault: &Fault, node_count: u32) {
        match fault {
            Fault::Split(groups) => {
                let rest = groups.len() as u32;
                let mut label = vec![rest; node_count as usize];
                for (gi, g) in groups.iter().enumerate() {
                    for n in g {
                        if let Some(l) = label.get_mut(n.index()) {
                            *l = gi as u32;
                        }
                    }
                }
                self.groups = Some(label);
            }
            Fault::Isolate(n) => {
                self.isolated.insert(*n);
            }
            Fault::Rejoin(n) => {
                self.isolated.remove(n);
            }
            Fault::CutLink { from, to } => {
                self.cut.insert((*from, *to));
            }
            Fault::RestoreLink { from, to } => {
                self.cut.remove(&(*from, *to));
            }
            Fault::HealAll => *self = PartitionState::default(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_blocks_exactly_across_groups() {
        let mut p = PartitionState::default();
        p.apply(
            &Fault::Split(vec![vec![NodeId(0), NodeId(1)], vec![NodeId(2)]]),
            5,
        );
        assert!(!p.blocks(NodeId(0), NodeId(1)));
        assert!(p.blocks(NodeId(0), NodeId(2)));
        assert!(p.blocks(NodeId(2), NodeId(3)));
        assert!(
            !p.blocks(NodeId(3), NodeId(4)),
            "unlisted nodes form one group"
        );
        p.apply(&Fault::HealAll, 5);
        assert!(!p.is_active());
    }

    #[test]
    fn one_way_cut_blocks_one_direction() {
        let mut p = PartitionState::default();
        p.apply(
            &Fault::CutLink {
                from: NodeId(0),
                to: NodeId(1),
            },
            2,
        );
        assert!(p.blocks(NodeId(0), NodeId(1)));
        assert!(!p.blocks(NodeId(1), NodeId(0)));
        p.apply(
            &Fault::RestoreLink {
                from: NodeId(0),
                to: NodeId(1),
            },
            2,
        );
        assert!(!p.blocks(NodeId(0), NodeId(1)));
    }

    #[test]
    fn validation_names_the_problem() {
        let e = Fault::Crash(NodeId(9)).validate(3).unwrap_err();
        assert!(e.to_string().contains("n9"), "{e}");
        let e = Fault::Split(vec![vec![NodeId(0)], vec![NodeId(0)]])
            .validate(3)
            .unwrap_err();
        assert!(e.to_string().contains("two groups"), "{e}");
    }
}
