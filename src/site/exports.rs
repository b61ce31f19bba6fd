//! Exports and feeds: every list as CSV (UTF-8 with a byte-order mark and `;` between
//! cells, so Excel in a Turkish locale opens it with ç ğ ı İ ö ş ü intact; cells that
//! start like a formula are neutralised) and JSON; an iCalendar feed of deadlines; Atom
//! feeds of recent changes, site-wide and per requesting unit.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use anyhow::Result;
use rayon::prelude::*;

use super::build::keys::Keys;
use super::build::{Output, Pieces};
use super::data::Site;
use super::html::slug;
use crate::model::Kind;
use crate::model::Record;

/// A table: column names and rows of cells.
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub use crate::report::table::defuse_formula;

/// Bytes enough for every cell of `table` with `per_cell` more each and `per_row` more
/// each row, the column names once (CSV's header) or in every row too (JSON's keys), and
/// a little for escapes: an export of 60,000 rows is written into one buffer of about
/// its size rather than one that doubled its way there (twice the size, and each
/// doubling a copy).
fn capacity(table: &Table, per_cell: usize, per_row: usize, names_per_row: bool) -> usize {
    let cells: usize =
        table.rows.iter().map(|row| row.iter().map(|c| c.len() + per_cell).sum::<usize>() + per_row).sum();
    let names: usize = table.columns.iter().map(String::len).sum();
    let header = names + table.columns.len() * per_cell + per_row;
    let text = cells + if names_per_row { names * table.rows.len() } else { header };
    text + text / 16 + 64
}

pub fn to_csv(table: &Table) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(capacity(table, 1, 2, false));
    // A byte-order mark: Excel reads the file as UTF-8 then.
    bytes.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(bytes);
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|c| defuse_formula(c)))?;
    }
    writer.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

