//! The command palette (`:`): fuzzy search over commands and every
//! resource the sources know; choosing an entry runs or jumps to it.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::tab::Tab;
use super::triage::item::Target;

#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Quit,
    Help,
    Journal,
    /// Turns read-only on for the rest of the session. Turning it off is
    /// deliberately not offered: `--readonly` must hold once given.
    Readonly,
    Theme(String),
    Tab(Tab),
    Jump(Target),
    /// `:ctx NAME`: watch that context (alone) instead.
    KubeContext(String),
    /// `:ns NAME` (`*` for all, `a,b,c` a set): watch that instead.
    KubeNamespace(String),
    /// `:sel app=web` or `:pods -l app=web`: pods with those labels,
    /// filtered by the API server; `:sel` alone (None) clears it.
    KubeSelector(Option<String>),
    /// A repository or a workflow: the Actions tab's runs, filtered by
    /// this field filter (`repo:acme/web workflow:ci`).
    Runs(String),
    /// `:messages`: every message of the session, in full.
    Messages,
    /// `:timeline`: what changed, across sources.
    Timeline,
    /// `:images`, `:volumes`, `:networks`: that list in the Docker tab.
    DockerObjects(super::docker_objects::ObjectKind),
    /// `:pf`: the port-forwards of the session.
    PortForwards,
    /// `:sts`, `:ev`...: the list of a kind of `kube_kind`'s table, by plural.
    KubeKind(&'static str),
    /// A deployment (or other workload): its pods, filtered, in the Kubernetes tab.
    KubeWorkload {
        context: String,
        namespace: String,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What is matched and shown, e.g. `theme light`, `container shop-api-1`.
    pub label: String,
    pub choice: Choice,
    /// Made from the query itself (`ns NAME`), not from known resources.
    pub typed: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Palette {
    pub query: String,
    /// Indices into `entries`, best match first.
    pub matches: Vec<usize>,
    pub selected: usize,
    pub entries: Vec<Entry>,
}

pub const THEMES: [&str; 3] = ["dark", "light", "high-contrast"];

impl Palette {
    /// A palette over `entries` (collected once, when it opens).
    pub fn new(entries: Vec<Entry>) -> Palette {
        let mut palette = Palette {
            entries,
            ..Palette::default()
        };
        palette.refilter();
        palette
    }

    pub fn set_query(&mut self, query: String) {
        self.query = query;
        self.refilter();
    }

    fn refilter(&mut self) {
        self.selected = 0;
        // `ctx NAME` / `ns NAME` typed in full work for names not listed.
        self.entries.retain(|e| !e.typed);
        if let Some(e) = typed_command(&self.query) {
            self.entries.push(e);
        }
        if self.query.trim().is_empty() {
            self.matches = (0..self.entries.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                pattern
                    .score(Utf32Str::new(&e.label, &mut buf), &mut matcher)
                    .map(|score| (score, i))
            })
            .collect();
        // A label typed in full first (`ns` is the namespaces list, not
        // `ns *`); then best score; ties keep the entries' own order.
        let query = self.query.trim();
        let exact = |i: usize| self.entries[i].label.eq_ignore_ascii_case(query);
        scored.sort_by(|a, b| {
            exact(b.1)
                .cmp(&exact(a.1))
                .then(b.0.cmp(&a.0))
                .then(a.1.cmp(&b.1))
        });
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn move_selection(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let last = self.matches.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    pub fn chosen(&self) -> Option<&Entry> {
        self.matches
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
    }
}

pub fn entry(label: &str, choice: Choice) -> Entry {
    Entry {
        label: label.to_string(),
        choice,
        typed: false,
    }
}

/// `ctx NAME` or `ns NAME` typed in full, as an entry of its own, so a
/// namespace with no pods yet (or a context not listed) can be chosen.
fn typed_command(query: &str) -> Option<Entry> {
    let q = query.trim();
    // A selector may hold spaces (`env in (a,b)`): taken whole.
    let selector = q
        .strip_prefix("sel ")
        .or_else(|| q.strip_prefix("pods -l"))
        .or_else(|| q.strip_prefix("po -l"))
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(sel) = selector {
        let mut e = entry(q, Choice::KubeSelector(Some(sel.to_string())));
        e.typed = true;
        return Some(e);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_query_ranks_the_best_match_first() {
        let mut p = Palette::new(
            ["quit", "help", "theme dark", "theme light", "tab docker"]
                .map(|label| entry(label, Choice::Help))
                .to_vec(),
        );
        p.set_query("thm lig".into());
        assert_eq!(p.chosen().map(|e| e.label.as_str()), Some("theme light"));
        p.set_query("zzzz".into());
        assert!(p.chosen().is_none());
        p.set_query(String::new());
        assert_eq!(p.matches.len(), p.entries.len());
    }
}
