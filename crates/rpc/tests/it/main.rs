//! Remote calls on the kernel: what each semantics promises under loss and crashes.

use proptest::prelude::*;
use rpc::node::{SERVER, sim_config};
use rpc::{CacheDurability, RpcConfig, RpcNode, RpcReport, RpcStats, Semantics, build_sim};
use sim::{Fault, LinkParams, NodeId, RestartMode, Sim, SimDuration, SimTime};

fn lossy(loss: f64) -> LinkParams {
    LinkParams {
        loss,
        ..LinkParams::default()
    }
}

fn config(semantics: Semantics) -> RpcConfig {
    RpcConfig {
        semantics,
        ..RpcConfig::default()
    }
}

/// Runs `config` over `link` with `faults` until `until`; the stats and the world.
fn run(
    seed: u64,
    config: RpcConfig,
    link: LinkParams,
    faults: &[(u64, Fault)],
    until: SimTime,
) -> (RpcStats, Sim<RpcNode>) {
    let mut c = sim_config(seed, config.clients, link).expect("valid");
    for (ms, f) in faults {
        c = c.with_fault(SimTime::from_millis(*ms), f.clone());
    }
    let mut sim = build_sim(c, config).expect("valid");
    let mut stats = RpcStats::new();
    sim.run_until(until, &mut stats);
    (stats, sim)
}

/// The figures every run must satisfy, whatever the semantics and faults (no client restarted
/// with its state lost: such a client forgets what it counted).
fn check_books(stats: &RpcStats, sim: &Sim<RpcNode>) -> RpcReport {
    let r = check_books_kept(stats, sim);
    let believed: u64 = sim
        .nodes()
        .iter()
        .filter_map(RpcNode::client)
        .map(|c| c.completed)
        .sum();
    assert_eq!(r.completed, believed, "completions are the clients' own");
    r
}

/// [`check_books`] without comparing with the clients' own counts.
fn check_books_kept(stats: &RpcStats, sim: &Sim<RpcNode>) -> RpcReport {
    let r = stats.report();
    assert!(r.is_conserved(), "{r:?}");
    let server = sim.node(SERVER).and_then(RpcNode::server).expect("server");
    assert_eq!(
        r.balance, server.balance,
        "the trace's balance is the server's"
    );
    assert_eq!(
        r.executions - r.duplicate_executions,
        stats.calls().filter(|(_, c)| c.executions > 0).count() as u64
    );
    assert!(sim.stats().is_conserved());
    r
}

#[test]
fn lossless_every_semantics_executes_every_call_exactly_once() {
    for semantics in Semantics::ALL {
        let (stats, sim) = run(
            3,
            config(semantics),
            LinkParams::default(),
            &[],
            SimTime::from_secs(10),
        );
        let r = check_books(&stats, &sim);
        assert!(r.started > 150, "{semantics:?}: {r:?}");
        assert_eq!(r.unknown, 0, "{semantics:?}");
        assert_eq!(r.duplicate_executions, 0, "{semantics:?}");
        assert_eq!(r.retries_sent, 0, "{semantics:?}");
        assert_eq!(r.never_executed, 0, "{semantics:?}");
        // Every settled call ran once; the few in progress at the end may not have yet.
        assert!(r.executions >= r.completed && r.executions <= r.started);
        assert_eq!(r.balance, r.executions);
        // A round trip is two 10 ms links and 5 ms of processing, plus a little queueing.
        let mean = r.latency_mean.expect("completed calls");
        assert!(mean >= SimDuration::from_millis(25) && mean < SimDuration::from_millis(30));
    }
}

#[test]
fn lossy_at_least_once_deposits_twice() {
    let (stats, sim) = run(
        1,
        config(Semantics::AtLeastOnce),
        lossy(0.1),
        &[],
        SimTime::from_secs(10),
    );
    let r = check_books(&stats, &sim);
    assert!(r.duplicate_executions > 0, "{r:?}");
    assert!(r.retries_sent > 0);
    assert!(
        r.discrepancy() > 0,
        "the balance exceeds what clients believe"
    );
}

