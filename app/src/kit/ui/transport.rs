//! Play, pause, step, reset, run to end, the speed slider, the clock and the shortcuts dialog.

use super::{LabContext, clock_text, mode_word};
use crate::kit::format;
use crate::kit::pacing::{self, STOPS};
use crate::kit::session::Mode;
use leptos::html;
use leptos::prelude::*;
use scenario::LabRun;

/// The transport bar above the live view (any lab's).
#[component]
pub fn Transport<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
    /// The shortcuts dialog, opened by the `?` button.
    help: NodeRef<html::Dialog>,
) -> impl IntoView {
    let speed = move || lab.read(|s| s.speed);
    let on_speed = move |ev: leptos::ev::Event| {
        if let Ok(position) = event_target_value(&ev).parse::<u32>() {
            lab.update(|s| s.speed = pacing::speed_at(position));
        }
    };
    // The live region says only that the run is behind (once); the achieved speed, which
    // changes every moment, sits outside it.
    let behind = move || {
        lab.read(|s| {
            s.is_behind().then(|| {
                format!(
                    "Running behind: this computer simulates slower than {}.",
                    format::speed(s.speed)
                )
            })
        })
    };
    let achieved = move || {
        lab.read(|s| {
            s.is_behind()
                .then(|| s.achieved_speed())
                .flatten()
                .map(|a| format!(" It manages about {}.", format::speed(a)))
        })
    };
    view! {
        <div class="transport" role="group" aria-label="Transport">
            <div class="transport-buttons">
                <button
                    type="button"
                    class="button-primary"
                    aria-keyshortcuts="Space"
                    data-run-controls=""
                    on:click=move |_| lab.update(|s| s.toggle_play())
                >
                    {move || {
                        lab.read(|s| match s.mode() {
                            Mode::Paused if s.is_finished() => "Play again",
                            Mode::Paused => "Play",
                            _ => "Pause",
                        })
                    }}
                </button>
                <button
                    type="button"
                    aria-keyshortcuts=","
                    title="Undo the last step, or go back one event (,)"
                    on:click=move |_| {
                        lab.update(|s| {
                            s.step_back_moment();
                        });
                    }
                >
                    "Step back"
                </button>
                <button
                    type="button"
                    aria-keyshortcuts="."
                    title="Process the next moment: every event at the next event's time (.)"
                    on:click=move |_| {
                        lab.update(|s| {
                            s.step_moment();
                        });
                    }
                >
                    "Step"
                </button>
                <button
                    type="button"
                    aria-keyshortcuts="R"
                    title="Back to time zero, keeping your actions (r)"
                    on:click=move |_| lab.update(|s| s.reset())
                >
                    "Reset"
                </button>
                <button
                    type="button"
                    aria-keyshortcuts="E"
                    title="Run to the end as fast as this computer can (e)"
                    on:click=move |_| lab.update(|s| s.run_to_end())
                >
                    "Run to end"
                </button>
                <button
                    type="button"
                    class="button-quiet"
                    aria-keyshortcuts="Shift+?"
                    aria-haspopup="dialog"
                    on:click=move |_| {
                        if let Some(dialog) = help.get_untracked() {
                            let _ = dialog.show_modal();
                        }
                    }
                >
                    "Shortcuts (?)"
                </button>
            </div>
            <div class="transport-speed">
                <label for="lab-speed">"Speed " <output for="lab-speed">{move || format::speed(speed())}</output></label>
                <input
                    id="lab-speed"
                    type="range"
                    min="0"
                    max=pacing::SLIDER_MAX
                    step="1"
                    list="lab-speed-stops"
                    aria-valuetext=move || format!("{} real time", format::speed(speed()))
                    prop:value=move || pacing::position_of(speed()).to_string()
                    on:input=on_speed
                />
                <datalist id="lab-speed-stops">
                    {STOPS
                        .iter()
                        .map(|(position, label)| view! { <option value=*position label=*label></option> })
                        .collect_view()}
                </datalist>
                <div class="speed-stops" aria-hidden="true">
                    {STOPS.iter().map(|(_, label)| view! { <span>{*label}</span> }).collect_view()}
                </div>
            </div>
            <p
                class="transport-clock"
                id="lab-status"
                data-trace-hash=move || lab.read(|s| s.run().trace_hash_hex())
                data-sim-time-ns=move || lab.read(|s| s.run().now().0.to_string())
                data-events=move || lab.read(|s| s.run().events_processed().to_string())
                data-mode=move || lab.read(|s| mode_word(s.mode(), s.is_finished()))
            >
                <span class="clock-label">"Simulated time "</span>
                <strong class="clock-time">{move || lab.read(clock_text)}</strong>
                <span class="clock-state">
                    {move || lab.read(|s| match mode_word(s.mode(), s.is_finished()) {
                        "finished" => " · finished",
                        "playing" => " · playing",
                        "seeking" => " · fast-forwarding",
                        _ => " · paused",
                    })}
                </span>
            </p>
            <div class="transport-timeline">
                <label for="lab-timeline">"Time"</label>
                <input
                    id="lab-timeline"
                    type="range"
                    min="0"
                    max=move || lab.read(|s| (s.run().end().0 / 1_000_000).to_string())
                    step="1"
                    aria-valuetext=move || lab.read(clock_text)
                    prop:value=move || lab.read(|s| (s.run().now().0 / 1_000_000).to_string())
                    on:input=move |ev| {
                        if let Ok(ms) = event_target_value(&ev).parse::<u64>() {
                            lab.update(|s| s.seek(sim::SimTime::from_millis(ms)));
                        }
                    }
                />
            </div>
            <p class="transport-behind">
                <span role="status">{behind}</span>
                <span>{achieved}</span>
            </p>
            <details class="transport-details">
                <summary>"Run details"</summary>
                <dl>
                    <dt>"Events processed"</dt>
                    <dd id="lab-events">
                        {move || lab.read(|s| format::count(s.run().events_processed()))}
                    </dd>
                    <dt>"Events pending"</dt>
                    <dd>{move || lab.read(|s| format::count(s.run().events_pending()))}</dd>
                    <dt>"Trace hash"</dt>
                    <dd><code id="lab-trace-hash">{move || lab.read(|s| s.run().trace_hash_hex())}</code></dd>
                    <dt>"Seed"</dt>
                    <dd>{move || lab.read(|s| s.scenario().seed.to_string())}</dd>
                </dl>
                <p class="hint">
                    "The same scenario and seed always give the same trace hash, in any browser."
                </p>
            </details>
        </div>
    }
}

