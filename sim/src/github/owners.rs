//! An owner's repositories: "list organization repositories"
//! (https://docs.github.com/en/rest/repos/repos#list-organization-repositories)
//! and, for a personal account, "list repositories for a user"
//! (https://docs.github.com/en/rest/repos/repos#list-repositories-for-a-user).
//! An organization's path answers 404 for a user's login and the other way
//! round. `sort` (`created`, `updated`, `pushed`, `full_name`; default
//! `created` for an organization, `full_name` for a user), `direction`
//! (default `asc` for `full_name`, else `desc`), `per_page` and `page`;
//! each repository has `archived` and `pushed_at` (the newest push: its
//! newest run's commit here).

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Value, json};

use super::http::{PageReq, Paged, Reply, Req};
use super::model::Repo;
use super::payload;
use super::world::World;

/// `org`: the path was `/orgs/{owner}/repos`; else `/users/{owner}/repos`.
pub(crate) fn list(world: &World, owner: &str, org: bool, req: &Req) -> Reply {
    let is_user = world
        .user_accounts
        .iter()
        .any(|u| u.eq_ignore_ascii_case(owner));
    if is_user == org {
        return Reply::not_found();
    }
    let mut repos: Vec<&Repo> = world
        .repos
        .iter()
        .filter(|r| r.owner.eq_ignore_ascii_case(owner))
        .collect();
    if repos.is_empty() && org {
        return Reply::not_found();
    }
    let default_sort = if org { "created" } else { "full_name" };
    let sort = req
        .param("sort")
        .unwrap_or_else(|| default_sort.to_string());
    let ascending = match req.param("direction").as_deref() {
        Some("asc") => true,
        Some("desc") => false,
        _ => sort == "full_name",
    };
    match sort.as_str() {
        "pushed" | "updated" => repos.sort_by_key(|r| pushed_at(r)),
        "full_name" => repos.sort_by_key(|r| r.full_name().to_lowercase()),
        _ => repos.sort_by_key(|r| r.id),
    }
    if !ascending {
        repos.reverse();
    }
    let mut h = DefaultHasher::new();
    for r in &repos {
        (r.id, r.version, r.archived).hash(&mut h);
    }
    let base = world.base.as_str();
    req.conditional(h.finish(), || {
        let page = PageReq::from(req);
        let items: Vec<Value> = page.slice(&repos).iter().map(|r| entry(base, r)).collect();
        Paged {
            value: Value::Array(items),
            link: page.link(base, req, repos.len()),
        }
    })
}

fn pushed_at(repo: &Repo) -> super::model::Time {
    repo.runs
        .iter()
        .map(|r| r.commit.timestamp)
        .max()
        .or_else(|| repo.branches.iter().map(|b| b.head.timestamp).max())
        .unwrap_or_default()
}

fn entry(base: &str, repo: &Repo) -> Value {
    let mut v = payload::repository(base, repo, true);
    if let Some(map) = v.as_object_mut() {
        map.insert("archived".into(), json!(repo.archived));
        map.insert("disabled".into(), json!(false));
        map.insert("default_branch".into(), json!(repo.default_branch));
        map.insert(
            "pushed_at".into(),
            json!(pushed_at(repo).format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        );
    }
    v
}
