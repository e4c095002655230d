//! The Actions pane's part of `update`: source events and navigation
//! (runs → jobs and steps → job log). Mutations are in `github_ops`.

use crate::core::action::Action;
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::{Job, Outcome, RateLimit};
use crate::core::github_pane::RunDetail;
use crate::core::list::Nav;
use crate::core::log_session::LogSession;
use crate::core::msg::GitHubEvent;
use crate::core::state::State;
use crate::core::toast::ToastLevel;
use crate::logview::{LineSource, LogBuffer, LogFormat};

use super::{github_artifacts, github_attempts, github_ops, github_review, logs, view};

pub(super) fn on_event(state: &mut State, ev: GitHubEvent) -> Vec<Effect> {
    let ev = match ev {
        GitHubEvent::RateLimit(rate) => {
            on_rate(state, rate);
            return Vec::new();
        }
        GitHubEvent::DispatchInputs {
            repo,
            workflow_id,
            result,
        } => return github_ops::on_dispatch_inputs(state, (repo, workflow_id), result),
        GitHubEvent::Artifacts {
            repo,
            run_id,
            result,
        } => {
            github_artifacts::on_list(state, repo, run_id, result);
            return Vec::new();
        }
        GitHubEvent::ArtifactProgress { id, done } => {
            github_artifacts::on_progress(state, id, done);
            return Vec::new();
        }
        GitHubEvent::ArtifactSaved { id, result } => {
            github_artifacts::on_saved(state, id, result);
            return Vec::new();
        }
        GitHubEvent::PendingDeployments {
            repo,
            run_id,
            result,
        } => return github_review::on_pending(state, repo, run_id, result),
        GitHubEvent::Attempts { request, result } => {
            github_attempts::on_attempts(state, request, result);
            return Vec::new();
        }
        other => other,
    };
    let pane = &mut state.github;
    match ev {
        GitHubEvent::Repos(repos) => pane.repos = repos,
        GitHubEvent::Runs { repo, runs } => {
            pane.loading_older = false;
            // New failures are announced by the Overview's notifier, once.
            pane.repo_errors.remove(&repo);
            pane.replace_repo_runs(&repo, runs);
        }
        GitHubEvent::RunCount { repo, total } => {
            pane.run_totals.insert(repo, total);
        }
        GitHubEvent::RepoError { repo, error } => {
            match error {
                Some(e) => pane.repo_errors.insert(repo, e),
                None => pane.repo_errors.remove(&repo),
            };
        }
        GitHubEvent::RateLimit(_)
        | GitHubEvent::DispatchInputs { .. }
        | GitHubEvent::PendingDeployments { .. }
        | GitHubEvent::Artifacts { .. }
        | GitHubEvent::ArtifactProgress { .. }
        | GitHubEvent::ArtifactSaved { .. }
        | GitHubEvent::Attempts { .. } => {}
        GitHubEvent::TokenFrom(origin) => pane.token_from = Some(origin),
        GitHubEvent::TokenRejected => pane.token_rejected = true,
        GitHubEvent::PollStats {
            requests,
            not_modified,
        } => {
            pane.requests = requests;
            pane.not_modified = not_modified;
        }
        GitHubEvent::Jobs { request, result } => return on_jobs(state, request, result),
        GitHubEvent::Log { stream, result } => {
            if let Some(session) = pane.logs.as_mut().filter(|s| s.stream == stream) {
                match result {
                    Ok(bytes) => {
                        session.buffer.push_bytes(LineSource::stdout(), &bytes);
                        session.buffer.flush();
                        // A failed job's log opens on its first `##[error]`, not its end.
                        session.view.first_error(&session.buffer);
                        session.ended = Some("the job finished".into());
                    }
                    Err(e) => session.ended = Some(e),
                }
            }
        }
    }
    Vec::new()
}

/// One toast when the budget falls under the threshold; again only after
/// it recovered (a new window) and fell again.
fn on_rate(state: &mut State, rate: RateLimit) {
    state.github.rate = Some(rate);
    if !rate.is_low() {
        state.github.rate_warned = false;
        return;
    }
    if std::mem::replace(&mut state.github.rate_warned, true) {
        return;
    }
    let reset = rate.reset_words(state.clock, state.settings.utc_offset);
    state.toast(
        ToastLevel::Warning,
        format!(
            "GitHub API budget low: {} of {} requests left, resets at {reset}; \
             polling slows down, your actions keep a reserve",
            rate.remaining, rate.limit
        ),
    );
}

