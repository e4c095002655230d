use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{ContainerSummary, EventMessage};
use bollard::query_parameters::{
    EventsOptions, KillContainerOptions, ListContainersOptions, RemoveContainerOptions,
    RestartContainerOptions, StopContainerOptions,
};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::core::docker::ContainerOp;
use crate::core::docker_objects::ObjectKind;
use crate::core::effect::{DockerCommand, StreamId};
use crate::core::msg::{DockerEvent, Msg};
use crate::core::source::{SourceHealth, SourceKind};

use super::super::kit::{Backoff, Health, Policy, StreamTasks, write_bundle};
use super::connect::{connect, plain_error};
use super::convert::{container_from_inspect, container_from_summary};
use super::stats::StatsStreams;

/// Events come in bursts (a prune deletes many objects, a compose up
/// creates many containers): the open view is re-listed once per burst.
const RELOAD_DEBOUNCE: Duration = Duration::from_millis(250);

/// Inspects in flight at once after a (re)connect; the list is already on
/// screen, this only fills in exit codes, restart counts and health.
const INSPECT_CONCURRENCY: usize = 8;

/// Starts the Docker task; commands go in through the returned sender.
pub fn spawn(host: String, tx: mpsc::Sender<Msg>) -> mpsc::UnboundedSender<DockerCommand> {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(host, tx, cmd_rx));
    cmd_tx
}

struct Worker {
    host: String,
    health: Health,
    tx: mpsc::Sender<Msg>,
    logs: StreamTasks<StreamId>,
    /// Where containers joining each open merged log are sent.
    joins: HashMap<StreamId, mpsc::UnboundedSender<super::logs::Joiner>>,
    stats: StatsStreams,
    wanted_stats: Vec<String>,
    /// The images, volumes or networks view open, if any.
    objects: Option<ObjectKind>,
    /// When to re-list it (an event came); None when nothing changed.
    reload_at: Option<tokio::time::Instant>,
    /// The list in flight; a newer one replaces it, so answers never
    /// arrive out of order.
    loading: Option<tokio::task::JoinHandle<()>>,
}

/// A connection that answered its first list.
struct Up {
    docker: Docker,
    summaries: Vec<ContainerSummary>,
    /// Events from this moment on complete the list.
    since: String,
}

async fn run(
    host: String,
    tx: mpsc::Sender<Msg>,
    mut cmds: mpsc::UnboundedReceiver<DockerCommand>,
) {
    let stats = StatsStreams::for_host(&host);
    let mut w = Worker {
        host: host.clone(),
        health: Health::new(host),
        tx,
        logs: StreamTasks::default(),
        joins: HashMap::new(),
        stats,
        wanted_stats: Vec::new(),
        objects: None,
        reload_at: None,
        loading: None,
    };
    w.report(w.health.connecting()).await;
    let mut backoff = Backoff::new(Policy::RECONNECT);
    loop {
        let error = match w.connect(&mut cmds).await {
            Some(Ok(up)) => {
                backoff.reset();
                match w.serve(up, &mut cmds).await {
                    Some(error) => error,
                    None => return,
                }
            }
            Some(Err(e)) => e,
            None => return,
        };
        w.stats.stop_all();
        // The open view's rows of this engine are now its last known ones.
        if let Some(kind) = w.objects {
            let failed = DockerEvent::ObjectsFailed {
                engine: String::new(),
                kind,
                error: format!("the engine went away ({error}); showing its last list"),
            };
            let _ = w.tx.send(Msg::Docker(failed)).await;
        }
        let wait = backoff.next_wait();
        w.report(w.health.reconnecting(error, wait)).await;
        if !w.wait_offline(wait, &mut cmds).await {
            return;
        }
    }
}

impl Worker {
    async fn report(&self, h: SourceHealth) {
        let _ = self.tx.send(Msg::health(SourceKind::Docker, h)).await;
    }

