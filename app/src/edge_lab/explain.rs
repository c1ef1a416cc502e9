//! What the edge lab explains: each placement policy, the serverless cold-start trade-off, and
//! what the view shows. Pure text, tested natively.

use edge::Policy;

/// What a placement policy does, and where it shines and fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyText {
    /// What it does.
    pub does: &'static str,
    /// Where it shines and where it fails.
    pub trade_off: &'static str,
}

/// A policy's name for menus and tables.
pub fn policy_name(policy: Policy) -> &'static str {
    match policy {
        Policy::CloudOnly => "Cloud only",
        Policy::NearestEdge => "Nearest edge",
        Policy::Random => "Random",
        Policy::RoundRobin => "Round robin",
        Policy::LeastLoaded => "Least loaded",
        Policy::LatencyAware => "Latency-aware",
        Policy::EnergyAware => "Energy-aware",
        Policy::DeadlineAware => "Deadline-aware (offload upward)",
        Policy::Bandit => "Learning (UCB1 bandit)",
    }
}

/// What `policy` does and its trade-off.
pub fn policy_text(policy: Policy) -> PolicyText {
    match policy {
        Policy::CloudOnly => PolicyText {
            does: "Sends every task over the wide-area network to the cloud data centre, whatever its size or deadline.",
            trade_off: "The cloud has the fastest cores and the most capacity (16 cores, as many as an edge server and half a fog node, but each ten times as fast), so it rarely queues, but every task pays the WAN crossing both ways (about 100 ms each with EdgeCloudSim's figures) and the energy of carrying its data across it. Tight deadlines are missed even when nothing is busy.",
        },
        Policy::NearestEdge => PolicyText {
            does: "Runs each task on the edge server at the user's own base station.",
            trade_off: "One wireless hop: the lowest latency while that server keeps up. It ignores load, so a busy cell builds a queue while its neighbours idle; once the edge saturates, tasks wait, miss their deadlines, and are dropped when the queue is full.",
        },
        Policy::Random => PolicyText {
            does: "Picks one of the candidate servers (own edge, neighbouring edges, fog, cloud) at random.",
            trade_off: "A baseline that spreads load with no knowledge at all: any policy worth its complexity should beat it.",
        },
        Policy::RoundRobin => PolicyText {
            does: "Takes the candidate servers in turn.",
            trade_off: "Spreads tasks evenly by count, but not by size or distance: a light task may travel to the cloud while a heavy one lands on a small edge box.",
        },
        Policy::LeastLoaded => PolicyText {
            does: "Picks the candidate with the fewest queued and running tasks per core, as last reported.",
            trade_off: "Balances load, but ignores distance, and its view is as old as the last load report: many tasks placed between two reports all go to the same 'least loaded' server (herding).",
        },
        Policy::LatencyAware => PolicyText {
            does: "Estimates each candidate's completion time (sending the input, waiting in its queue, computing, returning the output) and picks the earliest.",
            trade_off: "Weighs distance against load, so it usually has the best latency; it is only as good as its estimates, which rest on stale load reports.",
        },
        Policy::EnergyAware => PolicyText {
            does: "Picks the candidate where the task adds the least energy: the server's power above idle while computing it, plus the network energy of moving its data, among servers not known to be full.",
            trade_off: "Every tier here spends the same energy per instruction (no source gives one tier a clear edge), so it mostly saves the network's share by keeping tasks close: in practice it runs tasks on the user's own edge until that is full, and pays for it in latency when the edge is busy.",
        },
        Policy::DeadlineAware => PolicyText {
            does: "Runs the task on the user's own edge if it is estimated to finish before its deadline there; otherwise offloads upward, to the fog and then the cloud, to the first that can make it.",
            trade_off: "What the continuum is for: the edge's low latency while it has room, and load shed upward when it saturates, so fewer deadline misses than nearest-edge under load and lower latency than cloud-only at light load.",
        },
        Policy::Bandit => PolicyText {
            does: "Learns where to send tasks from the completion times it observes: a UCB1 multi-armed bandit over {own edge, least-loaded neighbour, fog, cloud} that mostly picks the arm that has worked best and sometimes explores the others.",
            trade_off: "Needs no model of the system and adapts when the load changes (the lecture's 'intelligent distributed systems' trend), but it pays for exploring with some slow tasks, and it learns per tier, not per server.",
        },
    }
}

