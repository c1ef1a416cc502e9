//! The server and the clients as `sim` nodes, the messages they exchange, and [`build_sim`].
//!
//! Every outcome a node reaches is also recorded as a metric whose value is the call's
//! [`CallId::to_f64`], so [`crate::RpcStats`] measures a run from its trace alone.

use crate::config::{CacheDurability, QUEUE_CAPACITY, RpcConfig};
use serde::{Deserialize, Serialize};
use sim::{Ctx, Message, Node, NodeId, SimDuration, TimerId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// The server's node id: node 0 (clients are nodes 1 to N).
pub const SERVER: NodeId = NodeId(0);

/// Bytes of headers on every message: IPv4 (20 bytes, RFC 791) plus UDP (8 bytes, RFC 768).
pub const HEADER_BYTES: u32 = 28;
/// Bytes of a call id on the wire: client, incarnation and sequence number, 4 bytes each.
pub const CALL_ID_BYTES: u32 = 12;
/// Bytes of the operation's argument or result: one 64-bit amount.
pub const AMOUNT_BYTES: u32 = 8;

/// Metric a client records when it starts a call (value: [`CallId::to_f64`]).
pub const CALL_STARTED: &str = "rpc call started";
/// Metric a client records when a reply to a call it waits for arrives.
pub const CALL_COMPLETED: &str = "rpc call completed";
/// Metric a client records when it stops waiting for a call (out of attempts): outcome unknown.
pub const CALL_GAVE_UP: &str = "rpc call outcome unknown";
/// Metric the server records each time it executes a deposit.
pub const EXECUTED: &str = "rpc executed";
/// Metric the server records when it answers a request from its reply cache.
pub const REPLIED_FROM_CACHE: &str = "rpc replied from cache";
/// Metric the server records when it drops a request of a call it is already working on.
pub const FILTERED: &str = "rpc duplicate filtered";
/// Metric the server records when its queue is full and it drops a request.
pub const QUEUE_FULL: &str = "rpc queue full";

/// Bits of the client number in [`CallId::key`].
const CLIENT_BITS: u32 = 12;
// Every client number fits, and a key is exact as an `f64` (53 bits of mantissa).
const _: () = assert!(crate::config::MAX_CLIENTS < 1 << CLIENT_BITS);
const _: () = assert!(CLIENT_BITS + INCARNATION_BITS + SEQ_BITS == 53);
/// Bits of the incarnation in [`CallId::key`] (incarnations count modulo 4,096).
const INCARNATION_BITS: u32 = 12;
/// Bits of the sequence number in [`CallId::key`].
const SEQ_BITS: u32 = 29;
/// Most calls one client starts in one incarnation (the key's sequence bits).
pub const MAX_CALLS_PER_INCARNATION: u32 = 1 << SEQ_BITS;
/// Incarnations are told apart modulo this (a client restarted with its state lost takes a
/// fresh identity from its incarnation, so it never reuses a call id the server has cached).
pub const INCARNATIONS: u32 = 1 << INCARNATION_BITS;

/// A call's identity: who called, in which life, and the how-manyth call of that life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CallId {
    /// The client's node number.
    pub client: u32,
    /// The client's incarnation (crashes so far) modulo [`INCARNATIONS`].
    pub incarnation: u32,
    /// The call's number in that incarnation, from 0.
    pub seq: u32,
}

impl CallId {
    /// One integer for the id: 12 bits of client, 12 of incarnation, 29 of sequence (53 bits,
    /// so it is exact as an `f64` metric value). Ordered by client first.
    pub const fn key(self) -> u64 {
        ((self.client as u64) << (INCARNATION_BITS + SEQ_BITS))
            | (((self.incarnation % INCARNATIONS) as u64) << SEQ_BITS)
            | (self.seq as u64 & (MAX_CALLS_PER_INCARNATION as u64 - 1))
    }

