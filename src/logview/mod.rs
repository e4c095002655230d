//! The shared log viewer (Docker, Kubernetes and GitHub Actions panes):
//! a bounded, sanitizing line buffer and a view rendered into a ratatui
//! `Buffer`. No key handling or theme here: the app maps keys to the
//! `LogViewState` methods and its theme to [`LogStyles`].
//!
//! Flow: a source task's bytes go to [`LogBuffer::push_bytes`] (any
//! chunking; per-source partial lines are carried), which strips every
//! control sequence except SGR colours (see `sanitize.rs` for the exact
//! rules) and stores lines in a ring. [`render`] draws the rows on screen
//! for a [`LogViewState`], touching only those rows.

mod buffer;
mod filter;
mod filter_view;
mod layout;
mod line;
mod nav;
mod overwrite;
mod render;
mod sanitize;
mod save;
mod search;
mod style;
mod view;

#[cfg(test)]
mod tests;

pub use buffer::{DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_TOTAL_BYTES, LogBuffer};
pub use filter::FilterSpec;
pub(crate) use line::is_rfc3339;
pub use line::{LineKind, LineSource, LogFormat, LogLine, Stream};
pub use render::{LogStyles, render};
pub use search::MatchPos;
pub use style::{AnsiStyle, StyledSpan};
pub use view::{LogViewState, SearchStatus};
