//! The `Scenario`: plain data that reproduces a run exactly, its validation and limits, presets,
//! and its share link.

use crate::crdt_lab::Update;
use crate::fork::{Change, ChangeKind, NETWORK_CHANGES, millis, millis_text, non_negative, whole};
use crate::lab_scenario::LabScenario;
use crate::link::{self, LinkError, LinkLimits};
use core::fmt;
use core::ops::RangeInclusive;
use protocols::broadcast::{self, DEFAULT_UPDATE_BYTES, MAX_UPDATES, Protocol};
use serde::{Deserialize, Serialize};
use sim::{
    ConfigError, Fault, LatencyModel, LinkParams, NodeId, SimConfig, SimDuration, SimTime, Topology,
};

/// The share-link format this build writes.
pub const FORMAT_VERSION: u16 = 1;
/// The share-link formats this build reads.
pub const SUPPORTED_VERSIONS: RangeInclusive<u16> = 1..=1;

/// Most nodes a lab run may have. The kernel handles more, but the page must stay responsive
/// while it builds and draws the run (the network lab switches to aggregates well before this).
pub const MAX_LAB_NODES: u32 = 100_000;
/// Most nodes for a complete graph (n·(n−1)/2 links: 2,000 nodes is about 2 million links).
pub const MAX_COMPLETE_NODES: u32 = 2_000;
/// Longest simulated duration: one hour.
pub const MAX_DURATION: SimDuration = SimDuration::from_secs(3_600);
/// Most actions (user inputs and scheduled faults) in one scenario.
pub const MAX_ACTIONS: usize = 10_000;

/// A complete, reproducible experiment: which lab, its parameters, the seed, and every action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The seed every random draw derives from.
    pub seed: u64,
    /// How long the run lasts in simulated time.
    pub duration: SimDuration,
    /// The lab and its parameters. (New labs are appended as new variants, so old links keep
    /// decoding.)
    pub lab: Lab,
}

pub use crate::labs::Lab;

impl Lab {
    /// The route of the lab's page (`#/<route>`).
    pub fn route(&self) -> &'static str {
        self.as_lab().route()
    }

    /// The action log (empty for a lab that records none).
    pub fn actions(&self) -> &[Action] {
        self.as_lab().actions()
    }

    /// The action log to append to, for a lab that records actions.
    pub fn actions_mut(&mut self) -> Option<&mut Vec<Action>> {
        self.as_lab_mut().actions_mut()
    }

    /// The lab's row in the table of labs (title, part of the course, what it teaches).
    pub fn info(&self) -> &'static crate::labs::LabInfo {
        // Every variant's route has a row (tested in `catalogue`).
        crate::labs::lab(self.route()).unwrap_or(&crate::labs::LABS[0])
    }
}

/// Gossip defaults when a fork switches from a protocol without them: the network lab form's
/// (fanout 3, 4 rounds every 20 ms).
const GOSSIP_DEFAULTS: (u32, u32, SimDuration) = (3, 4, SimDuration::from_millis(20));

impl BroadcastScenario {
    /// The protocol with its fanout and round interval changed by `edit`, as a fork's change;
    /// an error for a protocol that has no rounds.
    fn with_round(&self, edit: impl FnOnce(&mut u32, &mut SimDuration)) -> Result<Change, String> {
        let mut p = self.protocol;
        match &mut p {
            Protocol::PushGossip { fanout, period, .. } | Protocol::PushPull { fanout, period } => {
                edit(fanout, period)
            }
            other => {
                let name = other.name();
                let mut chars = name.chars();
                let capitalised: String = chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
                return Err(format!(
                    "{capitalised} has no rounds or fanout: fork with another protocol instead."
                ));
            }
        }
        Ok(Change::Protocol(p))
    }

    fn round(&self) -> Option<(u32, SimDuration)> {
        match self.protocol {
            Protocol::PushGossip { fanout, period, .. } | Protocol::PushPull { fanout, period } => {
                Some((fanout, period))
            }
            _ => None,
        }
    }
}

