//! One scenario editor for every lab: the form's state ([`EditorState`]), labelled fields bound
//! to it ([`TextField`], [`Choice`]), each problem shown the same way under its field
//! ([`FieldError`], outlined with `aria-invalid`) and listed above Apply with a link to it
//! ([`ProblemSummary`]). A lab's editor supplies its form type, its field keys and names, and
//! the mapping of its scenario's validation problems onto those keys.
//!
//! A field key names the form field a problem belongs to (`nodes`, `sync.interval`,
//! `actions[2]`). A problem reported under `key.more` (say `serverless.keep_alive` under a
//! `serverless` field) is shown at `key` when no field claims the longer key.

use super::form::FieldProblem;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The state of one lab's editor: the fields as typed, the problems of the last Apply, and how
/// its ids and names are made.
pub struct EditorState<F: Send + Sync + 'static> {
    /// The fields as typed.
    pub form: RwSignal<F>,
    /// The problems of the last Apply (empty once it succeeds).
    pub problems: RwSignal<Vec<FieldProblem>>,
    /// Bumped when the form is replaced as a whole: inputs then re-read their value (while the
    /// learner types, an input is not written back, so the caret stays where it is).
    pub refreshed: RwSignal<u64>,
    /// The prefix of every element id of this editor (`f`, `crdt`, `edge`): ids stay unique
    /// when two editors share a page.
    pub prefix: &'static str,
    /// A field key's name in the problem list ("Replicas" for `nodes`).
    pub field_name: fn(&str) -> String,
    /// Called after every edit of a field (a lab whose form applies as the learner types
    /// checks it here); `None`: the form waits for Apply.
    pub after_edit: Option<Callback<()>>,
}

impl<F: Send + Sync + 'static> Clone for EditorState<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F: Send + Sync + 'static> Copy for EditorState<F> {}

impl<F: Send + Sync + 'static> EditorState<F> {
    /// A new editor showing `form`, with no problems.
    pub fn new(form: F, prefix: &'static str, field_name: fn(&str) -> String) -> Self {
        EditorState {
            form: RwSignal::new(form),
            problems: RwSignal::new(Vec::new()),
            refreshed: RwSignal::new(0),
            prefix,
            field_name,
            after_edit: None,
        }
    }

    /// The same editor, calling `after_edit` after every edit of a field.
    pub fn with_after_edit(self, after_edit: Callback<()>) -> Self {
        EditorState {
            after_edit: Some(after_edit),
            ..self
        }
    }

    /// Changes the form as a field does: then the `after_edit` hook runs.
    pub fn edit(&self, f: impl FnOnce(&mut F)) {
        self.form.update(f);
        if let Some(after) = self.after_edit {
            after.run(());
        }
    }

    /// Replaces the whole form (a preset, a link, Apply): inputs re-read their values.
    pub fn replace(&self, form: F) {
        self.form.set(form);
        self.refreshed.update(|v| *v += 1);
    }

    /// Every problem for the field `key` (its own and its sub-keys'), joined; `None` if there
    /// is none.
    pub fn problem(&self, key: &str) -> Option<String> {
        self.problems.with(|p| {
            let messages: Vec<&str> = p
                .iter()
                .filter(|p| belongs_to(&p.field, key))
                .map(|p| p.message.as_str())
                .collect();
            (!messages.is_empty()).then(|| messages.join(" "))
        })
    }

    /// The id of the element that shows `key`'s problems.
    pub fn error_id(&self, key: &str) -> String {
        format!(
            "{}-{}-error",
            self.prefix,
            key.replace(['[', ']', '.'], "-")
        )
    }

    /// The id of the input for `id`.
    pub fn input_id(&self, id: &str) -> String {
        format!("{}-{id}", self.prefix)
    }
}

/// Whether a problem reported under `field` is shown at the field `key`.
pub fn belongs_to(field: &str, key: &str) -> bool {
    field == key || field.strip_prefix(key).is_some_and(|r| r.starts_with('.'))
}

/// "1 problem", "3 problems".
pub fn problem_count(n: usize) -> String {
    if n == 1 {
        "1 problem: fix it".to_owned()
    } else {
        format!("{n} problems: fix them")
    }
}

