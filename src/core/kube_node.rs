//! Node actions' data (cordon, uncordon, drain): the plan a drain shows
//! before it asks, and the drain waiting for that plan.

use super::ids::StreamId;

/// How long a drain waits for PodDisruptionBudgets by default: kubectl's
/// `--timeout` is unbounded, but a cockpit must tell the user something.
pub const DRAIN_TIMEOUT_SECS: u64 = 120;

/// What `kubectl drain` would do on a node, listed before it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DrainPlan {
    /// `namespace/name` of each pod to evict.
    pub evict: Vec<String>,
    /// Pods a DaemonSet controls: the DaemonSet would only recreate them
    /// on the same node, so kubectl (`--ignore-daemonsets`) leaves them.
    pub daemonset: usize,
    /// Static pods' mirrors: the kubelet owns them; the API cannot evict them.
    pub mirror: usize,
    /// Pods no controller recreates elsewhere (evicted, they are gone).
    pub unmanaged: usize,
}

impl DrainPlan {
    /// One sentence for the dialog: how many pods go, which stay.
    pub fn summary(&self) -> String {
        let n = self.evict.len();
        let mut text = format!(
            "cordon it and evict {n} pod{}",
            if n == 1 { "" } else { "s" }
        );
        let mut kept = Vec::new();
        if self.daemonset > 0 {
            kept.push(format!("{} DaemonSet", self.daemonset));
        }
        if self.mirror > 0 {
            kept.push(format!("{} mirror", self.mirror));
        }
        if !kept.is_empty() {
            let stay = match self.daemonset + self.mirror {
                1 => "pod stays",
                _ => "pods stay",
            };
            text.push_str(&format!(" ({} {stay})", kept.join(", ")));
        }
        if self.unmanaged > 0 {
            text.push_str(&format!(
                "; {} without a controller will not come back",
                self.unmanaged
            ));
        }
        text
    }
}

/// Node actions in flight on the pane.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeActions {
    /// A drain whose plan was asked for: its dialog opens when it arrives.
    pub planning: Option<PlanRequest>,
    /// `[kubernetes] drain_timeout_secs`; 0 means the default.
    pub drain_timeout_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRequest {
    pub request: StreamId,
    pub context: String,
    pub node: String,
}

impl NodeActions {
    pub fn timeout_secs(&self) -> u64 {
        match self.drain_timeout_secs {
            0 => DRAIN_TIMEOUT_SECS,
            n => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_what_goes_and_what_stays() {
        let plan = DrainPlan {
            evict: vec!["shop/web-1".into(), "shop/web-2".into()],
            daemonset: 1,
            mirror: 0,
            unmanaged: 1,
        };
        assert_eq!(
            plan.summary(),
            "cordon it and evict 2 pods (1 DaemonSet pod stays); 1 without a controller will not come back"
        );
        let one = DrainPlan {
            evict: vec!["a/b".into()],
            ..DrainPlan::default()
        };
        assert_eq!(one.summary(), "cordon it and evict 1 pod");
        let kept = DrainPlan {
            daemonset: 2,
            mirror: 1,
            ..DrainPlan::default()
        };
        assert_eq!(
            kept.summary(),
            "cordon it and evict 0 pods (2 DaemonSet, 1 mirror pods stay)"
        );
    }
}
