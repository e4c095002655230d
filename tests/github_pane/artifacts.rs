//! A run's artifacts through octocrab against the simulator: listed, one
//! downloaded through the 302 to its signed URL, an expired one refused
//! in plain words (GitHub answers 410).

use super::*;
use opsdeck::sources::github::artifacts;

#[tokio::test]
async fn an_artifact_downloads_byte_for_byte_and_an_expired_one_says_so() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let run = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    // Not a repeating pattern: a chunk dropped or doubled would show.
    let bytes: Vec<u8> = (0u32..300_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    sim.add_artifact(("acme", "empty"), run, "web-dist", bytes.clone(), false)
        .expect("stored");
    sim.add_artifact(("acme", "empty"), run, "old-report", b"gone".to_vec(), true)
        .expect("stored");
    let token = Token::new(sim.token()).expect("token");
    let list = artifacts::list(sim.base_url(), &token, "acme/empty", run)
        .await
        .expect("listed");
    assert_eq!(list.len(), 2);
    let dist = list
        .iter()
        .find(|a| a.name == "web-dist")
        .expect("web-dist");
    assert_eq!(dist.size, 300_000);
    assert!(!dist.expired && dist.expires_at.is_some());
    let dir = tempfile::tempdir().expect("dir");
    let mut seen = Vec::new();
    let path = artifacts::download(
        (sim.base_url(), &token),
        "acme/empty",
        dist,
        dir.path(),
        &mut |n| seen.push(n),
    )
    .await
    .expect("downloaded");
    assert_eq!(path, dir.path().join("web-dist.zip"));
    assert_eq!(std::fs::read(&path).expect("file"), bytes);
    assert_eq!(seen.last(), Some(&300_000), "progress reached the size");
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        sim.counters().log_downloads_with_auth,
        0,
        "the token never went to the signed URL"
    );

    // Listed as expired: refused without a request.
    let old = list.iter().find(|a| a.name == "old-report").expect("old");
    assert!(old.expired);
    let err = artifacts::download(
        (sim.base_url(), &token),
        "acme/empty",
        old,
        dir.path(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(err.contains("has expired"), "{err}");
    // Expired after it was listed: GitHub's 410 says the same.
    let stale = artifacts::ArtifactInfo {
        expired: false,
        ..old.clone()
    };
    let err = artifacts::download(
        (sim.base_url(), &token),
        "acme/empty",
        &stale,
        dir.path(),
        &mut |_| {},
    )
    .await
    .unwrap_err();
    assert!(err.contains("has expired"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "only the whole download is left");
    sim.shutdown().await;
}
