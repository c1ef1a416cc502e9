//! Dynamic voltage and frequency scaling (DVFS).
//!
//! A CMOS processor switching an effective capacitance `C` at frequency `f` and supply voltage
//! `V` draws dynamic power `P_dyn = C·V²·f` (Weste & Harris, *CMOS VLSI Design*, 4th ed., §5.1),
//! on top of a static (leakage) power `P_static` while it is powered. A CPU-bound task of `N`
//! cycles takes `t = N / f`, so its energy is
//!
//! ```text
//! E_task(f) = (P_static + C·V²·f)·N/f = P_static·N/f + C·V²·N
//! ```
//!
//! Slower levels need a lower voltage, so the `C·V²·N` term falls; but the task runs longer, so
//! the static term `P_static·N/f` grows. Over a fixed period `T` the processor idles at
//! `P_idle` for the rest of the period, which is what decides whether racing to idle (finish
//! fast, then sleep) beats running slowly.

use crate::error::{EnergyError, non_negative};
use crate::units::{Farads, Hertz, Joules, Seconds, Volts, Watts};
use serde::{Deserialize, Serialize};

/// One frequency level (a P-state) and the supply voltage it needs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PState {
    /// Clock frequency.
    pub frequency: Hertz,
    /// Supply voltage at that frequency.
    pub voltage: Volts,
}

/// A processor with DVFS levels and a power model. Deserialising checks it like
/// [`Processor::new`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ProcessorData")]
pub struct Processor {
    /// Its name.
    pub name: String,
    /// Where its levels and parameters come from.
    pub source: String,
    levels: Vec<PState>,
    /// Effective switched capacitance `C` in `C·V²·f`.
    pub capacitance: Farads,
    /// Static (leakage) power while running, at any level.
    pub static_power: Watts,
    /// Power while idle (in a sleep state) after the task has finished.
    pub idle_power: Watts,
}

/// A [`Processor`] as it arrives from outside, before it is checked.
#[derive(Deserialize)]
struct ProcessorData {
    name: String,
    source: String,
    levels: Vec<PState>,
    capacitance: Farads,
    static_power: Watts,
    idle_power: Watts,
}

impl TryFrom<ProcessorData> for Processor {
    type Error = EnergyError;
    fn try_from(d: ProcessorData) -> Result<Processor, EnergyError> {
        Processor::new(
            d.name,
            d.source,
            d.levels,
            d.capacitance,
            d.static_power,
            d.idle_power,
        )
    }
}

/// Energy, time and power of one task at one level, over a fixed period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelEnergy {
    /// The level.
    pub level: PState,
    /// Power while running: `P_static + C·V²·f`.
    pub power: Watts,
    /// Run time `N / f`.
    pub time: Seconds,
    /// Energy of the task itself: `power × time`.
    pub task_energy: Joules,
    /// Whether the task finishes within the period.
    pub meets_period: bool,
    /// Task energy plus idling for the rest of the period (only if it meets the period).
    pub period_energy: Option<Joules>,
}

/// The answer to "race to idle, or run slowly?" for one task and period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceToIdle {
    /// Running at the fastest level, then idling.
    pub race: LevelEnergy,
    /// Running at the slowest level that still meets the period, then idling.
    pub slow: LevelEnergy,
    /// Energy over the period when racing.
    pub race_energy: Joules,
    /// Energy over the period when running slowly.
    pub slow_energy: Joules,
    /// Whether racing uses strictly less energy over the period.
    pub race_wins: bool,
}

