//! Several engines at once (`[docker] hosts`): one Docker task per engine,
//! each the same task a single engine gets (its own connection, backoff,
//! event stream and commands, so a dead or slow engine never holds up the
//! others), with two small pieces around them. Going out, a forwarder
//! stamps each task's messages with its engine: containers carry its name,
//! ids become keys (`core::docker::container_key`), images, volumes,
//! networks and projects carry its name and engine-qualified keys too,
//! health reports become the engine's part of the source's health. Coming
//! in, a router sends each command to the engine its key names, and asks
//! every engine for the open view's lists.

use std::collections::BTreeMap;

use tokio::sync::mpsc;

use crate::core::docker::{container_key, split_key};
use crate::core::docker_objects::{ObjectList, ObjectOp};
use crate::core::effect::DockerCommand;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::source::SourceKind;

/// Messages in flight between one engine's task and the forwarder; the
/// forwarder waits on the app's bounded channel, so a flood still slows
/// the engine's log stream rather than growing a queue.
const FORWARD_CAPACITY: usize = 256;

/// One configured engine: the name its rows carry and its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    pub name: String,
    pub host: String,
}

/// Starts one task per engine (a single engine: exactly the plain task,
/// its rows untagged); commands go in through the returned sender.
pub fn spawn_engines(
    engines: Vec<Engine>,
    tx: mpsc::Sender<Msg>,
) -> mpsc::UnboundedSender<DockerCommand> {
    if let [one] = engines.as_slice() {
        return super::spawn(one.host.clone(), tx);
    }
    let mut routes = Vec::new();
    for engine in engines {
        let (engine_tx, engine_rx) = mpsc::channel(FORWARD_CAPACITY);
        let commands = super::spawn(engine.host, engine_tx);
        tokio::spawn(forward(engine.name.clone(), engine_rx, tx.clone()));
        routes.push((engine.name, commands));
    }
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    tokio::spawn(route(routes, cmd_rx, tx));
    cmd_tx
}

async fn forward(engine: String, mut from: mpsc::Receiver<Msg>, to: mpsc::Sender<Msg>) {
    while let Some(msg) = from.recv().await {
        if to.send(stamp(&engine, msg)).await.is_err() {
            return;
        }
    }
}

/// An engine task's message as the app must see it with several engines.
pub fn stamp(engine: &str, msg: Msg) -> Msg {
    let ev = match msg {
        Msg::Health {
            source: SourceKind::Docker,
            part: None,
            health,
        } => {
            return Msg::Health {
                source: SourceKind::Docker,
                part: Some(engine.to_string()),
                health,
            };
        }
        Msg::Docker(ev) => ev,
        other => return other,
    };
    let ev = match ev {
        DockerEvent::Snapshot(mut containers) => {
            for c in &mut containers {
                c.engine = engine.to_string();
            }
            DockerEvent::EngineSnapshot {
                engine: engine.to_string(),
                containers,
            }
        }
        DockerEvent::Upsert(mut c) => {
            c.engine = engine.to_string();
            DockerEvent::Upsert(c)
        }
        DockerEvent::Removed { id } => DockerEvent::Removed {
            id: container_key(engine, &id),
        },
        DockerEvent::Usage { id, usage } => DockerEvent::Usage {
            id: container_key(engine, &id),
            usage,
        },
        DockerEvent::Engine(mut ev) => {
            ev.engine = engine.to_string();
            DockerEvent::Engine(ev)
        }
        DockerEvent::Objects(list) => DockerEvent::EngineObjects {
            engine: engine.to_string(),
            list: stamp_objects(engine, list),
        },
        DockerEvent::ObjectsFailed { kind, error, .. } => DockerEvent::ObjectsFailed {
            engine: engine.to_string(),
            kind,
            error,
        },
        other => other,
    };
    Msg::Docker(ev)
}

/// Every row names its engine; a project's containers become keys, so
/// its actions and merged log are routed back to that engine.
fn stamp_objects(engine: &str, list: ObjectList) -> ObjectList {
    let name = || engine.to_string();
    match list {
        ObjectList::Images(mut rows) => {
            rows.iter_mut().for_each(|r| r.engine = name());
            ObjectList::Images(rows)
        }
        ObjectList::Volumes(mut rows) => {
            rows.iter_mut().for_each(|r| r.engine = name());
            ObjectList::Volumes(rows)
        }
        ObjectList::Networks(mut rows) => {
            rows.iter_mut().for_each(|r| r.engine = name());
            ObjectList::Networks(rows)
        }
        ObjectList::Projects(mut rows) => {
            for row in &mut rows {
                row.engine = name();
                for m in &mut row.members {
                    m.id = container_key(engine, &m.id);
                }
            }
            ObjectList::Projects(rows)
        }
    }
}

