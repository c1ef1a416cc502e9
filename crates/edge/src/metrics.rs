//! What a run measures, from the trace alone: tasks created, completed, dropped (with reasons),
//! latency, deadline misses, utilisation and cost per tier, cold starts.

use crate::node::{BUSY_CORES_METRIC, COLD_START_METRIC, DROP_QUEUE_FULL_METRIC, EdgeMsg};
use crate::plan::{NodeKind, Plan};
use crate::tier::Tier;
use sim::{Histogram, NodeId, Observer, SimDuration, SimTime, TraceEvent, TraceKind};
use std::sync::Arc;

/// Why a task did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskDropReason {
    /// The chosen server's queue was full.
    QueueFull,
    /// The device had moved to another base station when its result came back (EdgeCloudSim's
    /// "failed due to mobility").
    Mobility,
    /// The network lost a message carrying the task (not configured by default).
    Network,
}

impl TaskDropReason {
    /// Every reason.
    pub const ALL: [TaskDropReason; 3] = [
        TaskDropReason::QueueFull,
        TaskDropReason::Mobility,
        TaskDropReason::Network,
    ];
    /// A short name.
    pub const fn name(self) -> &'static str {
        match self {
            TaskDropReason::QueueFull => "queue full",
            TaskDropReason::Mobility => "moved away",
            TaskDropReason::Network => "network",
        }
    }
}

/// Counts every task's fate and the time-integrals of busy cores, per tier.
#[derive(Clone, Debug)]
pub struct EdgeMetrics {
    plan: Arc<Plan>,
    /// Tasks devices created.
    pub created: u64,
    /// Results that reached their device.
    pub completed: u64,
    /// Of those, results later than the deadline.
    pub deadline_misses: u64,
    /// Drops per [`TaskDropReason`] (indexed like `TaskDropReason::ALL`).
    pub dropped: [u64; 3],
    /// Tasks that waited for a serverless cold start.
    pub cold_starts: u64,
    /// Completed tasks per tier they ran on (indexed by [`Tier::index`]).
    pub completed_on: [u64; 4],
    /// Latency (creation to result at the device) of completed tasks.
    pub latency: Histogram,
    /// Latency of tasks completed since the last [`EdgeMetrics::take_window`].
    window: Histogram,
    /// Busy cores per node now.
    busy: Vec<u32>,
    /// Busy cores per tier now.
    busy_tier: [u64; 4],
    /// ∫ busy cores dt per tier, core·ns.
    busy_core_ns: [u128; 4],
    last_time: SimTime,
    /// Each device's current base station (from its handovers).
    attached: Vec<NodeId>,
    /// Serverless instances alive now per node, and in total.
    instances: Vec<u32>,
    instances_total: u64,
}

impl EdgeMetrics {
    /// Empty metrics for a run of `plan`.
    pub fn new(plan: Arc<Plan>) -> EdgeMetrics {
        let n = plan.node_count() as usize;
        let attached = (0..plan.layout.devices)
            .map(|d| plan.edge_node(plan.layout.device_edge[d as usize]))
            .collect();
        EdgeMetrics {
            plan,
            created: 0,
            completed: 0,
            deadline_misses: 0,
            dropped: [0; 3],
            cold_starts: 0,
            completed_on: [0; 4],
            latency: Histogram::new(),
            window: Histogram::new(),
            busy: vec![0; n],
            busy_tier: [0; 4],
            busy_core_ns: [0; 4],
            last_time: SimTime::ZERO,
            attached,
            instances: vec![0; n],
            instances_total: 0,
        }
    }

    /// Total drops.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }

    /// Tasks neither completed nor dropped yet.
    pub fn in_progress(&self) -> u64 {
        self.created - self.completed - self.dropped_total()
    }

    /// Busy cores of each node now.
    pub fn busy_cores(&self) -> &[u32] {
        &self.busy
    }

    /// Serverless instances alive now, all servers.
    pub fn instances(&self) -> u64 {
        self.instances_total
    }

    /// Busy share of each tier's cores now (indexed by [`Tier::index`]; devices 0).
    pub fn utilisation_now(&self) -> [f64; 4] {
        let mut u = [0.0; 4];
        for t in [Tier::Edge, Tier::Fog, Tier::Cloud] {
            let cap = self.capacity(t);
            if cap > 0 {
                u[t.index()] = self.busy_tier[t.index()] as f64 / cap as f64;
            }
        }
        u
    }

