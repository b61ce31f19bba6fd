//! Requests from people who never open git (issue 29.4): the issue form a unit fills in on
//! the forge, and reading the forge's `issues` event back into the form's answers.
//!
//! The form's fields are declared once ([`FIELDS`]): [`form_template`] writes them as a
//! GitHub or Gitea issue form (`defter init`), and [`answers`] finds them in the issue's
//! body as both forges render a form (`### Label`, a blank line, the value; `_No
//! response_` for a field left empty). The event is only read here: turning the answers
//! into a record, checking it and committing it is `defter intake`'s (`cmd/intake.rs`),
//! through the scaffold `defter new request` uses.

use jiff::civil::Date;
use serde_json::Value as Json;

use crate::diag::{Message, msg};
use crate::model::{Index, Kind, Record};

/// The label the form's issues carry, and the workflow runs intake on.
pub(crate) const LABEL: &str = "talep";

/// One field of the form.
pub(crate) struct Field {
    /// The form's id for it (Gitea leaves out of the body a field without one).
    pub id: &'static str,
    /// As the form shows it and the body repeats it.
    pub label: &'static str,
    pub help: &'static str,
    pub required: bool,
}

/// The requesting unit: a drop-down of the units, each `Name (id)`.
pub(crate) const UNIT: Field =
    Field { id: "unit", label: "Talep eden birim", help: "Talebi yapan belediye birimi.", required: true };
/// Who asks: a person's id or name; left empty, the unit's head (or its only unit
/// official), as `defter new request` does.
pub(crate) const REQUESTER: Field = Field {
    id: "requester",
    label: "Talep eden kişi",
    help: "Talebi yapan kişinin kimliği (ör. mehmet.demir) ya da adı soyadı. Boş bırakılırsa birimin amiri (amiri yoksa tek birim yetkilisi) yazılır.",
    required: false,
};
/// The request's type: a drop-down of the schema's Turkish labels.
pub(crate) const TYPE: Field = Field { id: "type", label: "Talep türü", help: "Talebin türü.", required: true };
pub(crate) const DESCRIPTION: Field = Field {
    id: "description",
    label: "Açıklama",
    help: "Ne istendiğini, hangi ekran ya da süreç için olduğunu ve neden gerektiğini yazın.",
    required: true,
};
pub(crate) const LETTER_NUMBER: Field = Field {
    id: "letter_number",
    label: "Resmi yazı sayısı",
    help: "Talep resmi yazıyla geldiyse yazının sayısı (ör. E-12345678-010.06-987654); yoksa boş bırakın.",
    required: false,
};
pub(crate) const LETTER_DATE: Field = Field {
    id: "letter_date",
    label: "Resmi yazı tarihi",
    help: "Resmi yazının tarihi, gg.aa.yyyy (ör. 02.03.2026); yoksa boş bırakın.",
    required: false,
};

/// Every field, in the form's order.
pub(crate) const FIELDS: [&Field; 6] = [&UNIT, &REQUESTER, &TYPE, &DESCRIPTION, &LETTER_NUMBER, &LETTER_DATE];

/// What both forges write for a field left empty.
const NO_RESPONSE: &str = "_No response_";

/// Which forge a form is for: their forms are one syntax, but GitHub describes a form
/// with `description` and Gitea with `about`.
#[derive(Clone, Copy)]
pub(crate) enum Forge {
    GitHub,
    Gitea,
}

