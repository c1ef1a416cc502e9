//! The network & broadcast lab.

use leptos::prelude::*;

/// The network & broadcast lab page.
#[component]
pub fn NetworkLabPage() -> impl IntoView {
    view! {
        <article class="prose">
            <h1>"Network & broadcast"</h1>
            <p>
                "How does a message reach every node? Compare flooding, gossip and tree \
                 broadcast on different topologies, and see what latency, loss and partitions \
                 do to delivery time and to the number of messages sent."
            </p>
        </article>
    }
}
