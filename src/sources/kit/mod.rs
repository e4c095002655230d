//! What every source needs the same way: how long to wait after a failure
//! ([`Backoff`]), the tasks it keeps per target or per stream
//! ([`StreamTasks`]), and how it words its health ([`Health`]). One copy
//! each, so the sources cannot drift apart again.

mod backoff;
mod health;
mod tasks;

pub use backoff::{Backoff, Policy};
pub use health::Health;
pub use tasks::{AbortOnDrop, StreamTasks};
