//! `defter access`: who had access on a day (or at a commit), as recorded then and as
//! known now ([`crate::access`]), printed as a table, CSV, JSON or Markdown in the run's
//! language. Reads; writes nothing but the audit trail's cache in `.git/defter/`.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Ui;
use crate::access::{self, Answer, Difference, Filter, Seen, When};
use crate::cli::{AccessArgs, ReportFormat, today};
use crate::diag::{Lang, msg};
use crate::git::Git;
use crate::history::cache::audit_trail_cached;
use crate::model::{Kind, Record, date::show_date};
use crate::repo::Repo;
use crate::report::Table;

/// The records `access` reads: grants, the access inventory and the people, not the
/// whole of `records/` (a large repository's requests are most of it).
pub(crate) fn load(root: &Path) -> Vec<Record> {
    let mut paths = Vec::new();
    for folder in access::FOLDERS {
        let start = root.join(folder);
        let visible = |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
        for entry in walkdir::WalkDir::new(&start).sort_by_file_name().into_iter().filter_entry(visible).flatten() {
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(root)
            {
                paths.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    crate::load::load_paths(root, &paths).records
}

pub(super) fn run(root: &Path, args: &AccessArgs, ui: Ui) -> Result<ExitCode> {
    let repo = Repo::open(root)?;
    let git = Git::open(root)?;
    let head = git.resolve("HEAD")?;
    let when = match (&args.at, args.on) {
        (Some(rev), _) => When::At(rev),
        (None, day) => When::On(day.unwrap_or_else(today)),
    };
    // Resolved before anything is read: an unknown revision is told at once.
    if let When::At(rev) = when {
        git.resolve(rev)?;
    }
    let trail = audit_trail_cached(&git, head)
        .context(msg!("cannot read the history from git", "geçmiş git'ten okunamıyor"))?;
    let point = access::point(&git, &trail, head, &when, today())?;
    let records = load(root);
    let filter = Filter { system: args.system.clone(), person: args.person.clone() };
    let answer = access::answer(&git, &trail, &point, &records, &filter)?;
    let names: HashMap<&str, &str> = records
        .iter()
        .filter(|r| r.kind == Kind::Person)
        .filter_map(|r| Some((r.id(), r.fields.str_at("name")?)))
        .collect();
    ui.note(&match ui.lang {
        Lang::Tr => format!(
            "{} günü: depo {} commit'indeki hâliyle, kayıtlar bugünkü hâliyle",
            show_date(answer.on),
            &answer.commit[..8]
        ),
        Lang::En => {
            format!("on {}: the repository as of commit {}, and today's records", answer.on, &answer.commit[..8])
        }
    });
    let out = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&answer)? + "\n",
        ReportFormat::Table => table(&answer, &repo, &names, ui.lang).to_text(),
        ReportFormat::Csv => table(&answer, &repo, &names, ui.lang).to_csv(),
        ReportFormat::Markdown => table(&answer, &repo, &names, ui.lang).to_markdown(),
    };
    print!("{out}");
    super::keep_until_exit((trail, records));
    Ok(ExitCode::SUCCESS)
}

/// A value's Turkish label from the schema: `pointer` leads to the `x-labels` object.
fn schema_label(repo: &Repo, file: &str, pointer: &str, code: &str) -> Option<String> {
    let labels = repo.rules.schemas.get(file)?.pointer(pointer)?;
    labels.get(code)?.as_str().map(str::to_string)
}

/// A row's level (role, account kind, repository level) in Turkish where the schema
/// labels it; a grant's role and a client's permissions are the record's own words.
fn level_label(repo: &Repo, kind: &str, level: &str) -> String {
    let found = match kind {
        "account" => schema_label(repo, "account.schema.json", "/properties/kind/x-labels", level),
        "repository" => {
            schema_label(repo, "repository.schema.json", "/properties/access/items/properties/level/x-labels", level)
        }
        _ => None,
    };
    found.unwrap_or_else(|| level.to_string())
}

/// A kind's name for people.
fn kind_label(kind: &str, lang: Lang) -> String {
    let tr = match kind {
        "grant" => "Yetki",
        "account" => "Hesap",
        "repository" => "Depo",
        "webservice_client" => "Web servis istemcisi",
        other => other,
    };
    lang.pick(&kind.replace('_', " "), tr).to_string()
}

/// The answer as rows: people by their names, states by their labels (in Turkish), dates
/// as the language writes them.
pub(crate) fn table(answer: &Answer, repo: &Repo, names: &HashMap<&str, &str>, lang: Lang) -> Table {
    let headers: &[&str] = match lang {
        Lang::En => &["kind", "record", "system", "holder", "level", "then", "now", "approved by", "commit", "note"],
        Lang::Tr => &[
            "tür",
            "kayıt",
            "sistem",
            "sahip",
            "düzey",
            "o gün kayıtlı",
            "bugün bilinen",
            "onaylayan",
            "commit",
            "not",
        ],
    };
    let name = |id: &str| names.get(id).map_or_else(|| id.to_string(), |n| (*n).to_string());
    let date = |d: jiff::civil::Date| if lang == Lang::Tr { show_date(d) } else { d.to_string() };
    let mut table = Table::new(headers);
    for row in &answer.rows {
        let kind = Kind::from_name(row.kind).unwrap_or(Kind::Grant);
        let state = |seen: Option<&Seen>| match seen {
            None => "—".to_string(),
            Some(s) if lang == Lang::Tr => crate::step::state_label(&repo.rules, kind, &s.state)
                .or_else(|| schema_label(repo, "common.schema.json", "/$defs/inventory_status/x-labels", &s.state))
                .unwrap_or_else(|| s.state.clone()),
            Some(s) => s.state.replace('_', " "),
        };
        let seen = row.now.as_ref().or(row.then.as_ref());
        let approver = seen.and_then(|s| s.approved_by.as_deref()).map_or_else(|| "—".to_string(), name);
        let commit = seen.and_then(|s| s.established_by.as_ref()).map_or_else(|| "—".into(), |c| c.commit.clone());
        let note = match row.difference {
            None => String::new(),
            Some(Difference::RecordedLater) => {
                let by = row.now.as_ref().and_then(|s| s.established_by.as_ref());
                let when =
                    by.map(|c| date(c.date)).unwrap_or_else(|| lang.pick("not committed", "commit edilmemiş").into());
                match lang {
                    Lang::En => format!("recorded later, back-dated: not in the repository that day (entered {when})"),
                    Lang::Tr => {
                        format!("sonradan geriye tarihli kaydedilmiş: o gün depoda yoktu ({when} tarihinde girildi)")
                    }
                }
            }
            Some(Difference::EndedEarlier) => lang
                .pick(
                    "today's records say it was not in force that day (an end recorded late)",
                    "bugünkü kayda göre o gün yürürlükte değildi (sona ermesi geç kaydedilmiş)",
                )
                .to_string(),
            Some(Difference::StateDiffers) => match lang {
                Lang::En => {
                    format!("state differs: {} then, {} now", state(row.then.as_ref()), state(row.now.as_ref()))
                }
                Lang::Tr => format!(
                    "durum farklı: o gün {}, bugünkü kayda göre {}",
                    state(row.then.as_ref()),
                    state(row.now.as_ref())
                ),
            },
        };
        let holder = if row.kind == "webservice_client" { row.holder.clone() } else { name(&row.holder) };
        table.row(vec![
            kind_label(row.kind, lang),
            row.record.clone(),
            row.system.clone(),
            holder,
            if lang == Lang::Tr { level_label(repo, row.kind, &row.level) } else { row.level.clone() },
            state(row.then.as_ref()),
            state(row.now.as_ref()),
            approver,
            commit,
            note,
        ]);
    }
    table
}
