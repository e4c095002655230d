//! The engine going away and coming back, with the simulated engine (a real
//! daemon restart would disturb the other tests sharing CI's engine): the
//! pane keeps its last known state, says "reconnecting" with the error, and
//! recovers by itself when the engine returns on the same address.

use std::time::Duration;

use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State};
use opsdeck::core::update::update;
use opsdeck::sources::docker;
use opsdeck_sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use tokio::sync::mpsc;

async fn pump_until(
    state: &mut State,
    rx: &mut mpsc::Receiver<Msg>,
    what: &str,
    done: impl Fn(&State) -> bool,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !done(state) {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for: {what}"))
            .expect("source alive");
        update(state, msg);
    }
}

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
    let _commands = docker::spawn(sim.docker_host(), tx);
    let mut state = State::new(Settings::default(), KeyMap::default());
    pump_until(&mut state, &mut rx, "first list", |s| {
        names(s).contains(&"before-restart".to_string())
    })
    .await;

    sim.shutdown().await;
    pump_until(&mut state, &mut rx, "reconnecting", |s| {
        matches!(s.docker.health, SourceHealth::Reconnecting { .. })
    })
    .await;
    let SourceHealth::Reconnecting { error, .. } = &state.docker.health else {
        unreachable!()
    };
    assert!(!error.is_empty(), "the error is shown");
    assert_eq!(
        names(&state),
        vec!["before-restart"],
        "last known state is kept"
    );
    assert!(state.docker.containers.error().is_some());

    let sim = DockerSim::start_on_port(Scenario::Empty, port)
        .await
        .expect("sim back");
    sim.add_container(ContainerSpec::new(
        "after-restart",
        "busybox",
        Behaviour::new(LogStyle::Worker, 1.0),
    ))
    .await;
    pump_until(&mut state, &mut rx, "reconnected with the new list", |s| {
        s.docker.health.is_connected() && names(s) == vec!["after-restart".to_string()]
    })
    .await;
    sim.shutdown().await;
}
