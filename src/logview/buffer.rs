//! The bounded ring of sanitized lines.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use super::line::{LineKind, LineSource, LogFormat, LogLine, Stream};
use super::sanitize::{LineBuilder, LineConfig};

pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024;
pub const DEFAULT_MAX_TOTAL_BYTES: usize = 256 * 1024 * 1024;

/// A GitHub `##[group]`: lines `start+1 ..= end` belong to it; `end` is the
/// `##[endgroup]` line, or `None` while the group is still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Group {
    pub start: u64,
    pub end: Option<u64>,
}

struct Partial {
    stream: Stream,
    tag: u32,
    builder: Box<LineBuilder>,
}

/// A bounded ring of log lines fed with raw bytes.
///
/// Every line gets a sequence number (`seq`) that never changes and is never
/// reused, so views can anchor on a line while lines are added at the end
/// and dropped at the front. Lines are dropped past `cap_lines`, and also
/// past a total byte budget (so 200,000 lines of 64 KiB cannot exhaust
/// memory); both count in [`LogBuffer::dropped`].
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    first_seq: u64,
    cap: usize,
    dropped: u64,
    bytes: usize,
    max_total_bytes: usize,
    cfg: LineConfig,
    format: LogFormat,
    tag_ids: HashMap<Arc<str>, u32>,
    tag_names: Vec<Arc<str>>,
    scratch: LineBuilder,
    partials: Vec<Partial>,
    spare: Option<Box<LineBuilder>>,
    groups: VecDeque<Group>,
    errors: VecDeque<u64>,
    seen_stderr: bool,
}

impl LogBuffer {
    /// A buffer keeping at most `cap_lines` lines (at least 1).
    pub fn new(cap_lines: usize) -> LogBuffer {
        let cfg = LineConfig {
            timestamps: false,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        };
        LogBuffer {
            lines: VecDeque::new(),
            first_seq: 0,
            cap: cap_lines.max(1),
            dropped: 0,
            bytes: 0,
            max_total_bytes: DEFAULT_MAX_TOTAL_BYTES,
            cfg,
            format: LogFormat::Plain,
            tag_ids: HashMap::new(),
            tag_names: Vec::new(),
            scratch: LineBuilder::new(cfg),
            partials: Vec::new(),
            spare: None,
            groups: VecDeque::new(),
            errors: VecDeque::new(),
            seen_stderr: false,
        }
    }

    /// Lines start with `<RFC3339 timestamp> ` (Docker/Kubernetes with
    /// timestamps on, GitHub job logs): split it into the timestamp field.
    pub fn with_timestamps(mut self, on: bool) -> LogBuffer {
        self.set_timestamps(on);
        self
    }

    pub fn with_format(mut self, format: LogFormat) -> LogBuffer {
        self.format = format;
        self
    }

    /// Text bytes kept per line; the rest is cut and shown as a marker.
    pub fn with_max_line_bytes(mut self, n: usize) -> LogBuffer {
        self.set_max_line_bytes(n);
        self
    }

    /// Total bytes (text, spans, line headers) kept before dropping the
    /// oldest lines even under the line cap.
    pub fn with_max_total_bytes(mut self, n: usize) -> LogBuffer {
        self.max_total_bytes = n;
        self.enforce_caps();
        self
    }

    pub fn set_timestamps(&mut self, on: bool) {
        self.cfg.timestamps = on;
        self.scratch.set_config(self.cfg);
    }

    pub fn set_max_line_bytes(&mut self, n: usize) {
        self.cfg.max_line_bytes = n.max(16);
        self.scratch.set_config(self.cfg);
    }

    pub fn set_cap(&mut self, cap_lines: usize) {
        self.cap = cap_lines.max(1);
        self.enforce_caps();
    }

    pub fn format(&self) -> LogFormat {
        self.format
    }

    pub fn timestamps(&self) -> bool {
        self.cfg.timestamps
    }

