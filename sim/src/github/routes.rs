//! The Actions endpoints: path matching and one function per endpoint. They
//! run with the world locked and already synced to `now`.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::http::{Method, StatusCode};
use chrono::Duration;
use serde_json::{Value, json};

use super::engine::{self, Rerun};
use super::http::{PROBLEMS_PARSING_JSON, PageReq, Paged, Reply, Req};
use super::model::{Repo, Run, Status, Time};
use super::world::{Trigger, World};
use super::{logs, payload};

/// The login the accepted token belongs to (actor of dispatched runs).
pub(crate) const SIM_USER: &str = "mara-k";

pub(crate) fn dispatch(world: &mut World, req: &Req, now: Time) -> Reply {
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["rate_limit"] if req.method == Method::GET => {
            let key = (u64::from(world.rate.remaining) << 32) ^ world.rate.reset as u64;
            let value = payload::rate_limit(&world.rate, now);
            Reply {
                // DOCS-RL: this endpoint does not count against the limit.
                counts: false,
                ..req.conditional(key, || Paged::one(value))
            }
        }
        ["repos", owner, name, "contents", path @ ..] if req.method == Method::GET => {
            match world
                .repo_index(owner, name)
                .and_then(|i| world.repos.get(i))
            {
                Some(repo) => super::contents::get(&world.base, repo, path, req),
                None => Reply::not_found(),
            }
        }
        ["orgs", owner, "repos"] if req.method == Method::GET => {
            super::owners::list(world, owner, true, req)
        }
        ["users", owner, "repos"] if req.method == Method::GET => {
            super::owners::list(world, owner, false, req)
        }
        ["repos", owner, name, "actions", rest @ ..] => match world.repo_index(owner, name) {
            Some(repo) => actions(world, repo, rest, req, now),
            None => Reply::not_found(),
        },
        _ => Reply::not_found(),
    }
}

fn actions(world: &mut World, ri: usize, rest: &[&str], req: &Req, now: Time) -> Reply {
    let get = req.method == Method::GET;
    let post = req.method == Method::POST;
    let Some(repo) = world.repos.get(ri) else {
        return Reply::not_found();
    };
    let base = world.base.as_str();
    match rest {
        ["workflows"] if get => list_workflows(base, repo, req),
        ["workflows", wf] if get => match repo.workflows.iter().find(|w| names(w, wf)) {
            Some(w) => req.conditional(repo.version, || {
                Paged::one(payload::workflow(base, repo, w))
            }),
            None => Reply::not_found(),
        },
        ["workflows", wf, "runs"] if get => match repo.workflows.iter().find(|w| names(w, wf)) {
            Some(w) => list_runs(base, repo, Some(w.id), req),
            None => Reply::not_found(),
        },
        ["workflows", wf, "dispatches"] if post => dispatch_workflow(world, ri, wf, req, now),
        ["runs"] if get => list_runs(base, repo, None, req),
        ["runs", id] if get => get_run(base, repo, id, None, req),
        // https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run-attempt
        ["runs", id, "attempts", n] if get => get_run(base, repo, id, Some(n), req),
        // https://docs.github.com/en/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run-attempt
        ["runs", id, "jobs"] if get => list_jobs(base, repo, id, None, req),
        ["runs", id, "attempts", n, "jobs"] if get => list_jobs(base, repo, id, Some(n), req),
        ["runs", id, "rerun"] if post => rerun(world, ri, id, RerunOf::Run(Rerun::All), req, now),
        ["runs", id, "rerun-failed-jobs"] if post => {
            rerun(world, ri, id, RerunOf::Run(Rerun::Failed), req, now)
        }
        ["runs", id, "cancel" | "force-cancel"] if post => cancel(world, ri, id, now),
        ["runs", id, "artifacts"] if get => super::artifacts::list(world, ri, id),
        ["artifacts", id, "zip"] if get => super::artifacts::zip(world, ri, id, now),
        ["runs", id, "pending_deployments"] if get => super::deployments::list(world, ri, id),
        ["runs", id, "pending_deployments"] if post => {
            super::deployments::review(world, ri, id, req, now)
        }
        ["jobs", id] if get => get_job(world, ri, id, req),
        ["jobs", id, "logs"] if get => job_logs(world, ri, id, now),
        ["jobs", id, "rerun"] if post => rerun(world, ri, id, RerunOf::Job, req, now),
        _ => Reply::not_found(),
    }
}

