//! TLS engines against the REAL TLS listener `.ci/docker-engine.sh` starts
//! beside the engine's socket: a docker context with TLS files, the
//! `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH` environment, and the plain-words
//! failures (an untrusted engine certificate, plain HTTP to a TLS port).
//!
//! Needs `OPSDECK_TEST_TLS_HOST` and `OPSDECK_TEST_TLS_CERTS` (exported by
//! `eval "$(bash .ci/docker-engine.sh up)"`). Without them these tests skip
//! and say why, unless `OPSDECK_REQUIRE_DOCKER=1` (CI), where they fail.
//!
//! The environment cases run opsdeck's binary (`opsdeck status --json`)
//! with its own environment, so this process's never changes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::CreateContainerOptions;
use futures::StreamExt;
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::sources::docker::{self, context};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::{remove_container, required, unique};

#[path = "support/tls_context.rs"]
mod tls_context;
use tls_context::{client_files, context_id, status, status_with_config, store_context};

const WAIT: Duration = Duration::from_secs(30);

/// The local engine (to make and check containers), the image, the TLS
/// listener's address and the client's certificate directory.
struct Setup {
    local: Docker,
    image: String,
    tls_host: String,
    certs: PathBuf,
}

async fn setup() -> Option<Setup> {
    let problem = match (
        std::env::var("OPSDECK_TEST_TLS_HOST"),
        std::env::var("OPSDECK_TEST_TLS_CERTS"),
    ) {
        (Ok(tls_host), Ok(certs)) => {
            let host = docker::describe_host(None);
            let image = std::env::var("OPSDECK_TEST_IMAGE")
                .unwrap_or_else(|_| "opsdeck-busybox:latest".into());
            match docker::connect(&host).await {
                Ok(local) => match local.inspect_image(&image).await {
                    Ok(_) => {
                        return Some(Setup {
                            local,
                            image,
                            tls_host,
                            certs: PathBuf::from(certs),
                        });
                    }
                    Err(e) => format!("image {image} missing at {host} ({e})"),
                },
                Err(e) => format!("no Docker engine at {host}: {e}"),
            }
        }
        _ => "OPSDECK_TEST_TLS_HOST/OPSDECK_TEST_TLS_CERTS are not set \
              (eval \"$(bash .ci/docker-engine.sh up)\")"
            .to_string(),
    };
    if required() {
        panic!("OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    }
    eprintln!("skipping TLS engine test: {problem}");
    None
}

async fn create(d: &Docker, image: &str, name: &str, script: &str) -> String {
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.to_string()),
        ..Default::default()
    };
    let id = d
        .create_container(Some(options), body)
        .await
        .expect("create")
        .id;
    d.start_container(&id, None).await.expect("start");
    id
}

async fn started_at(d: &Docker, id: &str) -> String {
    let c = d.inspect_container(id, None).await.unwrap();
    c.state.and_then(|s| s.started_at).unwrap_or_default()
}

