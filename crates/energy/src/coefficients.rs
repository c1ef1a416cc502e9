//! Published coefficients, each with its source and the year it applies to: network energy per
//! gigabyte by link type, device and data-centre energy per minute of streaming, data-centre
//! PUE, grid carbon intensity by country, and countries' yearly electricity use.
//!
//! These numbers are estimates whose spread is the point: a learner picks a set and sees how
//! the answer moves. Where a figure was read from a secondary page (a summary of a paywalled
//! report), the citation says so.

use crate::units::{
    GramsCo2ePerKwh, JoulesPerBit, KilowattHours, KwhPerGigabyte, KwhPerMinute, Watts,
};
use serde::Serialize;

/// Where a number comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Authors, title and venue (and, for a secondary page, which page the figure was read on).
    pub citation: &'static str,
    /// A link to the source, if it has one.
    pub url: &'static str,
    /// Year of publication, if known.
    pub published: Option<u16>,
}

/// Aslan, Mayers, Koomey & France (2018).
pub const ASLAN_2018: Source = Source {
    citation: "J. Aslan, K. Mayers, J. G. Koomey, C. France, \"Electricity Intensity of Internet \
               Data Transmission: Untangling the Estimates\", Journal of Industrial Ecology 22(4), \
               785–798",
    url: "https://doi.org/10.1111/jiec.12630",
    published: Some(2018),
};

/// Aslan et al.'s 2015 figure carried to another year by the trend they report (halving every
/// two years): a value the paper does not give.
pub const ASLAN_2018_EXTRAPOLATED: Source = Source {
    citation: "extrapolated from J. Aslan, K. Mayers, J. G. Koomey, C. France, \"Electricity \
               Intensity of Internet Data Transmission: Untangling the Estimates\", Journal of \
               Industrial Ecology 22(4), 785–798: their 0.06 kWh/GB for 2015, halved every two \
               years as the trend they found (2000–2015) suggests; this year's value is not in \
               the paper",
    url: "https://doi.org/10.1111/jiec.12630",
    published: Some(2018),
};

/// George Kamiya, IEA (2020), updated December 2020.
pub const IEA_KAMIYA_2020: Source = Source {
    citation: "G. Kamiya, \"The carbon footprint of streaming video: fact-checking the \
               headlines\", IEA commentary (updated 11 Dec 2020: 0.077 kWh per hour of streaming \
               in 2019, as reported by FEED magazine, Winter 2021)",
    url: "https://www.iea.org/commentaries/the-carbon-footprint-of-streaming-video-fact-checking-the-headlines",
    published: Some(2020),
};

/// The course lecture's own coefficients.
pub const LECTURE: Source = Source {
    citation: "the course lecture on the energy of distributed systems (slides): 0.0002 kWh per \
               minute of data-centre streaming, 0.01 kWh per GB downloaded, 0.001 kWh per minute \
               on the device",
    url: "",
    published: None,
};

/// The 2020 EU ICT impact study, as summarised by Scope3's methodology page.
pub const EU_ICT_2020: Source = Source {
    citation: "European Commission, ICT impact study (2020): 0.03 kWh/GB fixed, 0.14 kWh/GB \
               mobile; as summarised on Scope3's \"Emissions from Data Transfer\" methodology page",
    url: "https://methodology.scope3.com/data_transfer",
    published: Some(2020),
};

/// Ember's yearly electricity data via Our World in Data.
pub const EMBER_OWID_2023: Source = Source {
    citation: "Ember and Energy Institute, carbon intensity of electricity generation (lifecycle, \
               gCO2e/kWh), 2023 values, via Our World in Data",
    url: "https://ourworldindata.org/grapher/carbon-intensity-electricity",
    published: Some(2024),
};

/// Ember's 2023 emission intensities as charted by Statista.
pub const EMBER_STATISTA_2023: Source = Source {
    citation: "Ember (3 July 2024), electricity generation emission intensity in selected \
               countries in 2023, via Statista",
    url: "https://www.statista.com/statistics/943137/global-emissions-intensity-power-sector-by-country/",
    published: Some(2024),
};

/// Uptime Institute's annual data-centre survey.
pub const UPTIME_2023: Source = Source {
    citation: "Uptime Institute, Global Data Center Survey 2023 (industry average PUE 1.58 in \
               2023; 1.55 in 2022)",
    url: "https://intelligence.uptimeinstitute.com/resource/large-data-centers-are-mostly-more-efficient-analysis-confirms",
    published: Some(2023),
};

