//! Power as a function of utilisation: the linear model and measured SPECpower curves.
//!
//! A server's power draw rises with its CPU utilisation `u ∈ [0, 1]` from an idle floor to a
//! peak. The linear model `P(u) = P_idle + (P_peak − P_idle)·u` is the textbook approximation
//! (Fan, Weber and Barroso, "Power provisioning for a warehouse-sized computer", ISCA 2007);
//! measured curves from SPECpower_ssj2008 give the power at 0 %, 10 %, …, 100 % load and are
//! interpolated linearly between those points, as CloudSim's `PowerModelSpecPower` does.

use crate::error::{EnergyError, non_negative};
use crate::units::Watts;
use serde::{Deserialize, Serialize};

/// A fraction of full load, checked to lie in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Utilisation(f64);

impl Utilisation {
    /// Idle.
    pub const IDLE: Utilisation = Utilisation(0.0);
    /// Full load.
    pub const FULL: Utilisation = Utilisation(1.0);

    /// `u` if it lies in `[0, 1]`; otherwise a typed error (never a silent clamp).
    pub fn new(u: f64) -> Result<Utilisation, EnergyError> {
        if (0.0..=1.0).contains(&u) {
            Ok(Utilisation(u))
        } else {
            Err(EnergyError::UtilisationOutOfRange { value: u })
        }
    }
    /// The fraction, in `[0, 1]`.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Utilisation {
    type Error = EnergyError;
    fn try_from(u: f64) -> Result<Utilisation, EnergyError> {
        Utilisation::new(u)
    }
}

impl From<Utilisation> for f64 {
    fn from(u: Utilisation) -> f64 {
        u.0
    }
}

/// Power draw at 0 %, 10 %, …, 100 % load, measured by a SPECpower_ssj2008 run.
/// Deserialising checks it like [`MeasuredCurve::new`], so a crafted share link cannot make one
/// that panics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "MeasuredCurveData")]
pub struct MeasuredCurve {
    /// The machine, as the result names it.
    pub name: String,
    /// Where the numbers come from.
    pub source: String,
    /// Power at equally spaced loads from 0 % to 100 % (at least two points).
    points: Vec<Watts>,
}

/// A [`MeasuredCurve`] as it arrives from outside, before it is checked.
#[derive(Deserialize)]
struct MeasuredCurveData {
    name: String,
    source: String,
    points: Vec<Watts>,
}

impl TryFrom<MeasuredCurveData> for MeasuredCurve {
    type Error = EnergyError;
    fn try_from(d: MeasuredCurveData) -> Result<MeasuredCurve, EnergyError> {
        MeasuredCurve::new(d.name, d.source, d.points)
    }
}

impl MeasuredCurve {
    /// A curve from power at equally spaced loads `0, 1/(n−1), …, 1`. The points must be finite,
    /// ≥ 0, at least two, and never fall as load rises (a measured server that drew less at
    /// higher load would break the models' monotonicity; smooth such data before use).
    pub fn new(
        name: impl Into<String>,
        source: impl Into<String>,
        points: Vec<Watts>,
    ) -> Result<MeasuredCurve, EnergyError> {
        if points.len() < 2 {
            return Err(EnergyError::InvalidCurve {
                reason: format!(
                    "{} point(s); give at least two (idle and peak)",
                    points.len()
                ),
            });
        }
        for p in &points {
            non_negative("power", p.0)?;
        }
        if let Some(i) = points.windows(2).position(|w| w[1] < w[0]) {
            return Err(EnergyError::InvalidCurve {
                reason: format!(
                    "power falls from {} at point {i} to {} at point {}; a usable curve never falls as load rises",
                    points[i],
                    points[i + 1],
                    i + 1
                ),
            });
        }
        Ok(MeasuredCurve {
            name: name.into(),
            source: source.into(),
            points,
        })
    }

    /// HP ProLiant ML110 G4 (1 × Xeon 3040, 1860 MHz, 2 cores, 4 GB).
    ///
    /// Source: SPECpower_ssj2008 result
    /// <http://www.spec.org/power_ssj2008/results/res2011q1/power_ssj2008-20110127-00342.html>,
    /// as tabulated by CloudSim's `PowerModelSpecPowerHpProLiantMl110G4Xeon3040`
    /// (Beloglazov & Buyya, CCPE 24(13), 2012, doi:10.1002/cpe.1867):
    /// 86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117 W at 0 %, 10 %, …, 100 %.
    pub fn hp_proliant_ml110_g4() -> MeasuredCurve {
        MeasuredCurve {
            name: "HP ProLiant ML110 G4 (Xeon 3040)".into(),
            source: "SPECpower_ssj2008 result power_ssj2008-20110127-00342 (2011), via CloudSim \
                     PowerModelSpecPowerHpProLiantMl110G4Xeon3040"
                .into(),
            points: [
                86.0, 89.4, 92.6, 96.0, 99.5, 102.0, 106.0, 108.0, 112.0, 114.0, 117.0,
            ]
            .map(Watts)
            .to_vec(),
        }
    }

