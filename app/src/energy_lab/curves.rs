//! The power curves (linear against the measured HP ProLiant ML110 G4 and G5, and a 2020 Dell
//! PowerEdge R6515 for comparison) and the DVFS
//! explorer: power, time and energy of a task at the chosen frequency, energy against
//! frequency, and the race-to-idle verdict in words.

use crate::energy_lab::chart::{Chart, Dash, Line};
use crate::energy_lab::numbers::figure;
use energy::dvfs::{LevelEnergy, Processor};
use energy::power::{MeasuredCurve, PowerModel};
use scenario::energy_lab::{DVFS_PERIOD, DVFS_TASK_CYCLES, EnergyScenario};

/// Points per curve.
const SAMPLES: usize = 50;

fn line(model: &PowerModel, name: String, colour: usize, dash: Dash) -> Line {
    Line {
        name,
        points: model
            .sample(SAMPLES)
            .into_iter()
            .map(|(u, w)| (u * 100.0, w.0))
            .collect(),
        colour,
        dash,
    }
}

/// Power against utilisation: each measured curve and the straight line through its idle and
/// peak points.
pub fn power_chart() -> Chart {
    let mut lines = Vec::new();
    for (i, curve) in [
        MeasuredCurve::hp_proliant_ml110_g4(),
        MeasuredCurve::hp_proliant_ml110_g5(),
        MeasuredCurve::dell_poweredge_r6515(),
    ]
    .into_iter()
    .enumerate()
    {
        let short = ["ML110 G4", "ML110 G5", "R6515 (2020)"][i];
        let linear = PowerModel::linear_through(&curve);
        lines.push(line(
            &PowerModel::Measured(curve),
            format!("{short}, measured (SPECpower)"),
            i,
            Dash::Solid,
        ));
        lines.push(line(
            &linear,
            format!("{short}, linear model"),
            i,
            Dash::Dashed,
        ));
    }
    Chart::fit("CPU utilisation (%)", "power (W)", lines, 0.0)
}

/// A sentence per measured curve: idle share of peak, the point of the lecture's remedies.
pub fn power_summary() -> Vec<String> {
    [
        MeasuredCurve::hp_proliant_ml110_g4(),
        MeasuredCurve::hp_proliant_ml110_g5(),
        MeasuredCurve::dell_poweredge_r6515(),
    ]
    .iter()
    .map(|c| {
        let m = PowerModel::Measured(c.clone());
        let (idle, peak) = (m.idle().0, m.peak().0);
        format!(
            "{}: {} W idle, {} W at full load: idle draws {} % of peak.",
            c.name,
            figure(idle),
            figure(peak),
            figure((idle / peak * 100.0).round())
        )
    })
    .collect()
}

