//! Images, volumes and networks: loading the open view's kind (with the
//! containers using each, from one container list), and removing and
//! pruning them. bollard's types stop here.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{ContainerSummary, ImageSummary, Network, Volume};
use bollard::query_parameters::{
    ListContainersOptions, ListImagesOptions, ListNetworksOptions, ListVolumesOptions,
    PruneImagesOptions, PruneNetworksOptions, PruneVolumesOptions, RemoveImageOptions,
    RemoveVolumeOptions,
};
use chrono::{TimeZone, Utc};

use crate::core::docker::human_bytes;
use crate::core::docker_objects::{
    ImageRow, NetworkRow, ObjectKind, ObjectList, ObjectOp, VolumeRow,
};

use super::connect::plain_error;

/// Who uses what, from the containers (any state): the engine's own
/// per-object counts are -1 unless `docker system df` computes them.
#[derive(Default)]
struct Users {
    /// Image id -> container names.
    images: HashMap<String, Vec<String>>,
    /// Volume name -> container names.
    volumes: HashMap<String, Vec<String>>,
    /// Network id (and name, for engines that leave the id out) -> names.
    networks: HashMap<String, Vec<String>>,
}

impl Users {
    fn from_containers(list: &[ContainerSummary]) -> Users {
        let mut users = Users::default();
        for c in list {
            let name = c
                .names
                .as_ref()
                .and_then(|n| n.first())
                .map(|n| n.trim_start_matches('/').to_string())
                .or_else(|| c.id.clone())
                .unwrap_or_default();
            if let Some(image) = &c.image_id {
                push(&mut users.images, image, &name);
            }
            for m in c.mounts.iter().flatten() {
                if let Some(volume) = m.name.as_deref().filter(|n| !n.is_empty()) {
                    push(&mut users.volumes, volume, &name);
                }
            }
            let networks = c
                .network_settings
                .as_ref()
                .and_then(|n| n.networks.as_ref());
            for (net_name, endpoint) in networks.into_iter().flatten() {
                match endpoint.network_id.as_deref().filter(|id| !id.is_empty()) {
                    Some(id) => push(&mut users.networks, id, &name),
                    None => push(&mut users.networks, net_name, &name),
                }
            }
        }
        users
    }

    fn of(map: &HashMap<String, Vec<String>>, key: &str) -> Vec<String> {
        let mut names = map.get(key).cloned().unwrap_or_default();
        names.sort();
        names.dedup();
        names
    }
}

fn push(map: &mut HashMap<String, Vec<String>>, key: &str, name: &str) {
    map.entry(key.to_string())
        .or_default()
        .push(name.to_string());
}

/// Lists `kind` and the containers, and joins the two.
pub async fn load(docker: &Docker, kind: ObjectKind) -> Result<ObjectList, String> {
    let containers = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        }))
        .await
        .map_err(|e| plain_error(&e))?;
    let users = Users::from_containers(&containers);
    Ok(match kind {
        ObjectKind::Images => {
            let list = docker
                .list_images(Some(ListImagesOptions::default()))
                .await
                .map_err(|e| plain_error(&e))?;
            ObjectList::Images(list.iter().flat_map(|i| image_rows(i, &users)).collect())
        }
        ObjectKind::Volumes => {
            let list = docker
                .list_volumes(Some(ListVolumesOptions::default()))
                .await
                .map_err(|e| plain_error(&e))?;
            let volumes = list.volumes.unwrap_or_default();
            ObjectList::Volumes(volumes.iter().map(|v| volume_row(v, &users)).collect())
        }
        ObjectKind::Networks => {
            let list = docker
                .list_networks(Some(ListNetworksOptions::default()))
                .await
                .map_err(|e| plain_error(&e))?;
            ObjectList::Networks(list.iter().filter_map(|n| network_row(n, &users)).collect())
        }
        ObjectKind::Projects => ObjectList::Projects(super::compose::project_rows(&containers)),
    })
}

/// One row per tag, as `docker images` lists them; one for a dangling image.
fn image_rows(i: &ImageSummary, users: &Users) -> Vec<ImageRow> {
    // `<none>:<none>` is how old engines spell "no tag".
    let tags: Vec<&String> = i
        .repo_tags
        .iter()
        .filter(|t| t.as_str() != "<none>:<none>")
        .collect();
    let row = |tag: Option<&String>| ImageRow {
        engine: String::new(),
        id: i.id.clone(),
        tag: tag.cloned(),
        tag_count: tags.len(),
        size: u64::try_from(i.size).unwrap_or(0),
        created: Utc.timestamp_opt(i.created, 0).single(),
        users: Users::of(&users.images, &i.id),
    };
    if tags.is_empty() {
        vec![row(None)]
    } else {
        tags.iter().map(|t| row(Some(t))).collect()
    }
}

fn volume_row(v: &Volume, users: &Users) -> VolumeRow {
    VolumeRow {
        engine: String::new(),
        name: v.name.clone(),
        driver: v.driver.clone(),
        mountpoint: v.mountpoint.clone(),
        users: Users::of(&users.volumes, &v.name),
        // -1 means "not computed" (the docs of VolumeUsageData).
        size: v
            .usage_data
            .as_ref()
            .and_then(|u| u64::try_from(u.size).ok()),
    }
}

