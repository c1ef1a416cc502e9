//! The trace exports of both labs: the ShiViz log parses with ShiViz's default expression, and
//! its vector clocks agree with happens-before computed independently from the trace (program
//! order plus send → delivery, matched by message id, closed transitively); the JSON lines
//! carry the same clocks; the diagram's causal past and future agree too. Also with the oldest
//! events evicted, where the log must describe the kept window consistently.

use protocols::broadcast::{BroadcastConfig, BroadcastMsg, build_sim};
use regex::Regex;
use scenario::crdt_lab::crdt_presets;
use scenario::scenario::{ActionKind, Lab, broadcast_presets};
use scenario::{BroadcastRun, CrdtRun, Scenario};
use sim::{Happening, MessageId, NodeId, RunBudget, SHIVIZ_DEFAULT_REGEX, SimTime, TraceLog};
use std::collections::BTreeMap;

/// Happens-before among the log's local events, built without the log's own links: for each
/// event the set of local events before it, as a bitset over positions.
struct HappensBefore {
    /// Local events in order: (trace number, node).
    events: Vec<(u64, NodeId)>,
    /// `before[i]` has bit `j` set when event `j` happens before event `i`.
    before: Vec<Vec<u64>>,
}

impl HappensBefore {
    fn of(log: &TraceLog) -> HappensBefore {
        let mut events = Vec::new();
        let mut before: Vec<Vec<u64>> = Vec::new();
        let local: Vec<_> = log.entries().filter(|e| e.happening.is_local()).collect();
        let words = local.len().div_ceil(64);
        let mut last_on: BTreeMap<NodeId, usize> = BTreeMap::new();
        let mut sent_by: BTreeMap<MessageId, usize> = BTreeMap::new();
        // Duplicates name their original; their copies' deliveries follow the original send.
        let mut original: BTreeMap<MessageId, MessageId> = BTreeMap::new();
        for e in log.entries() {
            if let Happening::Duplicate {
                id, original: o, ..
            } = e.happening
            {
                original.insert(id, o);
            }
        }
        for (i, e) in local.iter().enumerate() {
            let mut set = vec![0u64; words];
            let join = |j: usize, set: &mut Vec<u64>, before: &Vec<Vec<u64>>| {
                set[j / 64] |= 1 << (j % 64);
                for (w, b) in set.iter_mut().zip(&before[j]) {
                    *w |= b;
                }
            };
            if let Some(&j) = last_on.get(&e.node) {
                join(j, &mut set, &before);
            }
            if let Happening::Deliver { id, .. } = e.happening {
                let id = original.get(&id).copied().unwrap_or(id);
                if let Some(&j) = sent_by.get(&id) {
                    join(j, &mut set, &before);
                }
            }
            if let Happening::Send { id, .. } = e.happening {
                sent_by.insert(id, i);
            }
            last_on.insert(e.node, i);
            events.push((e.seq, e.node));
            before.push(set);
        }
        HappensBefore { events, before }
    }

    fn is_before(&self, j: usize, i: usize) -> bool {
        self.before[i][j / 64] >> (j % 64) & 1 == 1
    }

    /// The vector clock event `i` must carry: per node, its events before `i` or equal to it.
    fn clock(&self, i: usize) -> BTreeMap<String, u64> {
        let mut c: BTreeMap<String, u64> = BTreeMap::new();
        for (j, &(_, node)) in self.events.iter().enumerate() {
            if j == i || self.is_before(j, i) {
                *c.entry(node.to_string()).or_default() += 1;
            }
        }
        c
    }
}

/// Parses a ShiViz export as ShiViz does: the first line is the expression, the second the
/// (empty) delimiter, the rest the log, matched with the expression again and again.
fn parse_shiviz(text: &str) -> Vec<(String, String, BTreeMap<String, u64>)> {
    let mut lines = text.splitn(3, '\n');
    assert_eq!(
        lines.next(),
        Some(SHIVIZ_DEFAULT_REGEX),
        "first line: the parser"
    );
    assert_eq!(lines.next(), Some(""), "second line: no delimiter");
    let log = lines.next().expect("a log").trim();
    // ShiViz's expression is JavaScript's; Rust's regex reads `{` as a repetition, so the two
    // literal braces are escaped, and nothing else changes.
    let re = Regex::new(&SHIVIZ_DEFAULT_REGEX.replace('{', r"\{").replace('}', r"\}"))
        .expect("the expression compiles");
    re.captures_iter(log)
        .map(|c| {
            let clock: BTreeMap<String, u64> =
                serde_json::from_str(&c["clock"]).expect("the clock is a JSON object");
            (c["event"].to_string(), c["host"].to_string(), clock)
        })
        .collect()
}

