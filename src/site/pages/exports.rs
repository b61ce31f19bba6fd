//! Exports and feeds: what goes into every list's CSV and JSON, the iCalendar feed of
//! deadlines and the Atom feeds of recent changes, site-wide and per requesting unit.
//! How each format is written is [`crate::site::formats`]'s.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use rayon::prelude::*;

use crate::model::Kind;
use crate::model::Record;
use crate::site::build::keys::Keys;
use crate::site::build::{Output, Pieces};
use crate::site::data::{Deadline, Site};
use crate::site::formats::{Table, atom, csv::to_csv, ics, json::to_json};
use crate::site::html::slug;

impl Site<'_> {
    fn table(&self, name: &'static str, kinds: &[Kind], fields: &[&str]) -> Table {
        let mut columns = vec!["id".to_string()];
        if kinds.len() > 1 {
            columns.push("type".into());
        }
        columns.extend(fields.iter().map(|f| f.to_string()));
        let rows = self
            .sorted
            .iter()
            .filter(|r| kinds.contains(&r.kind))
            .map(|r| {
                let mut row = vec![r.id().to_string()];
                if kinds.len() > 1 {
                    row.push(r.kind.name().to_string());
                }
                row.extend(fields.iter().map(|f| cell(r, f)));
                row
            })
            .collect();
        Table { name, columns, rows }
    }

    /// The tables of one group of exports.
    fn tables(&self, group: Group) -> Vec<Table> {
        match group {
            Group::Requests => vec![self.table(
                "requests",
                &[Kind::Request],
                &[
                    "title",
                    "type",
                    "source",
                    "unit",
                    "requester",
                    "received",
                    "priority",
                    "service",
                    "assignee",
                    "due",
                    "project",
                    "system",
                    "status",
                ],
            )],
            Group::Projects => vec![self.table(
                "projects",
                &[Kind::Project],
                &["title", "kind", "owner_unit", "service", "analyst", "developers", "phase", "started"],
            )],
            Group::Grants => vec![self.table(
                "grants",
                &[Kind::Grant],
                &[
                    "grantee",
                    "system",
                    "role",
                    "source",
                    "approved_by",
                    "granted_by",
                    "granted_on",
                    "valid_until",
                    "status",
                ],
            )],
            Group::Inventory => {
                let inventory: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.is_inventory()).collect();
                vec![self.table("inventory", &inventory, &["name", "owner", "status", "classification"])]
            }
            Group::Registers => {
                let registers: Vec<Kind> = Kind::ALL.into_iter().filter(|k| k.register().is_some()).collect();
                vec![self.table("registers", &registers, &["title", "status", "service", "severity", "system"])]
            }
            Group::People => vec![self.table("people", &[Kind::Person], &["name", "title", "unit", "roles", "active"])],
            Group::Units => vec![self.table("units", &[Kind::Unit], &["name", "type", "parent", "head"])],
            Group::Findings => vec![Table {
                name: "findings",
                columns: ["rule", "severity", "path", "line", "column", "message"].map(String::from).to_vec(),
                rows: self
                    .input
                    .report
                    .diagnostics
                    .iter()
                    .map(|d| {
                        vec![
                            d.rule.id().to_string(),
                            d.severity.as_str().to_string(),
                            d.path.clone(),
                            d.pos.map(|p| p.line.to_string()).unwrap_or_default(),
                            d.pos.map(|p| p.col.to_string()).unwrap_or_default(),
                            d.message.text(self.english).to_string(),
                        ]
                    })
                    .collect(),
            }],
            Group::Permissions => vec![self.permissions_table()],
            Group::Feeds => Vec::new(),
            Group::Overviews => {
                let mut tables = vec![self.workload_table(), self.reviews_table()];
                tables.extend(self.kpi_tables());
                tables.push(Table {
                    name: "deadlines",
                    columns: ["date", "id", "what"].map(String::from).to_vec(),
                    rows: self
                        .deadlines()
                        .iter()
                        .map(|d| vec![d.date.to_string(), d.record.id().to_string(), d.what.clone()])
                        .collect(),
                });
                tables
            }
        }
    }
}

