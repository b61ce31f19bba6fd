//! `defter init [DIR]`: a new records repository from the embedded starter, the default
//! schemas (and, with `--templates`, the site's templates), and a CODEOWNERS made from
//! the starter organisation. Refuses to overwrite anything.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::Ui;
use crate::cli::InitArgs;
use crate::diag::msg;
use crate::intake::{self, Forge};
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
    let records = load::load_files(raw).records;
    files.push(("CODEOWNERS".to_string(), codeowners::render(&records)));
    // The request form, its units and types from the starter's organisation and schema.
    let index = crate::model::Index::new(&records);
    let schema = rules::DEFAULTS.iter().find(|(name, _)| *name == "request.schema.json").map_or("", |(_, t)| *t);
    let types = intake::request_types_in(schema);
    for (path, forge) in
        [(".github/ISSUE_TEMPLATE/talep.yml", Forge::GitHub), (".gitea/ISSUE_TEMPLATE/talep.yaml", Forge::Gitea)]
    {
        files.push((path.to_string(), intake::form_template(forge, &index, &types)));
    }
    files.sort();
    files
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        let shown = parent.display();
        std::fs::create_dir_all(parent).with_context(|| msg!("cannot create {shown}", "{shown} oluşturulamıyor"))?;
    }
    let shown = path.display();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| msg!("cannot create {shown}", "{shown} oluşturulamıyor"))?;
    file.write_all(text.as_bytes()).with_context(|| msg!("cannot write {shown}", "{shown} yazılamıyor"))
}

pub(super) fn run(args: &InitArgs, ui: Ui) -> Result<ExitCode> {
    let here = Path::new(".");
    let dir = args.dir.as_deref().unwrap_or(here);
    if args.dir.is_none() {
        // No folder named: the current one, which must be empty, so that a mistyped
        // command does not scatter a repository through a folder of other things.
        let mut others: Vec<String> = std::fs::read_dir(here)
            .with_context(|| msg!("cannot read the current folder", "bulunulan klasör okunamıyor"))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        if !others.is_empty() {
            others.sort();
            let more = others.len().saturating_sub(SHOWN);
            let names = others.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
            let (more_en, more_tr) = match more {
                0 => Default::default(),
                more => (format!(" and {more} more"), format!(" ve {more} tane daha")),
            };
            bail!(msg!(
                "the current folder is not empty (it holds {names}{more_en}), so nothing was written; \
                 name a new folder (`defter init kayitlar`) or run it in an empty one",
                "bulunulan klasör boş değil (içinde {names}{more_tr} var), bu yüzden hiçbir şey yazılmadı; \
                 yeni bir klasör adı verin (`defter init kayitlar`) ya da boş bir klasörde çalıştırın"
            ));
        }
    }
    let files = files(args);
    let existing: Vec<&str> =
        files.iter().map(|(path, _)| path.as_str()).filter(|path| dir.join(path).symlink_metadata().is_ok()).collect();
    if !existing.is_empty() {
        let more = existing.len().saturating_sub(SHOWN);
        let names = existing.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
        let (shown, n) = (dir.display(), existing.len());
        let (more_en, more_tr) = match more {
            0 => Default::default(),
            more => (format!(" and {more} more"), format!(" ve {more} tane daha")),
        };
        bail!(msg!(
            "{shown} already has {n} of the files defter init writes, so nothing was written: {names}{more_en}",
            "{shown} içinde defter init'in yazdığı dosyalardan {n} tanesi zaten var, bu yüzden hiçbir şey yazılmadı: {names}{more_tr}"
        ));
    }
    for (path, text) in &files {
        write_new(&dir.join(path), text)?;
    }
    // A records repository lives in git: a folder outside one becomes one, on `main`.
    let made_git = !crate::git::in_repository(dir);
    if made_git {
        crate::git::init_main(dir)?;
    }
    let (shown, n) = (dir.display(), files.len());
    println!("{}", ui.say(&msg!("{shown}: {n} files", "{shown}: {n} dosya")));
    if made_git {
        ui.note(ui.say(&msg!(
            "{shown} is a new git repository (branch `main`)",
            "{shown} yeni bir git deposu (dal: `main`)"
        )));
    }
    let cd = if args.dir.is_some() { format!("cd {shown} && ") } else { String::new() };
    ui.note(ui.say(&msg!(
        "next:\n  {cd}git add -A && git commit -m \"Kayıt deposu\"\n  defter validate\n\
         then make yourself known: put your git e-mail into `git_emails` of your record in records/org/people/\n\
         (docs/guide.en.md, docs/guide.tr.md)",
        "sonra:\n  {cd}git add -A && git commit -m \"Kayıt deposu\"\n  defter validate\n\
         ardından kendinizi tanıtın: git e-posta adresinizi records/org/people/ altındaki kaydınızın `git_emails` alanına yazın\n\
         (docs/guide.tr.md, docs/guide.en.md)"
    )));
    Ok(ExitCode::SUCCESS)
}
