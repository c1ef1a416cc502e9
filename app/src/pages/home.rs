//! The home page: what Continuum is, and the way into the labs.

use crate::router::Route;
use leptos::prelude::*;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">"Continuum"</h1>
            <p class="lead">
                "A distributed-systems playground that runs entirely in your browser: build a \
                 network of nodes, break it, and watch what the protocols do."
            </p>
        </section>
        <section aria-labelledby="labs-title">
            <h2 id="labs-title">"Labs"</h2>
            <ul class="cards">
                <li class="card">
                    <h3>
                        <a href=Route::NetworkLab.href()>"Network & broadcast"</a>
                    </h3>
                    <p>
                        "Flooding, gossip and tree broadcast over lossy, slow or partitioned links."
                    </p>
                </li>
            </ul>
        </section>
    }
}
