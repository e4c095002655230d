//! Finalizers on pods: a graceful delete whose grace period is over
//! removes the object only once `metadata.finalizers` is empty; until then
//! it stays, terminating, with its `deletionTimestamp`, and the write that
//! empties the list removes it
//! (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/);
//! a delete with `gracePeriodSeconds: 0` marks such a pod the same way
//! instead of removing it.
//! A drain that waits for its evicted pods to go away meets exactly such a
//! pod when a controller holding a finalizer is down.

use serde_json::Value;

use super::state::SimState;
use super::store::{Key, Kind};

/// Whether some finalizer still holds the object.
pub(crate) fn held(v: &Value) -> bool {
    v.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
}

/// The kubelet is done with the deleted pod `uid` (its grace period ran
/// out): the object goes unless a finalizer holds it.
pub(crate) fn kubelet_done(st: &mut SimState, key: &Key, uid: &str) {
    let Some(pod) = st.store.get(Kind::Pod, &key.0, &key.1) else {
        return;
    };
    if pod.str_at("/metadata/uid") != uid || held(&pod.value) {
        return;
    }
    st.store.delete(Kind::Pod, &key.0, &key.1);
    st.logs.remove_pod(&key.0, &key.1);
}

/// After a write to a pod: one that is being deleted, whose kubelet has
/// finished and whose finalizers are now all gone, is removed.
pub(crate) fn after_write(st: &mut SimState, kind: Kind, ns: &str, name: &str) {
    if kind != Kind::Pod {
        return;
    }
    let key = (ns.to_string(), name.to_string());
    let Some(pod) = st.store.get(Kind::Pod, ns, name) else {
        return;
    };
    let deleting = pod.value.pointer("/metadata/deletionTimestamp").is_some();
    if deleting && !held(&pod.value) && !st.kubelet.pods.contains_key(&key) {
        st.store.delete(Kind::Pod, ns, name);
        st.logs.remove_pod(ns, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_or_missing_list_holds_nothing() {
        assert!(held(
            &json!({"metadata": {"finalizers": ["example.com/hold"]}})
        ));
        assert!(!held(&json!({"metadata": {"finalizers": []}})));
        assert!(!held(&json!({"metadata": {}})));
    }
}
