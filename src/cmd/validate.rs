//! `defter validate`: load the repository (the working tree, or a commit), run every
//! check — against a base revision too when asked — and print the findings.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ui;
use crate::cli::{Format, ValidateArgs};
use crate::diag;
use crate::repo::Repo;

pub(super) fn run(root: &Path, args: &ValidateArgs, ui: Ui) -> Result<ExitCode> {
    let (report, records) = match &args.base {
        None => {
            let bar = ui.progress();
            let (_, records, checked) = Repo::open_checked(root, args.as_of, &bar, crate::load::Texts::Later)?;
            bar.finish();
            (checked.findings, records)
        }
        Some(base) => Repo::check_change(root, base, args.head.as_deref(), args.as_of, &|said| ui.info(said))?,
    };
    let text = match args.format {
        Format::Human => diag::render_human(&report, &records, super::use_color(), ui.lang),
        Format::Json => diag::render_json(&report),
        Format::Github => diag::render_github(&report, ui.lang),
    };
    print!("{text}");
    let code = if report.errors() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS };
    super::keep_until_exit((report, records));
    Ok(code)
}
