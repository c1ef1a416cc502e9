//! Same scenario + seed ⇒ same trace, natively and in WebAssembly: the committed trace hashes
//! that the crates' native tests check are checked again here, compiled to wasm32 and run in
//! the browser. The values live in one file each, included by both sides.

#[path = "../../../crates/sim/tests/common/chatter.rs"]
mod chatter;
#[path = "../../../crates/sim/tests/common/reference.rs"]
mod kernel;
#[path = "../../../crates/scenario/tests/common/reference_hashes.rs"]
mod labs;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn the_kernel_reference_scenario_has_the_same_trace_hash_as_native() {
    let (hash, events) = chatter::reference_trace_hash();
    assert_eq!(
        hash,
        kernel::REFERENCE_HASH,
        "WASM trace differs from native ({events} events)"
    );
}

#[wasm_bindgen_test]
fn crdt_presets_have_the_same_trace_hashes_as_native() {
    for (name, hash) in labs::CRDT_REFERENCE_HASHES {
        let preset = scenario::crdt_lab::crdt_presets()
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

#[wasm_bindgen_test]
fn the_edge_preset_has_the_same_trace_hash_as_native() {
    let (name, hash) = labs::EDGE_REFERENCE_HASH;
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

#[wasm_bindgen_test]
fn the_rpc_default_has_the_same_trace_hash_as_native() {
    let (name, hash) = labs::RPC_REFERENCE_HASH;
    let preset = scenario::labs::rpc::rpc_presets()
        .into_iter()
        .find(|p| p.name == name)
        .expect("the preset exists");
    let (trace_hash, _) = scenario::labs::rpc::run_rpc(&preset.scenario).expect("a valid preset");
    assert_eq!(trace_hash, hash, "{name}: WASM trace differs from native");
}
