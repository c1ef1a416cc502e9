//! The energy & sustainability lab: pure, natively tested pieces (number formatting, the form
//! that edits an [`scenario::energy_lab::EnergyScenario`], the calculator's table, the power and
//! DVFS curves, the consolidation experiment's frames and comparison, chart specifications), and
//! the browser-only parts that draw them (`plot`) and the page's components (`ui`).

pub mod chart;
pub mod consolidation;
pub mod curves;
pub mod form;
pub mod numbers;
pub mod plot;
pub mod streaming;
pub mod ui;
