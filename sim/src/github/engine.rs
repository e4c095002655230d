//! How runs move through time, and the mutations the API offers (re-run,
//! re-run failed jobs, re-run one job, cancel, dispatch). Progress is a pure
//! function of the planned outcome and the clock: `advance_attempt(a, t)`
//! brings every job and step up to `t`, so the world can be advanced lazily
//! (on each request) and still look as if it had been ticking.

use chrono::Duration;

use super::model::{
    Attempt, Commit, Conclusion, Job, JobSpec, Outcome, Run, Status, Time, WorkflowSpec,
};

/// Id sequences. Ids start above `u32::MAX`, like today's GitHub run and job
/// ids, so that a client storing them in 32 bits breaks in tests.
pub(crate) struct Ids {
    run: u64,
    job: u64,
    suite: u64,
}

impl Ids {
    pub(crate) fn new() -> Self {
        Ids {
            run: 12_400_000_000,
            job: 34_700_000_000,
            suite: 31_900_000_000,
        }
    }

    pub(crate) fn run(&mut self) -> u64 {
        self.run += 1;
        self.run
    }

    pub(crate) fn job(&mut self) -> u64 {
        self.job += 1;
        self.job
    }

    pub(crate) fn suite(&mut self) -> u64 {
        self.suite += 1;
        self.suite
    }
}

/// How a new run will end, decided when it is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    Success,
    /// The job at this index fails at its fragile step.
    FailJob(usize),
    /// The job at this index runs into its timeout.
    TimeoutJob(usize),
    /// Someone cancels the run this many seconds after it was queued.
    CancelAfter(u32),
    /// A first-time contributor's pull request: waits for approval.
    NeedsApproval,
}

pub(crate) struct NewRun<'a> {
    pub workflow_id: u64,
    pub spec: &'a WorkflowSpec,
    pub run_number: u64,
    pub event: &'static str,
    pub branch: String,
    pub default_branch: bool,
    pub commit: Commit,
    pub actor: String,
    pub at: Time,
    pub plan: Plan,
}

pub(crate) fn new_run(ids: &mut Ids, new: NewRun<'_>) -> Run {
    let id = ids.run();
    let mut attempt = Attempt {
        number: 1,
        created_at: new.at,
        updated_at: new.at,
        status: Status::Queued,
        conclusion: None,
        jobs: Vec::new(),
        cancel_at: None,
        gates: Vec::new(),
        released_at: None,
    };
    match new.plan {
        Plan::NeedsApproval => {
            // GitHub creates such a run already completed, with no jobs,
            // until a maintainer approves it.
            attempt.status = Status::Completed;
            attempt.conclusion = Some(Conclusion::ActionRequired);
        }
        plan => {
            if let Plan::CancelAfter(secs) = plan {
                attempt.cancel_at = Some(new.at + secs_dur(secs));
            }
            for (i, spec) in new.spec.jobs.iter().enumerate() {
                let outcome = planned_outcome(spec, i, plan, new.default_branch);
                attempt
                    .jobs
                    .push(new_job(ids, spec, 1, new.at, outcome, queue_secs(i)));
            }
        }
    }
    Run {
        id,
        workflow_id: new.workflow_id,
        workflow_name: new.spec.name,
        workflow_file: new.spec.file,
        run_number: new.run_number,
        event: new.event,
        head_branch: new.branch,
        commit: new.commit,
        actor: new.actor,
        created_at: new.at,
        check_suite_id: ids.suite(),
        attempts: vec![attempt],
    }
}

fn planned_outcome(spec: &JobSpec, index: usize, plan: Plan, default_branch: bool) -> Outcome {
    if spec.main_only && !default_branch {
        return Outcome::SkippedByCondition;
    }
    match plan {
        Plan::FailJob(j) if j == index => Outcome::FailAt(spec.fragile_step),
        Plan::TimeoutJob(j) if j == index => Outcome::TimeoutAt(spec.fragile_step),
        _ => Outcome::Success,
    }
}

