//! The consolidation experiment as the page shows it: all three policies run on the scenario's
//! workload, the hosts with their VM blocks at one slot (on, booting or off, said in words and
//! drawn with a pattern, not only a colour), energy and SLA-violation curves per policy, and the
//! comparison table.

use crate::energy_lab::chart::{Chart, Dash, Line};
use crate::energy_lab::numbers::figure;
use energy::consolidation::{Outcome, Policy};
use scenario::energy_lab::{EnergyScenario, run_all};
use sim::SimDuration;

/// A host's state in one slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostState {
    /// Serving its VMs.
    On,
    /// Switched on at the start of this slot: its VMs wait for the boot.
    Booting,
    /// Switched off.
    Off,
}

impl HostState {
    /// A stable word for tests and styling, also the label drawn on the host.
    pub fn word(self) -> &'static str {
        match self {
            HostState::On => "on",
            HostState::Booting => "booting",
            HostState::Off => "off",
        }
    }
}

/// One VM drawn on a host.
#[derive(Clone, Debug, PartialEq)]
pub struct VmBlock {
    /// The VM's index.
    pub vm: usize,
    /// Its demand in this slot, a fraction of the host.
    pub demand: f64,
    /// Where its block starts, a fraction of the host from the bottom.
    pub bottom: f64,
    /// Whether it moved here at the start of this slot.
    pub migrated: bool,
}

/// One host at one slot.
#[derive(Clone, Debug, PartialEq)]
pub struct HostFrame {
    /// The host's index.
    pub host: usize,
    /// On, booting or off.
    pub state: HostState,
    /// Its load, a fraction.
    pub load: f64,
    /// Its VMs, bottom to top.
    pub vms: Vec<VmBlock>,
}

/// The experiment: its demand and every policy's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    /// `demand[vm][slot]`.
    pub demand: Vec<Vec<f64>>,
    /// One outcome per policy, in `Policy::ALL` order.
    pub outcomes: Vec<Outcome>,
    /// The policy shown.
    pub policy: Policy,
    /// One slot's length in minutes.
    pub slot_minutes: f64,
    /// The grid's carbon intensity (gCO₂e/kWh), if known.
    pub grid_g_per_kwh: Option<f64>,
}

/// Runs the experiment of `e` for a run of `duration` seeded by `seed`.
pub fn experiment(
    e: &EnergyScenario,
    seed: u64,
    duration: SimDuration,
) -> Result<Experiment, String> {
    let k = &e.consolidation;
    let x = k.experiment(seed, duration);
    let outcomes = run_all(&x).map_err(|err| err.to_string())?;
    Ok(Experiment {
        demand: x.demand,
        outcomes,
        policy: k.policy,
        slot_minutes: x.slot.0 / 60.0,
        grid_g_per_kwh: e.grid().map(|g| g.intensity.0),
    })
}

impl Experiment {
    /// How many slots.
    pub fn slots(&self) -> usize {
        self.demand.first().map_or(0, Vec::len)
    }

    /// The outcome of the policy shown.
    pub fn shown(&self) -> &Outcome {
        let i = Policy::ALL
            .iter()
            .position(|&p| p == self.policy)
            .unwrap_or(0);
        &self.outcomes[i]
    }

    /// The hosts at slot `t` under the policy shown (`t` past the end: the last slot).
    pub fn frame(&self, t: usize) -> Vec<HostFrame> {
        let out = self.shown();
        let Some(last) = out.slots.len().checked_sub(1) else {
            return Vec::new();
        };
        let t = t.min(last);
        let slot = &out.slots[t];
        let prev = t.checked_sub(1).map(|p| &out.slots[p]);
        (0..slot.on.len())
            .map(|h| {
                let state = if !slot.on[h] {
                    HostState::Off
                } else if prev.is_some_and(|p| !p.on[h]) {
                    HostState::Booting
                } else {
                    HostState::On
                };
                let mut bottom = 0.0;
                let vms = slot
                    .assignment
                    .iter()
                    .enumerate()
                    .filter(|&(_, &host)| host == h)
                    .map(|(vm, _)| {
                        let demand = self.demand[vm][t];
                        let block = VmBlock {
                            vm,
                            demand,
                            bottom,
                            migrated: prev.is_some_and(|p| p.assignment[vm] != h),
                        };
                        bottom += demand;
                        block
                    })
                    .collect();
                HostFrame {
                    host: h,
                    state,
                    load: slot.load[h],
                    vms,
                }
            })
            .collect()
    }

    /// A sentence describing slot `t`, the text alternative of the drawing.
    pub fn describe(&self, t: usize) -> String {
        let frame = self.frame(t);
        let count = |s: HostState| frame.iter().filter(|h| h.state == s).count();
        let (on, booting, off) = (
            count(HostState::On),
            count(HostState::Booting),
            count(HostState::Off),
        );
        let slot = &self.shown().slots[t.min(self.slots().saturating_sub(1))];
        let mut text = format!(
            "Slot {} of {} ({}): {} hosts on",
            t.min(self.slots().saturating_sub(1)) + 1,
            self.slots(),
            self.policy.label(),
            on
        );
        if booting > 0 {
            text.push_str(&format!(", {booting} booting"));
        }
        text.push_str(&format!(", {off} switched off; "));
        text.push_str(&format!(
            "{} VMs, {} migrated at the start of the slot; {} kWh in this slot.",
            self.demand.len(),
            slot.migrations,
            figure(slot.energy.kwh().0)
        ));
        text
    }

