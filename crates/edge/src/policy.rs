//! Placement policies: where an edge orchestrator sends a task, from what it knows.
//!
//! The orchestrator at a base station sees its own server exactly and every other candidate
//! (the other edges of its fog region, the fog, the cloud) through load reports relayed by the
//! fog every report interval, so its view of them is up to about two intervals old. Between
//! reports it counts the tasks it sent itself, so it does not send a burst to a server that
//! looked idle in the last report.

use crate::tier::Tier;
use crate::workload::Task;
use serde::{Deserialize, Serialize};
use sim::{NodeId, SimRng};

/// How an orchestrator places tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Policy {
    /// Everything to the cloud.
    CloudOnly,
    /// Everything to the user's own base station's edge server.
    NearestEdge,
    /// A uniformly random candidate.
    Random,
    /// The candidates in turn.
    RoundRobin,
    /// The candidate with the fewest tasks per core (queued and running).
    LeastLoaded,
    /// The candidate with the earliest estimated completion (network + waiting + service).
    LatencyAware,
    /// The candidate with the least estimated energy for this task (compute above idle plus
    /// network), among those not known to be full.
    EnergyAware,
    /// The own edge if it is estimated to meet the deadline, else upward: fog, then cloud;
    /// if none is, the earliest estimated completion.
    DeadlineAware,
    /// A UCB1 bandit over {own edge, least-loaded neighbour edge, fog, cloud}, rewarded by the
    /// completion times it observes (1 within the deadline, deadline/latency after it, 0 for a
    /// drop).
    Bandit,
}

impl Policy {
    /// Every policy, in the order the lab lists them.
    pub const ALL: [Policy; 9] = [
        Policy::CloudOnly,
        Policy::NearestEdge,
        Policy::Random,
        Policy::RoundRobin,
        Policy::LeastLoaded,
        Policy::LatencyAware,
        Policy::EnergyAware,
        Policy::DeadlineAware,
        Policy::Bandit,
    ];

    /// A stable short key (for links, files and CSV).
    pub const fn key(self) -> &'static str {
        match self {
            Policy::CloudOnly => "cloud-only",
            Policy::NearestEdge => "nearest-edge",
            Policy::Random => "random",
            Policy::RoundRobin => "round-robin",
            Policy::LeastLoaded => "least-loaded",
            Policy::LatencyAware => "latency-aware",
            Policy::EnergyAware => "energy-aware",
            Policy::DeadlineAware => "deadline-aware",
            Policy::Bandit => "bandit",
        }
    }

    /// The policy with this key.
    pub fn from_key(key: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.key() == key)
    }

    /// A human name.
    pub const fn name(self) -> &'static str {
        match self {
            Policy::CloudOnly => "Cloud only",
            Policy::NearestEdge => "Nearest edge",
            Policy::Random => "Random",
            Policy::RoundRobin => "Round robin",
            Policy::LeastLoaded => "Least loaded",
            Policy::LatencyAware => "Latency-aware",
            Policy::EnergyAware => "Energy-aware",
            Policy::DeadlineAware => "Deadline-aware offload",
            Policy::Bandit => "Learning (UCB1 bandit)",
        }
    }
}

/// A server's load as reported (or, for the orchestrator's own server, as it is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// The server.
    pub server: NodeId,
    /// Tasks waiting in its queue.
    pub queued: u32,
    /// Tasks running.
    pub busy: u32,
}

/// One place a task could run, with the orchestrator's estimates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// The server.
    pub node: NodeId,
    /// Its tier.
    pub tier: Tier,
    /// Its cores.
    pub cores: u32,
    /// What the orchestrator believes its load is.
    pub load: LoadReport,
    /// Whether its queue is believed full.
    pub full: bool,
    /// Estimated seconds on the network (input there, result back to the base station).
    pub network_s: f64,
    /// Estimated seconds waiting for a core.
    pub wait_s: f64,
    /// Seconds of execution.
    pub service_s: f64,
    /// Estimated energy for this task above idle, joules (compute share + network).
    pub energy_j: f64,
}

impl Candidate {
    /// Estimated completion time: network + waiting + service.
    pub fn completion_s(&self) -> f64 {
        self.network_s + self.wait_s + self.service_s
    }
    /// Tasks per core, queued and running.
    pub fn load_per_core(&self) -> f64 {
        f64::from(self.load.queued + self.load.busy) / f64::from(self.cores.max(1))
    }
}

