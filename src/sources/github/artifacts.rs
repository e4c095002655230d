//! A run's artifacts: the list and the download of one to a directory.
//! https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts
//! https://docs.github.com/en/rest/actions/artifacts#download-an-artifact
//! (302 to a short-lived signed URL; 410 once the artifact has expired).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::api::{Api, ApiError};
use super::token::Token;
use crate::core::msg::{GitHubEvent, Msg};

/// One artifact as the list says (the core's type).
pub use crate::core::github_artifacts::Artifact as ArtifactInfo;

#[derive(Deserialize)]
struct WireList {
    artifacts: Vec<WireArtifact>,
}

#[derive(Deserialize)]
struct WireArtifact {
    id: u64,
    name: String,
    #[serde(default)]
    size_in_bytes: u64,
    #[serde(default)]
    expired: bool,
    expires_at: Option<String>,
}

pub fn parse_list(body: &[u8]) -> Result<Vec<ArtifactInfo>, String> {
    let list: WireList = serde_json::from_slice(body)
        .map_err(|e| format!("GitHub's list of artifacts could not be read: {e}"))?;
    Ok(list
        .artifacts
        .into_iter()
        .map(|a| ArtifactInfo {
            id: a.id,
            name: a.name,
            size: a.size_in_bytes,
            expired: a.expired,
            expires_at: a.expires_at,
        })
        .collect())
}

pub(super) async fn list_with(
    api: &Api,
    repo: &str,
    run_id: u64,
) -> Result<Vec<ArtifactInfo>, String> {
    let path = format!("/repos/{repo}/actions/runs/{run_id}/artifacts?per_page=100");
    let answer = api.get(&path, None).await.map_err(|e| e.plain())?;
    parse_list(&answer.body)
}

/// A file name from an artifact's name: no path separators, never empty,
/// so the download lands in the chosen directory and nowhere else.
pub fn file_name(artifact: &ArtifactInfo) -> String {
    let clean: String = artifact
        .name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.');
    if clean.is_empty() {
        format!("artifact-{}.zip", artifact.id)
    } else {
        format!("{clean}.zip")
    }
}

pub(super) async fn download_with(
    api: &Api,
    repo: &str,
    artifact: &ArtifactInfo,
    dir: &Path,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<PathBuf, String> {
    if artifact.expired {
        return Err(format!(
            "artifact {} has expired; GitHub no longer keeps it",
            artifact.name
        ));
    }
    let dir = &ready_dir(dir)?;
    let target = dir.join(file_name(artifact));
    let partial = dir.join(format!(".{}.part", file_name(artifact)));
    let mut out = std::fs::File::create(&partial)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    let path = format!("/repos/{repo}/actions/artifacts/{}/zip", artifact.id);
    let result = api.download(&path, &mut out, progress).await;
    drop(out);
    match result {
        Ok(_) => std::fs::rename(&partial, &target)
            .map(|()| target.clone())
            .map_err(|e| format!("cannot write {}: {e}", target.display())),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(match e {
                ApiError::Refused { status: 410, .. } => {
                    format!(
                        "artifact {} has expired; GitHub no longer keeps it",
                        artifact.name
                    )
                }
                other => format!(
                    "artifact {} not downloaded: {}",
                    artifact.name,
                    other.plain()
                ),
            })
        }
    }
}

/// The typed directory made usable: `~` is the home directory, and a
/// missing directory is created, as `gh run download -D` does.
fn ready_dir(dir: &Path) -> Result<PathBuf, String> {
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    let dir = match dir.strip_prefix("~") {
        Ok(rest) => home()
            .ok_or("no home directory to put ~ in; type the whole path")?
            .join(rest),
        Err(_) => dir.to_path_buf(),
    };
    if dir.is_file() {
        return Err(format!(
            "{} is a file, not a directory; choose another with o",
            dir.display()
        ));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create directory {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Reads the list for the `b` dialog.
pub(super) async fn list_task(ctx: super::ops::Context, repo: String, run_id: u64) {
    let result = list_with(&ctx.api, &repo, run_id).await;
    if let Err(e) = &result {
        tracing::info!(%repo, run_id, error = %e, "artifacts not listed");
    }
    let ev = GitHubEvent::Artifacts {
        repo,
        run_id,
        result,
    };
    let _ = ctx.tx.send(Msg::GitHub(ev)).await;
}

/// Progress is sent at most every this many bytes (and at the end).
const PROGRESS_STEP: u64 = 256 << 10;

/// Downloads for the `b` dialog, saying the progress as it goes.
pub(super) async fn download_task(
    ctx: super::ops::Context,
    repo: String,
    artifact: ArtifactInfo,
    dir: PathBuf,
) {
    let (id, total) = (artifact.id, artifact.size);
    let tx = ctx.tx.clone();
    let mut said = 0u64;
    let mut progress = move |done: u64| {
        if done - said >= PROGRESS_STEP || done == total {
            said = done;
            // A full queue only drops a progress step, never the result.
            let _ = tx.try_send(Msg::GitHub(GitHubEvent::ArtifactProgress { id, done }));
        }
    };
    let result = download_with(&ctx.api, &repo, &artifact, &dir, &mut progress)
        .await
        .map(|p| p.display().to_string());
    match &result {
        Ok(path) => tracing::info!(%repo, id, %path, "artifact saved"),
        Err(e) => tracing::info!(%repo, id, error = %e, "artifact not saved"),
    }
    let _ = ctx
        .tx
        .send(Msg::GitHub(GitHubEvent::ArtifactSaved { id, result }))
        .await;
}

/// The list of run `run_id`'s artifacts, with a client of its own.
pub async fn list(
    api_url: &str,
    token: &Token,
    repo: &str,
    run_id: u64,
) -> Result<Vec<ArtifactInfo>, String> {
    let api = Api::new(api_url, token)?;
    list_with(&api, repo, run_id).await
}

/// Downloads `artifact` into `dir` as `NAME.zip` (through a hidden
/// `.part` file, so a failed download leaves nothing that looks whole).
pub async fn download(
    (api_url, token): (&str, &Token),
    repo: &str,
    artifact: &ArtifactInfo,
    dir: &Path,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<PathBuf, String> {
    let api = Api::new(api_url, token)?;
    download_with(&api, repo, artifact, dir, progress).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_cannot_leave_the_directory() {
        let a = |name: &str| ArtifactInfo {
            id: 9,
            name: name.into(),
            size: 0,
            expired: false,
            expires_at: None,
        };
        assert_eq!(file_name(&a("../../etc/passwd")), "_.._etc_passwd.zip");
        assert_eq!(file_name(&a("web-dist")), "web-dist.zip");
        assert_eq!(file_name(&a("..")), "artifact-9.zip");
    }

    #[test]
    fn a_typed_directory_is_created_and_a_file_is_refused() {
        let base = tempfile::tempdir().expect("temp dir");
        let nested = base.path().join("incident-42/artifacts");
        assert_eq!(ready_dir(&nested).as_deref(), Ok(nested.as_path()));
        assert!(nested.is_dir());
        let file = base.path().join("notes.txt");
        std::fs::write(&file, "x").expect("write");
        let refused = ready_dir(&file).expect_err("a file is no directory");
        assert!(refused.contains("is a file, not a directory"), "{refused}");
        let home = directories::BaseDirs::new()
            .expect("home")
            .home_dir()
            .to_path_buf();
        assert_eq!(ready_dir(Path::new("~")), Ok(home));
    }
}
