//! The simulated engine's images, volumes and networks (the data behind
//! `objects.rs`'s endpoints), and the demo's leftovers.

use std::collections::BTreeMap;

use super::clock::{Nanos, SEC};
use super::loggen;
use super::spec::ContainerSpec;
use super::world::World;

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
pub(crate) const PREDEFINED: [(&str, &str); 3] =
    [("bridge", "bridge"), ("host", "host"), ("none", "null")];

/// A reference without a tag means `:latest`, as the docker CLI resolves it.
pub(crate) fn full_tag(image: &str) -> String {
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

    /// What a new container refers to: its image and its compose
    /// project's network, created on first use.
    pub(crate) fn register_refs(&mut self, spec: &ContainerSpec, image_id: &str, now: Nanos) {
        self.register_image(image_id, &spec.image, now);
        if let Some(project) = spec.labels.get("com.docker.compose.project") {
            self.add_network(&format!("{project}_default"), "bridge", now);
        }
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

    pub(crate) fn find_network(&self, reference: &str) -> Option<String> {
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

impl World {
    /// An image, volume or network event; `id` is the Actor's ID.
    pub(crate) fn emit_object(
        &mut self,
        kind: &'static str,
        action: &str,
        id: &str,
        attributes: &[(&str, String)],
        time: Nanos,
    ) {
        let attributes = attributes
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect();
        self.record(kind, time, action, id, attributes);
    }
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
