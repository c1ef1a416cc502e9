//! The edge lab's scenarios: presets valid, links and files round trip, the policies order as
//! the literature says on the presets, the ledger's parts sum, and a committed trace hash.

use edge::{Policy, Runtime};
use scenario::Scenario;
use scenario::edge_lab::{edge_of, edge_presets, low_load, saturated_edge};
use scenario::edge_run::{EdgeRun, compare, run_edge};
use scenario::scenario::Lab;
use sim::{RunBudget, SimDuration, SimTime};

pub use crate::reference_hashes::EDGE_REFERENCE_HASH;

fn preset(name: &str) -> Scenario {
    edge_presets()
        .into_iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no preset {name}"))
        .scenario
}

fn with_policy(mut s: Scenario, policy: Policy) -> Scenario {
    if let Lab::Edge(e) = &mut s.lab {
        e.policy = policy;
    }
    s
}

#[test]
fn presets_are_valid_route_to_the_edge_page_and_round_trip() {
    for p in edge_presets() {
        assert_eq!(p.scenario.validate(), Ok(()), "{}", p.name);
        assert_eq!(p.scenario.lab.route(), "edge");
        let link = p.scenario.to_fragment(Some(SimTime::from_secs(1))).unwrap();
        let opened = Scenario::from_fragment(&link).unwrap();
        assert_eq!(opened.scenario, p.scenario, "{}", p.name);
        let json = p.scenario.to_json();
        assert_eq!(
            Scenario::from_json(&json).unwrap(),
            p.scenario,
            "{}",
            p.name
        );
    }
}

#[test]
fn bad_edge_parameters_are_all_reported() {
    let mut s = low_load();
    if let Lab::Edge(e) = &mut s.lab {
        e.apps[0].deadline = SimDuration::ZERO;
        e.tiers.edge.cores = 0;
        e.queue_capacity = u32::MAX;
    }
    let err = s.validate().unwrap_err();
    let fields: Vec<&str> = err.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["tiers.edge.cores", "apps[0].deadline", "queue_capacity"],
        "{err}"
    );
    assert!(EdgeRun::new(&s).is_err());
}

/// Low load: the nearest edge answers faster than the cloud (no WAN crossings). Saturated
/// edge: nearest-edge misses far more deadlines than cloud-only, and deadline-aware offload
/// misses fewer than nearest-edge.
#[test]
fn policies_order_as_the_literature_says() {
    let near = run_edge(&with_policy(low_load(), Policy::NearestEdge))
        .unwrap()
        .summary;
    let cloud = run_edge(&with_policy(low_load(), Policy::CloudOnly))
        .unwrap()
        .summary;
    println!(
        "low load: nearest {:.1} ms, cloud {:.1} ms",
        near.mean_ms, cloud.mean_ms
    );
    assert!(near.mean_ms < 0.7 * cloud.mean_ms, "{near:?}\n{cloud:?}");
    assert!(near.p50_ms < cloud.p50_ms);

    let near = run_edge(&with_policy(saturated_edge(), Policy::NearestEdge))
        .unwrap()
        .summary;
    let cloud = run_edge(&with_policy(saturated_edge(), Policy::CloudOnly))
        .unwrap()
        .summary;
    let aware = run_edge(&with_policy(saturated_edge(), Policy::DeadlineAware))
        .unwrap()
        .summary;
    println!(
        "saturated: miss rate nearest {:.3}, cloud {:.3}, deadline-aware {:.3}",
        near.miss_rate, cloud.miss_rate, aware.miss_rate
    );
    assert!(near.miss_rate > 0.3, "{near:?}");
    assert!(cloud.miss_rate < 0.5 * near.miss_rate, "{cloud:?}");
    assert!(aware.miss_rate < 0.5 * near.miss_rate, "{aware:?}");
}

