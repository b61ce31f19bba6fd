//! The keys of an incremental build: a hash of everything a part of the site is made
//! from. A part whose key equals the last build's is not rendered again.
//!
//! The keys are conservative: a record's page depends on its own text and address, on
//! the data and address of every record it names (any string value that is an id), of
//! every record that names it and of the people its history names, on the steps an open
//! record allows next and the people who may take them, on the text of its
//! project's sections or its section's project, on its findings and on its own history
//! (the commits that changed it); everything every page shares (templates,
//! configuration, rules, the defter binary) is in the global key, and a change there
//! re-renders every page.
//!
//! The commit and the `--as-of` date are not in the global key: only `build.html` names
//! them (the footer of every page links to it), so a new commit re-renders the
//! pages whose records it changed and the pages over the whole history (the home page's
//! recent changes, the reports' monthly figures, the feeds), not every page. The date
//! keys what is computed from it: the pages and exports that count or mark what is
//! overdue, expiring or due (home, calendar, reports, workload, grants, the overviews and
//! feeds, the boards' recent columns); a request list page by whether each of its rows is
//! overdue, not by the date itself; a record's page by its findings and a person's open
//! work, which say it. A template that shows `page.commit` or `page.as_of` anywhere but on
//! the home and build pages puts both back into the global key.
//!
//! Each record has two keys: one of its whole file, and one of its data — the file
//! without its Markdown body. Only a record's own page and the search index show bodies,
//! so the pages over many records (reports, exports, calendar…) are keyed by every
//! record's data and every finding: editing a project's analysis or a request's notes
//! leaves them alone. A page of a request list is keyed by its own rows (each row by
//! its request's data and that of the records it names) and the counts every list page
//! shows; each file of the search index by the words of the records it holds (the
//! search page keys its own files).
//!
//! The keys are kept in the site (`.defter-build`, `.defter-search`), which its readers
//! can fetch, and a record's keys follow from its text before redaction. So the digests
//! of the texts are keyed with a [`Salt`], a secret kept outside the site (in the
//! repository's git folder): without it a key cannot be computed from a guessed text,
//! so the state cannot confirm a guess at a secret it never shows.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write as _;
use std::path::Path;

use rayon::prelude::*;
use siphasher::sip::SipHasher13;

use crate::model::{Kind, Node, Record, Value};
use crate::site::data::{Site, WHO_SHOWN, address};
use crate::site::templates::Templates;

/// Bumped whenever the build state's meaning changes.
const FORMAT: &str = "defter-build 5";

/// Every key of one build.
pub(crate) struct Keys {
    pub global: u64,
    /// What the global key is made of, by name.
    pub inputs: Vec<(&'static str, u64)>,
    /// Every record's data and every finding: the key of the other pages over many
    /// records.
    pub all_data: u64,
    /// The data of every record but the work (requests, projects and their sections), of
    /// every record they name, and every finding: the key of the pages over the
    /// registers (grants, inventory, the permission matrix).
    pub registers: u64,
    /// Every finding.
    pub findings: u64,
    /// The `--as-of` date (see [`Keys::dated`]).
    as_of: u64,
    /// The commit, and so the whole history (see [`Keys::with_history`]).
    history: u64,
    /// Per record (by address): its text, path and page.
    record: foldhash::HashMap<usize, u64>,
    /// Per record (by address): its data (the file without its body), path and page.
    data: foldhash::HashMap<usize, u64>,
    /// Per record (by address): the data of every record it names (any string value
    /// that is an id), in the order it names them.
    named: foldhash::HashMap<usize, u64>,
    /// A project's sections (by project folder), in the order they are listed.
    sections: HashMap<String, Vec<u64>>,
    /// Per record (by address): what its own history shows ([`Keys::own_history`]),
    /// found once for its page and its holder's feeds.
    histories: foldhash::HashMap<usize, u64>,
}

fn hash(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What a record's keys are made from: digests of its file's whole text and of the text
/// without its Markdown body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Digest {
    pub text: u64,
    pub data: u64,
}

/// The secret key of the digests: 128 random bits, the same for every build of one
/// repository (else nothing could be reused) and never written into a site.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Salt([u64; 2]);

impl std::fmt::Debug for Salt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Salt(…)")
    }
}

