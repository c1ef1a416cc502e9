//! The CRDT convergence lab: pure, natively tested pieces (the editor's form, the explainer,
//! text edits, plot data) and the page's components (`ui`), on the shared lab machinery of
//! [`crate::lab`] (session, transport, canvas, Share) with a [`scenario::CrdtRun`].

pub mod edit;
pub mod explain;
pub mod form;
pub mod plot_data;
pub mod ui;
