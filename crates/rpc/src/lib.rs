//! # `rpc` — remote procedure calls over the `sim` kernel
//!
//! What a remote call promises when requests and replies are lost and servers crash
//! (Birrell & Nelson, "Implementing Remote Procedure Calls", ACM TOCS 2(1), 1984; Tanenbaum &
//! van Steen, *Distributed Systems*, "RPC semantics in the presence of failures").
//!
//! A **server** (node 0) keeps one account; **clients** (nodes 1..=N) call the
//! non-idempotent operation "deposit 1" at seeded Poisson arrivals. Every deposit the server
//! executes adds 1 to the balance, so a call executed twice is visible: the balance exceeds the
//! number of calls the clients believe succeeded.
//!
//! - [`config`]: [`RpcConfig`] (semantics, timeout, retries with exponential backoff and full
//!   jitter, processing time, reply-cache durability), its defaults with their sources and its
//!   validation.
//! - [`node`]: the messages, the [`node::Client`] and [`node::Server`] state machines and
//!   [`RpcNode`], the node type of a run; [`build_sim`] builds one.
//! - [`stats`]: [`RpcStats`], the observer that measures a run from its trace alone: calls
//!   started, completed and of unknown outcome, executions and duplicates, requests and
//!   replies, latency, and the balance against what the clients believe.

pub mod config;
pub mod node;
pub mod stats;

pub use config::{CacheDurability, RpcConfig, Semantics};
pub use node::{CallId, RpcMsg, RpcNode, RpcTimer, SERVER, build_sim};
pub use stats::{RpcReport, RpcStats};