fn on_jobs(state: &mut State, request: u64, result: Result<Vec<Job>, String>) -> Vec<Effect> {
    let failed_run = state
        .github
        .detail
        .as_ref()
        .and_then(|d| state.github.run(&d.key))
        .is_some_and(|r| r.outcome() == Outcome::Failure);
    let Some(detail) = state
        .github
        .detail
        .as_mut()
        .filter(|d| d.request == request)
    else {
        return Vec::new();
    };
    let jobs = match result {
        Ok(jobs) => jobs,
        Err(e) => {
            detail.jobs.fail(e);
            return Vec::new();
        }
    };
    let first_load = detail.jobs.data().is_none();
    let still_there = detail
        .list
        .selected()
        .is_some_and(|id| jobs.iter().any(|j| j.id == *id));
    let select = if first_load || !detail.selection_moved {
        pick_job(&jobs, failed_run).map(|j| j.id)
    } else if !still_there {
        // A re-run gives the job a new id; stay on the job of the same name.
        let name = detail.selected_job().map(|j| j.name.clone());
        let same = jobs.iter().find(|j| Some(&j.name) == name.as_ref());
        same.or_else(|| pick_job(&jobs, failed_run)).map(|j| j.id)
    } else {
        None
    };
    detail.set_jobs(jobs, select);
    if detail.open_log_when_loaded {
        detail.open_log_when_loaded = false;
        let return_to = detail.log_returns_to.take();
        let effects = open_job_log(state);
        if let Some(log) = state.github.logs.as_mut() {
            log.return_to = return_to;
        }
        return effects;
    }
    Vec::new()
}

/// The job a run opens on: its first failed job (that is where the
/// answer is), else the first one still running, else the first.
fn pick_job(jobs: &[Job], prefer_failure: bool) -> Option<&Job> {
    let failed = jobs.iter().find(|j| j.outcome() == Outcome::Failure);
    let running = jobs.iter().find(|j| j.outcome() == Outcome::Running);
    let first = jobs.first();
    if prefer_failure {
        failed.or(running).or(first)
    } else {
        running.or(failed).or(first)
    }
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if action == Action::Artifacts {
        return github_artifacts::on_action(state);
    }
    if action == Action::ReviewDeployments {
        return github_review::on_action(state);
    }
    // In a job log the run's keys act on its run and job, as in the list.
    if state.github.logs.is_some() && !github_ops::is_op(action) {
        return logs::on_action(state, action);
    }
    if github_ops::is_op(action) {
        return github_ops::on_action(state, action);
    }
    if state.github.detail.is_some() {
        return on_detail_action(state, action);
    }
    let pane = &mut state.github;
    if let Some(nav) = view::nav(action) {
        let was_last = pane.list.selected_index().map(|i| i + 1) == Some(pane.list.len());
        pane.navigate(nav);
        // Scrolling past the end reads older pages, as a web list would.
        let onward = matches!(nav, Nav::Down | Nav::PageDown | Nav::Bottom);
        if was_last && onward && pane.more_runs_exist() && !pane.loading_older {
            pane.loading_older = true;
            return vec![Effect::GitHub(GitHubCommand::LoadOlderRuns)];
        }
        return Vec::new();
    }
    match action {
        Action::SortNext => {
            pane.list.cycle_sort();
            pane.rebuild_order();
        }
        Action::SortReverse => {
            pane.list.reverse();
            pane.rebuild_order();
        }
        Action::Back if !pane.list.filter().is_empty() => set_filter(state, String::new()),
        Action::Open => return open_run(state, false),
        Action::Logs => return open_run(state, true),
        Action::Copy => {
            let run = pane.selected_run();
            let found = run.map(|r| {
                (
                    format!("run {}", github_ops::run_label(r)),
                    r.html_url.clone(),
                )
            });
            if let Some((what, url)) = found {
                return copy_url(state, &what, url);
            }
        }
        _ => {}
    }
    Vec::new()
}

/// `y`: the page's address to the clipboard (the same OSC 52 path as every
/// copy) and in a toast, for a terminal that cannot click links.
pub(super) fn copy_url(state: &mut State, what: &str, url: String) -> Vec<Effect> {
    if url.is_empty() {
        state.toast(
            ToastLevel::Info,
            format!("GitHub gave no address for {what}"),
        );
        return Vec::new();
    }
    state.toast(ToastLevel::Info, format!("{what}: {url}"));
    vec![Effect::Copy(url)]
}

