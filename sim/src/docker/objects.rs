//! Images, volumes and networks: list, remove, prune, and their events.
//!
//! Shapes and status codes follow the Engine API reference, v1.53
//! (https://docs.docker.com/reference/api/engine/version/v1.53/):
//! `GET /images/json` (ImageList), `DELETE /images/{name}` (ImageDelete),
//! `POST /images/prune` (ImagePrune), `GET /volumes` (VolumeList),
//! `DELETE /volumes/{name}` (VolumeDelete), `POST /volumes/prune`
//! (VolumePrune), `GET /networks` (NetworkList), `DELETE /networks/{id}`
//! (NetworkDelete), `POST /networks/prune` (NetworkPrune). Event types and
//! actions per object are those of `GET /events` (SystemEvents).
//!
//! Containers register the image and the compose network they use when
//! created, so the lists always hold what the containers refer to.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api::{AppState, Query, Ref, bool_value};
use super::clock::{SEC, rfc3339};
use super::filters;
use super::object_store::{PREDEFINED, SimImage, SimVolume, full_tag, network_id};
use super::world::{ApiError, World};

/// Names of the containers (any state) created from each image id.
fn image_users(w: &World) -> BTreeMap<String, Vec<String>> {
    let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &w.containers {
        m.entry(c.image_id.clone()).or_default().push(c.id.clone());
    }
    m
}

/// Network ids that have a container attached (see `render::network_name`).
fn networks_in_use(w: &World) -> BTreeSet<String> {
    w.containers
        .iter()
        .map(|c| match c.spec.labels.get("com.docker.compose.project") {
            Some(p) => network_id(&format!("{p}_default")),
            None => network_id("bridge"),
        })
        .collect()
}

fn image_json(id: &str, i: &SimImage) -> Value {
    json!({
        "Id": id,
        "ParentId": "",
        "RepoTags": i.tags,
        "RepoDigests": [],
        "Created": i.created.div_euclid(SEC),
        "Size": i.size,
        // ImageSummary: -1 means "not calculated" (only `system df` does).
        "SharedSize": -1,
        "Labels": {},
        "Containers": -1
    })
}

pub(crate) async fn list_images(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    filters::parse(
        q.get("filters"),
        &["dangling", "label", "reference", "before", "since"],
    )?;
    let (world, _) = shared.world_now().await;
    let list: Vec<Value> = world
        .objects
        .images
        .iter()
        .map(|(id, i)| image_json(id, i))
        .collect();
    Ok(Json(Value::Array(list)))
}

pub(crate) async fn remove_image(
    State(shared): State<AppState>,
    Ref(reference): Ref,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    let force = bool_value(&q, "force");
    let (mut world, now) = shared.world_now().await;
    let id = world
        .objects
        .find_image(&reference)
        .ok_or_else(|| ApiError::new(404, format!("No such image: {reference}")))?;
    let users = image_users(&world).remove(&id).unwrap_or_default();
    let short = |s: &str| {
        s.trim_start_matches("sha256:")
            .chars()
            .take(12)
            .collect::<String>()
    };
    let tag = full_tag(&reference);
    let Some(image) = world.objects.images.get_mut(&id) else {
        return Err(ApiError::new(404, format!("No such image: {reference}")));
    };
    let by_tag = image.tags.contains(&tag);
    // A tag of an image with other tags is only untagged (ImageDelete).
    if by_tag && image.tags.len() > 1 {
        image.tags.retain(|t| *t != tag);
        world.emit_object("image", "untag", &id, &[("name", tag.clone())], now);
        return Ok(Json(json!([{ "Untagged": tag }])));
    }
    if let (Some(user), false) = (users.first(), force) {
        let message = if by_tag {
            format!(
                "conflict: unable to remove repository reference \"{reference}\" (must force) - container {} is using its referenced image {}",
                short(user),
                short(&id)
            )
        } else {
            format!(
                "conflict: unable to delete {} (must be forced) - image is being used by stopped container {}",
                short(&id),
                short(user)
            )
        };
        return Err(ApiError::new(409, message));
    }
    let mut answer = Vec::new();
    if let Some(image) = world.objects.images.remove(&id) {
        for t in image.tags {
            world.emit_object("image", "untag", &id, &[("name", t.clone())], now);
            answer.push(json!({ "Untagged": t }));
        }
    }
    world.emit_object("image", "delete", &id, &[], now);
    answer.push(json!({ "Deleted": id }));
    Ok(Json(Value::Array(answer)))
}

pub(crate) async fn prune_images(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    let f = filters::parse(q.get("filters"), &["dangling", "until", "label"])?;
    // ImagePrune: `dangling=false` also takes unused tagged images.
    let all = f
        .get("dangling")
        .is_some_and(|v| v.iter().any(|d| d == "false" || d == "0"));
    let (mut world, now) = shared.world_now().await;
    let users = image_users(&world);
    let gone: Vec<String> = world
        .objects
        .images
        .iter()
        .filter(|(id, i)| !users.contains_key(*id) && (all || i.tags.is_empty()))
        .map(|(id, _)| id.clone())
        .collect();
    let mut deleted = Vec::new();
    let mut reclaimed = 0u64;
    for id in gone {
        if let Some(image) = world.objects.images.remove(&id) {
            reclaimed += image.size;
            for t in &image.tags {
                deleted.push(json!({ "Untagged": t }));
            }
        }
        world.emit_object("image", "delete", &id, &[], now);
        deleted.push(json!({ "Deleted": id }));
    }
    let deleted = (!deleted.is_empty()).then_some(deleted);
    Ok(Json(
        json!({ "ImagesDeleted": deleted, "SpaceReclaimed": reclaimed }),
    ))
}

