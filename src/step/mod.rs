//! `defter step`: the procedure's steps as edits of records, from the workflow data
//! alone. What a record allows next is read from `workflows.yaml`: the transitions out
//! of its state (who may take each, what the target state requires), the periodic
//! reviews the time rules ask for, and the lists whose entries name who did something
//! (`tests[].by`, `deployments[].by`). A step builds the edit ([`edit`]), checks the
//! result with every rule over the whole repository before a byte is written, and
//! writes all the records it changes or none ([`write`]).

pub(crate) mod campaign;
pub(crate) mod edit;
mod names;
pub(crate) mod write;

use std::path::Path;

use anyhow::Result;
use indexmap::IndexMap;
use jiff::civil::Date;
use serde_json::Value as Json;

use crate::config::{Config, LocalSetting};
use crate::diag::{Findings, Message, Severity, msg};
use crate::load::rules::{Ruleset, schema_file};
use crate::load::{self, Loaded, RawFile, Records};
use crate::model::text::fold_case;
use crate::model::workflow::{ActorField, Workflows};
use crate::model::{Index, Kind, Node, Record, entry_matches};
use crate::repo::Repo;
use crate::scaffold::yaml_scalar;
pub(crate) use edit::Change;
pub(crate) use write::FileEdit;

/// What one action does to a record.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum What {
    /// A transition of the lifecycle: the state field becomes `to`.
    Transition { to: String },
    /// A new entry of a list (a test, a deployment, a review): `preset` are the fields
    /// the rule that names its actor filters on (`role: support`).
    Append { list: String, preset: IndexMap<String, String> },
    /// A date field set to the step's date (`last_review`).
    Stamp { field: String },
}

/// One thing that may be done next to a record.
#[derive(Clone, Debug)]
pub(crate) struct Action {
    pub name: String,
    pub what: What,
    /// The actors who may take it (empty: anyone).
    pub by: Vec<String>,
    pub article: String,
}

/// The values a step is given on the command line.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inputs {
    pub as_of: Option<Date>,
    pub by: Option<String>,
    pub note: Option<String>,
    /// `(flag, value)` for the flags named after a field (`--to` → `assignee`).
    pub flags: Vec<(&'static str, String)>,
    /// `--set FIELD=VALUE`, VALUE written as YAML.
    pub set: Vec<(String, String)>,
}

/// The flags named after a field, and the end of the field path each sets.
pub(crate) const FLAGS: &[(&str, &[&str])] = &[
    ("to", &["assignee"]),
    ("tested-by", &["tested_by"]),
    ("letter-number", &["letter.number"]),
    ("letter-date", &["letter.date"]),
    ("summary", &["summary"]),
    ("reason", &["reason"]),
    ("result", &["result", "outcome"]),
    ("item", &["item"]),
];

/// Why a step was refused: what the user reads, and the findings the result would have.
#[derive(Debug)]
pub(crate) struct Refused {
    pub why: Vec<Message>,
    pub findings: Option<Findings>,
}

impl Refused {
    fn new(why: Message) -> Self {
        Refused { why: vec![why], findings: None }
    }
}

impl From<Message> for Refused {
    fn from(why: Message) -> Self {
        Refused::new(why)
    }
}

/// A step planned and checked: the files to write, and a line for each record.
#[derive(Debug)]
pub(crate) struct Planned {
    pub edits: Vec<FileEdit>,
    /// `TLP-2026-0042: atandı → elif.kara` per record.
    pub lines: Vec<String>,
    /// The person who takes the step.
    pub by: String,
    /// What the user must still do by hand (a decision on an account to carry out).
    pub notes: Vec<Message>,
}

/// One offer of [`offers`]: an action, whether the user may take it, who may, and
/// what it needs.
#[derive(Clone, Debug)]
pub(crate) struct Offer {
    pub action: Action,
    pub turkish: Option<&'static str>,
    pub may: bool,
    /// The people who may take it (active ones).
    pub who: Vec<String>,
    /// The fields to give.
    pub needs: Vec<Need>,
    /// What the target state needs that a flag cannot give (list entries).
    pub first: Vec<String>,
}

/// A field a step needs that the user gives (a flag or `--set`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Need {
    /// The flag that gives it (`to` for `--to`), or none: `--set FIELD=…`.
    pub flag: Option<&'static str>,
    /// The field as `--set` names it (dotted; inside a new list entry, the entry's field).
    pub field: String,
    /// Its Turkish title and description, from the schema.
    pub text: String,
    /// The values it allows (the schema's `enum`), or none: any text.
    pub values: Vec<String>,
}

impl Need {
    fn new(schema: Option<&Json>, field: &str) -> Self {
        let values = schema.and_then(|s| s.get("enum")).and_then(Json::as_array);
        Need {
            flag: flag_for(field),
            field: field.to_string(),
            text: described(schema),
            values: values.map(|v| v.iter().filter_map(Json::as_str).map(String::from).collect()).unwrap_or_default(),
        }
    }

    /// How it is given on the command line: `--to …`, `--set field=…`.
    pub(crate) fn flag_text(&self) -> String {
        match self.flag {
            Some(f) => format!("--{f} …"),
            None => format!("--set {}=…", self.field),
        }
    }

    /// The input a value given for it becomes: a flag's value as is, a `--set` value as
    /// one YAML scalar (quoted when YAML would read it otherwise).
    pub(crate) fn give(&self, value: &str, inputs: &mut Inputs) {
        match self.flag {
            Some(f) => inputs.flags.push((f, value.to_string())),
            None => inputs.set.push((self.field.clone(), scalar(value))),
        }
    }
}

