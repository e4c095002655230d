//! `b` in a run's jobs: list the run's artifacts and download one into the
//! current directory or the one chosen with `o` (kept for the session).
//! Reading only: nothing on GitHub changes, so no confirmation; the
//! download is said in a toast when it ends.

use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github_artifacts::{Artifact, ArtifactsStep, ArtifactsView, Download};
use crate::core::key::KeyCode;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

use super::github_ops::run_label;

pub(super) fn on_action(state: &mut State) -> Vec<Effect> {
    if state.github.detail.is_none() {
        state.toast(ToastLevel::Info, "open a run (Enter) to see its artifacts");
        return Vec::new();
    }
    let Some(run) = state.github.current_run() else {
        return Vec::new();
    };
    let (repo, run_id, label) = (run.repo.clone(), run.id, run_label(run));
    let mut view = ArtifactsView::new(repo.clone(), run_id, label);
    if let Some(dir) = &state.github.artifact_dir {
        view.dir = dir.clone();
    }
    state.github.artifacts = Some(view);
    vec![Effect::GitHub(GitHubCommand::ListArtifacts {
        repo,
        run_id,
    })]
}

pub(super) fn on_list(
    state: &mut State,
    repo: String,
    run_id: u64,
    result: Result<Vec<Artifact>, String>,
) {
    if let Some(view) = state.github.artifacts.as_mut()
        && view.repo == repo
        && view.run_id == run_id
    {
        view.items = Some(result);
        view.selected = 0;
    }
}

pub(super) fn on_progress(state: &mut State, id: u64, done: u64) {
    if let Some(view) = state.github.artifacts.as_mut()
        && let Some(Download::Going {
            id: going, done: d, ..
        }) = view.download.as_mut()
        && *going == id
    {
        *d = done;
    }
}

pub(super) fn on_saved(state: &mut State, id: u64, result: Result<String, String>) {
    let going = state
        .github
        .artifacts
        .as_ref()
        .and_then(|v| match v.download {
            Some(Download::Going { id: going, .. }) => Some(going),
            _ => None,
        });
    let (level, text) = match &result {
        Ok(path) => (ToastLevel::Success, format!("artifact saved to {path}")),
        Err(e) => (ToastLevel::Error, e.clone()),
    };
    state.toast(level, text);
    if going == Some(id)
        && let Some(view) = state.github.artifacts.as_mut()
    {
        view.download = Some(match result {
            Ok(path) => Download::Saved(path),
            Err(e) => Download::Failed(e),
        });
    }
}

pub(super) fn on_key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Some(view) = state.github.artifacts.as_mut() else {
        return Vec::new();
    };
    match view.key(code) {
        ArtifactsStep::Stay => Vec::new(),
        ArtifactsStep::DirChosen(dir) => {
            state.github.artifact_dir = Some(dir);
            Vec::new()
        }
        ArtifactsStep::Close => {
            state.github.artifacts = None;
            Vec::new()
        }
        ArtifactsStep::Expired(why) => {
            view.download = Some(Download::Failed(why.clone()));
            state.toast(ToastLevel::Info, why);
            Vec::new()
        }
        ArtifactsStep::Download(artifact) => {
            view.download = Some(Download::Going {
                id: artifact.id,
                done: 0,
                total: artifact.size,
            });
            vec![Effect::GitHub(GitHubCommand::DownloadArtifact {
                repo: view.repo.clone(),
                artifact,
                dir: view.dir.clone(),
            })]
        }
    }
}
