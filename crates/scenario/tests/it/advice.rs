//! Every preset's advice, followed: each "switch …", "compare …", "look for …" in a preset's
//! description is applied exactly as a learner would, in the editor (the field changed) and,
//! where the lab forks on that parameter, through the fork's [`Change`], and the promised
//! difference is asserted on the numbers the page shows (`LabRun::metrics`, the broadcast
//! panel's messages per update, the edge summary). Issue 15 found a preset whose advice changed
//! nothing; these tests fail when advice and model drift apart again.

use edge::{Autoscaler, Policy};
use protocols::broadcast::{Protocol, flood_messages_per_update};
use scenario::crdt_lab::{CrdtType, Update, crdt_presets};
use scenario::edge_lab::edge_presets;
use scenario::fork::{Change, fork};
use scenario::lab_run::Knowledge;
use scenario::scenario::{ActionKind, Lab, Preset, broadcast_presets};
use scenario::{BroadcastRun, CrdtRun, EdgeRun, LabRun, Scenario};
use sim::{RunBudget, SimDuration, SimTime};

/// Where the tests fork: a parameter fork replays from zero, so any moment gives the same run.
const FORK_AT: SimTime = SimTime::from_millis(300);

fn find(presets: Vec<Preset>, name: &str) -> Scenario {
    presets
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no preset {name}"))
        .scenario
}

/// `run` advanced to `at` (capped at its end).
fn until<R: LabRun>(run: &mut R, at: SimTime) {
    while run.now() < at.min(run.end()) {
        run.advance(RunBudget {
            until: at,
            max_events: u64::MAX,
        });
    }
}

fn finished<R: LabRun>(scenario: &Scenario) -> R {
    let mut run = R::start(scenario).expect("a valid scenario");
    let end = run.end();
    until(&mut run, end);
    assert!(run.is_finished());
    run
}

/// A metric as the page's compare table shows it, by name.
fn metric<R: LabRun>(run: &R, name: &str) -> f64 {
    run.metrics()
        .into_iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
        .value
        .unwrap_or_else(|| panic!("{name} has no value"))
}

fn with_seed(mut s: Scenario, seed: u64) -> Scenario {
    s.seed = seed;
    s
}

// ---------------------------------------------------------------------------------------------
// Network & broadcast lab

const REACH: &str = "Reach (node, update) pairs";

/// The editor's protocol field set to `protocol`.
fn edit_protocol(mut s: Scenario, protocol: Protocol) -> Scenario {
    match &mut s.lab {
        Lab::Broadcast(b) => b.protocol = protocol,
        _ => panic!("not a broadcast scenario"),
    }
    s
}

/// The run with the protocol switched, in the editor and through a fork (the same scenario).
fn switched(s: &Scenario, protocol: Protocol) -> Vec<BroadcastRun> {
    let edited = edit_protocol(s.clone(), protocol);
    let forked = fork(s, FORK_AT, &Change::Protocol(protocol)).expect("a valid fork");
    assert_eq!(
        forked, edited,
        "the fork changes the protocol, nothing else"
    );
    vec![finished(&edited), finished(&forked)]
}

/// The broadcast panel's "Messages per update".
fn per_update(run: &BroadcastRun) -> f64 {
    run.stats().report().messages_per_update
}

