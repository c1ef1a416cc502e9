//! The scenario editor's form: every field as the text the learner typed, turned into a
//! [`Scenario`] or into a list of problems, each naming the field it belongs to. Nothing is
//! clamped or guessed: a value out of range is a problem shown next to its field.

use protocols::broadcast::Protocol;
use scenario::Scenario;
use scenario::scenario::{
    Action, ActionKind, BroadcastScenario, Lab, MAX_COMPLETE_NODES, MAX_DURATION, MAX_LAB_NODES,
    TopologyKind,
};
use sim::{Fault, LatencyModel, NodeId, RestartMode, SimDuration, SimTime};

/// The topology menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopologyChoice {
    /// Near-square grid.
    Grid,
    /// A chain.
    Line,
    /// A cycle.
    Ring,
    /// Node 0 in the middle.
    Star,
    /// Everyone linked to everyone.
    Complete,
    /// A k-ary tree.
    Tree,
    /// A random connected graph.
    Random,
}

impl TopologyChoice {
    /// Every choice, in menu order.
    pub const ALL: [TopologyChoice; 7] = [
        TopologyChoice::Grid,
        TopologyChoice::Line,
        TopologyChoice::Ring,
        TopologyChoice::Star,
        TopologyChoice::Complete,
        TopologyChoice::Tree,
        TopologyChoice::Random,
    ];
    /// The menu value and label.
    pub fn name(self) -> &'static str {
        match self {
            TopologyChoice::Grid => "grid",
            TopologyChoice::Line => "line",
            TopologyChoice::Ring => "ring",
            TopologyChoice::Star => "star",
            TopologyChoice::Complete => "complete",
            TopologyChoice::Tree => "tree",
            TopologyChoice::Random => "random",
        }
    }
    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<TopologyChoice> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The latency menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LatencyChoice {
    /// Always the same.
    Constant,
    /// Uniform between two bounds.
    Uniform,
    /// Normal (truncated at zero).
    Normal,
    /// Log-normal.
    LogNormal,
    /// Pareto.
    Pareto,
}

impl LatencyChoice {
    /// Every choice, in menu order.
    pub const ALL: [LatencyChoice; 5] = [
        LatencyChoice::Constant,
        LatencyChoice::Uniform,
        LatencyChoice::Normal,
        LatencyChoice::LogNormal,
        LatencyChoice::Pareto,
    ];
    /// The menu value.
    pub fn name(self) -> &'static str {
        match self {
            LatencyChoice::Constant => "constant",
            LatencyChoice::Uniform => "uniform",
            LatencyChoice::Normal => "normal",
            LatencyChoice::LogNormal => "log-normal",
            LatencyChoice::Pareto => "pareto",
        }
    }
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            LatencyChoice::Constant => "constant",
            LatencyChoice::Uniform => "uniform",
            LatencyChoice::Normal => "normal",
            LatencyChoice::LogNormal => "log-normal (heavy tail)",
            LatencyChoice::Pareto => "Pareto (rare very slow messages)",
        }
    }
    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<LatencyChoice> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
    /// Labels of the two parameter fields (`None`: the field is not used).
    pub fn parameter_labels(self) -> (&'static str, Option<&'static str>) {
        match self {
            LatencyChoice::Constant => ("Delay (ms)", None),
            LatencyChoice::Uniform => ("Shortest (ms)", Some("Longest (ms)")),
            LatencyChoice::Normal => ("Mean (ms)", Some("Standard deviation (ms)")),
            LatencyChoice::LogNormal => ("Median (ms)", Some("Sigma (0 – 5)")),
            LatencyChoice::Pareto => ("Minimum (ms)", Some("Shape α (0.1 – 100)")),
        }
    }
}

/// The protocol menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolChoice {
    /// Flooding.
    Flood,
    /// Push gossip (rumour mongering).
    Push,
    /// Push-pull anti-entropy.
    PushPull,
    /// Spanning-tree broadcast.
    Tree,
}

impl ProtocolChoice {
    /// Every choice, in menu order.
    pub const ALL: [ProtocolChoice; 4] = [
        ProtocolChoice::Flood,
        ProtocolChoice::Push,
        ProtocolChoice::PushPull,
        ProtocolChoice::Tree,
    ];
    /// The menu value.
    pub fn name(self) -> &'static str {
        match self {
            ProtocolChoice::Flood => "flood",
            ProtocolChoice::Push => "push",
            ProtocolChoice::PushPull => "push-pull",
            ProtocolChoice::Tree => "tree",
        }
    }
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ProtocolChoice::Flood => "flooding",
            ProtocolChoice::Push => "push gossip",
            ProtocolChoice::PushPull => "push-pull gossip (anti-entropy)",
            ProtocolChoice::Tree => "spanning tree",
        }
    }
    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<ProtocolChoice> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What an action row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionChoice {
    /// Broadcast a new update from a node.
    Broadcast,
    /// Split the nodes into two halves by id.
    SplitHalves,
    /// Heal every partition.
    Heal,
    /// Crash a node.
    Crash,
    /// Restart a node keeping its state.
    RestartDurable,
    /// Restart a node with its state lost.
    RestartVolatile,
}

