//! opsdeck: a terminal cockpit for CI, Kubernetes and Docker.
//!
//! Layers, from the inside out: `core` (pure state, update, key map),
//! `logview` (the shared log buffer), `sources` (one folder per API: client
//! to domain types), `ui` (rendering as a function of state), `sim`
//! (simulated APIs for the demo, tests and benchmarks), and the thin top
//! (`cli`, `config`, `app`, `terminal`, `logging`).

pub mod core;
pub mod logview;
pub mod sim;
pub mod sources;
pub mod ui;

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod logging;
pub mod run;
pub mod status;
pub mod terminal;
