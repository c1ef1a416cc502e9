//! The network & broadcast lab: flooding, gossip and tree broadcast over lossy, slow or
//! partitioned networks. Its run is [`scenario::BroadcastRun`]; this module holds the page's
//! editor (over the form in [`crate::kit::form`]), inspector, panels, explainer and page body,
//! all built from the kit.

pub mod editor;
pub mod explain;
pub mod inspector;
pub mod panels;
pub mod ui;

/// The kit's lab context around a network-lab session: what every component of this lab reads.
pub type NetworkContext = crate::kit::ui::LabContext<scenario::BroadcastRun>;
