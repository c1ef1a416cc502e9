//! Integration and property tests for the energy models.

mod dvfs;
mod power;
mod streaming;
