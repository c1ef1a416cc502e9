//! The CRDT lab's components. The session, transport, canvas painter, animation loop, keyboard
//! shortcuts and Share are the network lab's, generic over the run; what is this lab's own is
//! here: the editor, the per-replica X-ray panels, acting on a replica, the three plots, the
//! measurements per sync mode and the explainer.

use crate::crdt_lab::edit::text_edits;
use crate::crdt_lab::explain::{self, state_name};
use crate::crdt_lab::form::{CrdtForm, ModeChoice};
use crate::crdt_lab::plot_data::{self, Curve};
use crate::kit::canvas::{self, Painter};
use crate::kit::editor::{Choice, EditorForm, EditorState, FieldError, PresetPicker, TextField};
use crate::kit::form::{LatencyChoice, TopologyChoice};
use crate::kit::format;
use crate::kit::palette::{Palette, Rgb};
use crate::kit::session::Session;
use crate::kit::ui::compare;
use crate::kit::ui::plot_files::PlotDownloads;
use crate::kit::ui::transport::{ShortcutsDialog, Transport};
use crate::kit::ui::{LabContext, install_shortcuts, opening, panels, start_animation_loop};
use leptos::html;
use leptos::prelude::*;
use scenario::CrdtRun;
use scenario::crdt_lab::{
    CrdtType, MAX_ANIMATED_REPLICAS, MAX_CRDT_REPLICAS, Update as ReplicaUpdate, ValueKind,
    crdt_presets, default_crdt_scenario,
};
use sim::NodeId;

type Lab = LabContext<CrdtRun>;

/// Applies `update` at the selected replica now; says what happened. The update takes effect
/// at once, also while paused: the run processes everything due at this instant (exactly what
/// it would do on resuming, so a replay of the recorded scenario is the same run).
fn update_selected(s: &mut Session<CrdtRun>, update: ReplicaUpdate) -> Result<String, String> {
    let node = s.need_selection()?;
    let said = format!(
        "r{}: {} at {}.",
        node.0,
        update.describe(),
        format::time_ns(s.run().now().0)
    );
    let run = s.run_mut();
    run.update_now(node, update)
        .map_err(|e| crate::kit::form::sentence(&e.to_string()))?;
    let now = run.now();
    run.advance(sim::RunBudget {
        until: now,
        max_events: u64::MAX,
    });
    Ok(said)
}

/// A labelled input in a row of act buttons, bound to `text`.
#[component]
fn ActInput(
    /// The input's id.
    id: &'static str,
    /// Its visible label.
    label: &'static str,
    /// What it holds.
    text: RwSignal<String>,
    /// A narrow input (amounts, keys).
    #[prop(optional)]
    short: bool,
    /// A whole number of at least 1 rather than text.
    #[prop(optional)]
    number: bool,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            class:short=short
            type=if number { "number" } else { "text" }
            min=number.then_some("1")
            prop:value=move || text.get()
            on:input=move |ev| text.set(event_target_value(&ev))
        />
    }
}

