//! The lab's components: a thin reactive shell over [`Session`]. The session lives in a
//! [`StoredValue`]; every animation frame advances it, paints the canvas and bumps the
//! `version` signal that the text around the canvas reads.

pub mod compare;
pub mod energy;
pub mod panels;
pub mod plot_files;
pub mod shell;
pub mod spacetime;
pub mod transport;

use crate::kit::canvas;
use crate::kit::format;
use crate::kit::session::{Mode, Session};
use crate::kit::share::{self, Opening};
use leptos::html;
use leptos::prelude::*;
use scenario::LabRun;
use scenario::Scenario;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

/// Everything a lab's components share. `Copy`: handles into the reactive arena. Generic over
/// the lab's run.
pub struct LabContext<R: LabRun + 'static> {
    /// The live session.
    pub session: StoredValue<Session<R>, LocalStorage>,
    /// Bumped whenever the session changed in a way the text around the canvas may show.
    pub version: RwSignal<u64>,
    /// Bumped when the scenario was replaced (preset, Apply, share link), for the editor.
    pub scenario_version: RwSignal<u64>,
    /// Bumped when an action was recorded live, for the editor's action list.
    pub actions_version: RwSignal<u64>,
    /// The last thing an action button said (success or why not), for a polite live region.
    pub status: RwSignal<String>,
    /// Set when the canvas must be repainted although the run did not move.
    pub dirty: StoredValue<bool>,
    /// The canvas of a fork's view while comparing (painted by the animation loop).
    pub fork_canvas: NodeRef<html::Canvas>,
}

impl<R: LabRun + 'static> Clone for LabContext<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: LabRun + 'static> Copy for LabContext<R> {}

impl<R: LabRun + 'static> LabContext<R> {
    /// A context around a new session.
    pub fn new(session: Session<R>) -> Self {
        LabContext {
            session: StoredValue::new_local(session),
            version: RwSignal::new(0),
            scenario_version: RwSignal::new(0),
            actions_version: RwSignal::new(0),
            status: RwSignal::new(String::new()),
            dirty: StoredValue::new(true),
            fork_canvas: NodeRef::new(),
        }
    }

    /// Reads the session (tracking `version`, so the caller re-runs on every change).
    pub fn read<T>(&self, f: impl FnOnce(&Session<R>) -> T) -> T {
        self.version.track();
        self.session.with_value(f)
    }

    /// Changes the session, then marks everything for an update. `None` once the page is gone.
    pub fn change<T>(&self, f: impl FnOnce(&mut Session<R>) -> T) -> Option<T> {
        // Whatever was recorded on the original is repeated on a fork being compared.
        let out = self.session.try_update_value(|s| {
            let out = f(s);
            (out, s.mirror_actions())
        });
        self.touch();
        out.map(|(out, mirrored)| {
            if let Err(e) = mirrored {
                self.status.set(e);
            }
            out
        })
    }

    /// Changes the session for a control (the result, if any, is not needed).
    pub fn update(&self, f: impl FnOnce(&mut Session<R>)) {
        self.change(f);
    }

    /// Marks the canvas and the text for an update.
    pub fn touch(&self) {
        self.dirty.try_set_value(true);
        self.version.try_update(|v| *v += 1);
    }

    /// Replaces the scenario; on success the editor follows.
    pub fn load(&self, scenario: &Scenario) -> Result<(), scenario::scenario::ScenarioError> {
        let result = self.change(|s| s.load(scenario)).unwrap_or(Ok(()));
        if result.is_ok() {
            self.scenario_version.update(|v| *v += 1);
        }
        result
    }

    /// Runs an action button's effect and shows what it said.
    pub fn act(&self, f: impl FnOnce(&mut Session<R>) -> Result<String, String>) {
        let said = match self.change(f) {
            Some(Ok(text)) => {
                self.actions_version.update(|v| *v += 1);
                text
            }
            Some(Err(text)) => text,
            None => return,
        };
        self.status.set(said);
    }
}

/// The redraw rule both plot schedules share: due when `key` (what is drawn: data, size,
/// theme) changed, and at most four times a second while playing (plotters redraws
/// everything).
pub struct RedrawGate<K> {
    last_key: Option<K>,
    last_ms: f64,
}

impl<K> Default for RedrawGate<K> {
    fn default() -> Self {
        RedrawGate {
            last_key: None,
            last_ms: 0.0,
        }
    }
}

impl<K: PartialEq> RedrawGate<K> {
    /// Whether to redraw now; if so, remembers `key` and the time.
    pub fn due(&mut self, key: K, playing: bool, now_ms: f64) -> bool {
        if self.last_key.as_ref() == Some(&key) || (playing && now_ms - self.last_ms < 250.0) {
            return false;
        }
        self.last_key = Some(key);
        self.last_ms = now_ms;
        true
    }
}

