//! Mutations: delete with replacement, rollout restart, scale, and the
//! 401/403/404/409 errors as `kube::Error::Api`.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::ResourceExt;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use opsdeck_sim::kube::{CONTEXT, KubeSim, PROD_CONTEXT, PodState, Scenario, Verb};

use crate::support::{api_code, api_err, client, client_for, eventually, live, ready};

#[tokio::test]
async fn delete_pod_gets_a_replacement() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let shop: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let lp = ListParams::default().labels("app=web");
    let before = shop.list(&lp).await.expect("list").items;
    assert_eq!(before.len(), 3);
    let victim = before[0].name_any();
    let resp = shop
        .delete(&victim, &DeleteParams::default())
        .await
        .expect("delete");
    let terminating = resp.left().expect("graceful delete returns the pod");
    assert!(terminating.metadata.deletion_timestamp.is_some());
    let got = shop
        .get(&victim)
        .await
        .expect("still there while terminating");
    assert_eq!(
        opsdeck::sources::kube::status::pod_status(&got, std::time::SystemTime::now()).status,
        "Terminating"
    );

    eventually("victim gone and a ready replacement", || async {
        let gone = shop.get(&victim).await.err().and_then(|e| api_code(&e)) == Some(404);
        let pods = shop.list(&lp).await.ok()?.items;
        let ready_new = live(&pods).iter().filter(|p| ready(p)).count() == 3
            && !pods.iter().any(|p| p.name_any() == victim);
        (gone && ready_new).then_some(())
    })
    .await;
    let e = api_err(
        shop.delete(&victim, &DeleteParams::default())
            .await
            .expect_err("404"),
    );
    assert_eq!((e.code, e.reason.as_str()), (404, "NotFound"));
    assert_eq!(e.message, format!("pods \"{victim}\" not found"));
}

#[tokio::test]
async fn rollout_restart_patch_rolls_new_pods() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let deploys: Api<Deployment> = Api::namespaced(c.clone(), "shop");
    let pods: Api<Pod> = Api::namespaced(c.clone(), "shop");
    let lp = ListParams::default().labels("app=web");
    let old: Vec<String> = pods
        .list(&lp)
        .await
        .expect("pods")
        .items
        .iter()
        .map(|p| p.name_any())
        .collect();
    let patch = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2024-05-01T12:00:00Z"}}}}});
    let d = deploys
        .patch("web", &PatchParams::default(), &Patch::Strategic(&patch))
        .await
        .expect("patch");
    assert_eq!(d.metadata.generation, Some(2));

    eventually("three new ready pods and no old ones", || async {
        let items = pods.list(&lp).await.ok()?.items;
        let fresh = items
            .iter()
            .filter(|p| !old.contains(&p.name_any()) && ready(p))
            .count();
        (fresh == 3 && items.iter().all(|p| !old.contains(&p.name_any()))).then_some(())
    })
    .await;
    let sets: Api<ReplicaSet> = Api::namespaced(c, "shop");
    let rs = sets
        .list(&ListParams::default().labels("app=web"))
        .await
        .expect("rs")
        .items;
    assert_eq!(rs.len(), 2);
    let replicas: Vec<i32> = rs.iter().filter_map(|r| r.spec.replicas).collect();
    assert!(
        replicas.contains(&0) && replicas.contains(&3),
        "{replicas:?}"
    );
    let d = deploys.get("web").await.expect("deploy");
    assert_eq!(
        d.annotations()
            .get("deployment.kubernetes.io/revision")
            .map(String::as_str),
        Some("2")
    );
}

#[tokio::test]
async fn scale_up_and_down() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let deploys: Api<Deployment> = Api::namespaced(c.clone(), "default");
    let pods: Api<Pod> = Api::namespaced(c, "default");
    let patch = serde_json::json!({"spec": {"replicas": 3}});
    let scale = deploys
        .patch_scale("hello", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("scale");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(3));
    let count_ready = || async {
        pods.list(&ListParams::default())
            .await
            .map(|l| live(&l.items).iter().filter(|p| ready(p)).count())
            .unwrap_or(0)
    };
    eventually("3 ready", || async {
        (count_ready().await == 3).then_some(())
    })
    .await;

    let patch = serde_json::json!({"spec": {"replicas": 1}});
    deploys
        .patch("hello", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch replicas");
    eventually("1 live pod", || async {
        let l = pods.list(&ListParams::default()).await.ok()?;
        (live(&l.items).len() == 1 && l.items.len() == 1).then_some(())
    })
    .await;
    assert_eq!(
        deploys
            .get_scale("hello")
            .await
            .expect("get scale")
            .spec
            .and_then(|s| s.replicas),
        Some(1)
    );
}

