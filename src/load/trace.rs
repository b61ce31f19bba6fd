//! Traceability, article by article: for every item of the directive (and every
//! paragraph without items), what in defter carries it — a kind, a field, a lifecycle's
//! state or transition, an entry of `workflows.yaml`, a local rule, a built-in rule or a
//! report — or the one-line reason it has none (`none:` in `schemas/directive.yaml`).
//!
//! Nothing here is written by hand: the carriers are the citations of `workflows.yaml`
//! (`article:` of its entries, `applies:` of its local rules), of the schemas'
//! descriptions (a kind's, a field's) and of the rules ([`Rule::article`]), and of the
//! reports ([`REPORTS`]). `defter explain --articles` and the site's directive page both
//! show [`trace`]'s result.

use serde::Serialize;
use serde_json::Value as Json;

use super::rules::{COMMON_SCHEMA, Ruleset, schema_file};
use crate::diag::Rule;
use crate::model::Kind;
use crate::model::directive::{Cite, find_citations, parse_citations};
use crate::model::workflow::EntryPart;

/// The reports of `defter report` (and the site's pages of the same figures) and the
/// articles each serves: (name, Turkish title, citations).
pub const REPORTS: &[(&str, &str, &str)] = &[
    ("open-requests", "servislere ve durumlara göre açık talepler", "M6(1)(k), M7(1)(b)(g)"),
    ("workload", "kişi başına açık talep ve proje", "M7(1)(b)"),
    ("reviews-due", "süresi gelen gözden geçirmeler", "M11(1)(c)(g)(ğ)(ı)"),
    ("expiring", "süresi dolan sertifika, alan adı ve yetkiler", "M9(1)(e), M11(1)(i)"),
    ("kpis", "aylık performans göstergeleri", "M7(1)(e)(f), M8(1)(e)(f)"),
];

/// What kind of thing carries an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    Kind,
    Field,
    Lifecycle,
    State,
    StateEntry,
    Transition,
    ActorField,
    Separation,
    Holder,
    Expiry,
    Review,
    Deadline,
    RequiredTest,
    LocalRule,
    Rule,
    Report,
}

impl What {
    /// Its name in Turkish.
    pub fn label(self) -> &'static str {
        match self {
            What::Kind => "kayıt türü",
            What::Field => "alan",
            What::Lifecycle => "yaşam döngüsü",
            What::State => "durumun gerektirdikleri",
            What::StateEntry => "durumun gerektirdiği kayıt",
            What::Transition => "geçiş",
            What::ActorField => "işlemi yapan",
            What::Separation => "görev ayrılığı",
            What::Holder => "ayrılan kişide kalamaz",
            What::Expiry => "bitiş tarihi",
            What::Review => "periyodik gözden geçirme",
            What::Deadline => "son tarih",
            What::RequiredTest => "zorunlu test",
            What::LocalRule => "yerel kural",
            What::Rule => "kural",
            What::Report => "rapor",
        }
    }

    pub(crate) fn of(part: EntryPart) -> What {
        match part {
            EntryPart::Lifecycle => What::Lifecycle,
            EntryPart::State => What::State,
            EntryPart::StateEntry => What::StateEntry,
            EntryPart::Transition => What::Transition,
            EntryPart::ActorField => What::ActorField,
            EntryPart::Separation => What::Separation,
            EntryPart::Holder => What::Holder,
            EntryPart::Expiry => What::Expiry,
            EntryPart::Review => What::Review,
            EntryPart::Deadline => What::Deadline,
            EntryPart::RequiredTest => What::RequiredTest,
        }
    }
}

/// One thing in defter that carries an item of the directive.
#[derive(Clone, Debug, Serialize)]
pub struct Carrier {
    pub what: What,
    /// The record kind it is about (`grant`), if any.
    pub kind: Option<String>,
    /// The kind's Turkish title (`Yetki`), if any.
    pub kind_title: Option<String>,
    /// The field, state, transition, local rule, rule id or report it is (`approved_by`,
    /// `approve`, `separation-of-duties`); empty for a kind or a lifecycle.
    pub name: String,
    /// The local rule it is (it applies the item by analogy), if any.
    pub local: Option<String>,
}