impl Processor {
    /// A processor from its levels (any order; sorted by frequency) and power parameters.
    /// Frequencies and voltages must be finite and > 0, frequencies distinct; `C`, static and
    /// idle power finite and ≥ 0.
    pub fn new(
        name: impl Into<String>,
        source: impl Into<String>,
        mut levels: Vec<PState>,
        capacitance: Farads,
        static_power: Watts,
        idle_power: Watts,
    ) -> Result<Processor, EnergyError> {
        if levels.is_empty() {
            return Err(EnergyError::InvalidPStates {
                reason: "no levels; give at least one frequency with its voltage".into(),
            });
        }
        for l in &levels {
            if !(l.frequency.0.is_finite() && l.frequency.0 > 0.0) {
                return Err(EnergyError::InvalidPStates {
                    reason: format!("frequency {} must be a finite number > 0", l.frequency),
                });
            }
            if !(l.voltage.0.is_finite() && l.voltage.0 > 0.0) {
                return Err(EnergyError::InvalidPStates {
                    reason: format!("voltage {} must be a finite number > 0", l.voltage),
                });
            }
        }
        levels.sort_by(|a, b| a.frequency.0.total_cmp(&b.frequency.0));
        if levels.windows(2).any(|w| w[0].frequency == w[1].frequency) {
            return Err(EnergyError::InvalidPStates {
                reason: "two levels have the same frequency; keep one".into(),
            });
        }
        non_negative("capacitance (F)", capacitance.0)?;
        non_negative("static power (W)", static_power.0)?;
        non_negative("idle power (W)", idle_power.0)?;
        Ok(Processor {
            name: name.into(),
            source: source.into(),
            levels,
            capacitance,
            static_power,
            idle_power,
        })
    }

    /// Intel Pentium M 1.6 GHz (130 nm, "Banias") with Enhanced SpeedStep: six levels from
    /// 600 MHz at 0.956 V to 1.6 GHz at 1.484 V.
    ///
    /// Levels: Intel, "Enhanced Intel SpeedStep Technology for the Intel Pentium M Processor",
    /// white paper 301170-001 (2004), table of operating points as reproduced by Hardware
    /// Secrets, "Inside Pentium M Architecture" (2006): 1.6 GHz 1.484 V, 1.4 GHz 1.420 V,
    /// 1.2 GHz 1.276 V, 1.0 GHz 1.164 V, 800 MHz 1.036 V, 600 MHz 0.956 V.
    ///
    /// `C` is derived, not published: chosen so that the running power at the top level,
    /// `P_static + C·V²·f`, equals Banias's 24.5 W thermal design power, so that the processor
    /// never draws more than its TDP: `C = (24.5 − 2) / (1.484² × 1.6·10⁹) ≈ 6.38 nF`. Idle
    /// power 0.55 W is Banias's Deeper Sleep power; both figures as reported by ComputerBase,
    /// "Dothan bald mit FSB533 und 2,13 GHz" (2004), comparing Dothan's 21 W TDP with Banias.
    /// Static power 2 W is an assumption for illustration, of the order of the 1.7 W Banias
    /// draws halted (Auto Halt / Stop Grant) in the same report; change it to explore when
    /// racing to idle wins.
    pub fn pentium_m_1600() -> Processor {
        let ghz = |g: f64| Hertz(g * 1e9);
        let levels = vec![
            PState {
                frequency: ghz(0.6),
                voltage: Volts(0.956),
            },
            PState {
                frequency: ghz(0.8),
                voltage: Volts(1.036),
            },
            PState {
                frequency: ghz(1.0),
                voltage: Volts(1.164),
            },
            PState {
                frequency: ghz(1.2),
                voltage: Volts(1.276),
            },
            PState {
                frequency: ghz(1.4),
                voltage: Volts(1.420),
            },
            PState {
                frequency: ghz(1.6),
                voltage: Volts(1.484),
            },
        ];
        Processor {
            name: "Intel Pentium M 1.6 GHz (Banias)".into(),
            source: "Intel Enhanced SpeedStep white paper (2004) operating points; C fitted so \
                     that static + dynamic power at 1.6 GHz is the 24.5 W TDP; idle 0.55 W \
                     Deeper Sleep (ComputerBase 2004); static power 2 W assumed"
                .into(),
            levels,
            capacitance: Farads((24.5 - 2.0) / (1.484 * 1.484 * 1.6e9)),
            static_power: Watts(2.0),
            idle_power: Watts(0.55),
        }
    }

    /// The levels, slowest first.
    pub fn levels(&self) -> &[PState] {
        &self.levels
    }

    /// The slowest level.
    pub fn slowest(&self) -> PState {
        self.levels[0]
    }

    /// The fastest level.
    pub fn fastest(&self) -> PState {
        self.levels[self.levels.len() - 1]
    }

