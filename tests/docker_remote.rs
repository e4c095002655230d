//! Engines beyond the local socket, against the REAL engine CI starts:
//! an `ssh://` engine through a real sshd (`.ci/sshd.sh`), and two engines
//! at once, one of them going away and coming back.
//!
//! The ssh test needs `OPSDECK_TEST_SSH_HOST` and `OPSDECK_SSH_CONFIG`
//! (`eval "$(bash .ci/sshd.sh up)"` after `.ci/docker-engine.sh up`).
//! Without an engine or sshd these tests skip and say why, unless
//! `OPSDECK_REQUIRE_DOCKER=1` (CI), where they fail.
//!
//! The second engine is the same engine reached another way: a TCP port
//! this test serves and forwards to the engine's socket. Stopping that
//! forwarder is, for opsdeck, exactly an engine going away (its event
//! stream breaks, new connections are refused), without stopping the
//! shared engine other tests use; and it sees every request, so the test
//! can tell which engine an action went through.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::CreateContainerOptions;
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::act::Ticket;
use opsdeck::core::docker::{ContainerOp, ContainerState};
use opsdeck::core::effect::DockerCommand;
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State};
use opsdeck::sources::docker::{self, Engine};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

#[path = "support/forwarder.rs"]
mod forwarder;
use forwarder::Forwarder;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::{remove_container, required, unique};

const WAIT: Duration = Duration::from_secs(30);

fn skip_or_fail(problem: String) -> Option<(Docker, String)> {
    if required() {
        panic!("OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    }
    eprintln!("skipping remote engine test: {problem}");
    None
}

/// The local engine and the test image.
async fn engine() -> Option<(Docker, String)> {
    let host = docker::describe_host(None);
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => Some((d, image)),
            Err(e) => skip_or_fail(format!("image {image} missing at {host} ({e})")),
        },
        Err(e) => skip_or_fail(format!("no Docker engine at {host}: {e}")),
    }
}

/// A started container printing a line a second until stopped.
async fn running(d: &Docker, image: &str, name: &str) -> String {
    let labels = HashMap::from([("opsdeck.test".to_string(), "1".to_string())]);
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "trap 'exit 0' TERM; while true; do echo tick; sleep 1; done".into(),
        ]),
        labels: Some(labels),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.to_string()),
        ..Default::default()
    };
    let id = d
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;
    d.start_container(&id, None).await.expect("start");
    id
}

/// The app's driver fed by the real source tasks, as the loop feeds it.
struct App {
    app: Driver,
    rx: mpsc::Receiver<Msg>,
    commands: mpsc::UnboundedSender<DockerCommand>,
    results: Vec<(String, Result<(), String>)>,
    log_text: String,
}

impl App {
    /// What `run.rs` does: one source task per engine, engines named.
    fn start(engines: Vec<Engine>) -> App {
        let (tx, rx) = mpsc::channel(1024);
        let mut state = State::new(Settings::default(), KeyMap::default());
        if engines.len() > 1 {
            for e in &engines {
                let health = SourceHealth::Connecting {
                    target: e.host.clone(),
                };
                state.docker.engines.insert(e.name.clone(), health);
            }
        }
        let commands = docker::spawn_engines(engines, tx.clone());
        let sources = SourceHandles {
            docker: Some(commands.clone()),
            ..SourceHandles::default()
        };
        let (app, _themes) = Driver::new(state, sources, tx);
        App {
            app,
            rx,
            commands,
            results: Vec::new(),
            log_text: String::new(),
        }
    }

    async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| {
                    panic!(
                        "timed out waiting for: {what}; Docker health: {:?}",
                        self.app.state.docker.health
                    )
                })
                .expect("source task alive");
            let (results, log_text) = (&mut self.results, &mut self.log_text);
            self.app.apply_batch(msg, &mut self.rx, |msg| match msg {
                Msg::ActionDone { ticket, result } => {
                    results.push((ticket.verb.clone(), result.clone()))
                }
                Msg::LogChunk { parts, .. } => {
                    for p in parts {
                        log_text.push_str(&String::from_utf8_lossy(&p.bytes));
                    }
                }
                _ => {}
            });
        }
    }

    /// The key and state of the container called `name` on `engine`.
    fn row(&self, engine: &str, name: &str) -> Option<(String, ContainerState)> {
        let map = self.app.state.docker.containers.data()?;
        map.iter()
            .find(|(_, c)| c.name == name && c.engine == engine)
            .map(|(key, c)| (key.clone(), c.state))
    }

    fn engine_up(&self, engine: &str) -> bool {
        self.app
            .state
            .docker
            .engines
            .get(engine)
            .is_some_and(SourceHealth::is_connected)
    }

    fn act(&self, key: &str, op: ContainerOp) {
        self.commands
            .send(DockerCommand::Lifecycle {
                ticket: Ticket::new(0, None, "test", key.to_string(), op.verb()),
                container_id: key.to_string(),
                op,
            })
            .expect("send");
    }
}

