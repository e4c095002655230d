use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = opsdeck::cli::Cli::parse();
    match opsdeck::run::main(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("opsdeck: {e}");
            ExitCode::from(2)
        }
    }
}
