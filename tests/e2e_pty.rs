//! End-to-end: the real opsdeck binary in a pseudo-terminal, driven by keys,
//! read back through a vt100 model of the screen. `--demo` serves its own
//! simulated Docker engine, so these need no engine, token or cluster.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
mod support;

use std::process::Command;
use std::time::Duration;

use support::pty::{Key, Pty, framed};

/// Generous: a debug build on a loaded 2-core machine starts slowly. The
/// speed budgets are checked by the outside benchmark, not here.
const START: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_secs(10);

/// A container of the demo scenario, in the `shop` compose project.
const DEMO_CONTAINER: &str = "shop-web-1";

/// opsdeck --demo in a pty; its log goes to a temporary directory that
/// lives as long as the returned guard.
fn demo(extra: &[&str], cols: u16, rows: u16) -> (Pty, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let mut args = vec!["--demo", "--tab", "docker", "--log-file", log.as_str()];
    args.extend_from_slice(extra);
    // No DOCKER_HOST leak from the caller: the demo must bring its own.
    let pty = Pty::spawn(&args, &[("DOCKER_HOST", ""), ("NO_COLOR", "")], cols, rows)
        .unwrap_or_else(|e| panic!("cannot start opsdeck: {e}"));
    (pty, dir)
}

fn ok<T>(r: Result<T, String>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// Waits for the Docker pane to list the demo's containers.
fn wait_for_list(pty: &Pty) {
    ok(pty.wait_for(DEMO_CONTAINER, START));
}

fn quits_cleanly(mut pty: Pty) {
    ok(pty.send("q"));
    let (status, took) = ok(pty.wait_exit(Duration::from_secs(1)));
    assert!(
        status.success(),
        "exit status {status:?}; screen:\n{}",
        framed(&pty.screen_text())
    );
    assert!(took <= Duration::from_secs(1), "quit took {took:?}");
    assert!(
        !pty.alternate_screen(),
        "the alternate screen was not left on exit"
    );
    assert!(
        !pty.with_screen(|s| s.hide_cursor()),
        "the cursor was left hidden on exit"
    );
}

#[test]
fn harness_types_reads_and_reports_the_screen_on_timeout() {
    let mut pty = ok(Pty::spawn_program(
        "sh",
        &["-c", "printf 'ready\\n'; read x; echo \"got [$x]\"; exit 3"],
        &[],
        40,
        10,
    ));
    ok(pty.wait_for("ready", STEP));
    let err = pty
        .wait_for("never printed", Duration::from_millis(100))
        .expect_err("text that never comes is a timeout");
    assert!(
        err.contains("never printed") && err.contains("|ready"),
        "{err}"
    );
    ok(pty.send("abc"));
    ok(pty.send_key(Key::Enter));
    ok(pty.wait_for("got [abc]", STEP));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert_eq!(status.exit_code(), 3);
    assert!(pty.bytes_received() >= "ready\r\n".len() as u64);
}

#[test]
fn harness_answers_cursor_position_queries() {
    // A program that asks where the cursor is and prints the answer.
    let script = "stty raw -echo; printf 'ab\\033[6n'; \
                  r=$(dd bs=1 count=6 2>/dev/null); stty sane; \
                  printf '\\n%s\\n' \"$r\" | tr -d '\\033'";
    let pty = ok(Pty::spawn_program("sh", &["-c", script], &[], 40, 10));
    ok(pty.wait_for("[1;3R", STEP));
}

#[test]
fn harness_sees_a_program_that_leaves_the_alternate_screen_on() {
    // What `quits_cleanly` guards against, so its check is known to bite.
    let mut pty = ok(Pty::spawn_program(
        "sh",
        &["-c", "printf '\\033[?1049h\\033[?25lstuck'"],
        &[],
        40,
        10,
    ));
    let (status, _) = ok(pty.wait_exit(STEP));
    assert!(status.success());
    assert!(pty.screen_text().contains("stuck"));
    assert!(pty.alternate_screen());
    assert!(pty.with_screen(|s| s.hide_cursor()));
}

#[test]
fn demo_shows_tabs_and_containers_at_80x24_and_200x50() {
    for (cols, rows) in [(80, 24), (200, 50)] {
        let (pty, _dir) = demo(&[], cols, rows);
        wait_for_list(&pty);
        let screen = pty.screen_text();
        for tab in ["1 Overview", "2 Actions", "3 Kubernetes", "4 Docker"] {
            assert!(
                screen.contains(tab),
                "{cols}x{rows}: no tab {tab:?}:\n{}",
                framed(&screen)
            );
        }
        assert!(
            screen.contains("shop") && screen.contains("containers"),
            "{cols}x{rows}: no compose group or pane title:\n{}",
            framed(&screen)
        );
        assert!(pty.alternate_screen(), "a TUI runs on the alternate screen");
        quits_cleanly(pty);
    }
}

#[test]
fn help_lists_the_keys_and_closes_again() {
    let (pty, _dir) = demo(&[], 80, 24);
    wait_for_list(&pty);
    ok(pty.send("?"));
    ok(pty.wait_for("quit", STEP));
    ok(pty.wait_for("toggle this help", STEP));
    ok(pty.send_key(Key::Esc));
    ok(pty.wait_until("help closed", STEP, |s| {
        !s.contents().contains("toggle this help")
    }));
    assert!(pty.screen_text().contains(DEMO_CONTAINER));
    quits_cleanly(pty);
}

#[test]
fn logs_open_on_l_show_lines_and_esc_returns_to_the_list() {
    for (cols, rows) in [(80, 24), (200, 50)] {
        let (pty, _dir) = demo(&[], cols, rows);
        wait_for_list(&pty);
        ok(pty.send("/"));
        ok(pty.send(DEMO_CONTAINER));
        ok(pty.send_key(Key::Enter));
        ok(pty.wait_until("the filter applied", STEP, |s| {
            s.contents()
                .contains(&format!("filter \"{DEMO_CONTAINER}\""))
        }));
        ok(pty.send("l"));
        ok(pty.wait_for("Logs:", STEP));
        // The demo's web container writes nginx access lines.
        ok(pty.wait_for("HTTP/1.1", STEP));
        ok(pty.send_key(Key::Esc));
        ok(pty.wait_until("back on the list", STEP, |s| {
            let text = s.contents();
            !text.contains("Logs:") && text.contains(DEMO_CONTAINER)
        }));
        quits_cleanly(pty);
    }
}

#[test]
fn ascii_mode_draws_only_ascii_and_the_default_does_not() {
    for (cols, rows) in [(80, 24), (200, 50)] {
        let (pty, _dir) = demo(&["--ascii"], cols, rows);
        wait_for_list(&pty);
        // Let the first stats arrive so every column has been drawn.
        std::thread::sleep(Duration::from_millis(1500));
        let screen = pty.screen_text();
        let odd: Vec<char> = screen.chars().filter(|c| !c.is_ascii()).collect();
        assert!(
            odd.is_empty(),
            "{cols}x{rows}: non-ASCII {odd:?} with --ascii:\n{}",
            framed(&screen)
        );
        quits_cleanly(pty);
    }
    // The check above can fail: the default look does draw box characters.
    let (pty, _dir) = demo(&[], 80, 24);
    wait_for_list(&pty);
    assert!(
        !pty.screen_text().is_ascii(),
        "expected box drawing without --ascii"
    );
    quits_cleanly(pty);
}

#[test]
fn redraws_at_20x5_says_too_small_below_and_recovers() {
    let (mut pty, _dir) = demo(&[], 80, 24);
    wait_for_list(&pty);
    // The smallest usable size: the status bar moves to the new last row.
    ok(pty.resize(20, 5));
    ok(pty.wait_until("the status bar on row 5 of 5", STEP, |s| {
        s.contents()
            .lines()
            .nth(4)
            .is_some_and(|l| l.contains("GitHub"))
    }));
    ok(pty.resize(12, 3));
    ok(pty.wait_until("the too-small notice", STEP, |s| {
        s.contents().starts_with("opsdeck:")
    }));
    assert!(pty.try_exit().is_none(), "opsdeck exited on a tiny window");
    ok(pty.resize(80, 24));
    wait_for_list(&pty);
    quits_cleanly(pty);
}

#[test]
fn malformed_config_exits_non_zero_naming_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[ui]\ntheme = \"dark\"\nascii = yes\n").expect("write config");
    let out = Command::new(support::pty::opsdeck_bin())
        .arg("--config")
        .arg(&path)
        .env("DOCKER_HOST", "unix:///nonexistent/opsdeck-e2e.sock")
        .output()
        .expect("run opsdeck");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "exit status {:?}", out.status);
    assert!(
        stderr.contains("broken.toml") && stderr.contains("line 3") && stderr.contains("column 9"),
        "stderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    // It never got as far as the terminal: nothing drawn on stdout.
    assert!(out.stdout.is_empty(), "stdout: {:?}", out.stdout);
}