impl Carrier {
    /// One line: `Yetki · geçiş approve (yerel kural grant_approval)`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.kind_title {
            out.push_str(title);
            out.push_str(" · ");
        }
        out.push_str(self.what.label());
        if !self.name.is_empty() {
            out.push_str(&format!(" `{}`", self.name));
        }
        if let Some(local) = self.local.as_ref().filter(|_| self.what != What::LocalRule) {
            out.push_str(&format!(" (yerel kural `{local}`)"));
        }
        out
    }
}

/// An item, or a paragraph without items: its text, its carriers, or why it has none.
#[derive(Clone, Debug, Serialize)]
pub struct Unit {
    pub cite: Cite,
    /// `M9(1)(b)`.
    pub label: String,
    /// The fragment id on the site's page (`m9-1-b`).
    pub anchor: String,
    /// The letter (`b`), empty for a paragraph.
    pub letter: String,
    pub text: String,
    pub none: Option<String>,
    pub carriers: Vec<Carrier>,
}

impl Unit {
    /// A consequence and something in defter that carries it.
    pub fn carried(&self) -> bool {
        self.none.is_none() && !self.carriers.is_empty()
    }
    /// Carried only by local rules (which apply the item by analogy).
    pub fn local_only(&self) -> bool {
        self.carried() && self.carriers.iter().all(|c| c.local.is_some())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct TracedParagraph {
    pub cite: Cite,
    pub label: String,
    pub anchor: String,
    /// The paragraph's own text (before its items).
    pub text: String,
    /// What cites the paragraph as a whole (`M9(1)`).
    pub whole: Vec<Carrier>,
    /// Its items; a paragraph without items is one unit itself.
    pub units: Vec<Unit>,
    pub has_items: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct TracedArticle {
    pub cite: Cite,
    pub label: String,
    pub anchor: String,
    pub heading: String,
    /// What cites the article as a whole (`M4`).
    pub whole: Vec<Carrier>,
    pub paragraphs: Vec<TracedParagraph>,
}

/// How much of the directive is carried.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Coverage {
    /// Items (and paragraphs without items) in all.
    pub units: usize,
    /// Those with a software consequence (no `none:`).
    pub with_consequence: usize,
    /// Those with a consequence and at least one carrier.
    pub carried: usize,
    /// Those carried only by local rules.
    pub local_only: usize,
    /// `carried` as a share of `with_consequence`, in whole percent (rounded down).
    pub percent: usize,
}

/// The directive with what carries each of its items.
#[derive(Clone, Debug, Serialize)]
pub struct Trace {
    pub title: String,
    pub approved: String,
    pub articles: Vec<TracedArticle>,
    pub coverage: Coverage,
    /// Citations that name no place of the directive: `where: citation`.
    pub unknown: Vec<String>,
}

impl Trace {
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.articles.iter().flat_map(|a| &a.paragraphs).flat_map(|p| &p.units)
    }
}

/// A citation with what it came from.
struct Cited {
    cite: Cite,
    carrier: Carrier,
}

/// Every citation of the rule set and the rules, with its carrier; citations that are
/// not well formed go to `unknown`.
fn citations(rules: &Ruleset, unknown: &mut Vec<String>) -> Vec<Cited> {
    let mut out = Vec::new();
    let title = |kind: &str| {
        Kind::from_name(kind)
            .and_then(|k| rules.schemas.get(&schema_file(k)))
            .and_then(|s| s.get("title"))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let mut strict = |at: String, text: &str, carrier: Carrier, out: &mut Vec<Cited>| {
        if text.is_empty() {
            return;
        }
        match parse_citations(text) {
            Ok(cites) => out.extend(cites.into_iter().map(|cite| Cited { cite, carrier: carrier.clone() })),
            Err(e) => unknown.push(format!("{at}: {e}")),
        }
    };
    let w = &rules.workflows;
    for e in w.entries() {
        let carrier = Carrier {
            what: What::of(e.part),
            kind: Some(e.kind.to_string()),
            kind_title: title(e.kind),
            name: e.name.clone(),
            local: e.local.map(str::to_string),
        };
        strict(format!("schemas/workflows.yaml, {}", e.label), e.article, carrier, &mut out);
    }
    for (name, rule) in &w.local_rules {
        let carrier = Carrier {
            what: What::LocalRule,
            kind: None,
            kind_title: None,
            name: name.clone(),
            local: Some(name.clone()),
        };
        let at = format!("schemas/workflows.yaml, local rule {name}");
        strict(at, rule.applies.as_deref().unwrap_or_default(), carrier, &mut out);
    }
    for rule in Rule::ALL {
        let carrier = Carrier { what: What::Rule, kind: None, kind_title: None, name: rule.id().into(), local: None };
        strict(format!("rule {}", rule.id()), rule.article(), carrier, &mut out);
    }
    for (name, _, articles) in REPORTS {
        let carrier = Carrier { what: What::Report, kind: None, kind_title: None, name: (*name).into(), local: None };
        strict(format!("report {name}"), articles, carrier, &mut out);
    }
    for kind in Kind::ALL {
        let Some(schema) = rules.schemas.get(&schema_file(kind)) else { continue };
        let carrier = |what, name: String| Carrier {
            what,
            kind: Some(kind.name().into()),
            kind_title: title(kind.name()),
            name,
            local: None,
        };
        if let Some(text) = schema.get("description").and_then(Json::as_str) {
            out.extend(
                find_citations(text)
                    .into_iter()
                    .map(|cite| Cited { cite, carrier: carrier(What::Kind, String::new()) }),
            );
        }
        let mut fields = Vec::new();
        described_fields(schema, "", &mut fields);
        for (path, text) in fields {
            out.extend(
                find_citations(text)
                    .into_iter()
                    .map(|cite| Cited { cite, carrier: carrier(What::Field, path.clone()) }),
            );
        }
    }
    if let Some(common) = rules.schemas.get(COMMON_SCHEMA) {
        for (name, def) in common.get("$defs").and_then(Json::as_object).into_iter().flatten() {
            let mut fields = Vec::new();
            described_fields(def, "", &mut fields);
            if let Some(text) = def.get("description").and_then(Json::as_str) {
                fields.push((String::new(), text));
            }
            for (path, text) in fields {
                let name = if path.is_empty() { name.clone() } else { format!("{name}.{path}") };
                let carrier = Carrier { what: What::Field, kind: None, kind_title: None, name, local: None };
                out.extend(find_citations(text).into_iter().map(|cite| Cited { cite, carrier: carrier.clone() }));
            }
        }
    }
    out
}

/// Every field under `schema`'s `properties` (and list items) with a description, by
/// its dotted path (`resolution.tested_by`, `tests[].by`).
fn described_fields<'a>(schema: &'a Json, prefix: &str, out: &mut Vec<(String, &'a str)>) {
    let Some(properties) = schema.get("properties").and_then(Json::as_object) else { return };
    for (key, field) in properties {
        let path = format!("{prefix}{key}");
        if let Some(text) = field.get("description").and_then(Json::as_str) {
            out.push((path.clone(), text));
        }
        described_fields(field, &format!("{path}."), out);
        if let Some(items) = field.get("items") {
            if let Some(text) = items.get("description").and_then(Json::as_str) {
                out.push((format!("{path}[]"), text));
            }
            described_fields(items, &format!("{path}[]."), out);
        }
    }
}

/// The directive, each item with what carries it.
pub fn trace(rules: &Ruleset) -> Trace {
    let mut unknown = Vec::new();
    let cited = citations(rules, &mut unknown);
    let directive = &rules.directive;
    for c in &cited {
        if !directive.has(&c.cite) {
            unknown.push(format!("{}: {} is not in the directive", c.carrier.label(), c.cite));
        }
    }
    let carriers_of =
        |cite: &Cite| -> Vec<Carrier> { cited.iter().filter(|c| &c.cite == cite).map(|c| c.carrier.clone()).collect() };
    let articles = directive
        .articles
        .iter()
        .map(|a| {
            let cite = Cite { article: a.article, paragraph: None, item: None };
            let paragraphs = a
                .paragraphs
                .iter()
                .map(|p| {
                    let cite = Cite { article: a.article, paragraph: Some(p.paragraph), item: None };
                    let units = if p.items.is_empty() {
                        vec![Unit {
                            label: cite.to_string(),
                            anchor: cite.anchor(),
                            letter: String::new(),
                            text: p.text.clone(),
                            none: p.none.clone(),
                            carriers: carriers_of(&cite),
                            cite: cite.clone(),
                        }]
                    } else {
                        p.items
                            .iter()
                            .map(|i| {
                                let cite = Cite::item(a.article, p.paragraph, &i.item);
                                Unit {
                                    label: cite.to_string(),
                                    anchor: cite.anchor(),
                                    letter: i.item.clone(),
                                    text: i.text.clone(),
                                    none: i.none.clone(),
                                    carriers: carriers_of(&cite),
                                    cite,
                                }
                            })
                            .collect()
                    };
                    TracedParagraph {
                        label: cite.to_string(),
                        anchor: cite.anchor(),
                        text: p.text.clone(),
                        whole: if p.items.is_empty() { Vec::new() } else { carriers_of(&cite) },
                        has_items: !p.items.is_empty(),
                        units,
                        cite,
                    }
                })
                .collect();
            TracedArticle {
                label: cite.to_string(),
                anchor: cite.anchor(),
                heading: a.heading.clone(),
                whole: carriers_of(&cite),
                paragraphs,
                cite,
            }
        })
        .collect();
    let mut trace = Trace {
        title: directive.title.clone(),
        approved: directive.approved.clone(),
        articles,
        coverage: Coverage::default(),
        unknown,
    };
    let mut c = Coverage::default();
    for unit in trace.units() {
        c.units += 1;
        c.with_consequence += usize::from(unit.none.is_none());
        c.carried += usize::from(unit.carried());
        c.local_only += usize::from(unit.local_only());
    }
    c.percent = (c.carried * 100).checked_div(c.with_consequence).unwrap_or(100);
    trace.coverage = c;
    trace
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_citation_names_a_place_of_the_directive() {
        let rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        let trace = trace(&rules);
        assert!(trace.unknown.is_empty(), "{}", trace.unknown.join("\n"));
        let b = trace.units().find(|u| u.label == "M9(1)(b)").unwrap();
        assert!(b.carriers.iter().any(|c| c.what == What::Transition && c.name == "reject"), "{b:?}");
        assert!(b.carriers.iter().any(|c| c.what == What::Field && c.name == "rejection.letter"), "{b:?}");
        assert!(b.carriers.iter().any(|c| c.what == What::Rule && c.name == "state-fields"), "{b:?}");
    }

    #[test]
    fn a_made_up_citation_in_a_schema_is_reported() {
        let mut rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        let schema = rules.schemas.get_mut("request.schema.json").unwrap();
        schema["properties"]["title"]["description"] = Json::from("Talebin başlığı (M9(1)(z), M19(1))");
        let trace = trace(&rules);
        assert_eq!(
            trace.unknown,
            [
                "Talep · alan `title`: M9(1)(z) is not in the directive",
                "Talep · alan `title`: M19(1) is not in the directive"
            ]
        );
    }
}
