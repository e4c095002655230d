//! Waiting out a back-off without sleeping through the server's return:
//! a cheap readiness probe about once a second ends the wait early. The
//! back-off still paces the expensive retry (a re-list, a re-watch); the
//! probe only answers "is anybody there yet".

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::backoff::{Backoff, Policy};

/// A probe that has not answered in this long counts as "not yet".
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

/// Waits `wait`, calling `ready` at [`Policy::PROBE`]'s pace meanwhile.
/// True as soon as a probe says ready (the wait is cut short), false when
/// the whole wait passed without one.
pub async fn wait_unless_ready<F, Fut>(wait: Duration, mut ready: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + wait;
    let mut pace = Backoff::new(Policy::PROBE);
    loop {
        let next = Instant::now() + pace.next_wait();
        if next >= deadline {
            tokio::time::sleep_until(deadline).await;
            return false;
        }
        tokio::time::sleep_until(next).await;
        if let Ok(true) = tokio::time::timeout(PROBE_TIMEOUT, ready()).await {
            return true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn a_ready_probe_cuts_the_wait_short() {
        let tries = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let t = tries.clone();
        let cut = wait_unless_ready(Duration::from_secs(16), move || {
            let n = t.fetch_add(1, Ordering::SeqCst);
            async move { n >= 1 }
        })
        .await;
        assert!(cut);
        assert_eq!(tries.load(Ordering::SeqCst), 2);
        let took = start.elapsed();
        assert!(took <= Duration::from_millis(2_200), "{took:?}");
    }

    #[tokio::test]
    async fn without_an_answer_the_whole_wait_passes_probing_meanwhile() {
        let tries = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let t = tries.clone();
        let cut = wait_unless_ready(Duration::from_millis(1_800), move || {
            t.fetch_add(1, Ordering::SeqCst);
            async { false }
        })
        .await;
        assert!(!cut);
        assert!(start.elapsed() >= Duration::from_millis(1_800));
        let n = tries.load(Ordering::SeqCst);
        assert!((1..=4).contains(&n), "{n} probes");
    }
}
