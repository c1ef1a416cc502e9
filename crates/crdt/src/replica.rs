//! Replicas as simulated nodes: one [`ReplicaNode`] per `sim` node holds a replicated value
//! and keeps it in sync with its neighbours by one of three [`SyncMode`]s.

use crate::causal::{CausalDelivery, CausalMsg, Receipt};
use crate::clock::{ReplicaId, VClock};
use crate::replicated::Replicated;
use crate::traits::wire_bytes;
use serde::{Deserialize, Serialize};
use sim::{Ctx, Message, Node, NodeId, SimDuration};
use std::collections::BTreeMap;

/// Bytes of headers on every message: IPv4 (20 bytes, RFC 791) plus UDP (8 bytes, RFC 768),
/// as the broadcast protocols count them.
pub const HEADER_BYTES: u32 = 28;

/// How replicas keep each other up to date. Interval and fanout are scenario parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncMode {
    /// Full-state anti-entropy: every `interval` a replica sends its whole state to `fanout`
    /// random neighbours, which merge it. Simple and robust to any loss; costs the whole
    /// state per message.
    State {
        /// Time between rounds on the replica's local clock.
        interval: SimDuration,
        /// Neighbours contacted per round.
        fanout: u32,
    },
    /// Op-based causal broadcast: each operation is flooded to the neighbours at once and
    /// delivered in causal order ([`CausalDelivery`]); every `interval` a replica also sends
    /// its delivered vector to `fanout` neighbours, which reply with the operations it
    /// lacks, repairing losses and partitions.
    Op {
        /// Time between repair rounds.
        interval: SimDuration,
        /// Neighbours asked per repair round.
        fanout: u32,
    },
    /// Delta-state with acknowledgements (Almeida et al., 2018, algorithm 2): every `interval`
    /// a replica sends each of `fanout` random neighbours the join of the deltas that
    /// neighbour has not acknowledged, or its whole state if those deltas were already
    /// discarded; deltas acknowledged by every neighbour are discarded.
    Delta {
        /// Time between rounds.
        interval: SimDuration,
        /// Neighbours contacted per round.
        fanout: u32,
    },
}

impl SyncMode {
    /// The mode's name for legends.
    pub fn name(&self) -> &'static str {
        match self {
            SyncMode::State { .. } => "state",
            SyncMode::Op { .. } => "op",
            SyncMode::Delta { .. } => "delta",
        }
    }
    fn interval_and_fanout(&self) -> (SimDuration, u32) {
        match *self {
            SyncMode::State { interval, fanout }
            | SyncMode::Op { interval, fanout }
            | SyncMode::Delta { interval, fanout } => (interval, fanout),
        }
    }
}

/// What replicas send each other, and what the scenario injects ([`ReplicaMsg::Act`]).
#[derive(Clone, Debug)]
pub enum ReplicaMsg<C: Replicated> {
    /// A user acts on this replica (an input, never sent on the network).
    Act(C::Action),
    /// A whole state to merge (state mode).
    State(C),
    /// A delta group covering the sender's deltas up to `seq` (exclusive); acknowledge `seq`.
    Delta {
        /// The join of the deltas.
        delta: C::Delta,
        /// The sender's delta counter when it sent this.
        seq: u64,
    },
    /// "I have your deltas up to `seq`." The acknowledging replica names itself, so a peer
    /// notices when a node came back with its state lost and starts over with it.
    Ack {
        /// The acknowledged counter.
        seq: u64,
        /// Who acknowledges.
        replica: ReplicaId,
    },
    /// An operation with its causal dependencies (op mode).
    Op(CausalMsg<C::Op>),
    /// "This is everything I have delivered; send me what I lack" (op-mode repair).
    Digest(VClock),
}

impl<C: Replicated> ReplicaMsg<C> {
    /// The message kind, for legends and per-kind byte counts.
    pub fn kind(&self) -> &'static str {
        match self {
            ReplicaMsg::Act(_) => "act",
            ReplicaMsg::State(_) => "state",
            ReplicaMsg::Delta { .. } => "delta",
            ReplicaMsg::Ack { .. } => "ack",
            ReplicaMsg::Op(_) => "op",
            ReplicaMsg::Digest(_) => "digest",
        }
    }
}

