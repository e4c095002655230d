//! After a drain's evictions: waiting until each evicted pod is really
//! gone. An accepted eviction only starts a graceful delete (the pod stays,
//! terminating, for its grace period, longer while a finalizer holds it),
//! so a drain that stopped there would let the user power off a node still
//! running pods. kubectl drain does the same wait
//! (k8s.io/kubectl/pkg/drain, `waitForDelete`): it GETs each pod every
//! second until the answer is 404 or a pod of the same name with another
//! UID (a StatefulSet's replacement), bounded only by `--timeout` (by
//! default none). Here the bound is the drain's own deadline
//! (`[kubernetes] drain_timeout_secs`, 120 s by default), shared with the
//! evictions as kubectl shares its one `--timeout`: a cockpit must say
//! something in the end, and one number is all the user has to think about.

use std::future::Future;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::Client;
use kube::api::Api;
use tokio::time::Instant;

use super::errors::plain_error;

/// kubectl's interval between two looks at the same pod.
const POLL: Duration = Duration::from_secs(1);

/// An evicted pod: `namespace/name` and the UID it had when evicted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evicted {
    pub pod: String,
    pub uid: String,
}

/// A pod still there when the time ran out, and what the API last said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stayed {
    pub pod: String,
    pub why: String,
}

/// What one look at a pod found.
#[derive(Debug, PartialEq, Eq)]
enum Look {
    Gone,
    There(String),
}

async fn look(client: &Client, e: &Evicted) -> Look {
    let (ns, name) = e.pod.split_once('/').unwrap_or(("default", &e.pod));
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    match api.get_opt(name).await {
        Ok(found) => judge(found, &e.uid),
        Err(err) => Look::There(format!("could not be checked: {}", plain_error(&err))),
    }
}

/// What the GET found: nothing (404), or a pod of that name with another
/// UID (a StatefulSet's replacement), means the evicted one is gone.
fn judge(found: Option<Pod>, uid: &str) -> Look {
    let Some(p) = found else {
        return Look::Gone;
    };
    if p.metadata.uid.as_deref() != Some(uid) {
        return Look::Gone;
    }
    if p.metadata.deletion_timestamp.is_none() {
        return Look::There("not terminating".into());
    }
    let held = p.metadata.finalizers.unwrap_or_default();
    if held.is_empty() {
        Look::There("still terminating".into())
    } else {
        Look::There(format!("held by finalizer {}", held.join(", ")))
    }
}

/// One progress line: how many are gone and which one is waited for.
pub fn progress_text(gone: usize, total: usize, waiting: Option<&str>) -> String {
    let mut text = format!("{gone} of {total} pods gone");
    if let Some(pod) = waiting {
        text.push_str(&format!(", waiting for {pod}"));
    }
    text
}

/// Waits until every pod in `evicted` is gone or `deadline` passes; the
/// ones still there are returned with what was last seen of them.
pub async fn wait_gone<F, Fut>(
    client: &Client,
    evicted: Vec<Evicted>,
    deadline: Instant,
    progress: F,
) -> Vec<Stayed>
where
    F: Fn(String) -> Fut,
    Fut: Future,
{
    let total = evicted.len();
    if total == 0 {
        return Vec::new();
    }
    let mut pending = evicted;
    let mut last_said = String::new();
    loop {
        let mut still = Vec::new();
        let mut why = Vec::new();
        for e in pending {
            if let Look::There(w) = look(client, &e).await {
                why.push(w);
                still.push(e);
            }
        }
        pending = still;
        let text = progress_text(
            total - pending.len(),
            total,
            pending.first().map(|e| e.pod.as_str()),
        );
        if text != last_said {
            progress(text.clone()).await;
            last_said = text;
        }
        if pending.is_empty() {
            return Vec::new();
        }
        let now = Instant::now();
        if now >= deadline {
            return pending
                .into_iter()
                .zip(why)
                .map(|(e, why)| Stayed { pod: e.pod, why })
                .collect();
        }
        tokio::time::sleep(POLL.min(deadline - now)).await;
    }
}

/// The sentence naming the pods that did not go away.
pub fn stayed_text(stayed: &[Stayed], timeout: Duration) -> String {
    let n = stayed.len();
    let who: Vec<String> = stayed
        .iter()
        .map(|s| format!("{} ({})", s.pod, s.why))
        .collect();
    format!(
        "{} evicted but had not gone away within the drain's {} s: {}",
        if n == 1 {
            "1 pod was".to_string()
        } else {
            format!("{n} pods were")
        },
        timeout.as_secs(),
        who.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(uid: &str, terminating: bool, finalizers: &[&str]) -> Pod {
        let mut p = Pod::default();
        p.metadata.uid = Some(uid.into());
        p.metadata.deletion_timestamp = terminating
            .then(|| k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(Default::default()));
        p.metadata.finalizers =
            (!finalizers.is_empty()).then(|| finalizers.iter().map(|f| f.to_string()).collect());
        p
    }

    #[test]
    fn gone_is_404_or_a_new_pod_of_the_same_name() {
        assert_eq!(judge(None, "u1"), Look::Gone);
        assert_eq!(judge(Some(pod("u2", false, &[])), "u1"), Look::Gone);
        assert_eq!(
            judge(Some(pod("u1", true, &[])), "u1"),
            Look::There("still terminating".into())
        );
        assert_eq!(
            judge(Some(pod("u1", true, &["example.com/hold"])), "u1"),
            Look::There("held by finalizer example.com/hold".into())
        );
        assert_eq!(
            judge(Some(pod("u1", false, &[])), "u1"),
            Look::There("not terminating".into())
        );
    }

    #[test]
    fn progress_names_the_pod_waited_for() {
        assert_eq!(
            progress_text(3, 5, Some("shop/web-1")),
            "3 of 5 pods gone, waiting for shop/web-1"
        );
        assert_eq!(progress_text(5, 5, None), "5 of 5 pods gone");
    }

    #[test]
    fn the_pods_left_are_named_with_why() {
        let one = [Stayed {
            pod: "shop/web-1".into(),
            why: "held by finalizer example.com/hold".into(),
        }];
        assert_eq!(
            stayed_text(&one, Duration::from_secs(2)),
            "1 pod was evicted but had not gone away within the drain's 2 s: shop/web-1 (held by \
             finalizer example.com/hold)"
        );
        let two = [
            Stayed {
                pod: "a/x".into(),
                why: "still terminating".into(),
            },
            Stayed {
                pod: "a/y".into(),
                why: "still terminating".into(),
            },
        ];
        assert!(stayed_text(&two, Duration::from_secs(120)).starts_with("2 pods were evicted"));
    }
}