/// Checks every export and causal query of `log` against independent happens-before.
fn check(log: &TraceLog, what: &str) {
    let hb = HappensBefore::of(log);
    assert!(hb.events.len() > 50, "{what}: a busy trace");
    let parsed = parse_shiviz(&log.shiviz().expect("few nodes"));
    assert_eq!(
        parsed.len(),
        hb.events.len(),
        "{what}: one match per local event"
    );
    let mut own: BTreeMap<String, u64> = BTreeMap::new();
    for (i, ((event, host, clock), &(seq, node))) in parsed.iter().zip(&hb.events).enumerate() {
        assert_eq!(host, &node.to_string(), "{what}: event {seq}");
        assert!(!event.is_empty());
        // ShiViz's rules: each host's own entry starts at 1 and grows by 1.
        let n = own.entry(host.clone()).or_default();
        *n += 1;
        assert_eq!(clock.get(host), Some(&*n), "{what}: event {seq}: {event}");
        assert_eq!(clock, &hb.clock(i), "{what}: event {seq}: {event}");
    }
    // The JSON lines carry the same clocks.
    let json = log.json_lines();
    let mut rows = json.lines();
    let header: serde_json::Value = serde_json::from_str(rows.next().expect("header")).unwrap();
    assert_eq!(header["events"], log.len() as u64);
    let clocks: Vec<BTreeMap<String, u64>> = rows
        .map(|r| serde_json::from_str::<serde_json::Value>(r).expect("a JSON object"))
        .filter(|v| v.get("clock").is_some())
        .map(|v| serde_json::from_value(v["clock"].clone()).unwrap())
        .collect();
    assert_eq!(clocks.len(), parsed.len(), "{what}");
    assert!(clocks.iter().zip(&parsed).all(|(a, b)| a == &b.2), "{what}");
    // The diagram's queries: the vector clock, past and future of a spread of events.
    let first = log.entries().next().map_or(0, |e| e.seq);
    let last = log.entries().next_back().map_or(0, |e| e.seq);
    let step = (hb.events.len() / 25).max(1);
    for i in (0..hb.events.len()).step_by(step) {
        let seq = hb.events[i].0;
        let vc: BTreeMap<String, u64> = log
            .vector_clock(seq)
            .expect("a local event")
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .collect();
        assert_eq!(vc, hb.clock(i), "{what}: vector clock of {seq}");
        let local = |seqs: Vec<u64>| -> Vec<u64> {
            seqs.into_iter()
                .filter(|s| log.get(*s).is_some_and(|e| e.happening.is_local()))
                .collect()
        };
        let past: Vec<u64> = (0..hb.events.len())
            .filter(|&j| j == i || hb.is_before(j, i))
            .map(|j| hb.events[j].0)
            .collect();
        assert_eq!(
            local(log.causal_past(seq, first)),
            past,
            "{what}: past of {seq}"
        );
        let future: Vec<u64> = (0..hb.events.len())
            .filter(|&j| j == i || hb.is_before(i, j))
            .map(|j| hb.events[j].0)
            .collect();
        assert_eq!(
            local(log.causal_future(seq, last)),
            future,
            "{what}: future of {seq}"
        );
    }
}

fn with_seed(mut s: Scenario, seed: u64) -> Scenario {
    s.seed = seed;
    s
}

#[test]
fn broadcast_lab_exports_agree_with_happens_before() {
    for preset in broadcast_presets()
        .into_iter()
        .filter(|p| matches!(&p.scenario.lab, Lab::Broadcast(b) if b.nodes <= 50))
    {
        for seed in [1, 2, 3] {
            let scenario = with_seed(preset.scenario.clone(), seed);
            let mut run = BroadcastRun::new(&scenario).expect("valid");
            run.advance(RunBudget {
                until: run.end(),
                max_events: 2_500,
            });
            check(run.trace_log(), &format!("{} seed {seed}", preset.name));
        }
    }
}

#[test]
fn crdt_lab_exports_agree_with_happens_before() {
    for preset in crdt_presets()
        .into_iter()
        .filter(|p| matches!(&p.scenario.lab, Lab::Crdt(c) if c.replicas <= 50))
    {
        for seed in [1, 2] {
            let scenario = with_seed(preset.scenario.clone(), seed);
            let mut run = CrdtRun::new(&scenario).expect("valid");
            run.advance(RunBudget {
                until: run.end(),
                max_events: 2_500,
            });
            let log = run.trace_log().expect("the chosen mode keeps a trace");
            check(log, &format!("{} seed {seed}", preset.name));
        }
    }
}

#[test]
fn with_old_events_evicted_the_exports_describe_the_kept_window() {
    let preset = broadcast_presets()
        .into_iter()
        .find(|p| p.name == "Partition, then heal (push-pull)")
        .expect("preset");
    let Lab::Broadcast(b) = &preset.scenario.lab else {
        panic!("a broadcast preset")
    };
    let config = preset.scenario.sim_config(b).expect("valid");
    let mut sim = build_sim(
        config,
        BroadcastConfig {
            protocol: b.protocol,
            update_bytes: b.update_bytes,
        },
    )
    .expect("valid");
    for a in &b.actions {
        match &a.kind {
            ActionKind::Broadcast { node, update } => sim
                .schedule_input(a.at, *node, BroadcastMsg::Broadcast { update: *update })
                .expect("valid"),
            ActionKind::Fault(f) => sim.schedule_fault(a.at, f.clone()).expect("valid"),
            ActionKind::Update { .. } => {}
        }
    }
    let mut log = TraceLog::new(b.nodes, 200 << 10);
    sim.run_until(SimTime::ZERO + preset.scenario.duration, &mut log);
    assert!(log.evicted() > 0, "the small cap evicted events");
    check(&log, "evicted window");
}

#[test]
fn a_run_too_big_for_vector_clocks_says_so() {
    let preset = broadcast_presets()
        .into_iter()
        .find(|p| matches!(&p.scenario.lab, Lab::Broadcast(b) if b.nodes > sim::MAX_CLOCK_NODES))
        .expect("a big preset");
    let mut run = BroadcastRun::new(&preset.scenario).expect("valid");
    run.advance(RunBudget {
        until: run.end(),
        max_events: 1_000,
    });
    let err = run.trace_log().shiviz().expect_err("too many nodes");
    assert!(err.contains("JSON lines"), "{err}");
    let json = run.trace_log().json_lines();
    assert!(json.lines().count() > 100 && !json.contains("\"clock\":{"));
}
