//! Broadcast of updates: flooding, push gossip with fanout, push-pull gossip (anti-entropy with
//! digests) and spanning-tree broadcast, plus [`BroadcastStats`], the observer that measures them.
//!
//! An update starts at one node (an input scheduled by the scenario) and must reach all nodes.
//! Each node records a `"informed"` metric (value: the update id) the first time it learns an
//! update, so the stats are computed from the trace alone.

use serde::{Deserialize, Serialize};
use sim::{Ctx, Message, Node, NodeId, Observer, SimDuration, SimTime, TraceEvent, TraceKind};
use std::sync::Arc;

/// Bytes of headers on every message: IPv4 (20 bytes, RFC 791) plus UDP (8 bytes, RFC 768).
pub const HEADER_BYTES: u32 = 28;
/// Bytes to name one update in a message (a 32-bit id).
pub const UPDATE_ID_BYTES: u32 = 4;
/// Default payload of one update: 64 bytes, a small key/value write.
pub const DEFAULT_UPDATE_BYTES: u32 = 64;
/// Most distinct updates one run may broadcast (keeps per-node state and digests small).
pub const MAX_UPDATES: u32 = 4096;

/// How updates spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    /// Every node forwards a new update to all its neighbours except the one it came from.
    /// Reliable on a connected graph without loss; sends exactly `2L − (n − 1)` messages per
    /// update there ([`flood_messages_per_update`]).
    Flood,
    /// Rumour mongering: a node that learns an update pushes it to `fanout` random neighbours,
    /// then again every `period` for `rounds` rounds in total, then stops (Demers et al., 1987).
    PushGossip {
        /// Neighbours contacted per round.
        fanout: u32,
        /// Rounds of pushing per update and node (≥ 1).
        rounds: u32,
        /// Time between rounds on the node's local clock.
        period: SimDuration,
    },
    /// Anti-entropy: every `period` each node sends a digest of the updates it knows to `fanout`
    /// random neighbours; the peer replies with what the sender lacks and asks for what it lacks
    /// itself. Runs forever and repairs losses and partitions once they heal.
    PushPull {
        /// Neighbours contacted per round.
        fanout: u32,
        /// Time between rounds on the node's local clock.
        period: SimDuration,
    },
    /// Flooding restricted to a breadth-first spanning tree of the topology rooted at `root`:
    /// exactly n − 1 messages per update, but one lost message cuts off a whole subtree.
    Tree {
        /// The tree's root.
        root: NodeId,
    },
}

impl Protocol {
    /// A short name for tables and legends.
    pub fn name(&self) -> &'static str {
        match self {
            Protocol::Flood => "flooding",
            Protocol::PushGossip { .. } => "push gossip",
            Protocol::PushPull { .. } => "push-pull gossip",
            Protocol::Tree { .. } => "spanning tree",
        }
    }
}

/// Static settings shared by every node of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BroadcastConfig {
    /// The dissemination protocol.
    pub protocol: Protocol,
    /// Payload bytes of one update ([`DEFAULT_UPDATE_BYTES`]).
    pub update_bytes: u32,
}

/// What broadcast nodes send (and what a client injects: [`BroadcastMsg::Broadcast`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BroadcastMsg {
    /// A client asks this node to broadcast update `update` (an input, not a network message).
    Broadcast {
        /// Update id.
        update: u32,
    },
    /// One update, pushed or flooded.
    Rumor {
        /// Update id.
        update: u32,
        /// Payload size.
        payload_bytes: u32,
    },
    /// Push-pull: the ids the sender knows.
    Digest {
        /// Known update ids, ascending.
        known: Vec<u32>,
    },
    /// Push-pull: updates the receiver lacked, and ids the sender wants back.
    Exchange {
        /// Updates sent (ids; each carries its payload).
        updates: Vec<u32>,
        /// Ids the sender is missing and asks for.
        want: Vec<u32>,
        /// Payload size of each update.
        payload_bytes: u32,
    },
}

