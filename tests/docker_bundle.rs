//! A container's incident bundle, end to end against the simulated engine:
//! the source fetches the last log lines, `core::incident` writes the
//! Markdown, the kit's writer saves it and answers with `FileWritten`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::core::effect::DockerCommand;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceKind;
use opsdeck::core::triage::{Target, TriageItem};
use opsdeck::sources::docker;
use opsdeck_sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use tokio::sync::mpsc;

async fn next(rx: &mut mpsc::Receiver<Msg>, deadline: tokio::time::Instant) -> Msg {
    tokio::time::timeout_at(deadline, rx.recv())
        .await
        .expect("in time")
        .expect("source alive")
}

#[tokio::test]
async fn a_containers_bundle_holds_its_state_and_last_log_lines() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("sim");
    sim.add_container(ContainerSpec::new(
        "worker",
        "busybox",
        Behaviour::new(LogStyle::Worker, 50.0),
    ))
    .await;
    let (tx, mut rx) = mpsc::channel(256);
    let commands = docker::spawn(sim.docker_host(), tx);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let container = loop {
        if let Msg::Docker(opsdeck::core::msg::DockerEvent::Upsert(c)) =
            next(&mut rx, deadline).await
            && c.name == "worker"
        {
            break c;
        }
    };
    // Some log lines to bundle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("incident.md");
    let item = TriageItem {
        source: SourceKind::Docker,
        key: format!("docker:{}", container.id),
        what: "container worker".into(),
        location: sim.docker_host(),
        since: None,
        reason: "exited (1)".into(),
        target: Target::Container {
            id: container.id.clone(),
        },
        cause: None,
    };
    commands
        .send(DockerCommand::IncidentBundle {
            path: path.clone(),
            item: Box::new(item),
            container: Some(Box::new(container.clone())),
            tail: 20,
            timeline: "\n## Timeline: the 30 minutes before\n\n(test section)\n".into(),
        })
        .expect("source alive");
    let result = loop {
        if let Msg::FileWritten { path: p, result } = next(&mut rx, deadline).await {
            assert_eq!(p, path);
            break result;
        }
    };
    let lines = result.expect("written");
    assert!((1..=20).contains(&lines), "{lines} lines");
    let md = std::fs::read_to_string(&path).expect("the file");
    assert!(md.starts_with("# Incident: container worker\n"), "{md}");
    assert!(
        md.contains(&format!("| container id | `{}` |", container.id)),
        "{md}"
    );
    assert!(md.contains(&format!("## Last {lines} log lines")), "{md}");
    assert!(!md.contains('\u{1b}'), "no terminal escapes: {md}");
    assert!(
        md.ends_with("## Timeline: the 30 minutes before\n\n(test section)\n"),
        "the timeline section goes last: {md}"
    );
    sim.shutdown().await;
}
