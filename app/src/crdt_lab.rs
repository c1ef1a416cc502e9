//! The CRDT convergence lab: pure, natively tested pieces (the editor's form, the explainer,
//! text edits, plot data) and the page's components (`ui`), on the kit ([`crate::kit`]:
//! session, transport, canvas, Share) with a [`scenario::CrdtRun`].

pub mod edit;
pub mod explain;
pub mod form;
pub mod plot_data;
pub mod ui;

/// The CRDT lab's page body, opening a share-link fragment (`s=…`, without `#`) when given one.
///
/// With the `lazy-labs` feature (the site's build) this is the lab's own wasm chunk, downloaded
/// the first time the lab's route opens; without it (tests, native) it is an ordinary function.
#[cfg_attr(feature = "lazy-labs", leptos::lazy)]
pub async fn crdt_page(shared: Option<String>) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <ui::CrdtLab shared=shared /> }.into_any()
}
