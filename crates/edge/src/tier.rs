//! The continuum's tiers (device, edge, fog, cloud), the machines in them and the links
//! between them, with every default's source.

use energy::{EnergyError, PowerModel, Watts};
use serde::{Deserialize, Serialize};
use sim::{LatencyModel, LinkParams, SimDuration};

/// Where in the continuum a node sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// A user's device (phone, sensor): it creates tasks and offloads them.
    Device,
    /// An edge server at a base station / access point, one network hop from its users.
    Edge,
    /// A fog node: a regional machine behind several edge servers (metro network).
    Fog,
    /// A cloud data centre behind the wide-area network.
    Cloud,
}

impl Tier {
    /// Every tier, from the user outwards.
    pub const ALL: [Tier; 4] = [Tier::Device, Tier::Edge, Tier::Fog, Tier::Cloud];

    /// Position in [`Tier::ALL`] (for per-tier arrays).
    pub const fn index(self) -> usize {
        match self {
            Tier::Device => 0,
            Tier::Edge => 1,
            Tier::Fog => 2,
            Tier::Cloud => 3,
        }
    }

    /// A short lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            Tier::Device => "device",
            Tier::Edge => "edge",
            Tier::Fog => "fog",
            Tier::Cloud => "cloud",
        }
    }
}

/// One machine: compute capacity, memory, power and price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerSpec {
    /// Tasks it can run at once (one per core; the rest wait in its queue).
    pub cores: u32,
    /// Speed of one core in million instructions per second (the unit of CloudSim-family
    /// simulators: a task of `L` MI takes `L / mips` seconds on one core).
    pub mips_per_core: f64,
    /// Memory, in MB (bounds serverless instances).
    pub memory_mb: u32,
    /// Power when idle, in watts.
    pub idle_w: f64,
    /// Power at full utilisation, in watts (linear in between).
    pub peak_w: f64,
    /// Price of one busy core for one hour, in US dollars (pay per use).
    pub usd_per_core_hour: f64,
}

impl ServerSpec {
    /// An edge server. Cores and speed: EdgeCloudSim `scripts/sample_app2/config/edge_devices.xml`
    /// (each edge host runs 8 VMs of 2 cores at 10,000 MIPS: 16 cores, 160,000 MIPS); memory
    /// 16,000 MB, the same host's `ram`. Power: [`WATTS_PER_MIPS_IDLE`] and
    /// [`WATTS_PER_MIPS_PEAK`] times its capacity, 40 W idle → 100 W busy (PureEdgeSim's edge
    /// data centre scaled to this capacity). Price: an assumption, twice the cloud's per-vCPU
    /// price ([`ServerSpec::cloud`]), for the premium of edge locations; not a published figure.
    pub fn edge() -> ServerSpec {
        ServerSpec::scaled_power(16, 10_000.0, 16_000, 0.096)
    }

    /// A fog node. Speed 10,000 MIPS per core like the edge; 32 cores (an assumption: a regional
    /// machine twice an edge host). Power scaled with capacity like every tier (see
    /// [`WATTS_PER_MIPS_IDLE`]): 80 W idle → 200 W busy. Price: an assumption, 1.5 × the
    /// cloud's.
    pub fn fog() -> ServerSpec {
        ServerSpec::scaled_power(32, 10_000.0, 32_000, 0.072)
    }

    /// A cloud data centre. EdgeCloudSim `scripts/sample_app2/config/default_config.properties`:
    /// one host with 4 VMs of 4 cores at 100,000 MIPS and 32,000 MB each (16 cores, 1,600,000
    /// MIPS, 128,000 MB). Power scaled with capacity like every tier (see
    /// [`WATTS_PER_MIPS_IDLE`]): 400 W idle → 1,000 W busy. It has the fastest cores and the
    /// most capacity, not the most cores. Price: AWS EC2 m5.large on-demand, about $0.096 per
    /// hour for 2 vCPU, so $0.048 per vCPU-hour (a vCPU is one hyper-thread, not a physical
    /// core; us-east-1 list price; approximate), charged here per busy core.
    pub fn cloud() -> ServerSpec {
        ServerSpec::scaled_power(16, 100_000.0, 128_000, 0.048)
    }

