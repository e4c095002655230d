//! The timeline's part of `update`: feeding it from the sources' messages
//! (before the panes apply them, so a pod's state before the change can
//! be compared with the new one), and the view's keys.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::PodRow;
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::{DockerEvent, GitHubEvent, Msg};
use crate::core::state::{State, Tab};
use crate::core::timeline::Entry;
use crate::core::timeline_feed::{self as feed, RolloutFacts};
use crate::core::triage::item::Target;

use super::{overview, view};

/// Adds what `msg` tells of changes to the timeline. Cheap for messages
/// that carry none.
pub(super) fn feed(state: &mut State, msg: &Msg) {
    let mut new: Vec<Entry> = Vec::new();
    match msg {
        Msg::GitHub(GitHubEvent::Runs { runs, .. }) => {
            for run in runs {
                new.extend(feed::run_entries(run));
            }
        }
        Msg::Docker(DockerEvent::Engine(ev)) => {
            let engine = state.docker.health.target().unwrap_or("docker engine");
            new.extend(feed::engine_entry(engine, ev));
        }
        Msg::Kube(KubeEvent::Snapshot { pods, .. })
        | Msg::Kube(KubeEvent::NamespaceSnapshot { pods, .. })
        | Msg::Kube(KubeEvent::Changes { upserts: pods, .. }) => {
            for pod in pods {
                new.extend(pod_changes(state, pod));
            }
        }
        Msg::Kube(KubeEvent::Warnings {
            context, upserts, ..
        }) => {
            for ev in upserts {
                let workload = (ev.object_kind == "Pod")
                    .then(|| {
                        let key = crate::core::kube::PodKey::new(
                            context,
                            &ev.object_namespace,
                            &ev.object_name,
                        );
                        workload_of_pod(state, state.kube.pod(&key)?)
                    })
                    .flatten();
                new.extend(feed::warning_entry(context, ev, workload));
            }
        }
        Msg::Kube(KubeEvent::Rollouts { context, sets }) => {
            // Oldest revision first, so a list in any order (the API's is
            // by name) still says what each revision changed.
            let mut sets: Vec<&RolloutFacts> = sets.iter().collect();
            sets.sort_by_key(|rs| rs.revision);
            for rs in sets {
                new.extend(rollout_changes(state, context, rs));
            }
        }
        _ => return,
    }
    let timeline = &mut state.timeline;
    for entry in new {
        let unowned = entry.workload.is_none() && matches!(entry.target, Some(Target::Pod { .. }));
        if let Some(seq) = timeline.entries.insert_seq(entry) {
            timeline.dirty = true;
            if unowned {
                timeline.unowned.push_back(seq);
                if timeline.unowned.len() > UNOWNED_MAX {
                    timeline.unowned.pop_front();
                }
            }
        }
    }
}

/// Pod entries waiting for their Deployment to be known: a start-up's
/// worth (a crash-looping namespace lists many restarts and warnings).
const UNOWNED_MAX: usize = 4096;

/// Names the Deployment of pod entries made before their ReplicaSets were
/// known, now that the panes have applied the batch. An entry whose pod
/// turns out not to belong to a Deployment leaves the queue; one whose pod
/// or ReplicaSet is still unknown waits.
fn give_owners(state: &mut State) {
    if state.timeline.unowned.is_empty() {
        return;
    }
    let waiting = std::mem::take(&mut state.timeline.unowned);
    let mut still = std::collections::VecDeque::new();
    for seq in waiting {
        let Some(Target::Pod {
            context,
            namespace,
            name,
        }) = state
            .timeline
            .entries
            .get(seq)
            .and_then(|e| e.target.clone())
        else {
            continue;
        };
        let key = crate::core::kube::PodKey::new(&context, &namespace, &name);
        let Some(pod) = state.kube.pod(&key) else {
            still.push_back(seq);
            continue;
        };
        match state.kube.workload(pod) {
            Some(owner) if owner.kind == "Deployment" => {
                let workload = feed::workload_key(&context, &namespace, &owner.name);
                state.timeline.entries.set_workload(seq, workload);
            }
            Some(owner) if owner.kind == "ReplicaSet" => still.push_back(seq),
            _ => {}
        }
    }
    state.timeline.unowned = still;
}

/// Once per batch: the view follows the new entries, the store gets them.
pub(super) fn after_batch(state: &mut State) -> Vec<Effect> {
    give_owners(state);
    let timeline = &mut state.timeline;
    if timeline.open && timeline.dirty {
        timeline.follow();
    }
    if timeline.entries.has_unsaved() {
        vec![Effect::SaveTimeline(timeline.entries.take_unsaved())]
    } else {
        Vec::new()
    }
}

fn workload_of_pod(state: &State, pod: &PodRow) -> Option<String> {
    let owner = state.kube.workload(pod)?;
    (owner.kind == "Deployment")
        .then(|| feed::workload_key(&pod.key.context, &pod.key.namespace, &owner.name))
}

