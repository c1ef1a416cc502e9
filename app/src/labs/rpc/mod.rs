//! The remote-calls lab: clients deposit into an account on a server over lossy links, with
//! at-most-once, at-least-once or exactly-once calls (Birrell & Nelson 1984). Written only
//! through the lab kit: its editor is a [`LabForm`](crate::kit::editor::LabForm), its page the
//! kit's [`RunShell`] with the lab's legend, act panel, plot, measurements and explainer.

pub mod form;

use crate::kit::editor::{Choice, EditorState, LabEditor, TextField};
use crate::kit::format::{count, time_ns};
use crate::kit::palette::{Palette, Rgb};
use crate::kit::plot_data::{Line, LineChart, nice_ceiling};
use crate::kit::ui::panels::FaultButtons;
use crate::kit::ui::plot_files::PlotDownloads;
use crate::kit::ui::shell::RunShell;
use crate::kit::ui::{LabContext, LineChartSchedule, opening};
use form::{CACHE_CHOICES, RpcForm};
use leptos::html;
use leptos::prelude::*;
use scenario::LabRun;
use scenario::labs::rpc::{
    CacheDurability, RpcReport, RpcRun, RpcSample, Semantics, default_rpc_scenario, look,
    rpc_presets,
};
use sim::{NodeId, SimTime};

type Lab = LabContext<RpcRun>;

/// The remote-calls lab's page body, opening a share-link fragment (`s=…`) when given one: its
/// own wasm module in the site's build (see `network_lab::network_page`).
#[cfg_attr(feature = "lazy-labs", leptos::lazy)]
pub async fn rpc_page(shared: Option<String>) -> AnyView {
    view! { <RpcLab shared=shared /> }.into_any()
}

/// The lines of the deposits chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    /// Deposits the clients believe were made (calls completed).
    Believed,
    /// The server's balance: deposits actually made.
    Balance,
    /// Deposits made more than once for one call.
    Duplicates,
    /// Calls whose outcome the client never learnt.
    Unknown,
}

/// The deposits chart over simulated time, from the run's samples.
pub fn deposits_chart(samples: &[RpcSample], end: SimTime) -> LineChart<Curve> {
    let line = |curve, value: fn(&RpcSample) -> u64| Line {
        curve,
        points: samples
            .iter()
            .map(|s| (s.time.as_millis_f64(), value(s) as f64))
            .collect(),
    };
    let y_max = samples
        .iter()
        .map(|s| s.balance.max(s.completed))
        .max()
        .unwrap_or(0) as f64;
    LineChart {
        x_max_ms: end.as_millis_f64().max(1.0),
        y_max: nice_ceiling(y_max.max(1.0)),
        y_desc: "deposits",
        lines: vec![
            line(Curve::Believed, |s| s.completed),
            line(Curve::Balance, |s| s.balance),
            line(Curve::Duplicates, |s| s.duplicate_executions),
            line(Curve::Unknown, |s| s.unknown),
        ],
    }
}

fn curve_colour(curve: Curve, p: &Palette) -> (Rgb, f64) {
    match curve {
        Curve::Believed => (p.latest, 2.5),
        Curve::Balance => (p.message, 2.0),
        Curve::Duplicates => (p.crashed, 2.5),
        Curve::Unknown => (p.state(2), 2.0),
    }
}

/// The lab: the kit's shell around this lab's editor, legend, panels and explainer.
#[component]
pub fn RpcLab(
    /// A share-link fragment to open.
    shared: Option<String>,
) -> impl IntoView {
    let (mut session, seek_to, broken) = opening::<RpcRun>(shared.as_deref(), default_rpc_scenario);
    if let Some(at) = seek_to {
        session.seek(at);
    }
    // The server starts selected: crashing it is the lab's most telling fault.
    session.select(Some(rpc_server()));
    let lab: Lab = LabContext::new(session);
    provide_context(lab);
    let plot_ref = NodeRef::<html::Canvas>::new();
    let mut plots = LineChartSchedule::default();
    let on_frame = Box::new(move |timestamp: f64| {
        plots.paint_if_due(
            [plot_ref],
            lab,
            timestamp,
            |r: &RpcRun| {
                (
                    r.samples().len(),
                    r.samples().last().map_or(0, |s| s.time.0),
                )
            },
            |r| [deposits_chart(r.samples(), LabRun::end(r))],
            curve_colour,
        );
    });
    let census = Signal::derive(move || lab.read(|s| census(&s.run().report())));
    let caption = Signal::derive(move || {
        lab.read(|s| {
            format!(
                "Node n0 is the server, the others its clients; {} messages in flight. Click a \
                 node to select it.",
                count(s.run().in_flight_count())
            )
        })
    });
    view! {
        <RunShell
            lab=lab
            broken=broken
            class="rpc-lab"
            what="the server and its clients"
            census=census
            caption=caption
            legend=view! { <Legend /> }.into_any()
            editor=view! {
                <LabEditor
                    lab=lab
                    presets=rpc_presets()
                    own="Your own scenario: edited, opened from a link, or with faults you made."
                    fields=fields
                />
            }
            .into_any()
            stage=view! {
                <Actions />
                <Plot canvas=plot_ref />
            }
            .into_any()
            side=view! {
                <Measurements />
                <Explainer />
            }
            .into_any()
            on_frame=on_frame
        />
    }
}

