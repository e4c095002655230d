//! The Kubernetes pane's state against the Kubernetes API simulator: the
//! real source task (kube client, kube-runtime watchers) feeds `update`,
//! effects go back to the source, and the tests assert on what the pane
//! would show.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[path = "kube_pane/actions.rs"]
mod actions;
#[path = "kube_pane/bundle.rs"]
mod bundle;
#[path = "kube_pane/deployments.rs"]
mod deployments;
#[path = "kube_pane/describe_related.rs"]
mod describe_related;
#[path = "kube_pane/drain_wait.rs"]
mod drain_wait;
#[path = "kube_pane/hang.rs"]
mod hang;
#[path = "kube_pane/harness.rs"]
mod harness;
#[path = "kube_pane/kinds.rs"]
mod kinds;
#[path = "kube_pane/logs.rs"]
mod logs;
#[path = "kube_pane/metrics.rs"]
mod metrics;
#[path = "kube_pane/node_setup.rs"]
mod node_setup;
#[path = "kube_pane/nodes.rs"]
mod nodes;
#[path = "kube_pane/objects.rs"]
mod objects;
#[path = "kube_pane/port_forward.rs"]
mod port_forward;
#[path = "kube_pane/port_forward_many.rs"]
mod port_forward_many;
#[path = "kube_pane/selectors.rs"]
mod selectors;
#[path = "kube_pane/timeline.rs"]
mod timeline;
#[path = "kube_pane/warnings.rs"]
mod warnings;
#[path = "kube_pane/watching.rs"]
mod watching;
