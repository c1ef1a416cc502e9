//! The edge lab's editor as plain data: text fields as typed, parsed into a scenario with every
//! problem reported next to its field. What the editor does not show (tier machines, links,
//! applications) is kept from the scenario being edited.

use crate::kit::form::{
    FieldProblem, TimeUnit, map_problems, parse_run_duration, parse_secs, parse_time_within,
    parse_u32, parse_u64,
};
use crate::kit::format::count;
use edge::layout::{MAX_DEVICES, MAX_EDGES, MAX_FOGS, MELBOURNE_BASE_STATIONS, MELBOURNE_USERS};
use edge::plan::MAX_QUEUE;
use edge::{Autoscaler, Policy, Runtime, ServerlessConfig, TopologyPreset};
use scenario::Scenario;
use scenario::edge_lab::MAX_EDGE_NODES;
use scenario::scenario::Lab;
use sim::SimDuration;

/// Where the nodes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Tiers in rows.
    Synthetic,
    /// The Melbourne CBD map.
    Melbourne,
}

/// How tasks run on servers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Execution {
    /// Straight on cores.
    Direct,
    /// Serverless functions in instances of this runtime.
    Serverless(Runtime),
}

impl Execution {
    /// Every choice, in menu order.
    pub const ALL: [Execution; 3] = [
        Execution::Direct,
        Execution::Serverless(Runtime::Container),
        Execution::Serverless(Runtime::WasmIsolate),
    ];
    /// A stable key for the menu.
    pub fn key(self) -> &'static str {
        match self {
            Execution::Direct => "direct",
            Execution::Serverless(Runtime::Container) => "container",
            Execution::Serverless(Runtime::WasmIsolate) => "wasm",
        }
    }
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            Execution::Direct => "Directly on cores (no serverless)",
            Execution::Serverless(Runtime::Container) => {
                "Serverless: containers (250 ms cold start)"
            }
            Execution::Serverless(Runtime::WasmIsolate) => {
                "Serverless: WebAssembly isolates (5 ms cold start)"
            }
        }
    }
    /// The choice with this key.
    pub fn from_key(key: &str) -> Option<Execution> {
        Execution::ALL.into_iter().find(|e| e.key() == key)
    }
}

/// The editor's fields.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeForm {
    /// Placement policy.
    pub policy: Policy,
    /// Synthetic tiers or the city.
    pub place: Place,
    /// Synthetic: edge servers.
    pub edges: String,
    /// Fog nodes (both layouts).
    pub fogs: String,
    /// Synthetic: devices; Melbourne: users.
    pub devices: String,
    /// Direct or serverless.
    pub execution: Execution,
    /// Serverless keep-alive, seconds.
    pub keep_alive_s: String,
    /// Serverless target utilisation, percent; empty: start instances on demand only.
    pub target_percent: String,
    /// Queue capacity per server.
    pub queue: String,
    /// Load report interval, ms.
    pub report_ms: String,
    /// Mean dwell at a base station, seconds; empty: devices do not move.
    pub dwell_s: String,
    /// Seed.
    pub seed: String,
    /// Duration, seconds.
    pub duration_s: String,
}

fn secs(d: SimDuration) -> String {
    crate::kit::format::trim(d.as_secs_f64(), 3)
}

impl EdgeForm {
    /// The fields of an edge scenario (any other scenario gives the default's).
    pub fn from_scenario(scenario: &Scenario) -> EdgeForm {
        let fallback = scenario::edge_lab::default_edge_scenario();
        let (scenario, e) = match &scenario.lab {
            Lab::Edge(e) => (scenario, e),
            _ => match &fallback.lab {
                Lab::Edge(e) => (&fallback, e),
                _ => unreachable!("the default edge scenario is an edge scenario"),
            },
        };
        let (place, edges, fogs, devices) = match e.topology {
            TopologyPreset::Synthetic {
                edges,
                fogs,
                devices,
            } => (Place::Synthetic, edges, fogs, devices),
            TopologyPreset::MelbourneCbd { users, fogs } => (Place::Melbourne, 125, fogs, users),
        };
        let serverless = e.serverless.as_ref();
        EdgeForm {
            policy: e.policy,
            place,
            edges: edges.to_string(),
            fogs: fogs.to_string(),
            devices: devices.to_string(),
            execution: serverless.map_or(Execution::Direct, |s| Execution::Serverless(s.runtime)),
            keep_alive_s: serverless.map_or_else(|| "600".into(), |s| secs(s.keep_alive)),
            target_percent: match serverless.map(|s| s.autoscaler) {
                Some(Autoscaler::TargetUtilisation { target }) => {
                    crate::kit::format::trim(target * 100.0, 1)
                }
                _ => String::new(),
            },
            queue: e.queue_capacity.to_string(),
            report_ms: crate::kit::format::trim(e.report_interval.as_millis_f64(), 3),
            dwell_s: e.mobility_dwell.map(secs).unwrap_or_default(),
            seed: scenario.seed.to_string(),
            duration_s: secs(scenario.duration),
        }
    }