    /// The id whose [`CallId::key`] is `key`.
    pub const fn from_key(key: u64) -> CallId {
        CallId {
            client: (key >> (INCARNATION_BITS + SEQ_BITS)) as u32,
            incarnation: ((key >> SEQ_BITS) & (INCARNATIONS as u64 - 1)) as u32,
            seq: (key & (MAX_CALLS_PER_INCARNATION as u64 - 1)) as u32,
        }
    }

    /// The key as a metric value (exact: below 2^53).
    pub fn to_f64(self) -> f64 {
        self.key() as f64
    }

    /// The id recorded as a metric value.
    pub fn from_f64(value: f64) -> CallId {
        CallId::from_key(value as u64)
    }

    /// The range of keys of every call of `client`.
    pub fn client_keys(client: u32) -> core::ops::Range<u64> {
        let shift = INCARNATION_BITS + SEQ_BITS;
        (u64::from(client) << shift)..(u64::from(client) + 1) << shift
    }
}

impl core::fmt::Display for CallId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.incarnation == 0 {
            write!(f, "n{}#{}", self.client, self.seq)
        } else {
            write!(f, "n{}.{}#{}", self.client, self.incarnation, self.seq)
        }
    }
}

/// What clients and the server send each other.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RpcMsg {
    /// "Deposit 1 into the account", attempt `attempt` (1 for the first) of call `call`.
    Request {
        /// The call.
        call: CallId,
        /// Which attempt this is, from 1.
        attempt: u32,
    },
    /// The deposit of `call` is done; the balance right after it.
    Reply {
        /// The call.
        call: CallId,
        /// The balance once the deposit was made.
        balance: u64,
        /// Whether the server answered from its reply cache without executing.
        cached: bool,
    },
}

impl Message for RpcMsg {
    fn size_bytes(&self) -> u32 {
        HEADER_BYTES
            + CALL_ID_BYTES
            + match self {
                // The attempt number and the amount.
                RpcMsg::Request { .. } => 4 + AMOUNT_BYTES,
                // The balance and the cached flag.
                RpcMsg::Reply { .. } => AMOUNT_BYTES + 1,
            }
    }
    fn kind(&self) -> &'static str {
        match self {
            RpcMsg::Request { .. } => "request",
            RpcMsg::Reply { .. } => "reply",
        }
    }
}

/// Timers of clients and the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RpcTimer {
    /// Client: time to start the next call.
    Arrival,
    /// Client: attempt `attempt` of call `seq` had no reply in time.
    Timeout {
        /// The call's sequence number.
        seq: u32,
        /// The attempt that timed out.
        attempt: u32,
    },
    /// Client: the backoff before retrying call `seq` is over.
    Retry {
        /// The call's sequence number.
        seq: u32,
    },
    /// Server: the request at the head of the queue is processed.
    Done,
}

/// A call a client waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Waiting {
    call: CallId,
    attempt: u32,
    timer: TimerId,
}

/// A client: starts calls at Poisson arrivals, waits, retries and gives up per its semantics.
#[derive(Clone, Debug)]
pub struct Client {
    config: Arc<RpcConfig>,
    next_seq: u32,
    incarnation: u32,
    waiting: BTreeMap<u32, Waiting>,
    /// Calls started (in every life of the node kept in its state).
    pub started: u64,
    /// Calls whose reply arrived: the deposits this client believes were made.
    pub completed: u64,
    /// Calls given up: outcome unknown.
    pub unknown: u64,
}

impl Client {
    /// A client of a run with `config`.
    pub fn new(config: Arc<RpcConfig>) -> Client {
        Client {
            config,
            next_seq: 0,
            incarnation: 0,
            waiting: BTreeMap::new(),
            started: 0,
            completed: 0,
            unknown: 0,
        }
    }

    /// Calls waiting for a reply now.
    pub fn in_flight(&self) -> usize {
        self.waiting.len()
    }

    fn schedule_arrival(&self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>) {
        let mean_ns = 1e9 / self.config.call_rate;
        let gap = libm::round(ctx.rng().exponential(mean_ns));
        // Capped at a day (rates are at least just above zero): no overflow of virtual time.
        let gap = if gap.is_finite() {
            gap.clamp(1.0, 86_400e9) as u64
        } else {
            1
        };
        ctx.set_timer(SimDuration(gap), RpcTimer::Arrival);
    }

