use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = defter::cli::Cli::parse();
    match defter::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
