//! `defter new <kind> [--field value …]`: a record from its kind's template with the next
//! free id, today's date and the author git says, in the right folder. It is checked
//! with the rest of the repository before it is written: a record `new` writes passes
//! `validate`. Never overwrites.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};

use super::Ui;
use crate::cli::{
    NewArgs, NewCommon, NewGrant, NewItem, NewKind, NewPerson, NewProject, NewRequest, NewSection, NewUnit,
};
use crate::diag::{self, Report, Severity};
use crate::git::Git;
use crate::load::{self, Loaded, RawFile, Records};
use crate::model::Index;
use crate::model::Record;
use crate::model::{Kind, Node};
use crate::repo::Repo;
use crate::scaffold::{self, Draft, Values, yaml_scalar};

pub(super) fn run(root: &Path, args: &NewArgs, ui: Ui) -> Result<ExitCode> {
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let (kind, common) = args.kind.parts();
    let (id, path, text) = {
        let index = Index::new(&loaded.records);
        let author = author(root, &loaded.records, &index, common)?;
        match &args.kind {
            NewKind::Request(_) | NewKind::Grant(_) | NewKind::Project(_) => {
                let id = scaffold::next_id(&loaded, kind, common.as_of.year()).expect("numbered kinds have ids");
                let path = scaffold::record_path(kind, &id).expect("numbered kinds have a folder");
                let mut values = match &args.kind {
                    NewKind::Request(a) => request(a, &index, author)?,
                    NewKind::Grant(a) => grant(a, &index)?,
                    NewKind::Project(a) => project(a, &index, author)?,
                    _ => unreachable!("matched above"),
                };
                values.insert("id", Some(id.clone()));
                values.insert("date", Some(common.as_of.to_string()));
                values.insert("author", Some(author.id().to_string()));
                let template = scaffold::template(kind).expect("numbered kinds have a template");
                let text = scaffold::with_fields(&scaffold::fill(template, &values), template, &common.set)?;
                (id, path, text)
            }
            other => {
                let draft = match other {
                    NewKind::Section(a) => section(a, &loaded.records, &index)?,
                    NewKind::Unit(a) => unit(a),
                    NewKind::Person(a) => person(a),
                    _ => item(other, author, common),
                };
                draft.finish(&loaded, &index, &repo.rules, &common.set)?
            }
        }
    };
    let errors = check(&mut loaded, &path, &text, &repo, common)?;
    if errors.errors() > 0 {
        print!("{}", diag::render_human(&errors, &loaded, super::use_color()));
        eprintln!("error: the new {kind} would not be valid, so nothing was written; fix the flags above");
        return Ok(ExitCode::from(1));
    }
    write_new(&root.join(&path), &text)?;
    println!("{path}");
    if matches!(kind, Kind::Request | Kind::Grant | Kind::Project) {
        ui.note(&format!(
            "note: if another branch also creates {id}, `defter validate` reports duplicate-id once both are merged;\n      \
             renumber the one merged last: rename its file to the next free id and change its `id:` to match"
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The person creating the record: `--by`, else the one whose `git_emails` hold git's
/// user.email.
fn author<'a>(root: &Path, records: &'a [Record], index: &Index<'a>, common: &NewCommon) -> Result<&'a Record> {
    if let Some(by) = &common.by {
        return index.person(by).ok_or_else(|| anyhow!("--by {by}: no person record has that id"));
    }
    let git = Git::open(root).context("the author is read from git's user.email; outside git, pass --by PERSON")?;
    let email = git.user_email().ok_or_else(|| {
        anyhow!("git has no user.email: set it (`git config user.email you@…`, the address in your `git_emails`) or pass --by PERSON")
    })?;
    let is_yours = |p: &&Record| {
        p.kind == Kind::Person
            && p.fields.path("git_emails[]").iter().filter_map(|n| n.as_str()).any(|e| e.eq_ignore_ascii_case(&email))
    };
    let person = records.iter().find(is_yours).ok_or_else(|| {
        anyhow!(
            "no person has your git e-mail `{email}` in `git_emails`: add it to your record in records/org/people/ \
             (or pass --by PERSON)"
        )
    })?;
    if person.fields.get("active").and_then(Node::as_bool) == Some(false) {
        bail!("`{}` (git e-mail `{email}`) has left (`active: false`) and cannot create records", person.id());
    }
    Ok(person)
}

fn scalar(value: &Option<String>) -> Option<String> {
    value.as_deref().map(yaml_scalar)
}

/// A unit given on the command line must exist (its defaults are read from it).
fn known_unit<'a>(index: &Index<'a>, flag: &str, unit: &str) -> Result<&'a Record> {
    index.unit(unit).ok_or_else(|| anyhow!("--{flag} {unit}: no unit has that id (see records/org/units/)"))
}

/// `--service`, else the author's own service, else the analysis service.
fn service(index: &Index, given: &Option<String>, author: &Record, records: &[&Record]) -> Result<String> {
    if let Some(service) = given {
        return Ok(service.clone());
    }
    let own =
        author.fields.str_at("unit").and_then(|u| index.unit(u)).filter(|u| u.fields.str_at("type") == Some("service"));
    let analysis = || records.iter().copied().find(|u| u.fields.str_at("function") == Some("analysis"));
    own.or_else(analysis)
        .map(|u| u.id().to_string())
        .ok_or_else(|| anyhow!("--service is needed: you are not in a service and there is no analysis service"))
}

fn services<'a>(index: &Index<'a>) -> Vec<&'a Record> {
    let mut units: Vec<&Record> = index.units().filter(|u| u.fields.str_at("type") == Some("service")).collect();
    units.sort_by(|a, b| a.id().cmp(b.id()));
    units
}

