//! The energy & sustainability lab's parameters: the streaming calculator's inputs, the DVFS
//! explorer's frequency and static power, and the consolidation experiment's fleet, workload
//! and policy; the grid whose carbon intensity all three sections use; their validation and
//! the workload the consolidation experiment runs (seeded by the scenario's seed).
//!
//! Every choice from a catalogue (coefficient set, grid, country, PUE) is stored by its stable
//! id from `energy::coefficients`, so a link names the same number in every build that has it,
//! and an id a build does not know is a clear problem, never a silent substitute.

use crate::scenario::{Lab, Scenario};
use energy::coefficients::{self, GridIntensity};
use energy::consolidation::{Experiment, HostSpec, MigrationCost, Outcome, Policy};
use energy::dvfs::Processor;
use energy::power::{MeasuredCurve, PowerModel};
use energy::streaming::{self, CoefficientSet, Context, StreamingReport, Video};
use energy::units::{Bytes, Hertz, Seconds, Watts};
use serde::{Deserialize, Serialize};
use sim::{SimDuration, SimRng};

/// Largest video: 100 GB (a whole 4K film is about 20 GB).
pub const MAX_VIDEO_MB: f64 = 100_000.0;
/// Longest view: a week, in minutes.
pub const MAX_VIEW_MINUTES: f64 = 7.0 * 24.0 * 60.0;
/// Most views: a trillion (more than a hundred per person alive).
pub const MAX_VIEWS: u64 = 1_000_000_000_000;
/// Most static power of the DVFS processor (W); the Pentium M's peak is its 24.5 W TDP at the
/// default 2 W static (more static power raises it above the TDP).
pub const MAX_STATIC_POWER_W: f64 = 50.0;
/// Most VMs in the consolidation experiment (each is drawn as a block).
pub const MAX_VMS: u32 = 40;
/// Most hosts in the consolidation experiment.
pub const MAX_HOSTS: u32 = 20;
/// Fewest and most time slots of the consolidation experiment.
pub const SLOTS: core::ops::RangeInclusive<u32> = 2..=96;
/// Shortest slot the experiment accepts.
pub const MIN_SLOT: SimDuration = SimDuration::from_secs(1);

/// Cycles of the DVFS explorer's task: one billion (0.625 s at 1.6 GHz).
pub const DVFS_TASK_CYCLES: f64 = 1e9;
/// The DVFS explorer's period: the task must finish within 2 s, then the CPU idles.
pub const DVFS_PERIOD: Seconds = Seconds(2.0);

/// The whole lab's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnergyScenario {
    /// The grid whose carbon intensity every section uses (a code of `coefficients::GRIDS`).
    pub grid: String,
    /// The streaming calculator.
    pub calculator: CalculatorInputs,
    /// The DVFS explorer.
    pub dvfs: DvfsInputs,
    /// The consolidation experiment.
    pub consolidation: ConsolidationInputs,
}

/// The streaming calculator's inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalculatorInputs {
    /// The video's size in megabytes (10⁶ bytes), downloaded once per view.
    pub size_mb: f64,
    /// Minutes watched per view.
    pub minutes: f64,
    /// How many views.
    pub views: u64,
    /// The coefficient set's id (`energy::streaming::coefficient_sets`).
    pub coefficients: String,
    /// The country whose yearly electricity the total is compared with.
    pub country: String,
    /// The data-centre PUE to apply, if any (an id of `coefficients::PUE_VALUES`).
    pub pue: Option<String>,
}

/// The DVFS explorer's inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DvfsInputs {
    /// The chosen clock frequency in MHz, within the processor's levels.
    pub frequency_mhz: u32,
    /// Static (leakage) power while running, in watts.
    pub static_power_w: f64,
}

/// Which measured server the consolidation hosts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HostModel {
    /// HP ProLiant ML110 G4 (86–117 W).
    Ml110G4,
    /// HP ProLiant ML110 G5 (93.7–135 W).
    Ml110G5,
}

impl HostModel {
    /// Both, in menu order.
    pub const ALL: [HostModel; 2] = [HostModel::Ml110G4, HostModel::Ml110G5];