/// Malmodin (2020), the fixed-network power model, as reproduced by D. Mytton.
pub const MALMODIN_2020: Source = Source {
    citation: "J. Malmodin, \"The power consumption of mobile and fixed network data services - \
               the case of streaming video and downloading large files\", Electronics Goes \
               Green 2020+ (fixed access and core network: 1.5 W + 0.03 W per Mbps of line \
               capacity per subscription; home router: 16.5 W idle + 0.02 W per Mbps of traffic), \
               as implemented in D. Mytton's reproduction notebook \
               (github.com/davidmytton/paper-network-energy); the power-model approach is argued \
               in D. Mytton, D. Lundén, J. Malmodin, \"Network energy use not directly \
               proportional to data volume\", Journal of Industrial Ecology 28(4), 966–980 (2024)",
    url: "https://doi.org/10.1111/jiec.13512",
    published: Some(2020),
};

/// A network as a power model: an always-on power per line plus a small marginal energy per
/// bit carried. Network equipment draws nearly the same power whatever its traffic, so this
/// is how one more message should be charged (Mytton, Lundén & Malmodin 2024).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NetworkPower {
    /// A stable key.
    pub id: &'static str,
    /// What it describes.
    pub label: &'static str,
    /// Always-on power of one line (a node's share of the access and core network).
    pub line_idle: Watts,
    /// Energy each extra bit adds on one link.
    pub marginal: JoulesPerBit,
    /// Where it comes from.
    pub source: Source,
}

/// Network power models.
///
/// `fixed-malmodin-2020`: line 4.5 W, the fixed access and core network's share per
/// subscription in Malmodin's model at 100 Mbps of line capacity (1.5 W + 0.03 W/Mbps × 100
/// Mbps); the home router's 16.5 W is left out (the lab's nodes are not households). Marginal
/// 20 nJ per bit: 0.02 W per Mbps of traffic, the only traffic-proportional term in that model
/// (the home router's; the access and core terms do not move with traffic), charged here on
/// every link a message crosses, which if anything overstates it.
pub const NETWORK_POWER_MODELS: &[NetworkPower] = &[NetworkPower {
    id: "fixed-malmodin-2020",
    label: "fixed broadband line at 100 Mbps, Malmodin 2020",
    line_idle: Watts(1.5 + 0.03 * 100.0),
    marginal: JoulesPerBit(0.02 / 1e6),
    source: MALMODIN_2020,
}];

/// A network power model by its `id`.
pub fn network_power(id: &str) -> Option<&'static NetworkPower> {
    NETWORK_POWER_MODELS.iter().find(|n| n.id == id)
}

/// A network's energy per gigabyte carried.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NetworkIntensity {
    /// A stable key for links and selectors.
    pub id: &'static str,
    /// The kind of link, in words.
    pub link: &'static str,
    /// Energy per gigabyte.
    pub kwh_per_gb: KwhPerGigabyte,
    /// The year the estimate applies to, if stated.
    pub year: Option<u16>,
    /// Where it comes from.
    pub source: Source,
}

/// Network energy intensities by link type, end to end unless the name says otherwise. These
/// are averages (a network's whole consumption over its whole traffic): right for estimating a
/// whole transfer end to end, wrong as the cost of one more message on one more link (see
/// [`NETWORK_POWER_MODELS`]).
pub const NETWORK_INTENSITIES: &[NetworkIntensity] = &[
    NetworkIntensity {
        id: "lecture",
        link: "download, all networks (lecture)",
        kwh_per_gb: KwhPerGigabyte(0.01),
        year: None,
        source: LECTURE,
    },
    NetworkIntensity {
        id: "fixed-aslan-2015",
        link: "fixed-line core and access networks",
        kwh_per_gb: KwhPerGigabyte(0.06),
        year: Some(2015),
        source: ASLAN_2018,
    },
    NetworkIntensity {
        id: "fixed-eu-2020",
        link: "fixed broadband",
        kwh_per_gb: KwhPerGigabyte(0.03),
        year: Some(2020),
        source: EU_ICT_2020,
    },
    NetworkIntensity {
        id: "mobile-eu-2020",
        link: "mobile networks",
        kwh_per_gb: KwhPerGigabyte(0.14),
        year: Some(2020),
        source: EU_ICT_2020,
    },
];

/// A network intensity by its `id`.
pub fn network_intensity(id: &str) -> Option<&'static NetworkIntensity> {
    NETWORK_INTENSITIES.iter().find(|n| n.id == id)
}

