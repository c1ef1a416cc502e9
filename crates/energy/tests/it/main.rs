//! Integration and property tests for the energy models.

mod power;
