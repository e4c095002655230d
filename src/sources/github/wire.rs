//! GitHub's JSON turned into opsdeck's domain types. Our own serde structs
//! (not octocrab's models, which lack `run_attempt`, `display_title` and
//! `actor`), with every field optional where the API may omit it. One
//! malformed run or job is skipped (and logged), never the whole page.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use crate::core::github::{Conclusion, Job, Run, Status, Step};
use crate::core::github_review::PendingEnv;

#[derive(Deserialize)]
struct RunsPage {
    #[serde(default)]
    workflow_runs: Vec<Value>,
}

#[derive(Deserialize)]
struct CountOnly {
    #[serde(default)]
    total_count: Option<u64>,
}

#[derive(Deserialize)]
struct WorkflowsPage {
    #[serde(default)]
    workflows: Vec<Value>,
}

#[derive(Deserialize)]
struct WireWorkflow {
    id: u64,
    #[serde(default)]
    state: Option<String>,
}

#[derive(Deserialize)]
struct JobsPage {
    #[serde(default)]
    jobs: Vec<Value>,
}

#[derive(Deserialize)]
struct User {
    login: String,
}

#[derive(Deserialize)]
struct Commit {
    #[serde(default)]
    message: String,
}

#[derive(Deserialize)]
struct WireRun {
    id: u64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    head_branch: Option<String>,
    #[serde(default)]
    head_sha: String,
    #[serde(default)]
    run_number: u64,
    #[serde(default)]
    run_attempt: Option<u32>,
    #[serde(default)]
    event: String,
    #[serde(default)]
    display_title: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    conclusion: Option<String>,
    #[serde(default)]
    workflow_id: u64,
    created_at: DateTime<Utc>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    run_started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    actor: Option<User>,
    #[serde(default)]
    triggering_actor: Option<User>,
    #[serde(default)]
    head_commit: Option<Commit>,
    #[serde(default)]
    html_url: String,
}

