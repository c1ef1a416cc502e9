//! # `energy` — power, energy and carbon models for Continuum
//!
//! - [`units`]: quantities as types (watts, joules, kWh, gCO₂e, …) with only the arithmetic
//!   that makes physical sense.
//! - [`power`]: power as a function of utilisation — linear, and measured SPECpower curves.
//! - [`integrate`]: energy as the integral of power over a piecewise-constant utilisation.
//! - [`dvfs`]: frequency levels with voltage, `C·V²·f`, energy per task, race to idle.
//! - [`coefficients`]: network, device and data-centre intensities, PUE, grid carbon intensity
//!   and countries' electricity use, each with its source and year.
//! - [`streaming`]: the energy of a video, every step of the arithmetic shown.
//! - [`ledger`]: the energy ledger, a `sim::Observer` charging nodes and messages.
//! - [`consolidation`]: VMs on hosts — spread, first-fit decreasing, pack and switch off.
//!
//! Every default number cites its source in a doc comment. Nothing here panics on a user's
//! input: bad values are an [`EnergyError`] whose message says what to change. Pure Rust, no
//! DOM; float math that is not `+ − × ÷ √` goes through `libm`, so native and WASM agree.

pub mod coefficients;
pub mod consolidation;
pub mod dvfs;
pub mod error;
pub mod integrate;
pub mod ledger;
pub mod power;
pub mod streaming;
pub mod units;

pub use consolidation::{Experiment, HostSpec, MigrationCost, Outcome, Policy, SlotOutcome};
pub use dvfs::{LevelEnergy, PState, Processor, RaceToIdle};
pub use error::EnergyError;
pub use integrate::{UtilisationStep, energy_between, energy_of_steps, mean_power};
pub use ledger::{
    DYNAMIC_POWER_METRIC, EnergyLedger, IDLE_POWER_METRIC, LedgerConfig, LedgerTotals,
    MessageEnergy, NodeEnergy,
};
pub use power::{MeasuredCurve, PowerModel, Utilisation};
pub use streaming::{
    CoefficientSet, Context, Row, StreamingReport, Video, calculate, coefficient_set,
    coefficient_sets,
};
pub use units::{
    Bytes, Farads, Gigabytes, GramsCo2e, GramsCo2ePerKwh, Hertz, Joules, JoulesPerBit,
    KilowattHours, KwhPerGigabyte, KwhPerMinute, Seconds, Volts, Watts,
};
