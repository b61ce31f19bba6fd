//! The workflow data model: what `schemas/workflows.yaml` declares (lifecycles, state
//! requirements, actors, separation of duties, references, time rules). Loading and
//! cross-checking the file lives in `load::workflow`; applying it in `validate`.

use indexmap::IndexMap;
use serde::Deserialize;

/// The whole `workflows.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workflows {
    pub version: u32,
    pub actors: IndexMap<String, ActorSpec>,
    pub lifecycles: IndexMap<String, Lifecycle>,
    /// Rules the directorate set itself (the directive does not say them), by name.
    #[serde(default)]
    pub local_rules: IndexMap<String, LocalRule>,
    #[serde(default)]
    pub actor_fields: Vec<ActorField>,
    #[serde(default)]
    pub separation: Vec<Separation>,
    #[serde(default)]
    pub holders: Vec<FieldRule>,
    /// kind → field path → allowed target kinds (`unit:service` narrows a unit by type).
    #[serde(default)]
    pub references: IndexMap<String, IndexMap<String, Vec<String>>>,
    #[serde(default)]
    pub expiries: Vec<FieldRule>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub deadlines: Vec<FieldRule>,
    /// kind → fields that never change once the record exists (`immutable-field`).
    #[serde(default)]
    pub immutable: IndexMap<String, Vec<String>>,
    /// Lists whose entries are only ever appended (`history-rewritten`).
    #[serde(default)]
    pub append_only: Vec<String>,
    /// Which records (by type) are tested before a state, and who may test them.
    #[serde(default)]
    pub required_tests: Vec<RequiredTest>,
}

/// A rule of the directorate's own: why it is there, and which article of the directive
/// it applies by analogy, if any. `defter.toml`'s `[local]` may switch it off.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalRule {
    pub reason: String,
    pub applies: Option<String>,
}

/// Where an entry of `workflows.yaml` comes from: an article of the directive, or a
/// local rule (which may cite the article it applies by analogy too).
pub trait Sourced {
    /// The directive's article(s) cited, empty when none.
    fn article(&self) -> &str;
    /// The local rule the entry is, if it is one.
    fn local(&self) -> Option<&str>;
}

macro_rules! sourced {
    ($($t:ty),*) => {$(
        impl Sourced for $t {
            fn article(&self) -> &str {
                &self.article
            }
            fn local(&self) -> Option<&str> {
                self.local.as_deref()
            }
        }
    )*};
}

sourced!(EntryRequirement, Transition, ActorField, Separation, FieldRule, Review, RequiredTest);

impl Sourced for State {
    fn article(&self) -> &str {
        self.article.as_deref().unwrap_or_default()
    }
    fn local(&self) -> Option<&str> {
        self.local.as_deref()
    }
}

/// One named group of people; every given key must hold.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    #[serde(default)]
    pub role: OneOrMany,
    pub function: Option<String>,
    pub unit_from: Option<String>,
    pub person_from: Option<String>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(from = "OneOrManyRaw")]
