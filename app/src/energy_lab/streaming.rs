//! The streaming calculator as the page shows it: the arithmetic's rows with readable numbers,
//! the headline sentences, and the provenance of every coefficient used.

use crate::energy_lab::numbers::{figure, views};
use energy::coefficients::{self, Source};
use energy::streaming::{Basis, Stage, StreamingReport};
use scenario::energy_lab::EnergyScenario;

/// One row of the arithmetic table.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    /// What the step computes.
    pub label: String,
    /// How, with the numbers.
    pub formula: String,
    /// The value, formatted.
    pub value: String,
    /// Its unit.
    pub unit: &'static str,
}

/// One row of the provenance table.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    /// What the number is (`Network energy per GB`).
    pub what: String,
    /// The number with its unit.
    pub value: String,
    /// Where it comes from.
    pub citation: &'static str,
    /// A link, if any.
    pub url: &'static str,
    /// The year it was published, or `–`.
    pub year: String,
}

/// Everything the calculator section shows.
#[derive(Clone, Debug, PartialEq)]
pub struct CalculatorView {
    /// The arithmetic.
    pub rows: Vec<StepRow>,
    /// The total, in kWh and GWh (`51,150,000 kWh (51.15 GWh)`).
    pub total: String,
    /// The total in GWh alone (`51.15`), for the headline.
    pub total_gwh: String,
    /// The comparison with the country's yearly electricity, in words.
    pub comparison: String,
    /// The carbon at the chosen grid, in words.
    pub carbon: String,
    /// Why a chosen PUE was not applied, if it was not.
    pub pue_note: String,
    /// On the lecture's own example: that its slide says 51 TWh where its coefficients give
    /// 51.15 GWh, with the arithmetic; empty otherwise.
    pub slide_note: String,
    /// Where every number comes from.
    pub sources: Vec<SourceRow>,
}

fn year(source: &Source) -> String {
    source
        .published
        .map_or_else(|| "–".to_owned(), |y| y.to_string())
}

/// The calculator's view of `e`, or the sentence saying why it cannot compute.
pub fn view(e: &EnergyScenario) -> Result<CalculatorView, String> {
    let report: StreamingReport = e.calculator.report(&e.grid)?;
    let rows = report
        .rows
        .iter()
        .map(|r| StepRow {
            label: r.label.clone(),
            formula: r.formula.clone(),
            value: figure(r.value),
            unit: r.unit,
        })
        .collect();
    let c = &e.calculator;
    let country = coefficients::country_electricity(&c.country);
    let grid = e.grid();
    let comparison = match (country, report.share_of_country) {
        (Some(country), Some(share)) => format!(
            "{} views use {} GWh: {} times {}'s yearly electricity ({} GWh {}), or {} days of it.",
            views(c.views),
            figure(report.total.gwh()),
            figure(share),
            country.name,
            figure(country.yearly.gwh()),
            country_year(country),
            figure(share * 365.0)
        ),
        _ => String::new(),
    };
    let carbon = match (grid, report.carbon) {
        (Some(g), Some(grams)) => format!(
            "At the {} grid ({} gCO₂e/kWh in {}) that is {} tonnes of CO₂-equivalent.",
            g.name,
            figure(g.intensity.0),
            g.year,
            figure(grams.tonnes())
        ),
        _ => String::new(),
    };
    let mut sources = Vec::new();
    if let Some(set) = c.set() {
        for t in &set.terms {
            let (what, value) = match t.basis {
                Basis::PerMinute(k) => (
                    format!("{} energy per minute", stage_name(t.stage.label())),
                    format!("{} kWh/min", figure(k.0)),
                ),
                Basis::PerGigabyte(k) => (
                    format!("{} energy per GB", stage_name(t.stage.label())),
                    format!("{} kWh/GB", figure(k.0)),
                ),
            };
            sources.push(SourceRow {
                what,
                value,
                citation: t.source.citation,
                url: t.source.url,
                year: year(&t.source),
            });
        }
    }
    let has_data_centre = c
        .set()
        .is_some_and(|set| set.terms.iter().any(|t| t.stage == Stage::DataCentre));
    let pue_note = match &c.pue {
        Some(_) if !has_data_centre => {
            "This set has no separate data-centre term, so the PUE is not applied.".to_owned()
        }
        _ => String::new(),
    };
    if let Some(id) = &c.pue
        && has_data_centre
        && let Some(p) = coefficients::PUE_VALUES.iter().find(|p| p.id == id)
    {
        sources.push(SourceRow {
            what: format!("Data-centre PUE ({})", p.label),
            value: figure(p.ratio),
            citation: p.source.citation,
            url: p.source.url,
            year: p.year.map_or_else(|| year(&p.source), |y| y.to_string()),
        });
    }
    if let Some(country) = country {
        sources.push(SourceRow {
            what: format!(
                "{}'s yearly electricity ({})",
                country.name,
                country_year(country)
            ),
            value: format!("{} GWh", figure(country.yearly.gwh())),
            citation: country.source.citation,
            url: country.source.url,
            year: year(&country.source),
        });
    }
    if let Some(g) = grid {
        sources.push(SourceRow {
            what: format!("Carbon intensity, {} ({})", g.name, g.year),
            value: format!("{} gCO₂e/kWh", figure(g.intensity.0)),
            citation: g.source.citation,
            url: g.source.url,
            year: year(&g.source),
        });
    }
    let slide_note = if c.coefficients == "lecture" && (report.total.gwh() - 51.15).abs() < 0.005 {
        format!(
            "A note on the lecture's slide: it gives this example as 51 TWh, but its own \
             coefficients give {} kWh per view × {} views = {} kWh. One TWh is 10⁹ kWh, so that \
             is {} GWh, or 0.05115 TWh: a thousand times less than the slide says. An easy slip \
             between GWh and TWh; the arithmetic above is the slide's own.",
            figure(report.total.0 / c.views as f64),
            views(c.views),
            figure(report.total.0),
            figure(report.total.gwh())
        )
    } else {
        String::new()
    };
    Ok(CalculatorView {
        rows,
        total: format!(
            "{} kWh ({} GWh)",
            figure(report.total.0),
            figure(report.total.gwh())
        ),
        total_gwh: figure(report.total.gwh()),
        comparison,
        carbon,
        pue_note,
        slide_note,
        sources,
    })
}

