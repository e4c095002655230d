//! The log file never holds a URL's query string: GitHub's signed log
//! download URLs carry their credential there (`…?sig=…&token=…`), and a
//! library logging at debug level writes the URL it requested. Every line
//! is cleaned on its way to the file, whoever wrote it.

use std::borrow::Cow;
use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;

/// Wraps the file writer; each formatted event passes through
/// [`redact_query_strings`].
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

pub struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The formatter hands over a whole event at once, so a URL is
        // never split across two calls.
        self.0.write_all(&redact_query_strings(buf))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Replaces the query string of every `scheme://…` URL with `?…`.
pub fn redact_query_strings(text: &[u8]) -> Cow<'_, [u8]> {
    const MARK: &[u8] = b"://";
    let Some(first) = find(text, MARK, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = Vec::with_capacity(text.len());
    let mut copied = 0;
    let mut from = first;
    loop {
        let url_end = text[from..]
            .iter()
            .position(|b| ends_url(*b))
            .map_or(text.len(), |p| from + p);
        if let Some(q) = text[from..url_end].iter().position(|b| *b == b'?') {
            let q = from + q;
            out.extend_from_slice(&text[copied..=q]);
            out.extend_from_slice("…".as_bytes());
            copied = url_end;
        }
        match find(text, MARK, url_end) {
            Some(next) => from = next,
            None => break,
        }
    }
    out.extend_from_slice(&text[copied..]);
    Cow::Owned(out)
}

fn ends_url(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> String {
        String::from_utf8_lossy(&redact_query_strings(s.as_bytes())).into_owned()
    }

    #[test]
    fn query_strings_go_and_the_rest_stays() {
        assert_eq!(
            clean(
                r#"GET url.full="https://logs.example/job/1?sig=abc&token=SECRET&expires=9" done"#
            ),
            r#"GET url.full="https://logs.example/job/1?…" done"#
        );
        assert_eq!(
            clean("a http://h/x?t=1 and https://h/y?u=2\n"),
            "a http://h/x?… and https://h/y?…\n"
        );
        let plain = "no urls here, and https://h/path without a query\n";
        assert_eq!(clean(plain), plain);
    }

    #[test]
    fn the_writer_cleans_what_reaches_the_file() {
        let mut file = Vec::new();
        {
            let mut w = RedactingWriter(&mut file);
            w.write_all(b"redirect to https://x/y?token=SECRET\n")
                .unwrap();
        }
        let text = String::from_utf8(file).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("https://x/y?…"), "{text}");
    }
}