#[test]
fn exactly_once_with_a_durable_cache_never_executes_twice_and_answers_from_the_cache() {
    let (stats, sim) = run(
        1,
        config(Semantics::ExactlyOnce),
        lossy(0.1),
        &[],
        SimTime::from_secs(10),
    );
    let r = check_books(&stats, &sim);
    assert_eq!(r.duplicate_executions, 0, "{r:?}");
    assert!(r.retries_sent > 0 && r.cached_replies > 0, "{r:?}");
}

#[test]
fn at_most_once_never_executes_twice_and_leaves_outcomes_unknown() {
    // The network even duplicates messages: the server's filter keeps every call to one run.
    let link = LinkParams {
        loss: 0.1,
        duplicate: 0.2,
        ..LinkParams::default()
    };
    let (stats, sim) = run(
        2,
        config(Semantics::AtMostOnce),
        link,
        &[],
        SimTime::from_secs(10),
    );
    let r = check_books(&stats, &sim);
    assert_eq!(r.duplicate_executions, 0, "{r:?}");
    assert_eq!(r.retries_sent, 0);
    assert!(r.unknown > 0, "{r:?}");
    // The client cannot tell them apart, but some ran (reply lost) and some never did.
    assert!(r.unknown_executed > 0 && r.never_executed > 0, "{r:?}");
}

/// One client, one call, its reply cut off; the server restarts (a durable restart: its
/// balance on disk survives) after executing the call and before the client's retry arrives.
fn reply_lost_then_server_restarts(cache: CacheDurability) -> RpcReport {
    let config = RpcConfig {
        clients: 1,
        semantics: Semantics::ExactlyOnce,
        reply_cache: cache,
        call_rate: 0.2,
        ..RpcConfig::default()
    };
    let seed = 4;
    // When the first call starts (the same in every run of this seed and configuration).
    let (probe, _) = run(
        seed,
        config.clone(),
        LinkParams::default(),
        &[],
        SimTime::from_secs(30),
    );
    let t0 = probe.calls().next().expect("a call").1.started_at;
    let n1 = NodeId(1);
    let ms = t0.0 / 1_000_000;
    let faults = [
        (
            0,
            Fault::CutLink {
                from: SERVER,
                to: n1,
            },
        ),
        // Executed at t0 + 15 ms, its reply cut; the first retry leaves at t0 + 100 ms at the
        // earliest.
        (
            ms + 60,
            Fault::Restart {
                node: SERVER,
                mode: RestartMode::Durable,
            },
        ),
        (
            ms + 60,
            Fault::RestoreLink {
                from: SERVER,
                to: n1,
            },
        ),
    ];
    let (stats, sim) = run(
        seed,
        config,
        LinkParams::default(),
        &faults,
        SimTime(t0.0 + 2_000_000_000),
    );
    let first = stats.calls().next().expect("a call").1;
    assert_eq!(first.started_at, t0);
    check_books(&stats, &sim)
}

#[test]
fn a_volatile_reply_cache_lost_in_a_crash_executes_a_retry_again() {
    let volatile = reply_lost_then_server_restarts(CacheDurability::Volatile);
    assert!(volatile.duplicate_executions >= 1, "{volatile:?}");
    assert!(volatile.discrepancy() >= 1);
    let durable = reply_lost_then_server_restarts(CacheDurability::Durable);
    assert_eq!(durable.duplicate_executions, 0, "{durable:?}");
    assert!(durable.cached_replies >= 1, "{durable:?}");
}

