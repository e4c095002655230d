//! The Docker simulator, driven by the real bollard client.

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
use opsdeck::sim::docker::{
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

#[tokio::test]
async fn ping_version_and_prefixes() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    assert_eq!(docker.ping().await.expect("ping"), "OK");
    let v = docker.version().await.expect("version");
    assert_eq!(v.api_version.as_deref(), Some("1.53"));
    assert_eq!(v.min_api_version.as_deref(), Some("1.24"));
    let docker = docker.negotiate_version().await.expect("negotiate");
    assert_eq!(docker.client_version().to_string(), "1.53");
    let info = docker.info().await.expect("info");
    assert_eq!(info.containers, Some(11));
    assert_eq!(info.containers_stopped, Some(2));

    let (code, headers, body) = raw(&sim, "GET", "/_ping").await;
    assert_eq!((code, body.as_str()), (200, "OK"));
    assert_eq!(headers.get("api-version").map(String::as_str), Some("1.53"));
    let (code, _, _) = raw(&sim, "HEAD", "/v1.45/_ping").await;
    assert_eq!(code, 200);
    let (code, _, body) = raw(&sim, "GET", "/v1.99/version").await;
    assert_eq!(code, 400);
    assert!(body.contains("too new"), "{body}");
    let (code, _, body) = raw(&sim, "GET", "/nothing/here/at/all").await;
    assert_eq!(
        (code, body.as_str()),
        (404, r#"{"message":"page not found"}"#)
    );
    let (code, _, body) = raw(&sim, "GET", "/containers/json?all=1").await;
    assert_eq!(code, 200);
    assert_eq!(body.matches("\"Id\"").count(), 11);
    sim.shutdown().await;
}

#[tokio::test]
async fn list_with_all_and_filters() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    assert_eq!(names(&docker, false, &[]).await.len(), 9);
    assert_eq!(names(&docker, true, &[]).await.len(), 11);
    assert_eq!(
        names(
            &docker,
            true,
            &[("label", "com.docker.compose.project=shop")]
        )
        .await,
        [
            "/shop-api-1",
            "/shop-cache-1",
            "/shop-db-1",
            "/shop-web-1",
            "/shop-worker-1"
        ]
    );
    assert_eq!(
        names(
            &docker,
            true,
            &[
                ("label", "com.docker.compose.project=shop"),
                ("label", "org.opencontainers.image.revision")
            ]
        )
        .await,
        ["/shop-api-1"]
    );
    assert_eq!(
        names(&docker, false, &[("status", "exited")]).await,
        ["/ml-train", "/nightly-backup"]
    );
    assert_eq!(
        names(&docker, true, &[("name", "grafana")]).await,
        ["/monitoring-grafana-1"]
    );
    let web_id = sim.container_id("shop-web-1").await.expect("web");
    assert_eq!(
        names(&docker, true, &[("id", &web_id[..10])]).await,
        ["/shop-web-1"]
    );

    let opts = ListContainersOptionsBuilder::new().all(true).build();
    let list = docker.list_containers(Some(opts)).await.expect("list");
    let web = list
        .iter()
        .find(|c| c.names.as_deref() == Some(&["/shop-web-1".to_string()]))
        .expect("web listed");
    assert_eq!(web.image.as_deref(), Some("nginx:1.27-alpine"));
    assert_eq!(web.status.as_deref(), Some("Up 3 hours (healthy)"));
    let public: Vec<u16> = web
        .ports
        .iter()
        .flatten()
        .filter_map(|p| p.public_port)
        .collect();
    assert_eq!(public, [8080, 8080]);
    let labels = web.labels.clone().unwrap_or_default();
    assert_eq!(
        labels.get("com.docker.compose.service").map(String::as_str),
        Some("web")
    );
    let train = list
        .iter()
        .find(|c| c.names.as_deref() == Some(&["/ml-train".to_string()]))
        .expect("ml-train listed");
    assert_eq!(train.status.as_deref(), Some("Exited (137) 25 minutes ago"));

    let bad = docker
        .list_containers(Some(
            ListContainersOptionsBuilder::new()
                .filters(&HashMap::from([("colour", vec!["red"])]))
                .build(),
        ))
        .await;
    assert!(matches!(
        bad,
        Err(Error::DockerResponseServerError {
            status_code: 400,
            ..
        })
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn inspect_shows_state_config_and_ports() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let api = inspect(&docker, "shop-api-1").await;
    assert_eq!(api.name.as_deref(), Some("/shop-api-1"));
    let config = api.config.clone().unwrap_or_default();
    assert_eq!(
        config.image.as_deref(),
        Some("ghcr.io/acme/shop-api:3f2c1ab")
    );
    let labels = config.labels.unwrap_or_default();
    assert_eq!(
        labels
            .get("org.opencontainers.image.revision")
            .map(String::as_str),
        Some("3f2c1ab9e04d5b7a8c61f2e3d4b5a6c7d8e9f012")
    );
    assert_eq!(
        labels.get("com.docker.compose.project").map(String::as_str),
        Some("shop")
    );
    let state = api.state.clone().unwrap_or_default();
    assert_eq!(state.running, Some(true));
    assert_eq!(
        state.health.and_then(|h| h.status),
        Some(HealthStatusEnum::HEALTHY)
    );
    assert_eq!(state.finished_at.as_deref(), Some("0001-01-01T00:00:00Z"));
    let ports = api
        .network_settings
        .and_then(|n| n.ports)
        .unwrap_or_default();
    let host_ports: Vec<String> = ports
        .get("8080/tcp")
        .cloned()
        .flatten()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|b| b.host_port)
        .collect();
    assert_eq!(host_ports, ["8081", "8081"]);

    let worker = inspect(&docker, "shop-worker-1").await;
    assert_eq!(worker.restart_count, Some(6));
    let train = inspect(&docker, "ml-train").await;
    let ts = train.state.unwrap_or_default();
    assert_eq!(
        (ts.status, ts.exit_code, ts.oom_killed),
        (
            Some(ContainerStateStatusEnum::EXITED),
            Some(137),
            Some(true)
        )
    );
    let backup = inspect(&docker, "nightly-backup").await;
    assert_eq!(backup.state.and_then(|s| s.exit_code), Some(0));

    let id = api.id.clone().expect("id");
    assert_eq!(id.len(), 64);
    assert_eq!(inspect(&docker, &id[..12]).await.id, Some(id));
    let missing = docker
        .inspect_container("ghost", None::<InspectContainerOptions>)
        .await
        .map(|_| ());
    assert_eq!(
        server_error(missing),
        (404, "No such container: ghost".to_string())
    );
    sim.shutdown().await;
}

fn bench_spec(name: &str, rate: f64) -> ContainerSpec {
    ContainerSpec::new(
        name,
        "ghcr.io/acme/bench:1a2b3c4",
        Behaviour::new(LogStyle::Bench, rate),
    )
}

#[tokio::test]
async fn logs_tail_streams_and_timestamps() {
    let sim = DockerSim::start_manual(Scenario::Empty)
        .await
        .expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("chatty", 10.0)).await;
    sim.advance(Duration::from_secs(2)).await;
    sim.log_line("chatty", LogStream::Stderr, "boom: disk full")
        .await
        .expect("log");

    let all_opts = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
    let all: Vec<LogOutput> = docker
        .logs("chatty", Some(all_opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    // The start banner, 20 generated lines (10/s for 2 s), the injected one.
    assert_eq!(all.len(), 22);
    assert_eq!(text(&all[0]), "bench container started\n");
    assert!(matches!(all.last(), Some(LogOutput::StdErr { .. })));
    assert_eq!(all.last().map(text).as_deref(), Some("boom: disk full\n"));
    for out in &all[1..21] {
        match out {
            LogOutput::StdOut { message } => {
                assert!(String::from_utf8_lossy(message).contains("level=info"))
            }
            LogOutput::StdErr { message } => {
                assert!(String::from_utf8_lossy(message).contains("level=error"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(all.iter().any(|o| matches!(o, LogOutput::StdErr { .. })));

    let tail = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("5")
        .timestamps(true)
        .build();
    let tail: Vec<LogOutput> = docker
        .logs("chatty", Some(tail))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert_eq!(tail.len(), 5);
    for out in &tail {
        let line = text(out);
        let (stamp, rest) = line.split_once(' ').expect("timestamp prefix");
        assert_eq!(stamp.len(), 30, "{stamp}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
        assert!(!rest.is_empty());
    }

    let only_out = LogsOptionsBuilder::new().stdout(true).build();
    let only_out: Vec<LogOutput> = docker
        .logs("chatty", Some(only_out))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert!(
        only_out
            .iter()
            .all(|o| matches!(o, LogOutput::StdOut { .. }))
    );
    let errs = all
        .iter()
        .filter(|o| matches!(o, LogOutput::StdErr { .. }))
        .count();
    assert_eq!(only_out.len(), all.len() - errs);

    let neither = docker
        .logs("chatty", Some(LogsOptionsBuilder::new().build()))
        .next()
        .await;
    assert!(matches!(
        neither,
        Some(Err(Error::DockerResponseServerError {
            status_code: 400,
            ..
        }))
    ));
    let ghost = docker
        .logs(
            "ghost",
            Some(LogsOptionsBuilder::new().stdout(true).build()),
        )
        .next()
        .await;
    assert!(matches!(
        ghost,
        Some(Err(Error::DockerResponseServerError {
            status_code: 404,
            ..
        }))
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn follow_receives_new_lines_and_ends_when_the_container_stops() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("quiet", 0.0)).await;
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(true)
        .tail("0")
        .build();
    let mut stream = docker.logs("quiet", Some(opts));
    let first = tokio::spawn(async move {
        let item = stream.next().await;
        (item, stream)
    });
    eventually("the follow to start", || {
        sim.counters().active_log_follows == 1
    })
    .await;
    sim.log_line("quiet", LogStream::Stdout, "hello from stdout")
        .await
        .expect("log");
    let (item, mut stream) = tokio::time::timeout(WAIT, first)
        .await
        .expect("timely")
        .expect("join");
    match item {
        Some(Ok(LogOutput::StdOut { message })) => assert_eq!(&message[..], b"hello from stdout\n"),
        other => panic!("unexpected {other:?}"),
    }
    sim.log_line("quiet", LogStream::Stderr, "and stderr")
        .await
        .expect("log");
    let next = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("timely");
    assert!(matches!(next, Some(Ok(LogOutput::StdErr { .. }))));

    docker
        .stop_container("quiet", None::<StopContainerOptions>)
        .await
        .expect("stop");
    let rest: Vec<String> = tokio::time::timeout(
        WAIT,
        stream.map(|r| text(&r.expect("line"))).collect::<Vec<_>>(),
    )
    .await
    .expect("the stream ends after the stop");
    assert_eq!(rest, ["received SIGTERM, shutting down\n"]);
    eventually("the follow counter to drop", || {
        sim.counters().active_log_follows == 0
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn tty_logs_are_a_raw_stream() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("3")
        .build();
    let out: Vec<LogOutput> = docker
        .logs("devbox", Some(opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert_eq!(out.len(), 3);
    assert!(
        out.iter().all(|o| matches!(o, LogOutput::Console { .. })),
        "{out:?}"
    );
    assert!(out.iter().all(|o| text(o).ends_with('\n')));
    sim.shutdown().await;
}

#[tokio::test]
async fn stats_one_shot_and_stream() {
    let sim = DockerSim::start(Scenario::Demo).await.expect("start");
    let docker = client(&sim);
    let once = StatsOptionsBuilder::new().stream(false).build();
    let s = docker
        .stats("shop-api-1", Some(once))
        .next()
        .await
        .expect("sample")
        .expect("ok");
    assert_eq!(s.name.as_deref(), Some("/shop-api-1"));
    let cpu = s.cpu_stats.clone().unwrap_or_default();
    let pre = s.precpu_stats.clone().unwrap_or_default();
    assert_eq!(cpu.online_cpus, Some(4));
    let used = |c: &bollard::models::ContainerCpuStats| {
        c.cpu_usage
            .as_ref()
            .and_then(|u| u.total_usage)
            .unwrap_or(0)
    };
    let d_cpu = used(&cpu) as f64 - used(&pre) as f64;
    let d_sys = cpu.system_cpu_usage.unwrap_or(0) as f64 - pre.system_cpu_usage.unwrap_or(0) as f64;
    let percent = d_cpu / d_sys * 4.0 * 100.0;
    // The API averages a quarter of a core, ±35%.
    assert!((10.0..40.0).contains(&percent), "{percent}");
    let mem = s.memory_stats.unwrap_or_default();
    assert!(mem.usage.unwrap_or(0) > 100 * 1024 * 1024);
    assert_eq!(mem.limit, Some(16 * 1024 * 1024 * 1024));

    let stream = StatsOptionsBuilder::new().stream(true).build();
    let mut samples = docker.stats("shop-cache-1", Some(stream));
    let first = samples.next().await.expect("first").expect("ok");
    assert_eq!(first.precpu_stats.and_then(|p| p.system_cpu_usage), None);
    assert_eq!(
        first.memory_stats.and_then(|m| m.limit),
        Some(256 * 1024 * 1024)
    );
    assert_eq!(sim.active_stats_streams(), 1);
    let second = tokio::time::timeout(WAIT, samples.next())
        .await
        .expect("timely")
        .expect("second")
        .expect("ok");
    let pre = second.precpu_stats.unwrap_or_default();
    assert!(
        pre.system_cpu_usage.unwrap_or(0)
            < second
                .cpu_stats
                .unwrap_or_default()
                .system_cpu_usage
                .unwrap_or(0)
    );
    drop(samples);
    assert_eq!(sim.stats_requests(), 2);
    eventually("the stats stream to close", || {
        sim.active_stats_streams() == 0
    })
    .await;

    let exited = StatsOptionsBuilder::new().stream(false).build();
    let s = docker
        .stats("ml-train", Some(exited))
        .next()
        .await
        .expect("sample")
        .expect("ok");
    assert_eq!(s.read.as_deref(), Some("0001-01-01T00:00:00Z"));
    sim.shutdown().await;
}

async fn collect_events(
    docker: &Docker,
    until_action: &'static str,
) -> tokio::task::JoinHandle<Vec<EventMessage>> {
    let mut stream = docker.events(None);
    tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(Ok(e)) = stream.next().await {
            let done = e.action.as_deref() == Some(until_action);
            seen.push(e);
            if done {
                break;
            }
        }
        seen
    })
}

#[tokio::test]
async fn events_follow_lifecycle_calls() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("ev", 1.0).label("team", "payments"))
        .await;
    let events = collect_events(&docker, "destroy").await;
    eventually("the event stream to open", || {
        sim.counters().active_event_streams == 1
    })
    .await;

    docker
        .stop_container("ev", None::<StopContainerOptions>)
        .await
        .expect("stop");
    docker.start_container("ev", None).await.expect("start");
    let rm = RemoveContainerOptionsBuilder::new().force(true).build();
    docker
        .remove_container("ev", Some(rm))
        .await
        .expect("remove");

    let seen = tokio::time::timeout(WAIT, events)
        .await
        .expect("timely")
        .expect("join");
    let actions: Vec<&str> = seen.iter().filter_map(|e| e.action.as_deref()).collect();
    assert_eq!(
        actions,
        ["kill", "die", "stop", "start", "kill", "die", "destroy"]
    );
    let attr = |i: usize, k: &str| {
        seen[i]
            .actor
            .as_ref()
            .and_then(|a| a.attributes.as_ref())
            .and_then(|a| a.get(k).cloned())
    };
    assert_eq!(attr(0, "signal").as_deref(), Some("15"));
    assert_eq!(attr(1, "exitCode").as_deref(), Some("0"));
    assert_eq!(attr(5, "exitCode").as_deref(), Some("137"));
    assert_eq!(attr(6, "name").as_deref(), Some("ev"));
    assert_eq!(attr(6, "team").as_deref(), Some("payments"));
    assert!(seen.iter().all(|e| e.time.unwrap_or(0) > 1_600_000_000));

    // Replay with since/until: the stream ends by itself.
    let now = chrono::Utc::now().timestamp();
    let opts = EventsOptionsBuilder::new()
        .since(&(now - 3600).to_string())
        .until(&(now + 1).to_string())
        .filters(&HashMap::from([("event", vec!["die"])]))
        .build();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let replay: Vec<EventMessage> = tokio::time::timeout(
        WAIT,
        docker
            .events(Some(opts))
            .map(|e| e.expect("event"))
            .collect(),
    )
    .await
    .expect("ends");
    assert_eq!(replay.len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn lifecycle_calls_and_their_error_codes() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);

    docker
        .stop_container("shop-web-1", None::<StopContainerOptions>)
        .await
        .expect("stop");
    let web = inspect(&docker, "shop-web-1").await;
    assert_eq!(status(&web), Some(ContainerStateStatusEnum::EXITED));
    assert_eq!(web.state.and_then(|s| s.exit_code), Some(0));
    assert_eq!(
        raw(&sim, "POST", "/v1.53/containers/shop-web-1/stop")
            .await
            .0,
        304
    );
    docker
        .start_container("shop-web-1", None)
        .await
        .expect("start");
    assert_eq!(
        status(&inspect(&docker, "shop-web-1").await),
        Some(ContainerStateStatusEnum::RUNNING)
    );
    assert_eq!(
        raw(&sim, "POST", "/containers/shop-web-1/start").await.0,
        304
    );

    docker.pause_container("shop-api-1").await.expect("pause");
    assert_eq!(
        status(&inspect(&docker, "shop-api-1").await),
        Some(ContainerStateStatusEnum::PAUSED)
    );
    let (code, msg) = server_error(docker.pause_container("shop-api-1").await);
    assert_eq!(code, 409);
    assert!(msg.ends_with("is already paused"), "{msg}");
    let (code, msg) = server_error(docker.remove_container("shop-api-1", None).await);
    assert_eq!(
        (code, msg.as_str()),
        (
            409,
            "cannot remove container \"/shop-api-1\": container is paused and must be unpaused first"
        )
    );
    docker
        .unpause_container("shop-api-1")
        .await
        .expect("unpause");
    let (code, msg) = server_error(docker.unpause_container("shop-api-1").await);
    assert_eq!(code, 409);
    assert!(msg.ends_with("is not paused"), "{msg}");

    let (code, msg) = server_error(docker.pause_container("ml-train").await);
    assert_eq!(code, 409);
    assert!(msg.ends_with("is not running"), "{msg}");
    let (code, _) = server_error(docker.kill_container("nightly-backup", None).await);
    assert_eq!(code, 409);
    let bad_signal = KillContainerOptionsBuilder::new().signal("SIGNOPE").build();
    assert_eq!(
        server_error(docker.kill_container("shop-web-1", Some(bad_signal)).await).0,
        400
    );

    let (code, msg) = server_error(docker.remove_container("shop-db-1", None).await);
    assert_eq!(code, 409);
    assert!(msg.contains("container is running"), "{msg}");
    let force = RemoveContainerOptionsBuilder::new().force(true).build();
    docker
        .remove_container("shop-db-1", Some(force))
        .await
        .expect("force remove");
    let gone = docker
        .inspect_container("shop-db-1", None::<InspectContainerOptions>)
        .await
        .map(|_| ());
    assert_eq!(server_error(gone).0, 404);
    docker
        .remove_container("nightly-backup", None)
        .await
        .expect("remove exited");
    assert_eq!(
        server_error(docker.start_container("ghost", None).await),
        (404, "No such container: ghost".into())
    );

    // SIGHUP is handled (nginx reloads); SIGKILL kills and, being a user's
    // action, is not undone by the restart policy.
    let hup = KillContainerOptionsBuilder::new().signal("SIGHUP").build();
    docker
        .kill_container("shop-cache-1", Some(hup))
        .await
        .expect("hup");
    assert_eq!(
        status(&inspect(&docker, "shop-cache-1").await),
        Some(ContainerStateStatusEnum::RUNNING)
    );
    docker
        .kill_container("shop-cache-1", None)
        .await
        .expect("kill");
    sim.advance(Duration::from_secs(10)).await;
    let cache = inspect(&docker, "shop-cache-1").await;
    assert_eq!(status(&cache), Some(ContainerStateStatusEnum::EXITED));
    assert_eq!(cache.state.and_then(|s| s.exit_code), Some(137));

    docker
        .restart_container("shop-worker-1", None)
        .await
        .expect("restart");
    let worker = inspect(&docker, "shop-worker-1").await;
    assert_eq!(
        (status(&worker), worker.restart_count),
        (Some(ContainerStateStatusEnum::RUNNING), Some(0))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn crash_loops_restart_policies_and_health() {
    let sim = DockerSim::start_manual(Scenario::Empty)
        .await
        .expect("start");
    let docker = client(&sim);
    let crashy = Behaviour {
        crash: Some(Crash {
            after: Duration::from_secs(5),
            exit_code: 3,
            oom: false,
        }),
        restart_delay: Duration::from_secs(2),
        ..Behaviour::new(LogStyle::Worker, 1.0)
    };
    sim.add_container(bench_spec("loop", 1.0).restart(RestartPolicy::Always))
        .await;
    sim.add_container(
        ContainerSpec {
            behaviour: crashy.clone(),
            ..bench_spec("crashy", 1.0)
        }
        .restart(RestartPolicy::Always),
    )
    .await;
    sim.add_container(
        ContainerSpec {
            behaviour: crashy,
            ..bench_spec("once", 1.0)
        }
        .restart(RestartPolicy::OnFailure { max_retries: 1 }),
    )
    .await;

    sim.advance(Duration::from_millis(5_100)).await;
    let c = inspect(&docker, "crashy").await;
    let st = c.state.clone().unwrap_or_default();
    assert_eq!(
        (st.status, st.exit_code, st.running, st.restarting),
        (
            Some(ContainerStateStatusEnum::RESTARTING),
            Some(3),
            Some(true),
            Some(true)
        )
    );
    let listed = names(&docker, false, &[("status", "restarting")]).await;
    assert_eq!(listed, ["/crashy", "/once"]);

    sim.advance(Duration::from_secs(2)).await;
    let c = inspect(&docker, "crashy").await;
    assert_eq!(
        (status(&c), c.restart_count),
        (Some(ContainerStateStatusEnum::RUNNING), Some(1))
    );
    sim.advance(Duration::from_secs(7)).await;
    assert_eq!(inspect(&docker, "crashy").await.restart_count, Some(2));
    let once = inspect(&docker, "once").await;
    assert_eq!(
        (status(&once), once.restart_count),
        (Some(ContainerStateStatusEnum::EXITED), Some(1))
    );

    sim.oom_kill("loop").await.expect("oom");
    let l = inspect(&docker, "loop").await.state.unwrap_or_default();
    assert_eq!(
        (l.oom_killed, l.exit_code, l.status),
        (
            Some(true),
            Some(137),
            Some(ContainerStateStatusEnum::RESTARTING)
        )
    );
    sim.advance(Duration::from_secs(2)).await;
    let l = inspect(&docker, "loop").await;
    assert_eq!(
        (status(&l), l.restart_count),
        (Some(ContainerStateStatusEnum::RUNNING), Some(1))
    );
    assert_eq!(l.state.and_then(|s| s.oom_killed), Some(false));

    let flappy = Behaviour {
        health: Some(HealthCycle {
            starting_for: Duration::from_secs(1),
            healthy_for: Some(Duration::from_secs(3)),
            unhealthy_for: Duration::from_secs(2),
        }),
        ..Behaviour::new(LogStyle::JsonApi, 0.0)
    };
    sim.add_container(ContainerSpec {
        behaviour: flappy,
        ..bench_spec("flappy", 0.0)
    })
    .await;
    let health = |i: bollard::models::ContainerInspectResponse| {
        i.state.and_then(|s| s.health).and_then(|h| h.status)
    };
    assert_eq!(
        health(inspect(&docker, "flappy").await),
        Some(HealthStatusEnum::STARTING)
    );
    sim.advance(Duration::from_millis(1_050)).await;
    assert_eq!(
        health(inspect(&docker, "flappy").await),
        Some(HealthStatusEnum::HEALTHY)
    );
    sim.advance(Duration::from_secs(3)).await;
    assert_eq!(
        health(inspect(&docker, "flappy").await),
        Some(HealthStatusEnum::UNHEALTHY)
    );
    assert_eq!(
        names(&docker, false, &[("health", "unhealthy")]).await,
        ["/flappy"]
    );
    sim.advance(Duration::from_secs(2)).await;
    assert_eq!(
        health(inspect(&docker, "flappy").await),
        Some(HealthStatusEnum::HEALTHY)
    );
    sim.set_health("flappy", HealthStatus::Unhealthy)
        .await
        .expect("set");
    assert_eq!(
        health(inspect(&docker, "flappy").await),
        Some(HealthStatusEnum::UNHEALTHY)
    );

    let since = (chrono::Utc::now().timestamp() - 60).to_string();
    let until = (chrono::Utc::now().timestamp() + 120).to_string();
    let opts = EventsOptionsBuilder::new()
        .since(&since)
        .until(&until)
        .filters(&HashMap::from([
            ("container", vec!["flappy"]),
            ("event", vec!["health_status"]),
        ]))
        .build();
    let mut stream = docker.events(Some(opts));
    let mut flips = Vec::new();
    while flips.len() < 4 {
        let e = tokio::time::timeout(WAIT, stream.next())
            .await
            .expect("timely")
            .expect("event")
            .expect("ok");
        flips.push(e.action.unwrap_or_default());
    }
    assert_eq!(
        flips,
        [
            "health_status: healthy",
            "health_status: unhealthy",
            "health_status: healthy",
            "health_status: unhealthy"
        ]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demo_moves_on_its_own() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    // The worker dies 13 s in and is back 5 s later; the cache hits its
    // memory limit 40 s in.
    sim.advance(Duration::from_secs(14)).await;
    let worker = inspect(&docker, "shop-worker-1").await;
    assert_eq!(status(&worker), Some(ContainerStateStatusEnum::RESTARTING));
    assert_eq!(worker.state.and_then(|s| s.exit_code), Some(1));
    sim.advance(Duration::from_secs(5)).await;
    let worker = inspect(&docker, "shop-worker-1").await;
    assert_eq!(
        (status(&worker), worker.restart_count),
        (Some(ContainerStateStatusEnum::RUNNING), Some(7))
    );
    // The API turns unhealthy 25 s in, healthy again 15 s later.
    sim.advance(Duration::from_secs(7)).await;
    let api = inspect(&docker, "shop-api-1").await;
    assert_eq!(
        api.state.and_then(|s| s.health).and_then(|h| h.status),
        Some(HealthStatusEnum::UNHEALTHY)
    );
    sim.advance(Duration::from_secs(15)).await;
    let cache = inspect(&docker, "shop-cache-1")
        .await
        .state
        .unwrap_or_default();
    assert_eq!((cache.oom_killed, cache.exit_code), (Some(true), Some(137)));
    let api = inspect(&docker, "shop-api-1").await;
    assert_eq!(
        api.state.and_then(|s| s.health).and_then(|h| h.status),
        Some(HealthStatusEnum::HEALTHY)
    );

    let opts = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
    let lines: Vec<LogOutput> = docker
        .logs("shop-worker-1", Some(opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    let stderr: Vec<String> = lines
        .iter()
        .filter(|o| matches!(o, LogOutput::StdErr { .. }))
        .map(text)
        .collect();
    assert!(
        stderr
            .iter()
            .any(|l| l.starts_with("thread 'main' panicked")),
        "{stderr:?}"
    );
    assert!(lines.iter().any(|o| text(o).contains("\x1b[32m INFO")));
    sim.shutdown().await;
}

#[tokio::test]
async fn scale_world_is_cheap_and_follows_fast() {
    let sim = DockerSim::start(Scenario::Scale {
        running: 50,
        exited: 5,
        lines_per_sec: 5,
    })
    .await
    .expect("start");
    let docker = client(&sim);
    assert_eq!(names(&docker, true, &[]).await.len(), 55);
    assert_eq!(names(&docker, false, &[]).await.len(), 50);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("all")
        .build();
    let lines: Vec<LogOutput> = docker
        .logs("bench-0007", Some(opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    // 67 s up at 5 lines/s, plus the start banner.
    assert!(lines.len() >= 335, "{}", lines.len());
    sim.shutdown().await;

    let sim = DockerSim::start(Scenario::Scale {
        running: 1,
        exited: 0,
        lines_per_sec: 1000,
    })
    .await
    .expect("start");
    let docker = client(&sim);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(true)
        .tail("0")
        .build();
    let mut stream = docker.logs("bench-0000", Some(opts));
    let mut n = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while n < 1000 && tokio::time::Instant::now() < deadline {
        if let Ok(Some(Ok(_))) = tokio::time::timeout(Duration::from_secs(1), stream.next()).await {
            n += 1;
        }
    }
    assert!(n >= 1000, "followed only {n} lines");
    sim.shutdown().await;
}
