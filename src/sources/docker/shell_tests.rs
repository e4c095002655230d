//! How a shell's end is put into words, from what the engine reports after
//! the output ended. The engine forgets a stopped container's execs, so
//! "no such exec" is a stop, never "container gone".

use super::{ContainerNow, ShellEnd, verdict};
use std::time::Duration;

fn ended(code: i64) -> Option<ShellEnd> {
    Some(ShellEnd {
        running: Some(false),
        exit_code: Some(code),
    })
}

#[test]
fn an_exec_the_engine_forgot_is_a_container_stopped_under_the_shell() {
    let said = verdict(None, ContainerNow::Stopped, "api").unwrap_err();
    assert_eq!(said, "container api stopped while the shell was open");
    let said = verdict(None, ContainerNow::Running, "api").unwrap_err();
    assert_eq!(said, "container api restarted while the shell was open");
    let said = verdict(None, ContainerNow::Removed, "api").unwrap_err();
    assert_eq!(said, "container api was removed while the shell was open");
}

#[test]
fn a_stopped_container_outweighs_the_shells_own_code() {
    for code in [0, 137, 3] {
        let said = verdict(ended(code), ContainerNow::Stopped, "api").unwrap_err();
        assert!(
            said.contains("stopped while the shell was open"),
            "{code}: {said}"
        );
    }
}

#[test]
fn a_shell_that_ends_by_itself_in_a_running_container_reports_its_code() {
    assert_eq!(verdict(ended(0), ContainerNow::Running, "api"), Ok(()));
    assert_eq!(
        verdict(ended(3), ContainerNow::Running, "api"),
        Err("the shell ended with exit code 3".into())
    );
    let no_code = Some(ShellEnd {
        running: Some(false),
        exit_code: None,
    });
    assert_eq!(
        verdict(no_code, ContainerNow::Running, "api"),
        Err("the shell in container api ended without an exit code".into())
    );
    let still = Some(ShellEnd {
        running: Some(true),
        exit_code: None,
    });
    let said = verdict(still, ContainerNow::Running, "api").unwrap_err();
    assert!(said.contains("closed while it still runs"), "{said}");
}

#[test]
fn a_code_from_a_signal_waits_longer_for_the_container_to_be_reported_stopped() {
    let grace = |code| {
        ShellEnd {
            running: Some(false),
            exit_code: code,
        }
        .grace()
    };
    assert_eq!(grace(Some(137)), Duration::from_secs(10));
    assert_eq!(grace(Some(143)), Duration::from_secs(10));
    assert_eq!(grace(None), Duration::from_secs(10));
    assert_eq!(grace(Some(3)), Duration::from_secs(1));
}
