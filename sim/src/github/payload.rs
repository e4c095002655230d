//! JSON bodies, field for field the shapes of the SPEC examples in the
//! fixtures (list-workflow-runs, get-workflow-run, list-jobs-for-run,
//! list-workflows, rate-limit, create-workflow-dispatch-response). Jobs also
//! carry `run_attempt` and `created_at`: the SPEC schema declares them, its
//! example predates them, and octocrab's `Job` requires both.

use serde_json::{Value, json};

use super::model::{Attempt, Job, Repo, Run, Step, Time, Workflow};
use super::world::RateLimit;

pub(crate) fn ts(t: Time) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Steps use an offset and milliseconds in the SPEC example.
fn step_ts(t: Time) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f+00:00").to_string()
}

fn opt_ts(t: Option<Time>, f: fn(Time) -> String) -> Value {
    t.map_or(Value::Null, |t| Value::String(f(t)))
}

/// A small stable hash for ids derived from names (user ids, node ids).
pub(crate) fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub(crate) fn user(base: &str, login: &str) -> Value {
    let bot = login.ends_with("[bot]");
    let id = fnv(login) % 90_000_000 + 1_000_000;
    let api = format!("{base}/users/{login}");
    json!({
        "login": login,
        "id": id,
        "node_id": format!("U_kgDO{id:x}"),
        "avatar_url": format!("{base}/avatars/u/{id}?v=4"),
        "gravatar_id": "",
        "url": api,
        "html_url": format!("{base}/{login}"),
        "followers_url": format!("{api}/followers"),
        "following_url": format!("{api}/following{{/other_user}}"),
        "gists_url": format!("{api}/gists{{/gist_id}}"),
        "starred_url": format!("{api}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{api}/subscriptions"),
        "organizations_url": format!("{api}/orgs"),
        "repos_url": format!("{api}/repos"),
        "events_url": format!("{api}/events{{/privacy}}"),
        "received_events_url": format!("{api}/received_events"),
        "type": if bot { "Bot" } else { "User" },
        "site_admin": false
    })
}

/// URL templates of a repository object, in the example's order.
const REPO_URLS: [(&str, &str); 36] = [
    ("archive_url", "{archive_format}{/ref}"),
    ("assignees_url", "assignees{/user}"),
    ("blobs_url", "git/blobs{/sha}"),
    ("branches_url", "branches{/branch}"),
    ("collaborators_url", "collaborators{/collaborator}"),
    ("comments_url", "comments{/number}"),
    ("commits_url", "commits{/sha}"),
    ("compare_url", "compare/{base}...{head}"),
    ("contents_url", "contents/{+path}"),
    ("contributors_url", "contributors"),
    ("deployments_url", "deployments"),
    ("downloads_url", "downloads"),
    ("events_url", "events"),
    ("forks_url", "forks"),
    ("git_commits_url", "git/commits{/sha}"),
    ("git_refs_url", "git/refs{/sha}"),
    ("git_tags_url", "git/tags{/sha}"),
    ("issue_comment_url", "issues/comments{/number}"),
    ("issue_events_url", "issues/events{/number}"),
    ("issues_url", "issues{/number}"),
    ("keys_url", "keys{/key_id}"),
    ("labels_url", "labels{/name}"),
    ("languages_url", "languages"),
    ("merges_url", "merges"),
    ("milestones_url", "milestones{/number}"),
    (
        "notifications_url",
        "notifications{?since,all,participating}",
    ),
    ("pulls_url", "pulls{/number}"),
    ("releases_url", "releases{/id}"),
    ("stargazers_url", "stargazers"),
    ("statuses_url", "statuses/{sha}"),
    ("subscribers_url", "subscribers"),
    ("subscription_url", "subscription"),
    ("tags_url", "tags"),
    ("teams_url", "teams"),
    ("trees_url", "git/trees{/sha}"),
    ("hooks_url", "hooks"),
];

