//! Continuum's web app: a thin reactive shell (Leptos, client-side rendered) over the simulation
//! crates. `main.rs` only mounts [`App`]; pages live in [`pages`], routing in [`router`].

pub mod components;
pub mod crash_banner;
pub mod crdt_lab;
pub mod edge_lab;
pub mod energy_lab;
pub mod kit;
pub mod labs;
pub mod network_lab;
pub mod pages;
pub mod router;

use leptos::prelude::*;
use router::Route;

/// The whole page: the site header, then the page for the current hash route.
#[component]
pub fn App() -> impl IntoView {
    let route = router::use_hash_route();
    Effect::new(move |_| {
        let route = route.get();
        document().set_title(&route.document_title());
    });
    view! {
        <components::SiteHeader route=route />
        <main id="main">{move || page(&route.get())}</main>
    }
}

/// The page component for `route`.
fn page(route: &Route) -> AnyView {
    match route {
        Route::Home => view! { <pages::HomePage /> }.into_any(),
        Route::About => view! { <pages::AboutPage /> }.into_any(),
        Route::Lab(lab) => view! { <labs::LabShell page=*lab /> }.into_any(),
        Route::Shared { fragment, lab } => {
            view! { <labs::LabShell page=*lab shared=fragment.clone() /> }.into_any()
        }
        Route::NotFound(hash) => view! { <pages::NotFoundPage hash=hash.clone() /> }.into_any(),
    }
}