#[tokio::test]
async fn unauthorized_forbidden_and_conflict_are_api_errors() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let wrong = sim.kubeconfig_yaml().replace(sim.token(), "not-the-token");
    let bad: Api<Pod> = Api::namespaced(client_for(&wrong, CONTEXT).await, "shop");
    let e = api_err(bad.list(&ListParams::default()).await.expect_err("401"));
    assert_eq!((e.code, e.reason.as_str()), (401, "Unauthorized"));

    let prod = client_for(&sim.kubeconfig_yaml(), PROD_CONTEXT).await;
    assert_eq!(prod.default_namespace(), "payments");
    let payments: Api<Pod> = Api::default_namespaced(prod.clone());
    let victim = sim.pod_names("payments").into_iter().next().expect("pod");
    sim.deny(Some("payments"), Verb::Delete);
    let e = api_err(
        payments
            .delete(&victim, &DeleteParams::default())
            .await
            .expect_err("403"),
    );
    assert_eq!((e.code, e.reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        e.message,
        format!(
            "pods \"{victim}\" is forbidden: User \"opsdeck-demo-user\" cannot delete resource \"pods\" in API group \"\" in the namespace \"payments\""
        )
    );
    assert!(
        payments.list(&ListParams::default()).await.is_ok(),
        "other verbs still allowed"
    );
    sim.deny(Some("shop"), Verb::List);
    let all: Api<Pod> = Api::all(prod.clone());
    let e = api_err(
        all.list(&ListParams::default())
            .await
            .expect_err("cluster list denied"),
    );
    assert!(e.message.ends_with("at the cluster scope"), "{}", e.message);
    sim.allow_all();
    assert!(all.list(&ListParams::default()).await.is_ok());

    let mut d: Deployment = Api::<Deployment>::namespaced(prod.clone(), "payments")
        .get("ledger")
        .await
        .expect("get");
    d.metadata.resource_version = Some("1".into());
    let e = api_err(
        Api::<Deployment>::namespaced(prod, "payments")
            .replace("ledger", &PostParams::default(), &d)
            .await
            .expect_err("stale"),
    );
    assert_eq!((e.code, e.reason.as_str()), (409, "Conflict"));
}

#[tokio::test]
async fn created_pods_run_and_old_revisions_are_pruned() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "debug-shell", "labels": {"app": "debug"}},
        "spec": {"containers": [{"name": "shell", "image": "busybox:1.36"}]}
    }))
    .expect("pod json");
    let created = pods
        .create(&PostParams::default(), &pod)
        .await
        .expect("create");
    assert!(created.metadata.uid.is_some());
    let e = api_err(
        pods.create(&PostParams::default(), &pod)
            .await
            .expect_err("dup"),
    );
    assert_eq!((e.code, e.reason.as_str()), (409, "AlreadyExists"));
    eventually("created pod runs", || async {
        pods.get("debug-shell").await.ok().filter(ready).map(drop)
    })
    .await;
    assert!(sim.append_log("default", "debug-shell", None, "hello from the shell"));
    let text = pods
        .logs("debug-shell", &Default::default())
        .await
        .expect("logs");
    assert!(text.contains("hello from the shell"), "{text}");

    let deploys: Api<Deployment> = Api::namespaced(c.clone(), "default");
    let sets: Api<ReplicaSet> = Api::namespaced(c, "default");
    let keep_none = serde_json::json!({"spec": {"revisionHistoryLimit": 0}});
    deploys
        .patch("hello", &PatchParams::default(), &Patch::Merge(&keep_none))
        .await
        .expect("history limit");
    let restart = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2024-05-01T13:00:00Z"}}}}});
    deploys
        .patch(
            "hello",
            &PatchParams::default(),
            &Patch::Strategic(&restart),
        )
        .await
        .expect("restart");
    let lp = ListParams::default().labels("app=hello");
    eventually("only the new ReplicaSet is left", || async {
        let rs = sets.list(&lp).await.ok()?.items;
        let ready = rs.first()?.status.as_ref()?.ready_replicas == Some(1);
        (rs.len() == 1 && ready).then_some(())
    })
    .await;
}

