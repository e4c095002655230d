//! The engine going away and coming back, with the simulated engine (a real
//! daemon restart would disturb the other tests sharing CI's engine): the
//! pane keeps its last known state, says "reconnecting" with the error, and
//! recovers by itself when the engine returns on the same address.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State};
use opsdeck::sources::docker;
use opsdeck_sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(20);

fn names(state: &State) -> Vec<String> {
    state
        .docker
        .containers
        .data()
        .map(|m| m.values().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_restarted_engine_is_reconnected_without_losing_the_list() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("sim");
    let port = sim.addr().port();
    sim.add_container(ContainerSpec::new(
        "before-restart",
        "busybox",
        Behaviour::new(LogStyle::Worker, 1.0),
    ))
    .await;
    let (tx, mut rx) = mpsc::channel(256);
    let sources = SourceHandles {
        docker: Some(docker::spawn(sim.docker_host(), tx.clone())),
        ..SourceHandles::default()
    };
    let state = State::new(Settings::default(), KeyMap::default());
    let (mut app, _themes) = Driver::new(state, sources, tx);
    app.run_until(
        &mut rx,
        WAIT,
        "first list",
        |_| {},
        |s| names(s).contains(&"before-restart".to_string()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    sim.shutdown().await;
    app.run_until(
        &mut rx,
        WAIT,
        "reconnecting",
        |_| {},
        |s| matches!(s.docker.health, SourceHealth::Reconnecting { .. }),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let SourceHealth::Reconnecting { error, .. } = &app.state.docker.health else {
        unreachable!()
    };
    assert!(!error.is_empty(), "the error is shown");
    assert_eq!(
        names(&app.state),
        vec!["before-restart"],
        "last known state is kept"
    );
    assert!(app.state.docker.containers.error().is_some());

    let sim = DockerSim::start_on_port(Scenario::Empty, port)
        .await
        .expect("sim back");
    sim.add_container(ContainerSpec::new(
        "after-restart",
        "busybox",
        Behaviour::new(LogStyle::Worker, 1.0),
    ))
    .await;
    app.run_until(
        &mut rx,
        WAIT,
        "reconnected with the new list",
        |_| {},
        |s| s.docker.health.is_connected() && names(s) == vec!["after-restart".to_string()],
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    sim.shutdown().await;
}

/// An engine that accepts connections and never answers (a hung daemon, a
/// black-holed proxy): the user's actions are answered at once, not after
/// the client's two-minute timeout.
#[tokio::test]
async fn a_silent_engine_does_not_hold_up_commands() {
    use opsdeck::core::act::Ticket;
    use opsdeck::core::docker::ContainerOp;
    use opsdeck::core::effect::DockerCommand;
    use opsdeck::core::msg::Msg;

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("listener");
    let host = format!("tcp://{}", listener.local_addr().expect("addr"));
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let (tx, mut rx) = mpsc::channel(256);
    let commands = docker::spawn(host, tx);
    // Connecting is under way (and will not finish) before the command.
    tokio::time::sleep(Duration::from_millis(200)).await;
    commands
        .send(DockerCommand::Lifecycle {
            ticket: Ticket::new(1, None, "test", "container web", "restart"),
            container_id: "abc".into(),
            op: ContainerOp::Restart,
        })
        .expect("source alive");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    let result = loop {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("answered within 1 s")
            .expect("source alive");
        if let Msg::ActionDone { ticket, result } = msg {
            assert_eq!(ticket.target, "container web");
            break result;
        }
    };
    let error = result.expect_err("refused");
    assert!(error.contains("has not answered yet"), "{error}");
    silent.abort();
}