pub struct OneOrMany(pub Vec<String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrManyRaw {
    One(String),
    Many(Vec<String>),
}

impl From<OneOrManyRaw> for OneOrMany {
    fn from(raw: OneOrManyRaw) -> Self {
        match raw {
            OneOrManyRaw::One(s) => OneOrMany(vec![s]),
            OneOrManyRaw::Many(v) => OneOrMany(v),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifecycle {
    /// The field that holds the state (`status`, `phase`).
    pub field: String,
    pub article: String,
    pub initial: Vec<String>,
    pub states: IndexMap<String, State>,
    pub transitions: Vec<Transition>,
}

impl Lifecycle {
    pub fn is_open(&self, state: &str) -> bool {
        self.states.get(state).is_some_and(|s| s.open)
    }

    /// The transition from `from` to `to`, if the lifecycle has one.
    pub fn transition(&self, from: &str, to: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.to == to && t.from.iter().any(|f| f == from))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default)]
    pub entries: Vec<EntryRequirement>,
    pub article: Option<String>,
    /// The local rule (a name of `local_rules`) this state's requirements are.
    pub local: Option<String>,
    /// Fields the state requires by a local rule while the rest of `requires` is the
    /// directive's (a grant in force names its approver: `grant_approval`), by rule name.
    #[serde(default)]
    pub local_requires: IndexMap<String, Vec<String>>,
}

/// "The list `list` has an entry whose fields equal `where`."
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRequirement {
    pub list: String,
    #[serde(rename = "where")]
    pub filter: IndexMap<String, String>,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub label: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub name: String,
    pub from: Vec<String>,
    pub to: String,
    pub by: Vec<String>,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorField {
    pub kind: String,
    pub field: String,
    #[serde(rename = "where", default)]
    pub filter: IndexMap<String, String>,
    pub by: Vec<String>,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub what: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Separation {
    pub kind: String,
    pub a: String,
    pub b: String,
    /// Filters the entries of `b` when it walks a list (`deployments[].by`).
    #[serde(rename = "where", default)]
    pub filter: IndexMap<String, String>,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub what: String,
}

/// A rule about one field of a kind's records in some states: who holds it (`holders`),
/// when it ends (`expiries`), when it is due (`deadlines`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    pub kind: String,
    pub field: String,
    /// Deadlines only: `field` is where the time starts, and the days to add are
    /// `[deadlines.<kind>]`'s entry for this field's value (a vulnerability's severity).
    #[serde(default)]
    pub days_by: Option<String>,
    pub when: When,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub what: String,
}

/// Which states a rule applies in: `open` (every open state of the lifecycle) or a list.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum When {
    Keyword(OpenKeyword),
    States(Vec<String>),
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenKeyword {
    Open,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub kind: String,
    pub dates: String,
    pub since: Option<String>,
    /// A key of `[reviews]` in defter.toml (days).
    pub interval: Option<String>,
    /// A field of the record holding the interval in days.
    pub interval_field: Option<String>,
    pub when: When,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub what: String,
}

/// Records whose `field` is one of `values` reach `before` only from `state` (where they
/// are tested), with `tester` naming a person who matches `by`. Records of other values
/// may skip the test.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredTest {
    pub kind: String,
    pub field: String,
    pub values: Vec<String>,
    pub state: String,
    pub before: String,
    pub tester: String,
    pub by: Vec<String>,
    #[serde(default)]
    pub article: String,
    /// The local rule (a name of `local_rules`) this entry is, when the directive does not say it.
    pub local: Option<String>,
    pub what: String,
}

impl RequiredTest {
    /// Whether `record_value` (of `field`) is one of the values that need the test.
    pub fn applies_to(&self, record_value: Option<&str>) -> bool {
        record_value.is_some_and(|v| self.values.iter().any(|x| x == v))
    }
}

impl Workflows {
    /// The lifecycle of a kind, if it has one.
    pub fn lifecycle(&self, kind: &str) -> Option<&Lifecycle> {
        self.lifecycles.get(kind)
    }

    /// The field holding a kind's state: its lifecycle's field, else `status`.
    pub fn state_field(&self, kind: &str) -> &str {
        self.lifecycle(kind).map_or("status", |l| l.field.as_str())
    }

    /// Whether `state` of a record of `kind` is one of `when`.
    pub fn state_matches(&self, kind: &str, state: &str, when: &When) -> bool {
        match when {
            When::Keyword(OpenKeyword::Open) => self.lifecycle(kind).is_some_and(|l| l.is_open(state)),
            When::States(states) => states.iter().any(|s| s == state),
        }
    }
}

/// One entry of `workflows.yaml` and where it comes from, for `explain`, the rules page
/// and the checks of `defter.toml`'s `[local]` and `[rules]`.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// The ids of the rules whose findings the entry makes.
    pub rules: &'static [&'static str],
    /// What the entry is, in English (`grant transition approve`).
    pub label: String,
    /// The directive's article(s) cited, empty when none.
    pub article: &'a str,
    /// The local rule it is, if any.
    pub local: Option<&'a str>,
    /// The kind of record it is about.
    pub kind: &'a str,
    /// Which part of the file it is.
    pub part: EntryPart,
    /// The state, transition or field it names (`approve`, `valid_until`), empty for a
    /// lifecycle.
    pub name: String,
}

/// The part of `workflows.yaml` an [`Entry`] is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryPart {
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
}

