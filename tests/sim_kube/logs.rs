//! Pod logs: tail, timestamps, previous, follow, and the API's 400s.

use futures::{AsyncBufReadExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::support::{WAIT, api_code, api_err, client};

#[tokio::test]
async fn logs_tail_timestamps_previous_follow_and_errors() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let shop: Api<Pod> = Api::namespaced(c.clone(), "shop");
    let web = sim
        .pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("web-"))
        .expect("web");
    let cart = sim
        .pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("cart-"))
        .expect("cart");

    let e = api_err(
        shop.logs(&web, &LogParams::default())
            .await
            .expect_err("two containers"),
    );
    assert_eq!(e.code, 400);
    assert_eq!(
        e.message,
        format!("a container name must be specified for pod {web}, choose one of: [app metrics]")
    );
    let e = api_err(
        shop.logs(
            &web,
            &LogParams {
                container: Some("nope".into()),
                ..Default::default()
            },
        )
        .await
        .expect_err("bad"),
    );
    assert_eq!(
        e.message,
        format!("container nope is not valid for pod {web}")
    );
    assert_eq!(
        api_code(
            &shop
                .logs("no-such-pod", &LogParams::default())
                .await
                .expect_err("404")
        ),
        Some(404)
    );

    let app = |lp: LogParams| LogParams {
        container: Some("app".into()),
        ..lp
    };
    let tail = shop
        .logs(
            &web,
            &app(LogParams {
                tail_lines: Some(5),
                ..Default::default()
            }),
        )
        .await
        .expect("tail");
    assert_eq!(tail.lines().count(), 5);
    let stamped = shop
        .logs(
            &web,
            &app(LogParams {
                tail_lines: Some(3),
                timestamps: true,
                ..Default::default()
            }),
        )
        .await
        .expect("ts");
    for line in stamped.lines() {
        let (ts, _) = line.split_once(' ').expect("timestamp prefix");
        assert!(chrono::DateTime::parse_from_rfc3339(ts).is_ok(), "{line}");
    }

    let prev = shop
        .logs(
            &cart,
            &LogParams {
                previous: true,
                ..Default::default()
            },
        )
        .await
        .expect("previous");
    assert!(prev.contains("panic: runtime error"), "{prev}");
    let e = api_err(
        shop.logs(
            &web,
            &app(LogParams {
                previous: true,
                ..Default::default()
            }),
        )
        .await
        .expect_err("no previous"),
    );
    assert_eq!(
        e.message,
        format!("previous terminated container \"app\" in pod \"{web}\" not found")
    );

    let hello_api: Api<Pod> = Api::namespaced(c, "default");
    let hello = sim.pod_names("default").into_iter().next().expect("hello");
    let mut lines = hello_api
        .log_stream(
            &hello,
            &LogParams {
                follow: true,
                tail_lines: Some(0),
                ..Default::default()
            },
        )
        .await
        .expect("follow")
        .lines();
    assert!(sim.append_log("default", &hello, None, "marker-4711"));
    let found = tokio::time::timeout(WAIT, async {
        while let Some(l) = lines.try_next().await.expect("line") {
            if l == "marker-4711" {
                return true;
            }
        }
        false
    })
    .await
    .expect("marker arrives");
    assert!(found);
    // A follow ends when the container dies. While it shows Terminated its
    // log is still the current one (the kubelet reads the terminated
    // container); it had no earlier life, so there is no previous log.
    assert!(sim.crash_pod("default", &hello));
    let rest: Vec<String> = tokio::time::timeout(WAIT, lines.try_collect())
        .await
        .expect("follow ends")
        .expect("lines");
    assert!(rest.iter().any(|l| l.starts_with("panic:")), "{rest:?}");
    let current = hello_api
        .logs(&hello, &LogParams::default())
        .await
        .expect("the terminated container's log");
    assert!(current.contains("marker-4711") && current.contains("panic:"));
    let e = api_err(
        hello_api
            .logs(
                &hello,
                &LogParams {
                    previous: true,
                    ..Default::default()
                },
            )
            .await
            .expect_err("no earlier life"),
    );
    assert_eq!(
        (e.code, e.message),
        (
            400,
            format!("previous terminated container \"hello\" in pod \"{hello}\" not found")
        )
    );
}

/// The kubelet keeps one dead container per container: when a container
/// that crashed before dies again, the older dead one is collected, and
/// its log (`previous`) is gone while the new one shows Terminated.
#[tokio::test]
async fn a_second_crash_collects_the_older_dead_container() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let shop: Api<Pod> = Api::namespaced(c, "shop");
    let cart = sim
        .pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("cart-"))
        .expect("cart");
    let previous = LogParams {
        previous: true,
        ..Default::default()
    };
    shop.logs(&cart, &previous)
        .await
        .expect("the earlier crash");
    assert!(sim.append_log("shop", &cart, None, "second-life-marker"));
    // Pinned, so the scenario's own crash loop does not restart it meanwhile.
    assert!(sim.set_pod_state("shop", &cart, PodState::OomKilled));
    let pod = shop.get(&cart).await.expect("pod");
    let status = &pod.status.expect("status").container_statuses.expect("cs")[0];
    assert!(status.state.as_ref().expect("state").terminated.is_some());
    let last_id = status
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .and_then(|t| t.container_id.clone())
        .expect("an earlier termination");
    let e = api_err(shop.logs(&cart, &previous).await.expect_err("collected"));
    assert_eq!(
        (e.code, e.reason.as_str(), e.message),
        (
            400,
            "BadRequest",
            format!("unable to retrieve container logs for {last_id}")
        )
    );
    let current = shop
        .logs(&cart, &LogParams::default())
        .await
        .expect("the crash is in the current log");
    assert!(current.contains("second-life-marker"), "{current}");
}