/// `repository` of a run; `head_repository` is the same without the two
/// clone URLs, as in the example.
pub(crate) fn repository(base: &str, repo: &Repo, clone_urls: bool) -> Value {
    let full = repo.full_name();
    let api = format!("{base}/repos/{full}");
    let mut map = serde_json::Map::new();
    map.insert("id".into(), json!(repo.id));
    map.insert("node_id".into(), json!(format!("R_kgDO{:x}", repo.id)));
    map.insert("name".into(), json!(repo.name));
    map.insert("full_name".into(), json!(full));
    map.insert("owner".into(), user(base, &repo.owner));
    map.insert("private".into(), json!(true));
    map.insert("html_url".into(), json!(format!("{base}/{full}")));
    map.insert("description".into(), Value::Null);
    map.insert("fork".into(), json!(false));
    map.insert("url".into(), json!(api));
    for (key, suffix) in REPO_URLS {
        map.insert(key.into(), json!(format!("{api}/{suffix}")));
    }
    if clone_urls {
        let host = base.split("://").nth(1).unwrap_or(base);
        map.insert("git_url".into(), json!(format!("git://{host}/{full}.git")));
        map.insert("ssh_url".into(), json!(format!("git@{host}:{full}.git")));
    }
    Value::Object(map)
}

/// A run as its `attempt` shows it. `detail` adds the fields the get-run
/// example has and the list example lacks.
pub(crate) fn run(base: &str, repo: &Repo, run: &Run, attempt: &Attempt, detail: bool) -> Value {
    let full = repo.full_name();
    let api = format!("{base}/repos/{full}/actions/runs/{}", run.id);
    let actor = user(base, &run.actor);
    let c = &run.commit;
    let mut v = json!({
        "id": run.id,
        "name": run.workflow_name,
        "node_id": format!("WFR_kwLO{:x}", run.id),
        "check_suite_id": run.check_suite_id,
        "check_suite_node_id": format!("CS_kwDO{:x}", run.check_suite_id),
        "head_branch": run.head_branch,
        "head_sha": c.sha,
        "path": format!(".github/workflows/{}", run.workflow_file),
        "run_number": run.run_number,
        "event": run.event,
        "display_title": c.message,
        "status": attempt.status.as_str(),
        "conclusion": attempt.conclusion.map(|c| c.as_str()),
        "workflow_id": run.workflow_id,
        "url": api,
        "html_url": format!("{base}/{full}/actions/runs/{}", run.id),
        "pull_requests": [],
        "created_at": ts(run.created_at),
        "updated_at": ts(attempt.updated_at),
        "actor": actor.clone(),
        "run_attempt": attempt.number,
        "run_started_at": ts(attempt.created_at),
        "triggering_actor": actor,
        "jobs_url": format!("{api}/jobs"),
        "logs_url": format!("{api}/logs"),
        "check_suite_url": format!("{base}/repos/{full}/check-suites/{}", run.check_suite_id),
        "artifacts_url": format!("{api}/artifacts"),
        "cancel_url": format!("{api}/cancel"),
        "rerun_url": format!("{api}/rerun"),
        "workflow_url": format!("{base}/repos/{full}/actions/workflows/{}", run.workflow_id),
        "head_commit": {
            "id": c.sha,
            "tree_id": c.tree_id,
            "message": c.message,
            "timestamp": ts(c.timestamp),
            "author": { "name": c.author, "email": c.email },
            "committer": { "name": "GitHub", "email": "noreply@github.com" }
        },
        "repository": repository(base, repo, true),
        "head_repository": repository(base, repo, false)
    });
    if detail && let Some(map) = v.as_object_mut() {
        map.insert("referenced_workflows".into(), json!([]));
        let previous =
            (attempt.number > 1).then(|| format!("{api}/attempts/{}", attempt.number - 1));
        map.insert("previous_attempt_url".into(), json!(previous));
    }
    v
}