/// (a) A context with the engine's TLS files, made by the real docker CLI
/// (`docker context create --docker "host=…,ca=…,cert=…,key=…"`, so the
/// store is laid out as the CLI lays it) and chosen by DOCKER_CONTEXT
/// (passed in as the environment would pass it): the pane lists a
/// container through it, and `r` + `y` restarts it through it.
#[tokio::test]
async fn a_tls_context_lists_and_restarts_through_the_tls_engine() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let spec = format!(
        "host={},ca={},cert={},key={}",
        s.tls_host,
        s.certs.join("ca.pem").display(),
        s.certs.join("cert.pem").display(),
        s.certs.join("key.pem").display()
    );
    let made = Command::new("docker")
        .args(["context", "create", "ci-tls", "--docker", &spec])
        .env("DOCKER_CONFIG", dir.path())
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .output()
        .expect("the docker CLI (the engine script installs it)");
    let said = String::from_utf8_lossy(&made.stderr);
    assert!(made.status.success(), "{said}");
    let inputs = context::Inputs {
        docker_context: Some("ci-tls".into()),
        config_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let resolved = context::resolve(&inputs).expect("the context resolves");
    assert!(resolved.tls.is_some(), "a context with TLS files uses TLS");
    let host = docker::engine_address(resolved).unwrap();
    assert_eq!(host, s.tls_host);

    let name = unique("tls-ctx");
    let id = create(
        &s.local,
        &s.image,
        &name,
        "trap 'exit 0' TERM; while true; do sleep 1; done",
    )
    .await;
    let before = started_at(&s.local, &id).await;

    let (tx, mut rx) = mpsc::channel(1024);
    let mut state = State::new(
        Settings {
            journal_path: None,
            ..Settings::default()
        },
        KeyMap::default(),
    );
    state.tab = Tab::Docker;
    let sources = SourceHandles {
        docker: Some(docker::spawn(host.clone(), tx.clone())),
        ..SourceHandles::default()
    };
    let (mut app, _themes) = Driver::new(state, sources, tx);
    let listed = |st: &State| {
        st.docker
            .containers
            .data()
            .is_some_and(|m| m.values().any(|c| c.name == name))
    };
    app.run_until(&mut rx, WAIT, "listed through TLS", |_| {}, listed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.state.docker.health.target(), Some(host.as_str()));

    for c in format!("/{name}").chars() {
        app.key(KeyEvent::char(c));
    }
    app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    app.key(KeyEvent::char('r'));
    let dialog = app.state.confirm.clone().expect("restart asks first");
    assert!(dialog.target.contains(&name), "{}", dialog.target);
    app.key(KeyEvent::char('y'));
    let mut answer = None;
    let deadline = tokio::time::Instant::now() + WAIT;
    while answer.is_none() {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("the restart answered")
            .expect("source alive");
        app.apply_batch(msg, &mut rx, |msg| match msg {
            Msg::ActionDone { result, .. } => answer = Some(result.clone()),
            Msg::ActionReported { result, .. } => answer = Some(result.clone().map(|_| ())),
            _ => {}
        });
    }
    assert_eq!(answer, Some(Ok(())));
    let after = started_at(&s.local, &id).await;
    assert_ne!(before, after, "the engine restarted it");

    // A shell through the same TLS client: the exec's hijacked stream
    // carries keys in and the terminal's bytes out.
    let mut shell = docker::shell::open(&host, &id, &name, (80, 24))
        .await
        .unwrap_or_else(|e| panic!("shell over TLS: {e}"));
    shell
        .input
        .write_all(b"echo over-$((20+22))-tls; exit\r")
        .await
        .unwrap();
    shell.input.flush().await.unwrap();
    let mut seen = String::new();
    let read = async {
        while let Some(Ok(bytes)) = shell.output.next().await {
            seen.push_str(&String::from_utf8_lossy(&bytes));
        }
    };
    tokio::time::timeout(WAIT, read)
        .await
        .expect("the shell ended");
    assert!(seen.contains("over-42-tls"), "{seen:?}");
    assert_eq!(shell.ended.await, Ok(()));
    remove_container(&s.local, &name).await;
}

/// (b) DOCKER_HOST=tcp://… with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH:
/// opsdeck connects with those files and sees the engine's containers (one
/// that failed is in the report's broken list).
#[tokio::test]
async fn docker_tls_verify_and_cert_path_reach_the_engine() {
    let Some(s) = setup().await else {
        return;
    };
    let name = unique("tls-env");
    create(&s.local, &s.image, &name, "exit 3").await;
    let dir = tempfile::tempdir().unwrap();
    let certs = s.certs.to_str().unwrap();
    let (docker, report) = status(
        dir.path(),
        &[
            ("DOCKER_HOST", s.tls_host.as_str()),
            ("DOCKER_TLS_VERIFY", "1"),
            ("DOCKER_CERT_PATH", certs),
        ],
    );
    remove_container(&s.local, &name).await;
    assert_eq!(docker["state"], "connected", "{report}");
    assert_eq!(docker["target"], s.tls_host.as_str(), "{report}");
    let broken = report["broken"].as_array().unwrap();
    assert!(
        broken
            .iter()
            .any(|b| b["what"] == format!("container {name}")),
        "{report}"
    );
}