/// Everything the DVFS explorer shows.
#[derive(Clone, Debug, PartialEq)]
pub struct DvfsView {
    /// The processor's name.
    pub processor: String,
    /// Where its numbers come from.
    pub source: String,
    /// At the chosen frequency.
    pub at: LevelEnergy,
    /// `(label, value)` pairs: frequency, voltage, power, time, energies.
    pub figures: Vec<(&'static str, String)>,
    /// Energy against frequency.
    pub chart: Chart,
    /// The race-to-idle verdict, one sentence.
    pub headline: &'static str,
    /// The figures behind the verdict, in words.
    pub verdict: String,
    /// Which frequency in the sweep uses least energy over the period, in MHz.
    pub best_mhz: f64,
}

/// The DVFS explorer's view of `e`, or why it cannot compute.
pub fn dvfs_view(e: &EnergyScenario) -> Result<DvfsView, String> {
    let p: Processor = e.processor();
    let level = p.at_frequency(e.frequency()).map_err(|x| x.to_string())?;
    let at = p.level_energy(level, DVFS_TASK_CYCLES, DVFS_PERIOD);
    let sweep = p.sweep(DVFS_TASK_CYCLES, DVFS_PERIOD, 100);
    let mhz = |l: &LevelEnergy| l.level.frequency.0 / 1e6;
    let task: Vec<(f64, f64)> = sweep.iter().map(|l| (mhz(l), l.task_energy.0)).collect();
    let period: Vec<(f64, f64)> = sweep
        .iter()
        .filter_map(|l| l.period_energy.map(|j| (mhz(l), j.0)))
        .collect();
    let best = period
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((mhz(&at), 0.0));
    let mut chart = Chart::fit(
        "clock frequency (MHz)",
        "energy (J)",
        vec![
            Line {
                name: "task + idle for the rest of the 2 s period".into(),
                points: period,
                colour: 0,
                dash: Dash::Solid,
            },
            Line {
                name: "task alone (running)".into(),
                points: task,
                colour: 1,
                dash: Dash::Dashed,
            },
        ],
        0.0,
    );
    chart.mark_x = Some(mhz(&at));
    chart.mark_point = at.period_energy.map(|j| (mhz(&at), j.0));
    let race = p
        .race_to_idle(DVFS_TASK_CYCLES, DVFS_PERIOD)
        .map_err(|x| x.to_string())?;
    let headline = if race.race_wins {
        "Race to idle wins here."
    } else {
        "Running slowly wins here: race to idle does not pay."
    };
    // The advice points to the other outcome: what to change to see it.
    let advice = if race.race_wins {
        "Lower the static power to see running slowly win: with little leakage, the dynamic \
         C·V²·f energy, which falls with the voltage, dominates."
    } else {
        "Raise the static power to see racing win: leakage is paid for as long as the task runs."
    };
    let verdict = format!(
        "Racing at {} MHz and then idling uses {} J per period; running at {} MHz, the slowest \
         level, uses {} J. Over the whole range the least energy is at {} MHz. {advice}",
        figure(race.race.level.frequency.0 / 1e6),
        figure(race.race_energy.0),
        figure(race.slow.level.frequency.0 / 1e6),
        figure(race.slow_energy.0),
        figure(best.0),
    );
    let figures = vec![
        ("Frequency", format!("{} MHz", figure(mhz(&at)))),
        ("Voltage", format!("{} V", figure(at.level.voltage.0))),
        (
            "Power while running",
            format!(
                "{} W ({} W static + {} W dynamic, C·V²·f)",
                figure(at.power.0),
                figure(p.static_power.0),
                figure(p.dynamic_power(at.level).0)
            ),
        ),
        (
            "Time for the task (10⁹ cycles)",
            format!("{} s", figure(at.time.0)),
        ),
        (
            "Energy of the task",
            format!("{} J", figure(at.task_energy.0)),
        ),
        (
            "Energy over the 2 s period",
            at.period_energy.map_or_else(
                || "misses the period".to_owned(),
                |j| {
                    format!(
                        "{} J (idle at {} W after the task)",
                        figure(j.0),
                        figure(p.idle_power.0)
                    )
                },
            ),
        ),
    ];
    Ok(DvfsView {
        processor: p.name.clone(),
        source: p.source.clone(),
        at,
        figures,
        chart,
        headline,
        verdict,
        best_mhz: best.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::energy_lab::{default_energy_scenario, energy_of};

    #[test]
    fn power_curves_lie_between_idle_and_peak() {
        let c = power_chart();
        assert_eq!(c.lines.len(), 6);
        assert_eq!(c.x, (0.0, 100.0));
        assert!(c.y.1 >= 231.0, "{:?}", c.y);
        let g4 = &c.lines[0].points;
        assert_eq!(g4.first(), Some(&(0.0, 86.0)));
        assert_eq!(g4.last(), Some(&(100.0, 117.0)));
        let summary = power_summary();
        assert!(summary[0].contains("74 % of peak"), "{summary:?}");
        assert!(summary[1].contains("69 % of peak"), "{summary:?}");
        // The 2020 server idles at 54 of 231 W.
        assert!(summary[2].contains("23 % of peak"), "{summary:?}");
        let r6515 = &c.lines[4].points;
        assert_eq!(r6515.first(), Some(&(0.0, 54.0)));
        assert_eq!(r6515.last(), Some(&(100.0, 231.0)));
    }

    #[test]
    fn slow_wins_at_2_watts_and_racing_wins_with_much_leakage() {
        let mut s = default_energy_scenario();
        let v = dvfs_view(energy_of(&s).unwrap()).unwrap();
        assert!(v.headline.starts_with("Running slowly wins"));
        assert!(v.verdict.contains("at 600 MHz"), "{}", v.verdict);
        assert!(
            v.verdict.contains("Raise the static power"),
            "{}",
            v.verdict
        );
        assert_eq!(v.at.level.frequency.0, 1e9);
        assert_eq!(v.chart.mark_x, Some(1000.0));
        let scenario::scenario::Lab::Energy(e) = &mut s.lab else {
            panic!()
        };
        e.dvfs.static_power_w = 30.0;
        e.dvfs.frequency_mhz = 1600;
        let v = dvfs_view(e).unwrap();
        assert!(
            v.headline.starts_with("Race to idle wins"),
            "{}",
            v.headline
        );
        assert_eq!(v.best_mhz, 1600.0);
        assert!(
            v.verdict.contains("Lower the static power") && !v.verdict.contains("Raise"),
            "the advice follows the outcome: {}",
            v.verdict
        );
        // 1e9 cycles at 1.6 GHz: 0.625 s.
        assert_eq!(v.figures[3].1, "0.625 s");
    }
}
