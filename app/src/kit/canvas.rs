//! Drawing the live view on a `<canvas>` (browser only; the geometry and states come from the
//! pure modules). Links are drawn once into an offscreen canvas and reused; big runs paint node
//! states into a pixel buffer ([`crate::kit::raster`]) instead of one path per node.

use crate::kit::layout::Point;
use crate::kit::palette::{Palette, Rgb, Theme};
use crate::kit::raster::{self, Raster};
use crate::kit::scene::{self, Detail, Knowledge, NodeLook};
use crate::kit::session::Session;
use scenario::LabRun;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The page's theme: `<html data-theme>` if set, else the system preference.
pub fn current_theme() -> Theme {
    let Some(window) = web_sys::window() else {
        return Theme::Light;
    };
    let forced = window
        .document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match forced.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ => {
            let dark = window
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .is_some_and(|m| m.matches());
            if dark { Theme::Dark } else { Theme::Light }
        }
    }
}

/// Node positions in canvas (backing-store) pixels, recomputed when the size or layout changes.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    key: (u32, u32, u64),
    /// Node centres.
    pub points: Vec<Point>,
    /// Node disc radius.
    pub radius: f64,
    /// Device pixels per CSS pixel.
    pub dpr: f64,
}

/// Draws a session onto a canvas, keeping caches between frames.
#[derive(Default)]
pub struct Painter {
    geometry: Option<Geometry>,
    links: Option<((u32, u32, u64, Theme), HtmlCanvasElement)>,
    nodes_layer: Option<HtmlCanvasElement>,
    raster: Raster,
}

pub(crate) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
}

