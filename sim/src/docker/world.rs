//! The simulated engine's state: containers with their state machines, the
//! event log, and the time step that makes behaviours happen.
//!
//! Everything lives behind one `tokio::sync::Mutex` in `Shared`; critical
//! sections never await, so the lock is only held for short, CPU-bound work.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use super::clock::{Nanos, SEC, dur_nanos};
use super::health::{HealthState, HealthStatus};
use super::loggen;
use super::loghist::{Entry, LineText, LogHistory};
use super::object_store::Objects;
use super::spec::{ContainerSpec, LogStream, RestartPolicy};

const EVENT_HISTORY: usize = 2_000;
const DIE_MARKS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Dead,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Paused => "paused",
            Status::Restarting => "restarting",
            Status::Exited => "exited",
            Status::Dead => "dead",
        }
    }

    /// The engine's `State.Running`, which stays true while paused and while
    /// waiting to restart.
    pub(crate) fn running_flag(self) -> bool {
        matches!(self, Status::Running | Status::Paused | Status::Restarting)
    }
}

/// When the current run's scheduled things happen.
#[derive(Default)]
pub(crate) struct Sched {
    /// Origin of the run's behaviour clock; moves forward across a pause.
    pub origin: Nanos,
    /// Generated lines emitted in this run.
    pub emitted: u64,
    pub crash_at: Option<Nanos>,
    pub restart_at: Option<Nanos>,
    pub paused_at: Option<Nanos>,
}

pub(crate) struct Container {
    pub id: String,
    pub name: String,
    pub spec: ContainerSpec,
    pub created: Nanos,
    pub image_id: String,
    pub seed: u64,
    pub ip: String,
    pub status: Status,
    pub pid: u32,
    pub exit_code: i64,
    pub oom_killed: bool,
    pub started_at: Option<Nanos>,
    pub finished_at: Option<Nanos>,
    pub restart_count: u64,
    pub health: Option<HealthState>,
    pub manually_stopped: bool,
    pub sched: Sched,
    pub logs: LogHistory,
    /// Index of the next generated line; it carries on across restarts.
    pub gen_next: u64,
    /// How many times this container has died.
    pub dies: u64,
    /// (die number, log sequence at that death), newest last.
    die_marks: VecDeque<(u64, u64)>,
    notify: watch::Sender<u64>,
}

impl Container {
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.notify.subscribe()
    }

    /// The log sequence number at which death number `n` happened, if known.
    pub(crate) fn die_mark(&self, n: u64) -> Option<u64> {
        self.die_marks
            .iter()
            .find(|(d, _)| *d == n)
            .map(|(_, s)| *s)
    }

    fn touch(&self) {
        self.notify.send_replace(self.logs.next_seq());
    }

    pub(crate) fn push_line(&mut self, ts: Nanos, stream: LogStream, text: &str) {
        self.logs.push(Entry {
            ts,
            stream,
            text: LineText::Lit(Arc::from(text)),
        });
    }
}

#[derive(Debug)]
pub(crate) struct Event {
    /// The event's `Type`: container, image, volume or network.
    pub kind: &'static str,
    pub time: Nanos,
    pub action: String,
    pub id: String,
    pub attributes: BTreeMap<String, String>,
}

/// An error the API answers with `{"message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    pub(crate) fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn no_such(reference: &str) -> Self {
        ApiError::new(404, format!("No such container: {reference}"))
    }
}

/// Why a process ended, which decides whether the restart policy applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// The process exited or was OOM-killed by itself.
    Crash,
    /// An API call stopped or killed it.
    User,
}

pub(crate) struct World {
    pub containers: Vec<Container>,
    events: VecDeque<Arc<Event>>,
    events_tx: broadcast::Sender<Arc<Event>>,
    next_pid: u32,
    serial: u64,
    log_cap: usize,
    pub boot: Nanos,
    pub objects: Objects,
}

impl World {
    pub(crate) fn new(log_cap: usize, now: Nanos) -> Self {
        let (events_tx, _) = broadcast::channel(4096);
        World {
            containers: Vec::new(),
            events: VecDeque::new(),
            events_tx,
            next_pid: 1200,
            serial: 0,
            log_cap,
            boot: now - 3 * 86_400 * SEC,
            objects: Objects::with_predefined(now - 3 * 86_400 * SEC),
        }
    }

