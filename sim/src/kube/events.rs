//! core/v1 Events as kubelet and controllers record them: repeated events
//! are folded into one with a growing `count`, and old ones expire.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::objects::rfc3339;
use super::store::{Key, Kind, Store};

/// Who reports an event: `kubelet` on a node, or a control-plane component.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'a> {
    Kubelet(&'a str),
    Scheduler,
    ReplicaSetController,
    DeploymentController,
    StatefulSetController,
}

impl Source<'_> {
    fn component(&self) -> &'static str {
        match self {
            Source::Kubelet(_) => "kubelet",
            Source::Scheduler => "default-scheduler",
            Source::ReplicaSetController => "replicaset-controller",
            Source::DeploymentController => "deployment-controller",
            Source::StatefulSetController => "statefulset-controller",
        }
    }
}

pub(crate) struct EventLog {
    /// (involved uid, reason, message) → the event that counts repeats.
    index: HashMap<(String, String, String), Key>,
    order: VecDeque<(Key, (String, String, String))>,
    cap: usize,
    seq: u64,
}

impl EventLog {
    pub(crate) fn new(cap: usize) -> EventLog {
        EventLog {
            index: HashMap::new(),
            order: VecDeque::new(),
            cap: cap.max(8),
            seq: 0,
        }
    }

    /// Records (or counts again) an event about `involved`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        &mut self,
        store: &mut Store,
        involved: &Value,
        field_path: Option<&str>,
        warning: bool,
        reason: &str,
        message: &str,
        source: Source<'_>,
        at: DateTime<Utc>,
    ) {
        let s = |p: &str| {
            involved
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let (ns, name, uid) = (
            s("/metadata/namespace"),
            s("/metadata/name"),
            s("/metadata/uid"),
        );
        let ns = if ns.is_empty() {
            "default".to_string()
        } else {
            ns
        };
        let ikey = (uid.clone(), reason.to_string(), message.to_string());
        if let Some((ens, ename)) = self.index.get(&ikey).cloned() {
            let ts = rfc3339(at);
            let updated = store.update(Kind::Event, &ens, &ename, |v| {
                let count = v.get("count").and_then(Value::as_u64).unwrap_or(1);
                v["count"] = json!(count + 1);
                v["lastTimestamp"] = json!(ts);
                Ok(())
            });
            if updated.is_ok() {
                return;
            }
            self.index.remove(&ikey);
        }
        self.seq += 1;
        let ename = format!(
            "{name}.{:016x}",
            at.timestamp_nanos_opt().unwrap_or(0) as u64 ^ self.seq
        );
        let mut obj = json!({"kind": s("/kind"), "namespace": ns, "name": name, "uid": uid,
                             "apiVersion": s("/apiVersion"),
                             "resourceVersion": s("/metadata/resourceVersion")});
        if let Some(fp) = field_path {
            obj["fieldPath"] = json!(fp);
        }
        let mut src = json!({"component": source.component()});
        let instance = match source {
            Source::Kubelet(node) => {
                src["host"] = json!(node);
                node.to_string()
            }
            _ => String::new(),
        };
        let ev = json!({
            "metadata": {"name": ename, "namespace": ns, "creationTimestamp": rfc3339(at)},
            "involvedObject": obj,
            "reason": reason,
            "message": message,
            "source": src,
            "firstTimestamp": rfc3339(at),
            "lastTimestamp": rfc3339(at),
            "count": 1,
            "type": if warning { "Warning" } else { "Normal" },
            "eventTime": null,
            "reportingComponent": source.component(),
            "reportingInstance": instance,
        });
        if store.create(Kind::Event, ev).is_ok() {
            let key = (ns, ename);
            self.index.insert(ikey.clone(), key.clone());
            self.order.push_back((key, ikey));
        }
        while self.order.len() > self.cap {
            if let Some(((ens, ename), ikey)) = self.order.pop_front() {
                self.index.remove(&ikey);
                store.delete(Kind::Event, &ens, &ename);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_and_old_events_expire() {
        let mut store = Store::new(1000);
        let pod = store
            .create(
                Kind::Pod,
                json!({"metadata": {"name": "p", "namespace": "ns"}}),
            )
            .expect("pod")
            .value
            .clone();
        let mut log = EventLog::new(8);
        let now = Utc::now();
        for _ in 0..3 {
            log.record(
                &mut store,
                &pod,
                None,
                true,
                "BackOff",
                "back-off",
                Source::Kubelet("n1"),
                now,
            );
        }
        assert_eq!(store.count(Kind::Event), 1);
        let (_, ev) = store
            .range(Kind::Event, Some("ns"), None)
            .next()
            .expect("event");
        assert_eq!(ev.value["count"], json!(3));
        assert_eq!(ev.value["involvedObject"]["kind"], json!("Pod"));
        for i in 0..20 {
            log.record(
                &mut store,
                &pod,
                None,
                false,
                "Pulled",
                &format!("m{i}"),
                Source::Scheduler,
                now,
            );
        }
        assert_eq!(store.count(Kind::Event), 8);
    }
}
