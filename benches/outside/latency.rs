//! (b) `l` to the log on screen, and (g) key to screen change, on a static
//! list and in a 200,000-line log.

use std::time::{Duration, Instant};

use crate::engine::{BIG, BIG_LINES, EXITED, PROJECT, running_name};
use crate::launch::{Launch, STEP, back_to_list, filter, has_tick_line, select, settle};
use crate::pty::{Key, Pty};
use crate::report::{Report, ms, quantile, spread};

const PRESSES: usize = 50;

/// (b) on a few running containers that have been logging for a while.
pub fn logs_open(pty: &Pty, report: &mut Report) {
    let mut samples = Vec::new();
    let mut problems = Vec::new();
    for i in [7, 21, 33, 42, 48] {
        let name = running_name(i);
        let r = (|| -> Result<Duration, String> {
            select(pty, &name)?;
            let start = Instant::now();
            pty.send("l")?;
            let seen = pty.wait_until("a tick line in the log view", STEP, |s| {
                let text = s.contents();
                text.contains("Logs:") && has_tick_line(&text)
            })?;
            Ok(seen.when.duration_since(start))
        })();
        match r {
            Ok(d) => samples.push(d),
            Err(e) => problems.push(format!("{name}: {e}")),
        }
        if let Err(e) = back_to_list(pty) {
            problems.push(e);
            break;
        }
    }
    if samples.is_empty() {
        report.failed(
            "b",
            "l -> log lines on screen",
            "<= 150 ms",
            problems.join(" / "),
        );
        return;
    }
    let extra = if problems.is_empty() {
        String::new()
    } else {
        format!("; failures: {}", problems.join(" / "))
    };
    report.check(
        "b",
        "l -> log lines on screen (median)",
        ms(quantile(&samples, 0.5)),
        150.0,
        "ms",
        format!("key written until a `tick N` line is drawn, after ~1 min of logging at 5 lines/s; {}{extra}", spread(&samples)),
    );
}

/// (g) on the list filtered to the exited containers, where only the
/// selection can change the screen.
pub fn keys_on_list(pty: &Pty, report: &mut Report) {
    let r = filter(pty, &format!("{PROJECT}-exit"), EXITED).and_then(|_| presses(pty, 'j', 'k'));
    match r {
        Ok(samples) => report.check(
            "g1",
            "j/k -> screen change, list (p95)",
            ms(quantile(&samples, 0.95)),
            20.0,
            "ms",
            format!(
                "{}; list filtered to the exited containers so nothing else changes",
                spread(&samples)
            ),
        ),
        Err(e) => report.failed("g1", "j/k -> screen change, list", "<= 20 ms", e),
    }
    let _ = back_to_list(pty);
}

/// (g) inside the log view of a container that printed 200,000 lines,
/// in an opsdeck that keeps and loads all of them.
pub fn keys_in_big_log(launch: &Launch, report: &mut Report) {
    let config = format!(
        "[ui]\nlog_line_cap = {}\nlog_tail = {BIG_LINES}\n",
        BIG_LINES + 10_000
    );
    let r = (|| -> Result<(Duration, Vec<Duration>), String> {
        let (pty, _) = launch.spawn(Some(&config))?;
        pty.wait_for(&format!("{PROJECT}-idle-"), STEP)?;
        select(&pty, BIG)?;
        let start = Instant::now();
        pty.send("l")?;
        let last = BIG_LINES.to_string();
        let seen = pty.wait_until(
            &format!("line {last} in the log view"),
            Duration::from_secs(60),
            |s| {
                let text = s.contents();
                text.contains("Logs:") && has_token(&text, &last)
            },
        )?;
        let open = seen.when.duration_since(start);
        settle(&pty);
        // Following at the bottom: k scrolls up first.
        let samples = presses(&pty, 'k', 'j')?;
        Ok((open, samples))
    })();
    match r {
        Ok((open, samples)) => {
            report.info(
                "g0",
                "l -> last of 200,000 lines on screen",
                format!("{} ms", crate::report::num(ms(open))),
                format!("config log_tail = {BIG_LINES}: the whole history is fetched and kept"),
            );
            report.check(
                "g2",
                "j/k -> screen change, 200k-line log (p95)",
                ms(quantile(&samples, 0.95)),
                20.0,
                "ms",
                spread(&samples),
            );
        }
        Err(e) => report.failed("g2", "j/k -> screen change, 200k-line log", "<= 20 ms", e),
    }
}

/// Alternates two keys that undo each other; each press must change the
/// screen. The time is from writing the key to the first output chunk
/// after which the screen differs.
fn presses(pty: &Pty, first: char, second: char) -> Result<Vec<Duration>, String> {
    let mut samples = Vec::with_capacity(PRESSES);
    for i in 0..PRESSES {
        let key = if i % 2 == 0 { first } else { second };
        let before = pty.snapshot();
        let start = Instant::now();
        pty.send_key(Key::Char(key))?;
        let seen = pty
            .wait_change(&before, Duration::from_secs(2))
            .map_err(|e| format!("press {i} ({key}): {e}"))?;
        samples.push(seen.when.duration_since(start));
        settle(pty);
    }
    Ok(samples)
}

/// `token` as a whole word of the screen (between spaces or frame lines).
fn has_token(text: &str, token: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| t == token)
}
