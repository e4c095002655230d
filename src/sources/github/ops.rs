//! One-off requests run beside the polling loop: job logs and the
//! mutations (re-run, cancel, dispatch). Each answers with one message and
//! tells the loop to poll the repository at once, so a new attempt or a
//! cancellation shows without waiting for the next interval.

use std::sync::Arc;

use serde_json::json;
use tokio::sync::mpsc;

use crate::core::act::Ticket;
use crate::core::effect::StreamId;
use crate::core::github::{Outcome, Run, RunOp};
use crate::core::incident::Evidence;
use crate::core::msg::{GitHubEvent, Msg};

use super::api::{Answer, Api, ApiError};
use super::worker::{Internal, Stats};

/// Most of a job log kept (its end): far beyond what the viewer holds.
const MAX_LOG_BYTES: usize = 64 << 20;

pub struct Context {
    pub api: Api,
    pub tx: mpsc::Sender<Msg>,
    pub stats: Arc<Stats>,
    pub internal: mpsc::UnboundedSender<Internal>,
}

impl Context {
    fn counted(&self, result: &Result<Answer, ApiError>) {
        self.stats.count(result);
        let rate = match result {
            Ok(a) => a.rate,
            Err(ApiError::RateLimited { rate, .. }) => *rate,
            Err(_) => None,
        };
        if let Some(rate) = rate {
            let _ = self.internal.send(Internal::Rate(rate));
        }
    }
}

pub async fn fetch_log(ctx: Context, stream: StreamId, repo: String, job_id: u64) {
    let path = format!("/repos/{repo}/actions/jobs/{job_id}/logs");
    let result = ctx.api.get_log(&path, MAX_LOG_BYTES).await;
    ctx.counted(&result);
    let result = match result {
        Ok(answer) => Ok(answer.body.to_vec()),
        Err(ApiError::NotFound) => {
            Err("GitHub has no log for this job (not finished yet, or expired)".to_string())
        }
        Err(e) => Err(e.plain()),
    };
    if let Err(e) = &result {
        tracing::info!(%repo, job_id, error = %e, "job log not fetched");
    }
    let _ = ctx
        .tx
        .send(Msg::GitHub(GitHubEvent::Log { stream, result }))
        .await;
}

/// Reads attempts 1..=`count` of a run, one request each ("get a workflow
/// run attempt",
/// https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run-attempt);
/// a run rarely has more than a few.
pub async fn list_attempts(ctx: Context, request: StreamId, repo: String, run_id: u64, count: u32) {
    let mut attempts = Vec::new();
    let mut result = Ok(());
    for n in 1..=count.min(MAX_ATTEMPTS) {
        let path = format!("/repos/{repo}/actions/runs/{run_id}/attempts/{n}");
        let answer = ctx.api.get(&path, None).await;
        ctx.counted(&answer);
        match answer
            .map_err(|e| e.plain())
            .and_then(|a| super::wire::one_run(&repo, &a.body))
        {
            Ok(run) => attempts.push(run),
            Err(e) => {
                result = Err(format!("attempt {n} of the run could not be read: {e}"));
                break;
            }
        }
    }
    let result = result.map(|()| attempts);
    let _ = ctx
        .tx
        .send(Msg::GitHub(GitHubEvent::Attempts { request, result }))
        .await;
}

/// Attempts read at most (GitHub allows re-running a run 50 times).
const MAX_ATTEMPTS: u32 = 50;

/// The request of each operation: (path, body).
pub fn request(repo: &str, op: &RunOp) -> (String, serde_json::Value) {
    let base = format!("/repos/{repo}/actions");
    match op {
        RunOp::RerunAll { run_id, debug } => {
            (format!("{base}/runs/{run_id}/rerun"), rerun_body(*debug))
        }
        RunOp::RerunFailed { run_id, debug } => (
            format!("{base}/runs/{run_id}/rerun-failed-jobs"),
            rerun_body(*debug),
        ),
        RunOp::RerunJob { job_id, debug } => {
            (format!("{base}/jobs/{job_id}/rerun"), rerun_body(*debug))
        }
        RunOp::Cancel { run_id } => (format!("{base}/runs/{run_id}/cancel"), json!({})),
        RunOp::Dispatch {
            workflow_id,
            branch,
            inputs,
        } => {
            let mut body = json!({ "ref": branch });
            if !inputs.is_empty() {
                let inputs: serde_json::Map<String, serde_json::Value> = inputs
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                body["inputs"] = serde_json::Value::Object(inputs);
            }
            (format!("{base}/workflows/{workflow_id}/dispatches"), body)
        }
        // environment_ids, state and comment are all required:
        // https://docs.github.com/en/rest/actions/workflow-runs#review-pending-deployments-for-a-workflow-run
        RunOp::ReviewDeployments {
            run_id,
            environment_ids,
            approve,
            comment,
        } => (
            format!("{base}/runs/{run_id}/pending_deployments"),
            json!({
                "environment_ids": environment_ids,
                "state": if *approve { "approved" } else { "rejected" },
                "comment": comment,
            }),
        ),
    }
}

