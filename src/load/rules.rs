//! The rule set a repository is checked against: the JSON Schemas and the workflow data.
//!
//! Defaults are embedded in the binary (they are this project's `schemas/` folder); a
//! file of the same name in the repository's `schemas/` replaces the default, so a
//! records repository pins the rules it was written under and a revision of the
//! directive is a reviewed change of those files.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use indexmap::IndexMap;
use serde_json::Value as Json;

use super::yaml;
use crate::diag::msg;
use crate::model::Kind;
use crate::model::directive::{Directive, parse_citations};
use crate::model::node::Node;
use crate::model::workflow::{ActorSpec, Workflows};

/// The folder of schemas and workflow data inside a repository.
pub const SCHEMAS_DIR: &str = "schemas";
pub const WORKFLOWS_FILE: &str = "workflows.yaml";
pub const WORKFLOWS_SCHEMA: &str = "workflows.schema.json";
pub const COMMON_SCHEMA: &str = "common.schema.json";
/// The directive's text, article by article (`schemas/directive.yaml`).
pub const DIRECTIVE_FILE: &str = "directive.yaml";
pub const DIRECTIVE_SCHEMA: &str = "directive.schema.json";

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        /// Every default file of `schemas/`, by name.
        pub const DEFAULTS: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../schemas/", $name))),)*];
    };
}

embedded!(
    "workflows.yaml",
    "workflows.schema.json",
    "directive.yaml",
    "directive.schema.json",
    "common.schema.json",
    "unit.schema.json",
    "person.schema.json",
    "request.schema.json",
    "project.schema.json",
    "project_section.schema.json",
    "grant.schema.json",
    "application.schema.json",
    "server.schema.json",
    "website.schema.json",
    "domain.schema.json",
    "certificate.schema.json",
    "repository.schema.json",
    "account.schema.json",
    "webservice_client.schema.json",
    "asset.schema.json",
    "continuity_plan.schema.json",
    "incident.schema.json",
    "vulnerability.schema.json",
    "audit.schema.json",
    "training.schema.json",
    "procurement.schema.json",
    "maintenance.schema.json",
    "decision.schema.json",
    "bgys_document.schema.json",
    "campaign.schema.json",
);

/// Schemas (by file name) and the parsed workflow data.
#[derive(Clone, Debug)]
pub struct Ruleset {
    pub schemas: IndexMap<String, Json>,
    pub workflows: Workflows,
    /// The directive's text, which every citation of the workflow data names a place in.
    pub directive: Directive,
    /// The text of every file, to tell whether two rule sets differ.
    pub texts: IndexMap<String, String>,
}

/// The schema file name of a kind.
pub fn schema_file(kind: Kind) -> String {
    format!("{}.schema.json", kind.name())
}

impl Ruleset {
    /// Reads the rule set of the repository at `root` (defaults where it has no file),
    /// never through a symbolic link.
    pub fn load(root: &Path) -> Result<Ruleset> {
        let dir = root.join(SCHEMAS_DIR);
        Ruleset::from_source(|name| {
            crate::config::refuse_links(root, &format!("{SCHEMAS_DIR}/{name}"))?;
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e).with_context(|| msg!("cannot read {p}", "{p} okunamıyor", p = path.display())),
            }
        })
    }

    /// Builds the rule set from a lookup of repository files by name (`None`: use the
    /// default). Used for the working tree and for a git revision alike.
    pub fn from_source(mut read: impl FnMut(&str) -> Result<Option<String>>) -> Result<Ruleset> {
        let mut schemas = IndexMap::new();
        let mut texts = IndexMap::new();
        let (mut workflows_text, mut directive_text) = (None, None);
        for (name, default) in DEFAULTS {
            let text = read(name)?.unwrap_or_else(|| (*default).to_string());
            let shown = format!("{SCHEMAS_DIR}/{name}");
            texts.insert((*name).to_string(), text.clone());
            if *name == WORKFLOWS_FILE {
                workflows_text = Some(text);
            } else if *name == DIRECTIVE_FILE {
                directive_text = Some(text);
            } else {
                let json: Json = serde_json::from_str(&text)
                    .with_context(|| msg!("{shown} is not valid JSON", "{shown} geçerli bir JSON değil"))?;
                schemas.insert((*name).to_string(), json);
            }
        }
        let text = workflows_text.expect("workflows.yaml is embedded");
        let workflows = parse_workflows(&text, &schemas).with_context(|| {
            msg!("{SCHEMAS_DIR}/{WORKFLOWS_FILE} is not usable", "{SCHEMAS_DIR}/{WORKFLOWS_FILE} kullanılamıyor")
        })?;
        let text = directive_text.expect("directive.yaml is embedded");
        let directive = parse_directive(&text, &schemas).with_context(|| {
            msg!("{SCHEMAS_DIR}/{DIRECTIVE_FILE} is not usable", "{SCHEMAS_DIR}/{DIRECTIVE_FILE} kullanılamıyor")
        })?;
        let unknown = unknown_citations(&workflows, &directive);
        if !unknown.is_empty() {
            let unknown = unknown.join("\n");
            bail!(msg!(
                "{SCHEMAS_DIR}/{WORKFLOWS_FILE} cites what the directive does not have:\n{unknown}",
                "{SCHEMAS_DIR}/{WORKFLOWS_FILE} yönergede olmayan yerlere atıf yapıyor:\n{unknown}"
            ));
        }
        Ok(Ruleset { schemas, workflows, directive, texts })
    }
}

