//! Logs: history, tail, streams, timestamps, follow, TTY and scale.

use super::*;

#[tokio::test]
async fn logs_tail_streams_and_timestamps() {
    let sim = DockerSim::start_manual(Scenario::Empty)
        .await
        .expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("chatty", 10.0)).await;
    sim.advance(Duration::from_secs(2)).await;
    sim.log_line("chatty", LogStream::Stderr, "boom: disk full")
        .await
        .expect("log");

    let all_opts = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
    let all: Vec<LogOutput> = docker
        .logs("chatty", Some(all_opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    // The start banner, 20 generated lines (10/s for 2 s), the injected one.
    assert_eq!(all.len(), 22);
    assert_eq!(text(&all[0]), "bench container started\n");
    assert!(matches!(all.last(), Some(LogOutput::StdErr { .. })));
    assert_eq!(all.last().map(text).as_deref(), Some("boom: disk full\n"));
    for out in &all[1..21] {
        match out {
            LogOutput::StdOut { message } => {
                assert!(String::from_utf8_lossy(message).contains("level=info"))
            }
            LogOutput::StdErr { message } => {
                assert!(String::from_utf8_lossy(message).contains("level=error"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(all.iter().any(|o| matches!(o, LogOutput::StdErr { .. })));

    let tail = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("5")
        .timestamps(true)
        .build();
    let tail: Vec<LogOutput> = docker
        .logs("chatty", Some(tail))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert_eq!(tail.len(), 5);
    for out in &tail {
        let line = text(out);
        let (stamp, rest) = line.split_once(' ').expect("timestamp prefix");
        assert_eq!(stamp.len(), 30, "{stamp}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
        assert!(!rest.is_empty());
    }

    // `since` (whole seconds, as bollard sends it) keeps lines at or after it.
    let stamped = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .timestamps(true)
        .build();
    let stamps: Vec<i64> = docker
        .logs("chatty", Some(stamped))
        .map(|r| {
            let line = text(&r.expect("line"));
            let stamp = line.split(' ').next().unwrap_or_default().to_string();
            chrono::DateTime::parse_from_rfc3339(&stamp)
                .ok()
                .and_then(|d| d.timestamp_nanos_opt())
                .expect("stamp")
        })
        .collect()
        .await;
    let since_secs = stamps[10] / 1_000_000_000 + 1;
    let expected = stamps
        .iter()
        .filter(|&&t| t >= since_secs * 1_000_000_000)
        .count();
    assert!(expected > 0 && expected < stamps.len(), "{expected}");
    let since = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .since(i32::try_from(since_secs).expect("fits"))
        .build();
    let since_count = docker.logs("chatty", Some(since)).count().await;
    assert_eq!(since_count, expected);

    let only_out = LogsOptionsBuilder::new().stdout(true).build();
    let only_out: Vec<LogOutput> = docker
        .logs("chatty", Some(only_out))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert!(
        only_out
            .iter()
            .all(|o| matches!(o, LogOutput::StdOut { .. }))
    );
    let errs = all
        .iter()
        .filter(|o| matches!(o, LogOutput::StdErr { .. }))
        .count();
    assert_eq!(only_out.len(), all.len() - errs);

    let neither = docker
        .logs("chatty", Some(LogsOptionsBuilder::new().build()))
        .next()
        .await;
    assert!(matches!(
        neither,
        Some(Err(Error::DockerResponseServerError {
            status_code: 400,
            ..
        }))
    ));
    let ghost = docker
        .logs(
            "ghost",
            Some(LogsOptionsBuilder::new().stdout(true).build()),
        )
        .next()
        .await;
    assert!(matches!(
        ghost,
        Some(Err(Error::DockerResponseServerError {
            status_code: 404,
            ..
        }))
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn follow_receives_new_lines_and_ends_when_the_container_stops() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("quiet", 0.0)).await;
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(true)
        .tail("0")
        .build();
    let mut stream = docker.logs("quiet", Some(opts));
    let first = tokio::spawn(async move {
        let item = stream.next().await;
        (item, stream)
    });
    eventually("the follow to start", || {
        sim.counters().active_log_follows == 1
    })
    .await;
    sim.log_line("quiet", LogStream::Stdout, "hello from stdout")
        .await
        .expect("log");
    let (item, mut stream) = tokio::time::timeout(WAIT, first)
        .await
        .expect("timely")
        .expect("join");
    match item {
        Some(Ok(LogOutput::StdOut { message })) => assert_eq!(&message[..], b"hello from stdout\n"),
        other => panic!("unexpected {other:?}"),
    }
    sim.log_line("quiet", LogStream::Stderr, "and stderr")
        .await
        .expect("log");
    let next = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("timely");
    assert!(matches!(next, Some(Ok(LogOutput::StdErr { .. }))));

    docker
        .stop_container("quiet", None::<StopContainerOptions>)
        .await
        .expect("stop");
    let rest: Vec<String> = tokio::time::timeout(
        WAIT,
        stream.map(|r| text(&r.expect("line"))).collect::<Vec<_>>(),
    )
    .await
    .expect("the stream ends after the stop");
    assert_eq!(rest, ["received SIGTERM, shutting down\n"]);
    eventually("the follow counter to drop", || {
        sim.counters().active_log_follows == 0
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn tty_logs_are_a_raw_stream() {
    let sim = DockerSim::start_manual(Scenario::Demo)
        .await
        .expect("start");
    let docker = client(&sim);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("3")
        .build();
    let out: Vec<LogOutput> = docker
        .logs("devbox", Some(opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    assert_eq!(out.len(), 3);
    assert!(
        out.iter().all(|o| matches!(o, LogOutput::Console { .. })),
        "{out:?}"
    );
    assert!(out.iter().all(|o| text(o).ends_with('\n')));
    sim.shutdown().await;
}

#[tokio::test]
async fn scale_world_is_cheap_and_follows_fast() {
    let sim = DockerSim::start(Scenario::Scale {
        running: 50,
        exited: 5,
        lines_per_sec: 5,
    })
    .await
    .expect("start");
    let docker = client(&sim);
    assert_eq!(names(&docker, true, &[]).await.len(), 55);
    assert_eq!(names(&docker, false, &[]).await.len(), 50);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .tail("all")
        .build();
    let lines: Vec<LogOutput> = docker
        .logs("bench-0007", Some(opts))
        .map(|r| r.expect("line"))
        .collect()
        .await;
    // 12 s up at 5 lines/s, plus the start banner.
    assert!((61..70).contains(&lines.len()), "{}", lines.len());
    sim.shutdown().await;

    let sim = DockerSim::start(Scenario::Scale {
        running: 1,
        exited: 0,
        lines_per_sec: 1000,
    })
    .await
    .expect("start");
    let docker = client(&sim);
    let opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(true)
        .tail("0")
        .build();
    let mut stream = docker.logs("bench-0000", Some(opts));
    let mut n = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while n < 1000 && tokio::time::Instant::now() < deadline {
        if let Ok(Some(Ok(_))) = tokio::time::timeout(Duration::from_secs(1), stream.next()).await {
            n += 1;
        }
    }
    assert!(n >= 1000, "followed only {n} lines");
    sim.shutdown().await;
}

/// As the engine does: a line over 16 KiB is stored as 16 KiB messages,
/// each stamped when timestamps are asked for (moby#37681).
#[tokio::test]
async fn a_long_line_is_sent_as_16_kib_messages_each_stamped() {
    let sim = DockerSim::start_manual(Scenario::Empty)
        .await
        .expect("start");
    let docker = client(&sim);
    sim.add_container(bench_spec("wide", 0.0)).await;
    let long = "x".repeat(40_000);
    sim.log_line("wide", LogStream::Stdout, &long)
        .await
        .expect("log");
    let read = |timestamps: bool| {
        let opts = LogsOptionsBuilder::new()
            .stdout(true)
            .timestamps(timestamps)
            .build();
        docker
            .logs("wide", Some(opts))
            .map(|r| text(&r.expect("frame")))
            .collect::<Vec<String>>()
    };
    let plain = read(false).await;
    let pieces: Vec<&String> = plain.iter().filter(|t| t.starts_with('x')).collect();
    assert_eq!(
        pieces.iter().map(|p| p.len()).collect::<Vec<_>>(),
        vec![16_384, 16_384, 7_233],
        "two full messages and the rest with its newline"
    );
    let stamped = read(true).await;
    let pieces: Vec<&String> = stamped.iter().filter(|t| t.contains("xxx")).collect();
    assert_eq!(pieces.len(), 3);
    for piece in &pieces {
        let (stamp, _) = piece.split_once(' ').expect("stamp");
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "{stamp}"
        );
    }
    assert!(pieces[2].ends_with("x\n") && !pieces[0].ends_with('\n'));
}
