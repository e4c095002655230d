//! What every source needs the same way: how long to wait after a failure
//! ([`Backoff`]), the tasks it keeps per target or per stream
//! ([`StreamTasks`]), how it words its health ([`Health`]), how it waits
//! for a server to come back ([`wait_unless_ready`]) and how an
//! incident bundle reaches the disk ([`write_bundle`]). One copy each, so
//! the sources cannot drift apart again.

mod backoff;
mod bundle;
mod health;
mod merged;
mod probe;
mod tasks;

pub use backoff::{Backoff, Policy};
pub use bundle::write_bundle;
pub use health::Health;
pub use merged::log_note;
pub use probe::wait_unless_ready;
pub use tasks::{AbortOnDrop, StreamTasks};
