//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.
//!
//! 1. setup (tools), 2. Chromium, 3. native tests of every crate, 4. browser tests
//!    (`app/tests/web.rs`, which also checks the crates' trace hashes in WebAssembly), 5. the
//!    release build,
//!    6. end-to-end tests (`app/e2e/*.test.mjs`) against that build.

use crate::shell::{announce, cargo, command, exec, human_duration, output, root, timed};
use crate::{dist, setup};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One named step of the run and what it does.
struct Step {
    name: &'static str,
    action: fn() -> Result<(), String>,
}

const STEPS: &[Step] = &[
    Step {
        name: "setup",
        action: setup::run,
    },
    Step {
        name: "chromium",
        action: ensure_chromium,
    },
    Step {
        name: "native tests",
        action: native_tests,
    },
    Step {
        name: "wasm tests (chromium)",
        action: wasm_tests,
    },
    Step {
        name: "release build",
        action: release_build,
    },
    Step {
        name: "e2e tests (chromium)",
        action: e2e_tests,
    },
];

/// Runs every step and prints a summary; fails if any step failed.
pub fn run() -> Result<(), String> {
    let mut results: Vec<(&str, Option<Duration>, Result<(), String>)> = Vec::new();
    let mut failed = false;
    for step in STEPS {
        if failed {
            results.push((step.name, None, Err("skipped".to_owned())));
            continue;
        }
        announce(&format!("step: {}", step.name));
        let (result, took) = timed(step.action);
        failed = result.is_err();
        if let Err(message) = &result {
            eprintln!("\nerror in step `{}`: {message}", step.name);
        }
        results.push((step.name, Some(took), result));
    }

    announce("summary");
    for (name, took, result) in &results {
        let took = took.map(human_duration).unwrap_or_default();
        let outcome = match result {
            Ok(()) => "ok",
            Err(message) if message == "skipped" => "skipped",
            Err(_) => "FAILED",
        };
        println!("    {name:<26} {outcome:<8} {took:>12}");
    }
    match results
        .iter()
        .find_map(|(name, _, result)| result.as_ref().err().map(|e| (name, e)))
    {
        None => {
            println!("\nall tests passed");
            Ok(())
        }
        Some((name, message)) => Err(format!("step `{name}` failed: {message}")),
    }
}

fn ensure_chromium() -> Result<(), String> {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        let version = output(command(CHROMIUM).arg("--version")).unwrap_or_default();
        println!("    ok: {} and {CHROMEDRIVER}", version.trim());
        return Ok(());
    }
    let is_debian = Path::new("/etc/debian_version").exists();
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if !(is_debian && is_root) {
        return Err(format!(
            "{} missing; the browser tests need Debian's Chromium and its WebDriver: \
             run `sudo apt-get install chromium chromium-driver` (other systems: install Chromium \
             and a matching chromedriver at {CHROMIUM} and {CHROMEDRIVER})",
            missing.join(" and ")
        ));
    }
    announce("installing chromium and chromium-driver with apt-get (about 1 min)");
    let hint = "apt-get needs the Debian mirrors; install `chromium chromium-driver` by hand";
    exec(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
        hint,
    )?;
    exec(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
        hint,
    )
}

fn native_tests() -> Result<(), String> {
    exec(
        cargo().args(["test", "--workspace"]),
        "a native test failed: see its output above",
    )
}

/// `cargo test` for wasm32 with wasm-bindgen-test-runner, which drives headless Chromium
/// through chromedriver (tests configured `run_in_browser`) or runs in Node otherwise.
fn wasm_test(package: &str, test: &str) -> Result<(), String> {
    let mut cargo = cargo();
    cargo
        .args([
            "test",
            "--target",
            setup::WASM_TARGET,
            "-p",
            package,
            "--test",
            test,
        ])
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", CHROMEDRIVER);
    exec(
        &mut cargo,
        &format!("the browser test `{package} --test {test}` failed: see its output above"),
    )
}

/// One test binary for every browser test: the app's components and the crates' trace hashes
/// compiled to WebAssembly (`app/tests/web/determinism.rs`), so the wasm32 debug build is made
/// and linked once.
fn wasm_tests() -> Result<(), String> {
    wasm_test("app", "web")
}

fn release_build() -> Result<(), String> {
    dist::build(true)?;
    dist::report_sizes()
}

/// Upper bound for one browser test (the slowest, Melbourne's ten minutes, takes ≈ 25 s here).
const E2E_TEST_TIMEOUT_MS: u32 = 240_000;

fn e2e_tests() -> Result<(), String> {
    let e2e = root().join("app").join("e2e");
    let entries = std::fs::read_dir(&e2e)
        .map_err(|error| format!("cannot list {}: {error}", e2e.display()))?;
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("app/e2e/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err("no app/e2e/*.test.mjs files found".to_owned());
    }
    exec(
        command("node")
            .arg("--test")
            // A hung page must fail its test, not the whole CI run: no test takes near this long.
            .arg(format!("--test-timeout={}", E2E_TEST_TIMEOUT_MS))
            .args(&files)
            .env("CONTINUUM_DIST", root().join("dist"))
            .env("CHROMIUM", CHROMIUM),
        "an end-to-end test failed: see its output above (screenshots in app/e2e/screenshots/)",
    )
}
