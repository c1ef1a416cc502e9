//! The edge lab's editor as plain data: text fields as typed, parsed into a scenario with every
//! problem reported next to its field. What the editor does not show (tier machines, links,
//! applications) is kept from the scenario being edited.

use crate::kit::form::{FieldProblem, map_problems, parse_ms, parse_secs, parse_u32, parse_u64};
use edge::{Autoscaler, Policy, Runtime, ServerlessConfig, TopologyPreset};
use scenario::Scenario;
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
        let report = parse_ms(&self.report_ms, "The report interval")
            .map_err(|m| problem("report", m))
            .ok();
        let seconds = parse_secs;
        let duration = seconds(&self.duration_s, "The duration")
            .map_err(|m| problem("duration", m))
            .ok();
        let dwell = if self.dwell_s.trim().is_empty() {
            Some(None)
        } else {
            seconds(&self.dwell_s, "The mean dwell time")
                .map_err(|m| problem("mobility", m))
                .ok()
                .map(Some)
        };
        let serverless = match self.execution {
            Execution::Direct => Some(None),
            Execution::Serverless(runtime) => {
                let keep_alive = seconds(&self.keep_alive_s, "The keep-alive window")
                    .map_err(|m| problem("serverless.keep_alive", m))
                    .ok();
                let autoscaler = if self.target_percent.trim().is_empty() {
                    Some(Autoscaler::OnDemand)
                } else {
                    crate::kit::form::parse_percent(&self.target_percent, "The target utilisation")
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
        let (Some(edges), Some(fogs), Some(devices), Some(queue), Some(seed), Some(report)) =
            (edges, fogs, devices, queue, seed, report)
        else {
            return Err(problems);
        };
        let (Some(duration), Some(dwell), Some(serverless)) = (duration, dwell, serverless) else {
            return Err(problems);
        };
        let mut scenario = match &base.lab {
            Lab::Edge(_) => base.clone(),
            _ => scenario::edge_lab::default_edge_scenario(),
        };
        scenario.seed = seed;
        scenario.duration = duration;
        if let Lab::Edge(e) = &mut scenario.lab {
            e.policy = self.policy;
            e.topology = match self.place {
                Place::Synthetic => TopologyPreset::Synthetic {
                    edges,
                    fogs,
                    devices,
                },
                Place::Melbourne => TopologyPreset::MelbourneCbd {
                    users: devices,
                    fogs,
                },
            };
            e.queue_capacity = queue;
            e.report_interval = report;
            e.mobility_dwell = dwell;
            e.serverless = serverless;
        }
        scenario.validate().map_err(|e| map_problems(&e))?;
        Ok(scenario)
    }
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
}
