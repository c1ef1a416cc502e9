//! Validation against theory: M/M/1 response time, idle energy.

use crate::common::{ledger, world};
use edge::layout::TopologyPreset;
use edge::{AppSpec, EdgeConfig, EdgeWorld, LinkSpec, Links, Policy, ServerSpec};
use sim::{SimDuration, SimTime};

fn instant() -> LinkSpec {
    LinkSpec {
        latency: SimDuration::ZERO,
        bandwidth_bps: None,
    }
}

/// One edge server with one core, `devices` devices each sending Poisson tasks at `rate`
/// per second with exponential lengths of mean `1/mu` s on that core, instantaneous links,
/// an unbounded-enough queue.
fn mm1(devices: u32, rate_per_device: f64, mu: f64) -> EdgeConfig {
    let mut c = EdgeConfig {
        topology: TopologyPreset::Synthetic {
            edges: 1,
            fogs: 1,
            devices,
        },
        links: Links {
            access: instant(),
            man: instant(),
            wan: instant(),
        },
        apps: vec![AppSpec {
            name: "m/m/1".into(),
            share_percent: 100,
            interarrival: SimDuration((1e9 / rate_per_device) as u64),
            cpu_mi: 10_000.0 / mu,
            upload_bytes: 0,
            download_bytes: 0,
            deadline: SimDuration::from_secs(3_600),
        }],
        policy: Policy::NearestEdge,
        queue_capacity: 1_000_000,
        ..EdgeConfig::default()
    };
    c.tiers.edge = ServerSpec {
        cores: 1,
        mips_per_core: 10_000.0,
        ..ServerSpec::edge()
    };
    c
}

/// The superposition of independent Poisson streams is Poisson, so 10 devices at 0.5/s are
/// one Poisson stream of λ = 5/s into a single core serving exponential tasks at μ = 10/s:
/// M/M/1 with ρ = 0.5, mean response time 1/(μ − λ) = 200 ms. Over 4 simulated hours per seed
/// (about 72,000 tasks) and 4 fixed seeds, the mean is within 3 %.
#[test]
fn single_server_matches_mm1_mean_response_time() {
    let (lambda, mu) = (5.0, 10.0);
    let expected_ms = 1e3 / (mu - lambda);
    let mut sum = 0.0;
    let mut count = 0u64;
    for seed in [1, 2, 3, 4] {
        let mut w = world(&mm1(10, lambda / 10.0, mu), seed);
        w.run_until(SimTime::from_secs(4 * 3_600));
        let m = w.metrics();
        let mean_ms = m.latency.mean().unwrap().as_millis_f64();
        println!("seed {seed}: {} tasks, mean {mean_ms:.2} ms", m.completed);
        sum += mean_ms * m.completed as f64;
        count += m.completed;
        // Arrivals: λ·T within 2 %.
        let expected_tasks = lambda * 4.0 * 3_600.0;
        assert!(
            ((m.created as f64) - expected_tasks).abs() < 0.02 * expected_tasks,
            "seed {seed}"
        );
    }
    let mean = sum / count as f64;
    assert!(
        (mean - expected_ms).abs() < 0.03 * expected_ms,
        "mean response {mean:.2} ms, M/M/1 says {expected_ms:.2} ms"
    );
}

/// Without tasks, every machine draws its idle power for the whole run, so the ledger's
/// compute energy is Σ idle power × time exactly (no dynamic energy), and the only network
/// energy is the load reports'.
#[test]
fn idle_only_run_uses_idle_power_times_time() {
    let c = EdgeConfig {
        topology: TopologyPreset::Synthetic {
            edges: 3,
            fogs: 1,
            devices: 0,
        },
        ..EdgeConfig::default()
    };
    let mut w = EdgeWorld::new(&c, 5, ledger()).unwrap();
    let end = SimTime::from_secs(600);
    w.run_until(end);
    let t = w.ledger().totals(end);
    let idle_w = 3.0 * c.tiers.edge.idle_w + c.tiers.fog.idle_w + c.tiers.cloud.idle_w;
    let expected = idle_w * 600.0;
    assert!(
        (t.idle.0 - expected).abs() < 1e-9 * expected,
        "{} vs {expected}",
        t.idle.0
    );
    assert_eq!(t.dynamic.0, 0.0);
    assert!(t.network.0 > 0.0, "load reports cost network energy");
    // Totals are the sum of the parts.
    let e = w.energy_by_tier(end);
    assert!((e.total().0 - t.total.0).abs() < 1e-9 * t.total.0);
}

