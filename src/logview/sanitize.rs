//! Turning the raw bytes of one line into safe text plus SGR spans.
//!
//! Everything a log line could do to a terminal other than colour is
//! removed here; what leaves this module is printable text only. Decisions:
//! - Lines are split on `\n` *before* parsing and the parser is reset per
//!   line, so an unterminated OSC/DCS/APC string can swallow at most the rest
//!   of its own line, never the following lines.
//! - SGR state does not carry over to the next line: a line cannot recolour
//!   the rest of the log (and lines can be dropped from the ring freely).
//! - A lone 8-bit C1 byte (0x80..=0x9F that is not part of a valid UTF-8
//!   sequence), and the C1 code points U+0080..U+009F, are read as their
//!   7-bit `ESC x` equivalent. So `0x9B 2 J` is a CSI that gets removed, and
//!   `0x9D … BEL` an OSC that gets removed, instead of leaving `2J` behind.
//!   Any other invalid UTF-8 becomes one U+FFFD per invalid sequence.
//! - Tabs are expanded to spaces at ingestion, to the next multiple of 8
//!   columns counted from the start of the message (after the timestamp).
//! - DEL, NUL and every other C0 control are dropped; so are the bidi
//!   embedding/override/isolate controls and U+FEFF, which would let a line
//!   reorder or hide what is displayed.

use std::mem;

use unicode_width::UnicodeWidthChar;
use vte::{Params, Parser, Perform};

use super::line::is_rfc3339;
use super::overwrite::{Grid, push_span};
use super::style::{AnsiStyle, StyledSpan};

/// Style changes kept per line; further changes are ignored (text is kept).
const MAX_SPANS: usize = 1024;
/// Bytes swallowed by the parser without any action before the rest of
/// the line is dropped (see `advance_guarded`).
const MAX_SILENT: usize = 64 * 1024;
const GUARD_CHUNK: usize = 4096;
/// The longest RFC3339Nano timestamp plus its trailing space.
const TS_PREFIX_MAX: usize = 40;

#[derive(Clone, Copy, Debug)]
pub(crate) struct LineConfig {
    pub timestamps: bool,
    pub max_line_bytes: usize,
}

/// Receives the parser's actions and builds the visible text of the line.
struct Sink {
    text: String,
    spans: Vec<StyledSpan>,
    style: AnsiStyle,
    col: usize,
    grid: Option<Grid>,
    pending_cr: bool,
    cut: u64,
    max_bytes: usize,
    /// Parser actions seen, for `LineBuilder::advance_guarded`.
    events: u64,
}

impl Sink {
    /// A `\r` only takes effect when something follows it on the line, so
    /// `\r\n` stays a plain line end.
    fn apply_pending_cr(&mut self) {
        if !self.pending_cr {
            return;
        }
        self.pending_cr = false;
        self.col = 0;
        if self.grid.is_none() && !self.text.is_empty() {
            self.grid = Some(Grid::from_text(&self.text, &self.spans));
            self.text.clear();
            self.spans.clear();
        }
        if let Some(g) = &mut self.grid {
            g.carriage_return();
        }
    }

    fn put(&mut self, ch: char) {
        self.apply_pending_cr();
        if let Some(g) = &mut self.grid {
            if !g.put(ch, self.style, self.max_bytes) {
                self.cut += ch.len_utf8() as u64;
            }
            return;
        }
        if self.text.len() + ch.len_utf8() > self.max_bytes {
            self.cut += ch.len_utf8() as u64;
            return;
        }
        let start = self.text.len();
        self.text.push(ch);
        push_span(
            &mut self.spans,
            start,
            self.text.len(),
            self.style,
            MAX_SPANS,
        );
        self.col += ch.width().unwrap_or(0);
    }

    fn tab(&mut self) {
        self.apply_pending_cr();
        if let Some(g) = &mut self.grid {
            g.tab(self.style, self.max_bytes);
            return;
        }
        let n = 8 - self.col % 8;
        for _ in 0..n {
            self.put(' ');
        }
    }

    fn reset(&mut self) {
        self.text.clear();
        self.spans.clear();
        self.style = AnsiStyle::default();
        self.col = 0;
        self.grid = None;
        self.pending_cr = false;
        self.cut = 0;
    }
}

