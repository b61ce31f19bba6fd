//! The [`Site`]: the indexes a build makes once over its [`Input`] and the lookups every
//! page shares — where each record's page is, how a record is named and labelled for
//! people (Turkish labels from the schemas), which records point at it, its findings,
//! whether a field names a record or an enumerated value, and who holds which open
//! work. A page family's own methods live with the page under [`super::pages`]; this
//! file names no page, so a page can change without touching the lookups every other
//! page relies on.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock, RwLock};

use jiff::civil::Date;
use serde_json::Value as Json;

/// Where slugs used to be; `tests/integration` still names them here.
pub(crate) use super::html::slug;
use super::i18n::{Catalogue, catalogue, humanize};
use crate::config::Config;
use crate::diag::{Diagnostic, Findings};
use crate::history::AuditTrail;
use crate::load::{Records, rules::Ruleset};
use crate::model::Kind;
use crate::model::Record;
use crate::model::{IdTable, Index};
use crate::validate::Schemas;

/// Everything a build reads.
pub struct Input<'a> {
    pub records: &'a Records,
    pub rules: &'a Ruleset,
    pub schemas: &'a Schemas,
    pub config: &'a Config,
    pub report: &'a Findings,
    pub trail: Option<&'a AuditTrail>,
    pub as_of: Date,
    /// The commit the site is built from (short id), when the repository is in git.
    pub commit: Option<String>,
    /// Absolute URL of the site's root, for feeds (ends with `/`).
    pub base_url: String,
    /// `defter serve`: pages reload themselves when the site is rebuilt.
    pub live_reload: bool,
    /// A site for a wider audience (`build --public`): no e-mail addresses, phone numbers
    /// or git identities on any page, export or feed.
    pub public: bool,
    /// Where each id is among `records`, when it was made already (validation's); made
    /// anew when `None`.
    pub ids: Option<&'a IdTable>,
}

/// A record pointing at another through a field.
pub(crate) struct Backlink<'a> {
    pub from: &'a Record,
    pub field: &'a str,
}

pub(crate) struct Site<'a> {
    pub input: &'a Input<'a>,
    pub t: Catalogue,
    pub english: bool,
    pub index: Index<'a>,
    pub findings: BTreeMap<&'a str, Vec<&'a Diagnostic>>,
    backlinks: foldhash::HashMap<&'a str, Vec<Backlink<'a>>>,
    /// Records sorted by kind, then id: the order of every list.
    pub sorted: Vec<&'a Record>,
    /// Each record's page (by the record's address), unique even when ids clash.
    urls: foldhash::HashMap<usize, String>,
    /// Records by path (the first, as a scan would find it).
    by_path: foldhash::HashMap<&'a str, &'a Record>,
    /// People by git e-mail address (ASCII lower case; the first person with it).
    by_email: HashMap<String, &'a Record>,
    /// Labels already looked up in the schemas, by kind, pointer and (for values) value:
    /// every page asks for the same few hundred.
    labels: RwLock<HashMap<(Kind, String, Slot), String>>,
    /// Everyone's open work, once asked for (`Site::workload`).
    pub(super) workload: OnceLock<Vec<crate::report::PersonLoad>>,
    /// Every dated deadline, found on first use ([`Site::deadlines`]).
    pub(super) deadlines: OnceLock<Vec<Deadline<'a>>>,
    /// The monthly request figures of the reports page and the KPI export, counted on
    /// first use ([`Site::monthly`]).
    pub(super) monthly: OnceLock<Vec<crate::report::kpi::MonthKpi>>,
    /// Who may take a step, by what the answer depends on ([`Site::next_steps`]).
    who: RwLock<HashMap<WhoKey, Arc<[String]>>>,
}

/// What decides who may take a step on a record: its kind, state and step, and the
/// values of the record's fields the step's actor conditions read (its service, unit,
/// assignee…; [`crate::step::who_reads`]). The people and units are the same for every
/// record of a build.
type WhoKey = (Kind, String, String, Vec<Option<String>>);

/// How many of the people who may take a step a record's page names (then how many more).
pub(crate) const WHO_SHOWN: usize = 12;