    /// The scenario these fields describe, built on `base` (whose tiers, links and applications
    /// are kept), or every problem found.
    pub fn build(&self, base: &Scenario) -> Result<Scenario, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(FieldProblem {
                field: field.to_owned(),
                message,
            })
        };
        let mut ok = |field: &str, r: Result<u32, String>| r.map_err(|m| problem(field, m)).ok();
        let edges = ok(
            "edges",
            parse_u32(&self.edges, "The number of edge servers"),
        );
        let fogs = ok("fogs", parse_u32(&self.fogs, "The number of fog nodes"));
        let devices = ok("devices", parse_u32(&self.devices, "The number of devices"));
        let queue = ok("queue", parse_u32(&self.queue, "The queue capacity"));
        let seed = parse_u64(&self.seed, "The seed")
            .map_err(|m| problem("seed", m))
            .ok();
        let report = parse_time_within(
            &self.report_ms,
            "The report interval",
            TimeUnit::Ms,
            MIN_REPORT,
            MAX_REPORT,
        )
        .map_err(|m| problem("report", m))
        .ok();
        let duration = parse_run_duration(&self.duration_s, TimeUnit::S)
            .map_err(|m| problem("duration", m))
            .ok();
        let dwell = if self.dwell_s.trim().is_empty() {
            Some(None)
        } else {
            parse_time_within(
                &self.dwell_s,
                "The mean stay",
                TimeUnit::S,
                MIN_DWELL,
                MAX_DWELL,
            )
            .map_err(|m| problem("mobility", m))
            .ok()
            .map(Some)
        };
        let serverless = match self.execution {
            Execution::Direct => Some(None),
            Execution::Serverless(runtime) => {
                let keep_alive = parse_secs(&self.keep_alive_s, "The keep-alive window")
                    .map_err(|m| problem("serverless.keep_alive", m))
                    .ok();
                let autoscaler = if self.target_percent.trim().is_empty() {
                    Some(Autoscaler::OnDemand)
                } else {
                    crate::kit::form::parse_percent(&self.target_percent, "The target utilisation")
                        .and_then(|target| {
                            if target > 0.0 {
                                Ok(target)
                            } else {
                                Err(
                                    "The target utilisation must be above 0 % and at most 100 %, \
                                     but it is 0 %."
                                        .to_owned(),
                                )
                            }
                        })
                        .map(|target| Autoscaler::TargetUtilisation { target })
                        .map_err(|m| problem("serverless.autoscaler", m))
                        .ok()
                };
                keep_alive.zip(autoscaler).map(|(keep_alive, autoscaler)| {
                    let mut s = ServerlessConfig::new(runtime);
                    s.keep_alive = keep_alive;
                    s.autoscaler = autoscaler;
                    Some(s)
                })
            }
        };
        // Fields that do not parse keep the base scenario's values, so that the scenario's own
        // checks still run on the others: every problem shows at once.
        let mut scenario = match &base.lab {
            Lab::Edge(_) => base.clone(),
            _ => scenario::edge_lab::default_edge_scenario(),
        };
        if let Some(seed) = seed {
            scenario.seed = seed;
        }
        if let Some(duration) = duration {
            scenario.duration = duration;
        }
        if let Lab::Edge(e) = &mut scenario.lab {
            let (base_edges, base_fogs, base_devices) = match e.topology {
                TopologyPreset::Synthetic {
                    edges,
                    fogs,
                    devices,
                } => (edges, fogs, devices),
                TopologyPreset::MelbourneCbd { users, fogs } => {
                    (MELBOURNE_BASE_STATIONS, fogs, users)
                }
            };
            e.policy = self.policy;
            e.topology = match self.place {
                Place::Synthetic => TopologyPreset::Synthetic {
                    edges: edges.unwrap_or(base_edges),
                    fogs: fogs.unwrap_or(base_fogs),
                    devices: devices.unwrap_or(base_devices),
                },
                Place::Melbourne => TopologyPreset::MelbourneCbd {
                    users: devices.unwrap_or(base_devices.min(MELBOURNE_USERS)),
                    fogs: fogs.unwrap_or(base_fogs),
                },
            };
            if let Some(queue) = queue {
                e.queue_capacity = queue;
            }
            if let Some(report) = report {
                e.report_interval = report;
            }
            if let Some(dwell) = dwell {
                e.mobility_dwell = dwell;
            }
            if let Some(serverless) = serverless {
                e.serverless = serverless;
            }
        }
        match scenario.validate() {
            Ok(()) if problems.is_empty() => Ok(scenario),
            Ok(()) => Err(problems),
            Err(e) => {
                // A field that did not parse has said what is wrong with it already.
                for p in problems_at_fields(&e) {
                    if !problems.iter().any(|q| q.field == p.field) {
                        problems.push(p);
                    }
                }
                problems.sort_by_key(|p| field_order(&p.field));
                Err(problems)
            }
        }
    }

    /// The limits of each count field, shown under it.
    pub fn hint(&self, key: &str) -> String {
        match (key, self.place) {
            ("edges", _) => format!("1 – {}", count(u64::from(MAX_EDGES))),
            ("fogs", Place::Synthetic) => format!(
                "1 – {}, and at most one per edge server",
                count(u64::from(MAX_FOGS))
            ),
            ("fogs", Place::Melbourne) => format!(
                "1 – {}",
                count(u64::from(MAX_FOGS.min(MELBOURNE_BASE_STATIONS)))
            ),
            ("devices", Place::Synthetic) => {
                // The whole run (cloud, fogs, edges and devices) has at most MAX_EDGE_NODES.
                let others = 1
                    + parse_u32(&self.edges, "").unwrap_or(0)
                    + parse_u32(&self.fogs, "").unwrap_or(0);
                let most = MAX_DEVICES
                    .min(MAX_EDGE_NODES.saturating_sub(others))
                    .max(1);
                format!("1 – {}", count(u64::from(most)))
            }
            ("devices", Place::Melbourne) => format!(
                "1 – {}, the dataset's users",
                count(u64::from(MELBOURNE_USERS))
            ),
            ("queue", _) => format!("0 – {} tasks waiting", count(u64::from(MAX_QUEUE))),
            ("report", _) => format!(
                "{} – {}",
                TimeUnit::Ms.say(MIN_REPORT),
                TimeUnit::Ms.say(MAX_REPORT)
            ),
            ("mobility", _) => format!(
                "{} – {}; empty: devices stay put",
                TimeUnit::S.say(MIN_DWELL),
                TimeUnit::S.say(MAX_DWELL)
            ),
            ("serverless.keep_alive", _) => format!("0 – {}", TimeUnit::S.say(MAX_KEEP_ALIVE)),
            ("serverless.autoscaler", _) => {
                "above 0 %, at most 100 %; empty: instances start on demand".into()
            }
            ("seed", _) => "any whole number: same seed, same run".into(),
            ("duration", _) => format!(
                "above 0 s, at most {} (one hour)",
                TimeUnit::S.say(scenario::scenario::MAX_DURATION)
            ),
            _ => String::new(),
        }
    }
}

