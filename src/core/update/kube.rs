//! The Kubernetes pane's part of `update`: source events and list keys.
//! Logs live in `kube_logs`, mutations in `kube_ops`.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube_msg::{KubeCommand, KubeEvent, ObjectView};
use crate::core::kube_pane::{ContextState, PodDetail};
use crate::core::loadable::Loadable;
use crate::core::source::SourceHealth;
use crate::core::state::State;

use super::{
    kube_kind, kube_logs, kube_metrics, kube_nodes, kube_object, kube_ops, kube_select, kube_shell,
    view,
};

pub(super) fn on_event(state: &mut State, ev: KubeEvent) -> Vec<Effect> {
    let pane = &mut state.kube;
    match ev {
        KubeEvent::Contexts { known, watching } => {
            pane.known_contexts = known;
            let before = std::mem::take(&mut pane.contexts);
            for info in watching {
                // A context whose namespace changed shows nothing stale
                // from the old namespace while the new list loads.
                let kept = before.get(&info.name).filter(|c| c.info == info).cloned();
                let entry = kept.unwrap_or_else(|| ContextState {
                    health: SourceHealth::Connecting {
                        target: info.name.clone(),
                    },
                    info: info.clone(),
                    loaded: false,
                });
                pane.contexts.insert(info.name.clone(), entry);
            }
            let contexts = &pane.contexts;
            if let Some(map) = pane.pods.data_mut() {
                map.retain(|k, _| contexts.get(&*k.context).is_some_and(|c| c.loaded));
            }
            pane.rs_owners.retain(|k, _| contexts.contains_key(&*k.0));
            pane.warnings.retain_contexts(|c| contexts.contains_key(c));
            // The source made new clients: the poll starts again with them.
            pane.metrics.polling = None;
            if !pane.contexts.values().any(|c| c.loaded) {
                pane.pods.start_loading();
            }
            pane.rebuild_order();
            refresh_health(state);
            kube_kind::after_scope_change(state)
        }
        KubeEvent::Snapshot { context, pods } => {
            pane.replace_context(&context, pods);
            touch(state, &context);
            after_list_change(state)
        }
        KubeEvent::NamespaceSnapshot {
            context,
            namespace,
            pods,
        } => {
            pane.replace_namespace(&context, &namespace, pods);
            touch(state, &context);
            after_list_change(state)
        }
        KubeEvent::ScopeNarrowed {
            context,
            namespaces,
            reason: _,
        } => {
            // The source logged the server's refusal; the pane says it plainly.
            let shown = namespaces.join(", ");
            if let Some(c) = pane.contexts.get_mut(&context) {
                c.info.namespace = format!("{shown} (forbidden at cluster scope)");
            }
            state.toast(
                crate::core::toast::ToastLevel::Info,
                format!(
                    "{context}: listing pods is forbidden at cluster scope; showing namespace {shown}"
                ),
            );
            Vec::new()
        }
        KubeEvent::SelectorRejected { context, error } => {
            kube_select::rejected(state, &context, error);
            Vec::new()
        }
        KubeEvent::Changes { upserts, deleted } => {
            // A batch comes from one context's watch.
            let context = upserts
                .first()
                .map(|p| p.key.context.clone())
                .or_else(|| deleted.first().map(|k| k.context.clone()));
            pane.apply_changes(upserts, deleted);
            if let Some(context) = context {
                touch(state, &context);
            }
            after_list_change(state)
        }
        KubeEvent::ReplicaSets {
            context,
            full,
            sets,
            deleted,
        } => {
            if full {
                pane.rs_owners.retain(|k, _| *k.0 != *context);
            }
            let ctx: std::sync::Arc<str> = context.as_str().into();
            for (ns, name) in deleted {
                pane.rs_owners.remove(&(ctx.clone(), ns.into(), name));
            }
            for (ns, name, owner) in sets {
                pane.rs_owners.insert((ctx.clone(), ns.into(), name), owner);
            }
            let by_owner = pane.kind.as_ref().is_some_and(|k| k.pods_of.is_some());
            if !pane.list.filter().is_empty() || by_owner {
                pane.rebuild_order();
            }
            Vec::new()
        }
        KubeEvent::Warnings {
            context,
            full,
            upserts,
            deleted,
        } => {
            let now = state.clock;
            let warnings = &mut state.kube.warnings;
            if full {
                warnings.replace_context(&context, upserts, now);
            } else {
                warnings.apply(&context, upserts, deleted, now);
            }
            after_list_change(state)
        }
        // Read by the timeline before the panes see the message.
        KubeEvent::Rollouts { .. } => Vec::new(),
        KubeEvent::Kind { request, event } => kube_kind::on_event(state, request, event),
        KubeEvent::PortForward(event) => super::port_forward::on_event(state, event),
        KubeEvent::Metrics { request, event } => kube_metrics::on_event(state, request, event),
        KubeEvent::Object { stream, result } => {
            kube_object::arrived(state, stream, result);
            Vec::new()
        }
        KubeEvent::PodEvents { request, result } => {
            if let Some(detail) = pane.detail.as_mut().filter(|d| d.request == request) {
                detail.events = match result {
                    Ok(list) => Loadable::Loaded(list),
                    Err(e) => {
                        let mut events = std::mem::take(&mut detail.events);
                        events.fail(e);
                        events
                    }
                };
            }
            Vec::new()
        }
        KubeEvent::DrainPlan { request, result } => kube_nodes::planned(state, request, result),
        KubeEvent::DrainProgress {
            context,
            node,
            text,
        } => {
            kube_nodes::progress(state, &context, &node, text);
            Vec::new()
        }
        KubeEvent::LogSwitched { stream, previous } => {
            kube_logs::switched(state, stream, previous);
            Vec::new()
        }
    }
}