fn rpc_server() -> NodeId {
    NodeId(0)
}

/// One sentence on the calls so far.
fn census(r: &RpcReport) -> String {
    format!(
        "{} calls started: {} completed, {} of unknown outcome, {} in progress; the server \
         executed {} deposits, {} of them duplicates.",
        count(r.started),
        count(r.completed),
        count(r.unknown),
        count(r.in_progress),
        count(r.executions),
        count(r.duplicate_executions)
    )
}

/// The editor's fields.
fn fields(state: EditorState<RpcForm>) -> AnyView {
    let hint = |key: &'static str| Signal::derive(move || RpcForm::hint(key));
    view! {
        <Choice
            state=state
            key="semantics"
            label="Call semantics"
            options=Semantics::ALL.iter().map(|s| (s.key(), s.name())).collect()
            get=|f: &RpcForm| f.semantics.key()
            set=|f: &mut RpcForm, v| {
                if let Some(s) = Semantics::from_key(&v) {
                    f.semantics = s;
                }
            }
            own_error=true
        />
        <TextField state=state key="clients" label="Clients" hint=hint("clients") inputmode="numeric"
            get=|f: &RpcForm| f.clients.clone() set=|f: &mut RpcForm, v| f.clients = v />
        <TextField state=state key="call_rate" label="Calls per second (each client)" hint=hint("call_rate")
            get=|f: &RpcForm| f.call_rate.clone() set=|f: &mut RpcForm, v| f.call_rate = v />
        <TextField state=state key="timeout" label="Timeout per attempt (ms)" hint=hint("timeout")
            get=|f: &RpcForm| f.timeout_ms.clone() set=|f: &mut RpcForm, v| f.timeout_ms = v />
        <TextField state=state key="max_attempts" label="Most attempts per call" hint=hint("max_attempts") inputmode="numeric"
            get=|f: &RpcForm| f.max_attempts.clone() set=|f: &mut RpcForm, v| f.max_attempts = v />
        <TextField state=state key="backoff_base" label="Backoff base (ms)"
            hint="the longest random wait before the first retry, doubling with each retry"
            get=|f: &RpcForm| f.backoff_base_ms.clone() set=|f: &mut RpcForm, v| f.backoff_base_ms = v />
        <TextField state=state key="backoff_cap" label="Backoff cap (ms)"
            get=|f: &RpcForm| f.backoff_cap_ms.clone() set=|f: &mut RpcForm, v| f.backoff_cap_ms = v />
        <TextField state=state key="processing" label="Server processing time (ms)"
            get=|f: &RpcForm| f.processing_ms.clone() set=|f: &mut RpcForm, v| f.processing_ms = v />
        <Choice
            state=state
            key="reply_cache"
            label="Reply cache (exactly-once)"
            options=CACHE_CHOICES.to_vec()
            get=RpcForm::cache_key
            set=|f: &mut RpcForm, v| {
                f.reply_cache = if v == "volatile" {
                    CacheDurability::Volatile
                } else {
                    CacheDurability::Durable
                };
            }
            own_error=true
        />
        <TextField state=state key="latency" label="Link latency, one way (ms)"
            get=|f: &RpcForm| f.latency_ms.clone() set=|f: &mut RpcForm, v| f.latency_ms = v />
        <TextField state=state key="loss" label="Message loss (%)" hint="of every request and reply, on every link"
            get=|f: &RpcForm| f.loss_percent.clone() set=|f: &mut RpcForm, v| f.loss_percent = v />
        <TextField state=state key="seed" label="Seed" inputmode="numeric"
            get=|f: &RpcForm| f.seed.clone() set=|f: &mut RpcForm, v| f.seed = v />
        <TextField state=state key="duration" label="Duration (s)"
            get=|f: &RpcForm| f.duration_s.clone() set=|f: &mut RpcForm, v| f.duration_s = v />
    }
    .into_any()
}