/// Every action the rule set allows on `record` in its state, whoever takes it.
pub(crate) fn actions(w: &Workflows, record: &Record) -> Vec<Action> {
    let kind = record.kind.name();
    let state = record.fields.str_at(w.state_field(kind));
    let mut out = Vec::new();
    let lifecycle = w.lifecycle(kind);
    if let (Some(lifecycle), Some(state)) = (lifecycle, state) {
        for t in lifecycle.transitions.iter().filter(|t| t.from.iter().any(|f| f == state)) {
            out.push(Action {
                name: t.name.clone(),
                what: What::Transition { to: t.to.clone() },
                by: t.by.clone(),
                article: t.article.clone(),
            });
        }
    }
    let open = state.is_some_and(|s| lifecycle.is_none_or(|l| l.is_open(s)));
    let mut lists: Vec<String> = Vec::new();
    for review in w.reviews.iter().filter(|r| r.kind == kind) {
        if !state.is_some_and(|s| w.state_matches(kind, s, &review.when)) {
            continue;
        }
        match review.dates.split_once("[]") {
            Some((list, _)) => {
                lists.push(list.to_string());
                out.push(append(w, kind, list, &review.article));
            }
            None => out.push(Action {
                // `last_review` is reviewed; `pipeline.last_analysis` is analysed.
                name: match review.dates.rsplit('.').next().and_then(|f| f.strip_prefix("last_")) {
                    Some(what) if what != "review" => what.to_string(),
                    _ => "review".into(),
                },
                what: What::Stamp { field: review.dates.clone() },
                by: Vec::new(),
                article: review.article.clone(),
            }),
        }
    }
    if open {
        for rule in w.actor_fields.iter().filter(|r| r.kind == kind) {
            if let Some(list) = rule.field.strip_suffix("[].by")
                && !lists.iter().any(|l| l == list)
            {
                lists.push(list.to_string());
                out.push(append(w, kind, list, &rule.article));
            }
        }
    }
    out
}

/// The rules that name who makes an entry of `list` (`tests[].by`).
fn list_rules<'a>(w: &'a Workflows, kind: &str, list: &str) -> Vec<&'a ActorField> {
    let field = format!("{list}[].by");
    w.actor_fields.iter().filter(|r| r.kind == kind && r.field == field).collect()
}

fn append(w: &Workflows, kind: &str, list: &str, article: &str) -> Action {
    let mut by: Vec<String> = Vec::new();
    for rule in list_rules(w, kind, list) {
        by.extend(rule.by.iter().filter(|a| !by.contains(a)).cloned().collect::<Vec<_>>());
    }
    // An entry names what was done: a test, a review; a campaign's decisions are decided.
    let name = match list {
        "decisions" => "decide",
        list => list.strip_suffix('s').unwrap_or(list),
    };
    Action {
        name: name.to_string(),
        what: What::Append { list: list.to_string(), preset: IndexMap::new() },
        by,
        article: article.to_string(),
    }
}

/// Whether `person` may take `action` on `record`.
fn may(w: &Workflows, index: &Index, person: &str, action: &Action, record: &Record) -> bool {
    action.by.is_empty() || index.any_actor(w, person, &action.by, record)
}

/// The active people who may take `action` on `record`, sorted (see [`who_reads`] to
/// ask once for many records).
///
/// Only the people who could be one of its actors are asked: when each actor is the
/// person a field of the record names, or someone of the unit one names, those people;
/// else every person. (Asking every person for every distinct assignee and unit grew
/// with the square of the repository: docs/performance.md.)
pub(crate) fn who(w: &Workflows, index: &Index, action: &Action, record: &Record) -> Vec<String> {
    let mut people: Vec<String> = candidates(w, index, action, record)
        .into_iter()
        .filter(|p| index.is_active(p.id()) != Some(false))
        .filter(|p| may(w, index, p.id(), action, record))
        .map(|p| p.id().to_string())
        .collect();
    people.sort();
    people
}

/// The person records among whom [`who`] looks, each once, in the records' order: those
/// an actor of `action` can be on `record` ([`Index::actor_matches`]), or every person.
fn candidates<'a>(w: &Workflows, index: &Index<'a>, action: &Action, record: &Record) -> Vec<&'a Record> {
    let specs: Vec<_> = action.by.iter().filter_map(|name| w.actors.get(name)).collect();
    if action.by.is_empty() || specs.iter().any(|s| s.person_from.is_none() && s.unit_from.is_none()) {
        return index.people().collect();
    }
    let mut ids: Vec<&str> = Vec::new();
    for spec in specs {
        // An actor with both is the named person, if of the named unit.
        if let Some(field) = &spec.person_from {
            ids.extend(record.fields.str_at(field));
        } else if let Some(unit) = spec.unit_from.as_ref().and_then(|field| record.fields.str_at(field)) {
            ids.extend(index.people_in(unit).map(Record::id));
        }
    }
    // Every person record of each id: `may` judges an id by its first record, and
    // asking every person lists each record of an id it lets through (a second record
    // of a person, of another unit, among them).
    let mut found: Vec<&'a Record> =
        ids.into_iter().flat_map(|id| index.all(id)).filter(|r| r.kind == Kind::Person).collect();
    // In the records' order, each record once.
    let at = |r: &&Record| std::ptr::from_ref::<Record>(*r) as usize;
    found.sort_by_key(at);
    found.dedup_by_key(|r| at(r));
    found
}

/// A list of people for a message, the first few named.
fn some(people: &[String]) -> String {
    match people.len() {
        0 => "—".to_string(),
        n if n <= 6 => people.join(", "),
        n => format!("{} (+{})", people[..6].join(", "), n - 6),
    }
}

