//! Virtual-machine consolidation: VMs with utilisation over time placed on identical hosts.
//!
//! Time is divided into equal slots; each VM's CPU demand in a slot is a fraction of one host.
//! Three policies:
//!
//! - [`Policy::Spread`]: worst-fit decreasing by peak demand — each VM, largest peak first, goes
//!   to the host with the least peak load. Static; every host stays on.
//! - [`Policy::FirstFitDecreasing`]: first-fit decreasing by peak demand — pack onto as few
//!   hosts as the peaks allow. Static; empty hosts stay on, idling.
//! - [`Policy::PackAndSwitchOff`]: every slot, re-pack by the slot's demand (first-fit
//!   decreasing), keep each packed bin on the host that already holds most of it, switch empty
//!   hosts off. A host switched on boots first (boot delay and boot energy), and its VMs are not
//!   served until it is up; a VM that moves is live-migrated (migration energy, and a
//!   performance loss during the migration). The run starts with the first slot's hosts
//!   already on.
//!
//! Static placements by peak demand never overcommit a host at any slot; the dynamic one packs by
//! each slot's demand, so it never overcommits either. Unserved demand (during boots) and the
//! migration performance loss are reported as SLA violation, in VM-seconds of demand.

use crate::error::{EnergyError, non_negative};
use crate::power::{PowerModel, Utilisation};
use crate::units::{Joules, Seconds, Watts};
use serde::{Deserialize, Serialize};

/// A small tolerance for summed demands (a host holding 0.3 + 0.7 is full, not over).
const EPS: f64 = 1e-9;

/// The hosts, all alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HostSpec {
    /// Power as a function of utilisation while on.
    pub power: PowerModel,
    /// Power while switched off (standby; often a few watts for the management controller).
    pub off_power: Watts,
    /// Time from switch-on until it serves VMs.
    pub boot_time: Seconds,
    /// Energy of one boot.
    pub boot_energy: Joules,
}

/// Live migration's cost.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MigrationCost {
    /// Energy of one migration (source and destination together).
    pub energy: Joules,
    /// How long one migration lasts.
    pub duration: Seconds,
    /// Fraction of the VM's demand lost while it migrates.
    pub degradation: f64,
}

impl MigrationCost {
    /// No cost at all (for comparisons).
    pub const FREE: MigrationCost = MigrationCost {
        energy: Joules(0.0),
        duration: Seconds(0.0),
        degradation: 0.0,
    };

    /// A 10 % performance loss during migration, the estimate Beloglazov & Buyya use for live
    /// migration of a VM's CPU demand ("Optimal online deterministic algorithms and adaptive
    /// heuristics for energy and performance efficient dynamic consolidation of virtual
    /// machines in cloud data centers", CCPE 24(13), 2012). The 10 s duration and 100 J energy
    /// are assumptions for illustration.
    pub const BELOGLAZOV_2012: MigrationCost = MigrationCost {
        energy: Joules(100.0),
        duration: Seconds(10.0),
        degradation: 0.1,
    };
}

/// A placement policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Policy {
    /// Worst-fit decreasing by peak; all hosts on.
    Spread,
    /// First-fit decreasing by peak; all hosts on.
    FirstFitDecreasing,
    /// Re-pack every slot by current demand; switch empty hosts off.
    PackAndSwitchOff,
}

impl Policy {
    /// All policies, in a fixed order.
    pub const ALL: [Policy; 3] = [
        Policy::Spread,
        Policy::FirstFitDecreasing,
        Policy::PackAndSwitchOff,
    ];

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Policy::Spread => "spread",
            Policy::FirstFitDecreasing => "first-fit decreasing",
            Policy::PackAndSwitchOff => "pack + switch off",
        }
    }
}

/// The experiment: VMs' demand per slot, the fleet and the costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    /// `demand[vm][slot]`: fraction of one host, each in `[0, 1]`; all VMs have as many slots.
    pub demand: Vec<Vec<f64>>,
    /// Length of one slot.
    pub slot: Seconds,
    /// How many hosts there are.
    pub hosts: usize,
    /// What a host is like.
    pub host: HostSpec,
    /// What a migration costs.
    pub migration: MigrationCost,
}

/// One slot's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SlotOutcome {
    /// `assignment[vm]` = the host it runs on in this slot.
    pub assignment: Vec<usize>,
    /// Each host's load (sum of its VMs' demand).
    pub load: Vec<f64>,
    /// Whether each host is on (booting counts as on).
    pub on: Vec<bool>,
    /// Hosts that booted at the start of this slot.
    pub boots: usize,
    /// VMs that moved at the start of this slot.
    pub migrations: usize,
    /// Energy of all hosts in this slot, including boots and migrations.
    pub energy: Joules,
    /// Demand not served in this slot, in VM-seconds (boots and migrations).
    pub sla_violation: Seconds,
}