#[derive(Deserialize)]
struct WireStep {
    #[serde(default)]
    number: u32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    conclusion: Option<String>,
    #[serde(default)]
    started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    completed_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct WireJob {
    id: u64,
    #[serde(default)]
    run_id: u64,
    #[serde(default)]
    run_attempt: Option<u32>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    conclusion: Option<String>,
    #[serde(default)]
    started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    steps: Vec<WireStep>,
    #[serde(default)]
    html_url: String,
}

fn status(s: Option<&str>) -> Status {
    s.map_or(Status::Other, Status::parse)
}

fn conclusion(c: Option<&str>) -> Option<Conclusion> {
    c.map(Conclusion::parse)
}

/// `total_count` of a list answer: how many exist, whatever the page.
pub fn total_count(body: &[u8]) -> Option<u64> {
    serde_json::from_slice::<CountOnly>(body)
        .ok()
        .and_then(|c| c.total_count)
}

/// The ids of the workflows that can still run ("list repository
/// workflows"; `state` is `active` for those, `disabled_*` otherwise).
pub fn active_workflows(body: &[u8]) -> Result<Vec<u64>, String> {
    let page: WorkflowsPage = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(page
        .workflows
        .into_iter()
        .filter_map(|v| serde_json::from_value::<WireWorkflow>(v).ok())
        .filter(|w| w.state.as_deref().is_none_or(|s| s == "active"))
        .map(|w| w.id)
        .collect())
}

/// The runs of "list workflow runs for a repository".
pub fn runs(repo: &str, body: &[u8]) -> Result<Vec<Run>, String> {
    let page: RunsPage = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(page
        .workflow_runs
        .into_iter()
        .filter_map(|v| match serde_json::from_value::<WireRun>(v) {
            Ok(w) => Some(run(repo, w)),
            Err(e) => {
                tracing::warn!(%repo, error = %e, "skipping a workflow run that does not parse");
                None
            }
        })
        .collect())
}

/// One run, or one attempt of it ("get a workflow run attempt").
pub fn one_run(repo: &str, body: &[u8]) -> Result<Run, String> {
    serde_json::from_slice::<WireRun>(body)
        .map(|w| run(repo, w))
        .map_err(|e| format!("GitHub's answer is not a workflow run: {e}"))
}

fn run(repo: &str, w: WireRun) -> Run {
    let title = w
        .display_title
        .or_else(|| {
            w.head_commit
                .map(|c| c.message.lines().next().unwrap_or("").to_string())
        })
        .unwrap_or_default();
    let actor = w
        .triggering_actor
        .or(w.actor)
        .map(|u| u.login)
        .unwrap_or_default();
    Run {
        repo: repo.to_string(),
        id: w.id,
        number: w.run_number,
        attempt: w.run_attempt.unwrap_or(1),
        workflow: w
            .name
            .unwrap_or_else(|| format!("workflow {}", w.workflow_id)),
        workflow_id: w.workflow_id,
        branch: w.head_branch.unwrap_or_default(),
        event: w.event,
        actor,
        title,
        status: status(w.status.as_deref()),
        conclusion: conclusion(w.conclusion.as_deref()),
        head_sha: w.head_sha,
        created_at: w.created_at,
        updated_at: w.updated_at.unwrap_or(w.created_at),
        started_at: w.run_started_at,
        html_url: w.html_url,
    }
}

/// The jobs of "list jobs for a workflow run".
pub fn jobs(body: &[u8]) -> Result<Vec<Job>, String> {
    let page: JobsPage = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(page
        .jobs
        .into_iter()
        .filter_map(|v| match serde_json::from_value::<WireJob>(v) {
            Ok(w) => Some(job(w)),
            Err(e) => {
                tracing::warn!(error = %e, "skipping a job that does not parse");
                None
            }
        })
        .collect())
}

fn job(w: WireJob) -> Job {
    Job {
        id: w.id,
        run_id: w.run_id,
        attempt: w.run_attempt.unwrap_or(1),
        name: w.name,
        status: status(w.status.as_deref()),
        conclusion: conclusion(w.conclusion.as_deref()),
        started_at: w.started_at,
        completed_at: w.completed_at,
        html_url: w.html_url,
        steps: w
            .steps
            .into_iter()
            .map(|s| Step {
                number: s.number,
                name: s.name,
                status: status(s.status.as_deref()),
                conclusion: conclusion(s.conclusion.as_deref()),
                started_at: s.started_at,
                completed_at: s.completed_at,
            })
            .collect(),
    }
}

/// `GET .../runs/{id}/pending_deployments`: an array of
/// `{environment: {id, name}, wait_timer, current_user_can_approve,
/// reviewers: [{type: "User"|"Team", reviewer: {login}|{name}}]}`
/// (https://docs.github.com/en/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run).
pub fn pending_deployments(body: &[u8]) -> Result<Vec<PendingEnv>, String> {
    let list: Vec<WirePending> = serde_json::from_slice(body)
        .map_err(|e| format!("GitHub's list of pending deployments could not be read: {e}"))?;
    Ok(list
        .into_iter()
        .map(|p| PendingEnv {
            id: p.environment.id,
            name: p
                .environment
                .name
                .unwrap_or_else(|| p.environment.id.to_string()),
            wait_timer: p.wait_timer.unwrap_or(0),
            can_approve: p.current_user_can_approve.unwrap_or(false),
            reviewers: p
                .reviewers
                .iter()
                .filter_map(|r| {
                    let who = r.get("reviewer")?;
                    let name = who.get("login").or_else(|| who.get("name"))?;
                    name.as_str().map(str::to_string)
                })
                .collect(),
        })
        .collect())
}

#[derive(Deserialize)]
struct WirePending {
    environment: WireEnvironment,
    wait_timer: Option<u64>,
    current_user_can_approve: Option<bool>,
    #[serde(default)]
    reviewers: Vec<Value>,
}

#[derive(Deserialize)]
struct WireEnvironment {
    id: u64,
    name: Option<String>,
}

/// A branch name as a query value: the characters a query gives meaning to
/// are escaped.
pub fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' | '&' | '#' | '+' | ' ' | '=' | '?' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The text of a contents-API file object (`encoding: base64`, wrapped in
/// lines).
pub fn file_text(body: &[u8]) -> Result<String, String> {
    use base64::Engine;
    let v: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the file answer is not JSON: {e}"))?;
    if v.get("type").and_then(|t| t.as_str()) != Some("file") {
        return Err("not a file".into());
    }
    let content = v
        .get("content")
        .and_then(|c| c.as_str())
        .unwrap_or_default();
    let packed: String = content.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(packed)
        .map_err(|e| format!("its content is not base64: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {

    #[test]
    fn pending_deployments_name_users_and_teams_and_refuse_garbage() {
        let body = br#"[{"environment":{"id":5,"name":"production"},"wait_timer":30,
            "current_user_can_approve":true,
            "reviewers":[{"type":"User","reviewer":{"login":"mara-k"}},
                         {"type":"Team","reviewer":{"name":"ops"}}]},
            {"environment":{"id":6},"reviewers":[]}]"#;
        let envs = pending_deployments(body).expect("parsed");
        assert_eq!(envs[0].name, "production");
        assert_eq!(envs[0].wait_timer, 30);
        assert!(envs[0].can_approve);
        assert_eq!(envs[0].reviewers, vec!["mara-k", "ops"]);
        assert_eq!(envs[1].name, "6");
        assert!(!envs[1].can_approve);
        let err = pending_deployments(b"{\"message\":\"nope\"}").unwrap_err();
        assert!(err.contains("pending deployments"), "{err}");
    }

    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/tests/fixtures/github/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_default()
    }

