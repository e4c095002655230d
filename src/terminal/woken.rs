//! A stream that is polled only after it woke its task.
//!
//! The app loop polls the terminal's input first on every wake-up, and
//! most wake-ups are not input: a source message, the one-second tick, a
//! frame due. crossterm's `EventStream` answers each poll with a
//! zero-timeout poll of the terminal under a lock that its own waker
//! thread holds (so each one spins and yields before saying "nothing"):
//! with a few dozen stats messages a second, that was a visible part of
//! opsdeck's idle CPU. Wrapped here, the inner stream is polled only when
//! it asked to be (or right after it yielded an item, since a stream that
//! yields does not promise to wake the task for the next one).

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::task::{ArcWake, AtomicWaker, waker_ref};
use futures::{Stream, StreamExt};

/// The waker the inner stream gets: notes the wake, then wakes the task
/// that polled last.
struct Wake {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl ArcWake for Wake {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::SeqCst);
        arc_self.task.wake();
    }
}

pub struct PollWhenWoken<S> {
    inner: S,
    wake: Arc<Wake>,
}

impl<S> PollWhenWoken<S> {
    pub fn new(inner: S) -> Self {
        PollWhenWoken {
            inner,
            // Polled once at the start, so it can register its wake-up.
            wake: Arc::new(Wake {
                woken: AtomicBool::new(true),
                task: AtomicWaker::new(),
            }),
        }
    }
}

impl<S: Stream + Unpin> Stream for PollWhenWoken<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        this.wake.task.register(cx.waker());
        if !this.wake.woken.swap(false, Ordering::SeqCst) {
            return Poll::Pending;
        }
        let waker = waker_ref(&this.wake);
        let mut inner_cx = Context::from_waker(&waker);
        let polled = this.inner.poll_next_unpin(&mut inner_cx);
        if polled.is_ready() {
            this.wake.woken.store(true, Ordering::SeqCst);
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Counts its polls; yields the items put in `ready`, else keeps the
    /// waker to be woken by the test.
    #[derive(Clone, Default)]
    struct Probe {
        polls: Arc<Mutex<u32>>,
        ready: Arc<Mutex<Vec<u32>>>,
        waker: Arc<Mutex<Option<std::task::Waker>>>,
    }

    impl Stream for Probe {
        type Item = u32;
        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
            *self.polls.lock().unwrap() += 1;
            match self.ready.lock().unwrap().pop() {
                Some(item) => Poll::Ready(Some(item)),
                None => {
                    *self.waker.lock().unwrap() = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    #[test]
    fn the_inner_stream_is_polled_only_after_it_woke_the_task() {
        let probe = Probe::default();
        let mut stream = PollWhenWoken::new(probe.clone());
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        // The first poll reaches it; the loop's other wake-ups do not.
        for _ in 0..10 {
            assert_eq!(stream.poll_next_unpin(&mut cx), Poll::Pending);
        }
        assert_eq!(*probe.polls.lock().unwrap(), 1);
        // Input arrives: two items, then its waker fires.
        probe.ready.lock().unwrap().extend([2, 1]);
        let inner_waker = probe.waker.lock().unwrap().take().expect("registered");
        inner_waker.wake();
        assert_eq!(stream.poll_next_unpin(&mut cx), Poll::Ready(Some(1)));
        // After an item it is polled again without a wake: the next one
        // may already be there.
        assert_eq!(stream.poll_next_unpin(&mut cx), Poll::Ready(Some(2)));
        assert_eq!(stream.poll_next_unpin(&mut cx), Poll::Pending);
        assert_eq!(stream.poll_next_unpin(&mut cx), Poll::Pending);
        assert_eq!(*probe.polls.lock().unwrap(), 4);
    }

    #[test]
    fn its_wake_reaches_the_task_that_polled_last() {
        let probe = Probe::default();
        let mut stream = PollWhenWoken::new(probe.clone());
        let first = futures::task::noop_waker();
        assert!(
            stream
                .poll_next_unpin(&mut Context::from_waker(&first))
                .is_pending()
        );
        // The loop is polled with another waker now: that one must be woken.
        let flag = Arc::new(Flag::default());
        let second = futures::task::waker(flag.clone());
        assert!(
            stream
                .poll_next_unpin(&mut Context::from_waker(&second))
                .is_pending()
        );
        probe
            .waker
            .lock()
            .unwrap()
            .take()
            .expect("registered")
            .wake();
        assert!(flag.0.load(Ordering::SeqCst));
    }

    #[derive(Default)]
    struct Flag(AtomicBool);

    impl ArcWake for Flag {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.0.store(true, Ordering::SeqCst);
        }
    }
}
