//! The edge–cloud continuum lab (`#/lab/edge`): where should a task run? The pure parts (form,
//! explainer, plot data, the comparison driven in slices) are tested natively; `painter` and
//! `ui` are the page.

pub mod compare;
pub mod explain;
pub mod form;
pub mod painter;
pub mod plot_data;
pub mod ui;

/// The edge lab's page body, opening a share-link fragment (`s=…`, without `#`) when given one.
///
/// With the `lazy-labs` feature (the site's build) this is the lab's own wasm chunk, downloaded
/// the first time the lab's route opens; without it (tests, native) it is an ordinary function.
#[cfg_attr(feature = "lazy-labs", leptos::lazy)]
pub async fn edge_page(shared: Option<String>) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <ui::EdgeLab shared=shared /> }.into_any()
}