#[tokio::test]
async fn an_ssh_engine_lists_streams_logs_and_acts() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let Ok(ssh_host) = std::env::var("OPSDECK_TEST_SSH_HOST") else {
        skip_or_fail(
            "OPSDECK_TEST_SSH_HOST is not set (eval \"$(bash .ci/sshd.sh up)\")".to_string(),
        );
        return;
    };
    let name = unique("ssh");
    let id = running(&d, &image, &name).await;
    let before = d.inspect_container(&id, None).await.unwrap();
    let started_before = before.state.and_then(|s| s.started_at).unwrap_or_default();

    let mut app = App::start(vec![Engine {
        name: String::new(),
        host: ssh_host.clone(),
    }]);
    app.until("listed through ssh", |a| {
        a.row("", &name).map(|r| r.1) == Some(ContainerState::Running)
    })
    .await;
    assert_eq!(
        app.app.state.docker.health.target(),
        Some(ssh_host.as_str())
    );

    // Logs stream over the same kind of connection.
    app.commands
        .send(DockerCommand::OpenLogs {
            stream: 77_001,
            container_id: id.clone(),
            tail: 10,
        })
        .unwrap();
    app.until("a log line through ssh", |a| a.log_text.contains("tick"))
        .await;

    app.act(&id, ContainerOp::Restart);
    app.until("restart answered", |a| !a.results.is_empty())
        .await;
    assert_eq!(app.results[0], ("restart".to_string(), Ok(())));
    let after = d.inspect_container(&id, None).await.unwrap();
    let started_after = after.state.and_then(|s| s.started_at).unwrap_or_default();
    assert_ne!(started_before, started_after, "the engine restarted it");

    app.act(&id, ContainerOp::Kill);
    app.until("the pane follows, through ssh's event stream", |a| {
        a.row("", &name).map(|r| r.1) == Some(ContainerState::Exited)
    })
    .await;
    remove_container(&d, &name).await;
}

#[tokio::test]
async fn ssh_refusing_the_login_is_said_in_plain_words() {
    if engine().await.is_none() {
        return;
    }
    let Ok(ssh_host) = std::env::var("OPSDECK_TEST_SSH_HOST") else {
        skip_or_fail("OPSDECK_TEST_SSH_HOST is not set".to_string());
        return;
    };
    // The same sshd, a user it does not allow: publickey refused.
    let at = ssh_host
        .rsplit_once('@')
        .map_or(ssh_host.as_str(), |(_, h)| h);
    let host = format!("ssh://nobody-{}@{at}", std::process::id());
    let Err(text) = docker::connect(&host).await else {
        panic!("{host} should have been refused");
    };
    assert!(text.contains("ssh refused the login"), "{text}");
    assert!(text.contains("Permission denied"), "{text}");
}

#[tokio::test]
async fn two_engines_one_goes_away_and_comes_back_while_the_other_keeps_working() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let host = docker::describe_host(None);
    let Some(socket) = host.strip_prefix("unix://") else {
        skip_or_fail(format!("the forwarder needs a unix:// engine, not {host}"));
        return;
    };
    let mut forwarder = Forwarder::start(socket, 0).await;
    let name = unique("two");
    let id = running(&d, &image, &name).await;

    let mut app = App::start(vec![
        Engine {
            name: "local".into(),
            host: host.clone(),
        },
        Engine {
            name: "relay".into(),
            host: format!("tcp://127.0.0.1:{}", forwarder.port),
        },
    ]);
    app.until("the container on both engines", |a| {
        a.row("local", &name).is_some() && a.row("relay", &name).is_some()
    })
    .await;
    let (local_key, _) = app.row("local", &name).unwrap();
    let (relay_key, _) = app.row("relay", &name).unwrap();
    assert_eq!(local_key, format!("local/{id}"));
    assert_eq!(relay_key, format!("relay/{id}"));

    // The relay engine goes away: its rows stay (stale), it says so, and
    // the local engine keeps listing and acting.
    forwarder.stop();
    app.until("the relay engine reported down", |a| {
        matches!(
            a.app.state.docker.engines.get("relay"),
            Some(SourceHealth::Reconnecting { .. })
        )
    })
    .await;
    assert!(app.engine_up("local"), "{:?}", app.app.state.docker.engines);
    assert!(app.row("relay", &name).is_some(), "stale rows are kept");
    match &app.app.state.docker.health {
        SourceHealth::Reconnecting { error, .. } => {
            assert!(error.starts_with("relay: "), "{error}")
        }
        other => panic!("the source's health should name the engine down: {other:?}"),
    }
    app.act(&relay_key, ContainerOp::Stop);
    app.until("the relay's refusal", |a| !a.results.is_empty())
        .await;
    let refusal = app.results[0].1.clone().unwrap_err();
    assert!(
        refusal.contains("unreachable") || refusal.contains("not answered"),
        "{refusal}"
    );
    app.act(&local_key, ContainerOp::Stop);
    app.until("stopped through the local engine", |a| {
        a.results.len() > 1 && a.row("local", &name).map(|r| r.1) == Some(ContainerState::Exited)
    })
    .await;
    assert_eq!(app.results[1], ("stop".to_string(), Ok(())));

    // It comes back on the same address: listed afresh (the stop it missed
    // included), and actions on its rows go through it.
    forwarder.serve().await;
    app.until("the relay engine back with the current state", |a| {
        a.engine_up("relay") && a.row("relay", &name).map(|r| r.1) == Some(ContainerState::Exited)
    })
    .await;
    assert!(app.app.state.docker.health.is_connected());
    app.act(&relay_key, ContainerOp::Start);
    app.until("started through the relay", |a| a.results.len() > 2)
        .await;
    assert_eq!(app.results[2], ("start".to_string(), Ok(())));
    assert!(
        forwarder.saw(&format!("/containers/{id}/start")),
        "the start went through the relay engine"
    );
    assert!(
        !forwarder.saw(&format!("/containers/{id}/stop")),
        "the local stop did not go through the relay"
    );
    remove_container(&d, &name).await;
}

