//! Local clocks: offset, drift and steps, in integer arithmetic so every target agrees.

use crate::error::ConfigError;
use crate::time::{LocalTime, SimDuration, SimTime};
use serde::{Deserialize, Serialize};

/// Largest offset or step accepted: one day, in ns.
pub const MAX_CLOCK_OFFSET_NS: i64 = 86_400_000_000_000;
/// Largest drift accepted: ±10 % (100,000 ppm). Quartz oscillators drift by tens of ppm
/// (typically ±20–100 ppm, e.g. Marouani & Dagenais, "Internal clock drift estimation in computer
/// clusters", 2008); larger values are allowed so that effects are visible in a short run.
pub const MAX_DRIFT_PPB: i64 = 100_000_000;

/// How a node's clock relates to global time: `local = t + offset + t·drift + steps`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockParams {
    /// Reading at global time zero, ns. Default 0 (perfectly synchronised start).
    pub offset_ns: i64,
    /// Rate error in parts per billion (1 ppm = 1,000 ppb; positive runs fast). Default 0.
    pub drift_ppb: i64,
}

/// Rejects a drift beyond [`MAX_DRIFT_PPB`].
pub fn check_drift(drift_ppb: i64) -> Result<(), ConfigError> {
    if drift_ppb.abs() > MAX_DRIFT_PPB {
        return Err(ConfigError::InvalidClock {
            reason: format!(
                "drift of {} ppm is beyond ±{} ppm",
                drift_ppb as f64 / 1000.0,
                MAX_DRIFT_PPB / 1000
            ),
        });
    }
    Ok(())
}

impl ClockParams {
    /// A clock drifting by `ppm` parts per million.
    pub fn drifting_ppm(ppm: i64) -> ClockParams {
        ClockParams {
            offset_ns: 0,
            drift_ppb: ppm.saturating_mul(1000),
        }
    }

    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.offset_ns.abs() > MAX_CLOCK_OFFSET_NS {
            return Err(ConfigError::InvalidClock {
                reason: format!("offset of {} ns is larger than one day", self.offset_ns),
            });
        }
        check_drift(self.drift_ppb)
    }
}

/// A node's clock as it evolves during a run (drift changes and steps re-anchor it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalClock {
    /// Global time of the last re-anchoring.
    anchor_global: u64,
    /// Local reading at `anchor_global`.
    anchor_local: i64,
    /// Current drift, ppb.
    drift_ppb: i64,
}

impl LocalClock {
    /// A clock starting at global time zero with the given parameters.
    pub fn new(p: ClockParams) -> LocalClock {
        LocalClock {
            anchor_global: 0,
            anchor_local: p.offset_ns,
            drift_ppb: p.drift_ppb,
        }
    }

    /// The local reading at global time `t` (`t` must not precede the last re-anchoring).
    pub fn read(&self, t: SimTime) -> LocalTime {
        if self.drift_ppb == 0 {
            // The common case, without 128-bit division.
            let dt = t.0.saturating_sub(self.anchor_global);
            return LocalTime(
                self.anchor_local
                    .saturating_add(dt.min(i64::MAX as u64) as i64),
            );
        }
        let dt = t.0.saturating_sub(self.anchor_global) as i128;
        let local = self.anchor_local as i128 + dt + dt * self.drift_ppb as i128 / 1_000_000_000;
        LocalTime(local.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
    }

    /// The global delay after which `local` nanoseconds will have passed on this clock (rounded up,
    /// so a timer never fires early by local reckoning).
    pub fn global_delay(&self, local: SimDuration) -> SimDuration {
        if self.drift_ppb == 0 {
            return local;
        }
        let rate = 1_000_000_000i128 + self.drift_ppb as i128; // > 0 by validation
        let g = (local.0 as i128 * 1_000_000_000 + rate - 1) / rate;
        SimDuration(g.clamp(0, u64::MAX as i128) as u64)
    }

    /// Jumps the clock by `by_ns` at global time `t`.
    pub fn step(&mut self, t: SimTime, by_ns: i64) {
        let now = self.read(t);
        self.anchor_global = t.0;
        self.anchor_local = now.0.saturating_add(by_ns);
    }

    /// Changes the drift from global time `t` on, without a jump.
    pub fn set_drift(&mut self, t: SimTime, drift_ppb: i64) {
        let now = self.read(t);
        self.anchor_global = t.0;
        self.anchor_local = now.0;
        self.drift_ppb = drift_ppb;
    }

    /// Current drift, ppb.
    pub fn drift_ppb(&self) -> i64 {
        self.drift_ppb
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drift_and_offset_add_up() {
        let c = LocalClock::new(ClockParams {
            offset_ns: 5_000,
            drift_ppb: 100_000,
        }); // +100 ppm
        assert_eq!(
            c.read(SimTime::from_secs(1)),
            LocalTime(1_000_000_000 + 5_000 + 100_000)
        );
    }

    #[test]
    fn steps_and_drift_changes_reanchor() {
        let mut c = LocalClock::new(ClockParams::default());
        c.step(SimTime(1000), -500);
        assert_eq!(c.read(SimTime(1000)), LocalTime(500));
        assert_eq!(c.read(SimTime(2000)), LocalTime(1500));
        c.set_drift(SimTime(2000), 1_000_000_000 / 2); // +50 %
        assert_eq!(c.read(SimTime(4000)), LocalTime(1500 + 3000));
    }

    #[test]
    fn timers_use_the_local_rate() {
        let fast = LocalClock::new(ClockParams {
            offset_ns: 0,
            drift_ppb: 1_000_000_000 / 4,
        }); // +25 %
        assert_eq!(fast.global_delay(SimDuration(1250)), SimDuration(1000));
        let slow = LocalClock::new(ClockParams {
            offset_ns: 0,
            drift_ppb: -1_000_000_000 / 2,
        });
        assert_eq!(slow.global_delay(SimDuration(1000)), SimDuration(2000));
    }

    #[test]
    fn out_of_range_parameters_are_rejected() {
        assert!(
            ClockParams {
                offset_ns: 0,
                drift_ppb: 200_000_000
            }
            .validate()
            .is_err()
        );
        assert!(
            ClockParams {
                offset_ns: i64::MAX,
                drift_ppb: 0
            }
            .validate()
            .is_err()
        );
        assert!(ClockParams::drifting_ppm(50).validate().is_ok());
    }
}
