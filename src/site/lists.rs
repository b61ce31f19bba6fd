//! The overview pages: home, request lists and boards, the project portfolio, the
//! permission matrix, inventory, the expiry calendar, findings and the rule list.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

use anyhow::Result;
use jiff::ToSpan;
use rayon::prelude::*;
use serde::Serialize;

use super::build::keys::Keys;
use super::build::{Output, Pieces};
use super::data::{Site, address};
use super::html::root_of;
use super::pages::{FindingView, Layout, Link, RequestRow};
use super::templates::Templates;
use crate::diag::Rule;
use crate::model::Kind;
use crate::model::Record;
use crate::model::date::human_date;

#[derive(Serialize)]
struct Count {
    label: String,
    value: String,
    count: usize,
    url: Option<String>,
}

#[derive(Serialize)]
struct HomePage {
    page: Layout,
    by_status: Vec<Count>,
    by_service: Vec<Count>,
    overdue: Vec<FindingView>,
    expiring: Vec<FindingView>,
    reviews: Vec<FindingView>,
    errors: usize,
    warnings: usize,
    recent: Vec<Recent>,
    totals: Vec<Count>,
}

#[derive(Serialize)]
struct Recent {
    when: String,
    who: String,
    message: String,
    commit: String,
    records: Vec<Link>,
}

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

/// The pagination of a list: `Sayfa 2 / 35`, previous and next, and the pages around.
#[derive(Serialize)]
struct Pager {
    text: String,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last pages and those near this one, in order; `None` for a gap.
    pages: Vec<Option<PageLink>>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    /// "Sayfa 3", for screen readers.
    label: String,
    current: bool,
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

/// Records named per change on the home page.
const RECENT_LINKS: usize = 12;

/// Rows on one page of a request list (all requests, a facet value's, a unit's). Page 1
/// keeps the list's path; the rest go to `requests/page/2.html` for `requests/index.html`
/// and to `<stem>/2.html` for any other `<stem>.html` (see [`page_path`]). Search finds
/// every request, so no page has to hold them all.
pub(super) const PAGE_ROWS: usize = 100;

/// A calendar of more dates than this gives each month after the next one a page of its
/// own: at 100,000 records its thirteen months were 3 MB in one page.
pub(super) const CALENDAR_ONE_PAGE: usize = 500;

/// Cards in one column of a service board: the most recent (the last in list order, ids
/// growing with time). A column with more links to its status's list.
pub(super) const BOARD_CARDS: usize = 50;

/// Pages linked from a pager on either side of the current one (besides first and last).
const PAGER_SPAN: usize = 2;

/// One request list: its first page's path, heading, intro and rows (in list order).
type ListJob<'a> = (String, String, Option<String>, &'a [&'a Record]);

/// Requests grouped by field and value for the fields lists and boards filter by, each
/// group in list order.
type Groups<'a> = HashMap<&'static str, HashMap<&'a str, Vec<&'a Record>>>;

/// The fields [`Groups`] holds.
const GROUPED: [&str; 5] = ["status", "type", "priority", "unit", "service"];

/// The requests whose `field` is `value` (none when no request has it).
fn group<'g, 'a>(groups: &'g Groups<'a>, field: &str, value: &str) -> &'g [&'a Record] {
    groups.get(field).and_then(|values| values.get(value)).map_or(&[], Vec::as_slice)
}

/// The path of page `n` of the list whose first page is `first`: `requests/index.html` →
/// `requests/page/2.html`, `requests/status/closed.html` → `requests/status/closed/2.html`.
fn page_path(first: &str, n: usize) -> String {
    if n <= 1 {
        return first.to_string();
    }
    let stem = first.strip_suffix(".html").unwrap_or(first);
    let folder = match stem.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}page"),
        _ => stem.to_string(),
    };
    format!("{folder}/{n}.html")
}

/// The rows on page `n` (from 1) of a list.
fn page_rows<T>(rows: &[T], n: usize) -> &[T] {
    let start = (n.saturating_sub(1) * PAGE_ROWS).min(rows.len());
    &rows[start..(start + PAGE_ROWS).min(rows.len())]
}