/// The key to the node marks (fill colour and the words beside it).
#[component]
fn Legend() -> impl IntoView {
    let mark = |state: u32| format!("mark state-{state}");
    view! {
        <ul class="lab-legend" aria-label="Legend">
            <li><span class=mark(look::SERVER) aria-hidden="true"></span>"server (n0)"</li>
            <li><span class=mark(look::IDLE) aria-hidden="true"></span>"client, no call waiting"</li>
            <li><span class=mark(look::WAITING) aria-hidden="true"></span>"client waiting for a reply"</li>
            <li><span class=mark(look::UNKNOWN) aria-hidden="true"></span>"client that gave up on a call"</li>
            <li><span class="mark mark-crashed" aria-hidden="true">"✕"</span>"crashed"</li>
            <li><span class="mark mark-message" aria-hidden="true"></span>"request or reply in flight"</li>
        </ul>
    }
}

/// Crash or restart the selected node now.
#[component]
fn Actions() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <div class="lab-actions" role="group" aria-label="Act now">
            <h2 class="panel-title">"Act now"</h2>
            <div class="button-row">
                <FaultButtons lab=lab name=|n| n.to_string() />
            </div>
            <p class="hint" role="status">
                {move || {
                    let said = lab.status.get();
                    if said.is_empty() {
                        "Select the server (n0) or a client by clicking it, then crash it. A \
                         restart that keeps state keeps the balance on disk; a volatile reply \
                         cache is lost either way. Everything you do is recorded and replayed by \
                         Share."
                            .to_owned()
                    } else {
                        said
                    }
                }}
            </p>
        </div>
    }
}

/// The deposits over time (drawn by the shell's animation loop) and their last values.
#[component]
fn Plot(
    /// The plot's canvas.
    canvas: NodeRef<html::Canvas>,
) -> impl IntoView {
    let lab = expect_context::<Lab>();
    let last = move || {
        lab.read(|s| {
            s.run().samples().last().map_or_else(String::new, |l| {
                format!(
                    "At {}: clients believe {} deposits, the balance is {}; {} duplicate \
                     executions, {} unknown outcomes.",
                    time_ns(l.time.0),
                    count(l.completed),
                    count(l.balance),
                    count(l.duplicate_executions),
                    count(l.unknown)
                )
            })
        })
    };
    let svg = move |size| {
        let (chart, theme) = lab.read(|s| {
            (
                deposits_chart(s.run().samples(), LabRun::end(s.run())),
                crate::kit::canvas::current_theme(),
            )
        });
        crate::kit::plot::svg_lines(&chart, theme, size, curve_colour)
    };
    view! {
        <figure class="panel plot">
            <h2 class="panel-title">"Deposits over time"</h2>
            <canvas
                class="plot-canvas"
                node_ref=canvas
                role="img"
                aria-label="Plot of the deposits the clients believe they made, the server's balance, duplicate executions and unknown outcomes over simulated time."
                aria-describedby="rpc-plot-last"
            ></canvas>
            <figcaption>
                <ul class="lab-legend" aria-label="Curves">
                    <li><span class="mark mark-informed" aria-hidden="true"></span>"believed by the clients (thick)"</li>
                    <li><span class="mark mark-sent" aria-hidden="true"></span>"server balance"</li>
                    <li><span class="mark mark-dropped" aria-hidden="true"></span>"duplicate executions (thick)"</li>
                    <li><span class="mark mark-delta" aria-hidden="true"></span>"unknown outcomes"</li>
                </ul>
                <p class="hint" id="rpc-plot-last">{last}</p>
            </figcaption>
            <PlotDownloads canvas=canvas title="deposits over time" file="continuum-rpc-deposits" svg=svg />
        </figure>
    }
}

/// The headline numbers of the run so far.
#[component]
fn Measurements() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let report = move || lab.read(|s| s.run().report());
    let row = |name: &'static str, value: fn(&RpcReport) -> String| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td>{move || value(&report())}</td>
            </tr>
        }
    };
    view! {
        <div class="panel">
            <h2 class="panel-title">"Measurements"</h2>
            <table class="summary-table" id="rpc-measurements">
                <caption class="visually-hidden">"The calls so far"</caption>
                <tbody>
                    {row("Calls started", |r| count(r.started))}
                    {row("Completed", |r| count(r.completed))}
                    {row("Outcome unknown", |r| count(r.unknown))}
                    {row("In progress", |r| count(r.in_progress))}
                    {row("Requests sent (retries)", |r| format!("{} ({})", count(r.requests_sent), count(r.retries_sent)))}
                    {row("Deposits executed", |r| count(r.executions))}
                    {row("Duplicate executions", |r| count(r.duplicate_executions))}
                    {row("Replies from the cache", |r| count(r.cached_replies))}
                    {row("Server balance", |r| count(r.balance))}
                    {row("Believed by the clients", |r| count(r.believed()))}
                    {row("Latency, mean", |r| latency(r.latency_mean))}
                    {row("Latency, p99", |r| latency(r.latency_p99))}
                </tbody>
            </table>
        </div>
    }
}

/// A latency, or "–" before any call completed.
fn latency(d: Option<sim::SimDuration>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| time_ns(d.0))
}

