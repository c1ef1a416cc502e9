//! The inspector: everything about the selected node.

use super::NetworkContext;
use crate::kit::format;
use leptos::prelude::*;
use sim::{Node, NodeId};

/// Most neighbours listed by name (a star's hub has thousands).
const NEIGHBOURS_SHOWN: usize = 24;

/// The selected node's state, clock, neighbours, traffic and when it learned each update.
#[component]
pub fn Inspector() -> impl IntoView {
    let lab = expect_context::<NetworkContext>();
    let nodes = move || lab.read(|s| s.run().sim().node_count());
    let on_pick = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let node = text
            .trim()
            .trim_start_matches('n')
            .parse::<u32>()
            .ok()
            .map(NodeId);
        lab.update(|s| s.select(node));
    };
    let details = move || {
        lab.read(|s| {
            let node = s.selected()?;
            let run = s.run();
            let sim = run.sim();
            let state = sim.node(node)?;
            let neighbours = sim.topology().neighbours(node);
            let listed: Vec<NodeId> = neighbours.iter().take(NEIGHBOURS_SHOWN).copied().collect();
            let more = neighbours.len().saturating_sub(NEIGHBOURS_SHOWN);
            let counters = run
                .counters()
                .per_node
                .get(node.index())
                .copied()
                .unwrap_or_default();
            let learned: Vec<String> = run
                .stats()
                .updates
                .iter()
                .enumerate()
                .filter(|(_, p)| p.injected_at.is_some())
                .map(
                    |(u, p)| match p.informed_at.get(node.index()).copied().flatten() {
                        Some(t) => format!("u{u} at {}", format::time_ns(t.0)),
                        None => format!("u{u}: not yet"),
                    },
                )
                .collect();
            Some((
                node,
                sim.is_up(node),
                sim.local_time(node)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                state.describe(),
                neighbours.len(),
                (listed, more),
                counters,
                learned,
            ))
        })
    };
    view! {
        <div class="panel inspector">
            <h2 class="panel-title">"Inspector"</h2>
            <div class="field-inline">
                <label for="lab-node">"Node"</label>
                <input
                    id="lab-node"
                    type="number"
                    min="0"
                    max=move || nodes().saturating_sub(1)
                    placeholder="none"
                    aria-describedby="lab-node-hint"
                    prop:value=move || lab.read(|s| s.selected().map(|n| n.0.to_string()).unwrap_or_default())
                    on:change=on_pick
                />
                <span class="hint" id="lab-node-hint">
                    {move || format!("0 – {}, or click a node", nodes().saturating_sub(1))}
                </span>
            </div>
            {move || match details() {
                None => view! { <p class="hint">"No node selected."</p> }.into_any(),
                Some((node, up, clock, describe, degree, neighbours, c, learned)) => {
                    view! {
                        <dl class="stats">
                            <dt>"Node"</dt>
                            <dd>{node.to_string()}</dd>
                            <dt>"State"</dt>
                            <dd>{if up { "up" } else { "crashed" }}</dd>
                            <dt>"Local clock"</dt>
                            <dd>{clock}</dd>
                            <dt>"Knows"</dt>
                            <dd>{describe}</dd>
                            <dt>{format!("Neighbours ({degree})")}</dt>
                            <dd class="neighbours">
                                {neighbours
                                    .0
                                    .into_iter()
                                    .map(|n| {
                                        view! {
                                            <button
                                                type="button"
                                                class="link-button"
                                                aria-label=format!("Select {n}")
                                                on:click=move |_| lab.update(|s| s.select(Some(n)))
                                            >
                                                {n.to_string()}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                                {(neighbours.1 > 0).then(|| format!(" and {} more", neighbours.1))}
                            </dd>
                            <dt>"Sent"</dt>
                            <dd>{format!("{} messages, {}", format::count(c.sent.messages), format::bytes(c.sent.bytes))}</dd>
                            <dt>"Delivered to it"</dt>
                            <dd>{format!("{} messages, {}", format::count(c.delivered.messages), format::bytes(c.delivered.bytes))}</dd>
                            <dt>"Dropped on the way to it"</dt>
                            <dd>{format!("{} messages, {}", format::count(c.dropped.messages), format::bytes(c.dropped.bytes))}</dd>
                            <dt>"Learned"</dt>
                            <dd>
                                {if learned.is_empty() {
                                    "no update broadcast yet".to_owned()
                                } else {
                                    learned.join("; ")
                                }}
                            </dd>
                        </dl>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