fn volume_json(name: &str, v: &SimVolume) -> Value {
    json!({
        "Name": name,
        "Driver": v.driver,
        "Mountpoint": format!("/var/lib/docker/volumes/{name}/_data"),
        "CreatedAt": rfc3339(v.created),
        "Labels": v.labels,
        "Scope": "local",
        "Options": {}
    })
}

pub(crate) async fn list_volumes(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    filters::parse(q.get("filters"), &["dangling", "driver", "label", "name"])?;
    let (world, _) = shared.world_now().await;
    let list: Vec<Value> = world
        .objects
        .volumes
        .iter()
        .map(|(n, v)| volume_json(n, v))
        .collect();
    Ok(Json(json!({ "Volumes": list, "Warnings": [] })))
}

/// Simulated containers mount no volumes, so none is ever in use.
pub(crate) async fn remove_volume(
    State(shared): State<AppState>,
    Ref(name): Ref,
) -> Result<Response, ApiError> {
    let (mut world, now) = shared.world_now().await;
    if world.objects.volumes.remove(&name).is_none() {
        return Err(ApiError::new(404, format!("get {name}: no such volume")));
    }
    world.emit_object(
        "volume",
        "destroy",
        &name,
        &[("driver", "local".into())],
        now,
    );
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn prune_volumes(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    let f = filters::parse(q.get("filters"), &["label", "all"])?;
    // VolumePrune, API 1.42+: only anonymous volumes unless `all` is true.
    let all = f
        .get("all")
        .is_some_and(|v| v.iter().any(|a| a == "true" || a == "1"));
    let (mut world, now) = shared.world_now().await;
    let gone: Vec<String> = world
        .objects
        .volumes
        .iter()
        .filter(|(_, v)| all || v.labels.contains_key("com.docker.volume.anonymous"))
        .map(|(n, _)| n.clone())
        .collect();
    for name in &gone {
        world.objects.volumes.remove(name);
        world.emit_object(
            "volume",
            "destroy",
            name,
            &[("driver", "local".into())],
            now,
        );
    }
    // Simulated volumes hold no data.
    Ok(Json(json!({ "VolumesDeleted": gone, "SpaceReclaimed": 0 })))
}

pub(crate) async fn list_networks(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    filters::parse(
        q.get("filters"),
        &["dangling", "driver", "id", "label", "name", "scope", "type"],
    )?;
    let (world, _) = shared.world_now().await;
    // NetworkList: "Containers" is left empty; only inspect fills it.
    let list: Vec<Value> = world
        .objects
        .networks
        .iter()
        .map(|(id, n)| {
            json!({
                "Name": n.name, "Id": id, "Created": rfc3339(n.created),
                "Scope": "local", "Driver": n.driver, "EnableIPv6": false,
                "Internal": false, "Attachable": false, "Ingress": false,
                "IPAM": {"Driver": "default", "Config": []},
                "Containers": {}, "Options": {}, "Labels": {}
            })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

pub(crate) async fn remove_network(
    State(shared): State<AppState>,
    Ref(reference): Ref,
) -> Result<Response, ApiError> {
    let (mut world, now) = shared.world_now().await;
    let id = world
        .objects
        .find_network(&reference)
        .ok_or_else(|| ApiError::new(404, format!("network {reference} not found")))?;
    let name = world
        .objects
        .networks
        .get(&id)
        .map(|n| n.name.clone())
        .unwrap_or_default();
    if PREDEFINED.iter().any(|(n, _)| *n == name) {
        return Err(ApiError::new(
            403,
            format!("{name} is a pre-defined network and cannot be removed"),
        ));
    }
    if networks_in_use(&world).contains(&id) {
        return Err(ApiError::new(
            403,
            format!("error while removing network: network {name} id {id} has active endpoints"),
        ));
    }
    world.objects.networks.remove(&id);
    world.emit_object(
        "network",
        "destroy",
        &id,
        &[("name", name), ("type", "bridge".into())],
        now,
    );
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn prune_networks(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    filters::parse(q.get("filters"), &["until", "label"])?;
    let (mut world, now) = shared.world_now().await;
    let used = networks_in_use(&world);
    let gone: Vec<(String, String)> = world
        .objects
        .networks
        .iter()
        .filter(|(id, n)| !used.contains(*id) && !PREDEFINED.iter().any(|(p, _)| *p == n.name))
        .map(|(id, n)| (id.clone(), n.name.clone()))
        .collect();
    for (id, name) in &gone {
        world.objects.networks.remove(id);
        world.emit_object("network", "destroy", id, &[("name", name.clone())], now);
    }
    let names: Vec<&String> = gone.iter().map(|(_, n)| n).collect();
    Ok(Json(json!({ "NetworksDeleted": names })))
}
