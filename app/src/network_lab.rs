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

/// The network lab's page body, opening a share-link fragment (`s=…`, without `#`) when given one.
///
/// With the `lazy-labs` feature (the site's build) this is the lab's own wasm chunk, downloaded
/// the first time the lab's route opens; without it (tests, native) it is an ordinary function.
#[cfg_attr(feature = "lazy-labs", leptos::lazy)]
pub async fn network_page(shared: Option<String>) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <ui::NetworkLab shared=shared /> }.into_any()
}
