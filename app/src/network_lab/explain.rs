//! The explainer: what the learner is looking at for the chosen protocol and topology, tied to
//! the live numbers, and what to try next. Pure text from a run.

use crate::kit::format;
use protocols::broadcast::Protocol;
use scenario::BroadcastRun;
use scenario::scenario::TopologyKind;

/// Up to this many nodes, the explainer says who misses an update while the run plays; above
/// it, only once the run has ended (the walk over the graph grows with its size, and the text is
/// rebuilt many times a second while a run plays).
const SHORTFALL_LIVE_NODES: u64 = 10_000;

/// Paragraphs for the explainer panel.
pub fn explain(run: &BroadcastRun) -> Vec<String> {
    let params = run.params();
    let n = params.nodes as u64;
    let links = run.sim().topology().link_count();
    let report = run.stats().report();
    let loss = params.link.loss;
    let mut out = Vec::new();

    out.push(match params.protocol {
        Protocol::Flood => {
            match protocols::broadcast::flood_messages_per_update(run.sim().topology()) {
                Some(exact) => format!(
                    "Flooding: every node that learns an update forwards it to all its neighbours \
                 except the one it came from. It reaches every reachable node by the fastest \
                 paths. Without loss it costs exactly 2L − (n − 1) messages per update (the \
                 source sends on every link, every other node on all but one): here {} links and \
                 {} nodes, so {} messages per update.",
                    format::count(links),
                    format::count(n),
                    format::count(exact)
                ),
                None => format!(
                    "Flooding: every node that learns an update forwards it to all its neighbours \
                 except the one it came from. This graph ({} links) is not connected, so an \
                 update reaches only its source's part of it.",
                    format::count(links)
                ),
            }
        }
        Protocol::PushGossip { fanout, rounds, .. } => format!(
            "Push gossip: a node that learns an update tells {fanout} random neighbour(s), \
             {rounds} round(s) in a row, then falls silent. At most {} messages per update, \
             whatever the topology, but a node that every push misses never learns it.",
            format::count(n * fanout as u64 * rounds as u64)
        ),
        Protocol::PushPull { fanout, period } => format!(
            "Push-pull gossip (anti-entropy): every {} each node compares notes with {fanout} \
             random neighbour(s) and they exchange what the other lacks. It never stops, so it \
             repairs losses, crashes and partitions, and it keeps sending even when everyone \
             already knows everything.",
            format::time_ns(period.0)
        ),
        Protocol::Tree { root } => format!(
            "Spanning tree: updates travel only along a breadth-first tree rooted at {root}: \
             exactly {} messages per update, the minimum. But the tree has no spare paths: one \
             lost message or one crashed relay cuts off everything below it.",
            format::count(n.saturating_sub(1))
        ),
    });

    out.push(match params.topology {
        TopologyKind::Line => format!(
            "A line is the worst case for distance: {} hops from one end to the other, each \
             paying the link latency.",
            n.saturating_sub(1)
        ),
        TopologyKind::Grid => {
            "A grid has many paths between two nodes: the update spreads as a diamond-shaped \
             wave, and a crashed node is routed around."
                .to_owned()
        }
        TopologyKind::Ring => {
            "A ring offers exactly two paths around: the update meets itself on the far side."
                .to_owned()
        }
        TopologyKind::Star => {
            "In a star every message goes through node 0, the hub: two hops between any \
             leaves, and everything stops if the hub crashes."
                .to_owned()
        }
        TopologyKind::Complete => {
            "In a complete graph everyone is one hop from everyone: fastest, and the most \
             messages."
                .to_owned()
        }
        TopologyKind::Tree { branching } => {
            format!("A tree with branching {branching}: few links, no redundancy, short depth.")
        }
        TopologyKind::Random { mean_degree } => format!(
            "A random graph with about {} neighbours per node: short paths (a few hops even for \
             thousands of nodes) and enough redundancy to survive some failures.",
            format::trim(mean_degree, 1)
        ),
    });

    if report.updates == 0 {
        out.push(
            "No update has been broadcast yet: press Play, or select a node and press \
             “Broadcast from …”."
                .to_owned(),
        );
    } else {
        let exact = match params.protocol {
            Protocol::Flood => {
                protocols::broadcast::flood_messages_per_update(run.sim().topology())
                    .map(|m| format!(" (exactly {} without loss)", format::count(m)))
            }
            _ => None,
        };
        let mut live = format!(
            "So far: {} update(s), {} messages per update{}, reach {}",
            report.updates,
            per_update(report.messages_per_update),
            exact.unwrap_or_default(),
            format::percent(report.reached_fraction)
        );
        match report.time_to_all_p50 {
            Some(t) => live.push_str(&format!(
                ", every node informed after {} (median).",
                format::time_ns(t.0)
            )),
            // Finding who misses an update walks the whole graph: while a huge run plays, the
            // text says only that no update is complete yet.
            None => live.push_str(&match (run.is_finished() || n <= SHORTFALL_LIVE_NODES)
                .then(|| run.shortfall())
                .flatten()
            {
                Some(s) => shortfall_words(run, &s),
                None => "; no update has reached every node yet.".to_owned(),
            }),
        }
        out.push(live);
    }

    out.push(match (params.protocol, params.topology) {
        (Protocol::Flood, TopologyKind::Grid) => {
            "Try: switch to the line preset and compare messages per update and the time to \
             reach all."
                .to_owned()
        }
        (Protocol::Flood, TopologyKind::Line) => {
            "Try: compare with the grid preset: more messages per update, but much faster."
                .to_owned()
        }
        (Protocol::Tree { .. }, _) if loss == 0.0 => {
            "Try: raise loss to 10 % and watch whole subtrees miss the update.".to_owned()
        }
        // On a network that is itself a tree, flooding has no other path than the spanning
        // tree's: switching would change nothing (issue 15, item 2).
        (
            Protocol::Tree { .. },
            TopologyKind::Tree { .. } | TopologyKind::Star | TopologyKind::Line,
        ) => "Try: this network is itself a tree, so flooding would take the very same links. \
              Pick a grid or a random topology first, then switch the protocol to flooding with \
              the same loss and compare the reach."
            .to_owned(),
        (Protocol::Tree { .. }, _) => {
            "Try: switch the protocol to flooding with the same loss and compare the reach."
                .to_owned()
        }
        (Protocol::PushGossip { .. }, _) => {
            "Try: lower the fanout to 1, or the rounds to 1, and look for nodes the rumour \
             missed; then raise them and count the messages."
                .to_owned()
        }
        (Protocol::PushPull { .. }, _) => {
            "Try: press “Split in halves”, broadcast, then “Heal”, and watch anti-entropy \
             repair the other half."
                .to_owned()
        }
        (Protocol::Flood, topology) => flood_loss_sentence(topology, n as u32, loss),
    });
    out
}

