//! The continuum's nodes as `sim` actors: devices that create tasks, and servers (edge, fog,
//! cloud) that run them on a bounded number of cores with a bounded queue. Edge servers also
//! orchestrate: they place the tasks of the devices attached to them.

use crate::plan::{NodeKind, Plan};
use crate::policy::{self, Arm, Candidate, LoadReport, PolicyState};
use crate::serverless::{AUTOSCALE_TICK, Autoscaler, FunctionPool};
use crate::tier::Tier;
use crate::workload::{Task, TaskId};
use energy::{DYNAMIC_POWER_METRIC, IDLE_POWER_METRIC};
use sim::{Ctx, Message, Node, NodeId, SimDuration};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Bytes of protocol header on every message (task ids, addresses, framing): an assumption,
/// of the order of TCP/IP headers plus a small application header.
pub const HEADER_BYTES: u32 = 64;
/// Bytes of one load report entry (server id, queue length, busy cores, padding).
pub const LOAD_ENTRY_BYTES: u32 = 24;

/// Metric a server emits with its busy cores whenever they change.
pub const BUSY_CORES_METRIC: &str = "edge.busy_cores";
/// Metric a server emits (value: the application index) when it drops a task: queue full.
pub const DROP_QUEUE_FULL_METRIC: &str = "edge.drop.queue_full";
/// Metric a server emits (value: the application index) when a task waits for a cold start.
pub const COLD_START_METRIC: &str = "edge.cold_start";
/// Metric a server emits with its live serverless instances whenever they change.
pub const INSTANCES_METRIC: &str = "edge.instances";

/// What travels between nodes.
#[derive(Clone, Debug)]
pub enum EdgeMsg {
    /// A device hands a new task to its base station (carries the input).
    Offload(Task),
    /// A task on its way to the server `to` that will run it (carries the input).
    Task {
        /// The task.
        task: Task,
        /// The server that runs it.
        to: NodeId,
    },
    /// A result on its way back: to the origin edge, then to the device (carries the output).
    Result {
        /// The task.
        task: Task,
        /// Where it ran.
        server: NodeId,
        /// Where this leg goes: the origin edge, then the device.
        to: NodeId,
    },
    /// A server dropped a task; the origin edge learns it (no payload).
    Rejected {
        /// The task.
        task: Task,
        /// Where it was dropped.
        server: NodeId,
        /// The origin edge.
        to: NodeId,
    },
    /// A server's periodic load report to its fog (the cloud's goes to every fog).
    Load(LoadReport),
    /// A fog's digest of its region's loads (and the cloud's) for its edges.
    Digest(Arc<[LoadReport]>),
    /// A device tells the base station it moved to that it is now attached there.
    Handover {
        /// The device.
        device: NodeId,
    },
}

impl Message for EdgeMsg {
    fn size_bytes(&self) -> u32 {
        match self {
            EdgeMsg::Offload(t) | EdgeMsg::Task { task: t, .. } => {
                HEADER_BYTES.saturating_add(t.upload_bytes)
            }
            EdgeMsg::Result { task, .. } => HEADER_BYTES.saturating_add(task.download_bytes),
            EdgeMsg::Rejected { .. } => HEADER_BYTES,
            EdgeMsg::Load(_) => HEADER_BYTES + LOAD_ENTRY_BYTES,
            EdgeMsg::Digest(d) => HEADER_BYTES + LOAD_ENTRY_BYTES * d.len() as u32,
            EdgeMsg::Handover { .. } => HEADER_BYTES,
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            EdgeMsg::Offload(_) => "offload",
            EdgeMsg::Task { .. } => "task",
            EdgeMsg::Result { .. } => "result",
            EdgeMsg::Rejected { .. } => "rejected",
            EdgeMsg::Load(_) => "load",
            EdgeMsg::Digest(_) => "digest",
            EdgeMsg::Handover { .. } => "handover",
        }
    }
}

