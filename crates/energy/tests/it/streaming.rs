//! The streaming calculator against hand-computed cases.

use energy::coefficients::{PUE_VALUES, country_electricity, grid};
use energy::{Bytes, CoefficientSet, Context, Seconds, Video, calculate};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// The lecture's example by hand: a 70 MB two-minute video, 16.5 billion views.
///
/// - data centre: 0.0002 kWh/min × 2 min = 0.0004 kWh
/// - network: 0.07 GB × 0.01 kWh/GB = 0.0007 kWh
/// - device: 0.001 kWh/min × 2 min = 0.002 kWh
/// - per view: 0.0031 kWh; all views: 0.0031 × 16.5·10⁹ = 51,150,000 kWh = 51.15 GWh
/// - at the 2023 world average 481 gCO2e/kWh: 2.460315·10¹⁰ g ≈ 24,603 t
#[test]
fn lecture_example_by_hand() {
    let r = calculate(
        &Video::LECTURE_EXAMPLE,
        &CoefficientSet::lecture(),
        &Context {
            country: country_electricity("KIR"),
            grid: grid("WLD"),
            data_centre_pue: None,
        },
    )
    .unwrap();
    let by_term: Vec<f64> = r.per_view_by_term.iter().map(|e| e.0).collect();
    assert!(close(by_term[0], 0.0004));
    assert!(close(by_term[1], 0.0007));
    assert!(close(by_term[2], 0.002));
    assert!(close(r.per_view.0, 0.0031));
    assert!(close(r.total.0, 51_150_000.0), "{}", r.total);
    assert!(close(r.total.gwh(), 51.15));
    assert!(close(r.carbon.unwrap().0, 2.460315e10));
    // Kiribati's listed 20.46 GWh a year: 51.15 / 20.46 = 2.5 years of its electricity.
    assert!(close(r.share_of_country.unwrap(), 51.15 / 20.46));
    // Every step is shown with its unit, and the rows carry the same numbers.
    let row = |label: &str| r.rows.iter().find(|row| row.label == label).unwrap();
    assert_eq!(row("Data per view").formula, "70000000 B ÷ 10⁹ B/GB");
    assert!(close(row("Data per view").value, 0.07));
    assert_eq!(row("Minutes per view").value, 2.0);
    assert_eq!(
        row("Network energy per view").formula,
        "0.07 GB × 0.01 kWh/GB"
    );
    assert_eq!(
        row("Energy per view").formula,
        "0.0004 + 0.0007 + 0.002 kWh"
    );
    assert_eq!(
        row("Energy of all views").formula,
        "0.0031 kWh × 16,500,000,000 views"
    );
    assert_eq!(row("Energy of all views, in GWh").unit, "GWh");
    assert!(
        r.rows
            .iter()
            .all(|row| !row.unit.is_empty() && !row.formula.is_empty())
    );
}

/// IEA's 0.077 kWh per hour: 0.077 / 60 × 2 min = 0.0025667 kWh per view; × 16.5·10⁹ =
/// 42,350,000 kWh.
#[test]
fn iea_per_hour_estimate_by_hand() {
    let r = calculate(
        &Video::LECTURE_EXAMPLE,
        &CoefficientSet::iea_2020(),
        &Context::default(),
    )
    .unwrap();
    assert!(close(r.per_view.0, 0.077 / 30.0));
    assert!(close(r.total.0, 42_350_000.0), "{}", r.total);
    assert!(r.carbon.is_none() && r.share_of_country.is_none());
}

/// Aslan et al. for 2019: 0.06 × 2⁻² = 0.015 kWh/GB; network 0.07 × 0.015 = 0.00105 kWh;
/// per view 0.0004 + 0.00105 + 0.002 = 0.00345 kWh; total 56,925,000 kWh.
#[test]
fn aslan_network_for_2019_by_hand() {
    let set = CoefficientSet::lecture_with_aslan_network(2019);
    let r = calculate(
        &Video::LECTURE_EXAMPLE,
        &set,
        &Context {
            grid: grid("FRA"),
            ..Context::default()
        },
    )
    .unwrap();
    assert!(close(r.per_view_by_term[1].0, 0.00105));
    assert!(close(r.total.0, 56_925_000.0), "{}", r.total);
    // France 2023, 56 gCO2e/kWh.
    assert!(close(r.carbon.unwrap().0, 56_925_000.0 * 56.0));
}

/// A small case: one 1 GB hour-long view with the lecture's set.
#[test]
fn one_gigabyte_hour_by_hand() {
    let v = Video {
        size: Bytes(1_000_000_000),
        duration: Seconds::from_hours(1.0),
        views: 1,
    };
    let r = calculate(&v, &CoefficientSet::lecture(), &Context::default()).unwrap();
    // 0.0002 × 60 + 1 × 0.01 + 0.001 × 60 = 0.012 + 0.01 + 0.06 = 0.082 kWh.
    assert!(close(r.total.0, 0.082));
}

/// No views, no energy.
#[test]
fn zero_views_cost_nothing() {
    let v = Video {
        views: 0,
        ..Video::LECTURE_EXAMPLE
    };
    let r = calculate(
        &v,
        &CoefficientSet::lecture(),
        &Context {
            grid: grid("IND"),
            ..Context::default()
        },
    )
    .unwrap();
    assert_eq!(r.total.0, 0.0);
    assert_eq!(r.carbon.unwrap().0, 0.0);
}

/// A PUE multiplies only the data-centre term: with Uptime's 1.58, 0.0004 kWh becomes
/// 0.000632 kWh; per view 0.000632 + 0.0007 + 0.002 = 0.003332 kWh; total 54,978,000 kWh.
#[test]
fn pue_multiplies_the_data_centre_term_only() {
    let pue = PUE_VALUES.iter().find(|p| p.id == "uptime-2023").unwrap();
    let r = calculate(
        &Video::LECTURE_EXAMPLE,
        &CoefficientSet::lecture(),
        &Context {
            data_centre_pue: Some(pue),
            ..Context::default()
        },
    )
    .unwrap();
    assert!(close(r.per_view_by_term[0].0, 0.000632));
    assert!(close(r.per_view_by_term[1].0, 0.0007));
    assert!(close(r.total.0, 54_978_000.0), "{}", r.total);
    assert!(r.rows.iter().any(|row| row.formula == "0.0004 kWh × 1.58"));
}
