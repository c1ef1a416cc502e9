//! The reference scenario compiled to WebAssembly must produce the same trace hash as natively
//! (`tests/it/main.rs` checks the same committed value). Run with
//! `cargo test --target wasm32-unknown-unknown -p sim --test wasm` (under Node via
//! `wasm-bindgen-test-runner`; `cargo xtask test` does this).
#![cfg(target_arch = "wasm32")]

#[path = "common/chatter.rs"]
mod chatter;

use wasm_bindgen_test::wasm_bindgen_test;

/// Keep equal to `REFERENCE_HASH` in `tests/it/main.rs`.
const REFERENCE_HASH: &str = "13eab5f4cdd63cb4";

#[wasm_bindgen_test]
fn reference_scenario_has_the_same_trace_hash_as_native() {
    let (hash, events) = chatter::reference_trace_hash();
    assert_eq!(
        hash, REFERENCE_HASH,
        "WASM trace differs from native ({events} events)"
    );
}
