//! The CRDT lab's editor form: the type, the sync mode, the network and the run, as the text
//! the learner typed, turned into a [`Scenario`] or a list of problems by field. Updates
//! recorded in the run are kept; the ones a newly chosen type cannot take are dropped, and the
//! form says how many.

use crate::kit::form::{
    FieldProblem, LatencyChoice, TimeUnit, TopologyChoice, latency_fields, map_problems, ms,
    parse_latency, parse_percent, parse_run_duration, parse_time_within, parse_topology, parse_u32,
    parse_u64, percent, topology_fields,
};
use crdt::SyncMode;
use scenario::Scenario;
use scenario::crdt_lab::{CrdtScenario, CrdtType, default_crdt_scenario, sync_interval_and_fanout};
use scenario::scenario::{ActionKind, Lab};

/// The sync-mode menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeChoice {
    /// Full-state anti-entropy.
    State,
    /// Op-based causal broadcast.
    Op,
    /// Delta-state with acknowledgements.
    Delta,
}

impl ModeChoice {
    /// Every choice, in menu order.
    pub const ALL: [ModeChoice; 3] = [ModeChoice::State, ModeChoice::Op, ModeChoice::Delta];
    /// The menu value.
    pub fn name(self) -> &'static str {
        match self {
            ModeChoice::State => "state",
            ModeChoice::Op => "op",
            ModeChoice::Delta => "delta",
        }
    }
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ModeChoice::State => "State-based (whole state)",
            ModeChoice::Op => "Op-based (causal broadcast)",
            ModeChoice::Delta => "Delta-state (with acks)",
        }
    }
    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<ModeChoice> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
    /// The choice for a mode.
    pub fn of(mode: &SyncMode) -> ModeChoice {
        match mode {
            SyncMode::State { .. } => ModeChoice::State,
            SyncMode::Op { .. } => ModeChoice::Op,
            SyncMode::Delta { .. } => ModeChoice::Delta,
        }
    }
}

/// The editor's fields, as text.
#[derive(Clone, Debug, PartialEq)]
pub struct CrdtForm {
    /// The replicated type.
    pub data_type: CrdtType,
    /// The sync mode.
    pub mode: ModeChoice,
    /// Time between sync rounds (ms).
    pub interval_ms: String,
    /// Peers per round.
    pub fanout: String,
    /// Replica count.
    pub replicas: String,
    /// Topology.
    pub topology: TopologyChoice,
    /// Tree branching.
    pub branching: String,
    /// Random graph mean degree.
    pub mean_degree: String,
    /// Latency model.
    pub latency: LatencyChoice,
    /// First latency parameter (ms).
    pub latency_a: String,
    /// Second latency parameter.
    pub latency_b: String,
    /// Loss, percent.
    pub loss: String,
    /// Seed.
    pub seed: String,
    /// Duration (ms).
    pub duration_ms: String,
    /// The scenario the form was made from (its updates and other link settings are kept).
    pub base: Scenario,
}

/// What Apply made of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The scenario.
    pub scenario: Scenario,
    /// Recorded updates the chosen type cannot take, dropped.
    pub dropped_updates: usize,
}

/// The scenario's problems at the editor's fields, naming replicas the lab's way (`r3`).
pub fn problems_at_fields(e: &scenario::scenario::ScenarioError) -> Vec<FieldProblem> {
    map_problems(e)
        .into_iter()
        .map(|mut p| {
            p.message = crate::kit::spacetime::rename_nodes(&p.message, 'r');
            p
        })
        .collect()
}

/// A field key's name in the editor's problem list.
pub fn field_name(key: &str) -> String {
    match key {
        "nodes" => "Replicas".into(),
        "topology" => "Topology".into(),
        "latency" | "link" => "Latency".into(),
        "loss" => "Loss".into(),
        "sync.interval" => "Sync interval".into(),
        "sync.fanout" => "Fanout".into(),
        "seed" => "Seed".into(),
        "duration" => "Duration".into(),
        other => match other
            .strip_prefix("actions[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) => format!("Recorded update or fault {}", i + 1),
            None => "Recorded updates and faults".into(),
        },
    }
}

impl CrdtForm {
    /// The form showing `scenario` (another lab's scenario shows the lab's default).
    pub fn from_scenario(scenario: &Scenario) -> CrdtForm {
        let Lab::Crdt(c) = &scenario.lab else {
            return CrdtForm::from_scenario(&default_crdt_scenario());
        };
        let (topology, branching, mean_degree) = topology_fields(&c.topology);
        let (latency, latency_a, latency_b) = latency_fields(&c.link.latency);
        let (interval, fanout) = sync_interval_and_fanout(&c.sync);
        CrdtForm {
            data_type: c.data_type,
            mode: ModeChoice::of(&c.sync),
            interval_ms: ms(interval),
            fanout: fanout.to_string(),
            replicas: c.replicas.to_string(),
            topology,
            branching: branching.to_string(),
            mean_degree: crate::kit::format::trim(mean_degree, 6),
            latency,
            latency_a,
            latency_b,
            loss: percent(c.link.loss),
            seed: scenario.seed.to_string(),
            duration_ms: ms(scenario.duration),
            base: scenario.clone(),
        }
    }