/// A YAML double-quoted string (JSON's is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The issue form for `forge`: the units of `index` and the request types (`(code,
/// label)`) as its drop-downs.
pub(crate) fn form_template(forge: Forge, index: &Index, types: &[(String, String)]) -> String {
    let mut units: Vec<&Record> = index.units().filter(|u| u.fields.str_at("type") != Some("service")).collect();
    units.sort_by(|a, b| a.id().cmp(b.id()));
    let about = match forge {
        Forge::GitHub => "description",
        Forge::Gitea => "about",
    };
    let mut out = format!(
        "# Written by `defter init`: the form a unit files a request to the directorate with.\n\
         # The workflow .github/workflows/intake.yml runs `defter intake` on each issue opened\n\
         # with it (labelled `{LABEL}`). Keep each field's `label` as it is: intake finds the\n\
         # answers by it. Add a unit to the list when one is added to records/org/units/.\n\
         name: Talep\n\
         {about}: Müdürlüğe yazılım talebi iletin (yeni yazılım, değişiklik, hata, veri güncellemesi, eğitim…).\n\
         labels: [{LABEL}]\n\
         body:\n  \
           - type: markdown\n    \
             attributes:\n      \
               value: |\n        \
                 Başlığa talebin kısa bir özetini yazın. Talebiniz kaydedildiğinde numarası bu konuya yorum olarak yazılır.\n"
    );
    for field in FIELDS {
        let kind = match field.id {
            "unit" | "type" => "dropdown",
            "description" => "textarea",
            _ => "input",
        };
        out.push_str(&format!(
            "  - type: {kind}\n    id: {}\n    attributes:\n      label: {}\n      description: {}\n",
            field.id,
            quoted(field.label),
            quoted(field.help)
        ));
        let options: Vec<String> = match field.id {
            "unit" => units.iter().map(|u| unit_option(u)).collect(),
            "type" => types.iter().map(|(_, label)| label.clone()).collect(),
            _ => Vec::new(),
        };
        if !options.is_empty() {
            out.push_str("      options:\n");
            for option in options {
                out.push_str(&format!("        - {}\n", quoted(&option)));
            }
        }
        out.push_str(&format!("    validations:\n      required: {}\n", field.required));
    }
    out
}

/// A unit as the form lists it: `Name (id)`, so that intake finds it by its id.
fn unit_option(unit: &Record) -> String {
    let name = unit.fields.str_at("name").unwrap_or(unit.id());
    format!("{name} ({})", unit.id())
}

/// The issue an `issues` event of action `opened` is about.
#[derive(Debug)]
pub(crate) struct Issue {
    pub title: String,
    pub body: String,
    /// Its page on the forge.
    pub url: String,
    pub number: u64,
    /// The day it was opened, in Turkey (UTC+3 all year).
    pub opened: Date,
    /// When it was opened, as the forge wrote it (RFC 3339).
    pub opened_at: String,
}

/// The issue an event payload (GitHub's or Gitea's, from a webhook or the Actions event
/// file) opened; `name` is the event's name when the caller knows it (`github.event_name`).
/// Any other event — a pull request, a comment, an issue edited or closed — is refused
/// with what it is.
pub(crate) fn opened_issue(payload: &Json, name: Option<&str>) -> Result<Issue, Message> {
    let what = if let Some(name) = name.filter(|n| *n != "issues") {
        Some(name.to_string())
    } else if payload.get("pull_request").is_some() {
        Some("pull_request".to_string())
    } else if payload.get("comment").is_some() {
        Some("issue_comment".to_string())
    } else if payload.get("issue").and_then(|i| i.get("pull_request")).is_some_and(|p| !p.is_null()) {
        Some("issues (of a pull request)".to_string())
    } else {
        None
    };
    if let Some(what) = what {
        return Err(msg!(
            "this is a `{what}` event, not an issue being opened: intake takes the `issues` event of action `opened`; nothing was written",
            "bu bir `{what}` olayı, açılan bir konu değil: intake yalnız `opened` eylemli `issues` olayını işler; hiçbir şey yazılmadı"
        ));
    }
    let Some(issue) = payload.get("issue").filter(|i| i.is_object()) else {
        return Err(msg!(
            "the event has no `issue`: intake takes the forge's `issues` event (opened); nothing was written",
            "olayda `issue` yok: intake forge'un `issues` olayını (opened) işler; hiçbir şey yazılmadı"
        ));
    };
    let action = payload.get("action").and_then(Json::as_str).unwrap_or_default();
    if action != "opened" {
        return Err(msg!(
            "this `issues` event is of action `{action}`, not `opened`: a request is taken in once, when its issue is opened (an edit is not read again); nothing was written",
            "bu `issues` olayının eylemi `{action}`, `opened` değil: talep konu açıldığında bir kez alınır (düzenlemeler yeniden okunmaz); hiçbir şey yazılmadı"
        ));
    }
    let text = |key: &str| issue.get(key).and_then(Json::as_str).map(str::to_string);
    let missing = |key: &str| {
        msg!(
            "the event's issue has no `{key}`, which GitHub and Gitea always send; nothing was written",
            "olaydaki konuda GitHub ve Gitea'nın her zaman gönderdiği `{key}` yok; hiçbir şey yazılmadı"
        )
    };
    let url = text("html_url").ok_or_else(|| missing("html_url"))?;
    let created = text("created_at").ok_or_else(|| missing("created_at"))?;
    let opened = created
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(3))).date().into())
        .ok_or_else(|| missing("created_at"))?;
    Ok(Issue {
        title: text("title").unwrap_or_default().trim().to_string(),
        // Gitea sends an empty body as "", GitHub as null.
        body: text("body").unwrap_or_default(),
        url,
        number: issue.get("number").and_then(Json::as_u64).unwrap_or_default(),
        opened,
        opened_at: created,
    })
}

