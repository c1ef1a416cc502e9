//! Quantities as types, so that no number's unit is guessed.
//!
//! Every quantity is a newtype over `f64` (or `u64` for [`Bytes`]) in an SI-derived unit. Only
//! the arithmetic that makes physical sense is implemented: watts times seconds are joules,
//! kilowatt-hours times grams per kilowatt-hour are grams, and so on. Decimal prefixes
//! throughout: a kilobyte is 1,000 bytes and a gigabyte 10⁹ bytes, as the energy literature
//! (kWh/GB) uses them.

use core::fmt;
use core::iter::Sum;
use core::ops::{Add, AddAssign, Div, Mul, Sub};
use serde::{Deserialize, Serialize};
use sim::SimDuration;

/// Joules in one kilowatt-hour (1,000 W × 3,600 s).
pub const JOULES_PER_KWH: f64 = 3.6e6;
/// Bytes in one (decimal) gigabyte.
pub const BYTES_PER_GB: f64 = 1e9;
/// Bits in one byte.
pub const BITS_PER_BYTE: f64 = 8.0;

/// Defines an `f64` quantity with addition, subtraction, scaling by a plain number and the
/// ratio of two values of the same quantity.
macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident, $unit:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
        pub struct $name(pub f64);

        impl $name {
            /// Zero of this quantity.
            pub const ZERO: $name = $name(0.0);
            /// The unit's symbol, for tables and labels.
            pub const UNIT: &'static str = $unit;
            /// The bare number, in this type's unit.
            pub const fn value(self) -> f64 {
                self.0
            }
            /// Whether the value is finite (neither NaN nor infinite).
            pub fn is_finite(self) -> bool {
                self.0.is_finite()
            }
        }

        impl Add for $name {
            type Output = $name;
            fn add(self, rhs: $name) -> $name {
                $name(self.0 + rhs.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: $name) {
                self.0 += rhs.0;
            }
        }
        impl Sub for $name {
            type Output = $name;
            fn sub(self, rhs: $name) -> $name {
                $name(self.0 - rhs.0)
            }
        }
        impl Mul<f64> for $name {
            type Output = $name;
            fn mul(self, k: f64) -> $name {
                $name(self.0 * k)
            }
        }
        impl Mul<$name> for f64 {
            type Output = $name;
            fn mul(self, q: $name) -> $name {
                $name(self * q.0)
            }
        }
        impl Div<f64> for $name {
            type Output = $name;
            fn div(self, k: f64) -> $name {
                $name(self.0 / k)
            }
        }
        /// The ratio of two values of the same quantity is a plain number.
        impl Div for $name {
            type Output = f64;
            fn div(self, rhs: $name) -> f64 {
                self.0 / rhs.0
            }
        }
        impl Sum for $name {
            fn sum<I: Iterator<Item = $name>>(iter: I) -> $name {
                $name(iter.map(|q| q.0).sum())
            }
        }
        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a $name>>(iter: I) -> $name {
                $name(iter.map(|q| q.0).sum())
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match f.precision() {
                    Some(p) => write!(f, "{:.*} {}", p, self.0, $unit),
                    None => write!(f, "{} {}", self.0, $unit),
                }
            }
        }
    };
}

quantity!(
    /// Power, in watts (joules per second).
    Watts,
    "W"
);
quantity!(
    /// Energy, in joules.
    Joules,
    "J"
);
quantity!(
    /// Energy, in kilowatt-hours (3.6 MJ).
    KilowattHours,
    "kWh"
);
quantity!(
    /// Greenhouse-gas emissions, in grams of CO₂-equivalent.
    GramsCo2e,
    "gCO2e"
);
quantity!(
    /// A span of time, in seconds (for models; the kernel's integer time is [`SimDuration`]).
    Seconds,
    "s"
);
quantity!(
    /// Data volume, in decimal gigabytes (10⁹ bytes).
    Gigabytes,
    "GB"
);
quantity!(
    /// Network energy intensity, in joules per bit carried over one link.
    JoulesPerBit,
    "J/bit"
);
quantity!(
    /// Energy intensity of data, in kilowatt-hours per (decimal) gigabyte.
    KwhPerGigabyte,
    "kWh/GB"
);
quantity!(
    /// Energy intensity of time spent (streaming, watching), in kilowatt-hours per minute.
    KwhPerMinute,
    "kWh/min"
);
quantity!(
    /// Carbon intensity of electricity, in grams of CO₂-equivalent per kilowatt-hour.
    GramsCo2ePerKwh,
    "gCO2e/kWh"
);
quantity!(
    /// Clock frequency, in hertz (cycles per second).
    Hertz,
    "Hz"
);
quantity!(
    /// Supply voltage, in volts.
    Volts,
    "V"
);
quantity!(
    /// Capacitance, in farads (the effective switched capacitance of a CMOS circuit).
    Farads,
    "F"
);