/// The value to write for `typed` in the field at `path` of a kind: when the field is an
/// enum and `typed` is not one of its values but one's Turkish label, folded the Turkish
/// way (`Yüksek`, `yuksek` for `high`; `kapatıldı` for `closed`), that value; else
/// `typed` as it is.
pub(crate) fn code_for(rules: &Ruleset, kind: Kind, path: &str, typed: &str) -> String {
    let Some(schema) = property(rules, kind, path) else { return typed.to_string() };
    let schema = resolved(rules, schema);
    let values: Vec<&str> = schema
        .get("enum")
        .and_then(Json::as_array)
        .map(|v| v.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    if values.contains(&typed) {
        return typed.to_string();
    }
    let labels = schema.get("x-labels");
    let folded = fold_case(typed.trim());
    let by_label = values.iter().find(|code| {
        labels.and_then(|l| l.get(**code)).and_then(Json::as_str).is_some_and(|label| fold_case(label) == folded)
    });
    by_label.map_or_else(|| typed.to_string(), |code| (*code).to_string())
}

/// Every value of the enum at `path` of a kind with its Turkish label (the value when it
/// has none), in the schema's order: the choices of a form's drop-down.
pub(crate) fn enum_labels(rules: &Ruleset, kind: Kind, path: &str) -> Vec<(String, String)> {
    let Some(schema) = property(rules, kind, path) else { return Vec::new() };
    let schema = resolved(rules, schema);
    let labels = schema.get("x-labels");
    let values = schema.get("enum").and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    values
        .iter()
        .filter_map(Json::as_str)
        .map(|code| {
            let label = labels.and_then(|l| l.get(code)).and_then(Json::as_str).unwrap_or(code);
            (code.to_string(), label.to_string())
        })
        .collect()
}

/// A state's Turkish label (`İşlemde` for `in_progress`), from the kind's schema.
pub(crate) fn state_label(rules: &Ruleset, kind: Kind, code: &str) -> Option<String> {
    let field = rules.workflows.state_field(kind.name());
    let labels = property(rules, kind, field)?.get("x-labels")?;
    labels.get(code).and_then(Json::as_str).map(str::to_string)
}

/// The schema of the field at `path` of a kind (dotted; `list[]` walks into items).
fn property<'a>(rules: &'a Ruleset, kind: Kind, path: &str) -> Option<&'a Json> {
    let mut node = rules.schemas.get(&schema_file(kind))?;
    for part in path.split('.') {
        let (key, items) = match part.strip_suffix("[]") {
            Some(k) => (k, true),
            None => (part, false),
        };
        node = resolved(rules, node).get("properties")?.get(key)?;
        if items {
            node = resolved(rules, node).get("items")?;
        }
    }
    Some(node)
}

/// A schema through its `allOf: [{$ref: common.schema.json#/$defs/…}]`, when it has no
/// properties of its own.
fn resolved<'a>(rules: &'a Ruleset, node: &'a Json) -> &'a Json {
    if node.get("properties").is_some() || node.get("items").is_some() {
        return node;
    }
    let reference = node.get("allOf").and_then(|a| a.get(0)).and_then(|r| r.get("$ref")).and_then(Json::as_str);
    let target = reference
        .and_then(|r| r.split_once("#/$defs/"))
        .and_then(|(file, name)| rules.schemas.get(file)?.get("$defs")?.get(name));
    target.unwrap_or(node)
}

/// The order the kind's schema lists its fields in.
fn order(repo: &Repo, kind: Kind) -> Vec<String> {
    let schema = repo.rules.schemas.get(&schema_file(kind));
    let properties = schema.and_then(|s| s.get("properties")).and_then(Json::as_object);
    properties.map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

fn is_date(schema: Option<&Json>) -> bool {
    schema.is_some_and(|s| {
        let text = s.to_string();
        text.contains("\"format\":\"date\"") || text.contains("$defs/date\"")
    })
}

/// A field's Turkish title and allowed values, from its schema.
fn described(schema: Option<&Json>) -> String {
    let text = |key: &str| schema.and_then(|s| s.get(key)).and_then(Json::as_str).unwrap_or_default().to_string();
    let mut out = text("title");
    let description = text("description");
    if !description.is_empty() {
        out = if out.is_empty() { description } else { format!("{out}: {description}") };
    }
    if let Some(values) = schema.and_then(|s| s.get("enum")).and_then(Json::as_array) {
        let values: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
        out.push_str(&format!(" ({})", values.join(", ")));
    }
    out
}

/// The flag that sets `path`, if one does.
fn flag_for(path: &str) -> Option<&'static str> {
    FLAGS.iter().find(|(_, ends)| ends.iter().any(|e| path == *e || path.ends_with(&format!(".{e}")))).map(|(f, _)| *f)
}

/// A value given on the command line as YAML text: a plain scalar stays plain when YAML
/// reads it back as the same string, anything else is quoted.
fn scalar(value: &str) -> String {
    yaml_scalar(value)
}

/// Free text (notes, summaries, reasons), always quoted like the records write them.
fn prose(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

/// A `--set` value: one YAML value on one line.
fn set_value(field: &str, value: &str) -> Result<String, Message> {
    let bad = || {
        msg!(
            "--set {field}={value}: not one YAML value on one line; quote it: --set '{field}=\"…\"'",
            "--set {field}={value}: tek satırda tek bir YAML değeri değil; tırnak içinde yazın: --set '{field}=\"…\"'"
        )
    };
    if value.contains(['\n', '\r']) {
        return Err(bad());
    }
    let parsed = load::yaml::parse(&format!("v: {value}\n"), 0).map_err(|_| bad())?;
    if parsed.entries().len() != 1 { Err(bad()) } else { Ok(value.to_string()) }
}

/// The state a record is in, for messages.
fn state_of<'a>(w: &Workflows, record: &'a Record) -> &'a str {
    record.fields.str_at(w.state_field(record.kind.name())).unwrap_or("—")
}

/// The fields of the target state the record lacks, and the list entries it lacks.
fn missing_for(w: &Workflows, config: &Config, record: &Record, action: &Action) -> (Vec<String>, Vec<String>) {
    let What::Transition { to } = &action.what else { return (Vec::new(), Vec::new()) };
    let Some(state) = w.lifecycle(record.kind.name()).and_then(|l| l.states.get(to)) else {
        return (Vec::new(), Vec::new());
    };
    let fields = requires(w, config, record, to).into_iter().filter(|p| record.fields.path(p).is_empty()).collect();
    let entries = state
        .entries
        .iter()
        .filter(|e| crate::model::select(&record.fields, &format!("{}[]", e.list), &e.filter).is_empty())
        .map(|e| e.label.clone())
        .collect();
    (fields, entries)
}