fn is_hidden_format(ch: char) -> bool {
    matches!(ch, '\u{7f}' | '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl Perform for Sink {
    fn print(&mut self, ch: char) {
        self.events += 1;
        if !is_hidden_format(ch) {
            self.put(ch);
        }
    }

    fn execute(&mut self, byte: u8) {
        self.events += 1;
        match byte {
            b'\t' => self.tab(),
            b'\r' => self.pending_cr = true,
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        self.events += 1;
        // Only plain SGR; private-marker variants (`CSI > 4 m`, …) are dropped.
        if action == 'm' && intermediates.is_empty() && !ignore {
            self.style.apply_sgr(params);
        }
    }

    // The rest are removed; they only count as activity. DCS payload bytes
    // (`put`) are not buffered by the parser, so they count too.
    fn esc_dispatch(&mut self, _: &[u8], _: bool, _: u8) {
        self.events += 1;
    }

    fn osc_dispatch(&mut self, _: &[&[u8]], _: bool) {
        self.events += 1;
    }

    fn hook(&mut self, _: &Params, _: &[u8], _: bool, _: char) {
        self.events += 1;
    }

    fn put(&mut self, _: u8) {
        self.events += 1;
    }

    fn unhook(&mut self) {
        self.events += 1;
    }
}

/// Streaming builder for one line at a time. Bytes may arrive in any
/// chunking; `finish` ends the line. Memory per line is bounded by the text
/// cap (text and overwrite grid) plus `MAX_SILENT` (parser string buffer).
pub(crate) struct LineBuilder {
    sink: Sink,
    parser: Parser,
    parser_dirty: bool,
    cfg: LineConfig,
    in_prefix: bool,
    prefix: Vec<u8>,
    ts: String,
    utf8_tail: Vec<u8>,
    scratch: Vec<u8>,
    silent: usize,
    discarding: bool,
}

/// What `finish` hands back, borrowed from the builder until the next line.
pub(crate) struct Built<'a> {
    pub ts: &'a str,
    pub msg: &'a str,
    pub spans: &'a [StyledSpan],
    pub cut: u64,
}

impl LineBuilder {
    pub fn new(cfg: LineConfig) -> LineBuilder {
        LineBuilder {
            sink: Sink {
                text: String::new(),
                spans: Vec::new(),
                style: AnsiStyle::default(),
                col: 0,
                grid: None,
                pending_cr: false,
                cut: 0,
                max_bytes: cfg.max_line_bytes,
                events: 0,
            },
            parser: Parser::new(),
            parser_dirty: false,
            cfg,
            in_prefix: true,
            prefix: Vec::new(),
            ts: String::new(),
            utf8_tail: Vec::new(),
            scratch: Vec::new(),
            silent: 0,
            discarding: false,
        }
    }

    pub fn set_config(&mut self, cfg: LineConfig) {
        self.cfg = cfg;
        self.sink.max_bytes = cfg.max_line_bytes;
    }

    /// A whole line in one slice. Lines of printable ASCII skip the parser.
    pub fn build_complete<'a>(&'a mut self, line: &'a [u8]) -> Built<'a> {
        let (ts, body) = if self.cfg.timestamps {
            split_timestamp(line)
        } else {
            (None, line)
        };
        if body.len() <= self.cfg.max_line_bytes && body.iter().all(|b| (0x20..0x7f).contains(b)) {
            // Both are ASCII here, so the conversions cannot fail.
            let ts = ts.and_then(|t| std::str::from_utf8(t).ok()).unwrap_or("");
            let msg = std::str::from_utf8(body).unwrap_or("");
            return Built {
                ts,
                msg,
                spans: &[],
                cut: 0,
            };
        }
        self.feed(line);
        self.finish()
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if !self.in_prefix {
            self.feed_body(bytes);
            return;
        }
        if !self.cfg.timestamps {
            self.in_prefix = false;
            self.feed_body(bytes);
            return;
        }
        let room = TS_PREFIX_MAX.saturating_sub(self.prefix.len());
        let window = bytes.get(..room.min(bytes.len())).unwrap_or(bytes);
        if let Some(sp) = window.iter().position(|&b| b == b' ') {
            let (head, rest) = bytes.split_at(sp);
            self.prefix.extend_from_slice(head);
            if self.resolve_prefix() {
                self.feed_body(rest.get(1..).unwrap_or(&[]));
            } else {
                self.feed_body(rest);
            }
        } else if bytes.len() < room {
            self.prefix.extend_from_slice(bytes);
        } else {
            self.in_prefix = false;
            let prefix = mem::take(&mut self.prefix);
            self.feed_body(&prefix);
            self.prefix = prefix;
            self.prefix.clear();
            self.feed_body(bytes);
        }
    }

    /// Decides whether the buffered prefix is a timestamp. When it is not,
    /// the prefix is fed as message text.
    fn resolve_prefix(&mut self) -> bool {
        self.in_prefix = false;
        let prefix = mem::take(&mut self.prefix);
        let candidate = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&prefix);
        let is_ts = is_rfc3339(candidate);
        if is_ts {
            self.ts.clear();
            self.ts
                .push_str(std::str::from_utf8(candidate).unwrap_or(""));
        } else {
            self.feed_body(&prefix);
        }
        self.prefix = prefix;
        self.prefix.clear();
        is_ts
    }

    fn feed_body(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        if self.discarding {
            self.sink.cut += bytes.len() as u64;
            return;
        }
        self.parser_dirty = true;
        if self.utf8_tail.is_empty() && bytes.is_ascii() {
            self.advance_guarded(bytes);
            return;
        }
        let mut scratch = mem::take(&mut self.scratch);
        scratch.clear();
        if self.utf8_tail.is_empty() {
            normalize_utf8(bytes, &mut self.utf8_tail, &mut scratch);
        } else {
            let mut joined = mem::take(&mut self.utf8_tail);
            joined.extend_from_slice(bytes);
            normalize_utf8(&joined, &mut self.utf8_tail, &mut scratch);
        }
        self.advance_guarded(&scratch);
        self.scratch = scratch;
    }

    /// Feeds the parser in slices, watching for input that produces no
    /// action at all: that is the inside of an OSC/DCS/APC string, and the
    /// parser buffers OSC payloads without limit. Past `MAX_SILENT` such
    /// bytes the rest of the line is discarded (and counted as cut).
    /// Everything else, progress bars included, is parsed to the end: the
    /// text cap already bounds what is kept.
    fn advance_guarded(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks(GUARD_CHUNK);
        while let Some(chunk) = chunks.next() {
            let before = self.sink.events;
            self.parser.advance(&mut self.sink, chunk);
            if self.sink.events != before {
                self.silent = 0;
                continue;
            }
            self.silent += chunk.len();
            if self.silent > MAX_SILENT {
                self.discarding = true;
                self.sink.cut += chunks.map(|c| c.len() as u64).sum::<u64>();
                return;
            }
        }
    }

    /// Ends the line; the builder is ready for the next one afterwards.
    pub fn finish(&mut self) -> Built<'_> {
        if self.in_prefix {
            self.in_prefix = false;
            if self.cfg.timestamps && !self.prefix.is_empty() {
                // A line that is only a timestamp has an empty message.
                self.resolve_prefix();
            }
        }
        if !self.utf8_tail.is_empty() {
            self.utf8_tail.clear();
            self.parser.advance(&mut self.sink, "\u{fffd}".as_bytes());
        }
        if let Some(grid) = self.sink.grid.take() {
            self.sink.text.clear();
            self.sink.spans.clear();
            grid.write_into(&mut self.sink.text, &mut self.sink.spans, MAX_SPANS);
        }
        if self.parser_dirty {
            self.parser = Parser::new();
            self.parser_dirty = false;
        }
        self.in_prefix = true;
        self.silent = 0;
        self.discarding = false;
        Built {
            ts: &self.ts,
            msg: &self.sink.text,
            spans: &self.sink.spans,
            cut: self.sink.cut,
        }
    }

    /// Clears what `finish` returned; called by the buffer once it has
    /// copied the line out.
    pub fn recycle(&mut self) {
        self.sink.reset();
        self.ts.clear();
    }
}