/// `workflow_id` may be the numeric id or the file name.
fn names(w: &super::model::Workflow, wf: &str) -> bool {
    w.spec.file == wf || w.id.to_string() == wf
}

fn list_workflows(base: &str, repo: &Repo, req: &Req) -> Reply {
    req.conditional(repo.version, || {
        let page = PageReq::from(req);
        let items: Vec<Value> = page
            .slice(&repo.workflows)
            .iter()
            .map(|w| payload::workflow(base, repo, w))
            .collect();
        Paged {
            value: json!({ "total_count": repo.workflows.len(), "workflows": items }),
            link: page.link(base, req, repo.workflows.len()),
        }
    })
}

/// The query filters of "list workflow runs".
fn run_matches(run: &Run, req: &Req) -> bool {
    let Some(a) = run.latest() else {
        return false;
    };
    req.params().iter().all(|(k, v)| match k.as_str() {
        "branch" => run.head_branch == *v,
        "event" => run.event == v,
        "actor" => run.actor == *v,
        "head_sha" => run.commit.sha == *v,
        // A status or a conclusion.
        "status" => a.status.as_str() == v || a.conclusion.is_some_and(|c| c.as_str() == v),
        _ => true,
    })
}

fn list_runs(base: &str, repo: &Repo, workflow: Option<u64>, req: &Req) -> Reply {
    req.conditional(repo.version, || {
        let page = PageReq::from(req);
        let mut runs: Vec<&Run> = repo
            .runs
            .iter()
            .filter(|r| workflow.is_none_or(|w| r.workflow_id == w) && run_matches(r, req))
            .collect();
        runs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        let items: Vec<Value> = page
            .slice(&runs)
            .iter()
            .filter_map(|r| Some(payload::run(base, repo, r, r.latest()?, false)))
            .collect();
        Paged {
            value: json!({ "total_count": runs.len(), "workflow_runs": items }),
            link: page.link(base, req, runs.len()),
        }
    })
}

fn find_run<'a>(repo: &'a Repo, id: &str) -> Option<&'a Run> {
    let id = id.parse().ok()?;
    repo.runs.get(repo.run_index(id)?)
}

fn get_run(base: &str, repo: &Repo, id: &str, attempt: Option<&&str>, req: &Req) -> Reply {
    let Some(run) = find_run(repo, id) else {
        return Reply::not_found();
    };
    let attempt = match attempt {
        Some(n) => n.parse().ok().and_then(|n| run.attempt(n)),
        None => run.latest(),
    };
    match attempt {
        Some(a) => req.conditional(repo.version, || {
            Paged::one(payload::run(base, repo, run, a, true))
        }),
        None => Reply::not_found(),
    }
}

fn list_jobs(base: &str, repo: &Repo, id: &str, attempt: Option<&&str>, req: &Req) -> Reply {
    let Some(run) = find_run(repo, id) else {
        return Reply::not_found();
    };
    let attempts: Vec<_> = match attempt {
        Some(n) => match n.parse().ok().and_then(|n| run.attempt(n)) {
            Some(a) => vec![a],
            None => return Reply::not_found(),
        },
        // `filter=all` adds the jobs of earlier attempts.
        None if req.param("filter").as_deref() == Some("all") => {
            run.attempts.iter().rev().collect()
        }
        None => run.latest().into_iter().collect(),
    };
    req.conditional(repo.version, || {
        let mut jobs = Vec::new();
        for a in attempts {
            for j in &a.jobs {
                if !jobs.iter().any(|seen: &&super::model::Job| seen.id == j.id) {
                    jobs.push(j);
                }
            }
        }
        let page = PageReq::from(req);
        let items: Vec<Value> = page
            .slice(&jobs)
            .iter()
            .map(|j| payload::job(base, repo, run, j))
            .collect();
        Paged {
            value: json!({ "total_count": jobs.len(), "jobs": items }),
            link: page.link(base, req, jobs.len()),
        }
    })
}

