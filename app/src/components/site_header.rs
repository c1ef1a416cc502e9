//! The header on every page: the site name and the main navigation.

use super::ThemeToggle;
use crate::router::Route;
use leptos::prelude::*;

/// The site header: the name (a link home) and the main navigation, marking the current page.
#[component]
pub fn SiteHeader(
    /// The current route, to mark its link with `aria-current="page"`.
    route: ReadSignal<Route>,
) -> impl IntoView {
    let current = move |target: Route| move || (route.get() == target).then_some("page");
    // A lab's link is current on its page and on share links that open in it.
    let lab_current = move |lab: Route| {
        move || {
            let here = match route.get() {
                Route::Shared(fragment) => crate::router::shared_lab(&fragment),
                other => other,
            };
            (here == lab).then_some("page")
        }
    };
    view! {
        <header class="site-header">
            <a class="brand" href=Route::Home.href() aria-current=current(Route::Home)>
                <img class="brand-mark" src="public/favicon.svg" alt="" width="28" height="28" />
                <span>"Continuum"</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    <li>
                        <a href=Route::NetworkLab.href() aria-current=lab_current(Route::NetworkLab)>
                            "Network lab"
                        </a>
                    </li>
                    <li>
                        <a href=Route::CrdtLab.href() aria-current=lab_current(Route::CrdtLab)>
                            "CRDT lab"
                        </a>
                    </li>
                    <li>
                        <a href=Route::EnergyLab.href() aria-current=lab_current(Route::EnergyLab)>
                            "Energy lab"
                        </a>
                    </li>
                    <li>
                        <a href=Route::EdgeLab.href() aria-current=lab_current(Route::EdgeLab)>
                            "Edge lab"
                        </a>
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
