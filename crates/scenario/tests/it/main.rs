//! Integration tests for the `scenario` crate, gathered in one binary so it links once.
//!
//! Property tests persist failing cases beside the test file that found them
//! (`tests/it/<module>.proptest-regressions`, replayed first on every run; commit them), and
//! proptest prints the minimal failing input and its seed.

use std::alloc::System;

use cap::Cap;

/// Counts heap use so tests can bound the peak (see `link::decompression_bomb_*`).
#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

#[path = "../common/reference_hashes.rs"]
mod reference_hashes;

mod advice;
mod crdt;
mod edge;
mod link;
mod old_links;
mod scenarios;
mod trace;
