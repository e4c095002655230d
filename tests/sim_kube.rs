//! The Kubernetes simulator driven by the real kube client and kube-runtime
//! watcher, exactly as opsdeck drives a real cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[path = "sim_kube/actions.rs"]
mod actions;
#[path = "sim_kube/endpoint_slices.rs"]
mod endpoint_slices;
#[path = "sim_kube/exec.rs"]
mod exec;
#[path = "sim_kube/finalizers.rs"]
mod finalizers;
#[path = "sim_kube/logs.rs"]
mod logs;
#[path = "sim_kube/port_forward.rs"]
mod port_forward;
#[path = "sim_kube/support.rs"]
mod support;
#[path = "sim_kube/watching.rs"]
mod watching;
