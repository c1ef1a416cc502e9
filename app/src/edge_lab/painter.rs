//! The edge lab's live view: the continuum drawn by tier (devices as dots coloured by their
//! application, edge servers as squares, fog nodes as diamonds, the cloud as a large rounded
//! square), each server with a load bar (busy cores, then its queue), and tasks and results on
//! the wire as moving dots. Shapes and the bar carry the meaning, so colour is never the only
//! signal.

use crate::kit::canvas::{Painter, PaintsSession, context};
use crate::kit::layout::Point;
use crate::kit::palette::{Palette, Theme};
use crate::kit::scene;
use crate::kit::session::Session;
use edge::Tier;
use scenario::EdgeRun;
use sim::NodeId;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Most device-to-base-station lines drawn (beyond, devices are drawn without them).
const MAX_DEVICE_LINES: usize = 5_000;
/// Most tasks in flight drawn one by one.
const MAX_DRAWN_TASKS: usize = 20_000;

/// Node centres in backing-store pixels, for hit testing clicks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeGeometry {
    key: (u32, u32, u64),
    /// Node centres by id.
    pub points: Vec<Point>,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
}

/// Draws an edge session.
#[derive(Default)]
pub struct EdgePainter {
    geometry: Option<EdgeGeometry>,
    tiers: Vec<Tier>,
}

impl EdgePainter {
    /// The geometry of the last frame.
    pub fn geometry(&self) -> Option<&EdgeGeometry> {
        self.geometry.as_ref()
    }

    /// The node under a click at CSS pixel `(x, y)`, if any (servers win over devices).
    pub fn node_at(&self, x_css: f64, y_css: f64) -> Option<NodeId> {
        let g = self.geometry.as_ref()?;
        let (x, y) = (x_css * g.dpr, y_css * g.dpr);
        let reach = 12.0 * g.dpr;
        let servers: Vec<Point> = g
            .points
            .iter()
            .zip(&self.tiers)
            .map(|(&p, &t)| {
                if t == Tier::Device {
                    (f64::NAN, f64::NAN)
                } else {
                    p
                }
            })
            .collect();
        scene::hit(&servers, x, y, reach)
            .or_else(|| scene::hit(&g.points, x, y, reach / 2.0))
            .map(NodeId)
    }
}

fn square(ctx: &CanvasRenderingContext2d, (x, y): Point, half: f64) {
    ctx.begin_path();
    ctx.rect(x - half, y - half, 2.0 * half, 2.0 * half);
}

fn diamond(ctx: &CanvasRenderingContext2d, (x, y): Point, half: f64) {
    ctx.begin_path();
    ctx.move_to(x, y - half);
    ctx.line_to(x + half, y);
    ctx.line_to(x, y + half);
    ctx.line_to(x - half, y);
    ctx.close_path();
}

fn rounded(ctx: &CanvasRenderingContext2d, (x, y): Point, half: f64) {
    ctx.begin_path();
    let _ = ctx.round_rect_with_f64(x - half, y - half, 2.0 * half, 2.0 * half, half * 0.35);
}

