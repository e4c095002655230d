//! `GET /repos/{owner}/{repo}/contents/{path}?ref=…` for the workflow
//! files, so a client can read their `workflow_dispatch` inputs. Shape per
//! GitHub's "REST API endpoints for repository contents" (Get repository
//! content): a file object with `type: "file"`, `encoding: "base64"` and
//! the content in base64 broken into lines, as GitHub sends it.

use base64::Engine;
use serde_json::{Value, json};

use super::http::{Paged, Reply, Req};
use super::model::{Repo, WorkflowSpec};

/// The YAML text of a workflow file, with its dispatch inputs.
pub(crate) fn workflow_file(spec: &WorkflowSpec) -> String {
    let mut text = format!("name: {}\non:\n  push:\n    branches: [main]\n", spec.name);
    if spec.dispatchable {
        text.push_str("  workflow_dispatch:\n");
        if !spec.inputs.is_empty() {
            text.push_str("    inputs:\n");
            text.push_str(spec.inputs);
        }
    }
    text.push_str("jobs:\n");
    for job in &spec.jobs {
        text.push_str(&format!(
            "  {}:\n    runs-on: ubuntu-latest\n    steps:\n",
            job.name.replace(' ', "-")
        ));
        for step in &job.steps {
            text.push_str(&format!(
                "      - name: {:?}\n        run: \"true\"\n",
                step.name
            ));
        }
    }
    text
}

/// The names of the workflow's dispatch inputs: the keys at the inputs'
/// indentation in `spec.inputs`.
pub(crate) fn input_names(spec: &WorkflowSpec) -> Vec<&'static str> {
    spec.inputs
        .lines()
        .filter_map(|l| l.strip_prefix("      "))
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.strip_suffix(':'))
        .collect()
}

/// The file object, or 404 (an unknown path or ref, as GitHub answers).
pub(crate) fn get(base: &str, repo: &Repo, path: &[&str], req: &Req) -> Reply {
    let path = path.join("/");
    let git_ref = req
        .param("ref")
        .unwrap_or_else(|| repo.default_branch.clone());
    let branch = git_ref.strip_prefix("refs/heads/").unwrap_or(&git_ref);
    if !repo.branches.iter().any(|b| b.name == branch) {
        return Reply::not_found();
    }
    let Some(workflow) = repo
        .workflows
        .iter()
        .find(|w| format!(".github/workflows/{}", w.spec.file) == path)
    else {
        return Reply::not_found();
    };
    let text = match repo.broken_files.iter().find(|(p, _)| *p == path) {
        Some((_, broken)) => broken.clone(),
        None => workflow_file(&workflow.spec),
    };
    let value = file_object(base, repo, &path, &text);
    req.conditional(super::payload::fnv(&text), || Paged::one(value))
}

fn file_object(base: &str, repo: &Repo, path: &str, text: &str) -> Value {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    // GitHub wraps the base64 at 60 characters, with a final newline.
    let mut content = String::new();
    for chunk in encoded.as_bytes().chunks(60) {
        content.push_str(&String::from_utf8_lossy(chunk));
        content.push('\n');
    }
    let full = format!("{}/{}", repo.owner, repo.name);
    let sha = format!("{:040x}", u128::from(super::payload::fnv(text)));
    json!({
        "type": "file",
        "encoding": "base64",
        "size": text.len(),
        "name": path.rsplit('/').next().unwrap_or(path),
        "path": path,
        "content": content,
        "sha": sha,
        "url": format!("{base}/repos/{full}/contents/{path}"),
        "html_url": format!("https://github.com/{full}/blob/main/{path}"),
        "download_url": format!("https://raw.githubusercontent.com/{full}/main/{path}"),
        "_links": {
            "self": format!("{base}/repos/{full}/contents/{path}"),
            "html": format!("https://github.com/{full}/blob/main/{path}"),
        }
    })
}