/// The whole run's outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// The policy.
    pub policy: Policy,
    /// Per slot.
    pub slots: Vec<SlotOutcome>,
    /// Total energy.
    pub energy: Joules,
    /// Total migrations.
    pub migrations: usize,
    /// Total boots.
    pub boots: usize,
    /// Total demand not served, VM-seconds.
    pub sla_violation: Seconds,
    /// Total demand, VM-seconds.
    pub demand: Seconds,
}

impl Outcome {
    /// Fraction of demand not served.
    pub fn sla_violation_fraction(&self) -> f64 {
        if self.demand.0 > 0.0 {
            self.sla_violation / self.demand
        } else {
            0.0
        }
    }
}

impl Experiment {
    fn validate(&self) -> Result<usize, EnergyError> {
        let slots = self.demand.first().map_or(0, Vec::len);
        for (vm, d) in self.demand.iter().enumerate() {
            if d.len() != slots {
                return Err(EnergyError::InvalidSeries {
                    reason: format!(
                        "VM {vm} has {} slots, VM 0 has {slots}; give every VM the same number",
                        d.len()
                    ),
                });
            }
            for &x in d {
                Utilisation::new(x)?;
            }
        }
        non_negative("slot length (s)", self.slot.0)?;
        non_negative("boot time (s)", self.host.boot_time.0)?;
        non_negative("boot energy (J)", self.host.boot_energy.0)?;
        non_negative("off power (W)", self.host.off_power.0)?;
        non_negative("migration energy (J)", self.migration.energy.0)?;
        non_negative("migration time (s)", self.migration.duration.0)?;
        if !(0.0..=1.0).contains(&self.migration.degradation) {
            return Err(EnergyError::InvalidParameter {
                name: "migration degradation",
                value: self.migration.degradation,
                requirement: "a fraction in 0..=1",
            });
        }
        Ok(slots)
    }

    fn peak(&self, vm: usize) -> f64 {
        self.demand[vm].iter().copied().fold(0.0, f64::max)
    }

