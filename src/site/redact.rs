//! What a build leaves out of the site, before any page is rendered.
//!
//! - **Secrets, always.** A record carrying a password or token fails validation, but the
//!   site is still built (it shows the finding) and must not republish the secret to
//!   every reader of the intranet: values of secret fields and anything the `secret`
//!   rule recognises become `[…]`, in fields, bodies, old values in the history and
//!   commit messages.
//! - **Personal data, for a wider audience** (`build --public`, or `[site] personal_data
//!   = false`): e-mail and phone fields and `git_emails` are dropped from every record,
//!   e-mail addresses and phone numbers in any text (bodies, notes, findings, commit
//!   messages) become `[…]`, and commit authors' e-mail addresses are forgotten. Every
//!   page, export, feed and the search index are rendered from the redacted copy, so no
//!   output can miss it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value as Json;

use crate::diag::Report;
use crate::history::{AuditTrail, Entry, FieldChange};
use crate::load::{Body, Record, Records};
use crate::model::{Entry as Field, Node, Value};
use crate::validate::{is_secret_field, mask_secrets};

/// Fields that hold personal contact details (any depth, any kind).
static PERSONAL_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(e_?mails?|git_emails?|e_?posta|phones?|mobile|gsm|fax|telefon|cep|home_address|tckn|tc_kimlik(_no)?)$",
    )
    .expect("compiles")
});

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").expect("compiles"));

/// Turkish phone numbers as people write them: `0232 293 21 31`, `(0232) 293 21 31`,
/// `+90 532 123 45 67`, `05321234567`. Letter numbers (`E-12345678-010.06-987654`) do not
/// start with a `0` followed by an area code.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\+90[\s.-]?|\(?\b0[\s.-]?)\(?[2-5]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}\b").expect("compiles")
});

/// What stands in for a removed value.
pub const HIDDEN: &str = "[…]";

/// The build's own copy of everything it shows, redacted.
pub struct Redacted {
    pub records: Records,
    pub trail: Option<AuditTrail>,
    pub report: Report,
}

/// A text with secrets (and, when `public`, e-mail addresses and phone numbers) hidden.
pub fn text(s: &str, public: bool) -> Cow<'_, str> {
    let masked = mask_secrets(s);
    if !public {
        return masked;
    }
    let no_email = EMAIL.replace_all(&masked, HIDDEN);
    let no_phone = PHONE.replace_all(&no_email, HIDDEN);
    match (&masked, &no_email, &no_phone) {
        (Cow::Borrowed(_), Cow::Borrowed(_), Cow::Borrowed(_)) => Cow::Borrowed(s),
        _ => Cow::Owned(no_phone.into_owned()),
    }
}

fn node(n: &Node, key: Option<&str>, public: bool) -> Node {
    let value = match &n.value {
        _ if key.is_some_and(is_secret_field) && n.value != Value::Null => Value::Str(HIDDEN.into()),
        Value::Str(s) => Value::Str(text(s, public).into_owned().into()),
        Value::Seq(items) => Value::Seq(items.iter().map(|i| node(i, None, public)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .filter(|e| !(public && PERSONAL_FIELD.is_match(&e.key)))
                .map(|e| Field { key: e.key.clone(), key_pos: e.key_pos, value: node(&e.value, Some(&e.key), public) })
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(value, n.pos)
}

fn record(r: &Record, public: bool) -> Record {
    Record {
        fields: node(&r.fields, None, public),
        body: r.body.as_ref().map(|b| Body { text: text(&b.text, public).into_owned().into(), line: b.line }),
        ..r.clone()
    }
}

fn json(v: &Json, key: Option<&str>, public: bool) -> Json {
    match v {
        _ if key.is_some_and(is_secret_field) && !v.is_null() => Json::String(HIDDEN.into()),
        Json::String(s) => Json::String(text(s, public).into_owned()),
        Json::Array(items) => Json::Array(items.iter().map(|i| json(i, None, public)).collect()),
        Json::Object(map) => Json::Object(
            map.iter()
                .filter(|(k, _)| !(public && PERSONAL_FIELD.is_match(k)))
                .map(|(k, v)| (k.clone(), json(v, Some(k), public)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn entry(e: &Entry, public: bool) -> Entry {
    let fields = e
        .fields
        .iter()
        .filter(|c| !(public && PERSONAL_FIELD.is_match(&c.field)))
        .map(|c| FieldChange {
            field: c.field.clone(),
            old: c.old.as_ref().map(|v| json(v, Some(&c.field), public)),
            new: c.new.as_ref().map(|v| json(v, Some(&c.field), public)),
        })
        .collect();
    Entry { fields, ..e.clone() }
}

fn trail(t: &AuditTrail, public: bool) -> AuditTrail {
    let commits = t
        .commits
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.summary = text(&c.summary, public).into_owned();
            c.message = text(&c.message, public).into_owned();
            c.author_name = text(&c.author_name, public).into_owned();
            if public {
                c.author_email = String::new();
            }
            c
        })
        .collect();
    let by_id: HashMap<String, Vec<Entry>> =
        t.by_id.iter().map(|(id, entries)| (id.clone(), entries.iter().map(|e| entry(e, public)).collect())).collect();
    AuditTrail { commits, by_id }
}

/// The redacted copy of a build's records, history and findings.
pub fn apply(records: &Records, history: Option<&AuditTrail>, report: &Report, public: bool) -> Redacted {
    let mut diagnostics = report.diagnostics.clone();
    for d in &mut diagnostics {
        d.message = d.message.map(|m| text(m, public).into_owned());
        d.help = d.help.as_ref().map(|h| h.map(|h| text(h, public).into_owned()));
    }
    Redacted {
        records: Records {
            records: records.records.iter().map(|r| record(r, public)).collect(),
            problems: records.problems.clone(),
            ..Records::default()
        },
        trail: history.map(|t| trail(t, public)),
        report: Report { diagnostics, records: report.records },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_text_is_hidden_only_for_a_public_site() {
        let s = "Ayşe Yılmaz (ayse.yilmaz@izmir.bel.tr, 0232 293 21 31, +90 532 123 45 67)";
        assert_eq!(text(s, false), s);
        assert_eq!(text(s, true), "Ayşe Yılmaz ([…], […], […])");
        for keep in ["E-12345678-010.06-987654", "2026-03-03", "TLP-2026-0042", "v1.2.3", "10.0.12.4", "PRJ-0007"] {
            assert_eq!(text(keep, true), keep);
        }
        assert_eq!(
            text("(0232) 293 21 31 ve 05321234567, 0 532 111 22 33, +90 (232) 293 21 31", true),
            "[…] ve […], […], […]"
        );
    }

    #[test]
    fn secrets_are_hidden_always() {
        assert_eq!(text("postgres://app:Gizli123@db01/x", false), "[…]db01/x");
        let n =
            node(&crate::load::yaml::parse("password: hunter22\nemail: a@b.org\nname: A\n", 0).unwrap(), None, true);
        assert_eq!(n.to_json(), serde_json::json!({ "password": "[…]", "name": "A" }));
    }
}
