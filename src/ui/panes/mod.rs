//! One file per pane, plus the log panel they share.

pub mod actions;
pub mod docker;
pub mod logs;
pub mod overview;
pub mod unavailable;
