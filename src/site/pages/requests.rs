//! The request lists and service boards: `requests/index.html`, a list per status, type,
//! priority and requesting unit (each in pages, see [`super::pager`]) and a board per
//! service, keyed page by page so that a changed request re-renders only the pages it is
//! on; and the request row every list, board and the home page's counts are made of.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::pager::{PAGE_ROWS, page_path, page_rows};
use crate::model::date::human_date;
use crate::model::{Kind, Record};
use crate::site::build::keys::Keys;
use crate::site::build::{Output, Pieces};
use crate::site::data::{Site, address};
use crate::site::html::root_of;
use crate::site::templates::Templates;
use crate::site::view::{Count, Layout, Link, Pager, RequestRow};

#[derive(Serialize)]
struct Facet {
    label: String,
    values: Vec<Count>,
}

#[derive(Serialize)]
struct ListPage {
    page: Layout,
    heading: String,
    intro: Option<String>,
    facets: Vec<Facet>,
    boards: Vec<Link>,
    /// The rows of this page (at most [`PAGE_ROWS`]).
    rows: Vec<RequestRow>,
    /// Rows of the list on all its pages.
    total: usize,
    /// Links to the list's other pages; `None` when it has one page.
    pager: Option<Pager>,
    exports: Vec<Link>,
}

#[derive(Serialize)]
struct Column {
    label: String,
    value: String,
    /// Requests in the column; the cards show at most [`BOARD_CARDS`] of them.
    count: usize,
    rows: Vec<RequestRow>,
    /// When cards were left out: what is shown, and a link to the status's list.
    more: Option<More>,
}

#[derive(Serialize)]
struct More {
    note: String,
    link: Link,
}

#[derive(Serialize)]
struct BoardPage {
    page: Layout,
    heading: String,
    columns: Vec<Column>,
}

/// Cards in one column of a service board: the most recent (the last in list order, ids
/// growing with time). A column with more links to its status's list.
pub(crate) const BOARD_CARDS: usize = 50;

/// One request list: its first page's path, heading, intro and rows (in list order).
type ListJob<'a> = (String, String, Option<String>, &'a [&'a Record]);

/// A column of a state a request leaves no more (closed, rejected, cancelled) shows the
/// requests that reached it in the last this many days (before `--as-of`); the rest are
/// on the status's list, linked.
pub(crate) const BOARD_DONE_DAYS: i64 = 30;

/// When a request reached its state `status`: the date of the last history entry that
/// says so, or for a closed one its closing date; `None` when the record does not say.
fn reached(r: &Record, status: &str) -> Option<jiff::civil::Date> {
    crate::report::kpi::closed_on(r).filter(|_| status == "closed").or_else(|| {
        r.fields
            .path("history[]")
            .iter()
            .rev()
            .find(|e| e.str_at("status") == Some(status))
            .and_then(|e| e.str_at("date")?.parse().ok())
    })
}

/// Requests grouped by field and value for the fields lists and boards filter by, each
/// group in list order.
pub(super) type Groups<'a> = HashMap<&'static str, HashMap<&'a str, Vec<&'a Record>>>;

/// The fields [`Groups`] holds.
const GROUPED: [&str; 5] = ["status", "type", "priority", "unit", "service"];

/// The requests whose `field` is `value` (none when no request has it).
pub(super) fn group<'g, 'a>(groups: &'g Groups<'a>, field: &str, value: &str) -> &'g [&'a Record] {
    groups.get(field).and_then(|values| values.get(value)).map_or(&[], Vec::as_slice)
}

pub(super) fn facet_slug(value: &str) -> String {
    crate::site::html::slug(value)
}

