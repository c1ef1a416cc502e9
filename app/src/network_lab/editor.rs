//! The scenario editor: presets and every parameter, with each problem shown next to its field.
//! Apply rebuilds the run; an invalid form keeps the previous run.

use super::NetworkContext;
use crate::kit::editor::{Choice, EditorForm, EditorState, FieldError, PresetPicker, TextField};
use crate::kit::form::{
    ActionChoice, ActionRow, Form, LatencyChoice, ProtocolChoice, TopologyChoice, limits,
    map_problems,
};
use leptos::prelude::*;
use scenario::scenario::broadcast_presets;

/// Above this many nodes, Apply says "Building…" before it builds (it takes a visible moment).
const BUILD_NOTICE_NODES: u32 = 20_000;

/// Presets, then the editable scenario.
#[component]
pub fn Editor() -> impl IntoView {
    let lab = expect_context::<NetworkContext>();
    let presets = StoredValue::new_local(broadcast_presets());
    let initial = lab
        .session
        .with_value(|s| Form::from_scenario(s.scenario()));
    let state = EditorState::new(initial, "f", field_name);
    // A new scenario (preset, Apply, link): the form shows it.
    Effect::new(move |previous: Option<()>| {
        lab.scenario_version.track();
        if previous.is_some() {
            let form = lab
                .session
                .with_value(|s| Form::from_scenario(s.scenario()));
            state.form.set(form);
            state.refreshed.update(|v| *v += 1);
        }
    });
    // Actions recorded live join the action list.
    Effect::new(move |previous: Option<()>| {
        lab.actions_version.track();
        if previous.is_some() {
            lab.session
                .with_value(|s| state.form.update(|f| f.sync_actions(s.scenario())));
            state.refreshed.update(|v| *v += 1);
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
            state.problems.set(Vec::new());
            lab.status.set(String::new());
        }
    };
    let applied = RwSignal::new(String::new());
    let apply_now = move |scenario: scenario::Scenario| match lab.load(&scenario) {
        Ok(()) => {
            state.problems.set(Vec::new());
            applied.set("Applied: the run starts again at 0 ms.".to_owned());
        }
        Err(e) => {
            // The form's own check orders the problems and leaves out those that follow from
            // another (actions naming nodes when the node count is wrong).
            let problems = state
                .form
                .with_untracked(|f| f.to_scenario().err())
                .unwrap_or_else(|| map_problems(&e));
            state.problems.set(problems);
            applied.set(String::new());
        }
    };
    let apply = move || {
        let parsed = state.form.with_untracked(|f| f.parse());
        match parsed {
            Err(_) => {
                // Something does not parse: collect every problem, the limits' included.
                let problems = state
                    .form
                    .with_untracked(|f| f.to_scenario().err())
                    .unwrap_or_default();
                state.problems.set(problems);
                applied.set(String::new());
            }
            Ok(scenario) => {
                let nodes = scenario.lab.as_lab().network_nodes();
                if nodes > BUILD_NOTICE_NODES {
                    // Building a big network takes a moment: say so first, build on a later
                    // frame, once the message is on screen.
                    applied.set(format!(
                        "Building {} nodes…",
                        crate::kit::format::count(nodes as u64)
                    ));
                    request_animation_frame(move || {
                        request_animation_frame(move || apply_now(scenario));
                    });
                } else {
                    apply_now(scenario);
                }
            }
        }
    };
    provide_context(state);

    view! {
           <div class="panel editor">
               <h2 class="panel-title">"Scenario"</h2>
               <PresetPicker id="lab-preset" presets=presets chosen=chosen pick=on_preset own="Your own scenario: edited, opened from a link, or with actions you recorded." />
               <EditorForm state=state summary="Parameters and actions" apply=apply>
                   <fieldset>
                       <legend>"Network"</legend>
                       <TextField
                           state=state
                           key="nodes"
                           label="Nodes"
                           hint=limits::nodes()
                           get=|f| f.nodes.clone()
                           set=|f, v| f.nodes = v
                       />
                       <Choice
                           state=state
                           key="topology"
                           label="Topology"
                           options=TopologyChoice::ALL.iter().map(|c| (c.name(), c.name())).collect()
                           get=|f| f.topology.name()
                           set=|f, v| {
                               if let Some(c) = TopologyChoice::from_name(&v) {
                                   f.topology = c;
                               }
                           }
                       />
                       <Show when=move || state.form.with(|f| f.topology == TopologyChoice::Tree)>
                           <TextField
                               state=state
                               key="topology"
                               id="branching"
                               shared=true
                               label="Branching (children per node)"
                               hint="1 or more".to_owned()
                               get=|f| f.branching.clone()
                               set=|f, v| f.branching = v
                           />
                       </Show>
                       <Show when=move || state.form.with(|f| f.topology == TopologyChoice::Random)>
                           <TextField
                               state=state
                               key="topology"
                               id="mean-degree"
                               shared=true
                               label="Mean degree (neighbours per node)"
                               hint="0 or more; the graph is always connected".to_owned()
                               get=|f| f.mean_degree.clone()
                               set=|f, v| f.mean_degree = v
                           />
                       </Show>
                       <FieldError state=state
    key="topology" />
                   </fieldset>
                   <fieldset>
                       <legend>"Links"</legend>
                       <Choice
                           state=state
                           key="latency"
                           label="Latency"
                           options=LatencyChoice::ALL.iter().map(|c| (c.name(), c.label())).collect()
                           get=|f| f.latency.name()
                           set=|f, v| {
                               if let Some(c) = LatencyChoice::from_name(&v) {
                                   f.latency = c;
                               }
                           }
                       />
                       {move || {
                           let (a, b) = state.form.with(|f| f.latency.parameter_labels());
                           view! {
                               <TextField
                                   state=state
                                   key="latency"
                                   id="latency-a"
                                   shared=true
                                   label=a
                                   hint="milliseconds, up to one day".to_owned()
                                   get=|f| f.latency_a.clone()
                                   set=|f, v| f.latency_a = v
                               />
                               {b.map(|b| {
                                   view! {
                                       <TextField
                                           state=state
                                           key="latency"
                                           id="latency-b"
                                           shared=true
                                           label=b
                                           hint=String::new()
                                           get=|f| f.latency_b.clone()
                                           set=|f, v| f.latency_b = v
                                       />
                                   }
                               })}
                           }
                       }}
                       <FieldError state=state
    key="latency" />
                       <TextField
                           state=state
                           key="loss"
                           label="Loss (%)"
                           hint="0 – 100 % of messages lost".to_owned()
                           get=|f| f.loss.clone()
                           set=|f, v| f.loss = v
                       />
                       <TextField
                           state=state
                           key="duplicate"
                           label="Duplication (%)"
                           hint="0 – 100 % of messages delivered twice".to_owned()
                           get=|f| f.duplicate.clone()
                           set=|f, v| f.duplicate = v
                       />
                   </fieldset>
                   <fieldset>
                       <legend>"Protocol"</legend>
                       <Choice
                           state=state
                           key="protocol"
                           label="Protocol"
                           options=ProtocolChoice::ALL.iter().map(|c| (c.name(), c.label())).collect()
                           get=|f| f.protocol.name()
                           set=|f, v| {
                               if let Some(c) = ProtocolChoice::from_name(&v) {
                                   f.protocol = c;
                               }
                           }
                       />
                       <Show when=move || {
                           state.form.with(|f| matches!(f.protocol, ProtocolChoice::Push | ProtocolChoice::PushPull))
                       }>
                           <TextField
                               state=state
                               key="protocol"
                               id="fanout"
                               shared=true
                               label="Fanout (peers per round)"
                               hint="1 or more".to_owned()
                               get=|f| f.fanout.clone()
                               set=|f, v| f.fanout = v
                           />
                           <TextField
                               state=state
                               key="protocol"
                               id="period"
                               shared=true
                               label="Period (ms between rounds)"
                               hint="above 0".to_owned()
                               get=|f| f.period_ms.clone()
                               set=|f, v| f.period_ms = v
                           />
                       </Show>
                       <Show when=move || state.form.with(|f| f.protocol == ProtocolChoice::Push)>
                           <TextField
                               state=state
                               key="protocol"
                               id="rounds"
                               shared=true
                               label="Rounds"
                               hint="1 or more".to_owned()
                               get=|f| f.rounds.clone()
                               set=|f, v| f.rounds = v
                           />
                       </Show>
                       <Show when=move || state.form.with(|f| f.protocol == ProtocolChoice::Tree)>
                           <TextField
                               state=state
                               key="protocol"
                               id="root"
                               shared=true
                               label="Root node"
                               hint="the node the tree hangs from".to_owned()
                               get=|f| f.root.clone()
                               set=|f, v| f.root = v
                           />
                       </Show>
                       <FieldError state=state
    key="protocol" />
                   </fieldset>
                   <fieldset>
                       <legend>"Run"</legend>
                       <TextField
                           state=state
                           key="seed"
                           label="Seed"
                           hint="any whole number: same seed, same run".to_owned()
                           get=|f| f.seed.clone()
                           set=|f, v| f.seed = v
                       />
                       <TextField
                           state=state
                           key="duration"
                           label="Duration (ms)"
                           hint=limits::duration()
                           get=|f| f.duration_ms.clone()
                           set=|f, v| f.duration_ms = v
                       />
                   </fieldset>
                   <ActionList />
                   <div class="button-row editor-buttons">
                       <button type="submit" class="button-primary">"Apply"</button>
                       <button
                           type="button"
                           on:click=move |_| {
                               let form = lab.session.with_value(|s| Form::from_scenario(s.scenario()));
                               state.form.set(form);
                               state.problems.set(Vec::new());
                               state.refreshed.update(|v| *v += 1);
                           }
                       >
                           "Revert"
                       </button>
                   </div>
                   <p class="hint" role="status">{move || applied.get()}</p>
               </EditorForm>
           </div>
       }
}

/// A field key's name in the problem list.
fn field_name(key: &str) -> String {
    match key {
        "nodes" => "Nodes".into(),
        "topology" => "Topology".into(),
        "latency" => "Latency".into(),
        "loss" => "Loss".into(),
        "duplicate" => "Duplication".into(),
        "protocol" => "Protocol".into(),
        "seed" => "Seed".into(),
        "duration" => "Duration".into(),
        "t" => "Moment".into(),
        other => match other
            .strip_prefix("actions[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
        {
            Some(i) => format!("Action {}", i + 1),
            None => "Actions".into(),
        },
    }
}

/// The list of actions with add and remove.
#[component]
fn ActionList() -> impl IntoView {
    let state = expect_context::<EditorState<Form>>();
    // Rows are rebuilt when the form is replaced or a row is added or removed (`refreshed`),
    // not while the learner types into them.
    let count = move || {
        state.refreshed.track();
        state.form.with_untracked(|f| f.actions.len())
    };
    view! {
           <fieldset class="actions-list">
               <legend>"Actions"</legend>
               <p class="hint">"Broadcasts and faults at given times (ms). The buttons under the view add to this list."</p>
               <FieldError state=state
    key="actions" />
               <ol>
                   {move || (0..count()).map(|i| view! { <ActionRowView index=i /> }).collect_view()}
               </ol>
               <button
                   type="button"
                   on:click=move |_| {
                       state.form.update(|f| f.actions.push(ActionRow::new()));
                       state.refreshed.update(|v| *v += 1);
                   }
               >
                   "Add action"
               </button>
           </fieldset>
       }
}

/// One action: what, which node, when, and Remove.
#[component]
fn ActionRowView(index: usize) -> impl IntoView {
    let state = expect_context::<EditorState<Form>>();
    let key = format!("actions[{index}]");
    let key_for_problem = key.clone();
    let problem = move || state.problem(&key_for_problem);
    let row = move || state.form.with_untracked(|f| f.actions.get(index).cloned());
    let Some(initial) = row() else {
        return ().into_any();
    };
    let remove = move |_| {
        state.form.update(|f| {
            if index < f.actions.len() {
                f.actions.remove(index);
            }
        });
        state
            .problems
            .update(|p| p.retain(|p| !p.field.starts_with("actions[")));
        state.refreshed.update(|v| *v += 1);
    };
    let number = index + 1;
    let err = state.error_id(&key);
    let err_for_aria = err.clone();
    let problem_for_aria = problem.clone();
    let described = move || problem_for_aria().is_some().then(|| err_for_aria.clone());
    let body = match initial.kept_description() {
        Some(text) => view! { <span class="action-kept">{text}</span> }.into_any(),
        None => {
            let needs_node = move || {
                state.form.with(|f| {
                    f.actions
                        .get(index)
                        .and_then(|r| r.choice)
                        .is_some_and(ActionChoice::needs_node)
                })
            };
            let described_kind = described.clone();
            let described_node = described.clone();
            let described_at = described.clone();
            view! {
                <select
                    aria-label=format!("Action {number}: what")
                    aria-describedby=described_kind
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        state.form.update(|f| {
                            if let Some(r) = f.actions.get_mut(index) {
                                r.choice = ActionChoice::from_name(&value);
                            }
                        });
                    }
                >
                    {ActionChoice::ALL
                        .into_iter()
                        .map(|c| view! { <option value=c.name() selected=initial.choice == Some(c)>{c.label()}</option> })
                        .collect_view()}
                </select>
                <span class="action-node-label" aria-hidden="true">"node"</span>
                <input
                    type="text"
                    inputmode="numeric"
                    class="action-node"
                    aria-label=format!("Action {number}: node")
                    aria-describedby=described_node
                    disabled=move || !needs_node()
                    prop:value=initial.node.clone()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        state.form.update(|f| {
                            if let Some(r) = f.actions.get_mut(index) {
                                r.node = value;
                            }
                        });
                    }
                />
                <span class="action-at">
                    "at "
                    <input
                        type="text"
                        inputmode="decimal"
                        aria-label=format!("Action {number}: time in ms")
                        aria-describedby=described_at
                        prop:value=initial.at_ms.clone()
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            state.form.update(|f| {
                                if let Some(r) = f.actions.get_mut(index) {
                                    r.at_ms = value;
                                }
                            });
                        }
                    />
                    " ms"
                </span>
            }
                .into_any()
        }
    };
    view! {
        <li class="action-row">
            <div class="action-fields">
                {body}
                <button type="button" class="button-quiet" aria-label=format!("Remove action {number}") on:click=remove>
                    "Remove"
                </button>
            </div>
            <p class="field-error" id=err>{move || problem().unwrap_or_default()}</p>
        </li>
    }
    .into_any()
}