/// A context named in `[docker] hosts` (with a plain address beside it):
/// each engine connects with its own files, the context's over TLS.
#[tokio::test]
async fn a_context_in_docker_hosts_connects_with_its_tls_files() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = client_files(&s.certs);
    let files: Vec<(&str, &Path)> = files.iter().map(|(f, p)| (*f, p.as_path())).collect();
    store_context(
        &dir.path().join("docker-config"),
        "ci-tls",
        &s.tls_host,
        &files,
    );
    let local = docker::describe_host(None);
    let config = format!("[docker]\nhosts = [{{ context = \"ci-tls\" }}, \"{local}\"]\n");
    let (docker, report) = status_with_config(dir.path(), &config, &[]);
    assert_eq!(docker["state"], "connected", "{report}");
    let log = std::fs::read_to_string(dir.path().join("opsdeck.log")).unwrap_or_default();
    assert!(!log.contains("BEGIN"), "no key material in the log");
}

/// (c) A context whose ca.pem is another CA: the engine's certificate is
/// not trusted, said naming the engine and the CA file.
#[tokio::test]
async fn a_context_with_another_ca_is_told_the_engine_is_not_trusted() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("docker-config");
    let other_ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/other-ca.pem");
    let files = [
        ("ca.pem", other_ca.as_path()),
        ("cert.pem", &s.certs.join("cert.pem")),
        ("key.pem", &s.certs.join("key.pem")),
    ];
    store_context(&config_dir, "wrong-ca", &s.tls_host, &files);
    let (docker, report) = status(dir.path(), &[("DOCKER_CONTEXT", "wrong-ca")]);
    assert_eq!(docker["state"], "reconnecting", "{report}");
    let error = docker["error"].as_str().unwrap();
    assert!(error.contains(&s.tls_host), "{error}");
    assert!(error.contains("does not trust"), "{error}");
    assert!(
        error.contains("ca.pem") && error.contains("context `wrong-ca`"),
        "{error}"
    );
    assert!(!error.contains("BEGIN"), "{error}");
}

/// DOCKER_CERT_PATH naming a directory without the files: said before any
/// handshake, naming the file that is missing.
#[tokio::test]
async fn a_cert_path_without_the_files_names_the_missing_file() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("no-certs-here");
    std::fs::create_dir_all(&empty).unwrap();
    let (docker, report) = status(
        dir.path(),
        &[
            ("DOCKER_HOST", s.tls_host.as_str()),
            ("DOCKER_TLS_VERIFY", "1"),
            ("DOCKER_CERT_PATH", empty.to_str().unwrap()),
        ],
    );
    assert_eq!(docker["state"], "reconnecting", "{report}");
    let error = docker["error"].as_str().unwrap();
    let ca = empty.join("ca.pem");
    assert!(
        error.contains(&format!("cannot read the CA certificate {}", ca.display())),
        "{error}"
    );
    assert!(
        error.contains(&s.tls_host) && error.contains("no such file"),
        "{error}"
    );
}

/// (d) Plain tcp:// to the TLS port: the engine expects TLS, and the
/// message says how to give it.
#[tokio::test]
async fn plain_tcp_to_the_tls_port_is_told_the_engine_expects_tls() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (docker, report) = status(dir.path(), &[("DOCKER_HOST", s.tls_host.as_str())]);
    assert_eq!(docker["state"], "reconnecting", "{report}");
    let error = docker["error"].as_str().unwrap();
    assert!(
        error.contains(&format!("the engine at {} expects TLS", s.tls_host)),
        "{error}"
    );
    assert!(error.contains("DOCKER_TLS_VERIFY=1"), "{error}");
}

