//! The trace log keeps memory under its cap on long runs and accounts for every event.

use crate::chatter::{Chatter, reference_scenario};
use sim::{
    Happening, LatencyModel, LinkParams, Observer, RunBudget, Sim, SimConfig, SimDuration, SimTime,
    Topology, TraceEvent, TraceLog,
};

/// Counts every trace event, to check the log's books.
#[derive(Default)]
struct Count(u64);

impl<M> Observer<M> for Count {
    fn observe(&mut self, _: &TraceEvent<'_, M>) {
        self.0 += 1;
    }
}

#[test]
fn a_million_events_stay_under_the_byte_cap() {
    const CAP: usize = 1 << 20;
    let nodes = 64;
    let topology = Topology::random(nodes, 4.0, 11).expect("valid topology");
    let link = LinkParams {
        latency: LatencyModel::Constant(SimDuration::from_millis(3)),
        loss: 0.01,
        duplicate: 0.01,
        ..LinkParams::default()
    };
    let config = SimConfig::new(8, topology).with_default_link(link);
    let mut sim = Sim::new(config, |_| {
        Chatter::new(SimDuration::from_millis(1), u64::MAX)
    })
    .expect("valid scenario");
    let mut log = TraceLog::new(nodes, CAP);
    let mut count = Count::default();
    let mut peak = 0;
    while count.0 < 1_000_000 {
        sim.run(
            RunBudget {
                until: SimTime::from_secs(3_600),
                max_events: 20_000,
            },
            &mut (&mut log, &mut count),
        );
        peak = peak.max(log.heap_bytes());
        assert!(
            log.heap_bytes() <= CAP,
            "{} bytes after {} events",
            log.heap_bytes(),
            count.0
        );
    }
    assert!(
        peak > CAP / 2,
        "the log filled up to its cap ({peak} bytes)"
    );
    assert!(
        log.evicted() > 300_000,
        "old events were evicted: {} of {}",
        log.evicted(),
        count.0
    );
    assert_eq!(
        log.evicted() + log.len() as u64 + log.skipped(),
        count.0,
        "every event is kept, evicted or skipped (a metric)"
    );
    // What is kept is the most recent events, in order, and a copy shares all full chunks.
    let seqs: Vec<u64> = log.entries().map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(seqs.last().copied(), Some(count.0 - 1));
    let copy = log.clone();
    assert!(copy.unshared_bytes() < CAP / 8, "copies share full chunks");
}

#[test]
fn every_kind_of_event_is_logged_with_its_fields() {
    let mut sim = reference_scenario();
    let mut log = TraceLog::new(30, usize::MAX);
    sim.run_until(SimTime::from_secs(10), &mut log);
    let words: std::collections::BTreeSet<&str> =
        log.entries().map(|e| e.happening.word()).collect();
    for w in [
        "start",
        "send",
        "deliver",
        "drop",
        "duplicate",
        "timer",
        "input",
        "crash",
        "restart",
        "fault",
        "note",
    ] {
        assert!(words.contains(w), "no {w} in the reference run");
    }
    assert_eq!(log.evicted(), 0);
    // Every delivery points at its send, and Lamport times respect it.
    for e in log.entries() {
        if let Happening::Deliver { id, send_seq, .. } = e.happening {
            let send = log.get(send_seq.expect("kept")).expect("kept");
            match send.happening {
                Happening::Send { id: sent, .. } => assert!(sent <= id, "a copy has a later id"),
                ref other => panic!("a delivery's cause is a send, not {other:?}"),
            }
            assert!(send.lamport < e.lamport);
        }
    }
}
