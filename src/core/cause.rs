//! From breakage to cause: the commit an image was built from, when it can
//! be known, to find the CI run that built it.

use super::docker::Container;

/// The image's commit: the `org.opencontainers.image.revision` label, else
/// an image tag that looks like a commit SHA (7 to 40 hex digits, at least
/// one a letter or the full 40, so a version tag like `1234567` is not
/// mistaken for one).
pub fn container_commit(c: &Container) -> Option<String> {
    if let Some(rev) = c.revision.as_deref().filter(|r| is_sha_like(r)) {
        return Some(rev.to_ascii_lowercase());
    }
    image_tag_commit(&c.image)
}

pub fn image_tag_commit(image: &str) -> Option<String> {
    // The tag follows the last ':' after the last '/' (a registry port is not a tag).
    let last_segment = image.rsplit('/').next()?;
    let tag = last_segment.split('@').next()?.split_once(':')?.1;
    let tag = tag.strip_prefix("sha-").unwrap_or(tag);
    is_sha_like(tag).then(|| tag.to_ascii_lowercase())
}

pub fn is_sha_like(s: &str) -> bool {
    let hex = (7..=40).contains(&s.len()) && s.chars().all(|c| c.is_ascii_hexdigit());
    hex && (s.len() == 40 || s.chars().any(|c| c.is_ascii_alphabetic()))
}

/// True when `short` (7+ hex digits) is a prefix of the full `head_sha`.
pub fn sha_matches(short: &str, head_sha: &str) -> bool {
    short.len() >= 7
        && head_sha
            .to_ascii_lowercase()
            .starts_with(&short.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_that_look_like_commits_are_found() {
        assert_eq!(
            image_tag_commit("ghcr.io/acme/api:3f2c1ab").as_deref(),
            Some("3f2c1ab")
        );
        assert_eq!(
            image_tag_commit("registry:5000/acme/api:sha-9E1D4B7C2A").as_deref(),
            Some("9e1d4b7c2a")
        );
        assert_eq!(
            image_tag_commit("registry:5000/acme/api").as_deref(),
            None,
            "a port is not a tag"
        );
        assert_eq!(image_tag_commit("nginx:1.27"), None);
        assert_eq!(
            image_tag_commit("app:1234567"),
            None,
            "all digits reads as a version"
        );
        assert_eq!(image_tag_commit("app:latest"), None);
        assert_eq!(
            image_tag_commit("app:3f2c1ab@sha256:00").as_deref(),
            Some("3f2c1ab")
        );
    }

    #[test]
    fn prefixes_match_full_shas() {
        let head = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
        assert!(sha_matches("3F2C1AB", head));
        assert!(
            !sha_matches("3f2c1a", head),
            "under 7 digits is too ambiguous"
        );
        assert!(!sha_matches("3f2c1ac", head));
    }
}
