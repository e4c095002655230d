//! Each fixture in tests/fixtures/github/ (GitHub's own examples, see its
//! README) read through the octocrab type the Actions pane uses, the way
//! octocrab reads a response: `Page<T>` through `FromResponse` (so the Link
//! header is parsed too), error bodies through `octocrab::map_github_error`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::convert::Infallible;

use axum::http::{Response, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use octocrab::models::workflows::{Conclusion, Job, Run, Status, WorkFlow, WorkflowListArtifact};
use octocrab::models::{RateLimit, workflows::WorkflowRunUsage};
use octocrab::{FromResponse, GitHubError, Page};
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/github/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn response(
    status: StatusCode,
    body: String,
    link: Option<&str>,
) -> Response<BoxBody<Bytes, octocrab::Error>> {
    let body = Full::new(Bytes::from(body))
        .map_err(|never: Infallible| -> octocrab::Error { match never {} })
        .boxed();
    let mut builder = Response::builder().status(status);
    if let Some(link) = link {
        builder = builder.header("link", link);
    }
    builder.body(body).expect("a valid response")
}

async fn page<T: serde::de::DeserializeOwned>(name: &str, link: Option<&str>) -> Page<T> {
    Page::<T>::from_response(response(StatusCode::OK, fixture(name), link))
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn one<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What octocrab makes of an error answer carrying this body.
async fn github_error(status: StatusCode, name: &str) -> GitHubError {
    let result = octocrab::map_github_error(response(status, fixture(name), None)).await;
    match result {
        Err(octocrab::Error::GitHub { source, .. }) => *source,
        Err(other) => panic!("{name}: not a GitHub error: {other}"),
        Ok(_) => panic!("{name}: an error status was taken for success"),
    }
}

/// The SPEC job example lacks `run_attempt` and `created_at`, which the
/// SPEC schema declares and octocrab's `Job` requires; the simulator sends
/// both. Adds them the way the live API fills them.
fn with_job_fields_the_schema_declares(job: &mut Value) {
    if let Some(job) = job.as_object_mut() {
        job.insert("run_attempt".into(), Value::from(1));
        let started = job.get("started_at").cloned().unwrap_or(Value::Null);
        job.insert("created_at".into(), started);
    }
}

#[tokio::test]
async fn list_workflow_runs_is_a_page_of_runs() {
    let link = r#"<https://api.github.com/resource?page=2>; rel="next", <https://api.github.com/resource?page=5>; rel="last""#;
    let page: Page<Run> = page("list-workflow-runs.json", Some(link)).await;
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.number_of_pages(), Some(5));
    assert!(page.next.is_some_and(|u| u.query() == Some("page=2")));
    let run = page.items.first().expect("one run");
    assert_eq!(run.id.0, 30433642);
    assert_eq!(run.head_branch, "master");
    assert_eq!(run.status, "queued");
    assert_eq!(run.conclusion, None);
    assert_eq!(run.head_commit.message, "Create linter.yaml");
    assert_eq!(
        run.repository.full_name.as_deref(),
        Some("octocat/Hello-World")
    );
}

#[test]
fn get_workflow_run_is_a_run() {
    let run: Run = one("get-workflow-run.json");
    assert_eq!(run.id.0, 30433642);
    assert_eq!(run.workflow_id.0, 159038);
    assert_eq!(run.run_number, 562);
    assert_eq!(run.event, "push");
    assert_eq!(run.name, "Build");
    assert!(
        run.rerun_url
            .as_str()
            .ends_with("/actions/runs/30433642/rerun")
    );
    // `run_attempt` and `display_title` are on the wire but not in
    // octocrab's `Run`: the pane reads them from the raw JSON if it needs them.
    let raw: Value = one("get-workflow-run.json");
    assert_eq!(raw["run_attempt"], 1);
    assert_eq!(raw["display_title"], "Update README.md");
}

#[test]
fn get_workflow_run_usage_is_run_usage() {
    let usage: WorkflowRunUsage = one("get-workflow-run-usage.json");
    assert_eq!(usage.run_duration_ms, Some(500000));
    assert_eq!(usage.billable.macos.map(|m| m.jobs), Some(4));
}

#[tokio::test]
async fn list_jobs_for_run_needs_the_fields_the_schema_declares() {
    // Verbatim, octocrab cannot read the SPEC example: it names the field.
    let verbatim = Page::<Job>::from_response(response(
        StatusCode::OK,
        fixture("list-jobs-for-run.json"),
        None,
    ))
    .await;
    let message = verbatim.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("run_attempt"), "{message}");

    let mut value: Value = one("list-jobs-for-run.json");
    if let Some(jobs) = value["jobs"].as_array_mut() {
        jobs.iter_mut()
            .for_each(with_job_fields_the_schema_declares);
    }
    let page = Page::<Job>::from_response(response(StatusCode::OK, value.to_string(), None))
        .await
        .expect("jobs with the declared fields");
    assert_eq!(page.total_count, Some(1));
    let job = page.items.first().expect("one job");
    assert_eq!(job.id.0, 399444496);
    assert_eq!(job.status, Status::Completed);
    assert_eq!(job.conclusion, Some(Conclusion::Success));
    assert_eq!(job.steps.len(), 10);
    assert_eq!(job.steps.last().map(|s| s.number), Some(17));
}

#[test]
fn get_job_is_a_job_with_step_offsets_read_as_utc() {
    let mut value: Value = one("get-job.json");
    assert!(serde_json::from_value::<Job>(value.clone()).is_err());
    with_job_fields_the_schema_declares(&mut value);
    let job: Job = serde_json::from_value(value).expect("job");
    assert_eq!(job.name, "build");
    assert_eq!(job.runner_name.as_deref(), Some("my runner"));
    assert_eq!(job.labels, ["self-hosted", "foo", "bar"]);
    let first = job.steps.first().expect("steps");
    // 09:42:40.000-08:00 is 17:42:40 UTC, the job's own started_at.
    assert_eq!(first.started_at, Some(job.started_at));
}

