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
use super::clock::{Nanos, SEC, rfc3339};
use super::filters;
use super::loggen;
use super::world::{ApiError, World};

pub(crate) struct SimImage {
    pub tags: Vec<String>,
    pub size: u64,
    pub created: Nanos,
}

pub(crate) struct SimVolume {
    pub driver: String,
    pub created: Nanos,
    pub labels: BTreeMap<String, String>,
}

pub(crate) struct SimNetwork {
    pub name: String,
    pub driver: String,
    pub created: Nanos,
}

#[derive(Default)]
pub(crate) struct Objects {
    /// By full id (`sha256:…`).
    pub images: BTreeMap<String, SimImage>,
    /// By name.
    pub volumes: BTreeMap<String, SimVolume>,
    /// By id.
    pub networks: BTreeMap<String, SimNetwork>,
}

/// The engine's predefined networks (NetworkDelete: 403 for these).
const PREDEFINED: [(&str, &str); 3] = [("bridge", "bridge"), ("host", "host"), ("none", "null")];

/// A reference without a tag means `:latest`, as the docker CLI resolves it.
fn full_tag(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || image.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

pub(crate) fn network_id(name: &str) -> String {
    loggen::hex_id(loggen::hash_str(name))
}

impl Objects {
    pub(crate) fn with_predefined(now: Nanos) -> Objects {
        let mut o = Objects::default();
        for (name, driver) in PREDEFINED {
            o.add_network(name, driver, now);
        }
        o
    }

    pub(crate) fn add_network(&mut self, name: &str, driver: &str, now: Nanos) -> String {
        let id = network_id(name);
        self.networks.entry(id.clone()).or_insert(SimNetwork {
            name: name.to_string(),
            driver: driver.to_string(),
            created: now,
        });
        id
    }

    /// The image a new container names, created on first use.
    pub(crate) fn register_image(&mut self, image_id: &str, image: &str, now: Nanos) {
        let tag = full_tag(image);
        let size = 20_000_000 + loggen::hash_str(image) % 400_000_000;
        let entry = self.images.entry(image_id.to_string()).or_insert(SimImage {
            tags: Vec::new(),
            size,
            created: now - 7 * 86_400 * SEC,
        });
        if !entry.tags.contains(&tag) {
            entry.tags.push(tag);
        }
    }

    pub(crate) fn find_image(&self, reference: &str) -> Option<String> {
        let tag = full_tag(reference);
        let by_tag = self
            .images
            .iter()
            .find(|(_, i)| i.tags.contains(&tag))
            .map(|(id, _)| id.clone());
        by_tag.or_else(|| {
            let hex = reference.strip_prefix("sha256:").unwrap_or(reference);
            let mut hits = self
                .images
                .keys()
                .filter(|id| !hex.is_empty() && id.trim_start_matches("sha256:").starts_with(hex));
            match (hits.next(), hits.next()) {
                (Some(id), None) => Some(id.clone()),
                _ => None,
            }
        })
    }

    fn find_network(&self, reference: &str) -> Option<String> {
        if self.networks.contains_key(reference) {
            return Some(reference.to_string());
        }
        self.networks
            .iter()
            .find(|(id, n)| {
                n.name == reference || (reference.len() >= 3 && id.starts_with(reference))
            })
            .map(|(id, _)| id.clone())
    }
}

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

/// Leftovers a real engine accumulates, for the demo: a dangling image
/// from an earlier build, an old unused tag, volumes, an idle network.
pub(crate) fn seed_demo(w: &mut World, now: Nanos) {
    let o = &mut w.objects;
    o.images.insert(
        format!(
            "sha256:{}",
            loggen::hex_id(loggen::hash_str("dangling-build"))
        ),
        SimImage {
            tags: Vec::new(),
            size: 187_400_000,
            created: now - 3 * 86_400 * SEC,
        },
    );
    o.images.insert(
        format!(
            "sha256:{}",
            loggen::hex_id(loggen::hash_str("shop-api-old"))
        ),
        SimImage {
            tags: vec!["ghcr.io/acme/shop-api:1.41.0".into()],
            size: 96_200_000,
            created: now - 20 * 86_400 * SEC,
        },
    );
    for name in ["shop_pgdata", "ml-cache"] {
        o.volumes.insert(
            name.into(),
            SimVolume {
                driver: "local".into(),
                created: now - 9 * 86_400 * SEC,
                labels: BTreeMap::new(),
            },
        );
    }
    let mut anon = BTreeMap::new();
    anon.insert("com.docker.volume.anonymous".to_string(), String::new());
    o.volumes.insert(
        loggen::hex_id(loggen::hash_str("anon-vol")),
        SimVolume {
            driver: "local".into(),
            created: now - 86_400 * SEC,
            labels: anon,
        },
    );
    o.add_network("old-ci_default", "bridge", now - 30 * 86_400 * SEC);
}
