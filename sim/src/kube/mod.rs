//! A Kubernetes API server simulator on loopback. The real `kube` client and
//! kube-runtime's watcher talk to it unchanged: list/watch with
//! resourceVersions, bookmarks and 410 Expired, pod logs, graceful deletes,
//! rollout restarts and scaling, RBAC and token errors as `Status` objects.
//! Controls let tests break it on purpose (expire history, drop watches,
//! restart the server, crash pods).

mod bulk;
mod controllers;
mod crash_loop;
mod deployment;
mod endpoint_slices;
mod errors;
mod events;
mod eviction;
mod exec;
mod exec_shell;
mod finalizers;
mod kubelet;
mod lifecycle;
mod list;
mod logs;
mod logtext;
mod metrics;
mod mutate;
mod objects;
mod patch;
mod pod_ops;
mod port_forward;
mod router;
mod running_logs;
mod scenario;
mod seed;
mod selector;
mod startup_failures;
mod state;
mod statefulset;
mod store;
mod story;
mod watch;
mod workloads;
mod written;

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use metrics::MetricsMode;

use events::EventLog;
use kubelet::Kubelet;
use state::{Config, Deny, Rng, Shared, SimState};
use store::{Kind, Store};

/// Which cluster the simulator starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scenario {
    /// Namespaces default/shop/payments/monitoring with healthy, crash-looping,
    /// OOMKilled, ImagePullBackOff, Pending and rolling workloads that log.
    Demo,
    /// Many quiet, ready pods spread over namespaces, for benchmarks.
    Scale { pods: usize, namespaces: usize },
}

/// An API verb, for RBAC denials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
        }
    }
}

/// A state to pin a pod in (see [`KubeSim::set_pod_state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodState {
    Running,
    NotReady,
    ContainerCreating,
    Unschedulable,
    CrashLoopBackOff,
    OomKilled,
    ImagePullBackOff,
    ErrImagePull,
    CreateContainerConfigError,
    Completed,
    Failed {
        exit_code: i32,
    },
    Evicted,
    /// The node stopped reporting (kubectl shows `NodeLost`, or `Unknown`
    /// once the pod is being deleted).
    NodeLost,
}

/// The kubeconfig context that points at the simulator.
pub const CONTEXT: &str = "opsdeck-demo";
/// A second context to the same server, named like production, for tests of
/// the "are you sure" paths.
pub const PROD_CONTEXT: &str = "prod-eu";

const TICK: Duration = Duration::from_millis(100);

struct Server {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// A running simulator. Dropping it stops the server and its background work.
pub struct KubeSim {
    shared: Arc<Shared>,
    addr: SocketAddr,
    default_ns: String,
    server: Mutex<Option<Server>>,
    ticker: JoinHandle<()>,
}

fn new_state(history: usize, dynamics: bool) -> SimState {
    SimState {
        store: Store::new(history),
        logs: logs::Logs::new(5_000),
        kubelet: Kubelet::default(),
        events: EventLog::new(1_000),
        denies: Vec::new(),
        only_namespaces: None,
        rng: Rng::new(0x005e_ed0f_0d5d_ec4b),
        config: Config {
            bookmark_interval: Duration::from_secs(5),
            grace_cap: Duration::from_secs(1),
            dynamics,
        },
        controller_cursor: 0,
        slice_cursor: 0,
        resync: true,
        auto_rollouts: HashMap::new(),
        burst_seq: 0,
        metrics: Default::default(),
    }
}

/// An empty cluster's state, for unit tests.
#[cfg(test)]
pub(crate) fn blank_state() -> SimState {
    new_state(100, false)
}

fn serve(shared: Arc<Shared>, listener: TcpListener) -> Server {
    let (stop, rx) = oneshot::channel::<()>();
    let app = router::router(shared);
    let task = tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!("kube simulator server stopped: {e}");
        }
    });
    Server { stop, task }
}

