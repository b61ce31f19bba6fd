//! `defter serve`: build into a temporary folder, serve it on localhost, rebuild and
//! reload the open pages when records, schemas, templates or defter.toml change (the
//! rebuilds are [`super::warm`]'s).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use std::sync::{Arc, Mutex, PoisonError};

use super::Ui;
use crate::cli::ServeArgs;
use crate::diag::{Lang, human, msg};
use crate::site::serve::Reach;
use crate::site::{Settings, Warm};

pub(super) fn run(root: &Path, args: &ServeArgs, ui: Ui) -> Result<ExitCode> {
    let out = std::env::temp_dir().join(format!("defter-serve-{}", std::process::id()));
    let past = args.at.as_deref().map(|at| super::build::past(root, at, ui)).transpose()?;
    let (root, as_of) = match &past {
        Some(p) => (p.root.as_path(), args.as_of.unwrap_or(p.day)),
        None => (root, args.as_of.unwrap_or_else(crate::cli::today)),
    };
    let settings = Settings { as_of, base_url: None, live_reload: true, public: false };
    let (mut warm, said) = Warm::start(root, &out, settings)?;
    eprint!("{}", findings(&warm, ui));
    eprintln!("{said}");
    let banner = Arc::new(Mutex::new(banner_text(&warm)));
    let shown = Arc::clone(&banner);
    let result = crate::site::serve::run(
        root,
        out.clone(),
        args.port,
        banner,
        // After each rebuild, the findings as `validate` prints them, then what was done;
        // the pages' banner follows, and every open page reloads when it changes.
        move |changed, early| {
            let rebuilt = warm.rebuild(changed, early)?;
            let now = banner_text(&warm);
            let moved =
                std::mem::replace(&mut *shown.lock().unwrap_or_else(PoisonError::into_inner), now.clone()) != now;
            Ok(rebuilt.map(|(said, reach)| {
                (format!("{}{said}", findings(&warm, ui)), if moved { Reach::All } else { reach })
            }))
        },
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

/// The preview's banner, in the site's language: how many errors the records have
/// (empty when none, or when the last build failed and the previous site is served).
fn banner_text(warm: &Warm) -> String {
    let Some(made) = warm.made() else { return String::new() };
    let n = made.report.errors();
    if n == 0 {
        return String::new();
    }
    let lang = Lang::parse(&made.config.site.language).unwrap_or(Lang::Tr);
    let errors = if n == 1 { "error" } else { "errors" };
    msg!(
        "Preview: the records have {n} {errors}; they would fail the pull-request check (Findings page)",
        "Önizleme: kayıtlarda {n} hata var; birleştirme denetiminden geçmez (Bulgular sayfası)"
    )
    .get(lang)
    .to_string()
}
