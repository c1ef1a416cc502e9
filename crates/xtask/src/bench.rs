//! `cargo xtask bench`: every benchmark kind, one function each.
//!
//! Benchmarks print ratios against a baseline measured in the same run (absolute times wander on
//! shared machines); they are programs, never timed assertions in tests.
//!
//! Each `crates/*/examples/bench.rs` runs natively (profile `bench-native`), then compiled to
//! `wasm32-wasip1` under Node's WASI; lines `RESULT <name> <value>` from both runs are paired and
//! the WASM/native ratio of every `events_per_second_*` and `tasks_per_second_*` figure is
//! printed.

use crate::shell::{announce, cargo, command, crates_with, exec, package_name, root};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

/// The WASI target the WASM part of the benchmarks is compiled for.
const WASI_TARGET: &str = "wasm32-wasip1";

/// Benchmarks that run natively only, as `(package, example)`: they read real data from
/// `crates/crdt/data`, which a WASI run cannot see.
const NATIVE_ONLY: &[(&str, &str)] = &[
    // The automerge-paper editing trace through the text CRDT, against a `String` replay.
    ("crdt", "text_trace"),
];

/// Runs every benchmark kind.
pub fn run() -> Result<(), String> {
    let benches = crates_with("examples/bench.rs")?;
    if benches.is_empty() {
        println!("no crates/*/examples/bench.rs yet");
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
        let native = native(&package)?;
        announce(&format!(
            "bench: crates/{dir} (WebAssembly, {WASI_TARGET} under Node)"
        ));
        let wasm = wasm(&package)?;
        announce(&format!("bench: crates/{dir}: WebAssembly / native"));
        for (name, native_value) in native.iter().filter(|(k, _)| {
            k.starts_with("events_per_second_") || k.starts_with("tasks_per_second_")
        }) {
            match wasm.get(name) {
                Some(w) if *native_value > 0.0 => {
                    println!("    {name}: {:.2} × native", w / native_value)
                }
                _ => println!("    {name}: no WebAssembly figure"),
            }
        }
    }
    for (package, example) in NATIVE_ONLY {
        announce(&format!(
            "bench: {package} example {example} (native, profile bench-native)"
        ));
        let results = native_example(package, example)?;
        for (name, value) in &results {
            println!("    {name}: {value}");
        }
    }
    Ok(())
}

fn native(package: &str) -> Result<BTreeMap<String, f64>, String> {
    native_example(package, "bench")
}

fn native_example(package: &str, example: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut c = cargo();
    c.args([
        "run",
        "--profile",
        "bench-native",
        "-p",
        package,
        "--example",
        example,
    ]);
    run_collecting(
        c,
        &format!("the native benchmark of `{package}` failed: see its output above"),
    )
}

fn wasm(package: &str) -> Result<BTreeMap<String, f64>, String> {
    let installed = crate::shell::output(command("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASI_TARGET) {
        exec(
            command("rustup").args(["target", "add", WASI_TARGET]),
            &format!(
                "run `rustup target add {WASI_TARGET}` yourself, or skip the WebAssembly part"
            ),
        )?;
    }
    exec(
        cargo().args([
            "build",
            "--profile",
            "bench-native",
            "--target",
            WASI_TARGET,
            "-p",
            package,
            "--example",
            "bench",
        ]),
        "the WebAssembly build of the benchmark failed: see above",
    )?;
    let wasm = root().join(format!(
        "target/{WASI_TARGET}/bench-native/examples/bench.wasm"
    ));
    let runner = root().join("crates/xtask/assets/run-wasi.mjs");
    let mut node = command("node");
    node.arg("--no-warnings")
        .arg(runner)
        .arg(wasm)
        .args(["--no-baseline", "--skip-memory"]);
    run_collecting(
        node,
        "the WebAssembly benchmark failed under Node (Node.js 20+ with WASI is needed)",
    )
}

/// Runs `c`, echoing its output, and returns its `RESULT name value` lines.
fn run_collecting(
    mut c: std::process::Command,
    hint: &str,
) -> Result<BTreeMap<String, f64>, String> {
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start the benchmark: {e}; {hint}"))?;
    let mut results = BTreeMap::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("RESULT ") {
                let mut parts = rest.split_whitespace();
                if let (Some(name), Some(Ok(value))) =
                    (parts.next(), parts.next().map(str::parse::<f64>))
                {
                    results.insert(name.to_owned(), value);
                }
            } else {
                println!("{line}");
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("the benchmark did not finish: {e}"))?;
    if status.success() {
        Ok(results)
    } else if results.contains_key("complete") {
        // Node 20's WASI has crashed (SIGSEGV) while exiting after a WebAssembly benchmark
        // of 30,000+ nodes had returned: the figures were all printed, so they are kept.
        println!(
            "    note: the benchmark finished and printed every figure, then its runtime failed while exiting ({status}); the figures are kept"
        );
        Ok(results)
    } else {
        Err(format!("{hint} ({status})"))
    }
}
