//! A whole run: the kernel world of [`EdgeNode`]s plus the observers every run carries
//! (metrics, energy ledger, trace hash), advanced in slices, and its summary.

use crate::metrics::{EdgeMetrics, TaskDropReason};
use crate::node::{EdgeMsg, EdgeNode};
use crate::plan::{EdgeConfig, Plan};
use crate::tier::Tier;
use energy::{EnergyLedger, Joules, LedgerConfig};
use sim::{Observer, RunBudget, RunOutcome, Sim, SimTime, TraceEvent, TraceHash};
use std::sync::Arc;

/// The observers of an edge run, fed together.
#[derive(Clone, Debug)]
pub struct EdgeObservers {
    /// Task fates, latency, utilisation, cost.
    pub metrics: EdgeMetrics,
    /// Energy per node and message.
    pub ledger: EnergyLedger,
    /// The trace's hash.
    pub hash: TraceHash,
    /// The recent trace in bounded memory, for the space-time diagram and trace exports;
    /// `None` unless asked for ([`EdgeWorld::with_trace_log`]).
    pub trace: Option<sim::TraceLog>,
}

impl Observer<EdgeMsg> for EdgeObservers {
    fn observe(&mut self, event: &TraceEvent<'_, EdgeMsg>) {
        self.metrics.observe(event);
        self.ledger.observe(event);
        self.hash.observe(event);
        if let Some(trace) = &mut self.trace {
            trace.observe(event);
        }
    }
}

/// Takes samples of a run at fixed simulated instants.
pub trait Sampler {
    /// When the next sample is due.
    fn next_due(&self) -> SimTime;
    /// Takes the sample due at `at` (and moves its due time on).
    fn sample(&mut self, at: SimTime, observers: &mut EdgeObservers);
}

struct Sampled<'a, S> {
    observers: &'a mut EdgeObservers,
    sampler: &'a mut S,
}

impl<S: Sampler> Observer<EdgeMsg> for Sampled<'_, S> {
    fn observe(&mut self, event: &TraceEvent<'_, EdgeMsg>) {
        // Sample before counting an event at a later instant, so each sample shows the state at
        // its instant.
        while self.sampler.next_due() < event.time {
            let due = self.sampler.next_due();
            self.sampler.sample(due, self.observers);
        }
        self.observers.observe(event);
    }
}

/// An edge–cloud run in progress.
#[derive(Clone)]
pub struct EdgeWorld {
    plan: Arc<Plan>,
    sim: Sim<EdgeNode>,
    observers: EdgeObservers,
}

/// Energy per tier, joules: servers' idle and dynamic energy by tier, and the network.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TierEnergy {
    /// Idle + dynamic energy of each tier's machines (indexed by [`Tier::index`]).
    pub compute: [Joules; 4],
    /// Energy of the network: every message's marginal energy on every link, plus the lines'
    /// always-on power if the ledger charges it (the edge lab's does not).
    pub network: Joules,
}

impl TierEnergy {
    /// Everything.
    pub fn total(&self) -> Joules {
        self.compute.iter().copied().sum::<Joules>() + self.network
    }
}

/// What a run measured up to some instant.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// When.
    pub at: SimTime,
    /// Tasks created.
    pub created: u64,
    /// Tasks whose result reached the device.
    pub completed: u64,
    /// Tasks dropped, per reason (indexed like [`TaskDropReason::ALL`]).
    pub dropped: [u64; 3],
    /// Tasks still on their way.
    pub in_progress: u64,
    /// Completed tasks later than their deadline.
    pub deadline_misses: u64,
    /// `(misses + drops) / (completed + drops)`: the share of finished tasks that failed
    /// their deadline (a drop never meets it); 0 when nothing finished.
    pub miss_rate: f64,
    /// Mean latency, ms.
    pub mean_ms: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 95th percentile latency, ms.
    pub p95_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Mean busy share of cores per tier (indexed by [`Tier::index`]).
    pub utilisation: [f64; 4],
    /// Completed tasks per tier they ran on.
    pub completed_on: [u64; 4],
    /// Tasks that waited for a cold start.
    pub cold_starts: u64,
    /// Energy per tier and network.
    pub energy: TierEnergy,
    /// Pay-per-use cost, US dollars.
    pub cost_usd: f64,
}

impl RunSummary {
    /// Total drops.
    pub fn dropped_total(&self) -> u64 {
        self.dropped.iter().sum()
    }
}

impl EdgeWorld {
    /// Builds a run of `config` with `seed`; `ledger` says how energy is charged (nodes report
    /// their own idle and dynamic power, so its `idle_power` should be `None`).
    pub fn new(config: &EdgeConfig, seed: u64, ledger: LedgerConfig) -> Result<EdgeWorld, String> {
        let problems = config.problems();
        if let Some((field, message)) = problems.first() {
            return Err(format!("{field}: {message}"));
        }
        let plan = Arc::new(Plan::new(config, seed, ledger.energy_per_bit.0)?);
        let sim_config = plan.sim_config(seed).map_err(|e| e.to_string())?;
        let p = Arc::clone(&plan);
        let sim = Sim::new(sim_config, move |id| EdgeNode::new(Arc::clone(&p), id))
            .map_err(|e| e.to_string())?;
        Ok(EdgeWorld {
            observers: EdgeObservers {
                metrics: EdgeMetrics::new(Arc::clone(&plan)),
                ledger: EnergyLedger::new(ledger),
                hash: TraceHash::new(),
                trace: None,
            },
            plan,
            sim,
        })
    }