impl Message for BroadcastMsg {
    fn size_bytes(&self) -> u32 {
        let n = |v: &Vec<u32>| v.len() as u32;
        HEADER_BYTES
            + match self {
                BroadcastMsg::Broadcast { .. } => UPDATE_ID_BYTES,
                BroadcastMsg::Rumor { payload_bytes, .. } => UPDATE_ID_BYTES + payload_bytes,
                BroadcastMsg::Digest { known } => UPDATE_ID_BYTES * n(known),
                BroadcastMsg::Exchange {
                    updates,
                    want,
                    payload_bytes,
                } => (UPDATE_ID_BYTES + payload_bytes) * n(updates) + UPDATE_ID_BYTES * n(want),
            }
    }
    fn kind(&self) -> &'static str {
        match self {
            BroadcastMsg::Broadcast { .. } => "broadcast",
            BroadcastMsg::Rumor { .. } => "rumor",
            BroadcastMsg::Digest { .. } => "digest",
            BroadcastMsg::Exchange { .. } => "exchange",
        }
    }
}

/// Timers a broadcast node sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BroadcastTimer {
    /// Push gossip: push `update` again; `remaining` rounds left after this one.
    Push {
        /// Update id.
        update: u32,
        /// Rounds left.
        remaining: u32,
    },
    /// Push-pull: time for the next anti-entropy round.
    AntiEntropy,
}

/// A set of update ids as a bitmap (ids below [`MAX_UPDATES`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateSet(Vec<u64>);

impl UpdateSet {
    /// Whether `u` is in the set.
    pub fn contains(&self, u: u32) -> bool {
        self.0
            .get(u as usize / 64)
            .is_some_and(|w| w & (1 << (u % 64)) != 0)
    }
    /// Adds `u`; `true` if it was new. Ids at or above [`MAX_UPDATES`] are ignored.
    pub fn insert(&mut self, u: u32) -> bool {
        if u >= MAX_UPDATES {
            return false;
        }
        let i = u as usize / 64;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        let bit = 1 << (u % 64);
        let new = self.0[i] & bit == 0;
        self.0[i] |= bit;
        new
    }
    /// The ids, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i as u32 * 64 + b)
        })
    }
    /// How many ids.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }
}

/// One node running a broadcast protocol.
#[derive(Clone, Debug)]
pub struct BroadcastNode {
    config: Arc<BroadcastConfig>,
    /// For [`Protocol::Tree`]: parent and children in the spanning tree.
    tree_links: Vec<NodeId>,
    /// Updates this node knows.
    pub known: UpdateSet,
    scratch: Vec<NodeId>,
}

impl BroadcastNode {
    /// A node for `config`; `tree_links` are its spanning-tree neighbours (used only by
    /// [`Protocol::Tree`]; see [`spanning_tree_links`]).
    pub fn new(config: Arc<BroadcastConfig>, tree_links: Vec<NodeId>) -> BroadcastNode {
        BroadcastNode {
            config,
            tree_links,
            known: UpdateSet::default(),
            scratch: Vec::new(),
        }
    }

    fn rumor(&self, update: u32) -> BroadcastMsg {
        BroadcastMsg::Rumor {
            update,
            payload_bytes: self.config.update_bytes,
        }
    }

    /// Learns `update` (from `from`, or from a client when `None`) and starts spreading it.
    fn learn(
        &mut self,
        ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>,
        update: u32,
        from: Option<NodeId>,
    ) {
        if !self.known.insert(update) {
            return;
        }
        ctx.metric(INFORMED, update as f64);
        match self.config.protocol {
            Protocol::Flood => ctx.send_to_neighbours_except(self.rumor(update), from),
            Protocol::Tree { .. } => {
                for i in 0..self.tree_links.len() {
                    let to = self.tree_links[i];
                    if Some(to) != from {
                        ctx.send(to, self.rumor(update));
                    }
                }
            }
            Protocol::PushGossip {
                fanout,
                rounds,
                period,
            } => {
                self.push(ctx, update, fanout);
                if rounds > 1 {
                    ctx.set_timer(
                        period,
                        BroadcastTimer::Push {
                            update,
                            remaining: rounds - 2,
                        },
                    );
                }
            }
            Protocol::PushPull { .. } => {}
        }
    }

