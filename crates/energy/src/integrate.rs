//! Energy is the integral of power over time. For a utilisation that is constant between change
//! points (piecewise constant, as a simulation's trace gives it) the integral is an exact sum:
//! `E = Σ P(uᵢ)·Δtᵢ`.

use crate::error::EnergyError;
use crate::power::{PowerModel, Utilisation};
use crate::units::{Joules, Seconds};
use serde::{Deserialize, Serialize};
use sim::SimTime;

/// A stretch of time at one utilisation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct UtilisationStep {
    /// How long.
    pub duration: Seconds,
    /// At what load.
    pub utilisation: Utilisation,
}

/// The energy of consecutive steps: `Σ P(uᵢ)·Δtᵢ`. Durations must be finite and ≥ 0.
pub fn energy_of_steps(
    model: &PowerModel,
    steps: &[UtilisationStep],
) -> Result<Joules, EnergyError> {
    let mut total = Joules::ZERO;
    for s in steps {
        crate::error::non_negative("step duration (s)", s.duration.0)?;
        total += model.power(s.utilisation) * s.duration;
    }
    Ok(total)
}

/// The energy from the first change point to `end`, the utilisation holding from each change
/// point `(tᵢ, uᵢ)` until the next (or `end`). Times must not go backwards and `end` must not
/// come before the last change. Before the first change nothing is counted.
pub fn energy_between(
    model: &PowerModel,
    changes: &[(SimTime, Utilisation)],
    end: SimTime,
) -> Result<Joules, EnergyError> {
    let mut total = Joules::ZERO;
    for (i, &(t, u)) in changes.iter().enumerate() {
        let next = changes.get(i + 1).map_or(end, |c| c.0);
        if next < t {
            return Err(EnergyError::InvalidSeries {
                reason: format!(
                    "time goes backwards from {t} to {next} at change {i}; give change points in time order, ending no later than the end"
                ),
            });
        }
        total += model.power(u) * Seconds::from(next - t);
    }
    Ok(total)
}

/// Mean power over the steps (energy divided by total time); `None` if no time passes.
pub fn mean_power(model: &PowerModel, steps: &[UtilisationStep]) -> Option<crate::units::Watts> {
    let time: Seconds = steps.iter().map(|s| s.duration).sum();
    if time.0 > 0.0 {
        energy_of_steps(model, steps).ok().map(|e| e / time)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Watts;

    fn u(x: f64) -> Utilisation {
        Utilisation::new(x).unwrap()
    }

    #[test]
    fn constant_load_gives_power_times_time() {
        let m = PowerModel::linear(Watts(100.0), Watts(200.0)).unwrap();
        let steps = [UtilisationStep {
            duration: Seconds(3600.0),
            utilisation: u(0.5),
        }];
        assert_eq!(energy_of_steps(&m, &steps).unwrap(), Joules(150.0 * 3600.0));
    }

    #[test]
    fn change_points_integrate_to_the_sum_of_rectangles() {
        let m = PowerModel::linear(Watts(100.0), Watts(200.0)).unwrap();
        // 0–10 s idle (100 W), 10–30 s full (200 W), 30–40 s half (150 W).
        let changes = [
            (SimTime::from_secs(0), u(0.0)),
            (SimTime::from_secs(10), u(1.0)),
            (SimTime::from_secs(30), u(0.5)),
        ];
        let e = energy_between(&m, &changes, SimTime::from_secs(40)).unwrap();
        assert_eq!(e, Joules(100.0 * 10.0 + 200.0 * 20.0 + 150.0 * 10.0));
        let backwards = [
            (SimTime::from_secs(5), u(0.0)),
            (SimTime::from_secs(1), u(1.0)),
        ];
        assert!(energy_between(&m, &backwards, SimTime::from_secs(9)).is_err());
        assert!(energy_between(&m, &changes, SimTime::from_secs(20)).is_err());
    }

    #[test]
    fn mean_power_of_a_duty_cycle() {
        let m = PowerModel::linear(Watts(50.0), Watts(150.0)).unwrap();
        let steps = [
            UtilisationStep {
                duration: Seconds(1.0),
                utilisation: u(1.0),
            },
            UtilisationStep {
                duration: Seconds(3.0),
                utilisation: u(0.0),
            },
        ];
        assert_eq!(mean_power(&m, &steps), Some(Watts(75.0)));
        assert_eq!(mean_power(&m, &[]), None);
        let neg = [UtilisationStep {
            duration: Seconds(-1.0),
            utilisation: u(0.0),
        }];
        assert!(energy_of_steps(&m, &neg).is_err());
    }
}