/// The year of a country's figure: "in 2022", or, for a listing that does not say which year
/// its estimate is for, "listed in 2015, estimate's year not stated".
fn country_year(country: &coefficients::CountryElectricity) -> String {
    if country.year_is_listing {
        format!("listed in {}, estimate's year not stated", country.year)
    } else {
        format!("in {}", country.year)
    }
}

fn stage_name(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::energy_lab::{default_energy_scenario, energy_of};

    #[test]
    fn the_lecture_example_shows_its_arithmetic() {
        let s = default_energy_scenario();
        let v = view(energy_of(&s).unwrap()).unwrap();
        assert_eq!(v.total, "51,150,000 kWh (51.15 GWh)");
        assert_eq!(v.total_gwh, "51.15");
        let values: Vec<(&str, &str)> = v.rows.iter().map(|r| (r.value.as_str(), r.unit)).collect();
        assert_eq!(
            &values[..6],
            [
                ("0.07", "GB"),
                ("2", "min"),
                ("0.0004", "kWh"),
                ("0.0007", "kWh"),
                ("0.002", "kWh"),
                ("0.0031", "kWh"),
            ]
        );
        assert!(
            v.comparison
                .contains("2.5 times Kiribati's yearly electricity"),
            "{}",
            v.comparison
        );
        assert!(v.carbon.contains("World average"), "{}", v.carbon);
        assert!(
            v.comparison
                .contains("20.46 GWh listed in 2015, estimate's year not stated"),
            "{}",
            v.comparison
        );
        // The slide's 51 TWh is 1,000 × the 51.15 GWh its coefficients give.
        assert!(v.slide_note.contains("51 TWh"), "{}", v.slide_note);
        assert!(
            v.slide_note.contains(
                "0.0031 kWh per view × 16,500,000,000 (16.5 billion) views = 51,150,000 kWh"
            ),
            "{}",
            v.slide_note
        );
        assert!(
            v.slide_note.contains("51.15 GWh, or 0.05115 TWh"),
            "{}",
            v.slide_note
        );
        assert!((51.15e9 / 51.15e6 - 1_000.0_f64).abs() < 1e-9);
        // Lecture terms (3), the country and the grid.
        assert_eq!(v.sources.len(), 5);
        assert_eq!(v.sources[0].year, "–");
        assert_eq!(v.sources[4].year, "2024");
    }

    #[test]
    fn another_set_changes_the_total_and_the_sources() {
        let mut s = default_energy_scenario();
        let scenario::scenario::Lab::Energy(e) = &mut s.lab else {
            panic!()
        };
        e.calculator.coefficients = "iea-2020".into();
        e.calculator.pue = Some("uptime-2023".into());
        let v = view(e).unwrap();
        // 0.077 kWh/h × 2 min = 0.0025667 kWh per view; × 16.5e9 = 42.35 GWh.
        assert_eq!(v.total_gwh, "42.35");
        assert!(v.sources[0].citation.contains("Kamiya"));
        assert_eq!(
            v.sources.len(),
            3,
            "IEA's one term, the country, the grid (no PUE term)"
        );
        assert!(v.pue_note.contains("not applied"));
        assert!(v.slide_note.is_empty(), "only on the lecture's own example");
    }
}
