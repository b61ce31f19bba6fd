//! Open work: open requests by responsible service and status, and open requests and
//! projects per person. "Open" is what the lifecycle in `schemas/workflows.yaml` says.

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::Serialize;

use super::{name_of, title_of};
use crate::model::Index;
use crate::model::Kind;
use crate::model::Record;
use crate::model::date::date;
use crate::model::workflow::Workflows;

/// Open requests by responsible service and status.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct OpenRequests {
    /// The open states of the request lifecycle, in the order it declares them.
    pub states: Vec<String>,
    pub services: Vec<ServiceBacklog>,
    pub total: usize,
    /// Open requests past their deadline (the `deadlines` of the workflow data).
    pub overdue: usize,
}

/// One service's open requests.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct ServiceBacklog {
    /// The unit id (`—` when a request names none).
    pub service: String,
    pub name: String,
    /// Count per open state, every open state listed (zeros included).
    pub by_status: IndexMap<String, usize>,
    pub total: usize,
    pub overdue: usize,
}

/// One person's open work.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub(crate) struct PersonLoad {
    pub person: String,
    pub name: String,
    pub unit: String,
    pub open_requests: usize,
    pub overdue: usize,
    pub open_projects: usize,
    pub items: Vec<WorkItem>,
}

/// An open request or project someone holds.
#[derive(Clone, Debug, Serialize, PartialEq, Hash)]
pub(crate) struct WorkItem {
    pub id: String,
    /// The record's file (two records may share an id: `duplicate-id`).
    #[serde(skip)]
    pub path: String,
    pub kind: String,
    pub title: String,
    /// The record's status or phase.
    pub state: String,
    /// `assignee`, `analyst` or `developer`.
    pub role: String,
    pub due: Option<String>,
    pub overdue: bool,
}

/// The record's state (its lifecycle's field), if it is open.
fn open_state<'r>(workflows: &Workflows, record: &'r Record) -> Option<&'r str> {
    let kind = record.kind.name();
    let state = record.fields.str_at(workflows.state_field(kind))?;
    workflows.lifecycle(kind).is_some_and(|l| l.is_open(state)).then_some(state)
}

/// Whether an open record is past one of its deadlines, and the earliest deadline.
fn deadline(workflows: &Workflows, record: &Record, state: &str, as_of: Date) -> (Option<Date>, bool) {
    let kind = record.kind.name();
    let due = workflows
        .deadlines
        .iter()
        .filter(|d| d.kind == kind && workflows.state_matches(kind, state, &d.when))
        .flat_map(|d| record.fields.path(&d.field))
        .filter_map(date)
        .min();
    (due, due.is_some_and(|d| d < as_of))
}

/// Open requests by responsible service and status, services sorted by id.
pub(crate) fn open_by_service(records: &[Record], workflows: &Workflows, as_of: Date) -> OpenRequests {
    let index = Index::new(records);
    let states: Vec<String> = workflows
        .lifecycle(Kind::Request.name())
        .map(|l| l.states.iter().filter(|(_, s)| s.open).map(|(name, _)| name.clone()).collect())
        .unwrap_or_default();
    let mut services: IndexMap<String, ServiceBacklog> = IndexMap::new();
    for record in records.iter().filter(|r| r.kind == Kind::Request) {
        let Some(state) = open_state(workflows, record) else { continue };
        let service = record.fields.str_at("service").unwrap_or("—");
        let entry = services.entry(service.to_string()).or_insert_with(|| ServiceBacklog {
            service: service.to_string(),
            name: name_of(&index, service),
            by_status: states.iter().map(|s| (s.clone(), 0)).collect(),
            total: 0,
            overdue: 0,
        });
        *entry.by_status.entry(state.to_string()).or_default() += 1;
        entry.total += 1;
        entry.overdue += usize::from(deadline(workflows, record, state, as_of).1);
    }
    let mut services: Vec<ServiceBacklog> = services.into_values().collect();
    services.sort_by(|a, b| a.service.cmp(&b.service));
    let total = services.iter().map(|s| s.total).sum();
    let overdue = services.iter().map(|s| s.overdue).sum();
    OpenRequests { states, services, total, overdue }
}

/// Who holds a record's work: (person, role), each person once (an analyst who is also
/// a developer holds the project once, as its analyst).
fn holders(record: &Record) -> Vec<(&str, &'static str)> {
    let all: Vec<(&str, &'static str)> = match record.kind {
        Kind::Request => record.fields.str_at("assignee").map(|p| (p, "assignee")).into_iter().collect(),
        Kind::Project => {
            let analyst = record.fields.str_at("analyst").map(|p| (p, "analyst"));
            let developers = record.fields.path("developers[]").into_iter().filter_map(|n| n.as_str());
            analyst.into_iter().chain(developers.map(|p| (p, "developer"))).collect()
        }
        _ => Vec::new(),
    };
    let mut once: Vec<(&str, &'static str)> = Vec::with_capacity(all.len());
    for (person, role) in all {
        if !once.iter().any(|(p, _)| *p == person) {
            once.push((person, role));
        }
    }
    once
}

/// Open requests (as assignee) and open projects (as analyst or developer) per person,
/// people sorted by id; people with no open work are left out.
pub(crate) fn workload(records: &[Record], workflows: &Workflows, as_of: Date) -> Vec<PersonLoad> {
    let index = Index::new(records);
    let mut people: IndexMap<String, PersonLoad> = IndexMap::new();
    let mut sorted: Vec<&Record> = records.iter().filter(|r| matches!(r.kind, Kind::Request | Kind::Project)).collect();
    sorted.sort_by(|a, b| a.id().cmp(b.id()));
    for record in sorted {
        let Some(state) = open_state(workflows, record) else { continue };
        let (due, overdue) = deadline(workflows, record, state, as_of);
        for (person, role) in holders(record) {
            let load = people.entry(person.to_string()).or_insert_with(|| PersonLoad {
                person: person.to_string(),
                name: name_of(&index, person),
                unit: index.person(person).and_then(|p| p.fields.str_at("unit")).unwrap_or_default().to_string(),
                open_requests: 0,
                overdue: 0,
                open_projects: 0,
                items: Vec::new(),
            });
            if record.kind == Kind::Request {
                load.open_requests += 1;
                load.overdue += usize::from(overdue);
            } else {
                load.open_projects += 1;
            }
            load.items.push(WorkItem {
                id: record.id().to_string(),
                path: record.path.clone(),
                kind: record.kind.name().to_string(),
                title: title_of(record),
                state: state.to_string(),
                role: role.to_string(),
                due: due.map(|d| d.to_string()),
                overdue,
            });
        }
    }
    let mut people: Vec<PersonLoad> = people.into_values().collect();
    people.sort_by(|a, b| a.person.cmp(&b.person));
    people
}