/// The CRDT lab: editor, live view, replicas, plots, measurements, explainer and Share.
#[component]
pub fn CrdtLab(
    /// A share-link fragment to open.
    shared: Option<String>,
) -> impl IntoView {
    let (mut session, seek_to, broken) =
        opening::<CrdtRun>(shared.as_deref(), default_crdt_scenario);
    if let Some(at) = seek_to {
        session.seek(at);
    }
    // Replica 0 starts selected, so the act panel works at once.
    session.select(Some(NodeId(0)));
    let lab: Lab = LabContext::new(session);
    provide_context(lab);
    let broken = RwSignal::new(broken);
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let plot_refs = [
        NodeRef::<html::Canvas>::new(),
        NodeRef::<html::Canvas>::new(),
        NodeRef::<html::Canvas>::new(),
    ];
    let painter = StoredValue::new_local(Painter::default());
    let help_ref = NodeRef::<html::Dialog>::new();

    let mut plots = crate::kit::ui::LineChartSchedule::default();
    start_animation_loop(lab, canvas_ref, painter, move |timestamp| {
        plots.paint_if_due(
            plot_refs,
            lab,
            timestamp,
            |r: &CrdtRun| {
                (
                    r.samples().len(),
                    r.samples().last().map_or(0, |l| l.time.0),
                )
            },
            |r| {
                let (samples, end) = (r.samples(), scenario::LabRun::end(r));
                [
                    plot_data::divergence(samples, end),
                    plot_data::bytes_by_mode(samples, end),
                    plot_data::metadata(samples, end),
                ]
            },
            curve_colour,
        );
    });
    install_shortcuts(lab, help_ref);

    let on_canvas_click = move |ev: leptos::ev::MouseEvent| {
        let hit = painter.with_value(|p| {
            p.geometry()
                .and_then(|g| canvas::node_at(g, ev.offset_x() as f64, ev.offset_y() as f64))
        });
        if hit.is_some() {
            lab.update(|s| s.select(hit.map(NodeId)));
        }
    };
    let census = Memo::new(move |_| {
        lab.read(|s| {
            let groups = s.run().state_groups();
            let crashed = (0..s.run().node_count())
                .filter(|&i| !s.run().is_up(NodeId(i)))
                .count();
            format!(
                "{} replicas in {} distinct state{}{}.",
                format::count(u64::from(s.run().node_count())),
                format::count(u64::from(groups.count)),
                if groups.count == 1 { "" } else { "s" },
                if crashed > 0 {
                    format!(", {crashed} crashed")
                } else {
                    String::new()
                }
            )
        })
    });
    let caption = move || {
        lab.read(|s| {
            let n = s.run().node_count();
            if n > MAX_ANIMATED_REPLICAS {
                format!(
                    "{} replicas: too many to follow one by one, so the colours show which replicas share a state and the panels show the selected replica.",
                    format::count(u64::from(n))
                )
            } else {
                format!(
                    "{} messages in flight. Click a replica to select it.",
                    format::count(scenario::LabRun::in_flight_count(s.run()))
                )
            }
        })
    };

    view! {
        <panels::BrokenLinkAlert broken=broken />
        <div class="lab crdt-lab">
            <section class="lab-controls" aria-label="Scenario">
                <Editor />
            </section>
            <section class="lab-stage" aria-label="Live view">
                <Transport lab=lab help=help_ref />
                <div class="compare-views" class:comparing=move || lab.read(|s| s.comparison().is_some())>
                <figure class="lab-figure">
                    <compare::OriginalLabel lab=lab />
                    <canvas
                        class="lab-canvas crdt-canvas"
                        node_ref=canvas_ref
                        role="img"
                        aria-label=move || format!("Live view of the replicas. {}", census.get())
                        on:click=on_canvas_click
                    >
                        {move || census.get()}
                    </canvas>
                    <figcaption>
                        <span class="lab-caption">{caption}</span>
                        <ul class="lab-legend" aria-label="Legend">
                            <li><span class="mark state-0" aria-hidden="true"></span>"same fill: same state (letters in the panels)"</li>
                            <li><span class="mark mark-crashed" aria-hidden="true">"✕"</span>"crashed"</li>
                            <li><span class="mark mark-message" aria-hidden="true"></span>"message in flight"</li>
                            <li><span class="mark mark-group" aria-hidden="true"></span>"shaded: partition group"</li>
                        </ul>
                    </figcaption>
                </figure>
                <compare::ForkFigure lab=lab />
                </div>
                <ActPanel />
                <compare::ForkPanel lab=lab />
                <Replicas />
                <Plots refs=plot_refs />
                <crate::kit::ui::spacetime::SpaceTime lab=lab />
            </section>
            <section class="lab-side" aria-label="Measurements">
                <Measurements />
                <Explainer />
                <crate::kit::ui::energy::EnergyPanel lab=lab />
                <panels::SharePanel lab=lab />
            </section>
        </div>
        <ShortcutsDialog dialog=help_ref />
    }
}