fn get_job(world: &World, ri: usize, id: &str, req: &Req) -> Reply {
    let Some((repo, run, job)) = lookup_job(world, ri, id) else {
        return Reply::not_found();
    };
    req.conditional(repo.version, || {
        Paged::one(payload::job(&world.base, repo, run, job))
    })
}

fn lookup_job<'a>(
    world: &'a World,
    ri: usize,
    id: &str,
) -> Option<(&'a Repo, &'a Run, &'a super::model::Job)> {
    let found = world.find_job(ri, id.parse().ok()?)?;
    let repo = world.repos.get(ri)?;
    let run = repo.runs.get(found.run)?;
    let job = run.attempts.get(found.attempt)?.jobs.get(found.job)?;
    Some((repo, run, job))
}

/// The signature of a log URL; the pipelines origin checks it.
pub(crate) fn log_signature(key: u64, repo_id: u64, job_id: u64, expires: &str) -> String {
    let mut h = DefaultHasher::new();
    (key, repo_id, job_id, expires).hash(&mut h);
    format!("{:016x}", h.finish())
}

/// 302 to a signed plain-text URL on another origin, valid one minute;
/// 404 while the job has not finished, as on GitHub.
fn job_logs(world: &World, ri: usize, id: &str, now: Time) -> Reply {
    let Some((repo, _, job)) = lookup_job(world, ri, id) else {
        return Reply::not_found();
    };
    if job.status != Status::Completed {
        return Reply::not_found();
    }
    let expires = logs::stamp(now + Duration::minutes(1));
    let sig = log_signature(world.log_key, repo.id, job.id, &expires);
    let location = format!(
        "{}/r{:x}/_apis/pipelines/1/jobs/{}/signedlogcontent?urlExpires={}&urlSigningMethod=HMACV1&urlSignature={sig}",
        world.pipelines,
        repo.id,
        job.id,
        expires.replace(':', "%3A"),
    );
    Reply {
        location: Some(location),
        ..Reply::empty(StatusCode::FOUND)
    }
}

enum RerunOf {
    Run(Rerun),
    Job,
}

/// 201 with an empty object (SPEC: `empty-object`). The optional body's
/// `enable_debug_logging` (boolean, default false) is read and recorded:
/// https://docs.github.com/en/rest/actions/workflow-runs#re-run-a-workflow
/// (and `#re-run-failed-jobs-from-a-workflow-run`, `#re-run-a-job-from-a-workflow-run`).
fn rerun(world: &mut World, ri: usize, id: &str, of: RerunOf, req: &Req, now: Time) -> Reply {
    let body = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(v) if v.is_object() => v,
            _ => return Reply::raw_json(StatusCode::BAD_REQUEST, PROBLEMS_PARSING_JSON),
        }
    };
    let debug = match body.get("enable_debug_logging") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Reply::validation("Rerun", "enable_debug_logging", "invalid"),
    };
    let path = req.path.clone();
    let (run_index, which) = match of {
        RerunOf::Run(which) => {
            let Some(index) = world
                .repos
                .get(ri)
                .and_then(|r| r.run_index(id.parse().ok()?))
            else {
                return Reply::not_found();
            };
            (index, which)
        }
        RerunOf::Job => match lookup_job(world, ri, id) {
            Some((repo, run, job)) => match repo.run_index(run.id) {
                Some(index) => (index, Rerun::Job(job.name)),
                None => return Reply::not_found(),
            },
            None => return Reply::not_found(),
        },
    };
    let World { repos, ids, .. } = world;
    let Some(repo) = repos.get_mut(ri) else {
        return Reply::not_found();
    };
    let Some(run) = repo.runs.get_mut(run_index) else {
        return Reply::not_found();
    };
    if !engine::rerun(ids, run, which, now) {
        // Not from a fixture: the SPEC lists 403 for re-running a job; the
        // message is GitHub's wording for a run that is still going.
        return Reply::message(
            StatusCode::FORBIDDEN,
            "This workflow is already running",
            "actions/workflow-runs#re-run-a-workflow",
        );
    }
    repo.version += 1;
    world.reruns.push(super::RerunRecord { path, debug });
    Reply::json(StatusCode::CREATED, &json!({}))
}

