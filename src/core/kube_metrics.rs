//! CPU and memory from the cluster's metrics API (`metrics.k8s.io`, served
//! by metrics-server), shown as `kubectl top` prints them: CPU in
//! millicores (`123m`), memory in mebibytes (`45Mi`). The figures are polled
//! only while the pods list or the nodes list is on screen; a cluster that
//! does not serve the API gets "n/a" and one plain reason in the footer.

use std::collections::{BTreeMap, HashMap};

use super::ids::StreamId;
use super::kube::PodKey;

/// What a pod or node uses now, as numbers the sort compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Millicores, rounded up as kubectl's `MilliValue` does.
    pub cpu_milli: u64,
    pub memory_bytes: u64,
}

/// Which list the figures are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsOf {
    Pods,
    Nodes,
}

/// What the source's poll tells `update` (inside `KubeEvent::Metrics`).
#[derive(Debug, Clone, PartialEq)]
pub enum MetricsEvent {
    /// One context's pods, all of them: replaces what was known of it.
    Pods {
        context: String,
        usage: Vec<(PodKey, Usage)>,
    },
    /// One context's nodes, by node name.
    Nodes {
        context: String,
        usage: Vec<(String, Usage)>,
    },
    /// The context does not serve the metrics API, in plain words.
    Unavailable { context: String, reason: String },
}

/// The poll running now: what, its request id and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polling {
    pub of: MetricsOf,
    pub request: StreamId,
    /// (context, namespace; None for all), as the poll was started.
    pub targets: Vec<(String, Option<String>)>,
}

/// The figures last polled, and why a context has none.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub polling: Option<Polling>,
    pub pods: HashMap<PodKey, Usage>,
    /// Keyed like a node's row: (context, "", name).
    pub nodes: HashMap<PodKey, Usage>,
    /// Context -> why it has no figures.
    pub unavailable: BTreeMap<String, String>,
}

impl Metrics {
    /// Applies one poll's answer; true when figures changed.
    pub fn apply(&mut self, ev: MetricsEvent) -> bool {
        match ev {
            MetricsEvent::Pods { context, usage } => {
                self.unavailable.remove(&context);
                self.pods.retain(|k, _| *k.context != *context);
                self.pods.extend(usage);
                true
            }
            MetricsEvent::Nodes { context, usage } => {
                self.unavailable.remove(&context);
                self.nodes.retain(|k, _| *k.context != *context);
                let ctx: std::sync::Arc<str> = context.as_str().into();
                self.nodes.extend(usage.into_iter().map(|(name, u)| {
                    let key = PodKey {
                        context: ctx.clone(),
                        namespace: "".into(),
                        name: name.as_str().into(),
                    };
                    (key, u)
                }));
                true
            }
            MetricsEvent::Unavailable { context, reason } => {
                self.pods.retain(|k, _| *k.context != *context);
                self.nodes.retain(|k, _| *k.context != *context);
                self.unavailable.insert(context, reason);
                true
            }
        }
    }

    /// Forgets every figure: old ones must not pass for current ones when
    /// the list comes back on screen.
    pub fn clear(&mut self) {
        self.pods.clear();
        self.nodes.clear();
        self.unavailable.clear();
    }

    /// The footer's words when a context has no metrics API, once for the
    /// whole list; None when every context serves it.
    pub fn status_words(&self, many_contexts: bool) -> Option<String> {
        let parts: Vec<String> = self
            .unavailable
            .iter()
            .map(|(ctx, reason)| match many_contexts {
                true => format!("{ctx}: {reason}"),
                false => reason.clone(),
            })
            .collect();
        (!parts.is_empty()).then(|| format!("CPU/MEM n/a: {}", parts.join("; ")))
    }

    /// A cell's text: the figure, `n/a` when its context has no metrics
    /// API, `-` when there is no figure (yet, or for a pod not running).
    pub fn cell(&self, usage: Option<&Usage>, context: &str, cpu: bool) -> String {
        match usage {
            Some(u) if cpu => cpu_text(u.cpu_milli),
            Some(u) => memory_text(u.memory_bytes),
            None if self.unavailable.contains_key(context) => "n/a".into(),
            None => "-".into(),
        }
    }
}

/// kubectl top's CPU: millicores, `123m`.
pub fn cpu_text(milli: u64) -> String {
    format!("{milli}m")
}

/// kubectl top's memory: whole mebibytes, rounded down, `45Mi`.
pub fn memory_text(bytes: u64) -> String {
    format!("{}Mi", bytes / (1024 * 1024))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_as_kubectl_top() {
        assert_eq!(cpu_text(0), "0m");
        assert_eq!(cpu_text(1250), "1250m");
        assert_eq!(memory_text(3 * 1024 * 1024 + 1), "3Mi");
        assert_eq!(memory_text(1024 * 1024 - 1), "0Mi");
    }

    #[test]
    fn an_unavailable_context_reads_na_and_is_said_once() {
        let mut m = Metrics::default();
        let key = PodKey::new("a", "ns", "web");
        m.apply(MetricsEvent::Pods {
            context: "a".into(),
            usage: vec![(key.clone(), Usage::default())],
        });
        assert_eq!(m.cell(m.pods.get(&key), "a", true), "0m");
        m.apply(MetricsEvent::Unavailable {
            context: "a".into(),
            reason: "not served".into(),
        });
        assert!(m.pods.is_empty());
        assert_eq!(m.cell(m.pods.get(&key), "a", true), "n/a");
        assert_eq!(m.cell(None, "b", false), "-");
        assert_eq!(
            m.status_words(false).as_deref(),
            Some("CPU/MEM n/a: not served")
        );
        assert_eq!(
            m.status_words(true).as_deref(),
            Some("CPU/MEM n/a: a: not served")
        );
    }
}