/// Parses `directive.yaml` and checks it against its schema and its own numbering.
pub fn parse_directive(text: &str, schemas: &IndexMap<String, Json>) -> Result<Directive> {
    let (_, json) = parse_against(text, schemas, DIRECTIVE_SCHEMA)?;
    let directive: Directive = serde_json::from_value(json)?;
    let problems = directive.problems();
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(directive)
}

/// Parses one of the rule files and checks it against its schema (`$ref`s resolved
/// through every schema), giving the tree (for positions) and its JSON; each schema error
/// names its line and column.
fn parse_against(text: &str, schemas: &IndexMap<String, Json>, schema: &str) -> Result<(Node, Json)> {
    let node = yaml::parse(text, 0).map_err(|e| {
        let (line, col, m) = (e.pos.line, e.pos.col, e.message);
        anyhow!(msg!("line {line}:{col}: {en}", "satır {line}:{col}: {tr}", en = m.en, tr = m.tr))
    })?;
    let json = node.to_json();
    let registry = registry(schemas)?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_registry(&registry)
        .build(&schemas[schema])
        .map_err(|e| anyhow!("{schema} is not a valid schema: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| {
            let pos = node.pointer(e.instance_path().as_str()).pos;
            let (line, col, at) = (pos.line, pos.col, e.instance_path());
            msg!("line {line}:{col}: {e} (at {at})", "satır {line}:{col}: {e} ({at})").to_string()
        })
        .collect();
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    Ok((node, json))
}

/// The citations of the workflow data (`article:` of every entry, `applies:` of every
/// local rule) that name no place of the directive, one line each.
pub fn unknown_citations(w: &Workflows, directive: &Directive) -> Vec<String> {
    let mut cited: Vec<(String, &str)> = w.entries().into_iter().map(|e| (e.label, e.article)).collect();
    for (name, rule) in &w.local_rules {
        cited.extend(rule.applies.as_deref().map(|a| (format!("local rule {name}"), a)));
    }
    let mut problems = Vec::new();
    for (label, text) in cited {
        if text.is_empty() {
            continue;
        }
        match parse_citations(text) {
            Ok(cites) => problems.extend(
                cites.iter().filter(|c| !directive.has(c)).map(|c| format!("{label}: {c} is not in the directive")),
            ),
            Err(e) => problems.push(format!("{label}: {e}")),
        }
    }
    problems
}

/// All schemas in one registry, by their `$id`, so `$ref`s across files resolve offline.
pub fn registry(schemas: &IndexMap<String, Json>) -> Result<jsonschema::Registry<'static>> {
    let mut builder = jsonschema::Registry::new();
    for (name, schema) in schemas {
        let id = schema.get("$id").and_then(Json::as_str).map_or_else(|| format!("urn:defter:{name}"), str::to_string);
        builder = builder.add(id, schema.clone()).map_err(|e| anyhow!("schemas/{name}: {e}"))?;
    }
    builder.prepare().map_err(|e| anyhow!("schemas/: {e}"))
}

/// Parses `workflows.yaml`, checks it against its schema, cross-checks its names and
/// walks its field paths through the kinds' schemas.
pub fn parse_workflows(text: &str, schemas: &IndexMap<String, Json>) -> Result<Workflows> {
    let (node, json) = parse_against(text, schemas, WORKFLOWS_SCHEMA)?;
    let workflows: Workflows = serde_json::from_value(json)?;
    let mut problems = cross_check(&workflows);
    problems.extend(check_fields(&workflows, schemas).into_iter().map(|p| {
        let pos = node.pointer(&p.pointer).pos;
        format!("line {}: {}", pos.line, p.message)
    }));
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    Ok(workflows)
}

