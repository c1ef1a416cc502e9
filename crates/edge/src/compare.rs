//! Every policy on the same workload across seeds: means with 95 % confidence intervals
//! (Student's t) and the latency–energy Pareto front.

use crate::plan::EdgeConfig;
use crate::policy::Policy;
use crate::world::{EdgeWorld, RunSummary};
use energy::LedgerConfig;
use sim::{SimDuration, SimTime};

/// A mean with the half-width of its 95 % confidence interval.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeanCi {
    /// The sample mean.
    pub mean: f64,
    /// Half-width of the 95 % interval (`t · s / √n`; 0 for a single sample).
    pub half_width: f64,
    /// Samples.
    pub n: usize,
}

/// Two-sided 97.5 % quantiles of Student's t for 1…30 degrees of freedom (standard tables,
/// e.g. NIST/SEMATECH e-Handbook of Statistical Methods, table 1.3.6.7.2).
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// The t quantile for `df` degrees of freedom (beyond 30: 2.021 up to 40, 2.000 up to 60,
/// 1.980 up to 120, then the normal 1.960).
pub fn t_975(df: usize) -> f64 {
    match df {
        0 => f64::NAN,
        1..=30 => T_975[df - 1],
        31..=40 => 2.021,
        41..=60 => 2.000,
        61..=120 => 1.980,
        _ => 1.960,
    }
}

/// Mean and 95 % confidence half-width of `xs`.
pub fn mean_ci95(xs: &[f64]) -> MeanCi {
    let n = xs.len();
    if n == 0 {
        return MeanCi::default();
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return MeanCi {
            mean,
            half_width: 0.0,
            n,
        };
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    MeanCi {
        mean,
        half_width: t_975(n - 1) * libm::sqrt(var) / libm::sqrt(n as f64),
        n,
    }
}

/// One policy's results across seeds.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyRow {
    /// The policy.
    pub policy: Policy,
    /// Mean latency, ms.
    pub mean_ms: MeanCi,
    /// 95th percentile latency, ms.
    pub p95_ms: MeanCi,
    /// Share of finished tasks that missed their deadline (drops included).
    pub miss_rate: MeanCi,
    /// Tasks dropped.
    pub dropped: MeanCi,
    /// Total energy, J.
    pub energy_j: MeanCi,
    /// Cost, US dollars.
    pub cost_usd: MeanCi,
    /// Cold starts.
    pub cold_starts: MeanCi,
    /// Whether no other policy has both lower mean latency and lower mean energy.
    pub pareto: bool,
    /// Each seed's summary, in the order of the seeds.
    pub runs: Vec<(u64, RunSummary)>,
}

/// Every policy's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// One row per policy, in [`Policy::ALL`] order.
    pub rows: Vec<PolicyRow>,
}

/// Marks the rows on the Pareto front of (mean latency, mean energy), both minimised: a row is
/// on it when no other row is at least as good on both and better on one.
pub fn mark_pareto(rows: &mut [PolicyRow]) {
    let points: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.mean_ms.mean, r.energy_j.mean))
        .collect();
    for (i, r) in rows.iter_mut().enumerate() {
        let (a, b) = points[i];
        r.pareto = !points
            .iter()
            .enumerate()
            .any(|(j, &(x, y))| j != i && x <= a && y <= b && (x < a || y < b));
    }
}

/// Runs `config` under every policy in `policies` for each seed, for `duration`.
pub fn compare(
    config: &EdgeConfig,
    duration: SimDuration,
    seeds: &[u64],
    policies: &[Policy],
    ledger: &LedgerConfig,
) -> Result<Comparison, String> {
    let mut rows = Vec::new();
    for &policy in policies {
        let mut c = config.clone();
        c.policy = policy;
        let mut runs = Vec::new();
        for &seed in seeds {
            let mut w = EdgeWorld::new(&c, seed, ledger.clone())?;
            w.run_until(SimTime::ZERO + duration);
            runs.push((seed, w.summary()));
        }
        rows.push(policy_row(policy, runs));
    }
    mark_pareto(&mut rows);
    Ok(Comparison { rows })
}

/// One policy's row from its runs' summaries (`(seed, summary)`); not yet marked for the
/// Pareto front (see [`mark_pareto`]). The lab page runs comparisons in slices and builds its
/// rows with this, so they are the same as [`compare`]'s.
pub fn policy_row(policy: Policy, runs: Vec<(u64, RunSummary)>) -> PolicyRow {
    let col = |f: &dyn Fn(&RunSummary) -> f64| {
        mean_ci95(&runs.iter().map(|(_, s)| f(s)).collect::<Vec<_>>())
    };
    PolicyRow {
        policy,
        mean_ms: col(&|s| s.mean_ms),
        p95_ms: col(&|s| s.p95_ms),
        miss_rate: col(&|s| s.miss_rate),
        dropped: col(&|s| s.dropped_total() as f64),
        energy_j: col(&|s| s.energy.total().0),
        cost_usd: col(&|s| s.cost_usd),
        cold_starts: col(&|s| s.cold_starts as f64),
        pareto: false,
        runs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_interval_by_hand() {
        // 1, 2, 3: mean 2, s = 1, t(2) = 4.303, half-width 4.303 / √3.
        let ci = mean_ci95(&[1.0, 2.0, 3.0]);
        assert_eq!(ci.mean, 2.0);
        assert!((ci.half_width - 4.303 / 3f64.sqrt()).abs() < 1e-12);
        assert_eq!(mean_ci95(&[5.0]).half_width, 0.0);
        assert!(t_975(1_000) < t_975(10));
    }

    #[test]
    fn pareto_front_keeps_only_undominated_points() {
        let row = |ms: f64, j: f64| PolicyRow {
            policy: Policy::Random,
            mean_ms: MeanCi {
                mean: ms,
                ..MeanCi::default()
            },
            p95_ms: MeanCi::default(),
            miss_rate: MeanCi::default(),
            dropped: MeanCi::default(),
            energy_j: MeanCi {
                mean: j,
                ..MeanCi::default()
            },
            cost_usd: MeanCi::default(),
            cold_starts: MeanCi::default(),
            pareto: false,
            runs: Vec::new(),
        };
        let mut rows = vec![row(1.0, 10.0), row(2.0, 5.0), row(3.0, 6.0), row(1.0, 10.0)];
        mark_pareto(&mut rows);
        let front: Vec<bool> = rows.iter().map(|r| r.pareto).collect();
        assert_eq!(front, vec![true, true, false, true]);
    }
}