/// The serverless cold-start trade-off.
pub const COLD_START: &str = "A serverless function runs in an instance that must be started first: a container takes hundreds of milliseconds (250 ms here, the order AWS Lambda's cold starts were measured at), an isolate about 5 ms (Cloudflare's figure for its V8 isolates running JavaScript, assumed here for WebAssembly). Keeping an instance warm after a request (the keep-alive window) spares the next requests a cold start but holds memory: fewer functions fit on a server, so more servers must be powered, and when memory is full a new instance must evict an idle one or wait. The warm memory itself adds no power here, because a powered server's memory draws its background power whether or not a function holds it; scaling to zero frees that memory for other functions and makes the next request wait. Autoscaling starts instances ahead of demand, on a utilisation threshold or to keep a target utilisation, trading idle instances for fewer cold starts.";

/// What the live view shows.
pub const VIEW: &str = "Devices (small dots, coloured by application) send tasks to their base station's edge server (squares); fog nodes (diamonds) and the cloud (the large rounded square) sit behind. Dots moving along the lines are tasks and their results on the wire. The bar under each server is its load: the filled part is busy cores, the hatched part beyond it is its queue.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_is_named_and_explained_in_sentences() {
        for p in Policy::ALL {
            let t = policy_text(p);
            assert!(!policy_name(p).is_empty());
            for text in [t.does, t.trade_off] {
                assert!(text.ends_with('.'), "{p:?}: {text}");
                assert!(text.len() > 30, "{p:?}: too short");
            }
        }
        let names: std::collections::BTreeSet<_> =
            Policy::ALL.iter().map(|&p| policy_name(p)).collect();
        assert_eq!(names.len(), Policy::ALL.len(), "names are distinct");
    }

    /// The numbers and comparisons the sentences state hold for the default machines.
    #[test]
    fn the_sentences_match_the_default_machines() {
        use edge::{ServerSpec, Tier};
        let (edge, fog, cloud) = (ServerSpec::edge(), ServerSpec::fog(), ServerSpec::cloud());
        let cloud_text = policy_text(Policy::CloudOnly).trade_off;
        assert!(cloud_text.contains("16 cores"), "{cloud_text}");
        assert_eq!(cloud.cores, 16);
        assert_eq!(cloud.cores, edge.cores, "as many as an edge server");
        assert_eq!(2 * cloud.cores, fog.cores, "half a fog node");
        assert_eq!(
            cloud.mips_per_core,
            10.0 * edge.mips_per_core,
            "ten times as fast"
        );
        let capacity = |s: &ServerSpec| f64::from(s.cores) * s.mips_per_core;
        assert!(capacity(&cloud) > capacity(&fog) && capacity(&cloud) > capacity(&edge));
        // "Every tier here spends the same energy per instruction."
        let per_mi: Vec<f64> = [Tier::Edge, Tier::Fog, Tier::Cloud]
            .map(|t| ServerSpec::for_tier(t).dynamic_joules_per_mi())
            .to_vec();
        assert!(
            per_mi.iter().all(|j| (j - per_mi[0]).abs() < 1e-15),
            "{per_mi:?}"
        );
        // The cold-start figures are the runtimes' defaults.
        assert_eq!(edge::Runtime::Container.cold_start().as_millis_f64(), 250.0);
        assert_eq!(edge::Runtime::WasmIsolate.cold_start().as_millis_f64(), 5.0);
        assert!(COLD_START.contains("250 ms") && COLD_START.contains("5 ms"));
        assert!(!COLD_START.contains("draws power while"));
    }
}