#[test]
fn webassembly_cold_starts_are_shorter_than_containers() {
    let run = |rt: Runtime| {
        let name = match rt {
            Runtime::Container => "Cold starts: containers",
            Runtime::WasmIsolate => "Cold starts: WebAssembly",
        };
        run_edge(&preset(name)).unwrap().summary
    };
    let c = run(Runtime::Container);
    let w = run(Runtime::WasmIsolate);
    println!(
        "containers {:.1} ms, {} cold; wasm {:.1} ms, {} cold",
        c.mean_ms, c.cold_starts, w.mean_ms, w.cold_starts
    );
    assert!(c.cold_starts > 10, "{c:?}");
    // About a quarter of the tasks start cold: 245 ms more each for containers.
    assert!(w.mean_ms + 40.0 < c.mean_ms, "{c:?}\n{w:?}");
    // Longer keep-alive and pre-started instances: fewer cold starts per task.
    let a = run_edge(&preset("Autoscaled containers")).unwrap().summary;
    assert!(
        (a.cold_starts as f64 / a.created as f64) < (c.cold_starts as f64 / c.created as f64),
        "{a:?}"
    );
}

#[test]
fn live_run_in_slices_equals_one_go_and_the_ledger_sums() {
    let s = saturated_edge();
    let whole = run_edge(&s).unwrap();
    let mut r = EdgeRun::new(&s).unwrap();
    let mut t = SimTime::ZERO;
    while !r.is_finished() {
        t += SimDuration::from_millis(137);
        r.advance(RunBudget {
            until: t,
            max_events: 5_000,
        });
        let sum = r.summary();
        assert_eq!(sum.in_progress, r.tasks_in_world());
    }
    assert_eq!(r.trace_hash().hex(), whole.trace_hash);
    assert_eq!(r.summary(), whole.summary);
    // The curves are sampled at fixed instants, whatever the slicing.
    let mut again = EdgeRun::new(&s).unwrap();
    again.run_to_end();
    assert_eq!(r.samples(), again.samples());
    assert!(r.samples().len() >= 400);
    // Ledger: totals are the sum of per-node parts, and the per-tier split sums to the total.
    let at = r.now();
    let totals = r.energy().totals(at);
    let parts: f64 = r.energy().nodes(at).iter().map(|n| n.total.0).sum();
    assert!((totals.total.0 - parts).abs() <= 1e-9 * parts);
    assert!((r.energy_by_tier().total().0 - totals.total.0).abs() <= 1e-9 * parts);
    assert!(totals.dynamic.0 > 0.0);
    assert!(r.metrics_csv().lines().count() == r.samples().len() + 1);
    assert_eq!(r.servers().len(), 1 + 1 + 2);
    assert_eq!(r.devices().len(), 60);
}

#[test]
fn compare_runs_every_policy_with_intervals_and_a_pareto_front() {
    let mut s = low_load();
    s.duration = SimDuration::from_secs(20);
    let c = compare(&s, &[1, 2, 3]).unwrap();
    assert_eq!(c.rows.len(), Policy::ALL.len());
    assert!(c.rows.iter().any(|r| r.pareto));
    for r in &c.rows {
        assert_eq!(r.mean_ms.n, 3);
        assert!(r.mean_ms.half_width >= 0.0);
    }
    assert!(compare(&s, &[]).is_err());
    assert!(edge_of(&s).is_some());
}

#[test]
fn edge_run_matches_its_committed_trace_hash() {
    let (name, hash) = EDGE_REFERENCE_HASH;
    let report = run_edge(&preset(name)).unwrap();
    println!("{name}: {}", report.trace_hash);
    assert_eq!(report.trace_hash, hash);
}

/// The edge page's ledger names its tiers' power and its network model with the figures the
/// model uses.
#[test]
fn the_edge_ledger_says_how_it_charges() {
    let c = scenario::edge_run::edge_ledger_config(100);
    let servers = c
        .provenance
        .iter()
        .find(|p| p.starts_with("servers:"))
        .expect("a servers line");
    for part in [
        "0.25 mW idle and 0.625 mW busy per MIPS",
        "edge 40→100 W",
        "fog 80→200 W",
        "cloud 400→1000 W",
    ] {
        assert!(servers.contains(part), "{part}: {servers}");
    }
    assert_eq!(c.line_power, None);
    assert!(
        c.network_model
            .contains("marginal energy only, 20 nJ per bit"),
        "{}",
        c.network_model
    );
}
