//! Believable log lines for the demo's containers: access logs, structured
//! JSON, coloured levels (SGR, as many apps print), and crash output.

use chrono::{DateTime, SecondsFormat, Utc};

use super::state::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// nginx-style access log.
    Web,
    /// JSON structured logs.
    Api,
    /// Coloured level prefixes (ANSI SGR).
    Worker,
    /// A Go service that panics.
    Panicky,
    /// A JVM service that runs out of memory.
    Hungry,
    /// A key-value store.
    Db,
    /// logfmt, as Prometheus and Grafana write.
    Logfmt,
    /// Scale scenario and bare pods: short and cheap.
    Plain,
}

const PATHS: &[&str] = &[
    "/",
    "/healthz",
    "/api/v1/cart",
    "/api/v1/products?page=2",
    "/static/app.js",
    "/api/v1/checkout",
    "/login",
    "/api/v1/orders/88213",
];
const STATUS: &[u16] = &[200, 200, 200, 200, 200, 201, 204, 304, 404, 500];
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (X11; Linux x86_64)",
    "curl/8.5.0",
    "kube-probe/1.31",
    "Go-http-client/1.1",
];

pub(crate) fn startup(
    flavor: Flavor,
    pod: &str,
    container: &str,
    at: DateTime<Utc>,
) -> Vec<String> {
    let nginx = at.format("%Y/%m/%d %H:%M:%S");
    let redis = at.format("%d %b %Y %H:%M:%S%.3f");
    let iso = at.to_rfc3339_opts(SecondsFormat::Secs, true);
    match flavor {
        Flavor::Web => vec![
            "/docker-entrypoint.sh: Configuration complete; ready for start up".into(),
            format!("{nginx} [notice] 1#1: start worker processes ({container})"),
        ],
        Flavor::Api => vec![
            format!(r#"{{"level":"info","msg":"starting server","pod":"{pod}","addr":":8080"}}"#),
            r#"{"level":"info","msg":"connected to database","pool":10}"#.into(),
        ],
        Flavor::Worker => vec![
            "\x1b[32mINFO\x1b[0m  worker booting, concurrency=8".into(),
            "\x1b[32mINFO\x1b[0m  subscribed to queue orders.created".into(),
        ],
        Flavor::Panicky => vec![
            format!("cart-service v2.3.1 starting on :8080 (pod {pod})"),
            "loading price rules from redis://redis-0.redis:6379".into(),
        ],
        Flavor::Hungry => vec![
            "OpenJDK 64-Bit Server VM warning: -Xmx larger than container limit".into(),
            "Started LedgerApplication in 4.812 seconds (process running for 5.3)".into(),
        ],
        Flavor::Db => vec![
            format!("1:C {redis} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"),
            format!("1:M {redis} * Ready to accept connections tcp"),
        ],
        Flavor::Logfmt => vec![
            format!(r#"ts={iso} level=info msg="Starting" container={container}"#),
            format!(r#"ts={iso} level=info msg="Server is ready to receive web requests.""#),
        ],
        Flavor::Plain => vec![format!("started {container}")],
    }
}

pub(crate) fn line(flavor: Flavor, seq: u64, at: DateTime<Utc>, rng: &mut Rng) -> String {
    let path = rng.pick(PATHS).copied().unwrap_or("/");
    let status = rng.pick(STATUS).copied().unwrap_or(200);
    let ms = 1 + rng.below(400);
    match flavor {
        Flavor::Web => {
            let agent = rng.pick(AGENTS).copied().unwrap_or("-");
            format!(
                "10.244.{}.{} - - \"GET {path} HTTP/1.1\" {status} {} \"-\" \"{agent}\" rt={}.{:03}",
                rng.below(4),
                2 + rng.below(250),
                200 + rng.below(9000),
                ms / 1000,
                ms % 1000
            )
        }
        Flavor::Api => {
            let level = if status >= 500 {
                "error"
            } else if status >= 400 {
                "warn"
            } else {
                "info"
            };
            format!(
                r#"{{"level":"{level}","msg":"request","method":"GET","path":"{path}","status":{status},"duration_ms":{ms},"req":{seq}}}"#
            )
        }
        Flavor::Worker => match rng.below(10) {
            0 => format!("\x1b[33mWARN\x1b[0m  job {seq} retry 1/5: upstream timeout after {ms}ms"),
            1 => format!("\x1b[31mERROR\x1b[0m job {seq} failed: card declined (code 51)"),
            _ => format!("\x1b[32mINFO\x1b[0m  job {seq} done in {ms}ms"),
        },
        Flavor::Panicky => format!("GET {path} -> {status} ({ms}ms)"),
        Flavor::Hungry => format!(
            "INFO  [ledger] posted batch {seq}: {} entries, heap {} MiB",
            10 + rng.below(90),
            180 + (seq % 70)
        ),
        Flavor::Db => format!(
            "1:M {} * {} changes in 60 seconds. Saving...",
            at.format("%d %b %Y %H:%M:%S%.3f"),
            1 + rng.below(100)
        ),
        Flavor::Logfmt => format!(
            r#"ts={} level=info component=scrape msg="scrape done" target={seq} duration={ms}ms"#,
            at.to_rfc3339_opts(SecondsFormat::Millis, true)
        ),
        Flavor::Plain => format!("tick {seq}"),
    }
}

/// What a container prints as it dies.
pub(crate) fn crash(flavor: Flavor, oom: bool) -> Vec<String> {
    if oom || flavor == Flavor::Hungry {
        return vec![
            "WARN  [ledger] allocating 512 MiB buffer for reconciliation batch".into(),
            "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space".into(),
            "\tat com.example.ledger.Reconciler.load(Reconciler.java:88)".into(),
        ];
    }
    vec![
        "panic: runtime error: invalid memory address or nil pointer dereference".into(),
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6d2f1a]".into(),
        String::new(),
        "goroutine 1 [running]:".into(),
        "main.(*PriceRules).Apply(0x0, {0xc000128000, 0x3, 0x4})".into(),
        "\t/src/cart/rules.go:42 +0x1a".into(),
        "main.main()".into(),
        "\t/src/cart/main.go:117 +0x2c5".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_vary_and_are_single_lines() {
        let mut rng = Rng::new(7);
        for f in [
            Flavor::Web,
            Flavor::Api,
            Flavor::Worker,
            Flavor::Hungry,
            Flavor::Db,
            Flavor::Logfmt,
        ] {
            let a = line(f, 1, Utc::now(), &mut rng);
            assert!(!a.contains('\n'), "{a}");
            assert!(!a.is_empty());
        }
        assert!(crash(Flavor::Panicky, false)[0].starts_with("panic:"));
    }
}