/// The problem for a field key, in an element the field points to with `aria-describedby`.
#[component]
pub fn FieldError<F: Send + Sync + 'static>(
    /// The editor.
    state: EditorState<F>,
    /// The field key.
    #[prop(into)]
    key: String,
) -> impl IntoView {
    let id = state.error_id(&key);
    view! { <p class="field-error" id=id>{move || state.problem(&key).unwrap_or_default()}</p> }
}

/// A labelled text input bound to a form field, with its limits hint and its problem.
#[component]
pub fn TextField<F: Send + Sync + 'static>(
    /// The editor.
    state: EditorState<F>,
    /// The problem key this field reports under.
    key: &'static str,
    /// The element id suffix (defaults to the key).
    #[prop(optional)]
    id: Option<&'static str>,
    /// Whether other fields share the key: then its problem is shown once, by a
    /// [`FieldError`] after them, not under this field.
    #[prop(optional)]
    shared: bool,
    /// The label.
    #[prop(into)]
    label: Signal<String>,
    /// The limits or help shown under the field (empty or left out: none).
    #[prop(optional, into)]
    hint: Signal<String>,
    /// Reads the field from the form.
    get: fn(&F) -> String,
    /// Writes the field into the form.
    set: fn(&mut F, String),
    /// The on-screen keyboard to offer (default `decimal`; `numeric` for whole numbers).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = id.unwrap_or(key);
    let input_id = state.input_id(id);
    let hint_id = format!("{input_id}-hint");
    let hint_for_ids = hint_id.clone();
    let error_id = state.error_id(key);
    let described = move || {
        let mut ids = Vec::new();
        if !hint.with(String::is_empty) {
            ids.push(hint_for_ids.clone());
        }
        if state.problem(key).is_some() {
            ids.push(error_id.clone());
        }
        ids.join(" ")
    };
    let own_error = !shared;
    view! {
        <div class="field">
            <label for=input_id.clone()>{label}</label>
            <input
                id=input_id
                type="text"
                inputmode=inputmode.unwrap_or("decimal")
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || state.problem(key).is_some().then_some("true")
                aria-describedby=described
                prop:value=move || {
                    state.refreshed.track();
                    state.form.with_untracked(get)
                }
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    state.edit(|f| set(f, value));
                }
            />
            <p class="hint" id=hint_id hidden=move || hint.with(String::is_empty)>{hint}</p>
            {own_error.then(|| view! { <FieldError state=state key=key /> })}
        </div>
    }
}

/// A labelled menu bound to a form field.
#[component]
pub fn Choice<F: Send + Sync + 'static>(
    /// The editor.
    state: EditorState<F>,
    /// The problem key.
    key: &'static str,
    /// The element id suffix (defaults to `{key}-kind`).
    #[prop(optional)]
    id: Option<&'static str>,
    /// The label.
    label: &'static str,
    /// `(value, label)` pairs.
    options: Vec<(&'static str, &'static str)>,
    /// Reads the chosen value.
    get: fn(&F) -> &'static str,
    /// Writes the chosen value.
    set: fn(&mut F, String),
    /// Shows the key's problem under the menu (when no text field of the same key does).
    #[prop(optional)]
    own_error: bool,
) -> impl IntoView {
    let select_id = match id {
        Some(id) => state.input_id(id),
        None => state.input_id(&format!("{key}-kind")),
    };
    view! {
        <div class="field">
            <label for=select_id.clone()>{label}</label>
            <select
                id=select_id
                aria-invalid=move || (own_error && state.problem(key).is_some()).then_some("true")
                aria-describedby=move || state.problem(key).is_some().then(|| state.error_id(key))
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    state.edit(|f| set(f, value));
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <option value=value selected=move || state.form.with(|f| get(f) == value)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {own_error.then(|| view! { <FieldError state=state key=key /> })}
        </div>
    }
}

