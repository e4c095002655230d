//! Ready-made worlds: the demo, an empty engine, and a scale world for
//! benchmarks. Containers are seeded as if they had been running for a
//! while, with their log history and past events in place.

use std::time::Duration;

use super::clock::{Nanos, SEC, dur_nanos};
use super::health::HealthStatus;
use super::loggen;
use super::spec::{
    Behaviour, ContainerSpec, Crash, HealthCycle, LogStyle, PortSpec, RestartPolicy,
};
use super::world::{Cause, World};

/// Which world the simulator starts with.
#[derive(Debug, Clone, PartialEq)]
pub enum Scenario {
    /// Two compose projects and a few standalone containers that log, crash,
    /// restart, get OOM-killed and flap their health over time.
    Demo,
    Empty,
    /// `running` containers each logging `lines_per_sec`, plus `exited` ones.
    Scale {
        running: usize,
        exited: usize,
        lines_per_sec: u32,
    },
}

const DEMO_LOG_CAP: usize = 5_000;
const SCALE_LOG_CAP: usize = 1_000;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Adds a container that has been up for `up`, after `restarts` automatic
/// restarts, with its log history generated.
fn seed_running(
    w: &mut World,
    now: Nanos,
    spec: ContainerSpec,
    up: Duration,
    restarts: u64,
) -> usize {
    let started = now - dur_nanos(up);
    let delay = dur_nanos(spec.behaviour.restart_delay);
    let created = started - 600 * SEC - (restarts as i64) * (delay + 30 * SEC);
    w.create(spec, created);
    let idx = w.containers.len() - 1;
    w.start_at(idx, started);
    if let Some(c) = w.containers.get_mut(idx) {
        c.restart_count = restarts;
        if restarts > 0 {
            c.finished_at = Some(started - delay);
        }
    }
    w.advance(idx, now);
    idx
}

/// Adds a container that ran for `ran` and exited `ago` with `code`.
fn seed_exited(
    w: &mut World,
    now: Nanos,
    spec: ContainerSpec,
    ran: Duration,
    ago: Duration,
    code: i64,
    oom: bool,
) {
    let end = now - dur_nanos(ago);
    let start = end - dur_nanos(ran);
    let style = spec.behaviour.style;
    w.create(spec, start - 60 * SEC);
    let idx = w.containers.len() - 1;
    w.start_at(idx, start);
    w.advance(idx, end);
    if let Some(c) = w.containers.get_mut(idx) {
        for (stream, line) in loggen::crash_lines(style, code, oom) {
            c.push_line(end, stream, &line);
        }
    }
    w.die_at(idx, end, code, oom, Cause::User);
}

pub(crate) fn build(scenario: &Scenario, now: Nanos) -> World {
    match scenario {
        Scenario::Empty => World::new(DEMO_LOG_CAP, now),
        Scenario::Demo => demo(now),
        Scenario::Scale {
            running,
            exited,
            lines_per_sec,
        } => scale(now, *running, *exited, *lines_per_sec),
    }
}

fn behaviour(style: LogStyle, rate: f64, cpu: f64, mem_mib: u64) -> Behaviour {
    Behaviour {
        cpu,
        mem_mib,
        ..Behaviour::new(style, rate)
    }
}

