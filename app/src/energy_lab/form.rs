//! The energy lab's form: every control's value as text ([`Draft`]), turned into a scenario or
//! into every problem, each tied to the control that shows it. Nothing is clamped: a value out of
//! range is a problem the page shows at its field, and the page keeps the last valid scenario.

use crate::energy_lab::numbers::editable;
use energy::consolidation::Policy;
use scenario::Scenario;
use scenario::energy_lab::{
    CalculatorInputs, ConsolidationInputs, DvfsInputs, EnergyScenario, HostModel,
    default_energy_scenario, policy_from_key, policy_key,
};
use scenario::scenario::{Lab, Problem};
use sim::SimDuration;

/// The value of the PUE menu's "do not apply" entry.
pub const NO_PUE: &str = "none";

/// Every control's current value, as typed or chosen.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// Grid code.
    pub grid: String,
    /// Video size in MB.
    pub size_mb: String,
    /// Minutes per view.
    pub minutes: String,
    /// Number of views.
    pub views: String,
    /// Coefficient set id.
    pub coefficients: String,
    /// Country code.
    pub country: String,
    /// PUE id, or [`NO_PUE`].
    pub pue: String,
    /// Frequency in MHz (the slider).
    pub frequency_mhz: String,
    /// Static power in W.
    pub static_power_w: String,
    /// Policy key.
    pub policy: String,
    /// VMs.
    pub vms: String,
    /// Hosts.
    pub hosts: String,
    /// Time slots.
    pub slots: String,
    /// Host model key.
    pub host_model: String,
    /// The workload's seed.
    pub seed: String,
    /// The run's length (not edited on this page; kept from the scenario).
    pub duration: SimDuration,
}

/// The form controls: scenario field, element id, and label (for problems and links to them).
pub const FIELDS: &[(&str, &str, &str)] = &[
    ("grid", "energy-grid", "Electricity grid"),
    ("calculator.size_mb", "energy-size", "Video size (MB)"),
    (
        "calculator.minutes",
        "energy-minutes",
        "Minutes watched per view",
    ),
    ("calculator.views", "energy-views", "Views"),
    (
        "calculator.coefficients",
        "energy-coefficients",
        "Coefficient set",
    ),
    ("calculator.country", "energy-country", "Compare with"),
    ("calculator.pue", "energy-pue", "Data-centre PUE"),
    ("dvfs.frequency_mhz", "energy-frequency", "Clock frequency"),
    ("dvfs.static_power_w", "energy-static", "Static power (W)"),
    ("consolidation.policy", "energy-policy", "Policy"),
    ("consolidation.vms", "energy-vms", "VMs"),
    ("consolidation.hosts", "energy-hosts", "Hosts"),
    ("consolidation.slots", "energy-slots", "Time slots"),
    (
        "consolidation.host_model",
        "energy-host-model",
        "Host model",
    ),
    ("seed", "energy-seed", "Workload seed"),
];

/// The element id of a scenario field's control (`duration` and unknown fields: the grid's).
pub fn control_id(field: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or("energy-grid", |(_, id, _)| id)
}

/// A kit field key's name (`minutes` → "Minutes watched per view").
pub fn field_name(key: &str) -> String {
    FIELDS
        .iter()
        .find(|(_, id, _)| id.strip_prefix("energy-") == Some(key))
        .map_or("Scenario", |(_, _, label)| label)
        .to_owned()
}

/// The scenario's problems at the kit editor's field keys (`calculator.minutes` → `minutes`).
pub fn field_problems(problems: &[Problem]) -> Vec<crate::kit::form::FieldProblem> {
    problems
        .iter()
        .map(|p| crate::kit::form::FieldProblem {
            field: control_id(&p.field)
                .strip_prefix("energy-")
                .unwrap_or("grid")
                .to_owned(),
            message: sentence(&p.message),
        })
        .collect()
}

/// The label of a scenario field's control.
pub fn control_label(field: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(f, _, _)| *f == field)
        .map_or("Scenario", |(_, _, label)| label)
}

/// The problems that belong to the control with element id `id`, as one sentence.
pub fn problems_at(problems: &[Problem], id: &str) -> String {
    problems
        .iter()
        .filter(|p| control_id(&p.field) == id)
        .map(|p| sentence(&p.message))
        .collect::<Vec<_>>()
        .join(" ")
}

pub use crate::kit::form::sentence;

