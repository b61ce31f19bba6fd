//! `defter build`: validate, read the history, render the site, write it atomically.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ui;
use crate::cli::BuildArgs;
use crate::site::{self, Settings, build};

pub(super) fn run(root: &Path, args: &BuildArgs, ui: Ui) -> Result<ExitCode> {
    let out = if args.out.is_absolute() { args.out.clone() } else { std::env::current_dir()?.join(&args.out) };
    site::check_out_dir(&out, root)?;
    let bar = ui.progress();
    let settings =
        Settings { as_of: args.as_of, base_url: args.base_url.clone(), live_reload: false, public: args.public };
    let (built, made) = build(root, &out, &settings, &bar)?;
    bar.finish();
    let summary = made.report.summary_line();
    super::keep_until_exit(made);
    if let Some(why) = &built.full {
        ui.info(&format!("full build: {why}"));
    }
    // A rebuild renders only what changed and writes only the files whose bytes did.
    eprintln!(
        "{} files in {} ({} rendered, {} written; {summary})",
        built.files,
        out.display(),
        built.rendered,
        built.written,
    );
    Ok(ExitCode::SUCCESS)
}
