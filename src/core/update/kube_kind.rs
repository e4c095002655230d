//! The view of one simple kind (`:sts`, `:svc`, `:ev`...): opening it
//! starts its watch, closing it stops it. `Enter` follows the row's link:
//! a workload's pods (by the pods' controller reference, through their
//! ReplicaSet for a deployment), a namespace to switch to, an event's
//! involved object, and for a kind without children (services,
//! secrets...) its description. The actions its spec lists (rollout
//! restart, scale) go through `kube_ops` like the pods'.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::{KubeScope, NamespaceScope, OwnerRef, PodKey};
use crate::core::kube_kind::{KindAction, KindEvent, KindRow, KindSpec, KindView, Link, OwnedBy};
use crate::core::kube_kinds;
use crate::core::kube_msg::{KubeCommand, ObjectRef, ObjectView};
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;

use super::{kube, kube_logs, kube_object, kube_ops, view};

/// Each watched context and its namespace (None: all of them, and always
/// for cluster kinds such as nodes).
fn targets(state: &State, spec: &KindSpec) -> Vec<(String, Option<String>)> {
    state
        .kube
        .contexts
        .values()
        .flat_map(|c| super::kube_select::targets(&c.info, spec.namespaced))
        .collect()
}

fn watch(state: &mut State, spec: &'static KindSpec) -> Vec<Effect> {
    let request = state.new_stream_id();
    let targets = targets(state, spec);
    state.kube.kind = Some(KindView::new(spec, request));
    vec![Effect::Kube(KubeCommand::WatchKind {
        request,
        plural: spec.plural,
        targets,
    })]
}

/// `:sts` and the like: the list, in the Kubernetes tab; already open, back to it.
pub(super) fn open(state: &mut State, spec: &'static KindSpec) -> Vec<Effect> {
    state.tab = Tab::Kubernetes;
    let mut effects = kube_logs::close(state);
    if state.kube.detail.is_some() {
        effects.extend(kube::close_detail(state));
    }
    match state.kube.kind.as_mut().filter(|v| v.spec == spec) {
        Some(view) => {
            view.pods_of = None;
            state.kube.rebuild_order();
        }
        None => effects.extend(watch(state, spec)),
    }
    effects
}

/// `:` with a word that names a kind opens it (the palette's entries).
pub(super) fn open_named(state: &mut State, plural: &str) -> Vec<Effect> {
    match kube_kinds::all().find(|k| k.plural == plural) {
        Some(spec) => open(state, spec),
        None => Vec::new(),
    }
}

/// Back to the pods; the watch stops with the view.
pub(super) fn close(state: &mut State) -> Vec<Effect> {
    if state.kube.kind.take().is_none() {
        return Vec::new();
    }
    state.kube.rebuild_order();
    vec![Effect::Kube(KubeCommand::StopKind)]
}

/// The watched contexts or namespaces changed: the open view watches the new ones.
pub(super) fn after_scope_change(state: &mut State) -> Vec<Effect> {
    let Some(old) = state.kube.kind.as_ref() else {
        return Vec::new();
    };
    let (spec, pods_of, warnings_only) = (old.spec, old.pods_of.clone(), old.warnings_only);
    let effects = watch(state, spec);
    let watched = pods_of.filter(|(k, _)| state.kube.contexts.contains_key(&*k.context));
    if let Some(view) = state.kube.kind.as_mut() {
        view.pods_of = watched;
        view.warnings_only = warnings_only;
    }
    state.kube.rebuild_order();
    effects
}

pub(super) fn on_event(state: &mut State, request: u64, event: KindEvent) -> Vec<Effect> {
    if let Some(view) = state.kube.kind.as_mut().filter(|v| v.request == request) {
        view.apply(event);
        super::kube_metrics::fill_nodes(state);
    }
    Vec::new()
}

/// Keys while the view is open; None leaves them to the pods list (a
/// workload's pods are the pods list, filtered).
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let view = state.kube.kind.as_mut()?;
    if !view.listing() {
        if action == Action::Back && state.kube.list.filter().is_empty() {
            view.pods_of = None;
            state.kube.rebuild_order();
            return Some(Vec::new());
        }
        return None;
    }
    if let Some(nav) = view::nav(action) {
        view.list.navigate(nav);
        return Some(Vec::new());
    }
    let selected = view.selected().cloned();
    if view.spec.kind == "Node"
        && let Some(effects) = super::kube_nodes::on_action(state, action, selected.clone())
    {
        return Some(effects);
    }
    let Some(view) = state.kube.kind.as_mut() else {
        return Some(Vec::new());
    };
    let spec = view.spec;
    let effects = match action {
        Action::SortNext => {
            view.cycle_sort();
            Vec::new()
        }
        Action::SortReverse => {
            view.list.reverse();
            view.rebuild_order();
            Vec::new()
        }
        Action::WarningsOnly if view.spec.kind == "Event" => {
            view.warnings_only = !view.warnings_only;
            view.rebuild_order();
            Vec::new()
        }
        Action::Back if !view.list.filter().is_empty() => {
            view.list.set_filter("");
            view.rebuild_order();
            Vec::new()
        }
        Action::Back => match view.owned_by.clone() {
            Some(owned) => back_to_owner(state, owned),
            None => close(state),
        },
        Action::Open => match selected {
            Some(row) => follow(state, &row.key, row.link),
            None => Vec::new(),
        },
        Action::Copy => selected
            .map(|r| vec![Effect::Copy(r.key.name.to_string())])
            .unwrap_or_default(),
        _ => match (spec.action_for(action), selected) {
            (Some(act), Some(row)) => ask(state, spec, act, row),
            // Pod keys (logs, delete) and actions the kind does not
            // offer mean nothing on these rows.
            _ => Vec::new(),
        },
    };
    Some(effects)
}

