//! Follow/pause, anchoring, paging, wrap, cursor, save.

use super::*;

fn numbered(n: usize, cap: usize) -> LogBuffer {
    let mut log = LogBuffer::new(cap);
    for i in 0..n {
        log.push_bytes(LineSource::stdout(), format!("line {i}\n").as_bytes());
    }
    log
}

fn push(log: &mut LogBuffer, text: &str) {
    log.push_bytes(LineSource::stdout(), format!("{text}\n").as_bytes());
}

#[test]
fn follow_shows_the_newest_lines() {
    let mut log = numbered(10, 100);
    let mut st = LogViewState::new();
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 7", "line 8", "line 9"]
    );
    push(&mut log, "line 10");
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 8", "line 9", "line 10"]
    );
    assert!(st.is_following());
}

#[test]
fn scrolling_up_pauses_and_new_lines_do_not_move_the_view() {
    let mut log = numbered(10, 100);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 20, 3);
    st.scroll_up(&log, 2);
    assert!(!st.is_following());
    let before = rows(&draw(&log, &mut st, 20, 3));
    assert_eq!(before, ["line 5", "line 6", "line 7"]);
    for i in 10..50 {
        push(&mut log, &format!("line {i}"));
    }
    assert_eq!(rows(&draw(&log, &mut st, 20, 3)), before);
    st.bottom();
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 47", "line 48", "line 49"]
    );
}

#[test]
fn paused_view_accounts_for_dropped_lines() {
    let mut log = numbered(10, 10);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 20, 3);
    st.scroll_up(&log, 4);
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 3", "line 4", "line 5"]
    );
    // Two lines dropped from the front: lines 3.. are still there, so the
    // view stays on them.
    push(&mut log, "line 10");
    push(&mut log, "line 11");
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 3", "line 4", "line 5"]
    );
    // Once the top line itself is dropped, the view holds the oldest line.
    for i in 12..16 {
        push(&mut log, &format!("line {i}"));
    }
    assert_eq!(log.first_seq(), 6);
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["line 6", "line 7", "line 8"]
    );
    assert!(!st.is_following());
}

#[test]
fn top_paging_and_scrolling_back_to_follow() {
    let log = numbered(20, 100);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 20, 4);
    st.top(&log);
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 4)),
        ["line 0", "line 1", "line 2", "line 3"]
    );
    st.page_down(&log);
    assert_eq!(rows(&draw(&log, &mut st, 20, 4))[0], "line 4");
    st.scroll_down(&log, 3);
    assert_eq!(rows(&draw(&log, &mut st, 20, 4))[0], "line 7");
    st.page_up(&log);
    assert_eq!(rows(&draw(&log, &mut st, 20, 4))[0], "line 3");
    st.scroll_up(&log, 100);
    assert_eq!(rows(&draw(&log, &mut st, 20, 4))[0], "line 0");
    st.scroll_down(&log, 100);
    assert!(st.is_following(), "reaching the end resumes following");
    assert_eq!(rows(&draw(&log, &mut st, 20, 4))[3], "line 19");
}

#[test]
fn wrap_splits_long_lines_and_scrolls_by_rows() {
    let log = log_of(&["short", "abcdefghijklmnopqrstuvwxyz", "end"]);
    let mut st = LogViewState::new();
    assert_eq!(
        rows(&draw(&log, &mut st, 10, 3)),
        ["short", "abcdefghij", "end"]
    );
    st.toggle_wrap();
    assert_eq!(
        rows(&draw(&log, &mut st, 10, 3)),
        ["klmnopqrst", "uvwxyz", "end"]
    );
    st.scroll_up(&log, 1);
    assert_eq!(
        rows(&draw(&log, &mut st, 10, 3)),
        ["abcdefghij", "klmnopqrst", "uvwxyz"]
    );
    st.scroll_up(&log, 1);
    assert_eq!(rows(&draw(&log, &mut st, 10, 3))[0], "short");
}

#[test]
fn wrap_moves_wide_chars_to_the_next_row() {
    let log = log_of(&["ab日本語"]);
    let mut st = LogViewState::new();
    st.set_wrap(true);
    assert_eq!(rows(&draw(&log, &mut st, 5, 3)), ["ab日", "本語", ""]);
}