impl Salt {
    /// A new salt, from the system's source of randomness. The builds of a site keyed
    /// with different salts share nothing: each is a full one.
    pub fn random() -> Salt {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            // The system's source refused: std's hash keys come from it too, drawn when
            // the process started.
            let state = std::collections::hash_map::RandomState::new();
            return Salt([std::hash::BuildHasher::hash_one(&state, 1), std::hash::BuildHasher::hash_one(&state, 2)]);
        }
        Salt([
            u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
            u64::from_le_bytes(bytes[8..].try_into().expect("8 bytes")),
        ])
    }

    /// The salt kept at `path`, made on first use (readable by its owner only). Builds
    /// that start together on a fresh clone agree on one: the salt is written whole to a
    /// file of this process, then linked into place, which fails if another was first —
    /// and then that one is read.
    pub fn kept(path: &Path) -> std::io::Result<Salt> {
        let read = |path: &Path| -> std::io::Result<Salt> {
            Salt::parse(&std::fs::read_to_string(path)?)
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "not a defter site key"))
        };
        match read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            found => return found,
        }
        let salt = Salt::random();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut own = path.as_os_str().to_owned();
        own.push(format!(".{}-{:016x}.tmp", std::process::id(), salt.0[0]));
        let own = std::path::PathBuf::from(own);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&own).and_then(|mut file| writeln!(file, "{:016x}{:016x}", salt.0[0], salt.0[1]));
        let linked = written.and_then(|()| std::fs::hard_link(&own, path));
        let _ = std::fs::remove_file(&own);
        match linked {
            Ok(()) => Ok(salt),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(path),
            Err(e) => Err(e),
        }
    }

    fn parse(text: &str) -> Option<Salt> {
        let text = text.trim();
        let (a, b) = (text.get(..16)?, text.get(16..)?);
        Some(Salt([u64::from_str_radix(a, 16).ok()?, u64::from_str_radix(b, 16).ok()?]))
    }

    fn hash(self, value: impl Hash) -> u64 {
        let mut h = SipHasher13::new_with_keys(self.0[0], self.0[1]);
        value.hash(&mut h);
        h.finish()
    }
}

/// Every file's [`Digest`], by path, keyed with a [`Salt`].
#[derive(Debug, PartialEq, Eq)]
pub struct Digests {
    salt: Salt,
    by_path: HashMap<String, Digest>,
}

impl Digests {
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    /// The digests of `records`' files (edited since), in place of the ones taken
    /// before; keyed with the same salt.
    pub(in crate::site) fn replace(&mut self, records: &crate::load::Records) {
        self.by_path.extend(digests(records, self.salt).by_path);
    }
}

/// The digests of every record's file, by path. Taken before the texts are dropped for
/// the site (see [`crate::site::redact::Redacted::take`]), without reading a file that
/// loading left unread:
///
/// - a file's text is known by its git blob id, which loading has for every file the
///   cache of parsed records holds (else it is hashed from the text, as the findings
///   cache does): the same id is the same bytes, so the same text;
/// - the text without the Markdown body (the data the pages over many records show) is
///   known by the tree of its fields, every value and where it stands: what a page
///   shows of a record's data. The body runs to the file's end, so nothing else is
///   left out. (A YAML record has no body: its data is its text.)
pub(in crate::site) fn digests(records: &crate::load::Records, salt: Salt) -> Digests {
    let by_path = records
        .records
        .par_iter()
        .map(|r| {
            let text = salt.hash(("text", records.blob(&r.path)));
            let data = match &r.body {
                Some(_) => {
                    let mut h = SipHasher13::new_with_keys(salt.0[0], salt.0[1]);
                    "data".hash(&mut h);
                    tree(&r.fields, &mut h);
                    h.finish()
                }
                None => text,
            };
            (r.path.clone(), Digest { text, data })
        })
        .collect();
    Digests { salt, by_path }
}

/// Hashes a tree of fields into `h`: every key and value and where each stands (a float
/// by its bits: the tree is no `Hash`, as `f64` is not).
fn tree(n: &Node, h: &mut impl Hasher) {
    n.pos.hash(h);
    match &n.value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Int(i) => (2u8, i).hash(h),
        Value::Float(f) => (3u8, f.to_bits()).hash(h),
        Value::Str(s) => (4u8, &**s).hash(h),
        Value::Seq(items) => {
            (5u8, items.len()).hash(h);
            items.iter().for_each(|i| tree(i, h));
        }
        Value::Map(entries) => {
            (6u8, entries.len()).hash(h);
            for e in entries {
                (&*e.key, e.key_pos).hash(h);
                tree(&e.value, h);
            }
        }
    }
}

