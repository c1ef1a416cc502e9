//! # `edge` — the edge–cloud continuum on the `sim` kernel
//!
//! Where should a task run: on the user's base station, a regional fog node or the cloud?
//! This crate models the continuum and lets placement policies answer on the same workload:
//!
//! - [`tier`]: the tiers (device, edge, fog, cloud), their machines (cores, MIPS, memory, linear
//!   power, price) and link classes (access, metro, wide-area), every default with its source;
//! - [`layout`]: a synthetic tiered layout, or the Melbourne CBD base stations and users of the
//!   EUA dataset (shipped in `data/eua/` with its MIT licence), positions in metres;
//! - [`workload`]: applications with Poisson arrivals, task lengths, input/output sizes and
//!   deadlines (EdgeCloudSim's four sample applications by default);
//! - [`policy`]: placement policies, from cloud-only to a UCB1 bandit;
//! - [`serverless`]: function instances with cold starts (container or WebAssembly isolate),
//!   keep-alive, scale to zero, concurrency and autoscaling;
//! - [`node`]: devices and servers as `sim` actors (bounded cores, bounded queues);
//! - [`plan`]: the run's configuration ([`EdgeConfig`]) and its static plan;
//! - [`metrics`]: task fates, latency, utilisation, cost, measured from the trace;
//! - [`world`]: a run with its observers (metrics, energy ledger, trace hash) and its summary;
//! - [`compare`]: every policy on the same workload across seeds, with 95 % confidence
//!   intervals and the latency–energy Pareto front.
//!
//! Invariants: a handler sees only its own node's state (orchestrators decide from load
//! reports, so their view of other servers is stale by up to about two report intervals); a
//! server never runs more tasks than it has cores; every task is completed, dropped with a
//! reason, or still held by a server or on the wire.

pub mod compare;
pub mod layout;
pub mod metrics;
pub mod node;
pub mod plan;
pub mod policy;
pub mod serverless;
pub mod tier;
pub mod workload;
pub mod world;

pub use compare::{Comparison, PolicyRow, compare, mark_pareto, mean_ci95, policy_row};
pub use layout::{Position, TopologyPreset};
pub use metrics::{EdgeMetrics, TaskDropReason};
pub use node::{EdgeMsg, EdgeNode, EdgeTimer};
pub use plan::{EdgeConfig, Plan, TierSpecs};
pub use policy::Policy;
pub use serverless::{Autoscaler, Runtime, ServerlessConfig};
pub use tier::{LinkSpec, Links, ServerSpec, Tier};
pub use workload::AppSpec;
pub use world::{EdgeObservers, EdgeWorld, RunSummary, Sampler, TierEnergy};