impl<C: Replicated> Message for ReplicaMsg<C> {
    /// Headers plus the payload's compact encoding ([`wire_bytes`]).
    fn size_bytes(&self) -> u32 {
        let payload = match self {
            ReplicaMsg::Act(a) => wire_bytes(a),
            ReplicaMsg::State(s) => wire_bytes(s),
            ReplicaMsg::Delta { delta, seq } => wire_bytes(delta) + wire_bytes(seq),
            ReplicaMsg::Ack { seq, replica } => wire_bytes(seq) + wire_bytes(replica),
            ReplicaMsg::Op(m) => wire_bytes(m),
            ReplicaMsg::Digest(v) => wire_bytes(v),
        };
        HEADER_BYTES.saturating_add(u32::try_from(payload).unwrap_or(u32::MAX))
    }
    fn kind(&self) -> &'static str {
        ReplicaMsg::kind(self)
    }
}

/// The replica's only timer: the next sync round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncRound;

/// Counts a replica keeps about itself, for the lab's panels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaStats {
    /// Actions users performed here.
    pub actions: u64,
    /// Messages received that changed the state.
    pub useful_messages: u64,
    /// Messages received that changed nothing (duplicates, already-known updates).
    pub redundant_messages: u64,
}

/// How many different states `replicas` hold: 1 when they have converged. Sampled over
/// time it is the lab's divergence curve.
pub fn distinct_states<C: Replicated>(replicas: &[ReplicaNode<C>]) -> usize {
    let mut distinct: Vec<&C> = Vec::new();
    for r in replicas {
        if !distinct.contains(&r.state()) {
            distinct.push(r.state());
        }
    }
    distinct.len()
}

/// A replica of a `C` on a simulated node.
#[derive(Clone, Debug)]
pub struct ReplicaNode<C: Replicated> {
    id: ReplicaId,
    mode: SyncMode,
    state: C,
    /// Op mode: causal delivery and the log used for repair.
    causal: CausalDelivery<C::Op>,
    /// Delta mode: deltas by sequence number, not yet acknowledged by every neighbour.
    deltas: BTreeMap<u64, C::Delta>,
    /// Delta mode: the next delta's sequence number.
    next_seq: u64,
    /// Delta mode: per neighbour, the replica it runs and the counter that replica has
    /// acknowledged.
    acked: BTreeMap<NodeId, (ReplicaId, u64)>,
    /// Delta mode, after an amnesic restart: neighbours not yet heard from, greeted every
    /// round with an empty acknowledgement so they resend everything (a lost greeting is
    /// simply repeated).
    to_greet: Vec<NodeId>,
    stats: ReplicaStats,
    picked: Vec<NodeId>,
    /// Whether `on_start` has not run yet: a fresh replica after a crash takes a new id.
    fresh: bool,
}

impl<C: Replicated> ReplicaNode<C> {
    /// A replica on node `node`, empty, synchronising by `mode`.
    pub fn new(node: NodeId, mode: SyncMode) -> Self {
        ReplicaNode {
            id: ReplicaId::from(node),
            mode,
            state: C::default(),
            causal: CausalDelivery::new(),
            deltas: BTreeMap::new(),
            next_seq: 0,
            acked: BTreeMap::new(),
            stats: ReplicaStats::default(),
            picked: Vec::new(),
            to_greet: Vec::new(),
            fresh: true,
        }
    }
    /// The id this replica stamps its updates with (a new one after a volatile restart).
    pub fn replica_id(&self) -> ReplicaId {
        self.id
    }
    /// The replicated value as this replica holds it.
    pub fn state(&self) -> &C {
        &self.state
    }
    /// How it synchronises.
    pub fn mode(&self) -> SyncMode {
        self.mode
    }
    /// Its counters.
    pub fn stats(&self) -> ReplicaStats {
        self.stats
    }
    /// Op mode: operations received before their dependencies, waiting.
    pub fn buffered_ops(&self) -> usize {
        self.causal.buffered()
    }
    /// Op mode: what has been delivered here.
    pub fn delivered(&self) -> &VClock {
        self.causal.delivered()
    }
    /// Delta mode: deltas kept until every neighbour acknowledges them.
    pub fn unacknowledged_deltas(&self) -> usize {
        self.deltas.len()
    }
    /// Bytes of sync bookkeeping beyond the value's own metadata: causal-delivery vectors,
    /// buffered operations and the operation log kept for repair (op mode; the log is never
    /// truncated, since this replica cannot know when every peer has every operation), or
    /// buffered deltas and acknowledgement counters (delta mode).
    pub fn sync_metadata_bytes(&self) -> usize {
        match self.mode {
            SyncMode::State { .. } => 0,
            SyncMode::Op { .. } => {
                self.causal.metadata_bytes()
                    + self
                        .causal
                        .buffer()
                        .map(|m| wire_bytes(&m.op))
                        .sum::<usize>()
                    + self.causal.log().map(wire_bytes).sum::<usize>()
            }
            SyncMode::Delta { .. } => {
                self.deltas
                    .values()
                    .map(|d| wire_bytes(d) + 8)
                    .sum::<usize>()
                    + self.acked.len() * 12
            }
        }
    }