impl Site<'_> {
    /// The permission matrix, one row per person and system with a role held.
    fn permissions_table(&self) -> Table {
        let holdings = self.holdings();
        let mut rows = Vec::new();
        for person in &holdings.people {
            for system in &holdings.systems {
                if let Some(roles) = holdings.held.get(&(*person, *system)) {
                    rows.push(vec![
                        person.to_string(),
                        self.name_of(person),
                        system.to_string(),
                        self.name_of(system),
                        roles.join(", "),
                        self.index.is_active(person).map(|a| a.to_string()).unwrap_or_default(),
                    ]);
                }
            }
        }
        let columns = ["grantee", "grantee_name", "system", "system_name", "roles", "grantee_active"];
        Table { name: "permissions", columns: columns.map(String::from).to_vec(), rows }
    }

    /// Periodic reviews overdue or due within the warning window, from the code of
    /// `defter report reviews-due`.
    fn reviews_table(&self) -> Table {
        let input = self.input;
        let within = i64::from(input.config.windows.expiring_days);
        let due = crate::report::reviews_due(
            &input.records.records,
            &input.rules.workflows,
            input.config,
            input.as_of,
            within,
        );
        let columns = ["id", "kind", "name", "what", "last", "interval_days", "due", "days_left", "overdue"];
        let rows = due
            .into_iter()
            .map(|r| {
                vec![
                    r.id,
                    r.kind,
                    r.name,
                    r.what,
                    r.last.unwrap_or_default(),
                    r.interval_days.to_string(),
                    r.due.unwrap_or_default(),
                    r.days_left.map(|d| d.to_string()).unwrap_or_default(),
                    r.overdue.to_string(),
                ]
            })
            .collect();
        Table { name: "reviews", columns: columns.map(String::from).to_vec(), rows }
    }

    /// The tables of the reports page, from the code of `defter report kpis`.
    fn kpi_tables(&self) -> Vec<Table> {
        use crate::report::kpi;
        let input = self.input;
        let records = &input.records.records;
        let number = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_default();
        let months = self.monthly();
        let monthly = Table {
            name: "kpis",
            columns: ["month", "received", "closed", "backlog", "backlog_git", "median_days_to_close", "on_time_share"]
                .map(String::from)
                .to_vec(),
            rows: months
                .iter()
                .map(|m| {
                    vec![
                        m.month.clone(),
                        m.received.to_string(),
                        m.closed.to_string(),
                        m.backlog.to_string(),
                        m.backlog_git.map(|n| n.to_string()).unwrap_or_default(),
                        number(m.median_days_to_close),
                        number(m.on_time_share),
                    ]
                })
                .collect(),
        };
        // A figure per service, unit or type: the key, its name, the value and (unless the
        // value is the count) how many requests it is of.
        let figures = |name: &'static str, key: &str, value: &str, count: Option<&str>, figures: Vec<kpi::Figure>| {
            let mut columns = vec![key.to_string(), "name".into(), value.to_string()];
            columns.extend(count.map(String::from));
            let rows = figures
                .into_iter()
                .map(|f| {
                    let label = if key == "type" {
                        self.value_label(Kind::Request, "/type", &f.key)
                    } else {
                        self.name_of(&f.key)
                    };
                    let mut row = vec![f.key, label];
                    match count {
                        Some(_) => row.extend([number(Some(f.value)), f.count.to_string()]),
                        None => row.push(f.count.to_string()),
                    }
                    row
                })
                .collect();
            Table { name, columns, rows }
        };
        vec![
            monthly,
            figures(
                "median-close",
                "service",
                "median_days_to_close",
                Some("closed"),
                kpi::median_close_by_service(records),
            ),
            figures("on-time", "service", "on_time_share", Some("closed_with_due"), kpi::on_time_by_service(records)),
            figures("requests-by-unit", "unit", "requests", None, kpi::count_by(records, "unit")),
            figures("requests-by-type", "type", "requests", None, kpi::count_by(records, "type")),
        ]
    }
}

/// A field as one cell: lists joined by `, `, booleans as `true`/`false`.
fn cell(r: &Record, field: &str) -> String {
    match r.fields.get(field) {
        None => String::new(),
        Some(node) => match node.scalar_text() {
            Some(text) => text,
            None => node.as_seq().iter().filter_map(|n| n.scalar_text()).collect::<Vec<_>>().join(", "),
        },
    }
}

