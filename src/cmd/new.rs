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
    NewArgs, NewCommon, NewGrant, NewItem, NewKind, NewPerson, NewProject, NewRegister, NewRequest, NewSection, NewUnit,
};
use crate::diag::msg;
use crate::diag::{self};
use crate::load::{self};
use crate::model::Index;
use crate::model::Record;
use crate::model::{Kind, Node};
use crate::repo::Repo;
use crate::scaffold::{self, Draft, Values, requester, service, services, yaml_scalar};

pub(super) fn run(root: &Path, args: &NewArgs, ui: Ui) -> Result<ExitCode> {
    let repo = Repo::open(root)?;
    let mut loaded = load::load_dir(root)?;
    let (kind, common) = args.kind.parts();
    let (id, path, text) = {
        let index = Index::new(&loaded.records);
        let author = scaffold::author(root, &index, common.by.as_deref()).map_err(|m| anyhow!(m))?;
        match &args.kind {
            NewKind::Request(_) | NewKind::Grant(_) | NewKind::Project(_) => {
                let id = scaffold::next_id(&loaded, kind, common.as_of.year()).expect("numbered kinds have ids");
                let path = scaffold::record_path(kind, &id).expect("numbered kinds have a folder");
                let values = match &args.kind {
                    NewKind::Request(a) => request(&labelled(a, &repo), &index, author)?,
                    NewKind::Grant(a) => grant(a, &index)?,
                    NewKind::Project(a) => project(a, &index, author)?,
                    _ => unreachable!("matched above"),
                };
                let text = numbered_text(kind, &id, values, common, author)?;
                (id, path, text)
            }
            other => {
                let draft = match other {
                    NewKind::Section(a) => section(a, &loaded.records, &index)?,
                    NewKind::Unit(a) => unit(a),
                    NewKind::Person(a) => person(a),
                    NewKind::Incident(a)
                    | NewKind::Vulnerability(a)
                    | NewKind::Audit(a)
                    | NewKind::Training(a)
                    | NewKind::Procurement(a)
                    | NewKind::Maintenance(a)
                    | NewKind::Decision(a)
                    | NewKind::BgysDocument(a) => register(kind, a, &loaded, &repo, author, common)?,
                    _ => item(other, author, common),
                };
                draft.finish(&loaded, &index, &repo.rules, &common.set)?
            }
        }
    };
    let errors = repo.check_added(&mut loaded, &path, &text, common.as_of)?;
    if errors.errors() > 0 {
        print!("{}", diag::render_human(&errors, &loaded, super::use_color(), ui.lang));
        let said = msg!(
            "error: the new {kind} would not be valid, so nothing was written; fix the flags above",
            "hata: yeni {kind} kaydı geçerli olmayacaktı, bu yüzden hiçbir şey yazılmadı; yukarıdaki bayrakları düzeltin"
        );
        eprintln!("{}", ui.say(&said));
        return Ok(ExitCode::from(1));
    }
    write_new(&root.join(&path), &text)?;
    println!("{path}");
    if matches!(kind, Kind::Request | Kind::Grant | Kind::Project) {
        ui.note(ui.say(&msg!(
            "note: if another branch also creates {id}, `defter validate` reports duplicate-id once both are merged;\n      \
             renumber the one merged last: rename its file to the next free id and change its `id:` to match",
            "not: başka bir dal da {id} kaydını oluşturursa, ikisi de birleştirilince `defter validate` duplicate-id bildirir;\n     \
             son birleştirileni yeniden numaralayın: dosyasını sıradaki boş kimlikle adlandırıp `id:` alanını ona göre değiştirin"
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// The text of a new numbered record (request, grant, project) with `id`: its kind's
/// template filled with `values`, the day and the author, and `--set`'s fields.
pub(super) fn numbered_text(
    kind: Kind,
    id: &str,
    mut values: Values,
    common: &NewCommon,
    author: &Record,
) -> Result<String> {
    values.insert("id", Some(id.to_string()));
    values.insert("date", Some(common.as_of.to_string()));
    values.insert("author", Some(author.id().to_string()));
    let template = scaffold::template(kind).expect("numbered kinds have a template");
    scaffold::with_fields(&scaffold::fill(template, &values), template, &common.set)
}

/// A request's flags with the Turkish labels given for enum values (`--type Değişiklik`,
/// `--priority yüksek`) turned into the values they label.
pub(super) fn labelled(a: &NewRequest, repo: &Repo) -> NewRequest {
    let code = |field: &str, typed: &str| crate::step::code_for(&repo.rules, Kind::Request, field, typed);
    let mut a = a.clone();
    a.kind = a.kind.as_deref().map(|t| code("type", t));
    a.priority = code("priority", &a.priority);
    a.source = code("source", &a.source);
    a
}

fn scalar(value: &Option<String>) -> Option<String> {
    value.as_deref().map(yaml_scalar)
}

/// A unit given on the command line must exist (its defaults are read from it).
fn known_unit<'a>(index: &Index<'a>, flag: &str, unit: &str) -> Result<&'a Record> {
    index.unit(unit).ok_or_else(|| {
        let near = index.closest(unit, |r| r.kind == Kind::Unit);
        anyhow!(unknown(flag, unit, near, ("no unit has that id", "bu kimlikte birim yok"), "records/org/units/"))
    })
}

/// `--FLAG VALUE: no … has that id; did you mean `…`? (see FOLDER)`, in both languages.
fn unknown(flag: &str, value: &str, near: Option<&str>, (en, tr): (&str, &str), folder: &str) -> diag::Message {
    let (near_en, near_tr) = match near {
        Some(n) => (format!("; did you mean `{n}`?"), format!("; `{n}` mi demek istediniz?")),
        None => Default::default(),
    };
    msg!("--{flag} {value}: {en}{near_en} (see {folder})", "--{flag} {value}: {tr}{near_tr} (bkz. {folder})")
}

pub(super) fn request(a: &NewRequest, index: &Index, author: &Record) -> Result<Values> {
    let unit_id = a.unit.as_deref().unwrap_or_default();
    let unit = known_unit(index, "unit", unit_id)?;
    let requester = match &a.requester {
        Some(r) => r.clone(),
        None => requester(index, unit)?,
    };
    if a.source == "official_letter" && (a.letter_number.is_none() || a.letter_date.is_none()) {
        bail!(msg!(
            "--source official_letter needs --letter-number and --letter-date (the letter's number and date, M9(1)(a))",
            "--source official_letter için --letter-number ve --letter-date gerekir (resmi yazının sayısı ve tarihi, M9(1)(a))"
        ));
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
        let near = index.closest(&grantee, |r| r.kind == Kind::Person);
        let what = ("no person record has that id", "bu kimlikte kişi kaydı yok");
        bail!(unknown("grantee", &grantee, near, what, "records/org/people/"));
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
        let near = index.closest(&project, |r| r.kind == Kind::Project);
        let what = ("no project has that id", "bu kimlikte proje yok");
        bail!(unknown("project", &project, near, what, "records/projects/"));
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

/// A record of the security and management registers: the next free number (a BGYS
/// document: an id from the title), the first state of its lifecycle with its history
/// entry, and the kind's own start: its date, who reports or prepares it, the author's
/// service.
fn register(
    kind: Kind,
    a: &NewRegister,
    loaded: &load::Records,
    repo: &Repo,
    author: &Record,
    common: &NewCommon,
) -> Result<Draft> {
    let title = a.title.clone().unwrap_or_default();
    let numbered = scaffold::next_id(loaded, kind, common.as_of.year());
    if numbered.is_some() && a.id.is_some() {
        let kind = kind.name().replace('_', "-");
        bail!(msg!(
            "--id: a new {kind} takes the next free number; leave --id out",
            "--id: yeni {kind} kaydı sıradaki boş numarayı alır; --id vermeyin"
        ));
    }
    let mut draft = Draft::new(kind, numbered.or_else(|| a.id.clone()), &title);
    draft.flag("title", Some(yaml_scalar(&title)));
    let (today, by) = (common.as_of.to_string(), author.id().to_string());
    let unit = author.fields.str_at("unit").map(yaml_scalar);
    match kind {
        Kind::Incident => {
            draft.default("detected", today.clone());
            draft.default("reported_by", yaml_scalar(&by));
        }
        Kind::Vulnerability => draft.default("found", today.clone()),
        Kind::Audit => draft.default("planned", today.clone()),
        Kind::Training => draft.default("need", format!("{{ date: {today}, by: {} }}", yaml_scalar(&by))),
        Kind::Procurement => {
            draft.default("specification", format!("{{ prepared_by: {}, date: {today} }}", yaml_scalar(&by)));
            if let Some(unit) = unit {
                draft.default("service", unit);
            }
        }
        Kind::Maintenance => {
            draft.default("planned", today.clone());
            if let Some(unit) = unit {
                draft.default("service", unit);
            }
        }
        Kind::Decision => draft.default("meeting", today.clone()),
        Kind::BgysDocument => draft.default("owner", yaml_scalar(&by)),
        _ => unreachable!("only registers reach here"),
    }
    let lifecycle = repo.rules.workflows.lifecycle(kind.name());
    let first = lifecycle.and_then(|l| l.initial.first()).cloned().unwrap_or_default();
    draft.default("status", yaml_scalar(&first));
    draft.default(
        "history",
        format!(
            "\n  - {{ date: {today}, by: {}, status: {}, note: Kaydedildi }}",
            yaml_scalar(&by),
            yaml_scalar(&first)
        ),
    );
    if kind.is_markdown() {
        draft.body = Some(a.description.clone().unwrap_or_else(|| format!("{title}\n")));
    }
    Ok(draft)
}

pub(super) fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        let shown = parent.display();
        std::fs::create_dir_all(parent).with_context(|| msg!("cannot create {shown}", "{shown} oluşturulamıyor"))?;
    }
    let shown = path.display();
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).with_context(|| {
        msg!(
            "cannot create {shown} (it exists: new never overwrites)",
            "{shown} oluşturulamıyor (dosya var: new hiçbir dosyanın üzerine yazmaz)"
        )
    })?;
    file.write_all(text.as_bytes()).with_context(|| msg!("cannot write {shown}", "{shown} yazılamıyor"))
}
