//! opsdeck: a terminal cockpit for CI, Kubernetes and Docker.
//!
//! Layers, from the inside out: `core` (pure state, update, key map),
//! `logview` (the shared log buffer), `sources` (one folder per API: client
//! to domain types), `ui` (rendering as a function of state), and the thin
//! top (`cli`, `config`, `app`, `terminal`, `logging`). The simulated APIs
//! live in the `opsdeck-sim` crate; only `demo` (behind the `demo` feature)
//! knows them.

/// jemalloc instead of glibc's allocator. The UI thread frees what the
/// source workers parsed (a watch burst's rows, a timeline burst's
/// entries); glibc made it wait on the workers' arena locks and sweep its
/// bins, and kept the freed pages until a `malloc_trim`. Measured with
/// `cargo bench --bench kube` and `--bench timeline` (README, Performance):
/// both 10,000-event bursts cost about half as long, at no more memory.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Freed pages go back to the system within about a second, from
/// jemalloc's own background thread: by default it keeps them ten seconds
/// and then longer as "muzzy", and purges only when the program allocates
/// again, so an always-open cockpit idling after a burst sat on its peak.
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static JEMALLOC_CONF: &[u8] = b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

pub mod core;
pub mod logview;
pub mod sources;
pub mod ui;

pub mod app;
pub mod cli;
pub mod cli_docs;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod logging;
pub mod run;
pub mod status;
pub mod terminal;
pub mod timeline_cli;
pub mod timeline_store;
