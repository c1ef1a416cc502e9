//! Drawing a [`Chart`] with plotters, in the page's theme: on a `<canvas>`, and as an SVG
//! document for download, by one function generic over the backend. Lines differ by dash
//! pattern as well as colour; the legend is HTML beside the canvas.

use crate::energy_lab::chart::{Chart, Dash};
use crate::kit::palette::{Palette, Rgb, Theme};
use crate::kit::plot::{Area, DrawResult, canvas_area, fit, svg_document};
use plotters::prelude::*;
use web_sys::HtmlCanvasElement;

fn colour(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Draws `chart` onto `canvas`, sized to its CSS box × devicePixelRatio. Errors are ignored: a
/// chart that cannot be drawn leaves the text next to it.
pub fn draw(canvas: &HtmlCanvasElement, chart: &Chart, theme: Theme) {
    let dpr = fit(canvas);
    let _ = canvas_area(canvas).and_then(|root| draw_chart(root, chart, theme, dpr));
}

/// `chart` as an SVG document of `size` CSS pixels.
pub fn svg(chart: &Chart, theme: Theme, size: (u32, u32)) -> Result<String, String> {
    svg_document(size, |root| draw_chart(root, chart, theme, 1.0))
}

/// Draws `chart` on `root`, with lengths scaled by `dpr` device pixels per CSS pixel.
pub fn draw_chart<DB: DrawingBackend>(
    root: Area<DB>,
    chart: &Chart,
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
    let px = |v: f64| (v * dpr).round() as u32;
    let font = |size: f64| ("sans-serif", size * dpr).into_font().color(&fg);

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
        .x_label_formatter(&|v| crate::energy_lab::numbers::figure(*v))
        .y_label_formatter(&|v| crate::energy_lab::numbers::figure(*v))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::plot::svg_check::assert_well_formed;

    #[test]
    fn an_energy_chart_as_svg_is_well_formed_and_draws_every_line() {
        let chart = crate::energy_lab::curves::power_chart();
        let doc = svg(&chart, Theme::Dark, (600, 300)).expect("drawn");
        assert_well_formed(&doc);
        let palette = Palette::of(Theme::Dark);
        for line in &chart.lines {
            let hex = crate::kit::plot::svg_check::hex(
                palette.states[line.colour % palette.states.len()],
            );
            assert!(doc.to_ascii_uppercase().contains(&hex), "line {hex} drawn");
        }
        assert!(doc.contains(chart.x_desc.as_str()));
    }
}
