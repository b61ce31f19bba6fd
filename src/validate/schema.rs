//! The `schema` rule: each record against its kind's JSON Schema (draft 2020-12), with
//! cross-file `$ref`s resolved offline from the rule set. Errors point at the YAML node
//! the instance path names (the offending key for unknown fields) and take the schema's
//! Turkish `title`/`description` as help. The validator words its errors in English; the
//! Turkish message is made here from the error's kind, the field path and the field's
//! Turkish `title`.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, Validator};
use serde_json::Value as Json;

use super::Context;
use crate::diag::{Diagnostic, Rule, msg};
use crate::load::rules::{Ruleset, schema_file};
use crate::model::Kind;
use crate::model::Record;
use crate::model::text::{closest, fold_case};

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
                .map_err(|e| {
                    anyhow!(msg!(
                        "schemas/{name} is not a usable schema: {e}",
                        "schemas/{name} kullanılabilir bir şema değil: {e}"
                    ))
                })?;
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

    /// The Turkish `title` of the schema node for an instance path (`""`: the kind's).
    pub fn title(&self, kind: Kind, pointer: &str) -> Option<&str> {
        self.subschema(kind, pointer)?.get("title").and_then(Json::as_str)
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
pub(crate) fn dotted(pointer: &str) -> String {
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

pub(crate) fn check(cx: &Context, record: &Record, out: &mut Vec<Diagnostic>) {
    if record.kind == Kind::ProjectSection && record.fields.value == crate::model::Value::Null {
        return;
    }
    let json = record.fields.to_json();
    let validator = &cx.schemas.validators[&record.kind];
    let kind = record.kind;
    let title = cx.schemas.title(kind, "").unwrap_or(kind.name());
    // The fields a date finding was made for: a date breaks both the pattern and the
    // format of `$defs/date`, and is told once.
    let mut dates: std::collections::HashSet<String> = std::collections::HashSet::new();
    for error in validator.iter_errors(&json) {
        let pointer = error.instance_path().as_str().to_string();
        let at = dotted(&pointer);
        let prefix = if at.is_empty() { String::new() } else { format!("`{at}`: ") };
        let describe = |p: &str| cx.schemas.describe(kind, p);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let within = if at.is_empty() { String::new() } else { format!(" (`{at}` içinde)") };
                // One lookup table for the mapping, not a search of it per unknown key:
                // 200,000 unknown keys at the top level would otherwise take minutes.
                let parent = record.fields.pointer(&pointer);
                let key_pos: HashMap<&str, crate::model::Pos> =
                    parent.entries().iter().map(|e| (e.key.as_str(), e.key_pos)).collect();
                for key in unexpected {
                    let pos = key_pos.get(key.as_str()).copied().unwrap_or(parent.pos);
                    let key = shorten(key);
                    out.push(
                        Diagnostic::at(
                            Rule::Schema,
                            &record.path,
                            pos,
                            msg!("{prefix}unknown field `{key}`", "şemada tanımlı olmayan alan: `{key}`{within}"),
                        )
                        .with_help(msg!(
                            "check the spelling; docs/records.md lists the fields of a {kind} record",
                            "yazımı denetleyin; {title} kaydının alanları docs/records.md belgesinde listelenir"
                        )),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                let child = format!("{pointer}/{key}");
                let pos = record.fields.pointer(&pointer).pos;
                let help = match describe(&child) {
                    Some(d) => msg!("{key} — {d}", "{key} — {d}"),
                    None => {
                        msg!("`{key}` is required for a {kind} record", "`{key}` alanı {title} kaydı için zorunludur")
                    }
                };
                out.push(
                    Diagnostic::at(
                        Rule::Schema,
                        &record.path,
                        pos,
                        msg!(
                            "{prefix}missing required field `{key}`",
                            "zorunlu alan eksik: {field}",
                            field = field_tr(cx.schemas, kind, &child)
                        ),
                    )
                    .with_help(help),
                );
            }
            ValidationErrorKind::Format { format } if format == "date" => {
                date(cx, record, &pointer, error.instance(), &mut dates, out);
            }
            ValidationErrorKind::Pattern { pattern } if pattern.starts_with(DATE_PATTERN) => {
                date(cx, record, &pointer, error.instance(), &mut dates, out);
            }
            ValidationErrorKind::Enum { options } => {
                let node = record.fields.pointer(&pointer);
                let labels = cx.schemas.subschema(kind, &pointer).and_then(|s| s.get("x-labels"));
                let value = show(error.instance());
                let list = options.as_array().map(Vec::as_slice).unwrap_or_default();
                let allowed = |tr: bool| {
                    let each = list.iter().map(|o| {
                        let code = show(o);
                        match labels.and_then(|l| l.get(&code)).and_then(Json::as_str) {
                            Some(label) if tr || label != code => format!("`{code}` ({label})"),
                            _ => format!("`{code}`"),
                        }
                    });
                    each.collect::<Vec<_>>().join(", ")
                };
                // A label written for its code (`İşlemde` for `in_progress`), or a typo.
                let by_label = list.iter().map(show).find(|code| {
                    labels
                        .and_then(|l| l.get(code))
                        .and_then(Json::as_str)
                        .is_some_and(|label| fold_case(label) == fold_case(&value))
                });
                let codes: Vec<String> = list.iter().map(show).collect();
                let near = by_label.or_else(|| closest(&value, codes.iter().map(String::as_str)).map(str::to_string));
                let (near_en, near_tr) = match &near {
                    Some(code) => (format!("; did you mean `{code}`?"), format!("; `{code}` mi demek istediniz?")),
                    None => Default::default(),
                };
                let message = msg!(
                    "{prefix}`{value}` is not an allowed value{near_en} (allowed: {en})",
                    "{field}: `{value}` izin verilen değerlerden biri değil{near_tr} (izin verilenler: {tr})",
                    value = shorten(&value),
                    en = allowed(false),
                    tr = allowed(true),
                    field = field_tr(cx.schemas, kind, &pointer),
                );
                let help = match describe(&pointer) {
                    Some(d) => msg!("{d}", "{d}"),
                    None => msg!("write one of the allowed values", "izin verilen değerlerden birini yazın"),
                };
                out.push(Diagnostic::at(Rule::Schema, &record.path, node.pos, message).with_help(help));
            }
            other => {
                let node = record.fields.pointer(&pointer);
                let file = schema_file(kind);
                let help = match describe(&pointer) {
                    Some(d) => msg!("{d}", "{d}"),
                    None => msg!("see schemas/{file}", "ayrıntılar schemas/{file} dosyasında"),
                };
                let message = msg!(
                    "{prefix}{en}",
                    "{field}: {tr}",
                    en = shorten(&error.to_string()),
                    field = field_tr(cx.schemas, kind, &pointer),
                    tr = shorten(&turkish(other, error.instance()))
                );
                out.push(Diagnostic::at(Rule::Schema, &record.path, node.pos, message).with_help(help));
            }
        }
    }
}

/// How `$defs/date`'s pattern begins (a field of another pattern is not a date).
const DATE_PATTERN: &str = "^[0-9]{4}-";

/// One finding for a date not written as `YYYY-MM-DD`: when it reads as a Turkish date
/// (`31.12.2026`, `31/12/2026`), the finding says how to write it (`2026-12-31`).
fn date(
    cx: &Context,
    record: &Record,
    pointer: &str,
    value: &Json,
    dates: &mut std::collections::HashSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    if !dates.insert(pointer.to_string()) {
        return;
    }
    let node = record.fields.pointer(pointer);
    let (at, field) = (dotted(pointer), field_tr(cx.schemas, record.kind, pointer));
    let value = shorten(&show(value));
    let message = match day_month_year(&value) {
        Some(iso) => msg!(
            "`{at}`: `{value}` is a date written the Turkish way; write {iso} (YYYY-MM-DD)",
            "{field}: `{value}` tarihi YYYY-AA-GG biçiminde yazılmalı: {iso} yazın"
        ),
        None => msg!(
            "`{at}`: `{value}` is not a date; write it as YYYY-MM-DD (e.g. 2026-03-03)",
            "{field}: `{value}` geçerli bir tarih değil; YYYY-AA-GG biçiminde yazın (ör. 2026-03-03)"
        ),
    };
    let help = msg!(
        "dates in records are written year-month-day, the way they sort",
        "kayıtlarda tarihler yıl-ay-gün sırasıyla yazılır; sitede gg.aa.yyyy olarak gösterilir"
    );
    out.push(Diagnostic::at(Rule::Schema, &record.path, node.pos, message).with_help(help));
}

/// `31.12.2026` (or with `/`, one-digit day and month too) as `2026-12-31`, when it is a
/// day of the calendar.
fn day_month_year(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['.', '/']).collect();
    let [day, month, year] = parts.as_slice() else { return None };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<i16>().ok()).flatten()
    };
    let (d, m, y) = (number(day, 1..=2)?, number(month, 1..=2)?, number(year, 4..=4)?);
    let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(date.to_string())
}

