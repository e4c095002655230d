//! The GitHub simulator driven by the real octocrab client, built the way
//! opsdeck builds it: `base_uri(sim.base_url())` + `personal_token(..)`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use octocrab::etag::EntityTag;
use octocrab::models::workflows::{Conclusion, Job, Run, Status};
use octocrab::service::middleware::cache::mem::InMemoryCache;
use octocrab::{FromResponse, Octocrab, Page};
use opsdeck_sim::github::{GithubSim, Scenario, SimClock, SimOptions};
use serde_json::{Value, json};

#[path = "sim_github/limits.rs"]
mod limits;

async fn start(scenario: Scenario) -> GithubSim {
    let options = SimOptions {
        clock: SimClock::Manual,
        ..SimOptions::default()
    };
    GithubSim::start_with(scenario, options)
        .await
        .expect("simulator starts")
}

fn client(sim: &GithubSim) -> Octocrab {
    Octocrab::builder()
        .base_uri(sim.base_url())
        .expect("base uri")
        .personal_token(sim.token().to_string())
        .build()
        .expect("client")
}

/// The status of an octocrab error, when GitHub answered one.
fn status(result: Result<impl Sized, octocrab::Error>) -> Option<StatusCode> {
    match result {
        Err(octocrab::Error::GitHub { source, .. }) => Some(source.status_code),
        _ => None,
    }
}

async fn raw(octo: &Octocrab, route: &str) -> Value {
    octo.get(route, None::<&()>).await.expect(route)
}

async fn latest_ci_run_on_main(octo: &Octocrab, repo: &str) -> Run {
    let page = octo
        .workflows("acme", repo)
        .list_runs("ci.yml")
        .branch("main")
        .per_page(1u8)
        .send()
        .await
        .expect("runs");
    page.items.into_iter().next().expect("a CI run on main")
}

async fn jobs(octo: &Octocrab, repo: &str, run: u64, all: bool) -> Vec<Job> {
    let handler = octo.workflows("acme", repo);
    let mut list = handler.list_jobs(run.into());
    if all {
        list = list.filter(octocrab::params::workflows::Filter::All);
    }
    list.send().await.expect("jobs").items
}

#[tokio::test]
async fn runs_are_listed_page_by_page() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let first = octo
        .workflows("acme", "shop-api")
        .list_all_runs()
        .per_page(10u8)
        .send()
        .await
        .expect("page 1");
    let total = first.total_count.expect("total_count") as usize;
    assert!(total > 20, "{total}");
    assert_eq!(first.items.len(), 10);
    assert_eq!(first.prev, None);
    let next = first.next.clone().expect("rel=next");
    assert!(next.to_string().starts_with(sim.base_url()));
    assert_eq!(next.query(), Some("per_page=10&page=2"));
    assert_eq!(first.number_of_pages(), Some(total.div_ceil(10) as u32));
    let newest = first.items.first().map(|r| r.created_at);
    let mut all = octo.all_pages(first).await.expect("all pages");
    assert_eq!(all.len(), total);
    all.dedup_by_key(|r| r.id);
    assert_eq!(all.len(), total, "pages overlap");
    assert!(
        all.iter().all(|r| Some(r.created_at) <= newest),
        "newest first"
    );

    // Filters narrow total_count; one page means no Link header.
    let dispatched = octo
        .workflows("acme", "shop-api")
        .list_all_runs()
        .event("workflow_dispatch")
        .send()
        .await
        .expect("filtered");
    assert_eq!(dispatched.total_count, Some(0));
    assert_eq!(dispatched.next, None);
    sim.shutdown().await;
}

