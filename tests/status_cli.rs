//! `opsdeck status`: JSON that parses to the documented schema, and the
//! exit codes 0 (nothing broken), 1 (something broken), 2 (a source could
//! not be seen), 3 (usage), 4 (config).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::process::{Command, Output};

fn status(args: &[&str], config: &str, docker_host: &str) -> Output {
    status_with(args, config, docker_host, &[])
}

fn status_with(args: &[&str], config: &str, docker_host: &str, env: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, config).expect("config");
    let log = dir.path().join("opsdeck.log");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdeck"));
    cmd.arg("--config")
        .arg(&config_path)
        .arg("--log-file")
        .arg(&log)
        .args(args)
        .current_dir(dir.path())
        .env("DOCKER_HOST", docker_host)
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        // No kubeconfig of the machine's: each test says what it has.
        .env_remove("KUBECONFIG")
        .env("HOME", dir.path())
        .envs(env.iter().copied());
    cmd.output().expect("run opsdeck")
}

#[test]
fn demo_status_json_lists_what_is_broken_and_exits_1() {
    let out = status(&["--demo", "status", "--json", "--wait", "20"], "", "");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(report["schema"], "opsdeck.status/v1");
    let sources = report["sources"].as_array().expect("sources");
    let docker = sources
        .iter()
        .find(|s| s["source"] == "docker")
        .expect("docker");
    assert_eq!(docker["state"], "connected", "{text}");
    let broken = report["broken"].as_array().expect("broken");
    assert!(
        broken.iter().any(|b| b["what"] == "container ml-train"
            && b["reason"].as_str().is_some_and(|r| r.contains("137"))),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
}

#[test]
fn nothing_enabled_means_nothing_broken_and_exit_0() {
    let out = status(&["status"], "[docker]\nenabled = false\n", "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Nothing broken."), "{text}");
    // Off, and how to turn it on: not a bare "disabled".
    assert!(
        text.contains("Docker      disabled (to turn on: set [docker] enabled = true"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
}

#[test]
fn an_unreachable_source_exits_2_and_says_why() {
    let out = status(
        &["status", "--wait", "3"],
        "",
        "unix:///nonexistent/opsdeck-test.sock",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Docker") && text.contains("reconnecting"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
}

#[test]
fn global_flags_work_after_the_subcommand_as_the_readme_writes_them() {
    let out = status(&["status", "--demo", "--json", "--wait", "20"], "", "");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(report["schema"], "opsdeck.status/v1");
    assert_eq!(out.status.code(), Some(1), "{text}");
}

#[test]
fn a_usage_error_has_its_own_exit_code() {
    let out = status(&["status", "--no-such-flag"], "", "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--no-such-flag"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
}

#[test]
fn a_config_error_has_its_own_exit_code_and_names_the_file() {
    let out = status(&["status"], "[docker\nenabled = ", "");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml"), "{err}");
    assert_eq!(out.status.code(), Some(4), "{err}");
}

#[test]
fn help_documents_every_exit_code() {
    for args in [&["--help"][..], &["status", "--help"][..]] {
        let out = status(args, "", "");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{text}");
        for code in [
            "0  nothing broken",
            "1  something is broken",
            "2  a source could not be seen",
            "3  usage error",
            "4  config error",
            "5  opsdeck could not run",
        ] {
            assert!(text.contains(code), "{args:?} lacks {code:?}: {text}");
        }
    }
}

/// A loopback port nothing listens on (it was free a moment ago).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn what_cannot_be_seen_is_named_with_why_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("garbage.yaml");
    std::fs::write(&kubeconfig, "clusters: [\n  - {name: x\n:::: not yaml\n").unwrap();
    let engine = format!("tcp://127.0.0.1:{}", closed_port());
    let out = status_with(
        &["status", "--wait", "3"],
        "[github]\nrepos = [\"acme/shop-api\"]\n",
        &engine,
        &[("KUBECONFIG", kubeconfig.to_str().unwrap())],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Nothing broken.\n"), "{text}");
    assert!(
        text.contains(
            "cannot see GitHub (no token), Kubernetes (kubeconfig unusable), Docker (unreachable)"
        ),
        "{text}"
    );
    // Each reason names its thing and what to do.
    assert!(
        text.contains("GH_TOKEN") && text.contains("acme/shop-api"),
        "{text}"
    );
    assert!(text.contains(kubeconfig.to_str().unwrap()), "{text}");
    assert!(text.contains("not a valid kubeconfig"), "{text}");
    assert!(
        text.contains(&engine) && text.contains("connection refused"),
        "{text}"
    );
    assert!(!text.contains("hyper"), "{text}");
    assert_eq!(out.status.code(), Some(2), "{text}");
}

#[test]
fn a_kubeconfig_variable_naming_a_missing_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let out = status_with(
        &["status", "--json", "--wait", "3"],
        "[docker]\nenabled = false\n",
        "",
        &[("KUBECONFIG", missing.to_str().unwrap())],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let kube = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "kubernetes")
        .unwrap();
    assert_eq!(kube["state"], "unusable", "{text}");
    let error = kube["error"].as_str().unwrap();
    assert!(
        error.contains(&format!("KUBECONFIG names {}", missing.display())),
        "{error}"
    );
    assert!(error.contains("does not exist"), "{error}");
    assert_eq!(report["unseen"][0]["source"], "kubernetes", "{text}");
    assert_eq!(out.status.code(), Some(2), "{text}");
}

/// The GitHub simulator with one repository that has a run.
async fn github_sim() -> opsdeck_sim::github::GithubSim {
    use opsdeck_sim::github::{GithubSim, Scenario, SimClock, SimOptions};
    let options = SimOptions {
        clock: SimClock::Manual,
        ..SimOptions::default()
    };
    let sim = GithubSim::start_with(Scenario::Empty, options)
        .await
        .expect("simulator starts");
    sim.push("acme", "empty", "ci.yml", "main").expect("run");
    sim
}

/// `opsdeck status` run off the runtime, so the simulator keeps serving.
async fn status_off_runtime(args: &[&str], config: String, env: Vec<(String, String)>) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        status_with(&args, &config, "", &env)
    })
    .await
    .expect("status ran")
}

