//! The space-time (Lamport) diagram of any lab's run, drawn as SVG from
//! [`crate::kit::spacetime::layout`]: lanes, arrows, drops with their reason, timers, crashes,
//! restarts and partitions. Clicking an event (or stepping with the Earlier/Later buttons) moves
//! the time cursor there and highlights its causal past and future, with its vector clock.
//!
//! Going back in time restores an earlier copy of the run, whose trace ends at that moment; the
//! diagram keeps showing the trace it had (a cheap copy: the log's chunks are shared), with the
//! events after the cursor faded, until the run has caught up or the scenario changed.

use super::LabContext;
use crate::kit::spacetime::{
    self, Axis, Diagram, DrawnEvent, Glyph, LANE_GAP, LEFT, RIGHT, WIDTH, clock_text,
};
use leptos::prelude::*;
use scenario::LabRun;
use sim::TraceLog;

/// What the panel shows about the chosen event.
#[derive(Clone, Debug, PartialEq)]
struct Chosen {
    title: String,
    clock: Option<String>,
    past: usize,
    future: usize,
}

fn last_seq(log: &TraceLog) -> Option<u64> {
    log.entries().next_back().map(|e| e.seq)
}

/// The trace to draw: the pinned one while it is ahead of the run, else the run's (copies are
/// cheap: the log's full chunks are shared).
fn shown(live: &TraceLog, pinned: Option<&TraceLog>) -> TraceLog {
    match pinned {
        Some(p) if last_seq(p) > last_seq(live) => p.clone(),
        _ => live.clone(),
    }
}

