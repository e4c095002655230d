//! Writing the buffer out as plain text.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::buffer::LogBuffer;
use super::layout::cut_marker;
use super::line::LogFormat;
use super::view::LogViewState;

impl LogViewState {
    /// Writes every line in the buffer (folded ones too) as sanitized text:
    /// `[timestamp ][tag ]message[ [… N bytes cut]]`, timestamps only when
    /// shown. GitHub lines get their `##[…]` marker back so the file reads
    /// like the original log. Returns the number of lines written.
    pub fn save_to(&self, log: &LogBuffer, path: &Path) -> io::Result<usize> {
        let mut out = BufWriter::new(File::create(path)?);
        let n = self.write_plain(log, &mut out)?;
        out.flush()?;
        Ok(n)
    }

    /// The same text as `save_to`, in memory, so the write itself can happen
    /// off the UI path.
    pub fn plain_text(&self, log: &LogBuffer) -> String {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_plain(log, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    fn write_plain(&self, log: &LogBuffer, out: &mut impl Write) -> io::Result<usize> {
        let mut n = 0;
        for (_, line) in log.iter() {
            if self.show_timestamps
                && let Some(ts) = line.timestamp()
            {
                out.write_all(ts.as_bytes())?;
                out.write_all(b" ")?;
            }
            if let Some(tag) = log.tag_of(line) {
                out.write_all(tag.as_bytes())?;
                out.write_all(b" ")?;
            }
            if log.format() == LogFormat::GitHubActions {
                out.write_all(line.kind().github_marker().as_bytes())?;
            }
            out.write_all(line.text().as_bytes())?;
            if line.cut_bytes() > 0 {
                out.write_all(cut_marker(line.cut_bytes(), self.ascii).as_bytes())?;
            }
            out.write_all(b"\n")?;
            n += 1;
        }
        Ok(n)
    }
}
