//! End-to-end, in a pseudo-terminal, against a REAL Docker engine: `s` on a
//! running container lends the terminal to a shell in it (exec with a TTY
//! through the engine API), keys reach the shell and not opsdeck, and
//! `exit` brings the TUI back whole, keys working.
//!
//! Needs an engine at DOCKER_HOST with the busybox image
//! `OPSDECK_TEST_IMAGE` (default `opsdeck-busybox:latest`), which has `sh`
//! and no `bash`, so the fallback is exercised. Without them the test skips
//! and says why, unless `OPSDECK_REQUIRE_DOCKER=1`, where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{CreateContainerOptions, RemoveContainerOptions};
use opsdeck::sources::docker;
use support::pty::{Key, Pty, framed};

const START: Duration = Duration::from_secs(30);
const STEP: Duration = Duration::from_secs(15);

fn ok<T>(r: Result<T, String>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// The engine and image, or None (skip) / panic (CI) when unavailable.
async fn engine() -> Option<(Docker, String)> {
    let host = docker::describe_host(None);
    let required = std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    let problem = match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => return Some((d, image)),
            Err(e) => format!("image {image} missing at {host} ({e})"),
        },
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    if required {
        panic!("OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    }
    eprintln!("skipping Docker shell test: {problem}");
    None
}

/// A running busybox container, removed on drop.
struct Sleeper {
    runtime: tokio::runtime::Runtime,
    docker: Docker,
    name: String,
}

impl Sleeper {
    fn start() -> Option<Sleeper> {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (docker, image) = runtime.block_on(engine())?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("opsdeck-test-shell-{}-{nanos}", std::process::id());
        runtime.block_on(async {
            let body = ContainerCreateBody {
                image: Some(image),
                cmd: Some(vec!["sleep".into(), "600".into()]),
                ..Default::default()
            };
            let options = CreateContainerOptions {
                name: Some(name.clone()),
                ..Default::default()
            };
            docker.create_container(Some(options), body).await.unwrap();
            docker.start_container(&name, None).await.unwrap();
        });
        Some(Sleeper {
            runtime,
            docker,
            name,
        })
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let options = RemoveContainerOptions {
            force: true,
            ..Default::default()
        };
        let _ = self
            .runtime
            .block_on(self.docker.remove_container(&self.name, Some(options)));
    }
}

/// opsdeck on the Docker tab with only `name` in the list, selected; the
/// journal goes under the returned directory.
fn opsdeck_on(name: &str) -> (Pty, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[kubernetes]\n").unwrap();
    let log = dir.path().join("opsdeck.log");
    let data = dir.path().join("data");
    let (config, log, data) = (
        config.to_string_lossy().into_owned(),
        log.to_string_lossy().into_owned(),
        data.to_string_lossy().into_owned(),
    );
    let args = ["--tab", "docker", "--config", &config, "--log-file", &log];
    let env = [
        ("NO_COLOR", "1"),
        ("XDG_DATA_HOME", data.as_str()),
        ("KUBECONFIG", "/nonexistent/opsdeck-test-kubeconfig"),
        ("GH_TOKEN", ""),
        ("GITHUB_TOKEN", ""),
    ];
    let pty = ok(Pty::spawn(&args, &env, 120, 30));
    // The engine may hold any number of other containers, and ours may sort
    // below the first screen: find it as a user would, by its name in the
    // filter, once the list has arrived.
    ok(
        pty.wait_until("the engine's containers listed", START, |s| {
            counts_containers(&s.contents())
        }),
    );
    ok(pty.send("/"));
    ok(pty.send(name));
    ok(pty.send_key(Key::Enter));
    // The title counts the rows the filter keeps: ours alone, selected.
    ok(pty.wait_for(&format!("filter \"{name}\" (1)"), STEP));
    (pty, dir)
}

/// Whether the Docker pane's title counts its containers ("… 134
/// containers …"), which it does only once the engine's list arrived.
fn counts_containers(screen: &str) -> bool {
    let words: Vec<&str> = screen.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| w[1] == "containers" && w[0].parse::<usize>().is_ok())
}

#[test]
fn s_then_y_lends_the_terminal_to_a_shell_and_exit_brings_the_tui_back() {
    let Some(sleeper) = Sleeper::start() else {
        return;
    };
    let name = sleeper.name.as_str();
    let (mut pty, dir) = opsdeck_on(name);
    let data = dir.path().join("data").to_string_lossy().into_owned();

    ok(pty.send("s"));
    ok(pty.wait_for("Open a shell in container", STEP));
    ok(pty.send("y"));
    ok(
        pty.wait_until("the shell's prompt on the normal screen", STEP, |s| {
            !s.alternate_screen() && s.contents().contains("sh in container")
        }),
    );
    // The bytes travel one key at a time, as typed: a reader of opsdeck's
    // own left running would take some of them.
    for c in "echo hi-from-shell".chars() {
        ok(pty.send(&c.to_string()));
        std::thread::sleep(Duration::from_millis(15));
    }
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_until("the command's output", STEP, |s| {
        s.contents()
            .lines()
            .any(|line| line.trim_end() == "hi-from-shell")
    }));
    let typed = pty.screen_text();
    assert!(
        typed.contains("echo hi-from-shell"),
        "the shell did not get every key:\n{}",
        framed(&typed)
    );
    ok(pty.send("exit"));
    ok(pty.send_key(Key::Enter));

    ok(
        pty.wait_until("the TUI back on the alternate screen", STEP, |s| {
            let text = s.contents();
            s.alternate_screen() && text.contains("4 Docker") && text.contains(name)
        }),
    );
    ok(pty.wait_for_words(&format!("open a shell in container {name}: done"), STEP));
    assert!(
        !pty.with_screen(|s| s.contents().contains("hi-from-shell")),
        "the shell's output is still on the TUI's screen:\n{}",
        framed(&pty.screen_text())
    );
    // Keys reach opsdeck again.
    ok(pty.send("?"));
    ok(pty.wait_for("toggle this help", STEP));
    ok(pty.send_key(Key::Esc));
    ok(pty.send("q"));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert!(status.success(), "{status:?}");

    let journal = std::fs::read_to_string(dir.path().join("data/opsdeck/journal.log"))
        .unwrap_or_else(|e| panic!("no journal under {data}: {e}"));
    assert!(
        journal.contains(&format!("container {name}")) && journal.contains("open a shell in"),
        "the shell is not in the journal:\n{journal}"
    );
}

