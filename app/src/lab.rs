//! The network & broadcast lab: pure, natively tested pieces (layout, scene, pacing, plotting
//! data, the editor's form, the explainer, share links), and the browser-only parts that draw
//! them (`canvas`, `plot`) and the page's components (`ui`).
//!
//! The page is a thin reactive shell: everything it shows is computed by the pure modules from a
//! [`scenario::BroadcastRun`], so the numbers are tested with plain `cargo test`.

pub mod canvas;
pub mod compare;
pub mod driver;
pub mod explain;
pub mod export;
pub mod form;
pub mod format;
pub mod layout;
pub mod live;
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
