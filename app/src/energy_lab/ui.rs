//! The energy lab's components: a thin reactive shell over the pure modules. The form's text
//! lives in a [`Draft`]; every edit re-parses and re-validates it, and the last valid scenario
//! drives every section (and the share link).

use crate::energy_lab::chart::Chart;
use crate::energy_lab::consolidation::{self, HostState};
use crate::energy_lab::curves;
use crate::energy_lab::form::{self, Draft, NO_PUE};
use crate::energy_lab::numbers::figure;
use crate::energy_lab::streaming;
use crate::kit::canvas::current_theme;
use crate::kit::editor::{EditorState, TextField};
use crate::kit::share;
use crate::kit::ui::panels::ShareLink;
use crate::kit::ui::transport::ShortcutsDialog;
use crate::kit::ui::{TransportKey, install_transport_keys, show_dialog};
use energy::coefficients::{COUNTRY_ELECTRICITY, GRIDS, PUE_VALUES};
use energy::consolidation::Policy;
use leptos::html;
use leptos::prelude::*;
use scenario::Scenario;
use scenario::energy_lab::{EnergyScenario, HostModel, default_energy_scenario, energy_of};
use scenario::scenario::Problem;
use std::time::Duration;

/// The form's state, shared by the sections.
#[derive(Clone, Copy)]
struct FormState {
    /// The kit's editor over the draft: its text fields, and each problem under its field.
    editor: EditorState<Draft>,
    applied: RwSignal<Scenario>,
    problems: RwSignal<Vec<Problem>>,
    /// The consolidation experiment's shown slot, and a slot's length in simulated ns (for
    /// links to a moment).
    slot: RwSignal<usize>,
    slot_ns: RwSignal<u64>,
}

impl FormState {
    /// Changes the form, then applies it if it is valid; otherwise shows its problems and keeps
    /// the last valid scenario.
    /// Changes the draft from outside its text fields (a menu, the lecture example): the text
    /// fields then show the new values.
    fn edit(&self, f: impl FnOnce(&mut Draft)) {
        self.editor.edit(f);
        self.editor.refreshed.update(|v| *v += 1);
    }

    /// A new form state showing `start`: every edit is checked at once and, if valid, applied.
    fn new(start: Scenario) -> FormState {
        let base = EditorState::new(Draft::of(&start), "energy", form::field_name);
        let applied = RwSignal::new(start);
        let problems = RwSignal::new(Vec::<Problem>::new());
        let check = Callback::new(
            move |()| match base.form.with_untracked(Draft::to_scenario) {
                Ok(s) => {
                    applied.set(s);
                    problems.set(Vec::new());
                    base.problems.set(Vec::new());
                }
                Err(p) => {
                    base.problems.set(form::field_problems(&p));
                    problems.set(p);
                }
            },
        );
        FormState {
            editor: base.with_after_edit(check),
            applied,
            problems,
            slot: RwSignal::new(0),
            slot_ns: RwSignal::new(0),
        }
    }

    fn energy(&self) -> EnergyScenario {
        self.applied.with(|s| {
            energy_of(s).cloned().unwrap_or_else(|| {
                energy_of(&default_energy_scenario())
                    .cloned()
                    .unwrap_or_else(|| unreachable!("the default is an energy scenario"))
            })
        })
    }

    fn problem(&self, id: &'static str) -> String {
        self.problems.with(|p| form::problems_at(p, id))
    }
}

type Getter = fn(&Draft) -> String;
type Setter = fn(&mut Draft, String);

/// A menu bound to one draft value.
#[component]
fn SelectField(
    state: FormState,
    id: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    get: Getter,
    set: Setter,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                aria-describedby=error_id.clone()
                prop:value=move || state.editor.form.with(get)
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.edit(|d| set(d, v));
                }
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let selected = {
                            let value = value.clone();
                            move || state.editor.form.with(get) == value
                        };
                        view! {
                            <option value=value selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id>{move || state.problem(id)}</p>
        </div>
    }
}

