//! Applications: what users run, how often they send tasks, how big and heavy the tasks are,
//! and how soon they are due.

use serde::{Deserialize, Serialize};
use sim::{NodeId, SimDuration};

/// One application. Each device runs one application, chosen by the shares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppSpec {
    /// Its name.
    pub name: String,
    /// Percentage of devices that run it (shares are relative; they need not add up to 100).
    pub share_percent: u32,
    /// Mean time between two tasks of one device (Poisson arrivals: exponential gaps).
    pub interarrival: SimDuration,
    /// Mean task length in million instructions (drawn exponentially per task).
    pub cpu_mi: f64,
    /// Bytes uploaded with a task (its input).
    pub upload_bytes: u32,
    /// Bytes returned with its result.
    pub download_bytes: u32,
    /// Time from creation by which the result should be back at the device.
    pub deadline: SimDuration,
}

/// EdgeCloudSim's `data_upload`/`data_download` are in KB.
const KB: u32 = 1_000;

impl AppSpec {
    /// EdgeCloudSim `scripts/sample_app2/config/applications.xml`, `AUGMENTED_REALITY`: usage
    /// 30 %, Poisson inter-arrival 2 s, upload 1,500 KB, download 25 KB, length 9,000 MI.
    /// Deadline 2 s: our choice (EdgeCloudSim has no deadlines; its sample_app4 gives this app a delay
    /// sensitivity of 0.9, sample_app2 gives 0).
    pub fn augmented_reality() -> AppSpec {
        AppSpec {
            name: "augmented reality".into(),
            share_percent: 30,
            interarrival: SimDuration::from_secs(2),
            cpu_mi: 9_000.0,
            upload_bytes: 1_500 * KB,
            download_bytes: 25 * KB,
            deadline: SimDuration::from_secs(2),
        }
    }

    /// EdgeCloudSim sample_app2 `HEALTH_APP`: usage 20 %, inter-arrival 3 s, upload 20 KB,
    /// download 1,250 KB, 3,000 MI. Deadline 2 s: our choice (delay sensitivity 0.7 in sample_app4).
    pub fn health() -> AppSpec {
        AppSpec {
            name: "health monitoring".into(),
            share_percent: 20,
            interarrival: SimDuration::from_secs(3),
            cpu_mi: 3_000.0,
            upload_bytes: 20 * KB,
            download_bytes: 1_250 * KB,
            deadline: SimDuration::from_secs(2),
        }
    }

    /// EdgeCloudSim sample_app2 `HEAVY_COMP_APP`: usage 20 %, inter-arrival 20 s, upload
    /// 2,500 KB, download 200 KB, 45,000 MI. Deadline 10 s: our choice (delay sensitivity 0.1 in sample_app4).
    pub fn heavy_computation() -> AppSpec {
        AppSpec {
            name: "heavy computation".into(),
            share_percent: 20,
            interarrival: SimDuration::from_secs(20),
            cpu_mi: 45_000.0,
            upload_bytes: 2_500 * KB,
            download_bytes: 200 * KB,
            deadline: SimDuration::from_secs(10),
        }
    }

    /// EdgeCloudSim sample_app2 `INFOTAINMENT_APP`: usage 30 %, inter-arrival 7 s, upload
    /// 25 KB, download 1,000 KB, 15,000 MI. Deadline 4 s: our choice (delay sensitivity 0.3 in sample_app4).
    pub fn infotainment() -> AppSpec {
        AppSpec {
            name: "infotainment".into(),
            share_percent: 30,
            interarrival: SimDuration::from_secs(7),
            cpu_mi: 15_000.0,
            upload_bytes: 25 * KB,
            download_bytes: 1_000 * KB,
            deadline: SimDuration::from_secs(4),
        }
    }

    /// EdgeCloudSim sample_app2's four applications with their usage shares.
    pub fn edge_cloud_sim_mix() -> Vec<AppSpec> {
        vec![
            AppSpec::augmented_reality(),
            AppSpec::health(),
            AppSpec::heavy_computation(),
            AppSpec::infotainment(),
        ]
    }

    /// Tasks per second one device of this app sends on average.
    pub fn rate_per_sec(&self) -> f64 {
        let s = self.interarrival.as_secs_f64();
        if s > 0.0 { 1.0 / s } else { 0.0 }
    }

    /// Every problem with the numbers.
    pub fn problems(&self, field: &str, out: &mut Vec<(String, String)>) {
        let mut bad = |f: &str, m: String| out.push((format!("{field}.{f}"), m));
        if self.name.chars().count() > 60 {
            bad("name", "must be at most 60 characters".into());
        }
        if self.share_percent > 100 {
            bad(
                "share_percent",
                format!("must be at most 100, but it is {}", self.share_percent),
            );
        }
        if self.interarrival < MIN_INTERARRIVAL || self.interarrival > MAX_INTERARRIVAL {
            bad(
                "interarrival",
                format!(
                    "must be between {MIN_INTERARRIVAL} and {MAX_INTERARRIVAL}, but it is {}",
                    self.interarrival
                ),
            );
        }
        if !(self.cpu_mi.is_finite() && self.cpu_mi > 0.0 && self.cpu_mi <= MAX_TASK_MI) {
            bad(
                "cpu_mi",
                format!(
                    "must be above 0 and at most {MAX_TASK_MI} MI, but it is {}",
                    self.cpu_mi
                ),
            );
        }
        for (f, v) in [
            ("upload_bytes", self.upload_bytes),
            ("download_bytes", self.download_bytes),
        ] {
            if v > MAX_TASK_BYTES {
                bad(
                    f,
                    format!("must be at most {MAX_TASK_BYTES} bytes, but it is {v}"),
                );
            }
        }
        if self.deadline == SimDuration::ZERO || self.deadline > MAX_DEADLINE {
            bad(
                "deadline",
                format!(
                    "must be above 0 and at most {MAX_DEADLINE}, but it is {}",
                    self.deadline
                ),
            );
        }
    }
}

/// Shortest mean gap between tasks of one device: 1 ms.
pub const MIN_INTERARRIVAL: SimDuration = SimDuration::from_millis(1);
/// Longest mean gap: one hour.
pub const MAX_INTERARRIVAL: SimDuration = SimDuration::from_secs(3_600);
/// Largest mean task: 10⁹ MI.
pub const MAX_TASK_MI: f64 = 1e9;
/// Largest input or output: 100 MB.
pub const MAX_TASK_BYTES: u32 = 100_000_000;
/// Longest deadline: one hour.
pub const MAX_DEADLINE: SimDuration = SimDuration::from_secs(3_600);

/// A task's id: its device and the device's sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub u64);

impl TaskId {
    /// The id of `device`'s `seq`-th task.
    pub fn new(device: NodeId, seq: u32) -> TaskId {
        TaskId((u64::from(device.0) << 32) | u64::from(seq))
    }
}

/// One task on its way: everything the nodes need travels with it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// The device that created it (and gets the result).
    pub device: NodeId,
    /// Index of its application.
    pub app: u16,
    /// The edge server that chose where it runs (the device's base station when it was sent).
    pub origin: NodeId,
    /// The device's clock when it was created, ns. Devices' clocks are perfect in this lab, so
    /// observers read it as the global creation time.
    pub created_ns: i64,
    /// Length in million instructions.
    pub cpu_mi: f64,
    /// Input bytes.
    pub upload_bytes: u32,
    /// Result bytes.
    pub download_bytes: u32,
    /// Time allowed from creation.
    pub deadline: SimDuration,
    /// Whether it waited for a serverless instance to start (a cold start).
    pub cold_start: bool,
}