/// Malformed or extreme requests get the API server's `Status` errors (and
/// the server keeps serving), never a hang or a dropped connection.
#[tokio::test]
async fn hostile_requests_get_status_errors() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let web = sim
        .pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("web-"))
        .expect("web");
    let cases: Vec<(&str, String, &str, &str, u16)> = vec![
        (
            "GET",
            "/api/v1/namespaces/shop/pods?limit=-1".into(),
            "",
            "",
            400,
        ),
        (
            "GET",
            "/api/v1/namespaces/shop/pods?continue=%E2%9C%93zz".into(),
            "",
            "",
            400,
        ),
        (
            "GET",
            "/api/v1/namespaces/shop/pods?resourceVersion=abc".into(),
            "",
            "",
            400,
        ),
        (
            "GET",
            "/api/v1/namespaces/shop/pods?labelSelector=a%20b%3Dc".into(),
            "",
            "",
            400,
        ),
        ("GET", "/api/v1/namespaces/shop/widgets".into(), "", "", 404),
        (
            "GET",
            format!("/api/v1/namespaces/shop/pods/{web}/log?container=app&tailLines=x"),
            "",
            "",
            400,
        ),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/web".into(),
            "text/plain",
            "{}",
            415,
        ),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/web".into(),
            "application/merge-patch+json",
            "not json",
            400,
        ),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/web".into(),
            "application/merge-patch+json",
            r#"{"spec":{"replicas":"many"}}"#,
            400,
        ),
        (
            "PATCH",
            "/apis/apps/v1/namespaces/shop/deployments/web/scale".into(),
            "application/merge-patch+json",
            r#"{"spec":{"replicas":-3}}"#,
            422,
        ),
        (
            "PATCH",
            format!("/api/v1/namespaces/shop/pods/{web}"),
            "application/merge-patch+json",
            r#"{"spec":{"nodeName":"elsewhere"}}"#,
            422,
        ),
        (
            "DELETE",
            format!("/api/v1/namespaces/shop/pods/{web}"),
            "application/json",
            "{oops",
            400,
        ),
        (
            "POST",
            "/api/v1/namespaces/nowhere/pods".into(),
            "application/json",
            r#"{"metadata":{"name":"x"},"spec":{"containers":[]}}"#,
            404,
        ),
    ];
    for (method, uri, ct, body, code) in cases {
        let req = axum::http::Request::builder()
            .method(method)
            .uri(uri.as_str())
            .header("content-type", ct)
            .body(body.as_bytes().to_vec())
            .expect("request");
        let err = c.request_text(req).await.expect_err(&uri);
        assert_eq!(api_code(&err), Some(code), "{method} {uri}: {err:?}");
    }
    let pods: Api<Pod> = Api::namespaced(c, "shop");
    let lp = kube::api::LogParams {
        container: Some("app".into()),
        since_seconds: Some(i64::MAX),
        ..Default::default()
    };
    assert!(
        pods.logs(&web, &lp).await.is_ok(),
        "huge sinceSeconds is fine"
    );
    let dp = DeleteParams {
        grace_period_seconds: Some(u32::MAX),
        ..Default::default()
    };
    assert!(pods.delete(&web, &dp).await.is_ok(), "huge grace is capped");
    assert!(
        pods.list(&ListParams::default()).await.is_ok(),
        "still serving"
    );
}

/// Every state the control can pin reads back, through opsdeck's own status
/// derivation, as the word kubectl would print.
#[tokio::test]
async fn pinned_pod_states_read_back_as_kubectl_words() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "monitoring");
    let name = "prometheus-0";
    let cases = [
        (PodState::Running, "Running", "2/2"),
        (PodState::NotReady, "Running", "0/2"),
        (PodState::ContainerCreating, "ContainerCreating", "0/2"),
        (PodState::Unschedulable, "Pending", "0/2"),
        (PodState::CrashLoopBackOff, "CrashLoopBackOff", "0/2"),
        (PodState::OomKilled, "OOMKilled", "0/2"),
        (PodState::ImagePullBackOff, "ImagePullBackOff", "0/2"),
        (PodState::ErrImagePull, "ErrImagePull", "0/2"),
        (
            PodState::CreateContainerConfigError,
            "CreateContainerConfigError",
            "0/2",
        ),
        (PodState::Completed, "Completed", "0/2"),
        (PodState::Failed { exit_code: 3 }, "Error", "0/2"),
        (PodState::Evicted, "Evicted", "0/0"),
        (PodState::NodeLost, "NodeLost", "0/2"),
    ];
    let now = std::time::SystemTime::now();
    for (state, word, ready) in cases {
        assert!(sim.set_pod_state("monitoring", name, state));
        let pod = pods.get(name).await.expect("get");
        let s = opsdeck::sources::kube::status::pod_status(&pod, now);
        let got = (s.status.as_str(), s.ready_text());
        let ready = if word == "Evicted" { "0/2" } else { ready };
        assert_eq!(got, (word, ready.to_string()), "{state:?}");
    }
    assert!(sim.set_pod_state("monitoring", name, PodState::Unschedulable));
    let e = api_err(
        pods.logs(
            name,
            &kube::api::LogParams {
                container: Some("prometheus".into()),
                ..Default::default()
            },
        )
        .await
        .expect_err("no node"),
    );
    assert_eq!(
        e.message,
        format!("pod {name} does not have a host assigned")
    );
    assert!(sim.set_pod_state("monitoring", name, PodState::NodeLost));
    pods.delete(name, &DeleteParams::default())
        .await
        .expect("delete");
    let pod = pods.get(name).await.expect("still terminating");
    assert_eq!(
        opsdeck::sources::kube::status::pod_status(&pod, now).status,
        "Unknown"
    );
}
