//! Trace hashes of lab presets run to the end, committed. The native tests (`tests/it`) and the
//! app's browser tests (`app/tests/web/determinism.rs`, compiled to WebAssembly) both include
//! this file, so a link gives the same run natively and in every browser. If a deliberate model
//! change alters a trace, update the value here (once).

/// CRDT presets and their trace hashes.
pub const CRDT_REFERENCE_HASHES: [(&str, &str); 2] = [
    ("Lossy network", "63c24bd3090cc19e"),
    ("Collaborative text", "a28e583ec3a7fbfc"),
];

/// An edge preset and its trace hash.
pub const EDGE_REFERENCE_HASH: (&str, &str) = ("Saturated edge", "a84a892016aa99db");

/// The remote-calls lab's default scenario (its first preset) and its trace hash. Checked
/// natively by the lab's own tests (`src/labs/rpc/tests.rs`), which include this file, and in
/// WebAssembly by `app/tests/web/determinism.rs`.
#[allow(dead_code)]
pub const RPC_REFERENCE_HASH: (&str, &str) = ("Lossless: every call once", "c7f59eb87abc06df");