impl EdgeMsg {
    /// The task this message carries, if it is one of a task's legs (not a notification).
    pub fn carried_task(&self) -> Option<&Task> {
        match self {
            EdgeMsg::Offload(t)
            | EdgeMsg::Task { task: t, .. }
            | EdgeMsg::Result { task: t, .. } => Some(t),
            _ => None,
        }
    }
}

/// What a node's timers mean.
#[derive(Clone, Debug)]
pub enum EdgeTimer {
    /// A device's next task is due.
    Arrival,
    /// A device moves to another base station.
    Move,
    /// A task finishes on this server.
    Done {
        /// The task.
        task: Task,
        /// The serverless instance it ran on.
        instance: Option<u32>,
    },
    /// Time to report load (servers) or send the digest (fogs).
    Report,
    /// An idle serverless instance's keep-alive window ended.
    KeepAlive {
        /// Its function.
        app: u16,
        /// The instance.
        instance: u32,
        /// Its idle generation when the timer was set.
        generation: u32,
    },
    /// The target-utilisation autoscaler's tick.
    Autoscale,
}

/// A user's device.
#[derive(Clone, Debug, PartialEq)]
pub struct Device {
    /// Its index among devices.
    pub index: u32,
    /// Its application.
    pub app: u16,
    /// The edge (index) it is attached to now.
    pub attached: u32,
    /// Tasks created so far.
    pub created: u32,
    /// Results received so far.
    pub received: u64,
}

/// What an edge server's orchestrator knows.
#[derive(Clone, Debug, PartialEq)]
pub struct Orchestrator {
    /// Candidate loads by slot: own edge, the region's other edges, fog, cloud.
    pub view: Vec<LoadReport>,
    /// The policy's memory.
    pub policy: PolicyState,
    /// Tasks sent by the bandit, awaiting their outcome: arm and local dispatch time.
    pub awaiting: BTreeMap<TaskId, (Arm, i64)>,
    /// Tasks placed per candidate slot.
    pub placed: Vec<u64>,
}

/// A machine that runs tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    /// Its tier.
    pub tier: Tier,
    /// Tasks waiting for a core (at most the queue capacity).
    pub queue: VecDeque<Task>,
    /// Tasks holding a core (running, or waiting on their instance's cold start).
    pub busy: u32,
    /// Tasks finished here.
    pub completed: u64,
    /// Tasks dropped here.
    pub dropped: u64,
    /// Serverless instances, if the run is serverless.
    pub pool: Option<FunctionPool>,
    /// The orchestrator (edge servers only).
    pub orchestrator: Option<Orchestrator>,
    /// A fog's latest reports: its edges (by region position), then the cloud.
    pub region: Vec<LoadReport>,
    last_dynamic_w: f64,
    last_instances: usize,
}

/// A node's role.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// A user's device.
    Device(Device),
    /// An edge, fog or cloud server (boxed: far larger than a device).
    Server(Box<Server>),
}

/// A node of the continuum: its role plus the run's static plan (shared, read-only: what every
/// node knows from configuration, like membership).
#[derive(Clone, Debug)]
pub struct EdgeNode {
    plan: Arc<Plan>,
    /// What it is and its state.
    pub role: Role,
}

type EdgeCtx<'a> = Ctx<'a, EdgeMsg, EdgeTimer>;

fn secs_to_duration(s: f64) -> SimDuration {
    let ns = libm::round(s * 1e9);
    if ns.is_finite() && ns > 0.0 {
        SimDuration(ns.min(u64::MAX as f64 / 2.0) as u64)
    } else {
        SimDuration::ZERO
    }
}

