//! The CRDT convergence lab's parameters: which replicated type, how the replicas synchronise,
//! the network between them, and every update users make; their validation and the lab's
//! presets.

use crate::scenario::{
    Action, ActionKind, Lab, MAX_DURATION, Preset, Scenario, ScenarioError, TopologyKind,
    node_in_range, validate_actions, validate_network,
};
use crdt::SyncMode;
use serde::{Deserialize, Serialize};
use sim::{Fault, LatencyModel, LinkParams, NodeId, RestartMode, SimDuration, SimTime};

/// Most replicas in a CRDT run. Every sample compares all replica states and the run keeps a
/// shadow run per other sync mode, so the lab stays at a size a page updates smoothly.
pub const MAX_CRDT_REPLICAS: u32 = 1_000;
/// Replicas up to which the page animates every message and shows a panel per replica; above
/// it shows aggregates (the "2 to 50 animated").
pub const MAX_ANIMATED_REPLICAS: u32 = 50;
/// Longest element, key, value or register text, in characters.
pub const MAX_ELEMENT_CHARS: usize = 32;
/// Most characters typed in one text update.
pub const MAX_TYPED_CHARS: usize = 200;
/// Largest step of one counter update (either sign).
pub const MAX_COUNTER_STEP: i64 = 1_000_000_000;
/// Shortest sync interval: 1 ms (shorter ones flood the run with rounds and say nothing new).
pub const MIN_SYNC_INTERVAL: SimDuration = SimDuration::from_millis(1);
/// Most peers contacted per sync round.
pub const MAX_FANOUT: u32 = 64;
/// Most crashes of one replica in a run: a replica restarted with its state lost takes the id
/// of its incarnation, and 4,095 incarnations fit in a replica id (`crdt::REPLICA_NODE_BITS`).
pub const MAX_CRASHES_PER_REPLICA: usize = 4_095;

/// The replicated data types the lab offers, and two deliberately naive non-CRDTs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CrdtType {
    /// Grow-only counter.
    GCounter,
    /// Counter that goes up and down.
    PnCounter,
    /// Last-writer-wins register (hybrid timestamps).
    LwwRegister,
    /// Multi-value register: concurrent writes are all kept.
    MvRegister,
    /// Grow-only set.
    GSet,
    /// Two-phase set: remove once, for ever.
    TwoPSet,
    /// Observed-remove set, add wins.
    OrSet,
    /// Map of last-writer-wins registers.
    LwwMap,
    /// Collaborative text (YATA).
    Text,
    /// Not a CRDT: a counter replicated by "the last message received wins".
    NaiveCounter,
    /// Not a CRDT: a register replicated by "the last message received wins".
    NaiveRegister,
}

/// What kind of value a type holds, which decides the updates it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// A number: add to it.
    Counter,
    /// A single value: write it.
    Register,
    /// A set: add and remove elements.
    Set,
    /// A map: put and remove keys.
    Map,
    /// A text: type and delete characters.
    Text,
}

impl CrdtType {
    /// Every type, in menu order.
    pub const ALL: [CrdtType; 11] = [
        CrdtType::GCounter,
        CrdtType::PnCounter,
        CrdtType::LwwRegister,
        CrdtType::MvRegister,
        CrdtType::GSet,
        CrdtType::TwoPSet,
        CrdtType::OrSet,
        CrdtType::LwwMap,
        CrdtType::Text,
        CrdtType::NaiveCounter,
        CrdtType::NaiveRegister,
    ];

