//! State of the Actions pane: runs of every watched repository merged into
//! one list (newest first by default), the derived row order (filtered,
//! sorted), the selection (kept by run across polls) and the drill-down:
//! runs → jobs and steps of one run → the log of one job.

use std::collections::{BTreeMap, BTreeSet};

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32Str};

use super::github::{Job, Outcome, RateLimit, Run, RunKey};
use super::ids::StreamId;
use super::loadable::Loadable;
use super::log_session::LogSession;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunSort {
    #[default]
    Newest,
    /// Failures first, then what is running, then the rest; newest first within.
    Status,
    Repo,
    Workflow,
}

impl RunSort {
    pub fn next(self) -> Self {
        match self {
            Self::Newest => Self::Status,
            Self::Status => Self::Repo,
            Self::Repo => Self::Workflow,
            Self::Workflow => Self::Newest,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Status => "status",
            Self::Repo => "repo",
            Self::Workflow => "workflow",
        }
    }
}

/// The jobs and steps of one run, re-polled by the source while it runs.
#[derive(Debug)]
pub struct RunDetail {
    pub key: RunKey,
    /// Replies for another request (a run the user has left) are dropped.
    pub request: StreamId,
    pub jobs: Loadable<Vec<Job>>,
    /// The selected job, by id, so it stays put while jobs are re-polled.
    pub selected: Option<u64>,
    /// Open the selected job's log as soon as the jobs arrive (`l` on a run).
    pub open_log_when_loaded: bool,
    /// Set once the user picks a job; until then the selection follows
    /// the job that is running (or failed).
    pub selection_moved: bool,
}

impl RunDetail {
    pub fn selected_job(&self) -> Option<&Job> {
        let jobs = self.jobs.data()?;
        let id = self.selected?;
        jobs.iter().find(|j| j.id == id)
    }

    pub fn selected_index(&self) -> Option<usize> {
        let jobs = self.jobs.data()?;
        let id = self.selected?;
        jobs.iter().position(|j| j.id == id)
    }

    pub fn move_selection(&mut self, delta: isize) {
        let Some(jobs) = self.jobs.data() else {
            return;
        };
        if jobs.is_empty() {
            return;
        }
        let current = self.selected_index().unwrap_or(0) as isize;
        let next = (current.saturating_add(delta)).clamp(0, jobs.len() as isize - 1) as usize;
        self.selected = jobs.get(next).map(|j| j.id);
        self.selection_moved = true;
    }
}

/// A dispatch waiting for its branch to be typed.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchDraft {
    pub repo: String,
    pub workflow_id: u64,
    pub workflow: String,
}

#[derive(Debug, Default)]
pub struct GithubPane {
    /// Runs of every repository, first page of each.
    pub runs: Loadable<BTreeMap<RunKey, Run>>,
    /// The repositories being watched, as the source resolved them.
    pub repos: Vec<String>,
    /// Repositories whose last poll failed on their own (e.g. 404), with why.
    pub repo_errors: BTreeMap<String, String>,
    /// Repositories that have answered at least once.
    pub answered: BTreeSet<String>,
    pub filter: String,
    pub sort: RunSort,
    /// Run keys in display order; recomputed when data, filter or sort change.
    pub order: Vec<RunKey>,
    pub selected: Option<RunKey>,
    /// Set once the user moves the selection; until then it stays on the
    /// newest row as runs of more repositories arrive.
    pub selection_moved: bool,
    pub offset: usize,
    pub detail: Option<RunDetail>,
    pub logs: Option<LogSession>,
    pub dispatch: Option<DispatchDraft>,
    pub rate: Option<RateLimit>,
    /// Requests made so far, and how many of them were answered 304.
    pub requests: u64,
    pub not_modified: u64,
}

impl GithubPane {
    pub fn run(&self, key: &RunKey) -> Option<&Run> {
        self.runs.data().and_then(|m| m.get(key))
    }

    pub fn selected_run(&self) -> Option<&Run> {
        self.selected.as_ref().and_then(|k| self.run(k))
    }

    /// The run the current view is about: the open one, else the selected row.
    pub fn current_run(&self) -> Option<&Run> {
        match &self.detail {
            Some(d) => self.run(&d.key),
            None => self.selected_run(),
        }
    }

