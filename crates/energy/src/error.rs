//! Typed errors with messages a user can act on. No model panics on a user's input.

use core::fmt;

/// Why an energy model could not compute what was asked. Each message says what to change.
#[derive(Clone, Debug, PartialEq)]
pub enum EnergyError {
    /// A utilisation outside `[0, 1]` or not a number.
    UtilisationOutOfRange {
        /// The value given.
        value: f64,
    },
    /// A parameter that must be a finite number ≥ 0 (or > 0) is not.
    InvalidParameter {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// What it must be, in words.
        requirement: &'static str,
    },
    /// A measured power curve that cannot be used: too few points, or power falling as load rises.
    InvalidCurve {
        /// What is wrong, in words.
        reason: String,
    },
    /// A DVFS table that cannot be used (empty, unsorted, or with impossible values).
    InvalidPStates {
        /// What is wrong, in words.
        reason: String,
    },
    /// The task cannot finish within the period even at the fastest frequency.
    DeadlineTooShort {
        /// Seconds the task needs at the fastest level.
        needed_s: f64,
        /// Seconds available.
        period_s: f64,
    },
    /// A utilisation series whose times go backwards or end before they start.
    InvalidSeries {
        /// What is wrong, in words.
        reason: String,
    },
    /// The VMs' demand needs more hosts than the fleet has.
    NotEnoughHosts {
        /// Hosts the packing needed (at least).
        needed: usize,
        /// Hosts available.
        hosts: usize,
    },
}

impl fmt::Display for EnergyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnergyError::UtilisationOutOfRange { value } => write!(
                f,
                "utilisation {value} is outside 0..=1: give a fraction of full load, from 0 (idle) to 1 (100 %)"
            ),
            EnergyError::InvalidParameter {
                name,
                value,
                requirement,
            } => write!(f, "{name} = {value}: it must be {requirement}"),
            EnergyError::InvalidCurve { reason } => write!(f, "power curve: {reason}"),
            EnergyError::InvalidPStates { reason } => write!(f, "frequency levels: {reason}"),
            EnergyError::DeadlineTooShort { needed_s, period_s } => write!(
                f,
                "the task needs {needed_s} s even at the fastest level but the period is {period_s} s: lengthen the period or shorten the task"
            ),
            EnergyError::InvalidSeries { reason } => write!(f, "utilisation series: {reason}"),
            EnergyError::NotEnoughHosts { needed, hosts } => write!(
                f,
                "the VMs need at least {needed} hosts but there are {hosts}: add hosts or remove VMs"
            ),
        }
    }
}

impl std::error::Error for EnergyError {}

/// Checks that `value` is finite and ≥ 0.
pub(crate) fn non_negative(name: &'static str, value: f64) -> Result<f64, EnergyError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(EnergyError::InvalidParameter {
            name,
            value,
            requirement: "a finite number ≥ 0",
        })
    }
}