impl LabScenario for BroadcastScenario {
    fn route(&self) -> &'static str {
        "network"
    }

    fn add_problems(
        &self,
        _seed: u64,
        duration: SimDuration,
        problem: &mut dyn FnMut(&str, String),
    ) {
        let mut problem = &mut *problem;
        validate_network(
            self.nodes,
            MAX_LAB_NODES,
            &self.topology,
            &self.link,
            &mut problem,
        );
        if let Err(e) = broadcast::validate(
            &broadcast::BroadcastConfig {
                protocol: self.protocol,
                update_bytes: self.update_bytes,
            },
            self.nodes,
        ) {
            problem("protocol", e.to_string());
        }
        validate_actions(
            &self.actions,
            self.nodes,
            duration,
            &mut problem,
            |kind| match kind {
                ActionKind::Broadcast { node, update } => {
                    if *update >= MAX_UPDATES {
                        Err(format!(
                            "update id {update} is beyond the limit of {MAX_UPDATES} updates"
                        ))
                    } else {
                        node_in_range(*node, self.nodes, "broadcasts from")
                    }
                }
                ActionKind::Update { .. } => Err(
                    "is a replicated-data update, but this lab takes broadcasts and faults".into(),
                ),
                ActionKind::Fault(_) => Ok(()),
            },
        );
    }

    fn actions(&self) -> &[Action] {
        &self.actions
    }

    fn actions_mut(&mut self) -> Option<&mut Vec<Action>> {
        Some(&mut self.actions)
    }

    fn link(&self) -> Option<&LinkParams> {
        Some(&self.link)
    }

    fn link_mut(&mut self) -> Option<&mut LinkParams> {
        Some(&mut self.link)
    }

    fn network_nodes(&self) -> u32 {
        self.nodes
    }

    fn fork_menu(&self) -> Vec<ChangeKind> {
        std::iter::once(ChangeKind::Protocol)
            .chain(NETWORK_CHANGES)
            .collect()
    }

    fn suggest(&self, kind: ChangeKind) -> Option<String> {
        match kind {
            ChangeKind::Protocol => Some(
                match self.protocol {
                    Protocol::Flood => "push",
                    _ => "flood",
                }
                .to_owned(),
            ),
            ChangeKind::Fanout => Some(
                self.round()
                    .map_or(String::new(), |(f, _)| (f + 1).to_string()),
            ),
            ChangeKind::Interval => Some(
                self.round()
                    .map_or(String::new(), |(_, i)| millis_text(SimDuration(2 * i.0))),
            ),
            _ => None,
        }
    }

    fn lab_change(&self, kind: ChangeKind, value: &str) -> Option<Result<Change, String>> {
        Some(match kind {
            ChangeKind::Protocol => {
                let (fanout, rounds, period) = match self.protocol {
                    Protocol::PushGossip {
                        fanout,
                        rounds,
                        period,
                    } => (fanout, rounds, period),
                    Protocol::PushPull { fanout, period } => (fanout, GOSSIP_DEFAULTS.1, period),
                    _ => GOSSIP_DEFAULTS,
                };
                match value {
                    "flood" => Ok(Protocol::Flood),
                    "push" => Ok(Protocol::PushGossip {
                        fanout,
                        rounds,
                        period,
                    }),
                    "push-pull" => Ok(Protocol::PushPull { fanout, period }),
                    "tree" => Ok(Protocol::Tree { root: NodeId(0) }),
                    _ => Err("Pick a protocol from the list.".to_owned()),
                }
                .map(Change::Protocol)
            }
            ChangeKind::Fanout => {
                fanout_change(value).and_then(|f| self.with_round(|fanout, _| *fanout = f))
            }
            ChangeKind::Interval => non_negative(value, "the interval in milliseconds")
                .and_then(|ms| self.with_round(|_, interval| *interval = millis(ms))),
            _ => return None,
        })
    }

    fn apply(&mut self, change: &Change) -> Option<Result<(), ScenarioError>> {
        match change {
            Change::Protocol(p) => {
                self.protocol = *p;
                Some(Ok(()))
            }
            _ => None,
        }
    }
}

