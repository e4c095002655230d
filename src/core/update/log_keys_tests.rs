//! Keys in a log view: `q` closes it and `Q` quits, the filter prompt,
//! the tab's action keys acting on the log's own resource, and Esc back
//! to the Overview a log was opened from.

use chrono::{DateTime, TimeZone, Utc};

use crate::core::docker::{Container, ContainerOp, ContainerState};
use crate::core::effect::{DockerCommand, Effect, GitHubCommand};
use crate::core::github::{Conclusion, Job, Run, RunOp, Status};
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, KubeOp, PodRow};
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::msg::{DockerEvent, GitHubEvent, LogPart, Msg};
use crate::core::state::{InputPurpose, Settings, State, Tab};
use crate::logview::LineSource;

use super::update;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 3, 0, 0)
        .single()
        .unwrap_or_default()
}

fn press(s: &mut State, key: KeyEvent) -> Vec<Effect> {
    update(s, Msg::Key(key))
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(s, KeyEvent::char(c)))
        .collect()
}

fn esc(s: &mut State) -> Vec<Effect> {
    press(s, KeyEvent::plain(KeyCode::Esc))
}

fn state(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.clock = t0();
    s
}

/// The Docker tab with `api` (selected first) and `web` running and
/// `batch` crashed (so it is on the Overview).
fn docker(readonly: bool) -> State {
    let mut s = state(readonly);
    s.tab = Tab::Docker;
    let crashed = Container {
        exit_code: Some(1),
        ..Container::fixture("c3", "batch", ContainerState::Exited)
    };
    update(
        &mut s,
        Msg::Docker(DockerEvent::Snapshot(vec![
            Container::fixture("a1", "api", ContainerState::Running),
            Container::fixture("b2", "web", ContainerState::Running),
            crashed,
        ])),
    );
    update(&mut s, Msg::BatchDone);
    s
}

fn docker_log_of(s: &mut State, id: &str) {
    assert!(s.docker.list.select(&id.to_string()));
    typed(s, "l");
    let log = s.docker.logs.as_mut().expect("log open");
    assert_eq!(log.container_id.as_deref(), Some(id));
    let stream = log.stream;
    let bytes = b"boot\nerror: disk full\nretrying\nok\n".to_vec();
    let parts = vec![LogPart::new(LineSource::stdout(), bytes)];
    update(s, Msg::LogChunk { stream, parts });
}