#[test]
fn cursor_moves_and_scrolls() {
    let log = numbered(10, 100);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 20, 3);
    st.top(&log);
    st.cursor_down(&log, 4);
    assert_eq!(st.cursor(), Some(4));
    let buf = draw(&log, &mut st, 20, 3);
    assert_eq!(rows(&buf), ["line 2", "line 3", "line 4"]);
    let reversed = ratatui::style::Modifier::REVERSED;
    assert!(buf[(0, 2)].modifier.contains(reversed));
    assert!(buf[(19, 2)].modifier.contains(reversed));
    assert!(!buf[(0, 1)].modifier.contains(reversed));
    st.cursor_up(&log, 3);
    assert_eq!(rows(&draw(&log, &mut st, 20, 3))[0], "line 1");
    st.bottom();
    assert_eq!(st.cursor(), None);
}

#[test]
fn save_to_writes_text_with_shown_timestamps() {
    let mut log = LogBuffer::new(10).with_timestamps(true);
    log.push_bytes(
        LineSource::stdout(),
        b"2024-01-01T00:00:00Z \x1b[31mred\x1b[0m\n2024-01-01T00:00:01Z tab\there\n",
    );
    log.push_bytes(LineSource::stderr(), b"no ts \x1b]0;x\x07here");
    log.flush();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.log");
    let mut st = LogViewState::new();
    assert_eq!(st.save_to(&log, &path).ok(), Some(3));
    let text = std::fs::read_to_string(&path).expect("read back");
    assert_eq!(text, "red\ntab     here\nno ts here\n");
    st.toggle_timestamps();
    assert_eq!(st.save_to(&log, &path).ok(), Some(3));
    let text = std::fs::read_to_string(&path).expect("read back");
    assert_eq!(
        text,
        "2024-01-01T00:00:00Z red\n2024-01-01T00:00:01Z tab     here\nno ts here\n"
    );
    let bad = dir.path().join("missing-dir").join("x.log");
    assert!(st.save_to(&log, &bad).is_err());
}

#[test]
fn reset_returns_to_following() {
    let log = numbered(10, 100);
    let mut st = LogViewState::new();
    st.set_wrap(true);
    st.scroll_up(&log, 3);
    st.set_query(&log, "line");
    st.reset();
    assert!(st.is_following() && st.wrap() && st.query().is_empty());
}

#[test]
fn resizing_while_paused_keeps_the_top_line() {
    let long = "x".repeat(95);
    let mut lines: Vec<&str> = vec!["a", "b"];
    lines.push(&long);
    lines.extend(["c"; 30]);
    let log = log_of(&lines);
    let mut st = LogViewState::new();
    st.set_wrap(true);
    let _ = draw(&log, &mut st, 10, 4);
    st.top(&log);
    st.scroll_down(&log, 9);
    assert_eq!(
        rows(&draw(&log, &mut st, 10, 4))[0],
        "xxxxxxxxxx",
        "row 7 of the long line"
    );
    // Wider: the long line has fewer rows now; the view stays on it.
    let wide = rows(&draw(&log, &mut st, 40, 4));
    assert!(wide[0].starts_with('x'), "{wide:?}");
    assert_eq!(wide[1], "c");
}

#[test]
fn folding_while_following_pauses_at_a_visible_cursor() {
    let mut log = LogBuffer::new(100).with_format(super::super::LogFormat::GitHubActions);
    log.push_bytes(
        LineSource::stdout(),
        b"##[group]g\none\ntwo\n##[endgroup]\n",
    );
    let mut st = LogViewState::new();
    assert_eq!(rows(&draw(&log, &mut st, 20, 3)), ["▸ g", "", ""]);
    assert!(st.toggle_fold_at_cursor(&log));
    // Space acts at a cursor one can see: the view pauses with it on the
    // group it unfolded.
    let buf = draw(&log, &mut st, 20, 3);
    assert_eq!(rows(&buf), ["▾ g", "  one", "  two"]);
    assert!(!st.is_following());
    assert_eq!(st.cursor(), Some(0));
    assert!(
        buf[(5, 0)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    );
}