    /// The scenario the form describes (validated), or every problem found.
    pub fn build(&self) -> Result<Built, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(FieldProblem {
                field: field.to_owned(),
                message,
            })
        };
        let replicas = parse_u32(&self.replicas, "The number of replicas")
            .map_err(|m| problem("nodes", m))
            .ok();
        let topology = parse_topology(self.topology, &self.branching, &self.mean_degree)
            .map_err(|m| problem("topology", m))
            .ok();
        let latency = parse_latency(self.latency, &self.latency_a, &self.latency_b)
            .map_err(|m| problem("latency", m))
            .ok();
        let loss = parse_percent(&self.loss, "Loss")
            .map_err(|m| problem("loss", m))
            .ok();
        let interval = parse_time_within(
            &self.interval_ms,
            "The sync interval",
            TimeUnit::Ms,
            scenario::crdt_lab::MIN_SYNC_INTERVAL,
            scenario::scenario::MAX_DURATION,
        )
        .map_err(|m| problem("sync.interval", m))
        .ok();
        let fanout = parse_u32(&self.fanout, "The fanout")
            .map_err(|m| problem("sync.fanout", m))
            .ok();
        let seed = parse_u64(&self.seed, "The seed")
            .map_err(|m| problem("seed", m))
            .ok();
        let duration = parse_run_duration(&self.duration_ms, TimeUnit::Ms)
            .map_err(|m| problem("duration", m))
            .ok();
        let (
            Some(replicas),
            Some(topology),
            Some(latency),
            Some(loss),
            Some(interval),
            Some(fanout),
            Some(seed),
            Some(duration),
        ) = (
            replicas, topology, latency, loss, interval, fanout, seed, duration,
        )
        else {
            return Err(problems);
        };
        let Lab::Crdt(base) = &self.base.lab else {
            unreachable!("the form's base is always a CRDT scenario (see CrdtForm::from_scenario)")
        };
        let mut link = base.link.clone();
        link.latency = latency;
        link.loss = loss;
        let sync = match self.mode {
            ModeChoice::State => SyncMode::State { interval, fanout },
            ModeChoice::Op => SyncMode::Op { interval, fanout },
            ModeChoice::Delta => SyncMode::Delta { interval, fanout },
        };
        let data_type = self.data_type;
        let before = base.actions.len();
        let actions: Vec<_> = base
            .actions
            .iter()
            .filter(|a| match &a.kind {
                ActionKind::Update { update, .. } => data_type.check(update).is_ok(),
                _ => true,
            })
            .cloned()
            .collect();
        let dropped_updates = before - actions.len();
        let scenario = Scenario {
            seed,
            duration,
            lab: Lab::Crdt(CrdtScenario {
                replicas,
                topology,
                link,
                data_type,
                sync,
                actions,
            }),
        };
        scenario.validate().map_err(|e| problems_at_fields(&e))?;
        Ok(Built {
            scenario,
            dropped_updates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::crdt_lab::crdt_presets;

    #[test]
    fn every_preset_round_trips_through_the_form() {
        for preset in crdt_presets() {
            let form = CrdtForm::from_scenario(&preset.scenario);
            let built = form
                .build()
                .unwrap_or_else(|p| panic!("{}: {p:?}", preset.name));
            assert_eq!(built.scenario, preset.scenario, "{}", preset.name);
            assert_eq!(built.dropped_updates, 0);
        }
    }

    #[test]
    fn every_problem_names_its_field() {
        let mut form = CrdtForm::from_scenario(&default_crdt_scenario());
        form.replicas = "1001".into();
        form.fanout = "0".into();
        form.loss = "120".into();
        let problems = form.build().unwrap_err();
        assert_eq!(problems.len(), 1, "parsing stops the build: {problems:?}");
        assert_eq!(problems[0].field, "loss");
        form.loss = "5".into();
        let fields: Vec<String> = form
            .build()
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["nodes", "sync.fanout"]);
    }

    #[test]
    fn switching_the_type_drops_the_updates_it_cannot_take() {
        let mut form = CrdtForm::from_scenario(&default_crdt_scenario());
        form.data_type = CrdtType::GSet;
        let built = form.build().expect("valid");
        // The OR-Set preset's two removals do not fit a grow-only set.
        assert_eq!(built.dropped_updates, 2);
        form.data_type = CrdtType::GCounter;
        assert_eq!(form.build().expect("valid").dropped_updates, 5);
    }
}
