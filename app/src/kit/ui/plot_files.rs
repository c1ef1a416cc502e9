//! PNG and SVG downloads beside a plot (any page's): the PNG is the canvas's pixels, the SVG is
//! the same chart drawn again by the same function on plotters' SVG backend.

use leptos::html;
use leptos::prelude::*;

/// Two buttons that download a plot as PNG and as SVG, and a polite line saying how it went.
#[component]
pub fn PlotDownloads<F>(
    /// The plot's canvas: the PNG is its pixels.
    canvas: NodeRef<html::Canvas>,
    /// What the plot shows, for the buttons' group label (`spread over time`).
    title: &'static str,
    /// The file name without its extension (`continuum-spread`).
    file: &'static str,
    /// Draws the plot as an SVG document of the given CSS pixel size, in the page's theme.
    svg: F,
) -> impl IntoView
where
    F: Fn((u32, u32)) -> Result<String, String> + Copy + 'static,
{
    let said = RwSignal::new(String::new());
    let report = move |name: String, offered: Result<(), String>| {
        said.set(match offered {
            Ok(()) => format!("{name} was offered as a download."),
            Err(e) => format!("The plot could not be offered: {e}."),
        });
    };
    let on_png = move |_| {
        let name = format!("{file}.png");
        let offered = match canvas.get_untracked() {
            Some(c) => crate::kit::export::download_png(&name, &c),
            None => Err("the plot is not on the page".to_owned()),
        };
        report(name, offered);
    };
    let on_svg = move |_| {
        let name = format!("{file}.svg");
        let size = canvas
            .get_untracked()
            .map_or((0, 0), |c| crate::kit::plot::css_size(&c));
        let offered =
            svg(size).and_then(|doc| crate::kit::export::download(&name, "image/svg+xml", &doc));
        report(name, offered);
    };
    view! {
        <div class="plot-files" role="group" aria-label=format!("Download the {title} plot")>
            <button type="button" class="button-small" data-plot-file=file on:click=on_png>
                "Download PNG"
            </button>
            <button type="button" class="button-small" data-plot-file=file on:click=on_svg>
                "Download SVG"
            </button>
            <span class="hint" role="status">{move || said.get()}</span>
        </div>
    }
}
