//! The scenario editor: presets and every parameter, with problems shown next to their fields.

use super::LabContext;
use leptos::prelude::*;
use scenario::scenario::broadcast_presets;

/// Presets, then the editable scenario.
#[component]
pub fn Editor() -> impl IntoView {
    let lab = expect_context::<LabContext>();
    let presets = StoredValue::new_local(broadcast_presets());
    let chosen = RwSignal::new(None::<usize>);
    let on_preset = move |ev: leptos::ev::Event| {
        let Ok(index) = event_target_value(&ev).parse::<usize>() else {
            return;
        };
        let Some(scenario) = presets.with_value(|p| p.get(index).map(|p| p.scenario.clone()))
        else {
            return;
        };
        if lab.load(&scenario).is_ok() {
            chosen.set(Some(index));
            lab.status.set(String::new());
        }
    };
    let description = move || {
        let current = lab.read(|s| s.scenario().clone());
        presets.with_value(|p| {
            p.iter()
                .find(|p| p.scenario == current)
                .map(|p| p.description.to_owned())
                .unwrap_or_else(|| {
                    "Your own scenario (edited, or with recorded actions).".to_owned()
                })
        })
    };
    view! {
        <div class="panel">
            <h2 class="panel-title">"Scenario"</h2>
            <div class="field">
                <label for="lab-preset">"Preset"</label>
                <select id="lab-preset" aria-describedby="lab-preset-description" on:change=on_preset>
                    <option value="" disabled selected=move || chosen.get().is_none()>
                        "Choose a preset…"
                    </option>
                    {presets
                        .with_value(|p| {
                            p.iter()
                                .enumerate()
                                .map(|(i, preset)| {
                                    view! {
                                        <option value=i.to_string() selected=move || chosen.get() == Some(i)>
                                            {preset.name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })}
                </select>
                <p class="hint" id="lab-preset-description">{description}</p>
            </div>
        </div>
    }
}
