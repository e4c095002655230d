//! A simulated Docker Engine API on loopback, spoken to by the real bollard
//! client. It follows the engine's wire format: `/v1.xx` prefixes (optional),
//! `{"message": ...}` errors, 204/304/404/409 lifecycle codes, multiplexed
//! log frames, streamed stats and the newline-delimited event stream.
//!
//! The demo world (`Scenario::Demo`):
//! - compose project `shop`: `shop-web-1` (nginx access logs, port 8080),
//!   `shop-api-1` (JSON logs, revision label, healthy 45 s / unhealthy 15 s),
//!   `shop-worker-1` (ANSI logs, exits 1 every 25 s and restarts after 5 s),
//!   `shop-db-1` (postgres), `shop-cache-1` (redis, OOM-killed every 90 s);
//! - compose project `monitoring`: `monitoring-prometheus-1`,
//!   `monitoring-grafana-1`;
//! - standalone: `edge-proxy`, `devbox` (TTY, raw log stream),
//!   `nightly-backup` (exited 0), `ml-train` (exited 137, OOMKilled).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use opsdeck_sim::docker::{DockerSim, Scenario};
//! let sim = DockerSim::start(Scenario::Demo).await?;
//! // Any Docker client takes it, e.g. bollard's `Docker::connect_with_http`.
//! println!("DOCKER_HOST={}", sim.docker_host());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod clock;
mod containers;
mod events;
mod filters;
mod health;
mod inspect;
mod lifecycle;
mod loggen;
mod loghist;
mod logs;
mod object_store;
mod objects;
mod render;
mod scenario;
mod spec;
mod stats;
mod world;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinHandle;

pub use health::HealthStatus;
pub use scenario::Scenario;
pub use spec::{
    Behaviour, ContainerSpec, Crash, HealthCycle, LogStream, LogStyle, PortSpec, RestartPolicy,
};

use api::{Counters, Shared};
use clock::Clock;

/// How often the real clock applies due behaviour (log lines, crashes).
const TICK: Duration = Duration::from_millis(100);
/// Largest step of a manual advance, so transitions happen in order.
const MAX_STEP: Duration = Duration::from_millis(100);

/// A snapshot of the request counters, for tests and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimCounters {
    pub requests: u64,
    pub stats_requests: u64,
    pub active_stats_streams: u64,
    pub log_requests: u64,
    pub active_log_follows: u64,
    pub active_event_streams: u64,
    /// Requests that may change the engine (any method but GET and HEAD).
    pub mutating_requests: u64,
}

/// The running simulator. Dropping it stops serving; `shutdown` also waits
/// for the server task to finish.
pub struct DockerSim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
    ticker: Option<JoinHandle<()>>,
}

impl DockerSim {
    /// Binds 127.0.0.1 on a free port and serves `scenario` in real time.
    pub async fn start(scenario: Scenario) -> std::io::Result<DockerSim> {
        Self::launch(scenario, Clock::real(), 0).await
    }

    /// Like `start`, on a given loopback port: a test stops the engine and
    /// brings it back where the client expects it, like a daemon restart.
    pub async fn start_on_port(scenario: Scenario, port: u16) -> std::io::Result<DockerSim> {
        Self::launch(scenario, Clock::real(), port).await
    }

    /// Like `start`, but time only moves with [`DockerSim::advance`], so
    /// crashes, restarts and health flips happen exactly when a test says.
    pub async fn start_manual(scenario: Scenario) -> std::io::Result<DockerSim> {
        Self::launch(scenario, Clock::manual(), 0).await
    }