/// The preset menu at the top of an editor, with what the chosen preset shows and what to try
/// (or `own`, when the scenario is no preset: edited, opened from a link, or with actions).
#[component]
pub fn PresetPicker(
    /// The menu's element id; its description is `{id}-description`.
    #[prop(into)]
    id: String,
    /// The lab's presets.
    presets: StoredValue<Vec<scenario::scenario::Preset>, LocalStorage>,
    /// The preset the current scenario is, if any.
    chosen: impl Fn() -> Option<usize> + Copy + Send + Sync + 'static,
    /// Loads the preset the learner picked.
    pick: impl Fn(usize) + Copy + Send + Sync + 'static,
    /// What the description says for a scenario that is no preset.
    own: &'static str,
) -> impl IntoView {
    let described = format!("{id}-description");
    let description = move || {
        chosen()
            .and_then(|i| presets.with_value(|p| p.get(i).map(|p| p.description)))
            .unwrap_or(own)
    };
    view! {
        <div class="field">
            <label for=id.clone()>"Preset"</label>
            <select
                id=id
                aria-describedby=described.clone()
                on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        pick(i);
                    }
                }
            >
                <option value="" disabled selected=move || chosen().is_none()>
                    "Your own scenario"
                </option>
                {presets
                    .with_value(|p| {
                        p.iter()
                            .enumerate()
                            .map(|(i, preset)| {
                                view! {
                                    <option value=i.to_string() selected=move || chosen() == Some(i)>
                                        {preset.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    })}
            </select>
            <p class="hint" id=described>{description}</p>
        </div>
    }
}

/// An editor's fields in a form that Apply (or Enter) submits, under the problem summary; on a
/// narrow screen, where the editor sits above the view, it starts folded under `summary`.
#[component]
pub fn EditorForm<F: Send + Sync + 'static>(
    /// The editor.
    state: EditorState<F>,
    /// The fold's title ("Parameters").
    summary: &'static str,
    /// Applies the form.
    apply: impl Fn() + Copy + Send + Sync + 'static,
    /// The fields and buttons.
    children: Children,
) -> impl IntoView {
    let wide = window()
        .match_media("(min-width: 901px)")
        .ok()
        .flatten()
        .is_none_or(|m| m.matches());
    view! {
        <details class="editor-more" open=wide>
            <summary>{summary}</summary>
            <form
                class="editor-form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    apply();
                }
            >
                <ProblemSummary state=state />
                {children()}
            </form>
        </details>
    }
}

/// The alert listing every problem of the last Apply, each naming its field with a link to the
/// problem shown there; the previous run is kept.
#[component]
pub fn ProblemSummary<F: Send + Sync + 'static>(
    /// The editor.
    state: EditorState<F>,
) -> impl IntoView {
    view! {
        <div role="alert" class="problem-summary-slot">
            <Show when=move || state.problems.with(|p| !p.is_empty())>
                <div class="problem-summary">
                    <p>
                        <strong>{move || problem_count(state.problems.with(Vec::len))}</strong>
                        " and press Apply again. The previous run is kept."
                    </p>
                    <ul>
                        {move || {
                            state
                                .problems
                                .get()
                                .into_iter()
                                .map(|p| {
                                    let name = (state.field_name)(&p.field);
                                    // A link only where a field shows the problem (the
                                    // scenario may name settings the editor has no field for).
                                    let head = match shown_at(state, &p.field) {
                                        Some(target) => {
                                            let href = format!("#{target}");
                                            view! {
                                                <a href=href on:click=move |ev| {
                                                    // Keep the fragment (it may be a share link):
                                                    // go to the field instead.
                                                    ev.prevent_default();
                                                    go_to_problem(&target);
                                                }>{name}</a>
                                            }
                                                .into_any()
                                        }
                                        None => view! { <span>{name}</span> }.into_any(),
                                    };
                                    view! { <li>{head}": "{p.message.clone()}</li> }
                                })
                                .collect_view()
                        }}
                    </ul>
                </div>
            </Show>
        </div>
    }
}

/// A lab's editor form: the fields as typed, read from a scenario and built into one. A lab
/// whose editor is a plain form of fields implements this and gets the whole editor from
/// [`LabEditor`]: presets, the fields it draws, every problem at its field, Apply.
pub trait LabForm: Send + Sync + Sized + 'static {
    /// The prefix of the editor's element ids (`rpc`): unique per page.
    const PREFIX: &'static str;

    /// The form showing `scenario` (the lab's default where it is another lab's).
    fn from_scenario(scenario: &scenario::Scenario) -> Self;

    /// The scenario these fields describe, on the base of `base` (its actions kept), or every
    /// problem at its field.
    fn build(&self, base: &scenario::Scenario) -> Result<scenario::Scenario, Vec<FieldProblem>>;

    /// A field key's name in the problem list.
    fn field_name(key: &str) -> String;

    /// The scenario's own validation problems at this form's field keys.
    fn problems_at_fields(e: &scenario::scenario::ScenarioError) -> Vec<FieldProblem> {
        super::form::map_problems(e)
    }
}