/// Names that must refer to something: actors, states, kinds.
fn cross_check(w: &Workflows) -> Vec<String> {
    let mut problems = Vec::new();
    let kind_ok = |kind: &str| Kind::from_name(kind).is_some();
    let actor = |list: &[String], at: &str, problems: &mut Vec<String>| {
        for name in list {
            if !w.actors.contains_key(name) {
                problems.push(format!("{at}: unknown actor `{name}` (declare it under `actors`)"));
            }
        }
    };
    for (kind, lifecycle) in &w.lifecycles {
        if !kind_ok(kind) {
            problems.push(format!("lifecycles.{kind}: unknown kind"));
        }
        let state = |s: &String, at: String, problems: &mut Vec<String>| {
            if !lifecycle.states.contains_key(s) {
                problems.push(format!("{at}: unknown state `{s}`"));
            }
        };
        for s in &lifecycle.initial {
            state(s, format!("lifecycles.{kind}.initial"), &mut problems);
        }
        for t in &lifecycle.transitions {
            let at = format!("lifecycles.{kind}.transitions.{}", t.name);
            for s in &t.from {
                state(s, at.clone(), &mut problems);
            }
            state(&t.to, at.clone(), &mut problems);
            actor(&t.by, &at, &mut problems);
        }
    }
    for f in &w.actor_fields {
        actor(&f.by, &format!("actor_fields ({} {})", f.kind, f.field), &mut problems);
    }
    for t in &w.required_tests {
        let at = format!("required_tests ({} {})", t.kind, t.tester);
        actor(&t.by, &at, &mut problems);
        match w.lifecycles.get(&t.kind) {
            Some(lifecycle) => {
                for s in [&t.state, &t.before] {
                    if !lifecycle.states.contains_key(s) {
                        problems.push(format!("{at}: unknown state `{s}`"));
                    }
                }
            }
            None => problems.push(format!("{at}: `{}` has no lifecycle", t.kind)),
        }
    }
    let kinds = w
        .actor_fields
        .iter()
        .map(|x| &x.kind)
        .chain(w.separation.iter().map(|x| &x.kind))
        .chain(w.holders.iter().map(|x| &x.kind))
        .chain(w.references.keys())
        .chain(w.expiries.iter().map(|x| &x.kind))
        .chain(w.reviews.iter().map(|x| &x.kind))
        .chain(w.deadlines.iter().map(|x| &x.kind));
    for kind in kinds {
        if !kind_ok(kind) {
            problems.push(format!("unknown kind `{kind}`"));
        }
    }
    for (kind, fields) in &w.references {
        for (field, targets) in fields {
            for target in targets {
                let target_kind = target.split(':').next().unwrap_or(target);
                if !kind_ok(target_kind) {
                    problems.push(format!("references.{kind}.{field}: unknown kind `{target}`"));
                }
            }
        }
    }
    for entry in w.entries() {
        let label = &entry.label;
        match entry.local {
            Some(name) if !w.local_rules.contains_key(name) => {
                problems.push(format!("{label}: unknown local rule `{name}` (declare it under `local_rules`)"));
            }
            None if entry.article.is_empty() => problems.push(format!(
                "{label}: cites no article of the directive and names no local rule (give `article:` or `local:`)"
            )),
            _ => {}
        }
    }
    for (name, spec) in &w.actors {
        let ActorSpec { role, function, unit_from, person_from } = spec;
        if role.0.is_empty() && function.is_none() && unit_from.is_none() && person_from.is_none() {
            problems.push(format!("actors.{name}: an actor needs at least one condition"));
        }
    }
    problems
}

/// A field path of `workflows.yaml` that its kind's schema does not declare, and where
/// (a JSON Pointer into the file) it is written.
struct FieldProblem {
    pointer: String,
    message: String,
}

/// What a field path reaches in a kind's schema.
#[derive(Debug)]
struct Reached {
    /// Whether the field may hold a list (a path to a person must walk it with `[]`).
    list: bool,
}

/// Follows field paths through the JSON Schemas: `properties`, `items`, `$ref` (into the
/// same or another file of `schemas/`), `allOf` / `anyOf` / `oneOf` and `then` / `else`.
struct SchemaPaths<'a> {
    schemas: &'a IndexMap<String, Json>,
}

impl<'a> SchemaPaths<'a> {
    /// The schema a `$ref` written in `file` names: `other.schema.json#/$defs/x`,
    /// `#/$defs/x` (same file) or a full `$id`.
    fn deref(&self, file: &'a str, reference: &str) -> Option<(&'a str, &'a Json)> {
        let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (name, schema) = if target.is_empty() {
            self.schemas.get_key_value(file)?
        } else {
            let name = target.rsplit('/').next().unwrap_or(target);
            self.schemas
                .get_key_value(name)
                .or_else(|| self.schemas.iter().find(|(_, s)| s.get("$id").and_then(Json::as_str) == Some(target)))?
        };
        let node = if fragment.is_empty() { schema } else { schema.pointer(fragment)? };
        Some((name.as_str(), node))
    }