/// Rollout restart or scale of the selected row, asked through the one
/// action path (dialog, `y`, read-only refusal, journal).
fn ask(state: &mut State, spec: &KindSpec, act: KindAction, row: KindRow) -> Vec<Effect> {
    let (context, namespace) = (row.key.context.to_string(), row.key.namespace.to_string());
    let owner = OwnerRef {
        kind: spec.kind.to_string(),
        name: row.key.name.to_string(),
    };
    match act {
        KindAction::RolloutRestart => kube_ops::ask_restart_owner(state, context, namespace, owner),
        KindAction::Scale => {
            let now = row.wanted().unwrap_or_default() as usize;
            kube_ops::open_replicas(state, context, namespace, owner, now)
        }
    }
}

/// `Enter` on a row: where its link leads.
fn follow(state: &mut State, key: &PodKey, link: Link) -> Vec<Effect> {
    match link {
        // A kind without children (a service, a secret): its description.
        Link::Nothing => {
            let object = ObjectRef {
                context: key.context.to_string(),
                kind: state
                    .kube
                    .kind
                    .as_ref()
                    .map(|v| v.spec.kind)
                    .unwrap_or_default()
                    .to_string(),
                namespace: key.namespace.to_string(),
                name: key.name.to_string(),
            };
            kube_object::open(state, object, ObjectView::Describe)
        }
        Link::Pods(owner) => {
            if let Some(view) = state.kube.kind.as_mut() {
                view.pods_of = Some((key.clone(), owner));
            }
            state.kube.list.set_filter("");
            state.kube.rebuild_order();
            state.kube.list.select_first();
            Vec::new()
        }
        Link::Namespace(ns) => {
            let mut effects = close(state);
            let scope = KubeScope {
                namespace: NamespaceScope::parse(&ns),
                ..state.kube.scope.clone()
            };
            effects.extend(kube::set_scope(state, scope));
            effects
        }
        Link::Object {
            kind,
            namespace,
            name,
        } => show_object(state, &key.context, &kind, &namespace, &name),
        Link::Owned { kind, owner } => {
            let (Some(spec), Some(parent_spec)) = (
                kube_kinds::by_kind(kind),
                state.kube.kind.as_ref().map(|v| v.spec),
            ) else {
                return Vec::new();
            };
            let effects = open(state, spec);
            if let Some(view) = state.kube.kind.as_mut() {
                view.owned_by = Some(OwnedBy {
                    parent: key.clone(),
                    parent_spec,
                    owner,
                });
                view.rebuild_order();
            }
            effects
        }
    }
}

/// `Esc` in a view narrowed to an owner: back to the owner's kind, the
/// owner selected.
fn back_to_owner(state: &mut State, owned: OwnedBy) -> Vec<Effect> {
    let effects = open(state, owned.parent_spec);
    if let Some(view) = state.kube.kind.as_mut() {
        view.select_when_listed = Some(owned.parent);
        view.rebuild_order();
    }
    effects
}

/// Shows the object `kind` `namespace/name` of `context`: a pod in the
/// pods list, another kind in its view, selected once its row arrives.
pub(super) fn show_object(
    state: &mut State,
    context: &str,
    kind: &str,
    namespace: &str,
    name: &str,
) -> Vec<Effect> {
    let target = PodKey::new(context, namespace, name);
    if kind == "Pod" {
        let effects = close(state);
        if state.kube.pod(&target).is_some() {
            state.kube.list.set_filter("");
            state.kube.rebuild_order();
            state.kube.list.select(&target);
        } else {
            state.toast(ToastLevel::Info, format!("pod {target} is not listed"));
        }
        return effects;
    }
    let Some(spec) = kube_kinds::by_kind(kind) else {
        state.toast(
            ToastLevel::Info,
            format!("{kind} {name}: that kind has no view here"),
        );
        return Vec::new();
    };
    // Cluster kinds (nodes) have no namespace in their key.
    let target = if spec.namespaced {
        target
    } else {
        PodKey::new(context, "", name)
    };
    let effects = open(state, spec);
    if let Some(view) = state.kube.kind.as_mut() {
        // Selected as soon as its row arrives (the list keeps a
        // selection by key until the row shows up).
        view.select_when_listed = Some(target);
        view.rebuild_order();
    }
    effects
}

/// The `/` filter, while the list is on screen.
pub(super) fn set_filter(state: &mut State, text: &str) -> bool {
    match state.kube.kind.as_mut().filter(|v| v.listing()) {
        Some(view) => {
            view.list.set_filter(text);
            view.rebuild_order();
            true
        }
        None => false,
    }
}

#[cfg(test)]
#[path = "kube_kind_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "kube_kind_workload_tests.rs"]
mod workload_tests;
