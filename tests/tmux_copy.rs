//! `y` inside a real tmux with its default options (no user config): the
//! copied text must land in a tmux buffer, where tmux 3.3 dropped the
//! passthrough-wrapped OSC 52 opsdeck used to send, and the toast must say
//! how much was copied. Also `tmux kill-session`: the demo's kubeconfig
//! must not outlive it. Skips, saying so, where tmux is not installed (CI
//! installs it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(30);

/// A tmux server of this test's own (`-L`), without the user's tmux.conf.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .unwrap()
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn wait_for(&self, what: &str, within: Duration, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the pane:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

#[test]
fn y_in_tmux_fills_a_tmux_buffer_and_says_how_much_it_copied() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed; the copy-in-tmux check did not run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opsdeck.log");
    let tmux = Tmux {
        socket: format!("opsdeck-test-{}", std::process::id()),
    };
    // `exec`: the pane's process is opsdeck itself, so its pid names the
    // demo's kubeconfig.
    let command = format!(
        "exec env DOCKER_HOST= NO_COLOR=1 {} --demo --tab docker --log-file {}",
        quoted(&support::pty::opsdeck_bin()),
        quoted(&log)
    );
    let started = tmux.cmd(&[
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "100",
        "-y",
        "30",
        &command,
    ]);
    assert!(started.status.success(), "{started:?}");
    let pid = String::from_utf8_lossy(
        &tmux
            .cmd(&["display", "-p", "-t", "t", "#{pane_pid}"])
            .stdout,
    )
    .trim()
    .to_string();
    tmux.wait_for("the demo's containers", START, |s| s.contains("shop-web-1"));
    let kubeconfig = std::env::temp_dir().join(format!("opsdeck-demo-{pid}.kubeconfig"));
    assert!(kubeconfig.exists(), "no {}", kubeconfig.display());

    assert!(tmux.cmd(&["send-keys", "-t", "t", "y"]).status.success());
    let screen = tmux.wait_for("the copy toast", Duration::from_secs(10), |s| {
        s.contains("copied ")
    });
    let buffer = tmux.cmd(&["show-buffer"]);
    let copied = String::from_utf8_lossy(&buffer.stdout).into_owned();
    assert!(
        buffer.status.success() && !copied.is_empty(),
        "no tmux buffer after y: {buffer:?}\nthe pane:\n{screen}"
    );
    assert!(
        screen.contains(&copied),
        "the buffer holds {copied:?}, which is not a name on screen:\n{screen}"
    );
    let toast = format!(
        "copied {} characters to a tmux buffer",
        copied.chars().count()
    );
    assert!(screen.contains(&toast), "no {toast:?} in\n{screen}");

    // What a closed tmux window does: SIGHUP. The kubeconfig goes with it.
    assert!(tmux.cmd(&["kill-session", "-t", "t"]).status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    while kubeconfig.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !kubeconfig.exists(),
        "tmux kill-session left {} behind",
        kubeconfig.display()
    );
}