/// Aslan et al.'s fixed-line estimate for `year`: 0.06 kWh/GB in 2015, halving every two years
/// (the trend they found for developed countries since 2000). An extrapolation outside the
/// years they studied; `libm::pow` keeps it identical natively and in WASM.
pub fn aslan_fixed_line(year: i32) -> KwhPerGigabyte {
    KwhPerGigabyte(0.06 * libm::pow(0.5, f64::from(year - 2015) / 2.0))
}

/// Data-centre energy per minute of video streamed, from the lecture.
pub const LECTURE_DATA_CENTRE: KwhPerMinute = KwhPerMinute(0.0002);
/// Device energy per minute of watching (0.001 kWh/min is a 60 W device), from the lecture.
pub const LECTURE_DEVICE: KwhPerMinute = KwhPerMinute(0.001);
/// Energy per hour of streaming video in 2019, data centres + networks + devices, global
/// average: 0.077 kWh/h (IEA, Kamiya, updated December 2020).
pub const IEA_2020_PER_HOUR: f64 = 0.077;

/// A data centre's power usage effectiveness: total facility energy ÷ IT energy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Pue {
    /// A stable key.
    pub id: &'static str,
    /// What it describes.
    pub label: &'static str,
    /// The ratio (≥ 1).
    pub ratio: f64,
    /// The year it applies to, if any.
    pub year: Option<u16>,
    /// Where it comes from.
    pub source: Source,
}

/// Published PUE values.
pub const PUE_VALUES: &[Pue] = &[
    Pue {
        id: "ideal",
        label: "ideal: every watt reaches the IT equipment",
        ratio: 1.0,
        year: None,
        source: Source {
            citation: "definition of PUE (The Green Grid, 2007)",
            url: "",
            published: Some(2007),
        },
    },
    Pue {
        id: "uptime-2022",
        label: "industry average (Uptime survey)",
        ratio: 1.55,
        year: Some(2022),
        source: UPTIME_2023,
    },
    Pue {
        id: "uptime-2023",
        label: "industry average (Uptime survey)",
        ratio: 1.58,
        year: Some(2023),
        source: UPTIME_2023,
    },
];

/// A grid's average carbon intensity.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct GridIntensity {
    /// ISO 3166 alpha-3 code, or `WLD` for the world average.
    pub code: &'static str,
    /// The country or area.
    pub name: &'static str,
    /// Grams of CO₂-equivalent per kWh generated.
    pub intensity: GramsCo2ePerKwh,
    /// The year it applies to.
    pub year: u16,
    /// Where it comes from.
    pub source: Source,
}

macro_rules! grid {
    ($code:literal, $name:literal, $g:literal, $src:expr) => {
        GridIntensity {
            code: $code,
            name: $name,
            intensity: GramsCo2ePerKwh($g),
            year: 2023,
            source: $src,
        }
    };
}

/// Grid carbon intensities in 2023, lowest first.
pub const GRIDS: &[GridIntensity] = &[
    grid!("NOR", "Norway", 30.0, EMBER_STATISTA_2023),
    grid!("FRA", "France", 56.0, EMBER_OWID_2023),
    grid!("FIN", "Finland", 79.0, EMBER_OWID_2023),
    grid!("BRA", "Brazil", 98.0, EMBER_OWID_2023),
    grid!("DNK", "Denmark", 152.0, EMBER_OWID_2023),
    grid!("CAN", "Canada", 170.0, EMBER_OWID_2023),
    grid!("DEU", "Germany", 381.0, EMBER_OWID_2023),
    grid!("WLD", "World average", 481.0, EMBER_STATISTA_2023),
    grid!("AUS", "Australia", 549.0, EMBER_OWID_2023),
    grid!("CHN", "China", 582.0, EMBER_OWID_2023),
    grid!("POL", "Poland", 662.0, EMBER_STATISTA_2023),
    grid!("IND", "India", 713.0, EMBER_OWID_2023),
];

/// A grid by its code.
pub fn grid(code: &str) -> Option<&'static GridIntensity> {
    GRIDS.iter().find(|g| g.code == code)
}

