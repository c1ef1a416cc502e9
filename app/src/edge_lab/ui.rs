//! The edge lab's components. The session, transport, animation loop, shortcuts, fault buttons,
//! energy ledger and Share are the shared lab machinery, generic over the run; what is this
//! lab's own is here: the editor, the map or tier view, the server loads, the measurements, two
//! plots, compare mode and the explainer.

use crate::edge_lab::compare::{CompareJob, with_policy};
use crate::edge_lab::explain::{self, policy_name, policy_text};
use crate::edge_lab::form::{EdgeForm, Execution, Place};
use crate::edge_lab::painter::EdgePainter;
use crate::edge_lab::plot_data::{self, Curve};
use crate::kit::canvas;
use crate::kit::editor::{EditorState, PresetPicker, ProblemSummary, TextField};
use crate::kit::format;
use crate::kit::palette::{Palette, Rgb};
use crate::kit::ui::plot_files::PlotDownloads;
use crate::kit::ui::transport::{ShortcutsDialog, Transport};
use crate::kit::ui::{
    LabContext, compare, install_shortcuts, opening, panels, start_animation_loop,
};
use edge::{Comparison, Policy, Tier};
use leptos::html;
use leptos::prelude::*;
use scenario::EdgeRun;
use scenario::edge_lab::{default_edge_scenario, edge_presets};
use scenario::edge_run::MAX_COMPARE_SEEDS;

type Lab = LabContext<EdgeRun>;

/// Compare mode's state, shared by its panel and the animation loop that advances it.
#[derive(Clone, Copy)]
struct Compare {
    job: StoredValue<Option<CompareJob>, LocalStorage>,
    /// Bumped when the job moved (progress) or finished.
    version: RwSignal<u64>,
    result: RwSignal<Option<Comparison>>,
    said: RwSignal<String>,
}

impl Compare {
    /// Advances the job for about `budget_ms` of wall time.
    fn work(&self, budget_ms: f64) {
        let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
            return;
        };
        let start = performance.now();
        let mut moved = false;
        loop {
            let step = self
                .job
                .try_update_value(|job| job.as_mut().map(|j| j.step(20_000)));
            match step.flatten() {
                None => break,
                Some(Ok(finished)) => {
                    moved = true;
                    if finished {
                        let result = self
                            .job
                            .try_update_value(|j| j.take().and_then(|j| j.result()))
                            .flatten();
                        self.result.set(result);
                        self.said.set("The comparison is complete.".into());
                        break;
                    }
                }
                Some(Err(message)) => {
                    self.job.set_value(None);
                    self.said.set(message);
                    break;
                }
            }
            if performance.now() - start >= budget_ms {
                break;
            }
        }
        if moved {
            self.version.update(|v| *v += 1);
        }
    }
}