/// Shortest load report interval (`EdgeConfig::problems`).
const MIN_REPORT: SimDuration = SimDuration::from_millis(10);
/// Longest load report interval (`EdgeConfig::problems`).
const MAX_REPORT: SimDuration = SimDuration::from_secs(600);
/// Shortest mean stay at a base station (`EdgeConfig::problems`).
const MIN_DWELL: SimDuration = SimDuration::from_secs(1);
/// Longest mean stay at a base station (`EdgeConfig::problems`).
const MAX_DWELL: SimDuration = SimDuration::from_secs(3_600);
/// Longest keep-alive window (`ServerlessConfig::problems`).
const MAX_KEEP_ALIVE: SimDuration = SimDuration::from_secs(3_600);

/// The scenario's problems at the editor's fields: `topology.edges` at Edge servers,
/// `queue_capacity` at Queue capacity, and so on; what the editor has no field for keeps its key.
pub fn problems_at_fields(e: &scenario::scenario::ScenarioError) -> Vec<FieldProblem> {
    map_problems(e)
        .into_iter()
        .map(|mut p| {
            p.field = match p.field.as_str() {
                "topology.edges" => "edges",
                "topology.fogs" => "fogs",
                "topology.devices" | "topology.users" | "topology" => "devices",
                "queue_capacity" => "queue",
                "report_interval" => "report",
                "mobility_dwell" => "mobility",
                other => other,
            }
            .to_owned();
            p
        })
        .collect()
}