impl EdgeNode {
    /// Builds node `id` of `plan`.
    pub fn new(plan: Arc<Plan>, id: NodeId) -> EdgeNode {
        let role = match plan.kind(id) {
            NodeKind::Device(d) => Role::Device(Device {
                index: d,
                app: plan.device_app[d as usize],
                attached: plan.layout.device_edge[d as usize],
                created: 0,
                received: 0,
            }),
            kind => {
                let tier = plan.tier(id);
                let orchestrator = match kind {
                    NodeKind::Edge(e) => {
                        let slots = plan.slot_count(e);
                        Some(Orchestrator {
                            view: (0..slots)
                                .map(|s| LoadReport {
                                    server: plan.slot_server(e, s),
                                    queued: 0,
                                    busy: 0,
                                })
                                .collect(),
                            policy: PolicyState::default(),
                            awaiting: BTreeMap::new(),
                            placed: vec![0; slots],
                        })
                    }
                    _ => None,
                };
                let region = match kind {
                    NodeKind::Fog(f) => {
                        let mut r: Vec<LoadReport> = plan.region_edges[f as usize]
                            .iter()
                            .map(|&e| LoadReport {
                                server: plan.edge_node(e),
                                ..LoadReport::default()
                            })
                            .collect();
                        r.push(LoadReport {
                            server: plan.cloud(),
                            ..LoadReport::default()
                        });
                        r
                    }
                    _ => Vec::new(),
                };
                Role::Server(Box::new(Server {
                    tier,
                    queue: VecDeque::new(),
                    busy: 0,
                    completed: 0,
                    dropped: 0,
                    pool: plan
                        .serverless
                        .as_ref()
                        .map(|_| FunctionPool::new(plan.apps.len())),
                    orchestrator,
                    region,
                    last_dynamic_w: 0.0,
                    last_instances: 0,
                }))
            }
        };
        EdgeNode { plan, role }
    }

    /// The run's plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The server state, if this is a server.
    pub fn server(&self) -> Option<&Server> {
        match &self.role {
            Role::Server(s) => Some(s),
            Role::Device(_) => None,
        }
    }

    /// The device state, if this is a device.
    pub fn device(&self) -> Option<&Device> {
        match &self.role {
            Role::Device(d) => Some(d),
            Role::Server(_) => None,
        }
    }

    /// Tasks this node holds now (queued or holding a core).
    pub fn tasks_held(&self) -> u64 {
        self.server()
            .map_or(0, |s| s.queue.len() as u64 + u64::from(s.busy))
    }

    // ----- devices ------------------------------------------------------------------------

    fn arm_arrival(&self, ctx: &mut EdgeCtx<'_>, app: u16) {
        let mean = self.plan.apps[app as usize].interarrival.as_secs_f64();
        let gap = ctx.rng().exponential(mean);
        ctx.set_timer(secs_to_duration(gap), EdgeTimer::Arrival);
    }

    fn arm_move(&self, ctx: &mut EdgeCtx<'_>) {
        if let Some(dwell) = self.plan.mobility_dwell {
            let gap = ctx.rng().exponential(dwell.as_secs_f64());
            ctx.set_timer(secs_to_duration(gap), EdgeTimer::Move);
        }
    }

    fn device_timer(&mut self, ctx: &mut EdgeCtx<'_>, timer: EdgeTimer) {
        let plan = Arc::clone(&self.plan);
        let Role::Device(d) = &mut self.role else {
            return;
        };
        match timer {
            EdgeTimer::Arrival => {
                let app = &plan.apps[d.app as usize];
                let cpu_mi = ctx.rng().exponential(app.cpu_mi).max(1e-6);
                let task = Task {
                    id: TaskId::new(ctx.id(), d.created),
                    device: ctx.id(),
                    app: d.app,
                    origin: plan.edge_node(d.attached),
                    created_ns: ctx.local_time().0,
                    cpu_mi,
                    upload_bytes: app.upload_bytes,
                    download_bytes: app.download_bytes,
                    deadline: app.deadline,
                    cold_start: false,
                };
                d.created += 1;
                let app_index = d.app;
                ctx.send(task.origin, EdgeMsg::Offload(task));
                self.arm_arrival(ctx, app_index);
            }
            EdgeTimer::Move => {
                let targets = &plan.move_targets[d.attached as usize];
                if let Some(i) = ctx.rng().index(targets.len()) {
                    d.attached = targets[i];
                    ctx.send(
                        plan.edge_node(d.attached),
                        EdgeMsg::Handover { device: ctx.id() },
                    );
                }
                self.arm_move(ctx);
            }
            _ => {}
        }
    }

    // ----- servers ------------------------------------------------------------------------

