//! The words and columns of every simple Kubernetes kind, as plain data:
//! what the palette offers, the view's headers and the drawing read. Each
//! kind's converter (`sources::kube::kinds::<kind>.rs`) points its
//! `KindSource::SPEC` here, and the source's table lists the kinds in the
//! order of [`ALL`], so the core never reaches into a source.

use crate::core::kube_kind::{ColSpec, KindAction, KindSpec};

/// Every kind, in the palette's order.
pub fn all() -> impl Iterator<Item = &'static KindSpec> {
    ALL.iter().copied()
}

/// The kind `word` (an alias, any case) names.
pub fn find(word: &str) -> Option<&'static KindSpec> {
    let word = word.to_ascii_lowercase();
    all().find(|k| k.aliases.contains(&word.as_str()))
}

/// The kind whose API kind is `kind` (`Node`), for `Enter` on an event.
pub fn by_kind(kind: &str) -> Option<&'static KindSpec> {
    all().find(|k| k.kind == kind)
}

/// The table itself, in the palette's order.
pub static ALL: &[&KindSpec] = &[
    &DEPLOYMENTS,
    &STATEFULSETS,
    &DAEMONSETS,
    &REPLICASETS,
    &JOBS,
    &CRONJOBS,
    &SERVICES,
    &INGRESSES,
    &CONFIGMAPS,
    &SECRETS,
    &PVCS,
    &PVS,
    &NODES,
    &NAMESPACES,
    &EVENTS,
];