pub(crate) fn job(base: &str, repo: &Repo, run: &Run, job: &Job) -> Value {
    let full = repo.full_name();
    let started = job.started_at.unwrap_or(job.created_at);
    let runner = job.runner;
    // A job that has not started yet lists no steps.
    let steps: Vec<Value> = if job.started_at.is_some() {
        job.steps.iter().map(step).collect()
    } else {
        Vec::new()
    };
    json!({
        "id": job.id,
        "run_id": run.id,
        "run_url": format!("{base}/repos/{full}/actions/runs/{}", run.id),
        "node_id": format!("CR_kwDO{:x}", job.id),
        "head_sha": run.commit.sha,
        "url": format!("{base}/repos/{full}/actions/jobs/{}", job.id),
        "html_url": format!("{base}/{full}/actions/runs/{}/job/{}", run.id, job.id),
        "status": job.status.as_str(),
        "conclusion": job.conclusion.map(|c| c.as_str()),
        "started_at": ts(started),
        "completed_at": opt_ts(job.completed_at, ts),
        "name": job.name,
        "steps": steps,
        "check_run_url": format!("{base}/repos/{full}/check-runs/{}", job.id),
        "labels": ["ubuntu-latest"],
        "runner_id": runner,
        "runner_name": runner.map(|r| format!("GitHub Actions {r}")),
        "runner_group_id": runner.map(|_| 0),
        "runner_group_name": runner.map(|_| "GitHub Actions"),
        "workflow_name": run.workflow_name,
        "head_branch": run.head_branch,
        "run_attempt": job.run_attempt,
        "created_at": ts(job.created_at)
    })
}

fn step(s: &Step) -> Value {
    json!({
        "name": s.spec.name,
        "status": s.status.as_str(),
        "conclusion": s.conclusion.map(|c| c.as_str()),
        "number": s.number,
        "started_at": opt_ts(s.started_at, step_ts),
        "completed_at": opt_ts(s.completed_at, step_ts)
    })
}

pub(crate) fn workflow(base: &str, repo: &Repo, w: &Workflow) -> Value {
    let full = repo.full_name();
    json!({
        "id": w.id,
        "node_id": format!("W_kwDO{:x}", w.id),
        "name": w.spec.name,
        "path": format!(".github/workflows/{}", w.spec.file),
        "state": "active",
        "created_at": ts(w.created_at),
        "updated_at": ts(w.updated_at),
        "url": format!("{base}/repos/{full}/actions/workflows/{}", w.id),
        "html_url": format!("{base}/{full}/blob/{}/.github/workflows/{}", repo.default_branch, w.spec.file),
        "badge_url": format!("{base}/{full}/workflows/{}/badge.svg", w.spec.name)
    })
}

/// `GET /rate_limit`: `core` is the live window; the other resources are
/// idle at the limits the example shows.
pub(crate) fn rate_limit(rate: &RateLimit, now: Time) -> Value {
    let core = json!({
        "limit": rate.limit,
        "used": rate.used(),
        "remaining": rate.remaining,
        "reset": rate.reset
    });
    let idle = |limit: u32| json!({ "limit": limit, "used": 0, "remaining": limit, "reset": now.timestamp() + 3600 });
    json!({
        "resources": {
            "core": core.clone(),
            "search": idle(30),
            "graphql": idle(5000),
            "integration_manifest": idle(5000),
            "source_import": idle(100),
            "actions_runner_registration": idle(10000),
            "scim": idle(15000),
            "dependency_snapshots": idle(100),
            "code_search": idle(10),
            "code_scanning_autofix": idle(10)
        },
        "rate": core
    })
}

pub(crate) fn dispatch_details(base: &str, repo: &Repo, run_id: u64) -> Value {
    let full = repo.full_name();
    json!({
        "workflow_run_id": run_id,
        "run_url": format!("{base}/repos/{full}/actions/runs/{run_id}"),
        "html_url": format!("{base}/{full}/actions/runs/{run_id}")
    })
}
