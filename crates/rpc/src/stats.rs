//! [`RpcStats`]: what a run of remote calls did, measured from its trace alone.

use crate::node::{
    CALL_COMPLETED, CALL_GAVE_UP, CALL_STARTED, CallId, EXECUTED, FILTERED, QUEUE_FULL,
    REPLIED_FROM_CACHE, RpcMsg, SERVER,
};
use sim::{Histogram, Observer, RestartMode, SimDuration, SimTime, TraceEvent, TraceKind};
use std::collections::BTreeMap;

/// Where a call stands, as its client sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The client still waits for a reply.
    InProgress,
    /// A reply arrived: the client believes the deposit was made.
    Completed,
    /// The client stopped waiting (out of attempts): it cannot know whether the deposit was made.
    GaveUp,
    /// The client crashed while waiting: nobody will ever learn the outcome.
    Abandoned,
}

/// One call's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallRecord {
    /// When the client started it.
    pub started_at: SimTime,
    /// How many times the server executed it.
    pub executions: u32,
    /// Where it stands.
    pub outcome: Outcome,
}

impl CallRecord {
    fn unknown(&self) -> bool {
        matches!(self.outcome, Outcome::GaveUp | Outcome::Abandoned)
    }
    fn settled(&self) -> bool {
        self.outcome != Outcome::InProgress
    }
}

/// Measures a run from its trace: every call's fate, the server's executions, requests,
/// replies and latency. Feed it every trace event (it is an [`Observer`]).
#[derive(Clone, Debug, Default)]
pub struct RpcStats {
    calls: BTreeMap<u64, CallRecord>,
    /// Calls started.
    pub started: u64,
    /// Calls whose reply arrived.
    pub completed: u64,
    /// Calls given up after the last attempt timed out.
    pub gave_up: u64,
    /// Calls still waited for when their client crashed.
    pub abandoned: u64,
    /// Deposits executed by the server, duplicates included.
    pub executions: u64,
    /// Executions beyond the first of a call.
    pub duplicate_executions: u64,
    /// Settled calls (completed or of unknown outcome) executed at least once.
    pub settled_executed: u64,
    /// Calls of unknown outcome that the server did execute.
    pub unknown_executed: u64,
    /// Requests sent, first attempts and retries.
    pub requests_sent: u64,
    /// Requests sent as retries (attempt 2 or later).
    pub retries_sent: u64,
    /// Replies the server sent (executed or from its cache).
    pub replies_sent: u64,
    /// Replies the server sent from its reply cache, without executing.
    pub cached_replies: u64,
    /// Requests the server dropped because the same call was already queued.
    pub filtered: u64,
    /// Requests the server dropped because its queue was full.
    pub queue_drops: u64,
    /// The server's balance: deposits executed since its state was last lost (a volatile
    /// restart of the server loses the disk and starts again from 0).
    pub balance: u64,
    /// Latency of completed calls, from start to reply (retries included).
    pub latency: Histogram,
}

/// The numbers a lab shows and compares.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcReport {
    /// Calls started.
    pub started: u64,
    /// Calls completed (reply received): the deposits the clients believe were made.
    pub completed: u64,
    /// Calls of unknown outcome (given up or abandoned in a client crash).
    pub unknown: u64,
    /// Calls still in progress.
    pub in_progress: u64,
    /// Deposits executed, duplicates included.
    pub executions: u64,
    /// Executions beyond the first of a call.
    pub duplicate_executions: u64,
    /// Settled calls (completed or unknown) that were never executed.
    pub never_executed: u64,
    /// Calls of unknown outcome that the server did execute (the reply was lost, not the
    /// request).
    pub unknown_executed: u64,
    /// Requests sent, retries included.
    pub requests_sent: u64,
    /// Retries sent.
    pub retries_sent: u64,
    /// Replies sent.
    pub replies_sent: u64,
    /// Replies sent from the reply cache.
    pub cached_replies: u64,
    /// Mean latency of completed calls.
    pub latency_mean: Option<SimDuration>,
    /// 99th percentile latency of completed calls.
    pub latency_p99: Option<SimDuration>,
    /// The server's balance.
    pub balance: u64,
}

impl RpcReport {
    /// The deposits the clients believe succeeded (calls completed).
    pub fn believed(&self) -> u64 {
        self.completed
    }
    /// The balance minus what the clients believe: above zero, deposits nobody knows were
    /// made (duplicates, and executed calls reported unknown); below zero, deposits lost.
    pub fn discrepancy(&self) -> i64 {
        self.balance as i64 - self.completed as i64
    }
    /// Whether every call is accounted for: completed + unknown + in progress = started.
    pub fn is_conserved(&self) -> bool {
        self.completed + self.unknown + self.in_progress == self.started
    }
}