    fn send_attempt(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, seq: u32, attempt: u32) {
        let Some(w) = self.waiting.get_mut(&seq) else {
            return;
        };
        w.attempt = attempt;
        ctx.send(
            SERVER,
            RpcMsg::Request {
                call: w.call,
                attempt,
            },
        );
        w.timer = ctx.set_timer(self.config.timeout, RpcTimer::Timeout { seq, attempt });
    }

    fn start_call(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>) {
        if self.next_seq >= MAX_CALLS_PER_INCARNATION {
            return;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let call = CallId {
            client: ctx.id().0,
            incarnation: self.incarnation,
            seq,
        };
        self.started += 1;
        ctx.metric(CALL_STARTED, call.to_f64());
        self.waiting.insert(
            seq,
            Waiting {
                call,
                attempt: 1,
                timer: TimerId(0),
            },
        );
        self.send_attempt(ctx, seq, 1);
    }

    fn on_timeout(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, seq: u32, attempt: u32) {
        let Some(w) = self.waiting.get(&seq).copied() else {
            return;
        };
        if w.attempt != attempt {
            return;
        }
        if attempt < self.config.attempts() {
            // Full jitter: uniform in [0, min(cap, base · 2^(k−1))] before retry k = attempt.
            let ceiling = self.config.backoff_ceiling(attempt).0;
            let sleep = ctx.rng().below(ceiling.saturating_add(1));
            let timer = ctx.set_timer(SimDuration(sleep), RpcTimer::Retry { seq });
            if let Some(w) = self.waiting.get_mut(&seq) {
                w.timer = timer;
            }
        } else {
            self.waiting.remove(&seq);
            self.unknown += 1;
            ctx.metric(CALL_GAVE_UP, w.call.to_f64());
            ctx.note(format!(
                "gave up on {} after {attempt} attempt{}: outcome unknown",
                w.call,
                if attempt == 1 { "" } else { "s" }
            ));
        }
    }

    fn on_reply(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, call: CallId) {
        if call.client != ctx.id().0 || call.incarnation != self.incarnation {
            return;
        }
        // A late or repeated reply of a call already settled changes nothing.
        if let Some(w) = self.waiting.remove(&call.seq) {
            ctx.cancel_timer(w.timer);
            self.completed += 1;
            ctx.metric(CALL_COMPLETED, call.to_f64());
        }
    }
}

/// The server: one account, one worker executing requests in arrival order, and (for the
/// semantics that deduplicate) a reply cache.
#[derive(Clone, Debug)]
pub struct Server {
    config: Arc<RpcConfig>,
    /// The account's balance: one per executed deposit. Kept on disk: it survives a crash
    /// with a durable restart (a volatile restart loses the disk too and starts from 0).
    pub balance: u64,
    /// Deposits executed in this node's state (duplicates included).
    pub executed: u64,
    /// Reply cache: the balance each executed call answered with, by [`CallId::key`].
    cache: BTreeMap<u64, u64>,
    /// Requests waiting for the worker, the one in service first.
    queue: VecDeque<(NodeId, CallId)>,
    /// Keys of the calls in the queue (semantics that deduplicate only).
    queued: BTreeSet<u64>,
    busy: bool,
}

impl Server {
    /// The server of a run with `config`.
    pub fn new(config: Arc<RpcConfig>) -> Server {
        Server {
            config,
            balance: 0,
            executed: 0,
            cache: BTreeMap::new(),
            queue: VecDeque::new(),
            queued: BTreeSet::new(),
            busy: false,
        }
    }

    /// Entries in the reply cache.
    pub fn cached(&self) -> usize {
        self.cache.len()
    }

