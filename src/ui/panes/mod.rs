//! One file per pane, plus the log panel they share.

pub mod actions;
pub mod docker;
pub mod docker_objects;
pub mod kube;
pub mod kube_detail;
pub mod kube_kind;
pub mod logs;
pub mod overview;
pub mod port_forwards;
pub mod timeline;
pub mod unavailable;