    /// A server whose idle and peak power scale with its capacity (`cores × mips_per_core`) at
    /// [`WATTS_PER_MIPS_IDLE`] and [`WATTS_PER_MIPS_PEAK`].
    pub fn scaled_power(
        cores: u32,
        mips_per_core: f64,
        memory_mb: u32,
        usd_per_core_hour: f64,
    ) -> ServerSpec {
        let mips = f64::from(cores) * mips_per_core;
        ServerSpec {
            cores,
            mips_per_core,
            memory_mb,
            idle_w: mips * WATTS_PER_MIPS_IDLE,
            peak_w: mips * WATTS_PER_MIPS_PEAK,
            usd_per_core_hour,
        }
    }

    /// Energy above idle for one million instructions at full load, joules: `(peak − idle) /
    /// (cores × MIPS)`. The figure the energy-aware policy compares between tiers.
    pub fn dynamic_joules_per_mi(&self) -> f64 {
        let mips = f64::from(self.cores) * self.mips_per_core;
        if mips > 0.0 {
            (self.peak_w - self.idle_w) / mips
        } else {
            f64::INFINITY
        }
    }

    /// A user's phone: it only offloads (no local execution in this lab, as in EdgeCloudSim's
    /// sample_app2, whose mobile devices have no processing unit). Power 0.2 W idle → 5 W:
    /// PureEdgeSim's default smartphone (`edge_devices.xml`: `idleConsumption` 0.2,
    /// `maxConsumption` 5).
    pub fn phone() -> ServerSpec {
        ServerSpec {
            cores: 0,
            mips_per_core: 0.0,
            memory_mb: 0,
            idle_w: 0.2,
            peak_w: 5.0,
            usd_per_core_hour: 0.0,
        }
    }

    /// A Raspberry Pi as an edge device: 3.8 W idle → 5.5 W, 4 cores (PureEdgeSim's default
    /// Raspberry Pi in `edge_devices.xml`); 1,000 MIPS per core, an assumption (iFogSim's
    /// smartphone speed; PureEdgeSim gives its Pi 16,000 MIPS).
    pub fn raspberry_pi() -> ServerSpec {
        ServerSpec {
            cores: 4,
            mips_per_core: 1_000.0,
            memory_mb: 1_000,
            idle_w: 3.8,
            peak_w: 5.5,
            usd_per_core_hour: 0.0,
        }
    }

    /// The default machine of a tier.
    pub fn for_tier(tier: Tier) -> ServerSpec {
        match tier {
            Tier::Device => ServerSpec::phone(),
            Tier::Edge => ServerSpec::edge(),
            Tier::Fog => ServerSpec::fog(),
            Tier::Cloud => ServerSpec::cloud(),
        }
    }

    /// Its linear power model (checked: idle ≤ peak, both finite and non-negative).
    pub fn power_model(&self) -> Result<PowerModel, EnergyError> {
        PowerModel::linear(Watts(self.idle_w), Watts(self.peak_w))
    }

    /// Seconds one core needs for `mi` million instructions.
    pub fn service_secs(&self, mi: f64) -> f64 {
        if self.mips_per_core > 0.0 {
            mi / self.mips_per_core
        } else {
            f64::INFINITY
        }
    }

