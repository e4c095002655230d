//! Timeline entries from what the sources already send. Where a source
//! reports an event (Docker's event stream, a Kubernetes Warning event, a
//! ReplicaSet's creation) the entry is that event at its own time; where it
//! only reports state (a pod's restart count), the change is found by
//! comparing the state before and after the message. Every entry's id is
//! built from the fact itself, so reading the same fact again (a re-list,
//! a restart of opsdeck) adds nothing.

use chrono::{DateTime, Utc};

use super::cause::image_tag_commit;
use super::docker::container_key;
use super::github::{Outcome, Run};
use super::kube::{PodKey, PodRow};
use super::kube_warnings::WarningEvent;
use super::source::SourceKind;
use super::timeline::{Change, Entry};
use super::triage::item::Target;

/// What the Kubernetes source says of one ReplicaSet for the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutFacts {
    pub namespace: String,
    pub name: String,
    /// The owning Deployment, when there is one.
    pub deployment: Option<String>,
    /// `deployment.kubernetes.io/revision`.
    pub revision: Option<u64>,
    pub created: Option<DateTime<Utc>>,
    pub images: Vec<String>,
    /// `spec.replicas`.
    pub replicas: u32,
    /// The Deployment's size as the controller last stamped it on the set
    /// (`deployment.kubernetes.io/desired-replicas`): a scale changes it,
    /// a rollout's steps do not.
    pub desired: Option<u32>,
}

/// One message of Docker's event stream, as much as the timeline needs.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineEvent {
    pub time: DateTime<Utc>,
    /// `container` or `image`.
    pub object: String,
    /// `create`, `start`, `die`, `oom`, `health_status: unhealthy`, `pull`…
    pub action: String,
    pub id: String,
    /// The container's name, or the image's reference.
    pub name: String,
    pub image: String,
    pub exit_code: Option<i64>,
    /// `org.opencontainers.image.revision` among the container's labels.
    pub revision: Option<String>,
    /// The engine's name when several are configured (`[docker] hosts`);
    /// empty with one, whose rows say its address instead.
    pub engine: String,
}

/// Deploy and release workflows are marked: they are the changes.
pub fn is_deploy_workflow(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["deploy", "release", "publish", "rollout"]
        .iter()
        .any(|w| name.contains(w))
}

/// A run's start and, once finished, its end.
pub fn run_entries(run: &Run) -> Vec<Entry> {
    let deploy = is_deploy_workflow(&run.workflow);
    let base = Entry {
        at: run.started_at.unwrap_or(run.created_at),
        source: SourceKind::GitHub,
        change: Change::RunStarted,
        place: run.repo.clone(),
        what: format!("{} {}", run.workflow, run.number_text()),
        reason: format!("{} on {} by {}", run.event, run.branch, run.actor),
        id: format!("gh:{}:{}:{}:start", run.repo, run.id, run.attempt),
        bad: false,
        deploy,
        commit: Some(run.head_sha.to_ascii_lowercase()).filter(|s| !s.is_empty()),
        workload: None,
        target: Some(Target::Run {
            repo: run.repo.clone(),
            id: run.id,
        }),
    };
    let mut out = Vec::new();
    if !run.is_going() {
        let outcome = run.outcome();
        out.push(Entry {
            at: run.updated_at,
            change: Change::RunFinished,
            reason: format!("{}: {}", run.word(), run.title),
            id: format!("gh:{}:{}:{}:end", run.repo, run.id, run.attempt),
            bad: matches!(outcome, Outcome::Failure | Outcome::Cancelled),
            ..base.clone()
        });
    }
    out.insert(0, base);
    out
}

/// `context/namespace/name`: how a workload is named in links.
pub fn workload_key(context: &str, namespace: &str, name: &str) -> String {
    format!("{context}/{namespace}/{name}")
}

