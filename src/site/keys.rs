//! The keys of an incremental build: a hash of everything a part of the site is made
//! from. A part whose key equals the last build's is not rendered again.
//!
//! The keys are conservative: a record's page depends on its own text and address, on
//! the text and address of every record it names (any string value that is an id), of
//! every record that names it, of its project's sections or its section's project, on
//! its findings and on the people its history names; everything else (templates,
//! configuration, rules, date, the commit every page names in its footer and thus the
//! history, the defter binary) is in the global key, and a change there re-renders every
//! page. The pages over many records (lists, reports, exports, search)
//! depend on every record and every finding.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::data::Site;
use super::templates::Templates;
use crate::load::Record;
use crate::model::Kind;

/// Bumped whenever the build state's meaning changes.
const FORMAT: &str = "defter-build 2";

/// Every key of one build.
pub struct Keys {
    pub global: u64,
    /// Everything at once: the key of the pages over many records.
    pub all: u64,
    /// Per record (by address): its text, path and page.
    record: HashMap<usize, u64>,
    /// A project's sections (by project folder), in the order they are listed.
    sections: HashMap<String, Vec<u64>>,
}

fn hash(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The digest of every file's text, by path: what a record's key is made from. Taken
/// before the texts are dropped for the site (see [`super::redact::Redacted::take`]).
pub(super) fn digests(records: &crate::load::Records) -> HashMap<String, u64> {
    records.sources.iter().map(|(path, text)| (path.clone(), hash(&**text))).collect()
}

fn address(r: &Record) -> usize {
    std::ptr::from_ref(r) as usize
}

impl Keys {
    /// `digests` are those of the records' file texts by path ([`digests`]), taken before
    /// redaction: the redaction is a function of the text and of settings in the global
    /// key.
    pub fn new(site: &Site, templates: &Templates, digests: &HashMap<String, u64>) -> Keys {
        let input = site.input;
        let exe = std::env::current_exe()
            .and_then(|p| p.metadata().map(|m| (p, m.len(), m.modified().ok())))
            .map(|(p, len, modified)| format!("{} {len} {modified:?}", p.display()))
            .unwrap_or_default();
        let global = hash((
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            exe,
            templates.digest,
            format!("{:?}", input.config),
            format!("{:?}", input.rules.texts),
            input.as_of.to_string(),
            // Every page names the commit it was built from.
            &input.commit,
            &input.base_url,
            input.live_reload,
            input.public,
        ));
        let record: HashMap<usize, u64> = site
            .sorted
            .iter()
            .map(|r| (address(r), hash((global, &r.path, site.url(r), digests.get(r.path.as_str())))))
            .collect();
        let mut sections: HashMap<String, Vec<u64>> = HashMap::new();
        for s in site.sorted.iter().filter(|s| s.kind == Kind::ProjectSection) {
            if let Some((project, _)) = s.path_id.split_once('/') {
                sections.entry(project.to_string()).or_default().push(record[&address(s)]);
            }
        }
        let mut all = DefaultHasher::new();
        global.hash(&mut all);
        for r in &site.sorted {
            record[&address(r)].hash(&mut all);
        }
        format!("{:?}", input.report.diagnostics).hash(&mut all);
        format!("{:?}", input.records.problems).hash(&mut all);
        Keys { global, all: all.finish(), record, sections }
    }

    fn of(&self, r: &Record) -> u64 {
        self.record.get(&address(r)).copied().unwrap_or_default()
    }

    /// The key of a record's page.
    pub fn page(&self, site: &Site, r: &Record) -> u64 {
        let mut h = DefaultHasher::new();
        self.of(r).hash(&mut h);
        for s in r.fields.strings() {
            site.index.get(s).map(|t| self.of(t)).hash(&mut h);
        }
        for b in site.backlinks(r.id()) {
            (self.of(b.from), &b.field).hash(&mut h);
        }
        if r.kind == Kind::Project {
            self.sections.get(&r.path_id).hash(&mut h);
        }
        if r.kind == Kind::ProjectSection {
            r.path_id.split('/').next().and_then(|p| site.index.get(p)).map(|p| self.of(p)).hash(&mut h);
        }
        if let Some(findings) = site.findings.get(r.path.as_str()) {
            format!("{findings:?}").hash(&mut h);
        }
        if let Some(trail) = site.input.trail {
            // The history itself follows from the commit (in the global key); the people
            // it names may be edited in the working tree.
            for e in trail.of(r.id()) {
                let email = &trail.commits[e.commit].author_email;
                site.person_by_email(email).map(|p| self.of(p)).hash(&mut h);
            }
        }
        h.finish()
    }
}
