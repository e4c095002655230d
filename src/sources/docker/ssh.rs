//! `ssh://[user@]host[:port]` engines, reached the way the docker CLI
//! reaches them: the system `ssh` client runs `docker system dial-stdio`
//! on the remote machine and the Docker API's HTTP flows over its stdin
//! and stdout. One ssh process per HTTP connection (hyper keeps them open
//! and reuses them); the user's `~/.ssh/config`, agent and keys apply, so
//! a `ControlMaster` there makes every connection after the first cheap.
//!
//! Why the system client and not bollard's `ssh` feature: that feature
//! starts a new ssh master per connection through the `openssh` crate and
//! reports failures as that crate's errors; ssh's own words ("Permission
//! denied (publickey)", "docker: not found") are what tell a user what to
//! fix, and they come on the process's stderr, which this file reads.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::process::Stdio;
use std::sync::Arc;
use std::task::{Context, Poll};

use bollard::{API_DEFAULT_VERSION, BollardRequest, Docker};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::ssh_errors::Words;
pub use super::ssh_errors::{LastWords, explain_stderr};

/// How much of ssh's stderr is kept to explain a failure: its last lines
/// are the ones that say why.
const STDERR_KEPT: usize = 4096;

/// ssh logins in progress at once per engine. sshd drops connections past
/// `MaxStartups` (10 unauthenticated by default, then at random): a screen
/// of stats streams opened at once lost 8 of 16 to it in a test run. A
/// connection holds its place until the engine's first bytes come back
/// through it, which means the login is over.
const LOGINS_AT_ONCE: usize = 4;

/// An engine address `ssh://[user@]host[:port]`, checked so that nothing
/// in it can be taken by ssh for an option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// The client to run: `ssh`, or `OPSDECK_SSH` (an ssh elsewhere).
    pub program: String,
}

impl SshTarget {
    pub fn parse(address: &str) -> Result<SshTarget, String> {
        let rest = address
            .strip_prefix("ssh://")
            .ok_or_else(|| format!("`{address}` is not an ssh:// address"))?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('/') || rest.contains('?') {
            // The docker CLI refuses a path too: dial-stdio has no use for one.
            return Err("an ssh:// Docker host takes no path: ssh://user@host[:port]".into());
        }
        let (user, hostport) = match rest.rsplit_once('@') {
            Some((user, hostport)) => (Some(user), hostport),
            None => (None, rest),
        };
        if let Some(user) = user
            && user.contains(':')
        {
            // Said without the password: it must not reach the screen or a log.
            return Err(
                "an ssh:// Docker host cannot carry a password (user:password@); use a key or \
                 ssh-agent"
                    .into(),
            );
        }
        let (host, port) = split_port(hostport)?;
        let bad =
            |s: &str| s.is_empty() || s.starts_with('-') || s.chars().any(char::is_whitespace);
        if bad(host) {
            return Err(format!(
                "`{address}` names no usable host: ssh://user@host[:port]"
            ));
        }
        if user.is_some_and(bad) {
            return Err(format!(
                "`{address}` names no usable user: ssh://user@host[:port]"
            ));
        }
        Ok(SshTarget {
            user: user.map(str::to_string),
            host: host.to_string(),
            port,
            program: ssh_program(),
        })
    }

    /// `user@host:port` as the user wrote it, for messages.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(user) = &self.user {
            s.push_str(user);
            s.push('@');
        }
        s.push_str(&self.host);
        if let Some(port) = self.port {
            s.push_str(&format!(":{port}"));
        }
        s
    }

    /// The ssh command line, as the docker CLI builds it: options first,
    /// `--`, the host, then the remote command.
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        // Never prompt: the terminal belongs to the TUI, and a password or
        // host-key question there would hang the connection unseen.
        cmd.args(["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15"]);
        // A dead network is noticed in ~45 s rather than never, so the
        // engine's event stream fails and the source reconnects.
        cmd.args([
            "-o",
            "ServerAliveInterval=15",
            "-o",
            "ServerAliveCountMax=3",
        ]);
        if let Ok(file) = std::env::var("OPSDECK_SSH_CONFIG")
            && !file.is_empty()
        {
            cmd.arg("-F").arg(file);
        }
        if let Some(user) = &self.user {
            cmd.arg("-l").arg(user);
        }
        if let Some(port) = self.port {
            cmd.arg("-p").arg(port.to_string());
        }
        cmd.arg("--").arg(&self.host);
        cmd.args(["docker", "system", "dial-stdio"]);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            // Its own process group: Ctrl-z and Ctrl-c aimed at opsdeck's
            // job must not stop or kill the engine's connections.
            .process_group(0);
        cmd
    }
}

