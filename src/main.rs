use std::process::ExitCode;

use clap::Parser;

// A build allocates millions of small strings and nodes from both cores at once; glibc's
// allocator made malloc and free a large part of `validate` (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
