//! One folder per source. Each turns its client library's types into
//! opsdeck's own domain types at the edge, so the state and UI never see them.

pub mod docker;
pub mod github;
pub mod kit;
pub mod kube;
pub mod shell;