/// The edge–cloud continuum lab.
#[component]
pub fn EdgeLab(
    /// A share-link fragment to open.
    shared: Option<String>,
) -> impl IntoView {
    let (mut session, seek_to, broken) =
        opening::<EdgeRun>(shared.as_deref(), default_edge_scenario);
    if let Some(at) = seek_to {
        session.seek(at);
    }
    let lab: Lab = LabContext::new(session);
    provide_context(lab);
    let compare = Compare {
        job: StoredValue::new_local(None),
        version: RwSignal::new(0),
        result: RwSignal::new(None),
        said: RwSignal::new(String::new()),
    };
    provide_context(compare);
    let broken = RwSignal::new(broken);
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let plot_refs = [
        NodeRef::<html::Canvas>::new(),
        NodeRef::<html::Canvas>::new(),
    ];
    let painter = StoredValue::new_local(EdgePainter::default());
    let help_ref = NodeRef::<html::Dialog>::new();
    let mut plots = crate::kit::ui::LineChartSchedule::default();
    start_animation_loop(lab, canvas_ref, painter, move |timestamp| {
        plots.paint_if_due(
            plot_refs,
            lab,
            timestamp,
            |r: &EdgeRun| {
                (
                    r.samples().len(),
                    r.samples().last().map_or(0, |l| l.time.0),
                )
            },
            |r| {
                [
                    plot_data::latency(r.samples(), r.end()),
                    plot_data::utilisation(r.samples(), r.end()),
                ]
            },
            curve_colour,
        );
        compare.work(12.0);
    });
    install_shortcuts(lab, help_ref);

    let on_canvas_click = move |ev: leptos::ev::MouseEvent| {
        let hit = painter.with_value(|p| p.node_at(ev.offset_x() as f64, ev.offset_y() as f64));
        if hit.is_some() {
            lab.update(|s| s.select(hit));
        }
    };
    let census = move || {
        lab.read(|s| {
            let r = s.run();
            let sum = r.summary();
            format!(
                "{} servers and {} devices; {} tasks created, {} completed, {} dropped, {} in progress.",
                format::count(r.servers().len() as u64),
                format::count(r.devices().len() as u64),
                format::count(sum.created),
                format::count(sum.completed),
                format::count(sum.dropped_total()),
                format::count(sum.in_progress),
            )
        })
    };
    let is_city = move || {
        lab.read(|s| {
            matches!(
                &s.scenario().lab,
                scenario::scenario::Lab::Edge(e) if matches!(e.topology, edge::TopologyPreset::MelbourneCbd { .. })
            )
        })
    };

    view! {
        <panels::BrokenLinkAlert broken=broken />
        <div class="lab edge-lab">
            <section class="lab-controls" aria-label="Scenario">
                <Editor />
            </section>
            <section class="lab-stage" aria-label="Live view">
                <Transport lab=lab help=help_ref />
                <Progress />
                <div class="compare-views" class:comparing=move || lab.read(|s| s.comparison().is_some())>
                <figure class="lab-figure">
                    <compare::OriginalLabel lab=lab />
                    <canvas
                        class="lab-canvas edge-canvas"
                        node_ref=canvas_ref
                        role="img"
                        aria-label=move || format!(
                            "{} {}",
                            if is_city() { "Map of the Melbourne CBD base stations and users." } else { "The continuum by tier: devices at the bottom, edge servers, fog, cloud on top." },
                            census()
                        )
                        on:click=on_canvas_click
                    >
                        {census}
                    </canvas>
                    <figcaption>
                        <span class="lab-caption">
                            {move || lab.read(|s| format!(
                                "{} tasks or results on the wire. Click a server to see it ringed; the busiest servers are listed below.",
                                format::count(scenario::LabRun::in_flight_count(s.run()))
                            ))}
                        </span>
                        <ul class="lab-legend" aria-label="Legend">
                            <li><span class="mark mark-device state-0" aria-hidden="true"></span>"device (colour: application)"</li>
                            <li><span class="mark mark-edge" aria-hidden="true"></span>"edge server"</li>
                            <li><span class="mark mark-fog" aria-hidden="true"></span>"fog node"</li>
                            <li><span class="mark mark-cloud" aria-hidden="true"></span>"cloud"</li>
                            <li><span class="mark mark-latest" aria-hidden="true"></span>"filled: computing"</li>
                            <li><span class="mark mark-message" aria-hidden="true"></span>"task or result on the wire"</li>
                            <li><span class="mark mark-load" aria-hidden="true"></span>"bar: busy cores, then queue"</li>
                        </ul>
                        <Show when=is_city>
                            <p class="hint provenance">
                                "Base stations and users: the EUA dataset (Lai et al., PhuLai/eua-dataset, MIT licence), Melbourne CBD."
                            </p>
                        </Show>
                    </figcaption>
                </figure>
                <compare::ForkFigure lab=lab />
                </div>
                <compare::ForkPanel lab=lab />
                <Plots refs=plot_refs />
                <Servers />
                <crate::kit::ui::spacetime::SpaceTime lab=lab />
            </section>
            <section class="lab-side" aria-label="Measurements">
                <Measurements />
                <Explainer />
                <crate::kit::ui::energy::EnergyPanel lab=lab />
                <panels::SharePanel lab=lab />
            </section>
            // Every policy × seed in one table of eight columns and a scatter: the full width.
            <section class="lab-wide" aria-label="Every policy compared">
                <ComparePanel />
            </section>
        </div>
        <ShortcutsDialog dialog=help_ref />
    }
}

/// How far the run is, as a progress bar (long runs such as Melbourne's ten minutes).
#[component]
fn Progress() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let fraction = move || lab.read(|s| s.run().now().0 as f64 / s.run().end().0.max(1) as f64);
    view! {
        <div class="edge-progress">
            <label for="edge-progress">"Run progress"</label>
            <progress id="edge-progress" max="1" value=move || fraction().to_string()></progress>
            <span>{move || format::percent(fraction())}</span>
        </div>
    }
}

