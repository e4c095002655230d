//! A shell in a container through the engine's exec API (what `docker
//! exec -it` does, without the docker CLI): an exec with a TTY, attached
//! over the hijacked `/exec/{id}/start` connection, resized with
//! `/exec/{id}/resize`, its exit code read with `/exec/{id}/json`.

use bollard::Docker;
use bollard::exec::{ResizeExecOptions, StartExecOptions, StartExecResults};
use bollard::models::ExecConfig;
use std::time::Duration;

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream};
use futures::{FutureExt, StreamExt, TryStreamExt};

use super::connect::{connect, connect_error};
use crate::terminal::handoff::{Session, Size};

/// The shells tried in order: `bash` where the image has it, else `sh`
/// (busybox and alpine have only `sh`).
const SHELLS: &[&str] = &["bash", "sh"];

/// Opens an interactive shell in `container_id` on the engine at `host`.
pub async fn open(
    host: &str,
    container_id: &str,
    name: &str,
    size: Size,
) -> Result<Session, String> {
    let docker = connect(host).await?;
    let program = pick_shell(&docker, host, container_id, name).await?;
    let config = ExecConfig {
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        tty: Some(true),
        // Rows then columns, as the engine's ConsoleSize is (API 1.42+;
        // older engines ignore it and take the resize below).
        console_size: Some(vec![usize::from(size.1), usize::from(size.0)]),
        env: Some(vec![format!("TERM={}", term())]),
        cmd: Some(vec![program.to_string()]),
        ..Default::default()
    };
    let exec = docker
        .create_exec(container_id, config)
        .await
        .map_err(|e| say(host, name, &e))?
        .id;
    let options = StartExecOptions {
        detach: false,
        tty: true,
        output_capacity: None,
    };
    let (output, input) = match docker.start_exec(&exec, Some(options)).await {
        Ok(StartExecResults::Attached { output, input }) => (output, input),
        Ok(StartExecResults::Detached) => {
            return Err(format!("the engine detached the shell in container {name}"));
        }
        Err(e) => return Err(say(host, name, &e)),
    };
    // With a TTY the engine sends the terminal's bytes as they are.
    let output = output
        .map_ok(|chunk| chunk.into_bytes())
        .map_err(std::io::Error::other)
        .boxed();
    let output = until_exited(output, exited(docker.clone(), exec.clone()));
    let resizer = docker.clone();
    let resize_id = exec.clone();
    let resize = Box::new(move |(width, height): Size| {
        let docker = resizer.clone();
        let id = resize_id.clone();
        tokio::spawn(async move {
            let size = ResizeExecOptions { height, width };
            if let Err(e) = docker.resize_exec(&id, size).await {
                tracing::debug!(error = %e, "exec resize refused");
            }
        });
    });
    let (host, name) = (host.to_string(), name.to_string());
    let container = container_id.to_string();
    let ended = async move { exit_status(&docker, &exec, &container, &host, &name).await }.boxed();
    Ok(Session {
        output,
        input,
        resize,
        ended,
        program: program.to_string(),
    })
}

/// How often the exec is asked whether its shell has exited.
const EXIT_POLL: Duration = Duration::from_millis(300);
/// Output still read after the shell exited: its last words.
const LAST_WORDS: Duration = Duration::from_millis(200);

/// Resolves once the exec's process has exited (or the engine cannot say:
/// the output ends with an error then anyway).
fn exited(docker: Docker, exec: String) -> BoxFuture<'static, ()> {
    async move {
        loop {
            tokio::time::sleep(EXIT_POLL).await;
            match docker.inspect_exec(&exec).await {
                Ok(inspect) if inspect.running == Some(true) => {}
                _ => return,
            }
        }
    }
    .boxed()
}

