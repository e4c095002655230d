//! The Docker source: one task owning the bollard client. It keeps the
//! container list live from the engine's `/events` stream (a full re-list
//! only on (re)connect), streams logs and stats on request, runs lifecycle
//! operations, and reconnects with backoff when the engine goes away.

mod bundle;
mod connect;
mod convert;
mod logs;
mod objects;
pub mod shell;
mod stats;
mod task;
mod timeline_events;

pub use connect::{connect, describe_host};
pub use convert::{container_from_inspect, container_from_summary, cpu_percent};
pub use task::spawn;
