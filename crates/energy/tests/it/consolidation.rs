//! Consolidation: no policy overcommits a host or loses a VM; switching idle hosts off saves
//! energy when boots and migrations are free; a hand-computed case.

use energy::{
    EnergyError, Experiment, HostSpec, Joules, MeasuredCurve, MigrationCost, Policy, PowerModel,
    Seconds, Watts,
};
use proptest::prelude::*;

fn host(power: PowerModel, boot_time: f64, boot_energy: f64) -> HostSpec {
    HostSpec {
        power,
        off_power: Watts(0.0),
        boot_time: Seconds(boot_time),
        boot_energy: Joules(boot_energy),
    }
}

fn linear() -> PowerModel {
    PowerModel::linear(Watts(100.0), Watts(200.0)).unwrap()
}

/// Random VMs with demand per slot; enough hosts for one VM each.
fn experiment() -> impl Strategy<Value = Experiment> {
    (1usize..12, 1usize..8, any::<bool>()).prop_flat_map(|(vms, slots, measured)| {
        (
            prop::collection::vec(prop::collection::vec(0.0..=1.0f64, slots), vms),
            0usize..4,
        )
            .prop_map(move |(demand, spare)| Experiment {
                hosts: demand.len() + spare,
                demand,
                slot: Seconds(300.0),
                host: host(
                    if measured {
                        PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g5())
                    } else {
                        linear()
                    },
                    30.0,
                    5000.0,
                ),
                migration: MigrationCost::BELOGLAZOV_2012,
            })
    })
}

proptest! {
    #[test]
    fn prop_never_overcommits_and_counts_every_vm(e in experiment()) {
        for policy in Policy::ALL {
            let out = e.run(policy).unwrap();
            prop_assert_eq!(out.slots.len(), e.demand[0].len());
            for (t, s) in out.slots.iter().enumerate() {
                // Every VM is placed exactly once, on a host that exists and is on.
                prop_assert_eq!(s.assignment.len(), e.demand.len());
                let mut load = vec![0.0; e.hosts];
                for (v, &h) in s.assignment.iter().enumerate() {
                    prop_assert!(h < e.hosts && s.on[h], "{:?}: VM {} on host {} (off?)", policy, v, h);
                    load[h] += e.demand[v][t];
                }
                for (h, (&mine, &reported)) in load.iter().zip(&s.load).enumerate() {
                    prop_assert!(mine <= 1.0 + 1e-9, "{:?} slot {}: host {} at {}", policy, t, h, mine);
                    prop_assert!((mine - reported).abs() < 1e-12);
                }
                let total: f64 = (0..e.demand.len()).map(|v| e.demand[v][t]).sum();
                prop_assert!((s.load.iter().sum::<f64>() - total).abs() < 1e-9);
            }
            prop_assert!(out.sla_violation <= out.demand);
        }
    }

    /// With a linear power model and free boots and migrations, switching idle hosts off never
    /// costs more than keeping every host on.
    #[test]
    fn prop_switching_off_saves_energy_when_free(mut e in experiment()) {
        e.host = host(linear(), 0.0, 0.0);
        e.migration = MigrationCost::FREE;
        let spread = e.run(Policy::Spread).unwrap();
        let ffd = e.run(Policy::FirstFitDecreasing).unwrap();
        let off = e.run(Policy::PackAndSwitchOff).unwrap();
        prop_assert!(off.energy.0 <= spread.energy.0 * (1.0 + 1e-12));
        // All hosts on, linear model: the same energy however the load is spread.
        prop_assert!((ffd.energy.0 - spread.energy.0).abs() <= 1e-9 * spread.energy.0);
        prop_assert_eq!(off.sla_violation.0, 0.0);
    }
}

/// Three hosts, two VMs, two slots of 100 s, linear 100–200 W, boots 10 s and 1000 J.
///
/// - Slot 0: demands 0.3 and 0.4. Spread: hosts 0, 1 loaded (0.3, 0.4), host 2 idle:
///   140 + 130 + 100 = 370 W. FFD (peaks 0.3|0.9 and 0.4|0.5, sum 1.4 > 1 → two bins):
///   the same loads, 370 W. Pack + off: both VMs on one host at 0.7: 170 W.
/// - Slot 1: demands 0.9 and 0.5: no longer fit together; pack + off boots a second host
///   (1000 J) whose VM waits 10 s for it.
#[test]
fn hand_computed_case() {
    let e = Experiment {
        demand: vec![vec![0.3, 0.9], vec![0.4, 0.5]],
        slot: Seconds(100.0),
        hosts: 3,
        host: host(linear(), 10.0, 1000.0),
        migration: MigrationCost::FREE,
    };
    let spread = e.run(Policy::Spread).unwrap();
    // Slot 1 loads 0.9, 0.5, 0: 190 + 150 + 100 = 440 W.
    assert_eq!(spread.energy, Joules(370.0 * 100.0 + 440.0 * 100.0));
    assert_eq!(spread.boots + spread.migrations, 0);
    let ffd = e.run(Policy::FirstFitDecreasing).unwrap();
    assert_eq!(ffd.energy, spread.energy);
    let off = e.run(Policy::PackAndSwitchOff).unwrap();
    assert_eq!(off.slots[0].on.iter().filter(|&&o| o).count(), 1);
    assert_eq!(off.slots[1].on.iter().filter(|&&o| o).count(), 2);
    assert_eq!(off.boots, 1);
    // VM 0 (0.9) stays on the host that held most of it; VM 1 moves to the new host.
    assert_eq!(off.migrations, 1);
    // Slot 0: 170 W × 100 s; slot 1: 190 W + 150 W for 100 s, plus one boot.
    assert_eq!(off.energy, Joules(170.0 * 100.0 + 340.0 * 100.0 + 1000.0));
    // VM 1 (0.5) waits 10 s for the boot: 5 VM-seconds unserved.
    assert!((off.sla_violation.0 - 5.0).abs() < 1e-12);
    assert!(off.energy < spread.energy);
}

#[test]
fn too_few_hosts_and_bad_demand_are_errors() {
    let mut e = Experiment {
        demand: vec![vec![0.8], vec![0.8]],
        slot: Seconds(1.0),
        hosts: 1,
        host: host(linear(), 0.0, 0.0),
        migration: MigrationCost::FREE,
    };
    for p in Policy::ALL {
        assert!(
            matches!(e.run(p), Err(EnergyError::NotEnoughHosts { .. })),
            "{p:?}"
        );
    }
    e.hosts = 2;
    e.demand[0][0] = 1.5;
    assert!(matches!(
        e.run(Policy::Spread),
        Err(EnergyError::UtilisationOutOfRange { .. })
    ));
    e.demand[0] = vec![0.1, 0.2];
    assert!(matches!(
        e.run(Policy::Spread),
        Err(EnergyError::InvalidSeries { .. })
    ));
}
