//! The home page: what Continuum is, and the map of the course: its four parts, each with the
//! labs that teach it (from [`crate::labs`]).

use crate::labs::{self, LabPage};
use crate::router::Route;
use leptos::prelude::*;
use scenario::labs::Part;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let parts = Part::ALL
        .into_iter()
        .map(|part| {
            let heading = format!("part-{}", part.id());
            let labelled = heading.clone();
            let cards: Vec<_> = labs::pages_in(part).map(lab_card).collect();
            let body = if cards.is_empty() {
                view! { <p class="part-empty">"No lab for this part yet."</p> }.into_any()
            } else {
                view! { <ul class="cards">{cards}</ul> }.into_any()
            };
            view! {
                <section class="course-part" aria-labelledby=labelled>
                    <h3 id=heading>{part.title()}</h3>
                    <p class="part-covers">{part.covers()}</p>
                    {body}
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">"Continuum"</h1>
            <p class="lead">
                "A distributed-systems playground that runs entirely in your browser: build a \
                 network of nodes, break it, and watch what the protocols do. Every run is \
                 deterministic and can be shared as a link."
            </p>
        </section>
        <section aria-labelledby="labs-title">
            <h2 id="labs-title">"Labs, by part of the course"</h2>
            {parts}
        </section>
    }
}

/// A lab's card: the whole card is one link (the title's), so the picture and text open it too.
fn lab_card(page: &'static LabPage) -> impl IntoView {
    view! {
        <li class="card lab-card">
            <img
                class="card-picture"
                src=page.picture
                alt=page.picture_alt
                width="360"
                height="200"
            />
            <h4>
                <a class="card-link" href=Route::Lab(page).href()>
                    {page.info.title}
                </a>
            </h4>
            <p>{page.card}</p>
        </li>
    }
}
