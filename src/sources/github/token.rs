//! Where the GitHub token comes from: `GH_TOKEN`, then `GITHUB_TOKEN` (the
//! names `gh` uses), then the output of `[github] token_command` (e.g.
//! `gh auth token`). The token is never logged, shown or written: it lives
//! in a [`Token`], whose `Debug` prints `***`.

use std::time::Duration;

/// How long `token_command` may take; `gh auth token` answers at once.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from any text; `None` when blank.
    pub fn new(text: &str) -> Option<Token> {
        let t = text.trim();
        (!t.is_empty()).then(|| Token(t.to_string()))
    }

    /// The secret itself, only for the client's Authorization header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Where to look for the token; the environment is read by the caller so
/// tests need not touch the process environment.
#[derive(Debug, Clone, Default)]
pub struct TokenSource {
    pub gh_token: Option<Token>,
    pub github_token: Option<Token>,
    pub command: Option<String>,
}

impl TokenSource {
    /// `GH_TOKEN`, `GITHUB_TOKEN` and `token_command` as configured.
    pub fn from_env(command: Option<String>) -> TokenSource {
        let var = |name| std::env::var(name).ok().and_then(|v| Token::new(&v));
        TokenSource {
            gh_token: var("GH_TOKEN"),
            github_token: var("GITHUB_TOKEN"),
            command,
        }
    }

    pub fn fixed(token: Token) -> TokenSource {
        TokenSource {
            gh_token: Some(token),
            ..TokenSource::default()
        }
    }

    /// The first token found. `Err` says why the command gave none (its
    /// exit status only: its output may hold the secret).
    pub async fn resolve(&self) -> Result<Option<Token>, String> {
        if let Some(t) = self.gh_token.clone().or_else(|| self.github_token.clone()) {
            return Ok(Some(t));
        }
        let Some(command) = self.command.as_deref() else {
            return Ok(None);
        };
        let output = tokio::time::timeout(
            COMMAND_TIMEOUT,
            tokio::process::Command::new("sh")
                .arg("-c")
                .arg(command)
                .stdin(std::process::Stdio::null())
                .kill_on_drop(true)
                .output(),
        )
        .await
        .map_err(|_| format!("[github] token_command `{command}` took longer than 10s"))?
        .map_err(|e| format!("[github] token_command `{command}` could not run: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "[github] token_command `{command}` failed ({})",
                output.status
            ));
        }
        let text = String::from_utf8_lossy(&output.stdout);
        match Token::new(&text) {
            Some(t) => Ok(Some(t)),
            None => Err(format!(
                "[github] token_command `{command}` printed nothing"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let t = Token::new(" ghp_secret123 \n").expect("token");
        assert_eq!(t.expose(), "ghp_secret123");
        let shown = format!("{t:?} {:?}", TokenSource::fixed(t.clone()));
        assert!(!shown.contains("secret"), "{shown}");
        assert!(Token::new("  \n").is_none());
    }

    #[tokio::test]
    async fn env_wins_then_the_command_trimmed() {
        let both = TokenSource {
            gh_token: Token::new("a"),
            github_token: Token::new("b"),
            command: Some("echo c".into()),
        };
        assert_eq!(both.resolve().await, Ok(Token::new("a")));
        let second = TokenSource {
            gh_token: None,
            ..both.clone()
        };
        assert_eq!(second.resolve().await, Ok(Token::new("b")));
        let command = TokenSource {
            command: Some("printf '  ghp_x\\n\\n'".into()),
            ..TokenSource::default()
        };
        assert_eq!(command.resolve().await, Ok(Token::new("ghp_x")));
        assert_eq!(TokenSource::default().resolve().await, Ok(None));
    }

    #[tokio::test]
    async fn a_failing_command_says_so_without_its_output() {
        let failing = TokenSource {
            // Prints `ghp_42`; the command's text itself does not contain it.
            command: Some("echo ghp_$((6 * 7)); exit 3".into()),
            ..TokenSource::default()
        };
        let err = failing.resolve().await.expect_err("fails");
        assert!(err.contains("failed") && !err.contains("ghp_42"), "{err}");
        let empty = TokenSource {
            command: Some("true".into()),
            ..TokenSource::default()
        };
        assert!(empty.resolve().await.is_err());
    }
}