    /// Cores of a tier in the run.
    pub fn capacity(&self, t: Tier) -> u64 {
        let count = match t {
            Tier::Device => 0,
            Tier::Edge => self.plan.layout.edges,
            Tier::Fog => self.plan.layout.fogs,
            Tier::Cloud => 1,
        };
        u64::from(count) * u64::from(self.plan.spec(t).cores)
    }

    /// Mean busy share of each tier's cores from the start to `at`.
    pub fn utilisation_mean(&self, at: SimTime) -> [f64; 4] {
        let mut u = [0.0; 4];
        for t in [Tier::Edge, Tier::Fog, Tier::Cloud] {
            let cap = self.capacity(t);
            if cap > 0 && at.0 > 0 {
                u[t.index()] = self.busy_core_secs(t, at) / (cap as f64 * at.as_secs_f64());
            }
        }
        u
    }

    /// Busy core-seconds of a tier from the start to `at`.
    pub fn busy_core_secs(&self, t: Tier, at: SimTime) -> f64 {
        let open = u128::from(at.0.saturating_sub(self.last_time.0))
            * u128::from(self.busy_tier[t.index()]);
        (self.busy_core_ns[t.index()] + open) as f64 / 1e9
    }

    /// Pay-per-use cost so far: busy core-hours × each tier's price, US dollars.
    pub fn cost_usd(&self, at: SimTime) -> f64 {
        [Tier::Edge, Tier::Fog, Tier::Cloud]
            .iter()
            .map(|&t| self.busy_core_secs(t, at) / 3_600.0 * self.plan.spec(t).usd_per_core_hour)
            .sum()
    }

    /// The latencies recorded since the last call (for curves), and a fresh window.
    pub fn take_window(&mut self) -> Histogram {
        std::mem::take(&mut self.window)
    }

    /// The base station device `d` is attached to now.
    pub fn attached(&self, d: u32) -> NodeId {
        self.attached[d as usize]
    }

    fn advance_to(&mut self, t: SimTime) {
        if t > self.last_time {
            let dt = u128::from(t.0 - self.last_time.0);
            for (acc, &b) in self.busy_core_ns.iter_mut().zip(&self.busy_tier) {
                *acc += dt * u128::from(b);
            }
            self.last_time = t;
        }
    }

    fn device_index(&self, n: NodeId) -> Option<u32> {
        match self.plan.kind(n) {
            NodeKind::Device(d) => Some(d),
            _ => None,
        }
    }
}

impl Observer<EdgeMsg> for EdgeMetrics {
    fn observe(&mut self, event: &TraceEvent<'_, EdgeMsg>) {
        self.advance_to(event.time);
        match event.kind {
            TraceKind::Send {
                from,
                msg: EdgeMsg::Offload(_),
                ..
            } if self.device_index(from).is_some() => self.created += 1,
            TraceKind::Send {
                from,
                to,
                msg: EdgeMsg::Handover { .. },
                ..
            } => {
                if let Some(d) = self.device_index(from) {
                    self.attached[d as usize] = to;
                }
            }
            TraceKind::Deliver {
                from,
                to,
                msg: EdgeMsg::Result { task, server, .. },
                ..
            } => {
                if let Some(d) = self.device_index(to) {
                    if self.attached[d as usize] != from {
                        self.dropped[TaskDropReason::Mobility as usize] += 1;
                    } else {
                        self.completed += 1;
                        let latency =
                            SimDuration(event.time.0.saturating_sub(task.created_ns.max(0) as u64));
                        self.latency.record(latency);
                        self.window.record(latency);
                        if latency > task.deadline {
                            self.deadline_misses += 1;
                        }
                        self.completed_on[self.plan.tier(*server).index()] += 1;
                    }
                }
            }
            TraceKind::Drop { msg, .. } if msg.carried_task().is_some() => {
                self.dropped[TaskDropReason::Network as usize] += 1;
            }
            TraceKind::Metric { node, name, value } => {
                if name == BUSY_CORES_METRIC {
                    let t = self.plan.tier(node).index();
                    let old = self.busy[node.index()];
                    let new = value as u32;
                    self.busy[node.index()] = new;
                    self.busy_tier[t] = self.busy_tier[t] + u64::from(new) - u64::from(old);
                } else if name == DROP_QUEUE_FULL_METRIC {
                    self.dropped[TaskDropReason::QueueFull as usize] += 1;
                } else if name == COLD_START_METRIC {
                    self.cold_starts += 1;
                } else if name == crate::node::INSTANCES_METRIC {
                    let old = self.instances[node.index()];
                    let new = value as u32;
                    self.instances[node.index()] = new;
                    self.instances_total = self.instances_total + u64::from(new) - u64::from(old);
                }
            }
            _ => {}
        }
    }
}
