//! Container logs as the kubelet serves them through the API server:
//! `/pods/{name}/log` with follow, tail, timestamps, previous, since, and the
//! same 400s for a missing container name or a missing previous instance.
//!
//! Which instance a request reads follows the kubelet's
//! `validateContainerLogStatus` (pkg/kubelet/kubelet_pods.go): `previous`
//! reads `lastState.terminated`; otherwise a running or terminated state
//! reads the current container, and a waiting one after a crash reads
//! `lastState.terminated`. Dead containers are garbage-collected as the
//! kubelet does with its default `MaxPerPodContainer = 1`: one dead
//! instance is kept per container, so while a container shows Terminated
//! the one before it is gone, and asking for it gives the runtime's
//! "unable to retrieve container logs for <id>"
//! (kuberuntime's `GetContainerLogs`). The kubelet answers every such
//! failure with 400 (pkg/kubelet/server `getContainerLogs`), which the API
//! server relays as a BadRequest Status with the kubelet's text
//! (`GenericHttpResponseChecker` in apiserver's registry/generic/rest).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::errors::ApiError;
use super::state::Shared;
use super::store::Kind;

#[derive(Debug, Clone)]
struct Line {
    ts: DateTime<Utc>,
    text: String,
}

#[derive(Debug, Default)]
struct Instance {
    lines: VecDeque<Line>,
    /// Lines evicted from the front, so positions stay absolute.
    dropped: u64,
    terminated: bool,
}

impl Instance {
    fn end(&self) -> u64 {
        self.dropped + self.lines.len() as u64
    }
}

#[derive(Debug, Default)]
struct CtrLogs {
    current: Instance,
    previous: Option<Instance>,
    generation: u64,
}

type CtrKey = (String, String, String);

pub(crate) struct Logs {
    map: HashMap<CtrKey, CtrLogs>,
    cap: usize,
    epoch: u64,
}

fn key(ns: &str, pod: &str, ctr: &str) -> CtrKey {
    (ns.to_string(), pod.to_string(), ctr.to_string())
}

impl Logs {
    pub(crate) fn new(cap: usize) -> Logs {
        Logs {
            map: HashMap::new(),
            cap: cap.max(16),
            epoch: 0,
        }
    }

    pub(crate) fn epoch(&self) -> u64 {
        self.epoch
    }

    /// Marks a container instance as started (so its log exists, even empty).
    pub(crate) fn start(&mut self, ns: &str, pod: &str, ctr: &str) {
        let entry = self.map.entry(key(ns, pod, ctr)).or_default();
        if entry.current.terminated {
            entry.previous = Some(std::mem::take(&mut entry.current));
            entry.generation += 1;
        }
        self.epoch += 1;
    }

    pub(crate) fn append(
        &mut self,
        ns: &str,
        pod: &str,
        ctr: &str,
        ts: DateTime<Utc>,
        text: String,
    ) {
        let cap = self.cap;
        let inst = &mut self.map.entry(key(ns, pod, ctr)).or_default().current;
        inst.lines.push_back(Line { ts, text });
        while inst.lines.len() > cap {
            inst.lines.pop_front();
            inst.dropped += 1;
        }
        self.epoch += 1;
    }

    /// The current instance dies. It becomes the one dead instance kept for
    /// the container; the older one is collected.
    pub(crate) fn terminate(&mut self, ns: &str, pod: &str, ctr: &str) {
        if let Some(e) = self.map.get_mut(&key(ns, pod, ctr)) {
            e.current.terminated = true;
            e.previous = None;
            self.epoch += 1;
        }
    }

    /// Seeds the log of an instance that died before the simulator started.
    pub(crate) fn seed_previous(
        &mut self,
        ns: &str,
        pod: &str,
        ctr: &str,
        lines: Vec<(DateTime<Utc>, String)>,
    ) {
        let e = self.map.entry(key(ns, pod, ctr)).or_default();
        e.previous = Some(Instance {
            lines: lines
                .into_iter()
                .map(|(ts, text)| Line { ts, text })
                .collect(),
            dropped: 0,
            terminated: true,
        });
        self.epoch += 1;
    }

    /// Drops the previous instances' logs of a pod's containers, as a
    /// kubelet does once it removes the dead containers. False if it had none.
    pub(crate) fn forget_previous(&mut self, ns: &str, pod: &str) -> bool {
        let mut had = false;
        for ((n, p, _), e) in self.map.iter_mut() {
            if n == ns && p == pod {
                had |= e.previous.take().is_some();
            }
        }
        self.epoch += 1;
        had
    }

    pub(crate) fn remove_pod(&mut self, ns: &str, pod: &str) {
        self.map.retain(|(n, p, _), _| !(n == ns && p == pod));
        self.epoch += 1;
    }
}

#[derive(Debug, Default)]
pub(crate) struct LogQuery {
    pub container: Option<String>,
    pub follow: bool,
    pub previous: bool,
    pub timestamps: bool,
    pub tail_lines: Option<u64>,
    pub since_seconds: Option<i64>,
    pub since_time: Option<DateTime<Utc>>,
    pub limit_bytes: Option<usize>,
}

