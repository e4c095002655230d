//! Inspecting images, volumes and networks (containers are in
//! `containers.rs`). Shapes follow the Engine API reference, v1.53
//! (https://docs.docker.com/reference/api/engine/version/v1.53/):
//! `GET /images/{name}/json` (ImageInspect), `GET /volumes/{name}`
//! (VolumeInspect), `GET /networks/{id}` (NetworkInspect, whose
//! `Containers` lists the attached containers, unlike NetworkList).

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};

use super::api::{AppState, Ref};
use super::clock::rfc3339;
use super::object_store::network_id;
use super::world::ApiError;

/// `GET /images/{name}/json`: the route is `/images/{*id}` (a name may
/// hold slashes, `ghcr.io/acme/shop-api:3f2c1ab`), so the `/json` suffix
/// is taken off here; anything else under `/images/` is not a route.
pub(crate) async fn image(
    State(shared): State<AppState>,
    Ref(path): Ref,
) -> Result<Json<Value>, ApiError> {
    let Some(reference) = path.strip_suffix("/json") else {
        return Err(ApiError::new(
            404,
            format!("page not found: /images/{path}"),
        ));
    };
    let (world, _) = shared.world_now().await;
    let id = world
        .objects
        .find_image(reference)
        .ok_or_else(|| ApiError::new(404, format!("No such image: {reference}")))?;
    let Some(i) = world.objects.images.get(&id) else {
        return Err(ApiError::new(404, format!("No such image: {reference}")));
    };
    Ok(Json(json!({
        "Id": id,
        "RepoTags": i.tags,
        "RepoDigests": [],
        "Parent": "",
        "Comment": "",
        "Created": rfc3339(i.created),
        "Author": "",
        "Config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Labels": {}
        },
        "Architecture": "amd64",
        "Os": "linux",
        "Size": i.size,
        "RootFS": {"Type": "layers", "Layers": []},
        "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"}
    })))
}

pub(crate) async fn volume(
    State(shared): State<AppState>,
    Ref(name): Ref,
) -> Result<Json<Value>, ApiError> {
    let (world, _) = shared.world_now().await;
    let v = world
        .objects
        .volumes
        .get(&name)
        .ok_or_else(|| ApiError::new(404, format!("get {name}: no such volume")))?;
    Ok(Json(json!({
        "Name": name,
        "Driver": v.driver,
        "Mountpoint": format!("/var/lib/docker/volumes/{name}/_data"),
        "CreatedAt": rfc3339(v.created),
        "Labels": v.labels,
        "Scope": "local",
        "Options": {}
    })))
}

pub(crate) async fn network(
    State(shared): State<AppState>,
    Ref(reference): Ref,
) -> Result<Json<Value>, ApiError> {
    let (world, _) = shared.world_now().await;
    let id = world
        .objects
        .find_network(&reference)
        .ok_or_else(|| ApiError::new(404, format!("network {reference} not found")))?;
    let Some(n) = world.objects.networks.get(&id) else {
        return Err(ApiError::new(404, format!("network {reference} not found")));
    };
    // Attached: a compose project's containers to `<project>_default`,
    // the others to `bridge` (as `render::network_name` places them).
    let mut attached = Map::new();
    for c in &world.containers {
        let net = match c.spec.labels.get("com.docker.compose.project") {
            Some(p) => format!("{p}_default"),
            None => "bridge".to_string(),
        };
        if network_id(&net) == id {
            attached.insert(
                c.id.clone(),
                json!({"Name": c.name, "IPv4Address": format!("{}/16", c.ip), "IPv6Address": ""}),
            );
        }
    }
    Ok(Json(json!({
        "Name": n.name, "Id": id, "Created": rfc3339(n.created),
        "Scope": "local", "Driver": n.driver, "EnableIPv6": false,
        "Internal": false, "Attachable": false, "Ingress": false,
        "IPAM": {"Driver": "default", "Config": []},
        "Containers": attached, "Options": {}, "Labels": {}
    })))
}
