//! The permissions page: the permission matrix (a table, or person by person when it is
//! too large for one, with the list of every holder on pages of its own), overdue and
//! coming reviews, frozen and revoked grants, leavers still holding roles, and every
//! grant. The matrix ([`Holdings`]) is also the permissions export's.

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::pager::{PAGE_ROWS, page_path, page_rows};
use crate::diag::Rule;
use crate::model::date::human_date;
use crate::model::{Kind, Record};
use crate::site::build::Output;
use crate::site::data::Site;
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::{CalendarItem, FindingView, Layout, Link, Pager};

#[derive(Serialize)]
struct MatrixRow {
    person: Link,
    active: bool,
    cells: Vec<String>,
}

/// One person's holdings, for a matrix too large to show as a table.
#[derive(Serialize)]
struct HolderRow {
    person: Link,
    active: bool,
    held: Vec<Held>,
}

#[derive(Serialize)]
struct Held {
    system: Link,
    roles: String,
}

/// The permission matrix is a table up to this many cells (people × systems). A larger
/// one — hundreds of people and of systems, megabytes of mostly empty cells no phone
/// can show — is listed person by person instead, each with the systems they hold (the
/// same roles; the export keeps every cell).
pub(crate) const MATRIX_CELLS: usize = 5_000;

/// The permission matrix: people and systems with a role held, and the roles.
pub(crate) struct Holdings<'a> {
    pub people: Vec<&'a str>,
    pub systems: Vec<&'a str>,
    pub held: HashMap<(&'a str, &'a str), Vec<String>>,
}

impl Holdings<'_> {
    /// Whether the matrix is small enough to be a table ([`MATRIX_CELLS`]).
    fn as_table(&self) -> bool {
        self.people.len().saturating_mul(self.systems.len()) <= MATRIX_CELLS
    }

    /// The pages of the list of every holder ([`HOLDERS`]): none when the permissions
    /// page shows them all (as a table, or [`PAGE_ROWS`] people at most).
    fn holder_pages(&self) -> usize {
        if self.as_table() || self.people.len() <= PAGE_ROWS { 0 } else { self.people.len().div_ceil(PAGE_ROWS) }
    }
}

/// The first page of the list of every holder, when the permissions page shows the first
/// [`PAGE_ROWS`] only.
const HOLDERS: &str = "grants/holders.html";

/// Every holder and what they hold, a page of the list the permissions page links.
#[derive(Serialize)]
struct HoldersPage {
    page: Layout,
    holders: Vec<HolderRow>,
    /// Holders on all pages.
    total: usize,
    pager: Option<Pager>,
}

#[derive(Serialize)]
struct GrantRow {
    id: Link,
    grantee: String,
    system: String,
    role: String,
    status: String,
    status_value: String,
    date: String,
    note: String,
}

#[derive(Serialize)]
struct GrantsPage {
    page: Layout,
    /// The matrix, reviews and leavers: on the first page only.
    overview: Option<GrantsOverview>,
    /// This page's grants (at most [`PAGE_ROWS`]).
    all: Vec<GrantRow>,
    /// Grants on all pages.
    total: usize,
    pager: Option<Pager>,
}

#[derive(Serialize)]
struct GrantsOverview {
    systems: Vec<Link>,
    matrix: Vec<MatrixRow>,
    /// The first [`PAGE_ROWS`] holders, when the matrix is listed person by person.
    holders: Vec<HolderRow>,
    /// Holders not listed here; `holders_all` lists every one.
    holders_more: usize,
    holders_all: Option<String>,
    reviews: Vec<FindingView>,
    /// Reviews falling due within the warning window (`[windows] expiring_days`).
    reviews_soon: Vec<CalendarItem>,
    /// The latest [`PAGE_ROWS`] frozen or revoked grants, newest first.
    frozen_revoked: Vec<GrantRow>,
    /// How many more there are (all of them are in the grants export).
    frozen_revoked_more: usize,
    leavers: Vec<GrantRow>,
}