impl RpcStats {
    /// Empty stats.
    pub fn new() -> RpcStats {
        RpcStats::default()
    }

    /// The record of `call`, if it was started.
    pub fn call(&self, call: CallId) -> Option<&CallRecord> {
        self.calls.get(&call.key())
    }

    /// Every call, by id.
    pub fn calls(&self) -> impl Iterator<Item = (CallId, &CallRecord)> + '_ {
        self.calls.iter().map(|(&k, r)| (CallId::from_key(k), r))
    }

    /// Calls of unknown outcome.
    pub fn unknown(&self) -> u64 {
        self.gave_up + self.abandoned
    }

    /// Calls in progress.
    pub fn in_progress(&self) -> u64 {
        self.started - self.completed - self.unknown()
    }

    /// Summarises the run so far.
    pub fn report(&self) -> RpcReport {
        let settled = self.completed + self.unknown();
        RpcReport {
            started: self.started,
            completed: self.completed,
            unknown: self.unknown(),
            in_progress: self.in_progress(),
            executions: self.executions,
            duplicate_executions: self.duplicate_executions,
            never_executed: settled - self.settled_executed,
            unknown_executed: self.unknown_executed,
            requests_sent: self.requests_sent,
            retries_sent: self.retries_sent,
            replies_sent: self.replies_sent,
            cached_replies: self.cached_replies,
            latency_mean: self.latency.mean(),
            latency_p99: self.latency.quantile(0.99),
            balance: self.balance,
        }
    }

    /// Settles `record` with `outcome`, keeping the running counts.
    fn settle(&mut self, key: u64, outcome: Outcome, now: SimTime) {
        let Some(r) = self.calls.get_mut(&key) else {
            return;
        };
        if r.settled() {
            return;
        }
        r.outcome = outcome;
        if r.executions > 0 {
            self.settled_executed += 1;
            if r.unknown() {
                self.unknown_executed += 1;
            }
        }
        match outcome {
            Outcome::Completed => {
                self.completed += 1;
                self.latency.record(now.saturating_since(r.started_at));
            }
            Outcome::GaveUp => self.gave_up += 1,
            Outcome::Abandoned => self.abandoned += 1,
            Outcome::InProgress => {}
        }
    }

    fn executed(&mut self, key: u64) {
        self.executions += 1;
        self.balance += 1;
        let Some(r) = self.calls.get_mut(&key) else {
            return;
        };
        r.executions += 1;
        if r.executions > 1 {
            self.duplicate_executions += 1;
        } else if r.settled() {
            self.settled_executed += 1;
            if r.unknown() {
                self.unknown_executed += 1;
            }
        }
    }
}

impl Observer<RpcMsg> for RpcStats {
    fn observe(&mut self, event: &TraceEvent<'_, RpcMsg>) {
        match event.kind {
            TraceKind::Send { msg, .. } => match msg {
                RpcMsg::Request { attempt, .. } => {
                    self.requests_sent += 1;
                    if *attempt > 1 {
                        self.retries_sent += 1;
                    }
                }
                RpcMsg::Reply { .. } => self.replies_sent += 1,
            },
            TraceKind::Metric { name, value, .. } => {
                let key = CallId::from_f64(value).key();
                match name {
                    CALL_STARTED => {
                        self.started += 1;
                        self.calls.insert(
                            key,
                            CallRecord {
                                started_at: event.time,
                                executions: 0,
                                outcome: Outcome::InProgress,
                            },
                        );
                    }
                    CALL_COMPLETED => self.settle(key, Outcome::Completed, event.time),
                    CALL_GAVE_UP => self.settle(key, Outcome::GaveUp, event.time),
                    EXECUTED => self.executed(key),
                    REPLIED_FROM_CACHE => self.cached_replies += 1,
                    FILTERED => self.filtered += 1,
                    QUEUE_FULL => self.queue_drops += 1,
                    _ => {}
                }
            }
            TraceKind::Crash { node } if node != SERVER => {
                let waiting: Vec<u64> = self
                    .calls
                    .range(CallId::client_keys(node.0))
                    .filter(|(_, r)| !r.settled())
                    .map(|(&k, _)| k)
                    .collect();
                for key in waiting {
                    self.settle(key, Outcome::Abandoned, event.time);
                }
            }
            TraceKind::Restart {
                node: SERVER,
                mode: RestartMode::Volatile,
            } => self.balance = 0,
            _ => {}
        }
    }
}