    /// Every schema `node` stands for: itself, what its `$ref` names and its branches.
    fn expand(&self, file: &'a str, node: &'a Json, out: &mut Vec<(&'a str, &'a Json)>, depth: usize) {
        if depth > 32 || !node.is_object() {
            return;
        }
        out.push((file, node));
        if let Some((f, n)) = node.get("$ref").and_then(Json::as_str).and_then(|r| self.deref(file, r)) {
            self.expand(f, n, out, depth + 1);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for branch in node.get(key).and_then(Json::as_array).into_iter().flatten() {
                self.expand(file, branch, out, depth + 1);
            }
        }
        for key in ["then", "else"] {
            if let Some(branch) = node.get(key) {
                self.expand(file, branch, out, depth + 1);
            }
        }
    }

    fn expanded(&self, nodes: &[(&'a str, &'a Json)]) -> Vec<(&'a str, &'a Json)> {
        let mut out = Vec::new();
        for (file, node) in nodes {
            self.expand(file, node, &mut out, 0);
        }
        out
    }

    /// Walks `path` (`resolution.tested_by`, `deployments[].by`, `developers[]`) from the
    /// schema of `kind`; `Err` says which part is not declared.
    fn walk(&self, kind: &str, path: &str) -> Result<Reached, String> {
        let file = Kind::from_name(kind).map(schema_file).unwrap_or_default();
        let Some((file, root)) = self.schemas.get_key_value(&file) else {
            return Err(format!("`{kind}` has no schema"));
        };
        let mut current = vec![(file.as_str(), root)];
        let mut done = String::new();
        for part in path.split('.') {
            let (key, each) = match part.strip_suffix("[]") {
                Some(k) => (k, true),
                None => (part, false),
            };
            let nodes = self.expanded(&current);
            let found: Vec<_> = nodes
                .iter()
                .filter_map(|(f, n)| n.get("properties").and_then(|p| p.get(key)).map(|p| (*f, p)))
                .collect();
            if found.is_empty() {
                let mut known: Vec<&str> = nodes
                    .iter()
                    .filter_map(|(_, n)| n.get("properties").and_then(Json::as_object))
                    .flat_map(|p| p.keys().map(String::as_str))
                    .collect();
                known.sort_unstable();
                known.dedup();
                let mut message = format!("`{path}` is not a field of {kind}: {file} declares no `{done}{key}`");
                if let Some(close) = closest(key, &known) {
                    let rest = &path[done.len() + key.len()..];
                    message.push_str(&format!("; did you mean `{done}{close}{rest}`?"));
                }
                return Err(message);
            }
            current = if each {
                let items: Vec<_> =
                    self.expanded(&found).into_iter().filter_map(|(f, n)| n.get("items").map(|i| (f, i))).collect();
                if items.is_empty() {
                    return Err(format!("`{path}`: `{done}{key}` of {kind} is not a list, `[]` walks nothing"));
                }
                items
            } else {
                found
            };
            done.push_str(part);
            done.push('.');
        }
        let list = self.expanded(&current).iter().any(|(_, n)| {
            n.get("items").is_some()
                || match n.get("type") {
                    Some(Json::String(t)) => t == "array",
                    Some(Json::Array(ts)) => ts.iter().any(|t| t == "array"),
                    _ => false,
                }
        });
        Ok(Reached { list })
    }
}

