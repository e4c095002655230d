//! Images, volumes and networks: what opsdeck's views call, through bollard.

use bollard::query_parameters::{
    ListImagesOptions, ListNetworksOptions, ListVolumesOptions, PruneImagesOptions,
    PruneNetworksOptions, PruneVolumesOptions, RemoveImageOptions, RemoveVolumeOptions,
};

use super::*;

fn filter(key: &str, value: &str) -> Option<HashMap<String, Vec<String>>> {
    Some(HashMap::from([(key.to_string(), vec![value.to_string()])]))
}

#[tokio::test]
async fn images_list_remove_and_prune_with_their_events() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let since = (chrono::Utc::now().timestamp() - 1).to_string();
    let images = docker
        .list_images(Some(ListImagesOptions::default()))
        .await
        .expect("list");
    let dangling: Vec<_> = images.iter().filter(|i| i.repo_tags.is_empty()).collect();
    assert_eq!(dangling.len(), 1, "the demo's leftover build");
    let old = "ghcr.io/acme/shop-api:1.41.0";
    assert!(images.iter().any(|i| i.repo_tags.iter().any(|t| t == old)));

    // An image a container uses is refused without force, in the engine's words.
    let web_image = images
        .iter()
        .find(|i| i.repo_tags.iter().any(|t| t.starts_with("nginx")))
        .expect("the web container's image");
    let tag = web_image.repo_tags[0].clone();
    let refused = docker
        .remove_image(&tag, Some(RemoveImageOptions::default()), None)
        .await
        .map(|_| ());
    let (code, message) = server_error(refused);
    assert_eq!(code, 409);
    assert!(
        message.starts_with("conflict: unable to remove repository reference"),
        "{message}"
    );

    let answer = docker
        .remove_image(old, Some(RemoveImageOptions::default()), None)
        .await
        .expect("remove the unused tag");
    assert_eq!(
        answer.first().and_then(|a| a.untagged.as_deref()),
        Some(old)
    );
    assert!(answer.iter().any(|a| a.deleted.is_some()));
    let (code, _) = server_error(
        docker
            .remove_image(old, Some(RemoveImageOptions::default()), None)
            .await
            .map(|_| ()),
    );
    assert_eq!(code, 404);

    let pruned = docker
        .prune_images(Some(PruneImagesOptions {
            filters: filter("dangling", "true"),
        }))
        .await
        .expect("prune");
    assert_eq!(pruned.space_reclaimed, Some(187_400_000));
    assert_eq!(pruned.images_deleted.map(|d| d.len()), Some(1));

    let mut events = docker.events(Some(
        EventsOptionsBuilder::default()
            .since(&since)
            .until(&(chrono::Utc::now().timestamp() + 1).to_string())
            .filters(&HashMap::from([("type", vec!["image"])]))
            .build(),
    ));
    let mut actions = Vec::new();
    while let Some(Ok(ev)) = events.next().await {
        assert_eq!(ev.typ.map(|t| t.to_string()).as_deref(), Some("image"));
        actions.push(ev.action.unwrap_or_default());
    }
    assert_eq!(actions, ["untag", "delete", "delete"]);
}

#[tokio::test]
async fn volumes_and_networks_remove_and_prune() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let volumes = docker
        .list_volumes(Some(ListVolumesOptions::default()))
        .await
        .expect("list")
        .volumes
        .unwrap_or_default();
    assert_eq!(volumes.len(), 3);
    assert!(volumes.iter().all(|v| v.mountpoint.ends_with("/_data")));
    docker
        .remove_volume("ml-cache", Some(RemoveVolumeOptions::default()))
        .await
        .expect("remove");
    let (code, message) = server_error(
        docker
            .remove_volume("ml-cache", Some(RemoveVolumeOptions::default()))
            .await,
    );
    assert_eq!(
        (code, message.as_str()),
        (404, "get ml-cache: no such volume")
    );
    // Without `all`, only anonymous volumes go (API 1.42+).
    let anon = docker
        .prune_volumes(Some(PruneVolumesOptions { filters: None }))
        .await
        .expect("prune");
    assert_eq!(anon.volumes_deleted.map(|v| v.len()), Some(1));
    let all = docker
        .prune_volumes(Some(PruneVolumesOptions {
            filters: filter("all", "true"),
        }))
        .await
        .expect("prune all");
    assert_eq!(all.volumes_deleted, Some(vec!["shop_pgdata".to_string()]));

    let networks = docker
        .list_networks(Some(ListNetworksOptions::default()))
        .await
        .expect("list");
    let names: Vec<_> = networks.iter().filter_map(|n| n.name.clone()).collect();
    for n in ["bridge", "host", "none", "old-ci_default"] {
        assert!(names.iter().any(|have| have == n), "{n} in {names:?}");
    }
    let (code, _) = server_error(docker.remove_network("bridge").await);
    assert_eq!(code, 403);
    let in_use = names
        .iter()
        .find(|n| n.ends_with("_default") && *n != "old-ci_default")
        .expect("a compose network");
    let (code, message) = server_error(docker.remove_network(in_use).await);
    assert_eq!(code, 403);
    assert!(message.contains("active endpoints"), "{message}");
    let pruned = docker
        .prune_networks(Some(PruneNetworksOptions { filters: None }))
        .await
        .expect("prune");
    assert_eq!(
        pruned.networks_deleted,
        Some(vec!["old-ci_default".to_string()])
    );
}

/// What `i` and `:projects` read from the demo: each object inspected by
/// the real client, and the compose labels with their dependencies.
#[tokio::test]
async fn images_volumes_networks_inspect_and_compose_labels() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let image = docker
        .inspect_image("ghcr.io/acme/shop-api:3f2c1ab")
        .await
        .expect("image inspect");
    assert!(image.id.is_some_and(|id| id.starts_with("sha256:")));
    let missing = docker.inspect_image("nope:never").await;
    assert!(matches!(
        missing,
        Err(Error::DockerResponseServerError {
            status_code: 404,
            ..
        })
    ));
    let net = docker
        .inspect_network("shop_default", None)
        .await
        .expect("network inspect");
    let attached: Vec<String> = net
        .containers
        .unwrap_or_default()
        .values()
        .filter_map(|c| c.name.clone())
        .collect();
    assert!(attached.contains(&"shop-web-1".to_string()), "{attached:?}");
    let volumes = docker
        .list_volumes(Some(ListVolumesOptions::default()))
        .await
        .expect("list")
        .volumes
        .unwrap_or_default();
    let first = volumes.first().expect("the demo has volumes");
    let v = docker
        .inspect_volume(&first.name)
        .await
        .expect("volume inspect");
    assert_eq!(v.name, first.name);

    let api = docker
        .inspect_container("shop-api-1", None::<InspectContainerOptions>)
        .await
        .expect("inspect");
    let labels = api.config.and_then(|c| c.labels).unwrap_or_default();
    assert_eq!(
        labels
            .get("com.docker.compose.depends_on")
            .map(String::as_str),
        Some("db:service_started:false,cache:service_started:false")
    );
}