    /// VM indices by `size` decreasing, ties by index (a total, deterministic order).
    fn decreasing(&self, size: impl Fn(usize) -> f64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.demand.len()).collect();
        order.sort_by(|&a, &b| size(b).total_cmp(&size(a)).then(a.cmp(&b)));
        order
    }

    /// First-fit decreasing of `size` into bins of capacity 1; bins listed with their VMs.
    fn first_fit(&self, size: impl Fn(usize) -> f64) -> Result<Vec<Vec<usize>>, EnergyError> {
        let mut bins: Vec<(f64, Vec<usize>)> = Vec::new();
        for vm in self.decreasing(&size) {
            let s = size(vm);
            match bins.iter_mut().find(|b| b.0 + s <= 1.0 + EPS) {
                Some(b) => {
                    b.0 += s;
                    b.1.push(vm);
                }
                None => bins.push((s, vec![vm])),
            }
        }
        if bins.len() > self.hosts {
            return Err(EnergyError::NotEnoughHosts {
                needed: bins.len(),
                hosts: self.hosts,
            });
        }
        Ok(bins.into_iter().map(|b| b.1).collect())
    }

    /// Runs `policy` over every slot.
    pub fn run(&self, policy: Policy) -> Result<Outcome, EnergyError> {
        let slots = self.validate()?;
        let vms = self.demand.len();
        let peak: Vec<f64> = (0..vms).map(|v| self.peak(v)).collect();
        let static_assignment = match policy {
            Policy::Spread => Some(self.worst_fit(&peak)?),
            Policy::FirstFitDecreasing => {
                let mut a = vec![0; vms];
                for (h, bin) in self.first_fit(|v| peak[v])?.iter().enumerate() {
                    for &v in bin {
                        a[v] = h;
                    }
                }
                Some(a)
            }
            Policy::PackAndSwitchOff => None,
        };
        let mut out = Outcome {
            policy,
            slots: Vec::with_capacity(slots),
            energy: Joules::ZERO,
            migrations: 0,
            boots: 0,
            sla_violation: Seconds::ZERO,
            demand: Seconds::ZERO,
        };
        let mut prev: Option<(Vec<usize>, Vec<bool>)> = None;
        for t in 0..slots {
            let (assignment, on) = match &static_assignment {
                Some(a) => (a.clone(), vec![true; self.hosts]),
                None => self.repack(t, prev.as_ref().map(|p| &p.0))?,
            };
            let slot = self.account(t, &assignment, &on, prev.as_ref());
            out.energy += slot.energy;
            out.migrations += slot.migrations;
            out.boots += slot.boots;
            out.sla_violation += slot.sla_violation;
            out.demand += self.slot * (0..vms).map(|v| self.demand[v][t]).sum::<f64>();
            prev = Some((assignment, on));
            out.slots.push(slot);
        }
        Ok(out)
    }

    /// Worst-fit decreasing by peak: each VM to the least-loaded host that fits.
    fn worst_fit(&self, peak: &[f64]) -> Result<Vec<usize>, EnergyError> {
        let mut load = vec![0.0; self.hosts];
        let mut a = vec![0; peak.len()];
        for vm in self.decreasing(|v| peak[v]) {
            let best = (0..self.hosts)
                .filter(|&h| load[h] + peak[vm] <= 1.0 + EPS)
                .min_by(|&x, &y| load[x].total_cmp(&load[y]).then(x.cmp(&y)));
            match best {
                Some(h) => {
                    load[h] += peak[vm];
                    a[vm] = h;
                }
                None => {
                    return Err(EnergyError::NotEnoughHosts {
                        needed: self.hosts + 1,
                        hosts: self.hosts,
                    });
                }
            }
        }
        Ok(a)
    }

    /// Packs slot `t` by its demand and maps each bin to the host that held most of it.
    fn repack(
        &self,
        t: usize,
        prev: Option<&Vec<usize>>,
    ) -> Result<(Vec<usize>, Vec<bool>), EnergyError> {
        let bins = self.first_fit(|v| self.demand[v][t])?;
        let mut taken = vec![false; self.hosts];
        let mut assignment = vec![0; self.demand.len()];
        // Larger bins choose first; a bin takes the free host holding most of its demand
        // before, else the lowest-numbered free host.
        let mut order: Vec<usize> = (0..bins.len()).collect();
        let size = |b: usize| bins[b].iter().map(|&v| self.demand[v][t]).sum::<f64>();
        order.sort_by(|&a, &b| size(b).total_cmp(&size(a)).then(a.cmp(&b)));
        for b in order {
            let mut held = vec![0.0; self.hosts];
            if let Some(p) = prev {
                for &v in &bins[b] {
                    // Count a VM with zero demand a little, so it is not moved for nothing.
                    held[p[v]] += self.demand[v][t] + EPS;
                }
            }
            let host = (0..self.hosts)
                .filter(|&h| !taken[h])
                .max_by(|&x, &y| held[x].total_cmp(&held[y]).then(y.cmp(&x)))
                .ok_or(EnergyError::NotEnoughHosts {
                    needed: bins.len(),
                    hosts: self.hosts,
                })?;
            taken[host] = true;
            for &v in &bins[b] {
                assignment[v] = host;
            }
        }
        Ok((assignment, taken))
    }

    /// Energy, boots, migrations and SLA violation of one slot.
    fn account(
        &self,
        t: usize,
        assignment: &[usize],
        on: &[bool],
        prev: Option<&(Vec<usize>, Vec<bool>)>,
    ) -> SlotOutcome {
        let mut load = vec![0.0; self.hosts];
        for (v, &h) in assignment.iter().enumerate() {
            load[h] += self.demand[v][t];
        }
        let mut energy = Joules::ZERO;
        let mut boots = 0;
        let mut booting = vec![false; self.hosts];
        for h in 0..self.hosts {
            if on[h] {
                // Summed demands may exceed 1 by rounding only; the power model needs [0, 1].
                let u = Utilisation::new(load[h].min(1.0)).unwrap_or(Utilisation::FULL);
                energy += self.host.power.power(u) * self.slot;
                if prev.is_some_and(|p| !p.1[h]) {
                    boots += 1;
                    booting[h] = true;
                    energy += self.host.boot_energy;
                }
            } else {
                energy += self.host.off_power * self.slot;
            }
        }
        let mut migrations = 0;
        let mut sla = Seconds::ZERO;
        for (v, &h) in assignment.iter().enumerate() {
            let d = self.demand[v][t];
            if booting[h] {
                sla += Seconds(self.host.boot_time.0.min(self.slot.0)) * d;
            }
            if prev.is_some_and(|p| p.0[v] != h) {
                migrations += 1;
                energy += self.migration.energy;
                sla += Seconds(self.migration.duration.0.min(self.slot.0))
                    * (d * self.migration.degradation);
            }
        }
        SlotOutcome {
            assignment: assignment.to_vec(),
            load,
            on: on.to_vec(),
            boots,
            migrations,
            energy,
            sla_violation: sla,
        }
    }
}