/// A lab run's keyboard shortcuts: key, then what it does.
pub const RUN_SHORTCUTS: [(&str, &str); 7] = [
    ("Space", "Play or pause"),
    (
        ".",
        "Step: process the next moment (every event at the next event's time)",
    ),
    (",", "Step back: undo the last step (else one event)"),
    ("r", "Reset to time zero (your actions are kept)"),
    ("e", "Run to the end as fast as this computer can"),
    ("?", "Show this list"),
    ("Esc", "Close this list"),
];

/// The list of keyboard shortcuts, in a modal dialog.
#[component]
pub fn ShortcutsDialog(
    /// The dialog element, so the `?` key and button can open it.
    dialog: NodeRef<html::Dialog>,
    /// The keys and what they do (default: [`RUN_SHORTCUTS`]).
    #[prop(optional)]
    rows: Option<&'static [(&'static str, &'static str)]>,
) -> impl IntoView {
    let close = move |_| {
        if let Some(d) = dialog.get_untracked() {
            d.close();
        }
    };
    let rows = rows.unwrap_or(&RUN_SHORTCUTS);
    view! {
        <dialog node_ref=dialog class="lab-dialog" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <table>
                <tbody>
                    {rows
                        .iter()
                        .map(|(key, what)| {
                            view! { <tr><th scope="row"><kbd>{*key}</kbd></th><td>{*what}</td></tr> }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="hint">"Shortcuts are off while a text field or menu has the focus."</p>
            <form method="dialog">
                <button type="submit" class="button-primary" on:click=close>"Close"</button>
            </form>
        </dialog>
    }
}