/// A typed fanout (neighbours per round).
pub(crate) fn fanout_change(value: &str) -> Result<u32, String> {
    u32::try_from(whole(value, "the fanout")?)
        .map_err(|_| "That fanout is far too large.".to_owned())
}

/// The shape of the network.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TopologyKind {
    /// Everyone linked to everyone.
    Complete,
    /// A chain.
    Line,
    /// A cycle.
    Ring,
    /// Node 0 in the middle.
    Star,
    /// A near-square grid filled row by row (the last row may be partial).
    Grid,
    /// A complete tree with the given branching factor.
    Tree {
        /// Children per node.
        branching: u32,
    },
    /// A connected random graph with this mean degree (seeded by the scenario's seed).
    Random {
        /// Mean neighbours per node.
        mean_degree: f64,
    },
}

impl TopologyKind {
    /// A short name for menus.
    pub fn name(&self) -> &'static str {
        match self {
            TopologyKind::Complete => "complete",
            TopologyKind::Line => "line",
            TopologyKind::Ring => "ring",
            TopologyKind::Star => "star",
            TopologyKind::Grid => "grid",
            TopologyKind::Tree { .. } => "tree",
            TopologyKind::Random { .. } => "random",
        }
    }

    /// The width of the grid used for `nodes` nodes: `⌈√nodes⌉`.
    pub fn grid_width(nodes: u32) -> u32 {
        let mut w = (nodes as f64).sqrt() as u32;
        while w * w < nodes {
            w += 1;
        }
        w.max(1)
    }

    /// Whether [`TopologyKind::build`] would succeed, checked on the parameters alone (building
    /// a 100,000-node graph only to validate it would cost the page tens of milliseconds).
    pub fn check(&self, nodes: u32) -> Result<(), ConfigError> {
        match *self {
            TopologyKind::Complete => {
                if nodes > MAX_COMPLETE_NODES {
                    return Err(ConfigError::LimitExceeded {
                        what: "nodes in a complete graph",
                        requested: nodes as u64,
                        limit: MAX_COMPLETE_NODES as u64,
                    });
                }
                Topology::check_complete(nodes)
            }
            TopologyKind::Line | TopologyKind::Ring | TopologyKind::Star | TopologyKind::Grid => {
                Topology::check_sparse(nodes)
            }
            TopologyKind::Tree { branching } => Topology::check_tree(nodes, branching),
            TopologyKind::Random { mean_degree } => {
                Topology::check_random(nodes, mean_degree).map(|_| ())
            }
        }
    }

    /// Builds the topology for `nodes` nodes.
    pub fn build(&self, nodes: u32, seed: u64) -> Result<Topology, ConfigError> {
        match *self {
            TopologyKind::Complete => {
                if nodes > MAX_COMPLETE_NODES {
                    return Err(ConfigError::LimitExceeded {
                        what: "nodes in a complete graph",
                        requested: nodes as u64,
                        limit: MAX_COMPLETE_NODES as u64,
                    });
                }
                Topology::complete(nodes)
            }
            TopologyKind::Line => Topology::line(nodes),
            TopologyKind::Ring => Topology::ring(nodes),
            TopologyKind::Star => Topology::star(nodes),
            TopologyKind::Grid => {
                let w = Self::grid_width(nodes);
                let mut edges = Vec::with_capacity(nodes as usize * 2);
                for i in 0..nodes {
                    if (i + 1) % w != 0 && i + 1 < nodes {
                        edges.push((NodeId(i), NodeId(i + 1)));
                    }
                    if i + w < nodes {
                        edges.push((NodeId(i), NodeId(i + w)));
                    }
                }
                Topology::from_edges(nodes, &edges)
            }
            TopologyKind::Tree { branching } => Topology::tree(nodes, branching),
            TopologyKind::Random { mean_degree } => Topology::random(nodes, mean_degree, seed),
        }
    }
}

