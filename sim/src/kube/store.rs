//! The simulated etcd: every object of every kind, one global resourceVersion
//! counter, and a bounded history of changes that watches replay from.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};

use super::errors::ApiError;

/// The kinds the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Namespace,
    Pod,
    Event,
    ReplicaSet,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    Service,
    Ingress,
    ConfigMap,
    Secret,
    PersistentVolumeClaim,
    PersistentVolume,
    Node,
    PodDisruptionBudget,
    EndpointSlice,
}

/// The API groups served besides the core one, each at `/apis/GROUP/v1`
/// (https://kubernetes.io/docs/reference/using-api/#api-groups).
pub(crate) const GROUPS: [&str; 5] = [
    "apps",
    "batch",
    "networking.k8s.io",
    "policy",
    "discovery.k8s.io",
];

impl Kind {
    pub(crate) const ALL: [Kind; 18] = [
        Kind::Namespace,
        Kind::Pod,
        Kind::Event,
        Kind::ReplicaSet,
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::Job,
        Kind::CronJob,
        Kind::Service,
        Kind::Ingress,
        Kind::ConfigMap,
        Kind::Secret,
        Kind::PersistentVolumeClaim,
        Kind::PersistentVolume,
        Kind::Node,
        Kind::PodDisruptionBudget,
        Kind::EndpointSlice,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Pod => "Pod",
            Kind::Event => "Event",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job => "Job",
            Kind::CronJob => "CronJob",
            Kind::Service => "Service",
            Kind::Ingress => "Ingress",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::Node => "Node",
            Kind::PodDisruptionBudget => "PodDisruptionBudget",
            Kind::EndpointSlice => "EndpointSlice",
        }
    }

    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Pod => "pods",
            Kind::Event => "events",
            Kind::ReplicaSet => "replicasets",
            Kind::Deployment => "deployments",
            Kind::StatefulSet => "statefulsets",
            Kind::DaemonSet => "daemonsets",
            Kind::Job => "jobs",
            Kind::CronJob => "cronjobs",
            Kind::Service => "services",
            Kind::Ingress => "ingresses",
            Kind::ConfigMap => "configmaps",
            Kind::Secret => "secrets",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::Node => "nodes",
            Kind::PodDisruptionBudget => "poddisruptionbudgets",
            Kind::EndpointSlice => "endpointslices",
        }
    }

    pub(crate) fn group(self) -> &'static str {
        match self {
            Kind::Job | Kind::CronJob => "batch",
            Kind::Ingress => "networking.k8s.io",
            Kind::PodDisruptionBudget => "policy",
            Kind::EndpointSlice => "discovery.k8s.io",
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet => "apps",
            _ => "",
        }
    }

    pub(crate) fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "batch" => "batch/v1",
            "policy" => "policy/v1",
            "discovery.k8s.io" => "discovery.k8s.io/v1",
            _ => "networking.k8s.io/v1",
        }
    }

    pub(crate) fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node | Kind::PersistentVolume)
    }

    pub(crate) fn from_plural(group: &str, plural: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.group() == group && k.plural() == plural)
    }
}

/// One stored object and its serialized form, shared by lists and watches.
#[derive(Debug)]
pub(crate) struct Stored {
    pub value: Value,
    pub json: Bytes,
}

impl Stored {
    fn new(value: Value) -> Arc<Stored> {
        let json = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        Arc::new(Stored { value, json })
    }

    pub(crate) fn str_at(&self, pointer: &str) -> &str {
        self.value
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeType {
    Added,
    Modified,
    Deleted,
}

impl ChangeType {
    pub(crate) fn word(self) -> &'static str {
        match self {
            ChangeType::Added => "ADDED",
            ChangeType::Modified => "MODIFIED",
            ChangeType::Deleted => "DELETED",
        }
    }
}

/// One entry of the change history. `prev` lets a filtered watch tell an
/// object entering or leaving its selector, as the real watch cache does.
#[derive(Debug)]
pub(crate) struct Change {
    pub rv: u64,
    pub kind: Kind,
    pub ty: ChangeType,
    pub obj: Arc<Stored>,
    pub prev: Option<Arc<Stored>>,
}

/// A watch or continue token asked for history the store no longer has.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TooOld {
    pub oldest: u64,
}

pub(crate) type Key = (String, String);