/// The field at `pointer` for a Turkish sentence: `` `path` (Title) `` with the schema's
/// title when it has one, or "kayıt" for the record itself.
fn field_tr(schemas: &Schemas, kind: Kind, pointer: &str) -> String {
    let at = dotted(pointer);
    if at.is_empty() {
        return "kayıt".into();
    }
    match schemas.title(kind, pointer) {
        Some(title) => format!("`{at}` ({title})"),
        None => format!("`{at}`"),
    }
}

/// A value for a Turkish sentence: a string as it is, anything else as JSON.
fn show(value: &Json) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

/// What is wrong with a value, in Turkish, from the kind of a schema error (unknown and
/// missing fields are worded by [`check`]). Kinds the records' schemas do not use get a
/// general sentence, never the validator's English.
fn turkish(kind: &ValidationErrorKind, value: &Json) -> String {
    use ValidationErrorKind as K;
    let value = show(value);
    let one_of = |options: &Json| {
        let list = options.as_array().map(Vec::as_slice).unwrap_or_default();
        list.iter().map(|o| format!("`{}`", show(o))).collect::<Vec<_>>().join(", ")
    };
    match kind {
        K::Type { kind } => {
            let types: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![type_tr(t.as_str())],
                TypeKind::Multiple(set) => set.iter().map(|t| type_tr(t.as_str())).collect(),
            };
            format!("değer {} olmalı", types.join(" ya da "))
        }
        K::Enum { options } => {
            format!("`{value}` değeri izin verilenlerden biri değil (izin verilen değerler: {})", one_of(options))
        }
        K::Constant { expected_value } => format!("değer `{}` olmalı", show(expected_value)),
        K::Pattern { pattern } => format!("`{value}` değeri beklenen biçime uymuyor (desen: `{pattern}`)"),
        K::Format { format } => match format.as_str() {
            "date" => format!("`{value}` geçerli bir tarih değil (YYYY-AA-GG biçiminde yazın)"),
            "email" => format!("`{value}` geçerli bir e-posta adresi değil"),
            "uri" => format!("`{value}` geçerli bir adres (URI) değil"),
            "hostname" => format!("`{value}` geçerli bir sunucu adı değil"),
            other => format!("`{value}` değeri `{other}` biçiminde değil"),
        },
        K::Minimum { limit } => format!("değer en az {limit} olmalı"),
        K::Maximum { limit } => format!("değer en çok {limit} olabilir"),
        K::ExclusiveMinimum { limit } => format!("değer {limit} sayısından büyük olmalı"),
        K::ExclusiveMaximum { limit } => format!("değer {limit} sayısından küçük olmalı"),
        K::MultipleOf { multiple_of } => format!("değer {multiple_of} sayısının katı olmalı"),
        K::MinLength { limit: 1 } => "değer boş olamaz".into(),
        K::MinLength { limit } => format!("değer en az {limit} karakter olmalı"),
        K::MaxLength { limit } => format!("değer en çok {limit} karakter olabilir"),
        K::MinItems { limit: 1 } => "liste boş olamaz".into(),
        K::MinItems { limit } => format!("listede en az {limit} öğe olmalı"),
        K::MaxItems { limit } => format!("listede en çok {limit} öğe olabilir"),
        K::AdditionalItems { limit } => format!("listede en çok {limit} öğe olabilir"),
        K::MinProperties { limit } => format!("en az {limit} alan yazılmalı"),
        K::MaxProperties { limit } => format!("en çok {limit} alan yazılabilir"),
        K::UniqueItems => "listede aynı öğe birden çok kez yazılmış".into(),
        K::Contains => "listede beklenen türde bir öğe yok".into(),
        K::PropertyNames { .. } => "geçersiz bir alan adı var".into(),
        K::AnyOf { .. } | K::OneOfNotValid { .. } => "değer izin verilen seçeneklerin hiçbirine uymuyor".into(),
        K::OneOfMultipleValid { .. } => "değer birden çok seçeneğe uyuyor; yalnızca birine uymalı".into(),
        K::Not { .. } | K::FalseSchema => "bu değer burada kullanılamaz".into(),
        _ => "değer şemaya uymuyor".into(),
    }
}

