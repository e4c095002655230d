//! TEMPORARY shim with the API the lead expects; replaced by the real log viewer.
#![allow(dead_code, unused_variables)]

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineSource {
    Stdout,
    Stderr,
}

#[derive(Debug, Default)]
pub struct LogBuffer {
    lines: Vec<(LineSource, String)>,
    cap: usize,
}

impl LogBuffer {
    pub fn new(cap: usize) -> Self {
        LogBuffer {
            lines: Vec::new(),
            cap,
        }
    }
    pub fn set_timestamps(&mut self, on: bool) {}
    pub fn push_bytes(&mut self, source: LineSource, bytes: &[u8]) {
        for l in String::from_utf8_lossy(bytes).lines() {
            self.lines.push((source, l.to_string()));
        }
    }
    pub fn flush(&mut self) {}
    pub fn len(&self) -> usize {
        self.lines.len()
    }
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[derive(Debug, Default)]
pub struct LogViewState {
    pub follow: bool,
}

impl LogViewState {
    pub fn on_new_lines(&mut self, log: &LogBuffer) {}
    pub fn scroll_up(&mut self, log: &LogBuffer, n: usize) {}
    pub fn scroll_down(&mut self, log: &LogBuffer, n: usize) {}
    pub fn top(&mut self, log: &LogBuffer) {}
    pub fn bottom(&mut self, log: &LogBuffer) {}
    pub fn toggle_follow(&mut self, log: &LogBuffer) {}
    pub fn toggle_wrap(&mut self) {}
    pub fn toggle_timestamps(&mut self) {}
    pub fn next_match(&mut self, log: &LogBuffer) {}
    pub fn prev_match(&mut self, log: &LogBuffer) {}
    pub fn set_query(&mut self, log: &LogBuffer, q: &str) {}
    pub fn export_text(&self, log: &LogBuffer) -> String {
        log.lines.iter().map(|(_, l)| format!("{l}\n")).collect()
    }
}

#[derive(Debug, Default, Clone)]
pub struct LogStyles {
    pub normal: Style,
}

pub fn render(
    buf: &mut Buffer,
    area: Rect,
    log: &LogBuffer,
    state: &mut LogViewState,
    styles: &LogStyles,
) {
    for (i, (_, l)) in log
        .lines
        .iter()
        .rev()
        .take(area.height as usize)
        .rev()
        .enumerate()
    {
        buf.set_stringn(
            area.x,
            area.y + i as u16,
            l,
            area.width as usize,
            styles.normal,
        );
    }
}
