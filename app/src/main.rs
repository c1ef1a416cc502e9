//! Entry point of the web app: show a banner instead of a dead page on a panic, then mount the UI.

fn main() {
    app::crash_banner::install();
    leptos::mount::mount_to_body(app::App);
}
