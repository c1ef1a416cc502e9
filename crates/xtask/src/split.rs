//! Splitting the app's wasm so that each lab's code is downloaded when its route first opens.
//!
//! Each lab's page body is a leptos `#[lazy]` function (the app's `lazy-labs` feature, which
//! `index.html` turns on). Trunk 0.21 cannot split, so after `trunk build` this redoes the app's
//! wasm from cargo's raw artifact the way cargo-leptos `--split` does:
//!
//! 1. [`wasm_split_cli_support::transform`] cuts the raw wasm (linked with `--emit-relocs`) into
//!    the main module, one `split_<lab>_page_<id>.wasm` per lab, `chunk_<n>.wasm` files for code
//!    that several labs share, and `__wasm_split.js`, the loader;
//! 2. `wasm-bindgen --keep-lld-exports` makes the main module's JS glue (the chunks link
//!    against the exports it keeps);
//! 3. `wasm-opt` shrinks every wasm file (release only), and all of it replaces trunk's app files
//!    in `dist/`, under trunk's hashed name so `index.html` needs no change.
//!
//! Which files each lab needs is written to [`MANIFEST`], for the size budgets of `cargo xtask
//! dist`. See `docs/lab-loading.md` for the research behind this recipe and its pitfalls.

use crate::shell::{announce, command, exec, root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The linker flag the split needs: relocations kept in the final wasm. Set only for the site's
/// build, through the target-specific variable, so host tools and test builds are untouched.
pub const RUSTFLAGS_VARIABLE: &str = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS";
/// The value of [`RUSTFLAGS_VARIABLE`].
pub const RUSTFLAGS: &str = "-Clink-args=--emit-relocs";

/// The file in `dist/` that lists, for every lab's split module, the wasm files it loads
/// (one line each: the split name, a tab, then the file stems separated by spaces).
pub const MANIFEST: &str = "lab-chunks.txt";

/// Set (to anything) to keep function names in every wasm file of a release build, for
/// profiling in the browser: `CONTINUUM_WASM_NAMES=1 cargo xtask dist`. Off by default: names
/// make the files far bigger.
pub const KEEP_NAMES_VARIABLE: &str = "CONTINUUM_WASM_NAMES";

/// Splits the app wasm trunk just built into `dist/`.
pub fn run(release: bool) -> Result<(), String> {
    let keep_names = std::env::var_os(KEEP_NAMES_VARIABLE).is_some();
    announce("splitting the app's wasm: one module per lab, loaded when its route opens");
    let dist = root().join("dist");
    let profile_dir = if release { "release" } else { "debug" };
    let raw_path = target_dir()
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join("app.wasm");
    let raw = std::fs::read(&raw_path).map_err(|error| {
        format!(
            "cannot read cargo's app wasm {}: {error}",
            raw_path.display()
        )
    })?;
    let name = app_stem(&dist)?;

    let work = target_dir().join("split");
    let _ = std::fs::remove_dir_all(&work);
    let split_dir = work.join("split");
    let bindgen_dir = work.join("bindgen");
    for dir in [&split_dir, &bindgen_dir] {
        std::fs::create_dir_all(dir)
            .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }

    let main_wasm = split_dir.join(format!("{name}.wasm"));
    let main_module = format!("./{name}.js");
    let split = {
        let mut options = wasm_split_cli_support::Options::new(&raw);
        options.output_dir = &split_dir;
        options.main_out_path = &main_wasm;
        options.main_module = &main_module;
        options.target.web();
        wasm_split_cli_support::transform(options)
            .map_err(|error| format!("wasm-split failed on {}: {error:#}", raw_path.display()))?
    };
    if split.prefetch_map.is_empty() {
        return Err(
            "wasm-split found no #[lazy] lab in the app wasm: was it built with the \
             `lazy-labs` feature (index.html's data-cargo-features)?"
                .to_owned(),
        );
    }

    exec(
        command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-demangle",
                "--no-typescript",
                "--out-name",
                &name,
            ])
            .args(keep_names.then_some("--keep-debug"))
            .arg("--out-dir")
            .arg(&bindgen_dir)
            .arg(&main_wasm),
        "wasm-bindgen failed on the split main module",
    )?;
    copy(
        &bindgen_dir.join(format!("{name}.js")),
        &dist.join(format!("{name}.js")),
    )?;
    let snippets = bindgen_dir.join("snippets");
    if snippets.is_dir() {
        copy_dir(&snippets, &dist.join("snippets"))?;
    }
    optimise(
        release,
        keep_names,
        &bindgen_dir.join(format!("{name}_bg.wasm")),
        &dist.join(format!("{name}_bg.wasm")),
    )?;
    for module in &split.split_modules {
        let file = module
            .file_name()
            .ok_or_else(|| format!("wasm-split wrote a nameless file {}", module.display()))?;
        optimise(release, keep_names, module, &dist.join(file))?;
    }
    copy(
        &split_dir.join("__wasm_split.js"),
        &dist.join("__wasm_split.js"),
    )?;

    let manifest: BTreeMap<&String, &Vec<String>> = split.prefetch_map.iter().collect();
    let text: String = manifest
        .iter()
        .map(|(lab, files)| format!("{lab}\t{}\n", files.join(" ")))
        .collect();
    std::fs::write(dist.join(MANIFEST), text)
        .map_err(|error| format!("cannot write dist/{MANIFEST}: {error}"))?;
    println!(
        "    {} lab modules, {} wasm files besides the shell",
        manifest.len(),
        split.split_modules.len()
    );
    Ok(())
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else `target/` in the workspace).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// Trunk's hashed name for the app, `app-<hash>`, from its `app-<hash>.js` in `dist/`.
fn app_stem(dist: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(dist)
        .map_err(|error| format!("cannot list {}: {error}", dist.display()))?;
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find_map(|file| {
            file.strip_suffix(".js")
                .filter(|stem| stem.starts_with("app-"))
                .map(str::to_owned)
        })
        .ok_or_else(|| "trunk wrote no app-<hash>.js into dist/".to_owned())
}