/// "Switch the protocol to flooding and compare the reach." On the preset's grid the spanning
/// tree is one of many paths, so flooding routes around lost messages; the preset used to be a
/// tree topology, where flooding follows the same 62 links as the spanning tree and every
/// number came out the same (issue 15). Checked at the preset's seed, with the numbers its text
/// gives, and at four more seeds for the difference itself.
#[test]
fn lossy_spanning_tree_try_flooding_reaches_more() {
    let preset = find(broadcast_presets(), "Lossy spanning tree");
    for seed in [5, 1, 2, 3, 4] {
        let tree_scenario = with_seed(preset.clone(), seed);
        let tree: BroadcastRun = finished(&tree_scenario);
        let n = tree.node_count() as usize;
        assert!(
            tree.topology().link_count() as usize > n - 1,
            "seed {seed}: the topology needs spare links for flooding to route around losses"
        );
        let exact = flood_messages_per_update(tree.topology()).expect("connected") as f64;
        for flood in switched(&tree_scenario, Protocol::Flood) {
            let (t, f) = (metric(&tree, REACH), metric(&flood, REACH));
            println!(
                "seed {seed}: tree reach {t:.3}, {:.1} msgs/update; flooding {f:.3}, {:.1}",
                per_update(&tree),
                per_update(&flood)
            );
            assert!(f > t + 0.25, "seed {seed}: flooding {f} vs tree {t}");
            assert!(
                f > 0.95,
                "seed {seed}: flooding routes around 10 % loss: {f}"
            );
            // The tree never sends more than n − 1 per update; flooding pays for every link.
            assert!(per_update(&tree) <= (n - 1) as f64);
            assert!(per_update(&flood) > 2.0 * (n - 1) as f64);
            assert!(per_update(&flood) <= exact);
            if seed == 5 {
                // The text: "at most 62 messages", "fewer than half of the nodes", "158
                // messages per update", "to every node".
                assert_eq!(n, 63);
                assert!(t < 0.5, "{t}");
                assert_eq!(exact, 158.0);
                assert_eq!(per_update(&flood), 158.0);
                assert_eq!(f, 1.0);
            }
        }
    }
    // Without loss the tree reaches everyone with exactly n − 1 = 62 messages per update: what
    // it loses in the preset is the loss's doing.
    let mut lossless = preset.clone();
    if let Lab::Broadcast(b) = &mut lossless.lab {
        b.link.loss = 0.0;
    }
    let tree: BroadcastRun = finished(&lossless);
    assert_eq!(per_update(&tree), 62.0);
    assert_eq!(metric(&tree, REACH), 1.0);
}

/// "It sends about 760 messages per update and misses about 1 node in 20 … Switch the protocol
/// to flooding and compare: 1,001 messages per update on this graph, and every node reached."
/// Gossip with 2 pushes for 2 rounds is cheaper than flooding on a graph of mean degree 6 and
/// misses a few nodes; the preset's old 3 × 4 pushes cost more than flooding there and missed
/// none, so its advice taught the opposite of what the page showed.
#[test]
fn push_gossip_200_nodes_try_flooding_costs_more_and_misses_none() {
    let preset = find(broadcast_presets(), "Push gossip, 200 nodes");
    for seed in [7, 1, 2, 3, 4] {
        let gossip_scenario = with_seed(preset.clone(), seed);
        let gossip: BroadcastRun = finished(&gossip_scenario);
        let g = metric(&gossip, REACH);
        assert!(
            g < 0.99,
            "seed {seed}: the rumour misses some nodes: reach {g}"
        );
        assert!(
            per_update(&gossip) <= 4.0 * 200.0,
            "at most 4 messages per node"
        );
        for flood in switched(&gossip_scenario, Protocol::Flood) {
            let f = metric(&flood, REACH);
            println!(
                "seed {seed}: gossip reach {g:.3}, {:.0} msgs/update; flooding {f:.3}, {:.0}",
                per_update(&gossip),
                per_update(&flood)
            );
            assert_eq!(f, 1.0, "seed {seed}: flooding reaches every node");
            assert!(
                per_update(&gossip) < 0.85 * per_update(&flood),
                "seed {seed}: gossip is the cheaper one"
            );
            if seed == 7 {
                assert_eq!(per_update(&flood), 1_001.0);
                assert!((700.0..=820.0).contains(&per_update(&gossip)), "about 760");
                assert!((0.93..=0.97).contains(&g), "about 1 node in 20 missed: {g}");
            }
        }
    }
}