/// Without GH_TOKEN, GITHUB_TOKEN or token_command, the GitHub CLI's login
/// to the API's host is used, and the report says so, never the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_set_the_gh_login_is_used_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let sim = github_sim().await;
    let bin = tempfile::tempdir().unwrap();
    let gh = bin.path().join("gh");
    let script = format!(
        "#!/bin/sh\n[ \"$*\" = \"auth token --hostname 127.0.0.1\" ] || exit 1\necho {}\n",
        sim.token()
    );
    std::fs::write(&gh, script).unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let config = format!(
        "[github]\napi_url = \"{}\"\nrepos = [\"acme/empty\"]\n[docker]\nenabled = false\n",
        sim.base_url()
    );
    let out = status_off_runtime(
        &["status", "--json", "--wait", "10"],
        config.clone(),
        vec![("PATH".into(), path.clone())],
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let github = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "github")
        .unwrap();
    assert_eq!(github["state"], "connected", "{text}");
    assert_eq!(github["token_from"], "gh CLI", "{text}");
    assert!(!text.contains(sim.token()), "the token is never printed");
    assert_eq!(out.status.code(), Some(0), "{text}");
    // GH_TOKEN wins over the gh login, and the text report names it.
    let out = status_off_runtime(
        &["status", "--wait", "10"],
        config,
        vec![
            ("PATH".into(), path),
            ("GH_TOKEN".into(), sim.token().into()),
        ],
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[token from env GH_TOKEN]"), "{text}");
    assert_eq!(out.status.code(), Some(0), "{text}");
    sim.shutdown().await;
}

/// A repository that answers 404 is listed under GitHub's errors (what
/// could not be seen), and the exit code says the picture is incomplete.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_answering_404_is_listed_and_exits_2() {
    let sim = github_sim().await;
    let config = format!(
        "[github]\napi_url = \"{}\"\nrepos = [\"acme/empty\", \"acme/nope\"]\n\
         [docker]\nenabled = false\n",
        sim.base_url()
    );
    let env = vec![("GH_TOKEN".to_string(), sim.token().to_string())];
    let out = status_off_runtime(
        &["status", "--json", "--wait", "10"],
        config.clone(),
        env.clone(),
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let unseen = report["unseen"].as_array().expect("unseen");
    assert!(
        unseen.iter().any(|u| u["source"] == "github"
            && u["detail"]
                .as_str()
                .is_some_and(|d| d.contains("acme/nope") && d.contains("not found (404)"))),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    let out = status_off_runtime(&["status", "--wait", "10"], config, env).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cannot see GitHub (acme/nope failing)"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    sim.shutdown().await;
}

/// A token the server refuses (401) ends the wait at once: every
/// repository would refuse it, so waiting out `--wait` shows nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_does_not_wait_out_the_wait() {
    let sim = github_sim().await;
    let config = format!(
        "[github]\napi_url = \"{}\"\nrepos = [\"acme/empty\"]\n[docker]\nenabled = false\n",
        sim.base_url()
    );
    let env = vec![("GH_TOKEN".to_string(), "not-the-token".to_string())];
    let started = std::time::Instant::now();
    let out = status_off_runtime(&["status", "--json", "--wait", "60"], config, env).await;
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let github = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "github")
        .unwrap();
    assert_eq!(github["state"], "reconnecting", "{text}");
    assert!(
        github["error"]
            .as_str()
            .is_some_and(|e| e.contains("401") || e.contains("token")),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        took < std::time::Duration::from_secs(30),
        "status waited {took:?} for a refused token"
    );
    assert!(
        !text.contains("not-the-token"),
        "the token is never printed"
    );
    sim.shutdown().await;
}
