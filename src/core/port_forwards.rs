//! Port-forwards (`F` on a pod or a Service, `:pf` lists them): what is
//! forwarded where, as the source reports it, and the ports dialog.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::filter::Fields;
use super::list::{ListState, RowSpec, SortColumn};
use super::ticket::Ticket;

/// What is forwarded to: a pod, or a Service (resolved to one of its
/// ready pods when the forward starts, as `kubectl port-forward svc/x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardTarget {
    pub context: String,
    pub namespace: String,
    pub service: bool,
    pub name: String,
}

impl ForwardTarget {
    /// `pod shop/web-1`, `service shop/web`: how dialogs and rows name it.
    pub fn label(&self) -> String {
        let kind = if self.service { "service" } else { "pod" };
        format!("{kind} {}/{}", self.namespace, self.name)
    }
}

/// A port the target declares: a container's `containerPort`, or a
/// Service's `port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedPort {
    pub port: u16,
    /// The port's name (`http`), empty when it has none.
    pub name: String,
    pub protocol: String,
    /// Where it goes: `container app`, or a Service's `targetPort 8080`.
    pub note: String,
}

/// The ports dialog, while it is open.
#[derive(Debug, Clone, PartialEq)]
pub struct PortPick {
    pub target: ForwardTarget,
    pub request: u64,
    /// None while they are being read.
    pub ports: Option<Result<Vec<OfferedPort>, String>>,
}

/// `LOCAL:REMOTE` or `REMOTE`; local 0 asks for a free port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortPair {
    pub local: u16,
    pub remote: u16,
}

/// Reads what was typed in the dialog, in plain words when it is wrong.
pub fn parse_pair(text: &str) -> Result<PortPair, String> {
    let text = text.trim();
    let port = |s: &str, what: &str, zero_ok: bool| -> Result<u16, String> {
        let s = s.trim();
        if s.is_empty() && zero_ok {
            return Ok(0);
        }
        match s.parse::<u16>() {
            Ok(0) if !zero_ok => Err(format!("the {what} port must be 1 to 65535")),
            Ok(p) => Ok(p),
            Err(_) => Err(format!(
                "\"{s}\" is not a {what} port: type LOCAL:REMOTE or REMOTE (1 to 65535)"
            )),
        }
    };
    match text.split_once(':') {
        Some((local, remote)) => Ok(PortPair {
            local: port(local, "local", true)?,
            remote: port(remote, "remote", false)?,
        }),
        None if text.is_empty() => Err("type a port: LOCAL:REMOTE or REMOTE".to_string()),
        None => Ok(PortPair {
            local: 0,
            remote: port(text, "remote", false)?,
        }),
    }
}

/// How a forward is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardState {
    /// Its loopback port takes connections.
    Listening,
    /// Stopped by the user or ended (the listener is gone): why.
    Ended(String),
}

/// One forward, as `:pf` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ForwardRow {
    pub id: u64,
    pub target: ForwardTarget,
    /// The pod the bytes go to (a Service's resolved pod).
    pub pod: String,
    /// `127.0.0.1:43123`.
    pub local: String,
    pub remote: u16,
    pub open: u32,
    /// Bytes from the pod to the local side, and the other way.
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// The last connection's failure in plain words (the listener stays).
    pub last_error: Option<String>,
    pub state: ForwardState,
    pub started: DateTime<Utc>,
}

/// What the source reports (inside `KubeEvent::PortForward`).
#[derive(Debug, Clone, PartialEq)]
pub enum ForwardEvent {
    /// The ports the dialog offers, or why they could not be read.
    Ports {
        request: u64,
        result: Result<Vec<OfferedPort>, String>,
    },
    /// A forward bound its loopback port.
    Listening {
        id: u64,
        target: ForwardTarget,
        pod: String,
        local: String,
        remote: u16,
    },
    /// Its figures changed.
    Stats {
        id: u64,
        open: u32,
        bytes_in: u64,
        bytes_out: u64,
        last_error: Option<String>,
    },
    /// The listener stopped by itself (its error).
    Ended { id: u64, reason: String },
}

/// What `update` asks of the source (inside `KubeCommand::PortForward`).
#[derive(Debug, Clone, PartialEq)]
pub enum ForwardCommand {
    /// Read the target's declared ports; answered by `ForwardEvent::Ports`.
    ListPorts { request: u64, target: ForwardTarget },
    /// For each pair, listen on 127.0.0.1:`local` (0: any free port) and
    /// forward each connection to `remote`, as its own forward `id`; one
    /// `Msg::ActionReported` answers for all of them.
    Start {
        ticket: Ticket,
        target: ForwardTarget,
        forwards: Vec<(u64, PortPair)>,
    },
    /// Close the listener and its connections.
    Stop { id: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardSort {
    /// Newest first.
    #[default]
    Age,
    Target,
    Traffic,
}

impl SortColumn for ForwardSort {
    fn next(self) -> Self {
        match self {
            ForwardSort::Age => ForwardSort::Target,
            ForwardSort::Target => ForwardSort::Traffic,
            ForwardSort::Traffic => ForwardSort::Age,
        }
    }

    fn label(self) -> &'static str {
        match self {
            ForwardSort::Age => "age",
            ForwardSort::Target => "target",
            ForwardSort::Traffic => "bytes",
        }
    }
}

struct ForwardRows;

impl RowSpec<ForwardRow> for ForwardRows {
    type Key = u64;
    type Sort = ForwardSort;

