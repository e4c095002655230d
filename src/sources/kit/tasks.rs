//! Tasks a source keeps per target or per stream (a log follower, a stats
//! stream, a context's watcher). A task must end when nobody wants it any
//! more, so every handle here aborts its task when it is replaced, removed
//! or dropped: a source cannot leak a stream by forgetting one `abort`.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;

use tokio::task::JoinHandle;

/// Ends a helper task together with whatever holds it.
#[derive(Debug)]
pub struct AbortOnDrop(pub JoinHandle<()>);

impl AbortOnDrop {
    pub fn spawn(task: impl Future<Output = ()> + Send + 'static) -> AbortOnDrop {
        AbortOnDrop(tokio::spawn(task))
    }

    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One task per key. Dropping the map ends them all.
#[derive(Debug)]
pub struct StreamTasks<K> {
    running: HashMap<K, AbortOnDrop>,
}

impl<K> Default for StreamTasks<K> {
    fn default() -> Self {
        StreamTasks {
            running: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash> StreamTasks<K> {
    /// Starts `task` for `key`, ending the task the key had before: a
    /// re-opened stream never has two readers.
    pub fn start(&mut self, key: K, task: impl Future<Output = ()> + Send + 'static) {
        self.insert(key, tokio::spawn(task));
    }

    /// Like `start`, for a task spawned elsewhere.
    pub fn insert(&mut self, key: K, handle: JoinHandle<()>) {
        self.prune();
        self.running.insert(key, AbortOnDrop(handle));
    }

    /// Ends the task of `key`, if any.
    pub fn stop(&mut self, key: &K) {
        self.running.remove(key);
    }

    /// Keeps only the tasks whose key passes `keep` (and are still running).
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.running.retain(|k, t| keep(k) && !t.is_finished());
    }

    pub fn stop_all(&mut self) {
        self.running.clear();
    }

    /// Running (not finished) for `key`.
    pub fn is_running(&self, key: &K) -> bool {
        self.running.get(key).is_some_and(|t| !t.is_finished())
    }

    pub fn len(&self) -> usize {
        self.running.len()
    }

    pub fn is_empty(&self) -> bool {
        self.running.is_empty()
    }

    /// Forgets tasks that ended by themselves (a log that reached its end).
    fn prune(&mut self) {
        self.running.retain(|_, t| !t.is_finished());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    /// A task that never ends by itself; the flag says whether it was dropped.
    fn forever(dropped: Arc<AtomicBool>) -> impl Future<Output = ()> + Send + 'static {
        struct Flag(Arc<AtomicBool>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        async move {
            let _flag = Flag(dropped);
            std::future::pending::<()>().await;
        }
    }

    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    #[tokio::test]
    async fn replacing_a_key_ends_the_old_task() {
        let (a, b) = (Arc::default(), Arc::default());
        let mut tasks = StreamTasks::default();
        tasks.start(1, forever(Arc::clone(&a)));
        settle().await;
        tasks.start(1, forever(Arc::clone(&b)));
        settle().await;
        assert!(a.load(Ordering::SeqCst), "old task ended");
        assert!(!b.load(Ordering::SeqCst), "new task runs");
        assert_eq!(tasks.len(), 1);
        tasks.stop(&1);
        settle().await;
        assert!(b.load(Ordering::SeqCst));
    }

    #[tokio::test]
    async fn dropping_the_map_ends_every_task() {
        let flags: Vec<Arc<AtomicBool>> = (0..3).map(|_| Arc::default()).collect();
        let mut tasks = StreamTasks::default();
        for (i, f) in flags.iter().enumerate() {
            tasks.start(i, forever(Arc::clone(f)));
        }
        settle().await;
        drop(tasks);
        settle().await;
        assert!(flags.iter().all(|f| f.load(Ordering::SeqCst)));
    }

    #[tokio::test]
    async fn retain_ends_the_tasks_left_out_and_forgets_finished_ones() {
        let (a, b) = (Arc::default(), Arc::default());
        let mut tasks = StreamTasks::default();
        tasks.start("a", forever(Arc::clone(&a)));
        tasks.start("b", forever(Arc::clone(&b)));
        tasks.start("done", async {});
        settle().await;
        tasks.retain(|k| *k != "a");
        settle().await;
        assert!(a.load(Ordering::SeqCst));
        assert!(!b.load(Ordering::SeqCst));
        assert!(tasks.is_running(&"b"));
        assert!(!tasks.is_running(&"done"));
        assert_eq!(tasks.len(), 1);
    }
}