/// Something that happens at a time: a user's input or a scheduled fault. The scenario keeps
/// them in the order they were made, which is also the order they take effect at equal times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// When.
    pub at: SimTime,
    /// What.
    pub kind: ActionKind,
}

/// What an [`Action`] does.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ActionKind {
    /// A client asks `node` to broadcast a new update.
    Broadcast {
        /// The node.
        node: NodeId,
        /// The update's id (0, 1, 2 … in order of broadcast).
        update: u32,
    },
    /// A fault verb.
    Fault(Fault),
    /// A user updates the replicated value at replica `node` (the CRDT lab).
    Update {
        /// The replica's node.
        node: NodeId,
        /// What the user does.
        update: Update,
    },
}

/// The network & broadcast lab's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BroadcastScenario {
    /// How many nodes.
    pub nodes: u32,
    /// Their topology.
    pub topology: TopologyKind,
    /// Every link's parameters.
    pub link: LinkParams,
    /// How updates spread.
    pub protocol: Protocol,
    /// Payload bytes per update.
    pub update_bytes: u32,
    /// Broadcasts and faults, in the order they were made.
    pub actions: Vec<Action>,
}

impl BroadcastScenario {
    /// The next unused update id.
    pub fn next_update(&self) -> u32 {
        self.actions
            .iter()
            .filter_map(|a| match a.kind {
                ActionKind::Broadcast { update, .. } => Some(update + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// One thing wrong with a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Which setting (`nodes`, `link.loss`, `actions[3]`, …).
    pub field: String,
    /// What is wrong and what to do, in words.
    pub message: String,
}

/// Every problem found in a scenario (never empty).
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The problems, in the order of the settings.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{}: {}", p.field, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Why a share link could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenError {
    /// The link itself is damaged, truncated, too large or from an unknown version.
    Link(LinkError),
    /// The link decoded, but its scenario is invalid (values out of range).
    Invalid(ScenarioError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Link(e) => write!(f, "{e}"),
            OpenError::Invalid(e) => {
                write!(f, "This link describes a scenario that cannot run: {e}.")
            }
        }
    }
}

impl std::error::Error for OpenError {}

/// A scenario opened from a link, with the moment to show, if the link named one.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenedLink {
    /// The scenario.
    pub scenario: Scenario,
    /// The moment to jump to.
    pub at: Option<SimTime>,
}

impl Scenario {
    /// Checks every setting against the limits, collecting all problems.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(Problem {
                field: field.into(),
                message,
            })
        };
        if !duration_in_range(self.duration) {
            problem(
                "duration",
                format!(
                    "must be above 0 ms and at most {} ms (one hour), but it is {} ms",
                    MAX_DURATION.as_millis_f64(),
                    self.duration.as_millis_f64()
                ),
            );
        }
        self.lab
            .as_lab()
            .add_problems(self.seed, self.duration, &mut problem);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError { problems })
        }
    }

    /// The kernel configuration for a broadcast scenario (faults are scheduled as actions).
    pub fn sim_config(&self, b: &BroadcastScenario) -> Result<SimConfig, ConfigError> {
        network_config(self.seed, b.nodes, &b.topology, &b.link)
    }

    /// The share-link fragment (without `#`), optionally naming a moment to open at. It ends
    /// with `&lab=<route>`, so even a damaged copy of the link opens in its lab.
    pub fn to_fragment(&self, at: Option<SimTime>) -> Result<String, LinkError> {
        let mut fragment = link::to_link(FORMAT_VERSION, self, at.map(|t| t.as_nanos()))?;
        fragment.push('&');
        fragment.push_str(link::LAB_KEY);
        fragment.push('=');
        fragment.push_str(self.lab.route());
        Ok(fragment)
    }

    /// Opens a share-link fragment (with or without `#`): decodes, checks the version and limits,
    /// and validates the scenario.
    pub fn from_fragment(fragment: &str) -> Result<OpenedLink, OpenError> {
        let contents =
            link::from_link::<Scenario>(fragment, SUPPORTED_VERSIONS, &LinkLimits::default())
                .map_err(OpenError::Link)?;
        contents.value.validate().map_err(OpenError::Invalid)?;
        if let Some(t) = contents.at_time_ns
            && t > contents.value.duration.as_nanos()
        {
            return Err(OpenError::Invalid(ScenarioError {
                problems: vec![Problem {
                    field: "t".into(),
                    message: format!(
                        "the moment {} is after the end of the run ({})",
                        SimTime(t),
                        contents.value.duration
                    ),
                }],
            }));
        }
        Ok(OpenedLink {
            scenario: contents.value,
            at: contents.at_time_ns.map(SimTime),
        })
    }
}

