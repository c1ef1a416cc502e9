//! The energy ledger: a [`sim::Observer`] that any lab attaches to a run. It charges
//!
//! - every node its idle power for the time it is up (from its start or restart until a crash),
//!   if an idle power is configured, or the idle power the node itself reports through the
//!   metric [`IDLE_POWER_METRIC`] (a model with machines of different kinds);
//! - every node the power above idle it reports through the metric [`DYNAMIC_POWER_METRIC`]
//!   (for example a server's linear power model at its current utilisation), held constant
//!   until the next report, for the time it is up;
//! - every node the always-on power of its network line (its share of the access and core
//!   network equipment, [`LedgerConfig::line_power`]) for the time it is up, if configured;
//! - every message copy on the wire `size × 8 bit/B × energy per bit`, once per link traversal
//!   (a send in the kernel crosses one link; a duplicate made by the network is another copy),
//!   charged to its sender when it is sent, whether or not it arrives;
//!
//! and reports totals in joules, kilowatt-hours and grams of CO₂e at a chosen grid. The total is
//! by construction the sum of the per-node parts, and the per-node message parts are the sum of
//! the per-message parts.
//!
//! Two network models fill these fields. The **power model**
//! ([`LedgerConfig::from_power_model`], the labs' default) charges each node's line its
//! always-on power and each bit only the small marginal energy it adds: network equipment draws
//! nearly the same power whatever the traffic (Mytton, Lundén & Malmodin 2024,
//! doi:10.1111/jiec.13512), so a protocol that sends more costs little more. The **average
//! intensity** ([`LedgerConfig::from_coefficients`]) charges a published kWh/GB figure per
//! bit and no line power; such a figure is a whole-internet average over a whole path
//! (everything the networks drew divided by everything they carried), fit for estimating a
//! whole download end to end (the streaming calculator), not for the cost of one more message
//! on one more link: charged per simulated link, it makes a multi-hop route cost one whole
//! internet path per hop.

use crate::coefficients::{GridIntensity, NetworkIntensity, NetworkPower};
use crate::units::{
    GramsCo2e, GramsCo2ePerKwh, Joules, JoulesPerBit, KilowattHours, Seconds, Watts,
};
use serde::Serialize;
use sim::{MessageId, NodeId, Observer, SimTime, TraceEvent, TraceKind};

/// The metric (in watts) through which a node reports its own idle power; from then on it
/// replaces the configured idle power for that node.
pub const IDLE_POWER_METRIC: &str = "power.idle_w";
/// The metric (in watts) through which a node reports its power above idle now; the ledger
/// integrates it as a step function of time.
pub const DYNAMIC_POWER_METRIC: &str = "power.dynamic_w";

/// What the ledger charges, and for what grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerConfig {
    /// Each node's power while up; `None` charges no node energy.
    pub idle_power: Option<Watts>,
    /// Energy per bit per link traversal: the marginal energy in the power model, the average
    /// intensity otherwise.
    pub energy_per_bit: JoulesPerBit,
    /// Always-on power of each node's network line while the node is up (the power model);
    /// `None` charges none (the average-intensity model, whose per-bit figure already spreads
    /// the networks' whole consumption over their traffic).
    pub line_power: Option<Watts>,
    /// Carbon intensity of the electricity.
    pub carbon: GramsCo2ePerKwh,
    /// Where the coefficients come from, one line each.
    pub provenance: Vec<String>,
    /// Whether to keep one entry per message (off for large runs: memory grows with messages).
    pub keep_messages: bool,
    /// Which network model is in use, in one sentence for the page.
    pub network_model: String,
}

impl LedgerConfig {
    /// A configuration charging a published average network intensity (kWh/GB) on every link a
    /// message crosses, and no line power, with the sources as provenance. Meant for whole-path
    /// estimates; see the module docs.
    pub fn from_coefficients(
        network: &NetworkIntensity,
        grid: &GridIntensity,
        idle_power: Option<Watts>,
    ) -> LedgerConfig {
        LedgerConfig {
            idle_power,
            energy_per_bit: network.kwh_per_gb.joules_per_bit(),
            line_power: None,
            carbon: grid.intensity,
            provenance: vec![
                format!(
                    "network (average intensity, a whole-path figure charged on every link \
                     crossed): {} kWh/GB ({}), {}",
                    network.kwh_per_gb.0, network.link, network.source.citation
                ),
                grid_line(grid),
            ],
            keep_messages: true,
            network_model: format!(
                "Network: average intensity, {} kWh/GB ({} µJ per bit) on each link a message \
                 crosses. It is a whole-internet, whole-path average, so it overstates what one \
                 more hop costs.",
                network.kwh_per_gb.0,
                trim(network.kwh_per_gb.joules_per_bit().0 * 1e6)
            ),
        }
    }