fn network_row(n: &Network, users: &Users) -> Option<NetworkRow> {
    let id = n.id.clone()?;
    let name = n.name.clone().unwrap_or_else(|| id.clone());
    let mut names = Users::of(&users.networks, &id);
    names.extend(Users::of(&users.networks, &name));
    names.sort();
    names.dedup();
    Some(NetworkRow {
        engine: String::new(),
        name,
        driver: n.driver.clone().unwrap_or_default(),
        scope: n.scope.clone().unwrap_or_default(),
        users: names,
        id,
    })
}

/// Runs a removal or prune; Ok says what it did in words for the toast.
pub async fn run(docker: &Docker, op: &ObjectOp) -> Result<String, String> {
    match op {
        ObjectOp::Remove { kind, reference } => {
            remove(docker, *kind, reference).await?;
            Ok(String::new())
        }
        ObjectOp::Prune {
            kind, only_label, ..
        } => prune(docker, *kind, only_label.as_deref()).await,
    }
}

async fn remove(docker: &Docker, kind: ObjectKind, reference: &str) -> Result<(), String> {
    let result = match kind {
        // Never forced: an image in use stays, and the engine says why.
        ObjectKind::Images => docker
            .remove_image(reference, Some(RemoveImageOptions::default()), None)
            .await
            .map(|_| ()),
        ObjectKind::Volumes => {
            docker
                .remove_volume(reference, Some(RemoveVolumeOptions::default()))
                .await
        }
        ObjectKind::Networks => docker.remove_network(reference).await,
        ObjectKind::Projects => {
            return Err("a project is removed through its containers".into());
        }
    };
    result.map_err(|e| plain_error(&e))
}

async fn prune(docker: &Docker, kind: ObjectKind, label: Option<&str>) -> Result<String, String> {
    let with_label = |mut pairs: Vec<(&'static str, String)>| {
        if let Some(label) = label {
            pairs.push(("label", label.to_string()));
        }
        Some(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), vec![v]))
                .collect::<HashMap<_, _>>(),
        )
    };
    let (count, reclaimed) = match kind {
        ObjectKind::Projects => return Err("compose projects are not pruned".into()),
        ObjectKind::Images => {
            let r = docker
                .prune_images(Some(PruneImagesOptions {
                    filters: with_label(vec![("dangling", "true".into())]),
                }))
                .await
                .map_err(|e| plain_error(&e))?;
            let gone = r.images_deleted.unwrap_or_default();
            let deleted = gone.iter().filter(|d| d.deleted.is_some()).count();
            (deleted, r.space_reclaimed)
        }
        ObjectKind::Volumes => {
            // Since API 1.42 prune takes only anonymous volumes unless
            // `all` is set (the dialog listed every unused one); older
            // engines reject `all` and prune every unused volume anyway.
            let with_all = PruneVolumesOptions {
                filters: with_label(vec![("all", "true".into())]),
            };
            let r = match docker.prune_volumes(Some(with_all)).await {
                Err(e) if plain_error(&e).contains("filter 'all'") => {
                    let plain = PruneVolumesOptions {
                        filters: with_label(Vec::new()),
                    };
                    docker.prune_volumes(Some(plain)).await
                }
                other => other,
            }
            .map_err(|e| plain_error(&e))?;
            (
                r.volumes_deleted.unwrap_or_default().len(),
                r.space_reclaimed,
            )
        }
        ObjectKind::Networks => {
            let r = docker
                .prune_networks(Some(PruneNetworksOptions {
                    filters: with_label(Vec::new()),
                }))
                .await
                .map_err(|e| plain_error(&e))?;
            (r.networks_deleted.unwrap_or_default().len(), None)
        }
    };
    Ok(prune_words(kind, count, reclaimed))
}

/// "3 removed, 1.2MiB reclaimed" (networks hold no space).
fn prune_words(kind: ObjectKind, count: usize, reclaimed: Option<i64>) -> String {
    let noun = match count {
        1 => kind.singular().to_string(),
        _ => kind.word().to_string(),
    };
    match reclaimed {
        Some(bytes) => {
            let bytes = u64::try_from(bytes).unwrap_or(0);
            format!("{count} {noun} removed, {} reclaimed", human_bytes(bytes))
        }
        None => format!("{count} {noun} removed"),
    }
}

/// Whether an engine event can change the open view's rows: events of
/// its kind, and containers coming or going (the users columns).
pub fn event_changes(kind: ObjectKind, event_type: &str, action: &str) -> bool {
    let own = matches!(
        (kind, event_type),
        (ObjectKind::Images, "image")
            | (ObjectKind::Volumes, "volume")
            | (ObjectKind::Networks, "network")
    );
    // A project's row shows its containers' states.
    if kind == ObjectKind::Projects {
        return event_type == "container" && !action.starts_with("exec_");
    }
    own || (event_type == "container" && matches!(action, "create" | "destroy"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_words_say_count_and_space() {
        assert_eq!(
            prune_words(ObjectKind::Images, 2, Some(3 * 1024 * 1024)),
            "2 images removed, 3.0MiB reclaimed"
        );
        assert_eq!(
            prune_words(ObjectKind::Networks, 1, None),
            "1 network removed"
        );
    }

    #[test]
    fn only_events_that_change_the_view_reload_it() {
        assert!(event_changes(ObjectKind::Images, "image", "tag"));
        assert!(event_changes(ObjectKind::Volumes, "container", "destroy"));
        assert!(!event_changes(ObjectKind::Volumes, "container", "die"));
        assert!(!event_changes(ObjectKind::Networks, "image", "delete"));
    }
}
