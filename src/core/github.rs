//! GitHub Actions as opsdeck sees it: workflow runs, their jobs and steps.
//! The GitHub source turns API JSON into these at its edge.

use chrono::{DateTime, Utc};

/// A run is identified by its repository (`owner/name`) and id.
pub type RunKey = (String, u64);

/// `status` of a run, job or step as the API words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Queued,
    InProgress,
    Waiting,
    Requested,
    Pending,
    Completed,
    /// A word this version does not know; shown as "unknown".
    Other,
}

impl Status {
    pub fn parse(word: &str) -> Status {
        match word {
            "queued" => Status::Queued,
            "in_progress" => Status::InProgress,
            "waiting" => Status::Waiting,
            "requested" => Status::Requested,
            "pending" => Status::Pending,
            "completed" => Status::Completed,
            _ => Status::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    Success,
    Failure,
    Cancelled,
    Skipped,
    TimedOut,
    ActionRequired,
    Neutral,
    Stale,
    StartupFailure,
    Other,
}

impl Conclusion {
    pub fn parse(word: &str) -> Conclusion {
        match word {
            "success" => Conclusion::Success,
            "failure" => Conclusion::Failure,
            "cancelled" => Conclusion::Cancelled,
            "skipped" => Conclusion::Skipped,
            "timed_out" => Conclusion::TimedOut,
            "action_required" => Conclusion::ActionRequired,
            "neutral" => Conclusion::Neutral,
            "stale" => Conclusion::Stale,
            "startup_failure" => Conclusion::StartupFailure,
            _ => Conclusion::Other,
        }
    }
}

/// Status and conclusion folded into the one thing a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Failure,
    Running,
    Waiting,
    Queued,
    Cancelled,
    Success,
    Skipped,
}

impl Outcome {
    pub fn of(status: Status, conclusion: Option<Conclusion>) -> Outcome {
        match (status, conclusion) {
            (Status::Completed, Some(c)) => match c {
                Conclusion::Success => Outcome::Success,
                Conclusion::Failure | Conclusion::TimedOut | Conclusion::StartupFailure => {
                    Outcome::Failure
                }
                Conclusion::Cancelled => Outcome::Cancelled,
                Conclusion::ActionRequired => Outcome::Waiting,
                Conclusion::Skipped
                | Conclusion::Neutral
                | Conclusion::Stale
                | Conclusion::Other => Outcome::Skipped,
            },
            (Status::Completed, None) | (Status::Other, _) => Outcome::Skipped,
            (Status::InProgress, _) => Outcome::Running,
            (Status::Waiting | Status::Requested, _) => Outcome::Waiting,
            (Status::Queued | Status::Pending, _) => Outcome::Queued,
        }
    }

    /// Still going: polled faster, and its duration counts up.
    pub fn is_active(self) -> bool {
        matches!(self, Outcome::Running | Outcome::Queued | Outcome::Waiting)
    }
}

/// The word shown next to the symbol (colour is never the only signal).
pub fn outcome_word(status: Status, conclusion: Option<Conclusion>) -> &'static str {
    match (status, conclusion) {
        (Status::Completed, Some(Conclusion::TimedOut)) => "timed out",
        (Status::Completed, Some(Conclusion::StartupFailure)) => "startup failure",
        (Status::Completed, Some(Conclusion::ActionRequired)) => "approval",
        (Status::Completed, Some(Conclusion::Neutral)) => "neutral",
        (Status::Completed, Some(Conclusion::Stale)) => "stale",
        (Status::Waiting, _) => "waiting",
        (Status::Requested, _) => "requested",
        (Status::Pending, _) => "pending",
        (Status::Other, _) => "unknown",
        _ => match Outcome::of(status, conclusion) {
            Outcome::Failure => "failure",
            Outcome::Running => "running",
            Outcome::Waiting => "waiting",
            Outcome::Queued => "queued",
            Outcome::Cancelled => "cancelled",
            Outcome::Success => "success",
            Outcome::Skipped => "skipped",
        },
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// `owner/name`.
    pub repo: String,
    pub id: u64,
    pub number: u64,
    pub attempt: u32,
    pub workflow: String,
    pub workflow_id: u64,
    pub branch: String,
    pub event: String,
    pub actor: String,
    /// The commit (or PR) title GitHub shows for the run.
    pub title: String,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub head_sha: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When this attempt started (`run_started_at`).
    pub started_at: Option<DateTime<Utc>>,
    pub html_url: String,
}

impl Run {
    pub fn key(&self) -> RunKey {
        (self.repo.clone(), self.id)
    }