/// How many of the newest commits an Atom feed shows.
const FEED_COMMITS: usize = 50;

/// The items each of the [`FEED_COMMITS`] newest commits changed (commits count from the
/// newest), each commit's in the order given: `commits` of an item are those that
/// changed it. Only the newest are kept while they are gathered — a commit older than
/// all of them once there are enough never shows — rather than every commit of every
/// record of the site.
fn newest_changes<T: Copy, C: Iterator<Item = usize>>(
    items: impl Iterator<Item = T>,
    commits: impl Fn(T) -> C,
) -> BTreeMap<usize, Vec<T>> {
    let mut by_commit: BTreeMap<usize, Vec<T>> = BTreeMap::new();
    for item in items {
        for commit in commits(item) {
            let full = by_commit.len() == FEED_COMMITS;
            if full && by_commit.last_key_value().is_some_and(|(oldest, _)| commit > *oldest) {
                continue;
            }
            by_commit.entry(commit).or_default().push(item);
            if by_commit.len() > FEED_COMMITS {
                by_commit.pop_last();
            }
        }
    }
    by_commit
}

impl<'a> Site<'a> {
    fn ics(&self) -> Vec<u8> {
        self.ics_of(&self.input.config.site.title, self.deadlines().iter())
    }

    /// A calendar named `name` of `deadlines` (the site's, or one person's: the same
    /// event has the same UID in both, so a calendar program subscribed to both shows it
    /// once).
    pub(super) fn ics_of<'d>(&self, name: &str, deadlines: impl Iterator<Item = &'d Deadline<'a>>) -> Vec<u8>
    where
        'a: 'd,
    {
        let events: Vec<ics::Event> = deadlines
            .map(|d| ics::Event {
                uid: format!("{}-{}-{}@defter", slug(d.record.id()), slug(&d.what), d.date.strftime("%Y%m%d")),
                day: d.date,
                summary: format!("{}: {}", d.what, self.display(d.record)),
                url: format!("{}{}", self.input.base_url, self.url(d.record)),
            })
            .collect();
        ics::calendar(name, self.input.as_of, events.iter())
    }

    /// An Atom feed of the latest changes to `records` (in list order).
    pub(super) fn atom(&self, path: &str, title: &str, records: &[&Record]) -> Vec<u8> {
        let base = &self.input.base_url;
        let mut entries: Vec<atom::Entry> = Vec::new();
        if let Some(trail) = self.input.trail {
            let by_commit = newest_changes(records.iter().copied(), |r| trail.of(r.id()).iter().map(|e| e.commit));
            for (i, records) in by_commit {
                let c = &trail.commits[i];
                for r in records {
                    entries.push(atom::Entry {
                        commit: c.id.to_string(),
                        key: slug(r.id()),
                        title: self.display(r),
                        time: c.time,
                        author: c.author_name.clone(),
                        link: format!("{base}{}", self.url(r)),
                        summary: c.summary.clone(),
                    });
                }
            }
        }
        let url = format!("{base}{path}");
        atom::feed(&url, title, base, &format!("{}T00:00:00Z", self.input.as_of), &entries)
    }
}
/// The table that lists every record of `kind` (`exports/<name>.csv`, `.json`; see
/// [`Site::tables`]); project sections have none.
pub(super) fn table_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Request => Some("requests"),
        Kind::Project => Some("projects"),
        Kind::Grant => Some("grants"),
        Kind::Person => Some("people"),
        Kind::Unit => Some("units"),
        Kind::ProjectSection => None,
        kind if kind.register().is_some() => Some("registers"),
        _ => Some("inventory"),
    }
}

/// The exports and feeds in groups, each made and keyed on its own: a group is rendered
/// again only when what its tables show changed (a request's title re-renders the
/// requests table, not the grants or the permission matrix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Requests,
    Projects,
    Grants,
    Inventory,
    Registers,
    People,
    Units,
    Findings,
    /// The permission matrix: grants, people and the systems they are on.
    Permissions,
    /// Workload, reviews, KPIs and deadlines: over every record, the history and the
    /// date.
    Overviews,
    /// The deadlines' calendar and the Atom feeds: over every record, the history and the
    /// date too, a piece of their own so that they are made beside the overviews.
    Feeds,
}

