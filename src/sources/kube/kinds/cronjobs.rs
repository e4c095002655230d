//! `:cj`, like `kubectl get cronjobs`: NAME, SCHEDULE, TIMEZONE, SUSPEND,
//! ACTIVE, LAST SCHEDULE, AGE. `Enter` shows the Jobs it controls.

use k8s_openapi::api::batch::v1::CronJob;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};
use crate::sources::kube::convert::time;

impl KindSource for CronJob {
    const SPEC: &'static KindSpec = &kube_kinds::CRONJOBS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone();
        let status = self.status.clone().unwrap_or_default();
        let suspended = spec.suspend == Some(true);
        let active = status.active.as_ref().map_or(0, Vec::len);
        let last = status.last_schedule_time.as_ref().map(time);
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(spec.schedule),
                Cell::or_none(spec.time_zone),
                Cell::text(if suspended { "True" } else { "False" }),
                Cell::Count(i64::try_from(active).unwrap_or(i64::MAX)),
                match last {
                    Some(t) => Cell::Age(Some(t)),
                    None => Cell::text("<none>"),
                },
                Cell::Age(created(&self.metadata)),
            ],
            severity: if suspended {
                Severity::Idle
            } else {
                Severity::Ok
            },
            link: Link::Owned {
                kind: "Job",
                owner: OwnerRef {
                    kind: "CronJob".into(),
                    name: self.metadata.name.clone()?,
                },
            },
            warning: false,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