/// Pages to link from page `current` of `total`: the first, the last and [`PAGER_SPAN`]
/// either side of the current one, `None` where pages are left out (a gap of one page is
/// shown as that page instead).
fn pager_numbers(current: usize, total: usize) -> Vec<Option<usize>> {
    let near = current.saturating_sub(PAGER_SPAN).max(1)..=(current + PAGER_SPAN).min(total);
    let mut wanted: Vec<usize> = std::iter::once(1).chain(near).chain(std::iter::once(total)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = Vec::new();
    for n in wanted {
        match out.last() {
            Some(Some(last)) if n == last + 2 => out.push(Some(last + 1)),
            Some(Some(last)) if n > last + 2 => out.push(None),
            _ => {}
        }
        out.push(Some(n));
    }
    out
}

fn facet_slug(value: &str) -> String {
    super::html::slug(value)
}

impl<'a> Site<'a> {
    fn requests(&self) -> Vec<&'a Record> {
        self.of_kind(Kind::Request).collect()
    }

    /// The requests with each value of each of the [`GROUPED`] fields, in one pass.
    fn groups(requests: &[&'a Record]) -> Groups<'a> {
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

    /// `(value, label)` of every enum value of a field, in schema order.
    fn enum_values(&self, kind: Kind, field: &str) -> Vec<(String, String)> {
        let schema = self.input.schemas.subschema(kind, &format!("/{field}"));
        let values: Vec<String> = schema
            .and_then(|s| s.get("enum"))
            .and_then(|e| e.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        values.into_iter().map(|v| (v.clone(), self.value_label(kind, &format!("/{field}"), &v))).collect()
    }

    pub fn home(&self, templates: &Templates) -> Result<Output> {
        let path = "index.html";
        let groups = Self::groups(&self.requests());
        let group = |field: &'static str, value: &str| group(&groups, field, value);
        let by_status = self
            .enum_values(Kind::Request, "status")
            .into_iter()
            .map(|(value, label)| {
                let count = group("status", &value).len();
                Count { url: Some(format!("requests/status/{}.html", facet_slug(&value))), label, value, count }
            })
            .collect();
        // Counted by the code of `defter report open-requests`; every service is listed,
        // those with nothing open too.
        let open =
            crate::report::open_by_service(&self.input.records.records, &self.input.rules.workflows, self.input.as_of);
        let by_service = self
            .of_kind(Kind::Unit)
            .filter(|u| u.fields.str_at("type") == Some("service"))
            .map(|u| {
                let count = open.services.iter().find(|s| s.service == u.id()).map_or(0, |s| s.total);
                Count {
                    label: self.title(u),
                    value: u.id().to_string(),
                    count,
                    url: Some(format!("requests/board/{}.html", self.page_slug(u))),
                }
            })
            .collect();
        let totals = [Kind::Request, Kind::Project, Kind::Grant, Kind::Person]
            .into_iter()
            .map(|k| Count {
                label: self.kind_label(k),
                value: k.name().into(),
                count: self.of_kind(k).count(),
                url: None,
            })
            .collect();
        let recent = self
            .input
            .trail
            .map(|trail| {
                let mut touched: BTreeMap<usize, Vec<Link>> = BTreeMap::new();
                for (id, entries) in &trail.by_id {
                    for e in entries {
                        if e.commit < 10
                            && let Some(r) = self.index.get(id)
                        {
                            touched
                                .entry(e.commit)
                                .or_default()
                                .push(Link { url: self.url(r), text: r.id().to_string() });
                        }
                    }
                }
                touched
                    .into_iter()
                    .map(|(i, mut records)| {
                        records.sort_by(|a, b| a.text.cmp(&b.text));
                        let more = records.len().saturating_sub(RECENT_LINKS);
                        records.truncate(RECENT_LINKS);
                        if more > 0 {
                            records.push(Link { url: "search.html".into(), text: format!("+{more}") });
                        }
                        let c = &trail.commits[i];
                        let when = jiff::Timestamp::from_second(c.time)
                            .map(|t| crate::model::date::show_date(t.to_zoned(jiff::tz::TimeZone::UTC).date()))
                            .unwrap_or_default();
                        Recent {
                            when,
                            who: c.author_name.clone(),
                            message: c.summary.clone(),
                            commit: c.short(),
                            records,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let view = HomePage {
            page: self.layout(path, &self.t("home"), "index.html"),
            by_status,
            by_service,
            overdue: self.findings_of(&[Rule::DeadlineMissed], ""),
            expiring: self.findings_of(&[Rule::Expired, Rule::Expiring], ""),
            reviews: self.findings_of(&[Rule::ReviewOverdue], ""),
            errors: self.input.report.errors(),
            warnings: self.input.report.warnings(),
            recent,
            totals,
        };
        Ok((path.into(), templates.render("home.html", &view)?.into_bytes()))
    }

    /// `requests/index.html`, a list per facet value and per requesting unit (each in pages
    /// of [`PAGE_ROWS`]), and a board per service, into `pieces` one page at a time. The
    /// requests are grouped once; every list and board takes its group. A page's key is
    /// made of its rows' keys and of what every list page shows (the counts of every
    /// facet, the units' and services' names): a changed request re-renders the pages
    /// it is on, and every page only when a count changes.
    pub(super) fn request_lists(&self, templates: &Templates, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
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
        let row_keys: HashMap<usize, u64> = requests.par_iter().map(|r| (address(r), keys.row(r))).collect();
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
            (shared, keys.data(s)).hash(&mut h);
            rows_key(&mut h, rows);
            pieces.piece(&format!("requests:board:{}", s.id()), h.finish(), &|| {
                Ok(vec![self.board(templates, s, rows, &|status| count("status", status))?])
            })
        })
    }

    /// `Sayfa 2 / 35`.
    fn page_of(&self, n: usize, pages: usize) -> String {
        self.t("page_of").replace("{n}", &n.to_string()).replace("{total}", &pages.to_string())
    }

    /// The pager on page `n` (of `pages`) of the list whose first page is `first`; `root`
    /// leads from that page to the site's root.
    fn pager(&self, first: &str, n: usize, pages: usize, root: &str) -> Pager {
        let url = |n: usize| format!("{root}{}", page_path(first, n));
        Pager {
            text: self.page_of(n, pages),
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < pages).then(|| url(n + 1)),
            pages: pager_numbers(n, pages)
                .into_iter()
                .map(|p| {
                    p.map(|p| PageLink {
                        number: p,
                        url: url(p),
                        label: format!("{} {p}", self.t("page")),
                        current: p == n,
                    })
                })
                .collect(),
        }
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
        let columns = self
            .enum_values(Kind::Request, "status")
            .into_iter()
            .map(|(value, label)| {
                let all = by_status.get(value.as_str()).map_or(&[][..], Vec::as_slice);
                let shown = &all[all.len().saturating_sub(BOARD_CARDS)..];
                let more = (shown.len() < all.len()).then(|| More {
                    note: self
                        .t("board_more")
                        .replace("{shown}", &shown.len().to_string())
                        .replace("{count}", &all.len().to_string()),
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
}

#[derive(Serialize)]
struct Phase {
    label: String,
    value: String,
    projects: Vec<ProjectCard>,
}

#[derive(Serialize)]
struct ProjectCard {
    url: String,
    id: String,
    title: String,
    unit: String,
    kind: String,
    tests: usize,
    deployments: usize,
}

#[derive(Serialize)]
struct PortfolioPage {
    page: Layout,
    phases: Vec<Phase>,
}

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
pub(super) const MATRIX_CELLS: usize = 5_000;

/// The permission matrix: people and systems with a role held, and the roles.
pub struct Holdings<'a> {
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

#[derive(Serialize)]
struct InventoryGroup {
    label: String,
    kind: String,
    /// The items shown here: on the inventory page the first [`PAGE_ROWS`] of the type.
    items: Vec<InventoryRow>,
    /// Items of the type in all.
    total: usize,
    /// Items not shown here (said on the inventory page, where `all` lists them).
    more: usize,
    /// The type's own list, when it has more items than the inventory page shows.
    all: Option<String>,
}

#[derive(Serialize)]
struct InventoryRow {
    link: Link,
    status: String,
    status_value: String,
    owner: String,
    classification: String,
}

#[derive(Serialize)]
struct InventoryPage {
    page: Layout,
    groups: Vec<InventoryGroup>,
    pager: Option<Pager>,
    /// One type's own list rather than the inventory page.
    list: bool,
}

#[derive(Serialize)]
struct Month {
    label: String,
    /// `yyyy-mm`, for the month's anchor.
    id: String,
    items: Vec<CalendarItem>,
}

/// A month in the list at the top of a calendar split into pages.
#[derive(Serialize)]
struct MonthLink {
    label: String,
    url: String,
    count: usize,
    /// This page is the month's own.
    current: bool,
}

#[derive(Serialize)]
struct CalendarItem {
    date: String,
    /// `yyyy-mm-dd`, for `<time datetime>`.
    iso: String,
    what: String,
    link: Link,
    past: bool,
}

#[derive(Serialize)]
struct CalendarPage<M: Serialize> {
    page: Layout,
    months: Vec<M>,
    /// Every month, linked, when the calendar is split into pages; else empty.
    nav: Vec<MonthLink>,
}

#[derive(Serialize)]
struct RuleGroup {
    rule: String,
    article: String,
    summary: String,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct OwnerGroup {
    owner: String,
    findings: Vec<FindingView>,
}

#[derive(Serialize)]
struct FindingsPage {
    page: Layout,
    errors: usize,
    warnings: usize,
    by_rule: Vec<RuleGroup>,
    by_owner: Vec<OwnerGroup>,
}

#[derive(Serialize)]
struct RuleRow {
    id: String,
    severity: String,
    article: String,
    summary: String,
    needs_history: bool,
    count: usize,
}

#[derive(Serialize)]
struct RulesPage {
    page: Layout,
    rules: Vec<RuleRow>,
}

/// One dated item of the expiry calendar (also the iCalendar feed).
pub struct Deadline<'a> {
    pub date: jiff::civil::Date,
    pub what: String,
    pub record: &'a Record,
}

impl<'a> Site<'a> {
    pub fn portfolio(&self, templates: &Templates) -> Result<Output> {
        let path = "projects/index.html";
        let root = root_of(path);
        let phases = self
            .enum_values(Kind::Project, "phase")
            .into_iter()
            .map(|(value, label)| Phase {
                projects: self
                    .of_kind(Kind::Project)
                    .filter(|p| p.fields.str_at("phase") == Some(&value))
                    .map(|p| ProjectCard {
                        url: format!("{root}{}", self.url(p)),
                        id: p.id().to_string(),
                        title: self.title(p),
                        unit: p.fields.str_at("owner_unit").map(|u| self.name_of(u)).unwrap_or_default(),
                        kind: p
                            .fields
                            .str_at("kind")
                            .map(|k| self.value_label(Kind::Project, "/kind", k))
                            .unwrap_or_default(),
                        tests: p.fields.path("tests[]").len(),
                        deployments: p.fields.path("deployments[]").len(),
                    })
                    .collect(),
                label,
                value,
            })
            .collect();
        let view = PortfolioPage { page: self.layout(path, &self.t("portfolio"), path), phases };
        Ok((path.into(), templates.render("portfolio.html", &view)?.into_bytes()))
    }

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
    pub fn holdings(&self) -> Holdings<'_> {
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
    pub fn grants_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
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

    /// The inventory page, a section per type with its first [`PAGE_ROWS`] items, and
    /// for a type with more, its own list of every item a hundred a page
    /// (`inventory/server.html`, `inventory/server/2.html`…).
    pub fn inventory_pages(&self, templates: &Templates) -> Result<Vec<Output>> {
        const FIRST: &str = "inventory/index.html";
        let kinds: Vec<(Kind, Vec<&Record>)> = Kind::ALL
            .into_iter()
            .filter(|k| k.is_inventory())
            .map(|kind| (kind, self.of_kind(kind).collect::<Vec<_>>()))
            .filter(|(_, items)| !items.is_empty())
            .collect();
        // A type's section: `items` of its `total`, linking its own list on the overview.
        let group = |kind: Kind, items: &[&Record], total: usize, root: &str, overview: bool| InventoryGroup {
            label: self.kind_label(kind),
            kind: kind.name().into(),
            items: items
                .iter()
                .map(|r| InventoryRow {
                    link: Link { url: format!("{root}{}", self.url(r)), text: self.display(r) },
                    status: self.state(r).map(|s| s.1).unwrap_or_default(),
                    status_value: r.fields.str_at("status").unwrap_or_default().to_string(),
                    owner: r.fields.str_at("owner").map(|o| self.name_of(o)).unwrap_or_default(),
                    classification: r
                        .fields
                        .str_at("classification")
                        .map(|c| self.value_label(kind, "/classification", c))
                        .unwrap_or_default(),
                })
                .collect(),
            total,
            more: total.saturating_sub(items.len()),
            all: (overview && total > PAGE_ROWS).then(|| format!("{root}inventory/{}.html", kind.name())),
        };
        // Every page to make: the overview (no type), then each long type's pages.
        let mut jobs: Vec<(Option<usize>, usize)> = vec![(None, 1)];
        for (i, (_, items)) in kinds.iter().enumerate().filter(|(_, (_, items))| items.len() > PAGE_ROWS) {
            jobs.extend((1..=items.len().div_ceil(PAGE_ROWS)).map(|n| (Some(i), n)));
        }
        jobs.into_par_iter()
            .map(|(of, n)| {
                let Some(i) = of else {
                    let root = root_of(FIRST);
                    let groups = kinds
                        .iter()
                        .map(|(kind, items)| {
                            group(*kind, &items[..items.len().min(PAGE_ROWS)], items.len(), &root, true)
                        })
                        .collect();
                    let view = InventoryPage {
                        page: self.layout(FIRST, &self.t("inventory"), FIRST),
                        groups,
                        pager: None,
                        list: false,
                    };
                    return Ok((FIRST.to_string(), templates.render("inventory.html", &view)?.into_bytes()));
                };
                let (kind, items) = &kinds[i];
                let first = format!("inventory/{}.html", kind.name());
                let pages = items.len().div_ceil(PAGE_ROWS);
                let path = page_path(&first, n);
                let root = root_of(&path);
                let mut title = format!("{} — {}", self.t("inventory"), self.kind_label(*kind));
                if n > 1 {
                    title = format!("{title} — {}", self.page_of(n, pages));
                }
                let shown = group(*kind, page_rows(items, n), items.len(), &root, false);
                let view = InventoryPage {
                    page: self.layout(&path, &title, FIRST),
                    groups: vec![shown],
                    pager: (pages > 1).then(|| self.pager(&first, n, pages, &root)),
                    list: true,
                };
                Ok((path, templates.render("inventory.html", &view)?.into_bytes()))
            })
            .collect()
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

    /// When each periodic review of `r` next falls due (reviews done at least once;
    /// one never done is a `review-overdue` finding).
    fn next_reviews(&self, r: &Record) -> Vec<(jiff::civil::Date, &'a str)> {
        let w = &self.input.rules.workflows;
        let kind = r.kind.name();
        let Some(state) = r.fields.str_at(w.state_field(kind)) else { return Vec::new() };
        w.reviews
            .iter()
            .filter(|rv| rv.kind == kind && w.state_matches(kind, state, &rv.when))
            .filter_map(|rv| {
                let next = crate::validate::time::review_state(r, rv, self.input.config)?;
                next.last.map(|_| (next.due, rv.what.as_str()))
            })
            .collect()
    }

    /// Every dated deadline: expiries (the workflow data's `expiries`), due dates of open
    /// requests, and the next review of what is reviewed periodically; found once for the
    /// calendar, the deadlines export and the iCalendar feed.
    pub fn deadlines(&self) -> &[Deadline<'a>] {
        self.deadlines.get_or_init(|| self.find_deadlines())
    }

    fn find_deadlines(&self) -> Vec<Deadline<'a>> {
        let w = &self.input.rules.workflows;
        let mut out = Vec::new();
        for r in self.sorted.iter().copied() {
            let kind = r.kind.name();
            let Some(state) = r.fields.str_at(w.state_field(kind)) else { continue };
            for e in w.expiries.iter().filter(|e| e.kind == kind && w.state_matches(kind, state, &e.when)) {
                if let Some(date) = r.fields.str_at(&e.field).and_then(|d| d.parse().ok()) {
                    out.push(Deadline { date, what: e.what.clone(), record: r });
                }
            }
            for d in w.deadlines.iter().filter(|d| d.kind == kind && w.state_matches(kind, state, &d.when)) {
                if let Some(date) = r.fields.str_at(&d.field).and_then(|v| v.parse().ok()) {
                    out.push(Deadline {
                        date,
                        what: format!("{} ({})", d.what, self.label(r.kind, &format!("/{}", d.field))),
                        record: r,
                    });
                }
            }
            for (date, what) in self.next_reviews(r) {
                out.push(Deadline { date, what: what.to_string(), record: r });
            }
        }
        out.sort_by(|a, b| (a.date, a.record.id(), &a.what).cmp(&(b.date, b.record.id(), &b.what)));
        out
    }

    /// The expiry calendar: `calendar.html`, and when it holds more than
    /// [`CALENDAR_ONE_PAGE`] dates, a page per month after the next one
    /// (`calendar/2027-02.html`), all listed at the top of each page.
    pub fn calendar(&self, templates: &Templates) -> Result<Vec<Output>> {
        const FIRST: &str = "calendar.html";
        let as_of = self.input.as_of;
        let horizon = as_of.checked_add(12.months()).unwrap_or(as_of);
        let from = as_of.checked_sub(1.months()).unwrap_or(as_of);
        let mut months: BTreeMap<(i16, i8), Vec<CalendarItem>> = BTreeMap::new();
        for d in self.deadlines().iter().filter(|d| d.date >= from && d.date <= horizon) {
            months.entry((d.date.year(), d.date.month())).or_default().push(CalendarItem {
                date: crate::model::date::show_date(d.date),
                iso: d.date.to_string(),
                what: d.what.clone(),
                link: Link { url: self.url(d.record), text: self.display(d.record) },
                past: d.date < as_of,
            });
        }
        let names_tr = [
            "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
            "Aralık",
        ];
        let names_en = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let names = if self.english { names_en } else { names_tr };
        let total: usize = months.values().map(Vec::len).sum();
        let month = |(year, month): (i16, i8), items| Month {
            label: format!("{} {year}", names[(month - 1) as usize]),
            id: format!("{year:04}-{month:02}"),
            items,
        };
        if total <= CALENDAR_ONE_PAGE {
            let months = months.into_iter().map(|(at, items)| month(at, items)).collect();
            let view = CalendarPage { page: self.layout(FIRST, &self.t("calendar"), FIRST), months, nav: Vec::new() };
            return Ok(vec![(FIRST.into(), templates.render("calendar.html", &view)?.into_bytes())]);
        }
        // The first page keeps what is due now and next: last month's dates, this
        // month's and next month's.
        let next = as_of.first_of_month().checked_add(1.month()).unwrap_or(as_of);
        let path_of = |(year, month): (i16, i8)| {
            if (year, month) <= (next.year(), next.month()) {
                FIRST.to_string()
            } else {
                format!("calendar/{year:04}-{month:02}.html")
            }
        };
        let months: Vec<(String, Month)> =
            months.into_iter().map(|(at, items)| (path_of(at), month(at, items))).collect();
        let mut pages: Vec<&str> = months.iter().map(|(path, _)| path.as_str()).collect();
        pages.dedup();
        if pages.first() != Some(&FIRST) {
            pages.insert(0, FIRST);
        }
        pages
            .into_par_iter()
            .map(|path| {
                let root = root_of(path);
                let nav = months
                    .iter()
                    .map(|(at, m)| MonthLink {
                        label: m.label.clone(),
                        url: if at == FIRST { format!("{root}{FIRST}#m-{}", m.id) } else { format!("{root}{at}") },
                        count: m.items.len(),
                        current: at == path && path != FIRST,
                    })
                    .collect();
                let shown: Vec<&Month> = months.iter().filter(|(at, _)| at == path).map(|(_, m)| m).collect();
                let title = match shown.first() {
                    Some(m) if path != FIRST => format!("{} — {}", self.t("calendar"), m.label),
                    _ => self.t("calendar"),
                };
                let view = CalendarPage { page: self.layout(path, &title, FIRST), months: shown, nav };
                Ok((path.to_string(), templates.render("calendar.html", &view)?.into_bytes()))
            })
            .collect()
    }

    /// A rule's one-line summary in the site's language.
    fn rule_summary(&self, rule: Rule) -> String {
        (if self.english { rule.summary() } else { rule.summary_tr() }).into()
    }

    /// The unit or person a finding's record is the responsibility of.
    fn owner_of(&self, path: &str) -> String {
        let Some(r) = self.record_at(path) else { return "—".into() };
        let owner = ["service", "owner", "granted_by", "unit"].iter().find_map(|f| r.fields.str_at(f));
        owner.map_or_else(|| "—".into(), |o| self.name_of(o))
    }

    pub fn findings_page(&self, templates: &Templates) -> Result<Output> {
        let path = "findings.html";
        let by_rule = Rule::ALL
            .iter()
            .filter_map(|rule| {
                let findings: Vec<FindingView> = self
                    .input
                    .report
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == *rule)
                    .map(|d| self.finding_view(d, ""))
                    .collect();
                (!findings.is_empty()).then(|| RuleGroup {
                    rule: rule.id().into(),
                    article: rule.article().into(),
                    summary: self.rule_summary(*rule),
                    findings,
                })
            })
            .collect();
        let mut owners: BTreeMap<String, Vec<FindingView>> = BTreeMap::new();
        for d in &self.input.report.diagnostics {
            owners.entry(self.owner_of(&d.path)).or_default().push(self.finding_view(d, ""));
        }
        let view = FindingsPage {
            page: self.layout(path, &self.t("findings"), path),
            errors: self.input.report.errors(),
            warnings: self.input.report.warnings(),
            by_rule,
            by_owner: owners.into_iter().map(|(owner, findings)| OwnerGroup { owner, findings }).collect(),
        };
        Ok((path.into(), templates.render("findings.html", &view)?.into_bytes()))
    }

    pub fn rules_page(&self, templates: &Templates) -> Result<Output> {
        let path = "rules.html";
        let rules = Rule::ALL
            .iter()
            .map(|r| RuleRow {
                id: r.id().into(),
                severity: self.t(if r.default_severity() == crate::diag::Severity::Error {
                    "error"
                } else {
                    "warning"
                }),
                article: r.article().into(),
                summary: self.rule_summary(*r),
                needs_history: r.needs_history(),
                count: self.input.report.diagnostics.iter().filter(|d| d.rule == *r).count(),
            })
            .collect();
        let view = RulesPage { page: self.layout(path, &self.t("rules"), "findings.html"), rules };
        Ok((path.into(), templates.render("rules.html", &view)?.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_live_under_the_first_pages_stem() {
        assert_eq!(page_path("requests/index.html", 1), "requests/index.html");
        assert_eq!(page_path("requests/index.html", 2), "requests/page/2.html");
        assert_eq!(page_path("requests/status/closed.html", 3), "requests/status/closed/3.html");
        assert_eq!(page_path("requests/unit/reindex.html", 2), "requests/unit/reindex/2.html");
    }

    #[test]
    fn the_pager_links_first_last_and_neighbours() {
        assert_eq!(pager_numbers(1, 1), vec![Some(1)]);
        assert_eq!(pager_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(pager_numbers(2, 636), vec![Some(1), Some(2), Some(3), Some(4), None, Some(636)]);
        assert_eq!(pager_numbers(636, 636), vec![Some(1), None, Some(634), Some(635), Some(636)]);
        // A gap of one page shows the page instead.
        assert_eq!(
            pager_numbers(5, 10),
            vec![Some(1), Some(2), Some(3), Some(4), Some(5), Some(6), Some(7), None, Some(10)]
        );
    }
}