    fn push(&mut self, ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>, update: u32, fanout: u32) {
        let neighbours = ctx.neighbours();
        let mut targets = std::mem::take(&mut self.scratch);
        ctx.rng().sample(neighbours, fanout as usize, &mut targets);
        for &to in &targets {
            ctx.send(to, self.rumor(update));
        }
        self.scratch = targets;
    }
}

/// The metric name a node records, with the update id as value, when it first learns an update.
pub const INFORMED: &str = "informed";

impl Node for BroadcastNode {
    type Msg = BroadcastMsg;
    type Timer = BroadcastTimer;

    fn on_start(&mut self, ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>) {
        if let Protocol::PushPull { period, .. } = self.config.protocol {
            // Desynchronise rounds: a random phase within the first period.
            let phase = SimDuration(ctx.rng().below(period.as_nanos().max(1)));
            ctx.set_timer(phase, BroadcastTimer::AntiEntropy);
        }
    }

    fn on_message(
        &mut self,
        ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>,
        from: NodeId,
        msg: BroadcastMsg,
    ) {
        match msg {
            BroadcastMsg::Broadcast { update } | BroadcastMsg::Rumor { update, .. } => {
                self.learn(ctx, update, Some(from))
            }
            BroadcastMsg::Digest { known } => {
                let mut theirs = UpdateSet::default();
                for &u in &known {
                    theirs.insert(u);
                }
                let updates: Vec<u32> =
                    self.known.iter().filter(|&u| !theirs.contains(u)).collect();
                let want: Vec<u32> = known
                    .into_iter()
                    .filter(|&u| !self.known.contains(u))
                    .collect();
                if !updates.is_empty() || !want.is_empty() {
                    ctx.send(
                        from,
                        BroadcastMsg::Exchange {
                            updates,
                            want,
                            payload_bytes: self.config.update_bytes,
                        },
                    );
                }
            }
            BroadcastMsg::Exchange { updates, want, .. } => {
                for u in updates {
                    self.learn(ctx, u, Some(from));
                }
                let back: Vec<u32> = want
                    .into_iter()
                    .filter(|&u| self.known.contains(u))
                    .collect();
                if !back.is_empty() {
                    let payload_bytes = self.config.update_bytes;
                    ctx.send(
                        from,
                        BroadcastMsg::Exchange {
                            updates: back,
                            want: Vec::new(),
                            payload_bytes,
                        },
                    );
                }
            }
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>, timer: BroadcastTimer) {
        match (timer, self.config.protocol) {
            (
                BroadcastTimer::Push { update, remaining },
                Protocol::PushGossip { fanout, period, .. },
            ) => {
                self.push(ctx, update, fanout);
                if remaining > 0 {
                    ctx.set_timer(
                        period,
                        BroadcastTimer::Push {
                            update,
                            remaining: remaining - 1,
                        },
                    );
                }
            }
            (BroadcastTimer::AntiEntropy, Protocol::PushPull { fanout, period }) => {
                let neighbours = ctx.neighbours();
                let mut targets = std::mem::take(&mut self.scratch);
                ctx.rng().sample(neighbours, fanout as usize, &mut targets);
                for &to in &targets {
                    ctx.send(
                        to,
                        BroadcastMsg::Digest {
                            known: self.known.iter().collect(),
                        },
                    );
                }
                self.scratch = targets;
                ctx.set_timer(period, BroadcastTimer::AntiEntropy);
            }
            _ => {}
        }
    }

    fn on_input(&mut self, ctx: &mut Ctx<'_, BroadcastMsg, BroadcastTimer>, input: BroadcastMsg) {
        if let BroadcastMsg::Broadcast { update } = input {
            self.learn(ctx, update, None);
        }
    }

    fn describe(&self) -> String {
        let ids: Vec<String> = self.known.iter().map(|u| format!("u{u}")).collect();
        if ids.is_empty() {
            "knows no update yet".into()
        } else {
            format!("knows {}", ids.join(", "))
        }
    }
}

/// Each node's neighbours in the breadth-first spanning tree of `topology` from `root`
/// (parent first, then children in id order).
pub fn spanning_tree_links(topology: &sim::Topology, root: NodeId) -> Vec<Vec<NodeId>> {
    let parents = topology.bfs_parents(root);
    let mut links = vec![Vec::new(); parents.len()];
    for (child, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            links[child].push(*p);
        }
    }
    for (child, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            links[p.index()].push(NodeId(child as u32));
        }
    }
    links
}

