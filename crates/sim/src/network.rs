//! The network model: per-link latency distributions, bandwidth, loss, duplication and jitter.

use crate::error::ConfigError;
use crate::rng::SimRng;
use crate::time::SimDuration;
use serde::{Deserialize, Serialize};

/// How long a message spends on the wire after it has been serialised onto the link.
///
/// Every variant yields a non-negative delay in nanoseconds; floats are rounded to the nearest
/// nanosecond. Sampling uses `libm`, so a run is bit-identical natively and in WASM.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LatencyModel {
    /// Always the same delay.
    Constant(SimDuration),
    /// Uniform between `min` and `max` (inclusive of `min`).
    Uniform {
        /// Shortest delay.
        min: SimDuration,
        /// Longest delay.
        max: SimDuration,
    },
    /// Normal with `mean` and `std_dev`, truncated at zero (negative draws are redrawn, so the
    /// shape stays normal above zero instead of piling up at zero).
    Normal {
        /// Mean of the untruncated normal.
        mean: SimDuration,
        /// Standard deviation of the untruncated normal.
        std_dev: SimDuration,
    },
    /// Log-normal: `median · exp(sigma · Z)`. Heavy right tail typical of Internet RTTs.
    LogNormal {
        /// Median delay (`exp(mu)`).
        median: SimDuration,
        /// Shape: the standard deviation of the underlying normal (dimensionless).
        sigma: f64,
    },
    /// Pareto (type I): `scale / U^(1/shape)`, never below `scale`. A small `shape` (≤ 2) gives
    /// the rare very slow messages seen in datacentre tail-latency studies.
    Pareto {
        /// Minimum delay (the Pareto scale, `x_m`).
        scale: SimDuration,
        /// Tail index `α` (> 0); the mean is finite only for `α > 1`.
        shape: f64,
    },
}

/// The delay the default link uses: 10 ms, the per-link latency of Maelstrom's broadcast
/// workload examples (jepsen-io/maelstrom, `doc/03-broadcast`), which our network lab reproduces.
pub const DEFAULT_LATENCY: SimDuration = SimDuration::from_millis(10);

/// Upper bound on any configured delay (one day): longer is surely a unit mistake.
pub const MAX_LATENCY: SimDuration = SimDuration::from_secs(86_400);

impl Default for LatencyModel {
    fn default() -> Self {
        LatencyModel::Constant(DEFAULT_LATENCY)
    }
}

