//! Integration and property tests for the CRDTs: the merge laws, convergence under random
//! delivery, and the real editing trace.

mod convergence;
mod lattice;
mod laws;
mod replicas;
mod trace;
