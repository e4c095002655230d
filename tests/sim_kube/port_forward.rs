//! `pods/{name}/portforward` over the WebSocket channel protocol, through
//! kube's own `Portforwarder` (which checks the 2-byte little-endian port
//! each channel starts with): bytes go through to a declared port, and a
//! port nobody listens on gets the kubelet's error on the error channel.

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use opsdeck_sim::kube::{KubeSim, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{WAIT, client};

fn web(sim: &KubeSim) -> String {
    sim.pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("web-"))
        .expect("web")
}

#[tokio::test]
async fn bytes_go_through_a_declared_port_and_come_back() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let shop: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let pod = web(&sim);
    let mut pf = shop.portforward(&pod, &[8080]).await.expect("upgraded");
    let mut stream = pf.take_stream(8080).expect("the port's stream");
    let error = pf.take_error(8080).expect("the port's error");
    stream.write_all(b"ping over the API").await.expect("sent");
    let mut buf = vec![0u8; 64];
    let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
        .await
        .expect("an answer in time")
        .expect("read");
    assert_eq!(&buf[..n], b"ping over the API");

    // An HTTP request gets the pod's page.
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("sent");
    let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
        .await
        .expect("an answer in time")
        .expect("read");
    let page = String::from_utf8_lossy(&buf[..n]).to_string();
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    drop(stream);
    // Closing the local side ends the forward without an error.
    let said = tokio::time::timeout(WAIT, error).await.expect("ends");
    assert_eq!(said, None);
    tokio::time::timeout(WAIT, pf.join())
        .await
        .expect("joins in time")
        .expect("no protocol error");
}

#[tokio::test]
async fn a_port_nobody_listens_on_gets_the_kubelets_error() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let shop: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let pod = web(&sim);
    let mut pf = shop.portforward(&pod, &[9999]).await.expect("upgraded");
    let mut stream = pf.take_stream(9999).expect("the port's stream");
    let error = pf.take_error(9999).expect("the port's error");
    let message = tokio::time::timeout(WAIT, error)
        .await
        .expect("an error in time")
        .expect("an error message");
    assert!(
        message.starts_with("error forwarding port 9999 to pod "),
        "{message}"
    );
    assert!(message.contains("connect: connection refused"), "{message}");
    // The data stream ends: nothing is ever read from it.
    let mut buf = [0u8; 8];
    let n = tokio::time::timeout(WAIT, stream.read(&mut buf))
        .await
        .expect("ends in time")
        .unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_missing_pod_is_the_api_servers_404() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let shop: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let err = match shop.portforward("no-such-pod", &[80]).await {
        Ok(_) => panic!("forwarded to a missing pod"),
        Err(e) => e,
    };
    assert_eq!(crate::support::api_code(&err), Some(404), "{err:?}");
}
