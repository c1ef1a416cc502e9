//! The energy & sustainability lab page (`#/lab/energy`, and share links to energy scenarios).

use crate::energy::ui::EnergyLab;
use leptos::prelude::*;

/// The energy & sustainability lab page.
#[component]
pub fn EnergyLabPage(
    /// A share-link fragment (`s=…`, without `#`) to open instead of the default inputs.
    #[prop(optional, into)]
    shared: Option<String>,
) -> impl IntoView {
    view! {
        <div class="lab-page">
            <header class="lab-intro">
                <h1>"Energy & sustainability"</h1>
                <p>
                    "What do computing and communication cost in kilowatt-hours and grams of CO₂? \
                     Work out the energy of a video with every step shown, see how a server's \
                     power follows its load and what lowering the clock frequency saves, and \
                     watch virtual machines packed onto fewer hosts while idle hosts switch off."
                </p>
            </header>
            <EnergyLab shared=shared />
        </div>
    }
}