/// The requester a unit implies: its head, else its only active unit official.
fn requester(index: &Index, unit: &Record) -> Result<String> {
    if let Some(head) = unit.fields.str_at("head") {
        return Ok(head.to_string());
    }
    let officials: Vec<&Record> = index
        .people()
        .filter(|p| p.fields.str_at("unit") == Some(unit.id()))
        .filter(|p| p.fields.path("roles[]").iter().any(|r| r.as_str() == Some("unit_official")))
        .filter(|p| p.fields.get("active").and_then(Node::as_bool) != Some(false))
        .collect();
    match officials.as_slice() {
        [one] => Ok(one.id().to_string()),
        _ => bail!("--requester is needed: `{}` has no head and not exactly one unit official", unit.id()),
    }
}

fn request(a: &NewRequest, index: &Index, author: &Record) -> Result<Values> {
    let unit_id = a.unit.as_deref().unwrap_or_default();
    let unit = known_unit(index, "unit", unit_id)?;
    let requester = match &a.requester {
        Some(r) => r.clone(),
        None => requester(index, unit)?,
    };
    if a.source == "official_letter" && (a.letter_number.is_none() || a.letter_date.is_none()) {
        bail!(
            "--source official_letter needs --letter-number and --letter-date (the letter's number and date, M9(1)(a))"
        );
    }
    let note = a.note.clone().unwrap_or_else(|| "Talep kaydedildi".to_string());
    let description = a.description.clone().unwrap_or_else(|| format!("{}\n", a.title.as_deref().unwrap_or_default()));
    Ok(Values::from([
        ("title", scalar(&a.title)),
        ("type", scalar(&a.kind)),
        ("source", Some(yaml_scalar(&a.source))),
        ("letter_number", a.letter_number.as_deref().map(|n| serde_json::to_string(n).expect("a string"))),
        ("letter_date", scalar(&a.letter_date)),
        ("unit", Some(yaml_scalar(unit_id))),
        ("requester", Some(yaml_scalar(&requester))),
        ("priority", Some(yaml_scalar(&a.priority))),
        ("service", Some(yaml_scalar(&service(index, &a.service, author, &services(index))?))),
        ("due", scalar(&a.due)),
        ("system", scalar(&a.system)),
        ("project", scalar(&a.project)),
        ("note", Some(yaml_scalar(&note))),
        ("description", Some(description)),
    ]))
}

fn grant(a: &NewGrant, index: &Index) -> Result<Values> {
    let grantee = a.grantee.clone().unwrap_or_default();
    if !index.knows_person(&grantee) {
        bail!("--grantee {grantee}: no person record has that id (see records/org/people/)");
    }
    let note = a.note.clone().unwrap_or_else(|| "Yetki talebi kaydedildi".to_string());
    Ok(Values::from([
        ("grantee", Some(yaml_scalar(&grantee))),
        ("system", scalar(&a.system)),
        ("role", scalar(&a.role)),
        ("scope", scalar(&a.scope)),
        ("source", Some(yaml_scalar(&a.source))),
        ("requested_by", Some(yaml_scalar(a.requested_by.as_deref().unwrap_or(&grantee)))),
        ("valid_until", scalar(&a.valid_until)),
        ("note", Some(yaml_scalar(&note))),
    ]))
}

fn project(a: &NewProject, index: &Index, author: &Record) -> Result<Values> {
    let owner = a.owner_unit.as_deref().unwrap_or_default();
    known_unit(index, "owner-unit", owner)?;
    let description = a.description.clone().unwrap_or_else(|| format!("{}\n", a.title.as_deref().unwrap_or_default()));
    Ok(Values::from([
        ("title", scalar(&a.title)),
        ("kind", scalar(&a.kind)),
        ("owner_unit", Some(yaml_scalar(owner))),
        ("service", Some(yaml_scalar(&service(index, &a.service, author, &services(index))?))),
        ("analyst", scalar(&a.analyst)),
        ("target_date", scalar(&a.target_date)),
        ("note", Some(yaml_scalar("Proje önerildi"))),
        ("description", Some(description)),
    ]))
}