#[test]
fn q_closes_a_log_like_less_and_shift_q_or_ctrl_c_quit() {
    let mut s = docker(false);
    docker_log_of(&mut s, "a1");
    typed(&mut s, "q");
    assert!(s.docker.logs.is_none(), "q closes the log");
    assert!(!s.quit, "q in a log must not quit the program");
    typed(&mut s, "q");
    assert!(s.quit, "q in a list still quits");

    let mut s = docker(false);
    docker_log_of(&mut s, "a1");
    typed(&mut s, "Q");
    assert!(s.quit, "Q quits from a log");

    let mut s = docker(false);
    docker_log_of(&mut s, "a1");
    press(
        &mut s,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert!(s.quit, "Ctrl-c quits from a log");
}

#[test]
fn the_filter_prompt_shows_only_matching_lines_and_esc_clears_it_first() {
    let mut s = docker(false);
    docker_log_of(&mut s, "a1");
    typed(&mut s, "&");
    assert_eq!(
        s.input.as_ref().map(|i| i.purpose),
        Some(InputPurpose::LogFilter)
    );
    typed(&mut s, "-C 1 error");
    press(&mut s, KeyEvent::plain(KeyCode::Enter));
    assert!(s.input.is_none());
    let log = s.docker.logs.as_mut().expect("log open");
    let spec = log.view.filter().cloned().expect("a filter");
    assert_eq!((spec.query.as_str(), spec.context), ("error", 1));
    assert_eq!(log.view.filter_count(&log.buffer), 1);
    assert!(!log.view.is_shown(&log.buffer, 3), "`ok` is filtered out");
    assert!(log.view.is_shown(&log.buffer, 2), "`retrying` is context");
    // Following, `y` copies the newest line shown, not a filtered-out one.
    assert_eq!(typed(&mut s, "y"), vec![Effect::Copy("retrying".into())]);
    // `&` again edits the filter in force.
    typed(&mut s, "&");
    assert_eq!(
        s.input.as_ref().map(|i| i.text.as_str()),
        Some("-C 1 error")
    );
    esc(&mut s);
    typed(&mut s, "&!error");
    press(&mut s, KeyEvent::plain(KeyCode::Enter));
    let inverted = s
        .docker
        .logs
        .as_ref()
        .and_then(|l| l.view.filter().cloned());
    assert!(inverted.is_some_and(|f| f.invert));
    // Esc steps back one level: the filter goes, the log stays; then the log.
    esc(&mut s);
    let log = s.docker.logs.as_ref().expect("still open");
    assert!(log.view.filter().is_none());
    esc(&mut s);
    assert!(s.docker.logs.is_none());
}

#[test]
fn container_keys_in_a_log_act_on_the_logs_container() {
    let mut s = docker(false);
    docker_log_of(&mut s, "b2");
    // The list re-sorted under the log: the selection is no longer its container.
    assert!(s.docker.list.select(&"a1".to_string()));
    for (k, op) in [
        ('r', ContainerOp::Restart),
        ('x', ContainerOp::Stop),
        ('K', ContainerOp::Kill),
        ('D', ContainerOp::Remove),
    ] {
        assert!(typed(&mut s, &k.to_string()).is_empty(), "{k} asks first");
        let confirm = s.confirm.take().expect("a dialog");
        assert_eq!(confirm.target, "web", "{k}");
        let Effect::Docker(DockerCommand::Lifecycle {
            container_id,
            op: got,
            ..
        }) = &confirm.effect
        else {
            panic!("{k}: {:?}", confirm.effect);
        };
        assert_eq!((container_id.as_str(), got), ("b2", &op), "{k}");
    }
    assert!(
        s.docker.logs.is_some(),
        "the log stays open behind the dialog"
    );
}

#[test]
fn under_readonly_a_logs_action_keys_are_refused_and_journaled() {
    let mut s = docker(true);
    docker_log_of(&mut s, "b2");
    let effects = typed(&mut s, "r");
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err() && e.target == "container web"),
        "{effects:?}"
    );
    assert!(s.confirm.is_none());
}

fn run(id: u64, conclusion: Conclusion) -> Run {
    Run::fixture("acme/api", id, Status::Completed, Some(conclusion), t0())
}

fn job(id: u64, name: &str, conclusion: Conclusion) -> Job {
    Job {
        id,
        run_id: 11,
        attempt: 1,
        name: name.into(),
        status: Status::Completed,
        conclusion: Some(conclusion),
        started_at: Some(t0()),
        completed_at: Some(t0()),
        html_url: String::new(),
        steps: Vec::new(),
    }
}

/// `l` (from whichever tab is current) on failed run 11: the jobs arrive
/// and the failed job's log opens.
fn open_failed_job_log(s: &mut State) -> Vec<Effect> {
    let effects = typed(s, "l");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::GitHub(GitHubCommand::WatchJobs { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("jobs watched");
    let jobs = vec![
        job(1, "lint", Conclusion::Success),
        job(2, "test", Conclusion::Failure),
    ];
    let effects = update(
        s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(jobs),
        }),
    );
    assert!(s.github.logs.is_some(), "the job log is open");
    effects
}

fn github(readonly: bool) -> State {
    let mut s = state(readonly);
    s.tab = Tab::Actions;
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Runs {
            repo: "acme/api".into(),
            runs: vec![run(11, Conclusion::Failure)],
        }),
    );
    update(&mut s, Msg::BatchDone);
    s
}

