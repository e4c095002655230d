//! `a` in a run's jobs: the run's attempts, newest first. Enter on one
//! shows its jobs (and, from them, their logs); the latest attempt is the
//! run as polled. Reading them costs one request per attempt, once.

use crate::core::action::Action;
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::Run;
use crate::core::github_attempts::AttemptList;
use crate::core::loadable::Loadable;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

use super::view;

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let open = state
        .github
        .detail
        .as_ref()
        .is_some_and(|d| d.attempts.is_some());
    if !open {
        return if action == Action::Attempts {
            list_attempts(state)
        } else {
            Vec::new()
        };
    }
    let Some(list) = state
        .github
        .detail
        .as_mut()
        .and_then(|d| d.attempts.as_mut())
    else {
        return Vec::new();
    };
    if let Some(nav) = view::nav(action) {
        list.list.navigate(nav);
        return Vec::new();
    }
    match action {
        Action::Back | Action::Attempts => {
            if let Some(d) = state.github.detail.as_mut() {
                d.attempts = None;
            }
            Vec::new()
        }
        Action::Copy => match list.selected() {
            Some(run) => {
                let what = format!("attempt {} of {}", run.attempt, run.number_text());
                let url = run.html_url.clone();
                super::github::copy_url(state, &what, url)
            }
            None => Vec::new(),
        },
        Action::Open | Action::Logs => match list.selected().cloned() {
            Some(attempt) => show_attempt(state, attempt),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Asks for every attempt of the open run (a run with one attempt has no
/// older ones: said at once, without a request).
fn list_attempts(state: &mut State) -> Vec<Effect> {
    let Some(detail) = state.github.detail.as_ref() else {
        return Vec::new();
    };
    let Some(run) = state.github.run(&detail.key) else {
        return Vec::new();
    };
    if run.attempt <= 1 {
        let text = format!(
            "{} {} has one attempt: nothing older to show",
            run.workflow,
            run.number_text()
        );
        state.toast(ToastLevel::Info, text);
        return Vec::new();
    }
    let (repo, run_id, count) = (run.repo.clone(), run.id, run.attempt);
    let request = state.new_stream_id();
    if let Some(d) = state.github.detail.as_mut() {
        d.attempts = Some(AttemptList::new(request));
    }
    vec![Effect::GitHub(GitHubCommand::ListAttempts {
        request,
        repo,
        run_id,
        count,
    })]
}

pub(super) fn on_attempts(state: &mut State, request: u64, result: Result<Vec<Run>, String>) {
    let Some(detail) = state.github.detail.as_mut() else {
        return;
    };
    let current = detail.attempt.as_ref().map(|a| a.attempt);
    let latest = state.github.runs.data().and_then(|m| m.get(&detail.key));
    let current = current.or(latest.map(|r| r.attempt)).unwrap_or(1);
    let Some(list) = detail.attempts.as_mut().filter(|l| l.request == request) else {
        return;
    };
    match result {
        Ok(attempts) => list.set(attempts, current),
        Err(e) => {
            list.attempts = Loadable::Failed {
                error: e,
                stale: None,
            }
        }
    }
}

/// Shows `attempt`'s jobs: a new watch of `/attempts/{n}/jobs`, or the
/// run's own jobs again for its latest attempt.
fn show_attempt(state: &mut State, attempt: Run) -> Vec<Effect> {
    let latest = state
        .github
        .current_run()
        .is_none_or(|r| r.attempt <= attempt.attempt);
    let request = state.new_stream_id();
    let Some(detail) = state.github.detail.as_mut() else {
        return Vec::new();
    };
    let (repo, run_id) = detail.key.clone();
    let mut fresh = crate::core::github_pane::RunDetail::new(detail.key.clone(), request, false);
    fresh.attempt = (!latest).then(|| attempt.clone());
    *detail = fresh;
    vec![Effect::GitHub(GitHubCommand::WatchJobs {
        request,
        repo,
        run_id,
        attempt: (!latest).then_some(attempt.attempt),
    })]
}
