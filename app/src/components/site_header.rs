//! The header on every page: the site name, the "Labs" menu (every lab, grouped by the parts of
//! the course, from [`crate::labs`]) and the link to the About page.

use super::ThemeToggle;
use crate::labs;
use crate::router::Route;
use leptos::prelude::*;
use scenario::labs::Part;
use wasm_bindgen::JsCast;

/// The site header: the name (a link home), the main navigation, and the theme toggle.
#[component]
pub fn SiteHeader(
    /// The current route, to mark its link with `aria-current="page"`.
    route: ReadSignal<Route>,
) -> impl IntoView {
    let current = move |target: Route| move || (route.get() == target).then_some("page");
    let on_lab = move || route.get().lab_page().is_some();
    view! {
        <nav class="skip-links" aria-label="Skip links">
            <a class="skip-link" href="#main" on:click=move |ev| skip_to(ev, "#main")>
                "Skip to content"
            </a>
            <Show when=on_lab>
                <a class="skip-link" href="#main" on:click=move |ev| skip_to(ev, "[data-run-controls]")>
                    "Skip to the run controls"
                </a>
            </Show>
        </nav>
        <header class="site-header">
            <a class="brand" href=Route::Home.href() aria-current=current(Route::Home)>
                <img class="brand-mark" src="public/favicon.svg" alt="" width="28" height="28" />
                <span>"Continuum"</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <LabsMenu route=route />
                    </li>
                    <li>
                        <a href=Route::About.href() aria-current=current(Route::About)>
                            "About"
                        </a>
                    </li>
                </ul>
            </nav>
            <ThemeToggle />
        </header>
    }
}

/// Moves the focus to the first element matching `selector` (made focusable if it is not),
/// without following the link: the page's fragment is its route or share link and must stay.
fn skip_to(ev: leptos::ev::MouseEvent, selector: &str) {
    ev.prevent_default();
    let Some(target) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    if target.tab_index() < 0 && !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    let _ = target.focus();
    target.scroll_into_view();
}

/// The "Labs" disclosure menu: a button that shows every lab under its part of the course, each
/// with what it teaches. It closes on Escape (focus goes back to the button), when focus or a
/// click leaves it, and when a page opens.
#[component]
fn LabsMenu(route: ReadSignal<Route>) -> impl IntoView {
    let (open, set_open) = signal(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let wrapper = NodeRef::<leptos::html::Div>::new();
    // A new page closes the menu.
    Effect::new(move |_| {
        route.track();
        set_open.set(false);
    });
    let here = move || route.get().lab_page().map(|page| page.info.route);
    let contains = move |target: Option<web_sys::EventTarget>| -> bool {
        let node = target.and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        match (wrapper.get_untracked(), node) {
            (Some(wrapper), Some(node)) => wrapper.contains(Some(&node)),
            _ => false,
        }
    };
    let outside_click = window_event_listener(leptos::ev::click, move |ev| {
        if open.get_untracked() && !contains(ev.target()) {
            set_open.set(false);
        }
    });
    on_cleanup(move || outside_click.remove());
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            set_open.set(false);
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let on_focusout = move |ev: web_sys::FocusEvent| {
        // Tabbing past the last link (or away) closes the menu; moving within it does not.
        if ev.related_target().is_some() && !contains(ev.related_target()) {
            set_open.set(false);
        }
    };
    let parts = Part::ALL
        .into_iter()
        .filter(|part| labs::pages_in(*part).next().is_some())
        .map(|part| {
            let heading = format!("labs-menu-{}", part.id());
            let labelled = heading.clone();
            let items = labs::pages_in(part)
                .map(|page| {
                    let target = page.info.route;
                    let current = move || (here() == Some(target)).then_some("page");
                    view! {
                        <li>
                            <a href=Route::Lab(page).href() aria-current=current>
                                <span class="labs-menu-title">{page.info.title}</span>
                                <span class="labs-menu-teaches">{page.info.teaches}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="labs-menu-part" aria-labelledby=labelled>
                    <h2 id=heading class="labs-menu-heading">
                        {part.title()}
                    </h2>
                    <ul>{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="labs-menu" node_ref=wrapper on:keydown=on_keydown on:focusout=on_focusout>
            <button
                type="button"
                class="labs-menu-button"
                class:on-a-lab=move || here().is_some()
                node_ref=button
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="labs-menu-panel"
                on:click=move |_| set_open.update(|open| *open = !*open)
            >
                "Labs"
                <span class="labs-menu-caret" aria-hidden="true">
                    "▾"
                </span>
            </button>
            <div id="labs-menu-panel" class="labs-menu-panel" hidden=move || !open.get()>
                {parts}
                <p class="labs-menu-all">
                    <a href=Route::Home.href()>"All labs, by part of the course"</a>
                </p>
            </div>
        </div>
    }
}
