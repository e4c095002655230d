//! Kubernetes source: kube client and watchers turned into opsdeck's own
//! domain types at this edge.

pub mod status;
