//! One incident told by two simulators at once, so that opsdeck's timeline
//! has something to link in `--demo` and in tests: a deploy run of
//! acme/web (GitHub simulator) builds commit [`COMMIT`]; a rollout of the
//! Deployment shop/storefront to the image tagged with that commit follows
//! (Kubernetes simulator); the new pods crash-loop while the old ones keep
//! serving, as a rolling update stalls when its new pods never become ready.
//!
//! The two simulators share nothing at run time: each builds its half from
//! these constants, at times counted back from its own start, so the story
//! reads the same whichever of them opsdeck reaches first.

use std::time::Duration;

/// The repository whose deploy workflow built the image.
pub const REPO_OWNER: &str = "acme";
pub const REPO_NAME: &str = "web";
/// The deploy run's head commit, and so the built image's tag.
pub const COMMIT: &str = "b7e4a1f9c3d2e8a6f0b5c7d9e2a4f6b8c1d3e5f7";
pub const COMMIT_MESSAGE: &str = "Render the storefront header on the server";
pub const AUTHOR: &str = "devon-li";

/// The Deployment that rolled out the new image.
pub const NAMESPACE: &str = "shop";
pub const DEPLOYMENT: &str = "storefront";
/// Its pods: enough that a stalled rollout leaves old pods serving beside
/// the crashing new ones (maxSurge and maxUnavailable of 25% give one each).
pub const REPLICAS: u32 = 4;
/// The release it ran before the deploy.
pub const PREVIOUS_IMAGE: &str = "registry.example.com/acme/web:2.4.1";

/// How long before the simulator's start the deploy run started.
pub const RUN_STARTED_AGO: Duration = Duration::from_secs(6 * 60);
/// How long before the simulator's start the new ReplicaSet was created:
/// while the run's deploy job ran, as a deploy script's `kubectl set image`.
pub const ROLLOUT_AGO: Duration = Duration::from_secs(4 * 60 + 30);

/// The image the run pushed: tagged `sha-` and the commit's first 12
/// digits, a common CI convention (docker/metadata-action's `type=sha`
/// with a long format).
pub fn image() -> String {
    let short = COMMIT.get(..12).unwrap_or(COMMIT);
    format!("registry.example.com/acme/web:sha-{short}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_commit_is_a_full_sha_and_the_tag_names_it() {
        assert_eq!(super::COMMIT.len(), 40);
        assert!(super::COMMIT.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(super::image().ends_with(":sha-b7e4a1f9c3d2"));
        assert!(super::ROLLOUT_AGO < super::RUN_STARTED_AGO);
    }
}
