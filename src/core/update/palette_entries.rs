//! What the palette offers, collected from the state when it opens:
//! commands, themes, tabs, containers, the Kubernetes contexts,
//! namespaces, workloads and pods, and GitHub's repositories, workflows
//! and runs.

use std::collections::BTreeSet;

use crate::core::docker_objects::ObjectKind;
use crate::core::palette::{Choice, Entry, THEMES, entry};
use crate::core::state::{State, Tab};
use crate::core::triage::Target;

/// Collects the entries once, when the palette opens.
pub(super) fn entries(state: &State) -> Vec<Entry> {
    let mut entries = vec![
        entry("quit", Choice::Quit),
        entry("q", Choice::Quit),
        entry("help", Choice::Help),
        entry("readonly", Choice::Readonly),
        entry("journal", Choice::Journal),
        entry("messages", Choice::Messages),
        entry("timeline", Choice::Timeline),
    ];
    for theme in THEMES {
        entries.push(entry(
            &format!("theme {theme}"),
            Choice::Theme(theme.into()),
        ));
    }
    for tab in Tab::ALL {
        entries.push(entry(
            &format!("tab {}", tab.title().to_lowercase()),
            Choice::Tab(tab),
        ));
    }
    if let Some(map) = state.docker.containers.data() {
        for kind in [
            ObjectKind::Images,
            ObjectKind::Volumes,
            ObjectKind::Networks,
            ObjectKind::Projects,
        ] {
            entries.push(entry(kind.word(), Choice::DockerObjects(kind)));
        }
        for c in map.values() {
            entries.push(entry(
                &format!("container {}", c.name),
                Choice::Jump(Target::Container { id: c.key() }),
            ));
        }
    }
    kube_entries(state, &mut entries);
    github_entries(state, &mut entries);
    entries
}

/// Runs beyond this many (newest first) are left out: the palette is for
/// jumping to what is current; older runs are a filter away in the tab.
const MAX_RUN_ENTRIES: usize = 300;

fn github_entries(state: &State, entries: &mut Vec<Entry>) {
    let pane = &state.github;
    for repo in &pane.repos {
        entries.push(entry(
            &format!("repo {repo}"),
            Choice::Runs(format!("repo:{repo}")),
        ));
    }
    let Some(runs) = pane.runs.data() else {
        return;
    };
    let workflows: BTreeSet<(&str, &str)> = runs
        .values()
        .map(|r| (r.repo.as_str(), r.workflow.as_str()))
        .collect();
    for (repo, workflow) in workflows {
        // A field filter is one word: a workflow named with spaces becomes
        // one term per word, all of which must match.
        let words: Vec<String> = workflow
            .split_whitespace()
            .map(|w| format!("workflow:{w}"))
            .collect();
        entries.push(entry(
            &format!("workflow {repo} {workflow}"),
            Choice::Runs(format!("repo:{repo} {}", words.join(" "))),
        ));
    }
    let mut newest: Vec<_> = runs.values().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    for run in newest.into_iter().take(MAX_RUN_ENTRIES) {
        entries.push(entry(
            &format!(
                "run {} {} {} {}",
                run.repo,
                run.workflow,
                run.number_text(),
                run.title
            ),
            Choice::Jump(Target::Run {
                repo: run.repo.clone(),
                id: run.id,
            }),
        ));
    }
}

fn kube_entries(state: &State, entries: &mut Vec<Entry>) {
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
        if pane.scope.selector.is_some() {
            entries.push(entry("sel", Choice::KubeSelector(None)));
        }
        for name in ["pf", "portforward", "portforwards"] {
            entries.push(entry(name, Choice::PortForwards));
        }
        for spec in crate::core::kube_kinds::all() {
            for alias in spec.aliases {
                entries.push(entry(alias, Choice::KubeKind(spec.plural)));
            }
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