/// A country's (or the world's) yearly electricity consumption.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CountryElectricity {
    /// A stable key (ISO 3166 alpha-3, or `WLD`).
    pub code: &'static str,
    /// The country or area.
    pub name: &'static str,
    /// Electricity consumed in one year.
    pub yearly: KilowattHours,
    /// The year it applies to, or, where `year_is_listing`, the year of the listing it was read
    /// from (the estimate's own year not being given).
    pub year: u16,
    /// Whether `year` is only the date of the listing, not the year of the estimate.
    pub year_is_listing: bool,
    /// Where it comes from.
    pub source: Source,
}

const FACTBOOK_LIST_2015: Source = Source {
    citation: "CIA World Factbook estimates as listed in \"Electricity Usage by Country\", \
               2greenenergy.com (20 Aug 2015); the estimates' own years are not stated",
    url: "https://2greenenergy.com/2015/08/20/electricity-usage-by-country",
    published: Some(2015),
};

/// Yearly electricity consumption, for comparisons of scale.
pub const COUNTRY_ELECTRICITY: &[CountryElectricity] = &[
    CountryElectricity {
        code: "WLD",
        name: "World",
        yearly: KilowattHours(24_398e9),
        year: 2022,
        year_is_listing: false,
        source: Source {
            citation: "IEA, Electricity Information: Overview (global final consumption \
                       24,398 TWh in 2022), as cited by Wikipedia \"Electric energy consumption\"",
            url: "https://www.iea.org/reports/electricity-information-overview",
            published: Some(2023),
        },
    },
    CountryElectricity {
        code: "KIR",
        name: "Kiribati",
        yearly: KilowattHours(20_460e3),
        year: 2015,
        year_is_listing: true,
        source: FACTBOOK_LIST_2015,
    },
    CountryElectricity {
        code: "NIU",
        name: "Niue",
        yearly: KilowattHours(2_790e3),
        year: 2015,
        year_is_listing: true,
        source: FACTBOOK_LIST_2015,
    },
];

/// A country's yearly electricity by its code.
pub fn country_electricity(code: &str) -> Option<&'static CountryElectricity> {
    COUNTRY_ELECTRICITY.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aslan_halves_every_two_years() {
        assert_eq!(aslan_fixed_line(2015), KwhPerGigabyte(0.06));
        assert!((aslan_fixed_line(2017).0 - 0.03).abs() < 1e-15);
        assert!((aslan_fixed_line(2019).0 - 0.015).abs() < 1e-15);
        assert!((aslan_fixed_line(2013).0 - 0.12).abs() < 1e-15);
    }

    #[test]
    fn every_coefficient_has_a_source_and_sane_value() {
        for n in NETWORK_INTENSITIES {
            assert!(
                !n.source.citation.is_empty() && n.kwh_per_gb.0 > 0.0,
                "{}",
                n.id
            );
        }
        for g in GRIDS {
            assert!(
                !g.source.citation.is_empty() && g.intensity.0 > 0.0,
                "{}",
                g.code
            );
            assert_eq!(grid(g.code), Some(g));
        }
        assert!(GRIDS.windows(2).all(|w| w[0].intensity <= w[1].intensity));
        for p in PUE_VALUES {
            assert!(p.ratio >= 1.0, "{}", p.id);
        }
        for c in COUNTRY_ELECTRICITY {
            assert!(c.yearly.0 > 0.0 && !c.source.citation.is_empty());
            assert_eq!(country_electricity(c.code), Some(c));
        }
        assert_eq!(
            network_intensity("mobile-eu-2020").unwrap().kwh_per_gb.0,
            0.14
        );
        assert!(grid("XXX").is_none());
    }

    #[test]
    fn the_power_model_is_malmodins_fixed_line_and_far_below_the_average_per_bit() {
        let m = network_power("fixed-malmodin-2020").unwrap();
        assert!((m.line_idle.0 - 4.5).abs() < 1e-12);
        assert!((m.marginal.0 - 2e-8).abs() < 1e-20);
        // The average 0.03 kWh/GB is 13.5 µJ per bit: 675 × the marginal energy.
        let average = network_intensity("fixed-eu-2020")
            .unwrap()
            .kwh_per_gb
            .joules_per_bit();
        assert!((average.0 - 13.5e-6).abs() < 1e-12);
        assert!((average.0 / m.marginal.0 - 675.0).abs() < 1e-6);
        // A 25 KB message on one link: 4 mJ in the power model, 2.7 J at the average.
        let bits = 25_000.0 * 8.0;
        assert!((bits * m.marginal.0 - 0.004).abs() < 1e-12);
        assert!((bits * average.0 - 2.7).abs() < 1e-9);
    }
}
