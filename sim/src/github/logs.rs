//! Plain-text job logs in the format of job-log-sample.txt: every line is an
//! ISO-8601 UTC timestamp with 7 fractional digits, a space, the text;
//! `##[group]`/`##[endgroup]` around each step's header, `[command]` for
//! commands the runner runs, `***` for secrets, `##[error]` when a step
//! fails. Tool output keeps its ANSI colours (CARGO_TERM_COLOR=always), as
//! real logs do. Rendered on demand from the job's steps and timestamps.

use std::fmt::Write as _;

use chrono::Duration;

use super::model::{Conclusion, Job, Repo, Run, Step, StepKind, Time, Tool};

struct Log {
    out: String,
}

impl Log {
    /// Writes `lines` spread evenly over `from..to`.
    fn block(&mut self, from: Time, to: Time, lines: &[String]) {
        let span = (to - from).num_microseconds().unwrap_or(0).max(0);
        let gap = span / (lines.len() as i64 + 1);
        for (i, text) in lines.iter().enumerate() {
            let at = from + Duration::microseconds(gap * (i as i64 + 1));
            let _ = writeln!(self.out, "{} {text}", stamp(at));
        }
    }
}

/// `2022-06-20T09:28:10.8356149Z`: seven fractional digits, which chrono's
/// format strings do not offer.
pub(crate) fn stamp(t: Time) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

fn s(text: &str) -> String {
    text.to_string()
}

/// The whole log of a finished job.
pub(crate) fn render(repo: &Repo, run: &Run, job: &Job) -> String {
    let mut log = Log { out: String::new() };
    let start = job.started_at.unwrap_or(job.created_at);
    log.block(job.created_at, start, &preamble(repo, run, job));
    for step in &job.steps {
        let (Some(from), Some(to)) = (step.started_at, step.completed_at) else {
            continue;
        };
        if step.conclusion == Some(Conclusion::Skipped) {
            continue;
        }
        let mut lines = step_lines(repo, run, job, step);
        match step.conclusion {
            Some(Conclusion::Failure) => lines.push(format!(
                "##[error]Process completed with exit code {}.",
                exit_code(step.spec.kind)
            )),
            Some(Conclusion::Cancelled) if job.conclusion == Some(Conclusion::TimedOut) => {
                lines.push(format!(
                    "##[error]The job running on runner GitHub Actions {} has exceeded the maximum execution time of 30 minutes.",
                    job.runner.unwrap_or(2)
                ));
            }
            Some(Conclusion::Cancelled) => lines.push(s("##[error]The operation was canceled.")),
            _ => {}
        }
        log.block(from, to.max(from + Duration::milliseconds(500)), &lines);
    }
    log.out
}

fn preamble(repo: &Repo, run: &Run, job: &Job) -> Vec<String> {
    vec![
        s("Requested labels: ubuntu-latest"),
        format!(
            "Job defined at: {}/.github/workflows/{}@refs/heads/{}",
            repo.full_name(),
            run.workflow_file,
            run.head_branch
        ),
        s("Waiting for a runner to pick up this job..."),
        format!(
            "Job is about to start running on the hosted runner: GitHub Actions {} (hosted)",
            job.runner.unwrap_or(2)
        ),
    ]
}

fn exit_code(kind: StepKind) -> u8 {
    match kind {
        StepKind::Run(Tool::CargoBuild | Tool::CargoTest | Tool::CargoClippy) => 101,
        StepKind::Run(Tool::NpmBuild) => 2,
        _ => 1,
    }
}

fn step_lines(repo: &Repo, run: &Run, job: &Job, step: &Step) -> Vec<String> {
    let failed = step.conclusion == Some(Conclusion::Failure);
    let dir = format!("/home/runner/work/{0}/{0}", repo.name);
    match step.spec.kind {
        StepKind::SetUpJob => set_up(job),
        StepKind::Checkout => checkout(repo, run, &dir),
        StepKind::Action(uses) => vec![
            format!("##[group]Run {uses}"),
            s("with:"),
            s("  cache: true"),
            s("##[endgroup]"),
            format!("Resolved {uses} from the tool cache"),
        ],
        StepKind::Run(tool) => {
            let script = step
                .spec
                .name
                .strip_prefix("Run ")
                .unwrap_or(step.spec.name);
            let mut lines = vec![
                format!("##[group]Run {script}"),
                format!("\u{1b}[36;1m{script}\u{1b}[0m"),
                s("shell: /usr/bin/bash -e {0}"),
                s("env:"),
                s("  CARGO_TERM_COLOR: always"),
                s("##[endgroup]"),
            ];
            lines.extend(tool_output(tool, failed, repo, run));
            lines
        }
        StepKind::PostCheckout => vec![
            s("Post job cleanup."),
            s("[command]/usr/bin/git version"),
            s("git version 2.47.1"),
            format!(
                "Temporarily overriding HOME='/home/runner/work/_temp/{}' before making global git config changes",
                temp_id(job.id)
            ),
            format!("[command]/usr/bin/git config --global --add safe.directory {dir}"),
            s("[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand"),
            s(
                "[command]/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
            ),
            s("http.https://github.com/.extraheader"),
            s(
                "[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader",
            ),
        ],
        StepKind::CompleteJob => vec![s("Cleaning up orphan processes")],
    }
}