/// One step an open record allows next ([`Site::next_steps`]).
#[derive(Hash)]
pub(crate) struct NextStep {
    /// As `defter step` names it (`send-to-test`).
    pub name: String,
    pub turkish: Option<&'static str>,
    /// The state it leads to, when it is a transition.
    pub to: Option<String>,
    /// Anyone may take it (no actor is named).
    pub anyone: bool,
    /// The active people who may take it, by id, sorted.
    pub who: Arc<[String]>,
    /// The fields it needs: how each is given (`--to …`) and its Turkish description.
    pub needs: Vec<(String, String)>,
    /// The list entries its target state needs first.
    pub first: Vec<String>,
    /// The command that takes it.
    pub command: String,
}

/// One dated item of the expiry calendar (also the iCalendar feed and the deadlines
/// export); found by the calendar page on first use and kept here, once per build.
pub(crate) struct Deadline<'a> {
    pub date: jiff::civil::Date,
    pub what: String,
    pub record: &'a Record,
}

/// How a field's text is shown ([`Site::shown_as`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShownAs {
    /// A link to the record whose id it is.
    Reference,
    /// The label of an enumerated value.
    Enumerated,
    /// As it is (a date as `dd.mm.yyyy`, a web address as a link).
    Text,
}

/// What a cached label is of.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Slot {
    KindLabel,
    Label,
    /// How a field's text is shown ([`ShownAs`]): `r`, `e`, or empty for text.
    Class,
    Value(String),
}

/// Pages of the site that no record page may take.
const RESERVED: [&str; 6] = [
    "index.html",
    "requests/index.html",
    "projects/index.html",
    "grants/index.html",
    "inventory/index.html",
    "registers/index.html",
];

/// The page a record would have if its id were unique.
fn natural_url(r: &Record) -> String {
    let id = slug(r.id());
    match r.kind {
        Kind::Unit => format!("units/{id}.html"),
        Kind::Person => format!("people/{id}.html"),
        Kind::Request => format!("requests/{id}.html"),
        Kind::Project => format!("projects/{id}/index.html"),
        Kind::ProjectSection => {
            format!("projects/{}.html", r.path_id.split('/').map(slug).collect::<Vec<_>>().join("/"))
        }
        Kind::Grant => format!("grants/{id}.html"),
        kind if kind.register().is_some() => format!("registers/{}/{id}.html", kind.name()),
        kind => format!("inventory/{}/{id}.html", kind.name()),
    }
}

/// Every record's page, relative to the site root, by the record's path: the pages a
/// build gives them (the same sort and the same `-2` suffixes), for what links into the
/// site from outside it (`defter notify`'s e-mails).
pub(crate) fn page_urls(records: &[Record]) -> HashMap<String, String> {
    let sorted = in_site_order(records);
    let mut urls = unique_urls(&sorted);
    sorted.iter().filter_map(|r| urls.remove(&address(r)).map(|url| (r.path.clone(), url))).collect()
}

/// The records in the order the site lists them and gives out pages: by kind, id, path.
fn in_site_order(records: &[Record]) -> Vec<&Record> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| (a.kind, a.id(), &a.path).cmp(&(b.kind, b.id(), &b.path)));
    sorted
}

/// Gives every record its own page: two records with one id (`duplicate-id`), ids that
/// differ only in case (`case-clash`: one file on Windows and macOS) or ids that slug
/// alike get `-2`, `-3`… in sorted order, so no page overwrites another.
fn unique_urls(sorted: &[&Record]) -> foldhash::HashMap<usize, String> {
    let mut taken: foldhash::HashSet<String> = RESERVED.iter().map(|p| p.to_string()).collect();
    let mut urls = foldhash::HashMap::with_capacity_and_hasher(sorted.len(), Default::default());
    for r in sorted {
        let natural = natural_url(r);
        let mut url = natural.clone();
        let mut n = 2;
        while !taken.insert(url.to_lowercase()) {
            url = match natural.strip_suffix("/index.html") {
                Some(folder) => format!("{folder}-{n}/index.html"),
                None => format!("{}-{n}.html", natural.trim_end_matches(".html")),
            };
            n += 1;
        }
        urls.insert(address(r), url);
    }
    urls
}

