//! Who holds which open work (DOMAIN §7, "per-person workload"): the workload page, the
//! "open work" section of each person's page and the workload export — all from
//! [`crate::report::workload`], the computation `defter report workload` prints, so the
//! site and the terminal cannot disagree.

use anyhow::Result;
use serde::Serialize;

use crate::model::Kind;
use crate::model::date::human_date;
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::formats::Table;
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::{Layout, Link, WorkView};

/// The page every person's open work is counted on.
pub(crate) const PATH: &str = "workload.html";

#[derive(Serialize)]
struct WorkloadPage {
    page: Layout,
    rows: Vec<LoadRow>,
    open_requests: usize,
    overdue: usize,
    open_projects: usize,
}

#[derive(Serialize)]
struct LoadRow {
    person: Link,
    unit: String,
    open_requests: usize,
    overdue: usize,
    open_projects: usize,
}

impl Site<'_> {
    /// A person's open work, as their page lists it (empty when they hold none).
    pub(crate) fn open_work(&self, person: &str, root: &str) -> Vec<WorkView> {
        self.work_of(person)
            .iter()
            .map(|item| {
                // The record that holds the work, not another with its id.
                let record = self.record_at(&item.path);
                let kind = Kind::from_name(&item.kind).unwrap_or(Kind::Request);
                let field = self.input.rules.workflows.state_field(kind.name());
                WorkView {
                    link: Link {
                        url: record.map(|r| format!("{root}{}", self.url(r))).unwrap_or_default(),
                        text: record.map_or_else(|| item.id.clone(), |r| self.display(r)),
                    },
                    kind: self.kind_label(kind),
                    state: self.value_label(kind, &format!("/{field}"), &item.state),
                    state_value: item.state.clone(),
                    role: self.t(&format!("work_{}", item.role)),
                    due: item.due.as_deref().map(human_date).unwrap_or_default(),
                    overdue: item.overdue,
                }
            })
            .collect()
    }

    pub(crate) fn workload_page(&self, templates: &Templates) -> Result<Output> {
        let root = root_of(PATH);
        let loads = self.workload();
        let rows = loads
            .iter()
            .map(|l| LoadRow {
                person: Link {
                    url: self
                        .index
                        .get(&l.person)
                        .map(|p| format!("{root}{}#h-open-work", self.url(p)))
                        .unwrap_or_default(),
                    text: self.name_of(&l.person),
                },
                unit: if l.unit.is_empty() { String::new() } else { self.name_of(&l.unit) },
                open_requests: l.open_requests,
                overdue: l.overdue,
                open_projects: l.open_projects,
            })
            .collect();
        let view = WorkloadPage {
            page: self.layout(PATH, &self.t("workload"), "requests/index.html"),
            rows,
            open_requests: loads.iter().map(|l| l.open_requests).sum(),
            overdue: loads.iter().map(|l| l.overdue).sum(),
            // A project several people work on is one project in the total.
            open_projects: loads
                .iter()
                .flat_map(|l| &l.items)
                .filter(|i| i.kind == "project")
                .map(|i| &i.id)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
        };
        Ok((PATH.into(), templates.render("workload.html", &view)?.into_bytes()))
    }

    /// The workload as an export: one row per person with open work.
    pub(crate) fn workload_table(&self) -> Table {
        Table {
            name: "workload",
            columns: ["person", "name", "unit", "open_requests", "overdue", "open_projects"].map(String::from).to_vec(),
            rows: self
                .workload()
                .iter()
                .map(|l| {
                    vec![
                        l.person.clone(),
                        l.name.clone(),
                        l.unit.clone(),
                        l.open_requests.to_string(),
                        l.overdue.to_string(),
                        l.open_projects.to_string(),
                    ]
                })
                .collect(),
        }
    }
}