/// What loss does to flooding on `topology` with `n` nodes: at the current loss, or at 10 % if
/// there is none yet. Every figure is computed for the topology shown
/// (`protocols::broadcast::flood_reach_all_*` give the formulas).
pub fn flood_loss_sentence(topology: TopologyKind, n: u32, loss: f64) -> String {
    use protocols::broadcast::{
        flood_reach_all_complete_at_least, flood_reach_all_ring, flood_reach_all_tree,
    };
    let l = if loss > 0.0 { loss } else { 0.1 };
    let start = if loss > 0.0 {
        format!("At {} loss", format::percent(l))
    } else {
        "Try: raise loss to 10 %".to_owned()
    };
    match topology {
        TopologyKind::Star | TopologyKind::Tree { .. } => format!(
            "{start}. In a {} every link is a single point of failure: an update reaches all {n} \
             nodes only if all {} of its messages arrive, in about {} of updates \
             ((1 − loss)^(n − 1)); flooding cannot route around a lost message here.",
            if topology == TopologyKind::Star {
                "star"
            } else {
                "tree"
            },
            n.saturating_sub(1),
            format::percent(flood_reach_all_tree(n, l))
        ),
        TopologyKind::Ring if n >= 3 => format!(
            "{start}. A ring has only two paths to each node, so an update reaches all {n} nodes \
             in about {} of updates ((1 − loss)^(n − 1) · (1 + loss · (n − 1))); a miss leaves \
             out the nodes between two lost messages.",
            format::percent(flood_reach_all_ring(n, l))
        ),
        TopologyKind::Complete => format!(
            "{start}: in a complete graph every node hears the update from every other node \
             that has it, so flooding still reaches all {n} nodes in {} of updates.",
            at_least(flood_reach_all_complete_at_least(n, l))
        ),
        _ => format!(
            "{start} and compare the reach: flooding sends along every path, so a node is missed \
             only when the copies on all its links are lost; nodes with a single link are \
             missed first."
        ),
    }
}