/// When to redraw a lab's one-axis line charts (the network lab's two-axis plot has its own
/// `PlotSchedule` below): when the data, the canvas width or the theme changed,
/// and at most four times a second while playing.
#[derive(Default)]
pub struct LineChartSchedule {
    gate: RedrawGate<(usize, u64, i32, crate::kit::palette::Theme)>,
}

impl LineChartSchedule {
    /// Draws `charts` of the run onto `refs` if due. `data_key` names the data drawn (how many
    /// samples, the last one's time in ns): nothing is redrawn while it, the end of the run, the
    /// width and the theme stay the same.
    pub fn paint_if_due<R: LabRun + 'static, C: Copy, const N: usize>(
        &mut self,
        refs: [NodeRef<html::Canvas>; N],
        lab: LabContext<R>,
        now_ms: f64,
        data_key: impl Fn(&R) -> (usize, u64),
        charts: impl Fn(&R) -> [crate::kit::plot_data::LineChart<C>; N],
        colour_of: impl Fn(C, &crate::kit::palette::Palette) -> (crate::kit::palette::Rgb, f64) + Copy,
    ) {
        let Some(first) = refs.first().and_then(|r| r.get_untracked()) else {
            return;
        };
        let theme = canvas::current_theme();
        let Some((key, playing)) = lab.session.try_with_value(|s| {
            let (samples, last_ns) = data_key(s.run());
            (
                (
                    samples,
                    last_ns ^ s.run().end().0,
                    first.client_width(),
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
        let charts = lab.session.with_value(|s| charts(s.run()));
        for (r, chart) in refs.iter().zip(&charts) {
            if let Some(canvas) = r.get_untracked() {
                crate::kit::plot::draw_lines(&canvas, chart, theme, colour_of);
            }
        }
    }
}

/// What a lab starts with: the scenario (the link's, else `default`), the moment to pause at,
/// and any broken-link message.
pub fn opening<R: LabRun>(
    shared: Option<&str>,
    default: fn() -> Scenario,
) -> (Session<R>, Option<sim::SimTime>, Option<String>) {
    let default = || {
        Session::new(&default())
            .unwrap_or_else(|e| unreachable!("the default scenario is valid: {e}"))
    };
    match shared.map(share::open) {
        None => (default(), None, None),
        Some(Opening::Link(link)) => match Session::new(&link.scenario) {
            Ok(session) => (session, link.at, None),
            Err(e) => (default(), None, Some(e.to_string())),
        },
        Some(Opening::Broken { reason, .. }) => (default(), None, Some(reason)),
    }
}

/// Advances and paints the session on every animation frame while the page shows the lab;
/// `after_paint` draws whatever else the lab shows per frame (its plots), given the frame's
/// timestamp.
pub fn start_animation_loop<
    R: LabRun + 'static,
    P: canvas::PaintsSession<R> + Default + 'static,
>(
    lab: LabContext<R>,
    canvas_ref: NodeRef<html::Canvas>,
    painter: StoredValue<P, LocalStorage>,
    mut after_paint: impl FnMut(f64) + 'static,
) {
    type FrameClosure = Closure<dyn FnMut(f64)>;
    let slot: Rc<RefCell<Option<FrameClosure>>> = Rc::new(RefCell::new(None));
    let next = Rc::clone(&slot);
    let performance = web_sys::window().and_then(|w| w.performance());
    let mut last_paint_key: Option<(i32, i32, i32, crate::kit::palette::Theme)> = None;
    // The fork's view is drawn like the original's, by a painter of its own (painters keep
    // per-canvas geometry).
    let fork_painter = StoredValue::new_local(P::default());
    let mut last_text_ms = f64::NEG_INFINITY;
    let frame = Closure::new(move |timestamp: f64| {
        let now = || performance.as_ref().map_or(timestamp, |p| p.now());
        let Some(report) = lab.session.try_update_value(|s| s.frame(timestamp, now)) else {
            // The page is gone: drop the closure and stop.
            let _ = next.borrow_mut().take();
            return;
        };
        if let Some(canvas) = canvas_ref.get_untracked() {
            let theme = canvas::current_theme();
            let fork_canvas = lab.fork_canvas.get_untracked();
            let key = (
                canvas.client_width(),
                canvas.client_height(),
                fork_canvas.as_ref().map_or(0, |c| c.client_width()),
                theme,
            );
            let dirty = lab.dirty.try_get_value().unwrap_or(false);
            if report.changed || dirty || last_paint_key != Some(key) {
                last_paint_key = Some(key);
                lab.dirty.set_value(false);
                painter.update_value(|p| {
                    lab.session.with_value(|s| {
                        p.paint_session(&canvas, s, theme);
                    })
                });
                // The fork's view, beside the original's while comparing.
                if let Some(fork_canvas) = fork_canvas {
                    fork_painter.update_value(|p| {
                        lab.session.with_value(|s| {
                            if let Some(c) = s.comparison() {
                                p.paint_session(&fork_canvas, c.fork(), theme);
                            }
                        })
                    });
                }
            }
        }
        after_paint(timestamp);
        // The text around the view follows at most ten times a second while playing (nobody
        // reads faster, and big runs spend the time better simulating), at once otherwise.
        let playing = lab.session.try_with_value(|s| s.mode()) == Some(Mode::Playing);
        if report.changed && (!playing || timestamp - last_text_ms >= 100.0) {
            last_text_ms = timestamp;
            // In a task of its own, after this frame's simulation and painting: the text of a
            // big run takes a while to rebuild, and two shorter tasks keep the page answering.
            let version = lab.version;
            let update = Closure::once_into_js(move || {
                // The page may be gone by then: its signal with it.
                let _ = version.try_update(|v| *v += 1);
            });
            let queued = web_sys::window().is_some_and(|window| {
                window
                    .set_timeout_with_callback(update.unchecked_ref())
                    .is_ok()
            });
            if !queued {
                version.update(|v| *v += 1);
            }
        }
        if let Some(window) = web_sys::window()
            && let Some(f) = next.borrow().as_ref()
        {
            let _ = window.request_animation_frame(f.as_ref().unchecked_ref());
        }
    });
    *slot.borrow_mut() = Some(frame);
    if let Some(window) = web_sys::window()
        && let Some(f) = slot.borrow().as_ref()
    {
        let _ = window.request_animation_frame(f.as_ref().unchecked_ref());
    }
}

/// Space: play/pause; `.`: step; `,`: step back; `r`: reset; `e`: run to the end; `?`: the
/// shortcuts dialog. Ignored while typing in a field or with a modifier held.
pub fn install_shortcuts<R: LabRun + 'static>(lab: LabContext<R>, help: NodeRef<html::Dialog>) {
    install_transport_keys(move |key| match key {
        TransportKey::PlayPause => lab.update(|s| s.toggle_play()),
        TransportKey::Step => lab.update(|s| {
            s.step_moment();
        }),
        TransportKey::StepBack => lab.update(|s| {
            s.step_back_moment();
        }),
        TransportKey::Reset => lab.update(|s| s.reset()),
        TransportKey::RunToEnd => lab.update(|s| s.run_to_end()),
        TransportKey::Help => show_dialog(help),
    });
}

/// Opens a modal dialog, if it is on the page.
pub fn show_dialog(dialog: NodeRef<html::Dialog>) {
    if let Some(dialog) = dialog.get_untracked() {
        let _ = dialog.show_modal();
    }
}

/// A transport key the learner pressed (see [`install_transport_keys`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKey {
    /// Space.
    PlayPause,
    /// `.`
    Step,
    /// `,`
    StepBack,
    /// `r`
    Reset,
    /// `e` (End stays the browser's: scroll to the bottom).
    RunToEnd,
    /// `?`
    Help,
}

impl TransportKey {
    /// The transport key `key` (a `KeyboardEvent.key`) stands for.
    pub fn from_key(key: &str) -> Option<TransportKey> {
        Some(match key {
            " " => TransportKey::PlayPause,
            "." => TransportKey::Step,
            "," => TransportKey::StepBack,
            "r" | "R" => TransportKey::Reset,
            "e" | "E" => TransportKey::RunToEnd,
            "?" => TransportKey::Help,
            _ => return None,
        })
    }
}

/// Calls `on_key` for the transport keys pressed on the page while it is mounted, except those
/// typed into a field or a menu, pressed inside a dialog, or Space on a focused button or link.
pub fn install_transport_keys(on_key: impl Fn(TransportKey) + 'static) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
            return;
        }
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok());
        let tag = target
            .as_ref()
            .map(|e| e.tag_name().to_ascii_lowercase())
            .unwrap_or_default();
        // Keys typed into a field or a menu belong to it; so does anything inside a dialog.
        let typing = matches!(tag.as_str(), "input" | "select" | "textarea")
            || target.as_ref().is_some_and(|e| {
                e.is_content_editable() || e.closest("dialog").ok().flatten().is_some()
            });
        // Space activates a focused button or link: leave it to the browser there.
        let activates = matches!(tag.as_str(), "button" | "a" | "summary");
        if typing || (activates && ev.key() == " ") {
            return;
        }
        if let Some(key) = TransportKey::from_key(&ev.key()) {
            if key == TransportKey::PlayPause {
                // Space would scroll the page.
                ev.prevent_default();
            }
            on_key(key);
        }
    });
    on_cleanup(move || handle.remove());
}

/// A stable word for the transport's state, for `data-mode`.
pub fn mode_word(mode: Mode, finished: bool) -> &'static str {
    if finished && mode == Mode::Paused {
        "finished"
    } else {
        mode.word()
    }
}

/// Formats `now / end` for the clock.
pub fn clock_text<R: LabRun>(session: &Session<R>) -> String {
    format!(
        "{} / {}",
        format::time_ns(session.run().now().0),
        format::time_ns(session.run().end().0)
    )
}