impl LogQuery {
    pub(crate) fn parse(q: &HashMap<String, String>) -> Result<LogQuery, ApiError> {
        let flag = |k: &str| q.get(k).is_some_and(|v| v == "true" || v == "1");
        let num = |k: &str| -> Result<Option<i64>, ApiError> {
            q.get(k)
                .map(|v| {
                    v.parse::<i64>()
                        .map_err(|_| ApiError::bad_request(format!("invalid {k}: {v:?}")))
                })
                .transpose()
        };
        let since_time = match q.get("sinceTime") {
            Some(t) => Some(
                DateTime::parse_from_rfc3339(t)
                    .map_err(|_| ApiError::bad_request(format!("invalid sinceTime: {t:?}")))?
                    .with_timezone(&Utc),
            ),
            None => None,
        };
        Ok(LogQuery {
            container: q.get("container").filter(|c| !c.is_empty()).cloned(),
            follow: flag("follow"),
            previous: flag("previous"),
            timestamps: flag("timestamps"),
            tail_lines: num("tailLines")?.map(|n| n.max(0) as u64),
            since_seconds: num("sinceSeconds")?,
            since_time,
            limit_bytes: num("limitBytes")?.map(|n| n.max(0) as usize),
        })
    }
}

fn format_line(l: &Line, timestamps: bool, out: &mut Vec<u8>) {
    if timestamps {
        out.extend_from_slice(l.ts.to_rfc3339_opts(SecondsFormat::Nanos, true).as_bytes());
        out.push(b' ');
    }
    out.extend_from_slice(l.text.as_bytes());
    out.push(b'\n');
}

/// Which container a request means, with the API server's errors.
pub(crate) fn resolve_container(
    pod: &Value,
    name: &str,
    asked: Option<&str>,
) -> Result<String, ApiError> {
    let names = |p: &str| -> Vec<String> {
        pod.pointer(p)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (main, init) = (names("/spec/containers"), names("/spec/initContainers"));
    match asked {
        Some(c) if main.iter().chain(init.iter()).any(|n| n == c) => Ok(c.to_string()),
        Some(c) => Err(ApiError::bad_request(format!(
            "container {c} is not valid for pod {name}"
        ))),
        None if main.len() == 1 => Ok(main.concat()),
        None => {
            let mut msg = format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                main.join(" ")
            );
            if !init.is_empty() {
                msg.push_str(&format!(
                    " or one of the init containers: [{}]",
                    init.join(" ")
                ));
            }
            Err(ApiError::bad_request(msg))
        }
    }
}

fn waiting_message(pod: &Value, name: &str, ctr: &str) -> ApiError {
    let reason = ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
        .find(|s| s["name"].as_str() == Some(ctr))
        .and_then(|s| s.pointer("/state/waiting/reason").and_then(Value::as_str))
        .unwrap_or("ContainerCreating");
    let why = match reason {
        "ImagePullBackOff" | "ErrImagePull" => "trying and failing to pull image",
        other => other,
    };
    ApiError::bad_request(format!(
        "container \"{ctr}\" in pod \"{name}\" is waiting to start: {why}"
    ))
}

/// The container's status from the pod object (empty if not reported yet).
fn container_status(pod: &Value, ctr: &str) -> Value {
    ["/status/containerStatuses", "/status/initContainerStatuses"]
        .iter()
        .filter_map(|p| pod.pointer(p).and_then(Value::as_array))
        .flatten()
        .find(|s| s["name"].as_str() == Some(ctr))
        .cloned()
        .unwrap_or(Value::Null)
}

fn status_terminated(status: &Value) -> bool {
    status.pointer("/state/terminated").is_some()
}

/// Which instance the kubelet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Current,
    LastTerminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gone {
    NoPrevious,
    Waiting,
}

/// The kubelet's choice (validateContainerLogStatus), from the status.
fn pick(status: &Value, previous: bool) -> Result<Want, Gone> {
    let last = status.pointer("/lastState/terminated").is_some();
    if previous {
        return if last {
            Ok(Want::LastTerminated)
        } else {
            Err(Gone::NoPrevious)
        };
    }
    if status.pointer("/state/running").is_some() || status_terminated(status) {
        return Ok(Want::Current);
    }
    if last {
        return Ok(Want::LastTerminated);
    }
    if status.is_null() {
        // Not reported yet (a pod the simulator warmed without a status
        // round): the current instance if it has one.
        return Ok(Want::Current);
    }
    Err(Gone::Waiting)
}

struct Follow {
    key: CtrKey,
    generation: u64,
    cursor: u64,
    timestamps: bool,
}

