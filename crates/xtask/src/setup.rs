//! `cargo xtask setup`: install whatever is missing, checking first so a second run is instant.
//!
//! Every tool comes from a package registry by name (crates.io, npm): nothing downloads prebuilt
//! binaries from web sites, which is what makes this work on machines that only reach registries.

use crate::shell::{announce, cargo, command, exec, output, root};
use std::fs;
use std::time::SystemTime;

/// The trunk release that builds with our toolchain (0.22 needs a newer rustc).
pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate pinned in app/Cargo.toml and `tools.wasm_bindgen` in Trunk.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// The compilation target of the browser build.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The oldest Node.js major version the npm packages (playwright-core) support.
const NODE_MAJOR_MIN: u32 = 20;

/// Installs every missing tool.
pub fn run() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen()?;
    npm_packages()?;
    println!("\n==> setup complete");
    Ok(())
}

fn wasm_target() -> Result<(), String> {
    let installed = output(command("rustup").args(["target", "list", "--installed"])).ok_or(
        "`rustup target list --installed` failed; install Rust with rustup (https://rustup.rs), \
         which cargo xtask needs to add the wasm32 target",
    )?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("    ok: rust target {WASM_TARGET}");
        return Ok(());
    }
    announce(&format!(
        "installing rust target {WASM_TARGET} (about 1 min)"
    ));
    exec(
        command("rustup").args(["target", "add", WASM_TARGET]),
        "check that crates.io / static.rust-lang.org is reachable, or run `rustup target add wasm32-unknown-unknown` yourself",
    )
}

/// The version printed by `<program> --version` (`trunk 0.21.14` gives `0.21.14`), if it runs.
fn tool_version(program: &str) -> Option<String> {
    let text = output(command(program).arg("--version"))?;
    text.split_whitespace().nth(1).map(str::to_owned)
}

fn trunk() -> Result<(), String> {
    match tool_version("trunk") {
        Some(version) if version == TRUNK_VERSION => {
            println!("    ok: trunk {TRUNK_VERSION}");
            return Ok(());
        }
        Some(version) => println!("    trunk {version} found, {TRUNK_VERSION} is needed"),
        None => {}
    }
    announce(&format!(
        "installing trunk {TRUNK_VERSION} (6–10 min on first run)"
    ));
    exec(
        cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
        "installing trunk needs crates.io; retry, or run `cargo install trunk --version 0.21.14 --locked` yourself",
    )
}

fn wasm_bindgen() -> Result<(), String> {
    let runner_present = output(command("wasm-bindgen-test-runner").arg("--version")).is_some();
    match tool_version("wasm-bindgen") {
        Some(version) if version == WASM_BINDGEN_VERSION && runner_present => {
            println!("    ok: wasm-bindgen {WASM_BINDGEN_VERSION} (with wasm-bindgen-test-runner)");
            return Ok(());
        }
        Some(version) => {
            println!("    wasm-bindgen {version} found, {WASM_BINDGEN_VERSION} is needed")
        }
        None => {}
    }
    announce(&format!(
        "installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (2–4 min on first run)"
    ));
    // No --locked: the CLI's lock file pins a crate version that crates.io no longer serves.
    exec(
        cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
            "--force",
        ]),
        "installing wasm-bindgen-cli needs crates.io; retry, or run \
         `cargo install wasm-bindgen-cli --version 0.2.130` yourself",
    )
}

fn node_major() -> Option<u32> {
    let version = output(command("node").arg("--version"))?;
    version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

fn npm_packages() -> Result<(), String> {
    let install_node =
        format!("install Node.js {NODE_MAJOR_MIN}+ and npm (Debian: `apt-get install nodejs npm`)");
    match node_major() {
        Some(major) if major >= NODE_MAJOR_MIN => {}
        Some(major) => return Err(format!("Node.js {major} is too old; {install_node}")),
        None => return Err(format!("`node` was not found or failed; {install_node}")),
    }
    if output(command("npm").arg("--version")).is_none() {
        return Err(format!("`npm` was not found or failed; {install_node}"));
    }

    let root = root();
    let lock = root.join("package-lock.json");
    let installed_marker = root.join("node_modules").join(".package-lock.json");
    let modified = |path: &std::path::Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    let up_to_date = match (modified(&installed_marker), modified(&lock)) {
        (Some(installed), Some(locked)) => installed >= locked,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if up_to_date
        && root
            .join("node_modules")
            .join(".bin")
            .join("wasm-opt")
            .exists()
    {
        println!("    ok: npm packages in node_modules/");
        return Ok(());
    }
    let subcommand = if lock.exists() { "ci" } else { "install" };
    announce(&format!(
        "installing npm packages (npm {subcommand}: wasm-opt, playwright-core, axe-core)"
    ));
    exec(
        command("npm").args([subcommand, "--no-audit", "--no-fund"]),
        "npm needs the npm registry; retry, or run `npm ci` in the repository root yourself",
    )?;
    // `npm ci` can leave the marker older than a freshly checked-out lock file.
    touch(&installed_marker);
    Ok(())
}

fn touch(path: &std::path::Path) {
    if let Ok(file) = fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}