/// What happened to one update.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UpdateProgress {
    /// When a client injected it (`None` if it was never injected).
    pub injected_at: Option<SimTime>,
    /// When each node first learned it, by node id.
    pub informed_at: Vec<Option<SimTime>>,
    /// How many nodes know it.
    pub informed: u32,
    /// When the last node learned it, once all did.
    pub all_informed_at: Option<SimTime>,
}

/// Measures a broadcast run from its trace: per-update progress, messages and bytes sent, and
/// the curves the lab plots.
#[derive(Clone, Debug, Default)]
pub struct BroadcastStats {
    node_count: u32,
    /// Progress of each update, by id.
    pub updates: Vec<UpdateProgress>,
    /// Messages nodes sent (inputs from clients are not messages).
    pub messages_sent: u64,
    /// Bytes nodes sent.
    pub bytes_sent: u64,
    /// (node, update) pairs informed so far, over all updates.
    pub informed_pairs: u64,
}

/// The summary a lab shows and compares.
#[derive(Clone, Debug, PartialEq)]
pub struct BroadcastReport {
    /// Updates injected.
    pub updates: u32,
    /// Messages sent per injected update.
    pub messages_per_update: f64,
    /// Median over updates of the time from injection until every node knew it (only updates that
    /// reached every node count).
    pub time_to_all_p50: Option<SimDuration>,
    /// 99th percentile of the same.
    pub time_to_all_p99: Option<SimDuration>,
    /// Fraction of (node, update) pairs informed.
    pub reached_fraction: f64,
    /// Updates that reached every node.
    pub complete_updates: u32,
}

impl BroadcastStats {
    /// Stats for a run of `node_count` nodes.
    pub fn new(node_count: u32) -> BroadcastStats {
        BroadcastStats {
            node_count,
            ..BroadcastStats::default()
        }
    }

    fn update(&mut self, u: u32) -> Option<&mut UpdateProgress> {
        if u >= MAX_UPDATES {
            return None;
        }
        let i = u as usize;
        if self.updates.len() <= i {
            self.updates.resize(i + 1, UpdateProgress::default());
        }
        let n = self.node_count as usize;
        let p = &mut self.updates[i];
        if p.informed_at.len() != n {
            p.informed_at = vec![None; n];
        }
        Some(p)
    }

    /// The fraction of nodes that know update `u` (0 if unknown).
    pub fn fraction_informed(&self, u: u32) -> f64 {
        match self.updates.get(u as usize) {
            Some(p) if self.node_count > 0 => p.informed as f64 / self.node_count as f64,
            _ => 0.0,
        }
    }

    /// The fraction of all (node, injected update) pairs informed so far.
    pub fn overall_fraction_informed(&self) -> f64 {
        let injected = self
            .updates
            .iter()
            .filter(|p| p.injected_at.is_some())
            .count() as u64;
        if injected == 0 || self.node_count == 0 {
            return 0.0;
        }
        self.informed_pairs as f64 / (injected * self.node_count as u64) as f64
    }