/// `wasm-opt -Oz` (release; `-g` keeps the names) or a plain copy (dev builds stay quick).
fn optimise(release: bool, keep_names: bool, from: &Path, to: &Path) -> Result<(), String> {
    if !release {
        return copy(from, to);
    }
    exec(
        command("wasm-opt")
            .arg("-Oz")
            .args(keep_names.then_some("-g"))
            .arg(from)
            .arg("-o")
            .arg(to),
        "wasm-opt failed; `cargo xtask setup` installs it (npm binaryen)",
    )
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|error| {
        format!(
            "cannot copy {} to {}: {error}",
            from.display(),
            to.display()
        )
    })
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to)
        .map_err(|error| format!("cannot create {}: {error}", to.display()))?;
    let entries = std::fs::read_dir(from)
        .map_err(|error| format!("cannot list {}: {error}", from.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            copy(&path, &target)?;
        }
    }
    Ok(())
}

/// Reads [`MANIFEST`]: every lab's split module with the wasm file stems it loads.
pub fn read_manifest(dist: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let path = dist.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    Ok(parse_manifest(&text))
}

fn parse_manifest(text: &str) -> Vec<(String, Vec<String>)> {
    text.lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(lab, files)| {
            (
                lab.to_owned(),
                files.split_whitespace().map(str::to_owned).collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_reads_back_what_was_written() {
        let text = "crdt_page_1\tchunk_2 split_crdt_page_1\nnetwork_page_9\tsplit_network_page_9\n";
        assert_eq!(
            parse_manifest(text),
            vec![
                (
                    "crdt_page_1".to_owned(),
                    vec!["chunk_2".to_owned(), "split_crdt_page_1".to_owned()]
                ),
                (
                    "network_page_9".to_owned(),
                    vec!["split_network_page_9".to_owned()]
                ),
            ]
        );
    }
}