    /// The voltage needed at `f`, interpolated linearly between the neighbouring levels (for a
    /// frequency slider); outside the table's range it is an error.
    pub fn at_frequency(&self, f: Hertz) -> Result<PState, EnergyError> {
        let (lo, hi) = (self.slowest(), self.fastest());
        if !(f.0.is_finite() && lo.frequency <= f && f <= hi.frequency) {
            return Err(EnergyError::InvalidParameter {
                name: "frequency (Hz)",
                value: f.0,
                requirement: "within the processor's range of levels",
            });
        }
        let i = self
            .levels
            .windows(2)
            .position(|w| f <= w[1].frequency)
            .unwrap_or(0);
        if self.levels.len() == 1 {
            return Ok(lo);
        }
        let (a, b) = (self.levels[i], self.levels[i + 1]);
        let t = (f.0 - a.frequency.0) / (b.frequency.0 - a.frequency.0);
        Ok(PState {
            frequency: f,
            voltage: Volts(a.voltage.0 + (b.voltage.0 - a.voltage.0) * t),
        })
    }

    /// Dynamic power `C·V²·f` at a level.
    pub fn dynamic_power(&self, level: PState) -> Watts {
        Watts(self.capacitance.0 * level.voltage.0 * level.voltage.0 * level.frequency.0)
    }

    /// Power while running at a level: `P_static + C·V²·f`.
    pub fn power(&self, level: PState) -> Watts {
        self.static_power + self.dynamic_power(level)
    }

    /// Time for a CPU-bound task of `cycles` cycles: `N / f`.
    pub fn time(&self, level: PState, cycles: f64) -> Seconds {
        Seconds(cycles / level.frequency.0)
    }

    /// Energy of the task at a level: `P_static·N/f + C·V²·N`.
    pub fn task_energy(&self, level: PState, cycles: f64) -> Joules {
        self.power(level) * self.time(level, cycles)
    }

    /// Time, power and energy of a task of `cycles` cycles at `level` within `period`.
    pub fn level_energy(&self, level: PState, cycles: f64, period: Seconds) -> LevelEnergy {
        let time = self.time(level, cycles);
        let task_energy = self.task_energy(level, cycles);
        let meets_period = time <= period;
        LevelEnergy {
            level,
            power: self.power(level),
            time,
            task_energy,
            meets_period,
            period_energy: meets_period.then(|| task_energy + self.idle_power * (period - time)),
        }
    }

    /// [`Processor::level_energy`] for every level, slowest first (for tables and plots).
    pub fn all_levels(&self, cycles: f64, period: Seconds) -> Vec<LevelEnergy> {
        self.levels
            .iter()
            .map(|&l| self.level_energy(l, cycles, period))
            .collect()
    }

    /// [`Processor::level_energy`] at `steps + 1` frequencies evenly spaced from the slowest to
    /// the fastest level, voltage interpolated between levels (for a frequency slider's plots).
    pub fn sweep(&self, cycles: f64, period: Seconds, steps: usize) -> Vec<LevelEnergy> {
        let (lo, hi) = (self.slowest().frequency.0, self.fastest().frequency.0);
        (0..=steps)
            .filter_map(|i| {
                let f = if steps == 0 {
                    hi
                } else {
                    lo + (hi - lo) * i as f64 / steps as f64
                };
                // Rounding can put the last point a hair above the top level.
                let f = Hertz(f.min(hi));
                self.at_frequency(f).ok()
            })
            .map(|l| self.level_energy(l, cycles, period))
            .collect()
    }

