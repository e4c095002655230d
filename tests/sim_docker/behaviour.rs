//! Lifecycle calls and behaviour over (manual) time.

use super::*;

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
