//! opsdeck: a terminal cockpit for CI, Kubernetes and Docker.
//!
//! Layers, from the inside out: `core` (pure state, update, key map),
//! `logview` (the shared log buffer), `sources` (one folder per API: client
//! to domain types), `ui` (rendering as a function of state), and the thin
//! top (`cli`, `config`, `app`, `terminal`, `logging`). The simulated APIs
//! live in the `opsdeck-sim` crate; only `demo` (behind the `demo` feature)
//! knows them.

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