    pub fn selected_index(&self) -> Option<usize> {
        let sel = self.selected.as_ref()?;
        self.order.iter().position(|k| k == sel)
    }

    /// Replaces one repository's runs with a fresh first page.
    pub fn replace_repo_runs(&mut self, repo: &str, runs: Vec<Run>) {
        self.answered.insert(repo.to_string());
        let mut map = match std::mem::take(&mut self.runs) {
            Loadable::Loaded(m) => m,
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => {
                stale.unwrap_or_default()
            }
            Loadable::NotLoaded => BTreeMap::new(),
        };
        map.retain(|(r, _), _| r != repo);
        for run in runs {
            map.insert(run.key(), run);
        }
        self.runs = Loadable::Loaded(map);
        self.rebuild_order();
    }

    /// Recomputes `order`, keeping the selection on the same run; if that run
    /// is gone (filtered out, or off the first page), the row at the same
    /// position is selected.
    pub fn rebuild_order(&mut self) {
        let previous_index = self.selected_index();
        let Some(map) = self.runs.data() else {
            self.order.clear();
            return;
        };
        let mut rows: Vec<&Run> = if self.filter.is_empty() {
            map.values().collect()
        } else {
            let pattern = Pattern::parse(&self.filter, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(MatcherConfig::DEFAULT);
            let mut buf = Vec::new();
            map.values()
                .filter(|r| {
                    let hay = r.haystack();
                    pattern
                        .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                        .is_some()
                })
                .collect()
        };
        let newest = |a: &Run, b: &Run| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| b.id.cmp(&a.id))
        };
        match self.sort {
            RunSort::Newest => rows.sort_by(|a, b| newest(a, b)),
            RunSort::Status => rows.sort_by(|a, b| {
                rank(a.outcome())
                    .cmp(&rank(b.outcome()))
                    .then_with(|| newest(a, b))
            }),
            RunSort::Repo => rows.sort_by(|a, b| a.repo.cmp(&b.repo).then_with(|| newest(a, b))),
            RunSort::Workflow => rows.sort_by(|a, b| {
                a.workflow
                    .cmp(&b.workflow)
                    .then_with(|| a.repo.cmp(&b.repo))
                    .then_with(|| newest(a, b))
            }),
        }
        self.order = rows.into_iter().map(Run::key).collect();
        if !self.selection_moved {
            self.selected = self.order.first().cloned();
            return;
        }
        let still_there = self
            .selected
            .as_ref()
            .is_some_and(|k| self.order.contains(k));
        if !still_there {
            let idx = previous_index
                .unwrap_or(0)
                .min(self.order.len().saturating_sub(1));
            self.selected = self.order.get(idx).cloned();
        }
    }

    pub fn move_selection(&mut self, delta: isize, viewport: usize) {
        if self.order.is_empty() {
            return;
        }
        let current = self.selected_index().unwrap_or(0) as isize;
        let last = self.order.len() as isize - 1;
        let next = (current.saturating_add(delta)).clamp(0, last) as usize;
        self.selection_moved = true;
        self.selected = self.order.get(next).cloned();
        self.scroll_into_view(viewport);
    }

    pub fn scroll_into_view(&mut self, viewport: usize) {
        let viewport = viewport.max(1);
        let idx = self.selected_index().unwrap_or(0);
        if idx < self.offset {
            self.offset = idx;
        } else if idx >= self.offset + viewport {
            self.offset = idx + 1 - viewport;
        }
        let max_offset = self.order.len().saturating_sub(viewport);
        self.offset = self.offset.min(max_offset);
    }

    /// Runs still going: the status bar and the poll interval care.
    pub fn active_runs(&self) -> usize {
        self.runs
            .data()
            .map(|m| m.values().filter(|r| r.is_going()).count())
            .unwrap_or(0)
    }
}

/// Sort rank for `RunSort::Status`: what needs attention first.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Failure => 0,
        Outcome::Waiting => 1,
        Outcome::Running => 2,
        Outcome::Queued => 3,
        Outcome::Cancelled => 4,
        Outcome::Success => 5,
        Outcome::Skipped => 6,
    }
}
