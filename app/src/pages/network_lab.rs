//! The network & broadcast lab page (`#/lab/network`, and share links `#s=…`).

use crate::lab::ui::Lab;
use leptos::prelude::*;

/// The network & broadcast lab page.
#[component]
pub fn NetworkLabPage(
    /// A share-link fragment (`s=…`, without `#`) to open instead of the default scenario.
    #[prop(optional, into)]
    shared: Option<String>,
) -> impl IntoView {
    view! {
        <div class="lab-page">
            <header class="lab-intro">
                <h1>"Network & broadcast"</h1>
                <p>
                    "How does a message reach every node? Compare flooding, gossip and tree \
                     broadcast on different topologies, and see what latency, loss and partitions \
                     do to delivery time and to the number of messages sent."
                </p>
            </header>
            <Lab shared=shared />
        </div>
    }
}
