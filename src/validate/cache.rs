//! The findings cache: each record's own findings — what
//! [`check_record`](super::check_record) makes of it — kept in the git folder
//! (`.git/defter/findings.bin`) from one run to the next, so that a run checks again
//! only the records a change can reach: an edit reaches a handful, and checking all of
//! a large repository's records is a pass over every one of them.
//!
//! **What a record's own findings read.** Every check
//! [`check_record`](super::check_record) runs reads, besides the record itself (its
//! path and the text it was parsed from):
//!
//! - the rule set and its compiled schemas, the configuration and the `--as-of` date
//!   (`schema`, `workflow`, `time`, `campaign`, the `[local]` settings of every check);
//! - people and units, through [`crate::model::Index::person`], `unit`, `is_active` and
//!   `actor_matches` (`workflow`: who may take a step or hold a duty, who has left) —
//!   records of those kinds live under `records/org/` and nowhere else;
//! - in `refs` alone, the records whose id is exactly a value of one of its reference
//!   fields ([`crate::model::Index::all`]): their kind, a unit's type, and which of
//!   them comes first.
//!
//! Nothing else: no check of one record looks at the records that name it, at its
//! project's folder, at the records whose id equals its own up to case, at campaigns or
//! at the grants they list. Those are the cross-record checks (`duplicate-id`,
//! `case-clash`, CODEOWNERS, campaign scopes) and the masking of secrets, which run
//! whole on every run, outside this cache.
//!
//! **What the cache keeps**, then: a global key — this format, the defter binary
//! ([`crate::git::binary_identity`]), the rule set's files, the configuration, the
//! date, and the path and blob id of every person and unit — and per record its path,
//! the git blob id of its text ([`crate::git::blob_id`]), its id, the ids its reference
//! fields name, and its own findings (before secrets are masked, as
//! [`check_record`](super::check_record) made them).
//!
//! **What a run checks again.** Every record when the global key differs (or there is
//! no cache); otherwise a record whose text or path is new, and a record whose text is
//! the same but which names an id touched by the change: the id of a record added or
//! edited (old and new), removed or renamed (old). That covers a named record whose
//! kind or type changed, a dangling reference resolved by a record added with its id, a
//! reference left dangling by a removal or a new id, and a second record taking an id
//! (which `Index::all` returns too, in the records' order). Every other record's inputs
//! — its text, the global key, the records holding the ids it names — are what they
//! were, and so are its findings. They are put together in the records' order, as a
//! full check does, so the run's findings are the same, in the same order, as without
//! the cache: `tests/integration/findings_cache.rs` holds the two to the same output
//! byte for byte after every kind of edit.
//!
//! The file is rewritten, atomically and readable by its owner only, when a finding or
//! a record changed; a missing, unreadable, corrupt (it carries a checksum) or older
//! file is rebuilt without a word. `DEFTER_CACHE=off` turns it off
//! ([`crate::git::caches_on`]); outside git there is none.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Context, check_each, refs};
use crate::diag::Diagnostic;
use crate::git::{Git, binary_identity, caches_on, write_private};
use crate::load::{Progress, Records};
use crate::model::{Kind, Record};

/// The file's first bytes: changed whenever its layout or what it holds changes, so
/// that another defter's file is rebuilt rather than misread.
const FORMAT: &[u8] = b"defter-findings 1\n";

/// The cache's name in the git folder.
const FILE: &str = "findings.bin";

/// A git blob id's bytes.
type Blob = [u8; 20];

#[derive(Serialize, Deserialize)]
struct Kept {
    /// What every record's findings depend on: see [`global_key`].
    global: u64,
    /// In the order of the records of the run that wrote it.
    records: Vec<Entry>,
}

#[derive(Default, Serialize, Deserialize)]
struct Entry {
    path: String,
    /// The git blob id of the record's text.
    blob: Blob,
    id: String,
    /// The ids its reference fields name ([`refs::named`]).
    names: Vec<String>,
    findings: Vec<Diagnostic>,
}

/// Where the working tree at `root` keeps its records' findings: `None` outside git and
/// with `DEFTER_CACHE=off`.
pub(crate) fn file(root: &Path) -> Option<PathBuf> {
    if !caches_on() {
        return None;
    }
    Some(Git::open(root).ok()?.cache_file(FILE))
}