    /// The type's name as the lab shows it.
    pub fn name(self) -> &'static str {
        match self {
            CrdtType::GCounter => "G-Counter",
            CrdtType::PnCounter => "PN-Counter",
            CrdtType::LwwRegister => "LWW-Register",
            CrdtType::MvRegister => "MV-Register",
            CrdtType::GSet => "G-Set",
            CrdtType::TwoPSet => "2P-Set",
            CrdtType::OrSet => "OR-Set",
            CrdtType::LwwMap => "LWW-Map",
            CrdtType::Text => "Text (YATA)",
            CrdtType::NaiveCounter => "Naive counter (not a CRDT)",
            CrdtType::NaiveRegister => "Naive register (not a CRDT)",
        }
    }

    /// A stable lower-case key for forms and tests (`or-set`).
    pub fn key(self) -> &'static str {
        match self {
            CrdtType::GCounter => "g-counter",
            CrdtType::PnCounter => "pn-counter",
            CrdtType::LwwRegister => "lww-register",
            CrdtType::MvRegister => "mv-register",
            CrdtType::GSet => "g-set",
            CrdtType::TwoPSet => "2p-set",
            CrdtType::OrSet => "or-set",
            CrdtType::LwwMap => "lww-map",
            CrdtType::Text => "text",
            CrdtType::NaiveCounter => "naive-counter",
            CrdtType::NaiveRegister => "naive-register",
        }
    }

    /// The type with this [`CrdtType::key`].
    pub fn from_key(key: &str) -> Option<CrdtType> {
        CrdtType::ALL.into_iter().find(|t| t.key() == key)
    }

    /// What kind of value it holds.
    pub fn value_kind(self) -> ValueKind {
        match self {
            CrdtType::GCounter | CrdtType::PnCounter | CrdtType::NaiveCounter => ValueKind::Counter,
            CrdtType::LwwRegister | CrdtType::MvRegister | CrdtType::NaiveRegister => {
                ValueKind::Register
            }
            CrdtType::GSet | CrdtType::TwoPSet | CrdtType::OrSet => ValueKind::Set,
            CrdtType::LwwMap => ValueKind::Map,
            CrdtType::Text => ValueKind::Text,
        }
    }

    /// Whether this is one of the naive non-CRDTs.
    pub fn is_naive(self) -> bool {
        matches!(self, CrdtType::NaiveCounter | CrdtType::NaiveRegister)
    }

    /// The naive type a run of this type is shadowed by, to show what goes wrong without a
    /// CRDT (counters and registers; sets, maps and text have no naive twin in the lab).
    pub fn naive_counterpart(self) -> Option<CrdtType> {
        match self {
            CrdtType::GCounter | CrdtType::PnCounter => Some(CrdtType::NaiveCounter),
            CrdtType::LwwRegister | CrdtType::MvRegister => Some(CrdtType::NaiveRegister),
            _ => None,
        }
    }

    /// Whether the type takes `update`; if not, says why in words.
    pub fn check(self, update: &Update) -> Result<(), String> {
        let fits = matches!(
            (self.value_kind(), update),
            (ValueKind::Counter, Update::Add(_))
                | (ValueKind::Register, Update::Write(_))
                | (ValueKind::Set, Update::Insert(_))
                | (ValueKind::Map, Update::Put { .. })
                | (ValueKind::Map, Update::Remove(_))
                | (ValueKind::Text, Update::Type { .. })
                | (ValueKind::Text, Update::Erase { .. })
        ) || (matches!(self, CrdtType::TwoPSet | CrdtType::OrSet)
            && matches!(update, Update::Remove(_)));
        if !fits {
            return Err(format!(
                "“{}” is not an update a {} takes",
                update.describe(),
                self.name()
            ));
        }
        let element_ok = |s: &str, what: &str| {
            let chars = s.chars().count();
            if chars == 0 || chars > MAX_ELEMENT_CHARS {
                Err(format!(
                    "the {what} must have 1 to {MAX_ELEMENT_CHARS} characters, but it has {chars}"
                ))
            } else {
                Ok(())
            }
        };
        match update {
            Update::Add(by) => {
                if *by == 0 || by.unsigned_abs() > MAX_COUNTER_STEP as u64 {
                    Err(format!(
                        "a counter step must be non-zero and at most {MAX_COUNTER_STEP} either way, but it is {by}"
                    ))
                } else if *by < 0 && self == CrdtType::GCounter {
                    Err(format!(
                        "a G-Counter only grows, so it cannot add {by}; use a PN-Counter to subtract"
                    ))
                } else {
                    Ok(())
                }
            }
            Update::Write(v) => element_ok(v, "value"),
            Update::Insert(e) => element_ok(e, "element"),
            Update::Remove(e) => element_ok(e, "element"),
            Update::Put { key, value } => {
                element_ok(key, "key")?;
                element_ok(value, "value")
            }
            Update::Type { text, .. } => {
                let chars = text.chars().count();
                if chars == 0 || chars > MAX_TYPED_CHARS {
                    Err(format!(
                        "one update types 1 to {MAX_TYPED_CHARS} characters, but this types {chars}"
                    ))
                } else {
                    Ok(())
                }
            }
            Update::Erase { len, .. } => {
                if *len == 0 || *len as usize > MAX_TYPED_CHARS {
                    Err(format!(
                        "one update deletes 1 to {MAX_TYPED_CHARS} characters, but this deletes {len}"
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// Something a user does to one replica's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Update {
    /// Add to a counter (negative: subtract, PN-Counter and naive counter only).
    Add(i64),
    /// Write a register.
    Write(String),
    /// Add an element to a set.
    Insert(String),
    /// Remove an element from a set, or a key from a map.
    Remove(String),
    /// Set a map's key to a value.
    Put {
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// Type `text` at character position `pos` (past the end: at the end).
    Type {
        /// Character position.
        pos: u32,
        /// What to type.
        text: String,
    },
    /// Delete `len` characters from position `pos` (as many as there are).
    Erase {
        /// Character position.
        pos: u32,
        /// How many characters.
        len: u32,
    },
}

impl Update {
    /// A short English description (`add 2`, `insert "milk"`, `type "hi" at 3`).
    pub fn describe(&self) -> String {
        match self {
            Update::Add(by) if *by < 0 => format!("subtract {}", by.unsigned_abs()),
            Update::Add(by) => format!("add {by}"),
            Update::Write(v) => format!("write “{v}”"),
            Update::Insert(e) => format!("add “{e}”"),
            Update::Remove(e) => format!("remove “{e}”"),
            Update::Put { key, value } => format!("put {key} = “{value}”"),
            Update::Type { pos, text } => format!("type “{text}” at {pos}"),
            Update::Erase { pos, len } => format!("delete {len} at {pos}"),
        }
    }
}

/// The CRDT lab's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrdtScenario {
    /// How many replicas (one per node).
    pub replicas: u32,
    /// Who talks to whom.
    pub topology: TopologyKind,
    /// Every link's parameters.
    pub link: LinkParams,
    /// The replicated type.
    pub data_type: CrdtType,
    /// How replicas synchronise (interval and fanout included).
    pub sync: SyncMode,
    /// Updates and faults, in the order they were made.
    pub actions: Vec<Action>,
}

impl crate::lab_scenario::LabScenario for CrdtScenario {
    fn route(&self) -> &'static str {
        "crdt"
    }

    fn add_problems(
        &self,
        seed: u64,
        duration: SimDuration,
        problem: &mut dyn FnMut(&str, String),
    ) {
        self.validate(seed, duration, &mut &mut *problem);
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
        self.replicas
    }

    fn fork_menu(&self) -> Vec<crate::fork::ChangeKind> {
        std::iter::once(crate::fork::ChangeKind::SyncMode)
            .chain(crate::fork::NETWORK_CHANGES)
            .collect()
    }

    fn suggest(&self, kind: crate::fork::ChangeKind) -> Option<String> {
        use crate::fork::ChangeKind;
        let (interval, fanout) = sync_interval_and_fanout(&self.sync);
        match kind {
            ChangeKind::SyncMode => Some(
                match self.sync {
                    SyncMode::Delta { .. } => "state",
                    _ => "delta",
                }
                .to_owned(),
            ),
            ChangeKind::Fanout => Some((fanout + 1).to_string()),
            ChangeKind::Interval => Some(crate::fork::millis_text(SimDuration(2 * interval.0))),
            _ => None,
        }
    }

    fn lab_change(
        &self,
        kind: crate::fork::ChangeKind,
        value: &str,
    ) -> Option<Result<crate::fork::Change, String>> {
        use crate::fork::{Change, ChangeKind, SYNC_CHOICES};
        let (interval, fanout) = sync_interval_and_fanout(&self.sync);
        Some(match kind {
            ChangeKind::SyncMode => SYNC_CHOICES
                .iter()
                .position(|(v, _)| *v == value)
                .map(|i| Change::Sync(all_modes(interval, fanout)[i]))
                .ok_or_else(|| "Pick a sync mode from the list.".to_owned()),
            ChangeKind::Fanout => crate::scenario::fanout_change(value)
                .map(|fanout| Change::Sync(with_interval_and_fanout(&self.sync, interval, fanout))),
            ChangeKind::Interval => {
                crate::fork::non_negative(value, "the interval in milliseconds").map(|ms| {
                    let interval = crate::fork::millis(ms);
                    Change::Sync(with_interval_and_fanout(&self.sync, interval, fanout))
                })
            }
            _ => return None,
        })
    }

    fn apply(&mut self, change: &crate::fork::Change) -> Option<Result<(), ScenarioError>> {
        match change {
            crate::fork::Change::Sync(mode) => {
                self.sync = *mode;
                Some(Ok(()))
            }
            _ => None,
        }
    }
}

/// The same sync mode with another interval and fanout.
fn with_interval_and_fanout(mode: &SyncMode, interval: SimDuration, fanout: u32) -> SyncMode {
    match mode {
        SyncMode::State { .. } => SyncMode::State { interval, fanout },
        SyncMode::Op { .. } => SyncMode::Op { interval, fanout },
        SyncMode::Delta { .. } => SyncMode::Delta { interval, fanout },
    }
}

/// The interval and fanout of a sync mode.
pub fn sync_interval_and_fanout(mode: &SyncMode) -> (SimDuration, u32) {
    match *mode {
        SyncMode::State { interval, fanout }
        | SyncMode::Op { interval, fanout }
        | SyncMode::Delta { interval, fanout } => (interval, fanout),
    }
}

/// The three sync modes with the same interval and fanout, in menu order (state, op, delta).
pub fn all_modes(interval: SimDuration, fanout: u32) -> [SyncMode; 3] {
    [
        SyncMode::State { interval, fanout },
        SyncMode::Op { interval, fanout },
        SyncMode::Delta { interval, fanout },
    ]
}

impl CrdtScenario {
    /// Adds every problem with these parameters to `problem`.
    pub(crate) fn validate(
        &self,
        _seed: u64,
        duration: SimDuration,
        problem: &mut impl FnMut(&str, String),
    ) {
        validate_network(
            self.replicas,
            MAX_CRDT_REPLICAS,
            &self.topology,
            &self.link,
            problem,
        );
        let (interval, fanout) = sync_interval_and_fanout(&self.sync);
        if interval < MIN_SYNC_INTERVAL || interval > MAX_DURATION {
            problem(
                "sync.interval",
                format!(
                    "must be between {MIN_SYNC_INTERVAL} and {MAX_DURATION}, but it is {interval}"
                ),
            );
        }
        if fanout == 0 || fanout > MAX_FANOUT {
            problem(
                "sync.fanout",
                format!("must be between 1 and {MAX_FANOUT}, but it is {fanout}"),
            );
        }
        let data_type = self.data_type;
        let replicas = self.replicas;
        validate_actions(
            &self.actions,
            replicas,
            duration,
            problem,
            |kind| match kind {
                ActionKind::Update { node, update } => {
                    node_in_range(*node, replicas, "updates replica")?;
                    data_type.check(update)
                }
                ActionKind::Broadcast { .. } => {
                    Err("is a broadcast, but this lab takes replica updates and faults".into())
                }
                ActionKind::Fault(_) => Ok(()),
            },
        );
        let mut crashes = std::collections::BTreeMap::<NodeId, usize>::new();
        for a in &self.actions {
            if let ActionKind::Fault(Fault::Crash(n) | Fault::Restart { node: n, .. }) = a.kind {
                *crashes.entry(n).or_default() += 1;
            }
        }
        if let Some((node, n)) = crashes
            .into_iter()
            .find(|&(_, n)| n > MAX_CRASHES_PER_REPLICA)
        {
            problem(
                "actions",
                format!(
                    "{node} crashes or restarts {n} times; at most {MAX_CRASHES_PER_REPLICA} are supported"
                ),
            );
        }
    }
}

/// A preset's scenario, argument by argument so each preset reads as a table row.
#[allow(clippy::too_many_arguments)]
fn crdt_scenario(
    seed: u64,
    duration_ms: u64,
    replicas: u32,
    topology: TopologyKind,
    link: LinkParams,
    data_type: CrdtType,
    sync: SyncMode,
    actions: Vec<Action>,
) -> Scenario {
    Scenario {
        seed,
        duration: SimDuration::from_millis(duration_ms),
        lab: Lab::Crdt(CrdtScenario {
            replicas,
            topology,
            link,
            data_type,
            sync,
            actions,
        }),
    }
}

/// An update of replica `node` at `at_ms`.
fn update(at_ms: u64, node: u32, update: Update) -> Action {
    Action {
        at: SimTime::from_millis(at_ms),
        kind: ActionKind::Update {
            node: NodeId(node),
            update,
        },
    }
}

/// A fault at `at_ms`.
fn fault(at_ms: u64, fault: Fault) -> Action {
    Action {
        at: SimTime::from_millis(at_ms),
        kind: ActionKind::Fault(fault),
    }
}

fn word(w: &str) -> String {
    w.to_string()
}

/// The CRDT lab's presets; the first is the lab's default scenario.
pub fn crdt_presets() -> Vec<Preset> {
    let ms = SimDuration::from_millis;
    // 20 ms one-way: a metro-area round trip (the Maelstrom default of 10 ms is a LAN).
    let metro = LinkParams::constant(ms(20));
    vec![
        Preset {
            name: "Concurrent add and remove",
            description: "Five replicas of an OR-Set. Replica 0 adds “milk”; once everyone has it, replica 1 removes it while replica 2 adds it again at the same moment. Add wins: every replica ends with milk, because the remove only cancels the adds it had seen.",
            scenario: crdt_scenario(
                1,
                4_000,
                5,
                TopologyKind::Complete,
                metro.clone(),
                CrdtType::OrSet,
                SyncMode::Delta {
                    interval: ms(200),
                    fanout: 2,
                },
                vec![
                    update(100, 0, Update::Insert(word("milk"))),
                    update(300, 3, Update::Insert(word("eggs"))),
                    update(1_500, 1, Update::Remove(word("milk"))),
                    update(1_500, 2, Update::Insert(word("milk"))),
                    update(2_500, 4, Update::Remove(word("eggs"))),
                ],
            ),
        },
        Preset {
            name: "Partition, then heal",
            description: "Eight replicas of a PN-Counter in a ring, split in two halves at 0.5 s. Both halves keep counting; two states exist until the heal at 3 s, then full-state anti-entropy merges them and nothing is lost.",
            scenario: crdt_scenario(
                2,
                6_000,
                8,
                TopologyKind::Ring,
                metro.clone(),
                CrdtType::PnCounter,
                SyncMode::State {
                    interval: ms(250),
                    fanout: 2,
                },
                {
                    let mut a = vec![fault(500, Fault::Split(vec![(0..4).map(NodeId).collect()]))];
                    for i in 0..8u32 {
                        let by = if i % 3 == 2 { -1 } else { 1 + i as i64 % 3 };
                        a.push(update(600 + 150 * i as u64, i, Update::Add(by)));
                    }
                    a.push(fault(3_000, Fault::HealAll));
                    a
                },
            ),
        },
        Preset {
            name: "Lossy network",
            description: "Ten replicas of an OR-Set exchange operations by causal broadcast over links that lose 30 % of messages. Operations arrive before the ones they depend on and wait in the buffer; the periodic repair (a vector digest, answered with what is missing) delivers the rest.",
            scenario: crdt_scenario(
                3,
                6_000,
                10,
                TopologyKind::Random { mean_degree: 3.0 },
                LinkParams {
                    loss: 0.3,
                    latency: LatencyModel::Uniform {
                        min: ms(5),
                        max: ms(60),
                    },
                    ..LinkParams::default()
                },
                CrdtType::OrSet,
                SyncMode::Op {
                    interval: ms(300),
                    fanout: 1,
                },
                {
                    const WORDS: [&str; 6] = ["milk", "eggs", "bread", "tea", "rice", "figs"];
                    let mut a = Vec::new();
                    for i in 0..24u32 {
                        let w = word(WORDS[(i as usize * 7) % WORDS.len()]);
                        let u = if i % 4 == 3 {
                            Update::Remove(w)
                        } else {
                            Update::Insert(w)
                        };
                        a.push(update(100 + 100 * i as u64, (i * 3) % 10, u));
                    }
                    a
                },
            ),
        },
        Preset {
            name: "Collaborative text",
            description: "Three people edit one text. Replica 0 types “Hello”, replica 1 adds “ world”; then replicas 0 and 2 both type at the end at the same moment. YATA orders the concurrent insertions the same way everywhere, so all three texts end identical.",
            scenario: crdt_scenario(
                4,
                4_000,
                3,
                TopologyKind::Complete,
                LinkParams::constant(ms(50)),
                CrdtType::Text,
                SyncMode::Delta {
                    interval: ms(150),
                    fanout: 2,
                },
                vec![
                    update(
                        100,
                        0,
                        Update::Type {
                            pos: 0,
                            text: word("Hello"),
                        },
                    ),
                    update(
                        800,
                        1,
                        Update::Type {
                            pos: 5,
                            text: word(" world"),
                        },
                    ),
                    update(
                        1_600,
                        0,
                        Update::Type {
                            pos: 11,
                            text: word("!"),
                        },
                    ),
                    update(
                        1_600,
                        2,
                        Update::Type {
                            pos: 11,
                            text: word("?"),
                        },
                    ),
                    update(2_400, 1, Update::Erase { pos: 0, len: 1 }),
                    update(
                        2_400,
                        1,
                        Update::Type {
                            pos: 0,
                            text: word("J"),
                        },
                    ),
                ],
            ),
        },
        Preset {
            name: "Last message wins (naive)",
            description: "A plain counter replicated by shipping its value, the last message received winning. Five replicas count concurrently; the replicas end disagreeing, or agreeing on a number below the true total: increments are lost. Switch the type to a G-Counter and compare.",
            scenario: crdt_scenario(
                5,
                4_000,
                5,
                TopologyKind::Complete,
                metro.clone(),
                CrdtType::NaiveCounter,
                SyncMode::State {
                    interval: ms(300),
                    fanout: 2,
                },
                (0..10u32)
                    .map(|i| update(100 + 150 * i as u64, i % 5, Update::Add(1 + i as i64 % 2)))
                    .collect(),
            ),
        },
        Preset {
            name: "LWW and a slow clock",
            description: "Replica 1's clock runs 2 s behind. It writes “late” 10 ms after replica 0 wrote “early”, before hearing of it, yet “early” wins everywhere: last-writer-wins trusts timestamps, not real time. (Had replica 1 seen “early” first, its hybrid clock would have stamped “late” later.) An MV-Register would keep both.",
            scenario: crdt_scenario(
                6,
                4_000,
                4,
                TopologyKind::Complete,
                metro.clone(),
                CrdtType::LwwRegister,
                SyncMode::Delta {
                    interval: ms(200),
                    fanout: 2,
                },
                vec![
                    fault(
                        0,
                        Fault::ClockStep {
                            node: NodeId(1),
                            by_ns: -2_000_000_000,
                        },
                    ),
                    update(500, 0, Update::Write(word("early"))),
                    update(510, 1, Update::Write(word("late"))),
                ],
            ),
        },
        Preset {
            name: "Crash and forget",
            description: "Replica 2 of a G-Counter crashes at 1 s and restarts at 1.5 s with its state lost. It comes back under a new replica id (r2#1), so its new increments are not confused with its old ones, and the others hand back what it forgot.",
            scenario: crdt_scenario(
                7,
                4_000,
                4,
                TopologyKind::Complete,
                metro.clone(),
                CrdtType::GCounter,
                SyncMode::Delta {
                    interval: ms(200),
                    fanout: 2,
                },
                vec![
                    update(100, 2, Update::Add(5)),
                    update(300, 0, Update::Add(1)),
                    fault(1_000, Fault::Crash(NodeId(2))),
                    fault(
                        1_500,
                        Fault::Restart {
                            node: NodeId(2),
                            mode: RestartMode::Volatile,
                        },
                    ),
                    update(2_000, 2, Update::Add(2)),
                ],
            ),
        },
        Preset {
            name: "1,000 replicas",
            description: "A G-Counter on 1,000 replicas with gossip by deltas: too many to draw one by one, so the view shows how many distinct states remain and how fast they collapse into one.",
            scenario: crdt_scenario(
                8,
                5_000,
                1_000,
                TopologyKind::Random { mean_degree: 6.0 },
                metro,
                CrdtType::GCounter,
                SyncMode::Delta {
                    interval: ms(250),
                    fanout: 2,
                },
                (0..20u32)
                    .map(|i| update(100 + 50 * i as u64, (i * 211) % 1_000, Update::Add(1)))
                    .collect(),
            ),
        },
    ]
}

/// The CRDT lab's default scenario: its first preset.
pub fn default_crdt_scenario() -> Scenario {
    crdt_presets().swap_remove(0).scenario
}