/// Marks the context as freshly updated (the status bar's "last update").
fn touch(state: &mut State, context: &str) {
    let clock = state.clock;
    if let Some(c) = state.kube.contexts.get_mut(context)
        && let SourceHealth::Connected { last_update, .. } = &mut c.health
    {
        *last_update = clock;
    }
    refresh_health(state);
}

pub(super) fn refresh_health(state: &mut State) {
    if let Some(h) = state.kube.combined_health() {
        state.kube_health = h;
    }
}

fn after_list_change(state: &mut State) -> Vec<Effect> {
    state.breakage_dirty = true;
    Vec::new()
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if state.kube.logs.is_some() {
        return kube_logs::on_log_action(state, action);
    }
    if let Some(effects) = super::port_forward::on_action(state, action) {
        return effects;
    }
    match action {
        Action::Yaml => return kube_object::open_selected(state, ObjectView::Yaml),
        Action::Describe => return kube_object::open_selected(state, ObjectView::Describe),
        _ => {}
    }
    let in_detail = state.kube.detail.is_some();
    if !in_detail && let Some(effects) = kube_kind::on_action(state, action) {
        return effects;
    }
    let pane = &mut state.kube;
    if let Some(nav) = view::nav(action).filter(|_| !in_detail) {
        pane.list.navigate(nav);
        return Vec::new();
    }
    match action {
        Action::SortNext if !in_detail => {
            pane.list.cycle_sort();
            pane.rebuild_order();
        }
        Action::SortReverse if !in_detail => {
            pane.list.reverse();
            pane.rebuild_order();
        }
        Action::Back if in_detail => return close_detail(state),
        Action::Open if in_detail => return close_detail(state),
        Action::Back if !pane.list.filter().is_empty() => {
            return set_filter(state, String::new());
        }
        Action::Open => return open_detail(state),
        Action::Logs => return kube_logs::open_selected(state, None),
        Action::WorkloadLogs => return kube_logs::open_workload(state),
        Action::Copy => {
            if let Some(p) = pane.selected_pod() {
                return vec![Effect::Copy(p.key.name.to_string())];
            }
        }
        Action::Shell => return kube_shell::ask_shell(state),
        Action::DeletePod => return kube_ops::ask_delete(state),
        Action::RolloutRestart => return kube_ops::ask_restart(state),
        Action::Scale => return kube_ops::ask_scale(state),
        _ => {}
    }
    Vec::new()
}

pub(super) fn set_filter(state: &mut State, text: String) -> Vec<Effect> {
    // `-l app=web` is a label selector for the server (sent on Enter),
    // not text to match rows by while it is typed.
    let text = match kube_select::selector_flag(&text) {
        Some(_) => String::new(),
        None => text,
    };
    if super::port_forward::set_filter(state, &text) || kube_kind::set_filter(state, &text) {
        return Vec::new();
    }
    let pane = &mut state.kube;
    pane.list.set_filter(text);
    pane.rebuild_order();
    Vec::new()
}

pub(super) fn open_detail(state: &mut State) -> Vec<Effect> {
    let Some(key) = state.kube.list.selected().cloned() else {
        return Vec::new();
    };
    let request = state.new_stream_id();
    state.kube.detail = Some(PodDetail {
        key: key.clone(),
        request,
        events: Loadable::Loading { stale: None },
    });
    vec![Effect::Kube(KubeCommand::WatchEvents { request, pod: key })]
}

pub(super) fn close_detail(state: &mut State) -> Vec<Effect> {
    state.kube.detail = None;
    vec![Effect::Kube(KubeCommand::StopEvents)]
}

/// Switches to other contexts or namespaces: the source restarts its
/// watchers; the list shows loading until the new pods arrive.
pub(super) fn set_scope(state: &mut State, scope: crate::core::kube::KubeScope) -> Vec<Effect> {
    let mut effects = kube_logs::close(state);
    if state.kube.detail.take().is_some() {
        effects.push(Effect::Kube(KubeCommand::StopEvents));
    }
    state.kube.scope = scope.clone();
    state.kube.list.set_filter("");
    effects.push(Effect::Kube(KubeCommand::SetScope(scope)));
    effects
}

/// Shows a workload's pods: the list filtered by its name, its first pod selected.
pub(super) fn show_workload(
    state: &mut State,
    context: &str,
    namespace: &str,
    name: &str,
) -> Vec<Effect> {
    state.tab = crate::core::state::Tab::Kubernetes;
    let mut effects = kube_logs::close(state);
    if state.kube.detail.take().is_some() {
        effects.push(Effect::Kube(KubeCommand::StopEvents));
    }
    effects.extend(kube_kind::close(state));
    effects.extend(set_filter(state, name.to_string()));
    let pane = &state.kube;
    let first = pane.list.order().iter().find(|k| {
        &*k.context == context
            && &*k.namespace == namespace
            && pane
                .pod(k)
                .and_then(|p| pane.workload(p))
                .is_some_and(|o| o.name == name)
    });
    if let Some(key) = first.cloned() {
        state.kube.list.select(&key);
    }
    effects
}