/// The fields `record` needs in the state `to`: the state's own, and the tester that a
/// `required_tests` entry asks of the record's type before it reaches `to` (`before`).
fn requires(w: &Workflows, config: &Config, record: &Record, to: &str) -> Vec<String> {
    let kind = record.kind.name();
    let state = w.lifecycle(kind).and_then(|l| l.states.get(to));
    let mut out = state.map(|s| s.requires.clone()).unwrap_or_default();
    // A local rule's fields too: the step fills them as it fills the directive's (one
    // switched off in defter.toml asks nothing the result would be checked for).
    let on = |local: &String| !matches!(config.local.get(local), Some(LocalSetting::Off));
    for (_, fields) in state.into_iter().flat_map(|s| &s.local_requires).filter(|(local, _)| on(local)) {
        out.extend(fields.iter().filter(|f| !out.contains(f)).cloned().collect::<Vec<_>>());
    }
    for t in w.required_tests.iter().filter(|t| t.kind == kind && t.before == to) {
        if t.applies_to(record.fields.str_at(&t.field)) && !out.contains(&t.tester) {
            out.push(t.tester.clone());
        }
    }
    out
}

/// Whether `path` of a record of `kind` names the person who acts (an actor field, or
/// the tester of a `required_tests` entry): it defaults to the person taking the step.
fn names_the_actor(w: &Workflows, kind: &str, path: &str) -> bool {
    w.actor_fields.iter().any(|r| r.kind == kind && r.field == path)
        || w.required_tests.iter().any(|t| t.kind == kind && t.tester == path)
}

/// What may be done next to `record`, for `person`.
pub(crate) fn offers(repo: &Repo, index: &Index, record: &Record, person: Option<&str>) -> Vec<Offer> {
    let w = &repo.rules.workflows;
    let mut out = Vec::new();
    for action in actions(w, record) {
        let (needs, first) = needs(&repo.rules, &repo.config, record, &action);
        let may = person.is_some_and(|p| may(w, index, p, &action, record));
        let who = who(w, index, &action, record);
        out.push(Offer { turkish: names::turkish(&action.name), action, may, who, needs, first });
    }
    out
}

/// The Turkish name of an action (`ata` for `assign`), if it has one.
pub(crate) fn turkish(action: &str) -> Option<&'static str> {
    names::turkish(action)
}

/// What the record a step is taken on must show for the actors of `action`: the values
/// of the fields their conditions read (`unit_from`, `person_from`). Two records of one
/// kind and state with the same values have the same people who may take the step
/// ([`who`]), so a caller asking for many records keeps the answer by these.
pub(crate) fn who_reads<'r>(w: &Workflows, action: &Action, record: &'r Record) -> Vec<Option<&'r str>> {
    let specs = action.by.iter().filter_map(|name| w.actors.get(name));
    let fields = specs.flat_map(|spec| [spec.unit_from.as_deref(), spec.person_from.as_deref()]).flatten();
    fields.map(|field| record.fields.str_at(field)).collect()
}

/// The fields a step needs that the user gives, and the list entries its target state
/// needs that no flag can give.
pub(crate) fn needs(rules: &Ruleset, config: &Config, record: &Record, action: &Action) -> (Vec<Need>, Vec<String>) {
    let w = &rules.workflows;
    let mut needs = Vec::new();
    let (fields, first) = missing_for(w, config, record, action);
    for path in fields {
        let schema = property(rules, record.kind, &path);
        let auto = is_date(schema) || names_the_actor(w, record.kind.name(), &path);
        if !auto {
            needs.push(Need::new(schema, &path));
        }
    }
    if let What::Append { list, .. } = &action.what {
        let item = property(rules, record.kind, &format!("{list}[]"));
        let required = item.and_then(|i| i.get("required")).and_then(Json::as_array).cloned().unwrap_or_default();
        for field in required.iter().filter_map(Json::as_str).filter(|f| !matches!(*f, "date" | "by")) {
            let schema = property(rules, record.kind, &format!("{list}[].{field}"));
            needs.push(Need::new(schema, field));
        }
    }
    (needs, first)
}

/// The record a step names, or a refusal with the closest id.
fn find<'a>(index: &Index<'a>, records: &'a [Record], id: &str) -> Result<&'a Record, Message> {
    if let Some(record) = index.get(id) {
        return Ok(record);
    }
    let close = records
        .iter()
        .map(|r| r.id())
        .filter(|r| r.len().abs_diff(id.len()) <= 2)
        .min_by_key(|r| strsim::levenshtein(&id.to_uppercase(), &r.to_uppercase()))
        .filter(|r| strsim::levenshtein(&id.to_uppercase(), &r.to_uppercase()) <= 2);
    Err(match close {
        Some(close) => msg!(
            "no record has the id `{id}`; did you mean `{close}`?",
            "`{id}` kimlikli kayıt yok; `{close}` mi demek istediniz?"
        ),
        None => msg!("no record has the id `{id}`", "`{id}` kimlikli kayıt yok"),
    })
}

/// The action `typed` names among those `record` allows, or a refusal that says what
/// it allows. A state the record may move to names the step that leads there, by its
/// code (`in_progress`) or its Turkish label folded (`İşlemde`, `işlemde`, `islemde`),
/// when one step alone leads there.
fn choose(rules: &Ruleset, record: &Record, typed: &str) -> Result<Action, Message> {
    let w = &rules.workflows;
    let allowed = actions(w, record);
    if let Some(action) = allowed.iter().find(|a| names::names(&a.name, typed)) {
        return Ok(action.clone());
    }
    let field = w.state_field(record.kind.name());
    let labels = property(rules, record.kind, field).and_then(|p| p.get("x-labels"));
    let folded = fold_case(typed).replace(['-', ' '], "_");
    let names_state = |to: &str| {
        fold_case(to) == folded
            || labels
                .and_then(|l| l.get(to))
                .and_then(Json::as_str)
                .is_some_and(|l| fold_case(l).replace(' ', "_") == folded)
    };
    let leading: Vec<&Action> =
        allowed.iter().filter(|a| matches!(&a.what, What::Transition { to } if names_state(to))).collect();
    if let [action] = leading.as_slice() {
        return Ok((*action).clone());
    }
    let (id, state) = (record.id(), state_of(w, record));
    let list = allowed.iter().map(|a| a.name.replace('_', "-")).collect::<Vec<_>>().join(", ");
    let list = if list.is_empty() { "—".to_string() } else { list };
    let every = w.lifecycles.values().flat_map(|l| l.transitions.iter().map(|t| t.name.as_str()));
    let known = every.chain(["review", "test", "deployment"]).any(|n| names::names(n, typed));
    let hint = names::closest(typed, allowed.iter().map(|a| a.name.as_str()))
        .map(|c| (format!("; did you mean `{c}`?"), format!("; `{c}` mi demek istediniz?")))
        .unwrap_or_default();
    Err(if known {
        msg!(
            "`{typed}` is not a step {id} allows in its state `{state}`; it allows: {list}",
            "`{id}` kaydı `{state}` durumundayken `{typed}` adımına izin verilmez; izin verilenler: {list}"
        )
    } else {
        msg!(
            "unknown action `{typed}`{en}; {id} (`{state}`) allows: {list}",
            "bilinmeyen işlem `{typed}`{tr}; `{id}` (`{state}`) için izin verilenler: {list}",
            en = hint.0,
            tr = hint.1
        )
    })
}

