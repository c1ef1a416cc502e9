//! Power models: monotonic in utilisation, bounded by idle and peak, and energy equal to the
//! integral of power.

use energy::{
    MeasuredCurve, PowerModel, Seconds, Utilisation, UtilisationStep, Watts, energy_of_steps,
};
use proptest::prelude::*;

fn models() -> Vec<PowerModel> {
    vec![
        PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g4()),
        PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g5()),
        PowerModel::linear_through(&MeasuredCurve::hp_proliant_ml110_g4()),
        PowerModel::linear(Watts(0.0), Watts(1.0)).unwrap(),
        PowerModel::linear(Watts(70.0), Watts(70.0)).unwrap(),
    ]
}

/// A random non-decreasing curve of 2..12 points.
fn curve() -> impl Strategy<Value = PowerModel> {
    (0.0..500.0f64, prop::collection::vec(0.0..50.0f64, 1..12)).prop_map(|(start, rises)| {
        let mut p = vec![Watts(start)];
        for r in rises {
            let last = p[p.len() - 1].0;
            p.push(Watts(last + r));
        }
        PowerModel::Measured(MeasuredCurve::new("random", "proptest", p).unwrap())
    })
}

proptest! {
    #[test]
    fn prop_power_is_monotonic_in_utilisation(a in 0.0..=1.0f64, b in 0.0..=1.0f64) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        for m in models() {
            prop_assert!(m.power_at(lo).unwrap() <= m.power_at(hi).unwrap(), "{} at {lo} vs {hi}", m.name());
        }
    }

    #[test]
    fn prop_power_is_bounded_by_idle_and_peak(u in 0.0..=1.0f64) {
        for m in models() {
            let p = m.power_at(u).unwrap();
            prop_assert!(m.idle() <= p && p <= m.peak(), "{} at {u}: {p}", m.name());
        }
    }

    #[test]
    fn prop_random_curves_are_monotonic_and_bounded(m in curve(), a in 0.0..=1.0f64, b in 0.0..=1.0f64) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (plo, phi) = (m.power_at(lo).unwrap(), m.power_at(hi).unwrap());
        prop_assert!(plo <= phi);
        prop_assert!(m.idle() <= plo && phi <= m.peak());
    }

    #[test]
    fn prop_utilisation_outside_unit_interval_is_an_error(u in prop_oneof![-1e9..-1e-12f64, (1.0 + 1e-12)..1e9f64]) {
        prop_assert!(Utilisation::new(u).is_err());
        for m in models() {
            prop_assert!(m.power_at(u).is_err());
        }
    }

    /// For the linear model the integral has a closed form: idle·T + (peak − idle)·Σ uᵢ·tᵢ.
    #[test]
    fn prop_linear_energy_matches_closed_form(
        steps in prop::collection::vec((0.0..1000.0f64, 0.0..=1.0f64), 0..20),
        idle in 0.0..200.0f64,
        extra in 0.0..300.0f64,
    ) {
        let m = PowerModel::linear(Watts(idle), Watts(idle + extra)).unwrap();
        let s: Vec<UtilisationStep> = steps.iter().map(|&(d, u)| UtilisationStep {
            duration: Seconds(d),
            utilisation: Utilisation::new(u).unwrap(),
        }).collect();
        let t: f64 = steps.iter().map(|s| s.0).sum();
        let ut: f64 = steps.iter().map(|s| s.0 * s.1).sum();
        let expected = idle * t + extra * ut;
        let got = energy_of_steps(&m, &s).unwrap().0;
        prop_assert!((got - expected).abs() <= 1e-9 * expected.max(1.0), "{got} vs {expected}");
    }
}

/// A run with known utilisation on the measured G4 curve: an hour at each of 0 %, 50 %, 100 %.
#[test]
fn measured_curve_energy_of_a_known_run() {
    let m = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g4());
    let hour = Seconds::from_hours(1.0);
    let steps: Vec<UtilisationStep> = [0.0, 0.5, 1.0]
        .iter()
        .map(|&u| UtilisationStep {
            duration: hour,
            utilisation: Utilisation::new(u).unwrap(),
        })
        .collect();
    let e = energy_of_steps(&m, &steps).unwrap();
    // (86 + 102 + 117) W × 1 h = 305 Wh = 0.305 kWh.
    assert!((e.kwh().0 - 0.305).abs() < 1e-12, "{e}");
}

/// Integrating a ramp finely approaches the curve's exact integral (trapezoids over its
/// segments), checking the piecewise-constant sum against a hand computation.
#[test]
fn fine_steps_converge_to_the_curve_integral() {
    let m = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g5());
    let pts = [
        93.7, 97.0, 101.0, 105.0, 110.0, 116.0, 121.0, 125.0, 129.0, 133.0, 135.0,
    ];
    // ∫₀¹ P(u) du over 1 s of a linear ramp 0 → 100 % = mean of the trapezoids.
    let exact: f64 = pts.windows(2).map(|w| (w[0] + w[1]) / 2.0 * 0.1).sum();
    let n = 100_000;
    let steps: Vec<UtilisationStep> = (0..n)
        .map(|i| UtilisationStep {
            duration: Seconds(1.0 / n as f64),
            utilisation: Utilisation::new((i as f64 + 0.5) / n as f64).unwrap(),
        })
        .collect();
    let e = energy_of_steps(&m, &steps).unwrap().0;
    assert!((e - exact).abs() < 1e-6, "{e} vs {exact}");
}
