//! Time from process start to the first frame, and to the first data on
//! screen, for `opsdeck --demo` (release build) in a pseudo-terminal.
//! Budget: first frame under 50 ms.
//!
//! `cargo bench --bench startup` (builds the release binary first; set
//! OPSDECK_BIN to measure another build).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const RUNS: usize = 20;

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("OPSDECK_BIN") {
        return PathBuf::from(p);
    }
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "opsdeck"])
        .status()
        .expect("cargo build");
    assert!(status.success(), "release build failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("release").join("opsdeck")
}

/// (first frame, first container row) for one run.
fn one_run(bin: &PathBuf) -> (Duration, Duration) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args([
        "--demo",
        "--tab",
        "docker",
        "--log-file",
        "/tmp/opsdeck-startup-bench.log",
    ]);
    cmd.env("TERM", "xterm-256color");
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
    let mut parser = vt100::Parser::new(size(40), size(120), 0);
    let (mut frame, mut data) = (None, None);
    let deadline = start + Duration::from_secs(10);
    while data.is_none() && Instant::now() < deadline {
        if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(200)) {
            parser.process(&bytes);
            let screen = parser.screen().contents();
            if frame.is_none() && screen.contains("Overview") {
                frame = Some(start.elapsed());
            }
            if screen.contains("shop-api-1") {
                data = Some(start.elapsed());
            }
        }
    }
    let _ = writer.write_all(b"q");
    let _ = writer.flush();
    let _ = child.wait();
    (
        frame.expect("no frame within 10 s"),
        data.expect("no container row within 10 s"),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn main() {
    // `cargo test --benches` runs bench binaries with no `--bench` flag: stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("startup bench: run with `cargo bench --bench startup`");
        return;
    }
    let bin = binary();
    let _ = one_run(&bin); // warm the page cache
    let (mut frames, mut datas) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let (f, d) = one_run(&bin);
        frames.push(f);
        datas.push(d);
    }
    frames.sort();
    datas.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("startup over {RUNS} runs of `opsdeck --demo` (release, 120x40 pty):");
    println!(
        "  first frame:         median {:.1} ms, p95 {:.1} ms (budget < 50 ms)",
        ms(percentile(&frames, 0.5)),
        ms(percentile(&frames, 0.95))
    );
    println!(
        "  container list shown: median {:.1} ms, p95 {:.1} ms",
        ms(percentile(&datas, 0.5)),
        ms(percentile(&datas, 0.95))
    );
}
