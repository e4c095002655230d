//! Where the GitHub token comes from: `GH_TOKEN`, then `GITHUB_TOKEN` (the
//! names `gh` uses), then the output of `[github] token_command` (e.g.
//! `gh auth token`), then the GitHub CLI's own login (`gh auth token
//! --hostname HOST`) when `gh` is installed. The token is never logged,
//! shown or written: it lives in a [`Token`], whose `Debug` prints `***`;
//! only where it came from ([`TokenOrigin`]) is said.

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

/// Which of the places gave the token: said in the help and in `opsdeck
/// status`, so a user with several logins knows which one GitHub saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenOrigin {
    GhTokenEnv,
    GithubTokenEnv,
    Command,
    GhCli,
    /// Handed over by opsdeck itself (the demo's simulator, tests).
    Given,
}

impl TokenOrigin {
    pub fn label(self) -> &'static str {
        match self {
            TokenOrigin::GhTokenEnv => "env GH_TOKEN",
            TokenOrigin::GithubTokenEnv => "env GITHUB_TOKEN",
            TokenOrigin::Command => "token_command",
            TokenOrigin::GhCli => "gh CLI",
            TokenOrigin::Given => "opsdeck (demo)",
        }
    }

    /// A command gives it: running the command again may give a fresh one
    /// (after `gh auth refresh`, or a rotated secret).
    pub fn refreshable(self) -> bool {
        matches!(self, TokenOrigin::Command | TokenOrigin::GhCli)
    }
}

/// The GitHub CLI, asked for its login to one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GhCli {
    /// `gh`, looked up on PATH; absent means no gh login to use.
    pub program: String,
    /// The web host of the API URL (`github.com` for api.github.com).
    pub host: String,
}

/// Where to look for the token; the environment is read by the caller so
/// tests need not touch the process environment.
#[derive(Debug, Clone, Default)]
pub struct TokenSource {
    pub gh_token: Option<Token>,
    pub github_token: Option<Token>,
    pub command: Option<String>,
    pub gh_cli: Option<GhCli>,
    /// A token opsdeck was handed (`fixed`), before everything else.
    pub given: Option<Token>,
}

impl TokenSource {
    /// `GH_TOKEN`, `GITHUB_TOKEN`, `token_command` as configured, and the
    /// gh CLI's login to the host of `api_url`.
    pub fn from_env(command: Option<String>, api_url: &str) -> TokenSource {
        let var = |name| std::env::var(name).ok().and_then(|v| Token::new(&v));
        TokenSource {
            gh_token: var("GH_TOKEN"),
            github_token: var("GITHUB_TOKEN"),
            command,
            gh_cli: super::remote::web_host(api_url).map(|host| GhCli {
                program: "gh".into(),
                host,
            }),
            given: None,
        }
    }

    pub fn fixed(token: Token) -> TokenSource {
        TokenSource {
            given: Some(token),
            ..TokenSource::default()
        }
    }

    /// The first token found. `Err` says why the command gave none (its
    /// exit status only: its output may hold the secret).
    pub async fn resolve(&self) -> Result<Option<Token>, String> {
        Ok(self.find().await?.map(|(token, _)| token))
    }

    /// The first token found and where it came from. A missing or
    /// logged-out gh is no error: it is only the last place to look.
    pub async fn find(&self) -> Result<Option<(Token, TokenOrigin)>, String> {
        if let Some(t) = self.given.clone() {
            return Ok(Some((t, TokenOrigin::Given)));
        }
        if let Some(t) = self.gh_token.clone() {
            return Ok(Some((t, TokenOrigin::GhTokenEnv)));
        }
        if let Some(t) = self.github_token.clone() {
            return Ok(Some((t, TokenOrigin::GithubTokenEnv)));
        }
        if let Some(command) = self.command.as_deref() {
            return run_command(command)
                .await
                .map(|t| Some((t, TokenOrigin::Command)));
        }
        let Some(gh) = &self.gh_cli else {
            return Ok(None);
        };
        Ok(gh_login(gh).await.map(|t| (t, TokenOrigin::GhCli)))
    }
}

