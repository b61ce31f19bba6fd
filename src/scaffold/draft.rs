//! Records `defter new` writes without a template (units, people, project sections and
//! the inventory types): their fields in order, the id made from the name when none is
//! given, the fields given with `--set`, and a clear list of the required fields still
//! missing — so that what is written is valid from the start.

use anyhow::{Result, anyhow, bail};

use crate::diag::msg;
use crate::load::rules::{Ruleset, schema_file};
use crate::load::{Records, yaml};
use crate::model::Index;
use crate::model::Kind;
use crate::model::text::fold_case;

/// A record being made: its kind, fields (already YAML) and, for Markdown kinds, body.
#[derive(Debug)]
pub(crate) struct Draft {
    pub kind: Kind,
    /// `--id`, if given.
    pub id: Option<String>,
    /// The text an id is made from when `--id` is not given (the name or title).
    pub name: String,
    /// The project folder of a section.
    pub project: Option<String>,
    /// The fields as `(name, YAML value)`: from flags, defaults and `--set`.
    pub fields: Vec<(String, String)>,
    /// The fields that have their own flag, given or not (`--set` may not set them), and
    /// that flag.
    pub flagged: Vec<(String, String)>,
    pub body: Option<String>,
}

impl Draft {
    pub(crate) fn new(kind: Kind, id: Option<String>, name: &str) -> Draft {
        Draft { kind, id, name: name.to_string(), project: None, fields: Vec::new(), flagged: Vec::new(), body: None }
    }

    /// Adds a field set by a flag (skipped when the flag was not given).
    pub(crate) fn flag(&mut self, field: &str, value: Option<String>) {
        self.flag_as(field, &format!("--{}", field.replace('_', "-")), value);
    }

    /// [`Draft::flag`] for a field whose flag is not named after it (`roles`: `--role`).
    pub(crate) fn flag_as(&mut self, field: &str, flag: &str, value: Option<String>) {
        self.flagged.push((field.to_string(), flag.to_string()));
        if let Some(value) = value {
            self.fields.push((field.to_string(), value));
        }
    }

    /// Adds a default, which `--set` may replace unless the field has a flag.
    pub(crate) fn default(&mut self, field: &str, value: String) {
        self.fields.push((field.to_string(), value));
    }

