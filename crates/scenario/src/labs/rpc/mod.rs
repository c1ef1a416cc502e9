//! The remote-calls lab ("Remote calls", route `rpc`): what a remote procedure call promises
//! when requests and replies are lost and servers crash. Its parameters ([`RpcScenario`]),
//! their validation, presets and fork menu live here; its live run is [`RpcRun`] (`run.rs`).
//!
//! The models are the `rpc` crate's: clients calling "deposit 1" on one server at Poisson
//! arrivals, with at-most-once, at-least-once or exactly-once-by-deduplication semantics.

mod run;
#[cfg(test)]
mod tests;

pub use rpc::config::{MAX_ATTEMPTS, MAX_CALL_RATE, MAX_CLIENTS, MAX_DELAY, MIN_TIMEOUT};
pub use rpc::{CacheDurability, RpcReport, Semantics};
pub use run::{RpcRun, RpcSample, look, run_rpc};

use crate::fork::{Change, ChangeKind};
use crate::lab_scenario::{LabScenario, VariantMenu};
use crate::scenario::{Action, ActionKind, Lab, Preset, Scenario, ScenarioError, validate_actions};
use rpc::RpcConfig;
use rpc::config::{
    DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP, DEFAULT_CALL_RATE, DEFAULT_CLIENTS,
    DEFAULT_MAX_ATTEMPTS, DEFAULT_PROCESSING, DEFAULT_TIMEOUT,
};
use rpc::node::INCARNATIONS;
use serde::{Deserialize, Serialize};
use sim::{Fault, LinkParams, NodeId, RestartMode, SimDuration, SimTime};

/// Most calls a run may be expected to make (clients × call rate × duration): the run keeps a
/// small record of every call, and the page must stay responsive.
pub const MAX_EXPECTED_CALLS: f64 = 100_000.0;

/// The remote-calls lab's parameters: the calls (as `rpc::RpcConfig`), the shared network's
/// links and the action log (faults: crash and restart the server or a client, partitions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RpcScenario {
    /// Clients, nodes 1 to `clients` (the server is node 0).
    pub clients: u32,
    /// Mean calls per second of each client (Poisson arrivals).
    pub call_rate: f64,
    /// What clients and server promise.
    pub semantics: Semantics,
    /// How long a client waits for the reply to one attempt.
    pub timeout: SimDuration,
    /// Most attempts per call, the first included (at-most-once makes one).
    pub max_attempts: u32,
    /// Backoff base: the longest sleep before the first retry (full jitter).
    pub backoff_base: SimDuration,
    /// Backoff cap: the longest sleep before any retry.
    pub backoff_cap: SimDuration,
    /// The server's processing time per executed request.
    pub processing: SimDuration,
    /// Whether the server's reply cache survives a crash.
    pub reply_cache: CacheDurability,
    /// Every link's parameters.
    pub link: LinkParams,
    /// Faults, in the order they were made.
    pub actions: Vec<Action>,
}

impl Default for RpcScenario {
    /// The `rpc` crate's defaults (each with its source there) on the kernel's default link
    /// (10 ms, no loss), at-least-once, no faults.
    fn default() -> Self {
        RpcScenario {
            clients: DEFAULT_CLIENTS,
            call_rate: DEFAULT_CALL_RATE,
            semantics: Semantics::AtLeastOnce,
            timeout: DEFAULT_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_cap: DEFAULT_BACKOFF_CAP,
            processing: DEFAULT_PROCESSING,
            reply_cache: CacheDurability::Durable,
            link: LinkParams::default(),
            actions: Vec::new(),
        }
    }
}

impl RpcScenario {
    /// The models' configuration.
    pub fn config(&self) -> RpcConfig {
        RpcConfig {
            clients: self.clients,
            call_rate: self.call_rate,
            semantics: self.semantics,
            timeout: self.timeout,
            max_attempts: self.max_attempts,
            backoff_base: self.backoff_base,
            backoff_cap: self.backoff_cap,
            processing: self.processing,
            reply_cache: self.reply_cache,
        }
    }

    /// Nodes in the run: the server and the clients.
    pub fn nodes(&self) -> u32 {
        self.clients.saturating_add(1)
    }
}

