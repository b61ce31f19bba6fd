//! `defter completions <shell>` and `defter man`: generated from the clap definition, so
//! they never fall behind the commands.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::Cli;
use crate::diag::msg;

pub(super) fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "defter", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// The manual page on stdout, or one page per command (`defter.1`, `defter-validate.1`, …)
/// in `out`.
pub(super) fn man(out: Option<&Path>) -> Result<ExitCode> {
    let command = Cli::command();
    match out {
        None => {
            clap_mangen::Man::new(command).render(&mut std::io::stdout()).context("writing the manual page")?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| msg!("cannot create {p}", "{p} oluşturulamıyor", p = dir.display()))?;
            clap_mangen::generate_to(command, dir).with_context(|| {
                msg!("writing manual pages into {p}", "kılavuz sayfaları {p} içine yazılırken", p = dir.display())
            })?;
            println!("{}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
