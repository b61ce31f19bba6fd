//! The command line, declared with clap's derive API.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// An IT directorate's work as plain text in git: requests, projects, permission
/// grants and inventory, checked against the directive.
#[derive(Debug, Parser)]
#[command(name = "defter", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The records repository (default: the nearest folder upwards holding `defter.toml`
    /// or `records/`).
    #[arg(long, global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "Examples:
  defter validate                          check every record, as of today
  defter validate --as-of 2026-11-30       reproducible: the time rules use that date
  defter validate --format github          annotations for a pull request
  defter validate --base origin/main       also check the changes since main
  defter log TLP-2026-0042                 a record's story from git
  defter explain separation-of-duties      what a rule checks, and why";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every record against the schemas and the directive's workflow rules.
    #[command(after_help = "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 defter could not run.")]
    Validate(ValidateArgs),
    /// Show a record's history from git: who changed what, when, in which commit.
    Log(LogArgs),
    /// Explain a rule: what it checks and the article of the directive it enforces.
    Explain {
        /// The rule id (omit to list every rule).
        rule: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The date the time rules use (expiry, reviews, deadlines), as YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", default_value_t = today())]
    pub as_of: jiff::civil::Date,

    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also compare with this revision (branch, tag or commit; in CI the pull request's
    /// merge base): state changes, immutable fields, deleted records, rewritten history,
    /// commit authors, and the rules in force at the base.
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,

    /// Check this revision instead of the working tree (with --base).
    #[arg(long, value_name = "REV", requires = "base")]
    pub head: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The record's id (`TLP-2026-0042`, `ayse.yilmaz`, `PRJ-0003`…).
    pub id: String,

    /// Read the history up to this revision.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style, with the source line and a caret.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub / Gitea Actions workflow commands (inline pull-request annotations).
    Github,
}

/// Today in the machine's time zone.
pub fn today() -> jiff::civil::Date {
    jiff::Zoned::now().date()
}