/// The findings of each file, by path.
fn findings<'a>(input: &'a Input<'a>) -> BTreeMap<&'a str, Vec<&'a Diagnostic>> {
    let mut findings: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &input.report.diagnostics {
        findings.entry(d.path.as_str()).or_default().push(d);
    }
    findings
}

/// The records naming each id, by the reference fields the workflows declare, in record
/// order, each field of a record once.
fn backlinks<'a>(input: &'a Input<'a>) -> foldhash::HashMap<&'a str, Vec<Backlink<'a>>> {
    let records = &input.records.records;
    // What the records name, found on both cores a block of records at a time (walking
    // every record's reference fields is most of the work, and bound by memory), then
    // put together in record order.
    let named: Vec<Vec<(&str, Backlink)>> = records
        .par_chunks(4096)
        .map(|block| {
            let mut named: Vec<(&str, Backlink)> = Vec::new();
            for r in block {
                let Some(fields) = input.rules.workflows.references.get(r.kind.name()) else { continue };
                let own = named.len();
                for path in fields.keys() {
                    r.fields.each_at(path, &mut |node| {
                        // Each field of a record once per id.
                        if let Some(id) = node.as_str()
                            && !named[own..].iter().any(|(named, b)| *named == id && b.field == *path)
                        {
                            named.push((id, Backlink { from: r, field: path }));
                        }
                    });
                }
            }
            named
        })
        .collect();
    let mut backlinks: foldhash::HashMap<&str, Vec<Backlink>> =
        foldhash::HashMap::with_capacity_and_hasher(records.len(), Default::default());
    for (id, b) in named.into_iter().flatten() {
        backlinks.entry(id).or_default().push(b);
    }
    backlinks
}

/// Every id's backlinks as record positions and field names, owned: what `defter serve`
/// keeps from one rebuild to the next, so that the page of a record edited in place is
/// rendered without walking every record's references again ([`Site::with_backlinks`]).
#[derive(Default)]
pub(crate) struct KeptBacklinks {
    by_id: HashMap<String, Vec<(usize, String)>>,
}

impl KeptBacklinks {
    /// The backlinks of `site`, by the positions of their records in its input.
    pub(crate) fn of(site: &Site) -> KeptBacklinks {
        let records = &site.input.records.records;
        let base = records.as_ptr() as usize;
        let size = std::mem::size_of::<Record>().max(1);
        let by_id = site
            .backlinks
            .iter()
            .map(|(id, links)| {
                let links = links.iter().map(|b| ((address(b.from) - base) / size, b.field.to_string())).collect();
                (id.to_string(), links)
            })
            .collect();
        KeptBacklinks { by_id }
    }

    /// The backlinks of `ids` in `input`, whose records at the positions `edited` are
    /// the only ones changed (in place, each at its position) since these were kept:
    /// the kept ones of every other record, and those of the edited records found anew,
    /// in record order as [`Site::new`] finds them.
    pub(crate) fn patched<'a>(
        &self,
        input: &'a Input<'a>,
        ids: &[&'a str],
        edited: &[usize],
    ) -> foldhash::HashMap<&'a str, Vec<Backlink<'a>>> {
        let records = &input.records.records;
        let references = &input.rules.workflows.references;
        let mut out: foldhash::HashMap<&'a str, Vec<Backlink<'a>>> = foldhash::HashMap::default();
        for &id in ids {
            let mut links: Vec<(usize, Backlink<'a>)> = Vec::new();
            for (at, field) in self.by_id.get(id).into_iter().flatten() {
                let Some(r) = records.get(*at).filter(|_| !edited.contains(at)) else { continue };
                // The field's name as the rules hold it (the backlinks borrow it).
                let Some((field, _)) = references.get(r.kind.name()).and_then(|f| f.get_key_value(field.as_str()))
                else {
                    continue;
                };
                links.push((*at, Backlink { from: r, field }));
            }
            for &at in edited {
                let Some(r) = records.get(at) else { continue };
                let Some(fields) = references.get(r.kind.name()) else { continue };
                for path in fields.keys() {
                    r.fields.each_at(path, &mut |node| {
                        if node.as_str() == Some(id)
                            && !links.iter().any(|(other, b)| *other == at && b.field == path.as_str())
                        {
                            links.push((at, Backlink { from: r, field: path }));
                        }
                    });
                }
            }
            // Stable: a record's own links stay in the order of its fields.
            links.sort_by_key(|(at, _)| *at);
            out.insert(id, links.into_iter().map(|(_, b)| b).collect());
        }
        out
    }
}

/// The records by path (the first of a path given twice), and the people by the
/// addresses in their `git_emails`, in ASCII lower case.
fn by_path_and_email(records: &[Record]) -> (foldhash::HashMap<&str, &Record>, HashMap<String, &Record>) {
    let mut by_path = foldhash::HashMap::with_capacity_and_hasher(records.len(), Default::default());
    let mut by_email = HashMap::new();
    for r in records {
        by_path.entry(r.path.as_str()).or_insert(r);
        if r.kind == Kind::Person {
            for email in r.fields.path("git_emails[]").iter().filter_map(|e| e.as_str()) {
                by_email.entry(email.to_ascii_lowercase()).or_insert(r);
            }
        }
    }
    (by_path, by_email)
}

/// A record's identity while a site is made: its address (two records may share an id).
pub(super) fn address(r: &Record) -> usize {
    std::ptr::from_ref(r) as usize
}

impl<'a> Site<'a> {
    pub(crate) fn new(input: &'a Input<'a>) -> Self {
        Site::made(input, None)
    }