    /// Summarises the run so far.
    pub fn report(&self) -> BroadcastReport {
        let injected: Vec<&UpdateProgress> = self
            .updates
            .iter()
            .filter(|p| p.injected_at.is_some())
            .collect();
        let mut times: Vec<SimDuration> = injected
            .iter()
            .filter_map(|p| Some(p.all_informed_at? - p.injected_at?))
            .collect();
        times.sort();
        let quantile = |q: f64| -> Option<SimDuration> {
            if times.is_empty() {
                return None;
            }
            let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
            Some(times[rank - 1])
        };
        let n = injected.len() as u32;
        BroadcastReport {
            updates: n,
            messages_per_update: if n == 0 {
                0.0
            } else {
                self.messages_sent as f64 / n as f64
            },
            time_to_all_p50: quantile(0.5),
            time_to_all_p99: quantile(0.99),
            reached_fraction: self.overall_fraction_informed(),
            complete_updates: times.len() as u32,
        }
    }
}

impl Observer<BroadcastMsg> for BroadcastStats {
    fn observe(&mut self, event: &TraceEvent<'_, BroadcastMsg>) {
        match event.kind {
            TraceKind::Send { size_bytes, .. } => {
                self.messages_sent += 1;
                self.bytes_sent += size_bytes as u64;
            }
            TraceKind::Input {
                msg: BroadcastMsg::Broadcast { update },
                accepted: true,
                ..
            } => {
                if let Some(p) = self.update(*update)
                    && p.injected_at.is_none()
                {
                    p.injected_at = Some(event.time);
                }
            }
            TraceKind::Metric {
                node,
                name: INFORMED,
                value,
            } => {
                let n = self.node_count;
                let Some(p) = self.update(value as u32) else {
                    return;
                };
                if let Some(slot) = p.informed_at.get_mut(node.index())
                    && slot.is_none()
                {
                    *slot = Some(event.time);
                    p.informed += 1;
                    if p.informed == n {
                        p.all_informed_at = Some(event.time);
                    }
                    self.informed_pairs += 1;
                }
            }
            _ => {}
        }
    }
}

/// Messages flooding sends per update on `topology` when nothing is lost and nothing crashes:
/// the source sends to all its neighbours and every other node, on first hearing the update,
/// to all its neighbours but the one it heard it from. That is `deg(source) + Σ (deg(v) − 1)`
/// over the others, `2L − (n − 1)` for `L` links and `n` nodes, whatever the source. `None`
/// if the graph is not connected (then it depends on the source's component).
pub fn flood_messages_per_update(topology: &sim::Topology) -> Option<u64> {
    if !topology.is_connected() {
        return None;
    }
    let n = u64::from(topology.node_count());
    Some(2 * topology.link_count() - n.saturating_sub(1))
}

/// The chance that flooding reaches all `n` nodes of a tree (a star is one) when each message
/// is lost with probability `loss`: every link is a single point of failure, and each of the
/// `n − 1` links carries the update exactly once, towards the nodes that lack it, so all are
/// reached only if all `n − 1` of those messages arrive: `(1 − loss)^(n − 1)`.
pub fn flood_reach_all_tree(n: u32, loss: f64) -> f64 {
    libm::pow(1.0 - loss, f64::from(n.saturating_sub(1)))
}

/// The chance that flooding reaches all `n ≥ 3` nodes of a ring when each message is lost with
/// probability `loss`: the update travels both ways; with `q = 1 − loss`, the clockwise wave
/// reaches exactly `k < n − 1` nodes with probability `loss·q^k`, and the other wave must then
/// cover the other `n − 1 − k` (probability `q^(n−1−k)`), so the chance is
/// `q^(n−1) · (1 + (n − 1)·loss)`.
pub fn flood_reach_all_ring(n: u32, loss: f64) -> f64 {
    let m = f64::from(n.saturating_sub(1));
    libm::pow(1.0 - loss, m) * (1.0 + m * loss)
}

