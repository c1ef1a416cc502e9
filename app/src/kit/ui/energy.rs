//! The energy ledger of any lab's run: what its nodes and messages would cost in energy and
//! carbon so far, for the selected node and in total, at a grid the learner picks, with every
//! coefficient's source.

use super::LabContext;
use crate::kit::format;
use energy::coefficients::GRIDS;
use leptos::prelude::*;
use scenario::LabRun;

/// The energy panel.
#[component]
pub fn EnergyPanel<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    let grid_index = RwSignal::new(
        GRIDS
            .iter()
            .position(|g| g.code == scenario::energy_ledger::GRID_CODE)
            .unwrap_or(0),
    );
    let totals = move || lab.read(|s| s.run().energy().totals(s.run().now()));
    let carbon = move || {
        let kwh = totals().kwh;
        let grid = &GRIDS[grid_index.get().min(GRIDS.len() - 1)];
        format::si((kwh * grid.intensity).0, "g CO₂e")
    };
    let selected = move || {
        lab.read(|s| {
            s.selected().map(|n| {
                let e = s.run().energy().node(n, s.run().now());
                format!(
                    "{}: {} ({} idle, {} network line, {} for {} messages)",
                    s.run().node_name(n),
                    format::si(e.total.0, "J"),
                    format::si(e.idle.0, "J"),
                    format::si(e.line.0, "J"),
                    format::si(e.network.0, "J"),
                    format::count(e.messages)
                )
            })
        })
    };
    let provenance = move || lab.read(|s| s.run().energy().config().provenance.clone());
    let network_model = move || lab.read(|s| s.run().energy().config().network_model.clone());
    view! {
        <div class="panel energy-panel">
            <h2 class="panel-title">"Energy ledger"</h2>
            <dl class="stats">
                <dt>"Total so far"</dt>
                <dd id="lab-energy-total">{move || format::si(totals().total.0, "J")}</dd>
                <dt>"Nodes up (idle power)"</dt>
                <dd>{move || format::si(totals().idle.0, "J")}</dd>
                <dt>"Network lines (always on)"</dt>
                <dd>{move || format::si(totals().line.0, "J")}</dd>
                <dt>"Messages (marginal, per bit)"</dt>
                <dd>{move || format::si(totals().network.0, "J")}</dd>
                <dt>"Per operation"</dt>
                <dd>
                    {move || totals().per_operation().map_or_else(|| "–".to_owned(), |j| format::si(j.0, "J"))}
                </dd>
                <dt>"Carbon"</dt>
                <dd id="lab-energy-carbon">{carbon}</dd>
            </dl>
            <div class="field">
                <label for="lab-energy-grid">"Electricity grid"</label>
                <select
                    id="lab-energy-grid"
                    on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                            grid_index.set(i);
                        }
                    }
                >
                    {GRIDS
                        .iter()
                        .enumerate()
                        .map(|(i, g)| {
                            view! {
                                <option value=i.to_string() selected=move || grid_index.get() == i>
                                    {format!("{} ({} g/kWh, {})", g.name, g.intensity.0, g.year)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="hint">
                {move || selected().unwrap_or_else(|| "Select a node to see its own account.".to_owned())}
            </p>
            <p class="hint" id="lab-energy-network-model">{network_model}</p>
            <p class="hint">
                "The total is the sum of every node's idle energy, its network line's always-on \
                 energy (if charged) and every message's energy (size × energy per bit, once per \
                 link it crosses)."
            </p>
            <details>
                <summary>"Coefficients and sources"</summary>
                <ul class="provenance">
                    {move || provenance().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </details>
        </div>
    }
}