    /// Whether racing to idle (fastest level, then idle) beats the slowest level that meets the
    /// period, for a task of `cycles` cycles that must finish within `period`.
    pub fn race_to_idle(&self, cycles: f64, period: Seconds) -> Result<RaceToIdle, EnergyError> {
        non_negative("task cycles", cycles)?;
        non_negative("period (s)", period.0)?;
        let race = self.level_energy(self.fastest(), cycles, period);
        let (Some(race_energy), Some(slow)) = (
            race.period_energy,
            self.levels
                .iter()
                .map(|&l| self.level_energy(l, cycles, period))
                .find(|l| l.meets_period),
        ) else {
            return Err(EnergyError::DeadlineTooShort {
                needed_s: race.time.0,
                period_s: period.0,
            });
        };
        let slow_energy = slow.period_energy.unwrap_or(race_energy);
        Ok(RaceToIdle {
            race,
            slow,
            race_energy,
            slow_energy,
            race_wins: race_energy < slow_energy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
    }

    #[test]
    fn pentium_m_top_level_draws_its_tdp() {
        let p = Processor::pentium_m_1600();
        // Static 2 W + dynamic 22.5 W = the 24.5 W TDP at the top level, not above it.
        assert!(close(p.power(p.fastest()).0, 24.5));
        assert!(close(p.dynamic_power(p.fastest()).0, 22.5));
        assert!(
            (p.capacitance.0 * 1e9 - 6.3855).abs() < 1e-4,
            "{}",
            p.capacitance.0
        );
        assert_eq!(p.levels().len(), 6);
        assert_eq!(p.slowest().voltage, Volts(0.956));
        // Dynamic power at 600 MHz: 22.5 × (0.956/1.484)² × (0.6/1.6) ≈ 3.50 W, a 6.4× drop:
        // the factor Wikipedia's SpeedStep article gives for this part.
        let ratio = p.dynamic_power(p.fastest()) / p.dynamic_power(p.slowest());
        assert!((ratio - 6.43).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn frequency_slider_interpolates_voltage() {
        let p = Processor::pentium_m_1600();
        let l = p.at_frequency(Hertz(1.5e9)).unwrap();
        assert!(close(l.voltage.0, (1.420 + 1.484) / 2.0));
        assert_eq!(p.at_frequency(Hertz(0.6e9)).unwrap().voltage, Volts(0.956));
        assert!(p.at_frequency(Hertz(2e9)).is_err());
        assert!(p.at_frequency(Hertz(f64::NAN)).is_err());
    }

    #[test]
    fn sweep_runs_from_slowest_to_fastest() {
        let p = Processor::pentium_m_1600();
        let s = p.sweep(1e9, Seconds(5.0), 100);
        assert_eq!(s.len(), 101);
        assert_eq!(s[0].level, p.slowest());
        assert_eq!(s[100].level, p.fastest());
        assert!(s.windows(2).all(|w| w[0].time >= w[1].time));
        assert!(s.windows(2).all(|w| w[0].power <= w[1].power));
        assert_eq!(p.sweep(1e9, Seconds(5.0), 0).len(), 1);
    }

    #[test]
    fn bad_tables_are_errors() {
        let f = Farads(1e-9);
        assert!(Processor::new("x", "t", vec![], f, Watts(0.0), Watts(0.0)).is_err());
        let l = PState {
            frequency: Hertz(1e9),
            voltage: Volts(1.0),
        };
        assert!(Processor::new("x", "t", vec![l, l], f, Watts(0.0), Watts(0.0)).is_err());
        let zero = PState {
            frequency: Hertz(0.0),
            voltage: Volts(1.0),
        };
        assert!(Processor::new("x", "t", vec![zero], f, Watts(0.0), Watts(0.0)).is_err());
        assert!(Processor::new("x", "t", vec![l], f, Watts(-1.0), Watts(0.0)).is_err());
    }

    #[test]
    fn deserialising_checks_the_table() {
        let p = Processor::pentium_m_1600();
        let json = serde_json::to_string(&p).unwrap();
        let back = serde_json::from_str::<Processor>(&json).unwrap();
        assert_eq!(back.levels(), p.levels());
        // serde_json's default float parsing may differ in the last bit.
        assert!(close(back.capacitance.0, p.capacitance.0));
        let empty = json.replace(
            &json[json.find("\"levels\"").unwrap()..json.find(",\"capacitance\"").unwrap()],
            "\"levels\":[]",
        );
        assert!(
            serde_json::from_str::<Processor>(&empty).is_err(),
            "{empty}"
        );
    }

    #[test]
    fn deadline_shorter_than_the_fastest_run_is_an_error() {
        let p = Processor::pentium_m_1600();
        // 1.6e9 cycles take 1 s at 1.6 GHz.
        let e = p.race_to_idle(1.6e9, Seconds(0.5));
        assert!(matches!(e, Err(EnergyError::DeadlineTooShort { .. })));
    }
}