type Routes = Vec<(String, mpsc::UnboundedSender<DockerCommand>)>;

async fn route(
    routes: Routes,
    mut commands: mpsc::UnboundedReceiver<DockerCommand>,
    tx: mpsc::Sender<Msg>,
) {
    while let Some(cmd) = commands.recv().await {
        for (engine, cmd) in split(&routes, cmd) {
            match routes.iter().find(|(name, _)| *name == engine) {
                Some((_, to)) => {
                    let _ = to.send(cmd);
                }
                None => refuse(&tx, &engine, cmd).await,
            }
        }
    }
}

/// Which engine each part of a command goes to, with the engine's own ids.
fn split(routes: &Routes, cmd: DockerCommand) -> Vec<(String, DockerCommand)> {
    // What names no engine (a bundle without a container) goes to the first.
    let first = routes.first().map(|(n, _)| n.clone()).unwrap_or_default();
    match cmd {
        DockerCommand::OpenLogs {
            stream,
            container_id,
            tail,
        } => {
            let (engine, id) = split_key(&container_id);
            let cmd = DockerCommand::OpenLogs {
                stream,
                container_id: id.to_string(),
                tail,
            };
            vec![(engine.to_string(), cmd)]
        }
        DockerCommand::Lifecycle {
            ticket,
            container_id,
            op,
        } => {
            let (engine, id) = split_key(&container_id);
            let cmd = DockerCommand::Lifecycle {
                ticket,
                container_id: id.to_string(),
                op,
            };
            vec![(engine.to_string(), cmd)]
        }
        // Every engine gets its own set, empty ones included: that is how
        // an engine stops the streams of rows that left the screen.
        DockerCommand::WatchStats { ids } => {
            let mut per: BTreeMap<String, Vec<String>> = routes
                .iter()
                .map(|(n, _)| (n.clone(), Vec::new()))
                .collect();
            for key in &ids {
                let (engine, id) = split_key(key);
                per.entry(engine.to_string())
                    .or_default()
                    .push(id.to_string());
            }
            per.into_iter()
                .map(|(engine, ids)| (engine, DockerCommand::WatchStats { ids }))
                .collect()
        }
        DockerCommand::JoinMergedLogs {
            stream,
            container_id,
            tag,
            since,
        } => {
            let (engine, id) = split_key(&container_id);
            let cmd = DockerCommand::JoinMergedLogs {
                stream,
                container_id: id.to_string(),
                tag,
                since,
            };
            vec![(engine.to_string(), cmd)]
        }
        DockerCommand::CloseLogs { stream } => routes
            .iter()
            .map(|(n, _)| (n.clone(), DockerCommand::CloseLogs { stream }))
            .collect(),
        DockerCommand::IncidentBundle {
            path,
            item,
            container,
            tail,
            timeline,
        } => {
            let engine = container.as_ref().map_or(first, |c| c.engine.clone());
            let cmd = DockerCommand::IncidentBundle {
                path,
                item,
                container,
                tail,
                timeline,
            };
            vec![(engine, cmd)]
        }
        // A compose project lives on one engine: its steps go to the engine
        // of its first container, and a step naming another engine is left
        // to that engine's refusal rather than run out of order.
        DockerCommand::ProjectAction { ticket, steps } => {
            let engine = steps
                .first()
                .map_or(first, |s| split_key(&s.id).0.to_string());
            let steps = steps
                .into_iter()
                .map(|mut step| {
                    let (from, id) = split_key(&step.id);
                    if from == engine {
                        step.id = id.to_string();
                    }
                    step
                })
                .collect();
            vec![(engine, DockerCommand::ProjectAction { ticket, steps })]
        }
        DockerCommand::OpenMergedLogs {
            stream,
            members,
            tail,
        } => {
            let engine = members
                .first()
                .map_or(first, |(key, _)| split_key(key).0.to_string());
            let members = members
                .into_iter()
                .filter_map(|(key, tag)| {
                    let (from, id) = split_key(&key);
                    (from == engine).then(|| (id.to_string(), tag))
                })
                .collect();
            let cmd = DockerCommand::OpenMergedLogs {
                stream,
                members,
                tail,
            };
            vec![(engine, cmd)]
        }
        // Every kind is keyed by engine, as its rows are.
        DockerCommand::Inspect {
            stream,
            kind,
            reference,
        } => {
            let (engine, reference) = split_key(&reference);
            let cmd = DockerCommand::Inspect {
                stream,
                kind,
                reference: reference.to_string(),
            };
            vec![(engine.to_string(), cmd)]
        }
        // Each engine lists its own part of the open view.
        DockerCommand::WatchObjects { kind } => routes
            .iter()
            .map(|(n, _)| (n.clone(), DockerCommand::WatchObjects { kind }))
            .collect(),
        DockerCommand::ObjectOp { ticket, op } => {
            let (engine, op) = match op {
                ObjectOp::Remove { kind, reference } => {
                    let (engine, reference) = split_key(&reference);
                    let reference = reference.to_string();
                    (engine.to_string(), ObjectOp::Remove { kind, reference })
                }
                ObjectOp::Prune {
                    kind,
                    engine,
                    only_label,
                } => {
                    let op = ObjectOp::Prune {
                        kind,
                        engine: String::new(),
                        only_label,
                    };
                    (engine, op)
                }
            };
            vec![(engine, DockerCommand::ObjectOp { ticket, op })]
        }
    }
}