/// Where a field's problems go in the list: the order of the editor (unknown keys last).
fn field_order(field: &str) -> usize {
    const ORDER: [&str; 9] = [
        "edges",
        "fogs",
        "devices",
        "serverless",
        "queue",
        "report",
        "mobility",
        "seed",
        "duration",
    ];
    ORDER
        .iter()
        .position(|k| crate::kit::editor::belongs_to(field, k))
        .unwrap_or(ORDER.len())
}

/// A field key's name in the editor's problem list.
pub fn field_name(key: &str) -> String {
    match key {
        "edges" => "Edge servers",
        "fogs" => "Fog nodes",
        "devices" => "Devices (users)",
        "queue" => "Queue capacity",
        "report" => "Load report interval",
        "mobility" => "Mobility",
        "seed" => "Seed",
        "duration" => "Duration",
        "serverless.keep_alive" => "Keep-alive",
        "serverless.autoscaler" => "Autoscaling target",
        k if k.starts_with("serverless") => "Execution",
        k if k.starts_with("tiers") => "Machines",
        k if k.starts_with("apps") => "Applications",
        k if k.starts_with("links") => "Links",
        _ => "Scenario",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::edge_lab::edge_presets;

    #[test]
    fn every_preset_round_trips_through_the_form() {
        for p in edge_presets() {
            let form = EdgeForm::from_scenario(&p.scenario);
            let built = form
                .build(&p.scenario)
                .unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            assert_eq!(built, p.scenario, "{}", p.name);
        }
    }

    #[test]
    fn problems_name_their_fields_and_nothing_is_clamped() {
        let base = scenario::edge_lab::default_edge_scenario();
        let mut form = EdgeForm::from_scenario(&base);
        form.devices = "many".into();
        form.duration_s = "-3".into();
        form.execution = Execution::Serverless(Runtime::Container);
        form.target_percent = "lots".into();
        let problems = form.build(&base).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"devices"), "{fields:?}");
        assert!(fields.contains(&"duration"), "{fields:?}");
        assert!(fields.contains(&"serverless.autoscaler"), "{fields:?}");

        let mut form = EdgeForm::from_scenario(&base);
        form.devices = "5000000".into();
        let problems = form.build(&base).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("20000") || p.message.contains("20,000")),
            "{problems:?}"
        );
    }

    #[test]
    fn out_of_range_counts_and_times_are_said_at_their_field_in_its_unit() {
        let base = scenario::edge_lab::default_edge_scenario();
        let at = |edit: fn(&mut EdgeForm)| {
            let mut form = EdgeForm::from_scenario(&base);
            edit(&mut form);
            form.build(&base).unwrap_err()
        };
        let p = at(|f| f.edges = "0".into());
        assert_eq!(p[0].field, "edges", "{p:?}");
        assert!(p[0].message.contains("between 1 and 1,000"), "{p:?}");
        let p = at(|f| f.fogs = "0".into());
        assert_eq!(p[0].field, "fogs", "{p:?}");
        let p = at(|f| f.devices = "0".into());
        assert_eq!(p[0].field, "devices", "{p:?}");
        assert!(p[0].message.contains("no tasks"), "{p:?}");
        let p = at(|f| f.report_ms = "0".into());
        assert_eq!(p[0].field, "report", "{p:?}");
        assert_eq!(
            p[0].message,
            "The report interval must be between 10 ms and 600,000 ms, but it is 0 ms."
        );
        let p = at(|f| f.duration_s = "0".into());
        assert_eq!(
            p[0].message,
            "The duration must be above 0 s and at most 3,600 s, but it is 0 s."
        );
        let p = at(|f| {
            f.place = Place::Melbourne;
            f.devices = "0".into();
        });
        assert_eq!(p[0].field, "devices", "{p:?}");
        for key in [
            "edges", "fogs", "devices", "queue", "report", "mobility", "duration",
        ] {
            assert!(
                !EdgeForm::from_scenario(&base).hint(key).is_empty(),
                "{key}"
            );
        }
    }
}