    /// Every problem with the numbers, as sentences naming the field.
    pub fn problems(&self, field: &str, needs_cores: bool, out: &mut Vec<(String, String)>) {
        let mut bad = |f: &str, m: String| out.push((format!("{field}.{f}"), m));
        if needs_cores && !(1..=MAX_CORES).contains(&self.cores) {
            bad(
                "cores",
                format!(
                    "must be between 1 and {MAX_CORES}, but it is {}",
                    self.cores
                ),
            );
        }
        if needs_cores && !(self.mips_per_core.is_finite() && self.mips_per_core >= 1.0) {
            bad(
                "mips_per_core",
                format!("must be at least 1 MIPS, but it is {}", self.mips_per_core),
            );
        }
        if !(self.idle_w.is_finite() && self.idle_w >= 0.0 && self.idle_w <= MAX_WATTS) {
            bad(
                "idle_w",
                format!(
                    "must be between 0 and {MAX_WATTS} W, but it is {}",
                    self.idle_w
                ),
            );
        }
        if !(self.peak_w.is_finite() && self.peak_w >= self.idle_w && self.peak_w <= MAX_WATTS) {
            bad(
                "peak_w",
                format!(
                    "must be at least the idle power ({} W) and at most {MAX_WATTS} W, but it is {}",
                    self.idle_w, self.peak_w
                ),
            );
        }
        if !(self.usd_per_core_hour.is_finite() && self.usd_per_core_hour >= 0.0) {
            bad(
                "usd_per_core_hour",
                format!("must be 0 or more, but it is {}", self.usd_per_core_hour),
            );
        }
    }
}

/// Most cores one machine may have.
pub const MAX_CORES: u32 = 100_000;
/// Most watts one machine may draw (a large data centre hall is a few megawatts).
pub const MAX_WATTS: f64 = 10_000_000.0;

/// Idle power per MIPS of capacity, W: PureEdgeSim's default edge data centre, 100 W idle for
/// 10 cores × 40,000 MIPS = 400,000 MIPS (`PureEdgeSim/settings/edge_datacenters.xml`,
/// `idleConsumption` 100, `maxConsumption` 250, `cores` 10, `mips` 40000; CharafeddineMechalikh/
/// PureEdgeSim, commit 03bfc2e of March 2025).
///
/// Every tier's machine draws power in proportion to its capacity at this one rate: the
/// sources give no tier a clear advantage per instruction. iFogSim's cloud (`createFogDevice(
/// "cloud", 44800, …, 16*103, 16*83.25)`) is sixteen of its 2,800-MIPS proxy/gateway machines
/// (`107.339` W busy, `83.4333` W idle), so within iFogSim the cloud spends 0.83 × the edge's
/// energy per instruction above idle; PureEdgeSim's cloud (`cloud.xml`: 200 cores × 40,000
/// MIPS, 0 → 5,776 W) spends 1.9 × its edge's. Taking a machine's power from one simulator and
/// its speed from another (as earlier versions did) invented one: a fog node 12 × as efficient as
/// an edge server.
pub const WATTS_PER_MIPS_IDLE: f64 = 100.0 / 400_000.0;
/// Peak power per MIPS of capacity, W: PureEdgeSim's default edge data centre, 250 W at
/// 400,000 MIPS (see [`WATTS_PER_MIPS_IDLE`]).
pub const WATTS_PER_MIPS_PEAK: f64 = 250.0 / 400_000.0;

/// One class of link: propagation latency and bandwidth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkSpec {
    /// One-way propagation delay.
    pub latency: SimDuration,
    /// Capacity in bits per second (`None`: unlimited, no serialisation delay).
    pub bandwidth_bps: Option<u64>,
}

impl LinkSpec {
    /// The kernel link: constant latency, this bandwidth, FIFO (a TCP-like connection).
    pub fn params(&self) -> LinkParams {
        LinkParams {
            latency: LatencyModel::Constant(self.latency),
            bandwidth_bps: self.bandwidth_bps,
            fifo: true,
            ..LinkParams::default()
        }
    }

    /// Seconds to carry `bytes` over this link when it is otherwise idle.
    pub fn transfer_secs(&self, bytes: u32) -> f64 {
        let ser = self
            .bandwidth_bps
            .map_or(0.0, |b| f64::from(bytes) * 8.0 / b as f64);
        self.latency.as_secs_f64() + ser
    }
}