/// A pod's restarts and OOM kills, by its containers' last terminations.
/// `before` is the pod as it was known, to count restarts whose
/// termination the API no longer reports (or reported at the same time).
/// The entries name no workload: the caller looks it up only when there
/// are entries (a list of 50,000 quiet pods has none).
pub fn pod_entries(pod: &PodRow, before: Option<&PodRow>, now: DateTime<Utc>) -> Vec<Entry> {
    let key = &pod.key;
    let mut out = Vec::new();
    for c in &pod.containers {
        let Some(term) = &c.last_termination else {
            let was = before
                .and_then(|b| b.containers.iter().find(|o| o.name == c.name))
                .map_or(c.restarts, |o| o.restarts);
            if c.restarts > was {
                let reason = format!("restarted, restart #{}", c.restarts);
                let entry = pod_entry(pod, c, Change::PodRestart, now, reason);
                out.push(entry);
            }
            continue;
        };
        let at = term.finished_at.unwrap_or(now);
        let change = if term.reason == "OOMKilled" {
            Change::OomKill
        } else {
            Change::PodRestart
        };
        let reason = format!(
            "{} (exit {}), restart #{}",
            term.reason, term.exit_code, c.restarts
        );
        let mut entry = pod_entry(pod, c, change, at, reason);
        entry.id = format!(
            "k8s:{}/{}/{}/{}:term:{}",
            key.context,
            key.namespace,
            key.name,
            c.name,
            term.finished_at
                .map_or(c.restarts.to_string(), |t| t.to_rfc3339())
        );
        out.push(entry);
    }
    out
}

fn pod_entry(
    pod: &PodRow,
    c: &super::kube::ContainerInfo,
    change: Change,
    at: DateTime<Utc>,
    reason: String,
) -> Entry {
    let key = &pod.key;
    Entry {
        at,
        source: SourceKind::Kubernetes,
        change,
        place: format!("{}/{}", key.context, key.namespace),
        what: format!("pod {} ({})", key.name, c.name),
        reason,
        id: format!(
            "k8s:{}/{}/{}/{}:restarts:{}",
            key.context, key.namespace, key.name, c.name, c.restarts
        ),
        bad: true,
        deploy: false,
        commit: image_tag_commit(&c.image),
        workload: None,
        target: Some(pod_target(key)),
    }
}

fn pod_target(key: &PodKey) -> Target {
    Target::Pod {
        context: key.context.to_string(),
        namespace: key.namespace.to_string(),
        name: key.name.to_string(),
    }
}

/// A Warning event at the time it was last seen.
pub fn warning_entry(context: &str, ev: &WarningEvent, workload: Option<String>) -> Option<Entry> {
    let at = ev.last_seen?;
    let target = if ev.object_kind == "Pod" {
        Target::Pod {
            context: context.to_string(),
            namespace: ev.object_namespace.clone(),
            name: ev.object_name.clone(),
        }
    } else {
        Target::KubeObject {
            context: context.to_string(),
            object_kind: ev.object_kind.clone(),
            namespace: ev.object_namespace.clone(),
            name: ev.object_name.clone(),
        }
    };
    let ns = if ev.object_namespace.is_empty() {
        &ev.namespace
    } else {
        &ev.object_namespace
    };
    Some(Entry {
        at,
        source: SourceKind::Kubernetes,
        change: Change::Warning,
        place: format!("{context}/{ns}"),
        what: format!("{} {}", ev.object_kind.to_ascii_lowercase(), ev.object_name),
        reason: format!("{}: {}", ev.reason, ev.message),
        id: format!(
            "k8s:{context}:event:{}/{}:{}",
            ev.namespace,
            ev.name,
            at.to_rfc3339()
        ),
        bad: true,
        deploy: false,
        commit: None,
        workload,
        target: Some(target),
    })
}

