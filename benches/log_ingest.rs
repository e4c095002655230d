//! Log viewer throughput: sanitize + ring insert per line, and the cost of
//! one frame of a full-screen view over a large buffer.
//!
//! Run: `cargo bench --bench log_ingest -- --warm-up-time 1 --measurement-time 3`
//! Budgets: >= 1,000,000 plain lines/s ingest on one core; < 2 ms per
//! 200x50 frame over 200,000 lines (follow, paused, wrap, search, GitHub).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opsdeck::logview::{LineSource, LogBuffer, LogFormat, LogStyles, LogViewState, render};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const LINES: usize = 100_000;
const RING: usize = 200_000;
/// Docker and Kubernetes deliver logs in chunks of about this size.
const CHUNK: usize = 32 * 1024;

/// A small deterministic generator, so runs compare.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn plain_line(r: &mut Lcg, ts: bool) -> String {
    let prefix = if ts {
        format!(
            "2024-05-06T07:08:{:02}.{:09}Z ",
            r.next() % 60,
            r.next() % 1_000_000_000
        )
    } else {
        String::new()
    };
    format!(
        "{prefix}level=info msg=\"request handled\" path=/api/v1/items/{} status=200 duration_ms={} trace={:016x}\n",
        r.next() % 10_000,
        r.next() % 500,
        r.next()
    )
}

fn ansi_line(r: &mut Lcg) -> String {
    let level = [
        "\x1b[32mINFO\x1b[0m",
        "\x1b[33;1mWARN\x1b[0m",
        "\x1b[38;5;196mERROR\x1b[0m",
    ];
    format!(
        "\x1b[2m2024-05-06 07:08:09\x1b[0m {} \x1b[36mhttp\x1b[0m: GET /items/{} -> \x1b[38;2;0;200;0m200\x1b[0m in {}ms\n",
        level[(r.next() % 3) as usize],
        r.next() % 10_000,
        r.next() % 500
    )
}

fn hostile_line(r: &mut Lcg) -> Vec<u8> {
    let pieces: [&[u8]; 10] = [
        b"\x1b]0;title\x07",
        b"\x1b[2J\x1b[H",
        b"\x9b31m",
        b"\xff\xfe",
        b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
        b"progress 10%\rprogress 50%\rprogress 100%",
        b"\x00\x07\x08",
        b"\x1bP1$q\x1b\\",
        "日本語 ü".as_bytes(),
        b"\tcol",
    ];
    let mut line = b"text ".to_vec();
    for _ in 0..4 {
        line.extend_from_slice(pieces[(r.next() % 10) as usize]);
        line.extend_from_slice(b" more text ");
    }
    line.push(b'\n');
    line
}

fn chunks(data: &[u8]) -> Vec<Vec<u8>> {
    data.chunks(CHUNK).map(<[u8]>::to_vec).collect()
}

fn input(lines: usize, f: impl Fn(&mut Lcg) -> Vec<u8>) -> Vec<Vec<u8>> {
    let mut r = Lcg(42);
    let mut data = Vec::new();
    for _ in 0..lines {
        data.extend_from_slice(&f(&mut r));
    }
    chunks(&data)
}

fn bench_ingest(c: &mut Criterion) {
    let cases: [(&str, bool, Vec<Vec<u8>>); 5] = [
        (
            "plain",
            false,
            input(LINES, |r| plain_line(r, false).into_bytes()),
        ),
        (
            "plain_timestamps",
            true,
            input(LINES, |r| plain_line(r, true).into_bytes()),
        ),
        ("ansi", false, input(LINES, |r| ansi_line(r).into_bytes())),
        ("hostile", false, input(LINES, hostile_line)),
        (
            "utf8",
            false,
            input(LINES, |r| {
                format!("Größe {} — 日志 Ärger ✓ {}\n", r.next(), r.next()).into_bytes()
            }),
        ),
    ];
    let mut g = c.benchmark_group("ingest");
    g.throughput(Throughput::Elements(LINES as u64));
    for (name, ts, data) in &cases {
        // Steady state: the ring is full, so every insert also drops a line.
        let mut log = LogBuffer::new(LINES / 2).with_timestamps(*ts);
        g.bench_function(*name, |b| {
            b.iter(|| {
                for chunk in data {
                    log.push_bytes(LineSource::stdout(), black_box(chunk));
                }
            })
        });
        black_box(log.len());
    }
    g.finish();
}