    /// Connects and lists the containers. An engine that is slow to
    /// answer must not hold up the user: commands are answered meanwhile
    /// (refused, as when offline). None when the app has quit.
    async fn connect(
        &mut self,
        cmds: &mut mpsc::UnboundedReceiver<DockerCommand>,
    ) -> Option<Result<Up, String>> {
        let host = self.host.clone();
        let attempt = async move {
            let docker = connect(&host).await?;
            // Events from just before the list, so nothing between the two is missed.
            let since = (chrono::Utc::now().timestamp() - 1).to_string();
            let summaries = docker
                .list_containers(Some(ListContainersOptions {
                    all: true,
                    ..Default::default()
                }))
                .await
                .map_err(|e| plain_error(&e))?;
            Ok(Up {
                docker,
                summaries,
                since,
            })
        };
        tokio::pin!(attempt);
        loop {
            tokio::select! {
                up = &mut attempt => return Some(up),
                cmd = cmds.recv() => match cmd {
                    None => return None,
                    Some(cmd) => {
                        let reason = format!("the Docker engine at {} has not answered yet", self.host);
                        self.refuse(cmd, reason).await;
                    }
                },
            }
        }
    }

    /// Serves one connection until the engine goes away (Some(error)) or
    /// the app quits (None).
    async fn serve(
        &mut self,
        up: Up,
        cmds: &mut mpsc::UnboundedReceiver<DockerCommand>,
    ) -> Option<String> {
        let Up {
            docker,
            summaries,
            since,
        } = up;
        let docker = &docker;
        let ids: Vec<String> = summaries.iter().filter_map(|s| s.id.clone()).collect();
        let snapshot = summaries
            .iter()
            .filter_map(container_from_summary)
            .collect();
        // The list before the word "connected": the loop draws at most a
        // frame each 16 ms, and a health report alone would take the frame
        // the list then waits for.
        let _ = self
            .tx
            .send(Msg::Docker(DockerEvent::Snapshot(snapshot)))
            .await;
        self.report(self.health.connected()).await;
        tokio::spawn(inspect_all(docker.clone(), ids, self.tx.clone()));
        let wanted = self.wanted_stats.clone();
        self.stats.set(docker, &wanted, &self.tx);

        let mut filters = HashMap::new();
        let types = ["container", "image", "volume", "network"];
        filters.insert("type".to_string(), types.map(String::from).to_vec());
        let mut events = docker.events(Some(EventsOptions {
            since: Some(since),
            until: None,
            filters: Some(filters),
        }));
        if self.objects.is_some() {
            self.load_objects(docker);
        }
        loop {
            let reload_at = self.reload_at.unwrap_or_else(tokio::time::Instant::now);
            tokio::select! {
                _ = tokio::time::sleep_until(reload_at), if self.reload_at.is_some() => {
                    self.reload_at = None;
                    self.load_objects(docker);
                }
                ev = events.next() => match ev {
                    Some(Ok(ev)) => self.on_engine_event(docker, ev),
                    Some(Err(e)) => return Some(plain_error(&e)),
                    None => return Some("the engine closed the event stream".into()),
                },
                cmd = cmds.recv() => match cmd {
                    Some(cmd) => self.on_command(docker, cmd),
                    None => return None,
                },
            }
        }
    }

    /// Lists the open view's kind, replacing a list still in flight.
    fn load_objects(&mut self, docker: &Docker) {
        if let Some(old) = self.loading.take() {
            old.abort();
        }
        let Some(kind) = self.objects else {
            return;
        };
        let (docker, tx) = (docker.clone(), self.tx.clone());
        self.loading = Some(tokio::spawn(async move {
            let ev = match super::objects::load(&docker, kind).await {
                Ok(list) => DockerEvent::Objects(list),
                Err(error) => DockerEvent::ObjectsFailed {
                    engine: String::new(),
                    kind,
                    error,
                },
            };
            let _ = tx.send(Msg::Docker(ev)).await;
        }));
    }