/// The changes `action` makes to `record`, taken by `person`.
fn changes(
    repo: &Repo,
    index: &Index,
    record: &Record,
    action: &Action,
    person: &str,
    inputs: &Inputs,
) -> Result<Vec<Change>, Refused> {
    let w = &repo.rules.workflows;
    let kind = record.kind;
    let date = inputs.as_of.unwrap_or_else(|| jiff::Zoned::now().date()).to_string();
    let mut out = Vec::new();
    let mut flags: Vec<(&str, &str)> = inputs.flags.iter().map(|(f, v)| (*f, v.as_str())).collect();
    match &action.what {
        What::Transition { to } => {
            let field = w.state_field(kind.name());
            out.push(Change::Set { path: field.to_string(), value: scalar(to) });
            let requires = requires(w, &repo.config, record, to);
            let mut missing = Vec::new();
            // The flags name fields of the target state first, then any field of the kind.
            let mut targets: Vec<String> = requires.clone();
            for (flag, value) in std::mem::take(&mut flags) {
                let ends = FLAGS.iter().find(|(f, _)| *f == flag).map(|(_, e)| *e).unwrap_or_default();
                let fits = |p: &String| ends.iter().any(|e| p == e || p.ends_with(&format!(".{e}")));
                let path = targets.iter().find(|p| fits(p)).cloned().or_else(|| {
                    let top = repo.rules.schemas.get(&schema_file(kind)).and_then(|s| s.get("properties"));
                    let keys = top.and_then(Json::as_object).map(|o| o.keys().cloned().collect::<Vec<_>>());
                    keys.unwrap_or_default().into_iter().find(|k| fits(k))
                });
                let Some(path) = path else {
                    let name = &action.name;
                    return Err(Refused::new(msg!(
                        "--{flag}: the step `{name}` sets no such field",
                        "--{flag}: `{name}` adımı böyle bir alanı doldurmaz"
                    )));
                };
                let text = if matches!(flag, "summary" | "reason" | "letter-number") {
                    prose(value)
                } else {
                    scalar(&code_for(&repo.rules, kind, &path, value))
                };
                targets.retain(|p| p != &path);
                out.push(Change::Set { path, value: text });
            }
            for (field, value) in &inputs.set {
                let value = code_for(&repo.rules, kind, field, value);
                out.push(Change::Set { path: field.clone(), value: set_value(field, &value)? });
                targets.retain(|p| p != field);
            }
            for path in targets {
                if !record.fields.path(&path).is_empty() {
                    continue;
                }
                let schema = property(&repo.rules, kind, &path);
                if is_date(schema) {
                    out.push(Change::Set { path, value: date.clone() });
                } else if names_the_actor(w, kind.name(), &path) {
                    out.push(Change::Set { path, value: scalar(person) });
                } else {
                    let flag = flag_for(&path).map_or_else(|| format!("--set {path}=…"), |f| format!("--{f} …"));
                    missing.push(format!("{flag}  {}", described(schema)));
                }
            }
            if !missing.is_empty() {
                let (name, list) = (&action.name, missing.join("\n  "));
                return Err(Refused::new(msg!(
                    "the step `{name}` needs these too, so nothing was written:\n  {list}",
                    "`{name}` adımı bunları da gerektirir; hiçbir şey yazılmadı:\n  {list}"
                )));
            }
            // The fields in the order the target state lists them, like the records write them.
            let rank = |c: &Change| match c {
                Change::Set { path, .. } => requires.iter().position(|r| r == path).unwrap_or(usize::MAX),
                Change::Append { .. } => usize::MAX,
            };
            out[1..].sort_by_key(rank);
            if property(&repo.rules, kind, "history").is_some() {
                let mut entry = vec![
                    ("date".to_string(), date),
                    ("by".to_string(), scalar(person)),
                    ("status".to_string(), scalar(to)),
                ];
                if let Some(note) = &inputs.note {
                    entry.push(("note".to_string(), prose(note)));
                }
                out.push(Change::Append { list: "history".into(), entry });
            }
        }
        What::Append { list, .. } => {
            let item = format!("{list}[]");
            let mut entry: Vec<(String, String)> = Vec::new();
            let has = |f: &str| property(&repo.rules, kind, &format!("{item}.{f}")).is_some();
            if has("date") {
                entry.push(("date".into(), date));
            }
            if has("by") {
                entry.push(("by".into(), scalar(person)));
            }
            for (flag, value) in flags {
                let ends = FLAGS.iter().find(|(f, _)| *f == flag).map(|(_, e)| *e).unwrap_or_default();
                let Some(field) = ends.iter().find(|e| has(e)) else {
                    let name = &action.name;
                    return Err(Refused::new(msg!(
                        "--{flag}: a {name} has no such field",
                        "--{flag}: `{name}` kaydında böyle bir alan yok"
                    )));
                };
                entry
                    .push((field.to_string(), scalar(&code_for(&repo.rules, kind, &format!("{item}.{field}"), value))));
            }
            for (field, value) in &inputs.set {
                entry.retain(|(f, _)| f != field);
                let value = code_for(&repo.rules, kind, &format!("{item}.{field}"), value);
                entry.push((field.clone(), set_value(field, &value)?));
            }
            if let Some(note) = &inputs.note
                && has("note")
            {
                entry.push(("note".into(), prose(note)));
            }
            preset(w, index, record, list, person, &mut entry);
            let item_schema = property(&repo.rules, kind, &item);
            let required = item_schema.and_then(|i| i.get("required")).and_then(Json::as_array).cloned();
            let mut missing = Vec::new();
            for field in required.unwrap_or_default().iter().filter_map(Json::as_str) {
                if !entry.iter().any(|(f, _)| f == field) {
                    let flag = flag_for(field).map_or_else(|| format!("--set {field}=…"), |f| format!("--{f} …"));
                    missing.push(format!(
                        "{flag}  {}",
                        described(property(&repo.rules, kind, &format!("{item}.{field}")))
                    ));
                }
            }
            if !missing.is_empty() {
                let (name, list) = (&action.name, missing.join("\n  "));
                return Err(Refused::new(msg!(
                    "a {name} needs these too, so nothing was written:\n  {list}",
                    "`{name}` kaydı bunları da gerektirir; hiçbir şey yazılmadı:\n  {list}"
                )));
            }
            out.push(Change::Append { list: list.clone(), entry });
        }
        What::Stamp { field } => {
            if let Some((flag, _)) = flags.first() {
                return Err(Refused::new(msg!(
                    "--{flag}: this step sets no such field",
                    "--{flag}: bu adım böyle bir alanı doldurmaz"
                )));
            }
            out.push(Change::Set { path: field.clone(), value: date });
            for (f, value) in &inputs.set {
                let value = code_for(&repo.rules, kind, f, value);
                out.push(Change::Set { path: f.clone(), value: set_value(f, &value)? });
            }
        }
    }
    Ok(out)
}