pub(crate) struct Store {
    objects: HashMap<Kind, BTreeMap<Key, Arc<Stored>>>,
    rv: u64,
    history: VecDeque<Arc<Change>>,
    history_cap: usize,
    /// Every change with rv > `history_start` is still in `history`.
    history_start: u64,
    /// New watches and continue tokens must be at or after this rv; raised
    /// by a forced expiry without cutting off watches already open.
    admit_floor: u64,
    uid_seq: u64,
}

impl Store {
    pub(crate) fn new(history_cap: usize) -> Store {
        Store {
            objects: HashMap::new(),
            rv: 1,
            history: VecDeque::new(),
            history_cap: history_cap.max(16),
            history_start: 1,
            admit_floor: 0,
            uid_seq: 0,
        }
    }

    pub(crate) fn rv(&self) -> u64 {
        self.rv
    }

    pub(crate) fn get(&self, kind: Kind, ns: &str, name: &str) -> Option<Arc<Stored>> {
        self.objects
            .get(&kind)?
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
    }

    /// Objects of `kind` in key order, optionally within one namespace,
    /// starting after `after` (exclusive).
    pub(crate) fn range<'a>(
        &'a self,
        kind: Kind,
        ns: Option<&'a str>,
        after: Option<&'a Key>,
    ) -> impl Iterator<Item = (&'a Key, &'a Arc<Stored>)> + 'a {
        use std::ops::Bound;
        let start = match (after, ns) {
            (Some(k), _) => Bound::Excluded(k.clone()),
            (None, Some(ns)) => Bound::Included((ns.to_string(), String::new())),
            (None, None) => Bound::Unbounded,
        };
        self.objects
            .get(&kind)
            .into_iter()
            .flat_map(move |m| m.range((start.clone(), Bound::Unbounded)))
            .take_while(move |(k, _)| ns.is_none_or(|ns| k.0 == ns))
    }

    #[cfg(test)]
    pub(crate) fn count(&self, kind: Kind) -> usize {
        self.objects.get(&kind).map_or(0, BTreeMap::len)
    }

    pub(crate) fn next_uid(&mut self) -> String {
        self.uid_seq += 1;
        let n = self.uid_seq;
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            n.wrapping_mul(0x9e37_79b1) & 0xffff_ffff,
            (n >> 3) & 0xffff,
            n & 0xfff,
            (n >> 7) & 0xfff,
            n.wrapping_mul(0x0000_5851_f42d_4c95) & 0xffff_ffff_ffff
        )
    }

    /// Stores a new object, filling uid, resourceVersion and (if absent)
    /// creationTimestamp.
    pub(crate) fn create(&mut self, kind: Kind, mut value: Value) -> Result<Arc<Stored>, ApiError> {
        let (ns, name) = key_of(&value);
        if name.is_empty() {
            return Err(ApiError::invalid(
                kind,
                "",
                "metadata.name: Required value: name is required",
            ));
        }
        let key = (
            if kind.namespaced() { ns } else { String::new() },
            name.clone(),
        );
        if self
            .objects
            .get(&kind)
            .is_some_and(|m| m.contains_key(&key))
        {
            return Err(ApiError::already_exists(kind, &name));
        }
        self.rv += 1;
        let uid = self.next_uid();
        value["apiVersion"] = json!(kind.api_version());
        value["kind"] = json!(kind.name());
        let meta = &mut value["metadata"];
        meta["uid"] = json!(uid);
        meta["resourceVersion"] = json!(self.rv.to_string());
        if meta.get("creationTimestamp").is_none_or(Value::is_null) {
            meta["creationTimestamp"] = json!(super::objects::now_rfc3339());
        }
        let stored = Stored::new(value);
        self.objects
            .entry(kind)
            .or_default()
            .insert(key, stored.clone());
        self.record(kind, ChangeType::Added, stored.clone(), None);
        Ok(stored)
    }

    /// Applies `f` to a copy of the object; a change that leaves it equal is
    /// a no-op (no new resourceVersion, no event), like the real API server.
    pub(crate) fn update<F>(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        f: F,
    ) -> Result<Arc<Stored>, ApiError>
    where
        F: FnOnce(&mut Value) -> Result<(), ApiError>,
    {
        let key = (ns.to_string(), name.to_string());
        let Some(old) = self.objects.get(&kind).and_then(|m| m.get(&key)).cloned() else {
            return Err(ApiError::not_found(kind, name));
        };
        let mut value = old.value.clone();
        f(&mut value)?;
        if value == old.value {
            return Ok(old);
        }
        self.rv += 1;
        value["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        let stored = Stored::new(value);
        self.objects
            .entry(kind)
            .or_default()
            .insert(key, stored.clone());
        self.record(kind, ChangeType::Modified, stored.clone(), Some(old));
        Ok(stored)
    }

    pub(crate) fn delete(&mut self, kind: Kind, ns: &str, name: &str) -> Option<Arc<Stored>> {
        let key = (ns.to_string(), name.to_string());
        let old = self.objects.get_mut(&kind)?.remove(&key)?;
        self.rv += 1;
        // A deleted object carries the resourceVersion of its deletion.
        let mut value = old.value.clone();
        value["metadata"]["resourceVersion"] = json!(self.rv.to_string());
        let stored = Stored::new(value);
        self.record(kind, ChangeType::Deleted, stored.clone(), Some(old));
        Some(stored)
    }

    fn record(&mut self, kind: Kind, ty: ChangeType, obj: Arc<Stored>, prev: Option<Arc<Stored>>) {
        self.history.push_back(Arc::new(Change {
            rv: self.rv,
            kind,
            ty,
            obj,
            prev,
        }));
        while self.history.len() > self.history_cap {
            if let Some(c) = self.history.pop_front() {
                self.history_start = c.rv;
            }
        }
    }

    /// The oldest resourceVersion a new watch or continue token may use.
    pub(crate) fn oldest_admitted(&self) -> u64 {
        self.history_start.max(self.admit_floor)
    }

    /// Makes every resourceVersion issued so far too old for new watches,
    /// then moves the counter on so a fresh list gets a usable one.
    pub(crate) fn expire(&mut self) {
        self.rv += 1;
        self.admit_floor = self.rv;
    }

    /// Changes after `rv`, at most `max` of them.
    pub(crate) fn changes_after(&self, rv: u64, max: usize) -> Result<Vec<Arc<Change>>, TooOld> {
        if rv < self.history_start {
            return Err(TooOld {
                oldest: self.history_start,
            });
        }
        let start = self.history.partition_point(|c| c.rv <= rv);
        Ok(self.history.range(start..).take(max).cloned().collect())
    }
}

