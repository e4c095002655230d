//! The simulator's whole state behind one lock, and the channels that wake
//! watches and log followers after it changes.
//!
//! One mutex is the right model here: a real API server serialises writes
//! through etcd, and every handler holds the lock only for in-memory work,
//! never across an await.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::watch;

use super::Verb;
use super::events::EventLog;
use super::kubelet::Kubelet;
use super::logs::Logs;
use super::store::{Key, Store};

/// Small deterministic PRNG (xorshift64*): the simulator needs variety, not
/// security, and repeatable runs make tests and screenshots stable.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i)
    }
}

/// One RBAC denial: `verb` on every resource in `namespace` (or everywhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deny {
    pub namespace: Option<String>,
    pub verb: Verb,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub bookmark_interval: Duration,
    /// Upper bound on how long a deleted pod stays Terminating, so the demo
    /// and tests do not wait the default 30 s grace period.
    pub grace_cap: Duration,
    /// Whether pods write log lines and deployments roll by themselves.
    pub dynamics: bool,
}

pub(crate) struct SimState {
    pub store: Store,
    pub logs: Logs,
    pub kubelet: Kubelet,
    pub events: EventLog,
    pub denies: Vec<Deny>,
    /// A namespaced user (a RoleBinding in these namespaces, no
    /// ClusterRoleBinding): every request outside them is forbidden,
    /// cluster-scope lists included. None: no such limit.
    pub only_namespaces: Option<Vec<String>>,
    pub rng: Rng,
    pub config: Config,
    /// Where the controllers' informer is in the change history.
    pub controller_cursor: u64,
    /// Where the EndpointSlice controller is in the change history
    /// (`endpoint_slices.rs`); 0 makes it look at every Service.
    pub slice_cursor: u64,
    /// Set to make the next tick look at every object (start-up).
    pub resync: bool,
    /// Deployments the demo restarts by itself: key → (every, next due).
    pub auto_rollouts: HashMap<Key, (Duration, tokio::time::Instant)>,
    /// Counter behind the burst control's annotation value.
    pub burst_seq: u64,
    /// How the metrics API answers (`metrics.rs`).
    pub metrics: super::metrics::MetricsSim,
}

impl SimState {
    /// Whether the user is denied `verb` in `ns`; a cluster-wide request is
    /// denied if any namespace denies the verb (RBAC grants are additive, so
    /// a user who may list everywhere may list in each namespace).
    pub(crate) fn denied(&self, verb: Verb, ns: Option<&str>) -> bool {
        // RBAC: a Role grants only inside its namespace, so a request at the
        // cluster scope (all namespaces, or a cluster-scoped kind) needs a
        // ClusterRole the user does not have.
        if let Some(allowed) = &self.only_namespaces
            && ns.is_none_or(|n| !allowed.iter().any(|a| a == n))
        {
            return true;
        }
        self.denies.iter().any(|d| {
            d.verb == verb
                && match (&d.namespace, ns) {
                    (None, _) | (Some(_), None) => true,
                    (Some(a), Some(b)) => a == b,
                }
        })
    }
}

pub(crate) struct Shared {
    state: Mutex<SimState>,
    rv_tx: watch::Sender<u64>,
    logs_tx: watch::Sender<u64>,
    /// Bumped to cut every open stream (watch or log follow) abruptly.
    drop_tx: watch::Sender<u64>,
    pub token: String,
    pub user: String,
    /// Requests that may change the cluster (any method but GET and
    /// HEAD), counted before authentication.
    pub mutating_requests: std::sync::atomic::AtomicU64,
    /// Requests to the metrics API, so tests see when polling stops.
    pub metrics_requests: std::sync::atomic::AtomicU64,
    /// What pod lists and watches asked for and got, so a test can tell
    /// the server filtered and not the client.
    pub pod_reads: PodReads,
}

/// Pod objects sent (list items and watch events) and the `labelSelector`
/// of each pod list or watch request (empty when none was sent).
#[derive(Default)]
pub struct PodReads {
    pub objects: std::sync::atomic::AtomicU64,
    pub selectors: Mutex<Vec<String>>,
}

impl PodReads {
    pub(crate) fn sent(&self, n: usize) {
        self.objects
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn asked(&self, q: &HashMap<String, String>) {
        let sel = q.get("labelSelector").cloned().unwrap_or_default();
        let mut list = self.selectors.lock().unwrap_or_else(|e| e.into_inner());
        // Bounded: a long run re-watches forever.
        if list.len() < 10_000 {
            list.push(sel);
        }
    }
}

impl Shared {
    pub(crate) fn new(state: SimState, token: String) -> Shared {
        let rv = state.store.rv();
        Shared {
            state: Mutex::new(state),
            rv_tx: watch::channel(rv).0,
            logs_tx: watch::channel(0).0,
            drop_tx: watch::channel(0).0,
            token,
            user: "opsdeck-demo-user".to_string(),
            mutating_requests: Default::default(),
            metrics_requests: Default::default(),
            pod_reads: PodReads::default(),
        }
    }

    /// Reads under the lock. A poisoned lock still holds consistent data
    /// (no code here panics mid-update by design), so it is recovered.
    pub(crate) fn read<R>(&self, f: impl FnOnce(&SimState) -> R) -> R {
        let guard = self.lock();
        f(&guard)
    }

    /// Changes under the lock, then wakes watches and log followers.
    pub(crate) fn mutate<R>(&self, f: impl FnOnce(&mut SimState) -> R) -> R {
        let mut guard = self.lock();
        let out = f(&mut guard);
        let rv = guard.store.rv();
        let log_epoch = guard.logs.epoch();
        drop(guard);
        self.rv_tx
            .send_if_modified(|v| std::mem::replace(v, rv) != rv);
        self.logs_tx
            .send_if_modified(|v| std::mem::replace(v, log_epoch) != log_epoch);
        out
    }

    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn subscribe_rv(&self) -> watch::Receiver<u64> {
        self.rv_tx.subscribe()
    }

    pub(crate) fn subscribe_logs(&self) -> watch::Receiver<u64> {
        self.logs_tx.subscribe()
    }

    pub(crate) fn subscribe_drop(&self) -> watch::Receiver<u64> {
        self.drop_tx.subscribe()
    }

    pub(crate) fn drop_streams(&self) {
        self.drop_tx.send_modify(|v| *v += 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespaced_user_is_denied_at_the_cluster_scope_and_elsewhere() {
        let mut st = crate::kube::blank_state();
        assert!(!st.denied(Verb::List, None));
        st.only_namespaces = Some(vec!["payments".into()]);
        assert!(st.denied(Verb::List, None), "cluster scope");
        assert!(st.denied(Verb::Watch, Some("shop")), "another namespace");
        assert!(!st.denied(Verb::List, Some("payments")));
        assert!(!st.denied(Verb::Watch, Some("payments")));
    }
}