impl ActionChoice {
    /// Every choice, in menu order.
    pub const ALL: [ActionChoice; 6] = [
        ActionChoice::Broadcast,
        ActionChoice::SplitHalves,
        ActionChoice::Heal,
        ActionChoice::Crash,
        ActionChoice::RestartDurable,
        ActionChoice::RestartVolatile,
    ];
    /// The menu value.
    pub fn name(self) -> &'static str {
        match self {
            ActionChoice::Broadcast => "broadcast",
            ActionChoice::SplitHalves => "split",
            ActionChoice::Heal => "heal",
            ActionChoice::Crash => "crash",
            ActionChoice::RestartDurable => "restart-durable",
            ActionChoice::RestartVolatile => "restart-volatile",
        }
    }
    /// The menu label.
    pub fn label(self) -> &'static str {
        match self {
            ActionChoice::Broadcast => "broadcast from node",
            ActionChoice::SplitHalves => "split in halves",
            ActionChoice::Heal => "heal all partitions",
            ActionChoice::Crash => "crash node",
            ActionChoice::RestartDurable => "restart node (keeps state)",
            ActionChoice::RestartVolatile => "restart node (loses state)",
        }
    }
    /// The choice named `name`.
    pub fn from_name(name: &str) -> Option<ActionChoice> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
    /// Whether the action names a node.
    pub fn needs_node(self) -> bool {
        !matches!(self, ActionChoice::SplitHalves | ActionChoice::Heal)
    }
}

/// One row of the action list.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionRow {
    /// What it does (`None`: an action the form cannot edit, kept as it is: see `kept`).
    pub choice: Option<ActionChoice>,
    /// The node, as typed.
    pub node: String,
    /// When, in milliseconds, as typed.
    pub at_ms: String,
    /// An action from a link that the form has no fields for (an isolated node, a clock step),
    /// kept unchanged unless removed.
    pub kept: Option<Action>,
}

impl ActionRow {
    /// A new row: broadcast from node 0 at time 0.
    pub fn new() -> ActionRow {
        ActionRow {
            choice: Some(ActionChoice::Broadcast),
            node: "0".into(),
            at_ms: "0".into(),
            kept: None,
        }
    }
    /// How the row reads when it cannot be edited.
    pub fn kept_description(&self) -> Option<String> {
        let action = self.kept.as_ref()?;
        let what = match &action.kind {
            ActionKind::Fault(f) => f.describe(),
            ActionKind::Broadcast { node, update } => format!("{node} broadcasts u{update}"),
            ActionKind::Update { node, update } => format!("{node}: {}", update.describe()),
        };
        Some(format!(
            "{what} at {}",
            crate::kit::format::time_ns(action.at.0)
        ))
    }
}

impl Default for ActionRow {
    fn default() -> Self {
        Self::new()
    }
}

/// The editor's fields, as text.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Node count.
    pub nodes: String,
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
    /// Duplication, percent.
    pub duplicate: String,
    /// Protocol.
    pub protocol: ProtocolChoice,
    /// Gossip fanout.
    pub fanout: String,
    /// Push-gossip rounds.
    pub rounds: String,
    /// Gossip period (ms).
    pub period_ms: String,
    /// Spanning-tree root.
    pub root: String,
    /// Seed.
    pub seed: String,
    /// Duration (ms).
    pub duration_ms: String,
    /// The action list.
    pub actions: Vec<ActionRow>,
    /// The scenario the form was made from: settings it has no fields for (update size,
    /// jitter, bandwidth, FIFO links) are kept from it.
    pub base: Scenario,
}

/// A problem with one field of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's key: `nodes`, `topology`, `latency`, `loss`, `duplicate`, `protocol`, `seed`,
    /// `duration`, `actions`, or `actions[i]`.
    pub field: String,
    /// The sentence to show.
    pub message: String,
}

/// Limits shown next to the fields.
pub mod limits {
    use super::*;

    /// Node count.
    pub fn nodes() -> String {
        format!(
            "1 – {} nodes (a complete graph: at most {})",
            crate::kit::format::count(MAX_LAB_NODES as u64),
            crate::kit::format::count(MAX_COMPLETE_NODES as u64)
        )
    }
    /// Duration.
    pub fn duration() -> String {
        format!(
            "Above 0, at most {} ms (one hour)",
            crate::kit::format::count(MAX_DURATION.as_nanos() / 1_000_000)
        )
    }
}

/// A duration as milliseconds for a field.
pub fn ms(d: SimDuration) -> String {
    crate::kit::format::trim(d.as_nanos() as f64 / 1e6, 6)
}

/// A fraction as a percentage for a field.
pub fn percent(p: f64) -> String {
    crate::kit::format::trim(p * 100.0, 6)
}

