//! Stats and the event stream.

use super::*;

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
async fn idle_streams_answer_at_once_and_end_on_shutdown() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("start");
    // bollard's timeout covers the response head only: with 1 s, an idle
    // stream whose head was not sent at once would fail.
    let docker =
        match Docker::connect_with_http(&sim.docker_host(), 1, bollard::API_DEFAULT_VERSION) {
            Ok(d) => d,
            Err(e) => panic!("client: {e}"),
        };
    sim.add_container(bench_spec("idle", 0.0)).await;
    let mut events = docker.events(None);
    let first_event = tokio::spawn(async move { events.next().await.map(|r| r.map(|e| e.action)) });
    let follow = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(true)
        .tail("0")
        .build();
    let mut logs = docker.logs("idle", Some(follow));
    let lines = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(item) = logs.next().await {
            got.push(item.map(|o| text(&o)).map_err(|e| e.to_string()));
        }
        got
    });
    let mut stats = docker.stats(
        "idle",
        Some(StatsOptionsBuilder::new().stream(true).build()),
    );
    assert!(matches!(stats.next().await, Some(Ok(_))));
    eventually("both streams to open", || {
        let c = sim.counters();
        c.active_event_streams == 1 && c.active_log_follows == 1
    })
    .await;

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    sim.log_line("idle", LogStream::Stdout, "late line")
        .await
        .expect("log");
    sim.set_health("idle", HealthStatus::Healthy)
        .await
        .expect("health");
    let event = tokio::time::timeout(WAIT, first_event)
        .await
        .expect("timely")
        .expect("join");
    assert_eq!(
        event.map(|r| r.ok().flatten()),
        Some(Some("health_status: healthy".to_string()))
    );

    tokio::time::timeout(WAIT, sim.shutdown())
        .await
        .expect("shutdown does not hang on open streams");
    let lines = tokio::time::timeout(WAIT, lines)
        .await
        .expect("follow ends")
        .expect("join");
    assert_eq!(lines.first().cloned(), Some(Ok("late line\n".to_string())));
    let after = tokio::time::timeout(WAIT, async {
        while let Some(Ok(_)) = stats.next().await {}
    })
    .await;
    assert!(after.is_ok(), "the stats stream ends on shutdown");
}