/// A lower bound on the chance that flooding reaches all `n` nodes of a complete graph when
/// each message is lost with probability `loss`: a node other than the source is missed only
/// if the source's message to it is lost and, for every one of the `n − 2` others, the source's
/// message to that one or that one's to it is lost; summed over the `n − 1` nodes,
/// `1 − (n − 1)·loss·(1 − (1 − loss)²)^(n − 2)` (0 if that is negative).
pub fn flood_reach_all_complete_at_least(n: u32, loss: f64) -> f64 {
    if n <= 1 {
        return 1.0;
    }
    let q = 1.0 - loss;
    let miss = loss * libm::pow(1.0 - q * q, f64::from(n - 2));
    (1.0 - f64::from(n - 1) * miss).max(0.0)
}

/// Builds a broadcast run: one [`BroadcastNode`] per node of `config.topology` (with its
/// spanning-tree links when the protocol needs them).
pub fn build_sim(
    config: sim::SimConfig,
    broadcast: BroadcastConfig,
) -> Result<sim::Sim<BroadcastNode>, sim::ConfigError> {
    validate(&broadcast, config.topology.node_count())?;
    let tree = match broadcast.protocol {
        Protocol::Tree { root } => spanning_tree_links(&config.topology, root),
        _ => Vec::new(),
    };
    let shared = Arc::new(broadcast);
    sim::Sim::new(config, move |id| {
        BroadcastNode::new(
            Arc::clone(&shared),
            tree.get(id.index()).cloned().unwrap_or_default(),
        )
    })
}

/// Checks protocol parameters against a run of `node_count` nodes.
pub fn validate(config: &BroadcastConfig, node_count: u32) -> Result<(), sim::ConfigError> {
    let bad = |reason: String| Err(sim::ConfigError::InvalidProtocol { reason });
    match config.protocol {
        Protocol::PushGossip {
            fanout,
            rounds,
            period,
        } => {
            if fanout == 0 || rounds == 0 {
                return bad(
                    "push gossip needs a fanout and a number of rounds of at least 1".into(),
                );
            }
            if period == SimDuration::ZERO {
                return bad("push gossip needs a round period above zero".into());
            }
        }
        Protocol::PushPull { fanout, period } => {
            if fanout == 0 {
                return bad("push-pull gossip needs a fanout of at least 1".into());
            }
            if period == SimDuration::ZERO {
                return bad("push-pull gossip needs a round period above zero".into());
            }
        }
        Protocol::Tree { root } if root.0 >= node_count => {
            return Err(sim::ConfigError::UnknownNode {
                node: root,
                node_count,
            });
        }
        _ => {}
    }
    if config.update_bytes > 1_000_000 {
        return Err(sim::ConfigError::LimitExceeded {
            what: "update bytes",
            requested: config.update_bytes as u64,
            limit: 1_000_000,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_set_behaves_like_a_set() {
        let mut s = UpdateSet::default();
        assert!(s.insert(3));
        assert!(!s.insert(3));
        assert!(s.insert(130));
        assert!(!s.insert(MAX_UPDATES));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![3, 130]);
        assert_eq!(s.len(), 2);
        assert!(s.contains(130) && !s.contains(4));
    }

    #[test]
    fn message_sizes_count_headers_ids_and_payloads() {
        assert_eq!(
            BroadcastMsg::Rumor {
                update: 1,
                payload_bytes: 64
            }
            .size_bytes(),
            28 + 4 + 64
        );
        assert_eq!(
            BroadcastMsg::Digest {
                known: vec![1, 2, 3]
            }
            .size_bytes(),
            28 + 12
        );
        let x = BroadcastMsg::Exchange {
            updates: vec![1],
            want: vec![2, 3],
            payload_bytes: 10,
        };
        assert_eq!(x.size_bytes(), 28 + 14 + 8);
    }

    #[test]
    fn spanning_tree_has_n_minus_one_links() {
        let t = sim::Topology::grid(4, 4).unwrap();
        let links = spanning_tree_links(&t, NodeId(5));
        assert_eq!(links.iter().map(Vec::len).sum::<usize>(), 2 * 15);
    }
}