#[tokio::test]
async fn list_workflows_is_a_page_of_workflows() {
    let page: Page<WorkFlow> = page("list-workflows.json", None).await;
    assert_eq!(page.total_count, Some(2));
    assert_eq!(page.next, None);
    let names: Vec<_> = page.items.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["CI", "Linter"]);
}

#[test]
fn get_workflow_is_a_workflow() {
    let workflow: WorkFlow = one("get-workflow.json");
    assert_eq!(workflow.id.0, 161335);
    assert_eq!(workflow.path, ".github/workflows/blank.yaml");
    assert_eq!(workflow.state, "active");
}

#[test]
fn dispatch_response_has_the_new_run_id() {
    // octocrab's dispatch builder returns `()`; no model exists for this
    // body, so the pane would read it as JSON.
    let value: Value = one("create-workflow-dispatch-response.json");
    assert_eq!(value["workflow_run_id"], 1);
    assert!(
        value["run_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/actions/runs/1"))
    );
}

#[tokio::test]
async fn list_run_artifacts_is_a_page_of_artifacts() {
    let page: Page<WorkflowListArtifact> = page("list-run-artifacts.json", None).await;
    assert_eq!(page.total_count, Some(2));
    assert_eq!(page.items.first().map(|a| a.name.as_str()), Some("Rails"));
}

#[test]
fn get_artifact_is_an_artifact() {
    let artifact: WorkflowListArtifact = one("get-artifact.json");
    assert!(artifact.archive_download_url.as_str().ends_with("/zip"));
    assert!(!artifact.expired);
}

#[test]
fn rate_limit_is_the_rate_limit_model() {
    let limits: RateLimit = one("rate-limit.json");
    assert_eq!(limits.resources.core.remaining, 4999);
    assert_eq!(limits.resources.search.limit, 30);
    assert_eq!(limits.rate.reset, 1372700873);
}

#[tokio::test]
async fn bad_credentials_is_a_401_github_error() {
    let e = github_error(StatusCode::UNAUTHORIZED, "error-401-bad-credentials.json").await;
    assert_eq!(e.status_code, StatusCode::UNAUTHORIZED);
    assert_eq!(e.message, "Bad credentials");
    assert_eq!(
        e.documentation_url.as_deref(),
        Some("https://docs.github.com/rest")
    );
}

#[tokio::test]
async fn rate_limit_exceeded_is_a_403_github_error() {
    let e = github_error(StatusCode::FORBIDDEN, "error-403-rate-limit.json").await;
    assert_eq!(e.status_code, StatusCode::FORBIDDEN);
    assert!(e.message.starts_with("API rate limit exceeded"));
}

#[tokio::test]
async fn secondary_rate_limit_is_a_403_github_error() {
    let e = github_error(StatusCode::FORBIDDEN, "error-403-secondary-rate-limit.json").await;
    assert!(e.message.contains("secondary rate limit"));
    assert!(
        e.documentation_url
            .is_some_and(|u| u.ends_with("#secondary-rate-limits"))
    );
}

#[tokio::test]
async fn not_found_is_a_404_github_error() {
    let e = github_error(StatusCode::NOT_FOUND, "error-404.json").await;
    assert_eq!(e.status_code, StatusCode::NOT_FOUND);
    assert_eq!(e.message, "Not Found");
    assert_eq!(e.documentation_url, None);
}

#[tokio::test]
async fn validation_failed_keeps_its_errors() {
    let e = github_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "error-422-validation-failed.json",
    )
    .await;
    assert_eq!(e.message, "Validation Failed");
    let errors = e.errors.unwrap_or_default();
    assert_eq!(
        errors.first().map(|e| e["code"].clone()),
        Some("missing_field".into())
    );
}

#[tokio::test]
async fn problems_parsing_json_is_a_400_github_error() {
    let e = github_error(
        StatusCode::BAD_REQUEST,
        "error-400-problems-parsing-json.json",
    )
    .await;
    assert_eq!(e.message, "Problems parsing JSON");
}

#[tokio::test]
async fn server_error_is_a_5xx_github_error() {
    let e = github_error(StatusCode::BAD_GATEWAY, "error-timeout.json").await;
    assert_eq!(e.status_code, StatusCode::BAD_GATEWAY);
    assert_eq!(e.message, "Server Error");
}

#[test]
fn header_examples_are_what_the_simulator_mimics() {
    let headers: Value = one("spec-components-headers.json");
    assert_eq!(headers["x-rate-limit-limit"]["example"], 5000);
    let location = headers["location"]["example"].as_str().unwrap_or_default();
    assert!(location.contains("/signedlogcontent?urlExpires="));
    assert!(location.contains("&urlSigningMethod=HMACV1&urlSignature="));
}

#[test]
fn job_log_sample_lines_start_with_a_7_digit_utc_timestamp() {
    let log = fixture("job-log-sample.txt");
    let mut lines = 0;
    for line in log.lines() {
        let (stamp, _) = line.split_once(' ').unwrap_or((line, ""));
        assert_eq!(stamp.len(), 28, "{line}");
        assert!(
            stamp.ends_with('Z') && stamp.get(19..20) == Some("."),
            "{line}"
        );
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{line}"
        );
        lines += 1;
    }
    assert_eq!(lines, 82);
    assert!(log.contains("Z ##[group]Run actions/checkout@v2\n"));
    assert!(log.contains("Z ##[endgroup]\n"));
}
