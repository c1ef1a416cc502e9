//! The page for a fragment that names no page.

use crate::router::Route;
use leptos::prelude::*;

/// Says which address was not found and links home.
#[component]
pub fn NotFoundPage(
    /// The fragment that was not recognised, without the `#`.
    hash: String,
) -> impl IntoView {
    view! {
        <article class="prose">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>{format!("#{hash}")}</code> "."</p>
            <p>
                <a href=Route::Home.href()>"Go to the home page"</a>
            </p>
        </article>
    }
}
