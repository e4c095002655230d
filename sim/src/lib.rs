//! Simulated APIs served on loopback. The real clients (bollard, kube,
//! octocrab) are pointed at them, so the demo and the tests run the code
//! users run. A crate of its own: opsdeck depends on it only behind its
//! `demo` feature, and its tests and benchmarks through a dev-dependency.
//! The `opsdeck-sim` binary serves them in a process of their own.

pub mod docker;
pub mod github;
pub mod kube;
pub mod launch;
pub mod story;