    /// A stable key for forms.
    pub fn key(self) -> &'static str {
        match self {
            HostModel::Ml110G4 => "ml110-g4",
            HostModel::Ml110G5 => "ml110-g5",
        }
    }

    /// The model with this key.
    pub fn from_key(key: &str) -> Option<HostModel> {
        HostModel::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Its measured power curve.
    pub fn curve(self) -> MeasuredCurve {
        match self {
            HostModel::Ml110G4 => MeasuredCurve::hp_proliant_ml110_g4(),
            HostModel::Ml110G5 => MeasuredCurve::hp_proliant_ml110_g5(),
        }
    }
}

/// Stable keys for the consolidation policies (`spread`, `ffd`, `ffd-off`).
pub fn policy_key(policy: Policy) -> &'static str {
    match policy {
        Policy::Spread => "spread",
        Policy::FirstFitDecreasing => "ffd",
        Policy::PackAndSwitchOff => "ffd-off",
    }
}

/// The policy with this [`policy_key`].
pub fn policy_from_key(key: &str) -> Option<Policy> {
    Policy::ALL.into_iter().find(|&p| policy_key(p) == key)
}

/// The consolidation experiment's inputs. The run lasts the scenario's duration, cut into
/// `slots` equal slots; each VM's demand per slot is drawn from the scenario's seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsolidationInputs {
    /// The policy the animation shows (all three are run and compared).
    pub policy: Policy,
    /// How many VMs.
    pub vms: u32,
    /// How many hosts.
    pub hosts: u32,
    /// How many time slots.
    pub slots: u32,
    /// What the hosts are.
    pub host_model: HostModel,
}

/// Power of a host switched off (W): the management controller's standby draw. An assumption
/// for illustration ("a few watts").
pub const HOST_OFF_POWER: Watts = Watts(5.0);
/// Time from switching a host on until it serves VMs. An assumption for illustration.
pub const HOST_BOOT_TIME: Seconds = Seconds(60.0);

impl ConsolidationInputs {
    /// The hosts: the chosen measured curve, 5 W off, a 60 s boot at peak power.
    pub fn host_spec(&self) -> HostSpec {
        let curve = self.host_model.curve();
        let peak = curve.points().last().copied().unwrap_or(Watts::ZERO);
        HostSpec {
            power: PowerModel::Measured(curve),
            off_power: HOST_OFF_POWER,
            boot_time: HOST_BOOT_TIME,
            boot_energy: peak * HOST_BOOT_TIME,
        }
    }

    /// The VMs' demand per slot, drawn from `seed`: each VM has its own mean load and swing
    /// and follows one daily-like wave over the run (with its own phase) plus noise, rounded
    /// to whole percent. Deterministic: the same seed gives the same demand everywhere.
    pub fn demand(&self, seed: u64) -> Vec<Vec<f64>> {
        let slots = self.slots as usize;
        (0..self.vms)
            .map(|vm| {
                let mut rng = SimRng::for_stream(seed, 0xE0_0000 + u64::from(vm));
                let mean = 0.08 + 0.3 * rng.unit_f64();
                let swing = 0.15 * rng.unit_f64() + 0.05;
                let phase = 0.25 * rng.unit_f64();
                (0..slots)
                    .map(|t| {
                        let x = t as f64 / slots as f64 + phase;
                        let wave = libm::sin(2.0 * core::f64::consts::PI * x);
                        let noise = 0.04 * (rng.unit_f64() - 0.5);
                        let d = mean + swing * wave + noise;
                        (libm::round(d * 100.0) / 100.0).clamp(0.01, 0.9)
                    })
                    .collect()
            })
            .collect()
    }

    /// The experiment for a run of `duration`, seeded by `seed`.
    pub fn experiment(&self, seed: u64, duration: SimDuration) -> Experiment {
        let slot = Seconds(duration.as_nanos() as f64 / 1e9 / f64::from(self.slots.max(1)));
        Experiment {
            demand: self.demand(seed),
            slot,
            hosts: self.hosts as usize,
            host: self.host_spec(),
            migration: MigrationCost::BELOGLAZOV_2012,
        }
    }
}

/// All three policies' outcomes, in `Policy::ALL` order.
pub fn run_all(experiment: &Experiment) -> Result<Vec<Outcome>, energy::EnergyError> {
    Policy::ALL.iter().map(|&p| experiment.run(p)).collect()
}