#[test]
fn run_keys_in_a_job_log_act_on_its_run_and_job() {
    let mut s = github(false);
    open_failed_job_log(&mut s);
    for (k, want) in [
        (
            'R',
            RunOp::RerunAll {
                run_id: 11,
                debug: false,
            },
        ),
        (
            'F',
            RunOp::RerunFailed {
                run_id: 11,
                debug: false,
            },
        ),
        (
            'r',
            RunOp::RerunJob {
                job_id: 2,
                debug: false,
            },
        ),
    ] {
        typed(&mut s, &k.to_string());
        let confirm = s.confirm.take().expect("a dialog");
        let Effect::GitHub(GitHubCommand::Op { op, repo, .. }) = &confirm.effect else {
            panic!("{k}: {:?}", confirm.effect);
        };
        assert_eq!((repo.as_str(), op), ("acme/api", &want), "{k}");
    }
    // A finished run cannot be cancelled: said at once, as in the list.
    typed(&mut s, "C");
    assert!(s.confirm.is_none());
    let last = s.toasts.visible().last().map(|t| t.text.clone());
    assert!(last.is_some_and(|t| t.contains("already finished")));

    let mut s = github(true);
    open_failed_job_log(&mut s);
    let effects = typed(&mut s, "R");
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err()),
        "{effects:?}"
    );
}

#[test]
fn pod_keys_in_a_pod_log_act_on_its_pod() {
    let mut s = state(false);
    s.tab = Tab::Kubernetes;
    let info = ContextInfo {
        name: "dev".into(),
        namespace: "shop".into(),
        danger: false,
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec!["dev".into()],
            watching: vec![info],
        }),
    );
    let pods = vec![
        PodRow::fixture("dev", "shop", "web-1", t0()),
        PodRow::fixture("dev", "shop", "web-2", t0()),
    ];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "dev".into(),
            pods,
        }),
    );
    let first = s.kube.list.selected().cloned().expect("a pod selected");
    typed(&mut s, "l");
    assert!(s.kube.logs.is_some());
    press(
        &mut s,
        KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL),
    );
    let confirm = s.confirm.take().expect("a dialog");
    let Effect::Kube(KubeCommand::Op { op, .. }) = &confirm.effect else {
        panic!("{:?}", confirm.effect);
    };
    assert_eq!(
        op,
        &KubeOp::DeletePod {
            name: first.name.to_string()
        }
    );
    // The pod went away and the selection moved on: no acting on a neighbour.
    let other = s
        .kube
        .list
        .order()
        .iter()
        .find(|k| **k != first)
        .map(|k| (*k).clone());
    assert!(s.kube.list.select(&other.expect("two pods")));
    press(
        &mut s,
        KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL),
    );
    assert!(s.confirm.is_none());
}

#[test]
fn esc_from_a_log_opened_from_the_overview_returns_to_the_overview() {
    // A container's log.
    let mut s = docker(false);
    s.tab = Tab::Overview;
    typed(&mut s, "l");
    assert_eq!(s.tab, Tab::Docker);
    assert_eq!(
        s.docker
            .logs
            .as_ref()
            .and_then(|l| l.container_id.as_deref()),
        Some("c3")
    );
    esc(&mut s);
    assert_eq!(s.tab, Tab::Overview);
    assert!(s.docker.logs.is_none());
    // `q` too.
    typed(&mut s, "l");
    typed(&mut s, "q");
    assert_eq!(s.tab, Tab::Overview);
    assert!(!s.quit);

    // A job log, which opens only once the run's jobs arrive.
    let mut s = github(false);
    s.tab = Tab::Overview;
    open_failed_job_log(&mut s);
    assert_eq!(s.tab, Tab::Actions);
    let effects = esc(&mut s);
    assert_eq!(s.tab, Tab::Overview);
    assert!(s.github.logs.is_none() && s.github.detail.is_none());
    assert!(effects.contains(&Effect::GitHub(GitHubCommand::StopJobs)));

    // Opened in its own tab, a log still goes back to that tab's list.
    let mut s = docker(false);
    docker_log_of(&mut s, "a1");
    esc(&mut s);
    assert_eq!(s.tab, Tab::Docker);
    let mut s = github(false);
    open_failed_job_log(&mut s);
    esc(&mut s);
    assert_eq!(s.tab, Tab::Actions);
    assert!(s.github.logs.is_none() && s.github.detail.is_some());
}
