//! What a pod's incident bundle holds: its recent events, the previous
//! container's log of every container that terminated (even when it runs
//! again), and the current log. Only fetched here; `core::incident` writes
//! the Markdown.

use k8s_openapi::api::core::v1::{Event as K8sEvent, Pod};
use kube::Client;
use kube::api::{Api, ListParams, LogParams};

use chrono::SecondsFormat;

use crate::core::incident::{Evidence, PodLog};
use crate::core::kube::{ContainerState, PodRow, Termination};
use crate::logview::{LineSource, LogBuffer};

use super::convert::pod_event;
use super::errors::plain_error;

/// Log lines in a bundle.
const TAIL: i64 = 200;

pub async fn fetch(client: Client, pod: Box<PodRow>) -> Result<Evidence, String> {
    let ns = &pod.key.namespace;
    let events_api: Api<K8sEvent> = Api::namespaced(client.clone(), ns);
    let params = ListParams::default().fields(&format!("involvedObject.name={}", pod.key.name));
    let mut events: Vec<_> = match events_api.list(&params).await {
        Ok(list) => list.items.iter().map(pod_event).collect(),
        Err(e) => {
            tracing::info!(pod = %pod.key.name, error = %plain_error(&e), "bundle: no events");
            Vec::new()
        }
    };
    events.sort_by_key(|e| e.last_seen);
    let pods: Api<Pod> = Api::namespaced(client, ns);
    let name = &pod.key.name;
    let mut logs = Vec::new();
    // The crash first: every app container that terminated before keeps
    // its previous log, even when it runs again (a pod caught between
    // restarts looks healthy; its last life is where the crash is).
    for c in pod.containers.iter().filter(|c| !c.init) {
        if let Some(t) = &c.last_termination {
            logs.push(log(&pods, name, &c.name, Some(t)).await);
        }
    }
    // Then the first app container as it is now, unless it waits to start
    // again (there is no current log to read then).
    if let Some(c) = pod.containers.iter().find(|c| !c.init)
        && !matches!(c.state, ContainerState::Waiting { .. })
    {
        logs.push(log(&pods, name, &c.name, None).await);
    }
    Ok(Evidence::Pod { pod, events, logs })
}

/// One container's log: its previous instance's when `before` (the
/// termination it ended with) is given, else the current one. A log that
/// cannot be had is said so in the bundle; it does not fail it.
async fn log(pods: &Api<Pod>, pod: &str, container: &str, before: Option<&Termination>) -> PodLog {
    let params = LogParams {
        container: Some(container.to_string()),
        previous: before.is_some(),
        tail_lines: Some(TAIL),
        timestamps: true,
        ..Default::default()
    };
    let when = match before {
        Some(t) => format!(" before it terminated ({})", termination_words(t)),
        None => String::new(),
    };
    match pods.logs(pod, &params).await {
        Ok(text) => {
            let lines = lines(&text);
            PodLog {
                title: format!("Last {} log lines of {container}{when}", lines.len()),
                lines,
                missing: None,
            }
        }
        Err(e) => {
            let missing = match (&e, before) {
                // The kubelet keeps one previous container per container,
                // and its log goes with it once it is removed.
                (kube::Error::Api(status), Some(_)) if matches!(status.code, 400 | 404) => format!(
                    "the node no longer has the previous container's log (the kubelet removes \
                     it with the container; the API server said: {})",
                    status.message
                ),
                _ => plain_error(&e),
            };
            PodLog {
                title: format!("Log of {container}{when}"),
                lines: Vec::new(),
                missing: Some(missing),
            }
        }
    }
}

/// "OOMKilled, exit 137, at 2026-11-22T08:00:00Z".
fn termination_words(t: &Termination) -> String {
    let reason = if t.reason.is_empty() {
        "terminated"
    } else {
        &t.reason
    };
    let at = t
        .finished_at
        .map(|f| format!(", at {}", f.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or_default();
    format!("{reason}, exit {}{at}", t.exit_code)
}

/// The log's lines with their timestamps, sanitised as the log view does.
fn lines(text: &str) -> Vec<String> {
    let mut log = LogBuffer::new(TAIL as usize);
    log.set_timestamps(true);
    log.push_bytes(LineSource::stdout(), text.as_bytes());
    log.flush();
    log.iter()
        .map(|(_, l)| match l.timestamp() {
            Some(ts) => format!("{ts} {}", l.text()),
            None => l.text().to_string(),
        })
        .collect()
}
