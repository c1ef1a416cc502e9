//! The one page shell of a lab run: the editor beside the live view, the transport above it,
//! the fork's view beside it while comparing, the lab's panels under it, its measurements at
//! the side, and the shortcuts dialog. A lab fills the slots; the shell owns the canvas, its
//! painter, the animation loop, the keyboard and selecting a node by clicking it.

use crate::kit::canvas::{self, Painter};
use crate::kit::ui::transport::{ShortcutsDialog, Transport};
use crate::kit::ui::{LabContext, compare, install_shortcuts, panels, start_animation_loop};
use leptos::html;
use leptos::prelude::*;
use scenario::LabRun;
use sim::NodeId;

/// A lab run's page: what every lab run shows, around the lab's own slots.
#[component]
pub fn RunShell<R: LabRun + 'static>(
    /// The lab (its context is provided by the page, so the slots' components find it).
    lab: LabContext<R>,
    /// Why a share link could not be opened, if it could not.
    broken: Option<String>,
    /// A class of the page's root besides `lab`, for the lab's own styles.
    #[prop(optional)]
    class: &'static str,
    /// What the live view shows, for its label ("the calls").
    what: &'static str,
    /// One sentence on the view's state now: part of its label and its text fallback.
    #[prop(into)]
    census: Signal<String>,
    /// The line under the view.
    #[prop(into)]
    caption: Signal<String>,
    /// The key to the view's marks.
    legend: AnyView,
    /// The scenario editor.
    editor: AnyView,
    /// The panels under the view (acting, plots); the fork panel and the space-time diagram
    /// follow them.
    stage: AnyView,
    /// The panels at the side (measurements, explainer); energy and Share follow them.
    side: AnyView,
    /// Called after each animation frame with its timestamp (redraw plots when due).
    on_frame: Box<dyn FnMut(f64)>,
) -> impl IntoView {
    let broken = RwSignal::new(broken);
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let painter = StoredValue::new_local(Painter::default());
    let help_ref = NodeRef::<html::Dialog>::new();
    start_animation_loop(lab, canvas_ref, painter, on_frame);
    install_shortcuts(lab, help_ref);
    let on_canvas_click = move |ev: leptos::ev::MouseEvent| {
        let hit = painter.with_value(|p| {
            p.geometry()
                .and_then(|g| canvas::node_at(g, ev.offset_x() as f64, ev.offset_y() as f64))
        });
        lab.update(|s| s.select(hit.map(NodeId)));
    };
    let root_class = if class.is_empty() {
        "lab".to_owned()
    } else {
        format!("lab {class}")
    };
    view! {
        <panels::BrokenLinkAlert broken=broken />
        <div class=root_class>
            <section class="lab-controls" aria-label="Scenario">{editor}</section>
            <section class="lab-stage" aria-label="Live view">
                <Transport lab=lab help=help_ref />
                <div class="compare-views" class:comparing=move || lab.read(|s| s.comparison().is_some())>
                    <figure class="lab-figure">
                        <compare::OriginalLabel lab=lab />
                        <canvas
                            class="lab-canvas"
                            node_ref=canvas_ref
                            role="img"
                            aria-label=move || format!("Live view of {what}. {}", census.get())
                            on:click=on_canvas_click
                        >
                            {move || census.get()}
                        </canvas>
                        <figcaption>
                            <span class="lab-caption">{caption}</span>
                            {legend}
                        </figcaption>
                    </figure>
                    <compare::ForkFigure lab=lab />
                </div>
                {stage}
                <compare::ForkPanel lab=lab />
                <crate::kit::ui::spacetime::SpaceTime lab=lab />
            </section>
            <section class="lab-side" aria-label="Measurements">
                {side}
                <crate::kit::ui::energy::EnergyPanel lab=lab />
                <panels::SharePanel lab=lab />
            </section>
        </div>
        <ShortcutsDialog dialog=help_ref />
    }
}
