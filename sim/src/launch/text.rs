//! The words and files `opsdeck-sim` writes: opsdeck's config.toml, the
//! command line, the instructions.

use std::path::{Path, PathBuf};

pub(super) struct Endpoints {
    pub docker_host: Option<String>,
    /// API URL, repositories, token.
    pub github: Option<(String, Vec<String>, String)>,
    pub kube: bool,
}

/// A TOML basic string: JSON's escapes are valid TOML.
fn toml_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Only the sections of the APIs served; opsdeck keeps its defaults for the
/// others.
pub(super) fn config_toml(e: &Endpoints) -> String {
    let mut out = String::from(
        "# Written by opsdeck-sim: points opsdeck at its simulated APIs.\n\
         # Removed when opsdeck-sim stops.\n",
    );
    if let Some(host) = &e.docker_host {
        out.push_str(&format!("\n[docker]\nhost = {}\n", toml_str(host)));
    }
    if let Some((url, repos, token)) = &e.github {
        let repos: Vec<String> = repos.iter().map(|r| toml_str(r)).collect();
        // The simulator's own fake token. GH_TOKEN in the printed command
        // wins over it, as it does for a real token.
        let token_command = format!("printf '%s\\n' {}", shell_quote(token));
        // Polls quicker than the defaults: the simulator is local and free.
        out.push_str(&format!(
            "\n[github]\nrepos = [{}]\napi_url = {}\ntoken_command = {}\n\
             poll_active_secs = 3\npoll_idle_secs = 10\n",
            repos.join(", "),
            toml_str(url),
            toml_str(&token_command),
        ));
    }
    if e.kube {
        // The whole simulated cluster, and its `prod-eu` context shows what a
        // dangerous context looks like, as under `--demo`.
        out.push_str("\n[kubernetes]\nnamespace = \"*\"\ndanger = [\"prod*\"]\n");
    }
    out
}

/// Quotes for a POSIX shell only when needed, so the usual command stays
/// readable.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

pub(super) fn command(env: &[(&str, String)], config: &Path) -> String {
    let mut words: Vec<String> = env
        .iter()
        .map(|(k, v)| format!("{k}={}", shell_quote(v)))
        .collect();
    words.push("opsdeck".into());
    words.push("--config".into());
    words.push(shell_quote(&config.display().to_string()));
    words.join(" ")
}

pub(super) fn instructions(serving: &[String], written: &[PathBuf], command: &str) -> String {
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    format!(
        "opsdeck-sim: serving {serving} on loopback.\n\
         Wrote {files} (removed when opsdeck-sim stops).\n\
         \n\
         Start opsdeck against them from another terminal:\n\
         \n    {command}\n\
         \n\
         From a checkout of opsdeck, put `cargo run --release --` in place of `opsdeck`.\n\
         The token is the simulator's own fake one.\n\
         Stop with Ctrl-C, or Ctrl-D to close stdin.\n",
        serving = serving.join(", "),
        files = files.join(" and "),
    )
}
