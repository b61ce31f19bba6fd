//! A record's own page: its fields in file order as HTML (references as links by name,
//! dates as `dd.mm.yyyy`, enumerations by label, lists of entries as tables), its
//! Markdown body, the records that name it (capped, newest first where ids grow with
//! time), a person's open work, an open record's next steps (who may take each, and the
//! `defter step` command), its findings and its history.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::history::{Action, ListChange, Shown};
use crate::model::date::human_date;
use crate::model::{Kind, Node, Record, Value};
use crate::site::build::Output;
use crate::site::data::{ShownAs, Site, WHO_SHOWN};
use crate::site::html::{esc, root_of};
use crate::site::markdown;
use crate::site::templates::Templates;
use crate::site::view::{FindingView, Layout, Link, WorkView};

#[derive(Serialize)]
pub(crate) struct Badge {
    pub value: String,
    pub label: String,
}

#[derive(Serialize)]
pub(crate) struct Field {
    pub label: String,
    /// Already escaped HTML.
    pub html: String,
}

#[derive(Serialize)]
pub(crate) struct RelatedGroup {
    pub heading: String,
    pub items: Vec<Link>,
    /// How many more there are than [`RELATED_SHOWN`].
    pub more: usize,
    /// Whether the records shown are the newest (ids that grow with time) or the first.
    pub latest: bool,
    /// The export that lists every record of the group's kind, when there are more.
    pub export: Option<String>,
}

/// Whether the ids of `kind` grow with time (`TLP-2026-0042`, `YTK-2026-0007`,
/// `PRJ-0012`): the last ids are then the newest records.
fn ids_grow_with_time(kind: Kind) -> bool {
    matches!(kind, Kind::Request | Kind::Grant | Kind::Project) || matches!(kind.register(), Some((_, Some(_))))
}

/// Records shown per group of a page's related records. A person who has worked on
/// requests for ten years is named by tens of thousands of them (a page of megabytes):
/// the page lists the newest (the last ids, for kinds whose ids grow
/// with time; the first ids for the others), says how many more there are and links the
/// kind's export.
pub(crate) const RELATED_SHOWN: usize = 100;

#[derive(Serialize)]
pub(crate) struct ChangeView {
    pub when: String,
    pub who: String,
    pub commit: String,
    pub message: String,
    pub lines: Vec<String>,
}

/// A step an open record allows next, for its page.
#[derive(Serialize)]
pub(crate) struct StepView {
    /// `assign (ata)`.
    pub name: String,
    /// The label of the state it leads to.
    pub to: Option<String>,
    /// Links to the people who may take it (already escaped HTML).
    pub who: String,
    /// Each field it needs, as given on the command line and described.
    pub needs: Vec<NeedView>,
    /// The list entries its target state needs first, joined.
    pub first: String,
    pub command: String,
}

#[derive(Serialize)]
pub(crate) struct NeedView {
    pub flag: String,
    pub text: String,
}

/// A person's iCalendar and Atom feeds ([`super::feeds`]).
#[derive(Serialize)]
struct OwnFeeds {
    ics: String,
    atom: String,
}

#[derive(Serialize)]
struct RecordPage {
    page: Layout,
    id: String,
    kind: String,
    kind_label: String,
    title: String,
    state: Option<Badge>,
    fields: Vec<Field>,
    body: Option<String>,
    sections: Vec<Link>,
    related: Vec<RelatedGroup>,
    /// A person's open requests and projects (empty for other kinds).
    open_work: Vec<WorkView>,
    /// Who held which access when, for a person or a system that access records name.
    access: Option<super::access::AccessView>,
    /// A person's own feeds, relative to the page; `None` for other kinds.
    feeds: Option<OwnFeeds>,
    /// What an open record allows next (empty for the others).
    next_steps: Vec<StepView>,
    /// The file in the forge's editor (`[site] edit_url`), when one is configured.
    edit_url: Option<String>,
    findings: Vec<FindingView>,
    history: Option<Vec<ChangeView>>,
    parent: Option<Link>,
    /// An access review campaign's progress, items and decisions.
    campaign: Option<super::campaign::CampaignView>,
}