const GROUPS: [Group; 11] = [
    Group::Requests,
    Group::Projects,
    Group::Grants,
    Group::Inventory,
    Group::Registers,
    Group::People,
    Group::Units,
    Group::Findings,
    Group::Permissions,
    Group::Overviews,
    Group::Feeds,
];

impl Group {
    /// The group's piece in the build state.
    fn name(self) -> String {
        format!("exports:{self:?}").to_lowercase()
    }

    /// The key of what the group's files show: the data of the records of its kinds (a
    /// table shows their fields as they are), the findings, or everything.
    fn key(self, site: &Site, keys: &Keys) -> u64 {
        let of = |kinds: fn(Kind) -> bool| keys.data_of(site.sorted.iter().copied().filter(|r| kinds(r.kind)));
        match self {
            Group::Requests => of(|k| k == Kind::Request),
            Group::Projects => of(|k| k == Kind::Project),
            Group::Grants => of(|k| k == Kind::Grant),
            Group::Inventory => of(Kind::is_inventory),
            Group::Registers => of(|k| k.register().is_some()),
            Group::People => of(|k| k == Kind::Person),
            Group::Units => of(|k| k == Kind::Unit),
            Group::Findings => keys.findings,
            Group::Permissions => keys.registers,
            // The KPIs and the feeds read the history; reviews, deadlines, workload and
            // the calendar's feed count from the date.
            Group::Overviews | Group::Feeds => keys.dated(keys.with_history(keys.all_data)),
        }
    }

    fn render(self, site: &Site) -> Result<Vec<Output>> {
        let tables = site.tables(self);
        let mut out: Vec<Output> = Vec::with_capacity(tables.len() * 2);
        // Each table goes once its files are made.
        for table in tables {
            out.push((format!("exports/{}.csv", table.name), to_csv(&table)?));
            out.push((format!("exports/{}.json", table.name), to_json(&table)));
        }
        if self == Group::Feeds {
            out.extend(feeds(site));
        }
        Ok(out)
    }
}

/// Makes every export and feed into `pieces`, a group at a time (see [`Group`]).
pub(in crate::site) fn make(site: &Site, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
    GROUPS
        .par_iter()
        .try_for_each(|group| pieces.piece(&group.name(), group.key(site, keys), &|| group.render(site)))?;
    super::feeds::make(site, keys, pieces)
}

/// The deadlines' calendar and the Atom feeds, site-wide and per requesting unit.
fn feeds(site: &Site) -> Vec<Output> {
    let mut out = vec![("deadlines.ics".into(), site.ics())];
    let title = format!("{} — {}", site.input.config.site.title, site.t("recent_changes"));
    out.push(("feed.xml".into(), site.atom("feed.xml", &title, &site.sorted)));
    // Each unit's requests, gathered in one pass (in list order).
    let mut by_unit: HashMap<&str, Vec<&Record>> = HashMap::new();
    for r in site.of_kind(Kind::Request) {
        if let Some(unit) = r.fields.str_at("unit") {
            by_unit.entry(unit).or_default().push(r);
        }
    }
    for unit in site.of_kind(Kind::Unit) {
        if let Some(requests) = by_unit.get(unit.id()) {
            let path = format!("feeds/{}.xml", site.page_slug(unit));
            let title = format!("{} — {}", site.title(unit), site.t("our_requests"));
            out.push((path.clone(), site.atom(&path, &title, requests)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The newest commits' changes are those every change gathered, then cut to the
        /// newest, shows: the same commits, each with the same items in the same order,
        /// whether there are fewer commits than a feed shows or many more, each item's
        /// in any order and with repeats.
        #[test]
        fn the_newest_changes_are_those_a_gathering_of_every_change_keeps(
            changes in prop::collection::vec(prop::collection::vec(0usize..150, 0..5), 0..200)
        ) {
            let mut every: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (item, of) in changes.iter().enumerate() {
                for commit in of {
                    every.entry(*commit).or_default().push(item);
                }
            }
            let expected: BTreeMap<usize, Vec<usize>> = every.into_iter().take(FEED_COMMITS).collect();
            prop_assert_eq!(newest_changes(0..changes.len(), |item| changes[item].iter().copied()), expected);
        }
    }
}