/// The table as a JSON array of objects, one per row, laid out as `serde_json`'s pretty
/// printer lays it out, and inert (see [`inert_json`]). Written string by string into
/// one buffer: a table of 60,000 rows is not built as a JSON tree first.
pub fn to_json(table: &Table) -> Vec<u8> {
    fn string(out: &mut Vec<u8>, s: &str) {
        if s.contains(['<', '>', '&']) {
            out.extend_from_slice(inert_json(&serde_json::to_string(s).expect("strings serialise")).as_bytes());
        } else {
            serde_json::to_writer(&mut *out, s).expect("strings serialise into memory");
        }
    }
    if table.rows.is_empty() {
        return b"[]\n".to_vec();
    }
    // Each cell is `,\n    "column": "value"` (12 bytes besides the name and value),
    // each row `,\n  {` and `\n  }`.
    let mut out = Vec::with_capacity(capacity(table, 12, 9, true));
    // The column names, written once and copied into every row.
    let names: Vec<Vec<u8>> = table
        .columns
        .iter()
        .map(|c| {
            let mut name = Vec::new();
            string(&mut name, c);
            name
        })
        .collect();
    out.extend_from_slice(b"[\n");
    for (i, row) in table.rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"  {" } else { b",\n  {" });
        // A row has a cell per column (a missing cell is left out, as a short zip would).
        for (j, (name, value)) in names.iter().zip(row).enumerate() {
            out.extend_from_slice(if j == 0 { b"\n    " } else { b",\n    " });
            out.extend_from_slice(name);
            out.extend_from_slice(b": ");
            string(&mut out, value);
        }
        out.extend_from_slice(if table.columns.is_empty() || row.is_empty() { b"}" } else { b"\n  }" });
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the same data to
/// any JSON reader, but no markup should a browser or a misconfigured server ever show
/// the file as HTML. (Outside strings JSON has none of these characters.)
pub fn inert_json(text: &str) -> String {
    if !text.contains(['<', '>', '&']) {
        return text.to_string();
    }
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

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
            columns: ["month", "received", "closed", "backlog", "median_days_to_close", "on_time_share"]
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

/// iCalendar text: escape `\ ; ,` and newlines; drop other control characters (RFC 5545
/// allows none in a value, and a stray one would let a value end its line early).
fn ics_text(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\r' | '\n' | '\t')).collect();
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace(['\r', '\n'], "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), on character boundaries.
fn fold_line(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// XML text: escaped, without the control characters XML 1.0 forbids (a feed with one is
/// refused whole by feed readers).
fn xml(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t' | '\r')).collect();
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

impl Site<'_> {
    fn ics(&self) -> Vec<u8> {
        let stamp = format!("{}T000000Z", self.input.as_of.strftime("%Y%m%d"));
        let mut out = String::new();
        for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//defter//tr", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
            out.push_str(&fold_line(line));
        }
        out.push_str(&fold_line(&format!("X-WR-CALNAME:{}", ics_text(&self.input.config.site.title))));
        for d in self.deadlines() {
            let day = d.date.strftime("%Y%m%d").to_string();
            let next = d.date.tomorrow().map(|t| t.strftime("%Y%m%d").to_string()).unwrap_or_else(|_| day.clone());
            out.push_str(&fold_line("BEGIN:VEVENT"));
            out.push_str(&fold_line(&format!("UID:{}-{}-{day}@defter", slug(d.record.id()), slug(&d.what))));
            out.push_str(&fold_line(&format!("DTSTAMP:{stamp}")));
            out.push_str(&fold_line(&format!("DTSTART;VALUE=DATE:{day}")));
            out.push_str(&fold_line(&format!("DTEND;VALUE=DATE:{next}")));
            out.push_str(&fold_line(&format!(
                "SUMMARY:{}",
                ics_text(&format!("{}: {}", d.what, self.display(d.record)))
            )));
            out.push_str(&fold_line(&format!("URL:{}{}", self.input.base_url, self.url(d.record))));
            out.push_str(&fold_line("END:VEVENT"));
        }
        out.push_str(&fold_line("END:VCALENDAR"));
        out.into_bytes()
    }

    /// An Atom feed of the latest changes to `records` (in list order).
    fn atom(&self, path: &str, title: &str, records: &[&Record]) -> Vec<u8> {
        let base = &self.input.base_url;
        let mut entries: Vec<(i64, String)> = Vec::new();
        if let Some(trail) = self.input.trail {
            let mut by_commit: BTreeMap<usize, Vec<&Record>> = BTreeMap::new();
            for r in records.iter().copied() {
                for e in trail.of(r.id()) {
                    by_commit.entry(e.commit).or_default().push(r);
                }
            }
            for (i, records) in by_commit.into_iter().take(50) {
                let c = &trail.commits[i];
                let updated = jiff::Timestamp::from_second(c.time).map(|t| t.to_string()).unwrap_or_default();
                for r in records {
                    let mut entry = String::new();
                    let url = format!("{base}{}", self.url(r));
                    let _ = write!(
                        entry,
                        "  <entry>\n    <id>urn:defter:{}:{}</id>\n    <title>{}</title>\n    <updated>{updated}</updated>\n    <author><name>{}</name></author>\n    <link href=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
                        c.id,
                        xml(&slug(r.id())),
                        xml(&self.display(r)),
                        xml(&c.author_name),
                        xml(&url),
                        xml(&c.summary)
                    );
                    entries.push((c.time, entry));
                }
            }
        }
        let updated = entries
            .iter()
            .map(|(t, _)| *t)
            .max()
            .and_then(|t| jiff::Timestamp::from_second(t).ok())
            .map_or_else(|| format!("{}T00:00:00Z", self.input.as_of), |t| t.to_string());
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <id>{}</id>\n  <title>{}</title>\n  <updated>{updated}</updated>\n  <link rel=\"self\" href=\"{}\"/>\n  <link href=\"{}\"/>\n",
            xml(&format!("{base}{path}")),
            xml(title),
            xml(&format!("{base}{path}")),
            xml(base)
        );
        for (_, entry) in entries {
            out.push_str(&entry);
        }
        out.push_str("</feed>\n");
        out.into_bytes()
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
    People,
    Units,
    Findings,
    /// The permission matrix: grants, people and the systems they are on.
    Permissions,
    /// Workload, reviews, KPIs and deadlines: over every record (and the history, in the
    /// global key).
    Overviews,
    /// The deadlines' calendar and the Atom feeds: over every record and the history too,
    /// a piece of their own so that they are made beside the overviews.
    Feeds,
}

const GROUPS: [Group; 10] = [
    Group::Requests,
    Group::Projects,
    Group::Grants,
    Group::Inventory,
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
            Group::People => of(|k| k == Kind::Person),
            Group::Units => of(|k| k == Kind::Unit),
            Group::Findings => keys.findings,
            Group::Permissions => keys.registers,
            Group::Overviews | Group::Feeds => keys.all_data,
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
pub(super) fn make(site: &Site, keys: &Keys, pieces: &dyn Pieces) -> Result<()> {
    GROUPS.par_iter().try_for_each(|group| pieces.piece(&group.name(), group.key(site, keys), &|| group.render(site)))
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
    use serde_json::{Map, Value as Json};

    #[test]
    fn csv_is_excel_safe() {
        let table = Table {
            name: "t",
            columns: vec!["a".into(), "b".into()],
            rows: vec![
                vec!["=HYPERLINK(\"http://x\")".into(), "Şikâyet; \"alıntı\"".into()],
                vec!["-1".into(), "@x".into()],
            ],
        };
        let text = String::from_utf8(to_csv(&table).unwrap()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains("\"Şikâyet; \"\"alıntı\"\"\""), "{text}");
        assert!(text.contains("'-1;'@x\r\n"), "{text}");
    }

    #[test]
    fn json_is_what_serde_json_pretty_prints_and_inert() {
        let pretty = |table: &Table| {
            let rows: Vec<Json> = table
                .rows
                .iter()
                .map(|row| {
                    let object: Map<String, Json> =
                        table.columns.iter().cloned().zip(row.iter().cloned().map(Json::String)).collect();
                    Json::Object(object)
                })
                .collect();
            inert_json(&(serde_json::to_string_pretty(&rows).unwrap() + "\n"))
        };
        let columns = vec!["id".to_string(), "başlık <b>".into(), "\"x\"".into()];
        for rows in [
            vec![],
            vec![vec!["TLP-1".into(), "Şikâyet & \"alıntı\"\n</script>".into(), "\u{1}\t\\".into()]],
            vec![vec!["a".into(), "b".into(), "c".into()], vec!["d".into(), String::new(), "İı".into()]],
        ] {
            let table = Table { name: "t", columns: columns.clone(), rows };
            let ours = String::from_utf8(to_json(&table)).unwrap();
            assert_eq!(ours, pretty(&table));
            assert!(!ours.contains(['<', '>', '&']), "{ours}");
            let back: Json = serde_json::from_str(&ours).unwrap();
            assert_eq!(back.as_array().map(Vec::len), Some(table.rows.len()));
        }
    }

    /// The buffers are sized up front: a usual table (Turkish text, a few quotes) fits
    /// the estimate, so the buffer never doubles, and the estimate is close.
    #[test]
    fn exports_fit_their_estimated_size() {
        let columns = vec!["id".to_string(), "title".into(), "unit".into(), "status".into()];
        let rows = (0..1000)
            .map(|i| {
                vec![
                    format!("TLP-2026-{i:04}"),
                    format!("Şikâyet modülünde \"mükerrer\" kayıt {i}"),
                    "fen-isleri-dairesi".into(),
                    if i % 3 == 0 { String::new() } else { "in_progress".into() },
                ]
            })
            .collect();
        let table = Table { name: "t", columns, rows };
        // Large enough, and not much larger (no better than doubling otherwise).
        for (len, capacity) in [
            (to_json(&table).len(), capacity(&table, 12, 9, true)),
            (to_csv(&table).unwrap().len(), capacity(&table, 1, 2, false)),
        ] {
            assert!(len <= capacity && capacity * 10 < len * 11, "{len} bytes in {capacity}");
        }
    }

    #[test]
    fn ics_lines_are_escaped_and_folded() {
        assert_eq!(ics_text("a;b,c\nd"), "a\\;b\\,c\\nd");
        let long = format!("SUMMARY:{}", "ş".repeat(60));
        let folded = fold_line(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
