//! The Docker simulator, driven by the real bollard client.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::errors::Error;
use bollard::models::{ContainerStateStatusEnum, EventMessage, HealthStatusEnum};
use bollard::query_parameters::{
    EventsOptionsBuilder, InspectContainerOptions, KillContainerOptionsBuilder,
    ListContainersOptionsBuilder, LogsOptionsBuilder, RemoveContainerOptionsBuilder,
    StatsOptionsBuilder, StopContainerOptions,
};
use futures::StreamExt;
use opsdeck_sim::docker::{
    Behaviour, ContainerSpec, Crash, DockerSim, HealthCycle, HealthStatus, LogStream, LogStyle,
    RestartPolicy, Scenario,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WAIT: Duration = Duration::from_secs(10);

fn client(sim: &DockerSim) -> Docker {
    match Docker::connect_with_http(&sim.docker_host(), 30, bollard::API_DEFAULT_VERSION) {
        Ok(d) => d,
        Err(e) => panic!("client: {e}"),
    }
}

fn server_error(r: Result<(), Error>) -> (u16, String) {
    match r {
        Err(Error::DockerResponseServerError {
            status_code,
            message,
        }) => (status_code, message),
        other => panic!("expected a server error, got {other:?}"),
    }
}

/// A request outside bollard, to see status codes it hides (304) and paths
/// it never sends (no version prefix).
async fn raw(sim: &DockerSim, method: &str, path: &str) -> (u16, HashMap<String, String>, String) {
    let mut s = tokio::net::TcpStream::connect(sim.addr())
        .await
        .expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    tokio::time::timeout(WAIT, s.read_to_end(&mut buf))
        .await
        .expect("timely")
        .expect("read");
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, body.to_string())
}

async fn inspect(docker: &Docker, name: &str) -> bollard::models::ContainerInspectResponse {
    docker
        .inspect_container(name, None::<InspectContainerOptions>)
        .await
        .unwrap_or_else(|e| panic!("inspect {name}: {e}"))
}

fn status(i: &bollard::models::ContainerInspectResponse) -> Option<ContainerStateStatusEnum> {
    i.state.as_ref().and_then(|s| s.status)
}

async fn names(docker: &Docker, all: bool, filters: &[(&str, &str)]) -> Vec<String> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in filters {
        map.entry(k).or_default().push(v);
    }
    let opts = ListContainersOptionsBuilder::new()
        .all(all)
        .filters(&map)
        .build();
    let list = docker.list_containers(Some(opts)).await.expect("list");
    let mut names: Vec<String> = list
        .iter()
        .filter_map(|c| c.names.as_ref()?.first().cloned())
        .collect();
    names.sort();
    names
}

fn text(out: &LogOutput) -> String {
    String::from_utf8_lossy(&out.clone().into_bytes()).to_string()
}

async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn bench_spec(name: &str, rate: f64) -> ContainerSpec {
    ContainerSpec::new(
        name,
        "ghcr.io/acme/bench:1a2b3c4",
        Behaviour::new(LogStyle::Bench, rate),
    )
}

#[path = "sim_docker/behaviour.rs"]
mod behaviour;
#[path = "sim_docker/logs.rs"]
mod logs;
#[path = "sim_docker/objects.rs"]
mod objects;
#[path = "sim_docker/streams.rs"]
mod streams;
#[path = "sim_docker/system.rs"]
mod system;