    /// The id, path and text of the record: the `--set` fields applied, the id checked to
    /// be free, the kind's required fields all present.
    pub(crate) fn finish(
        mut self,
        records: &Records,
        index: &Index,
        rules: &Ruleset,
        set: &[(String, String)],
    ) -> Result<(String, String, String)> {
        let stem = match self.id.take() {
            Some(id) => id,
            None => made_id(self.kind, &self.name)?,
        };
        // Numbered registers' ids (`OLY-2026-0001`) are made by `next_id`, not typed.
        let numbered = matches!(self.kind.register(), Some((_, Some(_))));
        if !numbered && !is_plain_id(&stem) {
            bail!(msg!(
                "--id {stem:?}: an id is lower-case letters and digits in words joined by `.` or `-` \
                 (like `ayse.yilmaz` or `srv-app03`), so that it is a safe file name",
                "--id {stem:?}: kimlik, `.` ya da `-` ile birleşen sözcüklerde küçük harf ve rakamlardan oluşur \
                 (`ayse.yilmaz`, `srv-app03` gibi), böylece güvenli bir dosya adı olur"
            ));
        }
        let (id, path) = match (self.kind, &self.project) {
            (Kind::Unit, _) => (stem.clone(), format!("records/org/units/{stem}.yaml")),
            (Kind::Person, _) => (stem.clone(), format!("records/org/people/{stem}.yaml")),
            (Kind::ProjectSection, Some(project)) => {
                if stem == "index" {
                    bail!(msg!(
                        "--id index: index.md is the project's own page; choose another name for the section",
                        "--id index: index.md projenin kendi sayfasıdır; bölüm için başka bir ad seçin"
                    ));
                }
                (format!("{project}/{stem}"), format!("records/projects/{project}/{stem}.md"))
            }
            (kind, _) => match kind.register_path(&stem) {
                Some(path) => (stem.clone(), format!("records/{path}")),
                None => (stem.clone(), format!("records/inventory/{}/{stem}.yaml", kind.name())),
            },
        };
        let taken = index.get(&id).map(|r| r.path.clone()).or_else(|| {
            let mut paths = records.records.iter().map(|r| &r.path).chain(records.problems.iter().map(|d| &d.path));
            paths.find(|p| p.eq_ignore_ascii_case(&path)).cloned()
        });
        if let Some(taken) = taken {
            bail!(msg!(
                "`{id}` is taken ({taken}): pass --id with another id",
                "`{id}` kullanılıyor ({taken}): --id ile başka bir kimlik verin"
            ));
        }
        for (i, (field, value)) in set.iter().enumerate() {
            if set[..i].iter().any(|(earlier, _)| earlier == field) {
                bail!(msg!(
                    "--set {field}: given more than once; give each field once",
                    "--set {field}: birden çok kez verilmiş; her alanı bir kez verin"
                ));
            }
            let line = set_line(field, value)?;
            let value = line.split_once(": ").map(|(_, v)| v.to_string()).unwrap_or_default();
            if let Some((_, flag)) = self.flagged.iter().find(|(f, _)| f == field) {
                let command = command_name(self.kind);
                bail!(msg!(
                    "--set {field}: `{field}` has its own flag, {flag} (see `defter new {command} --help`)",
                    "--set {field}: `{field}` alanının kendi bayrağı var: {flag} (bkz. `defter new {command} --help`)"
                ));
            }
            // What is there is a default (flags and fields set twice are refused above).
            match self.fields.iter_mut().find(|(f, _)| f == field) {
                Some((_, existing)) => *existing = value,
                None if field == "id" || (field == "type" && self.kind.is_inventory()) => {
                    bail!(msg!(
                        "--set {field}: the {field} is not set this way (use --id; the type is the command)",
                        "--set {field}: {field} bu yolla verilmez (--id kullanın; tür, komutun kendisidir)"
                    ))
                }
                None => self.fields.push((field.clone(), value)),
            }
        }
        self.missing(rules)?;
        self.in_schema_order(rules);
        let mut text = String::new();
        if self.kind.is_markdown() {
            text.push_str("---\n");
            if self.kind.register().is_some() {
                text.push_str(&format!("id: {stem}\n"));
            }
        } else {
            text.push_str(&format!("id: {stem}\n"));
            if self.kind.is_inventory() {
                text.push_str(&format!("type: {}\n", self.kind.name()));
            }
        }
        for (field, value) in &self.fields {
            // A block value (a list written below its key) starts on the next line.
            let gap = if value.starts_with('\n') { "" } else { " " };
            text.push_str(&format!("{field}:{gap}{value}\n"));
        }
        if self.kind.is_markdown() {
            text.push_str("---\n");
            if let Some(body) = &self.body {
                text.push('\n');
                text.push_str(body.trim_end());
                text.push('\n');
            }
        }
        Ok((id, path, text))
    }

    /// Orders the fields as the kind's schema lists its properties (fields it does not
    /// list last, as given).
    fn in_schema_order(&mut self, rules: &Ruleset) {
        let schema = rules.schemas.get(&schema_file(self.kind));
        let properties = schema.and_then(|s| s.get("properties")).and_then(|p| p.as_object());
        let position = |field: &str| properties.and_then(|p| p.keys().position(|k| k == field)).unwrap_or(usize::MAX);
        self.fields.sort_by_key(|(field, _)| position(field));
    }

