//! One stored line, where it came from, and what kind of line it is.

use std::sync::Arc;

use super::style::StyledSpan;

/// Which output stream a line was written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Stream {
    #[default]
    Stdout,
    Stderr,
    Other,
}

/// The producer of a chunk: its stream and an optional tag (the pod or
/// container name when several streams are merged, stern-style). Each
/// distinct source keeps its own partial-line carry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct LineSource {
    pub stream: Stream,
    pub tag: Option<Arc<str>>,
}

impl LineSource {
    pub fn stdout() -> LineSource {
        LineSource {
            stream: Stream::Stdout,
            tag: None,
        }
    }

    pub fn stderr() -> LineSource {
        LineSource {
            stream: Stream::Stderr,
            tag: None,
        }
    }

    pub fn tagged(stream: Stream, tag: impl Into<Arc<str>>) -> LineSource {
        LineSource {
            stream,
            tag: Some(tag.into()),
        }
    }
}

/// How the producer's lines are structured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Plain,
    /// GitHub Actions job logs: `##[group]`, `##[error]`, … markers.
    GitHubActions,
}

/// What a line is, from its GitHub Actions marker (always `Normal` for
/// [`LogFormat::Plain`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineKind {
    #[default]
    Normal,
    /// `##[group]Title`: the text is the title.
    GroupStart,
    /// `##[endgroup]` that closed a group (never displayed).
    GroupEnd,
    Error,
    Warning,
    Notice,
    Command,
    Debug,
}

impl LineKind {
    /// The marker as GitHub writes it, for saving.
    pub fn github_marker(self) -> &'static str {
        match self {
            LineKind::Normal => "",
            LineKind::GroupStart => "##[group]",
            LineKind::GroupEnd => "##[endgroup]",
            LineKind::Error => "##[error]",
            LineKind::Warning => "##[warning]",
            LineKind::Notice => "##[notice]",
            LineKind::Command => "##[command]",
            LineKind::Debug => "##[debug]",
        }
    }
}

/// A sanitized line: one allocation holding `timestamp + message`, plus the
/// SGR spans of the message (no allocation when it has none).
#[derive(Clone, Debug)]
pub struct LogLine {
    text: Box<str>,
    spans: Box<[StyledSpan]>,
    cut: u64,
    tag: u32,
    ts_len: u8,
    stream: Stream,
    kind: LineKind,
}

impl LogLine {
    /// Builds a line from sanitized parts, recognising GitHub markers at the
    /// start of the message when `format` asks for it.
    pub(crate) fn assemble(
        ts: &str,
        msg: &str,
        spans: &[StyledSpan],
        cut: u64,
        format: LogFormat,
    ) -> LogLine {
        let (kind, strip) = match format {
            LogFormat::Plain => (LineKind::Normal, 0),
            LogFormat::GitHubActions => github_marker(msg),
        };
        let msg = msg.get(strip..).unwrap_or("");
        // Timestamps are at most 40 ASCII bytes (checked by `is_rfc3339`).
        let ts = if ts.len() <= usize::from(u8::MAX) {
            ts
        } else {
            ""
        };
        let mut text = String::with_capacity(ts.len() + msg.len());
        text.push_str(ts);
        text.push_str(msg);
        let spans: Box<[StyledSpan]> = if strip == 0 {
            spans.into()
        } else {
            let strip = u32::try_from(strip).unwrap_or(u32::MAX);
            spans
                .iter()
                .filter(|s| s.end > strip)
                .map(|s| StyledSpan {
                    start: s.start.saturating_sub(strip),
                    end: s.end - strip,
                    style: s.style,
                })
                .collect()
        };
        LogLine {
            text: text.into_boxed_str(),
            spans,
            cut,
            tag: 0,
            ts_len: u8::try_from(ts.len()).unwrap_or(0),
            stream: Stream::Stdout,
            kind,
        }
    }

    pub(crate) fn with_origin(mut self, stream: Stream, tag: u32) -> LogLine {
        self.stream = stream;
        self.tag = tag;
        self
    }

    pub(crate) fn set_kind(&mut self, kind: LineKind) {
        self.kind = kind;
    }

    /// The sanitized message, without timestamp or marker.
    pub fn text(&self) -> &str {
        self.text.get(usize::from(self.ts_len)..).unwrap_or("")
    }

    /// The RFC3339 timestamp split off the line start, when the buffer was
    /// told the producer sends timestamps and this line had one.
    pub fn timestamp(&self) -> Option<&str> {
        match self.ts_len {
            0 => None,
            n => self.text.get(..usize::from(n)),
        }
    }

    /// SGR spans, relative to [`LogLine::text`].
    pub fn spans(&self) -> &[StyledSpan] {
        &self.spans
    }

    pub fn stream(&self) -> Stream {
        self.stream
    }

    pub fn kind(&self) -> LineKind {
        self.kind
    }

    /// Bytes dropped from this line because it exceeded the line cap.
    pub fn cut_bytes(&self) -> u64 {
        self.cut
    }

    pub(crate) fn tag_id(&self) -> u32 {
        self.tag
    }

    /// Approximate heap + inline size, for the buffer's byte budget.
    pub(crate) fn mem_size(&self) -> usize {
        size_of::<LogLine>() + self.text.len() + std::mem::size_of_val(&*self.spans)
    }
}

fn github_marker(msg: &str) -> (LineKind, usize) {
    let Some(rest) = msg.strip_prefix("##[") else {
        return (LineKind::Normal, 0);
    };
    let Some(close) = rest.find(']') else {
        return (LineKind::Normal, 0);
    };
    let kind = match rest.get(..close) {
        Some("group") => LineKind::GroupStart,
        Some("endgroup") => LineKind::GroupEnd,
        Some("error") => LineKind::Error,
        Some("warning") => LineKind::Warning,
        Some("notice") => LineKind::Notice,
        Some("command") => LineKind::Command,
        Some("debug") => LineKind::Debug,
        _ => return (LineKind::Normal, 0),
    };
    (kind, 3 + close + 1)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` with 1 to 9 fraction digits.
pub(crate) fn is_rfc3339(b: &[u8]) -> bool {
    fn digits(b: &[u8]) -> bool {
        !b.is_empty() && b.iter().all(u8::is_ascii_digit)
    }
    let (Some(date), Some(rest)) = (b.get(..19), b.get(19..)) else {
        return false;
    };
    let shape_ok = date.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => matches!(c, b'T' | b't'),
        13 | 16 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return false;
    }
    let rest = match rest.strip_prefix(b".") {
        Some(frac) => {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&n) {
                return false;
            }
            frac.get(n..).unwrap_or(&[])
        }
        None => rest,
    };
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    }
}
