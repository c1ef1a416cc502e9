//! The edge–cloud continuum lab's parameters ([`EdgeScenario`], which is `edge::EdgeConfig`),
//! their validation and presets.

use crate::fork::{Change, ChangeKind};
use crate::scenario::{Lab, Preset, Scenario};
use edge::layout::{MAX_DEVICES, MELBOURNE_USERS, TopologyPreset};
use edge::{AppSpec, Autoscaler, EdgeConfig, Links, Policy, Runtime, ServerlessConfig};
use sim::SimDuration;

/// The edge lab's parameters: the whole `edge` configuration (topology, tiers, links,
/// applications, policy, serverless).
pub type EdgeScenario = EdgeConfig;

/// Most nodes an edge scenario may have (devices included).
pub const MAX_EDGE_NODES: u32 = 20_000;

/// Adds every problem of `e` to `problem`.
pub(crate) fn validate(e: &EdgeScenario, problem: &mut impl FnMut(&str, String)) {
    for (field, message) in e.problems() {
        problem(&field, message);
    }
    // The model runs a world without devices (its idle power alone), but a lab run without
    // them has no tasks: every figure the page shows would be empty.
    match e.topology {
        TopologyPreset::Synthetic { devices: 0, .. } => problem(
            "topology.devices",
            format!(
                "must be between 1 and {MAX_DEVICES}, but it is 0: with no devices there are no tasks"
            ),
        ),
        TopologyPreset::MelbourneCbd { users: 0, .. } => problem(
            "topology.users",
            format!(
                "must be between 1 and {MELBOURNE_USERS}, but it is 0: with no users there are no tasks"
            ),
        ),
        _ => {}
    }
    let n = e.node_count();
    if n > MAX_EDGE_NODES {
        problem(
            "topology",
            format!("the run would have {n} nodes; the edge lab allows at most {MAX_EDGE_NODES}"),
        );
    }
}

/// An illustrative light, latency-sensitive application ("sensor analytics"): 1,000 MI per task
/// (0.1 s on an edge core, 0.01 s on a cloud core), 20 KB in, 5 KB out, one task per second per
/// device, due in 500 ms. Our own example, not from a published simulator: it isolates the
/// compute-versus-distance trade-off without EdgeCloudSim's megabyte payloads on a 15 Mbit/s WAN.
pub fn sensor_analytics() -> AppSpec {
    AppSpec {
        name: "sensor analytics".into(),
        share_percent: 100,
        interarrival: SimDuration::from_secs(1),
        cpu_mi: 1_000.0,
        upload_bytes: 20_000,
        download_bytes: 5_000,
        deadline: SimDuration::from_millis(500),
    }
}

fn synthetic(edges: u32, fogs: u32, devices: u32) -> TopologyPreset {
    TopologyPreset::Synthetic {
        edges,
        fogs,
        devices,
    }
}

fn scenario(seed: u64, secs: u64, config: EdgeConfig) -> Scenario {
    Scenario {
        seed,
        duration: SimDuration::from_secs(secs),
        lab: Lab::Edge(config),
    }
}

/// The low-load preset: 4 edges of 16 cores, 40 devices of sensor analytics. The edge is
/// nearly idle, so the nearest edge answers in about 0.11 s while the cloud, ten times faster
/// per core, still pays two 100 ms WAN crossings (about 0.23 s).
pub fn low_load() -> Scenario {
    scenario(
        1,
        60,
        EdgeConfig {
            topology: synthetic(4, 1, 40),
            apps: vec![sensor_analytics()],
            policy: Policy::NearestEdge,
            ..EdgeConfig::default()
        },
    )
}

/// The saturated-edge preset: 2 edges of only 2 cores (20 tasks/s each) take 30 tasks/s each.
/// Nearest-edge queues and misses its deadlines; offloading upward meets them.
pub fn saturated_edge() -> Scenario {
    let mut c = EdgeConfig {
        topology: synthetic(2, 1, 60),
        apps: vec![sensor_analytics()],
        policy: Policy::DeadlineAware,
        ..EdgeConfig::default()
    };
    c.tiers.edge.cores = 2;
    scenario(1, 60, c)
}

/// A serverless preset: sparse tasks (one per 10 s per device) on instances with a 2 s
/// keep-alive, so instances scale to zero between tasks and many tasks start cold.
pub fn serverless(runtime: Runtime) -> Scenario {
    let mut app = sensor_analytics();
    app.interarrival = SimDuration::from_secs(10);
    let mut s = ServerlessConfig::new(runtime);
    s.keep_alive = SimDuration::from_secs(2);
    scenario(
        1,
        120,
        EdgeConfig {
            topology: synthetic(2, 1, 20),
            apps: vec![app],
            policy: Policy::NearestEdge,
            serverless: Some(s),
            ..EdgeConfig::default()
        },
    )
}

/// The Melbourne CBD: 125 base stations with edge servers, 816 users running EdgeCloudSim's
/// four applications over PureEdgeSim's cellular latencies, 5 fog regions, users moving every
/// 2 minutes on average, deadline-aware placement, 10 simulated minutes.
pub fn melbourne() -> Scenario {
    scenario(
        1,
        600,
        EdgeConfig {
            topology: TopologyPreset::MelbourneCbd {
                users: MELBOURNE_USERS,
                fogs: 5,
            },
            links: Links::pure_edge_sim_cellular(),
            policy: Policy::DeadlineAware,
            mobility_dwell: Some(SimDuration::from_secs(120)),
            ..EdgeConfig::default()
        },
    )
}