fn same_shape(fixture: &Value, sim: &Value, path: &str, extra_ok: &[&str], out: &mut Vec<String>) {
    match (fixture, sim) {
        (Value::Object(f), Value::Object(s)) => {
            for (k, fv) in f {
                match s.get(k) {
                    Some(sv) => same_shape(fv, sv, &format!("{path}.{k}"), extra_ok, out),
                    None => out.push(format!("{path}.{k} missing")),
                }
            }
            for k in s
                .keys()
                .filter(|k| !f.contains_key(*k) && !extra_ok.contains(&k.as_str()))
            {
                out.push(format!("{path}.{k} not in the fixture"));
            }
        }
        (Value::Array(f), Value::Array(s)) => {
            if let (Some(f0), Some(s0)) = (f.first(), s.first()) {
                same_shape(f0, s0, &format!("{path}[0]"), extra_ok, out);
            }
        }
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        _ => out.push(format!("{path}: {fixture} vs {sim}")),
    }
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect(&path);
    serde_json::from_str(&text).expect(&path)
}

#[tokio::test]
async fn payloads_have_the_shapes_of_the_fixtures() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let run = latest_ci_run_on_main(&octo, "shop-api").await.id;
    let job = jobs(&octo, "shop-api", run.0, false).await[0].id;
    let api = "/repos/acme/shop-api/actions";
    let dispatched: Value = octo
        .post(
            format!("{api}/workflows/ci.yml/dispatches"),
            Some(&json!({ "ref": "main", "return_run_details": true })),
        )
        .await
        .expect("dispatch with details");
    let checks = [
        (
            "list-workflow-runs.json",
            raw(&octo, &format!("{api}/runs?per_page=3")).await,
        ),
        (
            "get-workflow-run.json",
            raw(&octo, &format!("{api}/runs/{run}")).await,
        ),
        (
            "list-jobs-for-run.json",
            raw(&octo, &format!("{api}/runs/{run}/jobs")).await,
        ),
        (
            "get-job.json",
            raw(&octo, &format!("{api}/jobs/{job}")).await,
        ),
        (
            "list-workflows.json",
            raw(&octo, &format!("{api}/workflows")).await,
        ),
        (
            "get-workflow.json",
            raw(&octo, &format!("{api}/workflows/deploy.yml")).await,
        ),
        ("rate-limit.json", raw(&octo, "/rate_limit").await),
        ("create-workflow-dispatch-response.json", dispatched),
    ];
    let mut problems = Vec::new();
    for (name, value) in &checks {
        // Jobs carry the two fields the SPEC schema declares and its
        // example lacks (see github_fixtures.rs).
        same_shape(
            &fixture(name),
            value,
            name,
            &["run_attempt", "created_at"],
            &mut problems,
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn rerun_failed_jobs_creates_an_attempt_that_progresses() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let run = latest_ci_run_on_main(&octo, "shop-api").await;
    assert_eq!(
        (run.status.as_str(), run.conclusion.as_deref()),
        ("completed", Some("failure"))
    );
    let wf = octo.workflows("acme", "shop-api");
    wf.rerun_failed_jobs(run.id)
        .await
        .expect("re-run failed jobs");

    let route = format!("/repos/acme/shop-api/actions/runs/{}", run.id);
    let again = raw(&octo, &route).await;
    assert_eq!(again["id"], run.id.0);
    assert_eq!(again["run_attempt"], 2);
    assert_eq!(again["status"], "queued");
    assert!(
        again["previous_attempt_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/attempts/1"))
    );

    sim.advance(Duration::from_secs(20));
    assert_eq!(wf.get(run.id).await.expect("run").status, "in_progress");
    sim.advance(Duration::from_secs(300));
    let done = wf.get(run.id).await.expect("run");
    assert_eq!(
        (done.status.as_str(), done.conclusion.as_deref()),
        ("completed", Some("success"))
    );

    // The passing job was carried over from attempt 1; the failed one ran again.
    let latest = jobs(&octo, "shop-api", run.id.0, false).await;
    let attempts: Vec<_> = latest
        .iter()
        .map(|j| (j.name.as_str(), j.run_attempt))
        .collect();
    assert_eq!(attempts, [("lint", 1), ("test", 2)]);
    assert!(
        latest
            .iter()
            .all(|j| j.conclusion == Some(Conclusion::Success))
    );
    assert_eq!(jobs(&octo, "shop-api", run.id.0, true).await.len(), 3);
    let first = raw(&octo, &format!("{route}/attempts/1")).await;
    assert_eq!(first["conclusion"], "failure");

    // Re-running everything, then one job, adds attempts 3 and 4.
    wf.rerun_run(run.id).await.expect("re-run");
    assert_eq!(
        status(wf.rerun_run(run.id).await),
        Some(StatusCode::FORBIDDEN),
        "still running"
    );
    sim.advance(Duration::from_secs(300));
    let test_job = jobs(&octo, "shop-api", run.id.0, false).await[1].id;
    wf.rerun_job(test_job).await.expect("re-run one job");
    let four = raw(&octo, &route).await;
    assert_eq!(four["run_attempt"], 4);
    let latest = jobs(&octo, "shop-api", run.id.0, false).await;
    assert_eq!(
        latest.iter().map(|j| j.run_attempt).collect::<Vec<_>>(),
        [3, 4]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_moves_a_running_run_to_cancelled() {
    let sim = start(Scenario::Empty).await;
    let octo = client(&sim);
    let id = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    sim.advance(Duration::from_secs(15));
    let wf = octo.workflows("acme", "empty");
    assert_eq!(wf.get(id.into()).await.expect("run").status, "in_progress");
    octo.actions()
        .cancel_workflow_run("acme", "empty", id.into())
        .await
        .expect("cancel answers 202");
    let run = wf.get(id.into()).await.expect("run");
    assert_eq!(
        (run.status.as_str(), run.conclusion.as_deref()),
        ("completed", Some("cancelled"))
    );
    for job in jobs(&octo, "empty", id, false).await {
        assert_eq!(job.status, Status::Completed);
        assert_eq!(job.conclusion, Some(Conclusion::Cancelled));
    }
    let again = octo
        .actions()
        .cancel_workflow_run("acme", "empty", id.into())
        .await;
    assert_eq!(status(again), Some(StatusCode::CONFLICT));
    sim.shutdown().await;
}

#[tokio::test]
async fn dispatch_creates_a_workflow_dispatch_run_on_the_ref() {
    let sim = start(Scenario::Empty).await;
    let octo = client(&sim);
    octo.actions()
        .create_workflow_dispatch("acme", "empty", "deploy.yml", "main")
        .inputs(json!({ "environment": "staging" }))
        .send()
        .await
        .expect("dispatch answers 204");
    let runs = octo
        .workflows("acme", "empty")
        .list_runs("deploy.yml")
        .event("workflow_dispatch")
        .send()
        .await
        .expect("runs");
    assert_eq!(runs.total_count, Some(1));
    let run = runs.items.into_iter().next().expect("the dispatched run");
    assert_eq!(
        (run.event.as_str(), run.head_branch.as_str()),
        ("workflow_dispatch", "main")
    );
    assert_eq!(run.status, "queued");
    sim.advance(Duration::from_secs(600));
    let run = octo
        .workflows("acme", "empty")
        .get(run.id)
        .await
        .expect("run");
    assert_eq!(run.conclusion.as_deref(), Some("success"));

    let actions = octo.actions();
    let bad_ref = actions
        .create_workflow_dispatch("acme", "empty", "ci.yml", "nope")
        .send();
    assert_eq!(
        status(bad_ref.await),
        Some(StatusCode::UNPROCESSABLE_ENTITY)
    );
    let no_workflow = actions
        .create_workflow_dispatch("acme", "empty", "x.yml", "main")
        .send();
    assert_eq!(status(no_workflow.await), Some(StatusCode::NOT_FOUND));
    sim.shutdown().await;
}

#[tokio::test]
async fn job_logs_come_through_the_redirect_without_the_token() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let run = latest_ci_run_on_main(&octo, "shop-api").await;
    let failed = jobs(&octo, "shop-api", run.id.0, false)
        .await
        .into_iter()
        .find(|j| j.conclusion == Some(Conclusion::Failure))
        .expect("a failed job");
    let bytes = octo
        .workflows("acme", "shop-api")
        .download_job_logs(failed.id)
        .await
        .expect("log");
    let log = String::from_utf8(bytes.to_vec()).expect("utf-8");
    assert!(log.contains(" ##[group]Run actions/checkout@v4\n"), "{log}");
    assert!(log.contains(" ##[endgroup]\n"));
    assert!(log.contains("panicked at src/orders/refund.rs"));
    assert!(log.contains(" ##[error]Process completed with exit code 101.\n"));
    for line in log.lines() {
        let stamp = line.split(' ').next().unwrap_or_default();
        assert!(stamp.len() == 28 && stamp.ends_with('Z'), "{line}");
    }
    let counters = sim.counters();
    assert_eq!(
        (counters.log_downloads, counters.log_downloads_with_auth),
        (1, 0)
    );

    // Before a job finishes its log is a 404. octocrab's download_job_logs
    // does not check the status (it returns the error body as the log), so
    // the pane should issue the raw request and look at the status itself.
    let id = sim.push("acme", "shop-api", "ci.yml", "main").expect("run");
    sim.advance(Duration::from_secs(10));
    let running = jobs(&octo, "shop-api", id, false).await[0].id;
    let route = format!("/repos/acme/shop-api/actions/jobs/{running}/logs");
    let response = octo._get(route.as_str()).await.expect("answer");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let quirk = octo
        .workflows("acme", "shop-api")
        .download_job_logs(running)
        .await;
    assert_eq!(
        quirk.ok().as_deref(),
        Some(&br#"{"message":"Not Found"}"#[..])
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn demo_world_moves_on_and_fail_run_fails_a_running_run() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let total = |repo: &'static str| {
        let octo = &octo;
        async move {
            let page = octo
                .workflows("acme", repo)
                .list_all_runs()
                .send()
                .await
                .expect("runs");
            page.total_count.unwrap_or_default()
        }
    };
    let before = total("shop-api").await + total("web").await + total("infra").await;
    let web = octo
        .workflows("acme", "web")
        .list_all_runs()
        .status("in_progress")
        .send()
        .await
        .expect("runs");
    let running = web.items.first().expect("a run in progress on web").id;

    let id = sim
        .push("acme", "shop-api", "ci.yml", "feat/order-export")
        .expect("run");
    sim.advance(Duration::from_secs(25));
    assert!(sim.fail_run("acme", "shop-api", id));
    sim.advance(Duration::from_secs(900));

    let after = total("shop-api").await + total("web").await + total("infra").await;
    assert!(after > before + 1, "new runs arrive: {before} -> {after}");
    let web_run = octo
        .workflows("acme", "web")
        .get(running)
        .await
        .expect("run");
    assert_eq!(web_run.status, "completed");
    let failed = octo
        .workflows("acme", "shop-api")
        .get(id.into())
        .await
        .expect("run");
    assert_eq!(failed.conclusion.as_deref(), Some("failure"));
    assert!(!sim.fail_run("acme", "shop-api", id), "already finished");

    let web = octo.workflows("acme", "web");
    let waiting = web.list_all_runs().status("action_required").send();
    let waiting = waiting.await.expect("runs");
    assert!(
        waiting
            .items
            .iter()
            .any(|r| r.event == "pull_request" && r.status == "completed")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_realtime_clock_flows_with_the_wall_clock() {
    let options = SimOptions {
        clock: SimClock::Realtime { speed: 600.0 },
        ..SimOptions::default()
    };
    let sim = GithubSim::start_with(Scenario::Empty, options)
        .await
        .expect("sim");
    let octo = client(&sim);
    let id = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let before = sim.now();
    tokio::time::sleep(Duration::from_millis(400)).await;
    // 0.4 s at 600x is four minutes: the run has finished by itself.
    assert!(sim.now() - before >= chrono::Duration::seconds(200));
    let run = octo
        .workflows("acme", "empty")
        .get(id.into())
        .await
        .expect("run");
    assert_eq!(run.conclusion.as_deref(), Some("success"));
    sim.shutdown().await;
}
