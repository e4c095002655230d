//! `:ev`, like `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT,
//! MESSAGE, newest first.
//!
//! LAST SEEN follows kubectl's event printer (kubernetes
//! pkg/printers/internalversion/printers.go, printEvent): an event of a
//! series (written through events.k8s.io/v1, whose core/v1 view leaves
//! `lastTimestamp` empty) was last seen at `series.lastObservedTime`;
//! otherwise `lastTimestamp`, else `eventTime` (events.k8s.io's only time),
//! else `firstTimestamp`, else the object's creation.

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Event;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};
use crate::sources::kube::convert::time;

impl KindSource for Event {
    const SPEC: &'static KindSpec = &kube_kinds::EVENTS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let o = &self.involved_object;
        let kind = o.kind.clone().unwrap_or_default();
        let name = o.name.clone().unwrap_or_default();
        let warning = self.type_.as_deref() == Some("Warning");
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::Age(last_seen(self)),
                Cell::text(self.type_.clone().unwrap_or_default()),
                Cell::text(self.reason.clone().unwrap_or_default()),
                Cell::text(format!("{}/{name}", kind.to_lowercase())),
                Cell::text(self.message.clone().unwrap_or_default().replace('\n', " ")),
            ],
            severity: if warning {
                Severity::Warning
            } else {
                Severity::Ok
            },
            link: Link::Object {
                kind,
                namespace: o.namespace.clone().unwrap_or_default(),
                name,
            },
            warning,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}

/// When the event was last seen (see the module's note).
pub fn last_seen(e: &Event) -> Option<DateTime<Utc>> {
    let micro = |t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime| {
        DateTime::<Utc>::from(std::time::SystemTime::from(t.0))
    };
    e.series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref().map(micro))
        .or_else(|| e.last_timestamp.as_ref().map(time))
        .or_else(|| e.event_time.as_ref().map(micro))
        .or_else(|| e.first_timestamp.as_ref().map(time))
        .or_else(|| created(&e.metadata))
}
