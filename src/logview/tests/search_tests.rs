//! Search: counts, n/N, highlighting, incremental upkeep.

use super::super::{MatchPos, SearchStatus};
use super::*;

fn status(st: &mut LogViewState, log: &LogBuffer) -> (Option<u64>, u64) {
    let SearchStatus { current, total } = st.search_status(log);
    (current, total)
}

#[test]
fn counts_case_insensitive_substrings() {
    let log = log_of(&[
        "Error one",
        "nothing",
        "error ERROR",
        "\x1b[31mErr\x1b[0mor coloured",
    ]);
    let mut st = LogViewState::new();
    assert_eq!(
        st.set_query(&log, "error"),
        4,
        "SGR codes are not part of the text"
    );
    assert_eq!(status(&mut st, &log), (None, 4));
    assert_eq!(st.set_query(&log, "zzz"), 0);
    assert!(!st.next_match(&log));
    assert_eq!(st.set_query(&log, ""), 0);
}

#[test]
fn unicode_queries_fold_case() {
    let log = log_of(&["Ärger über GRÜN", "grün", "plain"]);
    let mut st = LogViewState::new();
    assert_eq!(st.set_query(&log, "grün"), 2);
    assert_eq!(st.set_query(&log, "äRGER"), 1);
}

#[test]
fn next_and_prev_walk_all_matches_and_wrap() {
    let mut lines: Vec<String> = (0..100).map(|i| format!("line {i}")).collect();
    lines[10] = "hit hit".into();
    lines[50] = "a hit".into();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = log_of(&refs);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 40, 10);
    st.top(&log);
    st.set_query(&log, "hit");
    let mut seen = Vec::new();
    for _ in 0..4 {
        assert!(st.next_match(&log));
        seen.push((st.current_match(), status(&mut st, &log).0));
    }
    let m = |seq, nth| Some(MatchPos { seq, nth });
    assert_eq!(
        seen,
        [
            (m(10, 0), Some(1)),
            (m(10, 1), Some(2)),
            (m(50, 0), Some(3)),
            (m(10, 0), Some(1))
        ]
    );
    assert!(st.prev_match(&log));
    assert_eq!(st.current_match(), m(50, 0));
    assert!(st.prev_match(&log));
    assert_eq!(st.current_match(), m(10, 1));
    assert!(!st.is_following());
    assert_eq!(st.cursor(), Some(10));
}

#[test]
fn jumping_scrolls_the_match_into_view() {
    let mut lines: Vec<String> = (0..1000).map(|i| format!("line {i}")).collect();
    lines[500] = "needle here".into();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = log_of(&refs);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 30, 9);
    st.set_query(&log, "needle");
    assert!(st.next_match(&log), "wraps to the match from the bottom");
    let shown = rows(&draw(&log, &mut st, 30, 9));
    assert_eq!(
        shown[3], "needle here",
        "match placed a third down: {shown:?}"
    );
}

#[test]
fn matches_are_highlighted_in_the_buffer() {
    let log = log_of(&["foo bar foo", "bar"]);
    let mut st = LogViewState::new();
    st.set_query(&log, "FOO");
    let styles = LogStyles::default();
    let buf = draw(&log, &mut st, 20, 2);
    assert_eq!(buf[(0, 0)].bg, styles.search_match.bg.unwrap_or_default());
    assert_eq!(buf[(2, 0)].bg, styles.search_match.bg.unwrap_or_default());
    assert_eq!(buf[(3, 0)].bg, ratatui::style::Color::Reset);
    assert_eq!(buf[(8, 0)].bg, styles.search_match.bg.unwrap_or_default());
    st.next_match(&log);
    st.next_match(&log);
    let buf = draw(&log, &mut st, 20, 2);
    // The cursor line is reversed on top; compare the patched colours.
    assert_eq!(buf[(8, 0)].bg, styles.current_match.bg.unwrap_or_default());
    assert_eq!(buf[(0, 0)].bg, styles.search_match.bg.unwrap_or_default());
}

#[test]
fn new_lines_are_counted_incrementally() {
    let mut log = log_of(&["match 1"]);
    let mut st = LogViewState::new();
    st.set_query(&log, "match");
    log.push_bytes(LineSource::stdout(), b"match 2\nno\nmatch 3 match 4\n");
    assert_eq!(status(&mut st, &log), (None, 4));
}

#[test]
fn dropped_lines_leave_the_count() {
    let mut log = LogBuffer::new(3);
    for i in 0..3 {
        log.push_bytes(LineSource::stdout(), format!("x{i}\n").as_bytes());
    }
    let mut st = LogViewState::new();
    st.set_query(&log, "x");
    assert!(st.next_match(&log));
    assert_eq!(st.current_match().map(|m| m.seq), Some(0));
    log.push_bytes(LineSource::stdout(), b"y\ny\n");
    assert_eq!(
        status(&mut st, &log),
        (None, 1),
        "current match was dropped"
    );
    assert!(st.next_match(&log));
    assert_eq!(status(&mut st, &log), (Some(1), 1));
}

#[test]
fn narrowing_a_query_keeps_results_right() {
    let log = log_of(&["abc", "abd", "xab", "abcabc"]);
    let mut st = LogViewState::new();
    assert_eq!(st.set_query(&log, "ab"), 5);
    assert_eq!(st.set_query(&log, "abc"), 3);
    assert_eq!(st.set_query(&log, "abcz"), 0);
    assert_eq!(st.set_query(&log, "b"), 5, "widening rescans");
}

#[test]
fn search_with_wrap_reaches_match_deep_in_a_long_line() {
    let long = format!("{}NEEDLE{}", "a".repeat(500), "b".repeat(500));
    let mut lines = vec!["first".to_owned(), long];
    lines.extend((0..50).map(|i| format!("tail {i}")));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = log_of(&refs);
    let mut st = LogViewState::new();
    st.set_wrap(true);
    let _ = draw(&log, &mut st, 20, 6);
    st.set_query(&log, "needle");
    assert!(st.next_match(&log));
    let shown = rows(&draw(&log, &mut st, 20, 6));
    assert!(shown.iter().any(|r| r.contains("NEEDLE")), "{shown:?}");
}

#[test]
fn search_without_wrap_scrolls_horizontally() {
    let long = format!("{}NEEDLE", "a".repeat(300));
    let log = log_of(&[&long]);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 30, 3);
    st.set_query(&log, "needle");
    assert!(st.next_match(&log));
    assert!(st.h_offset() > 0);
    let shown = rows(&draw(&log, &mut st, 30, 3));
    assert!(shown[0].contains("NEEDLE"), "{shown:?}");
    st.scroll_left(usize::MAX);
    assert_eq!(st.h_offset(), 0);
}
