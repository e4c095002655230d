//! Pods that never get going, as a node and the scheduler report them:
//! an image that cannot be pulled (ErrImagePull, then ImagePullBackOff), a
//! container whose config names a missing Secret
//! (CreateContainerConfigError), and a pod no node has room for
//! (FailedScheduling). Each writes the container's waiting state and the
//! events `kubectl describe pod` shows, and says when to look again.

use std::time::Duration;

use super::events::Source;
use super::kubelet::{CState, PodRt, Stage};
use super::lifecycle::event;
use super::state::SimState;
use super::store::Key;

/// One round of a failing pull: the first fails outright, later ones
/// back off. None for a pod without containers.
pub(crate) fn image_pull(
    st: &mut SimState,
    key: &Key,
    rt: &mut PodRt,
    src: Source<'_>,
) -> Option<Duration> {
    let c = rt.ctrs.first_mut()?;
    let image = c.image.clone();
    let name = c.name.clone();
    let was_err = matches!(&c.state, CState::Waiting(r, _) if r == "ErrImagePull");
    if was_err {
        c.state = CState::Waiting(
            "ImagePullBackOff".into(),
            Some(format!("Back-off pulling image \"{image}\"")),
        );
        event(
            st,
            key,
            false,
            "BackOff",
            &format!("Back-off pulling image \"{image}\""),
            src,
            Some(&name),
        );
        event(
            st,
            key,
            true,
            "Failed",
            "Error: ImagePullBackOff",
            src,
            Some(&name),
        );
    } else {
        let why = format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
        );
        c.state = CState::Waiting("ErrImagePull".into(), Some(why.clone()));
        event(
            st,
            key,
            false,
            "Pulling",
            &format!("Pulling image \"{image}\""),
            src,
            Some(&name),
        );
        event(
            st,
            key,
            true,
            "Failed",
            &format!("Failed to pull image \"{image}\": {why}"),
            src,
            Some(&name),
        );
        event(
            st,
            key,
            true,
            "Failed",
            "Error: ErrImagePull",
            src,
            Some(&name),
        );
    }
    rt.stage = Stage::Stuck;
    Some(Duration::from_secs(if was_err { 12 } else { 4 }))
}

/// The first container's config names a Secret that does not exist.
/// None for a pod without containers.
pub(crate) fn config_error(
    st: &mut SimState,
    key: &Key,
    rt: &mut PodRt,
    src: Source<'_>,
) -> Option<Duration> {
    let c = rt.ctrs.first_mut()?;
    let name = c.name.clone();
    let msg = "secret \"payments-db-credentials\" not found";
    c.state = CState::Waiting("CreateContainerConfigError".into(), Some(msg.into()));
    event(
        st,
        key,
        true,
        "Failed",
        &format!("Error: {msg}"),
        src,
        Some(&name),
    );
    rt.stage = Stage::Stuck;
    Some(Duration::from_secs(20))
}

/// The scheduler finds no node with room; it tries again after the
/// returned wait.
pub(crate) fn failed_scheduling(st: &mut SimState, key: &Key) -> Duration {
    let msg = "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    event(
        st,
        key,
        true,
        "FailedScheduling",
        msg,
        Source::Scheduler,
        None,
    );
    Duration::from_secs(30)
}