impl Keys {
    /// `digests` are those of the records' file texts by path ([`digests`]), taken before
    /// redaction: the redaction is a function of the text and of settings in the global
    /// key.
    pub(crate) fn new(site: &Site, templates: &Templates, digests: &Digests) -> Keys {
        let input = site.input;
        // What every page shares, by name (a rebuild that cannot reuse anything says
        // which of them changed).
        let (as_of, commit) = (hash(input.as_of.to_string()), hash(&input.commit));
        let mut inputs = vec![
            ("the defter binary", hash((FORMAT, crate::git::binary_identity()))),
            ("the templates", templates.digest),
            ("the configuration", hash(format!("{:?}", input.config))),
            ("the rules", hash(format!("{:?}", input.rules.texts))),
            ("the base URL", hash(&input.base_url)),
            ("live reload", hash(input.live_reload)),
            ("--public", hash(input.public)),
            // Keys made with another salt share nothing with these.
            ("the site key (.git/defter/site-key)", digests.salt.hash("global")),
        ];
        if templates.shows_build {
            // Templates of the repository's own that name them on every page.
            inputs.push(("the date (--as-of)", as_of));
            inputs.push(("the commit", commit));
        }
        let global = hash(&inputs);
        let (as_of, history) = (hash((global, as_of)), hash((global, commit)));
        let per_record: Vec<(usize, u64, u64)> = site
            .sorted
            .par_iter()
            .map(|r| {
                let digest = digests.by_path.get(r.path.as_str());
                let url = site.url(r);
                let text = hash((global, &r.path, &url, digest.map(|d| d.text)));
                (address(r), text, hash((global, &r.path, &url, digest.map(|d| d.data))))
            })
            .collect();
        let record: foldhash::HashMap<usize, u64> = per_record.iter().map(|(a, text, _)| (*a, *text)).collect();
        let data: foldhash::HashMap<usize, u64> = per_record.iter().map(|(a, _, data)| (*a, *data)).collect();
        // What every key of a record's page, row or words takes of the records it names,
        // found once.
        let named = site
            .sorted
            .par_iter()
            .map(|r| {
                let mut h = DefaultHasher::new();
                for s in r.fields.strings() {
                    site.index.get(s).map(|t| data.get(&address(t)).copied().unwrap_or_default()).hash(&mut h);
                }
                (address(r), h.finish())
            })
            .collect();
        let mut sections: HashMap<String, Vec<u64>> = HashMap::new();
        for s in site.sorted.iter().filter(|s| s.kind == Kind::ProjectSection) {
            if let Some((project, _)) = s.path_id.split_once('/') {
                sections.entry(project.to_string()).or_default().push(record[&address(s)]);
            }
        }
        let findings =
            hash((global, format!("{:?}", input.report.diagnostics), format!("{:?}", input.records.problems)));
        let mut keys = Keys {
            global,
            inputs,
            all_data: 0,
            registers: 0,
            findings,
            as_of,
            history,
            record,
            data,
            named,
            sections,
            histories: Default::default(),
        };
        if site.input.trail.is_some() {
            let histories = site.sorted.par_iter().map(|r| (address(r), keys.history_of(site, r))).collect();
            keys.histories = histories;
        }
        keys.all_data = hash((findings, keys.data_of(site.sorted.iter().copied())));
        // The registers, and whatever they name (a grant's system is shown by its name,
        // whatever record that is).
        let work = [Kind::Request, Kind::Project, Kind::ProjectSection];
        let registers: Vec<&Record> = site.sorted.iter().copied().filter(|r| !work.contains(&r.kind)).collect();
        let mut named: Vec<&Record> =
            registers.par_iter().flat_map_iter(|r| r.fields.strings()).filter_map(|s| site.index.get(s)).collect();
        named.par_sort_unstable_by_key(|r| address(r));
        named.dedup_by_key(|r| address(r));
        keys.registers = hash((findings, keys.data_of(registers.into_iter().chain(named))));
        keys
    }

    /// `key` and the `--as-of` date: the key of a part that shows what the date decides
    /// (what is overdue, expiring or due, and by how many days).
    pub(crate) fn dated(&self, key: u64) -> u64 {
        hash((key, self.as_of))
    }

    /// `key` and the commit: the key of a part that shows the commit or reads the whole
    /// history (which follows from the commit).
    pub(crate) fn with_history(&self, key: u64) -> u64 {
        hash((key, self.history))
    }

    fn of(&self, r: &Record) -> u64 {
        self.record.get(&address(r)).copied().unwrap_or_default()
    }

    /// The key of a record's data (its file without its body).
    pub(crate) fn data(&self, r: &Record) -> u64 {
        self.data.get(&address(r)).copied().unwrap_or_default()
    }

