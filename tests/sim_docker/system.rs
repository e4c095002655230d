//! Engine identity, version prefixes, listing and inspecting.

use super::*;

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
