//! `cargo xtask dist`: the release build of the static site into `dist/`, with its sizes.

use crate::shell::{announce, command, exec, root};
use crate::{setup, split};
use std::path::{Path, PathBuf};

/// The home page's code (the shell's wasm and every script), gzipped, must stay at or below this
/// many bytes: it is all a first visit downloads before the page shows (issue 13's budget).
const HOME_GZIP_BUDGET: usize = 300_000;
/// Each lab's own code (its split module and the shared chunks it loads), gzipped, beyond the
/// home page's, must stay at or below this many bytes.
const LAB_GZIP_BUDGET: usize = 450_000;

/// Labs known to be over [`LAB_GZIP_BUDGET`], each with the ceiling it must not grow past: a
/// ratchet, printed as over budget on every build until the lab is shrunk and its row removed.
///
/// The CRDT lab instantiates the kernel, the replica node and its world once per data type
/// (eleven), which makes its own module 283 KB gzipped; 555 KB with the kit's shared chunks
/// (measured 2026-12-03). Shrinking it (one type-erased replica world) is open work in issue 13.
/// Raised from 560 KB to 570 KB when the remote-calls lab arrived: every lab links every lab's
/// scenario schema and validation through the one `Lab` enum, so each lab grew by 10–18 KB
/// (network 385 → 403, edge 420 → 431, CRDT 545 → 565). Decoding a lab's parameters in the
/// lab's own module would stop that growth; open work in issue 13.
const OVER_BUDGET_CEILINGS: &[(&str, usize)] = &[("crdt", 570_000)];

/// Sets up, builds for release, and reports sizes.
pub fn run() -> Result<(), String> {
    setup::run()?;
    build(true)?;
    report_sizes()
}

/// `trunk build` into `dist/`, with a relative public URL so the site works from any sub-path,
/// then the split of the app's wasm into one module per lab ([`split::run`]).
pub fn build(release: bool) -> Result<(), String> {
    let profile = if release { "release" } else { "dev" };
    announce(&format!(
        "building the site into dist/ (trunk, {profile} profile)"
    ));
    let mut trunk = command("trunk");
    trunk
        .args(["build", "--public-url", "./"])
        // trunk otherwise asks the network whether a newer trunk exists.
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env(split::RUSTFLAGS_VARIABLE, split::RUSTFLAGS);
    if release {
        trunk.arg("--release");
    }
    exec(
        &mut trunk,
        "see the compiler output above; `cargo xtask setup` installs trunk, wasm-bindgen and wasm-opt",
    )?;
    split::run(release)
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
    let mut sizes = Vec::new();
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
        sizes.push((name, gzip));
    }
    println!(
        "    {:<48} {:>12} {:>12}",
        "total",
        human_bytes(total_raw),
        human_bytes(total_gzip)
    );

    check_budgets(&sizes, &split::read_manifest(&dist)?)
}