/// The kernel configuration for `nodes` nodes on `topology` with every link `link` (faults are
/// scheduled as actions).
pub(crate) fn network_config(
    seed: u64,
    nodes: u32,
    topology: &TopologyKind,
    link: &LinkParams,
) -> Result<SimConfig, ConfigError> {
    Ok(SimConfig::new(seed, topology.build(nodes, seed)?).with_default_link(link.clone()))
}

/// Checks a lab's node count (1 to `max_nodes`), topology and link parameters.
pub(crate) fn validate_network(
    nodes: u32,
    max_nodes: u32,
    topology: &TopologyKind,
    link: &LinkParams,
    problem: &mut impl FnMut(&str, String),
) {
    if nodes == 0 || nodes > max_nodes {
        problem(
            "nodes",
            format!("must be between 1 and {max_nodes}, but it is {nodes}"),
        );
    } else if let Err(e) = topology.check(nodes) {
        problem("topology", e.to_string());
    }
    if let Err(e) = link.validate() {
        problem("link", e.to_string());
    }
}

/// Whether a run may last `duration`: above zero, at most [`MAX_DURATION`].
pub fn duration_in_range(duration: SimDuration) -> bool {
    duration > SimDuration::ZERO && duration <= MAX_DURATION
}

/// `Ok` if `node` is one of `nodes`; else says what `verb` named.
pub(crate) fn node_in_range(node: NodeId, nodes: u32, verb: &str) -> Result<(), String> {
    match nodes {
        _ if node.0 < nodes => Ok(()),
        1 => Err(format!("{verb} {node}, but the only node is n0")),
        _ => Err(format!(
            "{verb} {node}, but the nodes are n0 to n{}",
            nodes.saturating_sub(1)
        )),
    }
}

/// Checks a lab's action list: its length, every time against the run's end, faults against
/// the nodes, and every other action by the lab's own rule `check`.
pub(crate) fn validate_actions(
    actions: &[Action],
    nodes: u32,
    duration: SimDuration,
    problem: &mut impl FnMut(&str, String),
    check: impl Fn(&ActionKind) -> Result<(), String>,
) {
    if actions.len() > MAX_ACTIONS {
        problem(
            "actions",
            format!(
                "at most {MAX_ACTIONS} actions are supported, this has {}",
                actions.len()
            ),
        );
        return;
    }
    // With no nodes or no valid duration, that field's own problem says what is wrong: the
    // actions are checked against the nodes and the end once those are valid, instead of
    // repeating one cause once per action.
    let check_nodes = nodes > 0;
    let check_times = duration_in_range(duration);
    for (i, a) in actions.iter().enumerate() {
        let field = format!("actions[{i}]");
        if check_times && a.at > SimTime::ZERO + duration {
            problem(
                &field,
                format!(
                    "happens at {} ms but the run ends at {} ms",
                    a.at.as_millis_f64(),
                    duration.as_millis_f64()
                ),
            );
        }
        if !check_nodes {
            continue;
        }
        if let ActionKind::Fault(f) = &a.kind
            && let Err(e) = f.validate(nodes)
        {
            problem(&field, e.to_string());
        }
        if let Err(message) = check(&a.kind) {
            problem(&field, message);
        }
    }
}

