//! A run's artifacts and their download.
//!
//! - `GET /repos/{o}/{r}/actions/runs/{id}/artifacts`: `{total_count,
//!   artifacts: [{id, name, size_in_bytes, archive_download_url, expired,
//!   created_at, expires_at, updated_at, workflow_run}]}`:
//!   https://docs.github.com/en/rest/actions/artifacts#list-workflow-run-artifacts
//! - `GET /repos/{o}/{r}/actions/artifacts/{id}/zip`: "302 Found" with the
//!   signed, short-lived URL in `Location`; "410 Gone" for an expired
//!   artifact:
//!   https://docs.github.com/en/rest/actions/artifacts#download-an-artifact
//!
//! The signed URL is served by the second origin (as the logs' are), with
//! no credentials needed.

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use super::GithubSim;
use super::http::{Reply, Req};
use super::logs;
use super::model::Time;
use super::routes::log_signature;
use super::world::World;

/// One stored artifact.
#[derive(Clone, Debug)]
pub(crate) struct Artifact {
    pub id: u64,
    pub repo_id: u64,
    pub run_id: u64,
    pub name: String,
    pub bytes: Vec<u8>,
    pub expired: bool,
    pub created_at: Time,
}

/// Artifacts are kept 90 days by default.
const RETENTION_DAYS: i64 = 90;

impl GithubSim {
    /// Stores `bytes` as artifact `name` of run `run_id` of `owner/repo`;
    /// its id, or None when the run is unknown. `expired`: past retention,
    /// listed as such and answered 410.
    pub fn add_artifact(
        &self,
        (owner, repo): (&str, &str),
        run_id: u64,
        name: &str,
        bytes: Vec<u8>,
        expired: bool,
    ) -> Option<u64> {
        let mut world = self.shared.lock();
        let now = world.sync();
        let ri = world.repo_index(owner, repo)?;
        let repo = world.repos.get(ri)?;
        repo.run_index(run_id)?;
        let repo_id = repo.id;
        let id = 2_848_000_000 + world.artifacts.len() as u64;
        let created_at = if expired {
            now - Duration::days(RETENTION_DAYS + 1)
        } else {
            now
        };
        world.artifacts.push(Artifact {
            id,
            repo_id,
            run_id,
            name: name.to_string(),
            bytes,
            expired,
            created_at,
        });
        Some(id)
    }
}

pub(crate) fn list(world: &World, ri: usize, run: &str) -> Reply {
    let Some(repo) = world.repos.get(ri) else {
        return Reply::not_found();
    };
    let Some(run_id) = run
        .parse::<u64>()
        .ok()
        .filter(|id| repo.run_index(*id).is_some())
    else {
        return Reply::not_found();
    };
    let base = format!(
        "{}/repos/{}/actions/artifacts",
        world.base,
        repo.full_name()
    );
    let items: Vec<Value> = world
        .artifacts
        .iter()
        .filter(|a| a.repo_id == repo.id && a.run_id == run_id)
        .map(|a| {
            json!({
                "id": a.id,
                "node_id": format!("MDg6QXJ0aWZhY3Q{}", a.id),
                "name": a.name,
                "size_in_bytes": a.bytes.len(),
                "url": format!("{base}/{}", a.id),
                "archive_download_url": format!("{base}/{}/zip", a.id),
                "expired": a.expired,
                "created_at": logs::stamp(a.created_at),
                "updated_at": logs::stamp(a.created_at),
                "expires_at": logs::stamp(a.created_at + Duration::days(RETENTION_DAYS)),
                "workflow_run": { "id": a.run_id, "repository_id": a.repo_id },
            })
        })
        .collect();
    let body = json!({ "total_count": items.len(), "artifacts": items });
    Reply::json(StatusCode::OK, &body)
}

pub(crate) fn zip(world: &World, ri: usize, id: &str, now: Time) -> Reply {
    let Some(repo) = world.repos.get(ri) else {
        return Reply::not_found();
    };
    let Some(a) = id.parse::<u64>().ok().and_then(|id| {
        world
            .artifacts
            .iter()
            .find(|a| a.id == id && a.repo_id == repo.id)
    }) else {
        return Reply::not_found();
    };
    if a.expired {
        return Reply::raw_json(
            StatusCode::GONE,
            r#"{"message":"Artifact has expired","documentation_url":"https://docs.github.com/rest/actions/artifacts#download-an-artifact","status":"410"}"#,
        );
    }
    let expires = logs::stamp(now + Duration::minutes(1));
    let sig = log_signature(world.log_key, repo.id, a.id, &expires);
    let location = format!(
        "{}/a{:x}/{}/artifact.zip?urlExpires={}&urlSignature={sig}",
        world.pipelines,
        repo.id,
        a.id,
        expires.replace(':', "%3A"),
    );
    Reply {
        location: Some(location),
        ..Reply::empty(StatusCode::FOUND)
    }
}

/// The bytes behind a signed artifact URL (`/a{repo:x}/{id}/artifact.zip`),
/// or None when the path, signature or expiry is wrong.
pub(crate) fn signed(world: &World, segs: &[&str], req: &Req, now: Time) -> Option<Vec<u8>> {
    let [repo, id, "artifact.zip"] = segs else {
        return None;
    };
    let repo_id = u64::from_str_radix(repo.strip_prefix('a')?, 16).ok()?;
    let id: u64 = id.parse().ok()?;
    let expires = req.param("urlExpires")?;
    if req.param("urlSignature")? != log_signature(world.log_key, repo_id, id, &expires) {
        return None;
    }
    if chrono::DateTime::parse_from_rfc3339(&expires).map_or(true, |at| at < now) {
        return None;
    }
    world
        .artifacts
        .iter()
        .find(|a| a.id == id && a.repo_id == repo_id && !a.expired)
        .map(|a| a.bytes.clone())
}
