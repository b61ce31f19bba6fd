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
            // In the language the run chose (an error's text is displayed in it too).
            let word = defter::diag::terminal().pick("error", "hata");
            eprintln!("{word}: {err:#}");
            ExitCode::from(2)
        }
    }
}
