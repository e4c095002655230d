//! A shell in a pod's container through the API server's `pods/exec`
//! over a WebSocket (kube's `ws` feature; what `kubectl exec -it` does,
//! without kubectl): stdin, stdout and a TTY; window sizes go on the
//! resize channel; the exit comes as a `Status` on the error channel.

use std::path::PathBuf;

use bytes::Bytes;
use futures::{FutureExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::Api;
use kube::api::{AttachParams, TerminalSize};
use tokio::io::AsyncReadExt;

use super::config;
use crate::terminal::handoff::{Session, Size};

/// The shells tried in order: `bash` where the image has it, else `sh`.
const SHELLS: &[&str] = &["bash", "sh"];

/// Where the shell opens.
pub struct PodContainer<'a> {
    pub context: &'a str,
    pub namespace: &'a str,
    pub pod: &'a str,
    pub container: &'a str,
}

/// Opens an interactive shell in the container, sized `size`.
pub async fn open(
    kubeconfig: Option<PathBuf>,
    at: PodContainer<'_>,
    size: Size,
) -> Result<Session, String> {
    let client = config::client_for(kubeconfig.as_ref(), at.context).await?;
    let pods: Api<Pod> = Api::namespaced(client, at.namespace);
    let program = pick_shell(&pods, &at).await?;
    let params = AttachParams::interactive_tty().container(at.container);
    let mut attached = pods
        .exec(at.pod, [program], &params)
        .await
        .map_err(|e| say(&at, &e))?;
    let (Some(stdout), Some(stdin)) = (attached.stdout(), attached.stdin()) else {
        return Err("the API server gave the shell no stdin or stdout".into());
    };
    let mut sizes = attached.terminal_size();
    if let Some(sizes) = sizes.as_mut() {
        let _ = sizes.try_send(TerminalSize {
            width: size.0,
            height: size.1,
        });
    }
    let status = attached.take_status();
    let output = futures::stream::unfold(stdout, |mut stdout| async move {
        let mut buf = vec![0u8; 4096];
        match stdout.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), stdout))
            }
            Err(e) => Some((Err(e), stdout)),
        }
    })
    .boxed();
    let resize = Box::new(move |(width, height): Size| {
        if let Some(sizes) = sizes.as_mut() {
            // A full queue only drops a size the next one replaces.
            let _ = sizes.try_send(TerminalSize { width, height });
        }
    });
    let pod = at.pod.to_string();
    let ended = async move {
        let status = match status {
            Some(status) => status.await,
            None => None,
        };
        // The exec's connection lives until its status has been read.
        drop(attached);
        match status {
            Some(status) => outcome(&status),
            None => Err(format!(
                "the connection to pod {pod} closed without an exit status"
            )),
        }
    }
    .boxed();
    Ok(Session {
        output,
        input: Box::pin(stdin),
        resize,
        ended,
        program: program.to_string(),
    })
}

/// `bash` when it runs in the container, else `sh`: each is tried with
/// `-c "exit 0"` first, since a missing program is only reported once the
/// exec has started (as an error status).
async fn pick_shell(pods: &Api<Pod>, at: &PodContainer<'_>) -> Result<&'static str, String> {
    let mut last = String::new();
    for shell in SHELLS {
        let params = AttachParams::default()
            .container(at.container)
            .stderr(false);
        let mut probe = pods
            .exec(at.pod, [*shell, "-c", "exit 0"], &params)
            .await
            .map_err(|e| say(at, &e))?;
        let status = match probe.take_status() {
            Some(status) => status.await,
            None => None,
        };
        match status.as_ref().map(outcome) {
            Some(Ok(())) => return Ok(shell),
            Some(Err(e)) => last = e,
            None => last = "no exit status".into(),
        }
    }
    Err(format!(
        "container {} of pod {} has neither bash nor sh to run a shell with ({last})",
        at.container, at.pod
    ))
}

/// The exec's end in words: success, its exit code, or the server's reason.
fn outcome(status: &Status) -> Result<(), String> {
    if status.status.as_deref() == Some("Success") {
        return Ok(());
    }
    if status.reason.as_deref() == Some("NonZeroExitCode") {
        let code = status
            .details
            .as_ref()
            .and_then(|d| d.causes.as_ref())
            .and_then(|c| c.iter().find(|c| c.reason.as_deref() == Some("ExitCode")))
            .and_then(|c| c.message.clone())
            .unwrap_or_else(|| "unknown".into());
        return Err(format!("the shell ended with exit code {code}"));
    }
    Err(status
        .message
        .clone()
        .unwrap_or_else(|| "the exec failed without saying why".into()))
}

fn say(at: &PodContainer<'_>, e: &kube::Error) -> String {
    format!(
        "cannot exec in pod {}/{} (container {}): {}",
        at.namespace,
        at.pod,
        at.container,
        super::errors::plain_error(e)
    )
}