    fn report(&self) -> LoadReport {
        match &self.role {
            Role::Server(s) => LoadReport {
                server: NodeId(0),
                queued: s.queue.len() as u32,
                busy: s.busy,
            },
            Role::Device(_) => LoadReport::default(),
        }
    }

    /// Emits busy cores and power when they changed.
    fn emit_power(&mut self, ctx: &mut EdgeCtx<'_>, busy_before: u32) {
        let plan = &self.plan;
        let Role::Server(s) = &mut self.role else {
            return;
        };
        let spec = plan.spec(s.tier);
        if s.busy != busy_before {
            ctx.metric(BUSY_CORES_METRIC, f64::from(s.busy));
        }
        // Only busy cores draw power above idle. Warm idle instances add none: the memory they
        // hold is powered whether or not a function holds it (its background power is in the
        // server's idle power); what they cost is capacity (see `serverless`).
        let dynamic =
            (spec.peak_w - spec.idle_w) * f64::from(s.busy) / f64::from(spec.cores.max(1));
        if let Some(pool) = &s.pool {
            let n = pool.count();
            if n != s.last_instances {
                s.last_instances = n;
                ctx.metric(INSTANCES_METRIC, n as f64);
            }
        }
        if dynamic != s.last_dynamic_w {
            s.last_dynamic_w = dynamic;
            ctx.metric(DYNAMIC_POWER_METRIC, dynamic);
        }
    }

    /// A task arrived at the server that runs it: start it, queue it, or drop it.
    fn admit(&mut self, ctx: &mut EdgeCtx<'_>, task: Task) {
        let cap = self.plan.queue_capacity as usize;
        let cores = self.plan.spec(self.tier()).cores;
        let busy_before = self.server().map_or(0, |s| s.busy);
        let Role::Server(s) = &mut self.role else {
            return;
        };
        if s.queue.is_empty() && s.busy < cores {
            s.queue.push_back(task);
            self.start_queued(ctx);
        } else if s.queue.len() < cap {
            s.queue.push_back(task);
        } else {
            s.dropped += 1;
            ctx.metric(DROP_QUEUE_FULL_METRIC, f64::from(task.app));
            let me = ctx.id();
            let hop = self.plan.next_hop(me, task.origin);
            if task.origin == me {
                self.learn_rejected(ctx, &task);
            } else {
                ctx.send(
                    hop,
                    EdgeMsg::Rejected {
                        task,
                        server: me,
                        to: task.origin,
                    },
                );
            }
        }
        self.emit_power(ctx, busy_before);
    }

    fn tier(&self) -> Tier {
        match &self.role {
            Role::Server(s) => s.tier,
            Role::Device(_) => Tier::Device,
        }
    }

    /// Starts queued tasks while cores (and, serverless, instances) are free.
    fn start_queued(&mut self, ctx: &mut EdgeCtx<'_>) {
        let plan = Arc::clone(&self.plan);
        let Role::Server(s) = &mut self.role else {
            return;
        };
        let spec = plan.spec(s.tier);
        while s.busy < spec.cores {
            let Some(mut task) = s.queue.pop_front() else {
                break;
            };
            let now = ctx.local_time().0;
            let service = secs_to_duration(spec.service_secs(task.cpu_mi));
            let (start_at, instance) = match (&mut s.pool, &plan.serverless) {
                (Some(pool), Some(cfg)) => {
                    let Some(slot) = pool.place(task.app as usize, now, cfg, spec.memory_mb) else {
                        // Memory is full of busy instances: wait for one to finish.
                        s.queue.push_front(task);
                        break;
                    };
                    if slot.cold {
                        task.cold_start = true;
                        ctx.metric(COLD_START_METRIC, f64::from(task.app));
                    }
                    if let Autoscaler::Threshold { utilisation } = cfg.autoscaler
                        && pool
                            .utilisation(task.app as usize, cfg)
                            .is_some_and(|u| u >= utilisation)
                        && let Some((id, generation)) =
                            pool.prewarm(task.app as usize, now, cfg, spec.memory_mb)
                    {
                        ctx.set_timer(
                            cfg.cold_start + cfg.keep_alive,
                            EdgeTimer::KeepAlive {
                                app: task.app,
                                instance: id,
                                generation,
                            },
                        );
                    }
                    (slot.ready_ns, Some(slot.instance))
                }
                _ => (now, None),
            };
            s.busy += 1;
            let wait = SimDuration(start_at.saturating_sub(now).max(0) as u64);
            ctx.set_timer(wait + service, EdgeTimer::Done { task, instance });
        }
    }