/// A command naming an engine that is not configured (a key from before a
/// restart, say) is answered, never dropped: a dialog waits on its ticket.
async fn refuse(tx: &mpsc::Sender<Msg>, engine: &str, cmd: DockerCommand) {
    let reason = format!("no Docker engine named `{engine}` is configured");
    let msg = match cmd {
        DockerCommand::Lifecycle { ticket, .. } => Msg::ActionDone {
            ticket,
            result: Err(reason),
        },
        DockerCommand::ObjectOp { ticket, .. } | DockerCommand::ProjectAction { ticket, .. } => {
            Msg::ActionReported {
                ticket,
                result: Err(reason),
            }
        }
        DockerCommand::OpenLogs { stream, .. }
        | DockerCommand::OpenMergedLogs { stream, .. }
        | DockerCommand::Inspect { stream, .. } => Msg::LogEnded { stream, reason },
        DockerCommand::IncidentBundle { path, .. } => Msg::FileWritten {
            path,
            result: Err(reason),
        },
        DockerCommand::WatchStats { .. }
        | DockerCommand::CloseLogs { .. }
        | DockerCommand::JoinMergedLogs { .. }
        | DockerCommand::WatchObjects { .. } => return,
    };
    let _ = tx.send(msg).await;
}

/// Names for engines listed without one: the host of an ssh:// or tcp://
/// address, the socket's file name for unix:// (`docker`, `podman`), made
/// unique with `-2`, `-3` in the order given.
pub fn name_engines(entries: &[(Option<String>, String)]) -> Vec<Engine> {
    let mut taken: Vec<String> = entries.iter().filter_map(|(n, _)| n.clone()).collect();
    entries
        .iter()
        .map(|(name, host)| {
            let name = match name {
                Some(n) => n.clone(),
                None => {
                    let base = default_name(host);
                    let mut name = base.clone();
                    let mut n = 2;
                    while taken.contains(&name) {
                        name = format!("{base}-{n}");
                        n += 1;
                    }
                    taken.push(name.clone());
                    name
                }
            };
            Engine {
                name,
                host: host.clone(),
            }
        })
        .collect()
}

fn default_name(host: &str) -> String {
    let (scheme, rest) = host.split_once("://").unwrap_or(("", host));
    let name = match scheme {
        "unix" => {
            let file = rest.rsplit('/').find(|p| !p.is_empty()).unwrap_or("local");
            file.strip_suffix(".sock").unwrap_or(file).to_string()
        }
        _ => {
            let authority = rest.split('/').next().unwrap_or(rest);
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            match host_port.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or(v6).to_string(),
                None => host_port.split(':').next().unwrap_or(host_port).to_string(),
            }
        }
    };
    let name: String = name.chars().filter(|c| *c != '/').collect();
    if name.is_empty() {
        "engine".into()
    } else {
        name
    }
}

#[cfg(test)]
#[path = "engines_tests.rs"]
mod tests;
