use std::process::ExitCode;

use clap::Parser;
use opsdeck::cli::exit;
use opsdeck::run::Failure;

fn main() -> ExitCode {
    let cli = match opsdeck::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` come through here too, on stdout.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    match opsdeck::run::main(cli) {
        Ok(code) => code,
        Err(Failure::Config(e)) => {
            eprintln!("opsdeck: {e}");
            ExitCode::from(exit::CONFIG)
        }
        Err(Failure::Run(e)) => {
            eprintln!("opsdeck: {e}");
            ExitCode::from(exit::FAILED)
        }
    }
}
