//! Drawing the curves with plotters: informed percentage on the left axis, messages sent and
//! dropped on the right, in the page's theme. Each chart is drawn by one function generic over
//! the plotters backend: on a `<canvas>` in the page, and into an SVG document for download
//! ([`svg`], [`svg_lines`]; tested natively).

use crate::kit::palette::{Palette, Rgb, Theme};
use crate::kit::plot_data::{LineChart, PlotData};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// What drawing on a backend can fail with.
pub type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A plotters drawing area on any backend whose errors can be boxed.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// The size of an SVG download when the plot's canvas has no size (hidden): 640 × 320.
pub const DEFAULT_SVG_SIZE: (u32, u32) = (640, 320);

/// Renders `draw` into an SVG document of `size` CSS pixels (one unit per pixel). An error
/// becomes the document's absence, said in words.
pub fn svg_document<F>(size: (u32, u32), draw: F) -> Result<String, String>
where
    F: FnOnce(Area<SVGBackend<'_>>) -> DrawResult,
{
    let size = if size.0 == 0 || size.1 == 0 {
        DEFAULT_SVG_SIZE
    } else {
        size
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(root).map_err(|e| format!("the plot could not be drawn as SVG: {e}"))?;
    }
    Ok(out)
}

/// The broadcast plot as an SVG document of `size` CSS pixels.
pub fn svg(data: &PlotData, theme: Theme, size: (u32, u32)) -> Result<String, String> {
    svg_document(size, |root| draw_broadcast(root, data, theme, 1.0))
}

/// A one-axis line chart as an SVG document of `size` CSS pixels.
pub fn svg_lines<C: Copy>(
    chart: &LineChart<C>,
    theme: Theme,
    size: (u32, u32),
    colour_of: impl Fn(C, &Palette) -> (Rgb, f64),
) -> Result<String, String> {
    svg_document(size, |root| {
        draw_line_chart(root, chart, theme, 1.0, colour_of)
    })
}

/// A canvas's CSS size in whole pixels (for an SVG of the same size).
pub fn css_size(canvas: &HtmlCanvasElement) -> (u32, u32) {
    (
        canvas.client_width().max(0) as u32,
        canvas.client_height().max(0) as u32,
    )
}

/// A backend on `canvas`, as a drawing area.
pub fn canvas_area(
    canvas: &HtmlCanvasElement,
) -> Result<Area<CanvasBackend>, Box<dyn std::error::Error>> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    Ok(backend.into_drawing_area())
}