/// "Node 12, the centre of the grid, crashes at 15 ms: flooding routes around it, but the
/// crashed node never learns the update."
#[test]
fn crash_a_relay_is_routed_around_and_never_learns() {
    let run: BroadcastRun = finished(&find(broadcast_presets(), "Crash a relay"));
    for (i, look) in run.node_looks().iter().enumerate() {
        if i == 12 {
            assert!(!look.up);
            assert_eq!(look.knowledge, Knowledge::Unaware, "the crashed relay");
        } else {
            assert_eq!(look.knowledge, Knowledge::Latest, "node {i}");
        }
    }
    assert_eq!(metric(&run, REACH), 24.0 / 25.0);
}

/// "A ring of 30 is split in half at 100 ms and healed at 1.5 s. The update cannot cross until
/// the heal; then anti-entropy repairs the other half."
#[test]
fn partition_then_heal_crosses_only_after_the_heal() {
    let scenario = find(broadcast_presets(), "Partition, then heal (push-pull)");
    let mut run = BroadcastRun::start(&scenario).unwrap();
    until(&mut run, SimTime::from_millis(1_499));
    let knows = |run: &BroadcastRun| {
        run.node_looks()
            .iter()
            .map(|l| l.knowledge == Knowledge::Latest)
            .collect::<Vec<_>>()
    };
    let before = knows(&run);
    println!("{before:?}");
    // Anti-entropy with one peer per 100 ms walks the source's half (a line of 15 once the
    // ring is cut) slowly; what matters is that nothing crosses.
    assert!(
        before[..15].iter().filter(|&&k| k).count() > 5,
        "the source's half learns"
    );
    assert!(before[15..].iter().all(|&k| !k), "nothing crossed the cut");
    let end = run.end();
    until(&mut run, end);
    assert!(knows(&run).iter().all(|&k| k), "repaired after the heal");
}

/// "Part two: the same 25 nodes in a line. Far fewer messages per broadcast, but the update
/// needs 24 hops of 10 ms to reach the far end" (compared with part one, the grid).
#[test]
fn flooding_on_a_line_sends_fewer_messages_but_needs_24_hops() {
    let grid: BroadcastRun = finished(&find(broadcast_presets(), "Flooding on a 5×5 grid"));
    let line: BroadcastRun = finished(&find(broadcast_presets(), "Flooding on a line of 25"));
    assert!(per_update(&line) * 2.0 < per_update(&grid));
    let t = line.stats().report().time_to_all_p50.unwrap();
    assert_eq!(t.0, 24 * 10_000_000, "24 hops of 10 ms");
}

// ---------------------------------------------------------------------------------------------
// CRDT lab

fn edit_type(mut s: Scenario, t: CrdtType) -> Scenario {
    match &mut s.lab {
        Lab::Crdt(c) => c.data_type = t,
        _ => panic!("not a CRDT scenario"),
    }
    s
}

/// "The replicas end disagreeing, or agreeing on a number below the true total: increments are
/// lost. Switch the type to a G-Counter and compare." (The CRDT lab forks on the sync mode, not
/// the type, so this is the editor's change only.)
#[test]
fn last_message_wins_try_a_g_counter_loses_nothing() {
    let naive_scenario = find(crdt_presets(), "Last message wins (naive)");
    let total: i64 = match &naive_scenario.lab {
        Lab::Crdt(c) => c
            .actions
            .iter()
            .filter_map(|a| match &a.kind {
                ActionKind::Update {
                    update: Update::Add(by),
                    ..
                } => Some(*by),
                _ => None,
            })
            .sum(),
        _ => unreachable!(),
    };
    let naive: CrdtRun = finished(&naive_scenario);
    let values: Vec<i64> = naive.values().iter().map(|v| v.parse().unwrap()).collect();
    println!("naive {values:?}, true total {total}");
    assert!(
        values.windows(2).any(|w| w[0] != w[1]) || values[0] < total,
        "naive counter lost nothing: {values:?} vs {total}"
    );
    let g: CrdtRun = finished(&edit_type(naive_scenario, CrdtType::GCounter));
    for v in g.values() {
        assert_eq!(v, total.to_string(), "the G-Counter keeps every increment");
    }
}