/// A busy server's dynamic energy is (peak − idle)/cores per busy core-second: the ledger and
/// the metrics' busy core-seconds agree.
#[test]
fn dynamic_energy_follows_the_linear_power_model() {
    let c = mm1(10, 0.5, 10.0);
    let mut w = world(&c, 9);
    let end = SimTime::from_secs(600);
    w.run_until(end);
    let busy = w.metrics().busy_core_secs(edge::Tier::Edge, end);
    let per_core = (c.tiers.edge.peak_w - c.tiers.edge.idle_w) / f64::from(c.tiers.edge.cores);
    let t = w.ledger().totals(end);
    assert!(busy > 0.0);
    assert!(
        (t.dynamic.0 - busy * per_core).abs() < 1e-6 * t.dynamic.0,
        "{} vs {}",
        t.dynamic.0,
        busy * per_core
    );
}

/// The energy-aware policy's network estimate for a placement equals what the energy ledger
/// charges for it: one device, tasks placed round-robin over its own edge, the other edge of
/// its region (two MAN links through the fog), the fog (one MAN link) and the cloud (one WAN
/// link); every task and result message between servers is summed from the ledger and
/// compared with the sum of `Plan::network_joules` over the tasks placed on each slot.
#[test]
fn the_energy_estimate_equals_what_the_ledger_charges() {
    let c = EdgeConfig {
        topology: TopologyPreset::Synthetic {
            edges: 2,
            fogs: 1,
            devices: 1,
        },
        apps: vec![AppSpec {
            name: "fixed".into(),
            share_percent: 100,
            interarrival: SimDuration::from_secs(5),
            cpu_mi: 1_000.0,
            upload_bytes: 25_000,
            download_bytes: 1_000_000,
            deadline: SimDuration::from_secs(10),
        }],
        policy: Policy::RoundRobin,
        ..EdgeConfig::default()
    };
    let mut l = ledger();
    l.keep_messages = true;
    let mut w = EdgeWorld::new(&c, 3, l).unwrap();
    // Stop long after the last arrival that can finish, so every placed task is back.
    let end = SimTime::from_secs(600);
    w.run_until(end);
    let plan = w.plan().clone();
    let device = plan.device_node(0);
    let task = edge::workload::Task {
        id: edge::workload::TaskId::new(device, 0),
        device,
        app: 0,
        origin: device,
        created_ns: 0,
        cpu_mi: 1_000.0,
        upload_bytes: 25_000,
        download_bytes: 1_000_000,
        deadline: SimDuration::from_secs(10),
        cold_start: false,
    };
    let up = 25_000 + edge::node::HEADER_BYTES;
    let down = 1_000_000 + edge::node::HEADER_BYTES;
    // Ledger: task and result messages not on the access link.
    let charged: f64 = w
        .ledger()
        .messages()
        .iter()
        .filter(|m| m.from != device && m.to != device)
        .filter(|m| m.size_bytes == up || m.size_bytes == down)
        .map(|m| m.energy.0)
        .sum();
    let uplinks = w
        .ledger()
        .messages()
        .iter()
        .filter(|m| m.from != device && m.to != device && m.size_bytes == up)
        .count();
    // Estimate: the tasks completed on each tier times that slot's estimate.
    let s = w.summary();
    assert_eq!(s.in_progress, 0, "{s:?}");
    assert_eq!(s.dropped_total(), 0, "{s:?}");
    let on = |t: edge::Tier| s.completed_on[t.index()] as f64;
    let e = plan.layout.device_edge[0];
    let n = plan.slot_count(e);
    let per_slot = |slot| plan.network_joules(e, slot, &task);
    // Round robin over 4 slots: the neighbour edge is the only other edge-tier slot.
    let own = s.completed_on[edge::Tier::Edge.index()].div_ceil(2) as f64;
    let neighbour = on(edge::Tier::Edge) - own;
    let estimated = neighbour * per_slot(1)
        + on(edge::Tier::Fog) * per_slot(n - 2)
        + on(edge::Tier::Cloud) * per_slot(n - 1);
    assert!(on(edge::Tier::Cloud) > 0.0 && on(edge::Tier::Fog) > 0.0 && neighbour > 0.0);
    // Two crossings out per neighbour task, one per fog or cloud task.
    assert_eq!(
        uplinks as f64,
        2.0 * neighbour + on(edge::Tier::Fog) + on(edge::Tier::Cloud)
    );
    assert!(
        (charged - estimated).abs() <= 1e-9 * charged,
        "ledger {charged} J vs estimate {estimated} J"
    );
    // Hand check of one slot: the cloud, one WAN link each way.
    let j_per_bit = w.ledger().config().energy_per_bit.0;
    let by_hand = f64::from(up + down) * 8.0 * j_per_bit;
    assert!((per_slot(n - 1) - by_hand).abs() <= 1e-12 * by_hand);
}