/// The scenario editor.
#[component]
fn Editor() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let presets = StoredValue::new_local(edge_presets());
    let state = EditorState::new(
        lab.session
            .with_value(|s| EdgeForm::from_scenario(s.scenario())),
        "edge",
        crate::edge_lab::form::field_name,
    );
    let form = state.form;
    let problems = state.problems;
    let refreshed = state.refreshed;
    Effect::new(move |previous: Option<()>| {
        lab.scenario_version.track();
        lab.actions_version.track();
        if previous.is_some() {
            form.set(
                lab.session
                    .with_value(|s| EdgeForm::from_scenario(s.scenario())),
            );
            refreshed.update(|v| *v += 1);
        }
    });
    let chosen = move || {
        let current = lab.read(|s| s.scenario().clone());
        presets.with_value(|p| p.iter().position(|p| p.scenario == current))
    };
    let on_preset = move |index: usize| {
        if let Some(scenario) = presets.with_value(|p| p.get(index).map(|p| p.scenario.clone()))
            && lab.load(&scenario).is_ok()
        {
            problems.set(Vec::new());
            lab.status.set(String::new());
        }
    };
    let apply = move || {
        let base = lab.session.with_value(|s| s.scenario().clone());
        match form.with_untracked(|f| f.build(&base)) {
            Ok(scenario) => match lab.load(&scenario) {
                Ok(()) => {
                    problems.set(Vec::new());
                    lab.status
                        .set("Applied: the run starts again from time zero.".into());
                }
                Err(e) => problems.set(crate::edge_lab::form::problems_at_fields(&e)),
            },
            Err(p) => problems.set(p),
        }
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     key: &'static str,
                     get: fn(&EdgeForm) -> String,
                     set: fn(&mut EdgeForm, String)| {
        let hint = Signal::derive(move || form.with(|f| f.hint(key)));
        view! { <TextField state=state key=key id=id label=label hint=hint get=get set=set /> }
    };
    let on_policy = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        if let Some(p) = Policy::from_key(&key) {
            form.update(|f| f.policy = p);
            apply();
        }
    };
    view! {
        <form class="panel editor" on:submit=move |ev| { ev.prevent_default(); apply(); }>
            <h2 class="panel-title">"Scenario"</h2>
            <PresetPicker id="edge-preset" presets=presets chosen=chosen pick=on_preset own="Your own scenario: edited, opened from a link, or with actions you took." />
            <div class="field">
                <label for="edge-policy">"Placement policy"</label>
                <select id="edge-policy" on:change=on_policy>
                    {Policy::ALL.into_iter().map(|p| view! {
                        <option value=p.key() selected=move || form.with(|f| f.policy == p)>{policy_name(p)}</option>
                    }).collect_view()}
                </select>
                <p class="hint">"Changing the policy restarts the run with the same workload and seed."</p>
            </div>
            <div class="field">
                <label for="edge-place">"Layout"</label>
                <select id="edge-place" on:change=move |ev| {
                    let melbourne = event_target_value(&ev) == "melbourne";
                    form.update(|f| {
                        f.place = if melbourne { Place::Melbourne } else { Place::Synthetic };
                        if melbourne && f.devices.trim() == "40" {
                            f.devices = "816".into();
                        }
                    });
                    refreshed.update(|v| *v += 1);
                }>
                    <option value="synthetic" selected=move || form.with(|f| f.place == Place::Synthetic)>"Synthetic tiers"</option>
                    <option value="melbourne" selected=move || form.with(|f| f.place == Place::Melbourne)>"Melbourne CBD (125 base stations)"</option>
                </select>
            </div>
            <Show when=move || form.with(|f| f.place == Place::Synthetic)>
                {text("edges", "Edge servers", "edges", |f| f.edges.clone(), |f, v| f.edges = v)}
            </Show>
            {text("fogs", "Fog nodes", "fogs", |f| f.fogs.clone(), |f, v| f.fogs = v)}
            {text("devices", "Devices (users)", "devices", |f| f.devices.clone(), |f, v| f.devices = v)}
            <div class="field">
                <label for="edge-execution">"Execution"</label>
                <select id="edge-execution" on:change=move |ev| {
                    if let Some(e) = Execution::from_key(&event_target_value(&ev)) {
                        form.update(|f| f.execution = e);
                    }
                }>
                    {Execution::ALL.into_iter().map(|e| view! {
                        <option value=e.key() selected=move || form.with(|f| f.execution == e)>{e.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || form.with(|f| f.execution != Execution::Direct)>
                {text("keep-alive", "Keep-alive (s)", "serverless.keep_alive", |f| f.keep_alive_s.clone(), |f, v| f.keep_alive_s = v)}
                {text("target", "Autoscaling target utilisation (%; empty: on demand)", "serverless.autoscaler", |f| f.target_percent.clone(), |f, v| f.target_percent = v)}
            </Show>
            {text("queue", "Queue capacity per server", "queue", |f| f.queue.clone(), |f, v| f.queue = v)}
            {text("report", "Load report interval (ms)", "report", |f| f.report_ms.clone(), |f, v| f.report_ms = v)}
            {text("dwell", "Mobility: mean stay at a base station (s; empty: none)", "mobility", |f| f.dwell_s.clone(), |f, v| f.dwell_s = v)}
            {text("seed", "Seed", "seed", |f| f.seed.clone(), |f, v| f.seed = v)}
            {text("duration", "Duration (s)", "duration", |f| f.duration_s.clone(), |f, v| f.duration_s = v)}
            <ProblemSummary state=state />
            <button type="submit" class="button-primary">"Apply"</button>
        </form>
    }
}

/// The headline numbers of the run so far.
#[component]
fn Measurements() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let sum = move || lab.read(|s| s.run().summary());
    // No task completed yet: no latency to speak of.
    let ms = |completed: u64, v: f64| {
        if completed == 0 {
            "–".to_owned()
        } else {
            format::millis(v)
        }
    };
    view! {
        <div class="panel">
            <h2 class="panel-title">"Measurements"</h2>
            <dl class="stats" id="edge-stats">
                <dt>"Tasks created"</dt>
                <dd id="edge-created">{move || format::count(sum().created)}</dd>
                <dt>"Completed"</dt>
                <dd id="edge-completed">{move || format::count(sum().completed)}</dd>
                <dt>"Dropped"</dt>
                <dd id="edge-dropped">
                    {move || {
                        let s = sum();
                        let names = edge::world::drop_reason_names();
                        let parts: Vec<String> = names
                            .iter()
                            .zip(s.dropped)
                            .filter(|(_, n)| *n > 0)
                            .map(|(name, n)| format!("{} {name}", format::count(n)))
                            .collect();
                        if parts.is_empty() {
                            "0".to_owned()
                        } else {
                            format!("{} ({})", format::count(s.dropped_total()), parts.join(", "))
                        }
                    }}
                </dd>
                <dt>"In progress"</dt>
                <dd id="edge-in-progress">{move || format::count(sum().in_progress)}</dd>
                <dt>"Latency p50, p95, p99"</dt>
                <dd id="edge-latency">{move || { let s = sum(); format!("{}, {}, {}", ms(s.completed, s.p50_ms), ms(s.completed, s.p95_ms), ms(s.completed, s.p99_ms)) }}</dd>
                <dt>"Mean latency"</dt>
                <dd>{move || { let s = sum(); ms(s.completed, s.mean_ms) }}</dd>
                <dt>"Deadline miss rate"</dt>
                <dd id="edge-miss-rate">{move || format::percent(sum().miss_rate)}</dd>
                <dt>"Cold starts"</dt>
                <dd id="edge-cold-starts">{move || format::count(sum().cold_starts)}</dd>
                <dt>"Cost (pay per use)"</dt>
                <dd>{move || format!("US${}", format::trim(sum().cost_usd, 4))}</dd>
            </dl>
            <table class="mode-table edge-tiers">
                <caption>"Per tier, so far"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Busy cores"</th>
                        <th scope="col">"Ran"</th>
                        <th scope="col">"Energy"</th>
                    </tr>
                </thead>
                <tbody id="edge-tier-rows">
                    {move || {
                        let s = sum();
                        Tier::ALL
                            .into_iter()
                            .map(|t| {
                                let i = t.index();
                                let busy = if t == Tier::Device { "–".to_owned() } else { format::percent(s.utilisation[i]) };
                                let ran = if t == Tier::Device { "–".to_owned() } else { format::count(s.completed_on[i]) };
                                view! {
                                    <tr>
                                        <th scope="row">{t.name()}</th>
                                        <td>{busy}</td>
                                        <td>{ran}</td>
                                        <td>{format::si(s.energy.compute[i].0, "J")}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                    <tr>
                        <th scope="row">"network (marginal)"</th>
                        <td>"–"</td>
                        <td>"–"</td>
                        <td>{move || format::si(sum().energy.network.0, "J")}</td>
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// The busiest servers now, with their load.
#[component]
fn Servers() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let rows = move || {
        lab.read(|s| {
            let mut servers = s.run().servers();
            servers.sort_by(|a, b| {
                let load = |v: &scenario::edge_run::ServerView| {
                    (f64::from(v.busy) + f64::from(v.queued)) / f64::from(v.cores.max(1))
                };
                load(b).total_cmp(&load(a)).then(a.node.0.cmp(&b.node.0))
            });
            servers.truncate(8);
            servers
        })
    };
    view! {
        <div class="panel">
            <h2 class="panel-title">"Busiest servers now"</h2>
            <div class="table-scroll">
            <table class="mode-table edge-servers">
                <thead>
                    <tr>
                        <th scope="col">"Server"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Busy cores"</th>
                        <th scope="col">"Queued"</th>
                        <th scope="col">"Done"</th>
                        <th scope="col">"Dropped"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|v| {
                        let busy = format!("{} of {}", v.busy, v.cores);
                        view! {
                            <tr>
                                <th scope="row">{v.label.clone()}</th>
                                <td>{v.tier.name()}</td>
                                <td>
                                    <meter min="0" max=v.cores.to_string() value=v.busy.to_string() aria-label=format!("{} busy cores", v.label)></meter>
                                    " "{busy}
                                </td>
                                <td>{format!("{} of {}", v.queued, v.queue_capacity)}</td>
                                <td>{format::count(v.completed)}</td>
                                <td>{format::count(v.dropped)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </div>
    }
}

fn curve_colour(curve: Curve, p: &Palette) -> (Rgb, f64) {
    match curve {
        Curve::MeanLatency => (p.latest, 2.5),
        Curve::P95Latency => (p.message, 2.0),
        Curve::Utilisation(Tier::Edge) => (p.state(0), 2.5),
        Curve::Utilisation(Tier::Fog) => (p.state(2), 2.0),
        Curve::Utilisation(_) => (p.state(1), 2.0),
    }
}

/// Latency and utilisation over time.
#[component]
fn Plots(refs: [NodeRef<html::Canvas>; 2]) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let last = move || lab.read(|s| s.run().samples().last().copied());
    let [latency, utilisation] = refs;
    view! {
        <div class="crdt-plots">
            <figure class="panel plot">
                <h2 class="panel-title">"Latency"</h2>
                <canvas class="plot-canvas" node_ref=latency role="img"
                    aria-label="Plot of the mean and 95th percentile latency of the tasks completed in each sampling window, over simulated time."
                    aria-describedby="edge-plot-latency"></canvas>
                <figcaption>
                    <ul class="lab-legend" aria-label="Curves">
                        <li><span class="mark mark-informed" aria-hidden="true"></span>"mean"</li>
                        <li><span class="mark mark-sent" aria-hidden="true"></span>"95th percentile"</li>
                    </ul>
                    <p class="hint" id="edge-plot-latency">
                        {move || last().map_or_else(String::new, |s| match (s.window_mean_ms, s.window_p95_ms) {
                            (Some(m), Some(p)) => format!("At {}: mean {} ms, 95th percentile {} ms.", format::time_ns(s.time.0), format::trim(m, 1), format::trim(p, 1)),
                            _ => format!("At {}: no task completed in the last window.", format::time_ns(s.time.0)),
                        })}
                    </p>
                </figcaption>
                <PlotDownloads
                    canvas=latency
                    title="latency"
                    file="continuum-edge-latency"
                    svg=move |size| plot_svg(lab, plot_data::latency, size)
                />
            </figure>
            <figure class="panel plot">
                <h2 class="panel-title">"Busy cores per tier"</h2>
                <canvas class="plot-canvas" node_ref=utilisation role="img"
                    aria-label="Plot of the busy share of edge, fog and cloud cores over simulated time."
                    aria-describedby="edge-plot-utilisation"></canvas>
                <figcaption>
                    <ul class="lab-legend" aria-label="Curves">
                        <li><span class="mark mark-line state-0" aria-hidden="true"></span>"edge"</li>
                        <li><span class="mark mark-line state-2" aria-hidden="true"></span>"fog"</li>
                        <li><span class="mark mark-line state-1" aria-hidden="true"></span>"cloud"</li>
                    </ul>
                    <p class="hint" id="edge-plot-utilisation">
                        {move || last().map_or_else(String::new, |s| format!(
                            "At {}: edge {}, fog {}, cloud {} of cores busy.",
                            format::time_ns(s.time.0),
                            format::percent(s.utilisation[Tier::Edge.index()]),
                            format::percent(s.utilisation[Tier::Fog.index()]),
                            format::percent(s.utilisation[Tier::Cloud.index()]),
                        ))}
                    </p>
                </figcaption>
                <PlotDownloads
                    canvas=utilisation
                    title="busy cores per tier"
                    file="continuum-edge-utilisation"
                    svg=move |size| plot_svg(lab, plot_data::utilisation, size)
                />
            </figure>
        </div>
    }
}

/// A plot of the run as an SVG document of `size` CSS pixels.
fn plot_svg(
    lab: Lab,
    chart: fn(
        &[scenario::edge_run::EdgeSample],
        sim::SimTime,
    ) -> crate::kit::plot_data::LineChart<Curve>,
    size: (u32, u32),
) -> Result<String, String> {
    lab.session.with_value(|s| {
        let chart = chart(s.run().samples(), s.run().end());
        crate::kit::plot::svg_lines(&chart, canvas::current_theme(), size, curve_colour)
    })
}

/// Compare mode: every policy on this workload across seeds, in a table with 95 % confidence
/// intervals and a latency–energy scatter with the Pareto front; a point or row opens that run.
#[component]
fn ComparePanel() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let compare = expect_context::<Compare>();
    let seeds = RwSignal::new("5".to_owned());
    let running = move || {
        compare.version.track();
        compare.job.with_value(|j| j.is_some())
    };
    let progress = move || {
        compare.version.track();
        compare.job.with_value(|j| {
            j.as_ref()
                .map(|j| (j.progress(), j.finished_runs(), j.total_runs()))
        })
    };
    let start = move |_| {
        let n = match seeds.get_untracked().trim().parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                compare.said.set(format!(
                    "The number of seeds must be a whole number between 1 and {MAX_COMPARE_SEEDS}."
                ));
                return;
            }
        };
        let scenario = lab.session.with_value(|s| s.scenario().clone());
        match CompareJob::new(&scenario, n) {
            Ok(job) => {
                compare.job.set_value(Some(job));
                compare.result.set(None);
                compare.said.set(format!(
                    "Comparing {} policies on {n} seed{}…",
                    Policy::ALL.len(),
                    if n == 1 { "" } else { "s" }
                ));
                compare.version.update(|v| *v += 1);
            }
            Err(message) => compare.said.set(message),
        }
    };
    let cancel = move |_| {
        compare.job.set_value(None);
        compare.said.set("Comparison cancelled.".into());
        compare.version.update(|v| *v += 1);
    };
    let open = move |policy: Policy| {
        let scenario = lab
            .session
            .with_value(|s| with_policy(s.scenario(), policy));
        if lab.load(&scenario).is_ok() {
            lab.status
                .set(format!("Opened the run under {}.", policy_name(policy)));
        }
    };
    view! {
        <section class="panel edge-compare" aria-labelledby="edge-compare-title">
            <h2 class="panel-title" id="edge-compare-title">"Compare every policy"</h2>
            <p class="hint">
                "Runs this workload under each of the nine policies for several seeds (this scenario's seed and the next ones), in the background while you watch, and shows means with 95 % confidence intervals."
            </p>
            <div class="button-row">
                <label for="edge-compare-seeds">"Seeds"</label>
                <input id="edge-compare-seeds" class="short" type="number" min="1" max=MAX_COMPARE_SEEDS.to_string()
                    prop:value=move || seeds.get() on:input=move |ev| seeds.set(event_target_value(&ev))/>
                <button type="button" on:click=start disabled=running>"Run comparison"</button>
                <Show when=running>
                    <button type="button" on:click=cancel>"Cancel"</button>
                </Show>
            </div>
            <Show when=move || progress().is_some()>
                <div class="edge-progress">
                    <label for="edge-compare-progress">"Comparison progress"</label>
                    <progress id="edge-compare-progress" max="1" value=move || progress().map_or(0.0, |p| p.0).to_string()></progress>
                    <span>{move || progress().map_or_else(String::new, |(_, done, total)| format!("{done} of {total} runs"))}</span>
                </div>
            </Show>
            <p class="hint" role="status" id="edge-compare-status">{move || compare.said.get()}</p>
            {move || compare.result.get().map(|c| view! { <CompareResult comparison=c open=open /> })}
        </section>
    }
}

/// The comparison's table and scatter.
#[component]
fn CompareResult(comparison: Comparison, open: impl Fn(Policy) + Copy + 'static) -> impl IntoView {
    let ci = |m: &edge::compare::MeanCi, f: &dyn Fn(f64) -> String| {
        if m.n > 1 && m.half_width > 0.0 {
            format!("{} ± {}", f(m.mean), f(m.half_width))
        } else if m.n > 1 {
            // No spread: the same value in every seed (p95 is read from histogram buckets).
            format!("{} (all seeds)", f(m.mean))
        } else {
            f(m.mean)
        }
    };
    let rows = comparison.rows.clone();
    // The scatter: latency (x) against energy (y), each axis spanning the policies' means with
    // a tenth of their range as margin (policies often differ by a few per cent in energy, which
    // an axis from zero would hide), in a 100 × 60 viewBox.
    let span = |values: Vec<f64>| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.01).max(1e-9);
        (lo - pad, hi + pad)
    };
    let (lo_ms, hi_ms) = span(rows.iter().map(|r| r.mean_ms.mean).collect());
    let (lo_j, hi_j) = span(rows.iter().map(|r| r.energy_j.mean).collect());
    let (x0, x1, y0, y1) = (14.0, 80.0, 52.0, 4.0);
    let sx = move |v: f64| x0 + (x1 - x0) * (v - lo_ms) / (hi_ms - lo_ms);
    let sy = move |v: f64| y0 + (y1 - y0) * (v - lo_j) / (hi_j - lo_j);
    let mut front: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r.pareto)
        .map(|r| (sx(r.mean_ms.mean), sy(r.energy_j.mean)))
        .collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    let front_path = front
        .iter()
        .map(|(x, y)| format!("{x:.2},{y:.2}"))
        .collect::<Vec<_>>()
        .join(" ");
    let label_y = label_rows(
        &rows
            .iter()
            .map(|r| {
                (
                    sx(r.mean_ms.mean),
                    sy(r.energy_j.mean),
                    r.policy.key().len(),
                )
            })
            .collect::<Vec<_>>(),
    );
    view! {
        <div class="table-scroll">
        <table class="mode-table edge-compare-table">
            <caption>"Means over the seeds, ± the half-width of the 95 % confidence interval (Student's t); “all seeds”: the same value in every seed (p95 is read from a histogram whose buckets are 6.25 % wide, so nearby values coincide). ★: on the latency–energy Pareto front."</caption>
            <thead>
                <tr>
                    <th scope="col">"Policy"</th>
                    <th scope="col">"Mean latency"</th>
                    <th scope="col">"p95 latency"</th>
                    <th scope="col">"Deadline misses"</th>
                    <th scope="col">"Dropped"</th>
                    <th scope="col">"Energy"</th>
                    <th scope="col">"Cold starts"</th>
                    <th scope="col">"Cost"</th>
                </tr>
            </thead>
            <tbody>
                {rows.iter().map(|r| {
                    let policy = r.policy;
                    view! {
                        <tr class:pareto=r.pareto>
                            <th scope="row">
                                <button type="button" class="button-link" on:click=move |_| open(policy)
                                    title="Open this run">
                                    {policy_name(policy)}{if r.pareto { " ★" } else { "" }}
                                </button>
                            </th>
                            <td>{ci(&r.mean_ms, &format::millis)}</td>
                            <td>{ci(&r.p95_ms, &format::millis)}</td>
                            <td>{ci(&r.miss_rate, &|v| format::percent(v))}</td>
                            <td>{ci(&r.dropped, &|v| format::trim(v, 1))}</td>
                            <td>{ci(&r.energy_j, &|v| format::si(v, "J"))}</td>
                            <td>{ci(&r.cold_starts, &|v| format::trim(v, 1))}</td>
                            <td>{ci(&r.cost_usd, &|v| format!("US${}", format::trim(v, 4)))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <figure class="edge-scatter">
            <svg viewBox="0 0 100 60" role="group" aria-label="Mean latency against energy, one point per policy; the line joins the Pareto front.">
                <line class="axis" x1=x0 y1=y0 x2=x1 y2=y0></line>
                <line class="axis" x1=x0 y1=y0 x2=x0 y2=y1></line>
                <text class="axis-label" x=(x0 + x1) / 2.0 y="59" text-anchor="middle">{format!("mean latency, {} – {} ms", format::trim(lo_ms.max(0.0), 0), format::trim(hi_ms, 0))}</text>
                <text class="axis-label" x="4" y=(y0 + y1) / 2.0 text-anchor="middle" transform=format!("rotate(-90 4 {})", (y0 + y1) / 2.0)>{format!("energy, {} – {}", format::si(lo_j.max(0.0), "J"), format::si(hi_j, "J"))}</text>
                <polyline class="pareto-front" points=front_path></polyline>
                {rows.iter().zip(label_y).map(|(r, ly)| {
                    let policy = r.policy;
                    let (x, y) = (sx(r.mean_ms.mean), sy(r.energy_j.mean));
                    let label = format!(
                        "{}: {}, {} ms, {}{}. Open this run.",
                        policy.key(),
                        policy_name(policy),
                        format::trim(r.mean_ms.mean, 1),
                        format::si(r.energy_j.mean, "J"),
                        if r.pareto { ", on the Pareto front" } else { "" }
                    );
                    let on_key = move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            open(policy);
                        }
                    };
                    let title = label.clone();
                    view! {
                        <g class="point" class:pareto=r.pareto tabindex="0" role="button" aria-label=label
                            on:click=move |_| open(policy) on:keydown=on_key>
                            <title>{title}</title>
                            {if r.pareto {
                                view! { <rect x=x - 1.6 y=y - 1.6 width="3.2" height="3.2"></rect> }.into_any()
                            } else {
                                view! { <circle cx=x cy=y r="1.4"></circle> }.into_any()
                            }}
                            // A label moved away from its point is tied to it by a line.
                            {((ly - y).abs() > 0.5).then(|| view! {
                                <line class="leader" x1=x y1=y x2=x + 2.0 y2=ly></line>
                            })}
                            <text x=x + 2.2 y=ly + 1.0>{policy.key()}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="hint">"Squares joined by the line are on the Pareto front: no other policy is both faster and more frugal. Click or press Enter on a point to open that run."</figcaption>
        </figure>
    }
}

/// Where each point's label goes (its y), so labels of nearby points do not overlap: labels
/// are placed from the top, each moved down below the lowest earlier one whose box it would
/// cross, until it crosses none. `points` are `(x, y, label characters)` in the scatter's units
/// (2.2-unit text, about 1.2 units per character).
///
/// Each move puts the label a full line below a blocker that was more than a hair below the
/// previous one, so the loop ends after at most one move per placed label; a move of exactly
/// one line must not count as crossing again (in floating point, `(a + 2.6) - a` can be a hair
/// under 2.6, which once made this loop spin for ever on tied policies).
fn label_rows(points: &[(f64, f64, usize)]) -> Vec<f64> {
    const LINE: f64 = 2.6;
    const CHAR: f64 = 1.2;
    const HAIR: f64 = 1e-6;
    // A marker's half size, and how far a label's text reaches above and below its row.
    const MARKER: f64 = 1.6;
    const TEXT: f64 = 1.2;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].1.total_cmp(&points[b].1).then(a.cmp(&b)));
    let mut placed: Vec<(f64, f64, f64)> = Vec::new(); // (x from, x to, y)
    let mut out = vec![0.0; points.len()];
    for i in order {
        let (x, mut y, chars) = points[i];
        let (from, to) = (x + 2.2, x + 2.2 + chars as f64 * CHAR);
        loop {
            // The lowest earlier label this one would cross, or the lowest other marker under
            // its text: move below it. Each move goes a hair further down than the last
            // blocker, so the loop ends.
            let label = placed
                .iter()
                .filter(|&&(a, b, other)| a < to && from < b && (other - y).abs() < LINE - HAIR)
                .map(|&(_, _, other)| other + LINE)
                .max_by(f64::total_cmp);
            let marker = points
                .iter()
                .enumerate()
                .filter(|&(j, &(px, py, _))| {
                    j != i
                        && px + MARKER > from
                        && px - MARKER < to
                        && (py - y).abs() < MARKER + TEXT - HAIR
                })
                .map(|(_, &(_, py, _))| py + MARKER + TEXT)
                .max_by(f64::total_cmp);
            match label.into_iter().chain(marker).max_by(f64::total_cmp) {
                Some(below) if below > y + HAIR => y = below,
                _ => break,
            }
        }
        placed.push((from, to, y));
        out[i] = y;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn nearby_labels_are_moved_apart_and_far_ones_stay() {
        let ys = super::label_rows(&[
            (10.0, 20.0, 8),
            (10.5, 20.5, 8),
            (60.0, 20.0, 8),
            (10.0, 40.0, 4),
        ]);
        assert_eq!(ys[0], 20.0);
        assert!(ys[1] >= 22.6, "moved below the first: {ys:?}");
        assert_eq!(ys[2], 20.0, "far to the right: stays");
        assert_eq!(ys[3], 40.0, "far below: stays");
    }

    #[test]
    fn labels_do_not_cover_other_points() {
        // A label starting at x = 12.2 would run over the point at x = 16.
        let ys = super::label_rows(&[(10.0, 20.0, 10), (16.0, 20.5, 4)]);
        assert!(
            ys[0] >= 20.5 + 2.8 - 1e-9,
            "moved below the other point: {ys:?}"
        );
    }

    #[test]
    fn tied_points_get_one_line_each_wherever_they_are() {
        // Nine policies on one spot (a light load where they all agree) hung the page once.
        for k in 0..400 {
            let y = f64::from(k) * 0.137;
            let ys = super::label_rows(&[(30.0, y, 6); 9]);
            let mut sorted = ys.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(sorted[0], y, "the first stays at {y}");
            for pair in sorted.windows(2) {
                assert!(pair[1] - pair[0] > 2.5, "labels overlap at y = {y}: {ys:?}");
            }
        }
    }
}

/// What the policy does, the cold-start trade-off, and what the view shows.
#[component]
fn Explainer() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let policy = move || {
        lab.read(|s| match &s.scenario().lab {
            scenario::scenario::Lab::Edge(e) => e.policy,
            _ => Policy::NearestEdge,
        })
    };
    view! {
        <div class="panel explainer">
            <h2 class="panel-title">"What is going on"</h2>
            <h3>{move || policy_name(policy())}</h3>
            <p>{move || policy_text(policy()).does}</p>
            <p>{move || policy_text(policy()).trade_off}</p>
            <h3>"Cold starts and keep-alive"</h3>
            <p>{explain::COLD_START}</p>
            <h3>"The view"</h3>
            <p>{explain::VIEW}</p>
        </div>
    }
}
