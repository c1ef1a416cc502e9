//! The energy ledger: a [`sim::Observer`] that any lab attaches to a run. It charges
//!
//! - every node its idle power for the time it is up (from its start or restart until a crash),
//!   if an idle power is configured;
//! - every message copy on the wire `size × 8 bit/B × energy per bit`, once per link traversal
//!   (a send in the kernel crosses one link; a duplicate made by the network is another copy),
//!   charged to its sender when it is sent, whether or not it arrives;
//!
//! and reports totals in joules, kilowatt-hours and grams of CO₂e at a chosen grid. The total is
//! by construction the sum of the per-node parts, and the per-node network parts are the sum of
//! the per-message parts.
//!
//! The published network intensities (kWh/GB) describe a whole path through the internet; the
//! ledger charges such a figure once per simulated link, so a multi-hop overlay route costs
//! one path per hop. Choose the coefficient with that in mind.

use crate::coefficients::{GridIntensity, NetworkIntensity};
use crate::units::{
    GramsCo2e, GramsCo2ePerKwh, Joules, JoulesPerBit, KilowattHours, Seconds, Watts,
};
use serde::Serialize;
use sim::{MessageId, NodeId, Observer, SimTime, TraceEvent, TraceKind};

/// What the ledger charges, and for what grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerConfig {
    /// Each node's power while up; `None` charges no node energy.
    pub idle_power: Option<Watts>,
    /// Energy per bit per link traversal.
    pub energy_per_bit: JoulesPerBit,
    /// Carbon intensity of the electricity.
    pub carbon: GramsCo2ePerKwh,
    /// Where the coefficients come from, one line each.
    pub provenance: Vec<String>,
    /// Whether to keep one entry per message (off for large runs: memory grows with messages).
    pub keep_messages: bool,
}

impl LedgerConfig {
    /// A configuration from published coefficients, with their sources as provenance.
    pub fn from_coefficients(
        network: &NetworkIntensity,
        grid: &GridIntensity,
        idle_power: Option<Watts>,
    ) -> LedgerConfig {
        LedgerConfig {
            idle_power,
            energy_per_bit: network.kwh_per_gb.joules_per_bit(),
            carbon: grid.intensity,
            provenance: vec![
                format!(
                    "network: {} kWh/GB ({}), {}",
                    network.kwh_per_gb.0, network.link, network.source.citation
                ),
                format!(
                    "grid: {} gCO2e/kWh ({}, {}), {}",
                    grid.intensity.0, grid.name, grid.year, grid.source.citation
                ),
            ],
            keep_messages: true,
        }
    }
}

/// One message copy's energy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MessageEnergy {
    /// The copy's id.
    pub id: MessageId,
    /// Sender (charged).
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// When it was put on the wire.
    pub at: SimTime,
    /// Its size.
    pub size_bytes: u32,
    /// Its energy: size × 8 × energy per bit.
    pub energy: Joules,
}

/// One node's account at some instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct NodeEnergy {
    /// Time up so far.
    pub up_time: Seconds,
    /// Idle power × up time.
    pub idle: Joules,
    /// Message copies it put on the wire.
    pub messages: u64,
    /// Bytes it put on the wire.
    pub bytes: u64,
    /// Energy of those messages.
    pub network: Joules,
    /// `idle + network`.
    pub total: Joules,
}

/// The run's totals at some instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LedgerTotals {
    /// Sum of the nodes' idle energy.
    pub idle: Joules,
    /// Sum of the messages' energy.
    pub network: Joules,
    /// `idle + network`.
    pub total: Joules,
    /// The total in kWh.
    pub kwh: KilowattHours,
    /// The total's emissions at the configured grid.
    pub carbon: GramsCo2e,
    /// Message copies put on the wire.
    pub messages: u64,
    /// Inputs (user operations) the nodes accepted.
    pub operations: u64,
}

