//! `opsdeck timeline` run as a user would, reading a store written by the
//! library's own writer in a data directory of its own (XDG_DATA_HOME).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::process::Command;

use chrono::{Duration, Utc};
use opsdeck::core::source::SourceKind;
use opsdeck::core::timeline::{Change, Entry};
use opsdeck::timeline_store::{DEFAULT_MAX_BYTES, TimelineStore};

fn entry(id: &str, ago_mins: i64, change: Change, commit: &str) -> Entry {
    Entry {
        at: Utc::now() - Duration::minutes(ago_mins),
        source: if change == Change::RunFinished {
            SourceKind::GitHub
        } else {
            SourceKind::Docker
        },
        change,
        place: "acme/web".into(),
        what: id.into(),
        reason: "why".into(),
        id: id.into(),
        bad: false,
        deploy: true,
        commit: Some(commit.into()),
        workload: None,
        target: None,
    }
}

fn opsdeck(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .env("XDG_DATA_HOME", data)
        .env("HOME", data)
        .arg("--config")
        .arg(data.join("no-config.toml"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn prints_the_stored_history_since_a_time_with_its_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("no-config.toml"), "").unwrap();
    let store = TimelineStore {
        path: dir.path().join("opsdeck/timeline.jsonl"),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    let sha = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
    store
        .append(&[
            entry("old start", 300, Change::ContainerStart, "3f2c1ab"),
            entry("deploy #231", 20, Change::RunFinished, sha),
            entry("container web-1", 10, Change::ContainerStart, "3f2c1ab"),
        ])
        .unwrap();
    let out = opsdeck(dir.path(), &["timeline", "--since", "2h", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "opsdeck.timeline/v1");
    let entries = json["entries"].as_array().unwrap();
    let whats: Vec<&str> = entries
        .iter()
        .map(|e| e["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        whats,
        ["container web-1", "deploy #231"],
        "newest first, 2h only"
    );
    let link = &entries[0]["links"][0];
    assert_eq!(link["kind"], "built_by");
    assert_eq!(link["matched"][0]["value"], "3f2c1ab");
    assert_eq!(entries[0]["where"], "acme/web");

    let out = opsdeck(dir.path(), &["timeline", "--since", "6h"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.lines().next().unwrap().contains("container web-1"),
        "{text}"
    );
    assert!(text.contains("built by acme/web deploy #231"), "{text}");
}

#[test]
fn a_bad_since_is_a_usage_error_and_no_store_is_said_plainly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("no-config.toml"), "").unwrap();
    let out = opsdeck(dir.path(), &["timeline", "--since", "2 weeks"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("duration"));
    let out = opsdeck(dir.path(), &["timeline"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing in the timeline since"));
}