/// Splits `<RFC3339 timestamp> <message>` (a leading UTF-8 BOM, which the
/// first line of a GitHub job log has, is skipped).
pub(crate) fn split_timestamp(line: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let stripped = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
    let window = stripped
        .get(..TS_PREFIX_MAX.min(stripped.len()))
        .unwrap_or(stripped);
    let end = window.iter().position(|&b| b == b' ');
    let (head, rest) = match end {
        Some(i) => (
            stripped.get(..i).unwrap_or(&[]),
            stripped.get(i + 1..).unwrap_or(&[]),
        ),
        None if stripped.len() <= TS_PREFIX_MAX => (stripped, &[][..]),
        None => return (None, line),
    };
    if is_rfc3339(head) {
        (Some(head), rest)
    } else {
        (None, line)
    }
}

/// Copies `input` to `out` as valid UTF-8 free of C1 controls (see the module
/// docs); an incomplete sequence at the end is kept in `tail` for the next
/// chunk.
fn normalize_utf8(input: &[u8], tail: &mut Vec<u8>, out: &mut Vec<u8>) {
    let mut rest = input;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_valid(s, out);
                return;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                push_valid(std::str::from_utf8(valid).unwrap_or(""), out);
                match e.error_len() {
                    Some(n) => {
                        let (bad, next) = after.split_at(n.min(after.len()));
                        match bad {
                            [b @ 0x80..=0x9f] => push_c1(*b, out),
                            _ => out.extend_from_slice("\u{fffd}".as_bytes()),
                        }
                        rest = next;
                    }
                    None => {
                        tail.clear();
                        tail.extend_from_slice(after);
                        return;
                    }
                }
            }
        }
    }
}

fn push_valid(s: &str, out: &mut Vec<u8>) {
    // U+0080..U+009F are encoded as C2 80..C2 9F; most text has no 0xC2.
    if !s.as_bytes().contains(&0xc2) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let mut buf = [0u8; 4];
    for ch in s.chars() {
        match u8::try_from(u32::from(ch)) {
            Ok(b @ 0x80..=0x9f) => push_c1(b, out),
            _ => out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes()),
        }
    }
}

fn push_c1(b: u8, out: &mut Vec<u8>) {
    out.push(0x1b);
    out.push(b - 0x40);
}