impl LatencyModel {
    /// Checks the parameters, saying which one is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |reason: String| Err(ConfigError::InvalidLatency { reason });
        let too_long = |d: SimDuration| d > MAX_LATENCY;
        match *self {
            LatencyModel::Constant(d) if too_long(d) => {
                bad(format!("constant latency {d} is longer than {MAX_LATENCY}"))
            }
            LatencyModel::Uniform { min, max } if min > max => bad(format!(
                "uniform latency has min {min} greater than max {max}"
            )),
            LatencyModel::Uniform { max, .. } if too_long(max) => bad(format!(
                "uniform latency max {max} is longer than {MAX_LATENCY}"
            )),
            LatencyModel::Normal { mean, std_dev } if too_long(mean) || too_long(std_dev) => bad(
                format!("normal latency mean {mean} / std dev {std_dev} exceed {MAX_LATENCY}"),
            ),
            LatencyModel::LogNormal { median, sigma } => {
                if !(sigma.is_finite() && (0.0..=5.0).contains(&sigma)) {
                    bad(format!(
                        "log-normal sigma must be between 0 and 5, got {sigma}"
                    ))
                } else if too_long(median) {
                    bad(format!(
                        "log-normal median {median} is longer than {MAX_LATENCY}"
                    ))
                } else {
                    Ok(())
                }
            }
            LatencyModel::Pareto { scale, shape } => {
                if !(0.1..=100.0).contains(&shape) {
                    bad(format!(
                        "Pareto shape must be between 0.1 and 100, got {shape}"
                    ))
                } else if too_long(scale) {
                    bad(format!("Pareto scale {scale} is longer than {MAX_LATENCY}"))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// The smallest delay this model can produce (the causality bound).
    pub fn min_delay(&self) -> SimDuration {
        match *self {
            LatencyModel::Constant(d) => d,
            LatencyModel::Uniform { min, .. } => min,
            LatencyModel::Normal { .. } | LatencyModel::LogNormal { .. } => SimDuration::ZERO,
            LatencyModel::Pareto { scale, .. } => scale,
        }
    }

    /// The mean delay (for display; infinite Pareto means are reported as `None`).
    pub fn mean(&self) -> Option<f64> {
        Some(match *self {
            LatencyModel::Constant(d) => d.0 as f64,
            LatencyModel::Uniform { min, max } => (min.0 as f64 + max.0 as f64) / 2.0,
            LatencyModel::Normal { mean, .. } => mean.0 as f64,
            LatencyModel::LogNormal { median, sigma } => {
                median.0 as f64 * libm::exp(sigma * sigma / 2.0)
            }
            LatencyModel::Pareto { scale, shape } => {
                if shape <= 1.0 {
                    return None;
                }
                scale.0 as f64 * shape / (shape - 1.0)
            }
        })
    }

    /// Draws one delay.
    pub fn sample(&self, rng: &mut SimRng) -> SimDuration {
        let ns = match *self {
            LatencyModel::Constant(d) => return d,
            LatencyModel::Uniform { min, max } => {
                return SimDuration(min.0 + rng.below(max.0 - min.0 + 1));
            }
            LatencyModel::Normal { mean, std_dev } => {
                if std_dev.0 == 0 {
                    return mean;
                }
                // Redraw negatives; give up after 64 tries (only when mean ≪ 0, impossible here
                // since mean ≥ 0: the acceptance probability is at least 1/2).
                let mut x = 0.0;
                for _ in 0..64 {
                    x = mean.0 as f64 + std_dev.0 as f64 * rng.standard_normal();
                    if x >= 0.0 {
                        break;
                    }
                }
                x.max(0.0)
            }
            LatencyModel::LogNormal { median, sigma } => {
                median.0 as f64 * libm::exp(sigma * rng.standard_normal())
            }
            LatencyModel::Pareto { scale, shape } => {
                let u = 1.0 - rng.unit_f64(); // (0, 1]
                scale.0 as f64 / libm::pow(u, 1.0 / shape)
            }
        };
        SimDuration(clamp_ns(ns))
    }
}

/// Rounds a float delay to nanoseconds, capping at [`MAX_LATENCY`] so a heavy tail cannot
/// overflow virtual time. The cap is documented on every tail model and is one day.
fn clamp_ns(ns: f64) -> u64 {
    let r = libm::round(ns);
    if r.is_nan() || r <= 0.0 {
        0
    } else if r >= MAX_LATENCY.0 as f64 {
        MAX_LATENCY.0
    } else {
        r as u64
    }
}

/// Everything that shapes one direction of one link. [`LinkParams::default`] is the network
/// used when a scenario says nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkParams {
    /// Propagation delay distribution. Default: constant 10 ms ([`DEFAULT_LATENCY`]).
    pub latency: LatencyModel,
    /// Extra uniform delay in `[0, jitter]` added per message, which reorders messages on
    /// non-FIFO links. Default: 0 (no reordering beyond what the latency model causes).
    pub jitter: SimDuration,
    /// Link capacity in bits per second; a message occupies the link for `size · 8 / bandwidth`
    /// and waits in a FIFO queue per link direction while the link is busy.
    /// Default: `None`, unlimited (no serialisation delay), as in Maelstrom's default network.
    pub bandwidth_bps: Option<u64>,
    /// Probability that a message is lost. Default: 0.
    pub loss: f64,
    /// Probability that a message is delivered twice (the copy takes its own latency draw).
    /// Default: 0.
    pub duplicate: f64,
    /// Whether the link delivers in send order (like a TCP connection): a message never overtakes
    /// an earlier one on the same link direction. Default: `false` (datagram semantics).
    pub fifo: bool,
}

impl Default for LinkParams {
    fn default() -> Self {
        LinkParams {
            latency: LatencyModel::default(),
            jitter: SimDuration::ZERO,
            bandwidth_bps: None,
            loss: 0.0,
            duplicate: 0.0,
            fifo: false,
        }
    }
}

/// Smallest bandwidth accepted: 1 kbit/s (slower is surely a unit mistake).
pub const MIN_BANDWIDTH_BPS: u64 = 1_000;

impl LinkParams {
    /// A link with constant latency and otherwise default parameters.
    pub fn constant(latency: SimDuration) -> LinkParams {
        LinkParams {
            latency: LatencyModel::Constant(latency),
            ..LinkParams::default()
        }
    }

    /// Checks every knob, naming the one that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.latency.validate()?;
        check_probability("loss", self.loss)?;
        check_probability("duplicate", self.duplicate)?;
        if self.jitter > MAX_LATENCY {
            return Err(ConfigError::InvalidLatency {
                reason: format!("jitter {} is longer than {MAX_LATENCY}", self.jitter),
            });
        }
        if let Some(b) = self.bandwidth_bps
            && b < MIN_BANDWIDTH_BPS
        {
            return Err(ConfigError::InvalidBandwidth { bits_per_second: b });
        }
        Ok(())
    }

    /// How long a message of `size_bytes` occupies the link (zero when unlimited), rounded up.
    pub fn serialisation_delay(&self, size_bytes: u32) -> SimDuration {
        match self.bandwidth_bps {
            None => SimDuration::ZERO,
            Some(bps) => {
                let bits = size_bytes as u128 * 8 * 1_000_000_000;
                SimDuration(bits.div_ceil(bps.max(1) as u128).min(u64::MAX as u128) as u64)
            }
        }
    }

    /// The earliest a message of `size_bytes` sent on an idle link can arrive.
    pub fn min_delay(&self, size_bytes: u32) -> SimDuration {
        self.latency.min_delay() + self.serialisation_delay(size_bytes)
    }
}

/// Rejects a probability outside `[0, 1]` (or NaN) with the knob's name.
pub fn check_probability(knob: &'static str, p: f64) -> Result<(), ConfigError> {
    if (0.0..=1.0).contains(&p) {
        Ok(())
    } else {
        Err(ConfigError::ProbabilityOutOfRange { knob, value: p })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_respect_each_models_minimum() {
        let models = [
            LatencyModel::Constant(SimDuration::from_millis(3)),
            LatencyModel::Uniform {
                min: SimDuration::from_millis(1),
                max: SimDuration::from_millis(5),
            },
            LatencyModel::Normal {
                mean: SimDuration::from_millis(2),
                std_dev: SimDuration::from_millis(4),
            },
            LatencyModel::LogNormal {
                median: SimDuration::from_millis(2),
                sigma: 1.0,
            },
            LatencyModel::Pareto {
                scale: SimDuration::from_millis(1),
                shape: 1.5,
            },
        ];
        let mut rng = SimRng::new(5);
        for m in &models {
            m.validate().unwrap();
            for _ in 0..2000 {
                let d = m.sample(&mut rng);
                assert!(d >= m.min_delay(), "{m:?} gave {d}");
                assert!(d <= MAX_LATENCY);
            }
        }
    }

    #[test]
    fn uniform_mean_is_close_to_midpoint() {
        let m = LatencyModel::Uniform {
            min: SimDuration(0),
            max: SimDuration(1000),
        };
        let mut rng = SimRng::new(9);
        let mean = (0..20_000)
            .map(|_| m.sample(&mut rng).0 as f64)
            .sum::<f64>()
            / 20_000.0;
        assert!((mean - 500.0).abs() < 10.0, "{mean}");
    }

    #[test]
    fn invalid_parameters_are_named() {
        let e = LinkParams {
            loss: 1.5,
            ..LinkParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("loss"), "{e}");
        let e = LinkParams {
            duplicate: f64::NAN,
            ..LinkParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("duplicate"), "{e}");
        let e = LatencyModel::Uniform {
            min: SimDuration(5),
            max: SimDuration(1),
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("min"), "{e}");
        assert!(
            LatencyModel::Pareto {
                scale: SimDuration(1),
                shape: 0.0
            }
            .validate()
            .is_err()
        );
        assert!(
            LinkParams {
                bandwidth_bps: Some(10),
                ..LinkParams::default()
            }
            .validate()
            .is_err()
        );
    }

    #[test]
    fn serialisation_delay_follows_bandwidth() {
        let l = LinkParams {
            bandwidth_bps: Some(8_000_000),
            ..LinkParams::default()
        };
        // 1000 bytes = 8000 bits at 8 Mbit/s = 1 ms.
        assert_eq!(l.serialisation_delay(1000), SimDuration::from_millis(1));
        assert_eq!(
            LinkParams::default().serialisation_delay(1000),
            SimDuration::ZERO
        );
    }
}
