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

#[tokio::test]
async fn b_in_a_runs_jobs_lists_its_artifacts_and_enter_saves_one() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let run = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let bytes: Vec<u8> = (0u32..700_000).map(|i| (i % 251) as u8).collect();
    sim.add_artifact(("acme", "empty"), run, "web-dist", bytes.clone(), false)
        .expect("stored");
    sim.add_artifact(("acme", "empty"), run, "old-report", b"x".to_vec(), true)
        .expect("stored");
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the run", |p| p.find(|r| r.id == run).is_some())
        .await;
    p.key(KeyCode::Enter);
    p.press('b');
    p.until("the artifacts", |p| {
        p.app
            .state
            .github
            .artifacts
            .as_ref()
            .is_some_and(|v| v.items.is_some())
    })
    .await;
    let base = tempfile::tempdir().expect("dir");
    // Typed after `o`, as a user would, into a directory not made yet.
    let dir = base.path().join("incident-42");
    p.press('o');
    for _ in 0..4 {
        p.key(KeyCode::Backspace);
    }
    for c in dir.display().to_string().chars() {
        p.press(c);
    }
    p.key(KeyCode::Enter);
    let view = p.app.state.github.artifacts.as_ref().expect("dialog");
    assert_eq!(view.dir, dir);
    let names: Vec<String> = match &view.items {
        Some(Ok(items)) => items.iter().map(|a| a.name.clone()).collect(),
        other => panic!("no list: {other:?}"),
    };
    assert_eq!(names, vec!["web-dist", "old-report"]);
    p.key(KeyCode::Enter);
    p.until("saved", |p| {
        p.app
            .state
            .toasts
            .history()
            .any(|m| m.text.starts_with("artifact saved to"))
    })
    .await;
    let saved = std::fs::read(dir.join("web-dist.zip")).expect("file");
    assert_eq!(saved, bytes);
    let downloads = sim.counters().log_downloads;
    p.press('j');
    p.key(KeyCode::Enter);
    p.pump_for(Duration::from_millis(200)).await;
    assert_eq!(sim.counters().log_downloads, downloads, "nothing fetched");
    let said = p
        .app
        .state
        .toasts
        .history()
        .any(|m| m.text == "artifact old-report has expired; GitHub no longer keeps it");
    assert!(said);
    p.key(KeyCode::Esc);
    assert!(p.app.state.github.artifacts.is_none());
    p.press('b');
    let view = p.app.state.github.artifacts.as_ref().expect("dialog again");
    assert_eq!(view.dir, dir, "the chosen directory holds for the session");
    sim.shutdown().await;
}