    /// HP ProLiant ML110 G5 (1 × Xeon 3075, 2660 MHz, 2 cores, 4 GB).
    ///
    /// Source: SPECpower_ssj2008 result
    /// <http://www.spec.org/power_ssj2008/results/res2011q1/power_ssj2008-20110124-00339.html>,
    /// as tabulated by CloudSim's `PowerModelSpecPowerHpProLiantMl110G5Xeon3075`
    /// (Beloglazov & Buyya, CCPE 24(13), 2012, doi:10.1002/cpe.1867):
    /// 93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135 W at 0 %, 10 %, …, 100 %.
    pub fn hp_proliant_ml110_g5() -> MeasuredCurve {
        MeasuredCurve {
            name: "HP ProLiant ML110 G5 (Xeon 3075)".into(),
            source: "SPECpower_ssj2008 result power_ssj2008-20110124-00339 (2011), via CloudSim \
                     PowerModelSpecPowerHpProLiantMl110G5Xeon3075"
                .into(),
            points: [
                93.7, 97.0, 101.0, 105.0, 110.0, 116.0, 121.0, 125.0, 129.0, 133.0, 135.0,
            ]
            .map(Watts)
            .to_vec(),
        }
    }

    /// Dell PowerEdge R6515 (1 × AMD EPYC 7702P, 64 cores, 2.0 GHz): a 2020 server, shown
    /// beside the ML110s because servers of this decade idle far lower relative to their peak
    /// (23 % here against about 70 % for the ML110s).
    ///
    /// Source: SPECpower_ssj2008 result
    /// <https://www.spec.org/power_ssj2008/results/res2020q3/power_ssj2008-20200728-01041.html>
    /// (Dell Inc., published in the 2020 Q3 results), as tabulated by the OpenDC simulator
    /// (AtLarge Research, `org.opendc.experiments.radice.scenario.topology.MachineSpecs`,
    /// `DELL_R6515`): 54, 123, 139, 150, 161, 169, 181, 194, 207, 218, 231 W at 0 %, 10 %, …,
    /// 100 %.
    pub fn dell_poweredge_r6515() -> MeasuredCurve {
        MeasuredCurve {
            name: "Dell PowerEdge R6515 (EPYC 7702P)".into(),
            source: "SPECpower_ssj2008 result power_ssj2008-20200728-01041 (2020 Q3), via OpenDC \
                     MachineSpecs DELL_R6515"
                .into(),
            points: [
                54.0, 123.0, 139.0, 150.0, 161.0, 169.0, 181.0, 194.0, 207.0, 218.0, 231.0,
            ]
            .map(Watts)
            .to_vec(),
        }
    }

    /// The measured points, at equally spaced loads from 0 to 1.
    pub fn points(&self) -> &[Watts] {
        &self.points
    }

    /// Power at `u`, interpolated linearly between the two neighbouring measured points.
    pub fn power(&self, u: Utilisation) -> Watts {
        let segments = self.points.len() - 1;
        let x = u.get() * segments as f64;
        // The lower point's index; at u = 1 use the last segment's upper end.
        let i = (libm::floor(x) as usize).min(segments - 1);
        let frac = x - i as f64;
        let (lo, hi) = (self.points[i], self.points[i + 1]);
        Watts(between(lo.0, hi.0, frac))
    }
}

/// `lo + (hi − lo)·t` for `lo ≤ hi`, `t ∈ [0, 1]`: monotonic in `t` and kept within
/// `[lo, hi]` (rounding in `lo + (hi − lo)` could otherwise overshoot `hi` by one ulp).
/// Never panics, even on a hand-built model with `lo > hi` (unlike `f64::clamp`).
fn between(lo: f64, hi: f64, t: f64) -> f64 {
    let x = lo + (hi - lo) * t;
    if x > hi {
        hi
    } else if x < lo {
        lo
    } else {
        x
    }
}

