//! The committed trace hash of the reference scenario (`chatter::reference_trace_hash`). The
//! native tests (`tests/it`) and the app's browser tests (`app/tests/web/determinism.rs`,
//! compiled to WebAssembly) both include this file. If a deliberate kernel change alters the
//! trace, update it here (once).

/// The reference scenario's trace hash, in hex.
pub const REFERENCE_HASH: &str = "13eab5f4cdd63cb4";