/// The answers of a form in an issue's body, by field id: `None` for a field the body
/// does not have, `Some("")` for one left empty.
pub(crate) fn answers(body: &str) -> Vec<(&'static str, Option<String>)> {
    let body = body.replace("\r\n", "\n");
    // A `### Label` line of one of the form's labels opens a section, whose text runs to
    // the next: a `### ` line the writer typed into a field stays in it.
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in body.split('\n') {
        let label = line.strip_prefix("### ").map(str::trim).filter(|l| FIELDS.iter().any(|f| f.label == *l));
        match label {
            Some(label) => sections.push((label.to_string(), String::new())),
            None => {
                if let Some((_, text)) = sections.last_mut() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    FIELDS
        .iter()
        .map(|f| {
            let value = sections.iter().find(|(label, _)| label == f.label).map(|(_, text)| {
                let text = text.trim();
                if text == NO_RESPONSE { String::new() } else { text.to_string() }
            });
            (f.id, value)
        })
        .collect()
}

/// A unit as a form gives it (`Name (id)`, an id or a name), if there is one.
pub(crate) fn find_unit<'a>(index: &Index<'a>, typed: &str) -> Option<&'a Record> {
    let typed = typed.trim();
    let id = typed.rsplit_once('(').and_then(|(_, rest)| rest.strip_suffix(')')).unwrap_or(typed);
    index.unit(id.trim()).or_else(|| index.units().find(|u| u.fields.str_at("name") == Some(typed)))
}

/// A person as a form gives them: an id, or a name (case ignored).
pub(crate) fn find_person<'a>(index: &Index<'a>, typed: &str) -> Option<&'a Record> {
    let typed = typed.trim();
    index.person(typed).or_else(|| {
        let folded = typed.to_lowercase();
        index.people().find(|p| p.fields.str_at("name").is_some_and(|n| n.to_lowercase() == folded))
    })
}

/// A date as a form gives it: `gg.aa.yyyy` (also with `/`) or `yyyy-mm-dd`.
pub(crate) fn parse_date(typed: &str) -> Option<Date> {
    let typed = typed.trim();
    if let Ok(d) = typed.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = typed.split(['.', '/']).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok(),
        _ => None,
    }
}

/// The request types `(code, label)` of a request schema (JSON text) as `defter init`
/// writes it: `type`'s enum with its labels, in order.
pub(crate) fn request_types_in(schema: &str) -> Vec<(String, String)> {
    let schema: Json = serde_json::from_str(schema).unwrap_or_default();
    let field = &schema["properties"]["type"];
    let codes = field["enum"].as_array().map(Vec::as_slice).unwrap_or_default();
    codes
        .iter()
        .filter_map(Json::as_str)
        .map(|c| (c.to_string(), field["x-labels"][c].as_str().unwrap_or(c).to_string()))
        .collect()
}

/// The request types `(code, label)` of the repository's request schema, in its order.
pub(crate) fn request_types(rules: &crate::load::rules::Ruleset) -> Vec<(String, String)> {
    crate::step::enum_labels(rules, Kind::Request, "type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_found_by_label_and_empty_ones_are_empty() {
        let body = "### Talep eden birim\n\nZabıta Dairesi (zabita-dairesi)\n\n### Talep eden kişi\n\n_No response_\n\n### Açıklama\n\nİki satır\n### değil: bu bir başlık gibi\n";
        let got = answers(body);
        assert_eq!(got[0], ("unit", Some("Zabıta Dairesi (zabita-dairesi)".into())));
        assert_eq!(got[1], ("requester", Some(String::new())));
        assert_eq!(got[2], ("type", None));
        assert_eq!(got[3], ("description", Some("İki satır\n### değil: bu bir başlık gibi".into())));
    }

    #[test]
    fn form_dates_are_read_both_ways() {
        assert_eq!(parse_date("02.03.2026"), "2026-03-02".parse().ok());
        assert_eq!(parse_date("2026-03-02"), "2026-03-02".parse().ok());
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(parse_date("dün"), None);
    }
}
