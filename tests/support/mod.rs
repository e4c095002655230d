//! Shared by the end-to-end tests and the outside benchmark: each includes
//! only what it uses, hence the dead-code allowance at the `mod` site.

pub mod pty;
