//! What every test against the real Docker engine needs the same way:
//! whether a missing engine fails or skips, unique container names, and
//! removal that does not care whether the container is still there.

use bollard::Docker;
use bollard::query_parameters::RemoveContainerOptions;

/// CI sets `OPSDECK_REQUIRE_DOCKER=1`: a missing engine is then a failure,
/// not a skip.
pub fn required() -> bool {
    std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1")
}

/// A container name no other test or earlier run uses.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("opsdeck-test-{prefix}-{}-{nanos}", std::process::id())
}

/// Removes the container, running or not; one already gone is fine.
pub async fn remove_container(d: &Docker, name: &str) {
    let options = RemoveContainerOptions {
        force: true,
        ..Default::default()
    };
    let _ = d.remove_container(name, Some(options)).await;
}