impl LedgerTotals {
    /// Energy per accepted operation, if there were any.
    pub fn per_operation(&self) -> Option<Joules> {
        (self.operations > 0).then(|| self.total / self.operations as f64)
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct NodeAccount {
    /// Closed up-intervals so far, ns.
    up_ns: u64,
    /// Start of the current up-interval.
    up_since: Option<SimTime>,
    messages: u64,
    bytes: u64,
    network: Joules,
}

/// Accounts energy per node and per message as a run goes; see the module docs.
#[derive(Clone, Debug)]
pub struct EnergyLedger {
    config: LedgerConfig,
    nodes: Vec<NodeAccount>,
    messages: Vec<MessageEnergy>,
    operations: u64,
    last_time: SimTime,
}

impl EnergyLedger {
    /// An empty ledger.
    pub fn new(config: LedgerConfig) -> EnergyLedger {
        EnergyLedger {
            config,
            nodes: Vec::new(),
            messages: Vec::new(),
            operations: 0,
            last_time: SimTime::ZERO,
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &LedgerConfig {
        &self.config
    }

    /// The time of the last event seen.
    pub fn last_time(&self) -> SimTime {
        self.last_time
    }

    /// Per-message entries (empty unless `keep_messages`).
    pub fn messages(&self) -> &[MessageEnergy] {
        &self.messages
    }

    /// How many nodes have appeared in the trace.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn account(&mut self, n: NodeId) -> &mut NodeAccount {
        if self.nodes.len() <= n.index() {
            self.nodes.resize(n.index() + 1, NodeAccount::default());
        }
        &mut self.nodes[n.index()]
    }

    fn charge(&mut self, id: MessageId, from: NodeId, to: NodeId, size_bytes: u32, at: SimTime) {
        let energy = crate::units::Bytes(u64::from(size_bytes)) * self.config.energy_per_bit;
        let a = self.account(from);
        a.messages += 1;
        a.bytes += u64::from(size_bytes);
        a.network += energy;
        if self.config.keep_messages {
            self.messages.push(MessageEnergy {
                id,
                from,
                to,
                at,
                size_bytes,
                energy,
            });
        }
    }

    /// Node `n`'s account at `at` (an open up-interval counts until `at`).
    pub fn node(&self, n: NodeId, at: SimTime) -> NodeEnergy {
        let Some(a) = self.nodes.get(n.index()) else {
            return NodeEnergy::default();
        };
        let open = a.up_since.map_or(0, |s| (at - s).as_nanos());
        let up_time = Seconds::from(sim::SimDuration(a.up_ns.saturating_add(open)));
        let idle = self.config.idle_power.map_or(Joules::ZERO, |p| p * up_time);
        NodeEnergy {
            up_time,
            idle,
            messages: a.messages,
            bytes: a.bytes,
            network: a.network,
            total: idle + a.network,
        }
    }

    /// Every node's account at `at`, by node index.
    pub fn nodes(&self, at: SimTime) -> Vec<NodeEnergy> {
        (0..self.nodes.len())
            .map(|i| self.node(NodeId(i as u32), at))
            .collect()
    }

    /// The totals at `at`: sums of the per-node parts.
    pub fn totals(&self, at: SimTime) -> LedgerTotals {
        let mut t = LedgerTotals {
            operations: self.operations,
            ..LedgerTotals::default()
        };
        for n in self.nodes(at) {
            t.idle += n.idle;
            t.network += n.network;
            t.messages += n.messages;
        }
        t.total = t.idle + t.network;
        t.kwh = t.total.kwh();
        t.carbon = t.kwh * self.config.carbon;
        t
    }
}

impl<M> Observer<M> for EnergyLedger {
    fn observe(&mut self, event: &TraceEvent<'_, M>) {
        let now = event.time;
        self.last_time = now;
        match event.kind {
            TraceKind::Start { node } | TraceKind::Restart { node, .. } => {
                let a = self.account(node);
                if a.up_since.is_none() {
                    a.up_since = Some(now);
                }
            }
            TraceKind::Crash { node } => {
                let a = self.account(node);
                if let Some(s) = a.up_since.take() {
                    a.up_ns = a.up_ns.saturating_add((now - s).as_nanos());
                }
            }
            TraceKind::Send {
                id,
                from,
                to,
                size_bytes,
                ..
            }
            | TraceKind::Duplicate {
                id,
                from,
                to,
                size_bytes,
                ..
            } => self.charge(id, from, to, size_bytes, now),
            TraceKind::Input { accepted: true, .. } => self.operations += 1,
            _ => {}
        }
    }
}
