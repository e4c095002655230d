//! State of the Actions pane: runs of every watched repository merged into
//! one list (newest first by default), the derived row order (filtered,
//! sorted), the selection (kept by run across polls) and the drill-down:
//! runs → jobs and steps of one run → the log of one job.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::filter::Fields;
use super::github::{Job, Outcome, RateLimit, Run, RunKey};
use super::ids::StreamId;
use super::list::{ListState, Nav, RowSpec, SortColumn};
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

impl SortColumn for RunSort {
    fn next(self) -> Self {
        match self {
            Self::Newest => Self::Status,
            Self::Status => Self::Repo,
            Self::Repo => Self::Workflow,
            Self::Workflow => Self::Newest,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Status => "status",
            Self::Repo => "repo",
            Self::Workflow => "workflow",
        }
    }
}

struct RunRows;

impl RowSpec<Run> for RunRows {
    type Key = RunKey;
    type Sort = RunSort;

    fn key(&self, r: &Run) -> RunKey {
        r.key()
    }

    fn fields(&self, r: &Run, out: &mut Fields) {
        // The title is the run's name on screen, as in `gh run list`.
        out.name(&r.title);
        out.field(&["workflow"], &r.workflow);
        out.field(&["repo", "repository"], &r.repo);
        out.field(&["branch"], &r.branch);
        out.field(&["status", "state", "conclusion"], r.word());
        out.field(&["event"], &r.event);
        out.field(&["actor", "user"], &r.actor);
        out.field(&["number"], &r.number_text());
        out.field(&["sha", "commit"], &r.head_sha);
    }

