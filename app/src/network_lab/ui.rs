//! The network & broadcast lab's page body: the editor, the live view of the network, the act
//! panel, the fork, the plot, the space-time diagram, measurements, inspector, explainer,
//! energy and Share, around one [`Session`] of a [`BroadcastRun`].

use crate::kit::canvas::{self, Painter};
use crate::kit::scene;
use crate::kit::session::{Mode, Session};
use crate::kit::ui::{
    LabContext, RedrawGate, compare, energy, install_shortcuts, opening, panels as kit_panels,
    spacetime, start_animation_loop, transport,
};
use crate::network_lab::{editor, inspector, panels};
use leptos::html;
use leptos::prelude::*;
use scenario::{BroadcastRun, LabRun};
use sim::NodeId;

use super::NetworkContext as Lab;

/// The whole lab: controls, the live view, plots, inspector, explainer and share.
#[component]
pub fn NetworkLab(
    /// A share-link fragment to open.
    shared: Option<String>,
) -> impl IntoView {
    let (mut session, seek_to, broken) =
        opening::<BroadcastRun>(shared.as_deref(), scenario::default_scenario);
    if let Some(at) = seek_to {
        session.seek(at);
    }
    let lab = LabContext::new(session);
    provide_context(lab);
    let broken = RwSignal::new(broken);
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let plot_ref = NodeRef::<html::Canvas>::new();
    let painter = StoredValue::new_local(Painter::default());
    let help_ref = NodeRef::<html::Dialog>::new();

    let mut plot = PlotSchedule::default();
    start_animation_loop(lab, canvas_ref, painter, move |timestamp| {
        if let Some(canvas) = plot_ref.get_untracked() {
            plot.paint_if_due(&canvas, lab, timestamp);
        }
    });
    install_shortcuts(lab, help_ref);

    let on_canvas_click = move |ev: leptos::ev::MouseEvent| {
        let hit = painter.with_value(|p| {
            p.geometry()
                .and_then(|g| canvas::node_at(g, ev.offset_x() as f64, ev.offset_y() as f64))
        });
        lab.update(|s| s.select(hit.map(NodeId)));
    };

    // One count of node states per update, shared by the label, the text and the fallback.
    let census = Memo::new(move |_| {
        lab.read(|s| {
            let looks = s.run().node_looks();
            scene::census(&looks).sentence(s.run().latest_update())
        })
    });
    let canvas_label = move || census.get();
    let caption = move || {
        lab.read(|s| {
            let sim = s.run().sim();
            let in_flight = sim.pending().messages_in_flight;
            let nodes = sim.node_count();
            scene::caption(
                nodes,
                sim.topology().link_count(),
                in_flight,
                scene::detail(nodes, in_flight),
            )
        })
    };

    view! {
        <kit_panels::BrokenLinkAlert broken=broken />
        <div class="lab">
            <section class="lab-controls" aria-label="Scenario">
                <editor::Editor />
            </section>
            <section class="lab-stage" aria-label="Live view">
                <transport::Transport lab=lab help=help_ref />
                <div class="compare-views" class:comparing=move || lab.read(|s| s.comparison().is_some())>
                <figure class="lab-figure">
                    <compare::OriginalLabel lab=lab />
                    <canvas
                        class="lab-canvas"
                        node_ref=canvas_ref
                        role="img"
                        aria-label=move || format!("Live view of the network. {}", canvas_label())
                        on:click=on_canvas_click
                    >
                        {canvas_label}
                    </canvas>
                    <figcaption>
                        <span class="lab-caption">{caption}</span>
                        <Legend />
                    </figcaption>
                    <p class="visually-hidden" id="lab-census">{canvas_label}</p>
                </figure>
                <compare::ForkFigure lab=lab />
                </div>
                <panels::Actions />
                <compare::ForkPanel lab=lab />
                <panels::Plot canvas=plot_ref />
                <spacetime::SpaceTime lab=lab />
            </section>
            <section class="lab-side" aria-label="Measurements">
                <panels::Summary />
                <inspector::Inspector />
                <panels::Explainer />
                <energy::EnergyPanel lab=lab />
                <kit_panels::SharePanel lab=lab />
            </section>
        </div>
        <transport::ShortcutsDialog dialog=help_ref />
    }
}

/// The key to the node marks.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <ul class="lab-legend" aria-label="Legend">
            <li><span class="mark mark-latest" aria-hidden="true"></span>"knows the latest update"</li>
            <li><span class="mark mark-older" aria-hidden="true"></span>"knows an older one"</li>
            <li><span class="mark mark-unaware" aria-hidden="true"></span>"knows none (hollow)"</li>
            <li><span class="mark mark-crashed" aria-hidden="true">"✕"</span>"crashed"</li>
            <li><span class="mark mark-message" aria-hidden="true"></span>"message in flight"</li>
            <li><span class="mark mark-group" aria-hidden="true"></span>"shaded: partition group"</li>
        </ul>
    }
}

/// When to redraw the plot: when its data, size or theme changed, at most four times a second
/// while playing (plotters redraws everything), at once otherwise.
#[derive(Default)]
struct PlotSchedule {
    gate: RedrawGate<PlotKey>,
}

type PlotKey = (usize, u64, u64, i32, i32, crate::kit::palette::Theme);

impl PlotSchedule {
    fn paint_if_due(&mut self, canvas: &web_sys::HtmlCanvasElement, lab: Lab, now_ms: f64) {
        let theme = canvas::current_theme();
        let Some((key, playing)) = lab.session.try_with_value(|s| {
            let samples = s.run().samples();
            let last = samples.last();
            (
                (
                    samples.len(),
                    last.map_or(0, |l| l.time.0),
                    s.run().end().0 ^ last.map_or(0, |l| l.messages_sent),
                    canvas.client_width(),
                    canvas.client_height(),
                    theme,
                ),
                s.mode() != Mode::Paused,
            )
        }) else {
            return;
        };
        if !self.gate.due(key, playing, now_ms) {
            return;
        }
        let data = lab
            .session
            .with_value(|s| crate::kit::plot_data::plot_data(s.run().samples(), s.run().end()));
        crate::kit::plot::draw(canvas, &data, theme);
    }
}

impl Session<BroadcastRun> {
    /// The selected node broadcasts a new update now; says what happened.
    pub fn broadcast_from_selected(&mut self) -> Result<String, String> {
        let node = self.need_selection()?;
        let update = self
            .run_mut()
            .broadcast_now(node)
            .map_err(|e| e.to_string())?;
        Ok(format!(
            "{node} broadcasts update u{update} at {}.",
            crate::kit::format::time_ns(self.run().now().0)
        ))
    }
}