/// The three re-run endpoints take `enable_debug_logging` (default false,
/// https://docs.github.com/en/rest/actions/workflow-runs#re-run-a-workflow);
/// it is sent only when asked for, so a plain re-run is the empty object
/// GitHub's own examples send.
fn rerun_body(debug: bool) -> serde_json::Value {
    if debug {
        json!({ "enable_debug_logging": true })
    } else {
        json!({})
    }
}

pub async fn run_op(ctx: Context, ticket: Ticket, repo: String, op: RunOp) {
    let target = &ticket.target;
    let (path, body) = request(&repo, &op);
    let result = ctx.api.post(&path, &body).await;
    ctx.counted(&result);
    let result = match result {
        Ok(_) => Ok(()),
        Err(e) => Err(match e {
            ApiError::NotFound => "not found (404): the run is gone, or the token may not change it (it needs the actions:write permission)".to_string(),
            other => other.plain(),
        }),
    };
    match &result {
        Ok(()) => tracing::info!(%repo, %target, verb = op.verb(), "GitHub action requested"),
        Err(e) => {
            tracing::info!(%repo, %target, verb = op.verb(), error = %e, "GitHub action failed")
        }
    }
    let _ = ctx.tx.send(Msg::ActionDone { ticket, result }).await;
    let _ = ctx.internal.send(Internal::Changed(repo));
}

/// Reads the environments a waiting run needs approved:
/// https://docs.github.com/en/rest/actions/workflow-runs#get-pending-deployments-for-a-workflow-run
pub async fn read_pending_deployments(ctx: Context, repo: String, run_id: u64) {
    let path = format!("/repos/{repo}/actions/runs/{run_id}/pending_deployments");
    let answer = ctx.api.get(&path, None).await;
    ctx.counted(&answer);
    let result = answer
        .map_err(|e| e.plain())
        .and_then(|a| super::wire::pending_deployments(&a.body));
    if let Err(e) = &result {
        tracing::info!(%repo, run_id, error = %e, "pending deployments not read");
    }
    let ev = GitHubEvent::PendingDeployments {
        repo,
        run_id,
        result,
    };
    let _ = ctx.tx.send(Msg::GitHub(ev)).await;
}

/// Reads a workflow's file at `branch` and its `workflow_dispatch` inputs:
/// the workflow's `path`, then the file through the contents API.
pub async fn read_dispatch_inputs(ctx: Context, repo: String, workflow_id: u64, branch: String) {
    let result = dispatch_inputs(&ctx, &repo, workflow_id, &branch).await;
    if let Err(e) = &result {
        tracing::info!(%repo, workflow_id, error = %e, "workflow inputs not read");
    }
    let ev = GitHubEvent::DispatchInputs {
        repo,
        workflow_id,
        result,
    };
    let _ = ctx.tx.send(Msg::GitHub(ev)).await;
}

type Inputs = (String, Option<Vec<crate::core::github::DispatchInput>>);

async fn dispatch_inputs(
    ctx: &Context,
    repo: &str,
    workflow_id: u64,
    branch: &str,
) -> Result<Inputs, String> {
    let answer = ctx
        .api
        .get(
            &format!("/repos/{repo}/actions/workflows/{workflow_id}"),
            None,
        )
        .await;
    ctx.counted(&answer);
    let body = answer
        .map_err(|e| format!("cannot read the workflow: {}", e.plain()))?
        .body;
    let path = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("path")?.as_str().map(str::to_string))
        .ok_or("GitHub did not say where the workflow's file is")?;
    let query = super::wire::query_value(branch);
    let answer = ctx
        .api
        .get(&format!("/repos/{repo}/contents/{path}?ref={query}"), None)
        .await;
    ctx.counted(&answer);
    let body = match answer {
        Ok(a) => a.body,
        Err(ApiError::NotFound) => return Err(format!("{path} is not on {branch}")),
        Err(e) => return Err(format!("cannot read {path}: {}", e.plain())),
    };
    let text = super::wire::file_text(&body).map_err(|e| format!("{path}: {e}"))?;
    let inputs = super::inputs::dispatch_inputs(&path, &text)?;
    Ok((path, inputs))
}