impl Workflows {
    /// Every entry that carries a source, in the file's order.
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let mut out = Vec::new();
        type Rules = &'static [&'static str];
        fn push<'a>(
            out: &mut Vec<Entry<'a>>,
            (rules, part): (Rules, EntryPart),
            kind: &'a str,
            name: String,
            label: String,
            s: &'a impl Sourced,
        ) {
            out.push(Entry { rules, label, article: s.article(), local: s.local(), kind, part, name });
        }
        for (kind, l) in &self.lifecycles {
            let label = format!("{kind} lifecycle");
            out.push(Entry {
                rules: &["illegal-transition"],
                label,
                article: &l.article,
                local: None,
                kind,
                part: EntryPart::Lifecycle,
                name: String::new(),
            });
            for (name, state) in &l.states {
                for (local, fields) in &state.local_requires {
                    let article = state.article.as_deref().unwrap_or(&l.article);
                    let label = format!("{kind} state {name}: {}", fields.join(", "));
                    let (rules, part, name) = (&["state-fields"] as Rules, EntryPart::State, name.clone());
                    out.push(Entry { rules, label, article, local: Some(local), kind, part, name });
                }
                if state.requires.is_empty() && state.entries.is_empty() {
                    continue;
                }
                let label = format!("{kind} state {name}");
                let rules: Rules = &["state-fields"];
                if state.article.is_some() || state.local.is_some() {
                    push(&mut out, (rules, EntryPart::State), kind, name.clone(), label, state);
                } else {
                    let part = EntryPart::State;
                    out.push(Entry { rules, label, article: &l.article, local: None, kind, part, name: name.clone() });
                }
                for e in &state.entries {
                    let label = format!("{kind} state {name}: {}", e.label);
                    push(&mut out, (rules, EntryPart::StateEntry), kind, name.clone(), label, e);
                }
            }
            for t in &l.transitions {
                let label = format!("{kind} transition {}", t.name);
                push(&mut out, (&["unauthorized-actor"], EntryPart::Transition), kind, t.name.clone(), label, t);
            }
        }
        for f in &self.actor_fields {
            let label = format!("{} actor field {}", f.kind, f.field);
            push(&mut out, (&["unauthorized-actor"], EntryPart::ActorField), &f.kind, f.field.clone(), label, f);
        }
        for s in &self.separation {
            let (label, name) = (format!("{} separation {} / {}", s.kind, s.a, s.b), format!("{} / {}", s.a, s.b));
            push(&mut out, (&["separation-of-duties"], EntryPart::Separation), &s.kind, name, label, s);
        }
        for h in &self.holders {
            let label = format!("{} holder {}", h.kind, h.field);
            push(&mut out, (&["inactive-person"], EntryPart::Holder), &h.kind, h.field.clone(), label, h);
        }
        for e in &self.expiries {
            let label = format!("{} expiry {}", e.kind, e.field);
            push(&mut out, (&["expired", "expiring"], EntryPart::Expiry), &e.kind, e.field.clone(), label, e);
        }
        for r in &self.reviews {
            let label = format!("{} review {}", r.kind, r.dates);
            push(&mut out, (&["review-overdue"], EntryPart::Review), &r.kind, r.dates.clone(), label, r);
        }
        for d in &self.deadlines {
            let label = format!("{} deadline {}", d.kind, d.field);
            push(&mut out, (&["deadline-missed"], EntryPart::Deadline), &d.kind, d.field.clone(), label, d);
        }
        for t in &self.required_tests {
            let label = format!("{} required test {} ({})", t.kind, t.tester, t.values.join(", "));
            let rules: Rules = &["state-fields", "illegal-transition", "unauthorized-actor"];
            push(&mut out, (rules, EntryPart::RequiredTest), &t.kind, t.tester.clone(), label, t);
        }
        out
    }

    /// Where an entry comes from, in Turkish: `Yönerge: M…`, or `Yerel kural: <reason>`
    /// (with the article it applies by analogy).
    pub fn source_tr(&self, entry: &Entry) -> String {
        match entry.local {
            Some(name) => {
                let reason = self.local_reason(name).unwrap_or_default();
                let applies =
                    if entry.article.is_empty() { String::new() } else { format!(" ({} uygulanarak)", entry.article) };
                format!("Yerel kural `{name}`: {reason}{applies}")
            }
            None => format!("Yönerge: {}", entry.article),
        }
    }

    /// The local rule `name`'s reason, if `name` is declared.
    pub fn local_reason(&self, name: &str) -> Option<&str> {
        self.local_rules.get(name).map(|r| r.reason.as_str())
    }

    /// Whether some entry enforced by `rule` cites the directive and is no local rule:
    /// such a rule may not be switched off.
    pub fn enforces_directive(&self, rule_id: &str) -> bool {
        self.entries().iter().any(|e| e.local.is_none() && e.rules.contains(&rule_id))
    }
}