async fn run_command(command: &str) -> Result<Token, String> {
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
    Token::new(&text).ok_or_else(|| format!("[github] token_command `{command}` printed nothing"))
}

/// `gh auth token --hostname HOST`: `None` when gh is not installed, not
/// logged in to that host, or too slow; why is logged, never its output.
async fn gh_login(gh: &GhCli) -> Option<Token> {
    let output = tokio::time::timeout(
        COMMAND_TIMEOUT,
        tokio::process::Command::new(&gh.program)
            .args(["auth", "token", "--hostname", &gh.host])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await;
    let output = match output {
        Ok(Ok(output)) => output,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Ok(Err(e)) => {
            tracing::info!(error = %e, "the gh CLI could not run");
            return None;
        }
        Err(_) => {
            tracing::info!("the gh CLI took longer than 10s to give its token");
            return None;
        }
    };
    if !output.status.success() {
        tracing::info!(host = %gh.host, status = %output.status, "the gh CLI has no login");
        return None;
    }
    Token::new(&String::from_utf8_lossy(&output.stdout))
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
            gh_cli: None,
            given: None,
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

    /// A stand-in for `gh` that knows one login: to `host`, `token`.
    fn fake_gh(dir: &std::path::Path, host: &str, token: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("gh");
        let script = format!(
            "#!/bin/sh\n[ \"$*\" = \"auth token --hostname {host}\" ] || exit 1\necho {token}\n"
        );
        std::fs::write(&path, script).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path.to_string_lossy().into_owned()
    }

    #[tokio::test]
    async fn the_gh_login_comes_last_and_says_so() {
        let dir = tempfile::tempdir().expect("dir");
        let gh = GhCli {
            program: fake_gh(dir.path(), "ghe.example.com", "ghp_fromgh"),
            host: "ghe.example.com".into(),
        };
        let only_gh = TokenSource {
            gh_cli: Some(gh.clone()),
            ..TokenSource::default()
        };
        assert_eq!(
            only_gh.find().await,
            Ok(Some((
                Token::new("ghp_fromgh").expect("t"),
                TokenOrigin::GhCli
            )))
        );
        let command = TokenSource {
            command: Some("echo ghp_cmd".into()),
            ..only_gh.clone()
        };
        assert_eq!(
            command.find().await.map(|f| f.map(|(_, o)| o)),
            Ok(Some(TokenOrigin::Command))
        );
        let env = TokenSource {
            github_token: Token::new("ghp_env"),
            ..command.clone()
        };
        assert_eq!(
            env.find().await.map(|f| f.map(|(_, o)| o)),
            Ok(Some(TokenOrigin::GithubTokenEnv))
        );
        let both = TokenSource {
            gh_token: Token::new("ghp_first"),
            ..env
        };
        assert_eq!(
            both.find().await.map(|f| f.map(|(_, o)| o)),
            Ok(Some(TokenOrigin::GhTokenEnv))
        );
        // Logged in elsewhere, or no gh at all: no token, and no error.
        let other_host = TokenSource {
            gh_cli: Some(GhCli {
                host: "github.com".into(),
                ..gh
            }),
            ..TokenSource::default()
        };
        assert_eq!(other_host.find().await, Ok(None));
        let no_gh = TokenSource {
            gh_cli: Some(GhCli {
                program: dir.path().join("missing-gh").to_string_lossy().into_owned(),
                host: "github.com".into(),
            }),
            ..TokenSource::default()
        };
        assert_eq!(no_gh.find().await, Ok(None));
    }

    #[test]
    fn the_gh_host_is_the_web_host_of_the_api() {
        let host = |url: &str| TokenSource::from_env(None, url).gh_cli.map(|g| g.host);
        assert_eq!(
            host("https://api.github.com").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            host("https://ghe.example.com/api/v3").as_deref(),
            Some("ghe.example.com")
        );
        assert!(TokenOrigin::GhCli.refreshable() && TokenOrigin::Command.refreshable());
        assert!(!TokenOrigin::GhTokenEnv.refreshable());
    }
}
