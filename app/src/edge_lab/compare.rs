//! Compare mode, run in slices: every policy on the scenario's workload for each of N seeds,
//! one run at a time, a budget of events per call, so the page stays responsive however long
//! the runs are. The rows are built by `edge::policy_row` and `edge::mark_pareto`, exactly as
//! `scenario::edge_run::compare` builds them in one go.

use edge::{Comparison, Policy, RunSummary, mark_pareto, policy_row};
use scenario::edge_run::MAX_COMPARE_SEEDS;
use scenario::scenario::Lab;
use scenario::{EdgeRun, Scenario};
use sim::RunBudget;

/// A comparison in progress.
#[derive(Clone)]
pub struct CompareJob {
    scenario: Scenario,
    seeds: Vec<u64>,
    /// Finished runs per policy, in `Policy::ALL` order.
    done: Vec<Vec<(u64, RunSummary)>>,
    /// Index of the next run to finish, over (policy, seed) pairs.
    next: usize,
    current: Option<EdgeRun>,
    events: u64,
}

impl CompareJob {
    /// A comparison of every policy on `scenario` for `seed_count` seeds: the scenario's seed
    /// and the ones after it.
    pub fn new(scenario: &Scenario, seed_count: usize) -> Result<CompareJob, String> {
        if !matches!(scenario.lab, Lab::Edge(_)) {
            return Err("Compare mode needs an edge scenario.".into());
        }
        if !(1..=MAX_COMPARE_SEEDS).contains(&seed_count) {
            return Err(format!(
                "A comparison takes between 1 and {MAX_COMPARE_SEEDS} seeds, not {seed_count}."
            ));
        }
        scenario
            .validate()
            .map_err(|e| crate::kit::form::sentence(&e.to_string()))?;
        Ok(CompareJob {
            scenario: scenario.clone(),
            seeds: (0..seed_count as u64)
                .map(|k| scenario.seed.wrapping_add(k))
                .collect(),
            done: vec![Vec::new(); Policy::ALL.len()],
            next: 0,
            current: None,
            events: 0,
        })
    }

    /// How many runs in all.
    pub fn total_runs(&self) -> usize {
        Policy::ALL.len() * self.seeds.len()
    }

    /// How many runs have finished.
    pub fn finished_runs(&self) -> usize {
        self.next
    }

    /// Whether every run has finished.
    pub fn is_finished(&self) -> bool {
        self.next >= self.total_runs()
    }

    /// Events simulated so far, over all runs.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The fraction done, counting the current run's progress.
    pub fn progress(&self) -> f64 {
        let total = self.total_runs() as f64;
        let partial = self
            .current
            .as_ref()
            .map_or(0.0, |r| r.now().0 as f64 / r.end().0.max(1) as f64);
        ((self.next as f64 + partial) / total).min(1.0)
    }

    /// The scenario of run `index` (policy-major).
    fn scenario_of(&self, index: usize) -> (Policy, Scenario) {
        let policy = Policy::ALL[index / self.seeds.len()];
        let mut s = self.scenario.clone();
        s.seed = self.seeds[index % self.seeds.len()];
        if let Lab::Edge(e) = &mut s.lab {
            e.policy = policy;
        }
        (policy, s)
    }

    /// Simulates up to `max_events` more events; returns whether the comparison is finished.
    pub fn step(&mut self, max_events: u64) -> Result<bool, String> {
        if self.is_finished() {
            return Ok(true);
        }
        let (policy, scenario) = self.scenario_of(self.next);
        if self.current.is_none() {
            self.current = Some(
                EdgeRun::untraced(&scenario)
                    .map_err(|e| crate::kit::form::sentence(&e.to_string()))?,
            );
        }
        let Some(run) = self.current.as_mut() else {
            return Ok(false);
        };
        let before = run.events_processed();
        run.advance(RunBudget {
            until: run.end(),
            max_events,
        });
        self.events += run.events_processed() - before;
        if run.is_finished() {
            let summary = run.summary();
            let index = Policy::ALL.iter().position(|&p| p == policy).unwrap_or(0);
            self.done[index].push((scenario.seed, summary));
            self.current = None;
            self.next += 1;
        }
        Ok(self.is_finished())
    }

    /// The result, once finished.
    pub fn result(&self) -> Option<Comparison> {
        if !self.is_finished() {
            return None;
        }
        let mut rows: Vec<_> = Policy::ALL
            .iter()
            .zip(&self.done)
            .map(|(&p, runs)| policy_row(p, runs.clone()))
            .collect();
        mark_pareto(&mut rows);
        Some(Comparison { rows })
    }

    /// The scenario the comparison is about (its first seed).
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The seeds compared.
    pub fn seeds(&self) -> &[u64] {
        &self.seeds
    }
}

/// The scenario to open for `policy` from a comparison of `scenario`.
pub fn with_policy(scenario: &Scenario, policy: Policy) -> Scenario {
    let mut s = scenario.clone();
    if let Lab::Edge(e) = &mut s.lab {
        e.policy = policy;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::edge_lab::low_load;
    use sim::SimDuration;

    #[test]
    fn sliced_comparison_equals_the_one_shot_comparison() {
        let mut s = low_load();
        s.duration = SimDuration::from_secs(5);
        let mut job = CompareJob::new(&s, 2).unwrap();
        let mut calls = 0;
        while !job.step(997).unwrap() {
            calls += 1;
            assert!(job.progress() < 1.0);
        }
        assert!(
            calls > job.total_runs(),
            "the runs took several slices each"
        );
        let sliced = job.result().unwrap();
        let whole = scenario::edge_run::compare(&s, job.seeds()).unwrap();
        assert_eq!(sliced, whole);
        assert!(sliced.rows.iter().any(|r| r.pareto));
    }

    #[test]
    fn bad_requests_are_refused_with_a_sentence() {
        let s = low_load();
        let refused = |s: &Scenario, n| CompareJob::new(s, n).err().unwrap_or_default();
        assert!(refused(&s, 0).contains("between 1 and"));
        assert!(refused(&scenario::default_scenario(), 3).contains("edge scenario"));
        let p = with_policy(&s, Policy::CloudOnly);
        assert!(matches!(&p.lab, Lab::Edge(e) if e.policy == Policy::CloudOnly));
    }
}