/// The edge lab's presets.
pub fn edge_presets() -> Vec<Preset> {
    let mut autoscaled = serverless(Runtime::Container);
    if let Lab::Edge(e) = &mut autoscaled.lab
        && let Some(s) = &mut e.serverless
    {
        s.autoscaler = Autoscaler::TargetUtilisation { target: 0.7 };
        s.keep_alive = SimDuration::from_secs(30);
    }
    vec![
        Preset {
            name: "Low load",
            description: "The edge is idle and close: nearest-edge answers in about 0.11 s, \
                          cloud-only pays two WAN crossings. Compare the policies.",
            scenario: low_load(),
        },
        Preset {
            name: "Saturated edge",
            description: "Two small edge servers get 1.5 times what they can run: nearest-edge \
                          misses its deadlines, deadline-aware offloads upward and meets them.",
            scenario: saturated_edge(),
        },
        Preset {
            name: "Cold starts: containers",
            description: "Sparse tasks on serverless containers with a 2 s keep-alive: \
                          instances scale to zero and many tasks wait 250 ms for a cold start.",
            scenario: serverless(Runtime::Container),
        },
        Preset {
            name: "Cold starts: WebAssembly",
            description: "The same workload on WebAssembly isolates: a cold start costs 5 ms.",
            scenario: serverless(Runtime::WasmIsolate),
        },
        Preset {
            name: "Autoscaled containers",
            description: "Containers kept warm 30 s and pre-started at 70 % target utilisation: \
                          fewer cold starts, more idle instances.",
            scenario: autoscaled,
        },
        Preset {
            name: "Melbourne CBD",
            description: "125 real base stations and 816 users of the EUA dataset, 10 minutes \
                          of EdgeCloudSim's four applications with mobility.",
            scenario: melbourne(),
        },
    ]
}

/// The lab's default scenario: the low-load preset.
pub fn default_edge_scenario() -> Scenario {
    low_load()
}

/// The edge scenario inside `scenario`, if it is one.
pub fn edge_of(scenario: &Scenario) -> Option<&EdgeScenario> {
    match &scenario.lab {
        Lab::Edge(e) => Some(e),
        _ => None,
    }
}
impl crate::lab_scenario::LabScenario for EdgeScenario {
    fn route(&self) -> &'static str {
        "edge"
    }

    fn add_problems(
        &self,
        _seed: u64,
        _duration: SimDuration,
        problem: &mut dyn FnMut(&str, String),
    ) {
        validate(self, &mut &mut *problem);
    }

    /// The edge run has no network faults or link parameters to change: its forks change where
    /// tasks run, how long serverless instances stay warm, or the random draws.
    fn fork_menu(&self) -> Vec<ChangeKind> {
        if self.serverless.is_some() {
            vec![ChangeKind::Policy, ChangeKind::KeepAlive, ChangeKind::Seed]
        } else {
            vec![ChangeKind::Policy, ChangeKind::Seed]
        }
    }

    fn suggest(&self, kind: ChangeKind) -> Option<String> {
        match kind {
            ChangeKind::Policy => Some(
                match self.policy {
                    Policy::NearestEdge => "deadline-aware",
                    _ => "nearest-edge",
                }
                .to_owned(),
            ),
            // Ten times as long: enough to bridge the gaps between sparse requests.
            ChangeKind::KeepAlive => Some(self.serverless.as_ref().map_or_else(
                || "60".to_owned(),
                |s| crate::fork::trim_to(s.keep_alive.0 as f64 * 10.0 / 1e9, 3),
            )),
            _ => None,
        }
    }

    fn lab_change(&self, kind: ChangeKind, value: &str) -> Option<Result<Change, String>> {
        Some(match kind {
            ChangeKind::Policy => Policy::from_key(value)
                .map(Change::Policy)
                .ok_or_else(|| "Pick a placement policy from the list.".to_owned()),
            ChangeKind::KeepAlive => keep_alive(value).map(Change::KeepAlive),
            _ => return None,
        })
    }

    fn apply(&mut self, change: &Change) -> Option<Result<(), crate::scenario::ScenarioError>> {
        match change {
            Change::Policy(policy) => {
                self.policy = *policy;
                Some(Ok(()))
            }
            Change::KeepAlive(d) => Some(match self.serverless.as_mut() {
                Some(serverless) => {
                    serverless.keep_alive = *d;
                    Ok(())
                }
                None => Err(crate::fork::problem(
                    "change",
                    "this run places tasks on servers, not serverless functions, so it has no \
                     keep-alive; switch the execution to serverless first",
                )),
            }),
            _ => None,
        }
    }
}

/// A keep-alive typed in seconds (never negative, at most a year).
fn keep_alive(value: &str) -> Result<SimDuration, String> {
    let seconds: f64 = value
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| "The keep-alive must be a number, like 2.5.".to_owned())?;
    if seconds < 0.0 {
        return Err("The keep-alive cannot be negative.".to_owned());
    }
    if seconds > 365.0 * 24.0 * 3600.0 {
        return Err("The keep-alive is far too long.".to_owned());
    }
    Ok(SimDuration((seconds * 1e9).round() as u64))
}