/// 202 with an empty object; 409 (SPEC: `conflict`) when already finished.
fn cancel(world: &mut World, ri: usize, id: &str, now: Time) -> Reply {
    let Some(repo) = world.repos.get_mut(ri) else {
        return Reply::not_found();
    };
    let Some(run) = id
        .parse()
        .ok()
        .and_then(|id| repo.run_index(id))
        .and_then(|i| repo.runs.get_mut(i))
    else {
        return Reply::not_found();
    };
    let Some(attempt) = run.latest_mut() else {
        return Reply::not_found();
    };
    if attempt.status == Status::Completed {
        return Reply::message(
            StatusCode::CONFLICT,
            "Cannot cancel a workflow run that is completed.",
            "actions/workflow-runs#cancel-a-workflow-run",
        );
    }
    engine::cancel_attempt(attempt, now);
    repo.version += 1;
    Reply::json(StatusCode::ACCEPTED, &json!({}))
}

/// 204, or 200 with the run's ids when `return_run_details` is true.
fn dispatch_workflow(world: &mut World, ri: usize, wf: &str, req: &Req, now: Time) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Reply::raw_json(StatusCode::BAD_REQUEST, PROBLEMS_PARSING_JSON);
    };
    let Some(body) = body.as_object() else {
        return Reply::raw_json(
            StatusCode::BAD_REQUEST,
            r#"{"message":"Body should be a JSON object"}"#,
        );
    };
    let Some(git_ref) = body.get("ref").and_then(Value::as_str) else {
        return Reply::validation("WorkflowDispatch", "ref", "missing_field");
    };
    if body
        .get("inputs")
        .and_then(Value::as_object)
        .is_some_and(|i| i.len() > 25)
    {
        return Reply::validation("WorkflowDispatch", "inputs", "invalid");
    }
    let Some(repo) = world.repos.get(ri) else {
        return Reply::not_found();
    };
    let Some(workflow) = repo.workflows.iter().position(|w| names(w, wf)) else {
        return Reply::not_found();
    };
    if !repo
        .workflows
        .get(workflow)
        .is_some_and(|w| w.spec.dispatchable)
    {
        return Reply::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Workflow does not have 'workflow_dispatch' trigger",
            "actions/workflows#create-a-workflow-dispatch-event",
        );
    }
    let branch = git_ref.strip_prefix("refs/heads/").unwrap_or(git_ref);
    if !repo.branches.iter().any(|b| b.name == branch) {
        return Reply::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("No ref found for: {git_ref}"),
            "actions/workflows#create-a-workflow-dispatch-event",
        );
    }
    // GitHub refuses inputs the workflow file does not declare (422
    // "Unexpected inputs provided").
    let inputs = body.get("inputs").cloned().unwrap_or_else(|| json!({}));
    let spec = repo.workflows.get(workflow).map(|w| &w.spec);
    let names = spec.map(super::contents::input_names).unwrap_or_default();
    let declared = |name: &str| names.contains(&name);
    let unexpected: Vec<&String> = inputs
        .as_object()
        .map(|m| m.keys().filter(|k| !declared(k)).collect())
        .unwrap_or_default();
    if !unexpected.is_empty() {
        return Reply::message(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Unexpected inputs provided: {unexpected:?}"),
            "actions/workflows#create-a-workflow-dispatch-event",
        );
    }
    let record = super::Dispatch {
        repo: repo.full_name(),
        workflow: spec.map(|s| s.file.to_string()).unwrap_or_default(),
        git_ref: git_ref.to_string(),
        inputs,
    };
    world.dispatches.push(record);
    let Some(run_id) = world.start_run(Trigger {
        repo: ri,
        workflow,
        event: "workflow_dispatch",
        branch: branch.to_string(),
        actor: SIM_USER.to_string(),
        at: now,
        plan: engine::Plan::Success,
        commit: None,
    }) else {
        return Reply::not_found();
    };
    let details = body
        .get("return_run_details")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    match world.repos.get(ri) {
        Some(repo) if details => Reply::json(
            StatusCode::OK,
            &payload::dispatch_details(&world.base, repo, run_id),
        ),
        _ => Reply::empty(StatusCode::NO_CONTENT),
    }
}
