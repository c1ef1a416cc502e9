//! DVFS energy against the closed form `E(f) = P_static·N/f + C·V²·N (+ P_idle·(T − N/f))`.

use energy::{Farads, Hertz, PState, Processor, Seconds, Volts, Watts};
use proptest::prelude::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// The closed form for one level over a period.
fn closed_form(p: &Processor, l: PState, cycles: f64, period: f64) -> (f64, f64) {
    let (c, v, f) = (p.capacitance.0, l.voltage.0, l.frequency.0);
    let task = p.static_power.0 * cycles / f + c * v * v * cycles;
    (task, task + p.idle_power.0 * (period - cycles / f))
}

fn processor(static_w: f64, idle_w: f64) -> Processor {
    let mut p = Processor::pentium_m_1600();
    p.static_power = Watts(static_w);
    p.idle_power = Watts(idle_w);
    p
}

#[test]
fn every_level_matches_the_closed_form() {
    let p = Processor::pentium_m_1600();
    let (cycles, period) = (1.2e9, 3.0);
    for row in p.all_levels(cycles, Seconds(period)) {
        let (task, over_period) = closed_form(&p, row.level, cycles, period);
        assert!(close(row.task_energy.0, task), "{row:?}");
        assert!(close(row.period_energy.unwrap().0, over_period));
        assert!(close(row.time.0, cycles / row.level.frequency.0));
    }
}

/// Without static or idle power only `C·V²·N` remains: the slowest level wins, by the ratio of
/// the squared voltages.
#[test]
fn without_leakage_running_slowly_wins_by_the_voltage_ratio_squared() {
    let p = processor(0.0, 0.0);
    let r = p.race_to_idle(1.6e9, Seconds(10.0)).unwrap();
    assert!(!r.race_wins);
    assert_eq!(r.slow.level, p.slowest());
    let expected = (1.484f64 / 0.956).powi(2);
    assert!(close(r.race_energy / r.slow_energy, expected));
}

/// With large static power and a deep sleep, finishing fast and sleeping wins.
#[test]
fn with_high_leakage_and_deep_sleep_racing_to_idle_wins() {
    let p = processor(20.0, 0.0);
    let r = p.race_to_idle(1.6e9, Seconds(10.0)).unwrap();
    assert!(r.race_wins, "{r:?}");
    // Race: 20 W × 1 s + 22.5 J (the dynamic part of the 24.5 W TDP at the default 2 W
    // static power); slow: 20 W × 2.667 s + C·0.956²·1.6e9.
    let c = p.capacitance.0;
    assert!(close(r.race_energy.0, 20.0 + 22.5));
    assert!(close(
        r.slow_energy.0,
        20.0 * 1.6e9 / 0.6e9 + c * 0.956 * 0.956 * 1.6e9
    ));
}

/// A tight period forces a faster "slow" level: the slowest that still meets it.
#[test]
fn the_slow_choice_is_the_slowest_level_meeting_the_period() {
    let p = Processor::pentium_m_1600();
    // 1.6e9 cycles within 1.5 s needs ≥ 1.067 GHz: the 1.2 GHz level.
    let r = p.race_to_idle(1.6e9, Seconds(1.5)).unwrap();
    assert_eq!(r.slow.level.frequency, Hertz(1.2e9));
}

proptest! {
    /// For any processor and task, the verdict equals the closed-form comparison.
    #[test]
    fn prop_race_to_idle_verdict_matches_closed_form(
        volts in prop::collection::vec(0.6..1.5f64, 1..6),
        c_nf in 0.1..20.0f64,
        static_w in 0.0..30.0f64,
        idle_w in 0.0..10.0f64,
        gcycles in 0.01..5.0f64,
        slack in 1.0..10.0f64,
    ) {
        // Voltages rise with frequency: sort them, and space levels 200 MHz apart.
        let mut v = volts.clone();
        v.sort_by(f64::total_cmp);
        let levels: Vec<PState> = v.iter().enumerate().map(|(i, &v)| PState {
            frequency: Hertz(0.6e9 + 0.2e9 * i as f64),
            voltage: Volts(v),
        }).collect();
        let p = Processor::new("random", "proptest", levels, Farads(c_nf * 1e-9), Watts(static_w), Watts(idle_w)).unwrap();
        let cycles = gcycles * 1e9;
        let fastest = p.fastest();
        let period = cycles / fastest.frequency.0 * slack;
        let r = p.race_to_idle(cycles, Seconds(period)).unwrap();
        let (_, race) = closed_form(&p, fastest, cycles, period);
        let (_, slow) = closed_form(&p, r.slow.level, cycles, period);
        prop_assert!(close(r.race_energy.0, race));
        prop_assert!(close(r.slow_energy.0, slow));
        prop_assert!(r.slow.level.frequency.0 * period >= cycles * (1.0 - 1e-12));
        if (race - slow).abs() > 1e-9 * race.max(slow) {
            prop_assert_eq!(r.race_wins, race < slow);
        }
    }
}
