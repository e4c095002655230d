//! Mutations of the Actions pane: re-run all / failed / one job, cancel,
//! dispatch. Each opens a confirmation dialog holding its effect (or is
//! refused under `--readonly`); obvious mistakes (cancelling a finished
//! run) are answered at once without a request.

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::dispatch_form::{DispatchForm, FormStep};
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::{DispatchInput, Outcome, Run, RunOp};
use crate::core::github_pane::DispatchDraft;
use crate::core::key::KeyCode;
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
            RunOp::RerunAll {
                run_id,
                debug: false,
            },
            Risk::Harmless,
        ),
        Action::RerunFailed => (
            "Re-run failed jobs of",
            format!("run {label}"),
            RunOp::RerunFailed {
                run_id,
                debug: false,
            },
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
                RunOp::RerunJob {
                    job_id,
                    debug: false,
                },
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
    // A re-run can be switched to debug logging in its dialog (`d`), as
    // `gh run rerun --debug`: still one request, the one the dialog shows.
    if let Some(debug_op) = op.with_debug(true) {
        let switch = act::Switch {
            key: 'd',
            label: "debug logging".into(),
            verb_on: debug_op.verb().to_string(),
        };
        return act::ask_with_switch(state, proposal, switch, move |ticket, on| {
            let op = if on { debug_op.clone() } else { op.clone() };
            Effect::GitHub(GitHubCommand::Op {
                ticket,
                repo: repo.clone(),
                op,
            })
        });
    }
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
        branch: None,
    });
    state.input = Some(TextInput {
        purpose: InputPurpose::DispatchBranch,
        text: branch,
    });
    Vec::new()
}

/// Enter in the branch input: the workflow file's inputs are read first
/// (the form, or the confirmation when it has none).
pub(super) fn confirm_dispatch(state: &mut State, branch: &str) -> Vec<Effect> {
    let branch = branch.trim().to_string();
    if branch.is_empty() {
        state.github.dispatch = None;
        state.toast(ToastLevel::Info, "dispatch cancelled: no branch given");
        return Vec::new();
    }
    let Some(draft) = state.github.dispatch.as_mut() else {
        return Vec::new();
    };
    draft.branch = Some(branch.clone());
    vec![Effect::GitHub(GitHubCommand::ReadDispatchInputs {
        repo: draft.repo.clone(),
        workflow_id: draft.workflow_id,
        branch,
    })]
}

/// The workflow file was read: ask for its inputs, or confirm at once when
/// it has none. Inputs that cannot be read stop the dispatch: sending it
/// without them would run the workflow with values nobody chose.
pub(super) fn on_dispatch_inputs(
    state: &mut State,
    (repo, workflow_id): (String, u64),
    result: Result<(String, Option<Vec<DispatchInput>>), String>,
) -> Vec<Effect> {
    let waiting = state
        .github
        .dispatch
        .as_ref()
        .is_some_and(|d| d.repo == repo && d.workflow_id == workflow_id && d.branch.is_some());
    if !waiting {
        return Vec::new();
    }
    let Some(draft) = state.github.dispatch.take() else {
        return Vec::new();
    };
    let branch = draft.branch.clone().unwrap_or_default();
    match result {
        Err(e) => {
            state.toast(
                ToastLevel::Error,
                format!("{e}; the dispatch of {} was not sent", draft.workflow),
            );
            Vec::new()
        }
        Ok((path, None)) => {
            state.toast(
                ToastLevel::Info,
                format!(
                    "{path} has no workflow_dispatch trigger: {} cannot be dispatched",
                    draft.workflow
                ),
            );
            Vec::new()
        }
        Ok((_, Some(inputs))) if inputs.is_empty() => {
            ask_dispatch(state, draft, branch, Vec::new())
        }
        Ok((path, Some(inputs))) => {
            let form = DispatchForm::new(
                (draft.repo, draft.workflow_id, draft.workflow),
                path,
                branch,
                inputs,
            );
            state.github.dispatch_form = Some(form);
            Vec::new()
        }
    }
}

/// A key while the inputs form is open.
pub(super) fn on_form_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Some(form) = state.github.dispatch_form.as_mut() else {
        return Vec::new();
    };
    match form.key(code) {
        FormStep::Editing => Vec::new(),
        FormStep::Cancelled => {
            state.github.dispatch_form = None;
            state.toast(ToastLevel::Info, "dispatch cancelled");
            Vec::new()
        }
        FormStep::Done(inputs) => {
            let Some(form) = state.github.dispatch_form.take() else {
                return Vec::new();
            };
            let draft = DispatchDraft {
                repo: form.repo,
                workflow_id: form.workflow_id,
                workflow: form.workflow,
                branch: None,
            };
            ask_dispatch(state, draft, form.branch, inputs)
        }
    }
}

/// The confirmation, naming repository, workflow, ref and inputs.
fn ask_dispatch(
    state: &mut State,
    draft: DispatchDraft,
    branch: String,
    inputs: Vec<(String, String)>,
) -> Vec<Effect> {
    let mut target = format!("workflow {} on {}@{branch}", draft.workflow, draft.repo);
    if !inputs.is_empty() {
        let pairs: Vec<String> = inputs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        target.push_str(&format!(" with {}", pairs.join(", ")));
    }
    let op = RunOp::Dispatch {
        workflow_id: draft.workflow_id,
        branch,
        inputs,
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
