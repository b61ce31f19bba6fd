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
}

/// "The list `list` has an entry whose fields equal `where`."
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryRequirement {
    pub list: String,
    #[serde(rename = "where")]
    pub filter: IndexMap<String, String>,
    pub article: String,
    pub label: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub name: String,
    pub from: Vec<String>,
    pub to: String,
    pub by: Vec<String>,
    pub article: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorField {
    pub kind: String,
    pub field: String,
    #[serde(rename = "where", default)]
    pub filter: IndexMap<String, String>,
    pub by: Vec<String>,
    pub article: String,
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
    pub article: String,
    pub what: String,
}

/// A rule about one field of a kind's records in some states: who holds it (`holders`),
/// when it ends (`expiries`), when it is due (`deadlines`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    pub kind: String,
    pub field: String,
    pub when: When,
    pub article: String,
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
    pub article: String,
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
    pub article: String,
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
