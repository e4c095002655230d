//! Kubernetes source: kube client and watchers turned into opsdeck's own
//! domain types at this edge. One task owns the clients; per context a
//! watcher task keeps the pods live; logs, events and mutations run as
//! their own tasks and answer with messages.

mod bundle;
mod config;
pub mod convert;
mod drain_wait;
pub mod errors;
mod events;
pub mod kinds;
mod log_follow;
mod logs;
mod metrics;
mod nodes;
mod object;
mod ops;
pub mod port_forward;
mod port_forward_ports;
mod port_forward_start;
pub mod present;
pub mod quantity;
mod rollouts;
mod scope;
mod selector;
pub mod shell;
pub mod status;
mod task;
mod warnings;
mod watch;

pub use logs::selector_string;
pub use ops::restart_patch;
pub use task::{KubeOptions, spawn};