    /// The key of the data of `records` (in the order given).
    pub(crate) fn data_of<'r>(&self, records: impl Iterator<Item = &'r Record>) -> u64 {
        let mut h = DefaultHasher::new();
        self.global.hash(&mut h);
        records.for_each(|r| self.data(r).hash(&mut h));
        h.finish()
    }

    /// The key of a record's row in a list: its data and that of every record it names.
    pub(crate) fn row(&self, r: &Record) -> u64 {
        self.with_named(self.data(r), r)
    }

    /// The key of a record's words in the search index: its text and the data of every
    /// record it names.
    pub(crate) fn words(&self, r: &Record) -> u64 {
        self.with_named(self.of(r), r)
    }

    fn with_named(&self, own: u64, r: &Record) -> u64 {
        hash((own, self.named(r)))
    }

    fn named(&self, r: &Record) -> u64 {
        self.named.get(&address(r)).copied().unwrap_or_default()
    }

    /// The key of a record's page.
    pub(crate) fn page(&self, site: &Site, r: &Record) -> u64 {
        let mut h = DefaultHasher::new();
        self.of(r).hash(&mut h);
        // Of the records a page names, and of those naming it, it shows data, not bodies.
        self.named(r).hash(&mut h);
        for b in site.backlinks(r.id()) {
            (self.data(b.from), &b.field).hash(&mut h);
        }
        if r.kind == Kind::Project {
            self.sections.get(&r.path_id).hash(&mut h);
        }
        if r.kind == Kind::ProjectSection {
            r.path_id.split('/').next().and_then(|p| site.index.get(p)).map(|p| self.of(p)).hash(&mut h);
        }
        if r.kind == Kind::Person {
            // The open work they hold, found by fields of its own (not by the references
            // the backlinks follow) and shown with its record's title and page.
            for item in site.work_of(r.id()) {
                (item, site.record_at(&item.path).map(|w| self.data(w))).hash(&mut h);
            }
        }
        // The next steps of an open record: who may take each follows from the people
        // and units (not from anything the record names), and the people named are shown
        // by name.
        for step in site.next_steps(r) {
            step.hash(&mut h);
            for id in step.who.iter().take(WHO_SHOWN) {
                site.index.get(id).map(|p| self.data(p)).hash(&mut h);
            }
        }
        // Its access section names, for each grant, account or client giving access to
        // or on it, the person or system on the other side by name.
        // Its timeline runs to the date built and shows each access's state on it.
        let mut access = false;
        for b in site.backlinks(r.id()) {
            if crate::access::FIELDS.iter().any(|(kind, field)| b.from.kind == *kind && b.field == *field) {
                access = true;
                for field in crate::access::NAMED {
                    b.from.fields.str_at(field).and_then(|id| site.index.get(id)).map(|n| self.data(n)).hash(&mut h);
                }
            }
        }
        if access {
            self.as_of.hash(&mut h);
        }
        if let Some(findings) = site.findings.get(r.path.as_str()) {
            format!("{findings:?}").hash(&mut h);
        }
        self.own_history(r, &mut h);
        h.finish()
    }

    /// Hashes what `r`'s own history shows into `h` (see [`Keys::history_of`]).
    pub(crate) fn own_history(&self, r: &Record, h: &mut DefaultHasher) {
        self.histories.get(&address(r)).hash(h);
    }

    /// What `r`'s own history shows: each commit that changed it, the author's record,
    /// and the records the values shown name — not the commit built, so a new commit
    /// re-keys only what shows the history of the records it changed.
    ///
    /// A commit's id and the record's path at it stand for everything the entry shows:
    /// the commit's author, time and summary, and what changed in the record (the trail
    /// makes an entry from the commit's tree and its parent's alone, and redacts it by
    /// the settings in the global key), so the changes themselves are not hashed again.
    fn history_of(&self, site: &Site, r: &Record) -> u64 {
        let mut h = DefaultHasher::new();
        if let Some(trail) = site.input.trail {
            // Its own history, not the commit: a new commit re-renders the pages of the
            // records it changed. The people the history names may be edited in the
            // working tree.
            for e in trail.of(r.id()) {
                let commit = &trail.commits[e.commit];
                (commit.id.as_bytes(), &e.path).hash(&mut h);
                site.person_by_email(&commit.author_email).map(|p| self.data(p)).hash(&mut h);
                // A value it shows that is an id is shown by that record's name, though
                // the record may name it no more ("Elif Kara → Volkan Acar").
                let values = e.fields.iter().flat_map(|c| {
                    let members = c.list.iter().flat_map(|l| &l.entries).flat_map(|i| i.members.iter().map(|(_, v)| v));
                    c.old.iter().chain(&c.new).chain(members)
                });
                for s in values.filter_map(crate::history::Shown::as_str) {
                    site.index.get(s).map(|t| self.data(t)).hash(&mut h);
                }
            }
        }
        h.finish()
    }
}