    fn on_engine_event(&mut self, docker: &Docker, ev: EventMessage) {
        let event_type = ev.typ.map(|t| t.to_string()).unwrap_or_default();
        if let Some(kind) = self.objects {
            let action = ev.action.as_deref().unwrap_or_default();
            if self.reload_at.is_none() && super::objects::event_changes(kind, &event_type, action)
            {
                self.reload_at = Some(tokio::time::Instant::now() + RELOAD_DEBOUNCE);
            }
        }
        if let Some(engine_event) = super::timeline_events::engine_event(&event_type, &ev) {
            let tx = self.tx.clone();
            tokio::spawn(async move {
                let _ = tx
                    .send(Msg::Docker(DockerEvent::Engine(engine_event)))
                    .await;
            });
        }
        if event_type != "container" {
            return;
        }
        let Some(id) = ev.actor.as_ref().and_then(|a| a.id.clone()) else {
            return;
        };
        let action = ev.action.unwrap_or_default();
        // exec_* and top-level noise do not change what the pane shows.
        if action.starts_with("exec_") || action == "attach" || action == "resize" {
            return;
        }
        let tx = self.tx.clone();
        if action == "destroy" {
            tokio::spawn(async move {
                let _ = tx.send(Msg::Docker(DockerEvent::Removed { id })).await;
            });
            return;
        }
        let docker = docker.clone();
        tokio::spawn(async move { inspect_one(&docker, &id, &tx).await });
    }

    fn on_command(&mut self, docker: &Docker, cmd: DockerCommand) {
        match cmd {
            DockerCommand::OpenLogs {
                stream,
                container_id,
                tail,
            } => {
                let follow = super::logs::follow(
                    docker.clone(),
                    stream,
                    container_id,
                    tail,
                    self.tx.clone(),
                );
                self.logs.start(stream, follow);
            }
            DockerCommand::OpenMergedLogs {
                stream,
                members,
                tail,
            } => {
                let (join_tx, join_rx) = mpsc::unbounded_channel();
                let follow = super::logs::follow_merged(
                    docker.clone(),
                    stream,
                    members,
                    tail,
                    join_rx,
                    self.tx.clone(),
                );
                self.logs.start(stream, follow);
                self.joins.retain(|_, j| !j.is_closed());
                self.joins.insert(stream, join_tx);
            }
            DockerCommand::JoinMergedLogs {
                stream,
                container_id,
                tag,
                since,
            } => {
                if let Some(joins) = self.joins.get(&stream) {
                    let _ = joins.send((container_id, tag, since.timestamp()));
                }
            }
            DockerCommand::Inspect {
                stream,
                kind,
                reference,
            } => {
                let show =
                    super::inspect::show(docker.clone(), stream, kind, reference, self.tx.clone());
                self.logs.start(stream, show);
            }
            DockerCommand::ProjectAction { ticket, steps } => {
                let (docker, tx) = (docker.clone(), self.tx.clone());
                tokio::spawn(async move {
                    let result = super::compose::run(&docker, &steps).await;
                    if let Err(e) = &result {
                        tracing::info!(target_name = %ticket.target, error = %e, "compose project action failed");
                    }
                    let _ = tx.send(Msg::ActionReported { ticket, result }).await;
                });
            }
            DockerCommand::CloseLogs { stream } => {
                self.logs.stop(&stream);
                self.joins.remove(&stream);
            }
            DockerCommand::WatchStats { ids } => {
                self.stats.set(docker, &ids, &self.tx);
                self.wanted_stats = ids;
            }
            DockerCommand::IncidentBundle {
                path,
                item,
                container,
                tail,
                timeline,
            } => {
                let fetch = super::bundle::fetch(docker.clone(), container, tail);
                write_bundle(self.tx.clone(), path, item, timeline, fetch);
            }
            DockerCommand::WatchObjects { kind } => {
                self.objects = kind;
                self.reload_at = None;
                self.load_objects(docker);
            }
            DockerCommand::ObjectOp { ticket, op } => {
                let docker = docker.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = super::objects::run(&docker, &op).await;
                    if let Err(e) = &result {
                        tracing::info!(target_name = %ticket.target, error = %e, "docker object action failed");
                    }
                    let _ = tx.send(Msg::ActionReported { ticket, result }).await;
                });
            }
            DockerCommand::Lifecycle {
                ticket,
                container_id,
                op,
            } => {
                let docker = docker.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = lifecycle(&docker, &container_id, op).await;
                    if let Err(e) = &result {
                        tracing::info!(target_name = %ticket.target, op = op.verb(), error = %e, "container action failed");
                    }
                    let _ = tx.send(Msg::ActionDone { ticket, result }).await;
                });
            }
        }
    }

    /// Waits out the backoff, answering commands with "unreachable" meanwhile.
    /// False when the app has quit.
    async fn wait_offline(
        &mut self,
        delay: Duration,
        cmds: &mut mpsc::UnboundedReceiver<DockerCommand>,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + delay;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => return true,
                cmd = cmds.recv() => match cmd {
                    None => return false,
                    Some(cmd) => {
                        let reason = format!("the Docker engine at {} is unreachable", self.host);
                        self.refuse(cmd, reason).await;
                    }
                },
            }
        }
    }

    /// Answers a command that cannot be carried out without the engine.
    async fn refuse(&mut self, cmd: DockerCommand, reason: String) {
        let msg = match cmd {
            DockerCommand::OpenLogs { stream, .. }
            | DockerCommand::OpenMergedLogs { stream, .. }
            | DockerCommand::Inspect { stream, .. } => Msg::LogEnded { stream, reason },
            DockerCommand::Lifecycle { ticket, .. } => Msg::ActionDone {
                ticket,
                result: Err(reason),
            },
            DockerCommand::WatchStats { ids } => {
                self.wanted_stats = ids;
                return;
            }
            DockerCommand::ObjectOp { ticket, .. }
            | DockerCommand::ProjectAction { ticket, .. } => Msg::ActionReported {
                ticket,
                result: Err(reason),
            },
            // Loaded on the next connect; meanwhile the view says why
            // this engine's part is missing.
            DockerCommand::WatchObjects { kind } => {
                self.objects = kind;
                let Some(kind) = kind else { return };
                Msg::Docker(DockerEvent::ObjectsFailed {
                    engine: String::new(),
                    kind,
                    error: reason,
                })
            }
            DockerCommand::IncidentBundle { path, .. } => Msg::FileWritten {
                path,
                result: Err(reason),
            },
            DockerCommand::CloseLogs { stream } => {
                self.logs.stop(&stream);
                self.joins.remove(&stream);
                return;
            }
            // Its log is read when the engine is back and it starts again.
            DockerCommand::JoinMergedLogs { .. } => return,
        };
        let _ = self.tx.send(msg).await;
    }
}