impl CalculatorInputs {
    /// The lecture's example: a 70 MB, two-minute video watched 16.5 billion times, with the
    /// lecture's coefficients, compared with Kiribati's yearly electricity, no PUE.
    pub fn lecture_example() -> CalculatorInputs {
        CalculatorInputs {
            size_mb: 70.0,
            minutes: 2.0,
            views: 16_500_000_000,
            coefficients: "lecture".into(),
            country: "KIR".into(),
            pue: None,
        }
    }

    /// The video these inputs describe.
    pub fn video(&self) -> Video {
        Video {
            // Finite, ≥ 0 and ≤ 10¹¹ after validation, so the rounding is exact enough and in range.
            size: Bytes(libm::round(self.size_mb * 1e6) as u64),
            duration: Seconds(self.minutes * 60.0),
            views: self.views,
        }
    }

    /// The calculator's report at `grid` (problems as sentences).
    pub fn report(&self, grid: &str) -> Result<StreamingReport, String> {
        let set = streaming::coefficient_set(&self.coefficients)
            .ok_or_else(|| unknown("coefficient set", &self.coefficients))?;
        let country = coefficients::country_electricity(&self.country)
            .ok_or_else(|| unknown("country", &self.country))?;
        let grid = coefficients::grid(grid).ok_or_else(|| unknown("grid", grid))?;
        let pue = match &self.pue {
            Some(id) => Some(
                coefficients::PUE_VALUES
                    .iter()
                    .find(|p| p.id == id)
                    .ok_or_else(|| unknown("PUE", id))?,
            ),
            None => None,
        };
        streaming::calculate(
            &self.video(),
            &set,
            &Context {
                country: Some(country),
                grid: Some(grid),
                data_centre_pue: pue,
            },
        )
        .map_err(|e| e.to_string())
    }

    /// The chosen coefficient set, if the id is known.
    pub fn set(&self) -> Option<CoefficientSet> {
        streaming::coefficient_set(&self.coefficients)
    }
}

fn unknown(what: &str, id: &str) -> String {
    format!("“{id}” is not a {what} this version knows; choose one from the list")
}

impl EnergyScenario {
    /// The grid, if its code is known.
    pub fn grid(&self) -> Option<&'static GridIntensity> {
        coefficients::grid(&self.grid)
    }

    /// The DVFS explorer's processor: the Pentium M with the chosen static power.
    pub fn processor(&self) -> Processor {
        let mut p = Processor::pentium_m_1600();
        p.static_power = Watts(self.dvfs.static_power_w);
        p
    }

    /// The chosen frequency.
    pub fn frequency(&self) -> Hertz {
        Hertz(f64::from(self.dvfs.frequency_mhz) * 1e6)
    }

    /// Adds every problem with these parameters to `problem`.
    pub(crate) fn validate(
        &self,
        seed: u64,
        duration: SimDuration,
        problem: &mut impl FnMut(&str, String),
    ) {
        if self.grid().is_none() {
            problem("grid", unknown("grid", &self.grid));
        }
        let c = &self.calculator;
        if !(c.size_mb.is_finite() && c.size_mb > 0.0 && c.size_mb <= MAX_VIDEO_MB) {
            problem(
                "calculator.size_mb",
                format!(
                    "the video's size must be above 0 MB and at most {MAX_VIDEO_MB} MB, but it is {} MB",
                    c.size_mb
                ),
            );
        }
        if !(c.minutes.is_finite() && c.minutes > 0.0 && c.minutes <= MAX_VIEW_MINUTES) {
            problem(
                "calculator.minutes",
                format!(
                    "minutes per view must be above 0 and at most {MAX_VIEW_MINUTES} (a week), but it is {}",
                    c.minutes
                ),
            );
        }
        if c.views > MAX_VIEWS {
            problem(
                "calculator.views",
                format!(
                    "views must be at most {MAX_VIEWS} (a trillion), but it is {}",
                    c.views
                ),
            );
        }
        if c.set().is_none() {
            problem(
                "calculator.coefficients",
                unknown("coefficient set", &c.coefficients),
            );
        }
        if coefficients::country_electricity(&c.country).is_none() {
            problem("calculator.country", unknown("country", &c.country));
        }
        if let Some(id) = &c.pue
            && !coefficients::PUE_VALUES.iter().any(|p| p.id == id)
        {
            problem("calculator.pue", unknown("PUE", id));
        }

        let p = Processor::pentium_m_1600();
        let (lo, hi) = (p.slowest().frequency.0 / 1e6, p.fastest().frequency.0 / 1e6);
        let f = f64::from(self.dvfs.frequency_mhz);
        if !(lo..=hi).contains(&f) {
            problem(
                "dvfs.frequency_mhz",
                format!(
                    "the frequency must be between {lo} MHz and {hi} MHz (the processor's levels), but it is {f} MHz"
                ),
            );
        }
        let s = self.dvfs.static_power_w;
        if !(s.is_finite() && (0.0..=MAX_STATIC_POWER_W).contains(&s)) {
            problem(
                "dvfs.static_power_w",
                format!(
                    "static power must be between 0 W and {MAX_STATIC_POWER_W} W, but it is {s} W"
                ),
            );
        }

        let k = &self.consolidation;
        let mut fleet_ok = true;
        if k.vms == 0 || k.vms > MAX_VMS {
            fleet_ok = false;
            problem(
                "consolidation.vms",
                format!("VMs must be between 1 and {MAX_VMS}, but it is {}", k.vms),
            );
        }
        if k.hosts == 0 || k.hosts > MAX_HOSTS {
            fleet_ok = false;
            problem(
                "consolidation.hosts",
                format!(
                    "hosts must be between 1 and {MAX_HOSTS}, but it is {}",
                    k.hosts
                ),
            );
        }
        if !SLOTS.contains(&k.slots) {
            fleet_ok = false;
            problem(
                "consolidation.slots",
                format!(
                    "time slots must be between {} and {}, but it is {}",
                    SLOTS.start(),
                    SLOTS.end(),
                    k.slots
                ),
            );
        } else if duration.as_nanos() / u64::from(k.slots) < MIN_SLOT.as_nanos() {
            fleet_ok = false;
            problem(
                "consolidation.slots",
                format!(
                    "{} slots in {duration} are shorter than {MIN_SLOT} each; use fewer slots",
                    k.slots
                ),
            );
        }
        if fleet_ok
            && duration > SimDuration::ZERO
            && let Err(e) = run_all(&k.experiment(seed, duration))
        {
            problem("consolidation.hosts", e.to_string());
        }
    }
}

