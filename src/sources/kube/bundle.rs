//! What a pod's incident bundle holds: its recent events and its last log
//! lines (the previous container's after a crash). Only fetched here;
//! `core::incident` writes the Markdown.

use k8s_openapi::api::core::v1::{Event as K8sEvent, Pod};
use kube::Client;
use kube::api::{Api, ListParams, LogParams};

use crate::core::incident::Evidence;
use crate::core::kube::PodRow;
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
    let previous = pod.wants_previous_log();
    let container = pod.container_names().first().map(|c| c.to_string());
    let log_params = LogParams {
        container: container.clone(),
        previous,
        tail_lines: Some(TAIL),
        timestamps: true,
        ..Default::default()
    };
    let pods: Api<Pod> = Api::namespaced(client, ns);
    let mut log = LogBuffer::new(TAIL as usize);
    log.set_timestamps(true);
    match pods.logs(&pod.key.name, &log_params).await {
        Ok(text) => log.push_bytes(LineSource::stdout(), text.as_bytes()),
        Err(e) => log.push_bytes(
            LineSource::stdout(),
            format!("(no log: {})\n", plain_error(&e)).as_bytes(),
        ),
    }
    log.flush();
    let lines: Vec<String> = log
        .iter()
        .map(|(_, l)| match l.timestamp() {
            Some(ts) => format!("{ts} {}", l.text()),
            None => l.text().to_string(),
        })
        .collect();
    let log_title = format!(
        "Last {} log lines{}{}",
        lines.len(),
        container.map(|c| format!(" of {c}")).unwrap_or_default(),
        if previous {
            " (previous container, before the crash)"
        } else {
            ""
        }
    );
    Ok(Evidence::Pod {
        pod,
        events,
        log_title,
        log_lines: lines,
    })
}
