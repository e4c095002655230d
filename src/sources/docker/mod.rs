//! The Docker source: one task owning the bollard client. It keeps the
//! container list live from the engine's `/events` stream (a full re-list
//! only on (re)connect), streams logs and stats on request, runs lifecycle
//! operations, and reconnects with backoff when the engine goes away.

mod bundle;
pub mod cgroup;
mod compose;
mod connect;
pub mod context;
mod convert;
mod engines;
mod inspect;
mod logs;
mod objects;
mod ping;
pub mod shell;
pub mod ssh;
mod ssh_errors;
mod stats;
pub mod stats_rule;
mod task;
mod timeline_events;
mod tls;
mod tls_client;

pub use connect::{
    connect, describe_host, engine_address, resolve_address, resolve_context, resolve_host,
};
pub use convert::{container_from_inspect, container_from_summary};
pub use engines::{Engine, name_engines, spawn_engines};
pub use inspect::{mask_secrets, render as inspect_text};
pub use task::spawn;
