//! The Docker pane's state against a REAL Docker engine: the source task
//! feeds `update`, and the tests assert on what the pane would show.
//!
//! Needs an engine at DOCKER_HOST (or the default socket) with the busybox
//! image `OPSDECK_TEST_IMAGE` (default `opsdeck-busybox:latest`; `.ci/run`
//! builds it). Without one these tests skip and say why, unless
//! `OPSDECK_REQUIRE_DOCKER=1` (CI), where they fail.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateContainerOptions, InspectContainerOptions};
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::act::Ticket;
use opsdeck::core::docker::{ContainerOp, ContainerState};
use opsdeck::core::effect::DockerCommand;
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State};
use opsdeck::logview::Stream as LogStream;
use opsdeck::sources::docker;
use tokio::sync::mpsc;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::{remove_container, unique};

const WAIT: Duration = Duration::from_secs(20);

/// The engine and image, or None (skip) / panic (CI) when unavailable.
async fn engine() -> Option<(Docker, String)> {
    let host = docker::describe_host(None);
    let required = std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    let problem = match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => return Some((d, image)),
            Err(e) => {
                format!("image {image} missing at {host} ({e}); run `bash .ci/docker-engine.sh up`")
            }
        },
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    if required {
        panic!("OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    }
    eprintln!("skipping Docker engine test: {problem}");
    None
}

/// The app's driver fed by the real source task, a batch at a time as
/// the loop feeds it; commands also go to the task directly.
struct Pane {
    app: Driver,
    rx: mpsc::Receiver<Msg>,
    commands: mpsc::UnboundedSender<DockerCommand>,
    /// Log output seen per stream, in order.
    log_parts: Vec<(LogStream, Vec<u8>)>,
    log_ended: Option<String>,
    /// The verb of each answered action (from its ticket) and its result.
    op_results: Vec<(String, Result<(), String>)>,
}

impl Pane {
    fn start() -> Pane {
        let (tx, rx) = mpsc::channel(1024);
        let commands = docker::spawn(docker::describe_host(None), tx.clone());
        let sources = SourceHandles {
            docker: Some(commands.clone()),
            ..SourceHandles::default()
        };
        let state = State::new(Settings::default(), KeyMap::default());
        let (app, _themes) = Driver::new(state, sources, tx);
        Pane {
            app,
            rx,
            commands,
            log_parts: Vec::new(),
            log_ended: None,
            op_results: Vec::new(),
        }
    }

    /// Applies source messages, a batch at a time, until `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&Pane) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for: {what}"))
                .expect("source task alive");
            let (parts, ended, results) = (
                &mut self.log_parts,
                &mut self.log_ended,
                &mut self.op_results,
            );
            self.app.apply_batch(msg, &mut self.rx, |msg| match msg {
                Msg::LogChunk { parts: new, .. } => {
                    parts.extend(new.iter().map(|p| (p.source.stream, p.bytes.clone())))
                }
                Msg::LogEnded { reason, .. } => *ended = Some(reason.clone()),
                Msg::ActionDone { ticket, result } => {
                    results.push((ticket.verb.clone(), result.clone()))
                }
                _ => {}
            });
        }
    }

    fn state_of(&self, name: &str) -> Option<ContainerState> {
        let map = self.app.state.docker.containers.data()?;
        map.values().find(|c| c.name == name).map(|c| c.state)
    }

    fn id_of(&self, name: &str) -> Option<String> {
        let map = self.app.state.docker.containers.data()?;
        map.values().find(|c| c.name == name).map(|c| c.id.clone())
    }

    fn text(&self, which: LogStream) -> String {
        self.log_parts
            .iter()
            .filter(|(w, _)| *w == which)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    }
}

/// Creates (not starts) a container running `script` under busybox sh.
async fn create(d: &Docker, image: &str, name: &str, script: &str) -> String {
    let mut labels = HashMap::new();
    labels.insert("opsdeck.test".to_string(), "1".to_string());
    labels.insert(
        "com.docker.compose.project".to_string(),
        "opsdeck-tests".to_string(),
    );
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        labels: Some(labels),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.to_string()),
        ..Default::default()
    };
    d.create_container(Some(options), body)
        .await
        .expect("create container")
        .id
}

