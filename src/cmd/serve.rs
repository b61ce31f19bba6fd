//! `defter serve`: build into a temporary folder, serve it on localhost, rebuild and
//! reload the open pages when records, schemas, templates or defter.toml change (the
//! rebuilds are [`super::warm`]'s).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use super::Ui;
use crate::cli::ServeArgs;
use crate::diag::human;
use crate::site::{Settings, Warm};

pub(super) fn run(root: &Path, args: &ServeArgs, ui: Ui) -> Result<ExitCode> {
    let out = std::env::temp_dir().join(format!("defter-serve-{}", std::process::id()));
    let settings = Settings { as_of: args.as_of, base_url: None, live_reload: true, public: false };
    let (mut warm, said) = Warm::start(root, &out, settings)?;
    eprint!("{}", findings(&warm, ui));
    eprintln!("{said}");
    let result = crate::site::serve::run(
        root,
        out.clone(),
        args.port,
        // After each rebuild, the findings as `validate` prints them, then what was done.
        move |changed| Ok(warm.rebuild(changed)?.map(|said| format!("{}{said}", findings(&warm, ui)))),
        |said| eprintln!("{said}"),
    );
    let _ = std::fs::remove_dir_all(&out);
    result.map(|()| ExitCode::SUCCESS)
}

/// The findings of the last build as `validate` prints them (nothing when it failed).
fn findings(warm: &Warm, ui: Ui) -> String {
    let Some(made) = warm.made() else { return String::new() };
    human::render(&made.report, made.redacted.records(), super::use_color_on_stderr(), ui.lang)
}