    /// Cumulative energy (kWh) and cumulative SLA violation (% of demand so far) against time
    /// in minutes, one line per policy, with a mark at the end of slot `t`.
    pub fn charts(&self, t: usize) -> (Chart, Chart) {
        let dashes = [Dash::Solid, Dash::Dashed, Dash::Dotted];
        let mut energy = Vec::new();
        let mut sla = Vec::new();
        for (i, out) in self.outcomes.iter().enumerate() {
            let (mut e, mut v, mut d) = (0.0, 0.0, 0.0);
            let mut pe = vec![(0.0, 0.0)];
            let mut ps = vec![(0.0, 0.0)];
            for (s, slot) in out.slots.iter().enumerate() {
                e += slot.energy.kwh().0;
                v += slot.sla_violation.0;
                d += self.demand.iter().map(|vm| vm[s]).sum::<f64>() * self.slot_minutes * 60.0;
                let x = (s + 1) as f64 * self.slot_minutes;
                pe.push((x, e));
                ps.push((x, if d > 0.0 { v / d * 100.0 } else { 0.0 }));
            }
            let name = out.policy.label().to_owned();
            energy.push(Line {
                name: name.clone(),
                points: pe,
                colour: i,
                dash: dashes[i % 3],
            });
            sla.push(Line {
                name,
                points: ps,
                colour: i,
                dash: dashes[i % 3],
            });
        }
        let mark = Some((t.min(self.slots().saturating_sub(1)) + 1) as f64 * self.slot_minutes);
        let mut a = Chart::fit("time (min)", "energy so far (kWh)", energy, 0.0);
        let mut b = Chart::fit("time (min)", "SLA violation so far (% of demand)", sla, 0.0);
        if b.y.1 < 1.0 {
            b.y.1 = 1.0;
        }
        a.mark_x = mark;
        b.mark_x = mark;
        (a, b)
    }

    /// The comparison table: one row per policy.
    pub fn comparison(&self) -> Vec<ComparisonRow> {
        let spread = self.outcomes.first().map_or(0.0, |o| o.energy.0);
        self.outcomes
            .iter()
            .map(|o| {
                let kwh = o.energy.kwh().0;
                let hours = self.slots() as f64;
                let on: usize = o
                    .slots
                    .iter()
                    .map(|s| s.on.iter().filter(|&&x| x).count())
                    .sum();
                ComparisonRow {
                    policy: o.policy,
                    energy: format!("{} kWh", figure(kwh)),
                    saved: if spread > 0.0 {
                        format!(
                            "{} %",
                            figure(((1.0 - o.energy.0 / spread) * 100.0).round())
                        )
                    } else {
                        "–".into()
                    },
                    carbon: self
                        .grid_g_per_kwh
                        .map_or_else(|| "–".into(), |g| format!("{} g", figure(kwh * g))),
                    sla: format!("{} %", figure_percent(o.sla_violation_fraction() * 100.0)),
                    hosts_on: figure(if hours > 0.0 { on as f64 / hours } else { 0.0 }),
                    boots: o.boots,
                    migrations: o.migrations,
                }
            })
            .collect()
    }
}

fn figure_percent(p: f64) -> String {
    if p == 0.0 {
        "0".into()
    } else {
        figure((p * 1000.0).round() / 1000.0)
    }
}

/// One policy's totals.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    /// The policy.
    pub policy: Policy,
    /// Total energy.
    pub energy: String,
    /// Saved against spreading.
    pub saved: String,
    /// Emissions at the grid.
    pub carbon: String,
    /// Demand not served.
    pub sla: String,
    /// Hosts on, on average.
    pub hosts_on: String,
    /// Boots.
    pub boots: usize,
    /// Migrations.
    pub migrations: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::energy_lab::{default_energy_scenario, energy_of};

    fn default_experiment() -> Experiment {
        let s = default_energy_scenario();
        experiment(energy_of(&s).unwrap(), s.seed, s.duration).unwrap()
    }

    #[test]
    fn frames_count_every_vm_and_never_overfill_a_host() {
        let x = default_experiment();
        assert_eq!(x.slots(), 12);
        for t in 0..x.slots() {
            let frame = x.frame(t);
            assert_eq!(frame.len(), 8);
            let vms: usize = frame.iter().map(|h| h.vms.len()).sum();
            assert_eq!(vms, 16, "slot {t}");
            for h in &frame {
                assert!(h.load <= 1.0 + 1e-9);
                if h.state == HostState::Off {
                    assert!(h.vms.is_empty());
                }
                let top = h.vms.last().map_or(0.0, |b| b.bottom + b.demand);
                assert!((top - h.load).abs() < 1e-9);
            }
        }
        assert_eq!(x.frame(99), x.frame(11), "past the end shows the last slot");
    }

    #[test]
    fn pack_and_switch_off_turns_hosts_off_and_says_so() {
        let x = default_experiment();
        assert_eq!(x.policy, Policy::PackAndSwitchOff);
        let t = (0..x.slots())
            .find(|&t| x.frame(t).iter().any(|h| h.state == HostState::Off))
            .expect("a host is off in some slot");
        assert!(x.describe(t).contains("switched off"), "{}", x.describe(t));
        let rows = x.comparison();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].saved, "0 %");
        assert_ne!(rows[2].saved, "0 %");
        assert_eq!(rows[0].boots, 0);
    }

    #[test]
    fn charts_have_a_line_per_policy_and_a_mark() {
        let x = default_experiment();
        let (energy, sla) = x.charts(3);
        assert_eq!(energy.lines.len(), 3);
        assert_eq!(sla.lines.len(), 3);
        assert_eq!(energy.mark_x, Some(4.0 * 5.0));
        assert_eq!(energy.lines[0].points.len(), 13);
        let last = |c: &Chart, i: usize| c.lines[i].points.last().unwrap().1;
        assert!(last(&energy, 2) < last(&energy, 0));
        assert_eq!(last(&sla, 0), 0.0, "spreading never violates");
    }
}