    /// Requests waiting or in service.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, from: NodeId, call: CallId) {
        let key = call.key();
        if self.config.semantics.deduplicates() {
            if let Some(&balance) = self.cache.get(&key) {
                ctx.metric(REPLIED_FROM_CACHE, call.to_f64());
                ctx.send(
                    from,
                    RpcMsg::Reply {
                        call,
                        balance,
                        cached: true,
                    },
                );
                return;
            }
            if self.queued.contains(&key) {
                // Its reply follows when the first copy is executed.
                ctx.metric(FILTERED, call.to_f64());
                return;
            }
        }
        if self.queue.len() >= QUEUE_CAPACITY {
            ctx.metric(QUEUE_FULL, call.to_f64());
            return;
        }
        self.queue.push_back((from, call));
        if self.config.semantics.deduplicates() {
            self.queued.insert(key);
        }
        if !self.busy {
            self.busy = true;
            ctx.set_timer(self.config.processing, RpcTimer::Done);
        }
    }

    fn on_done(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>) {
        let Some((from, call)) = self.queue.pop_front() else {
            self.busy = false;
            return;
        };
        // The deposit and its cache entry are written together, then the reply goes out.
        self.balance += 1;
        self.executed += 1;
        ctx.metric(EXECUTED, call.to_f64());
        if self.config.semantics.deduplicates() {
            self.queued.remove(&call.key());
            self.cache.insert(call.key(), self.balance);
        }
        ctx.send(
            from,
            RpcMsg::Reply {
                call,
                balance: self.balance,
                cached: false,
            },
        );
        if self.queue.is_empty() {
            self.busy = false;
        } else {
            ctx.set_timer(self.config.processing, RpcTimer::Done);
        }
    }

    /// A crash: the queue and the request in service are lost (their timer never fires), and so
    /// is the reply cache if it is volatile; the balance is on disk and stays.
    fn crash(&mut self) {
        self.queue.clear();
        self.queued.clear();
        self.busy = false;
        if self.config.reply_cache == CacheDurability::Volatile {
            self.cache.clear();
        }
    }
}

/// A node of a run: the server (node 0) or a client.
#[derive(Clone, Debug)]
pub enum RpcNode {
    /// Node 0.
    Server(Server),
    /// Nodes 1 to N.
    Client(Client),
}

impl RpcNode {
    /// The server's state, if this is the server.
    pub fn server(&self) -> Option<&Server> {
        match self {
            RpcNode::Server(s) => Some(s),
            RpcNode::Client(_) => None,
        }
    }
    /// The client's state, if this is a client.
    pub fn client(&self) -> Option<&Client> {
        match self {
            RpcNode::Client(c) => Some(c),
            RpcNode::Server(_) => None,
        }
    }
}

impl Node for RpcNode {
    type Msg = RpcMsg;
    type Timer = RpcTimer;