    fn key(&self, row: &ForwardRow) -> u64 {
        row.id
    }

    fn fields(&self, row: &ForwardRow, out: &mut Fields) {
        out.name(&row.target.name);
        out.field(&["pod"], &row.pod);
        out.field(&["namespace", "ns"], &row.target.namespace);
        out.field(&["context", "ctx"], &row.target.context);
    }

    fn compare(&self, a: &ForwardRow, b: &ForwardRow, sort: ForwardSort) -> Ordering {
        let newest = || b.id.cmp(&a.id);
        match sort {
            ForwardSort::Age => newest(),
            ForwardSort::Target => a
                .target
                .label()
                .cmp(&b.target.label())
                .then(a.remote.cmp(&b.remote))
                .then_with(newest),
            ForwardSort::Traffic => (b.bytes_in + b.bytes_out)
                .cmp(&(a.bytes_in + a.bytes_out))
                .then_with(newest),
        }
    }
}

/// Every forward of the session, the `:pf` view and the ports dialog.
#[derive(Debug, Default)]
pub struct PortForwards {
    pub rows: BTreeMap<u64, ForwardRow>,
    pub list: ListState<u64, ForwardSort>,
    /// `:pf` is on screen (in the Kubernetes tab).
    pub open: bool,
    pub pick: Option<PortPick>,
}

impl PortForwards {
    pub fn rebuild_order(&mut self) {
        self.list.rebuild(self.rows.values(), &ForwardRows);
    }

    pub fn selected(&self) -> Option<&ForwardRow> {
        self.list.selected().and_then(|id| self.rows.get(id))
    }

    /// Forwards whose listener is up.
    pub fn active(&self) -> usize {
        self.rows
            .values()
            .filter(|r| r.state == ForwardState::Listening)
            .count()
    }

    pub fn apply(&mut self, event: ForwardEvent, now: DateTime<Utc>) {
        match event {
            ForwardEvent::Ports { request, result } => {
                if let Some(pick) = self.pick.as_mut().filter(|p| p.request == request) {
                    pick.ports = Some(result);
                }
                return;
            }
            ForwardEvent::Listening {
                id,
                target,
                pod,
                local,
                remote,
            } => {
                let row = ForwardRow {
                    id,
                    target,
                    pod,
                    local,
                    remote,
                    open: 0,
                    bytes_in: 0,
                    bytes_out: 0,
                    last_error: None,
                    state: ForwardState::Listening,
                    started: now,
                };
                self.rows.insert(id, row);
            }
            ForwardEvent::Stats {
                id,
                open,
                bytes_in,
                bytes_out,
                last_error,
            } => {
                if let Some(row) = self.rows.get_mut(&id) {
                    row.open = open;
                    row.bytes_in = bytes_in;
                    row.bytes_out = bytes_out;
                    row.last_error = last_error;
                }
            }
            ForwardEvent::Ended { id, reason } => {
                if let Some(row) = self.rows.get_mut(&id) {
                    row.state = ForwardState::Ended(reason);
                    row.open = 0;
                }
            }
        }
        self.rebuild_order();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_read_as_kubectl_writes_them() {
        let pair = |local, remote| Ok(PortPair { local, remote });
        assert_eq!(parse_pair("8080"), pair(0, 8080));
        assert_eq!(parse_pair(" 9000:80 "), pair(9000, 80));
        assert_eq!(parse_pair(":80"), pair(0, 80));
        assert_eq!(parse_pair("0:80"), pair(0, 80));
        assert!(parse_pair("").is_err());
        assert!(parse_pair("80:0").unwrap_err().contains("1 to 65535"));
        assert!(parse_pair("web").unwrap_err().contains("\"web\""));
        assert!(parse_pair("70000").is_err());
        assert!(parse_pair("1:2:3").is_err());
    }

    fn listening(id: u64) -> ForwardEvent {
        ForwardEvent::Listening {
            id,
            target: ForwardTarget {
                context: "kind".into(),
                namespace: "shop".into(),
                service: false,
                name: format!("web-{id}"),
            },
            pod: format!("web-{id}"),
            local: format!("127.0.0.1:{}", 40000 + id),
            remote: 8080,
        }
    }

    #[test]
    fn rows_come_from_the_source_and_keep_their_figures() {
        let mut pf = PortForwards::default();
        let now = chrono::Utc::now();
        pf.apply(listening(1), now);
        pf.apply(listening(2), now);
        assert_eq!(pf.list.order(), &[2, 1], "newest first");
        pf.apply(
            ForwardEvent::Stats {
                id: 1,
                open: 1,
                bytes_in: 10,
                bytes_out: 4,
                last_error: Some("refused".into()),
            },
            now,
        );
        pf.list.cycle_sort();
        pf.list.cycle_sort();
        pf.rebuild_order();
        assert_eq!(pf.list.order(), &[1, 2], "most bytes first");
        pf.apply(
            ForwardEvent::Ended {
                id: 1,
                reason: "stopped".into(),
            },
            now,
        );
        assert_eq!(pf.active(), 1);
        assert_eq!(pf.rows[&1].open, 0);
        assert_eq!(pf.rows[&1].last_error.as_deref(), Some("refused"));
    }
}
