//! `opsdeck completions SHELL` and `opsdeck man`: generated from the clap
//! definition in `cli`, so a new flag or subcommand reaches them without
//! anyone remembering to.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;

/// The completion script for `shell`. Built in memory: clap_complete
/// panics on a write error, and stdout may be a pipe closed early.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "opsdeck", &mut out);
    out
}

/// The man page (roff).
pub fn man() -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = clap_mangen::Man::new(Cli::command()).render(&mut out);
    out
}

/// Prints `text`; a reader that stopped early (`| head`) is not an error.
pub fn print(text: &[u8]) -> Result<ExitCode, String> {
    let mut out = io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {e}"))
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_naming_the_subcommands() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let text = String::from_utf8(completions(shell)).unwrap();
            for word in ["status", "completions", "man", "demo", "readonly"] {
                assert!(text.contains(word), "{shell}: no {word:?} in\n{text}");
            }
        }
    }

    #[test]
    fn the_man_page_is_roff_and_names_the_subcommands() {
        let text = String::from_utf8(man()).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(".TH opsdeck"),
            "{text}"
        );
        for word in ["status", "completions", "demo", "readonly"] {
            assert!(text.contains(word), "no {word:?} in\n{text}");
        }
    }
}
