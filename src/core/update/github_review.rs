//! `A` on a run waiting for an environment's approval: read its pending
//! deployments (refused first under `--readonly`, so nothing is even
//! read), show them with a comment field, then the usual confirmation
//! naming the run and the environments; `y` sends one review.

use crate::core::act::{self, Proposal, Risk};
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::{Outcome, RunOp};
use crate::core::github_review::{PendingEnv, ReviewForm, ReviewStep};
use crate::core::key::KeyCode;
use crate::core::source::SourceKind;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

use super::github_ops::run_label;

pub(super) fn on_action(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.github.current_run() else {
        return Vec::new();
    };
    let label = run_label(run);
    let (repo, run_id) = (run.repo.clone(), run.id);
    if run.outcome() != Outcome::Waiting {
        state.toast(
            ToastLevel::Info,
            format!("{label} is not waiting for a deployment's approval"),
        );
        return Vec::new();
    }
    let target = format!("run {label}");
    let verb = "review the deployment of";
    if let Some(refused) = act::refusal(state, SourceKind::GitHub, repo.clone(), target, verb) {
        return refused;
    }
    state.github.review_wait = Some((repo.clone(), run_id, label));
    vec![Effect::GitHub(GitHubCommand::ReadPendingDeployments {
        repo,
        run_id,
    })]
}

pub(super) fn on_pending(
    state: &mut State,
    repo: String,
    run_id: u64,
    result: Result<Vec<PendingEnv>, String>,
) -> Vec<Effect> {
    // Only the answer to the last `A` opens the dialog.
    let label = match state.github.review_wait.take() {
        Some((r, id, label)) if r == repo && id == run_id => label,
        other => {
            state.github.review_wait = other;
            return Vec::new();
        }
    };
    match result {
        Err(e) => state.toast(
            ToastLevel::Error,
            format!("cannot read the pending deployments of {label}: {e}"),
        ),
        Ok(envs) if envs.is_empty() => state.toast(
            ToastLevel::Info,
            format!("{label} has no deployment waiting for approval"),
        ),
        Ok(envs) => state.github.review_form = Some(ReviewForm::new(repo, run_id, label, envs)),
    }
    Vec::new()
}

/// A key while the dialog is open.
pub(super) fn on_form_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Some(form) = state.github.review_form.as_mut() else {
        return Vec::new();
    };
    match form.key(code) {
        ReviewStep::Editing => Vec::new(),
        ReviewStep::Cancelled => {
            state.github.review_form = None;
            state.toast(ToastLevel::Info, "review cancelled");
            Vec::new()
        }
        ReviewStep::Done => match state.github.review_form.take() {
            Some(form) => ask_review(state, form),
            None => Vec::new(),
        },
    }
}

fn ask_review(state: &mut State, form: ReviewForm) -> Vec<Effect> {
    let envs = form.reviewable();
    let names: Vec<&str> = envs.iter().map(|e| e.name.as_str()).collect();
    let environment_ids: Vec<u64> = envs.iter().map(|e| e.id).collect();
    let target = format!(
        "run {} to {} {}",
        form.label,
        if names.len() == 1 {
            "environment"
        } else {
            "environments"
        },
        names.join(", ")
    );
    let op = RunOp::ReviewDeployments {
        run_id: form.run_id,
        environment_ids,
        approve: form.approve,
        comment: form.comment.trim().to_string(),
    };
    let (title, risk) = if form.approve {
        ("Approve the deployment of", Risk::Harmless)
    } else {
        ("Reject the deployment of", Risk::Destructive)
    };
    let proposal = Proposal {
        source: SourceKind::GitHub,
        location: form.repo.clone(),
        shown_target: format!("{target} (comment: {})", form.comment.trim()),
        target,
        verb: op.verb().to_string(),
        title: title.to_string(),
        risk,
        required_text: None,
    };
    let repo = form.repo;
    act::ask(state, proposal, |ticket| {
        Effect::GitHub(GitHubCommand::Op { ticket, repo, op })
    })
}