pub(crate) fn handle(shared: Arc<Shared>, ns: &str, name: &str, q: LogQuery) -> Response {
    let now = Utc::now();
    let first = shared.read(|st| -> Result<(Vec<u8>, Option<Follow>), ApiError> {
        let pod = st
            .store
            .get(Kind::Pod, ns, name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
        let ctr = resolve_container(&pod.value, name, q.container.as_deref())?;
        if pod.str_at("/spec/nodeName").is_empty() {
            return Err(ApiError::bad_request(format!(
                "pod {name} does not have a host assigned"
            )));
        }
        let k = key(ns, name, &ctr);
        let status = container_status(&pod.value, &ctr);
        let want = pick(&status, q.previous).map_err(|gone| match gone {
            Gone::NoPrevious => ApiError::bad_request(format!(
                "previous terminated container \"{ctr}\" in pod \"{name}\" not found"
            )),
            Gone::Waiting => waiting_message(&pod.value, name, &ctr),
        })?;
        let unavailable = || {
            let id = status
                .pointer("/lastState/terminated/containerID")
                .and_then(Value::as_str)
                .unwrap_or_default();
            ApiError::bad_request(format!("unable to retrieve container logs for {id}"))
        };
        let Some(logs) = st.logs.map.get(&k) else {
            return Err(match want {
                Want::Current => waiting_message(&pod.value, name, &ctr),
                Want::LastTerminated => unavailable(),
            });
        };
        let inst = match want {
            Want::Current => &logs.current,
            // Waiting after a crash, the dead container is still the
            // current instance here (a new one has not started).
            Want::LastTerminated if logs.current.terminated && !status_terminated(&status) => {
                &logs.current
            }
            Want::LastTerminated => logs.previous.as_ref().ok_or_else(unavailable)?,
        };
        let since = q.since_time.or_else(|| {
            q.since_seconds
                .and_then(|s| chrono::TimeDelta::try_seconds(s.max(0)))
                .map(|d| {
                    now.checked_sub_signed(d)
                        .unwrap_or(DateTime::<Utc>::MIN_UTC)
                })
        });
        let eligible: Vec<&Line> = inst
            .lines
            .iter()
            .filter(|l| since.is_none_or(|s| l.ts >= s))
            .collect();
        let skip = q.tail_lines.map_or(0, |t| {
            eligible
                .len()
                .saturating_sub(usize::try_from(t).unwrap_or(usize::MAX))
        });
        let mut out = Vec::new();
        for l in eligible.iter().skip(skip) {
            format_line(l, q.timestamps, &mut out);
        }
        let follow = (q.follow && !inst.terminated && !q.previous).then(|| Follow {
            key: k.clone(),
            generation: logs.generation,
            cursor: inst.end(),
            timestamps: q.timestamps,
        });
        Ok((out, follow))
    });
    let (mut text, follow) = match first {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    if let Some(limit) = q.limit_bytes {
        text.truncate(limit);
    }
    let Some(follow) = follow else {
        return plain(Body::from(text));
    };
    plain(Body::from_stream(follow_stream(
        shared,
        follow,
        text,
        q.limit_bytes,
    )))
}

fn plain(body: Body) -> Response {
    let mut resp = Response::new(body);
    *resp.status_mut() = StatusCode::OK;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain"),
    );
    resp
}

enum Next {
    Chunk(Vec<u8>),
    Wait,
    End,
}

fn follow_stream(
    shared: Arc<Shared>,
    f: Follow,
    first: Vec<u8>,
    limit: Option<usize>,
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let logs_rx = shared.subscribe_logs();
    let drop_rx = shared.subscribe_drop();
    let budget = limit.map(|l| l.saturating_sub(first.len()));
    let init = (shared, f, Some(first), logs_rx, drop_rx, budget);
    futures::stream::unfold(
        init,
        |(shared, mut f, first, mut logs_rx, mut drop_rx, mut budget)| async move {
            if let Some(chunk) = first.filter(|c| !c.is_empty()) {
                return Some((
                    Ok(Bytes::from(chunk)),
                    (shared, f, None, logs_rx, drop_rx, budget),
                ));
            }
            loop {
                if budget == Some(0) {
                    return None;
                }
                logs_rx.borrow_and_update();
                let next = shared.read(|st| match st.logs.map.get(&f.key) {
                    None => Next::End,
                    Some(l) if l.generation != f.generation => Next::End,
                    Some(l) => {
                        let inst = &l.current;
                        f.cursor = f.cursor.max(inst.dropped);
                        if f.cursor < inst.end() {
                            let mut out = Vec::new();
                            let from =
                                usize::try_from(f.cursor - inst.dropped).unwrap_or(usize::MAX);
                            for line in inst.lines.iter().skip(from) {
                                format_line(line, f.timestamps, &mut out);
                            }
                            f.cursor = inst.end();
                            Next::Chunk(out)
                        } else if inst.terminated {
                            Next::End
                        } else {
                            Next::Wait
                        }
                    }
                });
                match next {
                    Next::End => return None,
                    Next::Chunk(mut out) => {
                        if let Some(b) = budget.as_mut() {
                            out.truncate(*b);
                            *b -= out.len();
                        }
                        return Some((
                            Ok(Bytes::from(out)),
                            (shared, f, None, logs_rx, drop_rx, budget),
                        ));
                    }
                    Next::Wait => {
                        tokio::select! {
                            changed = logs_rx.changed() => if changed.is_err() { return None },
                            _ = drop_rx.changed() => {
                                let err = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "stream dropped");
                                return Some((Err(err), (shared, f, None, logs_rx, drop_rx, Some(0))));
                            }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