pub(crate) fn key_of(value: &Value) -> Key {
    let s = |p: &str| {
        value
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    (s("/metadata/namespace"), s("/metadata/name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ns: &str, name: &str) -> Value {
        json!({"metadata": {"name": name, "namespace": ns}, "spec": {}})
    }

    #[test]
    fn versions_grow_and_noop_updates_do_not_bump() {
        let mut s = Store::new(100);
        let a = s.create(Kind::Pod, pod("a", "p1")).expect("create");
        let rv1 = s.rv();
        assert_eq!(a.str_at("/metadata/resourceVersion"), rv1.to_string());
        s.update(Kind::Pod, "a", "p1", |_| Ok(())).expect("noop");
        assert_eq!(s.rv(), rv1);
        s.update(Kind::Pod, "a", "p1", |v| {
            v["spec"]["x"] = json!(1);
            Ok(())
        })
        .expect("update");
        assert_eq!(s.rv(), rv1 + 1);
        assert!(s.create(Kind::Pod, pod("a", "p1")).is_err());
    }

    #[test]
    fn history_window_and_expiry() {
        let mut s = Store::new(16);
        for i in 0..40 {
            s.create(Kind::Pod, pod("a", &format!("p{i:02}")))
                .expect("create");
        }
        assert!(s.changes_after(2, 100).is_err());
        let tail = s.changes_after(s.rv() - 3, 100).expect("recent");
        assert_eq!(tail.len(), 3);
        let before = s.rv();
        s.expire();
        assert!(before < s.oldest_admitted());
        assert_eq!(s.oldest_admitted(), s.rv());
        // Watches already open keep reading the history.
        assert!(s.changes_after(before, 10).is_ok());
    }

    #[test]
    fn range_is_per_namespace_and_ordered() {
        let mut s = Store::new(100);
        for (ns, n) in [("b", "x"), ("a", "z"), ("a", "y"), ("c", "w")] {
            s.create(Kind::Pod, pod(ns, n)).expect("create");
        }
        let names: Vec<_> = s
            .range(Kind::Pod, Some("a"), None)
            .map(|(k, _)| k.1.clone())
            .collect();
        assert_eq!(names, ["y", "z"]);
        let after = ("a".to_string(), "z".to_string());
        let rest: Vec<_> = s
            .range(Kind::Pod, None, Some(&after))
            .map(|(k, _)| k.0.clone())
            .collect();
        assert_eq!(rest, ["b", "c"]);
    }
}