/// Fills in the filter fields of the rule naming the user for a list entry
/// (`role: support` when the user is in the support service), unless they were given.
fn preset(w: &Workflows, index: &Index, record: &Record, list: &str, person: &str, entry: &mut Vec<(String, String)>) {
    let rules = list_rules(w, record.kind.name(), list);
    if rules.iter().any(|r| !r.filter.is_empty() && r.filter.keys().all(|k| entry.iter().any(|(f, _)| f == k))) {
        return;
    }
    let fits = rules.iter().filter(|r| !r.filter.is_empty()).find(|r| index.any_actor(w, person, &r.by, record));
    if let Some(rule) = fits {
        for (k, v) in &rule.filter {
            if !entry.iter().any(|(f, _)| f == k) {
                entry.push((k.clone(), scalar(v)));
            }
        }
    }
}

/// Who may make a list entry with these fields: the rules whose filter it matches.
fn entry_actors(w: &Workflows, kind: &str, list: &str, entry: &[(String, String)]) -> Vec<String> {
    let fields = Node::new(
        crate::model::Value::Map(
            entry
                .iter()
                .map(|(k, v)| crate::model::Entry {
                    key: k.as_str().into(),
                    key_pos: Default::default(),
                    value: Node::new(crate::model::Value::Str(v.trim_matches('"').into()), Default::default()),
                })
                .collect(),
        ),
        Default::default(),
    );
    let mut by = Vec::new();
    for rule in list_rules(w, kind, list).into_iter().filter(|r| entry_matches(&fields, &r.filter)) {
        by.extend(rule.by.iter().cloned());
    }
    by
}

/// The line a step is summed up by: `TLP-2026-0042: atandı → elif.kara`.
fn line(repo: &Repo, record: &Record, action: &Action, inputs: &Inputs) -> String {
    let id = record.id();
    let label = |field: &str, value: &str| {
        property(&repo.rules, record.kind, field)
            .and_then(|p| p.get("x-labels"))
            .and_then(|l| l.get(value))
            .and_then(Json::as_str)
            .map(names::lower)
            .unwrap_or_else(|| value.replace('_', " "))
    };
    let mut text = match &action.what {
        What::Transition { to } => format!("{id}: {}", label(repo.rules.workflows.state_field(record.kind.name()), to)),
        _ => format!("{id}: {}", names::turkish(&action.name).unwrap_or(&action.name).replace('-', " ")),
    };
    if let Some((_, to)) = inputs.flags.iter().find(|(f, _)| *f == "to") {
        text.push_str(&format!(" → {to}"));
    }
    if let Some((_, result)) = inputs.flags.iter().find(|(f, _)| *f == "result") {
        text.push_str(&format!(" ({result})"));
    }
    text
}

