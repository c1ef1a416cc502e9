//! Panels every lab shows around its live view: the broken-link alert, fault buttons, Share
//! (link, scenario and trace files), and the file helpers behind them.

use super::LabContext;
use crate::kit::format;
use crate::kit::share;
use leptos::prelude::*;
use scenario::LabRun;
use sim::RestartMode;
use wasm_bindgen_futures::JsFuture;

/// Says why a share link could not be opened (the page loaded the default scenario instead),
/// until dismissed. Every lab page shows it above the lab.
#[component]
pub fn BrokenLinkAlert(
    /// The reason, while there is one to show.
    broken: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <Show when=move || broken.get().is_some()>
            <div class="lab-alert" role="alert">
                <p>
                    <strong>"This share link could not be opened. "</strong>
                    {move || broken.get().unwrap_or_default()}
                    " The default scenario was loaded instead."
                </p>
                <button type="button" class="button-quiet" on:click=move |_| broken.set(None)>
                    "Dismiss"
                </button>
            </div>
        </Show>
    }
}

/// Crash or restart the selected node (keeping or losing its state), split the network in
/// halves, heal it: the fault buttons every lab with nodes shares. Goes inside a `.button-row`.
#[component]
pub fn FaultButtons<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
    /// How the lab names a node (`n3`, `r3`, …).
    name: fn(sim::NodeId) -> String,
) -> impl IntoView {
    let selected = move || lab.read(|s| s.selected());
    let selected_up = move || lab.read(|s| s.selected().is_some_and(|n| s.run().is_up(n)));
    let who = move || selected().map_or_else(|| "the selected node".to_owned(), name);
    let none = move || selected().is_none();
    view! {
        <Show
            when=move || selected_up() || none()
            fallback=move || {
                view! {
                    <button
                        type="button"
                        on:click=move |_| {
                            lab.act(|s| s.crash_or_restart_selected(RestartMode::Durable))
                        }
                    >
                        {move || format!("Restart {} (keeps state)", who())}
                    </button>
                    <button
                        type="button"
                        on:click=move |_| {
                            lab.act(|s| s.crash_or_restart_selected(RestartMode::Volatile))
                        }
                    >
                        {move || format!("Restart {} (loses state)", who())}
                    </button>
                }
            }
        >
            <button
                type="button"
                disabled=none
                on:click=move |_| lab.act(|s| s.crash_or_restart_selected(RestartMode::Durable))
            >
                {move || format!("Crash {}", who())}
            </button>
        </Show>
        <button type="button" on:click=move |_| lab.act(|s| s.split_in_halves())>
            "Split in halves"
        </button>
        <button type="button" on:click=move |_| lab.act(|s| s.heal())>
            "Heal"
        </button>
    }
}

/// Share: the link to this scenario (and, optionally, this moment), copied and shown (any
/// lab's).
#[component]
pub fn SharePanel<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    let file_said = RwSignal::new(String::new());
    let offer =
        move |name: &str, mime: &str, text: String| offer_file(name, mime, &text, file_said);
    let on_export_scenario = move |_| {
        let json = lab.session.with_value(|s| s.scenario().to_json());
        offer("continuum-scenario.json", "application/json", json);
    };
    let on_export_metrics = move |_| {
        let csv = lab.session.with_value(|s| s.run().metrics_csv());
        offer("continuum-metrics.csv", "text/csv", csv);
    };
    let on_export_trace = move |_| {
        let lines = lab
            .session
            .with_value(|s| s.run().trace_log().map(|t| t.json_lines()));
        match lines {
            Some(text) => offer("continuum-trace.jsonl", "application/x-ndjson", text),
            None => file_said.set("This run keeps no trace.".to_owned()),
        }
    };
    let on_export_shiviz = move |_| {
        let log = lab
            .session
            .with_value(|s| s.run().trace_log().map(|t| t.shiviz()));
        match log {
            Some(Ok(text)) => offer("continuum-trace.shiviz.log", "text/plain", text),
            Some(Err(e)) => file_said.set(e),
            None => file_said.set("This run keeps no trace.".to_owned()),
        }
    };
    let on_import = move |ev: leptos::ev::Event| {
        read_picked_file(&ev, move |text| {
            let text = match text {
                Ok(t) => t,
                Err(e) => return file_said.set(e),
            };
            match scenario::Scenario::from_json(&text) {
                Err(e) => file_said.set(e.to_string()),
                Ok(opened) if R::network_of(&opened).is_some() => {
                    file_said.set(match lab.load(&opened) {
                        Ok(()) => {
                            "The scenario file was opened: the run starts at 0 ms.".to_owned()
                        }
                        Err(e) => format!("This file describes a scenario that cannot run: {e}."),
                    });
                }
                Ok(opened) => open_in_its_lab(&opened, file_said),
            }
        });
    };
    view! {
        <div class="panel share">
            <h2 class="panel-title">"Share"</h2>
            <p class="hint">
                "The link holds the whole scenario, including what you did during the run: \
                 whoever opens it sees the same run."
            </p>
            <ShareLink
                moment_label=move || lab.read(|s| format!("Link to this moment ({})", format::time_ns(s.run().now().0)))
                fragment=move |at_moment| {
                    lab.session
                        .with_value(|s| {
                            let at = at_moment.then(|| s.run().now());
                            share::fragment(s.scenario(), at)
                        })
                        .map_err(|e| format!("This scenario cannot be shared: {e}"))
                }
            />
            <h3 class="panel-subtitle">"Files"</h3>
            <div class="button-row">
                <button type="button" on:click=on_export_scenario>"Download scenario (JSON)"</button>
                <button type="button" on:click=on_export_metrics>"Download curves (CSV)"</button>
                <button type="button" on:click=on_export_trace>"Trace (JSON lines)"</button>
                <button type="button" on:click=on_export_shiviz>"Trace (ShiViz)"</button>
            </div>
            <p class="hint">
                "The trace so far, with vector clocks; the ShiViz log opens in ShiViz as it is."
            </p>
            <div class="field">
                <label for="lab-import">"Open a scenario file"</label>
                <input
                    id="lab-import"
                    type="file"
                    accept=".json,application/json"
                    aria-describedby="lab-import-status"
                    on:change=on_import
                />
            </div>
            <p class="hint" id="lab-import-status" role="status">{move || file_said.get()}</p>
        </div>
    }
}

