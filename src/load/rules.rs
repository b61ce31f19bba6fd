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
use crate::model::Kind;
use crate::model::workflow::{ActorSpec, Workflows};

/// The folder of schemas and workflow data inside a repository.
pub const SCHEMAS_DIR: &str = "schemas";
pub const WORKFLOWS_FILE: &str = "workflows.yaml";
pub const WORKFLOWS_SCHEMA: &str = "workflows.schema.json";
pub const COMMON_SCHEMA: &str = "common.schema.json";

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        /// Every default file of `schemas/`, by name.
        pub const DEFAULTS: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../schemas/", $name))),)*];
    };
}

embedded!(
    "workflows.yaml",
    "workflows.schema.json",
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
);

/// Schemas (by file name) and the parsed workflow data.
#[derive(Clone, Debug)]
pub struct Ruleset {
    pub schemas: IndexMap<String, Json>,
    pub workflows: Workflows,
    /// The text of every file, to tell whether two rule sets differ.
    pub texts: IndexMap<String, String>,
}

/// The schema file name of a kind.
pub fn schema_file(kind: Kind) -> String {
    format!("{}.schema.json", kind.name())
}

impl Ruleset {
    /// Reads the rule set of the repository at `root` (defaults where it has no file).
    pub fn load(root: &Path) -> Result<Ruleset> {
        let dir = root.join(SCHEMAS_DIR);
        Ruleset::from_source(|name| {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
            }
        })
    }

    /// Builds the rule set from a lookup of repository files by name (`None`: use the
    /// default). Used for the working tree and for a git revision alike.
    pub fn from_source(mut read: impl FnMut(&str) -> Result<Option<String>>) -> Result<Ruleset> {
        let mut schemas = IndexMap::new();
        let mut texts = IndexMap::new();
        let mut workflows_text = None;
        for (name, default) in DEFAULTS {
            let text = read(name)?.unwrap_or_else(|| (*default).to_string());
            let shown = format!("{SCHEMAS_DIR}/{name}");
            texts.insert((*name).to_string(), text.clone());
            if *name == WORKFLOWS_FILE {
                workflows_text = Some(text);
            } else {
                let json: Json = serde_json::from_str(&text).with_context(|| format!("{shown} is not valid JSON"))?;
                schemas.insert((*name).to_string(), json);
            }
        }
        let text = workflows_text.expect("workflows.yaml is embedded");
        let workflows = parse_workflows(&text, &schemas)
            .with_context(|| format!("{SCHEMAS_DIR}/{WORKFLOWS_FILE} is not usable"))?;
        Ok(Ruleset { schemas, workflows, texts })
    }
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

/// Parses `workflows.yaml`, checks it against its schema and cross-checks its names.
pub fn parse_workflows(text: &str, schemas: &IndexMap<String, Json>) -> Result<Workflows> {
    let node = yaml::parse(text, 0).map_err(|e| anyhow!("line {}:{}: {}", e.pos.line, e.pos.col, e.message.en))?;
    let json = node.to_json();
    let registry = registry(schemas)?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .with_registry(&registry)
        .build(&schemas[WORKFLOWS_SCHEMA])
        .map_err(|e| anyhow!("{WORKFLOWS_SCHEMA} is not a valid schema: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| {
            let pos = node.pointer(e.instance_path().as_str()).pos;
            format!("line {}:{}: {} (at {})", pos.line, pos.col, e, e.instance_path())
        })
        .collect();
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    let workflows: Workflows = serde_json::from_value(json)?;
    let problems = cross_check(&workflows);
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
    for (name, spec) in &w.actors {
        let ActorSpec { role, function, unit_from, person_from } = spec;
        if role.0.is_empty() && function.is_none() && unit_from.is_none() && person_from.is_none() {
            problems.push(format!("actors.{name}: an actor needs at least one condition"));
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
        let typo = default.replacen("initial: [new]", "intial: [new]", 1);
        assert!(parse_workflows(&typo, schema).is_err());
    }
}
