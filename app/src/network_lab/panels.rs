//! The network lab's panels around the live view: act now (broadcast from the selected node,
//! faults), the spread plot, the measurements and the explainer.

use crate::kit::format;
use crate::kit::ui::panels::FaultButtons;
use leptos::prelude::*;

use super::NetworkContext as Lab;

/// Buttons that act at the current moment; what they do is recorded into the scenario.
#[component]
pub fn Actions() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let selected = move || lab.read(|s| s.selected());
    let who = move || selected().map_or_else(|| "selected node".to_owned(), |n| n.to_string());
    let none = move || selected().is_none();
    view! {
        <div class="lab-actions" role="group" aria-label="Act now">
            <h2 class="panel-title">"Act now"</h2>
            <div class="button-row">
                <button
                    type="button"
                    disabled=none
                    on:click=move |_| lab.act(|s| s.broadcast_from_selected())
                >
                    {move || format!("Broadcast from {}", who())}
                </button>
                <FaultButtons lab=lab name=|n| n.to_string() />
            </div>
            <p class="hint" role="status">
                {move || {
                    let said = lab.status.get();
                    if said.is_empty() {
                        "Select a node by clicking it (or in the inspector) to broadcast from it or crash it. \
                         Everything you do here is recorded and replayed by Share."
                            .to_owned()
                    } else {
                        said
                    }
                }}
            </p>
        </div>
    }
}

/// The curves over time (drawn by the animation loop) and their last point in words.
#[component]
pub fn Plot(
    /// The plot's canvas.
    canvas: NodeRef<leptos::html::Canvas>,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let last = move || lab.read(|s| crate::kit::plot_data::describe_last(s.run().samples()));
    view! {
        <figure class="panel plot">
            <h2 class="panel-title">"Spread over time"</h2>
            <canvas
                class="plot-canvas"
                node_ref=canvas
                role="img"
                aria-label="Plot of the informed percentage and of messages sent and dropped over simulated time."
                aria-describedby="lab-plot-last"
            ></canvas>
            <figcaption>
                <ul class="lab-legend" aria-label="Curves">
                    <li><span class="mark mark-informed" aria-hidden="true"></span>"informed (%), left axis"</li>
                    <li><span class="mark mark-sent" aria-hidden="true"></span>"messages sent, right axis"</li>
                    <li><span class="mark mark-dropped" aria-hidden="true"></span>"messages dropped, right axis"</li>
                </ul>
                <p class="hint" id="lab-plot-last">{last}</p>
            </figcaption>
            <crate::kit::ui::plot_files::PlotDownloads
                canvas=canvas
                title="spread over time"
                file="continuum-spread"
                svg=move |size| {
                    lab.session.with_value(|s| {
                        let data = crate::kit::plot_data::plot_data(s.run().samples(), s.run().end());
                        crate::kit::plot::svg(&data, crate::kit::canvas::current_theme(), size)
                    })
                }
            />
        </figure>
    }
}

/// The headline numbers: the text alternative of the plot.
#[component]
pub fn Summary() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let report = move || lab.read(|s| s.run().stats().report());
    let time =
        |t: Option<sim::SimDuration>| t.map_or_else(|| "–".to_owned(), |d| format::time_ns(d.0));
    view! {
        <div class="panel">
            <h2 class="panel-title">"Measurements"</h2>
            <dl class="stats">
                <dt>"Updates broadcast"</dt>
                <dd>{move || report().updates.to_string()}</dd>
                <dt>"Messages per update"</dt>
                <dd>{move || crate::network_lab::explain::per_update(report().messages_per_update)}</dd>
                <dt>"Time to reach all, median"</dt>
                <dd>{move || time(report().time_to_all_p50)}</dd>
                <dt>"Time to reach all, p99"</dt>
                <dd>{move || time(report().time_to_all_p99)}</dd>
                <dt>"Reach (node, update) pairs"</dt>
                <dd>{move || format::percent(report().reached_fraction)}</dd>
                <dt>"Messages dropped"</dt>
                <dd>{move || lab.read(|s| format::count(s.run().counters().total.dropped.messages))}</dd>
            </dl>
        </div>
    }
}

/// What to look at and what to try.
#[component]
pub fn Explainer() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let paragraphs = move || lab.read(|s| crate::network_lab::explain::explain(s.run()));
    view! {
        <div class="panel explainer">
            <h2 class="panel-title">"What you are seeing"</h2>
            {move || {
                paragraphs()
                    .into_iter()
                    .map(|p| view! { <p>{p}</p> })
                    .collect_view()
            }}
        </div>
    }
}