impl Form {
    /// The form showing `scenario`.
    pub fn from_scenario(scenario: &Scenario) -> Form {
        let Lab::Broadcast(b) = &scenario.lab else {
            // Another lab's scenario: this form edits broadcast scenarios only.
            return Form::from_scenario(&scenario::default_scenario());
        };
        let (topology, branching, mean_degree) = topology_fields(&b.topology);
        let (latency, latency_a, latency_b) = latency_fields(&b.link.latency);
        let (protocol, fanout, rounds, period, root) = match b.protocol {
            Protocol::Flood => (ProtocolChoice::Flood, 3, 4, SimDuration::from_millis(20), 0),
            Protocol::PushGossip {
                fanout,
                rounds,
                period,
            } => (ProtocolChoice::Push, fanout, rounds, period, 0),
            Protocol::PushPull { fanout, period } => {
                (ProtocolChoice::PushPull, fanout, 4, period, 0)
            }
            Protocol::Tree { root } => (
                ProtocolChoice::Tree,
                3,
                4,
                SimDuration::from_millis(20),
                root.0,
            ),
        };
        Form {
            nodes: b.nodes.to_string(),
            topology,
            branching: branching.to_string(),
            mean_degree: crate::kit::format::trim(mean_degree, 6),
            latency,
            latency_a,
            latency_b,
            loss: percent(b.link.loss),
            duplicate: percent(b.link.duplicate),
            protocol,
            fanout: fanout.to_string(),
            rounds: rounds.to_string(),
            period_ms: ms(period),
            root: root.to_string(),
            seed: scenario.seed.to_string(),
            duration_ms: ms(scenario.duration),
            actions: rows_of(b),
            base: scenario.clone(),
        }
    }

    /// Replaces the action rows with `scenario`'s actions (after actions recorded live).
    pub fn sync_actions(&mut self, scenario: &Scenario) {
        let Lab::Broadcast(b) = &scenario.lab else {
            return;
        };
        self.actions = rows_of(b);
        self.base = scenario.clone();
    }

    /// The scenario the form describes, or every problem found (parsing first; once every field
    /// parses, the scenario's own validation).
    pub fn to_scenario(&self) -> Result<Scenario, Vec<FieldProblem>> {
        self.build(true)
    }

    /// Like [`Form::to_scenario`] but only parses: the scenario's own validation is left to
    /// whoever builds the run (building a 100,000-node topology twice costs a visible moment).
    pub fn parse(&self) -> Result<Scenario, Vec<FieldProblem>> {
        self.build(false)
    }

    fn build(&self, check: bool) -> Result<Scenario, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(FieldProblem {
                field: field.to_owned(),
                message,
            })
        };
        let nodes = parse_u32(&self.nodes, "The number of nodes")
            .map_err(|m| problem("nodes", m))
            .ok();
        let topology = parse_topology(self.topology, &self.branching, &self.mean_degree)
            .map_err(|m| problem("topology", m))
            .ok();
        let latency = self.latency_model().map_err(|m| problem("latency", m)).ok();
        let loss = parse_percent(&self.loss, "Loss")
            .map_err(|m| problem("loss", m))
            .ok();
        let duplicate = parse_percent(&self.duplicate, "Duplication")
            .map_err(|m| problem("duplicate", m))
            .ok();
        let protocol = self.protocol().map_err(|m| problem("protocol", m)).ok();
        let seed = parse_u64(&self.seed, "The seed")
            .map_err(|m| problem("seed", m))
            .ok();
        let duration = parse_run_duration(&self.duration_ms, TimeUnit::Ms)
            .map_err(|m| problem("duration", m))
            .ok();
        let mut actions = Vec::with_capacity(self.actions.len());
        let mut next_update = 0u32;
        for (i, row) in self.actions.iter().enumerate() {
            match row_action(row, nodes.unwrap_or(0), &mut next_update) {
                Ok(a) => actions.push(a),
                Err(m) => {
                    problem(&format!("actions[{i}]"), m);
                    // A harmless stand-in keeps the rows and the scenario's actions aligned.
                    actions.push(Action {
                        at: SimTime::ZERO,
                        kind: ActionKind::Fault(Fault::HealAll),
                    });
                }
            }
        }
        // Fields that do not parse are replaced by the scenario's values, so that the scenario's
        // own checks still run on the others: every problem shows at once.
        let Lab::Broadcast(base) = &self.base.lab else {
            unreachable!("the form's base is always a broadcast scenario (see Form::from_scenario)")
        };
        let mut link = base.link.clone();
        link.latency = latency.unwrap_or_else(|| base.link.latency.clone());
        link.loss = loss.unwrap_or(base.link.loss);
        link.duplicate = duplicate.unwrap_or(base.link.duplicate);
        let scenario = Scenario {
            seed: seed.unwrap_or(self.base.seed),
            duration: duration.unwrap_or(self.base.duration),
            lab: Lab::Broadcast(BroadcastScenario {
                nodes: nodes.unwrap_or(base.nodes),
                topology: topology.unwrap_or(base.topology),
                link,
                protocol: protocol.unwrap_or(base.protocol),
                update_bytes: base.update_bytes,
                actions,
            }),
        };
        if !check {
            return if problems.is_empty() {
                Ok(scenario)
            } else {
                Err(problems)
            };
        }
        if let Err(e) = scenario.validate() {
            // With a wrong node count, every action or root naming a node would be flagged too;
            // with a duration that does not parse, the actions would be checked against the old
            // end.
            let nodes_wrong = problems.iter().any(|p| p.field == "nodes")
                || e.problems.iter().any(|p| p.field == "nodes");
            let duration_wrong = duration.is_none();
            for p in map_problems(&e) {
                let already = problems.iter().any(|q| q.field == p.field);
                let follows_from_nodes =
                    nodes_wrong && (p.field.starts_with("actions") || p.field == "protocol");
                let follows_from_duration = duration_wrong && p.field.starts_with("actions");
                if !already && !follows_from_nodes && !follows_from_duration {
                    problems.push(p);
                }
            }
        }
        if problems.is_empty() {
            Ok(scenario)
        } else {
            problems.sort_by_key(|p| field_order(&p.field));
            Err(problems)
        }
    }

    fn latency_model(&self) -> Result<LatencyModel, String> {
        parse_latency(self.latency, &self.latency_a, &self.latency_b)
    }

    fn protocol(&self) -> Result<Protocol, String> {
        Ok(match self.protocol {
            ProtocolChoice::Flood => Protocol::Flood,
            ProtocolChoice::Push => Protocol::PushGossip {
                fanout: parse_u32(&self.fanout, "The fanout")?,
                rounds: parse_u32(&self.rounds, "The number of rounds")?,
                period: parse_ms(&self.period_ms, "The period")?,
            },
            ProtocolChoice::PushPull => Protocol::PushPull {
                fanout: parse_u32(&self.fanout, "The fanout")?,
                period: parse_ms(&self.period_ms, "The period")?,
            },
            ProtocolChoice::Tree => Protocol::Tree {
                root: NodeId(parse_u32(&self.root, "The root")?),
            },
        })
    }
}

