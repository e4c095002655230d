//! The layering rules of the code, checked on its text so they stay true:
//! the core knows no terminal library and reads no clock, and its files do
//! not import each other in a cycle (a cycle is how a pure core turns into
//! one knot again).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const CORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/core");

/// Every non-test source file under `dir`, by its module path relative to
/// `dir` (`triage/item`, `state`; a `mod.rs` is its folder's name).
fn modules(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path: PathBuf = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.to_string_lossy();
            if !name.ends_with(".rs") || name.contains("tests") {
                continue;
            }
            let rel = path.strip_prefix(dir).expect("under dir");
            let mut module = rel.with_extension("").to_string_lossy().replace('\\', "/");
            if let Some(folder) = module.strip_suffix("/mod") {
                module = folder.to_string();
            }
            let text = std::fs::read_to_string(&path).expect("read");
            // What follows `#[cfg(test)]` is test code, held to other rules.
            let product = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            out.insert(module, product);
        }
    }
    out
}

#[test]
fn the_core_knows_no_terminal_library_and_reads_no_clock() {
    let mut offences = Vec::new();
    for (module, text) in modules(Path::new(CORE)) {
        for banned in [
            "crossterm::",
            "ratatui::",
            "Utc::now",
            "Instant::now",
            "SystemTime::now",
        ] {
            if text.contains(banned) {
                offences.push(format!("core/{module} uses {banned}"));
            }
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

/// The module a path such as `super::triage::item::Target` or
/// `crate::core::state::State` names, as seen from `from`.
fn target_of(path: &str, from: &str, known: &BTreeSet<String>) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let rest = if let Some(rest) = path.strip_prefix("crate::core::") {
        rest
    } else if let Some(rest) = path.strip_prefix("super::") {
        // `super` of `a/b` (a file) and of `a` (a folder's mod.rs) alike is
        // the module one up from the file's own module path.
        let mut base: Vec<String> = from.split('/').map(String::from).collect();
        base.pop();
        parts.extend(base);
        rest
    } else {
        return None;
    };
    parts.extend(rest.split("::").map(String::from));
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("/"))
        .find(|candidate| known.contains(candidate))
}

fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(CORE);
    let mods = modules(dir);
    let known: BTreeSet<String> = mods.keys().cloned().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in &mods {
        let mut edges = BTreeSet::new();
        for prefix in ["crate::core::", "super::"] {
            for (i, _) in text.match_indices(prefix) {
                let path: String = text[i..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if let Some(t) = target_of(&path, module, &known)
                    && t != *module
                {
                    edges.insert(t);
                }
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

#[test]
fn no_two_core_files_import_each_other_in_a_cycle() {
    let graph = import_graph();
    assert!(graph.len() > 20, "the core was read: {:?}", graph.keys());
    // Depth-first search for a back edge; the path to it is the cycle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, path) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut done, &mut Vec::new()) {
            panic!(
                "core files import each other in a cycle: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn import_paths_resolve_to_the_files_they_name() {
    let known: BTreeSet<String> = ["state", "triage", "triage/item"]
        .map(String::from)
        .into_iter()
        .collect();
    assert_eq!(
        target_of("super::state::State", "triage", &known).as_deref(),
        Some("state")
    );
    assert_eq!(
        target_of("super::item::Target", "triage/notifier", &known).as_deref(),
        Some("triage/item")
    );
    assert_eq!(
        target_of("crate::core::triage::item::Target", "state", &known).as_deref(),
        Some("triage/item")
    );
    assert_eq!(target_of("crate::ui::draw", "state", &known), None);
}

#[test]
fn the_core_never_reaches_into_a_source() {
    let offences: Vec<String> = modules(Path::new(CORE))
        .into_iter()
        .filter(|(_, text)| {
            text.contains("crate::sources") || text.contains("super::super::sources")
        })
        .map(|(module, _)| format!("core/{module} imports from sources"))
        .collect();
    assert!(offences.is_empty(), "{offences:#?}");
}