fn big_buffer() -> LogBuffer {
    let mut log = LogBuffer::new(RING).with_timestamps(true);
    let mut r = Lcg(7);
    for i in 0..RING {
        let mut line = plain_line(&mut r, true);
        if i % 997 == 0 {
            line.insert_str(line.len() - 1, " NEEDLE and a much longer tail so the line wraps over several rows when wrapping is on: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor");
        }
        log.push_bytes(LineSource::stdout(), line.as_bytes());
    }
    log
}

fn github_buffer() -> LogBuffer {
    let mut log = LogBuffer::new(RING)
        .with_timestamps(true)
        .with_format(LogFormat::GitHubActions);
    let mut r = Lcg(9);
    let mut text = String::new();
    for step in 0..RING / 100 {
        text.push_str(&format!(
            "2024-01-01T00:00:00.0000000Z ##[group]Step {step}\n"
        ));
        for _ in 0..97 {
            text.push_str(&plain_line(&mut r, true));
        }
        text.push_str("2024-01-01T00:00:00.0000000Z ##[error]boom\n2024-01-01T00:00:00.0000000Z ##[endgroup]\n");
    }
    log.push_bytes(LineSource::stdout(), text.as_bytes());
    log
}

fn bench_render(c: &mut Criterion) {
    let area = Rect::new(0, 0, 200, 50);
    let styles = LogStyles::default();
    let log = big_buffer();
    let gh = github_buffer();
    let mut g = c.benchmark_group("render_200x50_of_200k");
    let mut frame = |name: &str, log: &LogBuffer, mut st: LogViewState| {
        let mut buf = Buffer::empty(area);
        render(&mut buf, area, log, &mut st, &styles);
        g.bench_function(name, |b| {
            b.iter(|| {
                render(&mut buf, area, log, &mut st, &styles);
                black_box(&buf);
            })
        });
    };
    frame("follow", &log, LogViewState::new());
    let mut paused = LogViewState::new();
    paused.top(&log);
    paused.scroll_down(&log, RING / 2);
    frame("paused_middle", &log, paused);
    let mut wrapped = LogViewState::new();
    wrapped.set_wrap(true);
    wrapped.toggle_timestamps();
    frame("wrap_timestamps", &log, wrapped);
    let mut search = LogViewState::new();
    search.set_wrap(true);
    search.set_query(&log, "needle");
    search.next_match(&log);
    frame("wrap_search_active", &log, search);
    let mut folded = LogViewState::new();
    folded.top(&gh);
    folded.scroll_down(&gh, 500);
    frame("github_folded", &gh, folded);
    let mut open = LogViewState::new();
    open.expand_all(&gh);
    open.top(&gh);
    open.scroll_down(&gh, RING / 2);
    frame("github_expanded_middle", &gh, open);
    g.finish();

    let mut g = c.benchmark_group("search_200k");
    g.sample_size(10);
    g.bench_function("set_query_full_scan", |b| {
        let mut st = LogViewState::new();
        let mut flip = false;
        b.iter(|| {
            // Alternate queries so neither narrows the other.
            flip = !flip;
            black_box(st.set_query(&log, if flip { "needle" } else { "status=404" }))
        })
    });
    g.bench_function("n_next_match", |b| {
        let mut st = LogViewState::new();
        st.set_query(&log, "needle");
        b.iter(|| black_box(st.next_match(&log)))
    });
    g.finish();
}

fn bench_live(c: &mut Criterion) {
    // A live tail: 1,000 new lines arrive, then one frame with a search on.
    let mut log = big_buffer();
    let batch = input(1000, |r| plain_line(r, true).into_bytes());
    let area = Rect::new(0, 0, 200, 50);
    let styles = LogStyles::default();
    let mut st = LogViewState::new();
    st.set_query(&log, "status=200");
    let mut buf = Buffer::empty(area);
    let mut g = c.benchmark_group("live");
    g.throughput(Throughput::Elements(1000));
    g.bench_function("push_1000_then_frame_with_search", |b| {
        b.iter(|| {
            for chunk in &batch {
                log.push_bytes(LineSource::stdout(), chunk);
            }
            render(&mut buf, area, &log, &mut st, &styles);
            black_box(&buf);
        })
    });
    g.finish();
}

criterion_group!(benches, bench_ingest, bench_render, bench_live);
criterion_main!(benches);
