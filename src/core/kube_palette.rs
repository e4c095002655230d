//! The Kubernetes entries of the command palette: contexts (`ctx NAME`),
//! namespaces (`ns NAME`, `ns *`), pods and their workloads.

use std::collections::BTreeSet;

use super::palette::{Choice, Entry, entry};
use super::state::State;
use super::triage::Target;

pub(super) fn add_entries(state: &State, entries: &mut Vec<Entry>) {
    let pane = &state.kube;
    for ctx in &pane.known_contexts {
        entries.push(entry(
            &format!("ctx {ctx}"),
            Choice::KubeContext(ctx.clone()),
        ));
    }
    if !pane.contexts.is_empty() {
        entries.push(entry(
            "ns * (all namespaces)",
            Choice::KubeNamespace("*".into()),
        ));
        for ns in pane.namespaces() {
            entries.push(entry(&format!("ns {ns}"), Choice::KubeNamespace(ns)));
        }
    }
    let Some(map) = pane.pods.data() else {
        return;
    };
    let mut workloads = BTreeSet::new();
    for p in map.values() {
        if let Some(owner) = pane.workload(p).filter(|o| o.is_workload()) {
            workloads.insert((
                p.key.context.clone(),
                p.key.namespace.clone(),
                owner.kind,
                owner.name,
            ));
        }
    }
    for (context, namespace, kind, name) in workloads {
        entries.push(entry(
            &format!("{} {namespace}/{name}", kind.to_lowercase()),
            Choice::KubeWorkload {
                context: context.to_string(),
                namespace: namespace.to_string(),
                name,
            },
        ));
    }
    for p in map.values() {
        entries.push(entry(
            &format!("pod {}/{}", p.key.namespace, p.key.name),
            Choice::Jump(Target::Pod {
                context: p.key.context.to_string(),
                namespace: p.key.namespace.to_string(),
                name: p.key.name.to_string(),
            }),
        ));
    }
}

/// `ctx NAME` or `ns NAME` typed in full, as an entry of its own, so a
/// namespace with no pods yet (or a context not listed) can be chosen.
pub(super) fn typed_command(query: &str) -> Option<Entry> {
    let q = query.trim();
    let (choice, label) = if let Some(name) = q.strip_prefix("ctx ") {
        let name = name.trim();
        (Choice::KubeContext(name.to_string()), format!("ctx {name}"))
    } else if let Some(name) = q.strip_prefix("ns ") {
        let name = name.trim();
        (
            Choice::KubeNamespace(name.to_string()),
            format!("ns {name}"),
        )
    } else {
        return None;
    };
    let valid = label
        .split_once(' ')
        .is_some_and(|(_, n)| !n.is_empty() && !n.contains(char::is_whitespace));
    valid.then(|| {
        let mut e = entry(&label, choice);
        e.typed = true;
        e
    })
}
