use chrono::{Duration, TimeZone, Utc};

use crate::core::docker::{Container, ContainerState};
use crate::core::github::{Conclusion, Run, Status};
use crate::core::keymap::KeyMap;
use crate::core::loadable::Loadable;
use crate::core::state::{Settings, State};
use crate::core::triage::{self, Target};

fn run(id: u64, number: u64, branch: &str, conclusion: Option<Conclusion>, sha: &str) -> Run {
    let t = Utc
        .with_ymd_and_hms(2026, 11, 22, 8, 0, 0)
        .single()
        .expect("time");
    Run {
        repo: "acme/api".into(),
        id,
        number,
        attempt: 1,
        workflow: "CI".into(),
        workflow_id: 7,
        branch: branch.into(),
        event: "push".into(),
        actor: "dev".into(),
        title: "fix".into(),
        status: if conclusion.is_some() {
            Status::Completed
        } else {
            Status::InProgress
        },
        conclusion,
        head_sha: sha.into(),
        created_at: t + Duration::minutes(number as i64),
        updated_at: t + Duration::minutes(number as i64),
        started_at: None,
        html_url: String::new(),
    }
}

fn state_with(runs: Vec<Run>) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.github.runs = Loadable::Loaded(runs.into_iter().map(|r| (r.key(), r)).collect());
    s
}

#[test]
fn only_the_latest_run_per_workflow_and_branch_counts_and_a_later_success_clears() {
    let sha = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
    let s = state_with(vec![
        run(1, 10, "main", Some(Conclusion::Failure), sha),
        run(2, 11, "main", Some(Conclusion::Success), sha),
        run(3, 12, "feature", Some(Conclusion::TimedOut), sha),
        run(4, 13, "release", Some(Conclusion::Cancelled), sha),
        run(5, 14, "wip", None, sha),
    ]);
    let items = triage::github::items(&s);
    let mut what: Vec<(String, String)> = items
        .iter()
        .map(|i| (i.what.clone(), i.reason.clone()))
        .collect();
    what.sort();
    assert_eq!(
        what,
        vec![
            (
                "acme/api CI #12".to_string(),
                "timed out on feature".to_string()
            ),
            (
                "acme/api CI #13".to_string(),
                "cancelled on release".to_string()
            ),
        ]
    );
}

#[test]
fn a_broken_container_links_to_the_run_that_built_its_image() {
    let sha = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";
    let s = state_with(vec![run(1, 10, "main", Some(Conclusion::Success), sha)]);
    let c = Container {
        image: "ghcr.io/acme/api:3f2c1ab".into(),
        exit_code: Some(1),
        ..Container::fixture("c1", "api", ContainerState::Exited)
    };
    let cause = triage::container_cause(&s, &c).expect("a commit is known");
    assert_eq!(cause.text, "built from 3f2c1ab by CI #10 (acme/api)");
    assert_eq!(
        cause.run,
        Some(Target::Run {
            repo: "acme/api".into(),
            id: 1
        })
    );
}
