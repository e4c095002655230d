//! An incident bundle of a failed run, end to end: the source fetches the
//! jobs and the failed job's log, `core::incident` writes the Markdown, the
//! kit's writer saves it and answers with `FileWritten`.

use opsdeck::core::source::SourceKind;
use opsdeck::core::triage::{Target, TriageItem};

use super::*;

#[tokio::test]
async fn a_failed_runs_bundle_holds_its_failed_job_and_log() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &["acme/shop-api"]));
    p.until("shop-api", |p| !p.app.state.github.answered.is_empty())
        .await;
    let run = p
        .find(|r| r.conclusion == Some(Conclusion::Failure))
        .expect("a failed run");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("incident.md");
    let item = TriageItem {
        source: SourceKind::GitHub,
        key: format!("github:{}", run.id),
        what: format!("run {} {}", run.workflow, run.number_text()),
        location: run.repo.clone(),
        since: None,
        reason: "failure".into(),
        target: Target::Run {
            repo: run.repo.clone(),
            id: run.id,
        },
        cause: None,
    };
    let _ = p.commands.send(GitHubCommand::IncidentBundle {
        path: path.clone(),
        item: Box::new(item),
        run: Box::new(run.clone()),
        timeline: String::new(),
    });
    let deadline = tokio::time::Instant::now() + WAIT;
    let result = loop {
        let msg = tokio::time::timeout_at(deadline, p.rx.recv())
            .await
            .expect("an answer")
            .expect("source task alive");
        if let Msg::FileWritten {
            path: written,
            result,
        } = msg
        {
            assert_eq!(written, path);
            break result;
        }
    };
    let lines = result.expect("written");
    assert!(lines > 0, "log lines around the error");
    let md = std::fs::read_to_string(&path).expect("the file");
    assert!(md.starts_with("# Incident: run "), "{md}");
    assert!(md.contains("| repository | acme/shop-api |"), "{md}");
    assert!(md.contains("## Failed jobs\n\n- **"), "{md}");
    assert!(md.contains("##[error]"), "{md}");
    assert!(!md.contains(sim.token()), "the token never reaches a file");
    sim.shutdown().await;
}