/// The scenario editor: presets, then the type, sync mode, network and run.
#[component]
fn Editor() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let presets = StoredValue::new_local(crdt_presets());
    let state = EditorState::new(
        lab.session
            .with_value(|s| CrdtForm::from_scenario(s.scenario())),
        "crdt",
        crate::crdt_lab::form::field_name,
    );
    let form = state.form;
    let problems = state.problems;
    let said = RwSignal::new(String::new());
    let refreshed = state.refreshed;
    let reload_form = move || {
        let f = lab
            .session
            .with_value(|s| CrdtForm::from_scenario(s.scenario()));
        form.set(f);
        refreshed.update(|v| *v += 1);
    };
    Effect::new(move |previous: Option<()>| {
        lab.scenario_version.track();
        lab.actions_version.track();
        if previous.is_some() {
            reload_form();
        }
    });
    let chosen = move || {
        let current = lab.read(|s| s.scenario().clone());
        presets.with_value(|p| p.iter().position(|p| p.scenario == current))
    };
    let on_preset = move |index: usize| {
        let Some(scenario) = presets.with_value(|p| p.get(index).map(|p| p.scenario.clone()))
        else {
            return;
        };
        if lab.load(&scenario).is_ok() {
            lab.update(|s| s.select(Some(NodeId(0))));
            problems.set(Vec::new());
            said.set(String::new());
            lab.status.set(String::new());
        }
    };
    let apply = move || match form.with_untracked(|f| f.build()) {
        Err(p) => {
            problems.set(p);
            said.set(String::new());
        }
        Ok(built) => match lab.load(&built.scenario) {
            Ok(()) => {
                problems.set(Vec::new());
                lab.update(|s| {
                    if s.selected().is_none() {
                        s.select(Some(NodeId(0)));
                    }
                });
                said.set(match built.dropped_updates {
                    0 => "Applied: the run starts again at 0 ms.".to_owned(),
                    n => format!(
                        "Applied: the run starts again at 0 ms. {n} recorded update{} that this type cannot take {} dropped.",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "was" } else { "were" }
                    ),
                });
            }
            Err(e) => {
                problems.set(crate::crdt_lab::form::problems_at_fields(&e));
                said.set(String::new());
            }
        },
    };
    let clear_updates = move |_| {
        let mut scenario = lab.session.with_value(|s| s.scenario().clone());
        if let scenario::scenario::Lab::Crdt(c) = &mut scenario.lab {
            c.actions.clear();
        }
        if lab.load(&scenario).is_ok() {
            said.set("Every recorded update and fault was removed; the run starts again.".into());
        }
    };
    let recorded = move || {
        lab.read(|s| match &s.scenario().lab {
            scenario::scenario::Lab::Crdt(c) => c.actions.len(),
            _ => 0,
        })
    };
    let text_field = move |key: &'static str,
                           id: &'static str,
                           label: &'static str,
                           hint: String,
                           get: fn(&CrdtForm) -> String,
                           set: fn(&mut CrdtForm, String)| {
        // Fields that share a key (a topology's or a latency's parameters) show its problem
        // once, after them.
        let shared = matches!(key, "topology" | "latency");
        view! { <TextField state=state key=key id=id label=label hint=hint get=get set=set shared=shared /> }
    };
    let select_field = move |id: &'static str,
                             label: &'static str,
                             options: Vec<(&'static str, &'static str)>,
                             get: fn(&CrdtForm) -> &'static str,
                             set: fn(&mut CrdtForm, String)| {
        view! { <Choice state=state key=id id=id label=label options=options get=get set=set /> }
    };

    view! {
        <div class="panel editor">
            <h2 class="panel-title">"Scenario"</h2>
            <PresetPicker id="crdt-preset" presets=presets chosen=chosen pick=on_preset own="Your own scenario: edited, opened from a link, or with updates you made." />
            <EditorForm state=state summary="Parameters" apply=apply>
                <fieldset>
                    <legend>"Replicated data"</legend>
                    {select_field(
                        "type",
                        "Type",
                        CrdtType::ALL.iter().map(|t| (t.key(), t.name())).collect(),
                        |f| f.data_type.key(),
                        |f, v| {
                            if let Some(t) = CrdtType::from_key(&v) {
                                f.data_type = t;
                            }
                        },
                    )}
                    {select_field(
                        "mode",
                        "Sync mode",
                        ModeChoice::ALL.iter().map(|m| (m.name(), m.label())).collect(),
                        |f| f.mode.name(),
                        |f, v| {
                            if let Some(m) = ModeChoice::from_name(&v) {
                                f.mode = m;
                            }
                        },
                    )}
                    {text_field(
                        "sync.interval",
                        "interval",
                        "Sync interval (ms)",
                        "Time between rounds, on each replica's clock".into(),
                        |f| f.interval_ms.clone(),
                        |f, v| f.interval_ms = v,
                    )}
                    {text_field(
                        "sync.fanout",
                        "fanout",
                        "Fanout",
                        "Peers contacted per round, 1 – 64".into(),
                        |f| f.fanout.clone(),
                        |f, v| f.fanout = v,
                    )}
                </fieldset>
                <fieldset>
                    <legend>"Network"</legend>
                    {text_field(
                        "nodes",
                        "replicas",
                        "Replicas",
                        format!(
                            "1 – {}; up to {MAX_ANIMATED_REPLICAS} are drawn one by one",
                            format::count(u64::from(MAX_CRDT_REPLICAS))
                        ),
                        |f| f.replicas.clone(),
                        |f, v| f.replicas = v,
                    )}
                    {select_field(
                        "topology",
                        "Topology",
                        TopologyChoice::ALL.iter().map(|c| (c.name(), c.name())).collect(),
                        |f| f.topology.name(),
                        |f, v| {
                            if let Some(c) = TopologyChoice::from_name(&v) {
                                f.topology = c;
                            }
                        },
                    )}
                    <Show when=move || form.with(|f| f.topology == TopologyChoice::Random)>
                        {text_field(
                            "topology",
                            "mean-degree",
                            "Mean degree",
                            "Neighbours per replica; the graph is always connected".into(),
                            |f| f.mean_degree.clone(),
                            |f, v| f.mean_degree = v,
                        )}
                    </Show>
                    <Show when=move || form.with(|f| f.topology == TopologyChoice::Tree)>
                        {text_field(
                            "topology",
                            "branching",
                            "Branching",
                            "Children per replica, 1 or more".into(),
                            |f| f.branching.clone(),
                            |f, v| f.branching = v,
                        )}
                    </Show>
                    <FieldError state=state key="topology" />
                    {select_field(
                        "latency",
                        "Latency",
                        LatencyChoice::ALL.iter().map(|c| (c.name(), c.label())).collect(),
                        |f| f.latency.name(),
                        |f, v| {
                            if let Some(c) = LatencyChoice::from_name(&v) {
                                f.latency = c;
                            }
                        },
                    )}
                    {move || {
                        let (a, b) = form.with(|f| f.latency.parameter_labels());
                        view! {
                            {text_field(
                                "latency",
                                "latency-a",
                                a,
                                "milliseconds".into(),
                                |f| f.latency_a.clone(),
                                |f, v| f.latency_a = v,
                            )}
                            {b.map(|b| {
                                text_field(
                                    "latency",
                                    "latency-b",
                                    b,
                                    String::new(),
                                    |f| f.latency_b.clone(),
                                    |f, v| f.latency_b = v,
                                )
                            })}
                        }
                    }}
                    <FieldError state=state key="latency" />
                    {text_field(
                        "loss",
                        "loss",
                        "Loss (%)",
                        "Chance that a message is lost, 0 – 100".into(),
                        |f| f.loss.clone(),
                        |f, v| f.loss = v,
                    )}
                </fieldset>
                <fieldset>
                    <legend>"Run"</legend>
                    {text_field(
                        "seed",
                        "seed",
                        "Seed",
                        "Same seed, same run".into(),
                        |f| f.seed.clone(),
                        |f, v| f.seed = v,
                    )}
                    {text_field(
                        "duration",
                        "duration",
                        "Duration (ms)",
                        "At most one hour".into(),
                        |f| f.duration_ms.clone(),
                        |f, v| f.duration_ms = v,
                    )}
                </fieldset>
                <div class="button-row">
                    <button type="submit" class="button-primary">"Apply"</button>
                </div>
                <p class="hint" role="status">{move || said.get()}</p>
            </EditorForm>
            <div class="recorded">
                <p class="hint">
                    {move || match recorded() {
                        0 => "No updates or faults recorded.".to_owned(),
                        1 => "1 update or fault recorded; Share replays it.".to_owned(),
                        n => format!("{n} updates and faults recorded; Share replays them."),
                    }}
                </p>
                <button type="button" disabled=move || recorded() == 0 on:click=clear_updates>
                    "Remove all updates and faults"
                </button>
            </div>
        </div>
    }
}

