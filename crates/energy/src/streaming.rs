//! The energy of a video: size, minutes streamed, number of views and a coefficient set, with
//! every step of the arithmetic returned as a row (label, formula, value, unit) so a page can
//! show the working, not only the answer.

use crate::coefficients::{
    ASLAN_2018, ASLAN_2018_EXTRAPOLATED, CountryElectricity, GridIntensity, IEA_2020_PER_HOUR,
    IEA_KAMIYA_2020, LECTURE, LECTURE_DATA_CENTRE, LECTURE_DEVICE, Pue, Source, aslan_fixed_line,
    network_intensity,
};
use crate::error::{EnergyError, non_negative};
use crate::units::{Bytes, GramsCo2e, KilowattHours, KwhPerGigabyte, KwhPerMinute, Seconds};
use serde::Serialize;

/// Which part of the delivery chain a coefficient covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Stage {
    /// Servers and the buildings around them.
    DataCentre,
    /// The networks between data centre and viewer.
    Network,
    /// The viewer's device.
    Device,
    /// Everything at once (a whole-chain estimate).
    WholeChain,
}

impl Stage {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::DataCentre => "data centre",
            Stage::Network => "network",
            Stage::Device => "device",
            Stage::WholeChain => "whole chain",
        }
    }
}

/// What a coefficient is proportional to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Basis {
    /// Energy per minute streamed or watched.
    PerMinute(KwhPerMinute),
    /// Energy per gigabyte transferred.
    PerGigabyte(KwhPerGigabyte),
}

/// One coefficient of a set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Term {
    /// The stage it covers.
    pub stage: Stage,
    /// Its value.
    pub basis: Basis,
    /// Where it comes from.
    pub source: Source,
}

/// A named set of coefficients that together cover the delivery chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoefficientSet {
    /// A stable key for links and selectors.
    pub id: String,
    /// Its name, for the page.
    pub name: String,
    /// The coefficients.
    pub terms: Vec<Term>,
}

impl CoefficientSet {
    /// The lecture's set: 0.0002 kWh per minute in the data centre, 0.01 kWh per GB
    /// downloaded, 0.001 kWh per minute on the device.
    pub fn lecture() -> CoefficientSet {
        CoefficientSet {
            id: "lecture".into(),
            name: "Lecture".into(),
            terms: vec![
                Term {
                    stage: Stage::DataCentre,
                    basis: Basis::PerMinute(LECTURE_DATA_CENTRE),
                    source: LECTURE,
                },
                Term {
                    stage: Stage::Network,
                    basis: Basis::PerGigabyte(KwhPerGigabyte(0.01)),
                    source: LECTURE,
                },
                Term {
                    stage: Stage::Device,
                    basis: Basis::PerMinute(LECTURE_DEVICE),
                    source: LECTURE,
                },
            ],
        }
    }

    /// IEA's whole-chain estimate: 0.077 kWh per hour of streaming (2019 global average;
    /// Kamiya, IEA, updated December 2020).
    pub fn iea_2020() -> CoefficientSet {
        CoefficientSet {
            id: "iea-2020".into(),
            name: "IEA 2020 (per hour, whole chain)".into(),
            terms: vec![Term {
                stage: Stage::WholeChain,
                basis: Basis::PerMinute(KwhPerMinute::from_kwh_per_hour(IEA_2020_PER_HOUR)),
                source: IEA_KAMIYA_2020,
            }],
        }
    }

    /// The lecture's data-centre and device terms with Aslan et al.'s fixed-line network
    /// intensity for `year` (0.06 kWh/GB in 2015, halving every two years). Any year but 2015 is
    /// an extrapolation, and its name and source say so.
    pub fn lecture_with_aslan_network(year: i32) -> CoefficientSet {
        let mut set = CoefficientSet::lecture();
        set.id = format!("lecture-aslan-{year}");
        let (name, source) = if year == 2015 {
            (
                format!("Lecture, network from Aslan et al. for {year}"),
                ASLAN_2018,
            )
        } else {
            (
                format!("Lecture, network from Aslan et al.'s 2015 figure extrapolated to {year}"),
                ASLAN_2018_EXTRAPOLATED,
            )
        };
        set.name = name;
        set.terms[1] = Term {
            stage: Stage::Network,
            basis: Basis::PerGigabyte(aslan_fixed_line(year)),
            source,
        };
        set
    }
}