    pub fn outcome(&self) -> Outcome {
        Outcome::of(self.status, self.conclusion)
    }

    /// Not finished: can be cancelled, is polled faster, its time counts up.
    /// (A run waiting for approval is finished as far as the API goes.)
    pub fn is_going(&self) -> bool {
        !matches!(self.status, Status::Completed | Status::Other)
    }

    pub fn word(&self) -> &'static str {
        outcome_word(self.status, self.conclusion)
    }

    /// The repository's name without its owner, for narrow columns.
    pub fn repo_short(&self) -> &str {
        self.repo.rsplit('/').next().unwrap_or(&self.repo)
    }

    /// The commit's page: the repository's web address (the run's page
    /// up to `/actions/runs/`) and `/commit/{sha}`. None when the run's
    /// address is not of that shape.
    pub fn commit_url(&self) -> Option<String> {
        let (repo_url, _) = self.html_url.split_once("/actions/runs/")?;
        (!self.head_sha.is_empty()).then(|| format!("{repo_url}/commit/{}", self.head_sha))
    }

    /// `#562`, or `#562/2` for a second attempt.
    pub fn number_text(&self) -> String {
        if self.attempt > 1 {
            format!("#{}/{}", self.number, self.attempt)
        } else {
            format!("#{}", self.number)
        }
    }

    /// How long this attempt ran (or has been running, as of `now`).
    pub fn duration(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        let start = self.started_at.unwrap_or(self.created_at);
        let end = if self.is_going() {
            now
        } else {
            self.updated_at
        };
        (end >= start).then(|| end - start)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub number: u32,
    pub name: String,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl Step {
    pub fn outcome(&self) -> Outcome {
        Outcome::of(self.status, self.conclusion)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: u64,
    pub run_id: u64,
    pub attempt: u32,
    pub name: String,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The job's page on GitHub (OSC 8 link, `y` copies it).
    pub html_url: String,
    pub steps: Vec<Step>,
}

impl Job {
    pub fn outcome(&self) -> Outcome {
        Outcome::of(self.status, self.conclusion)
    }

    pub fn word(&self) -> &'static str {
        outcome_word(self.status, self.conclusion)
    }

    /// GitHub serves a job's log only once the job has finished.
    pub fn has_log(&self) -> bool {
        self.status == Status::Completed
    }

    pub fn duration(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        // A queued job's `started_at` is when it was queued, not when it ran.
        if matches!(self.outcome(), Outcome::Queued | Outcome::Waiting) {
            return None;
        }
        let start = self.started_at?;
        let end = self.completed_at.unwrap_or(now);
        (end >= start).then(|| end - start)
    }

    /// `3/7`: finished steps out of all, for live progress.
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .steps
            .iter()
            .filter(|s| s.status == Status::Completed)
            .count();
        (done, self.steps.len())
    }
}

/// `x-ratelimit-*` of the last answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub remaining: u32,
    pub limit: u32,
    pub reset: DateTime<Utc>,
}

/// Under this share of the limit left, the status bar turns to the warning
/// colour and one toast says so.
pub const LOW_RATE_PERCENT: u64 = 10;

impl RateLimit {
    pub fn is_low(&self) -> bool {
        u64::from(self.remaining) * 100 < u64::from(self.limit) * LOW_RATE_PERCENT
    }

    /// `14:05 (in 12 min)`: the reset in the user's local time and from `now`.
    pub fn reset_words(&self, now: DateTime<Utc>, offset: chrono::FixedOffset) -> String {
        let local = self.reset.with_timezone(&offset).format("%H:%M");
        let secs = (self.reset - now).num_seconds();
        let words = match secs {
            ..=0 => return format!("{local} (now)"),
            1..60 => format!("{secs} s"),
            // Rounded up: "in 0 min" would read as already reset.
            60..3600 => format!("{} min", (secs + 59) / 60),
            _ => format!("{} h {:02} min", secs / 3600, secs % 3600 / 60),
        };
        format!("{local} (in {words})")
    }
}

