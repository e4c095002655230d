//! Ring cap, chunking, per-source carry, timestamps, tags.

use super::super::Stream;
use super::*;

fn texts(log: &LogBuffer) -> Vec<String> {
    log.iter().map(|(_, l)| l.text().to_owned()).collect()
}

#[test]
fn ring_drops_oldest_past_cap_and_counts() {
    let mut log = LogBuffer::new(3);
    for i in 0..5 {
        log.push_bytes(LineSource::stdout(), format!("l{i}\n").as_bytes());
    }
    assert_eq!(texts(&log), ["l2", "l3", "l4"]);
    assert_eq!(
        (log.len(), log.dropped(), log.first_seq(), log.end_seq()),
        (3, 2, 2, 5)
    );
    assert!(log.get(1).is_none());
    assert_eq!(log.get(4).map(|l| l.text()), Some("l4"));
    log.set_cap(1);
    assert_eq!(texts(&log), ["l4"]);
    assert_eq!(log.dropped(), 4);
}

#[test]
fn byte_budget_drops_lines_too() {
    let mut log = LogBuffer::new(1000).with_max_total_bytes(2000);
    for _ in 0..100 {
        log.push_bytes(LineSource::stdout(), &[b'z'; 101]);
        log.push_bytes(LineSource::stdout(), b"\n");
    }
    assert!(log.mem_bytes() <= 2000, "{}", log.mem_bytes());
    assert!(log.len() < 20 && log.len() > 1, "{}", log.len());
    assert_eq!(log.dropped() + log.len() as u64, 100);
}

#[test]
fn lines_spanning_chunks_and_flush() {
    let mut log = LogBuffer::new(10);
    for chunk in ["hel", "lo\nwor", "ld\n", "", "\n", "tail"] {
        log.push_bytes(LineSource::stdout(), chunk.as_bytes());
    }
    assert_eq!(texts(&log), ["hello", "world", ""]);
    log.flush();
    assert_eq!(texts(&log), ["hello", "world", "", "tail"]);
    log.flush();
    assert_eq!(log.len(), 4, "flush with nothing carried adds nothing");
}

#[test]
fn each_source_keeps_its_own_carry() {
    let mut log = LogBuffer::new(10);
    let pod_a = LineSource::tagged(Stream::Stdout, "pod-a");
    let pod_b = LineSource::tagged(Stream::Stdout, "pod-b");
    log.push_bytes(LineSource::stdout(), b"out-");
    log.push_bytes(LineSource::stderr(), b"err-");
    log.push_bytes(pod_a.clone(), b"a-");
    log.push_bytes(pod_b.clone(), b"b-1\n");
    log.push_bytes(LineSource::stderr(), b"1\n");
    log.push_bytes(pod_a, b"1\n");
    log.push_bytes(LineSource::stdout(), b"1\n");
    let got: Vec<_> = log
        .iter()
        .map(|(_, l)| {
            (
                l.text().to_owned(),
                l.stream(),
                log.tag_of(l).map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("b-1".to_owned(), Stream::Stdout, Some("pod-b".to_owned())),
            ("err-1".to_owned(), Stream::Stderr, None),
            ("a-1".to_owned(), Stream::Stdout, Some("pod-a".to_owned())),
            ("out-1".to_owned(), Stream::Stdout, None),
        ]
    );
    assert!(log.has_stderr());
}

#[test]
fn tags_are_rendered_and_sanitized() {
    let mut log = LogBuffer::new(10);
    log.push_bytes(
        LineSource::tagged(Stream::Stdout, "web-1\x1b[2J"),
        b"hello\n",
    );
    let mut st = LogViewState::new();
    let buf = draw(&log, &mut st, 30, 1);
    assert_eq!(rows(&buf)[0], "web-1?[2J hello");
}

#[test]
fn timestamps_split_off() {
    let mut log = LogBuffer::new(10).with_timestamps(true);
    let input = "2024-01-01T00:00:00.123456789Z hello world\n\
                 \u{feff}2024-01-01T00:00:00.0000000Z ##[group]Run x\n\
                 2024-05-06T07:08:09+02:00 offset\n\
                 2024-05-06T07:08:09Z\n\
                 not-a-timestamp line\n\
                 2024-13-01 nope\n\
                 2024-01-01T00:00:00.1234567890Z too many digits\n";
    log.push_bytes(LineSource::stdout(), input.as_bytes());
    let got: Vec<_> = log
        .iter()
        .map(|(_, l)| (l.timestamp().map(str::to_owned), l.text().to_owned()))
        .collect();
    let ts = |s: &str| Some(s.to_owned());
    assert_eq!(
        got,
        [
            (
                ts("2024-01-01T00:00:00.123456789Z"),
                "hello world".to_owned()
            ),
            (
                ts("2024-01-01T00:00:00.0000000Z"),
                "##[group]Run x".to_owned()
            ),
            (ts("2024-05-06T07:08:09+02:00"), "offset".to_owned()),
            (ts("2024-05-06T07:08:09Z"), String::new()),
            (None, "not-a-timestamp line".to_owned()),
            (None, "2024-13-01 nope".to_owned()),
            (
                None,
                "2024-01-01T00:00:00.1234567890Z too many digits".to_owned()
            ),
        ]
    );
}

#[test]
fn timestamp_split_across_chunks_and_with_ansi_message() {
    let mut log = LogBuffer::new(10).with_timestamps(true);
    for chunk in ["2024-01-01T00:0", "0:00.5Z", " \x1b[31mred", "\x1b[0m\n"] {
        log.push_bytes(LineSource::stdout(), chunk.as_bytes());
    }
    let line = log.get(0);
    assert_eq!(
        line.and_then(|l| l.timestamp()),
        Some("2024-01-01T00:00:00.5Z")
    );
    assert_eq!(line.map(|l| l.text()), Some("red"));
    assert_eq!(line.map(|l| l.spans().len()), Some(1));
}

#[test]
fn timestamps_shown_only_when_toggled() {
    let mut log = LogBuffer::new(10).with_timestamps(true);
    log.push_bytes(LineSource::stdout(), b"2024-01-01T00:00:00Z msg\n");
    let mut st = LogViewState::new();
    assert_eq!(rows(&draw(&log, &mut st, 40, 1))[0], "msg");
    st.toggle_timestamps();
    let buf = draw(&log, &mut st, 40, 1);
    assert_eq!(rows(&buf)[0], "2024-01-01T00:00:00Z msg");
    assert_eq!(
        buf[(0, 0)].fg,
        LogStyles::default().timestamp.fg.unwrap_or_default()
    );
}

#[test]
fn timestamps_off_keeps_lines_whole() {
    let log = log_of(&["2024-01-01T00:00:00Z msg"]);
    assert_eq!(
        log.get(0).map(|l| (l.timestamp(), l.text())),
        Some((None, "2024-01-01T00:00:00Z msg"))
    );
}

#[test]
fn clear_keeps_sequence_numbers_growing() {
    let mut log = log_of(&["a", "b"]);
    log.push_bytes(LineSource::stdout(), b"partial");
    log.clear();
    assert!(log.is_empty());
    assert_eq!((log.first_seq(), log.end_seq()), (2, 2));
    log.push_bytes(LineSource::stdout(), b"c\n");
    assert_eq!(texts(&log), ["c"]);
    assert_eq!(log.first_seq(), 2);
}