/// A named starting point in a lab's editor.
#[derive(Clone, Debug)]
pub struct Preset {
    /// Short name for the menu.
    pub name: &'static str,
    /// What it shows and what to try.
    pub description: &'static str,
    /// The scenario.
    pub scenario: Scenario,
}

fn broadcast_scenario(
    seed: u64,
    duration_ms: u64,
    nodes: u32,
    topology: TopologyKind,
    link: LinkParams,
    protocol: Protocol,
    actions: Vec<Action>,
) -> Scenario {
    Scenario {
        seed,
        duration: SimDuration::from_millis(duration_ms),
        lab: Lab::Broadcast(BroadcastScenario {
            nodes,
            topology,
            link,
            protocol,
            update_bytes: DEFAULT_UPDATE_BYTES,
            actions,
        }),
    }
}

fn broadcasts(times_ms: &[u64], node: u32) -> Vec<Action> {
    times_ms
        .iter()
        .enumerate()
        .map(|(i, &t)| Action {
            at: SimTime::from_millis(t),
            kind: ActionKind::Broadcast {
                node: NodeId(node),
                update: i as u32,
            },
        })
        .collect()
}

/// Push gossip as the 10,000-node preset uses it: fanout 3, 4 rounds, 20 ms apart.
pub const PRESET_PUSH: Protocol = Protocol::PushGossip {
    fanout: 3,
    rounds: 4,
    period: SimDuration::from_millis(20),
};
/// Push gossip thin enough to miss nodes, for the 200-node preset: fanout 2, 2 rounds, 20 ms
/// apart. At most 4 pushes per informed node, so on its random graph of mean degree 6 it sends
/// fewer messages than flooding (about 760 against 2L − (n − 1) = 1,001 per update) and misses
/// about 5 % of the nodes, which [`PRESET_PUSH`]'s 12 pushes per node would not (it reaches all
/// 200 and costs more than flooding there: 2,356 messages per update).
pub const PRESET_PUSH_SPARSE: Protocol = Protocol::PushGossip {
    fanout: 2,
    rounds: 2,
    period: SimDuration::from_millis(20),
};
/// Push-pull as the presets use it: one peer every 100 ms.
pub const PRESET_PUSH_PULL: Protocol = Protocol::PushPull {
    fanout: 1,
    period: SimDuration::from_millis(100),
};

