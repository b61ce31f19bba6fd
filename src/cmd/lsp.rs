//! `defter lsp`: the language server on stdin and stdout; what it does goes to stderr,
//! which editors keep as the server's log.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::LspArgs;
use crate::lsp::{self, Ended};

pub(super) fn run(repo: Option<&Path>, args: &LspArgs) -> Result<ExitCode> {
    // Where to look for the repository when the editor names no workspace folder.
    let start = repo.map(Path::to_path_buf).or_else(|| std::env::current_dir().ok());
    let (stdin, stdout) = (std::io::stdin(), std::io::stdout());
    let ended = lsp::run(start, args.as_of, &mut stdin.lock(), &mut stdout.lock(), &|said| eprintln!("{said}"))?;
    Ok(if ended == Ended::Cleanly { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