fn rows_of(b: &BroadcastScenario) -> Vec<ActionRow> {
    b.actions
        .iter()
        .map(|a| {
            let editable = |choice: ActionChoice, node: Option<NodeId>| ActionRow {
                choice: Some(choice),
                node: node.map_or_else(|| "0".to_owned(), |n| n.0.to_string()),
                at_ms: ms(SimDuration(a.at.0)),
                kept: None,
            };
            match &a.kind {
                ActionKind::Broadcast { node, .. } => {
                    editable(ActionChoice::Broadcast, Some(*node))
                }
                ActionKind::Fault(Fault::HealAll) => editable(ActionChoice::Heal, None),
                ActionKind::Fault(Fault::Crash(n)) => editable(ActionChoice::Crash, Some(*n)),
                ActionKind::Fault(Fault::Restart {
                    node,
                    mode: RestartMode::Durable,
                }) => editable(ActionChoice::RestartDurable, Some(*node)),
                ActionKind::Fault(Fault::Restart {
                    node,
                    mode: RestartMode::Volatile,
                }) => editable(ActionChoice::RestartVolatile, Some(*node)),
                ActionKind::Fault(f) if *f == split_halves(b.nodes) => {
                    editable(ActionChoice::SplitHalves, None)
                }
                _ => ActionRow {
                    choice: None,
                    node: String::new(),
                    at_ms: ms(SimDuration(a.at.0)),
                    kept: Some(a.clone()),
                },
            }
        })
        .collect()
}

/// A topology as the menu choice and the two parameter fields (branching, mean degree; the
/// one not used keeps a sensible default for when the learner switches).
pub fn topology_fields(kind: &TopologyKind) -> (TopologyChoice, u32, f64) {
    match *kind {
        TopologyKind::Complete => (TopologyChoice::Complete, 2, 6.0),
        TopologyKind::Line => (TopologyChoice::Line, 2, 6.0),
        TopologyKind::Ring => (TopologyChoice::Ring, 2, 6.0),
        TopologyKind::Star => (TopologyChoice::Star, 2, 6.0),
        TopologyKind::Grid => (TopologyChoice::Grid, 2, 6.0),
        TopologyKind::Tree { branching } => (TopologyChoice::Tree, branching, 6.0),
        TopologyKind::Random { mean_degree } => (TopologyChoice::Random, 2, mean_degree),
    }
}

/// A latency model as the menu choice and its two parameter fields.
pub fn latency_fields(latency: &LatencyModel) -> (LatencyChoice, String, String) {
    match latency {
        LatencyModel::Constant(d) => (LatencyChoice::Constant, ms(*d), "5".to_owned()),
        LatencyModel::Uniform { min, max } => (LatencyChoice::Uniform, ms(*min), ms(*max)),
        LatencyModel::Normal { mean, std_dev } => (LatencyChoice::Normal, ms(*mean), ms(*std_dev)),
        LatencyModel::LogNormal { median, sigma } => (
            LatencyChoice::LogNormal,
            ms(*median),
            crate::kit::format::trim(*sigma, 6),
        ),
        LatencyModel::Pareto { scale, shape } => (
            LatencyChoice::Pareto,
            ms(*scale),
            crate::kit::format::trim(*shape, 6),
        ),
    }
}

