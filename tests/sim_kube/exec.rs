//! `pods/exec` over the WebSocket subprotocols, through kube's own client:
//! output on stdout, a resize the container's terminal takes, the exit
//! code in the status, and a missing program reported as the kubelet does.

use futures::SinkExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, AttachParams, TerminalSize};
use opsdeck_sim::kube::{KubeSim, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{WAIT, client};

/// Reads stdout until it holds `want`; all read so far.
async fn read_until(
    stdout: &mut (impl tokio::io::AsyncRead + Unpin),
    seen: &mut String,
    want: &str,
) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !seen.contains(want) {
        let mut buf = [0u8; 1024];
        let n = tokio::time::timeout_at(deadline, stdout.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no {want:?} on stdout; saw {seen:?}"))
            .expect("stdout");
        assert!(n > 0, "stdout ended before {want:?}; saw {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[tokio::test]
async fn exec_delivers_stdout_takes_resizes_and_reports_the_exit_code() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let shop: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    let web = sim
        .pod_names("shop")
        .into_iter()
        .find(|n| n.starts_with("web-"))
        .expect("web");
    let tty = AttachParams::interactive_tty().container("app");

    // No bash in the image: the exec fails the way a missing binary does.
    let mut bash = shop.exec(&web, ["bash"], &tty).await.expect("upgraded");
    let status = bash.take_status().expect("status").await.expect("a status");
    assert_eq!(status.status.as_deref(), Some("Failure"));
    assert_eq!(status.reason.as_deref(), Some("InternalError"));
    let message = status.message.unwrap_or_default();
    assert!(
        message.contains("exec: \"bash\": executable file not found in $PATH"),
        "{message}"
    );

    let mut sh = shop.exec(&web, ["sh"], &tty).await.expect("upgraded");
    let (mut stdin, mut stdout) = (sh.stdin().expect("stdin"), sh.stdout().expect("stdout"));
    let mut sizes = sh.terminal_size().expect("a tty takes sizes");
    let status = sh.take_status().expect("status");
    let mut seen = String::new();
    read_until(&mut stdout, &mut seen, &format!("{web}:/# ")).await;
    sizes
        .send(TerminalSize {
            width: 132,
            height: 43,
        })
        .await
        .expect("resize sent");
    stdin.write_all(b"echo hi\r").await.expect("typed");
    // The terminal echoes what is typed, then the output on its own line.
    read_until(&mut stdout, &mut seen, "echo hi\r\nhi\r\n").await;
    stdin.write_all(b"stty size\r").await.expect("typed");
    read_until(&mut stdout, &mut seen, "43 132\r\n").await;
    stdin.write_all(b"ls /\rexit 3\r").await.expect("typed");
    read_until(&mut stdout, &mut seen, "proc").await;
    let status = tokio::time::timeout(WAIT, status)
        .await
        .expect("the exit in time")
        .expect("a status");
    assert_eq!(status.status.as_deref(), Some("Failure"));
    assert_eq!(status.reason.as_deref(), Some("NonZeroExitCode"));
    let code = status
        .details
        .and_then(|d| d.causes)
        .and_then(|c| {
            c.into_iter()
                .find(|c| c.reason.as_deref() == Some("ExitCode"))
        })
        .and_then(|c| c.message);
    assert_eq!(code.as_deref(), Some("3"));

    // A container the pod does not have is the API server's 400.
    let wrong = AttachParams::interactive_tty().container("nope");
    match shop.exec(&web, ["sh"], &wrong).await {
        Ok(_) => panic!("a container the pod does not have was exec'd"),
        Err(e) => assert!(e.to_string().contains("400"), "{e}"),
    }
}