/// A Deployment's revision: a rollout at its ReplicaSet's creation.
/// `previous` is the images of the revision before, when known.
pub fn rollout_entry(
    context: &str,
    rs: &RolloutFacts,
    previous: Option<&[String]>,
) -> Option<Entry> {
    let deployment = rs.deployment.as_deref()?;
    let revision = rs.revision?;
    let at = rs.created?;
    let image = rs.images.join(", ");
    // Only the images that changed: a sidecar that stayed is no news.
    let reason = match previous {
        Some(before) if before != rs.images.as_slice() => {
            let gone: Vec<&str> = before
                .iter()
                .filter(|i| !rs.images.contains(i))
                .map(String::as_str)
                .collect();
            let came: Vec<&str> = rs
                .images
                .iter()
                .filter(|i| !before.contains(i))
                .map(String::as_str)
                .collect();
            format!("image {} -> {}", gone.join(", "), came.join(", "))
        }
        _ => format!("new ReplicaSet {} ({image})", rs.name),
    };
    Some(Entry {
        at,
        source: SourceKind::Kubernetes,
        change: Change::Rollout,
        place: format!("{context}/{}", rs.namespace),
        what: format!("deployment {deployment} rev {revision}"),
        reason,
        id: format!(
            "k8s:{context}/{}/deploy/{deployment}:rev:{revision}",
            rs.namespace
        ),
        bad: false,
        deploy: false,
        commit: rs.images.iter().find_map(|i| image_tag_commit(i)),
        workload: Some(workload_key(context, &rs.namespace, deployment)),
        target: Some(Target::KubeObject {
            context: context.to_string(),
            object_kind: "Deployment".into(),
            namespace: rs.namespace.clone(),
            name: deployment.to_string(),
        }),
    })
}

/// The Deployment's size changed: a scale, at `now` (the API keeps no time
/// for it).
pub fn scale_entry(
    context: &str,
    rs: &RolloutFacts,
    from: u32,
    now: DateTime<Utc>,
) -> Option<Entry> {
    let deployment = rs.deployment.as_deref()?;
    let to = rs.desired?;
    Some(Entry {
        at: now,
        source: SourceKind::Kubernetes,
        change: Change::Scale,
        place: format!("{context}/{}", rs.namespace),
        what: format!("deployment {deployment}"),
        reason: format!("replicas {from} -> {to}"),
        id: format!(
            "k8s:{context}/{}/deploy/{deployment}:scale:{to}:{}",
            rs.namespace,
            now.to_rfc3339()
        ),
        bad: false,
        deploy: false,
        commit: None,
        workload: Some(workload_key(context, &rs.namespace, deployment)),
        target: Some(Target::KubeObject {
            context: context.to_string(),
            object_kind: "Deployment".into(),
            namespace: rs.namespace.clone(),
            name: deployment.to_string(),
        }),
    })
}

/// One Docker event; None for actions the timeline does not keep.
/// `engine` names the only engine (its address) when the event has none.
pub fn engine_entry(engine: &str, ev: &EngineEvent) -> Option<Entry> {
    let (change, bad, reason) = match (ev.object.as_str(), ev.action.as_str()) {
        ("container", "create") => (
            Change::ContainerCreate,
            false,
            format!("image {}", ev.image),
        ),
        ("container", "start") => (Change::ContainerStart, false, format!("image {}", ev.image)),
        ("container", "die") => {
            let code = ev.exit_code.unwrap_or(0);
            (
                Change::ContainerDie,
                code != 0,
                format!("exited with code {code}"),
            )
        }
        ("container", "oom") => (Change::ContainerOom, true, "out of memory".to_string()),
        ("container", action) if action.starts_with("health_status") => {
            let word = action.rsplit(':').next().unwrap_or("").trim().to_string();
            (
                Change::Health,
                word == "unhealthy",
                format!("health: {word}"),
            )
        }
        ("image", "pull") => (Change::ImagePull, false, "pulled".to_string()),
        _ => return None,
    };
    let is_container = ev.object == "container";
    let what = if is_container {
        format!("container {}", ev.name)
    } else {
        format!("image {}", ev.name)
    };
    let commit = ev
        .revision
        .clone()
        .filter(|r| super::cause::is_sha_like(r))
        .map(|r| r.to_ascii_lowercase())
        .or_else(|| image_tag_commit(if is_container { &ev.image } else { &ev.name }));
    // With several engines, the entry is the engine's: its name is the
    // place, and ids are keyed by it as the Docker pane keys its rows.
    let (place, key) = if ev.engine.is_empty() {
        (engine.to_string(), ev.id.clone())
    } else {
        (ev.engine.clone(), container_key(&ev.engine, &ev.id))
    };
    Some(Entry {
        at: ev.time,
        source: SourceKind::Docker,
        change,
        place,
        what,
        reason,
        id: format!(
            "docker:{key}:{}:{}",
            ev.action,
            ev.time.timestamp_nanos_opt().unwrap_or_default()
        ),
        bad,
        deploy: false,
        commit,
        workload: None,
        target: is_container.then_some(Target::Container { id: key }),
    })
}