    fn finish(&mut self, ctx: &mut EdgeCtx<'_>, task: Task, instance: Option<u32>) {
        let plan = Arc::clone(&self.plan);
        let busy_before = self.server().map_or(0, |s| s.busy);
        let Role::Server(s) = &mut self.role else {
            return;
        };
        s.busy = s.busy.saturating_sub(1);
        s.completed += 1;
        if let (Some(pool), Some(cfg), Some(i)) = (&mut s.pool, &plan.serverless, instance)
            && let Some(generation) = pool.release(task.app as usize, i)
        {
            ctx.set_timer(
                cfg.keep_alive,
                EdgeTimer::KeepAlive {
                    app: task.app,
                    instance: i,
                    generation,
                },
            );
        }
        let me = ctx.id();
        if task.origin == me {
            self.result_at_origin(ctx, task, me);
        } else {
            ctx.send(
                plan.next_hop(me, task.origin),
                EdgeMsg::Result {
                    task,
                    server: me,
                    to: task.origin,
                },
            );
        }
        self.start_queued(ctx);
        self.emit_power(ctx, busy_before);
    }

    fn result_at_origin(&mut self, ctx: &mut EdgeCtx<'_>, task: Task, server: NodeId) {
        if let Role::Server(s) = &mut self.role
            && let Some(o) = &mut s.orchestrator
            && let Some((arm, sent)) = o.awaiting.remove(&task.id)
        {
            let latency = (ctx.local_time().0 - sent) as f64 / 1e9;
            o.policy.bandit.learn(
                arm as usize,
                policy::reward(latency, task.deadline.as_secs_f64()),
            );
        }
        ctx.send(
            task.device,
            EdgeMsg::Result {
                task,
                server,
                to: task.device,
            },
        );
    }

    fn learn_rejected(&mut self, _ctx: &mut EdgeCtx<'_>, task: &Task) {
        if let Role::Server(s) = &mut self.role
            && let Some(o) = &mut s.orchestrator
            && let Some((arm, _)) = o.awaiting.remove(&task.id)
        {
            o.policy.bandit.learn(arm as usize, 0.0);
        }
    }

    /// The orchestrator's candidates for `task`, with estimates from its view.
    fn candidates(&self, ctx_id: NodeId, edge: u32, task: &Task) -> Vec<Candidate> {
        let plan = &self.plan;
        let Role::Server(s) = &self.role else {
            return Vec::new();
        };
        let Some(o) = &s.orchestrator else {
            return Vec::new();
        };
        o.view
            .iter()
            .enumerate()
            .map(|(slot, v)| {
                let node = plan.slot_server(edge, slot);
                let tier = plan.tier(node);
                let spec = plan.spec(tier);
                let load = if node == ctx_id {
                    LoadReport {
                        server: node,
                        queued: s.queue.len() as u32,
                        busy: s.busy,
                    }
                } else {
                    *v
                };
                let service_s = spec.service_secs(task.cpu_mi);
                let cores = spec.cores.max(1);
                let excess = (load.queued + load.busy + 1).saturating_sub(cores);
                let wait_s = f64::from(excess) / f64::from(cores) * service_s;
                let (network_s, _) = plan.path_estimate(edge, slot, task);
                let compute_j = service_s * (spec.peak_w - spec.idle_w) / f64::from(cores);
                Candidate {
                    node,
                    tier,
                    cores,
                    load,
                    full: load.queued as usize >= plan.queue_capacity as usize,
                    network_s,
                    wait_s,
                    service_s,
                    energy_j: compute_j + plan.network_joules(edge, slot, task),
                }
            })
            .collect()
    }

