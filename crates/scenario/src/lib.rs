//! Scenarios and share links.
//!
//! A Continuum scenario is plain data that reproduces a run exactly; a share link carries one in
//! the page URL's fragment, `#s=<version>.<payload>`. This crate owns that format:
//!
//! - [`catalogue`]: the table of labs (route, title, part of the course, what each teaches).
//! - [`link`]: the generic share-link codec: versioned, deflate-compressed, base64url text with
//!   size limits, so any bad link (cut off, edited, crafted) becomes a [`link::LinkError`] the page
//!   can show, never a panic or a frozen tab.
//!
//! - [`scenario`]: the [`Scenario`] schema, its validation and limits, presets, and its link.
//! - [`broadcast_run`]: a live network & broadcast run advanced in slices; [`run`] runs one to the end.
//! - [`crdt_lab`] and [`crdt_run`]: the CRDT lab's parameters and presets, and its live run
//!   (the chosen sync mode plus shadow runs of the other modes and of the naive twin).
//! - [`energy_ledger`]: the energy ledger every lab run carries, with its coefficients' sources.
//! - [`file`]: scenarios as JSON files, exported and imported with every problem reported.
//! - [`fork`]: a fork of a run: the same scenario with one change, for comparing two runs.
//! - [`energy_lab`]: the energy & sustainability lab's parameters, their validation, and the
//!   consolidation experiment's seeded workload.
//! - [`edge_lab`] and [`edge_run`]: the edge–cloud continuum lab's parameters and presets, its
//!   live run (curves, servers and devices for drawing) and the compare mode.
//! - [`lab_run`]: [`LabRun`], what every lab's live run offers the page (node looks, metrics,
//!   faults, trace log, energy, curves), implemented beside each run; [`export`]: curves as CSV.
//! - [`series`]: curves sampled at fixed simulated-time intervals in bounded memory.
//!
//! Nothing here knows about the DOM: the app reads `location.hash` and hands it over.

pub mod broadcast_run;
pub mod crdt_lab;
pub mod crdt_run;
pub mod edge_lab;
pub mod edge_run;
pub mod energy_lab;
pub mod energy_ledger;
pub mod export;
pub mod file;
pub mod fork;
pub mod lab_run;
pub mod lab_scenario;
pub mod labs;
pub mod link;
pub mod scenario;
pub mod series;

pub use broadcast_run::{BroadcastRun, Report, Shortfall, run};
pub use crdt_run::{CrdtReport, CrdtRun, run_crdt};
pub use edge_run::{EdgeReport, EdgeRun, run_edge};
pub use lab_run::LabRun;
pub use lab_scenario::LabScenario;
pub use scenario::{Scenario, default_scenario};
