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

/// The energy lab's page body, opening a share-link fragment (`s=…`, without `#`) when given one.
///
/// With the `lazy-labs` feature (the site's build) this is the lab's own wasm chunk, downloaded
/// the first time the lab's route opens; without it (tests, native) it is an ordinary function.
#[cfg_attr(feature = "lazy-labs", leptos::lazy)]
pub async fn energy_page(shared: Option<String>) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <ui::EnergyLab shared=shared /> }.into_any()
}