/// One `on.workflow_dispatch.inputs` entry of a workflow file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchInput {
    pub name: String,
    pub description: String,
    pub required: bool,
    pub kind: InputKind,
}

/// An input's `type`, with its `default` as the text sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    String {
        default: Option<String>,
    },
    Boolean {
        default: bool,
    },
    Choice {
        options: Vec<String>,
        default: Option<String>,
    },
    Number {
        default: Option<String>,
    },
    Environment {
        default: Option<String>,
    },
}

/// What a mutation does; the source turns it into the matching POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOp {
    /// `debug`: `enable_debug_logging` (runner and step debug logs), as
    /// `gh run rerun --debug`.
    RerunAll {
        run_id: u64,
        debug: bool,
    },
    RerunFailed {
        run_id: u64,
        debug: bool,
    },
    RerunJob {
        job_id: u64,
        debug: bool,
    },
    Cancel {
        run_id: u64,
    },
    Dispatch {
        workflow_id: u64,
        branch: String,
        /// `workflow_dispatch` inputs as (name, value), in the file's order.
        inputs: Vec<(String, String)>,
    },
    /// Approve (`approve`) or reject the run's deployments waiting on
    /// `environment_ids`, with the reviewer's comment.
    ReviewDeployments {
        run_id: u64,
        environment_ids: Vec<u64>,
        approve: bool,
        comment: String,
    },
}

impl RunOp {
    pub fn verb(&self) -> &'static str {
        match self {
            RunOp::RerunAll { debug: false, .. } => "re-run all jobs of",
            RunOp::RerunAll { debug: true, .. } => "re-run with debug logging all jobs of",
            RunOp::RerunFailed { debug: false, .. } => "re-run failed jobs of",
            RunOp::RerunFailed { debug: true, .. } => "re-run with debug logging failed jobs of",
            RunOp::RerunJob { debug: false, .. } => "re-run job",
            RunOp::RerunJob { debug: true, .. } => "re-run with debug logging job",
            RunOp::Cancel { .. } => "cancel",
            RunOp::Dispatch { .. } => "dispatch",
            RunOp::ReviewDeployments { approve: true, .. } => "approve the deployment of",
            RunOp::ReviewDeployments { approve: false, .. } => "reject the deployment of",
        }
    }

    /// The same re-run with debug logging on or off; None for what is not
    /// a re-run.
    pub fn with_debug(&self, on: bool) -> Option<RunOp> {
        match self {
            RunOp::RerunAll { run_id, .. } => Some(RunOp::RerunAll {
                run_id: *run_id,
                debug: on,
            }),
            RunOp::RerunFailed { run_id, .. } => Some(RunOp::RerunFailed {
                run_id: *run_id,
                debug: on,
            }),
            RunOp::RerunJob { job_id, .. } => Some(RunOp::RerunJob {
                job_id: *job_id,
                debug: on,
            }),
            RunOp::Cancel { .. } | RunOp::Dispatch { .. } | RunOp::ReviewDeployments { .. } => None,
        }
    }
}

/// `1h02m`, `4m05s`, `12s`: run and job durations.
pub fn short_duration(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_fold_status_and_conclusion() {
        use Conclusion as C;
        use Status as S;
        assert_eq!(
            Outcome::of(S::Completed, Some(C::TimedOut)),
            Outcome::Failure
        );
        assert_eq!(Outcome::of(S::InProgress, None), Outcome::Running);
        assert_eq!(Outcome::of(S::Pending, None), Outcome::Queued);
        assert_eq!(
            Outcome::of(S::Completed, Some(C::ActionRequired)),
            Outcome::Waiting
        );
        assert_eq!(outcome_word(S::Completed, Some(C::TimedOut)), "timed out");
        assert_eq!(outcome_word(S::InProgress, None), "running");
        assert_eq!(Status::parse("bogus"), Status::Other);
        assert_eq!(Conclusion::parse("startup_failure"), C::StartupFailure);
    }

    #[test]
    fn durations_are_short() {
        let d = chrono::Duration::seconds;
        assert_eq!(short_duration(d(12)), "12s");
        assert_eq!(short_duration(d(245)), "4m05s");
        assert_eq!(short_duration(d(3720)), "1h02m");
        assert_eq!(short_duration(d(-5)), "0s");
    }
}