/// Every record's own findings ([`check_record`](super::check_record), in the order of
/// `loaded.records`), taken from `file` where they still hold and made anew where they
/// may not (see the module's documentation), and how many records were checked; `file`
/// is rewritten when anything in it changed (a cache that cannot be written only makes
/// the next run slower).
pub(crate) fn own_findings(
    cx: &Context,
    loaded: &Records,
    file: &Path,
    progress: &dyn Progress,
) -> (Vec<Diagnostic>, usize) {
    let records = &loaded.records;
    let (kept, blobs) = rayon::join(|| read(file), || blob_ids(loaded));
    let global = global_key(cx, records, &blobs);
    let mut kept = kept.filter(|k| k.global == global).unwrap_or(Kept { global, records: Vec::new() });
    let plan = plan(records, &blobs, &kept);
    let to_check: Vec<&Record> = records.iter().zip(&plan).filter(|(_, p)| p.check).map(|(r, _)| r).collect();
    let mut fresh = check_each(cx, &to_check, progress).into_iter();
    let checked = to_check.len();
    let mut findings = Vec::new();
    let mut made: Vec<Option<Vec<Diagnostic>>> = Vec::with_capacity(records.len());
    // Rewritten when a record was added, edited or removed, or a finding changed.
    let same_records = plan.iter().filter(|p| p.same.is_some()).count();
    let mut dirty = same_records != records.len() || same_records != kept.records.len();
    for p in &plan {
        match (p.same, p.check) {
            (Some(at), false) => {
                findings.extend(kept.records[at].findings.iter().cloned());
                made.push(None);
            }
            (same, _) => {
                let own = fresh.next().expect("a finding list per record checked");
                dirty |= same.is_none_or(|at| kept.records[at].findings != own);
                findings.extend(own.iter().cloned());
                made.push(Some(own));
            }
        }
    }
    if dirty {
        let entries = records
            .iter()
            .zip(&blobs)
            .zip(plan.iter().zip(made))
            .filter_map(|((record, blob), (p, own))| {
                let blob = (*blob)?;
                Some(match (p.same, own) {
                    (Some(at), None) => std::mem::take(&mut kept.records[at]),
                    (_, own) => Entry {
                        path: record.path.clone(),
                        blob,
                        id: record.id().to_string(),
                        names: refs::named(&cx.rules.workflows, record),
                        findings: own.unwrap_or_default(),
                    },
                })
            })
            .collect();
        let _ = write(file, &Kept { global, records: entries });
    }
    (findings, checked)
}

/// What a run does with one record.
struct Step {
    /// The cache's entry of the record's path when its text is the same.
    same: Option<usize>,
    /// Whether the record is checked (else its findings are the entry's).
    check: bool,
}

/// For each record, whether its cached findings still hold: the text at its path is the
/// same, and no id it names belongs to a record added, edited or removed since.
fn plan(records: &[Record], blobs: &[Option<Blob>], kept: &Kept) -> Vec<Step> {
    let by_path: HashMap<&str, usize> = kept.records.iter().enumerate().map(|(i, e)| (e.path.as_str(), i)).collect();
    let same: Vec<Option<usize>> = records
        .iter()
        .zip(blobs)
        .map(|(r, blob)| {
            let at = *by_path.get(r.path.as_str())?;
            (blob.as_ref() == Some(&kept.records[at].blob)).then_some(at)
        })
        .collect();
    // The ids a change touched: those of the records added or edited, as they are and as
    // they were, and those of the records removed.
    let mut touched: HashSet<&str> = HashSet::new();
    for (r, same) in records.iter().zip(&same) {
        if same.is_none() {
            touched.insert(r.id());
            if let Some(&at) = by_path.get(r.path.as_str()) {
                touched.insert(&kept.records[at].id);
            }
        }
    }
    let now: HashSet<&str> = records.iter().map(|r| r.path.as_str()).collect();
    touched.extend(kept.records.iter().filter(|e| !now.contains(e.path.as_str())).map(|e| e.id.as_str()));
    same.into_iter()
        .map(|same| Step {
            same,
            check: same.is_none_or(|at| kept.records[at].names.iter().any(|id| touched.contains(id.as_str()))),
        })
        .collect()
}

/// The git blob id of each record's text (`None` for a record whose text was not kept,
/// which is then checked on every run).
fn blob_ids(loaded: &Records) -> Vec<Option<Blob>> {
    loaded.records.par_iter().map(|r| loaded.blob(&r.path)).collect()
}

/// What every record's own findings may depend on besides the records it names (see the
/// module's documentation): a change to any of it checks every record.
fn global_key(cx: &Context, records: &[Record], blobs: &[Option<Blob>]) -> u64 {
    let mut h = DefaultHasher::new();
    (FORMAT, binary_identity(), cx.as_of.to_string(), format!("{:?}", cx.config)).hash(&mut h);
    for (name, text) in &cx.rules.texts {
        (name, text).hash(&mut h);
    }
    for (record, blob) in records.iter().zip(blobs) {
        if matches!(record.kind, Kind::Person | Kind::Unit) {
            (&record.path, blob).hash(&mut h);
        }
    }
    h.finish()
}