/// A data size, in bytes (integer, as the kernel's messages carry it).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Bytes(pub u64);

impl Bytes {
    /// `n` decimal megabytes (10⁶ bytes).
    pub const fn from_megabytes(n: u64) -> Bytes {
        Bytes(n * 1_000_000)
    }
    /// The size in decimal gigabytes.
    pub fn gigabytes(self) -> Gigabytes {
        Gigabytes(self.0 as f64 / BYTES_PER_GB)
    }
    /// The size in bits.
    pub fn bits(self) -> f64 {
        self.0 as f64 * BITS_PER_BYTE
    }
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} B", self.0)
    }
}

impl Seconds {
    /// `m` minutes.
    pub fn from_minutes(m: f64) -> Seconds {
        Seconds(m * 60.0)
    }
    /// `h` hours.
    pub fn from_hours(h: f64) -> Seconds {
        Seconds(h * 3600.0)
    }
    /// The span in minutes.
    pub fn minutes(self) -> f64 {
        self.0 / 60.0
    }
}

impl From<SimDuration> for Seconds {
    /// Exact up to `f64` rounding: nanoseconds divided by 10⁹.
    fn from(d: SimDuration) -> Seconds {
        Seconds(d.as_nanos() as f64 / 1e9)
    }
}

impl Joules {
    /// The same energy in kilowatt-hours.
    pub fn kwh(self) -> KilowattHours {
        KilowattHours(self.0 / JOULES_PER_KWH)
    }
}

impl KilowattHours {
    /// The same energy in joules.
    pub fn joules(self) -> Joules {
        Joules(self.0 * JOULES_PER_KWH)
    }
    /// The same energy in gigawatt-hours (10⁶ kWh).
    pub fn gwh(self) -> f64 {
        self.0 / 1e6
    }
    /// The same energy in terawatt-hours (10⁹ kWh).
    pub fn twh(self) -> f64 {
        self.0 / 1e9
    }
    /// `twh` terawatt-hours.
    pub fn from_twh(twh: f64) -> KilowattHours {
        KilowattHours(twh * 1e9)
    }
}

impl From<Joules> for KilowattHours {
    fn from(j: Joules) -> KilowattHours {
        j.kwh()
    }
}

impl From<KilowattHours> for Joules {
    fn from(k: KilowattHours) -> Joules {
        k.joules()
    }
}

impl GramsCo2e {
    /// The same mass in tonnes (10⁶ g).
    pub fn tonnes(self) -> f64 {
        self.0 / 1e6
    }
}

impl Gigabytes {
    /// `mb` decimal megabytes.
    pub fn from_megabytes(mb: f64) -> Gigabytes {
        Gigabytes(mb / 1e3)
    }
}

impl KwhPerMinute {
    /// An intensity given per hour, as kWh per minute.
    pub fn from_kwh_per_hour(kwh_per_hour: f64) -> KwhPerMinute {
        KwhPerMinute(kwh_per_hour / 60.0)
    }
    /// The intensity per hour.
    pub fn per_hour(self) -> f64 {
        self.0 * 60.0
    }
    /// The average power this intensity amounts to (1 kWh/min = 60 kW).
    pub fn watts(self) -> Watts {
        Watts(self.0 * JOULES_PER_KWH / 60.0)
    }
}

impl KwhPerGigabyte {
    /// The same intensity per bit: 1 kWh/GB = 3.6·10⁶ J / 8·10⁹ bit = 4.5·10⁻⁴ J/bit.
    pub fn joules_per_bit(self) -> JoulesPerBit {
        JoulesPerBit(self.0 * JOULES_PER_KWH / (BYTES_PER_GB * BITS_PER_BYTE))
    }
}

impl JoulesPerBit {
    /// The same intensity per gigabyte.
    pub fn kwh_per_gigabyte(self) -> KwhPerGigabyte {
        KwhPerGigabyte(self.0 * BYTES_PER_GB * BITS_PER_BYTE / JOULES_PER_KWH)
    }
}