/// The three link classes of the continuum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Links {
    /// Device ↔ its base station / access point (wireless).
    pub access: LinkSpec,
    /// Edge ↔ fog (metropolitan network); edges of one region reach each other through their fog.
    pub man: LinkSpec,
    /// Edge or fog ↔ cloud (wide-area network; each edge site has its own uplink).
    pub wan: LinkSpec,
}

impl Links {
    /// EdgeCloudSim: WLAN 200 Mbps and WAN 15 Mbps (`wlan_bandwidth=200`, `wan_bandwidth=15` in
    /// `scripts/sample_app1/config/default_config.properties`; sample_app2 sets them to 0 and
    /// models them empirically), the 5 ms LAN internal delay (`lan_internal_delay=0.005`) and
    /// WAN 100 ms (`wan_propagation_delay=0.1`), both in sample_app1 and sample_app2; MAN 1,331
    /// Mbps (sample_app2's `SampleNetworkModel.MAN_BW = 1300*1024` kbps) with PureEdgeSim's 10 ms
    /// MAN latency (`man_latency = 0.01`).
    pub fn edge_cloud_sim() -> Links {
        Links {
            access: LinkSpec {
                latency: SimDuration::from_millis(5),
                bandwidth_bps: Some(200_000_000),
            },
            man: LinkSpec {
                latency: SimDuration::from_millis(10),
                bandwidth_bps: Some(1_300 * 1_024 * 1_000),
            },
            wan: LinkSpec {
                latency: SimDuration::from_millis(100),
                bandwidth_bps: Some(15_000_000),
            },
        }
    }

    /// PureEdgeSim's latencies (`PureEdgeSim/settings/simulation_parameters.properties`, commit
    /// 03bfc2e of March 2025): cellular 30 ms (`cellular_latency = 0.03`), MAN 10 ms, WAN 60 ms
    /// (`wan_latency = 0.06`), and its cellular bandwidth, 100 Mbps (`cellular_bandwidth = 100`,
    /// its 4G LTE setting). MAN and WAN bandwidths as in [`Links::edge_cloud_sim`] (PureEdgeSim's
    /// own are 1,000 and 20 Mbps).
    pub fn pure_edge_sim_cellular() -> Links {
        let e = Links::edge_cloud_sim();
        Links {
            access: LinkSpec {
                latency: SimDuration::from_millis(30),
                bandwidth_bps: Some(100_000_000),
            },
            man: e.man,
            wan: LinkSpec {
                latency: SimDuration::from_millis(60),
                bandwidth_bps: e.wan.bandwidth_bps,
            },
        }
    }

    /// iFogSim's VRGame latencies: device → gateway 2 ms, gateway → proxy 4 ms, proxy → cloud
    /// 100 ms. Bandwidths as in [`Links::edge_cloud_sim`].
    pub fn ifogsim() -> Links {
        let e = Links::edge_cloud_sim();
        Links {
            access: LinkSpec {
                latency: SimDuration::from_millis(2),
                bandwidth_bps: e.access.bandwidth_bps,
            },
            man: LinkSpec {
                latency: SimDuration::from_millis(4),
                bandwidth_bps: e.man.bandwidth_bps,
            },
            wan: e.wan,
        }
    }

    /// Every problem with the numbers.
    pub fn problems(&self, out: &mut Vec<(String, String)>) {
        for (name, l) in [
            ("access", &self.access),
            ("man", &self.man),
            ("wan", &self.wan),
        ] {
            if l.latency > MAX_LINK_LATENCY {
                out.push((
                    format!("links.{name}.latency"),
                    format!(
                        "must be at most {MAX_LINK_LATENCY}, but it is {}",
                        l.latency
                    ),
                ));
            }
            if let Some(b) = l.bandwidth_bps
                && b < sim::MIN_BANDWIDTH_BPS
            {
                out.push((
                    format!("links.{name}.bandwidth_bps"),
                    format!(
                        "must be at least {} bit/s, but it is {b}",
                        sim::MIN_BANDWIDTH_BPS
                    ),
                ));
            }
        }
    }
}

