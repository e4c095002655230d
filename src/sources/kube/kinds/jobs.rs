//! `:job`, like `kubectl get jobs`: NAME, STATUS, COMPLETIONS, DURATION,
//! AGE (kubectl's printer, pkg/printers/internalversion printJob).

use k8s_openapi::api::batch::v1::Job;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};
use crate::sources::kube::convert::{controller, time};

impl KindSource for Job {
    const SPEC: &'static KindSpec = &kube_kinds::JOBS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone().unwrap_or_default();
        let status = self.status.clone().unwrap_or_default();
        let succeeded = status.succeeded.unwrap_or(0);
        let completions = match (spec.completions, spec.parallelism.unwrap_or(1)) {
            (Some(c), _) => format!("{succeeded}/{c}"),
            (None, p) if p > 1 => format!("{succeeded}/1 of {p}"),
            (None, _) => format!("{succeeded}/1"),
        };
        let holds = |kind: &str| {
            status
                .conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == kind && c.status == "True")
        };
        let word = if holds("Complete") {
            "Complete"
        } else if holds("Failed") {
            "Failed"
        } else if holds("FailureTarget") {
            "FailureTarget"
        } else if holds("SuccessCriteriaMet") {
            "SuccessCriteriaMet"
        } else if spec.suspend == Some(true) {
            "Suspended"
        } else if self.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else {
            "Running"
        };
        let start = status.start_time.as_ref().map(time);
        let duration = match (start, status.completion_time.as_ref().map(time)) {
            (Some(s), Some(e)) => Cell::Span(s, e),
            (Some(s), None) => Cell::Age(Some(s)),
            (None, _) => Cell::text(""),
        };
        let name = self.metadata.name.clone()?;
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(word),
                Cell::text(completions),
                duration,
                Cell::Age(created(&self.metadata)),
            ],
            severity: match word {
                "Complete" | "SuccessCriteriaMet" => Severity::Ok,
                "Failed" | "FailureTarget" => Severity::Broken,
                "Suspended" => Severity::Idle,
                _ => Severity::Warning,
            },
            link: Link::Pods(OwnerRef {
                kind: "Job".into(),
                name,
            }),
            warning: false,
            owner: controller(&self.metadata),
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
