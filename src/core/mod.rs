//! The pure core: domain types, state, the key map and `update`. Nothing in
//! here does I/O; sources and the UI depend on it, never the reverse.

pub mod act;
pub mod action;
pub mod cause;
pub mod confirm;
pub mod dispatch_form;
pub mod docker;
pub mod docker_objects;
pub mod docker_pane;
pub mod effect;
pub mod filter;
#[cfg(test)]
pub mod fixtures;
pub mod github;
pub mod github_pane;
pub mod ids;
pub mod incident;
pub mod journal;
pub mod key;
pub mod keymap;
pub mod keymap_check;
pub mod kube;
pub mod kube_deploy;
pub mod kube_kind;
pub mod kube_kinds;
pub mod kube_msg;
pub mod kube_pane;
pub mod kube_warnings;
pub mod list;
pub mod loadable;
pub mod log_session;
pub mod msg;
pub mod palette;
pub mod sight;
pub mod source;
pub mod state;
pub mod tab;
pub mod ticket;
pub mod time;
pub mod timeline;
pub mod timeline_feed;
pub mod timeline_link;
pub mod timeline_view;
pub mod toast;
pub mod triage;
pub mod update;