/// The bandit's arms: which candidate each stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arm {
    /// The orchestrator's own edge server.
    OwnEdge,
    /// The least-loaded other edge of the region.
    NeighbourEdge,
    /// The fog.
    Fog,
    /// The cloud.
    Cloud,
}

impl Arm {
    /// Every arm.
    pub const ALL: [Arm; 4] = [Arm::OwnEdge, Arm::NeighbourEdge, Arm::Fog, Arm::Cloud];
}

/// UCB1 statistics (Auer, Cesa-Bianchi & Fischer, 2002): pick the arm maximising
/// `mean reward + sqrt(2 ln n / n_arm)`, each untried arm first.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Ucb1 {
    /// Rewards observed per arm.
    pub pulls: [u64; 4],
    /// Sum of rewards per arm.
    pub reward_sum: [f64; 4],
}

impl Ucb1 {
    /// The arm to play among `available` ones.
    pub fn choose(&self, available: &[bool; 4]) -> usize {
        let total: u64 = self.pulls.iter().sum();
        let mut best = None;
        let mut best_score = f64::NEG_INFINITY;
        for (a, &open) in available.iter().enumerate() {
            if !open {
                continue;
            }
            if self.pulls[a] == 0 {
                return a;
            }
            let n = self.pulls[a] as f64;
            let score =
                self.reward_sum[a] / n + libm::sqrt(2.0 * libm::log(total.max(1) as f64) / n);
            if score > best_score {
                best_score = score;
                best = Some(a);
            }
        }
        best.unwrap_or(0)
    }
    /// Records a reward in `[0, 1]` for `arm`.
    pub fn learn(&mut self, arm: usize, reward: f64) {
        self.pulls[arm] += 1;
        self.reward_sum[arm] += reward.clamp(0.0, 1.0);
    }
    /// Mean reward of an arm so far.
    pub fn mean(&self, arm: usize) -> Option<f64> {
        (self.pulls[arm] > 0).then(|| self.reward_sum[arm] / self.pulls[arm] as f64)
    }
}

/// The bandit's reward for a task that took `latency_s` against its `deadline_s`.
pub fn reward(latency_s: f64, deadline_s: f64) -> f64 {
    if latency_s <= deadline_s {
        1.0
    } else {
        deadline_s / latency_s
    }
}

/// What a policy remembers between decisions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PolicyState {
    /// Round-robin position.
    pub next: u32,
    /// The bandit's statistics.
    pub bandit: Ucb1,
}