/// Acting on the selected replica (by its type) and on the network.
#[component]
fn ActPanel() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let selected = move || lab.read(|s| s.selected());
    let who =
        move || selected().map_or_else(|| "the selected replica".into(), |n| format!("r{}", n.0));
    let kind = move || lab.read(|s| s.run().params().data_type);
    let amount = RwSignal::new("1".to_owned());
    let element = RwSignal::new("milk".to_owned());
    let value = RwSignal::new("tea".to_owned());
    let act = move |make: Box<dyn Fn() -> Result<ReplicaUpdate, String>>| {
        lab.act(move |s| {
            let update = make()?;
            update_selected(s, update)
        });
    };
    let parsed_amount = move |sign: i64| -> Result<ReplicaUpdate, String> {
        let text = amount.get_untracked();
        let n: i64 = text
            .trim()
            .parse()
            .map_err(|_| format!("“{text}” is not a whole number."))?;
        Ok(ReplicaUpdate::Add(sign * n))
    };
    let text_value = move || {
        lab.read(|s| {
            s.selected()
                .and_then(|n| s.run().replica(n))
                .map(|r| r.value)
                .unwrap_or_default()
        })
    };
    let on_text = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        lab.act(move |s| {
            let node = s.need_selection()?;
            let current = s.run().replica(node).map(|r| r.value).unwrap_or_default();
            let mut said = String::new();
            for update in text_edits(&current, &typed) {
                said = update_selected(s, update)?;
            }
            Ok(said)
        });
    };

    view! {
        <div class="lab-actions" role="group" aria-label="Act now">
            <h2 class="panel-title">{move || format!("Act on {}", who())}</h2>
            {move || {
                let t = kind();
                match t.value_kind() {
                    ValueKind::Counter => view! {
                        <div class="button-row">
                            <ActInput id="crdt-amount" label="Amount" text=amount short=true number=true />
                            <button
                                type="button"
                                on:click=move |_| act(Box::new(move || parsed_amount(1)))
                            >
                                "Add"
                            </button>
                            <Show when=move || kind() != CrdtType::GCounter>
                                <button
                                    type="button"
                                    on:click=move |_| act(Box::new(move || parsed_amount(-1)))
                                >
                                    "Subtract"
                                </button>
                            </Show>
                        </div>
                    }
                    .into_any(),
                    ValueKind::Register => view! {
                        <div class="button-row">
                            <ActInput id="crdt-write" label="Value" text=value />
                            <button
                                type="button"
                                on:click=move |_| {
                                    act(Box::new(move || Ok(ReplicaUpdate::Write(value.get_untracked()))))
                                }
                            >
                                "Write"
                            </button>
                        </div>
                    }
                    .into_any(),
                    ValueKind::Set => view! {
                        <div class="button-row">
                            <ActInput id="crdt-element" label="Element" text=element />
                            <button
                                type="button"
                                on:click=move |_| {
                                    act(Box::new(move || Ok(ReplicaUpdate::Insert(element.get_untracked()))))
                                }
                            >
                                "Add"
                            </button>
                            <Show when=move || kind() != CrdtType::GSet>
                                <button
                                    type="button"
                                    on:click=move |_| {
                                        act(Box::new(move || Ok(ReplicaUpdate::Remove(element.get_untracked()))))
                                    }
                                >
                                    "Remove"
                                </button>
                            </Show>
                        </div>
                    }
                    .into_any(),
                    ValueKind::Map => view! {
                        <div class="button-row">
                            <ActInput id="crdt-key" label="Key" text=element short=true />
                            <ActInput id="crdt-map-value" label="Value" text=value short=true />
                            <button
                                type="button"
                                on:click=move |_| {
                                    act(Box::new(move || {
                                        Ok(ReplicaUpdate::Put {
                                            key: element.get_untracked(),
                                            value: value.get_untracked(),
                                        })
                                    }))
                                }
                            >
                                "Put"
                            </button>
                            <button
                                type="button"
                                on:click=move |_| {
                                    act(Box::new(move || Ok(ReplicaUpdate::Remove(element.get_untracked()))))
                                }
                            >
                                "Remove key"
                            </button>
                        </div>
                    }
                    .into_any(),
                    ValueKind::Text => view! {
                        <div class="field">
                            <label for="crdt-text">{move || format!("Text at {}", who())}</label>
                            <textarea
                                id="crdt-text"
                                rows="3"
                                aria-describedby="crdt-text-hint"
                                prop:value=text_value
                                on:input=on_text
                            ></textarea>
                            <p class="hint" id="crdt-text-hint">
                                "Type here: each change becomes an insert or delete at this replica, \
                                 sent to the others by the chosen sync mode."
                            </p>
                        </div>
                    }
                    .into_any(),
                }
            }}
            <div class="button-row">
                <panels::FaultButtons lab=lab name=|n| format!("r{}", n.0) />
            </div>
            <p class="hint" role="status">
                {move || {
                    let said = lab.status.get();
                    if said.is_empty() {
                        "Select a replica (click it, or its panel below), then update it while the \
                         network runs. Everything you do is recorded and replayed by Share."
                            .to_owned()
                    } else {
                        said
                    }
                }}
            </p>
        </div>
    }
}

