//! The home page: what Continuum is, and the way into the labs.

use crate::router::Route;
use leptos::prelude::*;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
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
            <h2 id="labs-title">"Labs"</h2>
            <ul class="cards">
                <li class="card lab-card">
                    <img
                        class="card-picture"
                        src="public/img/network-lab.svg"
                        alt="A grid of nodes: the ones near a corner are filled, an update spreading as a wave"
                        width="360"
                        height="200"
                    />
                    <h3>
                        <a href=Route::NetworkLab.href()>"Network & broadcast"</a>
                    </h3>
                    <p>
                        "Flooding, gossip and tree broadcast over lossy, slow or partitioned \
                         links. You will see messages fly along the links, nodes light up as \
                         they learn an update, and how many messages each protocol pays for \
                         its speed."
                    </p>
                </li>
                <li class="card lab-card">
                    <img
                        class="card-picture"
                        src="public/img/crdt-lab.svg"
                        alt="Five replicas in a ring, filled in two colours: two different states that will merge into one"
                        width="360"
                        height="200"
                    />
                    <h3>
                        <a href=Route::CrdtLab.href()>"CRDT convergence"</a>
                    </h3>
                    <p>
                        "Counters, sets, registers, maps and a shared text, replicated across a \
                         faulty network. You will see replicas drift apart and merge again, the \
                         version vectors, dots and tombstones inside each one, and what state, \
                         op and delta sync each cost in bytes."
                    </p>
                </li>
                <li class="card lab-card">
                    <img
                        class="card-picture"
                        src="public/img/energy-lab.svg"
                        alt="Server hosts: two packed with virtual machines, two switched off and hatched, beside a power curve"
                        width="360"
                        height="200"
                    />
                    <h3>
                        <a href=Route::EnergyLab.href()>"Energy & sustainability"</a>
                    </h3>
                    <p>
                        "What computing and communication cost in kilowatt-hours and grams of \
                         CO₂. You will work out the energy of a video step by step, move a \
                         processor's clock to see when racing to idle pays, and watch virtual \
                         machines packed onto fewer hosts while idle hosts switch off."
                    </p>
                </li>
                <li class="card lab-card">
                    <img
                        class="card-picture"
                        src="public/img/edge-lab.svg"
                        alt="Devices under base stations, a fog node above them and the cloud on top, with tasks travelling up the links"
                        width="360"
                        height="200"
                    />
                    <h3>
                        <a href=Route::EdgeLab.href()>"Edge–cloud continuum"</a>
                    </h3>
                    <p>
                        "Where should a task run: on the device's base station, a fog node or \
                         the cloud? You will place tasks with deadlines by nine policies (up to a \
                         learning bandit), on synthetic tiers or the real base stations of \
                         Melbourne, watch the edge saturate, see serverless cold starts, and \
                         compare the policies' latency, energy and cost."
                    </p>
                </li>
            </ul>
        </section>
    }
}