fn queue_secs(job_index: usize) -> u32 {
    // A hosted runner takes a few seconds to pick a job up.
    3 + (job_index as u32 % 3) * 2
}

fn secs_dur(secs: u32) -> Duration {
    Duration::seconds(i64::from(secs))
}

fn new_job(
    ids: &mut Ids,
    spec: &JobSpec,
    attempt: u32,
    at: Time,
    outcome: Outcome,
    queue: u32,
) -> Job {
    let mut job = Job {
        id: ids.job(),
        name: spec.name,
        run_attempt: attempt,
        needs: spec.needs,
        outcome,
        persistent: spec.persistent,
        main_only_skipped: outcome == Outcome::SkippedByCondition,
        specs: spec.steps.clone().into(),
        queue_secs: queue,
        created_at: at,
        started_at: None,
        completed_at: None,
        status: Status::Queued,
        conclusion: None,
        runner: None,
        steps: Vec::new(),
    };
    job.steps = job.spec_steps();
    job
}

/// Brings an attempt up to `now`. Returns whether anything observable changed.
pub(crate) fn advance_attempt(attempt: &mut Attempt, now: Time) -> bool {
    if attempt.status == Status::Completed || !attempt.gates.is_empty() {
        return false;
    }
    if let Some(at) = attempt.cancel_at.filter(|at| *at <= now) {
        // Bring everything up to the moment of cancellation first, so the
        // jobs that finished before it keep their real conclusion.
        advance_jobs(attempt, at);
        cancel_attempt(attempt, at);
        return true;
    }
    let changed = advance_jobs(attempt, now);
    if changed {
        summarize(attempt);
    }
    changed
}

fn advance_jobs(attempt: &mut Attempt, now: Time) -> bool {
    let mut changed = false;
    for i in 0..attempt.jobs.len() {
        let (done, rest) = attempt.jobs.split_at_mut(i);
        let Some(job) = rest.first_mut() else {
            break;
        };
        let dependency = job.needs.and_then(|n| done.get(n));
        let queued_at = attempt.released_at.unwrap_or(attempt.created_at);
        changed |= advance_job(job, dependency, queued_at, now);
    }
    changed
}

fn advance_job(job: &mut Job, dependency: Option<&Job>, queued_at: Time, now: Time) -> bool {
    let mut changed = false;
    if job.status == Status::Queued {
        let ready = match dependency {
            None => Some(queued_at + secs_dur(job.queue_secs)),
            Some(dep) if dep.status == Status::Completed => {
                let dep_done = dep.completed_at.unwrap_or(queued_at);
                match dep.conclusion {
                    Some(Conclusion::Success) => Some(dep_done + secs_dur(job.queue_secs)),
                    // A job whose `needs:` did not succeed is skipped.
                    _ => {
                        if dep_done <= now {
                            complete_unstarted(job, dep_done, Conclusion::Skipped);
                            return true;
                        }
                        None
                    }
                }
            }
            Some(_) => None,
        };
        let Some(ready) = ready.filter(|r| *r <= now) else {
            return false;
        };
        if job.outcome == Outcome::SkippedByCondition {
            complete_unstarted(job, ready, Conclusion::Skipped);
            return true;
        }
        job.status = Status::InProgress;
        job.started_at = Some(ready);
        job.runner = Some(job_runner(job.id));
        changed = true;
    }
    if job.status == Status::InProgress {
        changed |= advance_steps(job, now);
    }
    changed
}

fn job_runner(job_id: u64) -> u32 {
    (job_id % 40) as u32 + 2
}

pub(crate) fn complete_unstarted(job: &mut Job, at: Time, conclusion: Conclusion) {
    job.status = Status::Completed;
    job.conclusion = Some(conclusion);
    job.started_at = Some(at);
    job.completed_at = Some(at);
    // GitHub lists no steps for a job that never ran.
    job.steps.clear();
}

