//! End-to-end, in a pseudo-terminal, against the Kubernetes simulator
//! (`--demo`): `s` on a pod with two containers opens the container
//! picker, `y` lends the terminal to `sh` in it (the image has no bash)
//! through the API server's WebSocket exec, keys reach the shell, and
//! `exit` brings the TUI back whole, keys working.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::time::Duration;

use support::pty::{Key, Pty, framed};

const START: Duration = Duration::from_secs(30);
const STEP: Duration = Duration::from_secs(15);

fn ok<T>(r: Result<T, String>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn s_picks_a_container_and_lends_the_terminal_to_a_shell_in_the_pod() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opsdeck.log");
    let data = dir.path().join("data");
    let (log, data) = (
        log.to_string_lossy().into_owned(),
        data.to_string_lossy().into_owned(),
    );
    let args = ["--demo", "--tab", "kubernetes", "--log-file", &log];
    let env = [
        ("DOCKER_HOST", ""),
        ("NO_COLOR", "1"),
        ("XDG_DATA_HOME", data.as_str()),
    ];
    let mut pty = ok(Pty::spawn(&args, &env, 140, 36));
    ok(pty.wait_for("web-", START));
    // The web pods run two containers (app, metrics).
    ok(pty.send("/"));
    ok(pty.send("web- running"));
    ok(pty.send_key(Key::Enter));

    ok(pty.send("s"));
    ok(pty.wait_for("shell container (app|metrics, Tab): app_", STEP));
    ok(pty.send_key(Key::Tab));
    ok(pty.wait_for("metrics_", STEP));
    ok(pty.send_key(Key::Tab));
    ok(pty.wait_for("app_", STEP));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_for("Open a shell in pod", STEP));
    ok(pty.send("y"));
    ok(pty.wait_until("the shell on the normal screen", STEP, |s| {
        !s.alternate_screen() && s.contents().contains("sh in pod shop/web-")
    }));
    for c in "echo hi".chars() {
        ok(pty.send(&c.to_string()));
        std::thread::sleep(Duration::from_millis(15));
    }
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_until("the command's output", STEP, |s| {
        s.contents().lines().any(|line| line.trim_end() == "hi")
    }));
    let typed = pty.screen_text();
    assert!(
        typed.contains(":/# echo hi"),
        "the shell did not get every key:\n{}",
        framed(&typed)
    );
    ok(pty.send("exit"));
    ok(pty.send_key(Key::Enter));

    ok(
        pty.wait_until("the TUI back on the alternate screen", STEP, |s| {
            let text = s.contents();
            s.alternate_screen() && text.contains("3 Kubernetes") && text.contains("web-")
        }),
    );
    ok(pty.wait_for("open a shell in pod web-", STEP));
    ok(pty.wait_for("(container app): done", STEP));
    ok(pty.send("?"));
    ok(pty.wait_for("toggle this help", STEP));
    ok(pty.send_key(Key::Esc));
    ok(pty.send("q"));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert!(status.success(), "{status:?}");

    let journal = std::fs::read_to_string(dir.path().join("data/opsdeck/journal.log"))
        .unwrap_or_else(|e| panic!("no journal under {data}: {e}"));
    assert!(
        journal.contains("open a shell in") && journal.contains("(container app)"),
        "the shell is not in the journal:\n{journal}"
    );
}
