//! The `schema` rule: each record against its kind's JSON Schema (draft 2020-12), with
//! cross-file `$ref`s resolved offline from the rule set. Errors point at the YAML node
//! the instance path names (the offending key for unknown fields) and take the schema's
//! Turkish `title`/`description` as help.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Validator};
use serde_json::Value as Json;

use super::Context;
use crate::diag::{Diagnostic, Rule};
use crate::load::Record;
use crate::load::rules::{Ruleset, schema_file};
use crate::model::Kind;

/// One compiled validator per kind, plus the raw schemas for help texts.
pub struct Schemas {
    validators: HashMap<Kind, Validator>,
    raw: HashMap<String, Json>,
}

impl Schemas {
    pub fn compile(rules: &Ruleset) -> Result<Schemas> {
        let registry = crate::load::rules::registry(&rules.schemas)?;
        let mut validators = HashMap::new();
        for kind in Kind::ALL {
            let name = schema_file(kind);
            let schema = &rules.schemas[&name];
            let validator = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&registry)
                .should_validate_formats(true)
                .build(schema)
                .map_err(|e| anyhow!("schemas/{name} is not a usable schema: {e}"))?;
            validators.insert(kind, validator);
        }
        let raw = rules.schemas.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Ok(Schemas { validators, raw })
    }

    /// The (resolved) subschema that describes an instance path of a kind's records.
    pub fn subschema(&self, kind: Kind, pointer: &str) -> Option<&Json> {
        let file = schema_file(kind);
        let (name, root) = self.raw.get_key_value(&file)?;
        let mut current = (name.as_str(), root);
        for token in pointer.split('/').skip(1) {
            current = self.child(current, token)?;
        }
        self.resolve(current).map(|(_, node)| node)
    }

    /// `title: description` of the schema node for an instance path, if the schema has it.
    pub fn describe(&self, kind: Kind, pointer: &str) -> Option<String> {
        let node = self.subschema(kind, pointer)?;
        let title = node.get("title").and_then(Json::as_str);
        let description = node.get("description").and_then(Json::as_str);
        match (title, description) {
            (Some(t), Some(d)) => Some(format!("{t}: {d}")),
            (Some(t), None) => Some(t.to_string()),
            (None, Some(d)) => Some(d.to_string()),
            (None, None) => None,
        }
    }

    /// Follows `$ref` (within and across the rule set's files) a few times.
    fn resolve<'s>(&'s self, (mut file, mut node): (&'s str, &'s Json)) -> Option<(&'s str, &'s Json)> {
        for _ in 0..8 {
            let Some(reference) = node.get("$ref").and_then(Json::as_str) else { return Some((file, node)) };
            let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
            if !target.is_empty() {
                file = target.rsplit('/').next()?;
            }
            let (name, doc) = self.raw.get_key_value(file)?;
            file = name;
            node = doc.pointer(fragment)?;
        }
        Some((file, node))
    }

    /// The subschema for one instance path step, looking through `$ref` and `allOf`.
    fn child<'s>(&'s self, at: (&'s str, &'s Json), token: &str) -> Option<(&'s str, &'s Json)> {
        let (file, node) = self.resolve(at)?;
        if let Some(found) = node.get("properties").and_then(|p| p.get(token)) {
            return Some((file, found));
        }
        if token.parse::<usize>().is_ok()
            && let Some(items) = node.get("items")
        {
            return Some((file, items));
        }
        node.get("allOf")?.as_array()?.iter().find_map(|sub| self.child((file, sub), token))
    }
}

/// `/history/2/by` → `history[2].by`
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for token in pointer.split('/').skip(1) {
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// The validator quotes the rejected value: a whole list, or a 5 MiB string. A message
/// keeps its first [`MAX_MESSAGE`] characters.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_MESSAGE) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

const MAX_MESSAGE: usize = 300;

pub fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    if record.kind == Kind::ProjectSection && record.fields.value == crate::model::Value::Null {
        return;
    }
    let json = record.fields.to_json();
    let validator = &cx.schemas.validators[&record.kind];
    for error in validator.iter_errors(&json) {
        let pointer = error.instance_path().as_str().to_string();
        let at = dotted(&pointer);
        let prefix = if at.is_empty() { String::new() } else { format!("`{at}`: ") };
        let describe = |p: &str| cx.schemas.describe(record.kind, p);
        let field_help = |key: &str| {
            let p = format!("{pointer}/{key}");
            describe(&p)
                .map_or_else(|| format!("`{key}` is required for a {} record", record.kind), |d| format!("{key} — {d}"))
        };
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                for key in unexpected {
                    let pos = record.fields.key_pos_at(&pointer, key);
                    out.push(
                        Diagnostic::at(
                            Rule::Schema,
                            &record.path,
                            pos,
                            format!("{prefix}unknown field `{}`", shorten(key)),
                        )
                        .with_help(format!(
                            "check the spelling; docs/records.md lists the fields of a {} record",
                            record.kind
                        )),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                let pos = record.fields.pointer(&pointer).pos;
                out.push(
                    Diagnostic::at(Rule::Schema, &record.path, pos, format!("{prefix}missing required field `{key}`"))
                        .with_help(field_help(key)),
                );
            }
            _ => {
                let node = record.fields.pointer(&pointer);
                let help = describe(&pointer).unwrap_or_else(|| format!("see schemas/{}", schema_file(record.kind)));
                out.push(
                    Diagnostic::at(
                        Rule::Schema,
                        &record.path,
                        node.pos,
                        format!("{prefix}{}", shorten(&error.to_string())),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dotted;

    #[test]
    fn pointers_read_as_field_paths() {
        assert_eq!(dotted("/history/2/by"), "history[2].by");
        assert_eq!(dotted(""), "");
        assert_eq!(dotted("/a~1b"), "a/b");
    }
}