fn section(a: &NewSection, records: &[Record], index: &Index) -> Result<Draft> {
    let project = a.project.clone().unwrap_or_default();
    if index.get(&project).is_none_or(|p| p.kind != Kind::Project) {
        bail!("--project {project}: no project has that id (see records/projects/)");
    }
    let title = a.title.clone().unwrap_or_default();
    let prefix = format!("{project}/");
    let order = records
        .iter()
        .filter(|r| r.kind == Kind::ProjectSection && r.path_id.starts_with(&prefix))
        .filter_map(|r| r.fields.get("order").and_then(Node::as_i64))
        .max()
        .unwrap_or(0);
    let mut draft = Draft::new(Kind::ProjectSection, a.id.clone(), &title);
    draft.project = Some(project);
    draft.flag("title", Some(yaml_scalar(&title)));
    draft.flag("section", scalar(&a.section));
    draft.default("order", order.saturating_add(1).to_string());
    draft.body = Some(a.description.clone().unwrap_or_default());
    Ok(draft)
}

fn unit(a: &NewUnit) -> Draft {
    let name = a.name.clone().unwrap_or_default();
    let mut draft = Draft::new(Kind::Unit, a.id.clone(), &name);
    draft.flag("name", Some(yaml_scalar(&name)));
    draft.flag("type", scalar(&a.kind));
    draft.flag("parent", scalar(&a.parent));
    draft.flag("head", scalar(&a.head));
    draft
}

fn person(a: &NewPerson) -> Draft {
    let name = a.name.clone().unwrap_or_default();
    let email = a.email.clone().unwrap_or_default();
    let list = |items: &[String]| format!("[{}]", items.iter().map(|i| yaml_scalar(i)).collect::<Vec<_>>().join(", "));
    let git_emails = if a.git_emails.is_empty() { std::slice::from_ref(&email) } else { a.git_emails.as_slice() };
    let mut draft = Draft::new(Kind::Person, a.id.clone(), &name);
    draft.flag("name", Some(yaml_scalar(&name)));
    draft.flag("title", scalar(&a.title));
    draft.flag("unit", scalar(&a.unit));
    draft.flag_as("roles", "--role", Some(list(&a.roles)));
    draft.flag("email", Some(yaml_scalar(&email)));
    draft.flag_as("git_emails", "--git-email", Some(list(git_emails)));
    draft.default("active", "true".to_string());
    draft
}

/// An inventory item: its owner defaults to the author's unit, and a review date (for
/// the types that keep one) to the day it is recorded.
fn item(kind: &NewKind, author: &Record, common: &NewCommon) -> Draft {
    let (kind, a): (Kind, &NewItem) = match kind {
        NewKind::Application(a)
        | NewKind::Server(a)
        | NewKind::Website(a)
        | NewKind::Domain(a)
        | NewKind::Certificate(a)
        | NewKind::Repository(a)
        | NewKind::Account(a)
        | NewKind::WebserviceClient(a)
        | NewKind::Asset(a)
        | NewKind::ContinuityPlan(a) => (kind.parts().0, a),
        _ => unreachable!("only inventory kinds reach here"),
    };
    let name = a.name.clone().unwrap_or_default();
    let mut draft = Draft::new(kind, a.id.clone(), &name);
    draft.flag("name", Some(yaml_scalar(&name)));
    draft.flag("owner", a.owner.as_deref().map(yaml_scalar));
    if a.owner.is_none()
        && let Some(unit) = author.fields.str_at("unit")
    {
        draft.default("owner", yaml_scalar(unit));
    }
    draft.flag("status", Some(yaml_scalar(&a.status)));
    draft.flag("classification", Some(yaml_scalar(&a.classification)));
    if matches!(kind, Kind::Account | Kind::Repository | Kind::WebserviceClient) {
        draft.default("last_review", common.as_of.to_string());
    }
    draft
}

/// Loads the new record with the others and returns its findings (severities as
/// configured); the record is added to `loaded`, for quoting.
fn check(loaded: &mut Records, path: &str, text: &str, repo: &Repo, common: &NewCommon) -> Result<Report> {
    match load::load_file(RawFile { path: path.to_string(), bytes: text.as_bytes().to_vec() }) {
        Loaded::Record(record, source) => {
            loaded.sources.insert(path.to_string(), source);
            loaded.records.push(record);
        }
        Loaded::Problem(d, source) => {
            if let Some(source) = source {
                loaded.sources.insert(path.to_string(), source);
            }
            loaded.problems.push(d);
        }
    }
    let report = repo.check(loaded, common.as_of, &load::Silent)?.report;
    let diagnostics = report.diagnostics.into_iter().filter(|d| d.path == path && d.severity == Severity::Error);
    Ok(Report { diagnostics: diagnostics.collect(), records: 1 })
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {} (it exists: new never overwrites)", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))
}
