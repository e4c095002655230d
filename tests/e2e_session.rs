//! End-to-end, in a pseudo-terminal: how a session ends or pauses from
//! outside opsdeck (a dropped SSH connection, `tmux kill-session`, `kill`,
//! Ctrl-z in a shell) and keys that arrive glued together, as they do over
//! SSH. The real binary under `--demo`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use support::pty::{Key, Pty, framed, opsdeck_bin};

const START: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_secs(10);
const DEMO_CONTAINER: &str = "shop-web-1";

fn ok<T>(r: Result<T, String>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

fn demo(cols: u16, rows: u16) -> (Pty, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--tab", "docker", "--log-file", log.as_str()];
    let pty = Pty::spawn(&args, &[("DOCKER_HOST", ""), ("NO_COLOR", "")], cols, rows)
        .unwrap_or_else(|e| panic!("cannot start opsdeck: {e}"));
    (pty, dir)
}

/// Where `--demo` writes the simulator's kubeconfig for process `pid`.
fn demo_kubeconfig(pid: u32) -> PathBuf {
    std::env::temp_dir().join(format!("opsdeck-demo-{pid}.kubeconfig"))
}

fn assert_terminal_restored(pty: &Pty, what: &str) {
    assert!(
        !pty.alternate_screen(),
        "{what}: the alternate screen was left on:\n{}",
        framed(&pty.screen_text())
    );
    assert!(
        !pty.with_screen(|s| s.hide_cursor()),
        "{what}: the cursor was left hidden"
    );
}

/// SIGTERM (`kill`, `tmux kill-session` sends SIGHUP) and SIGHUP (the SSH
/// connection dropped): opsdeck leaves as on `q`, with the terminal
/// restored and the demo's kubeconfig removed, and reports the signal in
/// its exit code as a shell would.
#[test]
fn sigterm_and_sighup_restore_the_terminal_and_remove_the_demo_kubeconfig() {
    for (signal, code) in [("TERM", 143), ("HUP", 129)] {
        let (mut pty, _dir) = demo(80, 24);
        ok(pty.wait_for(DEMO_CONTAINER, START));
        let kubeconfig = demo_kubeconfig(pty.pid());
        assert!(kubeconfig.exists(), "no {}", kubeconfig.display());
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pty.pid().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let (status, _) = ok(pty.wait_exit(STEP));
        assert_eq!(status.exit_code(), code, "SIG{signal}: {status:?}");
        assert_terminal_restored(&pty, &format!("SIG{signal}"));
        assert!(
            !kubeconfig.exists(),
            "SIG{signal} left {} behind",
            kubeconfig.display()
        );
    }
}

/// Ctrl-z in a shell with job control: opsdeck gives the terminal back and
/// stops; `fg` brings it back redrawn, and `q` still quits cleanly.
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_resumes_with_a_full_redraw() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opsdeck.log");
    let mut pty = ok(Pty::spawn_program(
        "bash",
        &["--norc", "--noprofile", "-i"],
        &[("PS1", "sh> "), ("DOCKER_HOST", ""), ("NO_COLOR", "")],
        100,
        30,
    ));
    ok(pty.wait_for("sh> ", STEP));
    let command = format!(
        "{} --demo --tab docker --log-file {}",
        opsdeck_bin().display(),
        log.display()
    );
    ok(pty.send(&command));
    ok(pty.send_key(Key::Enter));
    ok(
        pty.wait_until("the demo on the alternate screen", START, |s| {
            s.alternate_screen() && s.contents().contains(DEMO_CONTAINER)
        }),
    );

    ok(pty.send("\x1a"));
    ok(pty.wait_until("the shell's job-control report", STEP, |s| {
        !s.alternate_screen() && s.contents().contains("Stopped")
    }));
    assert_terminal_restored(&pty, "after Ctrl-z");

    ok(pty.send("fg"));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_until("the demo back, redrawn", STEP, |s| {
        s.alternate_screen()
            && s.contents().contains(DEMO_CONTAINER)
            && s.contents().contains("4 Docker")
    }));
    // Keys reach it again: help opens.
    ok(pty.send("?"));
    ok(pty.wait_for("toggle this help", STEP));
    ok(pty.send_key(Key::Esc));
    ok(pty.send("q"));
    ok(pty.wait_until("the shell back after q", STEP, |s| !s.alternate_screen()));
    assert_terminal_restored(&pty, "after q");
    ok(pty.send("exit"));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_exit(STEP));
}

/// Esc and the next key in one read (what SSH often delivers) used to
/// arrive as one Alt+key that nothing binds, and vanish: here Esc must
/// close the log, then `/` open the list's filter.
#[test]
fn esc_and_a_key_in_one_write_are_esc_then_the_key() {
    let (mut pty, _dir) = demo(80, 24);
    ok(pty.wait_for(DEMO_CONTAINER, START));
    ok(pty.send("l"));
    ok(pty.wait_for("Logs:", STEP));
    ok(pty.send("\x1b/"));
    ok(
        pty.wait_until("the log closed and the filter prompt open", STEP, |s| {
            let text = s.contents();
            !text.contains("Logs:") && text.contains("filter: ")
        }),
    );
    ok(pty.send_key(Key::Esc));
    ok(pty.send("q"));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert!(status.success(), "{status:?}");
}