/// The coefficient sets a page offers, the lecture's first: the lecture's own; the lecture's
/// data-centre and device terms with a published network intensity instead of the lecture's
/// (Aslan et al. for 2015 and, extrapolated, 2020; the EU's 2020 fixed and mobile figures); and
/// IEA's whole-chain estimate. Each set's `id` is stable, for share links.
pub fn coefficient_sets() -> Vec<CoefficientSet> {
    let mut sets = vec![
        CoefficientSet::lecture(),
        CoefficientSet::lecture_with_aslan_network(2015),
        CoefficientSet::lecture_with_aslan_network(2020),
    ];
    for (id, name, key) in [
        (
            "lecture-eu-fixed-2020",
            "Lecture, network: EU 2020 fixed broadband",
            "fixed-eu-2020",
        ),
        (
            "lecture-eu-mobile-2020",
            "Lecture, network: EU 2020 mobile",
            "mobile-eu-2020",
        ),
    ] {
        if let Some(n) = network_intensity(key) {
            let mut set = CoefficientSet::lecture();
            set.id = id.into();
            set.name = name.into();
            set.terms[1] = Term {
                stage: Stage::Network,
                basis: Basis::PerGigabyte(n.kwh_per_gb),
                source: n.source,
            };
            sets.push(set);
        }
    }
    sets.push(CoefficientSet::iea_2020());
    sets
}

/// The offered set with this `id` (see [`coefficient_sets`]).
pub fn coefficient_set(id: &str) -> Option<CoefficientSet> {
    coefficient_sets().into_iter().find(|s| s.id == id)
}

/// A video and how often it is watched.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Video {
    /// The file's size (downloaded once per view).
    pub size: Bytes,
    /// How long one view lasts.
    pub duration: Seconds,
    /// How many times it is watched.
    pub views: u64,
}

impl Video {
    /// The lecture's example: a 70 MB, two-minute video watched 16.5 billion times.
    pub const LECTURE_EXAMPLE: Video = Video {
        size: Bytes(70_000_000),
        duration: Seconds(120.0),
        views: 16_500_000_000,
    };
}

/// One step of the arithmetic.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// What this step computes.
    pub label: String,
    /// How, with the numbers filled in.
    pub formula: String,
    /// The result.
    pub value: f64,
    /// The result's unit.
    pub unit: &'static str,
}

/// The calculator's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StreamingReport {
    /// Every step, in order.
    pub rows: Vec<Row>,
    /// Energy per view, by term (same order as the set's terms).
    pub per_view_by_term: Vec<KilowattHours>,
    /// Energy of one view.
    pub per_view: KilowattHours,
    /// Energy of all views.
    pub total: KilowattHours,
    /// The total as a fraction of the chosen country's yearly electricity, if one was chosen.
    pub share_of_country: Option<f64>,
    /// Emissions at the chosen grid, if one was chosen.
    pub carbon: Option<GramsCo2e>,
}

/// Formats a number with at most 12 significant digits, no float noise (0.07 × 0.01 shows as
/// 0.0007, not 0.0007000000000000001) and thousands grouped (24,603,150,000): the same figure as
/// the table's value beside it.
pub fn short(x: f64) -> String {
    let plain = match format!("{x:.11e}").parse::<f64>() {
        Ok(r) => format!("{r}"),
        Err(_) => format!("{x}"),
    };
    // Group the whole part's thousands, as the page writes every number.
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = rest
        .split_once('.')
        .map_or((rest, None), |(w, f)| (w, Some(f)));
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return plain;
    }
    let mut out = String::from(sign);
    out.push_str(&group_digits(whole));
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A string of digits with thousands separators: `16500000000` → `16,500,000,000`.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What to set the total against, all optional.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Context<'a> {
    /// Compare the total with this country's yearly electricity.
    pub country: Option<&'a CountryElectricity>,
    /// Convert the total to emissions at this grid's carbon intensity.
    pub grid: Option<&'a GridIntensity>,
    /// Multiply data-centre terms by this PUE (leave `None` if the coefficient already
    /// includes the facility's overhead, or if that is unknown).
    pub data_centre_pue: Option<&'a Pue>,
}

