//! Runs held by an environment's required reviewers, and their review.
//!
//! - `GET /repos/{o}/{r}/actions/runs/{id}/pending_deployments`:
//!   https://docs.github.com/en/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run
//! - `POST` the same path with `environment_ids`, `state`
//!   (`approved`|`rejected`) and `comment`, all three required:
//!   https://docs.github.com/en/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run
//! - While a job awaits approval its status is "waiting"; approved, it
//!   proceeds; "If a job is rejected, the workflow will fail":
//!   https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/review-deployments

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::GithubSim;
use super::engine;
use super::http::{PROBLEMS_PARSING_JSON, Reply, Req};
use super::model::{Conclusion, Status, Time};
use super::world::World;

/// An environment a run waits on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gate {
    pub env_id: u64,
    pub name: String,
    /// Minutes.
    pub wait_timer: u64,
    /// Whether the simulator's user may review it.
    pub can_approve: bool,
    /// Required reviewers' logins.
    pub reviewers: Vec<String>,
}

/// A review the simulator accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub path: String,
    pub body: Value,
}

impl GithubSim {
    /// Holds the latest attempt of run `run_id` of `owner/name` for
    /// `gates`: its status turns `waiting` and no job starts until every
    /// gate is approved. False when the run is unknown or already started.
    pub fn hold_for_review(&self, owner: &str, name: &str, run_id: u64, gates: Vec<Gate>) -> bool {
        let mut world = self.shared.lock();
        let Some(repo) = world
            .repo_index(owner, name)
            .and_then(|ri| world.repos.get_mut(ri))
        else {
            return false;
        };
        let Some(run) = repo.run_index(run_id).and_then(|i| repo.runs.get_mut(i)) else {
            return false;
        };
        let Some(attempt) = run.latest_mut() else {
            return false;
        };
        if attempt.status != Status::Queued || gates.is_empty() {
            return false;
        }
        attempt.status = Status::Waiting;
        attempt.gates = gates;
        repo.version += 1;
        true
    }

    /// The reviews accepted so far.
    pub fn reviews(&self) -> Vec<Review> {
        self.shared.lock().reviews.clone()
    }
}

pub(crate) fn list(world: &World, ri: usize, id: &str) -> Reply {
    let Some(attempt) = attempt_of(world, ri, id) else {
        return Reply::not_found();
    };
    let base = world.base.as_str();
    let Some(repo) = world.repos.get(ri) else {
        return Reply::not_found();
    };
    let full = repo.full_name();
    let items: Vec<Value> = attempt
        .gates
        .iter()
        .map(|g| {
            json!({
                "environment": {
                    "id": g.env_id,
                    "node_id": format!("EN_sim{}", g.env_id),
                    "name": g.name,
                    "url": format!("{base}/repos/{full}/environments/{}", g.name),
                    "html_url": format!("https://github.com/{full}/deployments/activity_log?environments_filter={}", g.name),
                },
                "wait_timer": g.wait_timer,
                "wait_timer_started_at": attempt.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "current_user_can_approve": g.can_approve,
                "reviewers": g.reviewers.iter().map(|login| json!({
                    "type": "User",
                    "reviewer": { "login": login, "type": "User" },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Reply::json(StatusCode::OK, &Value::Array(items))
}

fn attempt_of<'w>(world: &'w World, ri: usize, id: &str) -> Option<&'w super::model::Attempt> {
    let repo = world.repos.get(ri)?;
    let run_id: u64 = id.parse().ok()?;
    repo.runs.get(repo.run_index(run_id)?)?.latest()
}

pub(crate) fn review(world: &mut World, ri: usize, id: &str, req: &Req, now: Time) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Reply::raw_json(StatusCode::BAD_REQUEST, PROBLEMS_PARSING_JSON);
    };
    let ids: Option<Vec<u64>> = body
        .get("environment_ids")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().map(Value::as_u64).collect());
    let approve = match body.get("state").and_then(Value::as_str) {
        Some("approved") => true,
        Some("rejected") => false,
        _ => return Reply::validation("Review", "state", "invalid"),
    };
    let (Some(ids), Some(_comment)) = (ids, body.get("comment").and_then(Value::as_str)) else {
        return Reply::validation("Review", "environment_ids", "missing_field");
    };
    let Some(repo) = world.repos.get_mut(ri) else {
        return Reply::not_found();
    };
    let Some(run) = id
        .parse()
        .ok()
        .and_then(|run_id| repo.run_index(run_id))
        .and_then(|i| repo.runs.get_mut(i))
    else {
        return Reply::not_found();
    };
    let Some(attempt) = run.latest_mut() else {
        return Reply::not_found();
    };
    // Every id must be a gate this user may review.
    let reviewable = |env: &u64| {
        attempt
            .gates
            .iter()
            .any(|g| g.env_id == *env && g.can_approve)
    };
    if ids.is_empty() || !ids.iter().all(reviewable) {
        return Reply::validation("Review", "environment_ids", "invalid");
    }
    let reviewed: Vec<Value> = attempt
        .gates
        .iter()
        .filter(|g| ids.contains(&g.env_id))
        .map(|g| json!({ "id": g.env_id, "name": g.name }))
        .collect();
    if approve {
        attempt.gates.retain(|g| !ids.contains(&g.env_id));
        if attempt.gates.is_empty() {
            attempt.status = Status::Queued;
            attempt.released_at = Some(now);
        }
    } else {
        attempt.gates.clear();
        for job in &mut attempt.jobs {
            let conclusion = if job.needs.is_none() {
                Conclusion::Failure
            } else {
                Conclusion::Skipped
            };
            engine::complete_unstarted(job, now, conclusion);
        }
        engine::summarize(attempt);
    }
    attempt.updated_at = now;
    repo.version += 1;
    world.reviews.push(Review {
        path: req.path.clone(),
        body: body.clone(),
    });
    // The answer lists the deployments the review touched.
    let state = if approve { "approved" } else { "rejected" };
    let deployments: Vec<Value> = reviewed
        .into_iter()
        .map(|env| json!({ "environment": env["name"], "state": state }))
        .collect();
    Reply::json(StatusCode::OK, &Value::Array(deployments))
}