impl PaintsSession<EdgeRun> for EdgePainter {
    fn paint_session(
        &mut self,
        canvas: &HtmlCanvasElement,
        session: &Session<EdgeRun>,
        theme: Theme,
    ) {
        let (width, height, dpr) = Painter::fit_canvas(canvas);
        let Some(ctx) = context(canvas) else {
            return;
        };
        let run = session.run();
        let key = (width, height, session.layout_id);
        if self.geometry.as_ref().is_none_or(|g| g.key != key) {
            let t = session.transform(width as f64, height as f64, 28.0 * dpr);
            self.geometry = Some(EdgeGeometry {
                key,
                points: session.layout().iter().map(|&p| t.apply(p)).collect(),
                dpr,
            });
            self.tiers = run.tiers();
        }
        let Some(g) = self.geometry.as_ref() else {
            return;
        };
        let palette = Palette::of(theme);
        ctx.set_fill_style_str(&palette.background.css());
        ctx.fill_rect(0.0, 0.0, width as f64, height as f64);
        let point = |id: NodeId| g.points.get(id.index()).copied();

        // Lines: devices to their base station (where they are attached now), servers upward.
        let devices = run.devices();
        ctx.set_line_width(dpr);
        ctx.set_stroke_style_str(&palette.link.css_alpha(0.45));
        ctx.begin_path();
        if devices.len() <= MAX_DEVICE_LINES {
            for d in &devices {
                if let (Some(a), Some(b)) = (point(d.node), point(d.attached)) {
                    ctx.move_to(a.0, a.1);
                    ctx.line_to(b.0, b.1);
                }
            }
        }
        ctx.stroke();
        let servers = run.servers();
        ctx.set_stroke_style_str(&palette.link.css_alpha(0.8));
        ctx.begin_path();
        for s in &servers {
            let Some(a) = point(s.node) else { continue };
            for &n in run.topology().neighbours(s.node) {
                if n.0 > s.node.0
                    && self
                        .tiers
                        .get(n.index())
                        .is_some_and(|&t| t != Tier::Device)
                    && let Some(b) = point(n)
                {
                    ctx.move_to(a.0, a.1);
                    ctx.line_to(b.0, b.1);
                }
            }
        }
        ctx.stroke();

        // Devices.
        let r_device = 2.6 * dpr;
        for d in &devices {
            let Some(p) = point(d.node) else { continue };
            ctx.begin_path();
            let _ = ctx.arc(p.0, p.1, r_device, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(&palette.state(u32::from(d.app)).css());
            ctx.fill();
        }

        // Tasks and results on the wire, under the servers.
        let now = run.now();
        ctx.set_fill_style_str(&palette.message.css());
        for m in run.messages_in_flight().iter().take(MAX_DRAWN_TASKS) {
            if let (Some(a), Some(b)) = (point(m.from), point(m.to)) {
                let p = scene::message_point(a, b, m.sent_at, m.arrives_at, now);
                ctx.begin_path();
                let _ = ctx.arc(p.0, p.1, 2.2 * dpr, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }

        // Servers, each with its load bar.
        for s in &servers {
            let Some(p) = point(s.node) else { continue };
            let half = match s.tier {
                Tier::Cloud => 13.0,
                Tier::Fog => 9.0,
                _ => 6.0,
            } * dpr;
            match s.tier {
                Tier::Cloud => rounded(&ctx, p, half),
                Tier::Fog => diamond(&ctx, p, half),
                _ => square(&ctx, p, half),
            }
            let up = run.is_up(s.node);
            let fill = if !up {
                palette.background
            } else if s.busy > 0 {
                palette.latest
            } else {
                palette.older
            };
            ctx.set_fill_style_str(&fill.css());
            ctx.fill();
            ctx.set_line_width(1.4 * dpr);
            ctx.set_stroke_style_str(&if up { palette.text } else { palette.crashed }.css());
            ctx.stroke();
            if !up {
                ctx.begin_path();
                ctx.move_to(p.0 - half, p.1 - half);
                ctx.line_to(p.0 + half, p.1 + half);
                ctx.move_to(p.0 + half, p.1 - half);
                ctx.line_to(p.0 - half, p.1 + half);
                ctx.stroke();
            }
            // Load bar: busy share of cores, then the queue relative to the cores (capped at
            // the bar's end, with a notch when the queue is longer than the bar shows).
            let bar_w = (2.0 * half).max(14.0 * dpr);
            let bar_h = 3.0 * dpr;
            let (x0, y0) = (p.0 - bar_w / 2.0, p.1 + half + 2.0 * dpr);
            ctx.set_fill_style_str(&palette.link.css_alpha(0.35));
            ctx.fill_rect(x0, y0, bar_w, bar_h);
            let cores = f64::from(s.cores.max(1));
            let busy = (f64::from(s.busy) / cores).min(1.0);
            ctx.set_fill_style_str(&palette.latest.css());
            ctx.fill_rect(x0, y0, bar_w * busy, bar_h);
            if s.queued > 0 {
                let queued = (f64::from(s.queued) / cores).min(1.0 - busy);
                ctx.set_fill_style_str(&palette.crashed.css());
                ctx.fill_rect(x0 + bar_w * busy, y0, bar_w * queued.max(0.08), bar_h);
            }
        }

        if let Some(node) = session.selected()
            && let Some(p) = point(node)
        {
            ctx.begin_path();
            let _ = ctx.arc(p.0, p.1, 15.0 * dpr, 0.0, std::f64::consts::TAU);
            ctx.set_stroke_style_str(&palette.selection.css());
            ctx.set_line_width(3.0 * dpr);
            ctx.stroke();
        }
    }
}