async fn inspect_all(docker: Docker, ids: Vec<String>, tx: mpsc::Sender<Msg>) {
    futures::stream::iter(ids)
        .for_each_concurrent(INSPECT_CONCURRENCY, |id| {
            let (docker, tx) = (docker.clone(), tx.clone());
            async move { inspect_one(&docker, &id, &tx).await }
        })
        .await;
}

async fn inspect_one(docker: &Docker, id: &str, tx: &mpsc::Sender<Msg>) {
    match docker.inspect_container(id, None).await {
        Ok(details) => {
            if let Some(c) = container_from_inspect(&details) {
                let _ = tx.send(Msg::Docker(DockerEvent::Upsert(c))).await;
            }
        }
        // Gone between the event and the inspect: its destroy event follows.
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => {}
        Err(e) => tracing::debug!(%id, error = %plain_error(&e), "inspect failed"),
    }
}

pub(super) async fn lifecycle(docker: &Docker, id: &str, op: ContainerOp) -> Result<(), String> {
    let result = match op {
        ContainerOp::Start => docker.start_container(id, None).await,
        ContainerOp::Stop => {
            docker
                .stop_container(id, Some(StopContainerOptions::default()))
                .await
        }
        ContainerOp::Restart => {
            docker
                .restart_container(id, Some(RestartContainerOptions::default()))
                .await
        }
        ContainerOp::Pause => docker.pause_container(id).await,
        ContainerOp::Unpause => docker.unpause_container(id).await,
        ContainerOp::Kill => {
            docker
                .kill_container(
                    id,
                    Some(KillContainerOptions {
                        signal: "SIGKILL".into(),
                    }),
                )
                .await
        }
        ContainerOp::Remove => {
            docker
                .remove_container(id, Some(RemoveContainerOptions::default()))
                .await
        }
    };
    result.map_err(|e| plain_error(&e))
}
