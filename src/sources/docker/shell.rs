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
    let shell = match docker.inspect_exec(exec).await {
        Ok(inspect) => Some(ShellEnd {
            running: inspect.running,
            exit_code: inspect.exit_code,
        }),
        // An exec whose exit the engine handled keeps its record to be
        // inspected, but when the container's own exit is handled first,
        // moby's `daemon.Cleanup` unregisters the container's execs: an
        // exec the engine no longer knows went with its container.
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => None,
        Err(e) => return Err(say(host, name, &e)),
    };
    let mut container = container_now(docker, container_id).await;
    // The exec dies with a killed container a moment before the engine
    // reports the container stopped (seconds on a busy engine): a shell
    // that did not end with 0 waits for that moment, longer when its code
    // says a signal ended it.
    if container == ContainerNow::Running
        && let Some(end) = shell.filter(|end| end.exit_code != Some(0))
    {
        let deadline = tokio::time::Instant::now() + end.grace();
        while container == ContainerNow::Running && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
            container = container_now(docker, container_id).await;
        }
    }
    verdict(shell, container, name)
}

/// What the exec said of its shell once the output ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ShellEnd {
    pub running: Option<bool>,
    pub exit_code: Option<i64>,
}

impl ShellEnd {
    /// How long a still-running container is given to be reported stopped.
    /// No code, or the code of SIGKILL or SIGTERM, is how a shell ends when
    /// its container is stopped or killed; any other code is most likely
    /// the shell's own (`exit 3`), which needs only a short look.
    fn grace(self) -> Duration {
        match self.exit_code {
            None | Some(137) | Some(143) => Duration::from_secs(10),
            Some(_) => Duration::from_secs(1),
        }
    }
}

/// The container, as the engine reports it after the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContainerNow {
    Running,
    Stopped,
    Removed,
    /// The engine could not be asked (it went away with the shell).
    Unknown,
}

async fn container_now(docker: &Docker, container_id: &str) -> ContainerNow {
    match docker.inspect_container(container_id, None).await {
        Ok(c) => match c.state.and_then(|s| s.running) {
            Some(true) => ContainerNow::Running,
            Some(false) => ContainerNow::Stopped,
            None => ContainerNow::Unknown,
        },
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => ContainerNow::Removed,
        Err(_) => ContainerNow::Unknown,
    }
}

/// The words for how the shell ended; `shell` is None when the engine no
/// longer knew the exec.
pub(crate) fn verdict(
    shell: Option<ShellEnd>,
    container: ContainerNow,
    name: &str,
) -> Result<(), String> {
    match (shell, container) {
        (_, ContainerNow::Removed) => Err(format!(
            "container {name} was removed while the shell was open"
        )),
        (_, ContainerNow::Stopped) => {
            Err(format!("container {name} stopped while the shell was open"))
        }
        // Forgotten by the engine yet running: it stopped and started again.
        (None, ContainerNow::Running) => Err(format!(
            "container {name} restarted while the shell was open"
        )),
        (None, ContainerNow::Unknown) => Err(format!(
            "the engine lost the shell in container {name} and cannot say why"
        )),
        (Some(end), _) if end.running == Some(true) => Err(format!(
            "the connection to the shell in container {name} closed while it still runs"
        )),
        (Some(end), _) => match end.exit_code {
            Some(0) => Ok(()),
            Some(code) => Err(format!("the shell ended with exit code {code}")),
            None => Err(format!(
                "the shell in container {name} ended without an exit code"
            )),
        },
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

#[cfg(test)]
#[path = "shell_tests.rs"]
mod tests;