/// How a machine's power depends on its utilisation. Deserialising checks a linear model like
/// [`PowerModel::linear`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PowerModelData")]
pub enum PowerModel {
    /// `P(u) = idle + (peak − idle)·u`.
    Linear {
        /// Power at 0 % load.
        idle: Watts,
        /// Power at 100 % load.
        peak: Watts,
    },
    /// A measured curve, interpolated linearly between its points.
    Measured(MeasuredCurve),
}

/// A [`PowerModel`] as it arrives from outside, before it is checked.
#[derive(Deserialize)]
enum PowerModelData {
    Linear { idle: Watts, peak: Watts },
    Measured(MeasuredCurve),
}

impl TryFrom<PowerModelData> for PowerModel {
    type Error = EnergyError;
    fn try_from(d: PowerModelData) -> Result<PowerModel, EnergyError> {
        match d {
            PowerModelData::Linear { idle, peak } => PowerModel::linear(idle, peak),
            PowerModelData::Measured(c) => Ok(PowerModel::Measured(c)),
        }
    }
}

impl PowerModel {
    /// A linear model; `idle` and `peak` must be finite, ≥ 0, with `idle ≤ peak`.
    pub fn linear(idle: Watts, peak: Watts) -> Result<PowerModel, EnergyError> {
        non_negative("idle power (W)", idle.0)?;
        non_negative("peak power (W)", peak.0)?;
        if idle > peak {
            return Err(EnergyError::InvalidParameter {
                name: "idle power (W)",
                value: idle.0,
                requirement: "no more than the peak power",
            });
        }
        Ok(PowerModel::Linear { idle, peak })
    }

    /// A linear model through a measured curve's idle and peak points, for comparison with it.
    pub fn linear_through(curve: &MeasuredCurve) -> PowerModel {
        PowerModel::Linear {
            idle: curve.points[0],
            peak: curve.points[curve.points.len() - 1],
        }
    }

    /// Power at utilisation `u`.
    pub fn power(&self, u: Utilisation) -> Watts {
        match self {
            PowerModel::Linear { idle, peak } => Watts(between(idle.0, peak.0, u.get())),
            PowerModel::Measured(curve) => curve.power(u),
        }
    }

    /// Power at a raw fraction `u`; a value outside `[0, 1]` is an error, never clamped.
    pub fn power_at(&self, u: f64) -> Result<Watts, EnergyError> {
        Ok(self.power(Utilisation::new(u)?))
    }

    /// Power at 0 % load.
    pub fn idle(&self) -> Watts {
        self.power(Utilisation::IDLE)
    }

    /// Power at 100 % load.
    pub fn peak(&self) -> Watts {
        self.power(Utilisation::FULL)
    }

    /// `n + 1` points `(u, P(u))` at `u = 0, 1/n, …, 1`, for plotting (`n = 0` gives idle only).
    pub fn sample(&self, n: usize) -> Vec<(f64, Watts)> {
        (0..=n)
            .map(|i| {
                let u = if n == 0 { 0.0 } else { i as f64 / n as f64 };
                (u, self.power(Utilisation(u.min(1.0))))
            })
            .collect()
    }