fn offscreen(width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

/// Something that draws a lab's session onto its canvas each frame (the shared [`Painter`], or
/// a lab's own view such as the edge lab's map).
pub trait PaintsSession<R: LabRun> {
    /// Draws the whole view.
    fn paint_session(&mut self, canvas: &HtmlCanvasElement, session: &Session<R>, theme: Theme);
}

impl<R: LabRun> PaintsSession<R> for Painter {
    fn paint_session(&mut self, canvas: &HtmlCanvasElement, session: &Session<R>, theme: Theme) {
        self.paint(canvas, session, theme);
    }
}

impl Painter {
    /// The geometry of the last frame drawn (for hit testing clicks).
    pub fn geometry(&self) -> Option<&Geometry> {
        self.geometry.as_ref()
    }

    /// Matches the canvas's backing store to its CSS size × devicePixelRatio; returns the size.
    pub(crate) fn fit_canvas(canvas: &HtmlCanvasElement) -> (u32, u32, f64) {
        let dpr = web_sys::window()
            .map(|w| w.device_pixel_ratio())
            .filter(|d| d.is_finite() && *d > 0.0)
            .unwrap_or(1.0);
        let width = ((canvas.client_width().max(1) as f64) * dpr).round() as u32;
        let height = ((canvas.client_height().max(1) as f64) * dpr).round() as u32;
        if canvas.width() != width {
            canvas.set_width(width);
        }
        if canvas.height() != height {
            canvas.set_height(height);
        }
        (width, height, dpr)
    }

    /// Draws the whole view. Returns the level of detail used.
    pub fn paint<R: LabRun>(
        &mut self,
        canvas: &HtmlCanvasElement,
        session: &Session<R>,
        theme: Theme,
    ) -> Detail {
        let (width, height, dpr) = Self::fit_canvas(canvas);
        let run = session.run();
        let nodes = run.node_count();
        let in_flight = run.in_flight_count();
        let detail = scene::detail(nodes, in_flight);
        let Some(ctx) = context(canvas) else {
            return detail;
        };
        let key = (width, height, session.layout_id);
        if self.geometry.as_ref().is_none_or(|g| g.key != key) {
            let margin = 18.0 * dpr;
            let t = session.transform(width as f64, height as f64, margin);
            let points = session.layout().iter().map(|&p| t.apply(p)).collect();
            // Sizes are chosen in CSS pixels, then scaled to the backing store.
            let radius = scene::node_radius(session.spacing(), t.scale / dpr) * dpr;
            self.geometry = Some(Geometry {
                key,
                points,
                radius,
                dpr,
            });
        }
        let Some(geometry) = self.geometry.as_ref() else {
            return detail;
        };
        let palette = Palette::of(theme);
        ctx.set_fill_style_str(&palette.background.css());
        ctx.fill_rect(0.0, 0.0, width as f64, height as f64);

        let links = run.topology().link_count();
        if links <= scene::MAX_DRAWN_LINKS {
            let links_key = (width, height, session.layout_id, theme);
            if self.links.as_ref().is_none_or(|(k, _)| *k != links_key) {
                self.links = offscreen(width, height).map(|layer| {
                    if let Some(lctx) = context(&layer) {
                        draw_links(&lctx, session, geometry, &palette, nodes);
                    }
                    (links_key, layer)
                });
            }
            if let Some((_, layer)) = &self.links {
                let _ = ctx.draw_image_with_html_canvas_element(layer, 0.0, 0.0);
            }
        }

        let looks = run.node_looks();
        match detail {
            Detail::Messages => {
                // Messages under the nodes: they leave from and disappear into them.
                draw_messages(&ctx, session, geometry, &palette);
                draw_nodes(&ctx, geometry, &looks, &palette, nodes);
            }
            Detail::NodeStates => {
                self.paint_raster(&ctx, width, height, &looks, &palette);
            }
        }
        if let Some(geometry) = self.geometry.as_ref()
            && let Some(node) = session.selected()
            && let Some(&(x, y)) = geometry.points.get(node.index())
        {
            let r = geometry.radius.max(3.0 * dpr) + 4.0 * dpr;
            ctx.begin_path();
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
            ctx.set_stroke_style_str(&palette.selection.css());
            ctx.set_line_width(3.0 * dpr);
            ctx.stroke();
        }
        detail
    }

    fn paint_raster(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        width: u32,
        height: u32,
        looks: &[NodeLook],
        palette: &Palette,
    ) {
        let Some(geometry) = self.geometry.as_ref() else {
            return;
        };
        let size = raster::square_size(geometry.radius);
        self.raster.reset(width, height);
        raster::paint_nodes(&mut self.raster, &geometry.points, looks, size, palette);
        if self
            .nodes_layer
            .as_ref()
            .is_none_or(|l| l.width() != width || l.height() != height)
        {
            self.nodes_layer = offscreen(width, height);
        }
        let Some(layer) = &self.nodes_layer else {
            return;
        };
        let Some(lctx) = context(layer) else {
            return;
        };
        if let Ok(image) =
            ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.raster.pixels), width, height)
        {
            let _ = lctx.put_image_data(&image, 0.0, 0.0);
            let _ = ctx.draw_image_with_html_canvas_element(layer, 0.0, 0.0);
        }
    }
}

fn draw_links<R: LabRun>(
    ctx: &CanvasRenderingContext2d,
    session: &Session<R>,
    geometry: &Geometry,
    palette: &Palette,
    nodes: u32,
) {
    let topology = session.run().topology();
    let alpha = if nodes > scene::DETAIL_MAX_NODES {
        0.18
    } else {
        0.75
    };
    ctx.set_stroke_style_str(&palette.link.css_alpha(alpha));
    ctx.set_line_width(if nodes > 200 { 0.6 } else { 1.4 } * geometry.dpr);
    ctx.begin_path();
    for (a, b) in topology.links() {
        let (Some(&pa), Some(&pb)) = (
            geometry.points.get(a.index()),
            geometry.points.get(b.index()),
        ) else {
            continue;
        };
        ctx.move_to(pa.0, pa.1);
        ctx.line_to(pb.0, pb.1);
    }
    ctx.stroke();
}

fn label_colour(palette: &Palette, knowledge: Knowledge, up: bool) -> Rgb {
    match (up, knowledge) {
        (true, Knowledge::Latest) => palette.background,
        (true, Knowledge::State(n)) => palette.label_on(palette.state(n)),
        _ => palette.text,
    }
}