fn demo(now: Nanos) -> World {
    let mut w = World::new(DEMO_LOG_CAP, now);
    let steady = Some(HealthCycle::steady(secs(5)));

    let web = ContainerSpec::new(
        "shop-web-1",
        "nginx:1.27-alpine",
        Behaviour {
            health: steady,
            ..behaviour(LogStyle::Nginx, 2.5, 0.03, 24)
        },
    )
    .compose("shop", "web")
    .depends_on(&["api"])
    .command(&["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"])
    .port(PortSpec::tcp(80, Some(8080)))
    .restart(RestartPolicy::UnlessStopped);
    seed_running(&mut w, now, web, secs(3 * 3600 + 1260), 0);

    // The API flaps: healthy for 45 s, unhealthy for 15 s.
    let api = ContainerSpec::new(
        "shop-api-1",
        "ghcr.io/acme/shop-api:3f2c1ab",
        Behaviour {
            health: Some(HealthCycle {
                starting_for: secs(5),
                healthy_for: Some(secs(45)),
                unhealthy_for: secs(15),
            }),
            ..behaviour(LogStyle::JsonApi, 4.0, 0.25, 180)
        },
    )
    .compose("shop", "api")
    .depends_on(&["db", "cache"])
    // Demo values, for inspect (`i`) to mask.
    .env("DATABASE_URL=postgres://shop:demo-only-password@db:5432/shop")
    .env("PAYMENT_API_KEY=sk_test_demo_only")
    .env("LOG_LEVEL=info")
    .label(
        "org.opencontainers.image.revision",
        "3f2c1ab9e04d5b7a8c61f2e3d4b5a6c7d8e9f012",
    )
    .label(
        "org.opencontainers.image.source",
        "https://github.com/acme/shop",
    )
    .command(&["/app/shop-api", "--listen", ":8080"])
    .port(PortSpec::tcp(8080, Some(8081)))
    .restart(RestartPolicy::Always);
    let api = seed_running(&mut w, now, api, secs(2 * 3600 + 300), 0);
    w.seed_health(
        api,
        now - 20 * SEC,
        HealthStatus::Healthy,
        Some(now + 25 * SEC),
    );

    // The worker crash-loops: exit 1 after 25 s, back 5 s later.
    let worker = ContainerSpec::new(
        "shop-worker-1",
        "ghcr.io/acme/shop-worker:9e1d4b7c2a",
        Behaviour {
            crash: Some(Crash {
                after: secs(25),
                exit_code: 1,
                oom: false,
            }),
            restart_delay: secs(5),
            ..behaviour(LogStyle::Worker, 3.0, 0.4, 120)
        },
    )
    .compose("shop", "worker")
    .depends_on(&["db", "cache"])
    .command(&["/app/worker", "--queues", "emails,webhooks,media"])
    .restart(RestartPolicy::Always);
    seed_running(&mut w, now, worker, secs(12), 6);

    let db = ContainerSpec::new(
        "shop-db-1",
        "postgres:16.4",
        Behaviour {
            health: steady,
            ..behaviour(LogStyle::Postgres, 0.5, 0.08, 310)
        },
    )
    .compose("shop", "db")
    .env("POSTGRES_PASSWORD=demo-only-password")
    .command(&["docker-entrypoint.sh", "postgres"])
    .port(PortSpec::tcp(5432, None))
    .restart(RestartPolicy::UnlessStopped);
    seed_running(&mut w, now, db, secs(3 * 3600 + 1300), 0);

    // The cache grows to its 256 MiB limit and is OOM-killed every 90 s.
    let cache = ContainerSpec::new(
        "shop-cache-1",
        "redis:7.4-alpine",
        Behaviour {
            crash: Some(Crash {
                after: secs(90),
                exit_code: 137,
                oom: true,
            }),
            restart_delay: secs(3),
            health: steady,
            ..behaviour(LogStyle::Redis, 0.4, 0.05, 200)
        },
    )
    .compose("shop", "cache")
    .command(&["docker-entrypoint.sh", "redis-server", "--save", "60", "1"])
    .port(PortSpec::tcp(6379, None))
    .memory_limit_mib(256)
    .restart(RestartPolicy::Always);
    seed_running(&mut w, now, cache, secs(50), 2);

    let prometheus = ContainerSpec::new(
        "monitoring-prometheus-1",
        "prom/prometheus:v2.54.1",
        behaviour(LogStyle::Prometheus, 0.7, 0.15, 420),
    )
    .compose("monitoring", "prometheus")
    .command(&[
        "/bin/prometheus",
        "--config.file=/etc/prometheus/prometheus.yml",
    ])
    .port(PortSpec::tcp(9090, Some(9090)))
    .restart(RestartPolicy::UnlessStopped);
    seed_running(&mut w, now, prometheus, secs(2 * 86_400 + 7200), 0);

    let grafana = ContainerSpec::new(
        "monitoring-grafana-1",
        "grafana/grafana:11.2.2",
        Behaviour {
            health: steady,
            ..behaviour(LogStyle::Grafana, 1.0, 0.04, 95)
        },
    )
    .compose("monitoring", "grafana")
    .depends_on(&["prometheus"])
    .command(&["/run.sh"])
    .port(PortSpec::tcp(3000, Some(3000)))
    .restart(RestartPolicy::UnlessStopped);
    seed_running(&mut w, now, grafana, secs(2 * 86_400 + 7000), 0);

    let proxy = ContainerSpec::new(
        "edge-proxy",
        "traefik:v3.1.4",
        behaviour(LogStyle::JsonApi, 0.5, 0.02, 48),
    )
    .command(&["traefik", "--accesslog.format=json"])
    .port(PortSpec::tcp(80, Some(80)))
    .port(PortSpec::tcp(443, Some(443)))
    .restart(RestartPolicy::Always);
    seed_running(&mut w, now, proxy, secs(6 * 86_400), 0);

    // A TTY container: its logs are a raw stream without frame headers.
    let devbox = ContainerSpec::new(
        "devbox",
        "ghcr.io/acme/devbox:0.9.1",
        behaviour(LogStyle::Worker, 0.3, 0.01, 40),
    )
    .command(&["/bin/bash", "-lc", "tail-jobs --color"])
    .tty(true);
    seed_running(&mut w, now, devbox, secs(40 * 60), 0);

    let backup = ContainerSpec::new(
        "nightly-backup",
        "ghcr.io/acme/pg-backup:5b8e0f2",
        behaviour(LogStyle::Worker, 2.0, 0.3, 90),
    )
    .command(&[
        "/usr/local/bin/backup",
        "--target",
        "s3://acme-backups/shop",
    ]);
    seed_exited(&mut w, now, backup, secs(4 * 60), secs(2 * 3600), 0, false);

    let train = ContainerSpec::new(
        "ml-train",
        "python:3.12-slim",
        behaviour(LogStyle::Batch, 2.0, 1.8, 1800),
    )
    .command(&["python", "train.py", "--epochs", "20"])
    .memory_limit_mib(2048);
    seed_exited(&mut w, now, train, secs(40 * 60), secs(25 * 60), 137, true);
    super::object_store::seed_demo(&mut w, now);

    w.sort_events();
    w
}

