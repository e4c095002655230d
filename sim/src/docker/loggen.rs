//! Realistic, deterministic log lines. A line is a pure function of the
//! container's style and seed, its index and its timestamp, so the history
//! only stores the index.

use chrono::{DateTime, Utc};

use super::clock::{Nanos, SEC};
use super::spec::{LogStream, LogStyle};

const RESET: &str = "\x1b[0m";

/// splitmix64: cheap, well-mixed, deterministic.
pub(crate) fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed
        .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a: stable across runs, unlike the std hasher.
pub(crate) fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// 64 hex digits derived from `seed`, the shape of engine ids.
pub(crate) fn hex_id(seed: u64) -> String {
    (0..4).map(|k| format!("{:016x}", mix(seed, k))).collect()
}

fn pick<'a>(r: u64, items: &[&'a str]) -> &'a str {
    let len = items.len().max(1) as u64;
    items
        .get(usize::try_from(r % len).unwrap_or(0))
        .copied()
        .unwrap_or("")
}

fn dt(ts: Nanos) -> DateTime<Utc> {
    let secs = ts.div_euclid(SEC);
    let sub = u32::try_from(ts.rem_euclid(SEC)).unwrap_or(0);
    DateTime::from_timestamp(secs, sub).unwrap_or_default()
}

