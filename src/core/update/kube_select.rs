//! Namespace sets and label selectors: `:ns a,b,c` watches a chosen set
//! (one watch per namespace, merged), `:sel app=web` (or `:pods -l
//! app=web`, or `-l app=web` in the `/` filter) sends a label selector
//! with every pods list and watch so the API server filters, and `:sel`
//! alone clears it. A selector the server refuses is said in plain words.

use crate::core::effect::Effect;
use crate::core::kube::{ContextInfo, KubeScope};
use crate::core::source::SourceHealth;
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;

/// Each (context, namespace) a view of a kind watches: one per namespace
/// of a set, None for all namespaces and for cluster kinds.
pub(super) fn targets(info: &ContextInfo, namespaced: bool) -> Vec<(String, Option<String>)> {
    let name = info.name.clone();
    match info.namespaces().filter(|_| namespaced) {
        None => vec![(name, None)],
        Some(list) => list
            .into_iter()
            .map(|ns| (name.clone(), Some(ns)))
            .collect(),
    }
}

/// `-l SELECTOR` (or `-lSELECTOR`, `--selector SELECTOR`) as kubectl takes
/// it: the selector, empty when none follows.
pub(crate) fn selector_flag(text: &str) -> Option<String> {
    let t = text.trim();
    let rest = t
        .strip_prefix("--selector")
        .or_else(|| t.strip_prefix("-l"))?;
    let rest = rest.strip_prefix('=').unwrap_or(rest);
    Some(rest.trim().to_string())
}

/// Watches with `selector` from now on (None: every pod); the source
/// restarts its watchers with it.
pub(super) fn set(state: &mut State, selector: Option<String>) -> Vec<Effect> {
    let selector = selector
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    state.tab = Tab::Kubernetes;
    let words = match &selector {
        Some(s) => format!("pods with labels {s} (filtered by the API server)"),
        None => "label selector cleared: all pods".to_string(),
    };
    state.toast(ToastLevel::Info, words);
    let scope = KubeScope {
        selector,
        ..state.kube.scope.clone()
    };
    super::kube::set_scope(state, scope)
}

/// Enter in the pods list's filter: `-l ...` becomes the selector.
pub(super) fn filter_entered(state: &mut State, text: &str) -> Vec<Effect> {
    match selector_flag(text) {
        Some(sel) => set(state, Some(sel)),
        None => Vec::new(),
    }
}

/// The server refused the selector: said once, the context shows why.
pub(super) fn rejected(state: &mut State, context: &str, error: String) {
    if let Some(c) = state.kube.contexts.get_mut(context) {
        c.health = SourceHealth::Unusable {
            short: "label selector refused".into(),
            detail: error.clone(),
        };
        c.loaded = true;
    }
    if state.kube.pods.data().is_none() {
        state.kube.replace_context(context, Vec::new());
    }
    super::kube::refresh_health(state);
    state.toast(ToastLevel::Error, error);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selector_flag_reads_as_kubectl_reads_it() {
        assert_eq!(selector_flag("-l app=web"), Some("app=web".into()));
        assert_eq!(selector_flag("-lapp=web"), Some("app=web".into()));
        assert_eq!(
            selector_flag("--selector=env in (a,b)"),
            Some("env in (a,b)".into())
        );
        assert_eq!(selector_flag("-l"), Some(String::new()));
        assert_eq!(selector_flag("web"), None);
    }

    #[test]
    fn a_set_is_one_target_per_namespace_and_cluster_kinds_ignore_it() {
        let info = ContextInfo {
            name: "kind".into(),
            namespace: "shop,payments".into(),
            danger: false,
        };
        assert_eq!(
            targets(&info, true),
            [
                ("kind".to_string(), Some("shop".to_string())),
                ("kind".to_string(), Some("payments".to_string()))
            ]
        );
        assert_eq!(targets(&info, false), [("kind".to_string(), None)]);
    }
}