    /// Fails naming each required field not given, with its meaning from the schema.
    fn missing(&self, rules: &Ruleset) -> Result<()> {
        let Some(schema) = rules.schemas.get(&schema_file(self.kind)) else { return Ok(()) };
        let given =
            |f: &str| f == "id" || (f == "type" && self.kind.is_inventory()) || self.fields.iter().any(|(g, _)| g == f);
        let required = schema.get("required").and_then(|r| r.as_array()).into_iter().flatten();
        let missing: Vec<(String, String)> = required
            .filter_map(|r| r.as_str())
            .filter(|f| !given(f))
            .map(|f| {
                let property = schema.get("properties").and_then(|p| p.get(f));
                let text = |key: &str| property.and_then(|p| p.get(key)).and_then(|t| t.as_str());
                let mut meaning = match (text("title"), text("description")) {
                    (Some(t), Some(d)) => format!("{t}: {d}"),
                    (Some(t), None) | (None, Some(t)) => t.to_string(),
                    (None, None) => String::new(),
                };
                if let Some(values) = property.and_then(|p| p.get("enum")).and_then(|e| e.as_array()) {
                    let values: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
                    meaning.push_str(&format!(" ({})", values.join(", ")));
                }
                let flag = match self.flagged.iter().find(|(g, _)| g == f) {
                    Some((_, flag)) => format!("{flag} …"),
                    None => format!("--set {f}=…"),
                };
                (flag, meaning)
            })
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let command = command_name(self.kind);
        let width = missing.iter().map(|(flag, _)| flag.chars().count()).max().unwrap_or(0);
        let lines: Vec<String> = missing
            .iter()
            .map(|(flag, meaning)| format!("  {flag:<width$}  {meaning}").trim_end().to_string())
            .collect();
        let lines = lines.join("\n");
        bail!(msg!(
            "a new {command} needs these fields too, so nothing was written (a --set VALUE is YAML: `[a, b]` for a list):\n{lines}",
            "yeni {command} kaydı bu alanları da gerektirir, bu yüzden hiçbir şey yazılmadı (--set DEĞER YAML'dır: liste için `[a, b]`):\n{lines}"
        ))
    }
}

/// `FIELD: VALUE` as one YAML line, after checking that VALUE is one YAML value on one
/// line (so it cannot add other fields).
pub(super) fn set_line(field: &str, value: &str) -> Result<String> {
    if value.contains(['\n', '\r']) {
        bail!(msg!("--set {field}: the value must be on one line", "--set {field}: değer tek satırda olmalı"));
    }
    let line = format!("{field}: {value}");
    let parsed = yaml::parse(&format!("{line}\n"), 0).map_err(|e| {
        let (en, tr) = (&e.message.en, &e.message.tr);
        anyhow!(msg!(
            "--set {field}={value}: not a YAML value ({en}); quote it: --set '{field}=\"…\"'",
            "--set {field}={value}: bir YAML değeri değil ({tr}); tırnak içinde yazın: --set '{field}=\"…\"'"
        ))
    })?;
    if parsed.entries().len() != 1 || parsed.get(field).is_none() {
        bail!(msg!(
            "--set {field}={value}: not one YAML value; quote it: --set '{field}=\"…\"'",
            "--set {field}={value}: tek bir YAML değeri değil; tırnak içinde yazın: --set '{field}=\"…\"'"
        ));
    }
    Ok(line)
}

/// A templated record (request, grant, project) with the `--set` fields added before its
/// `history:`; a field the template fills from a flag may not be set this way.
pub(crate) fn with_fields(filled: &str, template: &str, set: &[(String, String)]) -> Result<String> {
    if set.is_empty() {
        return Ok(filled.to_string());
    }
    let top_level =
        |text: &str, field: &str| text.lines().any(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')));
    let mut lines = String::new();
    for (field, value) in set {
        if top_level(template, field) || top_level(&lines, field) {
            bail!(msg!(
                "--set {field}: `{field}` is set by a flag of its own or given twice (see `defter new --help`)",
                "--set {field}: `{field}` kendi bayrağıyla verilir ya da iki kez verilmiş (bkz. `defter new --help`)"
            ));
        }
        lines.push_str(&set_line(field, value)?);
        lines.push('\n');
    }
    let at = filled.find("\nhistory:").map(|i| i + 1).expect("templates end their fields with history:");
    Ok(format!("{}{lines}{}", &filled[..at], &filled[at..]))
}

/// Whether `id` is lower-case ASCII letters and digits in words joined by single `.` or
/// `-`: the ids' schema pattern, which also keeps it a file name inside its folder and
/// one line of YAML that cannot add a field. (An id YAML reads as a number or a boolean,
/// such as `123` or `true`, passes here and is refused by the schema check after.)
fn is_plain_id(id: &str) -> bool {
    let words_ok =
        id.split(['.', '-']).all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    !id.is_empty() && words_ok
}

/// The id made from a name: folded the Turkish way to lower-case ASCII (`Ayşe Yılmaz` →
/// `ayse.yilmaz` for people, `zabita-dairesi` for units), inventory ids with their
/// type's prefix (`srv-`).
pub(crate) fn made_id(kind: Kind, name: &str) -> Result<String> {
    let separator = if kind == Kind::Person { '.' } else { '-' };
    let mut slug = String::new();
    for c in fold_case(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with(separator) {
            slug.push(separator);
        }
    }
    let slug = slug.trim_end_matches(separator);
    if slug.is_empty() {
        bail!(msg!("cannot make an id from `{name}`: pass --id", "`{name}` adından kimlik yapılamıyor: --id verin"));
    }
    Ok(match prefix(kind) {
        Some(prefix) if !slug.starts_with(&format!("{prefix}-")) => format!("{prefix}-{slug}"),
        _ => slug.to_string(),
    })
}

/// The id prefix an inventory type's schema requires.
fn prefix(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::Application => "app",
        Kind::Server => "srv",
        Kind::Website => "web",
        Kind::Domain => "dom",
        Kind::Certificate => "crt",
        Kind::Repository => "repo",
        Kind::Account => "acc",
        Kind::WebserviceClient => "wsc",
        Kind::Asset => "ast",
        Kind::ContinuityPlan => "bcp",
        Kind::BgysDocument => "bgys",
        _ => return None,
    })
}