    /// Also keeps the recent trace, within `max_bytes` (before anything has run).
    pub fn with_trace_log(mut self, max_bytes: usize) -> EdgeWorld {
        self.observers.trace = Some(sim::TraceLog::new(self.sim.node_count(), max_bytes));
        self
    }

    /// Runs until `budget.until` or `budget.max_events`.
    pub fn advance(&mut self, budget: RunBudget) -> RunOutcome {
        self.sim.run(budget, &mut self.observers)
    }

    /// Runs like [`EdgeWorld::advance`], giving `sampler` the observers at each of its due
    /// instants before any event after that instant is counted, and at `budget.until` when the
    /// slice reaches it: curves then never depend on how a run is sliced.
    pub fn advance_sampled<S: Sampler>(
        &mut self,
        budget: RunBudget,
        sampler: &mut S,
    ) -> RunOutcome {
        let mut obs = Sampled {
            observers: &mut self.observers,
            sampler,
        };
        let outcome = self.sim.run(budget, &mut obs);
        if outcome != RunOutcome::EventBudgetSpent {
            let until = budget.until.max(self.sim.now());
            self.sim.run_until(until, &mut obs);
            while obs.sampler.next_due() <= until {
                let due = obs.sampler.next_due();
                obs.sampler.sample(due, obs.observers);
            }
        }
        outcome
    }

    /// Runs every event up to `t`.
    pub fn run_until(&mut self, t: SimTime) -> RunOutcome {
        self.sim.run_until(t, &mut self.observers)
    }

    /// The kernel world.
    pub fn sim(&self) -> &Sim<EdgeNode> {
        &self.sim
    }
    /// The static plan.
    pub fn plan(&self) -> &Arc<Plan> {
        &self.plan
    }
    /// The observers.
    pub fn observers(&self) -> &EdgeObservers {
        &self.observers
    }
    /// The observers, mutably (to take latency windows).
    pub fn observers_mut(&mut self) -> &mut EdgeObservers {
        &mut self.observers
    }
    /// The metrics.
    pub fn metrics(&self) -> &EdgeMetrics {
        &self.observers.metrics
    }
    /// The energy ledger.
    pub fn ledger(&self) -> &EnergyLedger {
        &self.observers.ledger
    }
    /// The current time.
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// Tasks held by servers (queued or on a core) plus tasks on the wire: what the metrics'
    /// "in progress" must equal, counted independently from the world itself.
    pub fn tasks_in_world(&self) -> u64 {
        let held: u64 = self.sim.nodes().iter().map(EdgeNode::tasks_held).sum();
        let on_wire = self.sim.count_in_flight(|m| m.carried_task().is_some()) as u64;
        held + on_wire
    }

    /// Energy per tier at `at`.
    pub fn energy_by_tier(&self, at: SimTime) -> TierEnergy {
        let mut e = TierEnergy::default();
        for (i, n) in self.ledger().nodes(at).iter().enumerate() {
            let t = self.plan.tier(sim::NodeId(i as u32));
            e.compute[t.index()] += n.idle + n.dynamic;
            e.network += n.network + n.line;
        }
        e
    }

    /// The summary now.
    pub fn summary(&self) -> RunSummary {
        let at = self.now();
        let m = self.metrics();
        let ms = |d: Option<sim::SimDuration>| d.map_or(0.0, |d| d.as_millis_f64());
        let failed = m.deadline_misses + m.dropped_total();
        let finished = m.completed + m.dropped_total();
        RunSummary {
            at,
            created: m.created,
            completed: m.completed,
            dropped: m.dropped,
            in_progress: m.in_progress(),
            deadline_misses: m.deadline_misses,
            miss_rate: if finished > 0 {
                failed as f64 / finished as f64
            } else {
                0.0
            },
            mean_ms: ms(m.latency.mean()),
            p50_ms: ms(m.latency.quantile(0.5)),
            p95_ms: ms(m.latency.quantile(0.95)),
            p99_ms: ms(m.latency.quantile(0.99)),
            utilisation: m.utilisation_mean(at),
            completed_on: m.completed_on,
            cold_starts: m.cold_starts,
            energy: self.energy_by_tier(at),
            cost_usd: m.cost_usd(at),
        }
    }
}

/// Names of the drop reasons, in the order of [`RunSummary::dropped`].
pub fn drop_reason_names() -> [&'static str; 3] {
    TaskDropReason::ALL.map(TaskDropReason::name)
}

/// Names of the tiers, in the order of per-tier arrays.
pub fn tier_names() -> [&'static str; 4] {
    Tier::ALL.map(Tier::name)
}