impl<'a> Site<'a> {
    pub(super) fn requests(&self) -> Vec<&'a Record> {
        self.of_kind(Kind::Request).collect()
    }
    /// The requests with each value of each of the [`GROUPED`] fields, in one pass.
    pub(super) fn groups(requests: &[&'a Record]) -> Groups<'a> {
        let mut groups: Groups = HashMap::new();
        for r in requests {
            for field in GROUPED {
                if let Some(value) = r.fields.str_at(field) {
                    groups.entry(field).or_default().entry(value).or_default().push(r);
                }
            }
        }
        groups
    }
    /// `requests/index.html`, a list per facet value and per requesting unit (each in pages
    /// of [`PAGE_ROWS`]), and a board per service, into `pieces` one page at a time. The
    /// requests are grouped once; every list and board takes its group. A page's key is
    /// made of its rows' keys and of what every list page shows (the counts of every
    /// facet, the units' and services' names): a changed request re-renders the pages
    /// it is on, and every page only when a count changes.
    pub(in crate::site) fn request_lists(&self, templates: &Templates, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
        let requests = self.requests();
        let groups = Self::groups(&requests);
        let group = |field: &'static str, value: &str| group(&groups, field, value);
        let count = |field: &'static str, value: &str| group(field, value).len();
        let facet_fields = [("status", "status"), ("type", "type"), ("priority", "priority")];
        let units: Vec<&Record> = {
            let mut ids: Vec<&str> = requests.iter().filter_map(|r| r.fields.str_at("unit")).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.into_iter().filter_map(|id| self.index.get(id)).collect()
        };
        let services: Vec<&Record> =
            self.of_kind(Kind::Unit).filter(|u| u.fields.str_at("type") == Some("service")).collect();
        let facets = |root: &str| -> Vec<Facet> {
            let mut facets: Vec<Facet> = facet_fields
                .iter()
                .map(|(field, key)| Facet {
                    label: self.t(key),
                    values: self
                        .enum_values(Kind::Request, field)
                        .into_iter()
                        .map(|(value, label)| {
                            let count = count(field, &value);
                            Count {
                                url: Some(format!("{root}requests/{field}/{}.html", facet_slug(&value))),
                                label,
                                value,
                                count,
                            }
                        })
                        .filter(|c| c.count > 0)
                        .collect(),
                })
                .collect();
            facets.push(Facet {
                label: self.t("unit"),
                values: units
                    .iter()
                    .map(|u| Count {
                        label: self.title(u),
                        value: u.id().to_string(),
                        count: count("unit", u.id()),
                        url: Some(format!("{root}requests/unit/{}.html", self.page_slug(u))),
                    })
                    .collect(),
            });
            facets
        };
        let boards = |root: &str| -> Vec<Link> {
            services
                .iter()
                .map(|s| Link { url: format!("{root}requests/board/{}.html", self.page_slug(s)), text: self.title(s) })
                .collect()
        };
        let list = |(first, heading, intro, rows): &ListJob, n: usize| -> Result<Output> {
            let path = page_path(first, n);
            let root = root_of(&path);
            let pages = rows.len().div_ceil(PAGE_ROWS).max(1);
            let title = if n > 1 { format!("{heading} — {}", self.page_of(n, pages)) } else { heading.clone() };
            let view = ListPage {
                page: self.layout(&path, &title, "requests/index.html"),
                heading: heading.clone(),
                intro: intro.clone(),
                facets: facets(&root),
                boards: boards(&root),
                rows: page_rows(rows, n).iter().map(|r| self.request_row(r, &root)).collect(),
                total: rows.len(),
                pager: (pages > 1).then(|| self.pager(first, n, pages, &root)),
                exports: vec![
                    Link { url: format!("{root}exports/requests.csv"), text: "CSV".into() },
                    Link { url: format!("{root}exports/requests.json"), text: "JSON".into() },
                ],
            };
            Ok((path, templates.render("list.html", &view)?.into_bytes()))
        };
        let mut jobs: Vec<ListJob> = vec![("requests/index.html".into(), self.t("all_requests"), None, &requests)];
        for (field, key) in facet_fields {
            for (value, label) in self.enum_values(Kind::Request, field) {
                let rows = group(field, &value);
                if rows.is_empty() {
                    continue;
                }
                let heading = format!("{}: {label}", self.t(key));
                jobs.push((format!("requests/{field}/{}.html", facet_slug(&value)), heading, None, rows));
            }
        }
        for u in &units {
            let heading = format!("{} — {}", self.t("our_requests"), self.title(u));
            let intro = Some(self.title(u));
            jobs.push((format!("requests/unit/{}.html", self.page_slug(u)), heading, intro, group("unit", u.id())));
        }
        let shared = {
            let mut h = DefaultHasher::new();
            for field in GROUPED {
                let mut counts: Vec<(&str, usize)> = groups
                    .get(field)
                    .map(|values| values.iter().map(|(value, rows)| (*value, rows.len())).collect())
                    .unwrap_or_default();
                counts.sort_unstable();
                counts.hash(&mut h);
            }
            units.iter().chain(&services).for_each(|u| keys.data(u).hash(&mut h));
            h.finish()
        };
        // A row shows the date only as whether the request is overdue on it: a new day
        // re-renders the pages whose rows fell overdue, not every page.
        let row_keys: HashMap<usize, u64> = requests
            .par_iter()
            .map(|r| {
                let mut h = DefaultHasher::new();
                (keys.row(r), self.is_overdue(r)).hash(&mut h);
                (address(r), h.finish())
            })
            .collect();
        let rows_key = |h: &mut DefaultHasher, rows: &[&Record]| {
            rows.len().hash(h);
            rows.iter().for_each(|r| row_keys.get(&address(r)).hash(h));
        };
        let pages: Vec<(&ListJob, usize)> =
            jobs.iter().flat_map(|job| (1..=job.3.len().div_ceil(PAGE_ROWS).max(1)).map(move |n| (job, n))).collect();
        pages.into_par_iter().try_for_each(|(job, n)| {
            let (first, heading, intro, rows) = job;
            let mut h = DefaultHasher::new();
            (shared, first, heading, intro, n, rows.len()).hash(&mut h);
            rows_key(&mut h, page_rows(rows, n));
            pieces.piece(&format!("requests:{}", page_path(first, n)), h.finish(), &|| Ok(vec![list(job, n)?]))
        })?;
        services.par_iter().try_for_each(|s| {
            let rows = group("service", s.id());
            let mut h = DefaultHasher::new();
            // Its closed columns list what closed in the days before the date.
            (shared, keys.dated(keys.data(s))).hash(&mut h);
            rows_key(&mut h, rows);
            pieces.piece(&format!("requests:board:{}", s.id()), h.finish(), &|| {
                Ok(vec![self.board(templates, s, rows, &|status| count("status", status))?])
            })
        })
    }
    /// The board of service `s`, whose requests are `requests` (in list order): a column
    /// per status with its [`BOARD_CARDS`] most recent cards; `status_total` counts a
    /// status's requests of every service (its list, linked from a column that is cut).
    fn board(
        &self,
        templates: &Templates,
        s: &Record,
        requests: &[&Record],
        status_total: &(dyn Fn(&str) -> usize + Sync),
    ) -> Result<Output> {
        let path = format!("requests/board/{}.html", self.page_slug(s));
        let root = root_of(&path);
        let mut by_status: HashMap<&str, Vec<&Record>> = HashMap::new();
        for r in requests {
            if let Some(status) = r.fields.str_at("status") {
                by_status.entry(status).or_default().push(r);
            }
        }
        let lifecycle = self.input.rules.workflows.lifecycle(Kind::Request.name());
        let since = self.input.as_of.checked_sub(jiff::Span::new().days(BOARD_DONE_DAYS)).unwrap_or(self.input.as_of);
        let columns = self
            .enum_values(Kind::Request, "status")
            .into_iter()
            .map(|(value, label)| {
                let all = by_status.get(value.as_str()).map_or(&[][..], Vec::as_slice);
                // A state requests leave no more: only the last 30 days' (a closed
                // column would list every closed request back to the first year).
                let done = lifecycle.is_some_and(|l| l.states.contains_key(&value) && !l.is_open(&value));
                let recent: Vec<&Record> = if done {
                    all.iter().copied().filter(|r| reached(r, &value).is_some_and(|d| d >= since)).collect()
                } else {
                    all.to_vec()
                };
                let shown = &recent[recent.len().saturating_sub(BOARD_CARDS)..];
                let note = if done {
                    let key = if shown.is_empty() { "board_recent_none" } else { "board_recent" };
                    self.t(key).replace("{days}", &BOARD_DONE_DAYS.to_string())
                } else {
                    self.t("board_more")
                };
                let more = (shown.len() < all.len()).then(|| More {
                    note: note.replace("{shown}", &shown.len().to_string()).replace("{count}", &all.len().to_string()),
                    link: Link {
                        url: format!("{root}requests/status/{}.html", facet_slug(&value)),
                        text: self
                            .t("see_all_status")
                            .replace("{status}", &label)
                            .replace("{n}", &status_total(&value).to_string()),
                    },
                });
                Column {
                    count: all.len(),
                    rows: shown.iter().map(|r| self.request_row(r, &root)).collect(),
                    more,
                    label,
                    value,
                }
            })
            .collect();
        let heading = format!("{} — {}", self.t("board"), self.title(s));
        let view = BoardPage { page: self.layout(&path, &heading, "requests/index.html"), heading, columns };
        Ok((path, templates.render("board.html", &view)?.into_bytes()))
    }
    pub(crate) fn request_row(&self, r: &Record, root: &str) -> RequestRow {
        let f = |k: &str| r.fields.str_at(k).unwrap_or_default().to_string();
        let label =
            |k: &str| r.fields.str_at(k).map(|v| self.value_label(r.kind, &format!("/{k}"), v)).unwrap_or_default();
        // A field left out names nothing (not a record whose id is empty).
        let name = |k: &str| r.fields.str_at(k).map(|v| self.name_of(v)).unwrap_or_default();
        RequestRow {
            id: r.id().to_string(),
            url: format!("{root}{}", self.url(r)),
            title: self.title(r),
            unit: name("unit"),
            unit_id: f("unit"),
            kind: label("type"),
            kind_value: f("type"),
            priority: label("priority"),
            priority_value: f("priority"),
            status: label("status"),
            status_value: f("status"),
            service: name("service"),
            service_id: f("service"),
            assignee: name("assignee"),
            received: human_date(&f("received")),
            due: human_date(&f("due")),
            overdue: self.is_overdue(r),
        }
    }

    /// Whether a request is open past its due date on the `--as-of` date.
    fn is_overdue(&self, r: &Record) -> bool {
        let due = r.fields.str_at("due").and_then(|d| d.parse::<jiff::civil::Date>().ok());
        self.is_open(r) && due.is_some_and(|d| d < self.input.as_of)
    }
}