/// The space-time diagram panel.
#[component]
pub fn SpaceTime<R: LabRun + 'static>(
    /// The lab.
    lab: LabContext<R>,
) -> impl IntoView {
    let axis = RwSignal::new(Axis::Time);
    let chosen = RwSignal::new(None::<u64>);
    // The lanes the learner typed (empty: chosen for them) and what was wrong with them.
    let lane_text = RwSignal::new(String::new());
    let lane_problem = RwSignal::new(None::<String>);
    let pinned = StoredValue::new(None::<TraceLog>);

    // Acting or loading changes the future: forget the pinned trace and the choice.
    Effect::new(move |_| {
        lab.actions_version.track();
        lab.scenario_version.track();
        pinned.set_value(None);
        chosen.set(None);
    });

    let drawing = Memo::new(move |_| {
        let axis = axis.get();
        let chosen = chosen.get();
        lab.read(|s| {
            // The layout looks at a bounded window of the log (see `spacetime`), so its cost
            // does not grow with the node count: measured at 1,000 CRDT replicas, it is a few
            // ms of the frame; the run's own sampling is what costs there.
            let live = s.run().trace_log()?;
            let log = pinned.with_value(|p| shown(live, p.as_ref()));
            let neighbours = s
                .selected()
                .map(|n| s.run().topology().neighbours(n).to_vec())
                .unwrap_or_default();
            let letter = s.run().node_letter();
            let typed = spacetime::parse_lanes(&lane_text.get(), log.node_count(), letter);
            // Reported beside the field; the automatic lanes are drawn meanwhile.
            let problem = typed.as_ref().err().cloned();
            if lane_problem.get_untracked() != problem {
                lane_problem.set(problem);
            }
            let lanes = match typed {
                Ok(Some(lanes)) => lanes,
                _ => spacetime::choose_lanes(log.node_count(), s.selected(), &neighbours),
            };
            let mut diagram = spacetime::layout(&log, &lanes, axis, s.run().now(), chosen);
            diagram.letter = letter;
            for e in &mut diagram.events {
                e.title = spacetime::rename_nodes(&e.title, letter);
            }
            for a in &mut diagram.arrows {
                a.title = spacetime::rename_nodes(&a.title, letter);
            }
            let about = chosen.and_then(|c| {
                let e = diagram.events.iter().find(|e| e.seq == c)?;
                Some(Chosen {
                    title: e.title.clone(),
                    clock: clock_text(&log, c).map(|t| spacetime::rename_nodes(&t, letter)),
                    past: diagram
                        .events
                        .iter()
                        .filter(|e| e.relation == spacetime::Relation::Past)
                        .count(),
                    future: diagram
                        .events
                        .iter()
                        .filter(|e| e.relation == spacetime::Relation::Future)
                        .count(),
                })
            });
            let kept = format!(
                "{} events kept{}",
                crate::kit::format::count(log.len() as u64),
                if log.evicted() > 0 {
                    format!(
                        " ({} older ones dropped to bound memory)",
                        crate::kit::format::count(log.evicted())
                    )
                } else {
                    String::new()
                }
            );
            Some((diagram, about, kept, log.node_count()))
        })
    });

    // Choosing an event pins the trace shown now and moves the time cursor to the event.
    let choose = move |seq: u64, time: sim::SimTime| {
        lab.session.with_value(|s| {
            if let Some(live) = s.run().trace_log() {
                let log = pinned.with_value(|p| shown(live, p.as_ref()));
                pinned.set_value(Some(log));
            }
        });
        chosen.set(Some(seq));
        lab.update(|s| s.seek(time));
    };
    let step = move |later: bool| {
        let Some(Some((d, ..))) = drawing.try_get_untracked() else {
            return;
        };
        let now = lab.session.with_value(|s| s.run().now());
        let at = match chosen.get_untracked() {
            Some(c) => d.events.iter().position(|e| e.seq == c),
            None => d.events.iter().rposition(|e| e.time <= now),
        };
        let next = match (at, later) {
            (Some(i), true) if chosen.get_untracked().is_some() => d.events.get(i + 1),
            (Some(i), false) if chosen.get_untracked().is_some() => {
                i.checked_sub(1).and_then(|j| d.events.get(j))
            }
            (Some(i), _) => d.events.get(i),
            (None, _) => d.events.first(),
        };
        if let Some(e) = next {
            choose(e.seq, e.time);
        }
    };

    view! {
        <figure class="panel spacetime" aria-labelledby="spacetime-title">
            <h2 class="panel-title" id="spacetime-title">"Space-time diagram"</h2>
            <div class="spacetime-controls">
                <fieldset class="spacetime-axis">
                    <legend>"Place events by"</legend>
                    <label class="check">
                        <input
                            type="radio"
                            name="spacetime-axis"
                            prop:checked=move || axis.get() == Axis::Time
                            on:change=move |_| axis.set(Axis::Time)
                        />
                        "simulated time"
                    </label>
                    <label class="check">
                        <input
                            type="radio"
                            name="spacetime-axis"
                            prop:checked=move || axis.get() == Axis::Lamport
                            on:change=move |_| axis.set(Axis::Lamport)
                        />
                        "Lamport time"
                    </label>
                </fieldset>
                <div class="field spacetime-lanes">
                    <label for="spacetime-lanes">"Lanes (nodes)"</label>
                    <input
                        id="spacetime-lanes"
                        type="text"
                        inputmode="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="automatic"
                        aria-describedby="spacetime-lanes-help"
                        aria-invalid=move || lane_problem.get().is_some().to_string()
                        prop:value=move || lane_text.get()
                        on:change=move |ev| lane_text.set(event_target_value(&ev))
                    />
                    <p class=move || if lane_problem.get().is_some() { "field-error" } else { "hint" } id="spacetime-lanes-help">
                        {move || lane_problem.get().unwrap_or_else(|| {
                            let l = lab.session.with_value(|s| s.run().node_letter());
                            format!("Up to {} nodes, like {l}0, {l}3 or 2-7; empty: chosen for you.", spacetime::MAX_LANES)
                        })}
                    </p>
                </div>
                <div class="button-row" role="group" aria-label="Choose an event">
                    <button type="button" on:click=move |_| step(false)>"◀ Earlier event"</button>
                    <button type="button" on:click=move |_| step(true)>"Later event ▶"</button>
                    <button
                        type="button"
                        class="button-quiet"
                        disabled=move || chosen.get().is_none()
                        on:click=move |_| {
                            chosen.set(None);
                            pinned.set_value(None);
                        }
                    >
                        "Clear"
                    </button>
                </div>
            </div>
            // Focusable, so the diagram scrolls from the keyboard when it is wider than the page.
            <div class="spacetime-scroll" tabindex="0" role="region" aria-label="Space-time diagram, scrollable">
                {move || match drawing.get() {
                    Some((d, ..)) => draw(d, choose).into_any(),
                    None => view! {
                        <p class="hint">"This run keeps no trace log."</p>
                    }
                    .into_any(),
                }}
            </div>
            <figcaption>
                <ul class="lab-legend spacetime-legend" aria-label="Legend">
                    <li><span class="st-key" aria-hidden="true">"●"</span>"send"</li>
                    <li><span class="st-key" aria-hidden="true">"◉"</span>"delivery"</li>
                    <li><span class="st-key st-key-drop" aria-hidden="true">"✕"</span>"dropped (reason beside it), dashed arrow"</li>
                    <li><span class="st-key" aria-hidden="true">"□"</span>"timer"</li>
                    <li><span class="st-key" aria-hidden="true">"◆"</span>"input"</li>
                    <li><span class="st-key st-key-crash" aria-hidden="true">"▮"</span>"crash"</li>
                    <li><span class="st-key" aria-hidden="true">"▶"</span>"restart"</li>
                    <li><span class="mark mark-group" aria-hidden="true"></span>"shaded: partitioned"</li>
                </ul>
                <p class="hint">
                    {move || match drawing.get() {
                        Some((d, _, kept, nodes)) => format!(
                            "Lanes: {}{}. {kept}; the latest {} on these lanes are drawn. \
                             Hover an event or arrow for the message; click one to move the time \
                             cursor there and see its causal past (ringed) and future (dashed ring).",
                            d.lanes.iter().map(|l| d.lane_name(l)).collect::<Vec<_>>().join(" "),
                            if nodes as usize > spacetime::MAX_LANES {
                                " (type others above, or select a node to see it and its neighbours)"
                            } else {
                                ""
                            },
                            d.events.len(),
                        ),
                        None => String::new(),
                    }}
                </p>
                <div class="spacetime-chosen" role="status" aria-live="polite">
                    {move || match drawing.get().and_then(|(_, about, ..)| about) {
                        Some(c) => view! {
                            <p>
                                <strong>"Chosen: "</strong>
                                {c.title}
                            </p>
                            <p>
                                "Vector clock: "
                                <code class="spacetime-clock">{c.clock.unwrap_or_else(|| "none (a fault, or too many nodes)".into())}</code>
                            </p>
                            <p>
                                {format!(
                                    "{} drawn events happen before it (ringed), {} after it (dashed ring); \
                                     the faded rest are concurrent with it.",
                                    c.past, c.future
                                )}
                            </p>
                        }
                        .into_any(),
                        None => view! {
                            <p class="hint">"No event chosen."</p>
                        }
                        .into_any(),
                    }}
                </div>
            </figcaption>
        </figure>
    }
}