impl Site<'_> {
    /// A value as HTML: references as links by name, dates as `dd.mm.yyyy`, enums by label,
    /// lists of entries as tables.
    fn value_html(&self, r: &Record, pointer: &str, node: &Node, root: &str) -> String {
        match &node.value {
            Value::Null => String::new(),
            Value::Bool(b) => self.t(if *b { "yes" } else { "no" }),
            Value::Int(_) | Value::Float(_) => esc(&node.scalar_text().unwrap_or_default()),
            Value::Str(s) => {
                match self.shown_as(r.kind, pointer) {
                    ShownAs::Reference => return self.link_id(s, root),
                    ShownAs::Enumerated => return esc(&self.value_label(r.kind, pointer, s)),
                    ShownAs::Text => {}
                }
                if s.starts_with("https://") || s.starts_with("http://") {
                    return format!("<a href=\"{}\">{}</a>", esc(s), esc(s));
                }
                // A free "person id or name" field (a trainer, a participant): the name.
                if pointer != "/id" && self.person_name(s).is_some() {
                    return self.link_id(s, root);
                }
                esc(&human_date(s))
            }
            Value::Seq(items) => {
                if items.iter().all(|i| matches!(i.value, Value::Map(_))) && !items.is_empty() {
                    return self.table_html(r, pointer, items, root);
                }
                let parts: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value_html(r, &format!("{pointer}/{i}"), item, root))
                    .collect();
                parts.join(", ")
            }
            Value::Map(entries) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        let p = format!("{pointer}/{}", e.key);
                        format!(
                            "<span class=\"k\">{}:</span> {}",
                            esc(&self.label(r.kind, &p)),
                            self.value_html(r, &p, &e.value, root)
                        )
                    })
                    .collect();
                parts.join("; ")
            }
        }
    }

    fn table_html(&self, r: &Record, pointer: &str, items: &[Node], root: &str) -> String {
        let mut columns: Vec<&str> = Vec::new();
        for item in items {
            for e in item.entries() {
                if !columns.contains(&e.key.as_str()) {
                    columns.push(&e.key);
                }
            }
        }
        let mut html = String::from("<div class=\"scroll\"><table class=\"entries\"><thead><tr>");
        for c in &columns {
            html.push_str(&format!("<th scope=\"col\">{}</th>", esc(&self.label(r.kind, &format!("{pointer}/0/{c}")))));
        }
        html.push_str("</tr></thead><tbody>");
        for (i, item) in items.iter().enumerate() {
            html.push_str("<tr>");
            for c in &columns {
                let cell =
                    item.get(c).map(|n| self.value_html(r, &format!("{pointer}/{i}/{c}"), n, root)).unwrap_or_default();
                html.push_str(&format!("<td>{cell}</td>"));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table></div>");
        html
    }

    /// A link to the record an id names (plain text when there is none).
    pub(super) fn link_id(&self, id: &str, root: &str) -> String {
        match self.index.get(id) {
            Some(r) => format!("<a href=\"{root}{}\">{}</a>", esc(&self.url(r)), esc(&self.display(r))),
            None => esc(id),
        }
    }

    fn history_views(&self, r: &Record) -> Option<Vec<ChangeView>> {
        let trail = self.input.trail?;
        let mut out = Vec::new();
        for entry in trail.of(r.id()) {
            let commit = &trail.commits[entry.commit];
            let when = jiff::Timestamp::from_second(commit.time)
                .ok()
                .and_then(|t| {
                    Some(t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(commit.offset).ok()?)))
                })
                .map(|z| z.strftime("%d.%m.%Y %H:%M").to_string())
                .unwrap_or_default();
            let who = self
                .person_by_email(&commit.author_email)
                .map_or_else(|| commit.author_name.clone(), |p| self.title(p));
            let mut lines = Vec::new();
            match &entry.action {
                Action::Added => lines.push(self.t("created")),
                Action::Deleted => lines.push(self.t("deleted")),
                Action::Moved { from } => lines.push(format!("{}: {from} → {}", self.t("moved"), entry.path)),
                Action::Modified => {}
            }
            if entry.action != Action::Added {
                for change in &entry.fields {
                    let pointer = format!("/{}", change.field);
                    let label = self.label(r.kind, &pointer);
                    if let Some(list) = change.list.as_deref() {
                        lines.extend(self.list_lines(r, &pointer, &label, list));
                        continue;
                    }
                    lines.push(format!(
                        "{label}: {} → {}",
                        self.shown_text(r, &pointer, change.old.as_ref()),
                        self.shown_text(r, &pointer, change.new.as_ref())
                    ));
                }
                if entry.body_changed {
                    lines.push(self.t("text_changed"));
                }
            }
            out.push(ChangeView { when, who, commit: commit.short(), message: commit.summary.clone(), lines });
        }
        Some(out)
    }
    /// A value of the trail as a reader reads it: a reference by name, an enumerated
    /// value by its label, a date as `dd.mm.yyyy`.
    fn shown_text(&self, r: &Record, pointer: &str, value: Option<&Shown>) -> String {
        let text = match value {
            None => return "—".into(),
            Some(Shown::Str(s)) => match self.shown_as(r.kind, pointer) {
                ShownAs::Reference => self.name_of(s),
                ShownAs::Enumerated => self.value_label(r.kind, pointer, s),
                ShownAs::Text => self.person_name(s).unwrap_or_else(|| human_date(s)),
            },
            Some(Shown::Bool(b)) => self.t(if *b { "yes" } else { "no" }),
            Some(Shown::Float(x)) => crate::model::number::decimal(*x, self.english),
            Some(v) => v.to_string(),
        };
        if text.chars().count() > 80 { format!("{}…", text.chars().take(79).collect::<String>()) } else { text }
    }

    /// The words after the id in a record page's heading: its title or name; a record
    /// without either (a grant) is said by what it is about — whose, on what, as what
    /// (`Mehmet Demir · BBYS Zabıta Modülü · Birim yöneticisi`) — never its id again.
    fn page_title(&self, r: &Record) -> String {
        let title = self.title(r);
        if title != r.id() {
            return title;
        }
        ["grantee", "system", "role"]
            .iter()
            .filter_map(|f| r.fields.str_at(f))
            .map(|v| self.name_of(v))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// A person's name when `text` is a person's id (a free "id or name" field).
    fn person_name(&self, text: &str) -> Option<String> {
        self.index.get(text).filter(|p| p.kind == Kind::Person).map(|p| self.title(p))
    }

    /// The lines a list's change reads as: each entry added or altered, by its members
    /// ("Tarihçe: 12.01.2026 Elif Kara → İşlemde eklendi"), and how many went.
    fn list_lines(&self, r: &Record, pointer: &str, label: &str, list: &ListChange) -> Vec<String> {
        let state = self.input.rules.workflows.state_field(r.kind.name());
        let mut lines = Vec::new();
        for item in &list.entries {
            let mut text = String::new();
            for (key, value) in &item.members {
                let member = if key.is_empty() { format!("{pointer}/0") } else { format!("{pointer}/0/{key}") };
                let shown = self.shown_text(r, &member, Some(value));
                if shown.is_empty() {
                    continue;
                }
                if !text.is_empty() {
                    text.push(' ');
                }
                if key == state {
                    text.push_str("→ ");
                }
                text.push_str(&shown);
            }
            let verb = self.t(if item.added { "entry_added" } else { "entry_changed" });
            lines.push(format!("{label}: {text} {verb}"));
        }
        if list.more > 0 {
            lines.push(format!("{label}: +{} {}", list.more, self.t("entries_more")));
        }
        if list.removed > 0 {
            lines.push(format!("{label}: {} {}", list.removed, self.t("entries_removed")));
        }
        lines
    }

    /// The steps an open record allows next, who may take them and the command.
    fn step_views(&self, r: &Record, root: &str) -> Vec<StepView> {
        let field = self.input.rules.workflows.state_field(r.kind.name());
        self.next_steps(r)
            .into_iter()
            .map(|s| {
                let who = if s.anyone {
                    esc(&self.t("anyone"))
                } else if s.who.is_empty() {
                    esc(&self.t("nobody"))
                } else {
                    let mut html: Vec<String> = s.who.iter().take(WHO_SHOWN).map(|p| self.link_id(p, root)).collect();
                    if s.who.len() > WHO_SHOWN {
                        html.push(format!("+{} {}", s.who.len() - WHO_SHOWN, esc(&self.t("more_people"))));
                    }
                    html.join(", ")
                };
                StepView {
                    name: match s.turkish {
                        Some(tr) if !self.english => format!("{tr} ({})", s.name),
                        _ => s.name.clone(),
                    },
                    to: s.to.as_deref().map(|to| self.value_label(r.kind, &format!("/{field}"), to)),
                    who,
                    needs: s.needs.into_iter().map(|(flag, text)| NeedView { flag, text }).collect(),
                    first: s.first.join(", "),
                    command: s.command,
                }
            })
            .collect()
    }

    fn related(&self, r: &Record, root: &str) -> Vec<RelatedGroup> {
        // The records naming this one, by the field that names it; a heading (kind and
        // field label) may gather several fields.
        let mut by_field: BTreeMap<(Kind, &str), Vec<&Record>> = BTreeMap::new();
        for b in self.backlinks(r.id()) {
            if !std::ptr::eq(b.from, r) {
                by_field.entry((b.from.kind, b.field)).or_default().push(b.from);
            }
        }
        let mut groups: BTreeMap<(Kind, String), Vec<&Record>> = BTreeMap::new();
        for ((kind, field), from) in by_field {
            let label = self.label(kind, &format!("/{}", field.replace("[]", "/0").replace('.', "/")));
            groups.entry((kind, format!("{} — {label}", self.kind_label(kind)))).or_default().extend(from);
        }
        groups
            .into_iter()
            .map(|((kind, heading), mut from)| {
                // Capped by id (see [`RELATED_SHOWN`]) before any link is made.
                from.sort_by(|a, b| (a.id(), &a.path).cmp(&(b.id(), &b.path)));
                from.dedup_by(|a, b| std::ptr::eq(*a, *b));
                let more = from.len().saturating_sub(RELATED_SHOWN);
                // The newest where ids grow with time, else the first by id.
                let latest = ids_grow_with_time(kind);
                if latest {
                    from.drain(..more);
                } else {
                    from.truncate(RELATED_SHOWN);
                }
                let mut items: Vec<Link> = from
                    .into_iter()
                    .map(|f| {
                        let mut text = self.display(f);
                        if let Some((_, state)) = self.state(f) {
                            text = format!("{text} ({state})");
                        }
                        Link { url: format!("{root}{}", self.url(f)), text }
                    })
                    .collect();
                items.sort_by(|a, b| a.text.cmp(&b.text));
                let export =
                    super::exports::table_of(kind).filter(|_| more > 0).map(|name| format!("{root}exports/{name}.csv"));
                RelatedGroup { heading, items, more, latest, export }
            })
            .collect()
    }
    /// The page of one record.
    pub(crate) fn record_page(&self, r: &Record, templates: &Templates) -> anyhow::Result<Output> {
        let path = self.url(r);
        let root = root_of(&path);
        // Every field in file order, except those in the heading; the history goes last.
        let heading = match r.kind {
            Kind::Person | Kind::Unit => "name",
            _ if r.fields.get("title").is_some() => "title",
            _ => "name",
        };
        // A campaign's items, decisions and removed accesses are its own table (below).
        let own_table = |key: &str| r.kind == Kind::Campaign && matches!(key, "items" | "decisions" | "removed");
        let mut entries: Vec<&crate::model::Entry> =
            r.fields.entries().iter().filter(|e| e.key != "id" && e.key != heading && !own_table(&e.key)).collect();
        entries.sort_by_key(|e| e.key == "history");
        let fields = entries
            .into_iter()
            .map(|e| {
                let pointer = format!("/{}", e.key);
                Field { label: self.label(r.kind, &pointer), html: self.value_html(r, &pointer, &e.value, &root) }
            })
            .collect();
        let sections = if r.kind == Kind::Project {
            let prefix = format!("{}/", r.path_id);
            let mut sections: Vec<(i64, Link)> = self
                .of_kind(Kind::ProjectSection)
                .filter(|s| s.path_id.starts_with(&prefix))
                .map(|s| {
                    (
                        s.fields.get("order").and_then(|n| n.as_i64()).unwrap_or(i64::MAX),
                        Link { url: format!("{root}{}", self.url(s)), text: self.title(s) },
                    )
                })
                .collect();
            sections.sort_by(|a, b| (a.0, &a.1.text).cmp(&(b.0, &b.1.text)));
            sections.into_iter().map(|(_, l)| l).collect()
        } else {
            Vec::new()
        };
        let parent = (r.kind == Kind::ProjectSection)
            .then(|| r.path_id.split('/').next().and_then(|p| self.index.get(p)))
            .flatten()
            .map(|p| Link { url: format!("{root}{}", self.url(p)), text: self.display(p) });
        let findings = self
            .findings
            .get(r.path.as_str())
            .map(|ds| ds.iter().map(|d| self.finding_view(d, &root)).collect())
            .unwrap_or_default();
        let title = self.page_title(r);
        let page = self.layout(
            &path,
            format!("{} {}", if r.kind == Kind::ProjectSection { String::new() } else { r.id().to_string() }, title)
                .trim(),
            section_of(r.kind),
        );
        let view = RecordPage {
            page,
            id: r.id().to_string(),
            kind: r.kind.name().to_string(),
            kind_label: self.kind_label(r.kind),
            title,
            state: self.state(r).map(|(value, label)| Badge { value, label }),
            fields,
            body: r.body.as_ref().map(|b| markdown::render(&b.text)).filter(|h| !h.trim().is_empty()),
            sections,
            related: self.related(r, &root),
            open_work: if r.kind == Kind::Person { self.open_work(r.id(), &root) } else { Vec::new() },
            access: self.access_view(r, &root),
            feeds: (r.kind == Kind::Person).then(|| {
                let (ics, atom) = super::feeds::paths(&self.page_slug(r));
                OwnFeeds { ics: format!("{root}{ics}"), atom: format!("{root}{atom}") }
            }),
            next_steps: self.step_views(r, &root),
            edit_url: edit_url(&self.input.config.site.edit_url, &r.path),
            findings,
            history: self.history_views(r),
            parent,
            campaign: self.campaign_view(r, &root),
        };
        Ok((path, templates.render("record.html", &view)?.into_bytes()))
    }
}

/// `template` with `{path}` replaced by `path`, its bytes outside the unreserved ones and
/// `/` percent-encoded; `None` when no template is configured.
fn edit_url(template: &str, path: &str) -> Option<String> {
    if template.is_empty() {
        return None;
    }
    let mut encoded = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    Some(template.replace("{path}", &encoded))
}

/// Which menu entry a kind's pages belong to.
fn section_of(kind: Kind) -> &'static str {
    match kind {
        Kind::Request => "requests/index.html",
        Kind::Project | Kind::ProjectSection => "projects/index.html",
        Kind::Grant => "grants/index.html",
        Kind::Unit | Kind::Person => "",
        kind if kind.register().is_some() => "registers/index.html",
        _ => "inventory/index.html",
    }
}