/// A lower bound as a percentage, rounded down so that "at least" stays true.
fn at_least(p: f64) -> String {
    if p >= 0.999 {
        "more than 99.9 %".to_owned()
    } else {
        format!(
            "at least {}",
            format::percent((p * 1_000.0).floor() / 1_000.0)
        )
    }
}

/// Messages per update: one decimal when small, thousands separators when large.
pub fn per_update(v: f64) -> String {
    if v >= 1_000.0 {
        format::count(v.round() as u64)
    } else {
        format::trim(v, 1)
    }
}

/// Why an update has not reached every node, as the end of the "So far" sentence.
fn shortfall_words(run: &BroadcastRun, s: &scenario::Shortfall) -> String {
    let finished = run.is_finished();
    let nodes = |k: u64| {
        if k == 1 {
            "1 node".to_owned()
        } else {
            format!("{} nodes", format::count(k))
        }
    };
    let mut reasons = Vec::new();
    match s.crashed.len() {
        0 => {}
        1 => reasons.push(format!(
            "{} has crashed, and a crashed node hears nothing",
            s.crashed[0]
        )),
        k if k <= 5 => reasons.push(format!(
            "{} have crashed, and a crashed node hears nothing",
            s.crashed
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
        k => reasons.push(format!(
            "{} have crashed, and a crashed node hears nothing",
            nodes(k as u64)
        )),
    }
    if s.cut_off > 0 {
        reasons.push(format!(
            "{} cut off: no path of running nodes and open links leads there from a node that \
             knows it",
            match s.cut_off {
                1 => "1 node is".to_owned(),
                k => format!("{} are", nodes(u64::from(k))),
            }
        ));
    }
    if s.in_reach > 0 {
        let flood_without_loss =
            matches!(run.params().protocol, Protocol::Flood) && run.params().link.loss == 0.0;
        let who = match s.in_reach {
            1 => "1 node in reach".to_owned(),
            k => format!("{} in reach", nodes(u64::from(k))),
        };
        let hops = match s.farthest_hops {
            1 => "1 hop".to_owned(),
            h => format!("{h} hops"),
        };
        // A fault before the end (a crash, a split, an isolation) may have kept nodes from the
        // wave as it passed: flooding sends each update once, so a longer run would not help.
        let faulted = run.params().actions.iter().any(|a| {
            a.at <= run.now() && matches!(a.kind, scenario::scenario::ActionKind::Fault(_))
        });
        reasons.push(if !finished {
            format!("{who} may still hear of it (the farthest is {hops} away)")
        } else if flood_without_loss && faulted {
            format!(
                "{who} never heard of it: flooding sends each update once, so a node that was \
                 down or cut off as the wave passed misses it for good"
            )
        } else if flood_without_loss {
            format!(
                "{who} had not heard of it when the run ended: the farthest is {hops} from a node \
                 that knows it. The run is too short: lengthen the duration (now {})",
                format::time_ns(run.end().as_nanos())
            )
        } else {
            format!(
                "{who} never heard of it: messages towards them were lost or the protocol stopped \
                 sending (the farthest is {hops} from a node that knows it); a longer run may \
                 also help"
            )
        });
    }
    format!(
        "; update {} {} reached {}: {}.",
        s.update,
        if finished { "never" } else { "has not" },
        nodes(u64::from(s.missing)),
        reasons.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::scenario::broadcast_presets;

    #[test]
    fn every_preset_gets_an_explanation_with_live_numbers() {
        for preset in broadcast_presets().iter().take(6) {
            let mut run = BroadcastRun::new(&preset.scenario).expect("valid");
            let before = explain(&run);
            assert!(
                before.iter().any(|p| p.contains("No update")),
                "{}",
                preset.name
            );
            run.advance(sim::RunBudget {
                until: sim::SimTime::from_millis(300),
                max_events: u64::MAX,
            });
            let after = explain(&run);
            assert!(after.len() >= 4, "{}", preset.name);
            assert!(
                after.iter().any(|p| p.starts_with("So far")),
                "{}",
                preset.name
            );
            assert!(
                after.iter().any(|p| p.starts_with("Try")),
                "{}",
                preset.name
            );
        }
    }

    #[test]
    fn messages_per_update_read_well() {
        assert_eq!(per_update(12.25), "12.2");
        assert_eq!(per_update(591_837.4), "591,837");
    }

    #[test]
    fn the_grid_suggests_the_line() {
        let run = BroadcastRun::new(&broadcast_presets()[0].scenario).expect("valid");
        let text = explain(&run).join(" ");
        assert!(text.contains("line preset"), "{text}");
        assert!(text.contains("40 links"), "{text}");
        // 2L − (n − 1) = 80 − 24 on the 5 × 5 grid.
        assert!(text.contains("so 56 messages per update"), "{text}");
    }

    /// The loss sentence states the figures of the topology shown: 0.9^(n−1) on a star or
    /// tree (21 % at n = 16), the ring's two-path formula (18.4 % at n = 30), and no promise
    /// that "flooding usually still reaches everyone" where it does not.
    #[test]
    fn the_loss_sentence_is_true_for_the_topology_shown() {
        let star = flood_loss_sentence(TopologyKind::Star, 16, 0.0);
        assert!(star.contains("single point of failure"), "{star}");
        assert!(star.contains("all 15 of its messages"), "{star}");
        assert!(star.contains("20.6 %"), "{star}");
        let tree = flood_loss_sentence(TopologyKind::Tree { branching: 2 }, 16, 0.0);
        assert!(
            tree.contains("In a tree") && tree.contains("20.6 %"),
            "{tree}"
        );
        let ring = flood_loss_sentence(TopologyKind::Ring, 30, 0.0);
        assert!(ring.contains("18.4 %"), "{ring}");
        let at_loss = flood_loss_sentence(TopologyKind::Ring, 30, 0.2);
        assert!(at_loss.starts_with("At 20 % loss"), "{at_loss}");
        let complete = flood_loss_sentence(TopologyKind::Complete, 16, 0.0);
        assert!(
            complete.contains("in more than 99.9 % of updates"),
            "{complete}"
        );
        let small = flood_loss_sentence(TopologyKind::Complete, 3, 0.0);
        assert!(small.contains("at least 96.2 %"), "{small}");
        for t in [
            TopologyKind::Star,
            TopologyKind::Ring,
            TopologyKind::Tree { branching: 3 },
            TopologyKind::Random { mean_degree: 4.0 },
        ] {
            let text = flood_loss_sentence(t, 16, 0.0);
            assert!(!text.contains("usually still reaches everyone"), "{text}");
        }
    }

    fn finished(scenario: &scenario::Scenario) -> BroadcastRun {
        let mut run = BroadcastRun::new(scenario).expect("valid");
        run.advance(sim::RunBudget {
            until: run.end(),
            max_events: u64::MAX,
        });
        run
    }

    #[test]
    fn a_run_that_ends_short_says_who_missed_the_update_and_why() {
        let presets = broadcast_presets();
        let relay = presets.iter().find(|p| p.name == "Crash a relay").unwrap();
        let text = explain(&finished(&relay.scenario)).join(" ");
        assert!(
            text.contains("update 0 never reached 1 node: n12 has crashed"),
            "{text}"
        );

        let mut big = presets[0].scenario.clone();
        if let scenario::scenario::Lab::Broadcast(b) = &mut big.lab {
            b.nodes = 10_000;
        }
        let text = explain(&finished(&big)).join(" ");
        assert!(text.contains("The run is too short"), "{text}");
        assert!(text.contains("lengthen the duration (now 1 s)"), "{text}");
    }
}