/// The fork's menu of call semantics: (key, name).
pub const SEMANTICS_CHOICES: [(&str, &str); 3] = [
    (Semantics::AtMostOnce.key(), Semantics::AtMostOnce.name()),
    (Semantics::AtLeastOnce.key(), Semantics::AtLeastOnce.name()),
    (Semantics::ExactlyOnce.key(), Semantics::ExactlyOnce.name()),
];

impl LabScenario for RpcScenario {
    fn route(&self) -> &'static str {
        "rpc"
    }

    fn add_problems(
        &self,
        _seed: u64,
        duration: SimDuration,
        problem: &mut dyn FnMut(&str, String),
    ) {
        let mut problem = &mut *problem;
        for (field, message) in self.config().problems() {
            problem(&field, message);
        }
        if let Err(e) = self.link.validate() {
            problem("link", e.to_string());
        }
        let expected = f64::from(self.clients) * self.call_rate * duration.as_secs_f64();
        if expected.is_finite() && expected > MAX_EXPECTED_CALLS {
            problem(
                "call_rate",
                format!(
                    "{} clients at {} calls per second for {} s would make about {} calls; the \
                     lab allows at most {}: use fewer clients, a lower rate or a shorter run",
                    self.clients,
                    self.call_rate,
                    duration.as_secs_f64(),
                    expected.round(),
                    MAX_EXPECTED_CALLS
                ),
            );
        }
        let nodes = if self.clients == 0 { 0 } else { self.nodes() };
        validate_actions(
            &self.actions,
            nodes,
            duration,
            &mut problem,
            |kind| match kind {
                ActionKind::Fault(_) => Ok(()),
                ActionKind::Broadcast { .. } => Err(
                    "is a broadcast, but this lab takes faults only (its clients make their \
                     own calls)"
                        .into(),
                ),
                ActionKind::Update { .. } => Err(
                    "is a replicated-data update, but this lab takes faults only (its clients \
                     make their own calls)"
                        .into(),
                ),
            },
        );
        // Call ids tell a node's lives apart by its crash count modulo 4,096.
        let mut crashes = std::collections::BTreeMap::<NodeId, u32>::new();
        for a in &self.actions {
            if let ActionKind::Fault(Fault::Crash(n) | Fault::Restart { node: n, .. }) = &a.kind {
                *crashes.entry(*n).or_default() += 1;
            }
        }
        for (node, count) in crashes {
            if count >= INCARNATIONS {
                problem(
                    "actions",
                    format!(
                        "{node} crashes or restarts {count} times; the lab allows at most {}",
                        INCARNATIONS - 1
                    ),
                );
            }
        }
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
        self.nodes()
    }

    /// Another call semantics, then the shared network's kinds (no fanout or interval: calls
    /// have no rounds).
    fn fork_menu(&self) -> Vec<ChangeKind> {
        vec![
            ChangeKind::Variant,
            ChangeKind::Loss,
            ChangeKind::Latency,
            ChangeKind::Seed,
            ChangeKind::Crash,
            ChangeKind::Split,
        ]
    }

    fn variant_menu(&self) -> Option<VariantMenu> {
        Some(VariantMenu {
            label: "Another call semantics",
            value_label: "Semantics in the fork",
            what: "semantics",
            choices: &SEMANTICS_CHOICES,
            current: self.semantics.key(),
        })
    }

    /// At-least-once forks to exactly-once (does the cache stop the double deposits?);
    /// every other semantics to at-least-once.
    fn suggest(&self, kind: ChangeKind) -> Option<String> {
        match kind {
            ChangeKind::Variant => Some(
                match self.semantics {
                    Semantics::AtLeastOnce => Semantics::ExactlyOnce,
                    _ => Semantics::AtLeastOnce,
                }
                .key()
                .to_owned(),
            ),
            _ => None,
        }
    }

    fn apply(&mut self, change: &Change) -> Option<Result<(), ScenarioError>> {
        match change {
            Change::Variant(key) => Some(match Semantics::from_key(key) {
                Some(s) => {
                    self.semantics = s;
                    Ok(())
                }
                None => Err(crate::fork::problem(
                    "change",
                    format!("there is no call semantics \"{key}\""),
                )),
            }),
            _ => None,
        }
    }
}