fn advance_steps(job: &mut Job, now: Time) -> bool {
    let Some(mut t) = job.started_at else {
        return false;
    };
    let mut changed = false;
    let mut failed = job.steps.iter().any(|s| step_failed(s.conclusion));
    let last = job.steps.len().saturating_sub(1);
    for i in 0..job.steps.len() {
        let outcome = job.outcome;
        let Some(step) = job.steps.get_mut(i) else {
            break;
        };
        match step.status {
            Status::Completed => {
                t = step.completed_at.unwrap_or(t);
                continue;
            }
            Status::Queued if failed && i != last => {
                step.status = Status::Completed;
                step.conclusion = Some(Conclusion::Skipped);
                step.started_at = Some(t);
                step.completed_at = Some(t);
                changed = true;
                continue;
            }
            // Steps never wait; only an attempt does.
            Status::Queued | Status::Waiting => {
                step.status = Status::InProgress;
                step.started_at = Some(t);
                changed = true;
            }
            Status::InProgress => {}
        }
        let end = step.started_at.unwrap_or(t) + secs_dur(step.spec.secs);
        if end > now {
            return changed;
        }
        let conclusion = match outcome {
            Outcome::FailAt(k) if k == i => Conclusion::Failure,
            Outcome::TimeoutAt(k) if k == i => Conclusion::Cancelled,
            _ => Conclusion::Success,
        };
        failed |= step_failed(Some(conclusion));
        step.status = Status::Completed;
        step.conclusion = Some(conclusion);
        step.completed_at = Some(end);
        t = end;
        changed = true;
    }
    job.status = Status::Completed;
    job.completed_at = Some(t);
    job.conclusion = Some(match job.outcome {
        Outcome::FailAt(_) => Conclusion::Failure,
        Outcome::TimeoutAt(_) => Conclusion::TimedOut,
        _ => Conclusion::Success,
    });
    true
}

fn step_failed(c: Option<Conclusion>) -> bool {
    matches!(
        c,
        Some(Conclusion::Failure | Conclusion::Cancelled | Conclusion::TimedOut)
    )
}

/// Recomputes the attempt's status and conclusion from its jobs.
pub(crate) fn summarize(attempt: &mut Attempt) {
    let mut updated = attempt.created_at;
    for job in &attempt.jobs {
        for t in [job.started_at, job.completed_at].into_iter().flatten() {
            updated = updated.max(t);
        }
    }
    attempt.updated_at = updated;
    let all_done = attempt.jobs.iter().all(|j| j.status == Status::Completed);
    let any_started = attempt.jobs.iter().any(|j| j.status != Status::Queued);
    attempt.status = if all_done {
        Status::Completed
    } else if any_started {
        Status::InProgress
    } else {
        Status::Queued
    };
    attempt.conclusion = all_done.then(|| run_conclusion(&attempt.jobs));
}

fn run_conclusion(jobs: &[Job]) -> Conclusion {
    let has = |c: Conclusion| jobs.iter().any(|j| j.conclusion == Some(c));
    if has(Conclusion::Cancelled) {
        Conclusion::Cancelled
    } else if has(Conclusion::TimedOut) {
        Conclusion::TimedOut
    } else if has(Conclusion::Failure) {
        Conclusion::Failure
    } else if !jobs.is_empty()
        && jobs
            .iter()
            .all(|j| j.conclusion == Some(Conclusion::Skipped))
    {
        Conclusion::Skipped
    } else {
        Conclusion::Success
    }
}

/// Cancels every unfinished job at `at`.
pub(crate) fn cancel_attempt(attempt: &mut Attempt, at: Time) {
    for job in attempt
        .jobs
        .iter_mut()
        .filter(|j| j.status != Status::Completed)
    {
        if job.status == Status::Queued {
            complete_unstarted(job, at, Conclusion::Cancelled);
            continue;
        }
        let last = job.steps.len().saturating_sub(1);
        for (i, step) in job.steps.iter_mut().enumerate() {
            let conclusion = match step.status {
                Status::Completed => continue,
                Status::InProgress => Conclusion::Cancelled,
                Status::Queued if i == last => Conclusion::Success,
                Status::Queued | Status::Waiting => Conclusion::Skipped,
            };
            step.status = Status::Completed;
            step.conclusion = Some(conclusion);
            step.started_at = step.started_at.or(Some(at));
            step.completed_at = Some(at);
        }
        job.status = Status::Completed;
        job.conclusion = Some(Conclusion::Cancelled);
        job.completed_at = Some(at);
    }
    attempt.cancel_at = None;
    summarize(attempt);
    attempt.updated_at = attempt.updated_at.max(at);
}