#[test]
fn a_volatile_restart_of_the_server_loses_the_balance_and_a_client_crash_abandons_calls() {
    let faults = [
        (2_000, Fault::Crash(NodeId(1))),
        (
            3_000,
            Fault::Restart {
                node: NodeId(1),
                mode: RestartMode::Volatile,
            },
        ),
        (
            5_000,
            Fault::Restart {
                node: SERVER,
                mode: RestartMode::Volatile,
            },
        ),
    ];
    let (stats, sim) = run(
        5,
        RpcConfig {
            // Busy clients: n1 surely waits for some call when it crashes.
            call_rate: 50.0,
            ..config(Semantics::ExactlyOnce)
        },
        lossy(0.3),
        &faults,
        SimTime::from_secs(8),
    );
    let r = check_books_kept(&stats, &sim);
    assert!(r.balance < r.executions, "{r:?}");
    assert!(stats.abandoned > 0, "{r:?}");
    // The restarted client numbers its calls under a new incarnation: no id is reused.
    assert!(
        stats
            .calls()
            .any(|(id, _)| id.client == 1 && id.incarnation == 1)
    );
}

#[test]
fn the_books_balance_after_every_event() {
    let mut c = sim_config(9, 3, lossy(0.2))
        .expect("valid")
        .with_fault(SimTime::from_millis(700), Fault::Crash(SERVER))
        .with_fault(
            SimTime::from_millis(900),
            Fault::Restart {
                node: SERVER,
                mode: RestartMode::Durable,
            },
        );
    c = c.with_fault(SimTime::from_millis(1_200), Fault::Crash(NodeId(2)));
    let config = RpcConfig {
        clients: 3,
        semantics: Semantics::AtLeastOnce,
        ..RpcConfig::default()
    };
    let mut sim = build_sim(c, config).expect("valid");
    let mut stats = RpcStats::new();
    while sim.now() < SimTime::from_secs(3) && sim.step(&mut stats) {
        assert!(stats.report().is_conserved());
    }
    check_books(&stats, &sim);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// At-least-once over a lossy link executes some call twice, whatever the seed.
    #[test]
    fn lossy_at_least_once_duplicates_for_any_seed(seed in any::<u64>(), loss in 0.1f64..0.4) {
        let (stats, sim) = run(seed, config(Semantics::AtLeastOnce), lossy(loss), &[], SimTime::from_secs(10));
        let r = check_books(&stats, &sim);
        prop_assert!(r.duplicate_executions > 0, "seed {seed}, loss {loss}: {r:?}");
    }

    /// Exactly-once with a durable cache never executes a call twice, whatever the loss,
    /// duplication and server crashes.
    #[test]
    fn durable_exactly_once_never_duplicates(
        seed in any::<u64>(),
        loss in 0.0f64..0.5,
        duplicate in 0.0f64..0.3,
        crash_ms in 100u64..4_000,
    ) {
        let link = LinkParams { loss, duplicate, ..LinkParams::default() };
        let faults = [
            (crash_ms, Fault::Crash(SERVER)),
            (crash_ms + 200, Fault::Restart { node: SERVER, mode: RestartMode::Durable }),
        ];
        let (stats, sim) = run(seed, config(Semantics::ExactlyOnce), link, &faults, SimTime::from_secs(5));
        let r = check_books(&stats, &sim);
        prop_assert_eq!(r.duplicate_executions, 0, "seed {}: {:?}", seed, r);
    }

    /// At-most-once never executes a call twice, and under loss some outcomes are unknown.
    #[test]
    fn at_most_once_never_duplicates(seed in any::<u64>(), loss in 0.1f64..0.5, duplicate in 0.0f64..0.3) {
        let link = LinkParams { loss, duplicate, ..LinkParams::default() };
        let (stats, sim) = run(seed, config(Semantics::AtMostOnce), link, &[], SimTime::from_secs(10));
        let r = check_books(&stats, &sim);
        prop_assert_eq!(r.duplicate_executions, 0, "seed {}: {:?}", seed, r);
        prop_assert!(r.unknown > 0, "seed {seed}: {r:?}");
    }
}