/// The output, ending when the shell exits. With stdin attached, the
/// engine keeps the hijacked connection open after the process exits
/// (it waits for the client to close its side), so the end of output alone
/// does not say the shell is gone; asking the exec does.
fn until_exited(output: Output, exited: BoxFuture<'static, ()>) -> Output {
    stream::unfold((output, Some(exited)), |(mut output, exited)| async move {
        match exited {
            Some(mut exited) => tokio::select! {
                item = output.next() => item.map(|i| (i, (output, Some(exited)))),
                () = &mut exited => last_words(output).await,
            },
            None => last_words(output).await,
        }
    })
    .boxed()
}

type Output = BoxStream<'static, std::io::Result<Bytes>>;

async fn last_words(
    mut output: Output,
) -> Option<(
    std::io::Result<Bytes>,
    (Output, Option<BoxFuture<'static, ()>>),
)> {
    let item = tokio::time::timeout(LAST_WORDS, output.next())
        .await
        .ok()
        .flatten()?;
    Some((item, (output, None)))
}

/// `bash` when it runs in the container, else `sh`. A missing program is
/// only known once the exec has started (the engine reports it in the
/// output and exits 126 or 127), so each is tried without a TTY first.
async fn pick_shell(
    docker: &Docker,
    host: &str,
    container_id: &str,
    name: &str,
) -> Result<&'static str, String> {
    for shell in SHELLS {
        let config = ExecConfig {
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            cmd: Some(vec![shell.to_string(), "-c".into(), "exit 0".into()]),
            ..Default::default()
        };
        let exec = docker
            .create_exec(container_id, config)
            .await
            .map_err(|e| say(host, name, &e))?
            .id;
        if let Ok(StartExecResults::Attached { mut output, .. }) =
            docker.start_exec(&exec, None).await
        {
            while let Some(Ok(_)) = output.next().await {}
        }
        let code = docker
            .inspect_exec(&exec)
            .await
            .ok()
            .and_then(|i| i.exit_code);
        if code == Some(0) {
            return Ok(shell);
        }
    }
    Err(format!(
        "container {name} has neither bash nor sh to run a shell with"
    ))
}

/// How the shell ended, once its output has: the container stopped under
/// it, the engine went away, or its exit code (`exit 3` is reported; `exit`
/// after a failed command too, as a shell's own status).
async fn exit_status(
    docker: &Docker,
    exec: &str,
    container_id: &str,
    host: &str,
    name: &str,
) -> Result<(), String> {
    let inspect = docker
        .inspect_exec(exec)
        .await
        .map_err(|e| say(host, name, &e))?;
    let container_running = || async {
        docker
            .inspect_container(container_id, None)
            .await
            .ok()
            .and_then(|c| c.state)
            .and_then(|s| s.running)
    };
    let mut running = container_running().await;
    // The exec dies with a killed container a moment before the engine
    // reports the container stopped (longer on a busy engine, where the
    // exec may not even have its exit code yet): a shell that did not end
    // with 0 waits up to 2 s for that moment.
    if running == Some(true) && inspect.exit_code != Some(0) {
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            running = container_running().await;
            if running != Some(true) {
                break;
            }
        }
    }
    match (inspect.running, inspect.exit_code) {
        _ if running != Some(true) => {
            Err(format!("container {name} stopped while the shell was open"))
        }
        (Some(true), _) => Err(format!(
            "the connection to the shell in container {name} closed while it still runs"
        )),
        (_, Some(code)) if code != 0 => Err(format!("the shell ended with exit code {code}")),
        _ => Ok(()),
    }
}

/// bollard's error about container `name`, in plain words.
fn say(host: &str, name: &str, e: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code: 404, ..
        } => format!("container {name} is gone"),
        E::DockerResponseServerError {
            status_code: 409,
            message,
        } => format!(
            "container {name} cannot run a shell now: {}",
            message.trim()
        ),
        E::DockerResponseServerError { message, .. } => {
            format!(
                "the engine refused a shell in container {name}: {}",
                message.trim()
            )
        }
        other => connect_error(host, other),
    }
}

/// The terminal type the shell is told: the user's own, else a safe one.
fn term() -> String {
    std::env::var("TERM")
        .ok()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or_else(|| "xterm-256color".into())
}