    async fn launch(scenario: Scenario, clock: Clock, port: u16) -> std::io::Result<DockerSim> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let world = scenario::build(&scenario, clock.now());
        let (stop, stop_rx) = watch::channel(false);
        let manual = clock.is_manual();
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            clock,
            counters: Counters::default(),
            shutdown: stop_rx.clone(),
        });
        let app = api::router(shared.clone());
        // Log lines are small writes; without NODELAY they wait on Nagle.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let mut server_stop = stop_rx.clone();
        let server = tokio::spawn(async move {
            let signal = async move {
                // A dropped sender also means stop.
                let _ = server_stop.wait_for(|v| *v).await;
            };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(signal)
                .await
            {
                tracing::warn!("docker simulator stopped: {e}");
            }
        });
        let ticker = (!manual).then(|| {
            let shared = shared.clone();
            let mut stop_rx = stop_rx;
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(TICK);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                loop {
                    tokio::select! {
                        _ = tick.tick() => {
                            let _ = shared.world_now().await;
                        }
                        _ = api::stopping(&mut stop_rx) => break,
                    }
                }
            })
        });
        Ok(DockerSim {
            addr,
            shared,
            stop,
            server: Some(server),
            ticker,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `tcp://127.0.0.1:PORT`, as `DOCKER_HOST` would say.
    pub fn docker_host(&self) -> String {
        format!("tcp://{}", self.addr)
    }

    pub fn counters(&self) -> SimCounters {
        let c = &self.shared.counters;
        let get = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::SeqCst);
        SimCounters {
            requests: get(&c.requests),
            stats_requests: get(&c.stats_requests),
            active_stats_streams: get(&c.stats_streams_active),
            log_requests: get(&c.log_requests),
            active_log_follows: get(&c.log_follows_active),
            active_event_streams: get(&c.events_streams_active),
            mutating_requests: get(&c.mutating_requests),
        }
    }

    pub fn stats_requests(&self) -> u64 {
        self.counters().stats_requests
    }

    pub fn active_stats_streams(&self) -> u64 {
        self.counters().active_stats_streams
    }

    /// Moves a manual clock forward in small steps, applying everything due
    /// in order. With a real clock it only applies what is already due.
    pub async fn advance(&self, by: Duration) {
        if !self.shared.clock.is_manual() {
            let _ = self.shared.world_now().await;
            return;
        }
        let mut left = by;
        loop {
            let step = left.min(MAX_STEP);
            let now = self.shared.clock.advance(step);
            self.shared.world.lock().await.step(now);
            left = left.saturating_sub(step);
            if left.is_zero() {
                break;
            }
        }
    }

    /// Creates and starts a container now (events `create`, `start`);
    /// returns its id.
    pub async fn add_container(&self, spec: ContainerSpec) -> String {
        let (mut world, now) = self.shared.world_now().await;
        let id = world.create(spec, now);
        if let Some(idx) = world.find(&id) {
            world.start_at(idx, now);
        }
        id
    }

    /// Force-removes a container (as `docker rm -f`).
    pub async fn remove_container(&self, reference: &str) -> Result<(), String> {
        let (mut world, now) = self.shared.world_now().await;
        world
            .op_remove(reference, now, true)
            .map(|_| ())
            .map_err(|e| e.message)
    }

    /// The process exits by itself with `exit_code`; the restart policy applies.
    pub async fn crash_container(&self, reference: &str, exit_code: i64) -> Result<(), String> {
        let (mut world, now) = self.shared.world_now().await;
        world
            .ctl_crash(reference, now, exit_code, false)
            .map_err(|e| e.message)
    }

    /// The kernel OOM-kills the process: exit 137, `OOMKilled: true`.
    pub async fn oom_kill(&self, reference: &str) -> Result<(), String> {
        let (mut world, now) = self.shared.world_now().await;
        world
            .ctl_crash(reference, now, 137, true)
            .map_err(|e| e.message)
    }

    /// Writes one line to the container's log now.
    pub async fn log_line(
        &self,
        reference: &str,
        stream: LogStream,
        text: &str,
    ) -> Result<(), String> {
        let (mut world, now) = self.shared.world_now().await;
        let idx = world.lookup(reference).map_err(|e| e.message)?;
        let c = world
            .containers
            .get_mut(idx)
            .ok_or_else(|| format!("No such container: {reference}"))?;
        c.push_line(now, stream, text);
        world::touch(c);
        Ok(())
    }

    /// Sets the health status now and emits `health_status: ...`; the
    /// container's own health cycle stops.
    pub async fn set_health(&self, reference: &str, status: HealthStatus) -> Result<(), String> {
        let (mut world, now) = self.shared.world_now().await;
        let idx = world.lookup(reference).map_err(|e| e.message)?;
        world.force_health(idx, now, status);
        Ok(())
    }

    /// The id of the container with this name, id or id prefix.
    pub async fn container_id(&self, reference: &str) -> Option<String> {
        let (world, _) = self.shared.world_now().await;
        world.get(reference).map(|c| c.id.clone())
    }

    /// Names of all containers, in creation order.
    pub async fn container_names(&self) -> Vec<String> {
        let (world, _) = self.shared.world_now().await;
        world.containers.iter().map(|c| c.name.clone()).collect()
    }

    /// Stops serving: open streams end, then the server task is awaited.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), server)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
    }
}

impl Drop for DockerSim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(ticker) = self.ticker.take() {
            ticker.abort();
        }
    }
}