/// The lab's default scenario: the lecture's video at the world-average grid, the Pentium M at
/// 1 GHz with 2 W static power, and 16 VMs on 8 ML110 G4 hosts over an hour of 5-minute slots
/// (the interval of the PlanetLab traces Beloglazov & Buyya consolidate), packed and switched off.
pub fn default_energy_scenario() -> Scenario {
    Scenario {
        seed: 1,
        duration: SimDuration::from_secs(3_600),
        lab: Lab::Energy(EnergyScenario {
            grid: "WLD".into(),
            calculator: CalculatorInputs::lecture_example(),
            dvfs: DvfsInputs {
                frequency_mhz: 1_000,
                static_power_w: 2.0,
            },
            consolidation: ConsolidationInputs {
                policy: Policy::PackAndSwitchOff,
                vms: 16,
                hosts: 8,
                slots: 12,
                host_model: HostModel::Ml110G4,
            },
        }),
    }
}

/// The energy scenario inside `scenario`, if it is one.
pub fn energy_of(scenario: &Scenario) -> Option<&EnergyScenario> {
    match &scenario.lab {
        Lab::Energy(e) => Some(e),
        _ => None,
    }
}

impl crate::lab_scenario::LabScenario for EnergyScenario {
    fn route(&self) -> &'static str {
        "energy"
    }

    fn add_problems(
        &self,
        seed: u64,
        duration: SimDuration,
        problem: &mut dyn FnMut(&str, String),
    ) {
        self.validate(seed, duration, &mut &mut *problem);
    }

    /// The energy lab's experiments are not runs on the network: nothing to fork.
    fn fork_menu(&self) -> Vec<crate::fork::ChangeKind> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn energy(s: &mut Scenario) -> &mut EnergyScenario {
        match &mut s.lab {
            Lab::Energy(e) => e,
            _ => unreachable!(),
        }
    }

    #[test]
    fn the_default_is_valid_and_routes_to_the_energy_page() {
        let s = default_energy_scenario();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.lab.route(), "energy");
    }

    #[test]
    fn the_lecture_example_gives_51_gwh() {
        let s = default_energy_scenario();
        let e = energy_of(&s).unwrap();
        let r = e.calculator.report(&e.grid).unwrap();
        assert!((r.per_view.0 - 0.0031).abs() < 1e-12, "{}", r.per_view.0);
        assert!((r.total.gwh() - 51.15).abs() < 1e-6, "{}", r.total.gwh());
        // Kiribati used 20.46 GWh a year: the video is 2.5 of its years.
        assert!((r.share_of_country.unwrap() - 51.15 / 20.46).abs() < 1e-9);
    }

    #[test]
    fn demand_is_deterministic_in_range_and_seeded() {
        let s = default_energy_scenario();
        let e = energy_of(&s).unwrap();
        let a = e.consolidation.demand(1);
        assert_eq!(a, e.consolidation.demand(1));
        assert_ne!(a, e.consolidation.demand(2));
        assert_eq!(a.len(), 16);
        assert!(
            a.iter()
                .all(|v| v.len() == 12 && v.iter().all(|d| (0.01..=0.9).contains(d)))
        );
    }

    #[test]
    fn the_default_experiment_switches_hosts_off_and_saves_energy() {
        let s = default_energy_scenario();
        let e = energy_of(&s).unwrap();
        let out = run_all(&e.consolidation.experiment(s.seed, s.duration)).unwrap();
        let (spread, ffd, off) = (&out[0], &out[1], &out[2]);
        assert!(off.slots.iter().any(|slot| slot.on.iter().any(|on| !on)));
        assert!(off.energy < ffd.energy && ffd.energy <= spread.energy);
        assert!(off.boots > 0, "the wave rises again, so hosts boot");
    }

    #[test]
    fn every_problem_is_listed_with_its_field() {
        let mut s = default_energy_scenario();
        let e = energy(&mut s);
        e.grid = "XXX".into();
        e.calculator.size_mb = f64::NAN;
        e.calculator.minutes = 0.0;
        e.calculator.views = MAX_VIEWS + 1;
        e.calculator.coefficients = "made-up".into();
        e.calculator.country = "ATL".into();
        e.calculator.pue = Some("perfect".into());
        e.dvfs.frequency_mhz = 2_000;
        e.dvfs.static_power_w = -1.0;
        e.consolidation.vms = 0;
        e.consolidation.hosts = 21;
        e.consolidation.slots = 1;
        let problems = s.validate().unwrap_err().problems;
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "grid",
                "calculator.size_mb",
                "calculator.minutes",
                "calculator.views",
                "calculator.coefficients",
                "calculator.country",
                "calculator.pue",
                "dvfs.frequency_mhz",
                "dvfs.static_power_w",
                "consolidation.vms",
                "consolidation.hosts",
                "consolidation.slots",
            ]
        );
        assert!(problems[7].message.contains("between 600 MHz and 1600 MHz"));
    }

    #[test]
    fn too_few_hosts_is_a_problem_that_says_what_to_do() {
        let mut s = default_energy_scenario();
        energy(&mut s).consolidation.hosts = 2;
        let e = s.validate().unwrap_err();
        assert_eq!(e.problems[0].field, "consolidation.hosts");
        assert!(e.to_string().contains("add hosts"), "{e}");
        let mut s = default_energy_scenario();
        s.duration = SimDuration::from_millis(500);
        let e = s.validate().unwrap_err();
        assert!(e.to_string().contains("shorter than"), "{e}");
    }

    #[test]
    fn the_energy_lab_is_appended_so_older_links_keep_decoding() {
        // Postcard writes a variant's index first: broadcast stays 0 (crdt 1), energy is 2.
        let tag = |s: &Scenario| postcard::to_allocvec(&s.lab).unwrap()[0];
        assert_eq!(tag(&crate::default_scenario()), 0);
        assert_eq!(tag(&default_energy_scenario()), 2);
        let s = default_energy_scenario();
        let link = s.to_fragment(None).unwrap();
        assert_eq!(Scenario::from_fragment(&link).unwrap().scenario, s);
    }

    #[test]
    fn keys_round_trip() {
        for p in Policy::ALL {
            assert_eq!(policy_from_key(policy_key(p)), Some(p));
        }
        for m in HostModel::ALL {
            assert_eq!(HostModel::from_key(m.key()), Some(m));
        }
        assert_eq!(policy_from_key("x"), None);
    }
}