/// `OPSDECK_SSH` names another client (tests, or an ssh not on PATH).
fn ssh_program() -> String {
    std::env::var("OPSDECK_SSH")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "ssh".to_string())
}

fn split_port(hostport: &str) -> Result<(&str, Option<u16>), String> {
    let parse = |p: &str| {
        p.parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .map(Some)
            .ok_or_else(|| format!("`{p}` is not a port number (1-65535)"))
    };
    if let Some(inner) = hostport.strip_prefix('[') {
        // [::1]:2222, an IPv6 address with a port.
        let (host, after) = inner
            .split_once(']')
            .ok_or_else(|| format!("`{hostport}` opens a [ without closing it"))?;
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, parse(port)?)),
            None if after.is_empty() => Ok((host, None)),
            None => Err(format!("`{hostport}` has text after the ]")),
        };
    }
    match hostport.split_once(':') {
        Some((host, port)) => Ok((host, parse(port)?)),
        None => Ok((hostport, None)),
    }
}

/// A Docker client whose connections are ssh processes, and where their
/// last words are kept.
pub fn client(target: &SshTarget, timeout_secs: u64) -> Result<(Docker, Arc<LastWords>), String> {
    let words = Arc::new(LastWords::default());
    let connector = SshConnector {
        target: Arc::new(target.clone()),
        words: words.clone(),
        logins: Arc::new(tokio::sync::Semaphore::new(LOGINS_AT_ONCE)),
    };
    let http = Client::builder(TokioExecutor::new()).build(connector);
    let transport = move |req: BollardRequest| {
        let http = http.clone();
        async move {
            http.request(req)
                .await
                .map_err(bollard::errors::Error::from)
        }
    };
    // The authority only names the pool's connections; the connector
    // ignores it and always dials through ssh.
    let docker = Docker::connect_with_custom_transport(
        transport,
        Some("http://docker-over-ssh"),
        timeout_secs,
        API_DEFAULT_VERSION,
    )
    .map_err(|e| format!("cannot use Docker host ssh://{}: {e}", target.describe()))?;
    Ok((docker, words))
}

#[derive(Clone)]
struct SshConnector {
    target: Arc<SshTarget>,
    words: Arc<LastWords>,
    logins: Arc<tokio::sync::Semaphore>,
}

impl tower_service::Service<http::Uri> for SshConnector {
    type Response = SshStream;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<SshStream>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: http::Uri) -> Self::Future {
        let (target, words) = (self.target.clone(), self.words.clone());
        let logins = self.logins.clone();
        Box::pin(async move {
            let login = logins.acquire_owned().await.ok();
            let mut child = match target.command().spawn() {
                Ok(child) => child,
                Err(e) => {
                    let text = if e.kind() == io::ErrorKind::NotFound {
                        format!(
                            "the ssh client is not installed (no `{}` on PATH): install \
                             OpenSSH's client to reach ssh:// engines",
                            target.program
                        )
                    } else {
                        format!("cannot start ssh for {}: {e}", target.describe())
                    };
                    words.set(Words::Spawn(text.clone()));
                    return Err(io::Error::other(text));
                }
            };
            let (Some(stdin), Some(stdout), Some(mut stderr)) =
                (child.stdin.take(), child.stdout.take(), child.stderr.take())
            else {
                return Err(io::Error::other("ssh started without its pipes"));
            };
            let said = tokio::spawn(async move {
                let mut kept = Vec::new();
                let mut buf = [0u8; 1024];
                while let Ok(n) = stderr.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > STDERR_KEPT {
                        kept.drain(..kept.len() - STDERR_KEPT);
                    }
                }
                String::from_utf8_lossy(&kept).into_owned()
            });
            words.set(Words::Stderr(said));
            Ok(SshStream(TokioIo::new(Pipe {
                _child: child,
                stdin: Some(stdin),
                stdout,
                login,
            })))
        })
    }
}