/// Picks a candidate for `task`; returns its index and, for the bandit, the arm played.
/// `candidates[0]` is the own edge; the fog and cloud are the last two.
pub fn choose(
    policy: Policy,
    candidates: &[Candidate],
    task: &Task,
    state: &mut PolicyState,
    rng: &mut SimRng,
) -> (usize, Option<Arm>) {
    let n = candidates.len();
    let own = 0;
    let fog = n - 2;
    let cloud = n - 1;
    let by = |f: &dyn Fn(&Candidate) -> f64, skip_full: bool| {
        let mut best = None;
        let mut best_v = f64::INFINITY;
        for (i, c) in candidates.iter().enumerate() {
            if skip_full && c.full {
                continue;
            }
            let v = f(c);
            if v < best_v {
                best_v = v;
                best = Some(i);
            }
        }
        best
    };
    let pick = match policy {
        Policy::CloudOnly => cloud,
        Policy::NearestEdge => own,
        Policy::Random => rng.index(n).unwrap_or(own),
        Policy::RoundRobin => {
            let i = state.next as usize % n;
            state.next = state.next.wrapping_add(1);
            i
        }
        Policy::LeastLoaded => by(&|c| c.load_per_core(), false).unwrap_or(own),
        Policy::LatencyAware => by(&|c| c.completion_s(), true)
            .or_else(|| by(&|c| c.completion_s(), false))
            .unwrap_or(own),
        Policy::EnergyAware => by(&|c| c.energy_j, true).unwrap_or(own),
        Policy::DeadlineAware => {
            let deadline = task.deadline.as_secs_f64();
            [own, fog, cloud]
                .into_iter()
                .find(|&i| !candidates[i].full && candidates[i].completion_s() <= deadline)
                .or_else(|| by(&|c| c.completion_s(), true))
                .unwrap_or(own)
        }
        Policy::Bandit => {
            let neighbour = (1..fog).min_by(|&a, &b| {
                candidates[a]
                    .load_per_core()
                    .total_cmp(&candidates[b].load_per_core())
            });
            let available = [true, neighbour.is_some(), true, true];
            let arm = Arm::ALL[state.bandit.choose(&available)];
            let i = match arm {
                Arm::OwnEdge => own,
                Arm::NeighbourEdge => neighbour.unwrap_or(own),
                Arm::Fog => fog,
                Arm::Cloud => cloud,
            };
            return (i, Some(arm));
        }
    };
    (pick, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::SimDuration;

    fn cand(node: u32, tier: Tier, completion: f64, full: bool, energy: f64) -> Candidate {
        Candidate {
            node: NodeId(node),
            tier,
            cores: 4,
            load: LoadReport::default(),
            full,
            network_s: completion,
            wait_s: 0.0,
            service_s: 0.0,
            energy_j: energy,
        }
    }

    fn task(deadline_ms: u64) -> Task {
        Task {
            id: crate::workload::TaskId(0),
            device: NodeId(9),
            app: 0,
            origin: NodeId(1),
            created_ns: 0,
            cpu_mi: 1.0,
            upload_bytes: 1,
            download_bytes: 1,
            deadline: SimDuration::from_millis(deadline_ms),
            cold_start: false,
        }
    }

    #[test]
    fn deadline_aware_offloads_upward_only_when_the_edge_misses() {
        let mut s = PolicyState::default();
        let mut rng = SimRng::new(1);
        let c = [
            cand(1, Tier::Edge, 0.5, false, 1.0),
            cand(2, Tier::Fog, 0.8, false, 1.0),
            cand(3, Tier::Cloud, 1.5, false, 1.0),
        ];
        assert_eq!(
            choose(Policy::DeadlineAware, &c, &task(1_000), &mut s, &mut rng).0,
            0
        );
        let c2 = [cand(1, Tier::Edge, 3.0, false, 1.0), c[1], c[2]];
        assert_eq!(
            choose(Policy::DeadlineAware, &c2, &task(1_000), &mut s, &mut rng).0,
            1
        );
        let c3 = [c2[0], cand(2, Tier::Fog, 0.1, true, 1.0), c[2]];
        assert_eq!(
            choose(Policy::DeadlineAware, &c3, &task(2_000), &mut s, &mut rng).0,
            2
        );
    }

    #[test]
    fn energy_and_latency_aware_pick_their_minimum_and_skip_full_servers() {
        let mut s = PolicyState::default();
        let mut rng = SimRng::new(1);
        let c = [
            cand(1, Tier::Edge, 0.5, true, 0.1),
            cand(2, Tier::Fog, 0.8, false, 5.0),
            cand(3, Tier::Cloud, 1.5, false, 2.0),
        ];
        assert_eq!(
            choose(Policy::EnergyAware, &c, &task(1), &mut s, &mut rng).0,
            2
        );
        assert_eq!(
            choose(Policy::LatencyAware, &c, &task(1), &mut s, &mut rng).0,
            1
        );
        assert_eq!(
            choose(Policy::RoundRobin, &c, &task(1), &mut s, &mut rng).0,
            0
        );
        assert_eq!(
            choose(Policy::RoundRobin, &c, &task(1), &mut s, &mut rng).0,
            1
        );
    }

    #[test]
    fn ucb1_tries_every_arm_then_prefers_the_best() {
        let mut b = Ucb1::default();
        let avail = [true; 4];
        for a in 0..4 {
            assert_eq!(b.choose(&avail), a);
            b.learn(a, if a == 2 { 1.0 } else { 0.2 });
        }
        let mut plays = [0; 4];
        for _ in 0..200 {
            let a = b.choose(&avail);
            plays[a] += 1;
            b.learn(a, if a == 2 { 1.0 } else { 0.2 });
        }
        assert!(plays[2] > 150, "{plays:?}");
    }

    #[test]
    fn keys_round_trip() {
        for p in Policy::ALL {
            assert_eq!(Policy::from_key(p.key()), Some(p));
        }
    }
}