/// The container is killed under the shell: the TUI comes back by itself
/// and says so in plain words.
#[test]
fn a_container_killed_under_the_shell_brings_the_tui_back_with_the_reason() {
    let Some(sleeper) = Sleeper::start() else {
        return;
    };
    let name = sleeper.name.as_str();
    let (mut pty, _dir) = opsdeck_on(name);
    ok(pty.send("s"));
    ok(pty.wait_for("Open a shell in container", STEP));
    ok(pty.send("y"));
    ok(pty.wait_until("the shell's prompt", STEP, |s| {
        !s.alternate_screen() && s.contents().contains(" # ")
    }));
    // Longer than an error message lives: the clock stands still while
    // the shell has the terminal, and the message must not be born expired.
    std::thread::sleep(Duration::from_secs(11));
    sleeper
        .runtime
        .block_on(sleeper.docker.kill_container(name, None))
        .unwrap();
    ok(
        pty.wait_until("the TUI back on the alternate screen", STEP, |s| {
            s.alternate_screen() && s.contents().contains("4 Docker")
        }),
    );
    // The toast names the container twice and wraps where the name's length
    // puts it; the words are matched across the break.
    ok(pty.wait_for_words("stopped while the shell was open", STEP));
    // Still there a moment later: not a flash before it expires.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        pty.shows_words("stopped while the shell was open"),
        "the reason vanished at once:\n{}",
        framed(&pty.screen_text())
    );
    ok(pty.send("q"));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert!(status.success(), "{status:?}");
}
