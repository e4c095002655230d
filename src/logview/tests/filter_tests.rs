//! Filter mode (`&`): only matching lines, `-C N` context, `-v`/`!`
//! inverse; and the cursor line a paused view always shows.

use super::super::{FilterSpec, LogFormat};
use super::*;
use ratatui::style::Modifier;

fn spec(text: &str) -> FilterSpec {
    FilterSpec::parse(text)
}

fn numbered(n: usize) -> LogBuffer {
    let mut log = LogBuffer::new(300_000);
    for i in 0..n {
        let word = if i % 10 == 3 { "ERROR" } else { "ok" };
        log.push_bytes(LineSource::stdout(), format!("{i} {word}\n").as_bytes());
    }
    log
}

#[test]
fn the_prompt_reads_like_grep_and_less() {
    let f = |q: &str, invert, context| FilterSpec {
        query: q.into(),
        invert,
        context,
    };
    assert_eq!(spec("error"), f("error", false, 0));
    assert_eq!(spec("-C 3 error"), f("error", false, 3));
    assert_eq!(spec("-C3 error"), f("error", false, 3));
    assert_eq!(spec("-v error"), f("error", true, 0));
    assert_eq!(spec("-vC 2 GET /health"), f("GET /health", true, 2));
    assert_eq!(spec("!health"), f("health", true, 0));
    assert_eq!(spec("-C 1 !health"), f("health", true, 1));
    assert_eq!(spec("-- -v"), f("-v", false, 0));
    // Not an option: the words are the pattern.
    assert_eq!(spec("-Xmx512m"), f("-Xmx512m", false, 0));
    // Still typing the option: no filter yet rather than a flash of `-C`.
    assert_eq!(spec("-C"), f("", false, 0));
    assert_eq!(spec("-C "), f("", false, 0));
    assert_eq!(spec("-"), f("", false, 0));
    for s in ["-C 2 error", "!x", "-C 1 !y", "plain"] {
        assert_eq!(spec(&spec(s).to_prompt()), spec(s), "{s}");
    }
}

#[test]
fn only_matching_lines_are_shown() {
    let log = numbered(40);
    let mut st = LogViewState::new();
    assert_eq!(st.set_filter(&log, spec("error")), 4);
    let buf = draw(&log, &mut st, 20, 5);
    assert_eq!(
        rows(&buf),
        ["3 ERROR", "13 ERROR", "23 ERROR", "33 ERROR", ""]
    );
    // What matched is highlighted, as the search would.
    let hl = LogStyles::default().search_match.bg.unwrap_or_default();
    assert_eq!(buf[(3, 3)].bg, hl);
    assert_ne!(buf[(1, 3)].bg, hl);
    st.clear_filter();
    assert_eq!(rows(&draw(&log, &mut st, 20, 2)), ["38 ok", "39 ok"]);
}

#[test]
fn context_lines_surround_each_match_and_are_dimmed() {
    let log = numbered(30);
    let mut st = LogViewState::new();
    st.set_filter(&log, spec("-C 1 error"));
    st.top(&log);
    let buf = draw(&log, &mut st, 20, 9);
    assert_eq!(
        rows(&buf),
        [
            "2 ok", "3 ERROR", "4 ok", "12 ok", "13 ERROR", "14 ok", "22 ok", "23 ERROR", "24 ok"
        ]
    );
    let marker = LogStyles::default().marker.fg.unwrap_or_default();
    assert_eq!(buf[(0, 0)].fg, marker, "a context line is dimmed");
    assert_ne!(buf[(0, 1)].fg, marker, "a matching line is not");
}

#[test]
fn the_inverse_filter_hides_matching_lines() {
    let log = numbered(8);
    let mut st = LogViewState::new();
    assert_eq!(st.set_filter(&log, spec("!error")), 7);
    st.top(&log);
    let shown = rows(&draw(&log, &mut st, 20, 7));
    assert!(shown.iter().all(|r| !r.contains("ERROR")), "{shown:?}");
    assert_eq!(shown.len(), 7);
    assert_eq!(st.set_filter(&log, spec("-v error")), 7);
}

#[test]
fn lines_arriving_later_are_filtered_as_they_come() {
    let mut log = numbered(10);
    let mut st = LogViewState::new();
    st.set_filter(&log, spec("error"));
    assert_eq!(rows(&draw(&log, &mut st, 20, 2)), ["3 ERROR", ""]);
    log.push_bytes(LineSource::stdout(), b"late ok\nlate ERROR\n");
    assert_eq!(rows(&draw(&log, &mut st, 20, 2)), ["3 ERROR", "late ERROR"]);
    assert_eq!(st.filter_count(&log), 2);
}

