//! One module per subcommand: load → do one thing → an exit status. Only this layer (and
//! the diagnostic renderers it calls) prints.

// The one layer that prints (lib.rs denies it everywhere else).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod access;
mod build;
mod codeowners;
mod explain;
mod generate;
mod init;
mod intake;
mod log;
mod lsp;
mod new;
mod notify;
mod report;
mod review;
mod serve;
mod step;
mod ui;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{Cli, Command, LangArg};
use crate::diag::{Lang, msg};
pub use ui::Ui;

/// Runs a parsed command line. `Ok(code)` is 0 or 1; an `Err` becomes exit status 2.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let lang = language(&cli)?;
    let ui = Ui { quiet: cli.quiet, verbose: cli.verbose, lang };
    match cli.command {
        Command::Validate(args) => validate::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Build(args) => build::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Serve(args) => serve::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Log(args) => log::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Explain { articles: true, .. } => explain::articles(&repo_root(cli.repo.as_deref())?),
        Command::Explain { rule, .. } => explain::run(rule.as_deref(), ui),
        Command::Init(args) => init::run(&args, ui),
        Command::New(args) => new::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Step(args) => step::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Review(args) => review::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Notify(args) => notify::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Report(args) => report::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Access(args) => access::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Codeowners(args) => codeowners::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Intake(args) => intake::run(&repo_root(cli.repo.as_deref())?, &args, ui),
        Command::Lsp(args) => lsp::run(cli.repo.as_deref(), &args),
        Command::Completions { shell } => Ok(generate::completions(shell)),
        Command::Man { out } => generate::man(out.as_deref()),
    }
}

/// The language of the run, chosen once: `--lang`; else Turkish when the repository's
/// defter.toml says `[site] language = "tr"` or the locale is Turkish; else English. It
/// is also made the language errors are displayed in ([`crate::diag::set_terminal`]).
fn language(cli: &Cli) -> Result<Lang> {
    let locale = Lang::from_locale(|name| std::env::var(name).ok());
    // The locale's language first, so an error about defter.toml is already in it.
    crate::diag::set_terminal(locale.unwrap_or_default());
    let lang = match cli.lang {
        Some(LangArg::Tr) => Lang::Tr,
        Some(LangArg::En) => Lang::En,
        None => {
            let written = match &cli.command {
                Command::Init(_) | Command::Completions { .. } | Command::Man { .. } => None,
                _ => match repo_root(cli.repo.as_deref()) {
                    Ok(root) => crate::config::written_language(&root)?,
                    Err(_) => None,
                },
            };
            if written == Some(Lang::Tr) || locale == Some(Lang::Tr) { Lang::Tr } else { Lang::En }
        }
    };
    crate::diag::set_terminal(lang);
    Ok(lang)
}

/// `--repo`, or the nearest folder upwards that holds `defter.toml` or `records/`.
pub fn repo_root(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = given {
        if !dir.is_dir() {
            let shown = dir.display();
            bail!(msg!("--repo {shown}: no such folder", "--repo {shown}: böyle bir klasör yok"));
        }
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir()?;
    for dir in cwd.ancestors() {
        if dir.join(crate::config::FILE).is_file() || dir.join(crate::load::RECORDS_DIR).is_dir() {
            return Ok(dir.to_path_buf());
        }
    }
    let cwd = cwd.display();
    bail!(msg!(
        "no defter repository here: no folder from {cwd} upwards holds defter.toml or records/ (use --repo DIR)",
        "burada defter deposu yok: {cwd} ve üstündeki klasörlerin hiçbirinde defter.toml ya da records/ yok (--repo KLASÖR kullanın)"
    ))
}

/// Ends the life of what a command loaded without freeing it: the process exits right
/// after, and taking a large repository apart one allocation at a time is time the user
/// would wait for (the operating system takes the memory back at once).
pub fn keep_until_exit<T>(loaded: T) {
    std::mem::forget(loaded);
}

/// [`use_color`] for what goes to stderr.
pub fn use_color_on_stderr() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Colour only on a terminal, and never when NO_COLOR is set.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