/// A checksum of the cache's contents: a file cut short or changed on disk is rebuilt,
/// not read as someone's findings.
fn checksum(body: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    h.write(body);
    h.finish()
}

/// The cache in `file`, if there is one of this format, whole.
fn read(file: &Path) -> Option<Kept> {
    let bytes = std::fs::read(file).ok()?;
    let (sum, body) = bytes.strip_prefix(FORMAT)?.split_first_chunk::<8>()?;
    (u64::from_le_bytes(*sum) == checksum(body)).then_some(())?;
    postcard::from_bytes(body).ok()
}

fn write(file: &Path, kept: &Kept) -> anyhow::Result<()> {
    let body = postcard::to_stdvec(kept)?;
    let mut bytes = Vec::with_capacity(FORMAT.len() + 8 + body.len());
    bytes.extend_from_slice(FORMAT);
    bytes.extend_from_slice(&checksum(&body).to_le_bytes());
    bytes.extend_from_slice(&body);
    write_private(file, &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::rules::Ruleset;
    use crate::load::{RawFile, Silent, load_files};
    use crate::model::Index;
    use crate::validate::Schemas;
    use crate::validate::check_record;

    /// A request naming project `project`, at `TLP-2026-000n`.
    fn request(n: u8, project: &str) -> (String, String) {
        let id = format!("TLP-2026-000{n}");
        (format!("records/requests/2026/{id}.md"), format!("---\nid: {id}\ntitle: t\nproject: {project}\n---\n"))
    }

    fn project(id: &str, extra: &str) -> (String, String) {
        (format!("records/projects/{id}/index.md"), format!("---\nid: {id}\ntitle: p\n{extra}---\n"))
    }

    /// The own findings of `files` as of `as_of` through the cache in `file`, with how
    /// many records were checked; asserted equal to those of every record checked.
    fn run(files: &[(String, String)], file: &Path, as_of: &str) -> usize {
        let loaded = load_files(
            files.iter().map(|(path, text)| RawFile { path: path.clone(), bytes: text.clone().into_bytes() }).collect(),
        );
        let rules = Ruleset::from_source(|_| Ok(None)).unwrap();
        let schemas = Schemas::compile(&rules).unwrap();
        let config = Config::default();
        let index = Index::new(&loaded.records);
        let as_of = as_of.parse().unwrap();
        let cx = Context {
            records: &loaded.records,
            index: &index,
            rules: &rules,
            schemas: &schemas,
            config: &config,
            as_of,
        };
        let (findings, checked) = own_findings(&cx, &loaded, file, &Silent);
        let mut whole = Vec::new();
        loaded.records.iter().for_each(|r| check_record(&cx, r, &mut whole));
        assert_eq!(findings, whole, "the cached findings are those of a full check");
        checked
    }

    #[test]
    fn a_change_checks_again_the_records_it_reaches_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("findings.bin");
        let day = "2026-11-30";
        let mut files =
            vec![request(1, "PRJ-0001"), request(2, "PRJ-0002"), request(3, "PRJ-0001"), project("PRJ-0001", "")];
        assert_eq!(run(&files, &file, day), 4, "no cache: every record");
        let written = std::fs::read(&file).unwrap();
        assert_eq!(run(&files, &file, day), 0, "nothing changed");
        assert_eq!(std::fs::read(&file).unwrap(), written, "and the cache is as it was");

        files[0].1 = files[0].1.replace("title: t", "title: t2");
        assert_eq!(run(&files, &file, day), 1, "an edited request, which no record names");
        files[3] = project("PRJ-0001", "phase: nonsense\n");
        assert_eq!(run(&files, &file, day), 3, "an edited project and the two requests naming it");
        files.push(project("PRJ-0002", ""));
        assert_eq!(run(&files, &file, day), 2, "an added project and the request whose reference it resolves");
        files.remove(3);
        assert_eq!(run(&files, &file, day), 2, "a removed project leaves two references dangling");
        files[1].0 = "records/requests/2026/TLP-2026-0009.md".into();
        assert_eq!(run(&files, &file, day), 1, "a renamed record");
        assert_eq!(run(&files, &file, "2027-01-01"), files.len(), "another date: every record");

        std::fs::write(&file, b"defter-findings 0\nold").unwrap();
        assert_eq!(run(&files, &file, "2027-01-01"), files.len(), "an older format is rebuilt");
        let mut cut = std::fs::read(&file).unwrap();
        cut.truncate(cut.len() - 3);
        std::fs::write(&file, &cut).unwrap();
        assert_eq!(run(&files, &file, "2027-01-01"), files.len(), "a file cut short is rebuilt");
        assert_eq!(run(&files, &file, "2027-01-01"), 0);
    }
}
