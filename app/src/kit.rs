//! The lab kit: what every lab page is made of. The session (play, pause, step, step back,
//! seek, fork and compare) over any run that implements [`scenario::LabRun`], time travel
//! ([`timeline`]), the canvas painter and layouts, charts ([`plot`], [`plot_data`]), the
//! space-time diagram, share links and files, number formats, and the shared components in
//! [`ui`] (transport, share panel, energy panel, fork panel, fault buttons, plot downloads).
//!
//! A lab's run implements [`scenario::LabRun`] in `crates/scenario`, beside the run; the kit
//! draws what it returns. Nothing here names a lab except the shared form helpers in [`form`]
//! (the network lab's form, whose topology, latency and problem helpers the other labs' forms
//! reuse) and the change menus in [`compare`]. Each lab lives in its own module
//! (`network_lab`, `crdt_lab`, `edge_lab`, `energy_lab`) and is listed in [`crate::labs`].
pub mod canvas;
pub mod compare;
pub mod driver;
pub mod editor;
pub mod export;
pub mod form;
pub mod format;
pub mod layout;
pub mod pacing;
pub mod palette;
pub mod plot;
pub mod plot_data;
pub mod raster;
pub mod scene;
pub mod session;
pub mod share;
pub mod spacetime;
pub mod timeline;
pub mod ui;
