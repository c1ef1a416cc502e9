//! Distributed protocols as [sim] nodes.