/// The name in `known` closest to `word`, when one is only a typo away.
fn closest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    let limit = (word.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (strsim::levenshtein(word, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// A JSON Pointer into `workflows.yaml` from its keys and indexes.
fn pointer(parts: &[&dyn std::fmt::Display]) -> String {
    parts.iter().map(|p| format!("/{}", p.to_string().replace('~', "~0").replace('/', "~1"))).collect()
}

/// One field path `workflows.yaml` names, with where it is written.
struct FieldUse {
    kind: String,
    path: String,
    /// The path names one value per record or entry (a person, a date), so it must not
    /// end on a list.
    one: bool,
    /// JSON Pointer into `workflows.yaml`.
    pointer: String,
    /// The entry, for the message (`separation[0] (request …)`).
    entry: String,
    /// The use this one depends on (a `where` key on its list): checked only if that is right.
    after: Option<usize>,
}

/// The field paths of `workflows.yaml`, gathered.
#[derive(Default)]
struct Uses {
    uses: Vec<FieldUse>,
    problems: Vec<FieldProblem>,
}

impl Uses {
    /// Adds a use; returns its index, for the `where` keys that depend on it.
    fn add(&mut self, kind: &str, path: &str, one: bool, pointer: String, entry: &str) -> usize {
        let (kind, path, entry) = (kind.to_string(), path.to_string(), entry.to_string());
        self.uses.push(FieldUse { kind, path, one, pointer, entry, after: None });
        self.uses.len() - 1
    }

    /// The keys of a `where`, which filters the entries of the first list `path` walks
    /// (checked only when use `after`, the path itself, is right).
    fn filters(
        &mut self,
        kind: &str,
        path: &str,
        filter: &IndexMap<String, String>,
        at: &str,
        entry: &str,
        after: usize,
    ) {
        if filter.is_empty() {
            return;
        }
        let Some((list, _)) = path.split_once("[]") else {
            self.problems.push(FieldProblem {
                pointer: format!("{at}/where"),
                message: format!("{entry}: `where` filters list entries, but `{path}` walks no list (no `[]`)"),
            });
            return;
        };
        for key in filter.keys() {
            let at = format!("{at}{}", pointer(&[&"where", key]));
            let i = self.add(kind, &format!("{list}[].{key}"), true, at, &format!("{entry} where"));
            self.uses[i].after = Some(after);
        }
    }
}

/// Every field path `workflows.yaml` names, by kind.
fn field_uses(w: &Workflows) -> (Vec<FieldUse>, Vec<FieldProblem>) {
    let mut u = Uses::default();
    // The kinds each actor acts on, and the first place that makes it so.
    let mut actor_uses: IndexMap<(String, String), String> = IndexMap::new();
    for (kind, lifecycle) in &w.lifecycles {
        let base = format!("lifecycles.{kind}");
        u.add(kind, &lifecycle.field, true, pointer(&[&"lifecycles", kind, &"field"]), &format!("{base}.field"));
        for (state, spec) in &lifecycle.states {
            let entry = format!("{base}.states.{state}");
            for (i, path) in spec.requires.iter().enumerate() {
                u.add(
                    kind,
                    path,
                    false,
                    pointer(&[&"lifecycles", kind, &"states", state, &"requires", &i]),
                    &format!("{entry}.requires"),
                );
            }
            for (local, paths) in &spec.local_requires {
                for (i, path) in paths.iter().enumerate() {
                    let at = pointer(&[&"lifecycles", kind, &"states", state, &"local_requires", local, &i]);
                    u.add(kind, path, false, at, &format!("{entry}.local_requires.{local}"));
                }
            }
            for (i, req) in spec.entries.iter().enumerate() {
                let at = pointer(&[&"lifecycles", kind, &"states", state, &"entries", &i]);
                let (entry, list) = (format!("{entry}.entries[{i}]"), format!("{}[]", req.list));
                let after = u.add(kind, &list, false, format!("{at}/list"), &entry);
                u.filters(kind, &list, &req.filter, &at, &entry, after);
            }
        }
        for t in &lifecycle.transitions {
            for actor in &t.by {
                actor_uses
                    .entry((kind.clone(), actor.clone()))
                    .or_insert_with(|| format!("{base}.transitions.{}", t.name));
            }
        }
    }
    for (i, rule) in w.actor_fields.iter().enumerate() {
        let at = pointer(&[&"actor_fields", &i]);
        let entry = format!("actor_fields[{i}] ({} {})", rule.kind, rule.field);
        let after = u.add(&rule.kind, &rule.field, true, format!("{at}/field"), &entry);
        u.filters(&rule.kind, &rule.field, &rule.filter, &at, &entry, after);
        for actor in &rule.by {
            actor_uses.entry((rule.kind.clone(), actor.clone())).or_insert_with(|| entry.clone());
        }
    }
    for (i, rule) in w.separation.iter().enumerate() {
        let at = pointer(&[&"separation", &i]);
        let entry = format!("separation[{i}] ({} {} / {})", rule.kind, rule.a, rule.b);
        u.add(&rule.kind, &rule.a, true, format!("{at}/a"), &entry);
        let after = u.add(&rule.kind, &rule.b, true, format!("{at}/b"), &entry);
        u.filters(&rule.kind, &rule.b, &rule.filter, &at, &entry, after);
    }
    for (section, rules) in [("holders", &w.holders), ("expiries", &w.expiries), ("deadlines", &w.deadlines)] {
        for (i, rule) in rules.iter().enumerate() {
            let entry = format!("{section}[{i}] ({} {})", rule.kind, rule.field);
            u.add(&rule.kind, &rule.field, true, pointer(&[&section, &i, &"field"]), &entry);
        }
    }
    for (i, rule) in w.reviews.iter().enumerate() {
        let entry = format!("reviews[{i}] ({} {})", rule.kind, rule.dates);
        u.add(&rule.kind, &rule.dates, true, pointer(&[&"reviews", &i, &"dates"]), &entry);
        for (key, field) in [("since", &rule.since), ("interval_field", &rule.interval_field)] {
            if let Some(field) = field {
                u.add(&rule.kind, field, true, pointer(&[&"reviews", &i, &key]), &entry);
            }
        }
    }
    for (i, rule) in w.required_tests.iter().enumerate() {
        let at = pointer(&[&"required_tests", &i]);
        let entry = format!("required_tests[{i}] ({} {})", rule.kind, rule.tester);
        u.add(&rule.kind, &rule.field, true, format!("{at}/field"), &entry);
        u.add(&rule.kind, &rule.tester, true, format!("{at}/tester"), &entry);
        for actor in &rule.by {
            actor_uses.entry((rule.kind.clone(), actor.clone())).or_insert_with(|| entry.clone());
        }
    }
    for (kind, fields) in &w.references {
        for path in fields.keys() {
            u.add(kind, path, true, pointer(&[&"references", kind, path]), &format!("references.{kind}"));
        }
    }
    for (kind, fields) in &w.immutable {
        for (i, path) in fields.iter().enumerate() {
            u.add(kind, path, false, pointer(&[&"immutable", kind, &i]), &format!("immutable.{kind}"));
        }
    }
    for ((kind, actor), used) in &actor_uses {
        let Some(spec) = w.actors.get(actor) else { continue }; // cross_check reports it
        for (key, field) in [("unit_from", &spec.unit_from), ("person_from", &spec.person_from)] {
            if let Some(field) = field {
                let entry = format!("actors.{actor}.{key} (used by {used})");
                u.add(kind, field, true, pointer(&[&"actors", actor, &key]), &entry);
            }
        }
    }
    (u.uses, u.problems)
}

/// Field paths that must lead somewhere: every field `workflows.yaml` names must be
/// declared by its kind's schema, or the rule reading it silently finds nothing.
fn check_fields(w: &Workflows, schemas: &IndexMap<String, Json>) -> Vec<FieldProblem> {
    let paths = SchemaPaths { schemas };
    let (uses, mut problems) = field_uses(w);
    let mut wrong = vec![false; uses.len()];
    for (i, u) in uses.into_iter().enumerate() {
        if Kind::from_name(&u.kind).is_none() || u.after.is_some_and(|a| wrong[a]) {
            continue; // cross_check reports an unknown kind; a wrong list is reported once
        }
        wrong[i] = true;
        let message = match paths.walk(&u.kind, &u.path) {
            Ok(reached) if u.one && reached.list => {
                format!("`{}` of {} is a list: write `{}[]` to read each of its entries", u.path, u.kind, u.path)
            }
            Ok(_) => {
                wrong[i] = false;
                continue;
            }
            Err(message) => message,
        };
        problems.push(FieldProblem { pointer: u.pointer, message: format!("{}: {message}", u.entry) });
    }
    for (i, list) in w.append_only.iter().enumerate() {
        let walked = format!("{list}[]");
        if !Kind::ALL.iter().any(|k| paths.walk(k.name(), &walked).is_ok()) {
            problems.push(FieldProblem {
                pointer: pointer(&[&"append_only", &i]),
                message: format!("append_only: no kind has a list `{list}`"),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_load() {
        let rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        assert!(rules.workflows.lifecycles.contains_key("request"));
        for kind in Kind::ALL {
            assert!(rules.schemas.contains_key(&schema_file(kind)), "{kind}");
        }
    }

    #[test]
    fn a_citation_of_no_item_of_the_directive_is_refused() {
        let rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        assert!(unknown_citations(&rules.workflows, &rules.directive).is_empty());
        assert_eq!(rules.directive.articles.len(), 18);
        let broken = edited("article: \"M9(1)(b)\" }", "article: \"M9(1)(z)\" }");
        let err = Ruleset::from_source(|name| Ok((name == WORKFLOWS_FILE).then(|| broken.clone()))).unwrap_err();
        assert!(format!("{err:#}").contains("M9(1)(z) is not in the directive"), "{err:#}");
        let broken = edited("applies: \"M7(1)(r)\"", "applies: \"M7(2)\"");
        let err = Ruleset::from_source(|name| Ok((name == WORKFLOWS_FILE).then(|| broken.clone()))).unwrap_err();
        assert!(
            format!("{err:#}").contains("local rule request_tester_not_assignee: M7(2) is not in the directive"),
            "{err:#}"
        );
        // The directive's own numbering is checked: an item out of the alphabet's order.
        let directive = DEFAULTS.iter().find(|(n, _)| *n == DIRECTIVE_FILE).unwrap().1;
        let swapped = directive.replacen("- item: ç", "- item: x", 1);
        let err = parse_directive(&swapped, &rules.schemas).unwrap_err();
        assert!(format!("{err:#}").contains("item (x) is written where (ç) belongs"), "{err:#}");
    }

    #[test]
    fn workflow_mistakes_are_reported() {
        let schema = &Ruleset::from_source(|_| Ok(None)).unwrap().schemas;
        let default = DEFAULTS.iter().find(|(n, _)| *n == WORKFLOWS_FILE).unwrap().1;
        let broken = default.replacen(
            "by: [chief_of_service, branch_manager], article: \"M5(1)(c)\" }",
            "by: [chef], article: \"M5(1)(c)\" }",
            1,
        );
        let err = parse_workflows(&broken, schema).unwrap_err();
        assert!(format!("{err:#}").contains("unknown actor `chef`"), "{err:#}");
        let unknown = default.replacen("  request: [id, received,", "  requets: [id, received,", 1);
        let err = parse_workflows(&unknown, schema).unwrap_err();
        assert!(format!("{err:#}").contains("requets"), "{err:#}");
        let typo = default.replacen("initial: [new]", "intial: [new]", 1);
        assert!(parse_workflows(&typo, schema).is_err());
    }

    /// The default `workflows.yaml` with `from` replaced by `to` (which must be there).
    fn edited(from: &str, to: &str) -> String {
        let default = DEFAULTS.iter().find(|(n, _)| *n == WORKFLOWS_FILE).unwrap().1;
        assert!(default.contains(from), "workflows.yaml has no {from:?}");
        default.replacen(from, to, 1)
    }

    #[test]
    fn every_shipped_field_path_is_in_its_schema() {
        let rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        let problems: Vec<String> =
            check_fields(&rules.workflows, &rules.schemas).into_iter().map(|p| p.message).collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        // Every kind of entry is looked at: the shipped file names paths in all of them.
        let (uses, _) = field_uses(&rules.workflows);
        for entry in [
            "lifecycles.request.field",
            "lifecycles.request.states.closed.requires",
            "lifecycles.project.states.live.entries[0]",
            "lifecycles.project.states.live.entries[0] where",
            "actors.chief_of_service.unit_from",
            "actors.assignee.person_from",
            "actor_fields[7] (project tests[].by) where",
            "required_tests[1] (request resolution.tested_by)",
            "holders[3] (repository access[].person)",
            "expiries[0] (certificate not_after)",
            "reviews[0] (grant reviews[].date)",
            "reviews[4] (continuity_plan tests[].date)",
            "deadlines[0] (request due)",
            "references.request",
            "immutable.grant",
        ] {
            assert!(uses.iter().any(|u| u.entry.starts_with(entry)), "no field use from {entry}");
        }
    }

    #[test]
    fn a_mistyped_field_path_is_refused_in_every_kind_of_entry() {
        let schema = &Ruleset::from_source(|_| Ok(None)).unwrap().schemas;
        // (text of the default file, its mistake, what the error must say)
        let cases = [
            (
                "field: status\n    article: \"M5(1)(c)\"",
                "field: statu\n    article: \"M5(1)(c)\"",
                "lifecycles.request.field: `statu` is not a field of request",
            ),
            (
                "resolution.date, resolution.summary]",
                "resolution.date, resolution.sumary]",
                "lifecycles.request.states.closed.requires: `resolution.sumary` is not a field of request: request.schema.json declares no `resolution.sumary`; did you mean `resolution.summary`?",
            ),
            (
                "{ list: tests, where: { result: pass, role: support }",
                "{ list: test, where: { result: pass, role: support }",
                "lifecycles.project.states.deployment.entries[0]: `test[]` is not a field of project",
            ),
            (
                "{ list: tests, where: { result: pass, role: support }",
                "{ list: tests, where: { resutl: pass, role: support }",
                "entries[0] where: `tests[].resutl` is not a field of project: project.schema.json declares no `tests[].resutl`; did you mean `tests[].result`?",
            ),
            (
                "unit_from: owner_unit",
                "unit_from: owner_unt",
                "actors.owner_unit_official.unit_from (used by lifecycles.project.transitions.test_failed): `owner_unt` is not a field of project",
            ),
            (
                "person_from: assignee",
                "person_from: asignee",
                "actors.assignee.person_from (used by lifecycles.request.transitions.start): `asignee` is not a field of request",
            ),
            (
                "field: rejection.by,",
                "field: rejection.bye,",
                "actor_fields[0] (request rejection.bye): `rejection.bye` is not a field of request",
            ),
            (
                "field: \"deployments[].by\", where: { environment: production }, by: [devops_service, rnd_own_service]",
                "field: \"deployments[].by\", where: { enviroment: production }, by: [devops_service, rnd_own_service]",
                "actor_fields[10] (project deployments[].by) where: `deployments[].enviroment` is not a field of project",
            ),
            (
                "field: analyst, by:",
                "field: analyst, where: { role: analyst }, by:",
                "actor_fields[6] (project analyst): `where` filters list entries, but `analyst` walks no list",
            ),
            (
                "a: grantee, b: approved_by",
                "a: grantee, b: aproved_by",
                "separation[1] (grant grantee / aproved_by): `aproved_by` is not a field of grant",
            ),
            (
                "a: \"developers[]\", b: \"tests[].by\"",
                "a: developers, b: \"tests[].by\"",
                "separation[4] (project developers / tests[].by): `developers` of project is a list: write `developers[]`",
            ),
            (
                "field: \"access[].person\"",
                "field: \"access[].persons\"",
                "holders[3] (repository access[].persons): `access[].persons` is not a field of repository",
            ),
            (
                "field: assignee, when: open",
                "field: \"assignee[]\", when: open",
                "holders[0] (request assignee[]): `assignee[]`: `assignee` of request is not a list",
            ),
            (
                "field: not_after",
                "field: not_afer",
                "expiries[0] (certificate not_afer): `not_afer` is not a field of certificate",
            ),
            (
                "dates: \"reviews[].date\"",
                "dates: \"review[].date\"",
                "reviews[0] (grant review[].date): `review[].date` is not a field of grant",
            ),
            (
                "since: granted_on",
                "since: granted_at",
                "reviews[0] (grant reviews[].date): `granted_at` is not a field of grant",
            ),
            (
                "interval_field: test_interval",
                "interval_field: test_intervals",
                "reviews[4] (continuity_plan tests[].date): `test_intervals` is not a field of continuity_plan",
            ),
            (
                "field: due, when: open",
                "field: deu, when: open",
                "deadlines[0] (request deu): `deu` is not a field of request",
            ),
            (
                "    requester: [person]",
                "    requestor: [person]",
                "references.request: `requestor` is not a field of request",
            ),
            (
                "request: [id, received,",
                "request: [id, recieved,",
                "immutable.request: `recieved` is not a field of request",
            ),
            (
                "values: [change, db_change, defect], state: testing, before: closed, tester: resolution.tested_by",
                "values: [change, db_change, defect], state: testing, before: closed, tester: resolution.tester",
                "required_tests[1] (request resolution.tester): `resolution.tester` is not a field of request",
            ),
            ("append_only: [history,", "append_only: [histories,", "append_only: no kind has a list `histories`"),
        ];
        for (from, to, says) in cases {
            let broken = edited(from, to);
            let err = format!("{:#}", parse_workflows(&broken, schema).unwrap_err());
            assert!(err.contains(says), "{to:?}:\n{err}\nshould say\n{says}");
            // One mistake, one problem — per kind that reads the field (an actor's
            // `person_from` is read by each lifecycle using the actor).
            // The line is the one the mistake is written on.
            let default = edited(from, from);
            let at = default.bytes().zip(broken.bytes()).position(|(a, b)| a != b).unwrap();
            let line = 1 + broken[..at].matches('\n').count();
            assert!(err.lines().all(|l| l.starts_with(&format!("line {line}: "))), "{to:?} is on line {line}:\n{err}");
            assert_eq!(err.lines().count(), err.lines().collect::<std::collections::BTreeSet<_>>().len(), "{err}");
        }
    }

    #[test]
    fn a_field_path_follows_refs_branches_and_items() {
        let schemas = Ruleset::from_source(|_| Ok(None)).unwrap().schemas;
        let paths = SchemaPaths { schemas: &schemas };
        // `$ref` into common.schema.json (the inventory's common fields, a letter's number).
        assert!(paths.walk("account", "owner").is_ok());
        assert!(paths.walk("request", "rejection.letter.number").is_ok());
        assert!(
            paths
                .walk("request", "rejection.letter.numbr")
                .unwrap_err()
                .contains("did you mean `rejection.letter.number`?")
        );
        // `allOf` in list items (a grant's history entry is the common history entry).
        assert!(paths.walk("grant", "history[].by").is_ok());
        assert!(paths.walk("grant", "history[].note").is_ok());
        assert!(!paths.walk("grant", "history[].by").unwrap().list);
        assert!(paths.walk("project", "developers").unwrap().list);
        // A field no schema file of the kind declares.
        assert!(paths.walk("person", "grantee").is_err());
        assert_eq!(closest("histroy", &["history", "title"]), Some("history"));
        assert_eq!(closest("zzz", &["history", "title"]), None);
    }
}
