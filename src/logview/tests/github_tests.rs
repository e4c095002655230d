//! GitHub Actions markers and group folding.

use super::super::{LineKind, LogFormat};
use super::*;

const JOB: &str = "\u{feff}2024-01-01T00:00:00.0000000Z ##[group]Run actions/checkout@v4\n\
2024-01-01T00:00:01.0000000Z with: repository\n\
2024-01-01T00:00:02.0000000Z ##[endgroup]\n\
2024-01-01T00:00:03.0000000Z ##[group]Run cargo test\n\
2024-01-01T00:00:04.0000000Z ##[command]cargo test --all\n\
2024-01-01T00:00:05.0000000Z test a ... ok\n\
2024-01-01T00:00:06.0000000Z ##[error]Process completed with exit code 101.\n\
2024-01-01T00:00:07.0000000Z ##[endgroup]\n\
2024-01-01T00:00:08.0000000Z ##[warning]Node 16 is deprecated\n\
2024-01-01T00:00:09.0000000Z ##[notice]cleanup\n\
2024-01-01T00:00:10.0000000Z ##[debug]internal\n\
2024-01-01T00:00:11.0000000Z ##[endgroup]\n\
2024-01-01T00:00:12.0000000Z ##[unknown]kept as is\n";

fn job_log() -> LogBuffer {
    let mut log = LogBuffer::new(1000)
        .with_timestamps(true)
        .with_format(LogFormat::GitHubActions);
    log.push_bytes(LineSource::stdout(), JOB.as_bytes());
    log
}

#[test]
fn markers_recognised_and_stripped() {
    let log = job_log();
    let got: Vec<_> = log
        .iter()
        .map(|(_, l)| (l.kind(), l.text().to_owned()))
        .collect();
    let k = |k: LineKind, t: &str| (k, t.to_owned());
    assert_eq!(
        got,
        [
            k(LineKind::GroupStart, "Run actions/checkout@v4"),
            k(LineKind::Normal, "with: repository"),
            k(LineKind::GroupEnd, ""),
            k(LineKind::GroupStart, "Run cargo test"),
            k(LineKind::Command, "cargo test --all"),
            k(LineKind::Normal, "test a ... ok"),
            k(LineKind::Error, "Process completed with exit code 101."),
            k(LineKind::GroupEnd, ""),
            k(LineKind::Warning, "Node 16 is deprecated"),
            k(LineKind::Notice, "cleanup"),
            k(LineKind::Debug, "internal"),
            // An endgroup with no open group is just an empty line.
            k(LineKind::Normal, ""),
            k(LineKind::Normal, "##[unknown]kept as is"),
        ]
    );
}

#[test]
fn plain_format_ignores_markers() {
    let log = log_of(&["##[error]x"]);
    assert_eq!(
        log.get(0).map(|l| (l.kind(), l.text())),
        Some((LineKind::Normal, "##[error]x"))
    );
}

#[test]
fn groups_folded_by_default_and_toggle() {
    let log = job_log();
    let mut st = LogViewState::new();
    st.top(&log);
    let folded = rows(&draw(&log, &mut st, 60, 8));
    assert_eq!(
        folded,
        [
            "▸ Run actions/checkout@v4",
            "▸ Run cargo test",
            "  Warning: Node 16 is deprecated",
            "  Notice: cleanup",
            "  internal",
            "",
            "  ##[unknown]kept as is",
            "",
        ]
    );
    st.cursor_down(&log, 1);
    assert_eq!(st.cursor(), Some(3));
    assert!(st.toggle_fold_at_cursor(&log));
    let open = rows(&draw(&log, &mut st, 60, 8));
    assert_eq!(
        &open[..5],
        [
            "▸ Run actions/checkout@v4",
            "▾ Run cargo test",
            "  cargo test --all",
            "  test a ... ok",
            "  Error: Process completed with exit code 101.",
        ]
    );
    assert_eq!(
        open[5], "  Warning: Node 16 is deprecated",
        "endgroup line hidden"
    );
    // Folding again from a line inside the group goes back to its header.
    st.cursor_down(&log, 2);
    assert_eq!(st.cursor(), Some(5));
    assert!(st.toggle_fold_at_cursor(&log));
    assert_eq!(st.cursor(), Some(3));
    assert_eq!(rows(&draw(&log, &mut st, 60, 8)), folded);
}