/// A chart on a canvas, redrawn when its data, size or theme changes.
#[component]
fn ChartCanvas(
    chart: Signal<Chart>,
    label: &'static str,
    described_by: &'static str,
    /// What the chart shows, for its download buttons (`power curves`).
    title: &'static str,
    /// The download's file name without extension.
    file: &'static str,
) -> impl IntoView {
    let node = NodeRef::<html::Canvas>::new();
    let last = StoredValue::new_local(None::<(Chart, i32, i32, crate::kit::palette::Theme)>);
    let redraw = move || {
        let Some(canvas) = node.get_untracked() else {
            return;
        };
        let Some(c) = chart.try_get_untracked() else {
            return;
        };
        let key = (
            c,
            canvas.client_width(),
            canvas.client_height(),
            current_theme(),
        );
        if last.try_with_value(|l| l.as_ref() == Some(&key)) != Some(false) {
            return;
        }
        crate::energy_lab::plot::draw(&canvas, &key.0, key.3);
        last.set_value(Some(key));
    };
    Effect::new(move |_| {
        chart.track();
        node.track();
        redraw();
        // A page body loaded on demand is built before it is laid out (its canvas is 0 wide
        // then): draw again once the page has its layout, not only at the next size check.
        request_animation_frame(redraw);
    });
    // Size and theme changes have no signal: look four times a second (a cheap comparison).
    if let Ok(handle) = set_interval_with_handle(redraw, Duration::from_millis(250)) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <canvas
            class="plot-canvas"
            node_ref=node
            role="img"
            aria-label=label
            aria-describedby=described_by
        ></canvas>
        <crate::kit::ui::plot_files::PlotDownloads
            canvas=node
            title=title
            file=file
            svg=move |size| crate::energy_lab::plot::svg(&chart.get_untracked(), current_theme(), size)
        />
    }
}

