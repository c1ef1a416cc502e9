//! Fork and compare (any lab's): the panel that forks the run here with one change, the fork's
//! view beside the original's, and the table of metric differences. The transport, timeline and
//! stepping drive both runs (see [`crate::kit::session::Comparison`]).

use super::LabContext;
use crate::kit::compare::{ChangeKind, differences};
use crate::kit::format;
use leptos::prelude::*;
use scenario::LabRun;

/// Whether the lab is comparing a fork (tracking `version`).
fn comparing<R: LabRun + 'static>(lab: LabContext<R>) -> bool {
    lab.read(|s| s.comparison().is_some())
}

/// "Fork: <change>", the fork view's title.
fn fork_title<R: LabRun + 'static>(lab: LabContext<R>) -> String {
    lab.read(|s| {
        s.comparison()
            .map(|c| format!("Fork: {}", c.change.describe_in(s.scenario())))
            .unwrap_or_default()
    })
}

/// The label above the original's view while comparing.
#[component]
pub fn OriginalLabel<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    view! {
        <Show when=move || comparing(lab)>
            <p class="compare-label" id="compare-original-label">"Original"</p>
        </Show>
    }
}

/// The fork's live view, beside the original's while comparing (painted by the lab's
/// animation loop on `lab.fork_canvas`).
#[component]
pub fn ForkFigure<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    let time = move || {
        lab.read(|s| {
            s.comparison()
                .map(|c| c.fork().run().now().0)
                .unwrap_or_default()
        })
    };
    let census = move || {
        lab.read(|s| {
            s.comparison().map_or_else(String::new, |c| {
                let run = c.fork().run();
                let up = (0..run.node_count())
                    .filter(|&i| run.is_up(sim::NodeId(i)))
                    .count();
                format!(
                    "{} nodes, {} up, {} messages in flight at {}.",
                    run.node_count(),
                    up,
                    format::count(run.in_flight_count()),
                    format::time_ns(run.now().0)
                )
            })
        })
    };
    view! {
        <figure
            class="lab-figure fork-figure"
            id="fork-figure"
            hidden=move || !comparing(lab)
            data-sim-time-ns=move || time().to_string()
            data-trace-hash=move || {
                lab.read(|s| s.comparison().map(|c| c.fork().run().trace_hash_hex()).unwrap_or_default())
            }
        >
            <p class="compare-label">{move || fork_title(lab)}</p>
            <canvas
                class="lab-canvas fork-canvas"
                node_ref=lab.fork_canvas
                role="img"
                aria-label=move || format!("Live view of the fork. {}", census())
            >
                {census}
            </canvas>
            <figcaption>
                <span class="fork-caption">{census}</span>
                <span class="hint">"Marks as in the original's legend."</span>
            </figcaption>
        </figure>
    }
}

