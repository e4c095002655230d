//! Simulated APIs served on loopback. The real clients (bollard, kube,
//! octocrab) are pointed at them, so the demo and the tests run the code
//! users run. Nothing outside this folder depends on it except the demo
//! switch, the tests and the benchmarks.

pub mod docker;
pub mod github;
pub mod kube;