    /// Full id, then name, then unique id prefix — the engine's order.
    pub(crate) fn find(&self, reference: &str) -> Option<usize> {
        let name = reference.trim_start_matches('/');
        if reference.is_empty() {
            return None;
        }
        if let Some(i) = self.containers.iter().position(|c| c.id == reference) {
            return Some(i);
        }
        if let Some(i) = self.containers.iter().position(|c| c.name == name) {
            return Some(i);
        }
        let mut hits = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.id.starts_with(reference));
        match (hits.next(), hits.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    pub(crate) fn lookup(&self, reference: &str) -> Result<usize, ApiError> {
        self.find(reference)
            .ok_or_else(|| ApiError::no_such(reference))
    }

    pub(crate) fn get(&self, reference: &str) -> Option<&Container> {
        self.find(reference).and_then(|i| self.containers.get(i))
    }

    /// Subscribes to live events and returns the recorded ones, atomically,
    /// so a stream neither misses nor repeats an event.
    pub(crate) fn subscribe_events(&self) -> (Vec<Arc<Event>>, broadcast::Receiver<Arc<Event>>) {
        (
            self.events.iter().cloned().collect(),
            self.events_tx.subscribe(),
        )
    }

    pub(crate) fn emit(&mut self, idx: usize, time: Nanos, action: &str, extra: &[(&str, String)]) {
        let Some(c) = self.containers.get(idx) else {
            return;
        };
        let mut attributes = c.spec.labels.clone();
        attributes.insert("image".into(), c.spec.image.clone());
        attributes.insert("name".into(), c.name.clone());
        for (k, v) in extra {
            attributes.insert((*k).to_string(), v.clone());
        }
        let id = c.id.clone();
        self.record("container", time, action, &id, attributes);
    }

    /// Records an event of any type and sends it to the live streams.
    pub(crate) fn record(
        &mut self,
        kind: &'static str,
        time: Nanos,
        action: &str,
        id: &str,
        attributes: BTreeMap<String, String>,
    ) {
        let event = Arc::new(Event {
            kind,
            time,
            action: action.to_string(),
            id: id.to_string(),
            attributes,
        });
        if self.events.len() >= EVENT_HISTORY {
            self.events.pop_front();
        }
        self.events.push_back(event.clone());
        // No subscriber is fine: the event is still in the history.
        let _ = self.events_tx.send(event);
    }

    pub(crate) fn create(&mut self, spec: ContainerSpec, now: Nanos) -> String {
        self.serial += 1;
        let seed = loggen::mix(loggen::hash_str(&spec.name), self.serial);
        let id = loggen::hex_id(seed);
        let image_id = format!("sha256:{}", loggen::hex_id(loggen::hash_str(&spec.image)));
        self.objects.register_refs(&spec, &image_id, now);
        let (notify, _) = watch::channel(0);
        let ip = format!("172.18.{}.{}", self.serial / 250, 2 + self.serial % 250);
        self.containers.push(Container {
            id: id.clone(),
            name: spec.name.clone(),
            spec,
            created: now,
            image_id,
            seed,
            ip,
            status: Status::Created,
            pid: 0,
            exit_code: 0,
            oom_killed: false,
            started_at: None,
            finished_at: None,
            restart_count: 0,
            health: None,
            manually_stopped: false,
            sched: Sched::default(),
            logs: LogHistory::new(self.log_cap),
            gen_next: 0,
            dies: 0,
            die_marks: VecDeque::new(),
            notify,
        });
        let idx = self.containers.len() - 1;
        self.emit(idx, now, "create", &[]);
        id
    }

    /// Starts the process: a fresh run of the behaviour.
    pub(crate) fn start_at(&mut self, idx: usize, t: Nanos) {
        self.next_pid += 7;
        let pid = self.next_pid;
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        c.status = Status::Running;
        c.pid = pid;
        c.exit_code = 0;
        c.oom_killed = false;
        c.started_at = Some(t);
        let b = &c.spec.behaviour;
        c.sched = Sched {
            origin: t,
            emitted: 0,
            crash_at: b.crash.map(|k| t.saturating_add(dur_nanos(k.after))),
            restart_at: None,
            paused_at: None,
        };
        c.health = b.health.map(|h| HealthState {
            status: HealthStatus::Starting,
            failing_streak: 0,
            next_flip: Some(t.saturating_add(dur_nanos(h.starting_for))),
            log: VecDeque::new(),
        });
        for (stream, line) in loggen::start_lines(b.style) {
            c.push_line(t, stream, line);
        }
        c.touch();
        self.emit(idx, t, "start", &[]);
    }

    /// The process ends with `exit_code`; the restart policy may schedule a
    /// new run.
    pub(crate) fn die_at(&mut self, idx: usize, t: Nanos, exit_code: i64, oom: bool, cause: Cause) {
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        let ran = c.started_at.map(|s| t - s).unwrap_or(0);
        c.status = Status::Exited;
        c.pid = 0;
        c.exit_code = exit_code;
        c.oom_killed = oom;
        c.finished_at = Some(t);
        c.sched.crash_at = None;
        c.sched.paused_at = None;
        c.dies += 1;
        if c.die_marks.len() >= DIE_MARKS {
            c.die_marks.pop_front();
        }
        c.die_marks.push_back((c.dies, c.logs.next_seq()));
        if let Some(h) = c.health.as_mut() {
            h.next_flip = None;
        }
        let restart = cause == Cause::Crash
            && !c.manually_stopped
            && match c.spec.restart {
                RestartPolicy::No => false,
                RestartPolicy::Always | RestartPolicy::UnlessStopped => true,
                RestartPolicy::OnFailure { max_retries } => {
                    exit_code != 0 && (max_retries == 0 || c.restart_count < u64::from(max_retries))
                }
            };
        if restart {
            c.status = Status::Restarting;
            c.sched.restart_at = Some(t.saturating_add(dur_nanos(c.spec.behaviour.restart_delay)));
        }
        c.touch();
        if oom {
            self.emit(idx, t, "oom", &[]);
        }
        let duration = format!("{}", ran / SEC);
        self.emit(
            idx,
            t,
            "die",
            &[
                ("exitCode", exit_code.to_string()),
                ("execDuration", duration),
            ],
        );
    }

    /// Applies everything due up to `now`, in time order.
    pub(crate) fn step(&mut self, now: Nanos) {
        for idx in 0..self.containers.len() {
            self.advance(idx, now);
        }
    }

    /// Applies everything due for one container up to `now`.
    pub(crate) fn advance(&mut self, idx: usize, now: Nanos) {
        // Bounded: each pass either applies one due transition or stops.
        for _ in 0..64 {
            let Some(c) = self.containers.get(idx) else {
                return;
            };
            let mut due: Option<(Nanos, u8)> = None;
            let mut consider = |t: Option<Nanos>, kind: u8| {
                if let Some(t) = t.filter(|t| *t <= now)
                    && due.is_none_or(|(d, _)| t < d)
                {
                    due = Some((t, kind));
                }
            };
            if c.status == Status::Running {
                consider(c.sched.crash_at, 0);
                consider(c.health.as_ref().and_then(|h| h.next_flip), 1);
            }
            if c.status == Status::Restarting {
                consider(c.sched.restart_at, 2);
            }
            let until = due.map(|(t, _)| t).unwrap_or(now);
            self.emit_lines(idx, until);
            match due {
                None => return,
                Some((t, 0)) => self.crash(idx, t),
                Some((t, 1)) => self.flip_health(idx, t),
                Some((t, _)) => {
                    if let Some(c) = self.containers.get_mut(idx) {
                        c.restart_count += 1;
                        c.sched.restart_at = None;
                    }
                    self.start_at(idx, t);
                }
            }
        }
    }

    fn emit_lines(&mut self, idx: usize, until: Nanos) {
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        let rate = c.spec.behaviour.lines_per_sec;
        if c.status != Status::Running
            || rate <= 0.0
            || !rate.is_finite()
            || until <= c.sched.origin
        {
            return;
        }
        let interval = ((SEC as f64) / rate).max(1.0) as i64;
        let due = u64::try_from((until - c.sched.origin) / interval).unwrap_or(0);
        if due <= c.sched.emitted {
            return;
        }
        // Lines older than the history would be dropped at once anyway.
        let cap = self.log_cap as u64;
        if due - c.sched.emitted > cap {
            let skipped = due - cap - c.sched.emitted;
            c.gen_next += skipped;
            c.sched.emitted = due - cap;
        }
        let style = c.spec.behaviour.style;
        for k in c.sched.emitted..due {
            let ts = c.sched.origin + (k as i64 + 1) * interval;
            let n = c.gen_next;
            c.gen_next += 1;
            c.logs.push(Entry {
                ts,
                stream: loggen::stream_of(style, c.seed, n),
                text: LineText::Gen(n),
            });
        }
        c.sched.emitted = due;
        c.touch();
    }

    fn crash(&mut self, idx: usize, t: Nanos) {
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        let Some(crash) = c.spec.behaviour.crash else {
            c.sched.crash_at = None;
            return;
        };
        let code = if crash.oom { 137 } else { crash.exit_code };
        for (stream, line) in loggen::crash_lines(c.spec.behaviour.style, code, crash.oom) {
            c.push_line(t, stream, &line);
        }
        self.die_at(idx, t, code, crash.oom, Cause::Crash);
    }

    /// Orders the recorded events by time after a scenario seeded the past.
    pub(crate) fn sort_events(&mut self) {
        self.events.make_contiguous().sort_by_key(|e| e.time);
    }

    /// Removes the container; its log followers end when the watch closes.
    pub(crate) fn destroy(&mut self, idx: usize, t: Nanos) {
        self.emit(idx, t, "destroy", &[]);
        if idx < self.containers.len() {
            self.containers.remove(idx);
        }
    }
}

/// Marks a container changed for its log followers (used by lifecycle code).
pub(crate) fn touch(c: &Container) {
    c.touch();
}