/// Which jobs a new attempt runs again.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rerun {
    All,
    Failed,
    /// The job of this name and the jobs that need it.
    Job(&'static str),
}

/// Creates the next attempt of a completed run. Jobs that are not re-run
/// are carried over unchanged (same id, same `run_attempt`), the way the
/// latest attempt lists them on GitHub.
pub(crate) fn rerun(ids: &mut Ids, run: &mut Run, which: Rerun, at: Time) -> bool {
    let Some(prev) = run.latest() else {
        return false;
    };
    if prev.status != Status::Completed {
        return false;
    }
    let number = prev.number + 1;
    let mut again = vec![false; prev.jobs.len()];
    for (i, job) in prev.jobs.iter().enumerate() {
        let dep_again = job
            .needs
            .and_then(|n| again.get(n).copied())
            .unwrap_or(false);
        let selected = match which {
            Rerun::All => true,
            Rerun::Failed => job.conclusion != Some(Conclusion::Success) && !job.main_only_skipped,
            Rerun::Job(name) => job.name == name,
        };
        if let Some(slot) = again.get_mut(i) {
            *slot = selected || dep_again;
        }
    }
    let jobs = prev
        .jobs
        .iter()
        .zip(&again)
        .enumerate()
        .map(|(i, (job, &run_again))| {
            if !run_again {
                return job.clone();
            }
            // A flaky failure passes on the second try; a real bug does not.
            let outcome = match job.outcome {
                Outcome::SkippedByCondition => Outcome::SkippedByCondition,
                Outcome::FailAt(k) if job.persistent => Outcome::FailAt(k),
                _ => Outcome::Success,
            };
            let mut fresh = job.clone();
            fresh.id = ids.job();
            fresh.run_attempt = number;
            fresh.outcome = outcome;
            fresh.queue_secs = queue_secs(i);
            fresh.created_at = at;
            fresh.started_at = None;
            fresh.completed_at = None;
            fresh.status = Status::Queued;
            fresh.conclusion = None;
            fresh.runner = None;
            fresh.steps = job.spec_steps();
            fresh
        })
        .collect::<Vec<_>>();
    let mut attempt = Attempt {
        number,
        created_at: at,
        updated_at: at,
        status: Status::Queued,
        conclusion: None,
        jobs,
        cancel_at: None,
        gates: Vec::new(),
        released_at: None,
    };
    summarize(&mut attempt);
    if attempt.status == Status::Completed {
        // Everything was carried over: nothing to wait for, but the attempt
        // still starts now.
        attempt.updated_at = at;
    } else if attempt.jobs.iter().any(|j| j.status != Status::Queued) {
        // Carried-over jobs are done; the attempt itself has just started.
        attempt.status = Status::Queued;
        attempt.updated_at = at;
    }
    run.attempts.push(attempt);
    true
}

/// Makes the latest attempt of an unfinished run fail: the first job that
/// has not finished fails at its current (or first) step.
pub(crate) fn force_failure(run: &mut Run, now: Time) -> bool {
    let Some(attempt) = run.latest_mut() else {
        return false;
    };
    advance_attempt(attempt, now);
    if attempt.status == Status::Completed {
        return false;
    }
    let Some(job) = attempt
        .jobs
        .iter_mut()
        .find(|j| j.status != Status::Completed && j.outcome != Outcome::SkippedByCondition)
    else {
        return false;
    };
    let current = job
        .steps
        .iter()
        .position(|s| s.status != Status::Completed)
        .unwrap_or(0);
    // Never fail the bookkeeping steps: move to the first real one.
    let step = current.max(1).min(job.steps.len().saturating_sub(2));
    job.outcome = Outcome::FailAt(step);
    job.persistent = true;
    true
}