fn pod_changes(state: &State, pod: &PodRow) -> Vec<Entry> {
    let before = state.kube.pod(&pod.key);
    // Nothing changed in what the timeline reads: most watch events are
    // readiness and status churn.
    if before.is_some_and(|b| b.containers == pod.containers) {
        return Vec::new();
    }
    let mut entries = feed::pod_entries(pod, before, state.clock);
    if !entries.is_empty() {
        let workload = workload_of_pod(state, pod);
        for entry in &mut entries {
            entry.workload.clone_from(&workload);
        }
    }
    entries
}

fn rollout_changes(state: &mut State, context: &str, rs: &RolloutFacts) -> Vec<Entry> {
    let mut out = Vec::new();
    let key = (context.to_string(), rs.namespace.clone(), rs.name.clone());
    let seen = state
        .timeline
        .replica_sets
        .insert(key, (rs.revision, rs.desired));
    let Some(deployment) = rs.deployment.as_deref() else {
        return out;
    };
    let workload = feed::workload_key(context, &rs.namespace, deployment);
    let revisions = state.timeline.images.entry(workload).or_default();
    if let Some(rev) = rs.revision {
        revisions.insert(rev, rs.images.clone());
        let previous = revisions
            .range(..rev)
            .next_back()
            .map(|(_, images)| images.clone());
        out.extend(feed::rollout_entry(context, rs, previous.as_deref()));
        let newest = revisions.keys().next_back() == Some(&rev);
        // A scale: the size the controller stamps on the newest revision
        // changed (a rollout's steps move `replicas`, not this).
        if let Some((Some(was_rev), Some(was))) = seen
            && newest
            && was_rev == rev
            && rs.desired.is_some_and(|now| now != was)
        {
            out.extend(feed::scale_entry(context, rs, was, state.clock));
        }
    }
    out
}

/// How far back an incident bundle's timeline goes.
const BUNDLE_WINDOW_MINS: i64 = 30;

/// The incident bundle's section: what changed in the 30 minutes up to
/// `until` (the breakage), newest first, with the links of each row.
pub(super) fn bundle_section(state: &State, until: chrono::DateTime<chrono::Utc>) -> String {
    use crate::core::incident::cell;
    let timeline = &state.timeline.entries;
    let from = until - chrono::Duration::minutes(BUNDLE_WINDOW_MINS);
    let mut md = format!(
        "\n## Timeline: the {BUNDLE_WINDOW_MINS} minutes before ({} to {} UTC)\n\n",
        from.format("%H:%M:%S"),
        until.format("%H:%M:%S")
    );
    let rows: Vec<&Entry> = timeline.between(from, until).map(|(_, e)| e).collect();
    if rows.is_empty() {
        md.push_str("Nothing changed that opsdeck saw.\n");
        return md;
    }
    md.push_str("| time (UTC) | source | kind | what | where | reason |\n");
    md.push_str("|---|---|---|---|---|---|\n");
    for e in rows {
        let reason = crate::core::timeline_link::row_text(e, &timeline.links(e));
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            e.at.format("%H:%M:%S"),
            e.source.label(),
            e.change.word(),
            cell(&e.what),
            cell(&e.place),
            cell(&reason)
        ));
    }
    md
}

/// `T` and `:timeline`: shows the timeline in the Overview tab, or hides it.
pub(super) fn toggle(state: &mut State) -> Vec<Effect> {
    if state.tab == Tab::Overview && state.timeline.open {
        state.timeline.open = false;
    } else {
        open(state);
    }
    Vec::new()
}

pub(super) fn open(state: &mut State) {
    state.tab = Tab::Overview;
    state.timeline.open = true;
    state.timeline.rebuild();
}

/// The `/` filter of the timeline.
pub(super) fn set_filter(state: &mut State, text: String) -> Vec<Effect> {
    state.timeline.list.set_filter(text);
    state.timeline.rebuild();
    Vec::new()
}

/// Keys while the timeline is on screen.
pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(nav) = view::nav(action) {
        state.timeline.list.navigate(nav);
        return Vec::new();
    }
    match action {
        Action::Timeline => toggle(state),
        Action::TimelineSource => {
            state.timeline.sources = state.timeline.sources.next();
            state.timeline.rebuild();
            Vec::new()
        }
        Action::TimelineChanges => {
            state.timeline.changes_only = !state.timeline.changes_only;
            state.timeline.rebuild();
            Vec::new()
        }
        Action::Back if !state.timeline.list.filter().is_empty() => {
            set_filter(state, String::new())
        }
        Action::Back => {
            state.timeline.open = false;
            Vec::new()
        }
        Action::Copy => match state.timeline.selected() {
            Some(e) => vec![Effect::Copy(e.what.clone())],
            None => Vec::new(),
        },
        Action::Open | Action::Logs => {
            let Some(target) = state.timeline.selected().and_then(|e| e.target.clone()) else {
                return Vec::new();
            };
            overview::jump(state, &target, action == Action::Logs)
        }
        _ => Vec::new(),
    }
}
