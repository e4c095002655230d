//! The simulated world's data: repositories, workflows, runs, attempts, jobs
//! and steps. Each job carries its planned outcome; `engine` moves the
//! observable fields (status, conclusion, timestamps) forward as the clock
//! passes the planned times.

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub(crate) type Time = DateTime<Utc>;

/// `status` of a run, job or step, as GitHub spells it on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Queued,
    InProgress,
    Completed,
    /// Held by an environment's protection rules until a reviewer decides.
    Waiting,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Waiting => "waiting",
        }
    }
}

/// `conclusion` of a completed run, job or step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conclusion {
    Success,
    Failure,
    Cancelled,
    Skipped,
    TimedOut,
    ActionRequired,
}

impl Conclusion {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Failure => "failure",
            Conclusion::Cancelled => "cancelled",
            Conclusion::Skipped => "skipped",
            Conclusion::TimedOut => "timed_out",
            Conclusion::ActionRequired => "action_required",
        }
    }
}

/// What a job will do when it runs. Decided when the attempt is created, so
/// that progress is a pure function of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    /// The step at this index fails; later steps are skipped.
    FailAt(usize),
    /// The step at this index hits the job's `timeout-minutes`.
    TimeoutAt(usize),
    /// The job's `if:` is false: it completes as skipped without running.
    SkippedByCondition,
}

/// What a step prints into the job log. The log is rendered on demand from
/// this and the step's timestamps, so nothing is stored per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StepKind {
    SetUpJob,
    Checkout,
    /// `uses:` an action other than checkout (toolchain set-up, cache).
    Action(&'static str),
    /// `run:` a shell script; the output depends on the tool.
    Run(Tool),
    PostCheckout,
    CompleteJob,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tool {
    CargoBuild,
    CargoTest,
    CargoClippy,
    NpmCi,
    NpmTest,
    NpmBuild,
    TerraformPlan,
    Deploy,
    Smoke,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct StepSpec {
    pub name: &'static str,
    pub secs: u32,
    pub kind: StepKind,
}

#[derive(Clone, Debug)]
pub(crate) struct JobSpec {
    pub name: &'static str,
    /// Index of the job (in the same workflow) this one `needs:`.
    pub needs: Option<usize>,
    pub steps: Vec<StepSpec>,
    /// Index of the step that fails when this job is planned to fail.
    pub fragile_step: usize,
    /// A failure that a re-run does not fix (a real bug, not a flake).
    pub persistent: bool,
    /// `if: github.ref == 'refs/heads/main'`: skipped on other branches.
    pub main_only: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct WorkflowSpec {
    pub name: &'static str,
    pub file: &'static str,
    pub dispatchable: bool,
    /// The `workflow_dispatch.inputs` mapping of the file, as YAML indented
    /// for its place (empty: none).
    pub inputs: &'static str,
    pub jobs: Vec<JobSpec>,
}

pub(crate) struct Workflow {
    pub id: u64,
    pub spec: WorkflowSpec,
    pub created_at: Time,
    pub updated_at: Time,
    pub next_run_number: u64,
}

pub(crate) struct Branch {
    pub name: String,
    pub head: Commit,
}

pub(crate) struct Repo {
    pub id: u64,
    pub owner: String,
    pub name: String,
    pub default_branch: String,
    pub branches: Vec<Branch>,
    pub workflows: Vec<Workflow>,
    /// Ascending by id (ids grow with creation time).
    pub runs: Vec<Run>,
    /// Bumped on every observable change; part of every ETag of the repo.
    pub version: u64,
    /// Workflow files served with this text instead of their own (path,
    /// text): a test's broken YAML.
    pub broken_files: Vec<(String, String)>,
    /// Archived: read-only, listed with `archived: true`.
    pub archived: bool,
}

impl Repo {
    pub(crate) fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    pub(crate) fn run_index(&self, run_id: u64) -> Option<usize> {
        self.runs.binary_search_by_key(&run_id, |r| r.id).ok()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Commit {
    pub sha: String,
    pub tree_id: String,
    pub message: String,
    pub author: String,
    pub email: String,
    pub timestamp: Time,
}

pub(crate) struct Run {
    pub id: u64,
    pub workflow_id: u64,
    pub workflow_name: &'static str,
    pub workflow_file: &'static str,
    pub run_number: u64,
    pub event: &'static str,
    pub head_branch: String,
    pub commit: Commit,
    pub actor: String,
    pub created_at: Time,
    pub check_suite_id: u64,
    /// Never empty: the first attempt is created with the run.
    pub attempts: Vec<Attempt>,
}

impl Run {
    pub(crate) fn latest(&self) -> Option<&Attempt> {
        self.attempts.last()
    }

    pub(crate) fn latest_mut(&mut self) -> Option<&mut Attempt> {
        self.attempts.last_mut()
    }

    pub(crate) fn attempt(&self, number: u32) -> Option<&Attempt> {
        self.attempts.iter().find(|a| a.number == number)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Attempt {
    pub number: u32,
    pub created_at: Time,
    pub updated_at: Time,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub jobs: Vec<Job>,
    /// Planned cancellation (the demo's "someone pressed cancel").
    pub cancel_at: Option<Time>,
    /// Environments the attempt waits on; while any is left nothing runs.
    pub gates: Vec<crate::github::Gate>,
    /// When the last gate was approved: the jobs queue from then.
    pub released_at: Option<Time>,
}

#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub id: u64,
    pub name: &'static str,
    /// The attempt that ran this job; a job carried over by "re-run failed
    /// jobs" keeps its original attempt number, as on GitHub.
    pub run_attempt: u32,
    pub needs: Option<usize>,
    pub outcome: Outcome,
    pub persistent: bool,
    /// Skipped by its `if:` rather than by a failed dependency; such a job
    /// is not "failed" for "re-run failed jobs".
    pub main_only_skipped: bool,
    /// The steps as planned; kept apart from `steps`, which is emptied when
    /// the job never runs, so that a re-run can rebuild them.
    pub specs: Arc<[StepSpec]>,
    pub queue_secs: u32,
    pub created_at: Time,
    pub started_at: Option<Time>,
    pub completed_at: Option<Time>,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub runner: Option<u32>,
    pub steps: Vec<Step>,
}

impl Job {
    /// Fresh, not yet started steps from the plan.
    pub(crate) fn spec_steps(&self) -> Vec<Step> {
        self.specs
            .iter()
            .enumerate()
            .map(|(i, spec)| Step {
                spec: *spec,
                number: i as u32 + 1,
                status: Status::Queued,
                conclusion: None,
                started_at: None,
                completed_at: None,
            })
            .collect()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub spec: StepSpec,
    pub number: u32,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub started_at: Option<Time>,
    pub completed_at: Option<Time>,
}
