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
use opsdeck::sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use opsdeck::sources::docker;
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