/// The latency model a menu choice and its two parameter fields describe, or what is wrong.
pub fn parse_latency(choice: LatencyChoice, a: &str, b: &str) -> Result<LatencyModel, String> {
    let (a_label, b_label) = choice.parameter_labels();
    let a = parse_ms(a, a_label)?;
    let b_text = b_label.unwrap_or("");
    Ok(match choice {
        LatencyChoice::Constant => LatencyModel::Constant(a),
        LatencyChoice::Uniform => {
            let max = parse_ms(b, b_text)?;
            if max < a {
                return Err("The longest delay must not be shorter than the shortest.".into());
            }
            LatencyModel::Uniform { min: a, max }
        }
        LatencyChoice::Normal => LatencyModel::Normal {
            mean: a,
            std_dev: parse_ms(b, b_text)?,
        },
        LatencyChoice::LogNormal => LatencyModel::LogNormal {
            median: a,
            sigma: parse_f64(b, "Sigma")?,
        },
        LatencyChoice::Pareto => LatencyModel::Pareto {
            scale: a,
            shape: parse_f64(b, "The shape")?,
        },
    })
}

/// The topology a menu choice and its parameter fields describe, or what is wrong.
pub fn parse_topology(
    choice: TopologyChoice,
    branching: &str,
    mean_degree: &str,
) -> Result<TopologyKind, String> {
    match choice {
        TopologyChoice::Grid => Ok(TopologyKind::Grid),
        TopologyChoice::Line => Ok(TopologyKind::Line),
        TopologyChoice::Ring => Ok(TopologyKind::Ring),
        TopologyChoice::Star => Ok(TopologyKind::Star),
        TopologyChoice::Complete => Ok(TopologyKind::Complete),
        TopologyChoice::Tree => match parse_u32(branching, "The branching")? {
            0 => Err("The branching must be at least 1.".into()),
            branching => Ok(TopologyKind::Tree { branching }),
        },
        TopologyChoice::Random => match parse_f64(mean_degree, "The mean degree")? {
            d if d >= 0.0 => Ok(TopologyKind::Random { mean_degree: d }),
            _ => Err("The mean degree cannot be negative.".into()),
        },
    }
}

/// The split "in halves": nodes `0 .. n/2` against the rest.
pub fn split_halves(nodes: u32) -> Fault {
    Fault::Split(vec![(0..nodes / 2).map(NodeId).collect()])
}

fn row_action(row: &ActionRow, nodes: u32, next_update: &mut u32) -> Result<Action, String> {
    let Some(choice) = row.choice else {
        let Some(kept) = row.kept.clone() else {
            return Err("This action is empty: remove it.".into());
        };
        if let ActionKind::Broadcast { update, .. } = kept.kind {
            *next_update = (*next_update).max(update + 1);
        }
        return Ok(kept);
    };
    let at = parse_ms(&row.at_ms, "The time")?;
    let at = SimTime(at.as_nanos());
    let node = if choice.needs_node() {
        NodeId(parse_u32(&row.node, "The node")?)
    } else {
        NodeId(0)
    };
    let kind = match choice {
        ActionChoice::Broadcast => {
            let update = *next_update;
            *next_update += 1;
            ActionKind::Broadcast { node, update }
        }
        ActionChoice::SplitHalves => ActionKind::Fault(split_halves(nodes)),
        ActionChoice::Heal => ActionKind::Fault(Fault::HealAll),
        ActionChoice::Crash => ActionKind::Fault(Fault::Crash(node)),
        ActionChoice::RestartDurable => ActionKind::Fault(Fault::Restart {
            node,
            mode: RestartMode::Durable,
        }),
        ActionChoice::RestartVolatile => ActionKind::Fault(Fault::Restart {
            node,
            mode: RestartMode::Volatile,
        }),
    };
    Ok(Action { at, kind })
}