/// What the numbers say, in words, for the semantics of the run.
pub fn explain(semantics: Semantics, r: &RpcReport) -> Vec<String> {
    let mut out = Vec::new();
    let gap = r.discrepancy();
    out.push(match gap {
        0 => format!(
            "The balance ({}) equals the deposits the clients believe they made.",
            count(r.balance)
        ),
        g if g > 0 => format!(
            "The balance ({}) is {} above the deposits the clients believe they made ({}): {} \
             duplicate executions and {} calls reported unknown that did run.",
            count(r.balance),
            count(g as u64),
            count(r.believed()),
            count(r.duplicate_executions),
            count(r.unknown_executed)
        ),
        g => format!(
            "The balance ({}) is {} below what the clients believe ({}): deposits were lost \
             (a restart that loses state empties the account).",
            count(r.balance),
            count(g.unsigned_abs()),
            count(r.believed())
        ),
    });
    match semantics {
        Semantics::AtMostOnce if r.unknown > 0 => out.push(format!(
            "At-most-once never executes a call twice, but {} calls ended with an unknown \
             outcome: {} of them ran (their reply was lost), {} never did (their request was \
             lost), and the client cannot tell which. Retrying would need the server to \
             recognise a repeated call: exactly-once.",
            count(r.unknown),
            count(r.unknown_executed),
            count(r.unknown.saturating_sub(r.unknown_executed))
        )),
        Semantics::AtLeastOnce if r.duplicate_executions > 0 => out.push(format!(
            "At-least-once retried {} times; where the reply, not the request, was lost, the \
             server deposited again. Retrying is safe only for idempotent operations; a \
             deposit is not. Fork with exactly-once to see the duplicates go.",
            count(r.retries_sent)
        )),
        Semantics::ExactlyOnce if r.duplicate_executions > 0 => out.push(
            "Exactly-once still executed calls twice: the reply cache was lost in a crash, so \
             retries of calls executed just before it found no cached reply. Make the cache \
             durable (written with the balance, atomically)."
                .to_owned(),
        ),
        Semantics::ExactlyOnce if r.cached_replies > 0 => out.push(format!(
            "The reply cache answered {} retried requests without a second deposit: retries \
             plus deduplication give exactly-once execution while the cache survives.",
            count(r.cached_replies)
        )),
        _ if r.retries_sent == 0 && r.unknown == 0 => out.push(
            "Nothing was lost, so no call needed a retry: the semantics only differ when \
             messages are lost or the server crashes. Fork with 10 % loss."
                .to_owned(),
        ),
        _ => {}
    }
    out
}

/// The numbers in words.
#[component]
fn Explainer() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let lines = move || {
        lab.read(|s| {
            let semantics = scenario::labs::rpc::rpc_of(s.scenario())
                .map_or(Semantics::AtLeastOnce, |r| r.semantics);
            explain(semantics, &s.run().report())
        })
    };
    view! {
        <div class="panel explainer" aria-live="polite">
            <h2 class="panel-title">"What is happening"</h2>
            {move || lines().into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::labs::rpc::rpc_presets;

    fn report_of(preset: usize) -> (Semantics, RpcReport, Vec<RpcSample>) {
        let scenario = rpc_presets().swap_remove(preset).scenario;
        let mut run = RpcRun::new(&scenario).unwrap();
        run.run_to_end();
        let semantics = scenario::labs::rpc::rpc_of(&scenario).unwrap().semantics;
        (semantics, run.report(), run.samples().to_vec())
    }

    #[test]
    fn the_explainer_names_what_each_preset_shows() {
        let (s, r, _) = report_of(0);
        assert!(explain(s, &r)[0].contains("equals"), "{:?}", explain(s, &r));
        let (s, r, _) = report_of(1);
        let said = explain(s, &r).join(" ");
        assert!(
            said.contains("above") && said.contains("deposited again"),
            "{said}"
        );
        let (s, r, _) = report_of(2);
        let said = explain(s, &r).join(" ");
        assert!(said.contains("unknown outcome"), "{said}");
        let (s, r, _) = report_of(4);
        let said = explain(s, &r).join(" ");
        assert!(said.contains("cache was lost"), "{said}");
    }

    #[test]
    fn the_chart_ends_where_the_report_does() {
        let (_, r, samples) = report_of(1);
        let chart = deposits_chart(&samples, SimTime::from_secs(10));
        let last = |c: Curve| {
            chart
                .lines
                .iter()
                .find(|l| l.curve == c)
                .unwrap()
                .points
                .last()
                .unwrap()
                .1
        };
        assert_eq!(last(Curve::Balance), r.balance as f64);
        assert_eq!(last(Curve::Believed), r.completed as f64);
        assert!(chart.y_max >= r.balance as f64);
    }
}
