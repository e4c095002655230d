//! kubectl's describers for batch/v1 (k8s.io/kubectl/pkg/describe/
//! describe.go): `describeJob` and `describeCronJob` with its
//! `describeJobTemplate`. Pod counts come from the Job's own status, as
//! kubectl reads them; nothing else is listed.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::describe::{Writer, str_at, when_at};
use super::describe_pod::pod_template;
use super::describe_workloads::{int_at, labels_and_annotations, name_and_namespace, selector};
use crate::core::time::kube_age;

fn int(v: &Value, pointer: &str) -> Option<i64> {
    v.pointer(pointer).and_then(Value::as_i64)
}

fn time_at(v: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    let t = v.pointer(pointer)?.as_str()?;
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// kubectl's `describeJob`.
pub(super) fn job(w: &mut Writer, job: &Value) {
    name_and_namespace(w, job);
    w.field(0, "Selector", selector(job.pointer("/spec/selector")));
    labels_and_annotations(w, job);
    let owner = job
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true));
    if let Some(r) = owner {
        w.field(
            0,
            "Controlled By",
            format!("{}/{}", str_at(r, "/kind"), str_at(r, "/name")),
        );
    }
    if let Some(n) = int(job, "/spec/parallelism") {
        w.field(0, "Parallelism", n.to_string());
    }
    let completions = int(job, "/spec/completions");
    w.field(
        0,
        "Completions",
        completions.map_or("<unset>".into(), |n| n.to_string()),
    );
    let mode = str_at(job, "/spec/completionMode");
    if !mode.is_empty() {
        w.field(0, "Completion Mode", mode);
    }
    if let Some(s) = job.pointer("/spec/suspend").and_then(Value::as_bool) {
        w.field(0, "Suspend", s.to_string());
    }
    if let Some(n) = int(job, "/spec/backoffLimit") {
        w.field(0, "Backoff Limit", n.to_string());
    }
    if let Some(n) = int(job, "/spec/ttlSecondsAfterFinished") {
        w.field(0, "TTL Seconds After Finished", n.to_string());
    }
    let (start, end) = (
        time_at(job, "/status/startTime"),
        time_at(job, "/status/completionTime"),
    );
    if start.is_some() {
        w.field(0, "Start Time", when_at(job, "/status/startTime"));
    }
    if end.is_some() {
        w.field(0, "Completed At", when_at(job, "/status/completionTime"));
    }
    if let (Some(start), Some(end)) = (start, end) {
        w.field(0, "Duration", kube_age(start, end));
    }
    if let Some(n) = int(job, "/spec/activeDeadlineSeconds") {
        w.field(0, "Active Deadline Seconds", format!("{n}s"));
    }
    let n = |p: &str| int_at(job, p, 0);
    let (active, succeeded, failed) = (
        n("/status/active"),
        n("/status/succeeded"),
        n("/status/failed"),
    );
    let ready = match int(job, "/status/ready") {
        Some(r) => format!(" ({r} Ready)"),
        None => String::new(),
    };
    w.field(
        0,
        "Pods Statuses",
        format!("{active} Active{ready} / {succeeded} Succeeded / {failed} Failed"),
    );
    if mode == "Indexed" {
        w.field(
            0,
            "Completed Indexes",
            capped(str_at(job, "/status/completedIndexes"), 50),
        );
    }
    pod_template(w, job.pointer("/spec/template"));
}

/// kubectl's `capIndexesListOrNone`: the list cut at the first comma
/// after `soft` characters, with `...`.
fn capped(indexes: &str, soft: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.get(soft..).and_then(|rest| rest.find(',')) {
        Some(at) => format!("{}...", &indexes[..=soft + at]),
        None => indexes.to_string(),
    }
}

/// kubectl's `describeCronJob`.
pub(super) fn cron_job(w: &mut Writer, cj: &Value) {
    name_and_namespace(w, cj);
    labels_and_annotations(w, cj);
    w.field(0, "Schedule", str_at(cj, "/spec/schedule"));
    w.field(
        0,
        "Concurrency Policy",
        str_at(cj, "/spec/concurrencyPolicy"),
    );
    let suspend = cj.pointer("/spec/suspend").and_then(Value::as_bool);
    w.field(
        0,
        "Suspend",
        suspend.map_or("<unset>", |s| if s { "True" } else { "False" }),
    );
    let unset_or =
        |v: Option<i64>, unit: &str| v.map_or("<unset>".into(), |n| format!("{n}{unit}"));
    w.field(
        0,
        "Successful Job History Limit",
        unset_or(int(cj, "/spec/successfulJobsHistoryLimit"), ""),
    );
    w.field(
        0,
        "Failed Job History Limit",
        unset_or(int(cj, "/spec/failedJobsHistoryLimit"), ""),
    );
    w.field(
        0,
        "Starting Deadline Seconds",
        unset_or(int(cj, "/spec/startingDeadlineSeconds"), "s"),
    );
    // describeJobTemplate
    let spec = cj
        .pointer("/spec/jobTemplate/spec")
        .cloned()
        .unwrap_or(Value::Null);
    let sel = spec.get("selector").filter(|s| !s.is_null());
    w.field(
        0,
        "Selector",
        sel.map_or("<unset>".into(), |s| selector(Some(s))),
    );
    w.field(0, "Parallelism", unset_or(int(&spec, "/parallelism"), ""));
    w.field(0, "Completions", unset_or(int(&spec, "/completions"), ""));
    if let Some(n) = int(&spec, "/activeDeadlineSeconds") {
        w.field(0, "Active Deadline Seconds", format!("{n}s"));
    }
    pod_template(w, spec.get("template"));
    w.field(
        0,
        "Last Schedule Time",
        when_at(cj, "/status/lastScheduleTime"),
    );
    let active: Vec<&str> = cj
        .pointer("/status/active")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|j| str_at(j, "/name"))
        .collect();
    w.field(0, "Active Jobs", active.join(", "));
}