fn temp_id(job_id: u64) -> String {
    let h = job_id.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h >> 20) & 0xfff,
        h & 0xffff_ffff_ffff
    )
}

fn set_up(job: &Job) -> Vec<String> {
    vec![
        s("Current runner version: '2.321.0'"),
        s("##[group]Operating System"),
        s("Ubuntu"),
        s("24.04.1"),
        s("LTS"),
        s("##[endgroup]"),
        s("##[group]Runner Image"),
        s("Image: ubuntu-24.04"),
        s("Version: 20250105.1.0"),
        s("##[endgroup]"),
        s("##[group]GITHUB_TOKEN Permissions"),
        s("Contents: read"),
        s("Metadata: read"),
        s("##[endgroup]"),
        s("Secret source: Actions"),
        s("Prepare workflow directory"),
        s("Prepare all required actions"),
        s("Getting action download info"),
        s(
            "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
        ),
        format!("Complete job name: {}", job.name),
    ]
}

fn checkout(repo: &Repo, run: &Run, dir: &str) -> Vec<String> {
    let full = repo.full_name();
    vec![
        s("##[group]Run actions/checkout@v4"),
        s("with:"),
        format!("  repository: {full}"),
        s("  token: ***"),
        s("  ssh-strict: true"),
        s("  persist-credentials: true"),
        s("  clean: true"),
        s("  fetch-depth: 1"),
        s("  lfs: false"),
        s("  submodules: false"),
        s("  set-safe-directory: true"),
        s("##[endgroup]"),
        format!("Syncing repository: {full}"),
        s("##[group]Getting Git version info"),
        format!("Working directory is '{dir}'"),
        s("[command]/usr/bin/git version"),
        s("git version 2.47.1"),
        s("##[endgroup]"),
        s("##[group]Initializing the repository"),
        format!("[command]/usr/bin/git init {dir}"),
        format!("Initialized empty Git repository in {dir}/.git/"),
        format!("[command]/usr/bin/git remote add origin https://github.com/{full}"),
        s("##[endgroup]"),
        s("##[group]Fetching the repository"),
        format!(
            "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +{}:refs/remotes/origin/{}",
            run.commit.sha, run.head_branch
        ),
        format!(
            " * [new ref]         {} -> origin/{}",
            run.commit.sha, run.head_branch
        ),
        s("##[endgroup]"),
        s("[command]/usr/bin/git log -1 --format=%H"),
        run.commit.sha.clone(),
    ]
}

const GREEN: &str = "\u{1b}[1m\u{1b}[92m";
const RED: &str = "\u{1b}[1m\u{1b}[91m";
const RESET: &str = "\u{1b}[0m";

