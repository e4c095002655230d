//! Identifiers handed out by the state and carried through effects and
//! messages. A leaf module: everything may use it, it uses nothing.

/// Identifies one log stream or request; replies for one the user has
/// left are dropped. Unique across the app, so replies need no routing.
pub type StreamId = u64;