/// Longest link latency accepted: 10 s (longer is surely a unit mistake).
pub const MAX_LINK_LATENCY: SimDuration = SimDuration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_ordered_by_tier() {
        let mut out = Vec::new();
        for t in Tier::ALL {
            ServerSpec::for_tier(t).problems(t.name(), t != Tier::Device, &mut out);
        }
        Links::edge_cloud_sim().problems(&mut out);
        assert!(out.is_empty(), "{out:?}");
        assert!(ServerSpec::cloud().mips_per_core > ServerSpec::edge().mips_per_core);
        let l = Links::edge_cloud_sim();
        assert!(l.access.latency < l.man.latency && l.man.latency < l.wan.latency);
    }

    /// Dynamic energy per MI of a source's machine: (busy − idle) / MIPS.
    fn per_mi(idle: f64, busy: f64, mips: f64) -> f64 {
        (busy - idle) / mips
    }

    #[test]
    fn energy_per_instruction_is_the_same_on_every_tier_and_within_the_sources_ratios() {
        let (edge, fog, cloud) = (ServerSpec::edge(), ServerSpec::fog(), ServerSpec::cloud());
        // PureEdgeSim's edge data centre: 100 → 250 W at 10 × 40,000 MIPS.
        let reference = per_mi(100.0, 250.0, 400_000.0);
        for s in [&edge, &fog, &cloud] {
            assert!(
                (s.dynamic_joules_per_mi() - reference).abs() < 1e-15,
                "{s:?}"
            );
            let mips = f64::from(s.cores) * s.mips_per_core;
            assert!((s.idle_w / mips - 100.0 / 400_000.0).abs() < 1e-15, "{s:?}");
        }
        assert_eq!((edge.idle_w, edge.peak_w), (40.0, 100.0));
        assert_eq!((fog.idle_w, fog.peak_w), (80.0, 200.0));
        assert_eq!((cloud.idle_w, cloud.peak_w), (400.0, 1_000.0));
        // The sources' own cloud : edge ratios of energy per instruction above idle: iFogSim
        // (cloud 44,800 MIPS, 16×83.25 → 16×103 W; gateway/proxy 2,800 MIPS, 83.4333 →
        // 107.339 W) and PureEdgeSim (cloud 200 × 40,000 MIPS, 0 → 5,776 W; edge as above).
        let ifogsim =
            per_mi(16.0 * 83.25, 16.0 * 103.0, 44_800.0) / per_mi(83.4333, 107.339, 2_800.0);
        let pure_edge_sim = per_mi(0.0, 5_776.0, 8_000_000.0) / reference;
        assert!((ifogsim - 0.826).abs() < 0.001, "{ifogsim}");
        assert!((pure_edge_sim - 1.925).abs() < 0.001, "{pure_edge_sim}");
        for (tier, s) in [("fog", &fog), ("cloud", &cloud)] {
            let ratio = s.dynamic_joules_per_mi() / edge.dynamic_joules_per_mi();
            assert!(
                (ifogsim..=pure_edge_sim).contains(&ratio),
                "{tier} : edge = {ratio}, outside the sources' {ifogsim}..{pure_edge_sim}"
            );
        }
        // The cloud has the fastest cores and the most capacity, not the most cores.
        assert!(cloud.mips_per_core > fog.mips_per_core && cloud.cores < fog.cores);
        assert!(
            f64::from(cloud.cores) * cloud.mips_per_core > f64::from(fog.cores) * fog.mips_per_core
        );
    }

    #[test]
    fn transfer_time_is_latency_plus_serialisation() {
        let l = LinkSpec {
            latency: SimDuration::from_millis(100),
            bandwidth_bps: Some(15_000_000),
        };
        // 1.5 MB at 15 Mbit/s: 0.8 s, plus 0.1 s.
        assert!((l.transfer_secs(1_500_000) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn bad_numbers_are_all_reported() {
        let mut s = ServerSpec::edge();
        s.cores = 0;
        s.peak_w = 1.0;
        let mut out = Vec::new();
        s.problems("tiers.edge", true, &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].0, "tiers.edge.cores");
    }
}
