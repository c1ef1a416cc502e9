//! Integration tests for the kernel.
