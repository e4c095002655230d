//! The repository of the current directory, from its git remote `origin`:
//! read from the git config (no git needed), with `git remote get-url
//! origin` as the fallback. Only remotes on the web host that belongs to
//! the configured API (github.com for api.github.com, the Enterprise host
//! otherwise) count.

use std::path::{Path, PathBuf};

/// `owner/name` of a remote URL on `host`, in every form git accepts:
/// `https://host/o/r(.git)`, `ssh://git@host(:22)/o/r.git`,
/// `git@host:o/r.git`, `git://host/o/r.git`.
pub fn parse_remote(url: &str, host: &str) -> Option<String> {
    let url = url.trim();
    let rest = if let Some((scheme, rest)) = url.split_once("://") {
        if !matches!(scheme, "https" | "http" | "ssh" | "git" | "git+ssh") {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let hostport = authority.rsplit('@').next()?;
        let h = hostport.split(':').next()?;
        if !h.eq_ignore_ascii_case(host) {
            return None;
        }
        path
    } else {
        // scp-like: [user@]host:owner/name.git
        let (authority, path) = url.split_once(':')?;
        let h = authority.rsplit('@').next()?;
        if !h.eq_ignore_ascii_case(host) || path.starts_with('/') {
            return None;
        }
        path
    };
    let path = rest.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts = path.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (parts.next().is_none() && valid(owner) && valid(name)).then(|| format!("{owner}/{name}"))
}

/// The `url` of `[remote "origin"]` in the text of a git config file.
pub fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            let section: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            in_origin = section == "[remote\"origin\"]";
            continue;
        }
        if !in_origin {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim().eq_ignore_ascii_case("url")
        {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// The web host of an API URL: `https://api.github.com` → `github.com`,
/// `https://ghe.example.com/api/v3` → `ghe.example.com`.
pub fn web_host(api_url: &str) -> Option<String> {
    let rest = api_url.split_once("://").map_or(api_url, |(_, r)| r);
    let host = rest.split(['/', ':']).next()?.to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(match host.strip_prefix("api.") {
        Some(h) if h == "github.com" => h.to_string(),
        _ => host,
    })
}

/// `owner/name` of the repository `dir` is in, if its origin is on `host`.
/// Blocking (file reads, maybe a `git` process): call it off the UI path.
pub fn discover(dir: &Path, host: &str) -> Option<String> {
    let from_config = git_config_path(dir)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| origin_url(&text));
    let url = match from_config {
        Some(url) => url,
        None => {
            let out = std::process::Command::new("git")
                .args(["remote", "get-url", "origin"])
                .current_dir(dir)
                .stdin(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .output()
                .ok()?;
            if !out.status.success() {
                return None;
            }
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        }
    };
    parse_remote(&url, host)
}

/// The config file of the repository containing `dir`: `.git/config`, or
/// for a worktree/submodule (`.git` is a file `gitdir: …`) the common dir's.
fn git_config_path(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        let dot_git = d.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git.join("config"));
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let gitdir = text.trim().strip_prefix("gitdir:")?.trim();
            let gitdir = d.join(gitdir);
            let common = match std::fs::read_to_string(gitdir.join("commondir")) {
                Ok(c) => gitdir.join(c.trim()),
                Err(_) => gitdir,
            };
            return Some(common.join("config"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_remote_form_gives_owner_and_name() {
        let host = "github.com";
        for url in [
            "https://github.com/acme/shop-api.git",
            "https://github.com/acme/shop-api",
            "https://github.com/acme/shop-api/",
            "https://token@github.com/acme/shop-api.git",
            "ssh://git@github.com/acme/shop-api.git",
            "ssh://git@github.com:22/acme/shop-api.git",
            "git@github.com:acme/shop-api.git",
            "git@GitHub.com:acme/shop-api",
            "git://github.com/acme/shop-api.git",
        ] {
            assert_eq!(
                parse_remote(url, host).as_deref(),
                Some("acme/shop-api"),
                "{url}"
            );
        }
    }

    #[test]
    fn other_hosts_and_odd_paths_are_not_github_repos() {
        let host = "github.com";
        for url in [
            "https://gitlab.com/acme/shop-api.git",
            "git@bitbucket.org:acme/shop-api.git",
            "https://github.com/acme",
            "https://github.com/acme/shop-api/tree/main",
            "/srv/git/shop-api.git",
            "file:///srv/git/shop-api.git",
            "",
        ] {
            assert_eq!(parse_remote(url, host), None, "{url}");
        }
        assert_eq!(
            parse_remote("git@ghe.example.com:team/app.git", "ghe.example.com").as_deref(),
            Some("team/app")
        );
    }

    #[test]
    fn origin_is_read_from_a_git_config() {
        let text = r#"
[core]
	bare = false
[remote "upstream"]
	url = git@github.com:other/thing.git
[remote "origin"]
	url = https://github.com/acme/web.git
	fetch = +refs/heads/*:refs/remotes/origin/*
"#;
        assert_eq!(
            origin_url(text).as_deref(),
            Some("https://github.com/acme/web.git")
        );
        assert_eq!(origin_url("[core]\n\tbare = true\n"), None);
    }

    #[test]
    fn api_urls_map_to_their_web_host() {
        assert_eq!(
            web_host("https://api.github.com").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            web_host("https://ghe.example.com/api/v3").as_deref(),
            Some("ghe.example.com")
        );
        assert_eq!(
            web_host("http://127.0.0.1:4000").as_deref(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn discovery_reads_the_config_of_a_checkout_and_of_a_worktree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path().join("repo");
        let sub = repo.join("src/deep");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(
            repo.join(".git/config"),
            "[remote \"origin\"]\n\turl = git@github.com:acme/infra.git\n",
        )
        .expect("write");
        assert_eq!(discover(&sub, "github.com").as_deref(), Some("acme/infra"));
        // A worktree: `.git` is a file pointing into the main repository.
        let wt = dir.path().join("wt");
        let wt_git = repo.join(".git/worktrees/wt");
        std::fs::create_dir_all(&wt).expect("mkdir");
        std::fs::create_dir_all(&wt_git).expect("mkdir");
        std::fs::write(wt_git.join("commondir"), "../..\n").expect("write");
        std::fs::write(wt.join(".git"), format!("gitdir: {}\n", wt_git.display())).expect("write");
        assert_eq!(discover(&wt, "github.com").as_deref(), Some("acme/infra"));
    }
}