impl KubeSim {
    /// Builds the scenario and serves it on an ephemeral loopback port.
    pub async fn start(scenario: Scenario) -> io::Result<KubeSim> {
        let (history, dynamics, default_ns) = match &scenario {
            Scenario::Demo => (20_000, true, "shop".to_string()),
            Scenario::Scale { pods, .. } => ((pods * 3).max(50_000), false, "ns-000".to_string()),
        };
        let mut st = new_state(history, dynamics);
        scenario::build(&mut st, &scenario, tokio::time::Instant::now());
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or(0) as u64;
        let token = format!("sim-{:016x}{:04x}", Rng::new(nanos).next(), addr.port());
        let shared = Arc::new(Shared::new(st, token));
        let server = serve(shared.clone(), listener);
        let ticker = tokio::spawn({
            let shared = shared.clone();
            async move {
                let mut every = tokio::time::interval(TICK);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                loop {
                    every.tick().await;
                    let now = tokio::time::Instant::now();
                    shared.mutate(|st| controllers::tick(st, now));
                }
            }
        });
        Ok(KubeSim {
            shared,
            addr,
            default_ns,
            server: Mutex::new(Some(server)),
            ticker,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bearer token the server accepts.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// A kubeconfig with contexts [`CONTEXT`] (current) and [`PROD_CONTEXT`],
    /// both pointing at this server with the bearer token.
    pub fn kubeconfig_yaml(&self) -> String {
        format!(
            "apiVersion: v1\nkind: Config\npreferences: {{}}\ncurrent-context: {CONTEXT}\n\
             clusters:\n- name: {CONTEXT}\n  cluster:\n    server: {url}\n\
             users:\n- name: {CONTEXT}-user\n  user:\n    token: {token}\n\
             contexts:\n- name: {CONTEXT}\n  context:\n    cluster: {CONTEXT}\n    user: {CONTEXT}-user\n    namespace: {ns}\n\
             - name: {PROD_CONTEXT}\n  context:\n    cluster: {CONTEXT}\n    user: {CONTEXT}-user\n    namespace: {prod_ns}\n",
            url = self.url(),
            token = self.shared.token,
            ns = self.default_ns,
            prod_ns = if self.default_ns == "shop" {
                "payments"
            } else {
                &self.default_ns
            },
        )
    }

    pub fn write_kubeconfig(&self, path: &Path) -> io::Result<()> {
        std::fs::write(path, self.kubeconfig_yaml())
    }

    /// Every resourceVersion issued so far becomes too old: the next watch
    /// started from one gets a 410 Expired ERROR event, and continue tokens
    /// from earlier lists get 410. Watches already open keep running.
    pub fn expire_history(&self) {
        self.shared.mutate(|st| st.store.expire());
    }

    /// Cuts every open watch and log follow mid-stream, as a load balancer
    /// or a network blip would.
    pub fn drop_watches(&self) {
        self.shared.drop_streams();
    }

    /// Stops serving (open streams are cut, the port is closed); the cluster
    /// state is kept for [`KubeSim::restart_server`].
    pub async fn stop_server(&self) {
        let server = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.shared.drop_streams();
        if let Some(s) = server {
            let _ = s.stop.send(());
            let mut task = s.task;
            if tokio::time::timeout(Duration::from_secs(3), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }

    /// Serves again on the same port after [`KubeSim::stop_server`].
    pub async fn restart_server(&self) -> io::Result<()> {
        self.stop_server().await;
        let mut last = None;
        for _ in 0..40 {
            match TcpListener::bind(self.addr).await {
                Ok(listener) => {
                    let server = serve(self.shared.clone(), listener);
                    *self.server.lock().unwrap_or_else(|e| e.into_inner()) = Some(server);
                    return Ok(());
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("could not rebind")))
    }

    /// The pod's first container crashes now (Error, exit 2), then backs off
    /// and restarts; its log becomes the `previous` log. False if no such
    /// running pod.
    pub fn crash_pod(&self, namespace: &str, name: &str) -> bool {
        let now = tokio::time::Instant::now();
        self.shared
            .mutate(|st| pod_ops::crash(st, namespace, name, now))
    }

    /// The pod's previous containers' logs are gone (a real kubelet removes
    /// dead containers, and their logs with them), while its status still
    /// tells of the last termination. False if it had no previous log.
    pub fn forget_previous_logs(&self, namespace: &str, name: &str) -> bool {
        self.shared
            .mutate(|st| st.logs.forget_previous(namespace, name))
    }

    /// Pins the pod in `state` (no further automatic transitions) until it is
    /// deleted. False if no such pod.
    pub fn set_pod_state(&self, namespace: &str, name: &str, state: PodState) -> bool {
        self.shared
            .mutate(|st| pod_ops::set_state(st, namespace, name, state))
    }

    /// Denies `verb` on every resource in `namespace` (`None`: everywhere).
    /// Cluster-wide requests with that verb are denied too.
    pub fn deny(&self, namespace: Option<&str>, verb: Verb) {
        let d = Deny {
            namespace: namespace.map(str::to_string),
            verb,
        };
        self.shared.mutate(|st| st.denies.push(d));
    }

    /// Makes the user a namespaced one, as a RoleBinding without any
    /// ClusterRoleBinding does: everything in `namespaces` is allowed,
    /// everything else (other namespaces, and every request at the cluster
    /// scope such as listing pods in all namespaces) gets 403 Forbidden with
    /// the authorizer's words.
    pub fn only_namespaces(&self, namespaces: &[&str]) {
        let list = namespaces.iter().map(|n| n.to_string()).collect();
        self.shared.mutate(|st| st.only_namespaces = Some(list));
    }

    /// Lifts every denial.
    pub fn allow_all(&self) {
        self.shared.mutate(|st| {
            st.denies.clear();
            st.only_namespaces = None;
        });
    }

    /// Modifies `n` pods (round-robin over all pods) in one go, producing `n`
    /// MODIFIED watch events. Returns how many were emitted.
    pub fn emit_burst(&self, n: usize) -> usize {
        self.shared.mutate(|st| {
            let keys: Vec<_> = st
                .store
                .range(Kind::Pod, None, None)
                .map(|(k, _)| k.clone())
                .collect();
            if keys.is_empty() {
                return 0;
            }
            let mut done = 0;
            for i in 0..n {
                st.burst_seq += 1;
                let seq = st.burst_seq.to_string();
                let Some((ns, name)) = keys.get(i % keys.len()) else {
                    break;
                };
                let r = st.store.update(Kind::Pod, ns, name, |v| {
                    v["metadata"]["annotations"]["sim.opsdeck.dev/burst"] = json!(seq);
                    Ok(())
                });
                done += usize::from(r.is_ok());
            }
            done
        })
    }

    /// Appends a line to a container's current log (the first container if
    /// `container` is None). False if the pod or container is unknown.
    pub fn append_log(
        &self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        line: &str,
    ) -> bool {
        self.shared.mutate(|st| {
            let Some(p) = st.store.get(Kind::Pod, namespace, pod) else {
                return false;
            };
            let names: Vec<&str> = p
                .value
                .pointer("/spec/containers")
                .and_then(|c| c.as_array())
                .map(|a| a.iter().filter_map(|c| c["name"].as_str()).collect())
                .unwrap_or_default();
            let Some(ctr) = container.or(names.first().copied()) else {
                return false;
            };
            if !names.contains(&ctr) {
                return false;
            }
            st.logs
                .append(namespace, pod, ctr, Utc::now(), line.to_string());
            true
        })
    }

    /// How often open watches with `allowWatchBookmarks` get a BOOKMARK
    /// (applies to watches started afterwards; default 5 s).
    pub fn set_bookmark_interval(&self, every: Duration) {
        self.shared.mutate(|st| st.config.bookmark_interval = every);
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.shared.read(|st| st.store.rv())
    }

    /// Requests that may have changed the cluster so far (any method but
    /// GET and HEAD): a test that must prove nothing was changed reads it.
    pub fn mutating_requests(&self) -> u64 {
        self.shared
            .mutating_requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Pod objects the server has sent so far, list items and watch
    /// events together: what a client got, before any filtering of its own.
    pub fn pod_objects_sent(&self) -> u64 {
        self.shared
            .pod_reads
            .objects
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The `labelSelector` of every pod list and watch request so far, in
    /// order (empty for a request without one).
    pub fn pod_selectors_asked(&self) -> Vec<String> {
        self.shared
            .pod_reads
            .selectors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Names of the pods in `namespace` (all namespaces if empty), sorted.
    pub fn pod_names(&self, namespace: &str) -> Vec<String> {
        let ns = (!namespace.is_empty()).then_some(namespace);
        self.shared.read(|st| {
            st.store
                .range(Kind::Pod, ns, None)
                .map(|(k, _)| k.1.clone())
                .collect()
        })
    }

    /// Stops the server and the background work.
    pub async fn shutdown(self) {
        self.stop_server().await;
        self.ticker.abort();
    }
}

impl Drop for KubeSim {
    fn drop(&mut self) {
        self.ticker.abort();
        self.shared.drop_streams();
        if let Some(s) = self.server.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = s.stop.send(());
            s.task.abort();
        }
    }
}