/// Where a field's problems go in the list: the order of the form.
fn field_order(field: &str) -> (usize, usize) {
    const ORDER: [&str; 10] = [
        "nodes",
        "topology",
        "latency",
        "loss",
        "duplicate",
        "protocol",
        "seed",
        "duration",
        "t",
        "actions",
    ];
    let index = field
        .strip_prefix("actions[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok());
    match index {
        Some(i) => (ORDER.len(), i),
        None => (
            ORDER
                .iter()
                .position(|f| *f == field)
                .unwrap_or(ORDER.len()),
            0,
        ),
    }
}

/// Maps the scenario's own validation problems onto the form's fields.
pub fn map_problems(e: &scenario::scenario::ScenarioError) -> Vec<FieldProblem> {
    e.problems
        .iter()
        .map(|p| {
            let field = match p.field.as_str() {
                "link" => "latency".to_owned(),
                other => other.to_owned(),
            };
            FieldProblem {
                field,
                message: sentence(&p.message),
            }
        })
        .collect()
}

/// Capitalises a message, groups the thousands of its whole numbers (`100000` → `100,000`, as
/// every number on the page is written) and ends it with a full stop.
pub fn sentence(message: &str) -> String {
    let message = group_thousands(message);
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// Writes every standalone whole number of four or more digits in `text` with thousands
/// separators; numbers inside words (`n12345`), decimals and numbers already grouped are kept.
pub fn group_thousands(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0
                || !(chars[i - 1].is_alphanumeric()
                    || matches!(chars[i - 1], '.' | ',' | '_' | '#' | '[')));
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let digits: String = chars[i..j].iter().collect();
        // A number followed by letters is part of a word; one followed by `,ddd` is grouped
        // already. A decimal's whole part is grouped, its fraction (after the point) is not.
        let joined_on = j < chars.len()
            && (chars[j].is_alphanumeric()
                || (chars[j] == ',' && chars.get(j + 1).is_some_and(char::is_ascii_digit)));
        match digits.parse::<u64>() {
            Ok(n) if digits.len() >= 4 && !joined_on && !digits.starts_with('0') => {
                out.push_str(&crate::kit::format::count(n))
            }
            _ => out.push_str(&digits),
        }
        i = j;
    }
    out
}

fn clean(text: &str) -> String {
    text.trim().replace([',', '_', ' '], "")
}

/// Parses a field (see the module docs: problems are sentences naming `what`).
pub fn parse_u32(text: &str, what: &str) -> Result<u32, String> {
    let t = clean(text);
    if t.is_empty() {
        return Err(format!("{what} is missing."));
    }
    t.parse::<u32>().map_err(|_| {
        if t.starts_with('-') {
            format!("{what} cannot be negative.")
        } else if t.chars().all(|c| c.is_ascii_digit()) {
            format!("{what} is far too large.")
        } else {
            format!("{what} must be a whole number, like 25.")
        }
    })
}

/// Parses a field (see the module docs: problems are sentences naming `what`).
pub fn parse_u64(text: &str, what: &str) -> Result<u64, String> {
    let t = clean(text);
    if t.is_empty() {
        return Err(format!("{what} is missing."));
    }
    t.parse::<u64>().map_err(|_| {
        format!(
            "{what} must be a whole number from 0 to {}.",
            crate::kit::format::count(u64::MAX)
        )
    })
}

/// Parses a field (see the module docs: problems are sentences naming `what`).
pub fn parse_f64(text: &str, what: &str) -> Result<f64, String> {
    let t = clean(text);
    if t.is_empty() {
        return Err(format!("{what} is missing."));
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{what} must be a number, like 2.5.")),
    }
}

/// Milliseconds as typed → a duration (never negative; at most a year, to stay far from
/// overflow; the scenario's validation applies the real limits).
pub fn parse_ms(text: &str, what: &str) -> Result<SimDuration, String> {
    let v = parse_f64(text, what)?;
    if v < 0.0 {
        return Err(format!("{what} cannot be negative."));
    }
    if v > 365.0 * 24.0 * 3600.0 * 1000.0 {
        return Err(format!("{what} is far too long."));
    }
    Ok(SimDuration((v * 1e6).round() as u64))
}

/// The unit a time field is typed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// Milliseconds.
    Ms,
    /// Seconds.
    S,
}

impl TimeUnit {
    /// The unit's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            TimeUnit::Ms => "ms",
            TimeUnit::S => "s",
        }
    }

    /// A duration in this unit, as a field shows it (`3,600,000 ms`).
    pub fn say(self, d: SimDuration) -> String {
        let value = match self {
            TimeUnit::Ms => d.as_nanos() as f64 / 1e6,
            TimeUnit::S => d.as_nanos() as f64 / 1e9,
        };
        format!(
            "{} {}",
            crate::kit::format::grouped(value, 6),
            self.symbol()
        )
    }
}

/// A time typed in `unit`, at least `lo` (above zero when `lo` is zero) and at most `hi`, every
/// problem said in the field's unit: "The duration must be above 0 ms and at most 3,600,000 ms,
/// but it is 0 ms."
pub fn parse_time_within(
    text: &str,
    what: &str,
    unit: TimeUnit,
    lo: SimDuration,
    hi: SimDuration,
) -> Result<SimDuration, String> {
    let d = match unit {
        TimeUnit::Ms => parse_ms(text, what)?,
        TimeUnit::S => parse_secs(text, what)?,
    };
    let fits = if lo == SimDuration::ZERO {
        d > lo && d <= hi
    } else {
        d >= lo && d <= hi
    };
    if fits {
        return Ok(d);
    }
    let range = if lo == SimDuration::ZERO {
        format!("above 0 {} and at most {}", unit.symbol(), unit.say(hi))
    } else {
        format!("between {} and {}", unit.say(lo), unit.say(hi))
    };
    Err(format!(
        "{what} must be {range}, but it is {}.",
        unit.say(d)
    ))
}

