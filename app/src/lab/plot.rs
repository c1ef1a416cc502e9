//! Drawing the curves with plotters on a `<canvas>` (browser only): informed percentage on the
//! left axis, messages sent and dropped on the right, in the page's theme.

use crate::lab::palette::{Palette, Rgb, Theme};
use crate::lab::plot_data::{LineChart, PlotData};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

fn colour(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Sizes `canvas`'s backing store to its CSS box × devicePixelRatio; returns the ratio.
fn fit(canvas: &HtmlCanvasElement) -> f64 {
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
    let _ = try_draw(canvas, data, theme, dpr);
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
    let _ = try_draw_lines(canvas, chart, theme, dpr, colour_of);
}

fn try_draw_lines<C: Copy>(
    canvas: &HtmlCanvasElement,
    chart: &LineChart<C>,
    theme: Theme,
    dpr: f64,
    colour_of: impl Fn(C, &Palette) -> (Rgb, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    let palette = Palette::of(theme);
    let fg = colour(palette.text);
    let grid = colour(palette.link);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&colour(palette.background))?;
    let mut plot = ChartBuilder::on(&root)
        .margin(px(8.0))
        .margin_right(px(22.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d(0f64..chart.x_max_ms, 0f64..chart.y_max)?;
    plot.configure_mesh()
        .x_desc("simulated time (ms)")
        .y_desc(chart.y_desc)
        .x_labels(5)
        .y_labels(5)
        .axis_style(fg.stroke_width(px(1.0)))
        .bold_line_style(grid.mix(0.45).stroke_width(px(1.0)))
        .light_line_style(grid.mix(0.15).stroke_width(px(1.0)))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .x_label_formatter(&|v| crate::lab::format::trim(*v, 0))
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

fn try_draw(
    canvas: &HtmlCanvasElement,
    data: &PlotData,
    theme: Theme,
    dpr: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let palette = Palette::of(theme);
    let fg = colour(palette.text);
    let bg = colour(palette.background);
    let grid = colour(palette.link);
    let informed = colour(palette.latest);
    let sent = colour(palette.message);
    let dropped = colour(palette.crashed);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
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
        .x_label_formatter(&|v| crate::lab::format::trim(*v, 0))
        .y_label_formatter(&|v| crate::lab::format::trim(*v, 0))
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
        format!("{}M", crate::lab::format::trim(v / 1e6, 1))
    } else if v >= 1e3 {
        format!("{}k", crate::lab::format::trim(v / 1e3, 1))
    } else {
        crate::lab::format::trim(v, if v < 10.0 { 1 } else { 0 })
    }
}