/// `:cm`, like `kubectl get configmaps`.
pub static CONFIGMAPS: KindSpec = KindSpec {
    kind: "ConfigMap",
    plural: "configmaps",
    aliases: &["cm", "configmap", "configmaps"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("DATA", 4, 6, 200),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:cj`, like `kubectl get cronjobs`.
pub static CRONJOBS: KindSpec = KindSpec {
    kind: "CronJob",
    plural: "cronjobs",
    aliases: &["cj", "cronjob", "cronjobs"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("SCHEDULE", 8, 20, 220),
        ColSpec::new("TIMEZONE", 8, 20, 100),
        ColSpec::new("SUSPEND", 7, 7, 200),
        ColSpec::new("ACTIVE", 6, 6, 180),
        ColSpec::new("LAST SCHEDULE", 13, 13, 170),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:deploy`, like `kubectl get deployments`.
pub static DEPLOYMENTS: KindSpec = KindSpec {
    kind: "Deployment",
    plural: "deployments",
    // `dp` is k9s's name for them.
    aliases: &["deploy", "deployment", "deployments", "dp"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("READY", 5, 11, 240),
        ColSpec::new("UP-TO-DATE", 10, 10, 130),
        ColSpec::new("AVAILABLE", 9, 9, 200),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[KindAction::Scale, KindAction::RolloutRestart],
};

/// `:ds`, like `kubectl get daemonsets`.
pub static DAEMONSETS: KindSpec = KindSpec {
    kind: "DaemonSet",
    plural: "daemonsets",
    aliases: &["ds", "daemonset", "daemonsets"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("DESIRED", 7, 7, 200),
        ColSpec::new("CURRENT", 7, 7, 140),
        ColSpec::new("READY", 5, 5, 240),
        ColSpec::new("UP-TO-DATE", 10, 10, 120),
        ColSpec::new("AVAILABLE", 9, 9, 130),
        ColSpec::new("NODE SELECTOR", 13, 40, 100),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[KindAction::RolloutRestart],
};

/// `:ev`, like `kubectl get events`.
pub static EVENTS: KindSpec = KindSpec {
    kind: "Event",
    plural: "events",
    aliases: &["ev", "event", "events"],
    namespaced: true,
    shows_name: false,
    columns: &[
        ColSpec::new("LAST SEEN", 9, 9, 250),
        ColSpec::new("TYPE", 7, 7, 200),
        ColSpec::new("REASON", 6, 24, 230),
        ColSpec::new("OBJECT", 6, 50, 220),
        ColSpec::new("MESSAGE", 7, 200, 210),
    ],
    first_sort: 1,
    actions: &[],
};

/// `:ing`, like `kubectl get ingresses`.
pub static INGRESSES: KindSpec = KindSpec {
    kind: "Ingress",
    plural: "ingresses",
    aliases: &["ing", "ingress", "ingresses"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("CLASS", 6, 20, 170),
        ColSpec::new("HOSTS", 6, 50, 230),
        ColSpec::new("ADDRESS", 8, 40, 200),
        ColSpec::new("PORTS", 5, 8, 160),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:job`, like `kubectl get jobs`.
pub static JOBS: KindSpec = KindSpec {
    kind: "Job",
    plural: "jobs",
    aliases: &["job", "jobs"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("STATUS", 6, 18, 240),
        ColSpec::new("COMPLETIONS", 11, 14, 200),
        ColSpec::new("DURATION", 8, 8, 130),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:ns` alone, like `kubectl get namespaces`.
pub static NAMESPACES: KindSpec = KindSpec {
    kind: "Namespace",
    plural: "namespaces",
    aliases: &["ns", "namespace", "namespaces"],
    namespaced: false,
    shows_name: true,
    columns: &[
        ColSpec::new("STATUS", 6, 11, 240),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:no`, like `kubectl get nodes`.
pub static NODES: KindSpec = KindSpec {
    kind: "Node",
    plural: "nodes",
    aliases: &["no", "node", "nodes"],
    namespaced: false,
    shows_name: true,
    columns: &[
        ColSpec::new("STATUS", 6, 30, 240),
        ColSpec::new("ROLES", 5, 30, 160),
        ColSpec::new("AGE", 8, 8, 150),
        ColSpec::new("VERSION", 7, 20, 180),
        // `kubectl top nodes`' figures, from the metrics API.
        ColSpec::new("CPU", 6, 8, 190),
        ColSpec::new("MEMORY", 7, 9, 185),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:pvc`, like `kubectl get persistentvolumeclaims`.
pub static PVCS: KindSpec = KindSpec {
    kind: "PersistentVolumeClaim",
    plural: "persistentvolumeclaims",
    aliases: &["pvc", "persistentvolumeclaim", "persistentvolumeclaims"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("STATUS", 6, 11, 240),
        ColSpec::new("VOLUME", 6, 45, 140),
        ColSpec::new("CAPACITY", 8, 10, 200),
        ColSpec::new("ACCESS MODES", 12, 20, 170),
        ColSpec::new("STORAGECLASS", 12, 30, 160),
        ColSpec::new("VOLUMEATTRIBUTESCLASS", 21, 30, 90),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:pv`, like `kubectl get persistentvolumes`.
pub static PVS: KindSpec = KindSpec {
    kind: "PersistentVolume",
    plural: "persistentvolumes",
    aliases: &["pv", "persistentvolume", "persistentvolumes"],
    namespaced: false,
    shows_name: true,
    columns: &[
        ColSpec::new("CAPACITY", 8, 10, 200),
        ColSpec::new("ACCESS MODES", 12, 20, 150),
        ColSpec::new("RECLAIM POLICY", 14, 14, 140),
        ColSpec::new("STATUS", 6, 11, 240),
        ColSpec::new("CLAIM", 5, 60, 220),
        ColSpec::new("STORAGECLASS", 12, 30, 160),
        ColSpec::new("VOLUMEATTRIBUTESCLASS", 21, 30, 90),
        ColSpec::new("REASON", 6, 30, 100),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:rs`, like `kubectl get replicasets`.
pub static REPLICASETS: KindSpec = KindSpec {
    kind: "ReplicaSet",
    plural: "replicasets",
    aliases: &["rs", "replicaset", "replicasets"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("DESIRED", 7, 7, 200),
        ColSpec::new("CURRENT", 7, 7, 140),
        ColSpec::new("READY", 5, 5, 240),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:sec`, like `kubectl get secrets`.
pub static SECRETS: KindSpec = KindSpec {
    kind: "Secret",
    plural: "secrets",
    aliases: &["sec", "secret", "secrets"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("TYPE", 6, 40, 200),
        ColSpec::new("DATA", 4, 4, 180),
        ColSpec::new("AGE", 8, 8, 150),
        ColSpec::new("KEYS", 4, 60, 120),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:svc`, like `kubectl get services`.
pub static SERVICES: KindSpec = KindSpec {
    kind: "Service",
    plural: "services",
    aliases: &["svc", "service", "services"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("TYPE", 9, 12, 200),
        ColSpec::new("CLUSTER-IP", 10, 39, 180),
        ColSpec::new("EXTERNAL-IP", 11, 40, 210),
        ColSpec::new("PORT(S)", 7, 40, 190),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[],
};

/// `:sts`, like `kubectl get statefulsets`.
pub static STATEFULSETS: KindSpec = KindSpec {
    kind: "StatefulSet",
    plural: "statefulsets",
    aliases: &["sts", "statefulset", "statefulsets"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("READY", 5, 11, 240),
        ColSpec::new("AGE", 8, 8, 150),
    ],
    first_sort: 0,
    actions: &[KindAction::Scale, KindAction::RolloutRestart],
};