    fn schedule_round(&self, ctx: &mut Ctx<'_, ReplicaMsg<C>, SyncRound>, first: bool) {
        let (interval, _) = self.mode.interval_and_fanout();
        let interval = SimDuration(interval.0.max(1));
        // Start rounds at a random phase so replicas do not all talk at the same instant.
        let after = if first {
            SimDuration(1 + ctx.rng().below(interval.0))
        } else {
            interval
        };
        ctx.set_timer(after, SyncRound);
    }

    fn pick_peers(&mut self, ctx: &mut Ctx<'_, ReplicaMsg<C>, SyncRound>) {
        let (_, fanout) = self.mode.interval_and_fanout();
        let neighbours = ctx.neighbours();
        let mut picked = std::mem::take(&mut self.picked);
        ctx.rng().sample(neighbours, fanout as usize, &mut picked);
        self.picked = picked;
    }

    fn sync_round(&mut self, ctx: &mut Ctx<'_, ReplicaMsg<C>, SyncRound>) {
        self.pick_peers(ctx);
        let peers = std::mem::take(&mut self.picked);
        for &peer in &peers {
            match self.mode {
                SyncMode::State { .. } => ctx.send(peer, ReplicaMsg::State(self.state.clone())),
                SyncMode::Op { .. } => {
                    ctx.send(peer, ReplicaMsg::Digest(self.causal.delivered().clone()))
                }
                SyncMode::Delta { .. } => self.send_deltas(ctx, peer),
            }
        }
        self.picked = peers;
        for &peer in &self.to_greet {
            ctx.send(
                peer,
                ReplicaMsg::Ack {
                    seq: 0,
                    replica: self.id,
                },
            );
        }
    }

    /// Sends `peer` everything it has not acknowledged, as one delta group.
    fn send_deltas(&mut self, ctx: &mut Ctx<'_, ReplicaMsg<C>, SyncRound>, peer: NodeId) {
        let acked = self.acked.get(&peer).map_or(0, |&(_, seq)| seq);
        if acked >= self.next_seq {
            return;
        }
        let oldest = self.deltas.keys().next().copied().unwrap_or(self.next_seq);
        let delta = if acked < oldest {
            // The deltas it lacks were discarded: only the whole state will do.
            self.state.state_as_delta()
        } else {
            let mut group: Option<C::Delta> = None;
            for d in self.deltas.range(acked..).map(|(_, d)| d) {
                match &mut group {
                    None => group = Some(d.clone()),
                    Some(g) => C::join_deltas(g, d),
                }
            }
            match group {
                Some(g) => g,
                None => return,
            }
        };
        ctx.send(
            peer,
            ReplicaMsg::Delta {
                delta,
                seq: self.next_seq,
            },
        );
    }

    fn push_delta(&mut self, delta: C::Delta) {
        self.deltas.insert(self.next_seq, delta);
        self.next_seq += 1;
    }

    /// Discards deltas every neighbour has acknowledged.
    fn collect_garbage(&mut self, neighbours: &[NodeId]) {
        let floor = neighbours
            .iter()
            .map(|n| self.acked.get(n).map_or(0, |&(_, seq)| seq))
            .min()
            .unwrap_or(self.next_seq);
        self.deltas = self.deltas.split_off(&floor);
    }

    fn count(&mut self, changed: bool) {
        if changed {
            self.stats.useful_messages += 1;
        } else {
            self.stats.redundant_messages += 1;
        }
    }
}