#[test]
fn a_panic_restores_the_terminal_then_prints_where_the_log_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--log-file", log.as_str()];
    let env = [
        ("DOCKER_HOST", ""),
        ("OPSDECK_DEBUG_PANIC", "1"),
        ("RUST_BACKTRACE", "0"),
    ];
    let mut pty = ok(Pty::spawn(&args, &env, 100, 30));
    let (status, _) = ok(pty.wait_exit(START));
    assert!(!status.success(), "a panic must not exit 0");
    assert!(!pty.alternate_screen(), "the alternate screen was not left");
    assert!(
        !pty.with_screen(|s| s.hide_cursor()),
        "the cursor was left hidden"
    );
    let screen = pty.screen_text();
    assert!(
        screen.contains("panic requested by OPSDECK_DEBUG_PANIC"),
        "{}",
        framed(&screen)
    );
    assert!(
        screen.contains("opsdeck crashed; details are in"),
        "{}",
        framed(&screen)
    );
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        logged.contains("opsdeck panicked"),
        "the panic is in the log file: {logged}"
    );
}

#[test]
fn starts_on_the_overview_and_enter_jumps_to_the_broken_container() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--log-file", log.as_str()];
    let pty = ok(Pty::spawn(&args, &[("DOCKER_HOST", "")], 120, 30));
    // The demo's ml-train container was OOM-killed before opsdeck started.
    ok(pty.wait_for("container ml-train", START));
    ok(pty.wait_for("OOMKilled", STEP));
    // Select it (rows are newest first, so find it by moving down), then Enter.
    for _ in 0..20 {
        let on_it = pty
            .screen_text()
            .lines()
            .any(|l| l.contains("ml-train") && l.contains("OOM"));
        if on_it {
            break;
        }
        ok(pty.send("j"));
    }
    ok(pty.send(":"));
    ok(pty.wait_for("Go to (", STEP));
    ok(pty.send("container ml-train"));
    ok(pty.send_key(Key::Enter));
    // The Docker pane's title (the Overview's has a sort too).
    ok(pty.wait_for("containers", STEP));
    ok(pty.wait_for("exited (137, OOM)", STEP));
}