    /// A configuration from a network power model: each node's line draws its always-on power
    /// while the node is up, and each bit adds the marginal energy on every link it crosses.
    pub fn from_power_model(
        network: &NetworkPower,
        grid: &GridIntensity,
        idle_power: Option<Watts>,
    ) -> LedgerConfig {
        LedgerConfig {
            idle_power,
            energy_per_bit: network.marginal,
            line_power: Some(network.line_idle),
            carbon: grid.intensity,
            provenance: vec![
                format!(
                    "network (power model): {} W always on per node's line, plus {} nJ per bit \
                     per link crossed ({}), {}",
                    network.line_idle.0,
                    trim(network.marginal.0 * 1e9),
                    network.label,
                    network.source.citation
                ),
                grid_line(grid),
            ],
            keep_messages: true,
            network_model: format!(
                "Network: power model. Each node's line draws {} W whether or not it sends; each \
                 message adds only {} nJ per bit on each link it crosses.",
                network.line_idle.0,
                trim(network.marginal.0 * 1e9)
            ),
        }
    }
}

/// A number with at most three decimals, trailing zeros removed.
fn trim(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

fn grid_line(grid: &GridIntensity) -> String {
    format!(
        "grid: {} gCO2e/kWh ({}, {}), {}",
        grid.intensity.0, grid.name, grid.year, grid.source.citation
    )
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
    /// Reported power above idle, integrated over up time.
    pub dynamic: Joules,
    /// Message copies it put on the wire.
    pub messages: u64,
    /// Bytes it put on the wire.
    pub bytes: u64,
    /// Energy of those messages.
    pub network: Joules,
    /// Its network line's always-on power × up time.
    pub line: Joules,
    /// `idle + dynamic + line + network`.
    pub total: Joules,
}

/// The run's totals at some instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LedgerTotals {
    /// Sum of the nodes' idle energy.
    pub idle: Joules,
    /// Sum of the nodes' energy above idle.
    pub dynamic: Joules,
    /// Sum of the messages' energy.
    pub network: Joules,
    /// Sum of the nodes' network lines' always-on energy.
    pub line: Joules,
    /// `idle + dynamic + line + network`.
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
    /// The idle power the node reported, replacing the configured one.
    reported_idle: Option<Watts>,
    /// The power above idle the node reported last.
    dynamic_power: Watts,
    /// Energy of closed power steps while up (reported idle and dynamic).
    reported_idle_energy: Joules,
    dynamic_energy: Joules,
    /// Start of the current power step (only meaningful while up).
    step_since: SimTime,
}

impl NodeAccount {
    /// Closes the current power step at `now` (if the node is up), charging its energy.
    fn close_step(&mut self, now: SimTime) {
        if self.up_since.is_some() {
            let dt = crate::units::Seconds::from(now.saturating_since(self.step_since));
            if let Some(p) = self.reported_idle {
                self.reported_idle_energy += p * dt;
            }
            self.dynamic_energy += self.dynamic_power * dt;
        }
        self.step_since = now;
    }
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
        // The open power step counts until `at`.
        let step = if a.up_since.is_some() {
            Seconds::from(at.saturating_since(a.step_since))
        } else {
            Seconds::ZERO
        };
        let idle = match a.reported_idle {
            Some(p) => a.reported_idle_energy + p * step,
            None => self.config.idle_power.map_or(Joules::ZERO, |p| p * up_time),
        };
        let dynamic = a.dynamic_energy + a.dynamic_power * step;
        let line = self.config.line_power.map_or(Joules::ZERO, |p| p * up_time);
        NodeEnergy {
            up_time,
            idle,
            dynamic,
            messages: a.messages,
            bytes: a.bytes,
            network: a.network,
            line,
            total: idle + dynamic + line + a.network,
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
            t.dynamic += n.dynamic;
            t.network += n.network;
            t.line += n.line;
            t.messages += n.messages;
        }
        t.total = t.idle + t.dynamic + t.line + t.network;
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
                    a.step_since = now;
                }
            }
            TraceKind::Crash { node } => {
                let a = self.account(node);
                a.close_step(now);
                // A restarted node starts idle again until it reports otherwise.
                a.dynamic_power = Watts::ZERO;
                if let Some(s) = a.up_since.take() {
                    a.up_ns = a.up_ns.saturating_add((now - s).as_nanos());
                }
            }
            TraceKind::Metric { node, name, value } if name == IDLE_POWER_METRIC => {
                let a = self.account(node);
                a.close_step(now);
                a.reported_idle = Some(Watts(value));
            }
            TraceKind::Metric { node, name, value } if name == DYNAMIC_POWER_METRIC => {
                let a = self.account(node);
                a.close_step(now);
                a.dynamic_power = Watts(value);
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
