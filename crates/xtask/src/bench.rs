//! `cargo xtask bench`: every benchmark kind, one function each.
//!
//! Benchmarks print ratios against a baseline measured in the same run (absolute times wander on
//! shared machines); they are programs, never timed assertions in tests.

use crate::shell::{announce, cargo, crates_with, exec, package_name};
use std::path::Path;

/// Runs every benchmark kind.
pub fn run() -> Result<(), String> {
    native()
}

/// `examples/bench.rs` of every crate under `crates/`, natively with the `bench-native` profile
/// (release with opt-level 3 and unwinding, from the root Cargo.toml).
fn native() -> Result<(), String> {
    let benches = crates_with("examples/bench.rs")?;
    if benches.is_empty() {
        println!("no crates/*/examples/bench.rs yet: nothing to run");
        return Ok(());
    }
    for (dir, path) in benches {
        let crate_dir = path
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        let package = package_name(crate_dir)?;
        announce(&format!(
            "bench: crates/{dir} (native, profile bench-native)"
        ));
        exec(
            cargo().args([
                "run",
                "--profile",
                "bench-native",
                "-p",
                &package,
                "--example",
                "bench",
            ]),
            &format!("the benchmark of `{package}` failed: see its output above"),
        )?;
    }
    Ok(())
}