/// One ssh process as a duplex byte stream: write to its stdin, read
/// from its stdout. Dropping it kills the process.
struct Pipe {
    _child: Child,
    stdin: Option<ChildStdin>,
    stdout: ChildStdout,
    /// Its place among the logins in progress, until it first reads.
    login: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl AsyncRead for Pipe {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let read = Pin::new(&mut self.stdout).poll_read(cx, buf);
        if read.is_ready() {
            // Bytes, the end or an error: the login is over either way.
            self.login = None;
        }
        read
    }
}

impl AsyncWrite for Pipe {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.stdin.as_mut() {
            Some(stdin) => Pin::new(stdin).poll_write(cx, buf),
            None => Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.stdin.as_mut() {
            Some(stdin) => Pin::new(stdin).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }

    /// Closing stdin is how the remote `dial-stdio` learns the write half
    /// ended (a hijacked exec's input, say); reading goes on.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(stdin) = self.stdin.as_mut() {
            std::task::ready!(Pin::new(stdin).poll_shutdown(cx))?;
        }
        self.stdin = None;
        Poll::Ready(Ok(()))
    }
}

/// The pipe as hyper's connection type (hyper's IO traits, through TokioIo).
struct SshStream(TokioIo<Pipe>);

impl hyper::rt::Read for SshStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for SshStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl Connection for SshStream {
    fn connected(&self) -> Connected {
        Connected::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> Result<SshTarget, String> {
        SshTarget::parse(s)
    }

    #[test]
    fn addresses_parse_as_the_docker_cli_takes_them() {
        let t = target("ssh://deploy@build.example:2222").unwrap();
        assert_eq!(t.user.as_deref(), Some("deploy"));
        assert_eq!((t.host.as_str(), t.port), ("build.example", Some(2222)));
        let t = target("ssh://box").unwrap();
        assert_eq!((t.user, t.host.as_str(), t.port), (None, "box", None));
        let t = target("ssh://me@[::1]:22/").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", Some(22)));
        assert_eq!(t.describe(), "me@::1:22");
    }

    #[test]
    fn option_injection_paths_and_passwords_are_refused_without_echoing_the_password() {
        assert!(target("ssh://-oProxyCommand=x").is_err());
        assert!(target("ssh://-l@host").is_err());
        assert!(target("ssh://host/var/run/docker.sock").is_err());
        assert!(target("ssh://host:99999").is_err());
        let e = target("ssh://me:hunter2@host").unwrap_err();
        assert!(e.contains("password") && !e.contains("hunter2"), "{e}");
    }

    #[tokio::test]
    async fn a_missing_ssh_client_is_said_as_such() {
        let mut t = target("ssh://ci@127.0.0.1:1").unwrap();
        t.program = "/nonexistent/opsdeck-test-ssh".into();
        let (docker, words) = client(&t, 5).unwrap();
        assert!(docker.version().await.is_err());
        let text = words.explain(&t).await.unwrap();
        assert!(text.contains("ssh client is not installed"), "{text}");
    }

    /// A real ssh process to a port nothing listens on: ssh's words come
    /// back through the connection's stderr, turned into what to check.
    #[tokio::test]
    async fn a_refused_ssh_connection_is_explained_from_ssh_itself() {
        if std::process::Command::new("ssh")
            .arg("-V")
            .output()
            .is_err()
        {
            eprintln!("skipped: no ssh client");
            return;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let host = format!("ssh://ci@127.0.0.1:{port}");
        let text = super::super::connect(&host).await.err().unwrap();
        assert!(
            text.contains("connection refused") && text.contains(&format!(":{port}")),
            "{text}"
        );
    }
}