impl Draft {
    /// The form showing `scenario` (an energy scenario; any other lab shows the default).
    pub fn of(scenario: &Scenario) -> Draft {
        let fallback;
        let (s, e) = match &scenario.lab {
            Lab::Energy(e) => (scenario, e),
            _ => {
                fallback = default_energy_scenario();
                match &fallback.lab {
                    Lab::Energy(e) => (&fallback, e),
                    _ => unreachable!("the default energy scenario is an energy scenario"),
                }
            }
        };
        let c = &e.calculator;
        let k = &e.consolidation;
        Draft {
            grid: e.grid.clone(),
            size_mb: editable(c.size_mb),
            minutes: editable(c.minutes),
            views: c.views.to_string(),
            coefficients: c.coefficients.clone(),
            country: c.country.clone(),
            pue: c.pue.clone().unwrap_or_else(|| NO_PUE.to_owned()),
            frequency_mhz: e.dvfs.frequency_mhz.to_string(),
            static_power_w: editable(e.dvfs.static_power_w),
            policy: policy_key(k.policy).to_owned(),
            vms: k.vms.to_string(),
            hosts: k.hosts.to_string(),
            slots: k.slots.to_string(),
            host_model: k.host_model.key().to_owned(),
            seed: s.seed.to_string(),
            duration: s.duration,
        }
    }

    /// The scenario this form describes, or every problem with it (parsing first, then the
    /// scenario's own validation).
    pub fn to_scenario(&self) -> Result<Scenario, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, message: String| {
            problems.push(Problem {
                field: field.into(),
                message,
            })
        };
        let size_mb = number(&self.size_mb, "calculator.size_mb", "a size", &mut problem);
        let minutes = number(&self.minutes, "calculator.minutes", "minutes", &mut problem);
        let views = count::<u64>(&self.views, "calculator.views", "views", &mut problem);
        let frequency_mhz = count::<u32>(
            &self.frequency_mhz,
            "dvfs.frequency_mhz",
            "a frequency in MHz",
            &mut problem,
        );
        let static_power_w = number(
            &self.static_power_w,
            "dvfs.static_power_w",
            "a power in watts",
            &mut problem,
        );
        let vms = count::<u32>(&self.vms, "consolidation.vms", "VMs", &mut problem);
        let hosts = count::<u32>(&self.hosts, "consolidation.hosts", "hosts", &mut problem);
        let slots = count::<u32>(&self.slots, "consolidation.slots", "slots", &mut problem);
        let seed = count::<u64>(&self.seed, "seed", "a seed", &mut problem);
        let policy = policy_from_key(&self.policy);
        if policy.is_none() {
            problem(
                "consolidation.policy",
                format!(
                    "“{}” is not a policy; choose one from the list",
                    self.policy
                ),
            );
        }
        let host_model = HostModel::from_key(&self.host_model);
        if host_model.is_none() {
            problem(
                "consolidation.host_model",
                format!(
                    "“{}” is not a host model; choose one from the list",
                    self.host_model
                ),
            );
        }
        let (
            Some(size_mb),
            Some(minutes),
            Some(views),
            Some(frequency_mhz),
            Some(static_power_w),
            Some(vms),
            Some(hosts),
            Some(slots),
            Some(seed),
            Some(policy),
            Some(host_model),
        ) = (
            size_mb,
            minutes,
            views,
            frequency_mhz,
            static_power_w,
            vms,
            hosts,
            slots,
            seed,
            policy,
            host_model,
        )
        else {
            return Err(problems);
        };
        let scenario = Scenario {
            seed,
            duration: self.duration,
            lab: Lab::Energy(EnergyScenario {
                grid: self.grid.clone(),
                calculator: CalculatorInputs {
                    size_mb,
                    minutes,
                    views,
                    coefficients: self.coefficients.clone(),
                    country: self.country.clone(),
                    pue: (self.pue != NO_PUE).then(|| self.pue.clone()),
                },
                dvfs: DvfsInputs {
                    frequency_mhz,
                    static_power_w,
                },
                consolidation: ConsolidationInputs {
                    policy,
                    vms,
                    hosts,
                    slots,
                    host_model,
                },
            }),
        };
        scenario.validate().map_err(|e| e.problems)?;
        Ok(scenario)
    }
}

/// What the page opens with: the link's energy scenario, else the default with the sentence
/// that says why the link could not be used.
pub fn opening(shared: Option<&str>) -> (Scenario, Option<String>) {
    match shared.map(crate::kit::share::open) {
        None => (default_energy_scenario(), None),
        Some(crate::kit::share::Opening::Link(link)) => match link.scenario.lab {
            Lab::Energy(_) => (link.scenario, None),
            ref other => (
                default_energy_scenario(),
                Some(format!(
                    "This link is for the lab at #/lab/{}, not the energy lab.",
                    other.route()
                )),
            ),
        },
        Some(crate::kit::share::Opening::Broken { reason, .. }) => {
            (default_energy_scenario(), Some(reason))
        }
    }
}

/// The moment an energy share link pins (the consolidation experiment's slot to open at), if
/// the link is a valid energy link with one.
pub fn opening_moment(shared: Option<&str>) -> Option<sim::SimTime> {
    match shared.map(crate::kit::share::open) {
        Some(crate::kit::share::Opening::Link(link))
            if matches!(link.scenario.lab, Lab::Energy(_)) =>
        {
            link.at
        }
        _ => None,
    }
}

/// The policy for a menu entry, with its label.
pub fn policies() -> impl Iterator<Item = (&'static str, &'static str)> {
    Policy::ALL.into_iter().map(|p| (policy_key(p), p.label()))
}