#[test]
fn starts_on_the_overview_and_enter_jumps_to_the_item_in_its_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--log-file", log.as_str()];
    let pty = ok(Pty::spawn(&args, &[("DOCKER_HOST", "")], 120, 30));
    // The demo's ml-train container was OOM-killed before opsdeck started.
    ok(pty.wait_for("container ml-train", START));
    ok(pty.wait_for("OOMKilled", STEP));
    ok(pty.send_key(Key::Enter));
    // Lands in the item's own pane (Docker or Actions, whichever is newest).
    ok(pty.wait_until("a pane with the item", STEP, |s| {
        let text = s.contents();
        // The Overview's own title shows a sort too, and `Overview:`.
        (text.contains("sort:") && !text.contains("Overview:")) || text.contains("Runs")
    }));
}

/// Screen row of the Overview's highlighted (selected) line, if any: the
/// selection is drawn with a background colour, the other rows without.
fn selected_row(pty: &Pty) -> Option<u16> {
    pty.with_screen(|s| {
        let (rows, _) = s.size();
        (3..rows.get().saturating_sub(1)).find(|&r| {
            s.cell(r, 4)
                .is_some_and(|c| c.bgcolor() != vt100::Color::Default)
        })
    })
}

fn row_of(pty: &Pty, needle: &[&str]) -> Option<u16> {
    let text = pty.screen_text();
    text.lines()
        .position(|l| needle.iter().all(|n| l.contains(n)))
        .map(|i| i as u16)
}

#[test]
fn a_crash_looping_pod_in_the_overview_opens_its_previous_log_on_l() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("opsdeck.log");
    let log = log.to_string_lossy().into_owned();
    let args = ["--demo", "--log-file", log.as_str()];
    let pty = ok(Pty::spawn(&args, &[("DOCKER_HOST", "")], 140, 40));
    let target = ["pod shop/cart", "CrashLoopBackOff"];
    // The demo's cart pods crash every few seconds; try a few crashes, as
    // the row moves while the list changes.
    for _attempt in 0..4 {
        ok(
            pty.wait_until("a crash-looping cart pod in the Overview", START, |s| {
                s.contents()
                    .lines()
                    .any(|l| target.iter().all(|n| l.contains(n)))
            }),
        );
        for _ in 0..40 {
            match (row_of(&pty, &target), selected_row(&pty)) {
                (Some(want), Some(have)) if want == have => break,
                (Some(want), Some(have)) if want > have => ok(pty.send("j")),
                (Some(_), Some(_)) => ok(pty.send("k")),
                _ => ok(pty.send("j")),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if row_of(&pty, &target) != selected_row(&pty) {
            continue;
        }
        ok(pty.send("l"));
        if pty
            .wait_for("panic: runtime error", Duration::from_secs(8))
            .is_ok()
        {
            ok(pty.wait_for("Logs:", STEP));
            return;
        }
        // The pod restarted between the look and the key: back and retry.
        ok(pty.send_key(Key::Esc));
        std::thread::sleep(Duration::from_millis(400));
        ok(pty.send("1"));
    }
    panic!(
        "never saw the previous log of a crash-looping pod:\n{}",
        framed(&pty.screen_text())
    );
}

/// Run names reach the terminal as OSC 8 links (each cell a whole link),
/// and the screen shows only the text: no sequence leaks as characters and
/// the columns stay where they were.
#[test]
fn actions_run_titles_are_osc8_links_that_leave_the_text_unchanged() {
    let (pty, _dir) = demo(&[], 120, 30);
    wait_for_list(&pty);
    ok(pty.send("2"));
    ok(pty.wait_for("TITLE", START));
    ok(pty.wait_quiet(Duration::from_millis(300), START));
    let raw = String::from_utf8_lossy(&pty.recent_output(1 << 20)).into_owned();
    assert!(
        raw.contains("\u{1b}]8;id=od") && raw.contains("/actions/runs/"),
        "no OSC 8 link to a run was written"
    );
    let screen = pty.screen_text();
    assert!(!screen.contains("8;id="), "{}", framed(&screen));
    // The right border is still in the last column on every list row.
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with('│')).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(row.chars().count(), 120, "a row shifted: {row:?}");
    }
    quits_cleanly(pty);
}