fn iso_ms(ts: Nanos) -> String {
    dt(ts).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Which stream the n-th generated line goes to.
pub(crate) fn stream_of(style: LogStyle, seed: u64, n: u64) -> LogStream {
    let r = mix(seed, n) % 100;
    let err = match style {
        LogStyle::Postgres | LogStyle::Prometheus => return LogStream::Stderr,
        LogStyle::Grafana | LogStyle::Redis => return LogStream::Stdout,
        LogStyle::Nginx => r < 4,
        LogStyle::JsonApi => r < 8,
        LogStyle::Worker => r < 10,
        LogStyle::Batch => r < 3,
        LogStyle::Bench => n % 10 == 9,
    };
    if err {
        LogStream::Stderr
    } else {
        LogStream::Stdout
    }
}

/// The n-th generated line, without its trailing newline.
pub(crate) fn render(style: LogStyle, seed: u64, n: u64, ts: Nanos) -> String {
    let r = mix(seed, n);
    let stream = stream_of(style, seed, n);
    match style {
        LogStyle::Nginx => nginx(r, n, ts, stream),
        LogStyle::JsonApi => json_api(r, ts, stream),
        LogStyle::Worker => worker(r, n, ts, stream),
        LogStyle::Postgres => postgres(r, ts),
        LogStyle::Redis => redis(r, ts),
        LogStyle::Prometheus => prometheus(r, ts),
        LogStyle::Grafana => grafana(r, ts),
        LogStyle::Batch => batch(r, n, stream),
        LogStyle::Bench => bench(seed, n, ts, stream),
    }
}

fn nginx(r: u64, n: u64, ts: Nanos, stream: LogStream) -> String {
    if stream == LogStream::Stderr {
        let when = dt(ts).format("%Y/%m/%d %H:%M:%S");
        let msg = pick(
            r >> 8,
            &[
                "upstream timed out (110: Connection timed out) while reading response header from upstream, client: 172.18.0.1, server: shop.local, request: \"POST /checkout HTTP/1.1\", upstream: \"http://172.18.0.4:8080/checkout\", host: \"shop.local\"",
                "connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: shop.local, request: \"GET /api/cart HTTP/1.1\", upstream: \"http://172.18.0.4:8080/api/cart\", host: \"shop.local\"",
                "open() \"/usr/share/nginx/html/wp-login.php\" failed (2: No such file or directory), client: 198.51.100.23, server: shop.local, request: \"GET /wp-login.php HTTP/1.1\", host: \"shop.local\"",
            ],
        );
        let level = if (r >> 4) % 3 == 2 { "warn" } else { "error" };
        return format!("{when} [{level}] 29#29: *{} {msg}", 1000 + n);
    }
    let when = dt(ts).format("%d/%b/%Y:%H:%M:%S +0000");
    let path = pick(
        r >> 8,
        &[
            "/",
            "/products",
            "/products/1042",
            "/products/2210",
            "/cart",
            "/api/cart/items",
            "/checkout",
            "/static/app.3f9a1c.js",
            "/static/styles.css",
            "/api/search?q=running+shoes",
            "/healthz",
        ],
    );
    let method = if path.starts_with("/api/cart") || path == "/checkout" {
        "POST"
    } else {
        "GET"
    };
    let status = match (r >> 20) % 60 {
        0 => 502,
        1 | 2 => 404,
        3..=8 if path.starts_with("/static") => 304,
        _ => 200,
    };
    let bytes = if status == 304 {
        0
    } else {
        200 + (r >> 28) % 48_000
    };
    let ip = pick(
        r >> 36,
        &[
            "172.18.0.1",
            "10.0.4.17",
            "10.0.4.23",
            "192.0.2.44",
            "198.51.100.7",
        ],
    );
    let agent = pick(
        r >> 44,
        &[
            "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
            "curl/8.10.1",
            "kube-probe/1.31",
        ],
    );
    format!("{ip} - - [{when}] \"{method} {path} HTTP/1.1\" {status} {bytes} \"-\" \"{agent}\"")
}

fn json_api(r: u64, ts: Nanos, stream: LogStream) -> String {
    let time = iso_ms(ts);
    let rid = format!("{:016x}", r.rotate_left(17));
    if stream == LogStream::Stderr {
        return if r.is_multiple_of(3) {
            format!(
                "{{\"time\":\"{time}\",\"level\":\"error\",\"msg\":\"payment provider returned an error\",\"provider\":\"stripe\",\"status\":502,\"request_id\":\"{rid}\",\"error\":\"upstream connect error or disconnect/reset before headers\"}}"
            )
        } else {
            format!(
                "{{\"time\":\"{time}\",\"level\":\"warn\",\"msg\":\"slow query\",\"query\":\"SELECT id, total FROM orders WHERE customer_id = $1\",\"duration_ms\":{},\"request_id\":\"{rid}\"}}",
                400 + (r >> 12) % 900
            )
        };
    }
    let path = pick(
        r >> 8,
        &[
            "/v1/products",
            "/v1/products/1042",
            "/v1/orders",
            "/v1/orders/88213",
            "/v1/cart",
            "/v1/users/me",
            "/healthz",
        ],
    );
    let method = if path == "/v1/orders" && (r >> 4).is_multiple_of(2) {
        "POST"
    } else {
        "GET"
    };
    let status = match (r >> 24) % 40 {
        0 => 404,
        1 => 401,
        _ if method == "POST" => 201,
        _ => 200,
    };
    let ms = (r >> 32) % 2000;
    format!(
        "{{\"time\":\"{time}\",\"level\":\"info\",\"msg\":\"request completed\",\"method\":\"{method}\",\"path\":\"{path}\",\"status\":{status},\"duration_ms\":{}.{},\"request_id\":\"{rid}\"}}",
        ms / 10,
        ms % 10
    )
}

fn worker(r: u64, n: u64, ts: Nanos, stream: LogStream) -> String {
    let time = format!("\x1b[2m{}{RESET}", iso_ms(ts));
    let job = 48_000 + n;
    if stream == LogStream::Stderr {
        let why = pick(
            r >> 8,
            &[
                "connection reset by peer",
                "smtp: 421 4.7.0 try again later",
                "webhook endpoint returned 503",
            ],
        );
        return format!(
            "{time} \x1b[31mERROR{RESET} \x1b[1mworker::jobs{RESET}: job id={job} failed: {why} (retry {}/5)",
            1 + (r >> 16) % 4
        );
    }
    let (kind, queue) = match (r >> 8) % 4 {
        0 => ("send_receipt", "emails"),
        1 => ("sync_inventory", "default"),
        2 => ("deliver_webhook", "webhooks"),
        _ => ("resize_image", "media"),
    };
    match (r >> 20) % 12 {
        0 => format!(
            "{time} \x1b[33m WARN{RESET} \x1b[1mworker::queue{RESET}: queue={queue} backlog={} above threshold",
            500 + (r >> 24) % 3000
        ),
        1 => format!("{time} \x1b[34mDEBUG{RESET} worker::pool: idle workers=3 busy=5"),
        _ => format!(
            "{time} \x1b[32m INFO{RESET} \x1b[1mworker::jobs{RESET}: processed job id={job} queue={queue} kind={kind} elapsed={}ms",
            5 + (r >> 28) % 400
        ),
    }
}

fn postgres(r: u64, ts: Nanos) -> String {
    let when = dt(ts).format("%Y-%m-%d %H:%M:%S%.3f UTC");
    let pid = 60 + (r >> 40) % 40;
    let msg = match r % 9 {
        0 => "LOG:  checkpoint starting: time".to_string(),
        1 => format!(
            "LOG:  checkpoint complete: wrote {} buffers (0.{}%); 0 WAL file(s) added, 0 removed, 1 recycled",
            10 + (r >> 8) % 200,
            (r >> 16) % 9
        ),
        2 => "LOG:  automatic vacuum of table \"shop.public.orders\": index scans: 1".to_string(),
        3 => "ERROR:  duplicate key value violates unique constraint \"orders_pkey\"".to_string(),
        4 => "FATAL:  password authentication failed for user \"report\"".to_string(),
        _ => format!(
            "LOG:  duration: {}.{} ms  statement: SELECT * FROM products WHERE category_id = 7",
            (r >> 8) % 900,
            (r >> 20) % 1000
        ),
    };
    format!("{when} [{pid}] {msg}")
}

fn redis(r: u64, ts: Nanos) -> String {
    let when = dt(ts).format("%d %b %Y %H:%M:%S%.3f");
    let msg = match r % 5 {
        0 => "* 100 changes in 300 seconds. Saving...".to_string(),
        1 => format!("* Background saving started by pid {}", 20 + (r >> 8) % 500),
        2 => "* DB saved on disk".to_string(),
        3 => "* Background saving terminated with success".to_string(),
        _ => format!(
            "* Fork CoW for RDB: current {} MB, peak {} MB",
            (r >> 8) % 4,
            (r >> 12) % 8
        ),
    };
    format!("1:M {when} {msg}")
}

fn prometheus(r: u64, ts: Nanos) -> String {
    let time = iso_ms(ts);
    match r % 6 {
        0 => format!(
            "time={time} level=WARN source=scrape.go:1780 msg=\"Error on ingesting samples with different value but same timestamp\" component=\"scrape manager\" scrape_pool=node target=http://node-exporter:9100/metrics num_dropped={}",
            1 + (r >> 8) % 5
        ),
        1 => format!(
            "time={time} level=INFO source=compact.go:576 msg=\"write block\" component=tsdb duration={}ms",
            100 + (r >> 8) % 900
        ),
        2 => format!(
            "time={time} level=ERROR source=notifier.go:559 msg=\"Error sending alert\" component=notifier alertmanager=http://alertmanager:9093/api/v2/alerts count=1 err=\"context deadline exceeded\""
        ),
        _ => format!(
            "time={time} level=INFO source=head.go:1398 msg=\"Head GC completed\" component=tsdb caller=truncateMemory duration={}.{}ms",
            (r >> 8) % 20,
            (r >> 16) % 10
        ),
    }
}

fn grafana(r: u64, ts: Nanos) -> String {
    let time = iso_ms(ts);
    match r % 7 {
        0 => format!(
            "logger=cleanup t={time} level=info msg=\"Completed cleanup jobs\" duration={}ms",
            5 + (r >> 8) % 50
        ),
        1 => format!(
            "logger=tsdb.prometheus t={time} level=error msg=\"Failed to query\" error=\"Post \\\"http://prometheus:9090/api/v1/query_range\\\": context deadline exceeded\""
        ),
        _ => format!(
            "logger=context userId=1 orgId=1 uname=admin t={time} level=info msg=\"Request Completed\" method=GET path=/api/dashboards/uid/shop-overview status=200 remote_addr=172.19.0.1 time_ms={} size={}",
            3 + (r >> 8) % 90,
            800 + (r >> 16) % 9000
        ),
    }
}

fn batch(r: u64, n: u64, stream: LogStream) -> String {
    if stream == LogStream::Stderr {
        return "/usr/local/lib/python3.12/site-packages/torch/utils/data/dataloader.py:617: UserWarning: This DataLoader will create 8 worker processes in total.".to_string();
    }
    let step = (n % 500) * 10;
    let epoch = 1 + n / 500;
    let loss = 2.5 / (1.0 + n as f64 / 200.0) + ((r % 100) as f64) / 1000.0;
    format!(
        "epoch {epoch}/20 step {step}/5000 loss={loss:.4} lr=3.0e-4 samples/s={}",
        900 + (r >> 8) % 200
    )
}

fn bench(seed: u64, n: u64, ts: Nanos, stream: LogStream) -> String {
    let level = if stream == LogStream::Stderr {
        "error"
    } else {
        "info"
    };
    let body = format!(
        "ts={} seq={n} level={level} msg=\"synthetic line\" src={:08x} payload={:016x}",
        iso_ms(ts),
        seed & 0xffff_ffff,
        mix(seed, n)
    );
    if n % 7 == 3 {
        format!("\x1b[36m{body}{RESET}")
    } else {
        body
    }
}

/// Lines a process prints as it starts.
pub(crate) fn start_lines(style: LogStyle) -> Vec<(LogStream, &'static str)> {
    use LogStream::{Stderr, Stdout};
    match style {
        LogStyle::Nginx => vec![
            (
                Stdout,
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ),
            (Stderr, "[notice] 1#1: nginx/1.27.2"),
            (Stderr, "[notice] 1#1: start worker processes"),
        ],
        LogStyle::JsonApi => vec![(
            Stdout,
            "{\"level\":\"info\",\"msg\":\"listening\",\"addr\":\":8080\"}",
        )],
        LogStyle::Worker => vec![(
            Stdout,
            "\x1b[32m INFO\x1b[0m worker: starting 8 workers, broker=redis://cache:6379/0",
        )],
        LogStyle::Postgres => vec![(
            Stderr,
            "LOG:  database system is ready to accept connections",
        )],
        LogStyle::Redis => vec![(Stdout, "1:M * Ready to accept connections tcp")],
        LogStyle::Prometheus => vec![(
            Stderr,
            "level=INFO source=main.go:1324 msg=\"Server is ready to receive web requests.\"",
        )],
        LogStyle::Grafana => vec![(
            Stdout,
            "logger=http.server level=info msg=\"HTTP Server Listen\" address=[::]:3000 protocol=http",
        )],
        LogStyle::Batch => vec![(
            Stdout,
            "Loading dataset from /data/train.parquet (1.2M rows)",
        )],
        LogStyle::Bench => vec![(Stdout, "bench container started")],
    }
}

/// Lines a process prints when asked to stop.
pub(crate) fn stop_lines(style: LogStyle) -> Vec<(LogStream, &'static str)> {
    use LogStream::{Stderr, Stdout};
    match style {
        LogStyle::Nginx => vec![(
            Stderr,
            "[notice] 1#1: signal 3 (SIGQUIT) received, shutting down",
        )],
        LogStyle::Postgres => vec![
            (Stderr, "LOG:  received fast shutdown request"),
            (Stderr, "LOG:  database system is shut down"),
        ],
        LogStyle::Redis => vec![(Stdout, "1:M # User requested shutdown...")],
        LogStyle::JsonApi => vec![(
            Stdout,
            "{\"level\":\"info\",\"msg\":\"shutting down gracefully\"}",
        )],
        _ => vec![(Stdout, "received SIGTERM, shutting down")],
    }
}

/// What a process prints as it dies by itself with `exit_code`.
pub(crate) fn crash_lines(style: LogStyle, exit_code: i64, oom: bool) -> Vec<(LogStream, String)> {
    use LogStream::Stderr;
    if oom {
        // The kernel kills the process outright; the best it can do is warn.
        return match style {
            LogStyle::Redis => vec![(
                LogStream::Stdout,
                "1:M # WARNING: used_memory is close to maxmemory".into(),
            )],
            _ => Vec::new(),
        };
    }
    match style {
        LogStyle::Worker => vec![
            (Stderr, "\x1b[31mERROR\x1b[0m worker: lost connection to broker: connection closed by server".into()),
            (Stderr, "thread 'main' panicked at src/worker/queue.rs:214:18:".into()),
            (Stderr, "called `Result::unwrap()` on an `Err` value: ConnectionReset".into()),
            (Stderr, "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace".into()),
        ],
        LogStyle::Batch if exit_code == 0 => vec![(LogStream::Stdout, "training finished, model written to /out/model.pt".into())],
        _ => vec![(Stderr, format!("fatal: exiting with status {exit_code}"))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_deterministic_and_styled() {
        let ts = 1_700_000_000 * SEC;
        let a = render(LogStyle::Nginx, 7, 3, ts);
        assert_eq!(a, render(LogStyle::Nginx, 7, 3, ts));
        let b = render(LogStyle::Bench, 1, 3, ts);
        assert!(
            b.starts_with("\x1b[36mts=2023-11-14T22:13:20.000Z seq=3 "),
            "{b}"
        );
        assert_eq!(stream_of(LogStyle::Bench, 1, 9), LogStream::Stderr);
        assert_eq!(stream_of(LogStyle::Postgres, 1, 4), LogStream::Stderr);
    }

    #[test]
    fn chatty_styles_use_both_streams() {
        for style in [LogStyle::Nginx, LogStyle::JsonApi, LogStyle::Worker] {
            let errs = (0..400)
                .filter(|&n| stream_of(style, 42, n) == LogStream::Stderr)
                .count();
            assert!(errs > 0 && errs < 100, "{style:?}: {errs}");
        }
    }
}
