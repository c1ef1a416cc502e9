//! Running child processes with the project's tools on PATH, and announcing what runs.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root (where Cargo.toml, Trunk.toml and package.json live).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/xtask sits two levels below the workspace root")
        .to_path_buf()
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`, else `~/.cargo/bin`.
fn cargo_bin_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Some(PathBuf::from(home).join("bin"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo").join("bin"))
}

/// PATH for every child: npm's `node_modules/.bin` (wasm-opt) first, then cargo's bin directory
/// (trunk, wasm-bindgen, even when the shell's PATH lacks it), then the inherited PATH.
fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin")];
    dirs.extend(cargo_bin_dir());
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_else(|_| std::env::var_os("PATH").unwrap_or_default())
}

/// A command for `program`, run from the workspace root with the tool PATH.
///
/// On Unix a PATH set with `Command::env` is also the one used to find `program` itself.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// A command for the cargo that runs xtask (so the same toolchain builds everything).
pub fn cargo() -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    command(&cargo)
}

/// Prints a step heading, the same way everywhere: `==> what`.
pub fn announce(what: &str) {
    println!("\n==> {what}");
}

/// A command line as a person would type it, for logs.
fn display(command: &Command) -> String {
    let mut line = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `command` with inherited stdio; fails with `hint` if it is missing or exits non-zero.
pub fn exec(command: &mut Command, hint: &str) -> Result<(), String> {
    let line = display(command);
    println!("    $ {line}");
    let status = command
        .status()
        .map_err(|error| spawn_error(&line, &error, hint))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status}); {hint}"))
    }
}

/// Runs `command` quietly and returns its stdout if it ran and succeeded.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn spawn_error(line: &str, error: &std::io::Error, hint: &str) -> String {
    if error.kind() == ErrorKind::NotFound {
        let program = line.split(' ').next().unwrap_or(line);
        format!("`{program}` was not found on PATH; {hint}")
    } else {
        format!("could not start `{line}`: {error}; {hint}")
    }
}

/// Runs `step`, then prints how long it took.
pub fn timed<T>(step: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = step();
    (value, start.elapsed())
}

/// A duration as people read it: `850 ms`, `12.3 s`, `4 min 05 s`.
pub fn human_duration(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis < 1_000 {
        format!("{millis} ms")
    } else if millis < 60_000 {
        format!("{:.1} s", duration.as_secs_f64())
    } else {
        let secs = duration.as_secs();
        format!("{} min {:02} s", secs / 60, secs % 60)
    }
}

/// The paths matching `crates/*/<relative>`, sorted, as (crate directory name, path).
pub fn crates_with(relative: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let crates = root().join("crates");
    let entries = std::fs::read_dir(&crates)
        .map_err(|error| format!("cannot list {}: {error}", crates.display()))?;
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path().join(relative);
            let name = entry.file_name().to_string_lossy().into_owned();
            path.is_file().then_some((name, path))
        })
        .collect();
    found.sort();
    Ok(found)
}

/// The package name in a crate's Cargo.toml (`name = "..."` under `[package]`).
pub fn package_name(crate_dir: &Path) -> Result<String, String> {
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|error| format!("cannot read {}: {error}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package
            && let Some(value) = line.strip_prefix("name")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            return Ok(value.trim().trim_matches('"').to_owned());
        }
    }
    Err(format!(
        "no `name` under [package] in {}",
        manifest.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(human_duration(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(human_duration(Duration::from_secs(245)), "4 min 05 s");
    }

    #[test]
    fn root_holds_the_workspace_manifest() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("crates").join("xtask").is_dir());
    }

    #[test]
    fn reads_this_crate_package_name() {
        let name = package_name(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert_eq!(name.as_deref(), Ok("xtask"));
    }
}