/// Fork here with one change; while comparing, the difference table and the way back.
#[component]
pub fn ForkPanel<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    let kinds = move || lab.read(|s| ChangeKind::for_lab(s.scenario()));
    let kind = RwSignal::new(None::<ChangeKind>);
    let current_kind = move || kind.get().unwrap_or_else(|| kinds()[0]);
    let value = RwSignal::new(None::<String>);
    let shown_value = move || {
        value.get().unwrap_or_else(|| {
            lab.session
                .with_value(|s| current_kind().suggestion(s.scenario()))
        })
    };
    let said = RwSignal::new(String::new());
    let on_kind = move |ev: leptos::ev::Event| {
        kind.set(ChangeKind::from_word(&event_target_value(&ev)));
        value.set(None);
    };
    let on_fork = move |_| {
        let k = current_kind();
        let v = shown_value();
        let result = lab.change(|s| {
            let change = k.change(&v, s.scenario())?;
            s.fork(change)
        });
        // Forked: the heading and the note under it say what happened; otherwise, why not.
        if let Some(result) = result {
            said.set(result.err().unwrap_or_default());
        }
    };
    let on_leave = move |_| {
        lab.update(|s| s.leave_compare());
        said.set("Back to the single run.".to_owned());
    };
    let at = move || lab.read(|s| format::time_ns(s.run().now().0));
    let rows = move || {
        lab.read(|s| {
            s.comparison()
                .map(|c| differences(&s.run().metrics(), &c.fork().run().metrics()))
                .unwrap_or_default()
        })
    };
    let heading = move || {
        lab.read(|s| {
            s.comparison().map_or_else(String::new, |c| {
                format!(
                    "Forked at {}: {}.",
                    format::time_ns(c.at.0),
                    c.change.describe_in(s.scenario())
                )
            })
        })
    };
    let how = move || {
        lab.read(|s| {
            s.comparison().map_or_else(String::new, |c| {
                if c.change.replays_from_zero() {
                    "The kernel fixes this parameter when it builds a run, so the fork replays \
                     from 0 ms with the change and the same actions; it differs from the start."
                        .to_owned()
                } else {
                    format!(
                        "Both runs are the same up to {}; the fork {} there. Actions you take now \
                         happen in both.",
                        format::time_ns(c.at.0),
                        c.change.describe_in(s.scenario())
                    )
                }
            })
        })
    };
    view! {
        <div class="panel fork-panel" role="group" aria-labelledby="fork-title">
            <h2 class="panel-title" id="fork-title">"Fork and compare"</h2>
            <Show
                when=move || comparing(lab)
                fallback=move || {
                    view! {
                        <p class="hint">
                            "Fork the run at this moment with one change, then play both side by \
                             side under one time cursor."
                        </p>
                        <div class="fork-form">
                            <div class="field">
                                <label for="fork-kind">"Change"</label>
                                <select id="fork-kind" on:change=on_kind>
                                    {move || {
                                        kinds()
                                            .into_iter()
                                            .map(|k| {
                                                view! {
                                                    <option value=k.word() selected=move || current_kind() == k>
                                                        {move || lab.read(|s| k.label_in(s.scenario()))}
                                                    </option>
                                                }
                                            })
                                            .collect_view()
                                    }}
                                </select>
                            </div>
                            {move || {
                                let k = current_kind();
                                lab.read(|s| k.value_label_in(s.scenario()))
                                    .map(|label| match lab.read(|s| k.choices_in(s.scenario())) {
                                        Some(choices) => {
                                            view! {
                                                <div class="field">
                                                    <label for="fork-value">{label}</label>
                                                    <select
                                                        id="fork-value"
                                                        on:change=move |ev| value.set(Some(event_target_value(&ev)))
                                                    >
                                                        {choices
                                                            .iter()
                                                            .map(|(v, name)| {
                                                                let v = *v;
                                                                view! {
                                                                    <option value=v selected=move || shown_value() == v>
                                                                        {*name}
                                                                    </option>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </select>
                                                </div>
                                            }
                                                .into_any()
                                        }
                                        None => {
                                            view! {
                                                <div class="field">
                                                    <label for="fork-value">{label}</label>
                                                    <input
                                                        id="fork-value"
                                                        type="text"
                                                        inputmode="decimal"
                                                        prop:value=shown_value
                                                        on:input=move |ev| value.set(Some(event_target_value(&ev)))
                                                    />
                                                </div>
                                            }
                                                .into_any()
                                        }
                                    })
                            }}
                        </div>
                        <button type="button" class="button-primary" id="fork-here" on:click=on_fork>
                            {move || format!("Fork here (at {})", at())}
                        </button>
                    }
                }
            >
                <p class="fork-heading"><strong>{heading}</strong></p>
                <p class="hint" id="fork-how">{how}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="fork-table-caption">
                    <table class="fork-table" id="fork-table">
                        <caption id="fork-table-caption">{move || format!("Original and fork at {}", at())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Measure"</th>
                                <th scope="col">"Original"</th>
                                <th scope="col">"Fork"</th>
                                <th scope="col">"Δ fork − original"</th>
                                <th scope="col">"Better"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || {
                                rows()
                                    .into_iter()
                                    .map(|r| {
                                        let sign = match r.sign {
                                            Some(std::cmp::Ordering::Less) => "down",
                                            Some(std::cmp::Ordering::Greater) => "up",
                                            Some(std::cmp::Ordering::Equal) => "equal",
                                            None => "none",
                                        };
                                        view! {
                                            <tr data-metric=r.name data-sign=sign data-verdict=r.verdict.word()>
                                                <th scope="row">{r.name}</th>
                                                <td>{r.original}</td>
                                                <td>{r.fork}</td>
                                                <td>{r.delta}</td>
                                                <td class=format!("verdict verdict-{}", r.verdict.word())>
                                                    {r.verdict.words()}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tbody>
                    </table>
                </div>
                <button type="button" id="fork-leave" on:click=on_leave>
                    "Leave compare"
                </button>
            </Show>
            <p class="hint" role="status" id="fork-status">{move || said.get()}</p>
        </div>
    }
}