/// Plans `typed` on every record of `ids`, and checks the result with every rule over
/// the whole repository (`loaded` is left holding the changed records, for quoting
/// findings). All or nothing: one refusal refuses the lot.
pub(crate) fn plan(
    root: &Path,
    repo: &Repo,
    loaded: &mut Records,
    ids: &[String],
    typed: &str,
    inputs: &Inputs,
) -> Result<Result<Planned, Refused>> {
    let as_of = inputs.as_of.unwrap_or_else(|| jiff::Zoned::now().date());
    let before = repo.check(loaded, as_of, &load::Silent)?.findings;
    let w = &repo.rules.workflows;
    let mut edits = Vec::new();
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    let mut why = Vec::new();
    let person_id;
    {
        let index = Index::new(&loaded.records);
        let person = match crate::scaffold::author(root, &index, inputs.by.as_deref()) {
            Ok(p) => p,
            Err(m) => return Ok(Err(Refused::new(m))),
        };
        person_id = person.id().to_string();
        for id in ids {
            let record = match find(&index, &loaded.records, id) {
                Ok(r) => r,
                Err(m) => {
                    why.push(m);
                    continue;
                }
            };
            if edits.iter().any(|e: &FileEdit| e.path == record.path) {
                continue;
            }
            if record.kind == Kind::Campaign
                && campaign::names_decide(typed)
                && let Some(m) = campaign::closed(w, record)
            {
                why.push(m);
                continue;
            }
            let action = match choose(&repo.rules, record, typed) {
                Ok(a) => a,
                Err(m) => {
                    why.push(m);
                    continue;
                }
            };
            // A campaign's decision: its reason is the revoked grant's, not the entry's.
            let decide = record.kind == Kind::Campaign && action.name == "decide";
            let entry_inputs = Inputs {
                flags: inputs.flags.iter().filter(|(f, _)| !decide || *f != "reason").cloned().collect(),
                ..inputs.clone()
            };
            let mut planned = match changes(repo, &index, record, &action, &person_id, &entry_inputs) {
                Ok(c) => c,
                Err(r) => {
                    why.extend(r.why);
                    continue;
                }
            };
            if decide {
                let decided = match campaign::decide(repo, &index, record, &person_id, inputs) {
                    Ok(d) => d,
                    Err(m) => {
                        why.push(m);
                        continue;
                    }
                };
                planned.extend(decided.more);
                // The decision's line first, then the other records', then the closing.
                let mut own = decided.lines.into_iter();
                lines.extend(own.next());
                for (other, other_changes, other_line) in decided.others {
                    let Some(other) = index.get(&other) else { continue };
                    let bytes = std::fs::read(root.join(&other.path))?;
                    let order = order(repo, other.kind);
                    match edit::apply(
                        &String::from_utf8_lossy(&bytes),
                        other.kind.is_markdown(),
                        &other_changes,
                        &order,
                    ) {
                        Ok(new) => {
                            edits.push(FileEdit { path: other.path.clone(), old: bytes, new: new.into_bytes() });
                            lines.push(other_line);
                        }
                        Err(m) => why.push(m),
                    }
                }
                notes.extend(decided.notes);
                let bytes = std::fs::read(root.join(&record.path))?;
                match edit::apply(&String::from_utf8_lossy(&bytes), false, &planned, &order(repo, record.kind)) {
                    Ok(new) => {
                        edits.push(FileEdit { path: record.path.clone(), old: bytes, new: new.into_bytes() });
                        lines.extend(own);
                    }
                    Err(m) => why.push(m),
                }
                continue;
            }
            let by = match (&action.what, planned.last()) {
                (What::Append { list, .. }, Some(Change::Append { entry, .. })) => {
                    entry_actors(w, record.kind.name(), list, entry)
                }
                _ => action.by.clone(),
            };
            let checked = Action { by, ..action.clone() };
            if !may(w, &index, &person_id, &checked, record) {
                let (name, who) = (&action.name, some(&who(w, &index, &checked, record)));
                let actors = checked.by.join(", ");
                why.push(msg!(
                    "`{person_id}` may not {name} {id} ({actors}, {article}); who may: {who}",
                    "`{person_id}`, `{id}` için `{name}` adımını atamaz ({actors}, {article}); atabilecekler: {who}",
                    article = action.article
                ));
                continue;
            }
            let bytes = std::fs::read(root.join(&record.path))?;
            let order = order(repo, record.kind);
            match edit::apply(&String::from_utf8_lossy(&bytes), record.kind.is_markdown(), &planned, &order) {
                Ok(new) => {
                    edits.push(FileEdit { path: record.path.clone(), old: bytes, new: new.into_bytes() });
                    lines.push(line(repo, record, &action, inputs));
                }
                Err(m) => why.push(m),
            }
        }
    }
    if !why.is_empty() {
        return Ok(Err(Refused { why, findings: None }));
    }
    // Put the new texts in place of the old and check the whole repository again.
    let mut old_records = Vec::new();
    for edit in &edits {
        let raw = RawFile { path: edit.path.clone(), bytes: edit.new.clone() };
        let at = loaded.records.iter().position(|r| r.path == edit.path).expect("a planned record was loaded");
        match load::load_file(raw) {
            Loaded::Record(record, source) => {
                loaded.sources.insert(edit.path.clone(), source);
                old_records.push(std::mem::replace(&mut loaded.records[at], record));
            }
            Loaded::Problem(d, _) => return Ok(Err(Refused::new(d.message))),
        }
    }
    let after = repo.check(loaded, as_of, &load::Silent)?.findings;
    let paths: Vec<&str> = edits.iter().map(|e| e.path.as_str()).collect();
    let errors = |r: &Findings| -> Vec<crate::diag::Diagnostic> {
        r.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && paths.contains(&d.path.as_str()))
            .cloned()
            .collect()
    };
    let (was, now) = (errors(&before), errors(&after));
    let mut why = Vec::new();
    for old in &old_records {
        let new = loaded.records.iter().find(|r| r.path == old.path).expect("replaced above");
        for field in w.immutable.get(old.kind.name()).into_iter().flatten() {
            if old.fields.get(field).map(Node::to_json) != new.fields.get(field).map(Node::to_json) {
                let id = old.id();
                why.push(msg!(
                    "the step would change `{field}` of {id}, which may not change once the record exists",
                    "adım `{id}` kaydının `{field}` alanını değiştirirdi; bu alan kayıt oluşturulduktan sonra değiştirilemez"
                ));
            }
        }
    }
    if !now.is_empty() {
        let n = now.len();
        why.push(if was.is_empty() {
            msg!(
                "the result would not be valid ({n} errors below), so nothing was written",
                "sonuç geçerli olmazdı (aşağıda {n} hata); hiçbir şey yazılmadı"
            )
        } else {
            let m = was.len();
            msg!(
                "the record was already invalid ({m} errors before the step) and the step does not repair it ({n} errors below); nothing was written",
                "kayıt adımdan önce de geçersizdi ({m} hata) ve adım bunu düzeltmiyor (aşağıda {n} hata); hiçbir şey yazılmadı"
            )
        });
        return Ok(Err(Refused { why, findings: Some(Findings { diagnostics: now, records: edits.len() }) }));
    }
    if !why.is_empty() {
        return Ok(Err(Refused { why, findings: None }));
    }
    Ok(Ok(Planned { edits, lines, by: person_id, notes }))
}