/// A run's duration typed in `unit`: above zero, at most an hour
/// ([`scenario::scenario::MAX_DURATION`]).
pub fn parse_run_duration(text: &str, unit: TimeUnit) -> Result<SimDuration, String> {
    parse_time_within(
        text,
        "The duration",
        unit,
        SimDuration::ZERO,
        scenario::scenario::MAX_DURATION,
    )
}

/// Seconds as typed → a duration, with [`parse_ms`]'s checks.
pub fn parse_secs(text: &str, what: &str) -> Result<SimDuration, String> {
    let v = parse_f64(text, what)?;
    parse_ms(&(v * 1000.0).to_string(), what)
}

/// Parses a field (see the module docs: problems are sentences naming `what`).
pub fn parse_percent(text: &str, what: &str) -> Result<f64, String> {
    let v = parse_f64(text.trim().trim_end_matches('%'), what)?;
    if !(0.0..=100.0).contains(&v) {
        return Err(format!(
            "{what} must be between 0 % and 100 %, but it is {} %.",
            crate::kit::format::trim(v, 3)
        ));
    }
    Ok(v / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::scenario::broadcast_presets;

    #[test]
    fn every_preset_round_trips_through_the_form() {
        for preset in broadcast_presets() {
            let form = Form::from_scenario(&preset.scenario);
            assert_eq!(
                form.to_scenario().as_ref(),
                Ok(&preset.scenario),
                "{}",
                preset.name
            );
        }
    }

    #[test]
    fn editing_fields_changes_the_scenario() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "1,000".into();
        form.topology = TopologyChoice::Random;
        form.mean_degree = "4".into();
        form.latency = LatencyChoice::Uniform;
        form.latency_a = "5".into();
        form.latency_b = "25.5".into();
        form.loss = "10".into();
        form.protocol = ProtocolChoice::Push;
        form.fanout = "2".into();
        form.rounds = "3".into();
        form.period_ms = "15".into();
        let s = form.to_scenario().expect("valid");
        let Lab::Broadcast(b) = &s.lab else {
            panic!("a broadcast scenario")
        };
        assert_eq!(b.nodes, 1_000);
        assert_eq!(b.topology, TopologyKind::Random { mean_degree: 4.0 });
        assert_eq!(
            b.link.latency,
            LatencyModel::Uniform {
                min: SimDuration::from_millis(5),
                max: SimDuration(25_500_000)
            }
        );
        assert_eq!(b.link.loss, 0.1);
        assert_eq!(
            b.protocol,
            Protocol::PushGossip {
                fanout: 2,
                rounds: 3,
                period: SimDuration::from_millis(15)
            }
        );
    }

    fn problems_of(form: &Form) -> Vec<(String, String)> {
        form.to_scenario()
            .expect_err("invalid")
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    }

    #[test]
    fn every_bad_field_is_reported_at_once_without_clamping() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "twelve".into();
        form.topology = TopologyChoice::Tree;
        form.branching = "0".into();
        form.loss = "150".into();
        form.duplicate = "-1".into();
        form.duration_ms = "".into();
        form.seed = "1.5".into();
        let problems = problems_of(&form);
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["nodes", "topology", "loss", "duplicate", "seed", "duration"]
        );
        assert_eq!(
            problems[0].1,
            "The number of nodes must be a whole number, like 25."
        );
        assert_eq!(
            problems[2].1,
            "Loss must be between 0 % and 100 %, but it is 150 %."
        );
        assert_eq!(problems[5].1, "The duration is missing.");

        // A value that parses but breaks a limit shows with the ones that do not parse.
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "0".into();
        form.loss = "150".into();
        let fields: Vec<String> = problems_of(&form).into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["nodes", "loss"]);
    }

    #[test]
    fn limits_come_from_the_scenario_validation() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "100001".into();
        let problems = problems_of(&form);
        assert_eq!(problems[0].0, "nodes");
        assert!(
            problems[0].1.contains("between 1 and 100,000"),
            "{problems:?}"
        );

        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.topology = TopologyChoice::Complete;
        form.nodes = "3000".into();
        assert_eq!(problems_of(&form)[0].0, "topology");

        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.duration_ms = "4000000".into();
        assert_eq!(problems_of(&form)[0].0, "duration");

        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.latency = LatencyChoice::LogNormal;
        form.latency_b = "9".into();
        let problems = problems_of(&form);
        assert_eq!(problems[0].0, "latency");
        assert!(problems[0].1.contains("sigma"), "{problems:?}");
    }

    #[test]
    fn action_rows_are_checked_one_by_one() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.actions.push(ActionRow {
            choice: Some(ActionChoice::Crash),
            node: "40".into(),
            at_ms: "10".into(),
            kept: None,
        });
        form.actions.push(ActionRow {
            choice: Some(ActionChoice::Heal),
            node: String::new(),
            at_ms: "soon".into(),
            kept: None,
        });
        form.actions.push(ActionRow {
            choice: Some(ActionChoice::Broadcast),
            node: "3".into(),
            at_ms: "5000".into(),
            kept: None,
        });
        let problems = problems_of(&form);
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        // Row 3 does not parse, rows 2 and 4 break the scenario's limits: all three at once.
        assert_eq!(fields, ["actions[2]", "actions[3]", "actions[4]"]);
        form.actions[3].at_ms = "20".into();
        let fields: Vec<String> = problems_of(&form).into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["actions[2]", "actions[4]"]);
    }

    #[test]
    fn actions_become_broadcasts_numbered_in_order_and_faults() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.actions = vec![
            ActionRow::new(),
            ActionRow {
                choice: Some(ActionChoice::SplitHalves),
                node: "0".into(),
                at_ms: "100".into(),
                kept: None,
            },
            ActionRow {
                choice: Some(ActionChoice::Broadcast),
                node: "24".into(),
                at_ms: "150.5".into(),
                kept: None,
            },
            ActionRow {
                choice: Some(ActionChoice::RestartVolatile),
                node: "3".into(),
                at_ms: "200".into(),
                kept: None,
            },
        ];
        let s = form.to_scenario().expect("valid");
        let Lab::Broadcast(b) = &s.lab else {
            panic!("a broadcast scenario")
        };
        assert_eq!(
            b.actions[2],
            Action {
                at: SimTime(150_500_000),
                kind: ActionKind::Broadcast {
                    node: NodeId(24),
                    update: 1
                }
            }
        );
        assert_eq!(b.actions[1].kind, ActionKind::Fault(split_halves(25)));
        // And back: the rows read the same.
        assert_eq!(Form::from_scenario(&s).actions, form.actions);
    }

    #[test]
    fn actions_the_form_cannot_edit_are_kept() {
        let mut scenario = broadcast_presets()[0].scenario.clone();
        let Lab::Broadcast(b) = &mut scenario.lab else {
            panic!("a broadcast scenario")
        };
        b.actions.push(Action {
            at: SimTime::from_millis(5),
            kind: ActionKind::Fault(Fault::Isolate(NodeId(4))),
        });
        let form = Form::from_scenario(&scenario);
        let row = form.actions.last().expect("a row");
        assert_eq!(row.choice, None);
        assert_eq!(
            row.kept_description().as_deref(),
            Some("isolate n4 at 5 ms")
        );
        assert_eq!(form.to_scenario(), Ok(scenario));
    }

    #[test]
    fn parsing_alone_leaves_the_limits_to_the_run() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "0".into();
        assert!(form.parse().is_ok());
        assert_eq!(problems_of(&form)[0].0, "nodes");
        form.nodes = "x".into();
        assert_eq!(form.parse().expect_err("unparsable")[0].field, "nodes");
    }

    #[test]
    fn limits_are_stated() {
        assert_eq!(
            limits::nodes(),
            "1 – 100,000 nodes (a complete graph: at most 2,000)"
        );
        assert_eq!(
            limits::duration(),
            "Above 0, at most 3,600,000 ms (one hour)"
        );
    }

    #[test]
    fn times_are_checked_and_said_in_the_fields_unit() {
        assert_eq!(
            parse_run_duration("0", TimeUnit::Ms).unwrap_err(),
            "The duration must be above 0 ms and at most 3,600,000 ms, but it is 0 ms."
        );
        assert_eq!(
            parse_run_duration("7200", TimeUnit::S).unwrap_err(),
            "The duration must be above 0 s and at most 3,600 s, but it is 7,200 s."
        );
        assert_eq!(
            parse_run_duration("1.5", TimeUnit::S),
            Ok(SimDuration::from_millis(1_500))
        );
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.duration_ms = "0".into();
        let problems = problems_of(&form);
        assert_eq!(
            problems.len(),
            1,
            "the actions are not blamed: {problems:?}"
        );
        assert!(problems[0].1.ends_with("but it is 0 ms."), "{problems:?}");
    }

    #[test]
    fn no_nodes_is_said_once() {
        let mut form = Form::from_scenario(&broadcast_presets()[0].scenario);
        form.nodes = "0".into();
        let problems = problems_of(&form);
        assert_eq!(
            problems.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            ["nodes"],
            "{problems:?}"
        );
    }

    #[test]
    fn whole_numbers_in_messages_are_grouped_and_names_are_not() {
        assert_eq!(
            group_thousands("must be between 1 and 100000, but it is 250000"),
            "must be between 1 and 100,000, but it is 250,000"
        );
        assert_eq!(group_thousands("n12345 and r1000#2"), "n12345 and r1000#2");
        assert_eq!(
            group_thousands("3600.5 s, 1,000 and 999"),
            "3,600.5 s, 1,000 and 999"
        );
        assert_eq!(group_thousands("actions[1234]"), "actions[1234]");
        assert_eq!(group_thousands("0.12345 s"), "0.12345 s");
        assert_eq!(group_thousands("since 1000 ms"), "since 1,000 ms");
    }
}