/// Computes the energy of `video` with `set`, every step shown as a [`Row`]; `context` adds a
/// PUE, a comparison with a country's yearly electricity, and emissions at a grid.
pub fn calculate(
    video: &Video,
    set: &CoefficientSet,
    context: &Context<'_>,
) -> Result<StreamingReport, EnergyError> {
    let Context {
        country,
        grid,
        data_centre_pue,
    } = *context;
    non_negative("video duration (s)", video.duration.0)?;
    let mut rows = Vec::new();
    let gb = video.size.gigabytes();
    let minutes = video.duration.minutes();
    rows.push(Row {
        label: "Data per view".into(),
        formula: format!("{} B ÷ 10⁹ B/GB", video.size.0),
        value: gb.0,
        unit: "GB",
    });
    rows.push(Row {
        label: "Minutes per view".into(),
        formula: format!("{} s ÷ 60 s/min", short(video.duration.0)),
        value: minutes,
        unit: "min",
    });
    let mut per_view_by_term = Vec::with_capacity(set.terms.len());
    for t in &set.terms {
        let (e, formula) = match t.basis {
            Basis::PerMinute(k) => (
                k * video.duration,
                format!("{} kWh/min × {} min", short(k.0), short(minutes)),
            ),
            Basis::PerGigabyte(k) => (
                gb * k,
                format!("{} GB × {} kWh/GB", short(gb.0), short(k.0)),
            ),
        };
        rows.push(Row {
            label: format!("{} energy per view", capitalise(t.stage.label())),
            formula,
            value: e.0,
            unit: "kWh",
        });
        let e = match data_centre_pue {
            Some(p) if t.stage == Stage::DataCentre => {
                let with = e * p.ratio;
                rows.push(Row {
                    label: format!("Data centre energy per view with PUE ({})", p.label),
                    formula: format!("{} kWh × {}", short(e.0), short(p.ratio)),
                    value: with.0,
                    unit: "kWh",
                });
                with
            }
            _ => e,
        };
        per_view_by_term.push(e);
    }
    let per_view: KilowattHours = per_view_by_term.iter().sum();
    rows.push(Row {
        label: "Energy per view".into(),
        formula: per_view_by_term
            .iter()
            .map(|e| short(e.0))
            .collect::<Vec<_>>()
            .join(" + ")
            + " kWh",
        value: per_view.0,
        unit: "kWh",
    });
    // Views as f64 is exact below 2⁵³, far above any plausible count.
    let total = per_view * video.views as f64;
    rows.push(Row {
        label: "Energy of all views".into(),
        formula: format!(
            "{} kWh × {} views",
            short(per_view.0),
            group_digits(&video.views.to_string())
        ),
        value: total.0,
        unit: "kWh",
    });
    rows.push(Row {
        label: "Energy of all views, in GWh".into(),
        formula: format!("{} kWh ÷ 10⁶ kWh/GWh", short(total.0)),
        value: total.gwh(),
        unit: "GWh",
    });
    let share_of_country = country.map(|c| {
        let share = total / c.yearly;
        rows.push(Row {
            label: format!("Compared with {}'s yearly electricity ({})", c.name, c.year),
            formula: format!("{} GWh ÷ {} GWh", short(total.gwh()), short(c.yearly.gwh())),
            value: share,
            unit: "×",
        });
        rows.push(Row {
            label: format!("Days of {}'s electricity use", c.name),
            formula: format!("{} × 365 days", short(share)),
            value: share * 365.0,
            unit: "days",
        });
        share
    });
    let carbon = grid.map(|g| {
        let grams = total * g.intensity;
        rows.push(Row {
            label: format!("Emissions at the {} grid ({})", g.name, g.year),
            formula: format!(
                "{} kWh × {} gCO2e/kWh",
                short(total.0),
                short(g.intensity.0)
            ),
            value: grams.0,
            unit: "gCO2e",
        });
        rows.push(Row {
            label: "Emissions, in tonnes".into(),
            formula: format!("{} g ÷ 10⁶ g/t", short(grams.0)),
            value: grams.tonnes(),
            unit: "tCO2e",
        });
        grams
    });
    Ok(StreamingReport {
        rows,
        per_view_by_term,
        per_view,
        total,
        share_of_country,
        carbon,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_lose_float_noise() {
        assert_eq!(short(0.07 * 0.01), "0.0007");
        assert_eq!(short(16_500_000_000.0), "16,500,000,000");
        assert_eq!(short(24_603_150_000.0), "24,603,150,000");
        assert_eq!(short(-1234.5), "-1,234.5");
        assert_eq!(short(2.0), "2");
    }

    #[test]
    fn offered_sets_have_unique_ids_and_the_lecture_comes_first() {
        let sets = coefficient_sets();
        assert_eq!(sets[0], CoefficientSet::lecture());
        assert_eq!(sets.len(), 6);
        for (i, s) in sets.iter().enumerate() {
            assert!(sets[..i].iter().all(|o| o.id != s.id), "{}", s.id);
            assert_eq!(coefficient_set(&s.id).as_ref(), Some(s));
            assert!(!s.terms.is_empty());
        }
        assert_eq!(sets[1].id, "lecture-aslan-2015");
        let mobile = coefficient_set("lecture-eu-mobile-2020").unwrap();
        assert_eq!(
            mobile.terms[1].basis,
            Basis::PerGigabyte(KwhPerGigabyte(0.14))
        );
        assert!(coefficient_set("nope").is_none());
    }

    /// 0.06 kWh/GB halved every two years for five years is 0.0106 kWh/GB, and the set that
    /// uses it says it is extrapolated.
    #[test]
    fn the_2020_aslan_value_is_labelled_as_an_extrapolation() {
        let set = coefficient_set("lecture-aslan-2020").unwrap();
        let Basis::PerGigabyte(k) = set.terms[1].basis else {
            panic!("{set:?}")
        };
        assert!((k.0 - 0.010_607).abs() < 1e-6, "{}", k.0);
        assert!(set.name.contains("extrapolated"), "{}", set.name);
        assert!(set.terms[1].source.citation.starts_with("extrapolated"));
        let original = coefficient_set("lecture-aslan-2015").unwrap();
        assert_eq!(original.terms[1].source, ASLAN_2018);
        assert!(!original.name.contains("extrapolated"));
    }

    #[test]
    fn negative_duration_is_an_error() {
        let v = Video {
            duration: Seconds(-1.0),
            ..Video::LECTURE_EXAMPLE
        };
        assert!(calculate(&v, &CoefficientSet::lecture(), &Context::default()).is_err());
    }
}