/// A lab's whole scenario editor over its [`LabForm`]: the preset menu, the lab's fields (drawn
/// by `fields` from the editor's state), the problem summary and Apply. The form follows the
/// scenario when it is replaced (preset, share link, Apply) or an action is recorded.
#[component]
pub fn LabEditor<R: scenario::LabRun + 'static, F: LabForm>(
    /// The lab.
    lab: super::ui::LabContext<R>,
    /// The lab's presets.
    presets: Vec<scenario::scenario::Preset>,
    /// What the preset description says for a scenario that is no preset.
    own: &'static str,
    /// Draws the form's fields.
    fields: fn(EditorState<F>) -> AnyView,
) -> impl IntoView {
    let presets = StoredValue::new_local(presets);
    let state = EditorState::new(
        lab.session.with_value(|s| F::from_scenario(s.scenario())),
        F::PREFIX,
        F::field_name,
    );
    Effect::new(move |previous: Option<()>| {
        lab.scenario_version.track();
        lab.actions_version.track();
        if previous.is_some() {
            state.replace(lab.session.with_value(|s| F::from_scenario(s.scenario())));
        }
    });
    let chosen = move || {
        let current = lab.read(|s| s.scenario().clone());
        presets.with_value(|p| p.iter().position(|p| p.scenario == current))
    };
    let pick = move |index: usize| {
        if let Some(scenario) = presets.with_value(|p| p.get(index).map(|p| p.scenario.clone()))
            && lab.load(&scenario).is_ok()
        {
            state.problems.set(Vec::new());
            lab.status.set(String::new());
        }
    };
    let apply = move || {
        let base = lab.session.with_value(|s| s.scenario().clone());
        match state.form.with_untracked(|f| f.build(&base)) {
            Ok(scenario) => match lab.load(&scenario) {
                Ok(()) => {
                    state.problems.set(Vec::new());
                    lab.status
                        .set("Applied: the run starts again from time zero.".into());
                }
                Err(e) => state.problems.set(F::problems_at_fields(&e)),
            },
            Err(p) => state.problems.set(p),
        }
    };
    let preset_id = format!("{}-preset", F::PREFIX);
    view! {
        <div class="panel editor">
            <h2 class="panel-title">"Scenario"</h2>
            <PresetPicker id=preset_id presets=presets chosen=chosen pick=pick own=own />
            <EditorForm state=state summary="Parameters" apply=apply>
                {fields(state)}
                <button type="submit" class="button-primary">"Apply"</button>
            </EditorForm>
        </div>
    }
}

/// The id of the element on the page showing `field`'s problem: its own, or that of the longest
/// key it belongs to (`serverless` for `serverless.keep_alive`); `None` if no field shows it.
fn shown_at<F: Send + Sync + 'static>(state: EditorState<F>, field: &str) -> Option<String> {
    let mut key = field;
    loop {
        let id = state.error_id(key);
        if document().get_element_by_id(&id).is_some() {
            return Some(id);
        }
        key = &key[..key.rfind('.')?];
    }
}

/// Moves the focus to the field whose problem is shown in the element `error_id` (the input
/// that points to it with `aria-describedby`), or scrolls to the problem itself.
fn go_to_problem(error_id: &str) {
    let selector = format!("[aria-describedby~=\"{error_id}\"]");
    let field = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match field {
        Some(field) => {
            field.scroll_into_view();
            let _ = field.focus();
        }
        None => {
            if let Some(el) = document().get_element_by_id(error_id) {
                el.scroll_into_view();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_keys_belong_to_their_field_only() {
        assert!(belongs_to("nodes", "nodes"));
        assert!(belongs_to("serverless.keep_alive", "serverless"));
        assert!(!belongs_to("nodesx", "nodes"));
        assert!(!belongs_to("actions[1]", "actions"));
        assert!(!belongs_to("nodes", "serverless"));
    }

    #[test]
    fn the_count_agrees_with_its_number() {
        assert_eq!(problem_count(1), "1 problem: fix it");
        assert_eq!(problem_count(3), "3 problems: fix them");
    }
}