/// Power over time is energy: W × s = J.
impl Mul<Seconds> for Watts {
    type Output = Joules;
    fn mul(self, t: Seconds) -> Joules {
        Joules(self.0 * t.0)
    }
}
/// Power over time is energy: s × W = J.
impl Mul<Watts> for Seconds {
    type Output = Joules;
    fn mul(self, p: Watts) -> Joules {
        Joules(self.0 * p.0)
    }
}
/// Energy over time is power: J / s = W.
impl Div<Seconds> for Joules {
    type Output = Watts;
    fn div(self, t: Seconds) -> Watts {
        Watts(self.0 / t.0)
    }
}
/// Energy at a power is a time: J / W = s.
impl Div<Watts> for Joules {
    type Output = Seconds;
    fn div(self, p: Watts) -> Seconds {
        Seconds(self.0 / p.0)
    }
}
/// Electricity at a grid's carbon intensity is emissions: kWh × g/kWh = g.
impl Mul<GramsCo2ePerKwh> for KilowattHours {
    type Output = GramsCo2e;
    fn mul(self, c: GramsCo2ePerKwh) -> GramsCo2e {
        GramsCo2e(self.0 * c.0)
    }
}
/// Data at an energy intensity is energy: GB × kWh/GB = kWh.
impl Mul<KwhPerGigabyte> for Gigabytes {
    type Output = KilowattHours;
    fn mul(self, e: KwhPerGigabyte) -> KilowattHours {
        KilowattHours(self.0 * e.0)
    }
}
/// Bytes on a link at an energy per bit is energy: B × 8 bit/B × J/bit = J.
impl Mul<JoulesPerBit> for Bytes {
    type Output = Joules;
    fn mul(self, e: JoulesPerBit) -> Joules {
        Joules(self.bits() * e.0)
    }
}
/// Minutes at an intensity per minute is energy: kWh/min × min = kWh (time given in seconds).
impl Mul<Seconds> for KwhPerMinute {
    type Output = KilowattHours;
    fn mul(self, t: Seconds) -> KilowattHours {
        KilowattHours(self.0 * t.minutes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn one_kwh_is_3_6_megajoules_both_ways() {
        assert_eq!(KilowattHours(1.0).joules(), Joules(3.6e6));
        assert_eq!(Joules(3.6e6).kwh(), KilowattHours(1.0));
        assert_eq!(KilowattHours::from(Joules(7.2e6)), KilowattHours(2.0));
        assert_eq!(Joules::from(KilowattHours(0.5)), Joules(1.8e6));
    }

    #[test]
    fn watts_times_seconds_are_joules() {
        assert_eq!(Watts(100.0) * Seconds(3600.0), Joules(360_000.0));
        assert_eq!(Seconds(2.0) * Watts(3.0), Joules(6.0));
        assert_eq!(Joules(10.0) / Seconds(4.0), Watts(2.5));
        assert_eq!(Joules(10.0) / Watts(4.0), Seconds(2.5));
        // A 1 kW heater for an hour uses one kWh.
        assert_eq!(
            (Watts(1000.0) * Seconds::from_hours(1.0)).kwh(),
            KilowattHours(1.0)
        );
    }

    #[test]
    fn kwh_at_a_grid_intensity_are_grams() {
        assert_eq!(
            KilowattHours(2.0) * GramsCo2ePerKwh(481.0),
            GramsCo2e(962.0)
        );
        assert_eq!(GramsCo2e(2.5e6).tonnes(), 2.5);
    }

    #[test]
    fn data_sizes_are_decimal() {
        assert_eq!(Bytes::from_megabytes(70).gigabytes(), Gigabytes(0.07));
        assert_eq!(Gigabytes::from_megabytes(70.0), Gigabytes(0.07));
        assert_eq!(Bytes(3).bits(), 24.0);
        assert_eq!(
            Gigabytes(0.07) * KwhPerGigabyte(0.01),
            KilowattHours(0.07 * 0.01)
        );
    }

    #[test]
    fn per_bit_and_per_gigabyte_intensities_convert() {
        let e = KwhPerGigabyte(1.0).joules_per_bit();
        assert!(close(e.0, 4.5e-4), "{e}");
        let back = e.kwh_per_gigabyte();
        assert!(close(back.0, 1.0));
        // 1 GB at 4.5e-4 J/bit is one kWh.
        let j = Bytes(1_000_000_000) * e;
        assert!(close(j.kwh().0, 1.0));
    }

    #[test]
    fn per_minute_intensities_convert() {
        assert!(close(KwhPerMinute::from_kwh_per_hour(0.06).0, 0.001));
        assert!(close(KwhPerMinute(0.001).per_hour(), 0.06));
        // 0.001 kWh per minute is a 60 W device.
        assert!(close(KwhPerMinute(0.001).watts().0, 60.0));
        assert!(close(
            (KwhPerMinute(0.001) * Seconds::from_minutes(2.0)).0,
            0.002
        ));
    }

    #[test]
    fn sim_durations_become_seconds() {
        assert_eq!(Seconds::from(SimDuration::from_millis(1500)), Seconds(1.5));
        assert_eq!(Seconds::from(SimDuration::ZERO), Seconds(0.0));
    }

    #[test]
    fn sums_ratios_and_display() {
        let total: Joules = [Joules(1.0), Joules(2.0), Joules(3.5)].iter().sum();
        assert_eq!(total, Joules(6.5));
        assert_eq!(Watts(50.0) / Watts(200.0), 0.25);
        assert_eq!(format!("{:.1}", KilowattHours(1.26)), "1.3 kWh");
        assert_eq!(format!("{}", Watts(3.0)), "3 W");
        assert_eq!(KilowattHours::from_twh(2.0).twh(), 2.0);
        assert_eq!(KilowattHours(5e6).gwh(), 5.0);
    }
}
