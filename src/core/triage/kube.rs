//! Broken pods for the Overview: failing STATUS words, Pending past the
//! threshold, not Ready for a while, or restarted recently.

use chrono::{DateTime, Utc};

use super::{Target, TriageItem};
use crate::core::kube::{NOT_READY_GRACE, PodHealth, PodKey, PodRow};
use crate::core::kube_warnings::RECENT;
use crate::core::source::SourceKind;
use crate::core::state::State;

/// Why a pod is listed, or None when it is fine (or merely starting).
pub fn pod_reason(p: &PodRow, now: DateTime<Utc>) -> Option<String> {
    if p.status == "Terminating" {
        return None;
    }
    let health = p.health(now);
    let not_ready_long = p.status == "Running"
        && p.ready < p.total
        && p.not_ready_since
            .is_some_and(|t| (now - t).to_std().unwrap_or_default() >= NOT_READY_GRACE);
    let recent = p.recently_restarted(now);
    let mut reason = match health {
        PodHealth::Broken if p.stuck_pending(now) && p.status == "Pending" => {
            format!("Pending for {}", ago(p.created, now))
        }
        PodHealth::Broken if p.stuck_pending(now) => {
            format!("{} (Pending for {})", p.status, ago(p.created, now))
        }
        PodHealth::Broken => p.status.clone(),
        _ if not_ready_long => format!("not Ready {}", p.ready_text()),
        _ if recent => format!("restarted {} ago", ago(p.last_restart, now)),
        _ => return None,
    };
    if p.restarts > 0 && !reason.starts_with("restarted") {
        reason.push_str(&format!(", {} restarts", p.restarts));
    }
    Some(reason)
}

/// When the trouble started, as well as the pod tells: the last restart,
/// else (for a pod that never ran) its creation, else when it lost Ready.
fn since(p: &PodRow) -> Option<DateTime<Utc>> {
    if p.restarts > 0 && p.last_restart.is_some() {
        return p.last_restart;
    }
    if p.phase == "Pending" {
        return p.created;
    }
    p.not_ready_since.or(p.created)
}

fn ago(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    at.map(|t| crate::core::time::short_age(t, now))
        .unwrap_or_else(|| "?".into())
}

pub fn kube_items(state: &State) -> Vec<TriageItem> {
    let Some(map) = state.kube.pods.data() else {
        return Vec::new();
    };
    let now = state.clock;
    map.values()
        .filter_map(|p| {
            let reason = pod_reason(p, now)?;
            Some(TriageItem {
                source: SourceKind::Kubernetes,
                key: format!("kube:{}/{}/{}", p.key.context, p.key.namespace, p.key.name),
                what: format!("pod {}/{}", p.key.namespace, p.key.name),
                location: p.key.context.to_string(),
                since: since(p),
                reason,
                target: Target::Pod {
                    context: p.key.context.to_string(),
                    namespace: p.key.namespace.to_string(),
                    name: p.key.name.to_string(),
                },
                cause: p
                    .containers
                    .iter()
                    .find_map(|c| super::commit_cause(state, &c.image)),
            })
        })
        .collect()
}

/// Warning events seen in the last minutes (`kube_warnings::RECENT`),
/// except those about a pod that is listed as broken already (its row
/// says more) or no longer exists (a deleted pod's events outlive it).
pub fn warning_items(state: &State) -> Vec<TriageItem> {
    let now = state.clock;
    let recent = chrono::Duration::from_std(RECENT).unwrap_or(chrono::Duration::MAX);
    let pods = state.kube.pods.data();
    state
        .kube
        .warnings
        .iter()
        .filter(|(_, e)| e.last_seen.is_some_and(|t| now - t <= recent))
        .filter_map(|(context, e)| {
            let target = if e.object_kind == "Pod" {
                let key = PodKey::new(context, &e.object_namespace, &e.object_name);
                let pod = pods?.get(&key)?;
                if pod_reason(pod, now).is_some() {
                    return None;
                }
                Target::Pod {
                    context: context.to_string(),
                    namespace: e.object_namespace.clone(),
                    name: e.object_name.clone(),
                }
            } else {
                Target::KubeObject {
                    context: context.to_string(),
                    object_kind: e.object_kind.clone(),
                    namespace: e.object_namespace.clone(),
                    name: e.object_name.clone(),
                }
            };
            let kind = e.object_kind.to_ascii_lowercase();
            let what = if e.object_namespace.is_empty() {
                format!("{kind} {}", e.object_name)
            } else {
                format!("{kind} {}/{}", e.object_namespace, e.object_name)
            };
            let mut reason = format!("{}: {}", e.reason, e.message.replace('\n', " "));
            if e.count > 1 {
                reason.push_str(&format!(" (x{})", e.count));
            }
            Some(TriageItem {
                source: SourceKind::Kubernetes,
                key: format!("kube-warning:{context}/{}/{}", e.namespace, e.name),
                what,
                location: context.to_string(),
                since: e.last_seen,
                reason,
                target,
                cause: None,
            })
        })
        .collect()
}