#[test]
fn ascii_fold_markers() {
    let log = job_log();
    let mut st = LogViewState::new();
    st.top(&log);
    st.expand_all(&log);
    st.collapse_all();
    st.toggle_fold_at_cursor(&log);
    let styles = LogStyles {
        ascii: true,
        ..LogStyles::default()
    };
    let got = rows(&draw_with(&log, &mut st, 40, 3, &styles));
    assert_eq!(
        got,
        [
            "v Run actions/checkout@v4",
            "  with: repository",
            "> Run cargo test"
        ]
    );
}

#[test]
fn first_error_unfolds_its_group() {
    let log = job_log();
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 60, 5);
    assert!(st.first_error(&log));
    assert_eq!(st.cursor(), Some(6));
    assert!(!st.is_folded(&log, 3));
    let buf = draw(&log, &mut st, 60, 5);
    let shown = rows(&buf);
    let row = shown
        .iter()
        .position(|r| r.contains("Error: Process completed"));
    let y = row.and_then(|r| u16::try_from(r).ok());
    assert!(y.is_some(), "{shown:?}");
    let style = LogStyles::default();
    let label_cell = y.map(|y| buf[(2, y)].fg);
    assert_eq!(
        label_cell, style.error.fg,
        "error line drawn in the error style"
    );
}

#[test]
fn search_finds_lines_in_folded_groups() {
    let log = job_log();
    let mut st = LogViewState::new();
    st.top(&log);
    assert_eq!(st.set_query(&log, "TEST A"), 1);
    assert!(st.is_folded(&log, 3));
    assert!(st.next_match(&log));
    assert!(!st.is_folded(&log, 3));
    let shown = rows(&draw(&log, &mut st, 60, 8));
    assert!(shown.iter().any(|r| r == "  test a ... ok"), "{shown:?}");
}

#[test]
fn no_error_line_means_no_jump() {
    let log = log_of(&["fine"]);
    let mut st = LogViewState::new();
    assert!(!st.first_error(&log));
    assert!(st.is_following());
    assert!(!st.toggle_fold_at_cursor(&log));
}

#[test]
fn open_group_hides_lines_as_they_arrive() {
    let mut log = LogBuffer::new(100).with_format(LogFormat::GitHubActions);
    log.push_bytes(LineSource::stdout(), b"before\n##[group]Live step\n");
    for i in 0..5 {
        log.push_bytes(LineSource::stdout(), format!("step line {i}\n").as_bytes());
    }
    let mut st = LogViewState::new();
    assert_eq!(
        rows(&draw(&log, &mut st, 30, 3)),
        ["  before", "▸ Live step", ""]
    );
    log.push_bytes(LineSource::stdout(), b"##[endgroup]\nafter\n");
    assert_eq!(
        rows(&draw(&log, &mut st, 30, 3)),
        ["  before", "▸ Live step", "  after"]
    );
}

#[test]
fn a_group_closes_the_previous_open_group() {
    let mut log = LogBuffer::new(100).with_format(LogFormat::GitHubActions);
    log.push_bytes(LineSource::stdout(), b"##[group]one\na\n##[group]two\nb\n");
    let mut st = LogViewState::new();
    assert_eq!(rows(&draw(&log, &mut st, 20, 3)), ["▸ one", "▸ two", ""]);
}

#[test]
fn save_writes_markers_back() {
    let log = job_log();
    let st = LogViewState::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("job.log");
    let n = st.save_to(&log, &path).ok();
    assert_eq!(n, Some(13));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "##[group]Run actions/checkout@v4");
    assert_eq!(lines[6], "##[error]Process completed with exit code 101.");
    assert_eq!(lines.len(), 13);
}