fn on_detail_action(state: &mut State, action: Action) -> Vec<Effect> {
    if action == Action::Attempts
        || state
            .github
            .detail
            .as_ref()
            .is_some_and(|d| d.attempts.is_some())
    {
        return github_attempts::on_action(state, action);
    }
    let Some(detail) = state.github.detail.as_mut() else {
        return Vec::new();
    };
    if let Some(nav) = view::nav(action) {
        detail.navigate(nav);
        return Vec::new();
    }
    match action {
        Action::Open | Action::Logs => return open_job_log(state),
        Action::Copy => {
            let job = detail
                .selected_job()
                .map(|j| (format!("job {}", j.name), j.html_url.clone()));
            let run = state.github.current_run();
            let found = job.or_else(|| {
                run.map(|r| {
                    (
                        format!("run {}", github_ops::run_label(r)),
                        r.html_url.clone(),
                    )
                })
            });
            if let Some((what, url)) = found {
                return copy_url(state, &what, url);
            }
        }
        Action::SortNext => {
            detail.list.cycle_sort();
            detail.rebuild_order();
        }
        Action::Back if !detail.list.filter().is_empty() => set_filter(state, String::new()),
        Action::Back => {
            state.github.detail = None;
            return vec![Effect::GitHub(GitHubCommand::StopJobs)];
        }
        _ => {}
    }
    Vec::new()
}

/// The filter of the list on screen: the run's jobs when one is open.
pub(super) fn set_filter(state: &mut State, text: String) {
    let pane = &mut state.github;
    if let Some(detail) = pane.detail.as_mut() {
        detail.list.set_filter(text);
        detail.rebuild_order();
        // The user picked what to look at: re-polls must not move it.
        detail.selection_moved = true;
        return;
    }
    pane.list.set_filter(text);
    pane.rebuild_order();
}

/// Selects a run in the list (clearing a filter that hides it) and closes
/// any open detail, as a jump from the Overview or the palette does.
/// False when the run is not in the list (any more).
pub(super) fn show_run(state: &mut State, key: crate::core::github::RunKey) -> bool {
    let pane = &mut state.github;
    if !pane.list.filter().is_empty() {
        pane.list.set_filter("");
        pane.rebuild_order();
    }
    pane.detail = None;
    pane.logs = None;
    pane.selection_moved = true;
    pane.list.select(&key)
}

/// Drills into the selected run: its jobs are fetched (and re-polled while
/// it runs). With `to_log`, the log of the job it opens on follows at once.
pub(super) fn open_selected_run(state: &mut State, to_log: bool) -> Vec<Effect> {
    open_run(state, to_log)
}

fn open_run(state: &mut State, to_log: bool) -> Vec<Effect> {
    let Some(run) = state.github.selected_run() else {
        return Vec::new();
    };
    let key = run.key();
    let request = state.new_stream_id();
    state.github.detail = Some(RunDetail::new(key.clone(), request, to_log));
    vec![Effect::GitHub(GitHubCommand::WatchJobs {
        request,
        repo: key.0,
        run_id: key.1,
        attempt: None,
    })]
}

/// Opens the selected job's log; GitHub has one only once the job finished.
fn open_job_log(state: &mut State) -> Vec<Effect> {
    let Some(detail) = state.github.detail.as_ref() else {
        return Vec::new();
    };
    let Some(job) = detail.selected_job() else {
        return Vec::new();
    };
    if !job.has_log() {
        let text = format!(
            "job {} is {}: its log is available once it finishes",
            job.name,
            job.word()
        );
        state.toast(ToastLevel::Info, text);
        return Vec::new();
    }
    let (repo, job_id) = (detail.key.0.clone(), job.id);
    // An older attempt's job says which attempt (`#12/1`).
    let run = detail.attempt.as_ref().or(state.github.run(&detail.key));
    let title = match run {
        Some(run) => format!(
            "job {} of {} {} {}",
            job.name,
            run.repo,
            run.workflow,
            run.number_text()
        ),
        None => format!("job {}", job.name),
    };
    let title = match &detail.attempt {
        Some(old) => format!("{title} (attempt {})", old.attempt),
        None => title,
    };
    let stream = state.new_stream_id();
    state.github.logs = Some(job_log_session(stream, title, state.settings.log_line_cap));
    vec![Effect::GitHub(GitHubCommand::FetchLog {
        stream,
        repo,
        job_id,
    })]
}

/// A job log: GitHub's own timestamps, `##[group]` folded, `##[error]` marked.
fn job_log_session(stream: u64, title: String, cap: usize) -> LogSession {
    let mut session = LogSession::new(stream, title, cap);
    session.buffer = LogBuffer::new(cap)
        .with_timestamps(true)
        .with_format(LogFormat::GitHubActions);
    session
}

/// Closes the job log, back to the run's jobs.
pub(super) fn close_logs(state: &mut State) -> Vec<Effect> {
    state.github.logs = None;
    Vec::new()
}
