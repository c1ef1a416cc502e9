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
            trade_off: "The cloud has by far the most and fastest cores, so it rarely queues, but every task pays the WAN crossing both ways (about 100 ms each with EdgeCloudSim's figures) and the energy of carrying its data across it. Tight deadlines are missed even when nothing is busy.",
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
            trade_off: "Saves energy by preferring efficient machines and short paths, and pays for it in latency when the efficient machine is far away or busy.",
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
pub const COLD_START: &str = "A serverless function runs in an instance that must be started first: a container takes hundreds of milliseconds (250 ms here), a WebAssembly isolate about 5 ms. Keeping an instance warm after a request (the keep-alive window) spares the next requests a cold start but holds memory, which draws power while nobody calls; scaling to zero saves that power and makes the next request wait. Autoscaling starts instances ahead of demand, on a utilisation threshold or to keep a target utilisation, trading idle instances for fewer cold starts.";

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
}