impl Site<'_> {
    fn grant_row(&self, g: &Record, root: &str, date_field: &str) -> GrantRow {
        let f = |k: &str| g.fields.str_at(k).unwrap_or_default().to_string();
        let name = |k: &str| g.fields.str_at(k).map(|v| self.name_of(v)).unwrap_or_default();
        GrantRow {
            id: Link { url: format!("{root}{}", self.url(g)), text: g.id().to_string() },
            grantee: name("grantee"),
            system: name("system"),
            role: f("role"),
            status: self.state(g).map(|s| s.1).unwrap_or_default(),
            status_value: f("status"),
            date: human_date(g.fields.str_at(date_field).unwrap_or_default()),
            note: g
                .fields
                .str_at(&format!("{}.reason", date_field.split('.').next().unwrap_or_default()))
                .unwrap_or_default()
                .to_string(),
        }
    }
    /// Who holds which roles on which system (active and frozen grants; a frozen role
    /// marked ❄): the permission matrix of the page and of its export.
    pub(crate) fn holdings(&self) -> Holdings<'_> {
        let holding = |g: &&Record| matches!(g.fields.str_at("status"), Some("active" | "frozen"));
        let grants: Vec<&Record> = self.of_kind(Kind::Grant).filter(holding).collect();
        let mut systems: Vec<&str> = grants.iter().filter_map(|g| g.fields.str_at("system")).collect();
        systems.sort_unstable();
        systems.dedup();
        let mut people: Vec<&str> = grants.iter().filter_map(|g| g.fields.str_at("grantee")).collect();
        people.sort_unstable();
        people.dedup();
        // The roles each person holds on each system, in the order of the grants (one
        // pass over the grants: the matrix is people × systems, too many to scan each).
        let mut held: HashMap<(&str, &str), Vec<String>> = HashMap::new();
        for g in grants {
            let (Some(person), Some(system)) = (g.fields.str_at("grantee"), g.fields.str_at("system")) else {
                continue;
            };
            let role = g.fields.str_at("role").unwrap_or_default();
            let role =
                if g.fields.str_at("status") == Some("frozen") { format!("{role} ❄") } else { role.to_string() };
            held.entry((person, system)).or_default().push(role);
        }
        Holdings { people, systems, held }
    }
    /// The permissions page and, when there are more grants than [`PAGE_ROWS`], the
    /// further pages of its list of every grant (`grants/page/2.html`…); when the
    /// matrix is listed person by person and names more than [`PAGE_ROWS`] people, the
    /// list of every holder, a hundred a page (`grants/holders.html`,
    /// `grants/holders/2.html`…).
    pub(crate) fn grants_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
        const FIRST: &str = "grants/index.html";
        let grants: Vec<&Record> = self.of_kind(Kind::Grant).collect();
        let holdings = self.holdings();
        let pages = grants.len().div_ceil(PAGE_ROWS).max(1);
        let holder_pages = holdings.holder_pages();
        // (false, n): page n of the permissions page; (true, n): of the holders' list.
        let mut jobs: Vec<(bool, usize)> = (1..=pages).map(|n| (false, n)).collect();
        jobs.extend((1..=holder_pages).map(|n| (true, n)));
        jobs.into_par_iter()
            .map(|(holders, n)| {
                if holders {
                    return self.holders_page(&holdings, n, holder_pages, templates);
                }
                let path = page_path(FIRST, n);
                let root = root_of(&path);
                let title = if n > 1 {
                    format!("{} — {}", self.t("grants"), self.page_of(n, pages))
                } else {
                    self.t("grants")
                };
                let view = GrantsPage {
                    page: self.layout(&path, &title, FIRST),
                    overview: (n == 1).then(|| self.grants_overview(&grants, &holdings, &root)),
                    all: page_rows(&grants, n).iter().map(|g| self.grant_row(g, &root, "granted_on")).collect(),
                    total: grants.len(),
                    pager: (pages > 1).then(|| self.pager(FIRST, n, pages, &root)),
                };
                Ok((path, templates.render("grants.html", &view)?.into_bytes()))
            })
            .collect()
    }
    /// Page `n` (of `pages`) of the list of every holder and what they hold.
    fn holders_page(&self, holdings: &Holdings, n: usize, pages: usize, templates: &Templates) -> Result<Output> {
        let path = page_path(HOLDERS, n);
        let root = root_of(&path);
        let mut title = format!("{} — {}", self.t("grants"), self.t("matrix"));
        if n > 1 {
            title = format!("{title} — {}", self.page_of(n, pages));
        }
        let view = HoldersPage {
            page: self.layout(&path, &title, "grants/index.html"),
            holders: self.holder_rows(holdings, page_rows(&holdings.people, n), &root),
            total: holdings.people.len(),
            pager: (pages > 1).then(|| self.pager(HOLDERS, n, pages, &root)),
        };
        Ok((path, templates.render("holders.html", &view)?.into_bytes()))
    }
    /// A record by id, its name linked to its page (`root` leads to the site's root).
    fn id_link(&self, id: &str, root: &str) -> Link {
        Link {
            url: self.index.get(id).map(|r| format!("{root}{}", self.url(r))).unwrap_or_default(),
            text: self.name_of(id),
        }
    }
    /// Each of `people` with the systems they hold, in the matrix's column order.
    fn holder_rows(&self, holdings: &Holdings, people: &[&str], root: &str) -> Vec<HolderRow> {
        people
            .iter()
            .map(|person| HolderRow {
                person: self.id_link(person, root),
                active: self.index.is_active(person).unwrap_or(true),
                held: holdings
                    .systems
                    .iter()
                    .filter_map(|system| {
                        let roles = holdings.held.get(&(*person, *system))?;
                        Some(Held { system: self.id_link(system, root), roles: roles.join(", ") })
                    })
                    .collect(),
            })
            .collect()
    }
    /// What the first page of the permissions page shows above the list of grants.
    fn grants_overview(&self, grants: &[&Record], holdings: &Holdings, root: &str) -> GrantsOverview {
        let holding = |g: &Record| matches!(g.fields.str_at("status"), Some("active" | "frozen"));
        let Holdings { people, systems: system_ids, held } = holdings;
        let (systems, matrix, holders) = if holdings.as_table() {
            let matrix = people
                .iter()
                .map(|person| MatrixRow {
                    person: self.id_link(person, root),
                    active: self.index.is_active(person).unwrap_or(true),
                    cells: system_ids
                        .iter()
                        .map(|system| held.get(&(*person, *system)).map(|roles| roles.join(", ")).unwrap_or_default())
                        .collect(),
                })
                .collect();
            (system_ids.iter().map(|s| self.id_link(s, root)).collect(), matrix, Vec::new())
        } else {
            (Vec::new(), Vec::new(), self.holder_rows(holdings, &people[..people.len().min(PAGE_ROWS)], root))
        };
        let holders_more = if holdings.holder_pages() > 0 { people.len() - PAGE_ROWS } else { 0 };
        // Frozen and revoked grants, the latest first (a stable sort: grants of one day
        // stay in id order); the first page shows the latest PAGE_ROWS.
        let mut ended: Vec<(&str, &str, &Record)> = grants
            .iter()
            .filter_map(|g| {
                let field = match g.fields.str_at("status") {
                    Some("frozen") => "freeze.date",
                    Some("revoked") => "revocation.date",
                    _ => return None,
                };
                Some((g.fields.str_at(field).unwrap_or_default(), field, *g))
            })
            .collect();
        ended.sort_by(|a, b| b.0.cmp(a.0));
        GrantsOverview {
            systems,
            matrix,
            holders,
            holders_more,
            holders_all: (holders_more > 0).then(|| format!("{root}{HOLDERS}")),
            reviews: self
                .input
                .report
                .diagnostics
                .iter()
                .filter(|d| d.rule == Rule::ReviewOverdue && d.path.starts_with("records/grants/"))
                .map(|d| self.finding_view(d, root))
                .collect(),
            reviews_soon: self.reviews_soon(Kind::Grant, root),
            frozen_revoked: ended.iter().take(PAGE_ROWS).map(|(_, field, g)| self.grant_row(g, root, field)).collect(),
            frozen_revoked_more: ended.len().saturating_sub(PAGE_ROWS),
            leavers: grants
                .iter()
                .filter(|g| holding(g))
                .filter(|g| g.fields.str_at("grantee").and_then(|p| self.index.is_active(p)) == Some(false))
                .map(|g| self.grant_row(g, root, "granted_on"))
                .collect(),
        }
    }
    /// The periodic reviews of `kind` that fall due from today to the end of the warning
    /// window, soonest first, as `defter report reviews-due` computes them (overdue ones
    /// are `review-overdue` findings).
    fn reviews_soon(&self, kind: Kind, root: &str) -> Vec<CalendarItem> {
        let input = self.input;
        let within = i64::from(input.config.windows.expiring_days);
        crate::report::reviews_due(&input.records.records, &input.rules.workflows, input.config, input.as_of, within)
            .into_iter()
            .filter(|r| r.kind == kind.name() && !r.overdue)
            .filter_map(|r| {
                let due: jiff::civil::Date = r.due.as_deref()?.parse().ok()?;
                let record = self.index.get(&r.id)?;
                Some(CalendarItem {
                    date: crate::model::date::show_date(due),
                    iso: due.to_string(),
                    what: r.what,
                    link: Link { url: format!("{root}{}", self.url(record)), text: self.display(record) },
                    past: false,
                })
            })
            .collect()
    }
}
