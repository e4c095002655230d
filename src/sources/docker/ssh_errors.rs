//! ssh's words, kept and turned into what to do: what the last ssh
//! process of an engine said on stderr (or why it could not start) is
//! read when the engine fails to answer.

use super::ssh::SshTarget;

/// What the last ssh process said on stderr, or why it could not start;
/// read when the engine fails to answer, to say why in ssh's terms.
#[derive(Default)]
pub struct LastWords {
    slot: std::sync::Mutex<Option<Words>>,
}

pub(super) enum Words {
    /// ssh could not be started at all.
    Spawn(String),
    /// Its stderr, complete once the process has ended.
    Stderr(tokio::task::JoinHandle<String>),
}

impl LastWords {
    pub(super) fn set(&self, words: Words) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(words);
        }
    }

    /// Why the connection failed, in plain words naming the target; None
    /// when ssh said nothing useful (the caller keeps the HTTP error).
    pub async fn explain(&self, target: &SshTarget) -> Option<String> {
        let words = self.slot.lock().ok()?.take()?;
        let stderr = match words {
            Words::Spawn(text) => return Some(text),
            // ssh has failed or is failing: its stderr ends when it exits.
            Words::Stderr(handle) => {
                tokio::time::timeout(std::time::Duration::from_secs(5), handle)
                    .await
                    .ok()?
                    .ok()?
            }
        };
        explain_stderr(target, &stderr)
    }
}

/// ssh's and the remote shell's words, turned into what to do.
pub fn explain_stderr(target: &SshTarget, stderr: &str) -> Option<String> {
    let who = target.describe();
    let host = &target.host;
    let last = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())?
        .to_string();
    let lower = stderr.to_lowercase();
    let text = if lower.contains("permission denied (") || lower.contains("too many authentication")
    {
        format!(
            "ssh refused the login to {who} ({last}): check the key (ssh-add, or IdentityFile \
             in ~/.ssh/config) and the user name"
        )
    } else if lower.contains("host key verification failed")
        || lower.contains("remote host identification has changed")
    {
        format!(
            "ssh does not know {host}'s host key or it changed: run `ssh {who}` once to check \
             and accept it"
        )
    } else if lower.contains("could not resolve hostname") {
        format!("the name {host} does not resolve (ssh: {last})")
    } else if lower.contains("connection refused") {
        format!(
            "nothing accepts ssh connections at {who} (connection refused): is sshd running there?"
        )
    } else if lower.contains("timed out") {
        format!("ssh to {who} timed out: is the machine up and the port open?")
    } else if lower.contains("docker: not found")
        || lower.contains("docker: command not found")
        || lower.contains("\"docker\": executable file not found")
    {
        format!(
            "docker is not installed on {host}, or not on the PATH of a non-interactive login \
             there (ssh {who} docker version should work)"
        )
    } else if lower.contains("cannot connect to the docker daemon")
        || lower.contains("permission denied while trying to connect")
    {
        format!("docker on {host} cannot reach its engine: {last}")
    } else if lower.contains("unknown command") && lower.contains("dial-stdio") {
        format!(
            "the docker CLI on {host} is too old for `docker system dial-stdio` (18.09+ has it)"
        )
    } else {
        format!("ssh to {who} failed: {last}")
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_failures_are_said_in_what_to_do() {
        let t = SshTarget::parse("ssh://ci@127.0.0.1:2222").unwrap();
        let say = |err: &str| explain_stderr(&t, err).unwrap();
        let text = say("ci@127.0.0.1: Permission denied (publickey).\r\n");
        assert!(
            text.contains("refused the login to ci@127.0.0.1:2222"),
            "{text}"
        );
        let text = say("sh: 1: docker: not found\n");
        assert!(
            text.contains("docker is not installed on 127.0.0.1"),
            "{text}"
        );
        let text = say("ssh: connect to host 127.0.0.1 port 2222: Connection refused\n");
        assert!(text.contains("is sshd running"), "{text}");
        let text = say("Host key verification failed.\n");
        assert!(text.contains("host key"), "{text}");
        assert!(explain_stderr(&t, "\n \n").is_none());
    }
}
