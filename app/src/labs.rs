//! The app's table of labs: for every row of [`scenario::labs::LABS`], the page that shows
//! it (its picture, its introduction, and the component that runs it).
//!
//! Routes, the header's "Labs" menu, the home page's map of the course and share links all read
//! this table; a new lab adds one [`LabPage`] here and its own module. Nothing else names a lab.

use leptos::prelude::*;
use scenario::labs::{self, LabInfo, Part};

pub mod rpc;

/// How a lab page is drawn: the catalogue row plus what only the app knows.
pub struct LabPage {
    /// The lab's row in the catalogue (route, titles, part of the course, what it teaches).
    pub info: &'static LabInfo,
    /// The home card's picture, relative to the site root (`public/img/…`).
    pub picture: &'static str,
    /// The picture's text alternative.
    pub picture_alt: &'static str,
    /// The home card's text: what the learner will see.
    pub card: &'static str,
    /// The introduction under the page's title.
    pub intro: &'static str,
    /// The lab's body, opening a share-link fragment (`s=…`, without `#`) when given one. It is
    /// a future because a lab's code is loaded on demand (see `network_lab::network_page`).
    pub body: fn(Option<String>) -> LabBody,
}

/// A lab's body being loaded: its code arrives the first time its route opens.
pub type LabBody = std::pin::Pin<Box<dyn std::future::Future<Output = AnyView> + Send>>;

/// Every lab page, in the catalogue's order.
pub fn pages() -> &'static [LabPage] {
    &PAGES[..]
}

/// The page of the lab whose route is `route`.
pub fn page(route: &str) -> Option<&'static LabPage> {
    PAGES.iter().find(|page| page.info.route == route)
}

/// The pages of one part of the course.
pub fn pages_in(part: Part) -> impl Iterator<Item = &'static LabPage> {
    PAGES.iter().filter(move |page| page.info.part == part)
}

fn info(route: &str) -> &'static LabInfo {
    match labs::lab(route) {
        Some(info) => info,
        None => &labs::LABS[0],
    }
}

static PAGES: std::sync::LazyLock<[LabPage; 5]> = std::sync::LazyLock::new(|| {
    [
        LabPage {
            info: info("network"),
            picture: "public/img/network-lab.svg",
            picture_alt: "A grid of nodes: the ones near a corner are filled, an update spreading \
                          as a wave",
            card: "Flooding, gossip and tree broadcast over lossy, slow or partitioned links. You \
                   will see messages fly along the links, nodes light up as they learn an update, \
                   and how many messages each protocol pays for its speed.",
            intro: "How does a message reach every node? Compare flooding, gossip and tree \
                    broadcast on different topologies, and see what latency, loss and partitions \
                    do to delivery time and to the number of messages sent.",
            body: |shared| Box::pin(crate::network_lab::network_page(shared)),
        },
        LabPage {
            info: info("rpc"),
            picture: "public/img/rpc-lab.svg",
            picture_alt: "A client and a server with time running down: a request, its lost \
                          reply, a retry and a second deposit",
            card: "Clients deposit money on a server over links that lose messages. You will \
                   see requests and replies fly, retries after timeouts, and the server's \
                   balance drift above what the clients believe when a lost reply makes a call \
                   run twice, then stop it with a reply cache, until the server crashes.",
            intro: "What does a remote call promise when requests and replies are lost and \
                    servers crash? Compare at-most-once, at-least-once and exactly-once calls of \
                    an operation that must not run twice (a deposit), and watch timeouts, \
                    retries, duplicate executions and unknown outcomes.",
            body: |shared| Box::pin(rpc::rpc_page(shared)),
        },
        LabPage {
            info: info("crdt"),
            picture: "public/img/crdt-lab.svg",
            picture_alt: "Five replicas in a ring, filled in two colours: two different states \
                          that will merge into one",
            card: "Counters, sets, registers, maps and a shared text, replicated across a faulty \
                   network. You will see replicas drift apart and merge again, the version \
                   vectors, dots and tombstones inside each one, and what state, op and delta \
                   sync each cost in bytes.",
            intro: "Replicas of a counter, set, register, map or text are updated concurrently, \
                    while the network delays, loses and partitions their messages. Watch them \
                    diverge and converge without coordination, look inside each replica at the \
                    metadata that makes it possible, and compare what each way of syncing costs.",
            body: |shared| Box::pin(crate::crdt_lab::crdt_page(shared)),
        },
        LabPage {
            info: info("edge"),
            picture: "public/img/edge-lab.svg",
            picture_alt: "Devices under base stations, a fog node above them and the cloud on \
                          top, with tasks travelling up the links",
            card: "Where should a task run: on the device's base station, a fog node or the \
                   cloud? You will place tasks with deadlines by nine policies (up to a learning \
                   bandit), on synthetic tiers or the real base stations of Melbourne, watch the \
                   edge saturate, see serverless cold starts, and compare the policies' latency, \
                   energy and cost.",
            intro: "Where should a task run: on the user's base station, a regional fog node or \
                    the cloud? Devices send tasks with deadlines; a placement policy decides where \
                    each one runs. Watch queues build, compare the nine policies on the same \
                    workload, and weigh latency, deadline misses, energy and cost.",
            body: |shared| Box::pin(crate::edge_lab::edge_page(shared)),
        },
        LabPage {
            info: info("energy"),
            picture: "public/img/energy-lab.svg",
            picture_alt: "Server hosts: two packed with virtual machines, two switched off and \
                          hatched, beside a power curve",
            card: "What computing and communication cost in kilowatt-hours and grams of CO₂. You \
                   will work out the energy of a video step by step, move a processor's clock to \
                   see when racing to idle pays, and watch virtual machines packed onto fewer \
                   hosts while idle hosts switch off.",
            intro: "What do computing and communication cost in kilowatt-hours and grams of CO₂? \
                    Work out the energy of a video with every step shown, see how a server's \
                    power follows its load and what lowering the clock frequency saves, and \
                    watch virtual machines packed onto fewer hosts while idle hosts switch off.",
            body: |shared| Box::pin(crate::energy_lab::energy_page(shared)),
        },
    ]
});

/// A lab's page: its title and introduction from the table, then its body.
#[component]
pub fn LabShell(
    /// The lab.
    page: &'static LabPage,
    /// A share-link fragment (`s=…`, without `#`) to open instead of the default scenario.
    #[prop(optional, into)]
    shared: Option<String>,
) -> impl IntoView {
    view! {
        <div class="lab-page">
            <header class="lab-intro">
                <h1>{page.info.title}</h1>
                <p>{page.intro}</p>
            </header>
            <Suspense fallback=|| {
                view! { <p class="lab-loading" role="status">"Loading the lab…"</p> }
            }>{Suspend::new((page.body)(shared))}</Suspense>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_row_has_exactly_one_page() {
        assert_eq!(pages().len(), labs::LABS.len());
        for (row, page) in labs::LABS.iter().zip(pages()) {
            assert_eq!(page.info, row, "pages follow the catalogue's order");
        }
    }
}