impl<C: Replicated> Node for ReplicaNode<C> {
    type Msg = ReplicaMsg<C>;
    type Timer = SyncRound;

    /// Schedules the first sync round. A replica that starts fresh after a crash (a volatile
    /// restart) takes a new replica id: its old counters and dots are gone, and reusing the old
    /// id would hand out dots and sequence numbers the others have already seen.
    fn on_start(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>) {
        if self.fresh {
            self.id = ReplicaId::incarnation_of(ctx.id(), ctx.incarnation());
            self.fresh = false;
            if ctx.incarnation() > 0 && matches!(self.mode, SyncMode::Delta { .. }) {
                self.to_greet = ctx.neighbours().to_vec();
            }
        }
        self.schedule_round(ctx, true);
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>, _: SyncRound) {
        self.sync_round(ctx);
        self.schedule_round(ctx, false);
    }

    fn on_input(&mut self, ctx: &mut Ctx<'_, Self::Msg, Self::Timer>, input: Self::Msg) {
        let ReplicaMsg::Act(action) = input else {
            // Only actions come from outside; anything else is treated as if received.
            let me = ctx.id();
            return self.on_message(ctx, me, input);
        };
        self.stats.actions += 1;
        let now = ctx.local_time();
        match self.mode {
            SyncMode::State { .. } => {
                self.state.act(self.id, now, &action);
            }
            SyncMode::Delta { .. } => {
                let delta = self.state.act(self.id, now, &action);
                self.push_delta(delta);
            }
            SyncMode::Op { .. } => {
                for op in self.state.act_op(self.id, now, &action) {
                    let msg = self.causal.issue(self.id, op);
                    ctx.send_to_neighbours(ReplicaMsg::Op(msg));
                }
            }
        }
    }

    fn on_message(
        &mut self,
        ctx: &mut Ctx<'_, Self::Msg, Self::Timer>,
        from: NodeId,
        msg: Self::Msg,
    ) {
        match msg {
            ReplicaMsg::Act(_) => {}
            ReplicaMsg::State(other) => {
                let before = self.state.clone();
                self.state.merge(&other);
                let changed = self.state != before;
                self.count(changed);
            }
            ReplicaMsg::Delta { delta, seq } => {
                let before = self.state.clone();
                self.state.merge_delta(&delta);
                let changed = self.state != before;
                self.count(changed);
                // Only news is passed on, so deltas stop bouncing between replicas.
                if changed {
                    self.push_delta(delta);
                }
                self.to_greet.retain(|&n| n != from);
                ctx.send(
                    from,
                    ReplicaMsg::Ack {
                        seq,
                        replica: self.id,
                    },
                );
            }
            ReplicaMsg::Ack { seq, replica } => {
                let acked = self.acked.entry(from).or_insert((replica, 0));
                if acked.0 == replica {
                    acked.1 = acked.1.max(seq);
                } else {
                    // The neighbour lost its state and came back as a new replica: it has
                    // only what this acknowledgement says.
                    *acked = (replica, seq);
                }
                self.collect_garbage(ctx.neighbours());
            }
            ReplicaMsg::Op(m) => {
                let state = &mut self.state;
                let receipt = self.causal.receive(m.clone(), |op| state.apply(op));
                self.count(receipt != Receipt::Duplicate);
                // Flood news onwards (also when buffered: its dependencies will follow).
                if receipt != Receipt::Duplicate {
                    ctx.send_to_neighbours_except(ReplicaMsg::Op(m), Some(from));
                }
                ctx.metric("crdt.buffered_ops", self.causal.buffered() as f64);
            }
            ReplicaMsg::Digest(theirs) => {
                let missing: Vec<CausalMsg<C::Op>> =
                    self.causal.missing_for(&theirs).cloned().collect();
                for m in missing {
                    ctx.send(from, ReplicaMsg::Op(m));
                }
            }
        }
    }

    fn describe(&self) -> String {
        let mut line = self.state.describe();
        match self.mode {
            SyncMode::State { .. } => {}
            SyncMode::Op { .. } => {
                line.push_str(&format!(
                    "; delivered {}; {} ops buffered",
                    self.causal.delivered(),
                    self.causal.buffered()
                ));
            }
            SyncMode::Delta { .. } => {
                line.push_str(&format!("; {} deltas unacknowledged", self.deltas.len()));
            }
        }
        line
    }
}
