//! Whole runs.

use crate::common::{run_checked, world};
use edge::{EdgeConfig, Policy};
use sim::SimTime;

#[test]
fn default_run_conserves_tasks_for_every_policy() {
    for policy in Policy::ALL {
        let cfg = EdgeConfig {
            policy,
            ..EdgeConfig::default()
        };
        let mut w = world(&cfg, 7);
        run_checked(&mut w, SimTime::from_secs(30), 500, 7);
        let s = w.summary();
        println!("{policy:?}: {s:?}");
        assert!(s.completed > 0, "{policy:?}");
    }
}