fn colour(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Sizes `canvas`'s backing store to its CSS box × devicePixelRatio; returns the ratio.
pub fn fit(canvas: &HtmlCanvasElement) -> f64 {
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
    dpr
}

/// Draws `data` onto `canvas`, sized to its CSS box × devicePixelRatio. Errors are ignored: a
/// plot that cannot be drawn leaves the text summary next to it.
pub fn draw(canvas: &HtmlCanvasElement, data: &PlotData, theme: Theme) {
    let dpr = fit(canvas);
    let _ = canvas_area(canvas).and_then(|root| draw_broadcast(root, data, theme, dpr));
}

/// Draws a one-axis line chart, each line in the colour `colour` gives its curve. Errors are
/// ignored like [`draw`]'s.
pub fn draw_lines<C: Copy>(
    canvas: &HtmlCanvasElement,
    chart: &LineChart<C>,
    theme: Theme,
    colour_of: impl Fn(C, &Palette) -> (Rgb, f64),
) {
    let dpr = fit(canvas);
    let _ =
        canvas_area(canvas).and_then(|root| draw_line_chart(root, chart, theme, dpr, colour_of));
}

/// Draws a one-axis line chart on `root`, with lengths scaled by `dpr` device pixels per CSS
/// pixel.
pub fn draw_line_chart<DB: DrawingBackend, C: Copy>(
    root: Area<DB>,
    chart: &LineChart<C>,
    theme: Theme,
    dpr: f64,
    colour_of: impl Fn(C, &Palette) -> (Rgb, f64),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let palette = Palette::of(theme);
    let fg = colour(palette.text);
    let grid = colour(palette.link);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);
    root.fill(&colour(palette.background))?;
    let mut plot = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_right(px(22.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0f64..chart.x_max_ms, 0f64..chart.y_max)?;
    // Runs longer than 10 s are labelled in seconds (600000 ms reads badly).
    let in_seconds = chart.x_max_ms > 10_000.0;
    let x_label = move |v: &f64| {
        if in_seconds {
            crate::kit::format::trim(*v / 1000.0, 0)
        } else {
            crate::kit::format::trim(*v, 0)
        }
    };
    plot.configure_mesh()
        .x_desc(if in_seconds {
            "simulated time (s)"
        } else {
            "simulated time (ms)"
        })
        .y_desc(chart.y_desc)
        .x_labels(5)
        .y_labels(5)
        .axis_style(fg.stroke_width(px(1.0)))
        .bold_line_style(grid.mix(0.45).stroke_width(px(1.0)))
        .light_line_style(grid.mix(0.15).stroke_width(px(1.0)))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .x_label_formatter(&x_label)
        .y_label_formatter(&|v| short_count(*v))
        .draw()?;
    for line in &chart.lines {
        let (c, width) = colour_of(line.curve, &palette);
        plot.draw_series(LineSeries::new(
            line.points.iter().copied(),
            colour(c).stroke_width(px(width)),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Draws the broadcast plot on `root`, with lengths scaled by `dpr` device pixels per CSS pixel.
pub fn draw_broadcast<DB: DrawingBackend>(
    root: Area<DB>,
    data: &PlotData,
    theme: Theme,
    dpr: f64,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let palette = Palette::of(theme);
    let fg = colour(palette.text);
    let bg = colour(palette.background);
    let grid = colour(palette.link);
    let informed = colour(palette.latest);
    let sent = colour(palette.message);
    let dropped = colour(palette.crashed);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);
    root.fill(&bg)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(px(8.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(40.0))
        .right_y_label_area_size(px(56.0))
        .build_cartesian_2d(0f64..data.x_max_ms, 0f64..100f64)?
        .set_secondary_coord(0f64..data.x_max_ms, 0f64..data.y_max_messages);
    chart
        .configure_mesh()
        .x_desc("simulated time (ms)")
        .y_desc("informed (%)")
        .x_labels(6)
        .y_labels(5)
        .axis_style(fg.stroke_width(px(1.0)))
        .bold_line_style(grid.mix(0.45).stroke_width(px(1.0)))
        .light_line_style(grid.mix(0.15).stroke_width(px(1.0)))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .x_label_formatter(&|v| crate::kit::format::trim(*v, 0))
        .y_label_formatter(&|v| crate::kit::format::trim(*v, 0))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc("messages")
        .y_labels(5)
        .axis_style(fg.stroke_width(px(1.0)))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .y_label_formatter(&|v| short_count(*v))
        .draw()?;
    chart.draw_series(LineSeries::new(
        data.informed.iter().copied(),
        informed.stroke_width(px(2.5)),
    ))?;
    chart.draw_secondary_series(LineSeries::new(
        data.sent.iter().copied(),
        sent.stroke_width(px(2.0)),
    ))?;
    chart.draw_secondary_series(LineSeries::new(
        data.dropped.iter().copied(),
        dropped.stroke_width(px(1.5)),
    ))?;
    // The legend is HTML under the canvas (readable at any size, and by screen readers).
    root.present()?;
    Ok(())
}

/// `12000` → `12k`, `3500000` → `3.5M`.
fn short_count(v: f64) -> String {
    if v >= 1e6 {
        format!("{}M", crate::kit::format::trim(v / 1e6, 1))
    } else if v >= 1e3 {
        format!("{}k", crate::kit::format::trim(v / 1e3, 1))
    } else {
        crate::kit::format::trim(v, if v < 10.0 { 1 } else { 0 })
    }
}

/// Checks for SVG documents, shared by the plot modules' tests.
#[cfg(test)]
pub(crate) mod svg_check {
    /// Panics unless `doc` is well-formed XML with an `<svg>` root: every tag closed in order,
    /// attributes quoted, every `&` an entity, nothing after the root.
    pub fn assert_well_formed(doc: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = doc.trim();
        let mut root_seen = false;
        while !rest.is_empty() {
            let Some(open) = rest.find('<') else {
                check_text(rest);
                assert!(!stack.is_empty(), "text after the root: {rest:.40}");
                break;
            };
            check_text(&rest[..open]);
            assert!(
                open == 0 || !stack.is_empty(),
                "text outside the root: {:.40}",
                &rest[..open]
            );
            rest = &rest[open..];
            let close = rest.find('>').expect("an unclosed tag");
            let tag = &rest[1..close];
            rest = &rest[close + 1..];
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            if let Some(name) = tag.strip_prefix('/') {
                let open_name = stack.pop().expect("a closing tag without an opening one");
                assert_eq!(open_name, name.trim(), "tags closed out of order");
                continue;
            }
            let self_closing = tag.ends_with('/');
            let body = tag.trim_end_matches('/');
            let name = body.split_whitespace().next().expect("a tag name");
            assert_eq!(
                body.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{body}>"
            );
            if stack.is_empty() {
                assert!(!root_seen, "a second root element <{name}>");
                assert_eq!(name, "svg", "the root is <svg>");
                root_seen = true;
            }
            if !self_closing {
                stack.push(name);
            }
        }
        assert!(root_seen, "no <svg> root");
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    }

    fn check_text(text: &str) {
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "a bare & in text: {entity:.20}"
            );
        }
    }

    /// `#rrggbb` as plotters writes a colour.
    pub fn hex(c: crate::kit::palette::Rgb) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// How many `<polyline>` elements are stroked in colour `c`.
    pub fn polylines_in(doc: &str, c: crate::kit::palette::Rgb) -> usize {
        let colour = hex(c);
        doc.split("<polyline")
            .skip(1)
            .filter(|p| {
                p.split('>')
                    .next()
                    .is_some_and(|attrs| attrs.to_ascii_uppercase().contains(&colour))
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::svg_check::{assert_well_formed, polylines_in};
    use super::*;
    use crate::kit::plot_data::plot_data;
    use scenario::BroadcastRun;
    use scenario::scenario::broadcast_presets;

    #[test]
    fn the_broadcast_plot_as_svg_is_well_formed_and_holds_its_three_curves() {
        let mut run = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        run.run_to_end();
        let data = plot_data(run.samples(), run.end());
        for theme in [Theme::Light, Theme::Dark] {
            let doc = svg(&data, theme, (640, 320)).expect("drawn");
            assert_well_formed(&doc);
            assert!(doc.contains(r#"width="640""#) && doc.contains(r#"height="320""#));
            let palette = Palette::of(theme);
            assert_eq!(polylines_in(&doc, palette.latest), 1, "informed");
            assert_eq!(polylines_in(&doc, palette.message), 1, "sent");
            assert_eq!(polylines_in(&doc, palette.crashed), 1, "dropped");
            assert!(doc.contains("simulated time (ms)"));
            assert!(doc.contains("informed (%)"));
        }
        // A hidden canvas has no size: the download takes a default one.
        let doc = svg(&data, Theme::Light, (0, 0)).expect("drawn");
        assert!(doc.contains(&format!(r#"width="{}""#, DEFAULT_SVG_SIZE.0)));
    }

    #[test]
    fn a_line_chart_as_svg_has_one_polyline_per_line_with_every_point() {
        let mut run =
            scenario::CrdtRun::new(&scenario::crdt_lab::default_crdt_scenario()).expect("valid");
        run.run_to_end();
        let chart = crate::crdt_lab::plot_data::bytes_by_mode(run.samples(), run.end());
        use crate::crdt_lab::plot_data::Curve;
        let doc = svg_lines(&chart, Theme::Light, (500, 260), |c, p| match c {
            Curve::StateBytes => (p.message, 2.0),
            Curve::OpBytes => (p.latest, 2.0),
            _ => (p.state(2), 2.0),
        })
        .expect("drawn");
        assert_well_formed(&doc);
        let polylines: Vec<&str> = doc.split("<polyline").skip(1).collect();
        assert!(polylines.len() >= chart.lines.len());
        for line in &chart.lines {
            let points = line.points.len();
            assert!(
                polylines.iter().any(|p| p
                    .split("points=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .is_some_and(|pts| pts.split_whitespace().count() == points)),
                "a polyline with the line's {points} points"
            );
        }
    }
}