/// The network & broadcast lab's presets; the first is the default scenario.
pub fn broadcast_presets() -> Vec<Preset> {
    let ten_ms = LinkParams::constant(SimDuration::from_millis(10));
    vec![
        Preset {
            name: "Flooding on a 5×5 grid",
            description: "Maelstrom's reference experiment, part one: 25 nodes, 10 ms links. Watch the wave of informed nodes spread from the corner; every node forwards to all its neighbours.",
            scenario: broadcast_scenario(
                1,
                1_000,
                25,
                TopologyKind::Grid,
                ten_ms.clone(),
                Protocol::Flood,
                broadcasts(&[0, 400], 0),
            ),
        },
        Preset {
            name: "Flooding on a line of 25",
            description: "Part two: the same 25 nodes in a line. Far fewer messages per broadcast, but the update needs 24 hops of 10 ms to reach the far end.",
            scenario: broadcast_scenario(
                1,
                1_000,
                25,
                TopologyKind::Line,
                ten_ms.clone(),
                Protocol::Flood,
                broadcasts(&[0, 400], 0),
            ),
        },
        Preset {
            name: "Push gossip, 200 nodes",
            description: "Each informed node pushes to 2 random neighbours per round for 2 rounds: at most 4 messages per node, whatever the graph. It sends about 760 messages per update and misses about 1 node in 20: look for the hollow ones. Switch the protocol to flooding and compare: 1,001 messages per update on this graph (2L − (n − 1)), and every node reached.",
            scenario: broadcast_scenario(
                7,
                2_000,
                200,
                TopologyKind::Random { mean_degree: 6.0 },
                LinkParams {
                    latency: LatencyModel::LogNormal {
                        median: SimDuration::from_millis(10),
                        sigma: 0.5,
                    },
                    ..LinkParams::default()
                },
                PRESET_PUSH_SPARSE,
                broadcasts(&[0, 500, 1000], 0),
            ),
        },
        Preset {
            name: "Partition, then heal (push-pull)",
            description: "A ring of 30 is split in half at 100 ms and healed at 1.5 s. The update cannot cross until the heal; then anti-entropy repairs the other half.",
            scenario: broadcast_scenario(
                3,
                3_000,
                30,
                TopologyKind::Ring,
                ten_ms.clone(),
                PRESET_PUSH_PULL,
                {
                    let mut a = vec![Action {
                        at: SimTime::from_millis(100),
                        kind: ActionKind::Fault(Fault::Split(vec![(0..15).map(NodeId).collect()])),
                    }];
                    a.push(Action {
                        at: SimTime::from_millis(200),
                        kind: ActionKind::Broadcast {
                            node: NodeId(0),
                            update: 0,
                        },
                    });
                    a.push(Action {
                        at: SimTime::from_millis(1_500),
                        kind: ActionKind::Fault(Fault::HealAll),
                    });
                    a
                },
            ),
        },
        Preset {
            name: "Lossy spanning tree",
            description: "63 nodes in a grid, links losing 10 % of messages. The spanning tree sends each update only along a breadth-first tree from node 0: at most 62 messages, the minimum, but one lost message cuts off the whole subtree below it, and the updates reach fewer than half of the nodes. Switch the protocol to flooding and compare the reach: flooding sends 158 messages per update, on every link, and routes around the losses to every node.",
            scenario: broadcast_scenario(
                5,
                1_000,
                63,
                // A grid, not a tree: on a tree topology the spanning tree is the whole graph, so
                // flooding would send the same messages on the same links and reach the same
                // nodes (issue 15). The grid's spare links are what flooding routes around on.
                TopologyKind::Grid,
                LinkParams {
                    loss: 0.1,
                    ..ten_ms.clone()
                },
                Protocol::Tree { root: NodeId(0) },
                broadcasts(&[0, 200, 400], 0),
            ),
        },
        Preset {
            name: "Crash a relay",
            description: "Node 12, the centre of the grid, crashes at 15 ms: flooding routes around it, but the crashed node never learns the update.",
            scenario: broadcast_scenario(
                1,
                1_000,
                25,
                TopologyKind::Grid,
                ten_ms.clone(),
                Protocol::Flood,
                {
                    let mut a = vec![Action {
                        at: SimTime::from_millis(15),
                        kind: ActionKind::Fault(Fault::Crash(NodeId(12))),
                    }];
                    a.extend(broadcasts(&[0], 0));
                    a
                },
            ),
        },
        Preset {
            name: "10,000 nodes, push gossip",
            description: "Too many to animate message by message: the view shows every node's colour and the curves. The tab stays responsive because the simulation runs in time-budgeted slices.",
            scenario: broadcast_scenario(
                11,
                2_000,
                10_000,
                TopologyKind::Random { mean_degree: 8.0 },
                LinkParams {
                    latency: LatencyModel::Uniform {
                        min: SimDuration::from_millis(5),
                        max: SimDuration::from_millis(25),
                    },
                    ..LinkParams::default()
                },
                PRESET_PUSH,
                broadcasts(&[0, 700], 0),
            ),
        },
    ]
}

/// The default scenario: the first preset.
pub fn default_scenario() -> Scenario {
    broadcast_presets().swap_remove(0).scenario
}
