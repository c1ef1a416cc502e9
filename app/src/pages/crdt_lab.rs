//! The CRDT convergence lab page (`#/lab/crdt`, and share links of CRDT scenarios).

use crate::crdt_lab::ui::CrdtLab;
use leptos::prelude::*;

/// The CRDT convergence lab page.
#[component]
pub fn CrdtLabPage(
    /// A share-link fragment (`s=…`, without `#`) to open instead of the default scenario.
    #[prop(optional, into)]
    shared: Option<String>,
) -> impl IntoView {
    view! {
        <div class="lab-page">
            <header class="lab-intro">
                <h1>"CRDT convergence"</h1>
                <p>
                    "Replicas of a counter, set, register, map or text are updated concurrently, \
                     while the network delays, loses and partitions their messages. Watch them \
                     diverge and converge without coordination, look inside each replica at the \
                     metadata that makes it possible, and compare what each way of syncing costs."
                </p>
            </header>
            <CrdtLab shared=shared />
        </div>
    }
}