    /// A short name for tables and legends.
    pub fn name(&self) -> String {
        match self {
            PowerModel::Linear { idle, peak } => format!("linear {}–{} W", idle.0, peak.0),
            PowerModel::Measured(c) => c.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utilisation_outside_unit_interval_is_an_error() {
        for bad in [-0.01, 1.0001, f64::NAN, f64::INFINITY, -f64::INFINITY] {
            assert!(matches!(
                Utilisation::new(bad),
                Err(EnergyError::UtilisationOutOfRange { .. })
            ));
        }
        let m = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g4());
        assert!(m.power_at(1.5).is_err());
        assert!(m.power_at(-0.1).is_err());
    }

    #[test]
    fn spec_curves_hit_their_measured_points() {
        let g4 = MeasuredCurve::hp_proliant_ml110_g4();
        let g5 = MeasuredCurve::hp_proliant_ml110_g5();
        let g4w = [
            86.0, 89.4, 92.6, 96.0, 99.5, 102.0, 106.0, 108.0, 112.0, 114.0, 117.0,
        ];
        let g5w = [
            93.7, 97.0, 101.0, 105.0, 110.0, 116.0, 121.0, 125.0, 129.0, 133.0, 135.0,
        ];
        for i in 0..=10 {
            let u = Utilisation::new(i as f64 / 10.0).unwrap();
            assert!((g4.power(u).0 - g4w[i]).abs() < 1e-9, "G4 at {i}0 %");
            assert!((g5.power(u).0 - g5w[i]).abs() < 1e-9, "G5 at {i}0 %");
        }
    }

    #[test]
    fn the_2020_curve_is_valid_and_idles_far_lower_than_the_ml110s() {
        let r = MeasuredCurve::dell_poweredge_r6515();
        let checked = MeasuredCurve::new(r.name.clone(), r.source.clone(), r.points.clone());
        assert_eq!(checked.as_ref(), Ok(&r));
        let share = |c: &MeasuredCurve| c.points()[0].0 / c.points()[10].0;
        assert!((share(&r) - 54.0 / 231.0).abs() < 1e-12);
        assert!(share(&r) < 0.25);
        assert!(share(&MeasuredCurve::hp_proliant_ml110_g4()) > 0.65);
        assert!(share(&MeasuredCurve::hp_proliant_ml110_g5()) > 0.65);
    }

    #[test]
    fn spec_curves_interpolate_between_points() {
        let g4 = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g4());
        // Halfway between 20 % (92.6 W) and 30 % (96 W).
        assert!((g4.power_at(0.25).unwrap().0 - 94.3).abs() < 1e-9);
        let g5 = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g5());
        // 95 %: halfway between 133 and 135 W.
        assert!((g5.power_at(0.95).unwrap().0 - 134.0).abs() < 1e-9);
    }

    #[test]
    fn linear_model_closed_form() {
        let m = PowerModel::linear(Watts(100.0), Watts(250.0)).unwrap();
        assert_eq!(m.power_at(0.0).unwrap(), Watts(100.0));
        assert_eq!(m.power_at(1.0).unwrap(), Watts(250.0));
        assert_eq!(m.power_at(0.4).unwrap(), Watts(160.0));
        assert!(PowerModel::linear(Watts(300.0), Watts(200.0)).is_err());
        assert!(PowerModel::linear(Watts(-1.0), Watts(200.0)).is_err());
        assert!(PowerModel::linear(Watts(1.0), Watts(f64::NAN)).is_err());
    }

    #[test]
    fn curves_that_fall_or_are_too_short_are_rejected() {
        let falling = MeasuredCurve::new("x", "test", vec![Watts(10.0), Watts(9.0)]);
        assert!(matches!(falling, Err(EnergyError::InvalidCurve { .. })));
        let short = MeasuredCurve::new("x", "test", vec![Watts(10.0)]);
        assert!(short.is_err());
        let ok = MeasuredCurve::new("x", "test", vec![Watts(10.0), Watts(10.0), Watts(30.0)]);
        let m = PowerModel::Measured(ok.unwrap());
        assert_eq!(m.power_at(0.75).unwrap(), Watts(20.0));
    }

    #[test]
    fn deserialising_checks_models() {
        let g4 = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g4());
        let json = serde_json::to_string(&g4).unwrap();
        assert_eq!(serde_json::from_str::<PowerModel>(&json).unwrap(), g4);
        let lin = PowerModel::linear(Watts(1.0), Watts(2.0)).unwrap();
        let json = serde_json::to_string(&lin).unwrap();
        assert_eq!(serde_json::from_str::<PowerModel>(&json).unwrap(), lin);
        for bad in [
            r#"{"Linear":{"idle":3.0,"peak":2.0}}"#,
            r#"{"Measured":{"name":"x","source":"y","points":[5.0]}}"#,
            r#"{"Measured":{"name":"x","source":"y","points":[5.0,4.0]}}"#,
        ] {
            assert!(serde_json::from_str::<PowerModel>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Utilisation>("1.5").is_err());
        assert!(serde_json::from_str::<Utilisation>("0.5").is_ok());
    }

    #[test]
    fn samples_span_idle_to_peak() {
        let m = PowerModel::Measured(MeasuredCurve::hp_proliant_ml110_g5());
        let s = m.sample(10);
        assert_eq!(s.len(), 11);
        assert_eq!(s[0], (0.0, Watts(93.7)));
        assert_eq!(s[10], (1.0, Watts(135.0)));
        assert_eq!(m.sample(0), vec![(0.0, Watts(93.7))]);
    }

    #[test]
    fn hand_built_inverted_model_does_not_panic() {
        let m = PowerModel::Linear {
            idle: Watts(10.0),
            peak: Watts(5.0),
        };
        let _ = m.power(Utilisation::new(0.5).unwrap());
    }

    #[test]
    fn utilisation_deserialises_only_in_range() {
        let u: Result<Utilisation, _> = Utilisation::try_from(2.0);
        assert!(u.is_err());
        assert_eq!(f64::from(Utilisation::new(0.3).unwrap()), 0.3);
    }
}