/// Lines kept on each side of the first error in an incident bundle.
const BUNDLE_CONTEXT_LINES: usize = 20;

/// What a failed run's incident bundle holds: its jobs and the log lines
/// around the first error. Only fetched here; `core::incident` writes it.
pub async fn bundle(ctx: Context, run: Box<Run>) -> Result<Evidence, String> {
    let jobs_path = format!(
        "/repos/{}/actions/runs/{}/jobs?per_page=100",
        run.repo, run.id
    );
    let answer = ctx.api.get(&jobs_path, None).await;
    ctx.counted(&answer);
    let jobs = super::wire::jobs(&answer.map_err(|e| e.plain())?.body)?;
    let mut excerpt = Vec::new();
    if let Some(job) = jobs
        .iter()
        .find(|j| j.outcome() == Outcome::Failure && j.has_log())
    {
        let log_path = format!("/repos/{}/actions/jobs/{}/logs", run.repo, job.id);
        let answer = ctx.api.get_log(&log_path, MAX_LOG_BYTES).await;
        ctx.counted(&answer);
        if let Ok(answer) = answer {
            excerpt = around_first_error(&answer.body, BUNDLE_CONTEXT_LINES);
        }
    }
    Ok(Evidence::Run { run, jobs, excerpt })
}

/// The sanitised lines around the first `##[error]` (the log's end if none).
fn around_first_error(bytes: &[u8], context: usize) -> Vec<String> {
    use crate::logview::{LineKind, LineSource, LogBuffer, LogFormat};
    let mut log = LogBuffer::new(1_000_000)
        .with_timestamps(true)
        .with_format(LogFormat::GitHubActions);
    log.push_bytes(LineSource::stdout(), bytes);
    log.flush();
    let lines: Vec<_> = log.iter().map(|(_, l)| l).collect();
    let centre = lines
        .iter()
        .position(|l| l.kind() == LineKind::Error)
        .unwrap_or(lines.len().saturating_sub(1));
    let start = centre.saturating_sub(context);
    let end = (centre + context + 1).min(lines.len());
    lines[start..end]
        .iter()
        .map(|l| format!("{}{}", l.kind().github_marker(), l.text()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_posts_to_its_documented_endpoint() {
        let r = "acme/web";
        assert_eq!(
            request(
                r,
                &RunOp::RerunFailed {
                    run_id: 7,
                    debug: false
                }
            ),
            (
                "/repos/acme/web/actions/runs/7/rerun-failed-jobs".to_string(),
                json!({})
            )
        );
        assert_eq!(
            request(
                r,
                &RunOp::RerunJob {
                    job_id: 9,
                    debug: true
                }
            ),
            (
                "/repos/acme/web/actions/jobs/9/rerun".to_string(),
                json!({ "enable_debug_logging": true })
            )
        );
        assert_eq!(
            request(r, &RunOp::Cancel { run_id: 7 }).0,
            "/repos/acme/web/actions/runs/7/cancel"
        );
        let (path, body) = request(
            r,
            &RunOp::Dispatch {
                workflow_id: 3,
                branch: "main".into(),
                inputs: Vec::new(),
            },
        );
        assert_eq!(path, "/repos/acme/web/actions/workflows/3/dispatches");
        assert_eq!(body, json!({ "ref": "main" }));
        let with = RunOp::Dispatch {
            workflow_id: 3,
            branch: "main".into(),
            inputs: vec![("dry_run".into(), "true".into())],
        };
        assert_eq!(
            request(r, &with).1,
            json!({ "ref": "main", "inputs": { "dry_run": "true" } })
        );
    }

    #[test]
    fn a_review_posts_its_environments_state_and_comment() {
        let op = RunOp::ReviewDeployments {
            run_id: 7,
            environment_ids: vec![11, 12],
            approve: false,
            comment: "not now".into(),
        };
        assert_eq!(
            request("acme/web", &op),
            (
                "/repos/acme/web/actions/runs/7/pending_deployments".to_string(),
                json!({ "environment_ids": [11, 12], "state": "rejected", "comment": "not now" })
            )
        );
    }
}
