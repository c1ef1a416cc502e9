//! Integration tests of the edge–cloud models: conservation, capacity, determinism, queueing
//! theory, energy, and the policies' ordering on the presets.

mod common;
mod runs;