    #[test]
    fn the_documented_run_list_converts() {
        let runs = runs("octo-org/octo-repo", &fixture("list-workflow-runs.json")).expect("parses");
        let r = runs.first().expect("one run");
        assert_eq!(r.repo, "octo-org/octo-repo");
        assert_eq!((r.id, r.number, r.attempt), (30433642, 562, 1));
        assert_eq!(
            (r.workflow.as_str(), r.branch.as_str(), r.event.as_str()),
            ("Build", "master", "push")
        );
        assert_eq!(
            (r.actor.as_str(), r.title.as_str()),
            ("octocat", "Update README.md")
        );
        assert_eq!((r.status, r.conclusion), (Status::Queued, None));
        assert_eq!(r.workflow_id, 159038);
    }

    #[test]
    fn the_documented_job_list_converts_with_offset_times() {
        let jobs = jobs(&fixture("list-jobs-for-run.json")).expect("parses");
        let j = jobs.first().expect("one job");
        assert_eq!((j.id, j.name.as_str()), (399444496, "build"));
        assert_eq!(j.steps.len(), 10);
        let s = &j.steps[0];
        // "2020-01-20T09:42:40.000-08:00" is 17:42:40 UTC.
        assert_eq!(
            s.started_at.map(|t| t.to_rfc3339()),
            Some("2020-01-20T17:42:40+00:00".to_string())
        );
        assert_eq!(j.progress(), (10, 10));
    }

    #[test]
    fn a_bad_run_is_skipped_and_a_bad_page_is_an_error() {
        let body = br#"{"workflow_runs":[{"id":"x"},{"id":5,"created_at":"2024-01-01T00:00:00Z","status":"in_progress"}]}"#;
        let runs = runs("a/b", body).expect("page parses");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].status, Status::InProgress);
        assert_eq!(runs[0].attempt, 1);
        assert!(super::runs("a/b", b"<html>").is_err());
        assert!(super::jobs(b"not json").is_err());
    }

    #[test]
    fn workflows_and_counts_from_the_documented_examples() {
        assert_eq!(
            active_workflows(&fixture("list-workflows.json")),
            Ok(vec![161335, 269289])
        );
        let disabled =
            br#"{"workflows":[{"id":1,"state":"disabled_manually"},{"id":2,"state":"active"}]}"#;
        assert_eq!(active_workflows(disabled), Ok(vec![2]));
        assert!(total_count(&fixture("list-workflow-runs.json")).is_some());
        assert_eq!(total_count(b"{}"), None);
        assert!(active_workflows(b"<html>").is_err());
    }
}