#[tokio::test]
async fn containers_appear_change_state_and_disappear_as_the_engine_does_it() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("life");
    let mut pane = Pane::start();
    pane.until("first list", |p| p.app.state.docker.containers.is_loaded())
        .await;
    assert!(pane.app.state.docker.health.is_connected());

    create(&d, &image, &name, "sleep 300").await;
    pane.until("created container listed", |p| {
        p.state_of(&name) == Some(ContainerState::Created)
    })
    .await;
    d.start_container(&name, None).await.expect("start");
    pane.until("running", |p| {
        p.state_of(&name) == Some(ContainerState::Running)
    })
    .await;
    let c = pane
        .app
        .state
        .docker
        .containers
        .data()
        .and_then(|m| m.values().find(|c| c.name == name).cloned())
        .expect("listed");
    assert_eq!(
        c.project.as_deref(),
        Some("opsdeck-tests"),
        "grouped by compose label"
    );
    assert!(c.started_at.is_some(), "inspect filled in the start time");

    d.kill_container(&name, None).await.expect("kill");
    pane.until("exited", |p| {
        p.state_of(&name) == Some(ContainerState::Exited)
    })
    .await;
    let exit = pane.app.state.docker.containers.data().and_then(|m| {
        m.values()
            .find(|c| c.name == name)
            .and_then(|c| c.exit_code)
    });
    assert_eq!(exit, Some(137), "SIGKILL exit code from inspect");

    remove_container(&d, &name).await;
    pane.until("removed from the list", |p| p.state_of(&name).is_none())
        .await;
}

#[tokio::test]
async fn logs_stream_live_with_stdout_and_stderr_told_apart() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("logs");
    let script = "echo out-first; echo err-first >&2; sleep 1; echo out-later; echo err-later >&2; sleep 300";
    create(&d, &image, &name, script).await;
    d.start_container(&name, None).await.expect("start");
    let mut pane = Pane::start();
    pane.until("container listed", |p| {
        p.state_of(&name) == Some(ContainerState::Running)
    })
    .await;
    let id = pane.id_of(&name).expect("id");
    pane.commands
        .send(DockerCommand::OpenLogs {
            stream: 7,
            container_id: id,
            tail: 100,
        })
        .expect("send");
    pane.until("both later lines", |p| {
        p.text(LogStream::Stdout).contains("out-later")
            && p.text(LogStream::Stderr).contains("err-later")
    })
    .await;
    let out = pane.text(LogStream::Stdout);
    let err = pane.text(LogStream::Stderr);
    assert!(
        out.contains("out-first") && !out.contains("err-"),
        "stdout: {out}"
    );
    assert!(
        err.contains("err-first") && !err.contains("out-"),
        "stderr: {err}"
    );
    // Timestamps were asked for: every line starts with an RFC 3339 time.
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.get(..4).is_some_and(|y| y.parse::<u32>().is_ok()) && first.contains('T'),
        "{first}"
    );

    remove_container(&d, &name).await;
    pane.until("log stream ends when the container goes", |p| {
        p.log_ended.is_some()
    })
    .await;
}

