//! `cargo xtask dist`: the release build of the static site into `dist/`, with its sizes.

use crate::setup;
use crate::shell::{announce, command, exec, root};
use std::path::{Path, PathBuf};

/// The gzipped app wasm must stay below this many bytes (1 MB): it is most of a first visit.
const WASM_GZIP_BUDGET: usize = 1_000_000;

/// Sets up, builds for release, and reports sizes.
pub fn run() -> Result<(), String> {
    setup::run()?;
    build(true)?;
    report_sizes()
}

/// `trunk build` into `dist/`, with a relative public URL so the site works from any sub-path.
pub fn build(release: bool) -> Result<(), String> {
    let profile = if release { "release" } else { "dev" };
    announce(&format!(
        "building the site into dist/ (trunk, {profile} profile)"
    ));
    let mut trunk = command("trunk");
    trunk
        .args(["build", "--public-url", "./"])
        // trunk otherwise asks the network whether a newer trunk exists.
        .env("TRUNK_SKIP_VERSION_CHECK", "true");
    if release {
        trunk.arg("--release");
    }
    exec(
        &mut trunk,
        "see the compiler output above; `cargo xtask setup` installs trunk, wasm-bindgen and wasm-opt",
    )
}

/// Prints every file in `dist/` raw and gzipped; fails if the app wasm is over budget.
pub fn report_sizes() -> Result<(), String> {
    let dist = root().join("dist");
    let mut files = Vec::new();
    collect_files(&dist, &mut files)?;
    files.sort();

    announce("sizes of dist/ (gzip -9)");
    println!("    {:<48} {:>12} {:>12}", "file", "raw", "gzipped");
    let (mut total_raw, mut total_gzip) = (0, 0);
    let mut app_wasm_gzip = None;
    for path in &files {
        let bytes = std::fs::read(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let gzip = gzip_size(&bytes);
        let name = path
            .strip_prefix(&dist)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        println!(
            "    {:<48} {:>12} {:>12}",
            name,
            human_bytes(bytes.len()),
            human_bytes(gzip)
        );
        total_raw += bytes.len();
        total_gzip += gzip;
        if is_app_wasm(&name) {
            app_wasm_gzip = Some((name, gzip));
        }
    }
    println!(
        "    {:<48} {:>12} {:>12}",
        "total",
        human_bytes(total_raw),
        human_bytes(total_gzip)
    );

    let (name, gzip) = app_wasm_gzip
        .ok_or("no app wasm (app-*_bg.wasm) in dist/: did trunk build the `app` crate?")?;
    if gzip >= WASM_GZIP_BUDGET {
        return Err(format!(
            "{name} is {} gzipped, over the {} budget; find what grew with `twiggy top` on it",
            human_bytes(gzip),
            human_bytes(WASM_GZIP_BUDGET)
        ));
    }
    println!(
        "    app wasm: {} gzipped (budget {})",
        human_bytes(gzip),
        human_bytes(WASM_GZIP_BUDGET)
    );
    Ok(())
}

/// Trunk names the app's wasm `app-<hash>_bg.wasm`.
fn is_app_wasm(name: &str) -> bool {
    name.starts_with("app-") && name.ends_with("_bg.wasm") && !name.contains('/')
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The size of `bytes` as a `gzip -9` file: the deflate stream plus gzip's 18 bytes of framing.
fn gzip_size(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len() + 18
}

/// A byte count in decimal units, as file sizes are quoted: `950 B`, `75.3 KB`, `1.20 MB`.
fn human_bytes(bytes: usize) -> String {
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} KB", bytes as f64 / 1e3)
    } else {
        format!("{:.2} MB", bytes as f64 / 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_app_wasm() {
        assert!(is_app_wasm("app-3f2a9c_bg.wasm"));
        assert!(!is_app_wasm("worker-3f2a9c_bg.wasm"));
        assert!(!is_app_wasm("public/app-x_bg.wasm"));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_bytes(950), "950 B");
        assert_eq!(human_bytes(75_300), "75.3 KB");
        assert_eq!(human_bytes(1_200_000), "1.20 MB");
    }

    #[test]
    fn repetitive_data_compresses() {
        let data = vec![b'a'; 10_000];
        assert!(gzip_size(&data) < 200);
        assert_eq!(
            gzip_size(&[]),
            miniz_oxide::deflate::compress_to_vec(&[], 9).len() + 18
        );
    }
}
