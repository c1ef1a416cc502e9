//! CRDT presets compiled to WebAssembly give the same trace hashes as natively (the values
//! `tests/it/crdt.rs` checks), and so does the network lab's default scenario. Run with
//! `cargo test --target wasm32-unknown-unknown -p scenario --test wasm` (under Node via
//! `wasm-bindgen-test-runner`; `cargo xtask test` does this).
#![cfg(target_arch = "wasm32")]

use scenario::crdt_lab::crdt_presets;
use wasm_bindgen_test::wasm_bindgen_test;

/// Keep equal to `REFERENCE_HASHES` in `tests/it/crdt.rs`.
const REFERENCE_HASHES: [(&str, &str); 2] = [
    ("Lossy network", "63c24bd3090cc19e"),
    ("Collaborative text", "a28e583ec3a7fbfc"),
];

#[wasm_bindgen_test]
fn crdt_presets_have_the_same_trace_hashes_as_native() {
    for (name, hash) in REFERENCE_HASHES {
        let preset = crdt_presets()
            .into_iter()
            .find(|p| p.name == name)
            .expect("the preset exists");
        let report = scenario::run_crdt(&preset.scenario).expect("a valid preset");
        assert_eq!(
            report.trace_hash, hash,
            "{name}: WASM trace differs from native"
        );
    }
}

/// Keep equal to `EDGE_REFERENCE_HASH` in `tests/it/edge.rs`.
const EDGE_REFERENCE_HASH: (&str, &str) = ("Saturated edge", "a84a892016aa99db");

#[wasm_bindgen_test]
fn the_edge_preset_has_the_same_trace_hash_as_native() {
    let (name, hash) = EDGE_REFERENCE_HASH;
    let preset = scenario::edge_lab::edge_presets()
        .into_iter()
        .find(|p| p.name == name)
        .expect("the preset exists");
    let report = scenario::run_edge(&preset.scenario).expect("a valid preset");
    assert_eq!(
        report.trace_hash, hash,
        "{name}: WASM trace differs from native"
    );
}