/// The record `id` and what may be done next to it, for the person taking steps (if
/// known).
pub(crate) fn next<'a>(
    root: &Path,
    repo: &Repo,
    records: &'a [Record],
    index: &Index<'a>,
    id: &str,
    by: Option<&str>,
) -> Result<(&'a Record, Option<String>, Vec<Offer>), Message> {
    let record = find(index, records, id)?;
    let person = crate::scaffold::author(root, index, by).ok().map(|p| p.id().to_string());
    let offers = offers(repo, index, record, person.as_deref());
    Ok((record, person, offers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Who may take each step of each example record is who asking every person says,
    /// and the actors named by a record's fields (assignee, service) are among the steps
    /// asked. A person recorded twice (a `duplicate-id` finding), the second record of
    /// another unit, is listed twice by a service chief's step, as asking every person
    /// lists them: the first record's unit decides for both.
    #[test]
    fn who_asks_the_people_an_actor_can_be_and_finds_who_every_person_would() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = Repo::open(root).unwrap();
        let mut records = load::load_dir(root).unwrap().records;
        let file =
            |path: &str, text: &str| match load::load_file(load::RawFile { path: path.into(), bytes: text.into() }) {
                load::Loaded::Record(r, _) => r,
                load::Loaded::Problem(d, _) => panic!("{d:?}"),
            };
        let person = "id: cift.kisi\nname: Çift Kişi\nroles: [service_chief]\nunit: ";
        records.push(file("records/org/people/cift.kisi.yaml", &format!("{person}ozel-servis\n")));
        records.push(file("records/org/people/cift.kisi-2.yaml", &format!("{person}baska-birim\n")));
        let asked =
            file("records/requests/2026/TLP-2026-9999.md", "---\nid: TLP-2026-9999\nservice: ozel-servis\n---\n");
        let index = Index::new(&records);
        let w = &repo.rules.workflows;
        let everyone = |action: &Action, record: &Record| {
            let mut people: Vec<String> = index
                .people()
                .filter(|p| index.is_active(p.id()) != Some(false))
                .filter(|p| may(w, &index, p.id(), action, record))
                .map(|p| p.id().to_string())
                .collect();
            people.sort();
            people
        };
        let (mut asked_steps, mut named, mut found) = (0, 0, 0);
        for record in &records {
            for action in actions(w, record) {
                let who = who(w, &index, &action, record);
                assert_eq!(who, everyone(&action, record), "{} {}", record.id(), action.name);
                asked_steps += 1;
                let specs = action.by.iter().filter_map(|name| w.actors.get(name));
                named += usize::from(
                    specs.clone().count() > 0
                        && specs.clone().all(|s| s.person_from.is_some() || s.unit_from.is_some()),
                );
                found += usize::from(!who.is_empty());
            }
        }
        assert!(asked_steps > 20 && named > 3, "{asked_steps} steps, {named} by named actors");
        assert!(found > 10, "{found} steps with someone");
        let chief = w.actors.get("chief_of_service").expect("the service chief's actor");
        assert!(chief.unit_from.is_some() && chief.person_from.is_none());
        let stamp = What::Stamp { field: "last_review".into() };
        let action =
            Action { name: "x".into(), what: stamp, by: vec!["chief_of_service".into()], article: String::new() };
        assert_eq!(who(w, &index, &action, &asked), ["cift.kisi", "cift.kisi"]);
        assert_eq!(who(w, &index, &action, &asked), everyone(&action, &asked));
    }

    /// Whether every line of `old` is in `new`, in order, but for at most `changed`.
    fn kept(old: &str, new: &str, changed: usize) -> bool {
        let new: Vec<&str> = new.split_inclusive('\n').collect();
        let (mut j, mut missing) = (0, 0);
        for line in old.split_inclusive('\n') {
            match new[j..].iter().position(|l| *l == line) {
                Some(p) => j += p + 1,
                None => missing += 1,
            }
        }
        missing <= changed
    }

    /// Every example record under `records/` through every step its state allows: the
    /// edit reads back as meant (`edit::apply` checks) and every line it did not change
    /// is still there, in order (the state line and a one-line flow list may change).
    #[test]
    fn every_step_on_every_example_record_keeps_the_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = Repo::open(root).unwrap();
        let loaded = load::load_dir(root).unwrap();
        let index = Index::new(&loaded.records);
        let inputs = Inputs {
            as_of: Some("2026-11-30".parse().unwrap()),
            note: Some("Adım: not".into()),
            flags: vec![
                ("to", "elif.kara".into()),
                ("summary", "Çözüldü: test edildi".into()),
                ("reason", "Gerekçe".into()),
                ("letter-number", "E-1-2".into()),
                ("letter-date", "2026-11-30".into()),
                ("result", "pass".into()),
            ],
            ..Inputs::default()
        };
        let (mut steps, mut records) = (0, 0);
        for record in &loaded.records {
            let text = std::fs::read_to_string(root.join(&record.path)).unwrap();
            let mut any = false;
            for action in actions(&repo.rules.workflows, record) {
                // Flags for fields the step does not set are refused: keep those that fit.
                let bare = Inputs { flags: Vec::new(), ..inputs.clone() };
                let fits = |flag: &(&'static str, String)| {
                    let one = Inputs { flags: vec![flag.clone()], ..bare.clone() };
                    !matches!(changes(&repo, &index, record, &action, "hakan.celik", &one), Err(r) if r.why[0].en.contains("no such field"))
                };
                let inputs =
                    Inputs { flags: inputs.flags.iter().filter(|f| fits(f)).cloned().collect(), ..bare.clone() };
                let Ok(planned) = changes(&repo, &index, record, &action, "hakan.celik", &inputs) else { continue };
                let new = edit::apply(&text, record.kind.is_markdown(), &planned, &order(&repo, record.kind))
                    .unwrap_or_else(|m| panic!("{} {}: {}", record.path, action.name, m.en));
                assert!(kept(&text, &new, 2), "{} {}:\n{text}\n→\n{new}", record.path, action.name);
                steps += 1;
                any = true;
            }
            records += usize::from(any);
        }
        assert!(steps > 150 && records > 60, "{steps} steps on {records} records");
    }
}