    /// A device's task reached its base station: place it.
    fn orchestrate(&mut self, ctx: &mut EdgeCtx<'_>, mut task: Task) {
        let plan = Arc::clone(&self.plan);
        let me = ctx.id();
        let NodeKind::Edge(edge) = plan.kind(me) else {
            return;
        };
        task.origin = me;
        let cands = self.candidates(me, edge, &task);
        let Role::Server(s) = &mut self.role else {
            return;
        };
        let Some(o) = &mut s.orchestrator else {
            return;
        };
        let (slot, arm) = policy::choose(plan.policy, &cands, &task, &mut o.policy, ctx.rng());
        o.placed[slot] += 1;
        if let Some(arm) = arm {
            o.awaiting.insert(task.id, (arm, ctx.local_time().0));
        }
        let target = cands[slot].node;
        if target == me {
            self.admit(ctx, task);
        } else {
            // Count it until the next report says otherwise.
            o.view[slot].queued += 1;
            ctx.send(
                plan.next_hop(me, target),
                EdgeMsg::Task { task, to: target },
            );
        }
    }

    fn server_timer(&mut self, ctx: &mut EdgeCtx<'_>, timer: EdgeTimer) {
        let plan = Arc::clone(&self.plan);
        let me = ctx.id();
        match timer {
            EdgeTimer::Done { task, instance } => self.finish(ctx, task, instance),
            EdgeTimer::Report => {
                let mut report = self.report();
                report.server = me;
                match plan.kind(me) {
                    NodeKind::Edge(e) => {
                        ctx.send(
                            plan.fog_node(plan.layout.edge_fog[e as usize]),
                            EdgeMsg::Load(report),
                        );
                    }
                    NodeKind::Cloud => {
                        for f in 0..plan.layout.fogs {
                            ctx.send(plan.fog_node(f), EdgeMsg::Load(report));
                        }
                    }
                    NodeKind::Fog(f) => {
                        if let Role::Server(s) = &self.role {
                            let mut entries = s.region.clone();
                            entries.push(report);
                            let digest: Arc<[LoadReport]> = entries.into();
                            for &e in &plan.region_edges[f as usize] {
                                ctx.send(plan.edge_node(e), EdgeMsg::Digest(Arc::clone(&digest)));
                            }
                        }
                    }
                    NodeKind::Device(_) => {}
                }
                ctx.set_timer(plan.report_interval, EdgeTimer::Report);
            }
            EdgeTimer::KeepAlive {
                app,
                instance,
                generation,
            } => {
                let busy_before = self.server().map_or(0, |s| s.busy);
                if let Role::Server(s) = &mut self.role
                    && let Some(pool) = &mut s.pool
                    && pool.expire(app as usize, instance, generation)
                {
                    // Freed memory may let a waiting task start.
                    self.start_queued(ctx);
                }
                self.emit_power(ctx, busy_before);
            }
            EdgeTimer::Autoscale => {
                let busy_before = self.server().map_or(0, |s| s.busy);
                let spec_mem = plan.spec(self.tier()).memory_mb;
                if let (Role::Server(s), Some(cfg)) = (&mut self.role, &plan.serverless)
                    && let Some(pool) = &mut s.pool
                    && let Autoscaler::TargetUtilisation { target } = cfg.autoscaler
                {
                    let now = ctx.local_time().0;
                    for app in 0..plan.apps.len() {
                        let desired = pool.desired(app, cfg, target);
                        while pool.instances[app].len() < desired {
                            let Some((id, generation)) = pool.prewarm(app, now, cfg, spec_mem)
                            else {
                                break;
                            };
                            ctx.set_timer(
                                cfg.cold_start + cfg.keep_alive,
                                EdgeTimer::KeepAlive {
                                    app: app as u16,
                                    instance: id,
                                    generation,
                                },
                            );
                        }
                    }
                    ctx.set_timer(AUTOSCALE_TICK, EdgeTimer::Autoscale);
                }
                self.emit_power(ctx, busy_before);
            }
            EdgeTimer::Arrival | EdgeTimer::Move => {}
        }
    }