    fn on_start(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>) {
        if let RpcNode::Client(c) = self {
            // Each life numbers its calls from 0 under its own incarnation: fresh call ids,
            // whatever state the node kept.
            c.incarnation = ctx.incarnation() % INCARNATIONS;
            c.next_seq = 0;
            c.schedule_arrival(ctx);
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, from: NodeId, msg: RpcMsg) {
        match (self, msg) {
            (RpcNode::Server(s), RpcMsg::Request { call, .. }) => s.on_request(ctx, from, call),
            (RpcNode::Client(c), RpcMsg::Reply { call, .. }) => c.on_reply(ctx, call),
            _ => {}
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, RpcMsg, RpcTimer>, timer: RpcTimer) {
        match (self, timer) {
            (RpcNode::Client(c), RpcTimer::Arrival) => {
                c.start_call(ctx);
                c.schedule_arrival(ctx);
            }
            (RpcNode::Client(c), RpcTimer::Timeout { seq, attempt }) => {
                c.on_timeout(ctx, seq, attempt)
            }
            (RpcNode::Client(c), RpcTimer::Retry { seq }) => {
                let attempt = c.waiting.get(&seq).map_or(0, |w| w.attempt + 1);
                if attempt > 0 {
                    c.send_attempt(ctx, seq, attempt);
                }
            }
            (RpcNode::Server(s), RpcTimer::Done) => s.on_done(ctx),
            _ => {}
        }
    }

    fn on_crash(&mut self) {
        match self {
            RpcNode::Server(s) => s.crash(),
            // The calling process died: the calls it waited for are forgotten (their outcome
            // is unknown to anyone).
            RpcNode::Client(c) => c.waiting.clear(),
        }
    }

    fn describe(&self) -> String {
        match self {
            RpcNode::Server(s) => format!(
                "server: balance {}, {} executed, {} queued, {} replies cached",
                s.balance,
                s.executed,
                s.queue.len(),
                s.cache.len()
            ),
            RpcNode::Client(c) => format!(
                "client: {} calls, {} completed, {} waiting, {} unknown",
                c.started,
                c.completed,
                c.waiting.len(),
                c.unknown
            ),
        }
    }
}

/// Builds a run: the server at node 0 and a client at every other node of `sim_config`'s
/// topology, which must have `config.clients + 1` nodes.
pub fn build_sim(
    sim_config: sim::SimConfig,
    config: RpcConfig,
) -> Result<sim::Sim<RpcNode>, sim::ConfigError> {
    if let Some((field, message)) = config.problems().into_iter().next() {
        return Err(sim::ConfigError::InvalidProtocol {
            reason: format!("{field} {message}"),
        });
    }
    let n = sim_config.topology.node_count();
    if n != config.clients + 1 {
        return Err(sim::ConfigError::InvalidProtocol {
            reason: format!(
                "a run of {} clients needs {} nodes (the server and the clients), but the \
                 topology has {n}",
                config.clients,
                config.clients + 1
            ),
        });
    }
    let shared = Arc::new(config);
    sim::Sim::new(sim_config, move |id| {
        if id == SERVER {
            RpcNode::Server(Server::new(Arc::clone(&shared)))
        } else {
            RpcNode::Client(Client::new(Arc::clone(&shared)))
        }
    })
}

/// The kernel configuration of a run: a star with the server in the middle (every client talks
/// to the server only), every link `link`.
pub fn sim_config(
    seed: u64,
    clients: u32,
    link: sim::LinkParams,
) -> Result<sim::SimConfig, sim::ConfigError> {
    Ok(
        sim::SimConfig::new(seed, sim::Topology::star(clients.saturating_add(1))?)
            .with_default_link(link),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ids_round_trip_through_keys_and_floats() {
        for id in [
            CallId {
                client: 1,
                incarnation: 0,
                seq: 0,
            },
            CallId {
                client: 999,
                incarnation: 4_095,
                seq: MAX_CALLS_PER_INCARNATION - 1,
            },
        ] {
            assert_eq!(CallId::from_key(id.key()), id);
            assert_eq!(CallId::from_f64(id.to_f64()), id);
            assert!(CallId::client_keys(id.client).contains(&id.key()));
            assert!(!CallId::client_keys(id.client + 1).contains(&id.key()));
        }
        assert!(CallId::from_key(u64::MAX >> 11).to_f64() < 9_007_199_254_740_992.0);
    }

    #[test]
    fn message_sizes_count_headers_ids_and_amounts() {
        let call = CallId {
            client: 1,
            incarnation: 0,
            seq: 3,
        };
        assert_eq!(
            RpcMsg::Request { call, attempt: 1 }.size_bytes(),
            28 + 12 + 12
        );
        assert_eq!(
            RpcMsg::Reply {
                call,
                balance: 7,
                cached: false
            }
            .size_bytes(),
            28 + 12 + 9
        );
    }

    #[test]
    fn a_topology_of_the_wrong_size_is_refused() {
        let config = RpcConfig::default();
        let Err(e) = build_sim(
            sim::SimConfig::new(1, sim::Topology::star(3).unwrap()),
            config,
        ) else {
            panic!("a star of 3 nodes cannot hold 4 clients and a server");
        };
        assert!(e.to_string().contains("needs 5 nodes"), "{e}");
    }
}
