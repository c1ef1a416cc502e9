//! Build scripting for Continuum, run as `cargo xtask <command>`.
//!
//! This is the only build scripting in the repository: every command checks for and installs
//! what it needs (see `setup`), so `cargo xtask serve` and `cargo xtask test` work on a fresh
//! machine that has Rust (rustup), Node.js 20+ and npm.

mod bench;
mod check;
mod dist;
mod serve;
mod setup;
mod shell;
mod split;
mod test;

use std::process::ExitCode;

const HELP: &str = "\
Continuum build commands

usage: cargo xtask <command> [options]

commands:
  serve [--port N] [--release]   build the app and serve it on http://127.0.0.1:N/ (default 8080)
  test                           everything CI runs: native tests, browser tests, release build, e2e
  dist                           release build into dist/, with file sizes (fails if the wasm is too big)
  bench                          run every crate's examples/bench.rs natively (profile bench-native)
  setup                          install missing tools (wasm target, trunk, wasm-bindgen, npm packages)
  check                          cargo fmt --check and clippy with warnings denied
  help                           this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "serve" => serve::Options::parse(rest).and_then(|options| serve::run(&options)),
        "test" => no_options(command, rest).and_then(|()| test::run()),
        "dist" => no_options(command, rest).and_then(|()| dist::run()),
        "bench" => no_options(command, rest).and_then(|()| bench::run()),
        "setup" => no_options(command, rest).and_then(|()| setup::run()),
        "check" => no_options(command, rest).and_then(|()| check::run()),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!(
            "unknown command `{other}`; run `cargo xtask help` for the list"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Rejects options given to a command that takes none.
fn no_options(command: &str, rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(option) => Err(format!(
            "`cargo xtask {command}` takes no options (got `{option}`); run `cargo xtask help`"
        )),
    }
}
