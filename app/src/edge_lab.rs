//! The edge–cloud continuum lab (`#/lab/edge`): where should a task run? The pure parts (form,
//! explainer, plot data, the comparison driven in slices) are tested natively; `painter` and
//! `ui` are the page.

pub mod compare;
pub mod explain;
pub mod form;
pub mod painter;
pub mod plot_data;
pub mod ui;