/// A client certificate the engine did not sign is refused by it: said
/// naming the certificate (here the engine's CA is trusted, but the
/// client presents none: the CA alone in the context).
#[tokio::test]
async fn an_engine_refusing_the_client_is_said_naming_the_engine() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ca = s.certs.join("ca.pem");
    store_context(dir.path(), "no-client", &s.tls_host, &[("ca.pem", &ca)]);
    let inputs = context::Inputs {
        docker_context: Some("no-client".into()),
        config_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let resolved = context::resolve(&inputs).unwrap();
    // Another address for the same engine: this process keeps one set of
    // files per address, and the other tests use the plain one.
    let host = resolved.host.replace("127.0.0.1", "localhost");
    let host = docker::engine_address(context::Resolved { host, ..resolved }).unwrap();
    let Err(error) = docker::connect(&host).await else {
        panic!("{host} should refuse a client without a certificate");
    };
    assert!(error.contains(&host), "{error}");
    assert!(error.contains("refused"), "{error}");
}

/// A context's CA is the only one it trusts, as for the docker CLI: with
/// the engine's CA among the system's (`SSL_CERT_FILE`, which the system
/// store honours), a context holding another CA is still refused, and a
/// context without a CA file trusts the system's.
#[tokio::test]
async fn a_context_ca_is_the_only_trust_anchor_and_no_ca_means_the_systems() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("docker-config");
    let other_ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/other-ca.pem");
    let (cert, key) = (s.certs.join("cert.pem"), s.certs.join("key.pem"));
    let client = [("cert.pem", cert.as_path()), ("key.pem", key.as_path())];
    let mut with_other_ca = client.to_vec();
    with_other_ca.push(("ca.pem", other_ca.as_path()));
    store_context(&config_dir, "other-ca", &s.tls_host, &with_other_ca);
    store_context(&config_dir, "system-ca", &s.tls_host, &client);
    let engine_ca = s.certs.join("ca.pem");
    let system = ("SSL_CERT_FILE", engine_ca.to_str().unwrap());

    let (docker, report) = status(dir.path(), &[("DOCKER_CONTEXT", "other-ca"), system]);
    assert_eq!(docker["state"], "reconnecting", "{report}");
    let error = docker["error"].as_str().unwrap();
    assert!(error.contains("does not trust"), "{error}");

    let (docker, report) = status(dir.path(), &[("DOCKER_CONTEXT", "system-ca"), system]);
    assert_eq!(docker["state"], "connected", "{report}");
}

/// `SkipTLSVerify` in a context (`docker context create --docker
/// "…,skip-tls-verify=true"`) reaches an engine no trusted CA signed; the
/// engine still checks the client's certificate.
#[tokio::test]
async fn a_skip_tls_verify_context_reaches_an_engine_no_ca_vouches_for() {
    let Some(s) = setup().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("docker-config");
    let (cert, key) = (s.certs.join("cert.pem"), s.certs.join("key.pem"));
    store_context(
        &config_dir,
        "lax",
        &s.tls_host,
        &[("cert.pem", &cert), ("key.pem", &key)],
    );
    let meta = config_dir
        .join("contexts/meta")
        .join(context_id("lax"))
        .join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let text = text.replace("\"SkipTLSVerify\":false", "\"SkipTLSVerify\":true");
    assert!(text.contains("\"SkipTLSVerify\":true"), "{text}");
    std::fs::write(&meta, text).unwrap();
    // The system's CAs are one that did not sign the engine.
    let other_ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/other-ca.pem");
    let env = [
        ("DOCKER_CONTEXT", "lax"),
        ("SSL_CERT_FILE", other_ca.to_str().unwrap()),
    ];
    let (docker, report) = status(dir.path(), &env);
    assert_eq!(docker["state"], "connected", "{report}");
    assert_eq!(docker["target"], s.tls_host.as_str(), "{report}");
}