/// "… yet “early” wins everywhere … An MV-Register would keep both." Switching the type in the
/// editor keeps both concurrent writes on every replica.
#[test]
fn lww_and_a_slow_clock_try_an_mv_register_keeps_both() {
    let lww = find(crdt_presets(), "LWW and a slow clock");
    let run: CrdtRun = finished(&lww);
    for v in run.values() {
        assert_eq!(v, r#""early""#);
    }
    let mv: CrdtRun = finished(&edit_type(lww, CrdtType::MvRegister));
    let values = mv.values();
    println!("{values:?}");
    for v in &values {
        assert!(v.contains("early") && v.contains("late"), "{v}");
    }
}

/// "Operations arrive before the ones they depend on and wait in the buffer; the periodic
/// repair … delivers the rest."
#[test]
fn lossy_network_buffers_operations_then_repairs() {
    let run: CrdtRun = finished(&find(crdt_presets(), "Lossy network"));
    let most = run.samples().iter().map(|s| s.buffered_ops).max().unwrap();
    assert!(most > 0, "some operation waited for its dependencies");
    assert_eq!(run.totals().buffered_ops, 0, "all delivered in the end");
    assert_eq!(run.report().distinct_states, 1);
}

// ---------------------------------------------------------------------------------------------
// Edge lab

fn edit_policy(mut s: Scenario, policy: Policy) -> Scenario {
    match &mut s.lab {
        Lab::Edge(e) => e.policy = policy,
        _ => panic!("not an edge scenario"),
    }
    s
}

/// The runs with `policy`, set in the editor and through a fork (the same scenario).
fn with_policy(s: &Scenario, policy: Policy) -> Vec<EdgeRun> {
    let edited = edit_policy(s.clone(), policy);
    let forked = fork(s, FORK_AT, &Change::Policy(policy)).expect("a valid fork");
    assert_eq!(forked, edited);
    vec![finished(&edited), finished(&forked)]
}

/// "The edge is idle and close: nearest-edge answers in about 0.11 s, cloud-only pays two WAN
/// crossings. Compare the policies."
#[test]
fn low_load_try_cloud_only_pays_two_wan_crossings() {
    let near_scenario = find(edge_presets(), "Low load");
    let near: EdgeRun = finished(&near_scenario);
    let n = near.summary();
    let wan_ms = match &near_scenario.lab {
        Lab::Edge(e) => e.links.wan.latency.as_millis_f64(),
        _ => unreachable!(),
    };
    for cloud in with_policy(&near_scenario, Policy::CloudOnly) {
        let c = cloud.summary();
        println!(
            "nearest {:.1} ms, cloud {:.1} ms, WAN {wan_ms} ms",
            n.mean_ms, c.mean_ms
        );
        assert!((100.0..=120.0).contains(&n.mean_ms), "about 0.11 s");
        // The cloud computes 0.09 s faster than an edge core but crosses the WAN twice.
        assert!(c.mean_ms > n.mean_ms + 2.0 * wan_ms - 100.0, "{c:?}");
        assert!(
            metric(&cloud, "Mean latency") > metric(&near, "Mean latency") * 1.5,
            "the compare table shows the same"
        );
    }
}

/// "Two small edge servers get 1.5 times what they can run: nearest-edge misses its deadlines,
/// deadline-aware offloads upward and meets them." The preset runs deadline-aware; the fork
/// menu suggests nearest-edge.
#[test]
fn saturated_edge_try_nearest_edge_misses_deadlines() {
    let aware_scenario = find(edge_presets(), "Saturated edge");
    let Lab::Edge(e) = &aware_scenario.lab else {
        unreachable!()
    };
    // 1.5 times: tasks per second per edge server over what its cores complete per second.
    let edges = match e.topology {
        edge::layout::TopologyPreset::Synthetic { edges, devices, .. } => {
            let offered = f64::from(devices) / e.apps[0].interarrival.as_secs_f64();
            let capacity =
                f64::from(e.tiers.edge.cores) * e.tiers.edge.mips_per_core / e.apps[0].cpu_mi;
            assert!(((offered / f64::from(edges)) / capacity - 1.5).abs() < 1e-9);
            edges
        }
        _ => panic!("a synthetic topology"),
    };
    assert_eq!(edges, 2);
    let aware: EdgeRun = finished(&aware_scenario);
    let a = aware.summary();
    for near in with_policy(&aware_scenario, Policy::NearestEdge) {
        let n = near.summary();
        println!(
            "miss rate nearest {:.3}, deadline-aware {:.3}; on edge {:?} vs {:?}",
            n.miss_rate, a.miss_rate, n.completed_on, a.completed_on
        );
        assert!(
            n.miss_rate > 0.3,
            "nearest-edge misses its deadlines: {n:?}"
        );
        assert!(a.miss_rate < 0.05, "deadline-aware meets them: {a:?}");
        let upward = |s: &edge::RunSummary| {
            s.completed_on[edge::Tier::Fog.index()] + s.completed_on[edge::Tier::Cloud.index()]
        };
        assert!(upward(&a) > upward(&n) + 100, "offloads upward");
    }
}

fn mean_instances(run: &EdgeRun) -> f64 {
    let s = run.samples();
    s.iter().map(|s| s.instances as f64).sum::<f64>() / s.len() as f64
}

/// "Sparse tasks on serverless containers with a 2 s keep-alive: instances scale to zero and
/// many tasks wait 250 ms for a cold start." Then "The same workload on WebAssembly isolates: a
/// cold start costs 5 ms", and "Containers kept warm 30 s and pre-started at 70 % target
/// utilisation: fewer cold starts, more idle instances."
#[test]
fn cold_start_presets_scale_to_zero_and_autoscaling_trades_idle_instances_for_them() {
    let containers = find(edge_presets(), "Cold starts: containers");
    let wasm = find(edge_presets(), "Cold starts: WebAssembly");
    let autoscaled = find(edge_presets(), "Autoscaled containers");
    let serverless = |s: &Scenario| match &s.lab {
        Lab::Edge(e) => e.serverless.clone().expect("a serverless preset"),
        _ => unreachable!(),
    };
    assert_eq!(
        serverless(&containers).cold_start,
        SimDuration::from_millis(250)
    );
    assert_eq!(
        serverless(&containers).keep_alive,
        SimDuration::from_secs(2)
    );
    assert_eq!(serverless(&wasm).cold_start, SimDuration::from_millis(5));
    let a = serverless(&autoscaled);
    assert_eq!(a.keep_alive, SimDuration::from_secs(30));
    assert_eq!(a.autoscaler, Autoscaler::TargetUtilisation { target: 0.7 });

    let c: EdgeRun = finished(&containers);
    let (cs, samples) = (c.summary(), c.samples());
    let cold_share = |s: &edge::RunSummary| s.cold_starts as f64 / s.created as f64;
    println!(
        "containers: {:.0} % cold, mean {:.1} ms, {:.2} instances on average",
        100.0 * cold_share(&cs),
        cs.mean_ms,
        mean_instances(&c)
    );
    assert!(cold_share(&cs) > 0.15, "many tasks start cold: {cs:?}");
    let idle_from = samples.iter().position(|s| s.instances > 0).unwrap();
    assert!(
        samples[idle_from..].iter().any(|s| s.instances == 0),
        "instances scale to zero"
    );

    let w: EdgeRun = finished(&wasm);
    let ws = w.summary();
    // As many cold starts, each 245 ms shorter.
    assert!(
        ws.mean_ms + 0.5 * 245.0 * cold_share(&cs) < cs.mean_ms,
        "{ws:?}"
    );

    let au: EdgeRun = finished(&autoscaled);
    let aus = au.summary();
    println!(
        "autoscaled: {:.0} % cold, {:.2} instances on average",
        100.0 * cold_share(&aus),
        mean_instances(&au)
    );
    assert!(
        cold_share(&aus) < 0.5 * cold_share(&cs),
        "fewer cold starts"
    );
    // About 4.2 instances alive on average against 2.3; the tasks keep only about 0.2 busy
    // (2 tasks/s of 0.1 s), so the extra ones are idle.
    assert!(
        mean_instances(&au) > 1.5 * mean_instances(&c),
        "more instances kept, mostly idle"
    );
}

// ---------------------------------------------------------------------------------------------
// Energy lab (no presets; its one piece of advice is the DVFS verdict's last sentence)

/// The DVFS explorer's verdict ends "Raise the static power to see racing win": at the lab's
/// default 2 W running slowly wins, and raising the static power (the editor's field) far
/// enough makes racing to idle win, because leakage is paid for as long as the task runs.
#[test]
fn dvfs_default_try_raising_the_static_power_makes_racing_win() {
    use scenario::energy_lab::{DVFS_PERIOD, DVFS_TASK_CYCLES, default_energy_scenario};
    let mut s = default_energy_scenario();
    let Lab::Energy(e) = &mut s.lab else {
        unreachable!()
    };
    let race = |e: &scenario::energy_lab::EnergyScenario| {
        e.processor()
            .race_to_idle(DVFS_TASK_CYCLES, DVFS_PERIOD)
            .unwrap()
            .race_wins
    };
    assert!(!race(e), "slow wins at the default static power");
    let threshold = (2..=100)
        .find(|&w| {
            e.dvfs.static_power_w = f64::from(w);
            race(e)
        })
        .expect("some static power makes racing win");
    println!("racing wins from {threshold} W of static power");
    // Once it wins it keeps winning: more leakage only favours the shorter run.
    for w in threshold..=100 {
        e.dvfs.static_power_w = f64::from(w);
        assert!(race(e), "{w} W");
    }
}

/// "Crash a relay": the only node without the update is the crashed one, and the shortfall
/// says so (issue 15, item 7: the page said only "no update has reached every node yet").
#[test]
fn crash_a_relay_shortfall_names_the_crashed_node() {
    let scenario = find(broadcast_presets(), "Crash a relay");
    let run: BroadcastRun = finished(&scenario);
    let s = run.shortfall().expect("an update misses a node");
    assert_eq!(s.update, 0);
    assert_eq!(s.missing, 1, "{s:?}");
    assert_eq!(s.crashed, [sim::NodeId(12)]);
    assert_eq!((s.cut_off, s.in_reach), (0, 0), "{s:?}");
}

/// A 10,000-node grid flooded for the default 1 s: the wave needs 198 hops of 10 ms, so the
/// run ends with nodes in reach that never heard of it — the shortfall counts them and how far
/// the farthest is, so the page can say the duration is too short.
#[test]
fn a_grid_too_big_for_its_duration_leaves_nodes_in_reach() {
    let mut scenario = find(broadcast_presets(), "Flooding on a 5×5 grid");
    let Lab::Broadcast(b) = &mut scenario.lab else {
        panic!("a broadcast preset")
    };
    b.nodes = 10_000;
    let run: BroadcastRun = finished(&scenario);
    let s = run
        .shortfall()
        .expect("the wave has not arrived everywhere");
    assert!(s.crashed.is_empty() && s.cut_off == 0, "{s:?}");
    assert_eq!(s.missing, s.in_reach);
    assert!(s.in_reach > 1_000, "{s:?}");
    // From (0, 0), 1 s of 10 ms hops informs the nodes up to 100 hops away (and the second
    // update, at 400 ms, 60); the far corner of the 100 × 100 grid is 198 hops away.
    assert!((90..=140).contains(&s.farthest_hops), "{s:?}");

    // A partition cuts nodes off instead.
    let scenario = find(broadcast_presets(), "Partition, then heal (push-pull)");
    let mut run = BroadcastRun::start(&scenario).unwrap();
    until(&mut run, SimTime::from_millis(1_000));
    let s = run.shortfall().expect("half the ring is cut off");
    assert_eq!(s.cut_off, 15, "{s:?}");
}
