//! Integration and property tests for the energy models.

mod dvfs;
mod ledger;
mod power;
mod streaming;