    /// The site of `input` for pages that ask only for the backlinks `backlinks` holds
    /// (those of the records whose pages are rendered): the walk over every record's
    /// references, the longest of the indexes, is not made. See [`KeptBacklinks`].
    pub(crate) fn with_backlinks(
        input: &'a Input<'a>,
        backlinks: foldhash::HashMap<&'a str, Vec<Backlink<'a>>>,
    ) -> Self {
        Site::made(input, Some(backlinks))
    }

    fn made(input: &'a Input<'a>, backlinks_given: Option<foldhash::HashMap<&'a str, Vec<Backlink<'a>>>>) -> Self {
        let records = &input.records.records;
        // Each index is one pass over every record, independent of the others, so they
        // are made side by side.
        let ((backlinks, findings), ((sorted, urls), (by_path, by_email, index))) = rayon::join(
            || (backlinks_given.unwrap_or_else(|| backlinks(input)), findings(input)),
            || {
                rayon::join(
                    || {
                        let sorted = in_site_order(records);
                        let urls = unique_urls(&sorted);
                        (sorted, urls)
                    },
                    || {
                        let (by_path, by_email) = by_path_and_email(records);
                        (
                            by_path,
                            by_email,
                            input.ids.map_or_else(|| Index::new(records), |ids| Index::with(ids, records)),
                        )
                    },
                )
            },
        );
        let language = input.config.site.language.as_str();
        Site {
            input,
            t: catalogue(language),
            english: language == "en",
            index,
            findings,
            backlinks,
            urls,
            sorted,
            by_path,
            by_email,
            labels: RwLock::default(),
            workload: OnceLock::new(),
            deadlines: OnceLock::new(),
            monthly: OnceLock::new(),
            who: RwLock::default(),
        }
    }

    /// The steps an open record allows next (none for a record that is not open), each
    /// with who may take it. Who may is asked of every person once per [`WhoKey`], not
    /// once per record: at 100,000 records a few hundred keys.
    pub(crate) fn next_steps(&self, r: &Record) -> Vec<NextStep> {
        if !self.is_open(r) {
            return Vec::new();
        }
        let rules = self.input.rules;
        let w = &rules.workflows;
        let state = r.fields.str_at(w.state_field(r.kind.name())).unwrap_or_default();
        crate::step::actions(w, r)
            .into_iter()
            .map(|action| {
                let reads = crate::step::who_reads(w, &action, r).into_iter().map(|v| v.map(String::from)).collect();
                let key = (r.kind, state.to_string(), action.name.clone(), reads);
                let known = self.who.read().ok().and_then(|memo| memo.get(&key).cloned());
                let who = known.unwrap_or_else(|| {
                    let who: Arc<[String]> = crate::step::who(w, &self.index, &action, r).into();
                    if let Ok(mut memo) = self.who.write() {
                        memo.insert(key, Arc::clone(&who));
                    }
                    who
                });
                let (needs, first) = crate::step::needs(rules, self.input.config, r, &action);
                let name = action.name.replace('_', "-");
                let flags: String = needs.iter().map(|n| format!(" {}", n.flag_text())).collect();
                NextStep {
                    command: format!("defter step {} {name}{flags}", r.id()),
                    turkish: crate::step::turkish(&action.name),
                    to: match &action.what {
                        crate::step::What::Transition { to } => Some(to.clone()),
                        _ => None,
                    },
                    anyone: action.by.is_empty(),
                    who,
                    needs: needs.into_iter().map(|n| (n.flag_text(), n.text)).collect(),
                    first,
                    name,
                }
            })
            .collect()
    }