/// The `defter new` subcommand of a kind.
fn command_name(kind: Kind) -> String {
    match kind {
        Kind::ProjectSection => "section".to_string(),
        kind => kind.name().replace('_', "-"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_the_turkish_way() {
        assert_eq!(made_id(Kind::Person, "Ayşe Yılmaz").unwrap(), "ayse.yilmaz");
        assert_eq!(made_id(Kind::Person, "  İsmail  Çağrı ÖZTÜRK ").unwrap(), "ismail.cagri.ozturk");
        assert_eq!(made_id(Kind::Unit, "Zabıta Dairesi Başkanlığı").unwrap(), "zabita-dairesi-baskanligi");
        assert_eq!(made_id(Kind::Server, "Uygulama sunucusu 2").unwrap(), "srv-uygulama-sunucusu-2");
        assert_eq!(made_id(Kind::Server, "srv app03").unwrap(), "srv-app03");
        assert_eq!(made_id(Kind::WebserviceClient, "İZSU mobil").unwrap(), "wsc-izsu-mobil");
        assert!(made_id(Kind::Unit, "— ?").is_err());
    }

    #[test]
    fn an_id_is_a_plain_file_name() {
        for good in ["ayse.yilmaz", "srv-app03", "a", "zabita-dairesi-baskanligi", "2fa"] {
            assert!(is_plain_id(good), "{good}");
        }
        for bad in ["", "../x", "a/b", "a\\b", "a..b", ".a", "a-", "Ayse", "a b", "a\nname: x", "a: b", "ş"] {
            assert!(!is_plain_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_set_value_is_one_yaml_value_on_one_line() {
        assert_eq!(set_line("criticality", "3").unwrap(), "criticality: 3");
        assert_eq!(set_line("sans", "[a.ornek.tr, b.ornek.tr]").unwrap(), "sans: [a.ornek.tr, b.ornek.tr]");
        assert!(set_line("os", "Windows: 2022").is_err(), "a second mapping is not one value");
        assert!(set_line("notes", "a\nstatus: retired").is_err());
        assert!(set_line("notes", "[unclosed").is_err());
    }

    #[test]
    fn set_fields_go_before_the_history() {
        let template = "id: {{id}}\ndue: {{due}}\nhistory:\n  - x\n";
        let filled = "id: TLP-2026-0001\nhistory:\n  - x\n";
        let set = [("developers".to_string(), "[ali.veli]".to_string())];
        assert_eq!(
            with_fields(filled, template, &set).unwrap(),
            "id: TLP-2026-0001\ndevelopers: [ali.veli]\nhistory:\n  - x\n"
        );
        assert!(with_fields(filled, template, &[("due".into(), "2026-12-01".into())]).is_err());
    }
}