#[test]
fn paging_through_a_filtered_200k_line_log_skips_hidden_lines_at_once() {
    // One match per 10,000 lines: moving from one to the next must not
    // walk the 9,999 hidden lines between (Nav costs rows moved over).
    let mut log = LogBuffer::new(300_000);
    let mut text = String::new();
    for i in 0..200_000 {
        if i % 10_000 == 5 {
            text.push_str(&format!("needle {i}\n"));
        } else {
            text.push_str("hay\n");
        }
    }
    log.push_bytes(LineSource::stdout(), text.as_bytes());
    let mut st = LogViewState::new();
    assert_eq!(st.set_filter(&log, spec("needle")), 20);
    st.top(&log);
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["needle 5", "needle 10005", "needle 20005"]
    );
    st.page_down(&log);
    assert_eq!(rows(&draw(&log, &mut st, 20, 3))[0], "needle 30005");
    st.bottom();
    assert_eq!(rows(&draw(&log, &mut st, 20, 1)), ["needle 190005"]);
}

#[test]
fn search_steps_over_matches_the_filter_hides() {
    let log = log_of(&["a x", "b", "c x", "d x"]);
    let mut st = LogViewState::new();
    st.set_filter(&log, spec("!c"));
    st.set_query(&log, "x");
    st.top(&log);
    assert!(st.next_match(&log));
    assert!(st.next_match(&log));
    // "c x" is filtered out: the second match shown is "d x".
    assert_eq!(st.cursor(), Some(3));
}

#[test]
fn a_filter_shows_matches_inside_folded_groups() {
    let mut log = LogBuffer::new(100).with_format(LogFormat::GitHubActions);
    log.push_bytes(
        LineSource::stdout(),
        b"##[group]build\nwarning: unused\nok\n##[endgroup]\ndone\n",
    );
    let mut st = LogViewState::new();
    st.set_filter(&log, spec("unused"));
    assert_eq!(rows(&draw(&log, &mut st, 30, 1)), ["  warning: unused"]);
    // Folds are set aside while filtering: Space has nothing to do.
    assert!(!st.toggle_fold_at_cursor(&log));
}

#[test]
fn a_paused_view_always_shows_its_cursor_line() {
    let log = log_of(&["one", "two", "three", "four"]);
    let mut st = LogViewState::new();
    let _ = draw(&log, &mut st, 20, 3);
    st.toggle_follow(&log);
    // Paused with `f`: the cursor sits on the last line, where the eye was.
    let buf = draw(&log, &mut st, 20, 3);
    assert_eq!(st.cursor(), Some(3));
    assert!(buf[(0, 2)].modifier.contains(Modifier::REVERSED));
    assert!(!buf[(0, 1)].modifier.contains(Modifier::REVERSED));
    // Scrolled up past it: it stays on screen, on the nearest line.
    st.scroll_up(&log, 1);
    let buf = draw(&log, &mut st, 20, 3);
    assert_eq!(rows(&buf), ["one", "two", "three"]);
    assert_eq!(st.cursor(), Some(2));
    assert!(buf[(0, 2)].modifier.contains(Modifier::REVERSED));
    // `g` to the top: the cursor is there, on the first line.
    let mut st = LogViewState::new();
    st.top(&log);
    let buf = draw(&log, &mut st, 20, 3);
    assert_eq!(st.cursor(), Some(0));
    assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn space_folds_the_group_at_the_cursor_one_sees() {
    let mut log = LogBuffer::new(100).with_format(LogFormat::GitHubActions);
    log.push_bytes(
        LineSource::stdout(),
        b"##[group]first\na\nb\n##[endgroup]\n##[group]second\nc\n##[endgroup]\n",
    );
    let mut st = LogViewState::new();
    st.expand_all(&log);
    let _ = draw(&log, &mut st, 20, 3);
    st.toggle_follow(&log);
    let _ = draw(&log, &mut st, 20, 3);
    assert_eq!(
        rows(&draw(&log, &mut st, 20, 3)),
        ["  b", "▾ second", "  c"]
    );
    // The cursor is on "c", the last line: Space folds "second", not
    // "first", which the top line ("b") belongs to.
    assert!(st.toggle_fold_at_cursor(&log));
    assert!(st.is_folded(&log, 4));
    assert!(!st.is_folded(&log, 0));
}