    /// Appends a chunk. Lines end at `\n` (`\r\n` too); the bytes after the
    /// last newline are carried, per source, until more arrive or `flush`.
    pub fn push_bytes(&mut self, source: LineSource, bytes: &[u8]) {
        let stream = source.stream;
        let tag = self.intern(source.tag);
        let mut rest = bytes;
        if let Some(pos) = self
            .partials
            .iter()
            .position(|p| p.stream == stream && p.tag == tag)
        {
            match rest.iter().position(|&b| b == b'\n') {
                None => {
                    if let Some(p) = self.partials.get_mut(pos) {
                        p.builder.feed(rest);
                    }
                    return;
                }
                Some(nl) => {
                    let mut p = self.partials.remove(pos);
                    p.builder.feed(rest.get(..nl).unwrap_or(&[]));
                    self.finish_partial(&mut p.builder, stream, tag);
                    self.spare = Some(p.builder);
                    rest = rest.get(nl + 1..).unwrap_or(&[]);
                }
            }
        }
        while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(nl);
            let built = self.scratch.build_complete(line);
            let line = LogLine::assemble(built.ts, built.msg, built.spans, built.cut, self.format);
            self.scratch.recycle();
            self.insert(line.with_origin(stream, tag));
            rest = after.get(1..).unwrap_or(&[]);
        }
        if !rest.is_empty() {
            let mut builder = match self.spare.take() {
                Some(mut b) => {
                    b.set_config(self.cfg);
                    b
                }
                None => Box::new(LineBuilder::new(self.cfg)),
            };
            builder.feed(rest);
            self.partials.push(Partial {
                stream,
                tag,
                builder,
            });
        }
    }

    /// Ends every carried partial line (the producer finished).
    pub fn flush(&mut self) {
        for mut p in std::mem::take(&mut self.partials) {
            self.finish_partial(&mut p.builder, p.stream, p.tag);
            self.spare = Some(p.builder);
        }
    }

    fn finish_partial(&mut self, builder: &mut LineBuilder, stream: Stream, tag: u32) {
        let built = builder.finish();
        let line = LogLine::assemble(built.ts, built.msg, built.spans, built.cut, self.format);
        builder.recycle();
        self.insert(line.with_origin(stream, tag));
    }

    fn intern(&mut self, tag: Option<Arc<str>>) -> u32 {
        let Some(tag) = tag else { return 0 };
        if let Some(id) = self.tag_ids.get(&tag) {
            return *id;
        }
        // Tags come from API objects; keep them from carrying controls too.
        let shown: Arc<str> = if tag.chars().any(char::is_control) {
            tag.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect::<String>()
                .into()
        } else {
            tag.clone()
        };
        self.tag_names.push(shown);
        let id = u32::try_from(self.tag_names.len()).unwrap_or(u32::MAX);
        self.tag_ids.insert(tag, id);
        id
    }

    fn insert(&mut self, mut line: LogLine) {
        let seq = self.end_seq();
        match line.kind() {
            LineKind::GroupStart => {
                // Actions groups do not nest: a new group closes the open one.
                if let Some(open) = self.groups.back_mut()
                    && open.end.is_none()
                {
                    open.end = Some(seq.saturating_sub(1));
                }
                self.groups.push_back(Group {
                    start: seq,
                    end: None,
                });
            }
            LineKind::GroupEnd => match self.groups.back_mut() {
                Some(open) if open.end.is_none() => open.end = Some(seq),
                // A stray `##[endgroup]` is shown as an empty line.
                _ => line.set_kind(LineKind::Normal),
            },
            LineKind::Error => self.errors.push_back(seq),
            _ => {}
        }
        self.seen_stderr |= line.stream() == Stream::Stderr;
        self.bytes += line.mem_size();
        self.lines.push_back(line);
        self.enforce_caps();
    }

    fn enforce_caps(&mut self) {
        while self.lines.len() > self.cap
            || (self.bytes > self.max_total_bytes && self.lines.len() > 1)
        {
            let Some(old) = self.lines.pop_front() else {
                break;
            };
            self.bytes = self.bytes.saturating_sub(old.mem_size());
            self.first_seq += 1;
            self.dropped += 1;
        }
        // A group whose header is gone no longer folds its remaining lines.
        while self
            .groups
            .front()
            .is_some_and(|g| g.start < self.first_seq)
        {
            self.groups.pop_front();
        }
        while self.errors.front().is_some_and(|&e| e < self.first_seq) {
            self.errors.pop_front();
        }
    }

    /// Removes every line (the sequence numbers keep counting).
    pub fn clear(&mut self) {
        self.first_seq = self.end_seq();
        self.lines.clear();
        self.groups.clear();
        self.errors.clear();
        self.partials.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines dropped from the front because of the caps, since creation.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Sequence number of the oldest line kept.
    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }

    /// Sequence number the next line will get.
    pub fn end_seq(&self) -> u64 {
        self.first_seq + self.lines.len() as u64
    }

    pub fn get(&self, seq: u64) -> Option<&LogLine> {
        let idx = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.lines.get(idx)
    }

    /// Lines with their sequence numbers, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &LogLine)> + '_ {
        let first = self.first_seq;
        self.lines
            .iter()
            .enumerate()
            .map(move |(i, l)| (first + i as u64, l))
    }

    /// The tag a line was pushed with, if any.
    pub fn tag_of(&self, line: &LogLine) -> Option<&str> {
        let idx = usize::try_from(line.tag_id().checked_sub(1)?).ok()?;
        self.tag_names.get(idx).map(|t| &**t)
    }

    /// Whether any stderr line was ever pushed (the view then shows the
    /// stderr marker column).
    pub fn has_stderr(&self) -> bool {
        self.seen_stderr
    }

    /// Approximate bytes held by the kept lines.
    pub fn mem_bytes(&self) -> usize {
        self.bytes
    }

    /// The group whose body contains `seq` (not its header).
    pub(crate) fn group_containing(&self, seq: u64) -> Option<Group> {
        let idx = self.groups.partition_point(|g| g.start < seq);
        let g = *self.groups.get(idx.checked_sub(1)?)?;
        match g.end {
            Some(end) if seq > end => None,
            _ => Some(g),
        }
    }

    /// The group whose header line is `seq`.
    pub(crate) fn group_at(&self, seq: u64) -> Option<Group> {
        let idx = self.groups.partition_point(|g| g.start < seq);
        self.groups.get(idx).copied().filter(|g| g.start == seq)
    }

    pub(crate) fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.iter()
    }

    /// Sequence numbers of `##[error]` lines still in the ring.
    pub(crate) fn error_lines(&self) -> &VecDeque<u64> {
        &self.errors
    }
}
