//! `defter init [DIR]`: a new records repository from the embedded starter, the default
//! schemas (and, with `--templates`, the site's templates), and a CODEOWNERS made from
//! the starter organisation. Refuses to overwrite anything.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::Ui;
use crate::cli::InitArgs;
use crate::load::{self, RawFile, rules};
use crate::validate::codeowners;

/// How many of the files in the way an error names.
const SHOWN: usize = 10;

/// Every file `init` writes, as (path relative to the new repository, text).
fn files(args: &InitArgs) -> Vec<(String, String)> {
    let mut files = crate::scaffold::starter(args.as_of);
    for (name, text) in rules::DEFAULTS {
        files.push((format!("{}/{name}", rules::SCHEMAS_DIR), (*text).to_string()));
    }
    if args.templates {
        for (name, text) in crate::site::templates::DEFAULTS {
            files.push((format!("{}/{name}", crate::site::templates::DIR), (*text).to_string()));
        }
    }
    let raw = files
        .iter()
        .filter(|(path, _)| path.starts_with("records/"))
        .map(|(path, text)| RawFile { path: path.clone(), bytes: text.clone().into_bytes() })
        .collect();
    files.push(("CODEOWNERS".to_string(), codeowners::render(&load::load_files(raw).records)));
    files.sort();
    files
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))
}

pub(super) fn run(args: &InitArgs, ui: Ui) -> Result<ExitCode> {
    let dir = &args.dir;
    let files = files(args);
    let existing: Vec<&str> =
        files.iter().map(|(path, _)| path.as_str()).filter(|path| dir.join(path).symlink_metadata().is_ok()).collect();
    if !existing.is_empty() {
        let more = existing.len().saturating_sub(SHOWN);
        let names = existing.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
        bail!(
            "{} already has {} of the files defter init writes, so nothing was written: {names}{}",
            dir.display(),
            existing.len(),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        );
    }
    for (path, text) in &files {
        write_new(&dir.join(path), text)?;
    }
    println!("{}: {} files", dir.display(), files.len());
    ui.note(&format!(
        "next:\n  cd {} && git init && git add -A && git commit -m \"Kayıt deposu\"\n  defter validate\n\
         then make yourself known: put your git e-mail into `git_emails` of your record in records/org/people/\n\
         (docs/guide.en.md, docs/guide.tr.md)",
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