/// `s` on a row of an ssh:// engine: the exec's hijacked connection runs
/// over `docker system dial-stdio` too, and the shell goes to the engine
/// the row's key names.
#[tokio::test]
async fn a_shell_opens_in_a_container_of_a_named_ssh_engine() {
    use futures::StreamExt;
    use opsdeck::app::OpenShell;
    use opsdeck::core::effect::ShellTarget;
    use opsdeck::sources::shell::Shells;

    let Some((d, image)) = engine().await else {
        return;
    };
    let Ok(ssh_host) = std::env::var("OPSDECK_TEST_SSH_HOST") else {
        skip_or_fail("OPSDECK_TEST_SSH_HOST is not set".to_string());
        return;
    };
    let name = unique("sshsh");
    let id = running(&d, &image, &name).await;
    let shells = Shells {
        docker_host: Some("unix:///nonexistent/not-this-one.sock".into()),
        docker_engines: [("remote".to_string(), ssh_host)].into(),
        kube: None,
    };
    let target = ShellTarget::Docker {
        container_id: format!("remote/{id}"),
        name: name.clone(),
    };
    let mut session = shells.open(&target, (80, 24)).await.expect("shell opens");
    session
        .input
        .write_all(b"echo opsdeck-$((6*7))\n")
        .await
        .unwrap();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !seen.contains("opsdeck-42") {
        let chunk = tokio::time::timeout_at(deadline, session.output.next())
            .await
            .unwrap_or_else(|_| panic!("no answer from the shell; saw {seen:?}"))
            .expect("output open")
            .expect("output readable");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    session.input.write_all(b"exit\n").await.unwrap();
    while tokio::time::timeout_at(deadline, session.output.next())
        .await
        .expect("the output ends after exit")
        .is_some()
    {}
    assert_eq!(session.ended.await, Ok(()));
    remove_container(&d, &name).await;
}

/// A screen of running containers over ssh: one stats stream each, so
/// many ssh connections start at once. sshd refuses some of a burst of
/// unauthenticated connections (`MaxStartups`, 10 by default); every
/// row must still get its figures.
#[tokio::test]
async fn a_screen_of_containers_over_ssh_all_get_their_figures() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let Ok(ssh_host) = std::env::var("OPSDECK_TEST_SSH_HOST") else {
        skip_or_fail("OPSDECK_TEST_SSH_HOST is not set".to_string());
        return;
    };
    let prefix = unique("sshburst");
    let mut ids = Vec::new();
    for i in 0..16 {
        ids.push(running(&d, &image, &format!("{prefix}-{i:02}")).await);
    }
    let mut app = App::start(vec![Engine {
        name: String::new(),
        host: ssh_host,
    }]);
    app.until("listed", |a| ids.iter().all(|id| a.row_by_key(id)))
        .await;
    app.commands
        .send(DockerCommand::WatchStats { ids: ids.clone() })
        .unwrap();
    app.until("figures for every container", |a| {
        ids.iter()
            .all(|id| a.app.state.docker.usage.contains_key(id))
    })
    .await;
    for i in 0..16 {
        remove_container(&d, &format!("{prefix}-{i:02}")).await;
    }
}

impl App {
    fn row_by_key(&self, key: &str) -> bool {
        self.app
            .state
            .docker
            .containers
            .data()
            .is_some_and(|m| m.contains_key(key))
    }
}
