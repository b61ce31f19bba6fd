//! `defter build`: validate, read the history, render the site, write it atomically.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ui;
use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Severity, human, msg};
use crate::site::{self, Settings, build};

pub(super) fn run(root: &Path, args: &BuildArgs, ui: Ui) -> Result<ExitCode> {
    let out = if args.out.is_absolute() { args.out.clone() } else { std::env::current_dir()?.join(&args.out) };
    site::check_out_dir(&out, root)?;
    let bar = ui.progress();
    let settings =
        Settings { as_of: args.as_of, base_url: args.base_url.clone(), live_reload: false, public: args.public };
    let (built, made) = build(root, &out, &settings, &bar)?;
    bar.finish();
    // The errors the site shows are printed too, where the user looks; warnings are
    // counted (`defter validate` lists them).
    let errors = |d: &Diagnostic| d.severity == Severity::Error;
    let report = &made.report;
    if report.errors() > 0 && !ui.quiet {
        let text = human::render_some(report, made.redacted.records(), super::use_color_on_stderr(), ui.lang, errors);
        eprint!("{}", text.strip_suffix(&format!("{}\n", report.summary_in(ui.lang))).unwrap_or(&text));
    }
    let summary = report.summary_in(ui.lang);
    super::keep_until_exit(made);
    if let Some(why) = &built.full {
        ui.info(&format!("{} {why}", ui.t("full build:", "tam derleme:")));
    }
    // A rebuild renders only what changed and writes only the files whose bytes did.
    let (files, rendered, written, out) = (built.files, built.rendered, built.written, out.display());
    let said = msg!(
        "{files} files in {out} ({rendered} rendered, {written} written; {summary})",
        "{out} içinde {files} dosya ({rendered} oluşturuldu, {written} yazıldı; {summary})"
    );
    eprintln!("{}", ui.say(&said));
    Ok(ExitCode::SUCCESS)
}
