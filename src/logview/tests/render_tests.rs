//! Gutter, width handling, clipping and tiny areas.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

use super::super::LogFormat;
use super::*;

#[test]
fn stderr_lines_get_a_marker_column() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stdout(), b"out\n");
    log.push_bytes(LineSource::stderr(), b"err\n");
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 10, 2);
    assert_eq!(rows(&buf), ["  out", "┃ err"]);
    assert_eq!(buf[(2, 1)].fg, Color::LightRed);
    let ascii = LogStyles {
        ascii: true,
        ..LogStyles::default()
    };
    assert_eq!(
        rows(&draw_with(&log, &mut st, 10, 2, &ascii)),
        ["  out", "| err"]
    );
}

#[test]
fn stderr_marker_repeats_on_wrapped_rows() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stderr(), b"0123456789abc\n");
    let mut st = LogViewState::new();
    st.set_wrap(true);
    assert_eq!(
        rows(&draw(&log, &mut st, 7, 3)),
        ["┃ 01234", "┃ 56789", "┃ abc"]
    );
}

#[test]
fn never_writes_outside_its_area() {
    let mut log = LogBuffer::new(100).with_format(LogFormat::GitHubActions);
    log.push_bytes(
        LineSource::stderr(),
        "日本語のログ行 wide and long line here\n".as_bytes(),
    );
    log.push_bytes(LineSource::stdout(), b"##[group]g\nin\n##[endgroup]\n");
    let full = Rect::new(0, 0, 30, 10);
    let area = Rect::new(5, 2, 11, 4);
    for wrap in [false, true] {
        let mut buf = Buffer::filled(full, ratatui::buffer::Cell::new("Z"));
        let mut st = LogViewState::new();
        st.set_wrap(wrap);
        render(&mut buf, area, &log, &mut st, &LogStyles::default());
        for y in 0..10 {
            for x in 0..30 {
                let inside = area.contains(ratatui::layout::Position { x, y });
                if !inside {
                    assert_eq!(buf[(x, y)].symbol(), "Z", "({x},{y}) wrap={wrap}");
                }
            }
        }
    }
}

#[test]
fn area_outside_the_buffer_is_clipped() {
    let log = log_of(&["hello world"]);
    let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
    let mut st = LogViewState::new();
    render(
        &mut buf,
        Rect::new(4, 1, 50, 50),
        &log,
        &mut st,
        &LogStyles::default(),
    );
    assert_eq!(rows(&buf), ["", "    hell"]);
}

#[test]
fn tiny_areas_do_not_panic() {
    let mut log = LogBuffer::new(100)
        .with_format(LogFormat::GitHubActions)
        .with_timestamps(true);
    log.push_bytes(
        LineSource::stderr(),
        "2024-01-01T00:00:00Z 日本語\u{301} x\n".as_bytes(),
    );
    log.push_bytes(
        LineSource::tagged(super::super::Stream::Other, "pod"),
        b"##[group]g\n##[error]e\n",
    );
    log.push_bytes(LineSource::stdout(), &[b'w'; 3000]);
    log.flush();
    for (w, h) in [
        (20, 5),
        (1, 1),
        (0, 0),
        (2, 1),
        (1, 5),
        (3, 2),
        (0, 5),
        (5, 0),
    ] {
        for wrap in [false, true] {
            let mut st = LogViewState::new();
            st.set_wrap(wrap);
            st.toggle_timestamps();
            let buf = draw(&log, &mut st, w, h);
            st.scroll_up(&log, 3);
            st.page_down(&log);
            st.set_query(&log, "w");
            st.next_match(&log);
            st.first_error(&log);
            st.cursor_down(&log, 2);
            st.toggle_fold_at_cursor(&log);
            st.scroll_right(5);
            let again = draw(&log, &mut st, w, h);
            assert_eq!(buf.area, again.area);
        }
    }
}

#[test]
fn one_by_one_shows_the_first_cell_of_the_last_line() {
    let log = log_of(&["abc", "xyz"]);
    let mut st = LogViewState::new();
    assert_eq!(rows(&draw(&log, &mut st, 1, 1)), ["x"]);
}

#[test]
fn wide_char_that_does_not_fit_is_not_split() {
    let log = log_of(&["abcd日"]);
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 5, 1);
    assert_eq!(rows(&buf), ["abcd"]);
    assert_eq!(buf[(4, 0)].symbol(), " ");
    // Too narrow for any wide char when wrapping: skipped, not overflowing.
    let log = log_of(&["日x"]);
    st.set_wrap(true);
    assert_eq!(rows(&draw(&log, &mut st, 1, 2)), ["x", ""]);
}

#[test]
fn combining_marks_attach_to_their_base() {
    let log = log_of(&["e\u{301}x"]);
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 5, 1);
    assert_eq!(buf[(0, 0)].symbol(), "e\u{301}");
    assert_eq!(buf[(1, 0)].symbol(), "x");
}

#[test]
fn horizontal_scroll_without_wrap() {
    let log = log_of(&["0123456789abcdef"]);
    let mut st = LogViewState::new();
    st.scroll_right(10);
    assert_eq!(rows(&draw(&log, &mut st, 4, 1)), ["abcd"]);
    st.set_wrap(true);
    st.scroll_right(3);
    assert_eq!(st.h_offset(), 0, "no horizontal scroll while wrapping");
}

#[test]
fn old_content_in_the_area_is_cleared() {
    let log = log_of(&["hi"]);
    let mut buf = Buffer::filled(Rect::new(0, 0, 6, 2), ratatui::buffer::Cell::new("Z"));
    let mut st = LogViewState::new();
    let area = buf.area;
    render(&mut buf, area, &log, &mut st, &LogStyles::default());
    assert_eq!(rows(&buf), ["hi", ""]);
}

#[test]
fn empty_buffer_renders_blank() {
    let log = LogBuffer::new(10);
    let mut st = LogViewState::new();
    assert_eq!(rows(&draw(&log, &mut st, 10, 2)), ["", ""]);
    st.scroll_up(&log, 1);
    st.cursor_down(&log, 1);
    assert!(!st.next_match(&log));
    assert_eq!(rows(&draw(&log, &mut st, 10, 2)), ["", ""]);
}
