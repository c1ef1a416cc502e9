//! Integration and property tests for the energy models.

mod consolidation;
mod dvfs;
mod ledger;
mod power;
mod streaming;
