//! `cargo xtask check`: the static checks CI runs before the tests.

use crate::setup;
use crate::shell::{announce, cargo, exec};

/// Formatting, then clippy natively and for wasm32 (the browser tests only compile there).
pub fn run() -> Result<(), String> {
    announce("cargo fmt --check");
    exec(
        cargo().args(["fmt", "--all", "--", "--check"]),
        "run `cargo fmt -p <your crate>` and commit the result",
    )?;
    announce("clippy (native)");
    exec(
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        "fix the clippy findings above",
    )?;
    announce("clippy (wasm32, app)");
    exec(
        cargo().args([
            "clippy",
            "-p",
            "app",
            "--all-targets",
            "--target",
            setup::WASM_TARGET,
            "--",
            "-D",
            "warnings",
        ]),
        "fix the clippy findings above (`rustup target add wasm32-unknown-unknown` if the target is missing)",
    )
}