fn scale(now: Nanos, running: usize, exited: usize, lines_per_sec: u32) -> World {
    let mut w = World::new(SCALE_LOG_CAP, now);
    for i in 0..running {
        let sha = format!("{:07x}", loggen::mix(7, i as u64) & 0xfff_ffff);
        let spec = ContainerSpec::new(
            &format!("bench-{i:04}"),
            &format!("ghcr.io/acme/bench:{sha}"),
            behaviour(LogStyle::Bench, f64::from(lines_per_sec), 0.02, 32),
        )
        .compose("bench", &format!("svc-{i:04}"))
        .restart(RestartPolicy::UnlessStopped);
        // Short uptimes keep thousands of histories small (about 70 lines each
        // at 5 lines/s) while every container still has some.
        seed_running(&mut w, now, spec, secs(5 + i as u64 % 20), 0);
    }
    for i in 0..exited {
        let spec = ContainerSpec::new(
            &format!("bench-exited-{i:04}"),
            "ghcr.io/acme/bench-job:1.0",
            behaviour(LogStyle::Bench, 1.0, 0.01, 16),
        );
        let code = if i % 3 == 0 { 137 } else { 0 };
        seed_exited(
            &mut w,
            now,
            spec,
            secs(30),
            secs(600 + i as u64),
            code,
            false,
        );
    }
    w.sort_events();
    w
}