/// The SVG of one layout; `choose` is called with an event's trace number and time.
fn draw(d: Diagram, choose: impl Fn(u64, sim::SimTime) + Copy + 'static) -> impl IntoView {
    let height = d.height;
    let lanes = d
        .lanes
        .iter()
        .map(|l| {
            view! {
                <g class="st-lane">
                    <text class="st-lane-label" x="4" y=l.y + 4.0>{d.lane_name(l)}</text>
                    <line x1=LEFT y1=l.y x2=WIDTH - RIGHT y2=l.y />
                </g>
            }
        })
        .collect_view();
    let band_top = spacetime::TOP - LANE_GAP / 2.0;
    let band_height = height - spacetime::BOTTOM - band_top + LANE_GAP / 2.0 - 8.0;
    let bands = d
        .bands
        .iter()
        .map(|b| {
            view! {
                <rect
                    class="st-band"
                    x=b.x1
                    y=band_top
                    width=(b.x2 - b.x1).max(2.0)
                    height=band_height
                >
                    <title>{b.title.clone()}</title>
                </rect>
            }
        })
        .collect_view();
    let arrows = d
        .arrows
        .iter()
        .map(|a| {
            let class = format!(
                "st-arrow rel-{}{}",
                a.relation.word(),
                if a.dropped { " st-arrow-dropped" } else { "" }
            );
            view! {
                <line class=class x1=a.x1 y1=a.y1 x2=a.x2 y2=a.y2 marker-end="url(#st-head)">
                    <title>{a.title.clone()}</title>
                </line>
            }
        })
        .collect_view();
    let events = d
        .events
        .into_iter()
        .map(|e| event_view(e, choose))
        .collect_view();
    let cursor = d.cursor_x.map(|x| {
        view! {
            <line class="st-cursor" x1=x y1="2" x2=x y2=height - spacetime::BOTTOM + 6.0>
                <title>"time cursor"</title>
            </line>
        }
    });
    let axis_y = height - 6.0;
    view! {
        <svg
            class="spacetime-svg"
            viewBox=format!("0 0 {WIDTH} {height}")
            role="group"
            aria-label="Space-time diagram: one lane per node, arrows from send to delivery"
        >
            <defs>
                <marker
                    id="st-head"
                    viewBox="0 0 6 6"
                    refX="6"
                    refY="3"
                    markerWidth="6"
                    markerHeight="6"
                    orient="auto-start-reverse"
                >
                    <path class="st-head" d="M0,0 L6,3 L0,6 z" />
                </marker>
            </defs>
            {bands}
            {lanes}
            {arrows}
            {events}
            {cursor}
            <text class="st-axis" x=LEFT y=axis_y>{d.axis_from}</text>
            <text class="st-axis" x=WIDTH - RIGHT y=axis_y text-anchor="end">{d.axis_to}</text>
        </svg>
    }
}

