//! End-to-end through the real binary and `--demo`'s simulated engine:
//! `:projects` lists the demo's compose projects, `l` merges a project's
//! logs, `x` asks once for the whole project, and `i` shows a container
//! with its secret-looking env values masked on the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::time::Duration;

use support::pty::{Key, Pty};

const START: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_secs(10);

fn ok<T>(r: Result<T, String>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn demo(dir: &tempfile::TempDir) -> Pty {
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--tab", "docker", "--log-file", log.as_str()];
    ok(Pty::spawn(
        &args,
        &[("DOCKER_HOST", ""), ("NO_COLOR", "")],
        200,
        50,
    ))
}

#[test]
fn projects_merge_logs_ask_once_and_inspect_masks_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pty = demo(&dir);
    ok(pty.wait_for("shop-web-1", START));

    ok(pty.send(":projects"));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_for("SERVICES (start order)", STEP));
    // The demo's depends_on labels: db and cache before api, api before web.
    ok(pty.wait_for("cache, db, api, worker, web", STEP));
    ok(pty.wait_for("prometheus, grafana", STEP));
    ok(pty.send("/shop"));
    ok(pty.send_key(Key::Enter));
    ok(pty.send("l"));
    ok(pty.wait_for("Logs: compose project shop (all services)", STEP));
    // nginx lines of the web service, tagged with it.
    ok(pty.wait_until("a web line tagged", STEP, |s| {
        s.contents()
            .lines()
            .any(|l| l.contains("web ") && l.contains("HTTP/1.1"))
    }));
    ok(pty.send("q"));
    ok(pty.wait_for("SERVICES (start order)", STEP));
    ok(pty.send("x"));
    ok(pty.wait_for("Stop compose project", STEP));
    ok(pty.wait_for("containers (dependents first)", STEP));
    ok(pty.send("n"));
    ok(pty.wait_until("the dialog closed", STEP, |s| {
        !s.contents().contains("Stop compose project")
    }));
    ok(pty.send_key(Key::Esc));
    ok(pty.wait_until("the filter cleared", STEP, |s| {
        !s.contents().contains("filter \"shop\"")
    }));
    ok(pty.send_key(Key::Esc));
    ok(pty.wait_until("back on the containers", STEP, |s| {
        !s.contents().contains("SERVICES (start order)")
    }));

    ok(pty.send("/shop-api-1"));
    ok(pty.send_key(Key::Enter));
    ok(pty.send("i"));
    ok(pty.wait_for("inspect container shop-api-1", STEP));
    ok(pty.wait_for("health-check log", STEP));
    ok(pty.send("/PAYMENT"));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_for("PAYMENT_API_KEY=********", STEP));
    ok(pty.wait_for("postgres://shop:********@db:5432/shop", STEP));
    let screen = pty.screen_text();
    assert!(!screen.contains("sk_test_demo_only"), "{screen}");
    assert!(!screen.contains("demo-only-password"), "{screen}");
    ok(pty.send("q"));
    ok(pty.send("q"));
}
