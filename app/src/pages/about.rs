//! The about page: what Continuum is and how it works.

use leptos::prelude::*;

/// The about page.
#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <article class="prose">
            <h1>"About Continuum"</h1>
            <p>
                "Continuum simulates many virtual nodes, each with its own state, clock and \
                 mailbox, exchanging messages over a simulated network. The simulation kernel \
                 is written in Rust and runs in this page as WebAssembly: there is no server, \
                 and the same scenario with the same seed always gives the same run."
            </p>
            <p>
                "Every run can be shared as a link that reproduces it exactly."
            </p>
        </article>
    }
}