    fn server_message(&mut self, ctx: &mut EdgeCtx<'_>, from: NodeId, msg: EdgeMsg) {
        let plan = Arc::clone(&self.plan);
        let me = ctx.id();
        match msg {
            EdgeMsg::Offload(task) => self.orchestrate(ctx, task),
            EdgeMsg::Task { task, to } => {
                if to == me {
                    self.admit(ctx, task);
                } else {
                    ctx.send(plan.next_hop(me, to), EdgeMsg::Task { task, to });
                }
            }
            EdgeMsg::Result { task, server, to } => {
                if to == me {
                    self.result_at_origin(ctx, task, server);
                } else {
                    ctx.send(plan.next_hop(me, to), EdgeMsg::Result { task, server, to });
                }
            }
            EdgeMsg::Rejected { task, server, to } => {
                if to == me {
                    self.learn_rejected(ctx, &task);
                } else {
                    ctx.send(
                        plan.next_hop(me, to),
                        EdgeMsg::Rejected { task, server, to },
                    );
                }
            }
            EdgeMsg::Load(report) => {
                if let (NodeKind::Fog(f), Role::Server(s)) = (plan.kind(me), &mut self.role) {
                    let i = match plan.kind(from) {
                        NodeKind::Edge(e) if plan.layout.edge_fog[e as usize] == f => {
                            plan.region_pos[e as usize] as usize
                        }
                        NodeKind::Cloud => s.region.len() - 1,
                        _ => return,
                    };
                    s.region[i] = report;
                }
            }
            EdgeMsg::Digest(entries) => {
                if let (NodeKind::Edge(e), Role::Server(s)) = (plan.kind(me), &mut self.role)
                    && let Some(o) = &mut s.orchestrator
                {
                    for r in entries.iter() {
                        if let Some(slot) = plan.slot_of(e, r.server) {
                            o.view[slot] = *r;
                        }
                    }
                }
            }
            EdgeMsg::Handover { .. } => {}
        }
    }
}

impl Node for EdgeNode {
    type Msg = EdgeMsg;
    type Timer = EdgeTimer;

    fn on_start(&mut self, ctx: &mut EdgeCtx<'_>) {
        let spec = self.plan.spec(self.tier()).clone();
        ctx.metric(IDLE_POWER_METRIC, spec.idle_w);
        match &self.role {
            Role::Device(d) => {
                let app = d.app;
                self.arm_arrival(ctx, app);
                self.arm_move(ctx);
            }
            Role::Server(_) => {
                // A random phase, so reports of different servers do not arrive in bursts.
                let interval = self.plan.report_interval.0.max(1);
                let phase = ctx.rng().below(interval);
                ctx.set_timer(SimDuration(phase), EdgeTimer::Report);
                if let Some(cfg) = &self.plan.serverless
                    && matches!(cfg.autoscaler, Autoscaler::TargetUtilisation { .. })
                {
                    ctx.set_timer(AUTOSCALE_TICK, EdgeTimer::Autoscale);
                }
            }
        }
    }

    fn on_message(&mut self, ctx: &mut EdgeCtx<'_>, from: NodeId, msg: EdgeMsg) {
        match &mut self.role {
            Role::Device(d) => {
                if let EdgeMsg::Result { .. } = msg {
                    d.received += 1;
                }
            }
            Role::Server(_) => self.server_message(ctx, from, msg),
        }
    }

    fn on_timer(&mut self, ctx: &mut EdgeCtx<'_>, timer: EdgeTimer) {
        match &self.role {
            Role::Device(_) => self.device_timer(ctx, timer),
            Role::Server(_) => self.server_timer(ctx, timer),
        }
    }

    fn describe(&self) -> String {
        match &self.role {
            Role::Device(d) => format!("device {} at edge {}", d.index, d.attached),
            Role::Server(s) => format!(
                "{}: {} busy, {} queued",
                s.tier.name(),
                s.busy,
                s.queue.len()
            ),
        }
    }
}