/// One panel per replica (all of them up to the animation limit, else the selected one): its
/// value, the metadata behind it and its sync bookkeeping.
#[component]
fn Replicas() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let cards = move || {
        lab.read(|s| {
            let run = s.run();
            let groups = run.state_groups();
            let n = run.node_count();
            let shown: Vec<u32> = if n <= MAX_ANIMATED_REPLICAS {
                (0..n).collect()
            } else {
                s.selected().map(|id| id.0).into_iter().collect()
            };
            shown
                .into_iter()
                .filter_map(|i| {
                    let view = run.replica(NodeId(i))?;
                    let group = groups.group_of.get(i as usize).copied().unwrap_or(0);
                    Some((i, group, view, s.selected() == Some(NodeId(i))))
                })
                .collect::<Vec<_>>()
        })
    };
    let summary = move || {
        lab.read(|s| {
            let n = s.run().node_count();
            (n > MAX_ANIMATED_REPLICAS).then(|| {
                format!(
                    "{} replicas: only the selected one is shown. Click a replica in the view to inspect it.",
                    format::count(u64::from(n))
                )
            })
        })
    };
    view! {
        <section class="panel replicas" aria-labelledby="replicas-title">
            <h2 class="panel-title" id="replicas-title">"Replicas: value and metadata"</h2>
            <p class="hint">{summary}</p>
            <ul class="replica-cards">
                {move || {
                    cards()
                        .into_iter()
                        .map(|(i, group, view, selected)| {
                            let name = state_name(group);
                            let parts = view.internals.parts.clone();
                            let meta_total = view.internals.metadata_bytes();
                            view! {
                                <li class="replica-card" class:selected=selected data-state=name.clone()>
                                    <div class="replica-head">
                                        <button
                                            type="button"
                                            class="replica-select"
                                            aria-pressed=if selected { "true" } else { "false" }
                                            on:click=move |_| lab.update(|s| s.select(Some(NodeId(i))))
                                        >
                                            {format!("Replica {i}")}
                                        </button>
                                        <span class=format!("state-badge state-{}", group % 6)>
                                            {format!("state {name}")}
                                        </span>
                                        {(!view.up).then(|| view! { <span class="down-badge">"crashed"</span> })}
                                    </div>
                                    <p class="replica-value">
                                        <code>{view.value.clone()}</code>
                                    </p>
                                    <dl class="replica-meta">
                                        <dt>"id"</dt>
                                        <dd><code>{view.replica_id.clone()}</code></dd>
                                        {parts
                                            .into_iter()
                                            .map(|p| {
                                                view! {
                                                    <dt>{format!("{} ({})", p.kind.name(), p.entries)}</dt>
                                                    <dd>
                                                        <code>{p.detail}</code>
                                                        {format!(" · {}", format::bytes(p.bytes as u64))}
                                                    </dd>
                                                }
                                            })
                                            .collect_view()}
                                        {view.delivered.clone().map(|d| view! {
                                            <dt>"delivered"</dt>
                                            <dd><code>{d}</code>{format!(" · {} buffered", view.buffered_ops)}</dd>
                                        })}
                                        {(view.unacknowledged_deltas > 0).then(|| view! {
                                            <dt>"deltas"</dt>
                                            <dd>{format!("{} unacknowledged", view.unacknowledged_deltas)}</dd>
                                        })}
                                        <dt>"metadata"</dt>
                                        <dd>
                                            {format!(
                                                "{} in the value, {} for sync",
                                                format::bytes(meta_total as u64),
                                                format::bytes(view.sync_metadata_bytes as u64)
                                            )}
                                        </dd>
                                    </dl>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// The three plots and their text alternatives.
#[component]
fn Plots(refs: [NodeRef<html::Canvas>; 3]) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let last = move || lab.read(|s| s.run().samples().last().copied());
    let naive = move || lab.read(|s| s.run().params().data_type.naive_counterpart().is_some());
    let [divergence, bytes, metadata] = refs;
    view! {
        <div class="crdt-plots">
            <figure class="panel plot">
                <h2 class="panel-title">"Divergence"</h2>
                <canvas
                    class="plot-canvas"
                    node_ref=divergence
                    role="img"
                    aria-label="Plot of the number of distinct replica states over simulated time."
                    aria-describedby="crdt-plot-divergence"
                ></canvas>
                <figcaption>
                    <ul class="lab-legend" aria-label="Curves">
                        <li><span class="mark mark-informed" aria-hidden="true"></span>"distinct states"</li>
                        <Show when=naive>
                            <li><span class="mark mark-dropped" aria-hidden="true"></span>"naive twin"</li>
                        </Show>
                    </ul>
                    <p class="hint" id="crdt-plot-divergence">
                        {move || last().map_or_else(String::new, |s| format!(
                            "At {}: {} distinct state{}{}.",
                            format::time_ns(s.time.0),
                            s.distinct_states,
                            if s.distinct_states == 1 { "" } else { "s" },
                            s.naive_distinct.map_or_else(String::new, |d| format!("; the naive twin has {d}"))
                        ))}
                    </p>
                </figcaption>
                <PlotDownloads
                    canvas=divergence
                    title="divergence"
                    file="continuum-crdt-divergence"
                    svg=move |size| plot_svg(lab, plot_data::divergence, size)
                />
            </figure>
            <figure class="panel plot">
                <h2 class="panel-title">"Bytes sent by each sync mode"</h2>
                <canvas
                    class="plot-canvas"
                    node_ref=bytes
                    role="img"
                    aria-label="Plot of bytes sent over simulated time by state-based, op-based and delta-state sync on the same updates."
                    aria-describedby="crdt-plot-bytes"
                ></canvas>
                <figcaption>
                    <ul class="lab-legend" aria-label="Curves">
                        <li><span class="mark mark-sent" aria-hidden="true"></span>"state-based"</li>
                        <li><span class="mark mark-informed" aria-hidden="true"></span>"op-based"</li>
                        <li><span class="mark mark-delta" aria-hidden="true"></span>"delta-state"</li>
                    </ul>
                    <p class="hint" id="crdt-plot-bytes">
                        {move || last().map_or_else(String::new, |s| format!(
                            "At {}: state-based {}, op-based {}, delta-state {}.",
                            format::time_ns(s.time.0),
                            format::bytes(s.bytes_by_mode[0]),
                            format::bytes(s.bytes_by_mode[1]),
                            format::bytes(s.bytes_by_mode[2])
                        ))}
                    </p>
                </figcaption>
                <PlotDownloads
                    canvas=bytes
                    title="bytes by sync mode"
                    file="continuum-crdt-bytes"
                    svg=move |size| plot_svg(lab, plot_data::bytes_by_mode, size)
                />
            </figure>
            <figure class="panel plot">
                <h2 class="panel-title">"Metadata per replica"</h2>
                <canvas
                    class="plot-canvas"
                    node_ref=metadata
                    role="img"
                    aria-label="Plot of the mean metadata bytes per replica over simulated time."
                    aria-describedby="crdt-plot-metadata"
                ></canvas>
                <figcaption>
                    <p class="hint" id="crdt-plot-metadata">
                        {move || last().map_or_else(String::new, |s| format!(
                            "At {}: {} per replica on average, value and sync bookkeeping together.",
                            format::time_ns(s.time.0),
                            format::bytes(s.metadata_bytes_per_replica.round() as u64)
                        ))}
                    </p>
                </figcaption>
                <PlotDownloads
                    canvas=metadata
                    title="metadata per replica"
                    file="continuum-crdt-metadata"
                    svg=move |size| plot_svg(lab, plot_data::metadata, size)
                />
            </figure>
        </div>
    }
}

/// One of the CRDT plots, drawn from the run's samples by `chart`, as an SVG document.
fn plot_svg(
    lab: Lab,
    chart: fn(
        &[scenario::crdt_run::CrdtSample],
        sim::SimTime,
    ) -> crate::kit::plot_data::LineChart<Curve>,
    size: (u32, u32),
) -> Result<String, String> {
    lab.session.with_value(|s| {
        let chart = chart(s.run().samples(), s.run().end());
        crate::kit::plot::svg_lines(&chart, canvas::current_theme(), size, curve_colour)
    })
}

fn curve_colour(curve: Curve, p: &Palette) -> (Rgb, f64) {
    match curve {
        Curve::Distinct => (p.latest, 2.5),
        Curve::NaiveDistinct => (p.crashed, 2.0),
        Curve::StateBytes => (p.message, 2.0),
        Curve::OpBytes => (p.latest, 2.0),
        Curve::DeltaBytes => (p.state(2), 2.5),
        Curve::Metadata => (p.state(3), 2.5),
    }
}

/// The headline numbers, per sync mode.
#[component]
fn Measurements() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let report = move || lab.read(|s| s.run().report());
    let chosen = move || lab.read(|s| scenario::crdt_run::mode_index(&s.run().params().sync));
    let names = ["state", "op", "delta"];
    view! {
        <div class="panel">
            <h2 class="panel-title">"Measurements"</h2>
            <dl class="stats">
                <dt>"Distinct states now"</dt>
                <dd id="crdt-distinct">{move || report().distinct_states.to_string()}</dd>
                <dt>"Last update"</dt>
                <dd>{move || report().last_update.map_or_else(|| "none yet".to_owned(), |t| format::time_ns(t.0))}</dd>
                <dt>"Metadata per replica"</dt>
                <dd>
                    {move || lab.read(|s| {
                        let t = s.run().totals();
                        let n = u64::from(s.run().node_count().max(1));
                        format::bytes((t.metadata_bytes + t.sync_metadata_bytes) / n)
                    })}
                </dd>
                <dt>"Operations waiting (causal delivery)"</dt>
                <dd>{move || lab.read(|s| format::count(s.run().totals().buffered_ops))}</dd>
            </dl>
            <table class="mode-table">
                <caption>"The same updates under each sync mode"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Sync"</th>
                        <th scope="col">"Converged after the last update"</th>
                        <th scope="col">"Bytes"</th>
                        <th scope="col">"Msgs"</th>
                    </tr>
                </thead>
                <tbody>
                    {(0..3)
                        .map(|i| {
                            view! {
                                <tr class:chosen=move || chosen() == i>
                                    <th scope="row">
                                        {names[i]}
                                        {move || (chosen() == i).then_some(" (shown)")}
                                    </th>
                                    <td>
                                        {move || report().convergence_by_mode[i].map_or_else(
                                            || "not yet".to_owned(),
                                            |d| format::time_ns(d.0),
                                        )}
                                    </td>
                                    <td>{move || format::bytes(report().bytes_by_mode[i])}</td>
                                    <td>{move || format::count(report().messages_by_mode[i])}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// What the type does, and what the run shows.
#[component]
fn Explainer() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let t = move || lab.read(|s| s.run().params().data_type);
    let paragraphs = move || lab.read(|s| explain::explain(s.run()));
    view! {
        <div class="panel explainer">
            <h2 class="panel-title">{move || format!("How the {} works", t().name())}</h2>
            {move || explain::semantics(t()).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            <h3>"What you are seeing"</h3>
            {move || paragraphs().into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </div>
    }
}
