//! Properties over random configurations: conservation and capacity after every slice, and
//! determinism.

use crate::common::{run_checked, world};
use edge::layout::TopologyPreset;
use edge::{Autoscaler, EdgeConfig, Policy, Runtime, ServerlessConfig};
use proptest::prelude::*;
use sim::{SimDuration, SimTime};

fn config() -> impl Strategy<Value = (EdgeConfig, u64)> {
    (
        1u32..5,
        1u32..3,
        0u32..40,
        0usize..Policy::ALL.len(),
        1u32..8,
        0u32..20,
        prop::option::of((0usize..2, 0u32..3, 1u32..3)),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(edges, fogs, devices, p, cores, queue, serverless, mobile, seed)| {
                let mut c = EdgeConfig {
                    topology: TopologyPreset::Synthetic {
                        edges,
                        fogs: fogs.min(edges),
                        devices,
                    },
                    policy: Policy::ALL[p],
                    queue_capacity: queue,
                    mobility_dwell: mobile.then_some(SimDuration::from_secs(3)),
                    ..EdgeConfig::default()
                };
                c.tiers.edge.cores = cores;
                c.serverless = serverless.map(|(rt, scaler, conc)| {
                    let mut s = ServerlessConfig::new(Runtime::ALL[rt]);
                    s.keep_alive = SimDuration::from_secs(1);
                    s.concurrency = conc;
                    s.autoscaler = match scaler {
                        0 => Autoscaler::OnDemand,
                        1 => Autoscaler::Threshold { utilisation: 0.5 },
                        _ => Autoscaler::TargetUtilisation { target: 0.7 },
                    };
                    s
                });
                (c, seed)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Every task is completed, dropped with a reason, or held by a server / on the wire, after
    /// every slice; no server runs more tasks than cores or queues more than its capacity.
    #[test]
    fn tasks_are_conserved_and_capacity_holds((c, seed) in config()) {
        let mut w = world(&c, seed);
        run_checked(&mut w, SimTime::from_secs(20), 700, seed);
    }

    /// Same configuration and seed, same trace hash, however the run is sliced.
    #[test]
    fn same_seed_same_trace((c, seed) in config()) {
        let mut a = world(&c, seed);
        a.run_until(SimTime::from_secs(10));
        let mut b = world(&c, seed);
        run_checked(&mut b, SimTime::from_secs(10), 333, seed);
        prop_assert_eq!(a.observers().hash.hex(), b.observers().hash.hex(), "seed {}", seed);
    }
}
