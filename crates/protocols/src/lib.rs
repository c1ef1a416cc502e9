//! Distributed protocols as [`sim`] nodes.
//!
//! - [`broadcast`]: disseminating updates to every node — flooding, push gossip, push-pull
//!   anti-entropy and spanning-tree broadcast — with the metrics a learner compares them by.

pub mod broadcast;