fn draw_nodes(
    ctx: &CanvasRenderingContext2d,
    geometry: &Geometry,
    looks: &[NodeLook],
    palette: &Palette,
    nodes: u32,
) {
    let r = geometry.radius;
    let dpr = geometry.dpr;
    let tau = std::f64::consts::TAU;
    // Partition shading first, under every node.
    for (p, look) in geometry.points.iter().zip(looks) {
        if let Some(group) = look.group {
            ctx.begin_path();
            let _ = ctx.arc(p.0, p.1, r + 5.0 * dpr, 0.0, tau);
            ctx.set_fill_style_str(&palette.group(group).css_alpha(0.4));
            ctx.fill();
        }
    }
    let labels = nodes <= 64 && r >= 9.0 * dpr;
    if labels {
        ctx.set_font(&format!(
            "600 {}px system-ui, sans-serif",
            (r * 0.85).round().max(8.0)
        ));
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
    }
    ctx.set_line_width(1.6 * dpr);
    for (i, (p, look)) in geometry.points.iter().zip(looks).enumerate() {
        ctx.begin_path();
        let _ = ctx.arc(p.0, p.1, r, 0.0, tau);
        let fill = match (look.up, look.knowledge) {
            (false, _) => palette.background,
            (true, Knowledge::Latest) => palette.latest,
            (true, Knowledge::Older) => palette.older,
            (true, Knowledge::Unaware) => palette.background,
            (true, Knowledge::State(n)) => palette.state(n),
        };
        ctx.set_fill_style_str(&fill.css());
        ctx.fill();
        let stroke = match (look.up, look.knowledge) {
            (false, _) => palette.crashed,
            (true, Knowledge::Latest) => palette.latest,
            (true, Knowledge::Older) => palette.latest,
            (true, Knowledge::Unaware) => palette.unaware,
            (true, Knowledge::State(_)) => palette.text,
        };
        ctx.set_stroke_style_str(&stroke.css());
        ctx.stroke();
        if !look.up {
            let d = r * 0.75;
            ctx.begin_path();
            ctx.move_to(p.0 - d, p.1 - d);
            ctx.line_to(p.0 + d, p.1 + d);
            ctx.move_to(p.0 + d, p.1 - d);
            ctx.line_to(p.0 - d, p.1 + d);
            ctx.set_line_width(2.4 * dpr);
            ctx.stroke();
            ctx.set_line_width(1.6 * dpr);
        } else if labels {
            ctx.set_fill_style_str(&label_colour(palette, look.knowledge, look.up).css());
            let _ = ctx.fill_text(&i.to_string(), p.0, p.1 + 0.5 * dpr);
        }
    }
}

fn draw_messages<R: LabRun>(
    ctx: &CanvasRenderingContext2d,
    session: &Session<R>,
    geometry: &Geometry,
    palette: &Palette,
) {
    let run = session.run();
    let now = run.now();
    let dpr = geometry.dpr;
    let size = (geometry.radius * 0.4).clamp(2.5 * dpr, 5.0 * dpr);
    ctx.begin_path();
    for m in run.messages_in_flight() {
        let (Some(&from), Some(&to)) = (
            geometry.points.get(m.from.index()),
            geometry.points.get(m.to.index()),
        ) else {
            continue;
        };
        let (x, y) = scene::message_point(from, to, m.sent_at, m.arrives_at, now);
        ctx.move_to(x + size, y);
        let _ = ctx.arc(x, y, size, 0.0, std::f64::consts::TAU);
    }
    ctx.set_fill_style_str(&palette.message.css());
    ctx.fill();
    ctx.set_stroke_style_str(&palette.background.css());
    ctx.set_line_width(dpr);
    ctx.stroke();
}

/// The node under a click at CSS pixel `(x, y)` of the canvas, if any.
pub fn node_at(geometry: &Geometry, x_css: f64, y_css: f64) -> Option<u32> {
    let (x, y) = (x_css * geometry.dpr, y_css * geometry.dpr);
    let reach = geometry.radius.max(6.0 * geometry.dpr) + 3.0 * geometry.dpr;
    scene::hit(&geometry.points, x, y, reach)
}