fn trimmed(text: &str) -> String {
    text.trim().replace([',', '_', ' ', '\u{a0}'], "")
}

fn number(
    text: &str,
    field: &str,
    what: &str,
    problem: &mut impl FnMut(&str, String),
) -> Option<f64> {
    let t = trimmed(text);
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ if t.is_empty() => {
            problem(field, format!("is empty; type {what}"));
            None
        }
        _ => {
            problem(
                field,
                format!("“{}” is not a number; type {what}", text.trim()),
            );
            None
        }
    }
}

fn count<T: TryFrom<u64>>(
    text: &str,
    field: &str,
    what: &str,
    problem: &mut impl FnMut(&str, String),
) -> Option<T> {
    let t = trimmed(text);
    if t.is_empty() {
        problem(field, format!("is empty; type {what}"));
        return None;
    }
    // Whole numbers, also in scientific notation (16.5e9), as long as they are whole.
    let parsed = t.parse::<u64>().ok().or_else(|| {
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0 && v.fract() == 0.0 && *v < 1.8e19)
            .map(|v| v as u64)
    });
    match parsed.map(T::try_from) {
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => {
            problem(field, format!("{} is too large", text.trim()));
            None
        }
        None => {
            problem(
                field,
                format!("“{}” is not a whole number ≥ 0; type {what}", text.trim()),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_round_trips_through_the_form() {
        let s = default_energy_scenario();
        let d = Draft::of(&s);
        assert_eq!(d.size_mb, "70");
        assert_eq!(d.views, "16500000000");
        assert_eq!(d.pue, NO_PUE);
        assert_eq!(d.to_scenario(), Ok(s));
    }

    #[test]
    fn separators_and_scientific_views_are_read() {
        let mut d = Draft::of(&default_energy_scenario());
        d.views = "16,500,000,000".into();
        let a = d.to_scenario().unwrap();
        d.views = "16.5e9".into();
        assert_eq!(d.to_scenario().unwrap(), a);
        d.pue = "uptime-2023".into();
        let s = d.to_scenario().unwrap();
        let Lab::Energy(e) = &s.lab else { panic!() };
        assert_eq!(e.calculator.pue.as_deref(), Some("uptime-2023"));
    }

    #[test]
    fn every_problem_names_its_control() {
        let mut d = Draft::of(&default_energy_scenario());
        d.size_mb = "seventy".into();
        d.views = "1.5".into();
        d.hosts = "".into();
        d.frequency_mhz = "5000".into();
        let problems = d.to_scenario().unwrap_err();
        let ids: Vec<&str> = problems.iter().map(|p| control_id(&p.field)).collect();
        assert_eq!(ids, ["energy-size", "energy-views", "energy-hosts"]);
        assert_eq!(
            problems_at(&problems, "energy-size"),
            "“seventy” is not a number; type a size."
        );
        // Once it parses, the scenario's own limits speak.
        d.size_mb = "70".into();
        d.views = "15".into();
        d.hosts = "8".into();
        let problems = d.to_scenario().unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems_at(&problems, "energy-frequency").contains("between 600 MHz and 1,600 MHz")
        );
        d.frequency_mhz = "1200".into();
        d.minutes = "-2".into();
        let problems = d.to_scenario().unwrap_err();
        assert!(
            problems_at(&problems, "energy-minutes")
                .starts_with("Minutes per view must be above 0")
        );
    }

    #[test]
    fn links_open_their_inputs_and_broken_ones_explain() {
        let mut d = Draft::of(&default_energy_scenario());
        d.size_mb = "12.5".into();
        d.grid = "FRA".into();
        d.policy = "ffd".into();
        let s = d.to_scenario().unwrap();
        let link = crate::kit::share::fragment(&s, None).unwrap();
        assert_eq!(opening_moment(Some(&link)), None);
        let at = sim::SimTime::from_millis(25 * 60_000);
        let pinned = crate::kit::share::fragment(&s, Some(at)).unwrap();
        assert_eq!(opening_moment(Some(&pinned)), Some(at));
        assert_eq!(opening_moment(Some(&pinned[..pinned.len() / 2])), None);
        let (opened, broken) = opening(Some(&link));
        assert_eq!((opened, broken), (s, None));
        let (opened, broken) = opening(Some(&link[..link.len() / 2]));
        assert_eq!(opened, default_energy_scenario());
        assert!(broken.unwrap().ends_with('.'));
        let network = crate::kit::share::fragment(&scenario::default_scenario(), None).unwrap();
        let (opened, broken) = opening(Some(&network));
        assert_eq!(opened, default_energy_scenario());
        assert!(broken.unwrap().contains("#/lab/network"));
        assert_eq!(opening(None), (default_energy_scenario(), None));
    }

    #[test]
    fn every_field_has_a_unique_control() {
        for (i, (f, id, _)) in FIELDS.iter().enumerate() {
            assert!(FIELDS[..i].iter().all(|(g, jd, _)| g != f && jd != id));
        }
        assert_eq!(control_label("calculator.views"), "Views");
    }
}