/// The legend of a chart: a line sample (dash pattern and colour) and each line's name.
#[component]
fn ChartLegend(chart: Signal<Chart>, label: &'static str) -> impl IntoView {
    view! {
        <ul class="lab-legend" aria-label=label>
            {move || {
                chart
                    .get()
                    .lines
                    .into_iter()
                    .map(|l| {
                        let class = format!("line-sample {} series-{}", l.dash.class(), l.colour % 6);
                        view! {
                            <li>
                                <span class=class aria-hidden="true"></span>
                                {l.name}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// The lab page's body: every section around one form.
#[component]
pub fn EnergyLab(
    /// A share-link fragment to open.
    shared: Option<String>,
) -> impl IntoView {
    let (start, broken) = form::opening(shared.as_deref());
    let moment = form::opening_moment(shared.as_deref());
    let state = FormState::new(start);
    let broken = RwSignal::new(broken);
    let problem_count = move || state.problems.with(Vec::len);
    view! {
        <crate::kit::ui::panels::BrokenLinkAlert broken=broken />
        <div class="lab energy-lab">
            <section class="panel energy-top" aria-labelledby="energy-grid-title">
                <div>
                    <h2 class="panel-title" id="energy-grid-title">"Carbon"</h2>
                    <SelectField
                        state=state
                        id="energy-grid"
                        label="Electricity grid (used by every section)"
                        options=GRIDS
                            .iter()
                            .map(|g| {
                                (
                                    g.code.to_owned(),
                                    format!("{} — {} gCO₂e/kWh ({})", g.name, figure(g.intensity.0), g.year),
                                )
                            })
                            .collect()
                        get=|d| d.grid.clone()
                        set=|d, v| d.grid = v
                    />
                    <Show when=move || { problem_count() > 0 }>
                        <p class="problem-summary" role="status">
                            {move || {
                                let n = problem_count();
                                format!(
                                    "{n} {} below: the results show the last valid inputs until {} fixed.",
                                    if n == 1 { "problem" } else { "problems" },
                                    if n == 1 { "it is" } else { "they are" },
                                )
                            }}
                        </p>
                    </Show>
                </div>
                <SharePanel state=state />
            </section>
            <Calculator state=state />
            <PowerAndDvfs state=state />
            <Consolidation state=state moment=moment />
        </div>
    }
}

/// The streaming calculator.
#[component]
fn Calculator(state: FormState) -> impl IntoView {
    let view_data = Memo::new(move |_| streaming::view(&state.energy()));
    let sets = energy::streaming::coefficient_sets()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect::<Vec<_>>();
    let countries = COUNTRY_ELECTRICITY
        .iter()
        .map(|c| {
            (
                c.code.to_owned(),
                format!(
                    "{} — {} GWh a year ({}{})",
                    c.name,
                    figure(c.yearly.gwh()),
                    if c.year_is_listing { "listed in " } else { "" },
                    c.year
                ),
            )
        })
        .collect::<Vec<_>>();
    let mut pues = vec![(NO_PUE.to_owned(), "Not applied".to_owned())];
    pues.extend(PUE_VALUES.iter().map(|p| {
        (
            p.id.to_owned(),
            format!(
                "{} — {}{}",
                figure(p.ratio),
                p.label,
                p.year.map_or_else(String::new, |y| format!(" ({y})"))
            ),
        )
    }));
    let lecture = move |_| {
        state.edit(|d| {
            d.size_mb = "70".into();
            d.minutes = "2".into();
            d.views = "16500000000".into();
            d.coefficients = "lecture".into();
            d.pue = NO_PUE.into();
        })
    };
    view! {
        <section class="panel energy-section" aria-labelledby="energy-calc-title">
            <h2 id="energy-calc-title">"Streaming calculator"</h2>
            <p class="hint">
                "The energy of a video: data centre, network and device, per view and for every view. \
                 Every step of the arithmetic is shown, with the source of every coefficient. \
                 Network: an average intensity (kWh per GB), a whole-internet figure for a whole \
                 path, fit for totals like this one; the labs charge single messages with a \
                 power model instead (always-on line power plus a small energy per bit)."
            </p>
            <div class="energy-columns">
                <form class="energy-controls" on:submit=|ev| ev.prevent_default()>
                    <button type="button" class="button-primary" on:click=lecture>
                        "Lecture example: 70 MB, 2 min, 16.5 billion views"
                    </button>
                    <TextField
                        state=state.editor
                        key="size"
                        label="Video size (MB)"
                        get=|d| d.size_mb.clone()
                        set=|d, v| d.size_mb = v
                    />
                    <TextField
                        state=state.editor
                        key="minutes"
                        label="Minutes watched per view"
                        get=|d| d.minutes.clone()
                        set=|d, v| d.minutes = v
                    />
                    <TextField
                        state=state.editor
                        key="views"
                        label="Views"
                        hint="Digits, with or without separators (16,500,000,000), or 16.5e9."
                        inputmode="numeric"
                        get=|d| d.views.clone()
                        set=|d, v| d.views = v
                    />
                    <SelectField
                        state=state
                        id="energy-coefficients"
                        label="Coefficient set"
                        options=sets
                        get=|d| d.coefficients.clone()
                        set=|d, v| d.coefficients = v
                    />
                    <SelectField
                        state=state
                        id="energy-pue"
                        label="Data-centre PUE"
                        options=pues
                        get=|d| d.pue.clone()
                        set=|d, v| d.pue = v
                    />
                    <SelectField
                        state=state
                        id="energy-country"
                        label="Compare with"
                        options=countries
                        get=|d| d.country.clone()
                        set=|d, v| d.country = v
                    />
                </form>
                <div class="energy-results">
                    {move || match view_data.get() {
                        Err(e) => view! { <p class="field-error">{e}</p> }.into_any(),
                        Ok(v) => {
                            view! {
                                <p class="energy-total" id="energy-total">
                                    "Total: " <strong data-gwh=v.total_gwh.clone()>{v.total.clone()}</strong>
                                </p>
                                <p>{v.comparison.clone()}</p>
                                <p>{v.carbon.clone()}</p>
                                {(!v.pue_note.is_empty()).then(|| view! { <p class="hint">{v.pue_note.clone()}</p> })}
                                {(!v.slide_note.is_empty()).then(|| view! { <p class="hint" id="energy-slide-note">{v.slide_note.clone()}</p> })}
                                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="energy-steps-caption">
                                    <table class="energy-table" id="energy-steps">
                                        <caption id="energy-steps-caption">"Step by step"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Step"</th>
                                                <th scope="col">"Formula"</th>
                                                <th scope="col" class="num">"Value"</th>
                                                <th scope="col">"Unit"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {v
                                                .rows
                                                .iter()
                                                .map(|r| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{r.label.clone()}</th>
                                                            <td class="formula">{r.formula.clone()}</td>
                                                            <td class="num">{r.value.clone()}</td>
                                                            <td>{r.unit}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="energy-sources-caption">
                                    <table class="energy-table" id="energy-sources">
                                        <caption id="energy-sources-caption">"Where the numbers come from"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"Coefficient"</th>
                                                <th scope="col" class="num">"Value"</th>
                                                <th scope="col">"Source"</th>
                                                <th scope="col">"Year"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {v
                                                .sources
                                                .iter()
                                                .map(|s| {
                                                    view! {
                                                        <tr>
                                                            <th scope="row">{s.what.clone()}</th>
                                                            <td class="num">{s.value.clone()}</td>
                                                            <td class="citation">
                                                                {s.citation}
                                                                {(!s.url.is_empty())
                                                                    .then(|| {
                                                                        view! {
                                                                            " "
                                                                            <a href=s.url rel="noopener noreferrer">
                                                                                "(link)"
                                                                            </a>
                                                                        }
                                                                    })}
                                                            </td>
                                                            <td>{s.year.clone()}</td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
        </section>
    }
}

/// Power curves and the DVFS explorer.
#[component]
fn PowerAndDvfs(state: FormState) -> impl IntoView {
    let power: Signal<Chart> = Signal::derive(curves::power_chart);
    let dvfs = Memo::new(move |_| curves::dvfs_view(&state.energy()));
    let dvfs_chart = Signal::derive(move || {
        dvfs.get()
            .map(|v| v.chart)
            .unwrap_or_else(|_| Chart::fit("", "", Vec::new(), 0.0))
    });
    let p = energy::dvfs::Processor::pentium_m_1600();
    let (lo, hi) = (p.slowest().frequency.0 / 1e6, p.fastest().frequency.0 / 1e6);
    let levels = p
        .levels()
        .iter()
        .map(|l| {
            format!(
                "{} MHz at {} V",
                figure(l.frequency.0 / 1e6),
                figure(l.voltage.0)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <section class="panel energy-section" aria-labelledby="energy-power-title">
            <h2 id="energy-power-title">"Power curves and DVFS"</h2>
            <div class="energy-columns energy-columns-even">
                <figure class="energy-figure">
                    <h3>"Power against load"</h3>
                    <ChartCanvas
                        chart=power
                        label="Power against CPU utilisation for the HP ProLiant ML110 G4 and G5 and a 2020 Dell PowerEdge R6515, measured and linear."
                        described_by="energy-power-summary"
                        title="power curves"
                        file="continuum-power-curves"
                    />
                    <figcaption>
                        <ChartLegend chart=power label="Curves" />
                        <div id="energy-power-summary">
                            {curves::power_summary()
                                .into_iter()
                                .map(|s| view! { <p class="hint">{s}</p> })
                                .collect_view()}
                            <p class="hint">
                                "Measured: SPECpower_ssj2008 results, the ML110s as CloudSim \
                                 tabulates them (Beloglazov & Buyya, 2012), the R6515 \
                                 (power_ssj2008-20200728-01041, 2020) as the OpenDC simulator \
                                 does. These older servers draw about 70 % of their peak power \
                                 when idle: hence consolidation and switching idle servers off. \
                                 Servers of the 2020s idle far lower (the R6515: 23 % of peak), \
                                 which narrows the gain but does not remove it."
                            </p>
                        </div>
                    </figcaption>
                </figure>
                <div class="energy-dvfs">
                    <h3>"DVFS: one task of 10⁹ cycles every 2 s"</h3>
                    <div class="field">
                        <label for="energy-frequency">
                            "Clock frequency: "
                            <output for="energy-frequency">
                                {move || format!("{} MHz", state.editor.form.with(|d| d.frequency_mhz.clone()))}
                            </output>
                        </label>
                        <input
                            id="energy-frequency"
                            type="range"
                            min=lo
                            max=hi
                            step="10"
                            aria-describedby="energy-frequency-error energy-levels"
                            prop:value=move || state.editor.form.with(|d| d.frequency_mhz.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                state.edit(|d| d.frequency_mhz = v);
                            }
                        />
                        <p class="hint" id="energy-levels">
                            {format!("Levels of the {}: {levels}; voltage is interpolated between them.", p.name)}
                        </p>
                        <p class="field-error" id="energy-frequency-error">
                            {move || state.problem("energy-frequency")}
                        </p>
                    </div>
                    <TextField
                        state=state.editor
                        key="static"
                        label="Static power (W)"
                        hint="Leakage while running, at any frequency. The preset's 2 W is assumed for illustration: the data sheet gives no figure, and C is fitted to the 24.5 W TDP with it."
                        get=|d| d.static_power_w.clone()
                        set=|d, v| d.static_power_w = v
                    />
                    {move || match dvfs.get() {
                        Err(e) => view! { <p class="field-error">{e}</p> }.into_any(),
                        Ok(v) => {
                            view! {
                                <dl class="stats" id="energy-dvfs-figures">
                                    {v
                                        .figures
                                        .iter()
                                        .map(|(k, val)| view! { <dt>{*k}</dt><dd>{val.clone()}</dd> })
                                        .collect_view()}
                                </dl>
                            }
                                .into_any()
                        }
                    }}
                </div>
                <figure class="energy-figure">
                    <h3>"Energy against frequency"</h3>
                    <ChartCanvas
                        chart=dvfs_chart
                        label="Energy per task and per period against clock frequency; the ring marks the chosen frequency."
                        described_by="energy-verdict"
                        title="DVFS energy"
                        file="continuum-dvfs"
                    />
                    <figcaption>
                        <ChartLegend chart=dvfs_chart label="Curves" />
                        <p id="energy-verdict" class="energy-verdict" aria-live="polite">
                            <strong>{move || dvfs.get().map(|v| v.headline).unwrap_or_default()}</strong>
                            " "
                            {move || dvfs.get().map(|v| v.verdict).unwrap_or_default()}
                        </p>
                        <p class="hint">{move || dvfs.get().map(|v| v.source).unwrap_or_default()}</p>
                    </figcaption>
                </figure>
            </div>
        </section>
    }
}

/// The consolidation player's keyboard shortcuts.
const SLOT_SHORTCUTS: [(&str, &str); 7] = [
    ("Space", "Play or pause the slots"),
    (".", "Step: the next slot"),
    (",", "Step back: the previous slot"),
    ("r", "Back to the first slot"),
    ("e", "The last slot"),
    ("?", "Show this list"),
    ("Esc", "Close this list"),
];

/// The consolidation experiment.
#[component]
fn Consolidation(
    state: FormState,
    /// The moment a share link opens at: the slot containing it.
    moment: Option<sim::SimTime>,
) -> impl IntoView {
    let experiment = Memo::new(move |_| {
        let (seed, duration) = state.applied.with(|s| (s.seed, s.duration));
        consolidation::experiment(&state.energy(), seed, duration)
    });
    let slot = state.slot;
    let playing = RwSignal::new(false);
    let slots = move || experiment.with(|x| x.as_ref().map_or(0, |x| x.slots()));
    let slot_said = RwSignal::new(String::new());
    Effect::new(move |_| {
        let ns = experiment.with(|x| x.as_ref().map_or(0, |x| (x.slot_minutes * 60e9) as u64));
        state.slot_ns.set(ns);
    });
    // A link to a moment opens at the slot holding it; past the end, the last slot, said.
    if let Some(at) = moment {
        let (ns, n) = experiment.with_untracked(|x| {
            x.as_ref()
                .map_or((0, 0), |x| ((x.slot_minutes * 60e9) as u64, x.slots()))
        });
        if ns > 0 && n > 0 {
            let wanted = (at.0 / ns) as usize;
            slot.set(wanted.min(n - 1));
            if wanted >= n {
                slot_said.set(format!(
                    "The link's moment ({} min) is after the experiment's end; showing its last slot.",
                    figure(at.0 as f64 / 60e9)
                ));
            }
        }
    }
    let at_end = move || slot.get() + 1 >= slots();
    // A new experiment with fewer slots: stay within it.
    Effect::new(move |_| {
        let n = slots();
        if slot.get_untracked() >= n {
            slot.set(n.saturating_sub(1));
        }
    });
    let advance = move || {
        let n = slots();
        let t = slot.get_untracked();
        if t + 1 < n {
            slot.set(t + 1);
        }
        if t + 2 >= n {
            playing.set(false);
        }
    };
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if playing.try_get_untracked() == Some(true) {
                advance();
            }
        },
        Duration::from_millis(700),
    ) {
        on_cleanup(move || handle.clear());
    }
    let on_play = move |_: ()| {
        if playing.get_untracked() {
            playing.set(false);
        } else {
            if at_end() {
                slot.set(0);
            }
            playing.set(true);
        }
    };
    // The run's keys, slot by slot: Space plays or pauses, `.` and `,` step, `r` goes back to
    // the first slot, `e` to the last, `?` lists them.
    let help = NodeRef::<html::Dialog>::new();
    install_transport_keys(move |key| match key {
        TransportKey::PlayPause => on_play(()),
        TransportKey::Step => {
            playing.set(false);
            advance();
        }
        TransportKey::StepBack => {
            playing.set(false);
            slot.update(|t| *t = t.saturating_sub(1));
        }
        TransportKey::Reset => {
            playing.set(false);
            slot.set(0);
        }
        TransportKey::RunToEnd => {
            playing.set(false);
            slot.set(slots().saturating_sub(1));
        }
        TransportKey::Help => show_dialog(help),
    });
    let charts = Memo::new(move |_| {
        let t = slot.get();
        experiment.with(|x| x.as_ref().ok().map(|x| x.charts(t)))
    });
    let empty = || Chart::fit("", "", Vec::new(), 0.0);
    let energy_chart = Signal::derive(move || charts.get().map_or_else(empty, |c| c.0));
    let sla_chart = Signal::derive(move || charts.get().map_or_else(empty, |c| c.1));
    let description = move || {
        experiment.with(|x| match x {
            Ok(x) => x.describe(slot.get()),
            Err(e) => e.clone(),
        })
    };
    let policies = form::policies()
        .map(|(k, l)| (k.to_owned(), l.to_owned()))
        .collect::<Vec<_>>();
    let models = HostModel::ALL
        .iter()
        .map(|m| (m.key().to_owned(), m.curve().name))
        .collect::<Vec<_>>();
    view! {
        <section class="panel energy-section" aria-labelledby="energy-cons-title">
            <h2 id="energy-cons-title">"Consolidation: pack VMs, switch idle hosts off"</h2>
            <p class="hint">
                "Virtual machines with a demand that rises and falls, placed on identical hosts \
                 by three policies. All three run on the same workload; the drawing shows the one \
                 you choose, slot by slot. A host switched on again boots for 60 s at peak power \
                 while its VMs wait; a VM that moves is live-migrated (100 J, 10 % of its demand \
                 lost for 10 s)."
            </p>
            <div class="energy-columns">
                <form class="energy-controls" on:submit=|ev| ev.prevent_default()>
                    <SelectField
                        state=state
                        id="energy-policy"
                        label="Policy"
                        options=policies
                        get=|d| d.policy.clone()
                        set=|d, v| d.policy = v
                    />
                    <SelectField
                        state=state
                        id="energy-host-model"
                        label="Host model"
                        options=models
                        get=|d| d.host_model.clone()
                        set=|d, v| d.host_model = v
                    />
                    <TextField
                        state=state.editor
                        key="vms"
                        label="VMs"
                        inputmode="numeric"
                        get=|d| d.vms.clone()
                        set=|d, v| d.vms = v
                    />
                    <TextField
                        state=state.editor
                        key="hosts"
                        label="Hosts"
                        inputmode="numeric"
                        get=|d| d.hosts.clone()
                        set=|d, v| d.hosts = v
                    />
                    <TextField
                        state=state.editor
                        key="slots"
                        label="Time slots (in one hour)"
                        inputmode="numeric"
                        get=|d| d.slots.clone()
                        set=|d, v| d.slots = v
                    />
                    <TextField
                        state=state.editor
                        key="seed"
                        label="Workload seed"
                        inputmode="numeric"
                        get=|d| d.seed.clone()
                        set=|d, v| d.seed = v
                    />
                </form>
                <div class="energy-results">
                    <div class="transport-buttons" role="group" aria-label="Time slots">
                        <button type="button" class="button-primary" aria-keyshortcuts="Space" data-run-controls="" on:click=move |_| on_play(())>
                            {move || if playing.get() { "Pause" } else if at_end() { "Play again" } else { "Play" }}
                        </button>
                        <button
                            type="button"
                            on:click=move |_| {
                                playing.set(false);
                                slot.update(|t| *t = t.saturating_sub(1));
                            }
                            disabled=move || slot.get() == 0
                        >
                            "Step back"
                        </button>
                        <button
                            type="button"
                            on:click=move |_| {
                                playing.set(false);
                                advance();
                            }
                            disabled=at_end
                        >
                            "Step"
                        </button>
                        <button
                            type="button"
                            on:click=move |_| {
                                playing.set(false);
                                slot.set(0);
                            }
                        >
                            "Reset"
                        </button>
                        <span
                            class="clock-state"
                            id="energy-slot"
                            data-slot=move || slot.get().to_string()
                            data-playing=move || playing.get().to_string()
                        >
                            {move || {
                                let n = slots();
                                let minutes = experiment
                                    .with(|x| x.as_ref().map_or(0.0, |x| x.slot_minutes));
                                let t = slot.get();
                                format!(
                                    "Slot {} of {n} ({}–{} min)",
                                    (t + 1).min(n),
                                    figure(t as f64 * minutes),
                                    figure((t + 1) as f64 * minutes)
                                )
                            }}
                        </span>
                        <button
                            type="button"
                            class="button-quiet"
                            aria-keyshortcuts="Shift+?"
                            aria-haspopup="dialog"
                            on:click=move |_| show_dialog(help)
                        >
                            "Keys"
                        </button>
                        <ShortcutsDialog dialog=help rows=&SLOT_SHORTCUTS />
                    </div>
                    <div class="field energy-scrub">
                        <label for="energy-slot-range">"Time slot"</label>
                        <input
                            id="energy-slot-range"
                            type="range"
                            min="1"
                            max=move || slots().max(1).to_string()
                            step="1"
                            prop:value=move || (slot.get() + 1).to_string()
                            aria-valuetext=move || format!("slot {} of {}", slot.get() + 1, slots())
                            on:input=move |ev| {
                                playing.set(false);
                                if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                    slot.set(v.clamp(1, slots().max(1)) - 1);
                                }
                            }
                        />
                        <p class="hint" role="status">{move || slot_said.get()}</p>
                    </div>
                    <figure class="energy-hosts-figure">
                        {move || {
                            experiment
                                .with(|x| {
                                    x.as_ref().ok().map(|x| hosts_svg(&x.frame(slot.get()), x.policy))
                                })
                        }}
                        <figcaption id="energy-hosts-caption" aria-live="polite">
                            {description}
                        </figcaption>
                        <ul class="lab-legend" aria-label="Legend">
                            <li><span class="host-key host-key-on" aria-hidden="true"></span>"host on (solid outline)"</li>
                            <li><span class="host-key host-key-boot" aria-hidden="true"></span>"booting (dashed outline, BOOT)"</li>
                            <li><span class="host-key host-key-off" aria-hidden="true"></span>"switched off (hatched, OFF)"</li>
                            <li><span class="host-key host-key-moved" aria-hidden="true"></span>"VM migrated this slot (*)"</li>
                        </ul>
                    </figure>
                    <div class="energy-columns energy-columns-even">
                        <figure class="energy-figure">
                            <h3>"Energy so far"</h3>
                            <ChartCanvas
                                chart=energy_chart
                                label="Cumulative energy per policy over the hour."
                                described_by="energy-comparison-caption"
                                title="consolidation energy"
                                file="continuum-consolidation-energy"
                            />
                            <figcaption>
                                <ChartLegend chart=energy_chart label="Policies" />
                            </figcaption>
                        </figure>
                        <figure class="energy-figure">
                            <h3>"SLA violation so far"</h3>
                            <ChartCanvas
                                chart=sla_chart
                                label="Cumulative share of demand not served per policy over the hour."
                                described_by="energy-comparison-caption"
                                title="unserved demand"
                                file="continuum-consolidation-sla"
                            />
                            <figcaption>
                                <ChartLegend chart=sla_chart label="Policies" />
                            </figcaption>
                        </figure>
                    </div>
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="energy-comparison-caption">
                        <table class="energy-table" id="energy-comparison">
                            <caption id="energy-comparison-caption">"The three policies over the whole hour"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Policy"</th>
                                    <th scope="col" class="num">"Energy"</th>
                                    <th scope="col" class="num">"Saved vs spread"</th>
                                    <th scope="col" class="num">"CO₂e"</th>
                                    <th scope="col" class="num">"SLA violation"</th>
                                    <th scope="col" class="num">"Hosts on (mean)"</th>
                                    <th scope="col" class="num">"Boots"</th>
                                    <th scope="col" class="num">"Migrations"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {move || {
                                    experiment
                                        .with(|x| x.as_ref().map(|x| x.comparison()).unwrap_or_default())
                                        .into_iter()
                                        .map(|r| {
                                            let shown = move || state.energy().consolidation.policy == r.policy;
                                            view! {
                                                <tr class:shown=shown>
                                                    <th scope="row">
                                                        {r.policy.label()}
                                                        {move || shown().then_some(" (shown)")}
                                                    </th>
                                                    <td class="num">{r.energy}</td>
                                                    <td class="num">{r.saved}</td>
                                                    <td class="num">{r.carbon}</td>
                                                    <td class="num">{r.sla}</td>
                                                    <td class="num">{r.hosts_on}</td>
                                                    <td class="num">{r.boots}</td>
                                                    <td class="num">{r.migrations}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()
                                }}
                            </tbody>
                        </table>
                    </div>
                </div>
            </div>
        </section>
    }
}

/// Height of a full host in the drawing, in SVG units.
const HOST_H: f64 = 150.0;
/// Width of a host column.
const HOST_W: f64 = 52.0;
/// Gap between hosts.
const GAP: f64 = 14.0;

/// The hosts at one slot: a column per host with its VM blocks; off hosts hatched and labelled.
fn hosts_svg(frame: &[consolidation::HostFrame], policy: Policy) -> impl IntoView + use<> {
    let width = frame.len() as f64 * (HOST_W + GAP) + GAP;
    let height = HOST_H + 52.0;
    let top = 8.0;
    let label = format!(
        "Hosts under {}: {}",
        policy.label(),
        frame
            .iter()
            .map(|h| format!(
                "host {} {} with {} VMs at {} %",
                h.host + 1,
                h.state.word(),
                h.vms.len(),
                figure((h.load * 100.0).round())
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let hosts = frame
        .iter()
        .map(|h| {
            let x = GAP + h.host as f64 * (HOST_W + GAP);
            let class = format!("host host-{}", h.state.word());
            let blocks = h
                .vms
                .iter()
                .map(|b| {
                    let bh = b.demand * HOST_H;
                    let y = top + HOST_H - (b.bottom * HOST_H) - bh;
                    let class = format!(
                        "vm vm-c{}{}",
                        b.vm % 6,
                        if b.migrated { " vm-moved" } else { "" }
                    );
                    let text = format!("{}{}", b.vm + 1, if b.migrated { "*" } else { "" });
                    view! {
                        <g>
                            <rect class=class x=x + 3.0 y=y width=HOST_W - 6.0 height=(bh - 1.0).max(0.5) rx="2"></rect>
                            {(bh >= 12.0)
                                .then(|| {
                                    view! {
                                        <text class="vm-label" x=x + HOST_W / 2.0 y=y + bh / 2.0 + 4.0 text-anchor="middle">
                                            {text}
                                        </text>
                                    }
                                })}
                        </g>
                    }
                })
                .collect_view();
            let badge = match h.state {
                HostState::Off => Some("OFF"),
                HostState::Booting => Some("BOOT"),
                HostState::On => None,
            };
            view! {
                <g class=class data-host=h.host.to_string() data-state=h.state.word()>
                    <rect class="host-frame" x=x y=top width=HOST_W height=HOST_H rx="4"></rect>
                    {blocks}
                    {badge
                        .map(|b| {
                            view! {
                                <text class="host-badge" x=x + HOST_W / 2.0 y=top + HOST_H / 2.0 + 5.0 text-anchor="middle">
                                    {b}
                                </text>
                            }
                        })}
                    <text class="host-name" x=x + HOST_W / 2.0 y=top + HOST_H + 18.0 text-anchor="middle">
                        {format!("H{}", h.host + 1)}
                    </text>
                    <text class="host-load" x=x + HOST_W / 2.0 y=top + HOST_H + 36.0 text-anchor="middle">
                        {match h.state {
                            HostState::Off => "off".to_owned(),
                            _ => format!("{} %", figure((h.load * 100.0).round())),
                        }}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="energy-hosts"
            viewBox=format!("0 0 {width} {height}")
            role="img"
            aria-label=label
            preserveAspectRatio="xMinYMin meet"
        >
            <defs>
                <pattern id="energy-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">
                    <line class="hatch-line" x1="0" y1="0" x2="0" y2="8" stroke-width="3"></line>
                </pattern>
            </defs>
            {hosts}
        </svg>
    }
}

/// Share: the link to these inputs, copied and shown.
#[component]
fn SharePanel(state: FormState) -> impl IntoView {
    let file_said = RwSignal::new(String::new());
    let on_export = move |_| {
        let json = state.applied.with_untracked(Scenario::to_json);
        crate::kit::ui::panels::offer_file(
            "continuum-energy-scenario.json",
            "application/json",
            &json,
            file_said,
        );
    };
    let on_import = move |ev: leptos::ev::Event| {
        use crate::kit::ui::panels::{open_in_its_lab, read_picked_file};
        read_picked_file(&ev, move |text| {
            let text = match text {
                Ok(t) => t,
                Err(e) => return file_said.set(e),
            };
            match Scenario::from_json(&text) {
                Err(e) => file_said.set(e.to_string()),
                Ok(opened) if energy_of(&opened).is_some() => {
                    state.editor.replace(Draft::of(&opened));
                    state.editor.problems.set(Vec::new());
                    state.problems.set(Vec::new());
                    state.applied.set(opened);
                    file_said.set(
                        "The scenario file was opened: every section shows its inputs.".to_owned(),
                    );
                }
                Ok(opened) => open_in_its_lab(&opened, file_said),
            }
        });
    };
    view! {
        <div class="share energy-share">
            <h2 class="panel-title">"Share"</h2>
            <p class="hint">
                "The link holds every input on this page (the last valid ones): whoever opens it \
                 sees the same numbers and the same experiment."
            </p>
            <ShareLink
                moment_label=move || format!("Link to this consolidation slot (slot {})", state.slot.get() + 1)
                fragment=move |at_slot| {
                    // A link to a slot pins the slot's start, so it opens on that slot.
                    let at = at_slot.then(|| {
                        sim::SimTime(state.slot.get_untracked() as u64 * state.slot_ns.get_untracked())
                    });
                    state
                        .applied
                        .with_untracked(|s| share::fragment(s, at))
                        .map_err(|e| format!("These inputs cannot be shared: {e}"))
                }
            />
            <h3 class="panel-subtitle">"Files"</h3>
            <div class="button-row">
                <button type="button" on:click=on_export>"Download scenario (JSON)"</button>
            </div>
            <div class="field">
                <label for="energy-import">"Open a scenario file"</label>
                <input
                    id="energy-import"
                    type="file"
                    accept=".json,application/json"
                    aria-describedby="energy-import-status"
                    on:change=on_import
                />
            </div>
            <p class="hint" id="energy-import-status" role="status">{move || file_said.get()}</p>
        </div>
    }
}