    /// A label from the cache, or computed and cached.
    fn cached(&self, kind: Kind, pointer: &str, slot: Slot, compute: impl FnOnce() -> String) -> String {
        let key = (kind, pointer.to_string(), slot);
        if let Some(label) = self.labels.read().ok().and_then(|labels| labels.get(&key).cloned()) {
            return label;
        }
        let label = compute();
        if let Ok(mut labels) = self.labels.write() {
            labels.insert(key, label.clone());
        }
        label
    }

    /// Everyone's open work, people sorted by id (computed once per build).
    pub(crate) fn workload(&self) -> &[crate::report::PersonLoad] {
        self.workload.get_or_init(|| {
            crate::report::workload(&self.input.records.records, &self.input.rules.workflows, self.input.as_of)
        })
    }

    /// The open work a person holds (none when they hold none).
    pub(crate) fn work_of(&self, person: &str) -> &[crate::report::WorkItem] {
        let loads = self.workload();
        loads.binary_search_by(|l| l.person.as_str().cmp(person)).map_or(&[], |at| loads[at].items.as_slice())
    }

    /// The record at a path.
    pub(crate) fn record_at(&self, path: &str) -> Option<&'a Record> {
        self.by_path.get(path).copied()
    }

    /// The person whose `git_emails` holds an address (ASCII case ignored).
    pub(crate) fn person_by_email(&self, email: &str) -> Option<&'a Record> {
        self.by_email.get(&email.to_ascii_lowercase()).copied()
    }

    pub(crate) fn t(&self, key: &str) -> String {
        self.t.get(key).map_or_else(|| key.to_string(), |s| (*s).to_string())
    }

    pub(crate) fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &'a Record> + '_ {
        self.sorted.iter().copied().filter(move |r| r.kind == kind)
    }

    pub(crate) fn backlinks(&self, id: &str) -> &[Backlink<'a>] {
        self.backlinks.get(id).map_or(&[], Vec::as_slice)
    }

    /// The page of a record, relative to the site root.
    pub(crate) fn url(&self, r: &Record) -> String {
        self.urls.get(&address(r)).cloned().unwrap_or_else(|| natural_url(r))
    }

    /// The record's own name in paths derived from its page (its unit's request list,
    /// board and feed): the page's file name, or a project's folder.
    pub(crate) fn page_slug(&self, r: &Record) -> String {
        let url = self.url(r);
        let url = url.strip_suffix("/index.html").unwrap_or(&url);
        let name = url.rsplit('/').next().unwrap_or(url);
        name.strip_suffix(".html").unwrap_or(name).to_string()
    }

    /// How people call a record: a person or unit by name, others by id and title.
    pub(crate) fn display(&self, r: &Record) -> String {
        let title = Self::title_field(r);
        match (r.kind, title) {
            (Kind::Person | Kind::Unit, Some(name)) => name.to_string(),
            (Kind::ProjectSection, Some(t)) => t.to_string(),
            (_, Some(t)) => format!("{} — {t}", r.id()),
            (_, None) => r.id().to_string(),
        }
    }

    pub(crate) fn title(&self, r: &Record) -> String {
        Self::title_field(r).unwrap_or(r.id()).to_string()
    }

    /// A record's `title`, or its `name`; a person's `title` is the job title, so a
    /// person (and a unit) goes by `name` first.
    fn title_field(r: &Record) -> Option<&str> {
        let (first, then) =
            if matches!(r.kind, Kind::Person | Kind::Unit) { ("name", "title") } else { ("title", "name") };
        r.fields.str_at(first).or_else(|| r.fields.str_at(then))
    }

    /// The display name of an id (the id when no record has it).
    pub(crate) fn name_of(&self, id: &str) -> String {
        self.index.get(id).map_or_else(|| id.to_string(), |r| self.title(r))
    }

    /// A kind's name for people, singular.
    pub(crate) fn kind_label(&self, kind: Kind) -> String {
        self.cached(kind, "", Slot::KindLabel, || self.kind_label_uncached(kind))
    }

    fn kind_label_uncached(&self, kind: Kind) -> String {
        let title = self.input.schemas.subschema(kind, "").and_then(|s| s.get("title")).and_then(Json::as_str);
        match (self.english, title) {
            (false, Some(t)) => t.to_string(),
            _ => humanize(kind.name()),
        }
    }

    /// A field's label (schema title in Turkish; the humanised name in English).
    pub(crate) fn label(&self, kind: Kind, pointer: &str) -> String {
        self.cached(kind, pointer, Slot::Label, || self.label_uncached(kind, pointer))
    }

    fn label_uncached(&self, kind: Kind, pointer: &str) -> String {
        let key = pointer.rsplit('/').find(|t| t.parse::<usize>().is_err()).unwrap_or(pointer);
        if self.english {
            return humanize(key);
        }
        let title = self.input.schemas.subschema(kind, pointer).and_then(|s| s.get("title")).and_then(Json::as_str);
        title.map_or_else(|| humanize(key), str::to_string)
    }

    /// An enumerated value's label (`x-labels` of the schema in Turkish).
    pub(crate) fn value_label(&self, kind: Kind, pointer: &str, value: &str) -> String {
        self.cached(kind, pointer, Slot::Value(value.to_string()), || self.value_label_uncached(kind, pointer, value))
    }

    fn value_label_uncached(&self, kind: Kind, pointer: &str, value: &str) -> String {
        if !self.english {
            let schema = self.input.schemas.subschema(kind, pointer);
            if let Some(label) =
                schema.and_then(|s| s.get("x-labels")).and_then(|l| l.get(value)).and_then(Json::as_str)
            {
                return label.to_string();
            }
        }
        humanize(value)
    }

    /// The field holding the record's state, its value and its label.
    pub(crate) fn state(&self, r: &Record) -> Option<(String, String)> {
        let field = self.input.rules.workflows.state_field(r.kind.name());
        let value = r.fields.str_at(field)?;
        Some((value.to_string(), self.value_label(r.kind, &format!("/{field}"), value)))
    }

    pub(crate) fn is_open(&self, r: &Record) -> bool {
        let w = &self.input.rules.workflows;
        match (w.lifecycle(r.kind.name()), r.fields.str_at(w.state_field(r.kind.name()))) {
            (Some(l), Some(s)) => l.is_open(s),
            _ => false,
        }
    }

    /// How a field's text is shown: a link to the record it names, an enumeration's
    /// label, or the text itself. It depends only on the kind and the field, so it is
    /// looked up once per pair.
    pub(crate) fn shown_as(&self, kind: Kind, pointer: &str) -> ShownAs {
        let class = self.cached(kind, pointer, Slot::Class, || {
            if self.is_reference(kind, pointer) {
                return "r".into();
            }
            let schema = self.input.schemas.subschema(kind, pointer);
            let enumerated = schema.is_some_and(|s| s.get("enum").is_some() || s.get("x-labels").is_some());
            if enumerated { "e".into() } else { String::new() }
        });
        match class.as_str() {
            "r" => ShownAs::Reference,
            "e" => ShownAs::Enumerated,
            _ => ShownAs::Text,
        }
    }

    /// Whether a field path of a kind is a reference (per the workflow data).
    fn is_reference(&self, kind: Kind, pointer: &str) -> bool {
        let Some(fields) = self.input.rules.workflows.references.get(kind.name()) else { return false };
        let path: String = pointer
            .split('/')
            .skip(1)
            .map(|t| if t.parse::<usize>().is_ok() { "[]".to_string() } else { format!(".{t}") })
            .collect::<String>()
            .trim_start_matches('.')
            .replace(".[]", "[]");
        fields.contains_key(&path)
    }
}