fn tool_output(tool: Tool, failed: bool, repo: &Repo, run: &Run) -> Vec<String> {
    let name = &repo.name;
    let short = run.commit.sha.get(..7).unwrap_or(&run.commit.sha);
    match (tool, failed) {
        (Tool::CargoBuild, false) => vec![
            format!("{GREEN}   Compiling{RESET} serde v1.0.229"),
            format!("{GREEN}   Compiling{RESET} tokio v1.54.1"),
            format!("{GREEN}   Compiling{RESET} axum v0.8.9"),
            format!("{GREEN}   Compiling{RESET} {name} v0.4.2 (/home/runner/work/{name}/{name})"),
            format!(
                "{GREEN}    Finished{RESET} `dev` profile [unoptimized + debuginfo] target(s) in 36.84s"
            ),
        ],
        (Tool::CargoBuild | Tool::CargoClippy, true) => vec![
            format!("{GREEN}    Checking{RESET} {name} v0.4.2 (/home/runner/work/{name}/{name})"),
            format!("{RED}error[E0308]{RESET}\u{1b}[1m: mismatched types{RESET}"),
            s("  --> src/orders/refund.rs:88:24"),
            s("   |"),
            s("88 |     let cents: i64 = amount * 100.0;"),
            s("   |                ---   ^^^^^^^^^^^^^^ expected `i64`, found `f64`"),
            s("   |                |"),
            s("   |                expected due to this"),
            s(""),
            format!(
                "{RED}error{RESET}\u{1b}[1m: could not compile `{name}` (lib) due to 1 previous error{RESET}"
            ),
        ],
        (Tool::CargoClippy, false) => vec![
            format!("{GREEN}    Checking{RESET} {name} v0.4.2 (/home/runner/work/{name}/{name})"),
            format!(
                "{GREEN}    Finished{RESET} `dev` profile [unoptimized + debuginfo] target(s) in 21.07s"
            ),
        ],
        (Tool::CargoTest, false) => vec![
            format!(
                "{GREEN}    Finished{RESET} `test` profile [unoptimized + debuginfo] target(s) in 0.41s"
            ),
            format!(
                "{GREEN}     Running{RESET} unittests src/lib.rs (target/debug/deps/{}-3f9c1a2b7d4e5f60)",
                name.replace('-', "_")
            ),
            s(""),
            s("running 48 tests"),
            s("test orders::refund::tests::refund_is_capped_at_total ... \u{1b}[32mok\u{1b}[0m"),
            s("test orders::export::tests::csv_has_header_row ... \u{1b}[32mok\u{1b}[0m"),
            s("test payments::webhook::tests::retries_with_backoff ... \u{1b}[32mok\u{1b}[0m"),
            s(""),
            s(
                "test result: \u{1b}[32mok\u{1b}[0m. 48 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.31s",
            ),
        ],
        (Tool::CargoTest, true) => vec![
            format!(
                "{GREEN}     Running{RESET} unittests src/lib.rs (target/debug/deps/{}-3f9c1a2b7d4e5f60)",
                name.replace('-', "_")
            ),
            s(""),
            s("running 48 tests"),
            s("test orders::export::tests::csv_has_header_row ... \u{1b}[32mok\u{1b}[0m"),
            s(
                "test orders::refund::tests::partial_refund_rounds_half_up ... \u{1b}[31mFAILED\u{1b}[0m",
            ),
            s("test payments::webhook::tests::retries_with_backoff ... \u{1b}[32mok\u{1b}[0m"),
            s(""),
            s("failures:"),
            s(""),
            s("---- orders::refund::tests::partial_refund_rounds_half_up stdout ----"),
            s(""),
            s(
                "thread 'orders::refund::tests::partial_refund_rounds_half_up' panicked at src/orders/refund.rs:214:9:",
            ),
            s("assertion `left == right` failed"),
            s("  left: 1049"),
            s(" right: 1050"),
            s("note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"),
            s(""),
            s(""),
            s("failures:"),
            s("    orders::refund::tests::partial_refund_rounds_half_up"),
            s(""),
            s(
                "test result: \u{1b}[31mFAILED\u{1b}[0m. 47 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 2.47s",
            ),
            s(""),
            format!("{RED}error{RESET}: test failed, to rerun pass `--lib`"),
        ],
        (Tool::NpmCi, false) => vec![
            s("added 1284 packages, and audited 1285 packages in 14s"),
            s(""),
            s("found \u{1b}[32m\u{1b}[1m0\u{1b}[22m\u{1b}[39m vulnerabilities"),
        ],
        (Tool::NpmCi, true) => vec![
            s("npm error code ECONNRESET"),
            s("npm error network aborted"),
            s(
                "npm error A complete log of this run can be found in: /home/runner/.npm/_logs/debug-0.log",
            ),
        ],
        (Tool::NpmBuild, false) => vec![
            format!("> {name}@2.3.0 build"),
            s("> vite build"),
            s(""),
            s("vite v6.0.7 building for production..."),
            s("✓ 412 modules transformed."),
            s("dist/index.html                   0.46 kB │ gzip:  0.30 kB"),
            s("dist/assets/index-4f9a2c1e.js   182.31 kB │ gzip: 58.12 kB"),
            s("✓ built in 7.81s"),
        ],
        (Tool::NpmBuild, true) => vec![
            format!("> {name}@2.3.0 build"),
            s("> tsc -b && vite build"),
            s(""),
            s(
                "src/checkout/Summary.tsx(41,22): error TS2339: Property 'total' does not exist on type 'Order'.",
            ),
        ],
        (Tool::NpmTest, false) => vec![
            format!("> {name}@2.3.0 test"),
            s("> jest --ci"),
            s(""),
            s("\u{1b}[42m\u{1b}[30m PASS \u{1b}[39m\u{1b}[49m src/cart/cart.test.ts"),
            s("\u{1b}[42m\u{1b}[30m PASS \u{1b}[39m\u{1b}[49m src/checkout/summary.test.tsx"),
            s("Tests:       \u{1b}[32m212 passed\u{1b}[39m, 212 total"),
            s("Time:        11.402 s"),
        ],
        (Tool::NpmTest, true) => vec![
            format!("> {name}@2.3.0 test"),
            s("> jest --ci"),
            s(""),
            s("\u{1b}[41m\u{1b}[37m FAIL \u{1b}[39m\u{1b}[49m src/checkout/summary.test.tsx"),
            s("  ● CheckoutSummary › shows the discounted total"),
            s(""),
            s("    expect(received).toBe(expected) // Object.is equality"),
            s(""),
            s("    Expected: \u{1b}[32m\"€42.50\"\u{1b}[39m"),
            s("    Received: \u{1b}[31m\"€42.5\"\u{1b}[39m"),
            s(""),
            s("      at Object.<anonymous> (src/checkout/summary.test.tsx:58:31)"),
            s(""),
            s(
                "Tests:       \u{1b}[31m1 failed\u{1b}[39m, \u{1b}[32m211 passed\u{1b}[39m, 212 total",
            ),
        ],
        (Tool::TerraformPlan, false) => vec![
            s("aws_s3_bucket.assets: Refreshing state... [id=acme-assets-prod]"),
            s("aws_db_instance.main: Refreshing state... [id=shop-prod]"),
            s(""),
            s("\u{1b}[1mPlan:\u{1b}[0m 0 to add, 2 to change, 0 to destroy."),
        ],
        (Tool::TerraformPlan, true) => vec![
            s("\u{1b}[31m╷\u{1b}[0m\u{1b}[0m"),
            s(
                "\u{1b}[31m│\u{1b}[0m \u{1b}[0m\u{1b}[1m\u{1b}[31mError: \u{1b}[0m\u{1b}[0m\u{1b}[1mUnsupported argument\u{1b}[0m",
            ),
            s("\u{1b}[31m│\u{1b}[0m \u{1b}[0m"),
            s(
                "\u{1b}[31m│\u{1b}[0m \u{1b}[0m\u{1b}[0m  on modules/db/main.tf line 41, in resource \"aws_db_instance\" \"main\":",
            ),
            s(
                "\u{1b}[31m│\u{1b}[0m \u{1b}[0m  41:   \u{1b}[4mstorage_encrypted_at_rest\u{1b}[0m = true\u{1b}[0m",
            ),
            s("\u{1b}[31m│\u{1b}[0m \u{1b}[0m"),
            s(
                "\u{1b}[31m│\u{1b}[0m \u{1b}[0mAn argument named \"storage_encrypted_at_rest\" is not expected here.",
            ),
            s("\u{1b}[31m╵\u{1b}[0m\u{1b}[0m"),
        ],
        (Tool::Deploy, false) => vec![
            format!("Deploying {name}@{short} to production"),
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: 1 of 3 updated replicas are available..."
            ),
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: 2 of 3 updated replicas are available..."
            ),
            format!("deployment \"{name}\" successfully rolled out"),
        ],
        (Tool::Deploy, true) => vec![
            format!("Deploying {name}@{short} to production"),
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: 1 of 3 updated replicas are available..."
            ),
            s("error: timed out waiting for the condition"),
        ],
        (Tool::Smoke, false) => vec![
            s("GET https://shop.acme.example/healthz -> 200 (41 ms)"),
            s("GET https://shop.acme.example/api/orders?limit=1 -> 200 (88 ms)"),
            s("smoke test passed: 6 of 6 checks"),
        ],
        (Tool::Smoke, true) => vec![
            s("GET https://shop.acme.example/healthz -> 200 (41 ms)"),
            s("GET https://shop.acme.example/api/orders?limit=1 -> 502 (3012 ms)"),
            s("smoke test failed: 1 of 6 checks failed"),
        ],
    }
}
