//! Integration tests of the edge–cloud models: conservation, capacity, determinism, queueing
//! theory, energy, and the policies' ordering.

mod common;
mod properties;
mod runs;
mod theory;