/// A JSON Schema type in Turkish.
fn type_tr(name: &str) -> &'static str {
    match name {
        "string" => "metin",
        "integer" => "tam sayı",
        "number" => "sayı",
        "boolean" => "true ya da false",
        "array" => "liste",
        "object" => "alanlardan oluşan bir eşleme",
        "null" => "boş",
        _ => "başka türde",
    }
}

#[cfg(test)]
mod tests {
    use jsonschema::JsonType;
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    use serde_json::json;

    use super::{dotted, turkish};

    #[test]
    fn schema_errors_read_in_turkish_by_their_kind() {
        let value = json!("2026-13-45");
        let cases = [
            (K::Type { kind: TypeKind::Single(JsonType::Array) }, "değer liste olmalı"),
            (K::Format { format: "date".into() }, "`2026-13-45` geçerli bir tarih değil"),
            (K::MinItems { limit: 1 }, "liste boş olamaz"),
            (K::MinLength { limit: 3 }, "en az 3 karakter"),
            (K::Minimum { limit: json!(1) }, "değer en az 1 olmalı"),
            (K::Constant { expected_value: json!("active").into() }, "değer `active` olmalı"),
            (K::UniqueItems, "birden çok kez"),
            // A kind the records' schemas do not use: a general Turkish sentence.
            (K::ContentEncoding { content_encoding: "base64".into() }, "değer şemaya uymuyor"),
        ];
        for (kind, expected) in cases {
            let text = turkish(&kind, &value);
            assert!(text.contains(expected), "{kind:?}: {text}");
        }
    }

    #[test]
    fn turkish_dates_read_as_iso_dates() {
        use super::day_month_year;
        assert_eq!(day_month_year("31.12.2026").as_deref(), Some("2026-12-31"));
        assert_eq!(day_month_year("1/3/2026").as_deref(), Some("2026-03-01"));
        assert_eq!(day_month_year("31.02.2026"), None);
        assert_eq!(day_month_year("2026.12.31"), None);
        assert_eq!(day_month_year("yarın"), None);
    }

    #[test]
    fn pointers_read_as_field_paths() {
        assert_eq!(dotted("/history/2/by"), "history[2].by");
        assert_eq!(dotted(""), "");
        assert_eq!(dotted("/a~1b"), "a/b");
    }
}