/// Sums the home page's and each lab's gzipped bytes, prints them, and fails over budget.
///
/// `sizes` maps a file of `dist/` (relative name) to its gzipped size; `labs` is the split
/// manifest: every lab module with the wasm file stems it loads.
fn check_budgets(sizes: &[(String, usize)], labs: &[(String, Vec<String>)]) -> Result<(), String> {
    let home: usize = sizes
        .iter()
        .filter(|(name, _)| is_app_wasm(name) || name.ends_with(".js"))
        .map(|(_, gzip)| gzip)
        .sum();
    announce("budgets (gzipped code a visit downloads)");
    let mut over = Vec::new();
    println!(
        "    {:<48} {:>12} {:>12}",
        "home page (shell wasm + scripts)",
        human_bytes(home),
        human_bytes(HOME_GZIP_BUDGET)
    );
    if home > HOME_GZIP_BUDGET {
        over.push(format!(
            "the home page's code is {} gzipped, over its {} budget",
            human_bytes(home),
            human_bytes(HOME_GZIP_BUDGET)
        ));
    }
    let mut known_over = Vec::new();
    if labs.is_empty() {
        over.push("no lab modules in the split manifest".to_owned());
    }
    for (lab, stems) in labs {
        let mut bytes = 0;
        for stem in stems {
            let file = format!("{stem}.wasm");
            match sizes.iter().find(|(name, _)| *name == file) {
                Some((_, gzip)) => bytes += gzip,
                None => over.push(format!("{lab} needs {file}, which is not in dist/")),
            }
        }
        println!(
            "    {:<48} {:>12} {:>12}",
            format!("lab {}", lab_name(lab)),
            human_bytes(bytes),
            human_bytes(LAB_GZIP_BUDGET)
        );
        let ceiling = OVER_BUDGET_CEILINGS
            .iter()
            .find(|(name, _)| *name == lab_name(lab))
            .map(|(_, ceiling)| *ceiling);
        match ceiling {
            Some(ceiling) if bytes <= ceiling => {
                if bytes > LAB_GZIP_BUDGET {
                    known_over.push(lab_name(lab));
                    println!(
                        "    ^ OVER the {} budget (known, issue 13); it must not grow past {}",
                        human_bytes(LAB_GZIP_BUDGET),
                        human_bytes(ceiling)
                    );
                } else {
                    println!("    ^ now within budget: remove its row from OVER_BUDGET_CEILINGS");
                }
                continue;
            }
            Some(ceiling) => {
                over.push(format!(
                    "lab {} loads {} gzipped beyond the home page, past its ceiling of {}",
                    lab_name(lab),
                    human_bytes(bytes),
                    human_bytes(ceiling)
                ));
                continue;
            }
            None => {}
        }
        if bytes > LAB_GZIP_BUDGET {
            over.push(format!(
                "lab {} loads {} gzipped beyond the home page, over its {} budget",
                lab_name(lab),
                human_bytes(bytes),
                human_bytes(LAB_GZIP_BUDGET)
            ));
        }
    }
    if over.is_empty() {
        if known_over.is_empty() {
            println!("    every budget met");
        } else {
            println!(
                "    every budget met except the known: {} (under its ceiling)",
                known_over.join(", ")
            );
        }
        Ok(())
    } else {
        Err(format!(
            "{}; find what grew with `twiggy top` on the file",
            over.join("; ")
        ))
    }
}

/// A lab module's readable name: `network_page_1234` → `network`.
fn lab_name(module: &str) -> &str {
    module.split_once("_page_").map_or(module, |(lab, _)| lab)
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
    fn budgets_sum_the_shell_and_each_labs_files() {
        let kb = |n: usize| n * 1_000;
        let sizes = vec![
            ("app-1_bg.wasm".to_owned(), kb(200)),
            ("app-1.js".to_owned(), kb(10)),
            ("__wasm_split.js".to_owned(), kb(1)),
            ("chunk_1.wasm".to_owned(), kb(300)),
            ("split_crdt_page_7.wasm".to_owned(), kb(100)),
            ("split_edge_page_8.wasm".to_owned(), kb(200)),
            ("public/style.css".to_owned(), kb(500)),
        ];
        let lab = |name: &str, stems: &[&str]| {
            (
                name.to_owned(),
                stems.iter().map(|stem| (*stem).to_owned()).collect(),
            )
        };
        let fits = [lab("energy_page_7", &["chunk_1", "split_crdt_page_7"])];
        assert_eq!(check_budgets(&sizes, &fits), Ok(()));
        let too_big = [lab("edge_page_8", &["chunk_1", "split_edge_page_8"])];
        let error = check_budgets(&sizes, &too_big).unwrap_err();
        assert!(error.contains("lab edge loads 500.0 KB"), "{error}");
        let missing = [lab("energy_page_7", &["chunk_9"])];
        let under_its_ceiling = [lab("crdt_page_8", &["chunk_1", "split_edge_page_8"])];
        assert_eq!(check_budgets(&sizes, &under_its_ceiling), Ok(()));
        assert!(check_budgets(&sizes, &missing).is_err());
        let heavy_home = vec![("app-1_bg.wasm".to_owned(), kb(301))];
        assert!(check_budgets(&heavy_home, &fits).is_err());
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
