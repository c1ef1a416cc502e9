//! The edge–cloud continuum lab page (`#/lab/edge`, and share links of edge scenarios).

use crate::edge_lab::ui::EdgeLab;
use leptos::prelude::*;

/// The edge–cloud continuum lab page.
#[component]
pub fn EdgeLabPage(
    /// A share-link fragment (`s=…`, without `#`) to open instead of the default scenario.
    #[prop(optional, into)]
    shared: Option<String>,
) -> impl IntoView {
    view! {
        <div class="lab-page">
            <header class="lab-intro">
                <h1>"Edge–cloud continuum"</h1>
                <p>
                    "Where should a task run: on the user's base station, a regional fog node or \
                     the cloud? Devices send tasks with deadlines; a placement policy decides where \
                     each one runs. Watch queues build, compare the nine policies on the same \
                     workload, and weigh latency, deadline misses, energy and cost."
                </p>
            </header>
            <EdgeLab shared=shared />
        </div>
    }
}