/// One event's glyph, with its title and click.
fn event_view(e: DrawnEvent, choose: impl Fn(u64, sim::SimTime) + Copy + 'static) -> impl IntoView {
    let (x, y) = (e.x, e.y);
    let class = format!(
        "st-event st-{} rel-{}{}",
        glyph_word(e.glyph),
        e.relation.word(),
        if e.after_cursor { " st-after" } else { "" }
    );
    let shape = match e.glyph {
        Glyph::Send => view! { <circle cx=x cy=y r="3.5" /> }.into_any(),
        Glyph::Deliver => view! {
            <g>
                <circle cx=x cy=y r="4.5" class="st-ring" />
                <circle cx=x cy=y r="2" />
            </g>
        }
        .into_any(),
        Glyph::Start => view! { <circle cx=x cy=y r="3.5" class="st-ring" /> }.into_any(),
        Glyph::Drop => view! {
            <g>
                <path class="st-cross" d=format!("M{} {}L{} {}M{} {}L{} {}", x - 4.0, y - 4.0, x + 4.0, y + 4.0, x - 4.0, y + 4.0, x + 4.0, y - 4.0) />
                <text class="st-reason" x=x + 5.0 y=y - 5.0>{e.reason.unwrap_or("dropped")}</text>
            </g>
        }
        .into_any(),
        Glyph::Timer => view! { <rect x=x - 3.0 y=y - 3.0 width="6" height="6" class="st-ring" /> }.into_any(),
        Glyph::Input => view! {
            <path d=format!("M{} {}L{} {}L{} {}L{} {}z", x, y - 5.0, x + 5.0, y, x, y + 5.0, x - 5.0, y) />
        }
        .into_any(),
        Glyph::Crash => view! { <rect class="st-crash" x=x - 2.0 y=y - 9.0 width="4" height="18" /> }.into_any(),
        Glyph::Restart => view! {
            <path d=format!("M{} {}L{} {}L{} {}z", x - 3.0, y - 6.0, x + 5.0, y, x - 3.0, y + 6.0) />
        }
        .into_any(),
        Glyph::Note | Glyph::Duplicate => view! { <circle cx=x cy=y r="2" /> }.into_any(),
    };
    let (seq, time) = (e.seq, e.time);
    view! {
        <g class=class data-seq=seq.to_string() on:click=move |_| choose(seq, time)>
            <title>{e.title}</title>
            // A wider, invisible target so small glyphs are easy to hit.
            <circle class="st-hit" cx=x cy=y r="8" />
            {shape}
            <circle class="st-halo" cx=x cy=y r="7.5" />
        </g>
    }
}

fn glyph_word(g: Glyph) -> &'static str {
    match g {
        Glyph::Start => "start",
        Glyph::Send => "send",
        Glyph::Deliver => "deliver",
        Glyph::Drop => "drop",
        Glyph::Timer => "timer",
        Glyph::Input => "input",
        Glyph::Crash => "crash",
        Glyph::Restart => "restart",
        Glyph::Note => "note",
        Glyph::Duplicate => "duplicate",
    }
}