/// The engine stores a line longer than 16 KiB as several messages and
/// stamps each one when timestamps are asked for; the pane must show one
/// line with one stamp (moby#37681).
#[tokio::test]
async fn a_line_longer_than_16_kib_arrives_whole_with_one_stamp() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("longline");
    let script = "head -c 40000 /dev/zero | tr '\\0' a; echo; echo after-long; sleep 300";
    create(&d, &image, &name, script).await;
    d.start_container(&name, None).await.expect("start");
    let mut pane = Pane::start();
    pane.until("container listed", |p| {
        p.state_of(&name) == Some(ContainerState::Running)
    })
    .await;
    let id = pane.id_of(&name).expect("id");
    pane.commands
        .send(DockerCommand::OpenLogs {
            stream: 9,
            container_id: id,
            tail: 100,
        })
        .expect("send");
    pane.until("the line after the long one", |p| {
        p.text(LogStream::Stdout).contains("after-long")
    })
    .await;
    let out = pane.text(LogStream::Stdout);
    let long = out
        .lines()
        .find(|l| l.ends_with("aaaa"))
        .unwrap_or_else(|| panic!("no long line in {} bytes", out.len()));
    let (stamp, text) = long.split_once(' ').expect("a stamp");
    assert!(
        chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
        "{stamp}"
    );
    assert_eq!(text.len(), 40_000, "only the text, no stamp inside it");
    assert!(
        text.bytes().all(|b| b == b'a'),
        "a stamp was left inside the line"
    );
    remove_container(&d, &name).await;
}

#[tokio::test]
async fn each_action_does_what_it_says() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("ops");
    let id = create(
        &d,
        &image,
        &name,
        "trap 'exit 0' TERM; while true; do sleep 1; done",
    )
    .await;
    let mut pane = Pane::start();
    pane.until("listed", |p| p.state_of(&name).is_some()).await;

    let steps = [
        (ContainerOp::Start, "running"),
        (ContainerOp::Pause, "paused"),
        (ContainerOp::Unpause, "running"),
        (ContainerOp::Restart, "running"),
        (ContainerOp::Stop, "exited"),
        (ContainerOp::Start, "running"),
        (ContainerOp::Kill, "exited"),
    ];
    for (i, (op, expected)) in steps.iter().enumerate() {
        pane.commands
            .send(DockerCommand::Lifecycle {
                ticket: Ticket::new(0, None, "test", format!("container {name}"), op.verb()),
                container_id: id.clone(),
                op: *op,
            })
            .expect("send");
        pane.until("op result", |p| p.op_results.len() > i).await;
        assert_eq!(
            pane.op_results[i],
            (op.verb().to_string(), Ok(())),
            "{op:?}"
        );
        let inspect = d
            .inspect_container(&id, None::<InspectContainerOptions>)
            .await
            .expect("inspect");
        let status = inspect.state.and_then(|s| s.status).map(|s| s.to_string());
        assert_eq!(status.as_deref(), Some(*expected), "after {op:?}");
        let want = ContainerState::parse(expected);
        pane.until("pane follows the engine", |p| {
            p.state_of(&name) == Some(want)
        })
        .await;
    }
    pane.commands
        .send(DockerCommand::Lifecycle {
            ticket: Ticket::new(
                0,
                None,
                "test",
                format!("container {name}"),
                ContainerOp::Remove.verb(),
            ),
            container_id: id.clone(),
            op: ContainerOp::Remove,
        })
        .expect("send");
    pane.until("removed", |p| {
        p.state_of(&name).is_none() && p.op_results.len() > steps.len()
    })
    .await;
    assert_eq!(
        pane.op_results.last(),
        Some(&("remove".to_string(), Ok(())))
    );
}

#[tokio::test]
async fn engine_errors_come_back_in_plain_words() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("err");
    let id = create(&d, &image, &name, "sleep 300").await;
    d.start_container(&name, None).await.expect("start");
    let mut pane = Pane::start();
    pane.until("listed", |p| {
        p.state_of(&name) == Some(ContainerState::Running)
    })
    .await;
    // Removing a running container without force is refused by the engine.
    pane.commands
        .send(DockerCommand::Lifecycle {
            ticket: Ticket::new(
                0,
                None,
                "test",
                format!("container {name}"),
                ContainerOp::Remove.verb(),
            ),
            container_id: id,
            op: ContainerOp::Remove,
        })
        .expect("send");
    pane.until("op result", |p| !p.op_results.is_empty()).await;
    let (_, result) = &pane.op_results[0];
    let message = result.clone().expect_err("refused");
    assert!(
        message.contains("HTTP 409") && message.to_lowercase().contains("stop"),
        "{message}"
    );
    remove_container(&d, &name).await;
}
