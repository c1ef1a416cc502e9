//! The table of labs: which labs exist, where they live and what each teaches, grouped by the
//! parts of the course (foundations, service orientation, system support, trends).
//!
//! One table drives the app's routes, the header's "Labs" menu, the home page's map of the
//! course, share-link and file routing ([`Lab::info`]). Adding a lab touches this file only
//! (in this crate): a variant of [`Lab`], its arms in [`Lab::as_lab`] and [`Lab::as_lab_mut`], a
//! row of [`LABS`], and the `mod` line of its folder `labs/<name>/` (its scenario type,
//! implementing [`LabScenario`], presets and live run, implementing [`crate::LabRun`]). Nothing
//! else lists the labs.

use crate::crdt_lab::CrdtScenario;
use crate::edge_lab::EdgeScenario;
use crate::energy_lab::EnergyScenario;
use crate::lab_scenario::LabScenario;
use crate::scenario::BroadcastScenario;
use serde::{Deserialize, Serialize};

pub mod rpc;

/// Which lab a scenario belongs to, with that lab's parameters. Variants are only ever appended
/// (share links and files encode the variant by its position), never reordered or removed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Lab {
    /// Network & broadcast.
    Broadcast(BroadcastScenario),
    /// CRDT convergence.
    Crdt(CrdtScenario),
    /// Energy & sustainability.
    Energy(EnergyScenario),
    /// The edge–cloud continuum.
    Edge(EdgeScenario),
    /// Remote calls.
    Rpc(rpc::RpcScenario),
}

impl Lab {
    /// The lab's parameters as every lab's: the one place besides the enum that lists the labs.
    pub fn as_lab(&self) -> &dyn LabScenario {
        match self {
            Lab::Broadcast(b) => b,
            Lab::Crdt(c) => c,
            Lab::Energy(e) => e,
            Lab::Edge(e) => e,
            Lab::Rpc(r) => r,
        }
    }

    /// The lab's parameters as every lab's, to change.
    pub fn as_lab_mut(&mut self) -> &mut dyn LabScenario {
        match self {
            Lab::Broadcast(b) => b,
            Lab::Crdt(c) => c,
            Lab::Energy(e) => e,
            Lab::Edge(e) => e,
            Lab::Rpc(r) => r,
        }
    }
}

/// A part of the course on distributed systems topics and trends, in the order it is taught.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// Architectures, middleware, communication.
    Foundations,
    /// SOA, REST, microservices, serverless.
    ServiceOrientation,
    /// Naming, clocks, consistency, replication, fault tolerance.
    SystemSupport,
    /// The edge–cloud continuum, CRDTs, serverless and WASM, intelligent operations, systems for
    /// AI, security, scale, and the energy cost of computing.
    Trends,
}

impl Part {
    /// Every part, in the order the course teaches them.
    pub const ALL: [Part; 4] = [
        Part::Foundations,
        Part::ServiceOrientation,
        Part::SystemSupport,
        Part::Trends,
    ];

    /// The part's title.
    pub fn title(self) -> &'static str {
        match self {
            Part::Foundations => "Foundations",
            Part::ServiceOrientation => "Service orientation",
            Part::SystemSupport => "System support",
            Part::Trends => "Trends",
        }
    }

    /// What the part covers, in a line.
    pub fn covers(self) -> &'static str {
        match self {
            Part::Foundations => "Architectures, middleware and communication.",
            Part::ServiceOrientation => "SOA, REST, microservices and serverless.",
            Part::SystemSupport => "Naming, clocks, consistency, replication and fault tolerance.",
            Part::Trends => {
                "The edge–cloud continuum, CRDTs, serverless and WebAssembly, security, scale \
                 and the energy cost of computing."
            }
        }
    }

    /// A stable identifier for element ids and tests (`foundations`, `service-orientation`, …).
    pub fn id(self) -> &'static str {
        match self {
            Part::Foundations => "foundations",
            Part::ServiceOrientation => "service-orientation",
            Part::SystemSupport => "system-support",
            Part::Trends => "trends",
        }
    }
}

/// One lab: its route, its names, its part of the course and what it teaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabInfo {
    /// The route of its page, `#/lab/<route>`, and the `&lab=` hint of its share links.
    pub route: &'static str,
    /// The page's title (`Network & broadcast`).
    pub title: &'static str,
    /// The short name in menus and links (`Network lab`).
    pub short: &'static str,
    /// The part of the course it belongs to.
    pub part: Part,
    /// What it teaches, in a line (the menu's and the home map's description).
    pub teaches: &'static str,
}

/// Every lab, in the order of the course (by part, then as taught within it).
pub static LABS: &[LabInfo] = &[
    LabInfo {
        route: "network",
        title: "Network & broadcast",
        short: "Network lab",
        part: Part::Foundations,
        teaches: "How a message reaches every node: flooding, gossip and tree broadcast over \
                  lossy, slow or partitioned links.",
    },
    LabInfo {
        route: "rpc",
        title: "Remote calls",
        short: "RPC lab",
        part: Part::Foundations,
        teaches: "What a remote call promises when requests and replies are lost and servers \
                  crash: at-most-once, at-least-once and exactly-once by deduplication.",
    },
    LabInfo {
        route: "crdt",
        title: "CRDT convergence",
        short: "CRDT lab",
        part: Part::Trends,
        teaches: "Replicas that diverge under partitions and loss and converge without \
                  coordination, and what state, op and delta sync cost.",
    },
    LabInfo {
        route: "edge",
        title: "Edge–cloud continuum",
        short: "Edge lab",
        part: Part::Trends,
        teaches: "Where a task should run, device, edge, fog or cloud: placement policies, \
                  serverless cold starts, latency, energy and cost.",
    },
    LabInfo {
        route: "energy",
        title: "Energy & sustainability",
        short: "Energy lab",
        part: Part::Trends,
        teaches: "What computing costs in kilowatt-hours and CO₂: a video's energy step by \
                  step, power curves and DVFS, VM consolidation.",
    },
];

/// The lab whose route is `route`.
pub fn lab(route: &str) -> Option<&'static LabInfo> {
    LABS.iter().find(|lab| lab.route == route)
}

/// The labs of one part of the course, in the table's order.
pub fn labs_in(part: Part) -> impl Iterator<Item = &'static LabInfo> {
    LABS.iter().filter(move |lab| lab.part == part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_unique_and_valid_lab_hints() {
        for (i, a) in LABS.iter().enumerate() {
            // A share link's `&lab=` hint carries the route: 1–16 ASCII lowercase letters.
            let hint = format!("s=1.x&lab={}", a.route);
            assert_eq!(crate::link::lab_hint(&hint), Some(a.route));
            for b in &LABS[i + 1..] {
                assert_ne!(a.route, b.route);
                assert_ne!(a.short, b.short);
            }
        }
    }

    #[test]
    fn labs_are_listed_in_the_order_of_the_course() {
        let parts: Vec<Part> = LABS.iter().map(|lab| lab.part).collect();
        let mut sorted = parts.clone();
        sorted.sort();
        assert_eq!(parts, sorted);
    }

    #[test]
    fn every_scenario_lab_has_a_row() {
        for scenario in [
            crate::default_scenario(),
            crate::crdt_lab::default_crdt_scenario(),
            crate::edge_lab::default_edge_scenario(),
            crate::energy_lab::default_energy_scenario(),
            rpc::default_rpc_scenario(),
        ] {
            assert_eq!(scenario.lab.info().route, scenario.lab.route());
        }
    }
}