/// The remote-calls scenario inside `scenario`, if it is one.
pub fn rpc_of(scenario: &Scenario) -> Option<&RpcScenario> {
    match &scenario.lab {
        Lab::Rpc(r) => Some(r),
        _ => None,
    }
}

/// The loss of the lossy presets: 10 % of messages, each way.
pub const PRESET_LOSS: f64 = 0.1;

fn scenario(seed: u64, secs: u64, rpc: RpcScenario) -> Scenario {
    Scenario {
        seed,
        duration: SimDuration::from_secs(secs),
        lab: Lab::Rpc(rpc),
    }
}

fn lossy(semantics: Semantics) -> RpcScenario {
    RpcScenario {
        semantics,
        link: LinkParams {
            loss: PRESET_LOSS,
            ..LinkParams::default()
        },
        ..RpcScenario::default()
    }
}

/// The server crash preset's faults: the server crashes at 2, 4, 6 and 8 s and comes back
/// 100 ms later with its disk (a durable restart: the balance survives, a volatile reply cache
/// does not).
pub fn server_crashes() -> Vec<Action> {
    let mut out = Vec::new();
    for s in [2_000, 4_000, 6_000, 8_000] {
        out.push(Action {
            at: SimTime::from_millis(s),
            kind: ActionKind::Fault(Fault::Crash(rpc::SERVER)),
        });
        out.push(Action {
            at: SimTime::from_millis(s + 100),
            kind: ActionKind::Fault(Fault::Restart {
                node: rpc::SERVER,
                mode: RestartMode::Durable,
            }),
        });
    }
    out
}

/// The remote-calls lab's presets; the first is the default scenario.
pub fn rpc_presets() -> Vec<Preset> {
    vec![
        Preset {
            name: "Lossless: every call once",
            description: "Four clients deposit 1 at random moments, about 20 calls a second \
                          in all, over 10 ms links that lose nothing. Every call is executed \
                          exactly once and answered in 25 ms (two 10 ms trips and 5 ms of \
                          work): the balance equals the deposits the clients believe they made. \
                          Fork with 10 % loss and compare: retries, and deposits made twice.",
            scenario: scenario(1, 10, RpcScenario::default()),
        },
        Preset {
            name: "Lossy link, at-least-once: double deposits",
            description: "The links lose 10 % of messages. A client that hears nothing within \
                          100 ms sends the call again, after a random backoff. When it was the \
                          reply that was lost, the server deposits a second time: the balance \
                          ends above what the clients believe. Fork with exactly-once and \
                          compare the duplicate executions.",
            scenario: scenario(1, 10, lossy(Semantics::AtLeastOnce)),
        },
        Preset {
            name: "At-most-once: unknown outcomes",
            description: "The same lossy links, but clients never retry: no call is ever \
                          executed twice, and every call whose request or reply was lost ends \
                          with an unknown outcome. Some of those were executed (the reply was \
                          lost) and some never were (the request was lost); the client cannot \
                          tell which.",
            scenario: scenario(1, 10, lossy(Semantics::AtMostOnce)),
        },
        Preset {
            name: "Exactly-once with a reply cache",
            description: "Clients retry as in at-least-once, and the server keeps a reply \
                          cache keyed by client and call id: a retried request gets the cached \
                          reply without a second deposit. No duplicate executions, and almost \
                          every call completes.",
            scenario: scenario(1, 10, lossy(Semantics::ExactlyOnce)),
        },
        Preset {
            name: "Server crash loses the reply cache",
            description: "Exactly-once on the lossy links, with 8 clients at 10 calls a second \
                          each, but the reply cache lives in memory only, and the server \
                          crashes four times (at 2, 4, 6 and 8 s, back 100 ms later with its \
                          balance on disk). Retries of calls executed just before a crash find \
                          the cache empty and deposit again: exactly-once turns into \
                          at-least-once. Make the reply cache durable and the duplicates \
                          disappear.",
            scenario: scenario(
                1,
                10,
                RpcScenario {
                    clients: 8,
                    call_rate: 10.0,
                    reply_cache: CacheDurability::Volatile,
                    actions: server_crashes(),
                    ..lossy(Semantics::ExactlyOnce)
                },
            ),
        },
    ]
}

/// The lab's default scenario: the first preset.
pub fn default_rpc_scenario() -> Scenario {
    rpc_presets().swap_remove(0).scenario
}
