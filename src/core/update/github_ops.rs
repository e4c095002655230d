//! Mutations of the Actions pane: re-run all / failed / one job, cancel,
//! dispatch. Each opens a confirmation dialog holding its effect (or is
//! refused under `--readonly`); obvious mistakes (cancelling a finished
//! run) are answered at once without a request.

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::{Outcome, Run, RunOp};
use crate::core::github_pane::DispatchDraft;
use crate::core::source::SourceKind;
use crate::core::state::{InputPurpose, State, TextInput};
use crate::core::toast::ToastLevel;

pub(super) fn is_op(action: Action) -> bool {
    matches!(
        action,
        Action::RerunAll
            | Action::RerunFailed
            | Action::RerunJob
            | Action::Cancel
            | Action::Dispatch
    )
}

/// `acme/web CI #12`: how a run is named in dialogs and toasts.
pub fn run_label(run: &Run) -> String {
    format!("{} {} {}", run.repo, run.workflow, run.number_text())
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(run) = state.github.current_run() else {
        return Vec::new();
    };
    let label = run_label(run);
    let repo = run.repo.clone();
    let outcome = run.outcome();
    let going = run.is_going();
    let run_id = run.id;
    let refuse = |state: &mut State, why: String| {
        state.toast(ToastLevel::Info, why);
        Vec::new()
    };
    let (title, target, op, risk) = match action {
        Action::RerunAll | Action::RerunFailed if going => {
            return refuse(state, format!("{label} is still going; cancel it first"));
        }
        Action::RerunFailed if !matches!(outcome, Outcome::Failure | Outcome::Cancelled) => {
            return refuse(state, format!("{label} has no failed jobs to re-run"));
        }
        Action::RerunAll => (
            "Re-run all jobs of",
            format!("run {label}"),
            RunOp::RerunAll { run_id },
            Risk::Harmless,
        ),
        Action::RerunFailed => (
            "Re-run failed jobs of",
            format!("run {label}"),
            RunOp::RerunFailed { run_id },
            Risk::Harmless,
        ),
        Action::Cancel if !going => {
            return refuse(state, format!("{label} has already finished"));
        }
        Action::Cancel => (
            "Cancel",
            format!("run {label}"),
            RunOp::Cancel { run_id },
            Risk::Destructive,
        ),
        Action::RerunJob => {
            let job = state.github.detail.as_ref().and_then(|d| d.selected_job());
            let Some(job) = job else {
                return refuse(
                    state,
                    "open the run (Enter) and select a job to re-run it".into(),
                );
            };
            if going {
                return refuse(state, format!("{label} is still going; cancel it first"));
            }
            let name = job.name.clone();
            let job_id = job.id;
            // The user picked this job: once re-run it comes back under a
            // new id, queued, and the selection follows it by name instead
            // of jumping to the job a fresh run would open on.
            if let Some(d) = state.github.detail.as_mut() {
                d.selection_moved = true;
            }
            (
                "Re-run job",
                format!("{name} of {label}"),
                RunOp::RerunJob { job_id },
                Risk::Harmless,
            )
        }
        Action::Dispatch => return start_dispatch(state),
        _ => return Vec::new(),
    };
    let proposal = Proposal {
        source: SourceKind::GitHub,
        location: repo.clone(),
        shown_target: target.strip_prefix("run ").unwrap_or(&target).to_string(),
        target,
        verb: op.verb().to_string(),
        title: title.to_string(),
        risk,
        required_text: None,
    };
    act::ask(state, proposal, |ticket| {
        Effect::GitHub(GitHubCommand::Op { ticket, repo, op })
    })
}

/// Asks for the branch first (pre-filled with the run's branch).
fn start_dispatch(state: &mut State) -> Vec<Effect> {
    let Some(run) = state.github.current_run() else {
        return Vec::new();
    };
    let branch = run.branch.clone();
    // Refused before the branch is typed, not after.
    let early = act::refusal(
        state,
        SourceKind::GitHub,
        run.repo.clone(),
        format!("workflow {}", run.workflow),
        "dispatch",
    );
    if let Some(effects) = early {
        return effects;
    }
    let Some(run) = state.github.current_run() else {
        return Vec::new();
    };
    state.github.dispatch = Some(DispatchDraft {
        repo: run.repo.clone(),
        workflow_id: run.workflow_id,
        workflow: run.workflow.clone(),
    });
    state.input = Some(TextInput {
        purpose: InputPurpose::DispatchBranch,
        text: branch,
    });
    Vec::new()
}

/// Enter in the branch input: the confirmation dialog for the dispatch.
pub(super) fn confirm_dispatch(state: &mut State, branch: &str) -> Vec<Effect> {
    let Some(draft) = state.github.dispatch.take() else {
        return Vec::new();
    };
    let branch = branch.trim();
    if branch.is_empty() {
        state.toast(ToastLevel::Info, "dispatch cancelled: no branch given");
        return Vec::new();
    }
    let target = format!("workflow {} on {}@{branch}", draft.workflow, draft.repo);
    let op = RunOp::Dispatch {
        workflow_id: draft.workflow_id,
        branch: branch.to_string(),
    };
    let proposal = Proposal {
        source: SourceKind::GitHub,
        location: draft.repo.clone(),
        shown_target: target
            .strip_prefix("workflow ")
            .unwrap_or(&target)
            .to_string(),
        target,
        verb: op.verb().to_string(),
        title: "Dispatch workflow".to_string(),
        risk: Risk::Harmless,
        required_text: None,
    };
    let repo = draft.repo;
    act::ask(state, proposal, |ticket| {
        Effect::GitHub(GitHubCommand::Op { ticket, repo, op })
    })
}

pub(super) fn cancel_dispatch(state: &mut State) {
    state.github.dispatch = None;
}
