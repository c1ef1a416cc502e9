//! Drawing a [`Chart`] with plotters on a `<canvas>` (browser only), in the page's theme. Lines
//! differ by dash pattern as well as colour; the legend is HTML beside the canvas.

use crate::energy::chart::{Chart, Dash};
use crate::lab::palette::{Palette, Rgb, Theme};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

fn colour(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws `chart` onto `canvas`, sized to its CSS box × devicePixelRatio. Errors are ignored: a
/// chart that cannot be drawn leaves the text next to it.
pub fn draw(canvas: &HtmlCanvasElement, chart: &Chart, theme: Theme) {
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
    let _ = try_draw(canvas, chart, theme, dpr);
}

fn try_draw(
    canvas: &HtmlCanvasElement,
    chart: &Chart,
    theme: Theme,
    dpr: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let palette = Palette::of(theme);
    let fg = colour(palette.text);
    let bg = colour(palette.background);
    let grid = colour(palette.link);
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&bg)?;
    let mut c = ChartBuilder::on(&root)
        .margin(px(10.0))
        .margin_right(px(24.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(chart.x.0..chart.x.1, chart.y.0..chart.y.1)?;
    c.configure_mesh()
        .x_desc(chart.x_desc.as_str())
        .y_desc(chart.y_desc.as_str())
        .x_labels(6)
        .y_labels(5)
        .axis_style(fg.stroke_width(px(1.0)))
        .bold_line_style(grid.mix(0.45).stroke_width(px(1.0)))
        .light_line_style(grid.mix(0.15).stroke_width(px(1.0)))
        .label_style(font(11.0))
        .axis_desc_style(font(11.0))
        .x_label_formatter(&|v| crate::energy::numbers::figure(*v))
        .y_label_formatter(&|v| crate::energy::numbers::figure(*v))
        .draw()?;
    if let Some(x) = chart.mark_x {
        c.draw_series(DashedLineSeries::new(
            [(x, chart.y.0), (x, chart.y.1)],
            px(4.0),
            px(4.0),
            fg.mix(0.7).stroke_width(px(1.0)),
        ))?;
    }
    for line in &chart.lines {
        let col = colour(palette.states[line.colour % palette.states.len()]);
        let style = col.stroke_width(px(2.5));
        let points = line.points.iter().copied();
        match line.dash {
            Dash::Solid => {
                c.draw_series(LineSeries::new(points, style))?;
            }
            Dash::Dashed => {
                c.draw_series(DashedLineSeries::new(points, px(9.0), px(5.0), style))?;
            }
            Dash::Dotted => {
                c.draw_series(DashedLineSeries::new(points, px(2.5), px(4.0), style))?;
            }
        }
    }
    if let Some(p) = chart.mark_point {
        c.draw_series(std::iter::once(Circle::new(
            p,
            px(6.0),
            fg.stroke_width(px(2.0)),
        )))?;
    }
    root.present()?;
    Ok(())
}
