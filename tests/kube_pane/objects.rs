//! `y` (YAML) and `d` (describe) through the real kube client against the
//! simulator: a Secret's keys shown and its values masked, managedFields
//! left out although the server sent them, a pod's env var from a Secret
//! in kubectl's words, and `Enter` on a kind without children (a Service,
//! in kubectl's Service layout).

use k8s_openapi::api::core::v1::{Pod, Secret};
use kube::api::{Api, PostParams};
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};

use crate::harness::{Pane, client, scope};

const PLAIN_PASSWORD: &str = "correct-horse-battery";

async fn secret(sim: &KubeSim) {
    let api: Api<Secret> = Api::namespaced(client(sim).await, "shop");
    let s: Secret = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "api-keys", "namespace": "shop"},
        "type": "Opaque",
        "stringData": {"password": PLAIN_PASSWORD, "token": "tok-0123456789"}}))
    .expect("secret");
    api.create(&PostParams::default(), &s)
        .await
        .expect("create");
    // The server keeps field managers, as a real one does: what `y` hides.
    let got = api.get("api-keys").await.expect("get");
    assert!(got.metadata.managed_fields.is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn yaml_of_a_secret_shows_its_keys_and_masks_its_values() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    secret(&sim).await;
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    let key = PodKey::new(CONTEXT, "shop", "api-keys");
    p.open_kind_at("sec", &key).await;
    p.key(KeyCode::Char('y'));
    let (title, text) = p.wait_overlay("the secret's YAML").await;
    assert_eq!(title, "yaml secret/api-keys -n shop");
    assert!(text.contains("kind: Secret"), "{text}");
    assert!(text.contains("password:"), "{text}");
    assert!(text.contains("token:"), "{text}");
    assert!(text.contains("<hidden>"), "{text}");
    assert!(!text.contains("managedFields"), "{text}");
    assert!(
        !text.contains("Y29ycmVjdC"),
        "base64 of the value shown: {text}"
    );
    assert!(!text.contains(PLAIN_PASSWORD), "{text}");
    // `/` searches it as any log: the key is found.
    p.key(KeyCode::Char('/'));
    p.typed("token");
    p.key(KeyCode::Enter);
    let view = &p.app.state.overlay_log.as_ref().expect("view").view;
    assert_eq!(view.query(), "token");
    assert!(view.current_match().is_some(), "search finds the key");
    // `d` on it: sizes, never values.
    p.key(KeyCode::Esc);
    assert!(p.app.state.overlay_log.is_none(), "Esc closed the view");
    assert!(p.app.state.kube.kind.is_some(), "back in :sec");
    p.key(KeyCode::Char('d'));
    let (title, text) = p.wait_overlay("the secret described").await;
    assert_eq!(title, "describe secret/api-keys -n shop");
    assert!(
        text.contains(&format!("password:  {} bytes", PLAIN_PASSWORD.len())),
        "{text}"
    );
    assert!(!text.contains(PLAIN_PASSWORD), "{text}");
    sim.shutdown().await;
}

#[tokio::test]
async fn describe_of_a_pod_names_the_secret_key_of_its_env_never_the_value() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    secret(&sim).await;
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "probe-1", "namespace": "shop", "labels": {"app": "probe"}},
        "spec": {"containers": [{"name": "main", "image": "busybox:1.36",
            "env": [{"name": "MODE", "value": "check"},
                    {"name": "API_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "api-keys", "key": "password"}}}]}]}}))
    .expect("pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("create");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    let key = PodKey::new(CONTEXT, "shop", "probe-1");
    p.until("the pod listed", |p| p.app.state.kube.pod(&key).is_some())
        .await;
    p.select(&key);
    p.key(KeyCode::Char('d'));
    let (title, text) = p.wait_overlay("the pod described").await;
    assert_eq!(title, "describe pod/probe-1 -n shop");
    assert!(text.contains("Name:"), "{text}");
    assert!(text.contains("Labels:           app=probe"), "{text}");
    assert!(text.contains("    Image:"), "{text}");
    assert!(
        text.contains(
            "API_PASSWORD:  <set to the key 'password' in secret 'api-keys'>  Optional: false"
        ),
        "{text}"
    );
    assert!(text.contains("MODE:          check"), "{text}");
    assert!(!text.contains(PLAIN_PASSWORD), "{text}");
    // `y` on the same pod: its YAML, managedFields left out.
    p.key(KeyCode::Esc);
    p.key(KeyCode::Char('y'));
    let (_, text) = p.wait_overlay("the pod's YAML").await;
    assert!(text.contains("name: probe-1"), "{text}");
    assert!(!text.contains("managedFields"), "{text}");
    sim.shutdown().await;
}

#[tokio::test]
async fn enter_on_a_kind_without_children_describes_it() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    let key = PodKey::new(CONTEXT, "shop", "web");
    p.open_kind_at("svc", &key).await;
    p.key(KeyCode::Enter);
    let (title, text) = p.wait_overlay("the service described").await;
    assert_eq!(title, "describe service/web -n shop");
    // kubectl's Service describer, not the generic one.
    for line in [
        "Selector:              app=web",
        "Type:                  LoadBalancer",
        "IP:                    10.96.12.40",
        "LoadBalancer Ingress:  203.0.113.10",
        "Port:                  http  80/TCP",
        "TargetPort:            8080/TCP",
        "NodePort:              http  30080/TCP",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(!text.contains("Kind:"), "{text}");
    // Esc closes the description and leaves the list as it was.
    p.key(KeyCode::Esc);
    assert!(p.app.state.overlay_log.is_none());
    assert!(p.app.state.kube.kind.is_some());
    sim.shutdown().await;
}

#[tokio::test]
async fn enter_on_a_cron_job_shows_the_jobs_it_controls_and_esc_comes_back() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "payments"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    let cron = PodKey::new(CONTEXT, "payments", "ledger-export");
    p.open_kind_at("cj", &cron).await;
    p.key(KeyCode::Enter);
    // The jobs view lists every job of the namespace and shows its own.
    p.until("the jobs of the namespace", |p| {
        p.app.state.kube.kind.as_ref().is_some_and(|v| {
            v.spec.plural == "jobs" && v.rows.keys().any(|k| &*k.name == "reconcile-29171")
        })
    })
    .await;
    let view = p.app.state.kube.kind.as_ref().expect("jobs");
    let shown: Vec<String> = view
        .list
        .order()
        .iter()
        .map(|k| k.name.to_string())
        .collect();
    assert_eq!(shown, ["ledger-export-29170"]);
    p.key(KeyCode::Esc);
    p.until("back in the cron jobs, the cron job selected", |p| {
        p.app
            .state
            .kube
            .kind
            .as_ref()
            .is_some_and(|v| v.spec.plural == "cronjobs" && v.list.selected() == Some(&cron))
    })
    .await;
    sim.shutdown().await;
}