/// The share controls every lab's Share panel starts with: a check box to pin the link to the
/// moment shown, Share (the link goes into the address bar, without a reload, and onto the
/// clipboard), the link with Copy, and what happened.
#[component]
pub fn ShareLink(
    /// The check box's label ("Link to this moment (40 ms)").
    moment_label: impl Fn() -> String + Send + Sync + 'static,
    /// The fragment to share, pinned to the moment shown when asked; or why it cannot be.
    fragment: impl Fn(bool) -> Result<String, String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let said = RwSignal::new(String::new());
    let at_moment = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Input>::new();
    let copy = move |url: String| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            let copied = JsFuture::from(promise).await.is_ok();
            said.set(if copied {
                "Link copied to the clipboard.".to_owned()
            } else {
                "The browser did not allow copying: select the link below and copy it.".to_owned()
            });
        });
    };
    let on_share = move |_| match fragment(at_moment.get_untracked()) {
        Ok(fragment) => {
            let Some(window) = web_sys::window() else {
                return;
            };
            let href = window.location().href().unwrap_or_default();
            let url = share::share_url(&href, &fragment);
            // replaceState: the address changes without a reload or a hashchange (no reset).
            if let Ok(history) = window.history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            link.set(url.clone());
            said.set("The address bar now holds the link.".to_owned());
            copy(url);
        }
        Err(e) => said.set(e),
    };
    let on_copy = move |_| {
        if let Some(input) = field.get_untracked() {
            input.select();
        }
        copy(link.get_untracked());
    };
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || at_moment.get()
                on:change=move |ev| at_moment.set(event_target_checked(&ev))
            />
            {moment_label}
        </label>
        <button type="button" class="button-primary" on:click=on_share>"Share"</button>
        <Show when=move || !link.get().is_empty()>
            <div class="share-link">
                <label for="lab-share-link">"Link"</label>
                <input
                    id="lab-share-link"
                    node_ref=field
                    type="text"
                    readonly
                    prop:value=move || link.get()
                />
                <button type="button" on:click=on_copy>"Copy"</button>
            </div>
        </Show>
        <p class="hint" role="status">{move || said.get()}</p>
    }
}

/// Reads the file just picked in a file input (the `change` event `ev`), then calls `done`
/// with its text or a sentence saying why it could not be read. The input is cleared, so
/// picking the same file again reads it again.
pub fn read_picked_file(
    ev: &leptos::ev::Event,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    use wasm_bindgen::JsCast;
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    let promise = file.text();
    leptos::task::spawn_local(async move {
        done(match JsFuture::from(promise).await {
            Ok(t) => Ok(t.as_string().unwrap_or_default()),
            Err(_) => Err("The browser could not read that file.".to_owned()),
        });
    });
}

/// Opens `scenario` in its own lab, as its share link would (a scenario file from another lab);
/// says in `said` why not if it cannot be linked.
pub fn open_in_its_lab(scenario: &scenario::Scenario, said: RwSignal<String>) {
    match share::fragment(scenario, None) {
        Ok(fragment) => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&fragment);
            }
        }
        Err(e) => said.set(format!("This scenario cannot be opened: {e}")),
    }
}

/// Offers `text` as a download named `name`, saying in `said` that it did or why it could not.
pub fn offer_file(name: &str, mime: &str, text: &str, said: RwSignal<String>) {
    said.set(match crate::kit::export::download(name, mime, text) {
        Ok(()) => format!("{name} was offered as a download."),
        Err(e) => format!("The file could not be offered: {e}."),
    });
}