    fn compare(&self, a: &Run, b: &Run, sort: RunSort) -> Ordering {
        let newest = || {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| b.id.cmp(&a.id))
        };
        match sort {
            RunSort::Newest => newest(),
            RunSort::Status => rank(a.outcome()).cmp(&rank(b.outcome())).then_with(newest),
            RunSort::Repo => a.repo.cmp(&b.repo).then_with(newest),
            RunSort::Workflow => a
                .workflow
                .cmp(&b.workflow)
                .then_with(|| a.repo.cmp(&b.repo))
                .then_with(newest),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobSort {
    /// The order GitHub lists them (the workflow's order).
    #[default]
    Order,
    /// Failures first, then what is running, then the rest.
    Status,
    Name,
}

impl SortColumn for JobSort {
    fn next(self) -> Self {
        match self {
            Self::Order => Self::Status,
            Self::Status => Self::Name,
            Self::Name => Self::Order,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Status => "status",
            Self::Name => "name",
        }
    }
}

struct JobRows;

impl RowSpec<Job> for JobRows {
    type Key = u64;
    type Sort = JobSort;

    fn key(&self, j: &Job) -> u64 {
        j.id
    }

    fn fields(&self, j: &Job, out: &mut Fields) {
        out.name(&j.name);
        out.field(&["status", "state", "conclusion"], j.word());
    }

    fn compare(&self, a: &Job, b: &Job, sort: JobSort) -> Ordering {
        match sort {
            // Equal keeps GitHub's order: the list's sort is stable.
            JobSort::Order => Ordering::Equal,
            JobSort::Status => rank(a.outcome()).cmp(&rank(b.outcome())),
            JobSort::Name => a.name.cmp(&b.name),
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
    /// The jobs by id, so the selection stays put while jobs are re-polled.
    pub list: ListState<u64, JobSort>,
    /// Open the selected job's log as soon as the jobs arrive (`l` on a run).
    pub open_log_when_loaded: bool,
    /// The tab the job log opened on load returns to on Esc (the Overview
    /// after a jump from it); None: back to the jobs.
    pub log_returns_to: Option<crate::core::tab::Tab>,
    /// Set once the user picks a job; until then the selection follows
    /// the job that is running (or failed).
    pub selection_moved: bool,
    /// An older attempt is shown (its jobs and logs); None: the latest.
    pub attempt: Option<Run>,
    /// The attempts list (`a`), drawn over the jobs while open.
    pub attempts: Option<super::github_attempts::AttemptList>,
}

impl RunDetail {
    pub fn new(key: RunKey, request: StreamId, open_log_when_loaded: bool) -> RunDetail {
        RunDetail {
            key,
            request,
            jobs: Loadable::Loading { stale: None },
            list: ListState::default(),
            open_log_when_loaded,
            log_returns_to: None,
            selection_moved: false,
            attempt: None,
            attempts: None,
        }
    }

    pub fn selected_job(&self) -> Option<&Job> {
        let jobs = self.jobs.data()?;
        let id = self.list.selected()?;
        jobs.iter().find(|j| j.id == *id)
    }

    /// Takes a fresh list of jobs and selects `select` (by id) if given,
    /// else keeps the selection on its job.
    pub fn set_jobs(&mut self, jobs: Vec<Job>, select: Option<u64>) {
        self.list.rebuild(&jobs, &JobRows);
        if let Some(id) = select {
            self.list.select(&id);
        }
        self.jobs = Loadable::Loaded(jobs);
    }

    /// Recomputes the jobs' order after a filter or sort change.
    pub fn rebuild_order(&mut self) {
        if let Some(jobs) = self.jobs.data() {
            self.list.rebuild(jobs, &JobRows);
        }
    }

    pub fn navigate(&mut self, nav: Nav) {
        self.list.navigate(nav);
        self.selection_moved = true;
    }
}

/// A dispatch waiting for its branch to be typed.
#[derive(Debug, Clone, PartialEq)]
pub struct DispatchDraft {
    pub repo: String,
    pub workflow_id: u64,
    pub workflow: String,
    /// Set once typed: the inputs are being read for this branch.
    pub branch: Option<String>,
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
    /// Run keys in display order, the filter, sort and selection.
    pub list: ListState<RunKey, RunSort>,
    /// Set once the user moves the selection; until then it stays on the
    /// newest row as runs of more repositories arrive.
    pub selection_moved: bool,
    pub detail: Option<RunDetail>,
    pub logs: Option<LogSession>,
    pub dispatch: Option<DispatchDraft>,
    /// The `W` form for the workflow's inputs, once they are read.
    pub dispatch_form: Option<super::dispatch_form::DispatchForm>,
    /// The run whose pending deployments were asked for (repo, run id,
    /// its label), until they are read.
    pub review_wait: Option<(String, u64, String)>,
    /// The `b` dialog of a run's artifacts.
    pub artifacts: Option<super::github_artifacts::ArtifactsView>,
    /// The download directory last chosen with `o`, for the next dialogs.
    pub artifact_dir: Option<std::path::PathBuf>,
    /// The `A` dialog, once the pending deployments are read.
    pub review_form: Option<super::github_review::ReviewForm>,
    pub rate: Option<RateLimit>,
    /// The low-budget toast was shown for this window (once, not every poll).
    pub rate_warned: bool,
    /// Requests made so far, and how many of them were answered 304.
    pub requests: u64,
    pub not_modified: u64,
    /// How many runs each repository has (`total_count`); only some of
    /// them are read.
    pub run_totals: BTreeMap<String, u64>,
    /// Older pages were asked for and have not arrived yet.
    pub loading_older: bool,
    /// Where the token came from (`GH_TOKEN`, the gh CLI …), never the token.
    /// The last answer was a 401; cleared when the source connects again.
    pub token_rejected: bool,
    pub token_from: Option<String>,
}

impl GithubPane {
    /// "120 of 4,210 runs": how many runs are read out of how many exist,
    /// once every repository has said its total.
    pub fn loaded_of_total(&self) -> Option<String> {
        let loaded = self.runs.data()?.len();
        if self.run_totals.is_empty() || self.run_totals.len() < self.answered.len() {
            return None;
        }
        let total: u64 = self.run_totals.values().sum();
        // Everything read: the count beside the title says it already.
        if total <= loaded as u64 && !self.loading_older {
            return None;
        }
        let more = if self.loading_older {
            "; reading older"
        } else if total > loaded as u64 {
            "; scroll past the end for older"
        } else {
            ""
        };
        Some(format!(
            "{} of {} runs{more}",
            thousands(loaded as u64),
            thousands(total.max(loaded as u64))
        ))
    }

    /// Some repository has more runs than were read.
    pub fn more_runs_exist(&self) -> bool {
        let read = self.runs.data().map_or(0, BTreeMap::len) as u64;
        self.run_totals.values().sum::<u64>() > read
    }

    pub fn run(&self, key: &RunKey) -> Option<&Run> {
        self.runs.data().and_then(|m| m.get(key))
    }

    pub fn selected_run(&self) -> Option<&Run> {
        self.list.selected().and_then(|k| self.run(k))
    }

    /// The run the current view is about: the open one, else the selected row.
    pub fn current_run(&self) -> Option<&Run> {
        match &self.detail {
            Some(d) => self.run(&d.key),
            None => self.selected_run(),
        }
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

    /// Recomputes the order, keeping the selection on the same run; if that
    /// run is gone (filtered out, or off the first page), its nearest
    /// neighbour is selected.
    pub fn rebuild_order(&mut self) {
        match self.runs.data() {
            Some(map) => self.list.rebuild(map.values(), &RunRows),
            None => self.list.replace_order(Vec::new()),
        }
        if !self.selection_moved {
            self.list.select_first();
        }
    }

    /// Moves the selection; from now on it stays where the user put it.
    pub fn navigate(&mut self, nav: Nav) {
        self.list.navigate(nav);
        self.selection_moved = true;
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

/// `4210` as `4,210`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
