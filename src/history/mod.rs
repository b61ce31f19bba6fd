//! Record histories from git. [`cache::audit_trail_cached`] gives every record's story — each commit
//! that touched it, who and when, and what changed field by field — computed in one pass
//! over the commit graph (each commit diffed once against its parent), never one
//! `git log` per file. Records are followed by id, so a rename or move keeps its story.
//! The trail is kept between runs ([`cache`]) and read per record ([`AuditTrail`]).

pub(crate) mod cache;
mod trail;
pub(crate) mod version;

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use gix::ObjectId;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::git::{Commit, FileChange, Git, Shared};
use crate::load::{self, Loaded, RawFile};
use crate::model::Record;
use crate::model::SmallStr;
pub(crate) use trail::AuditTrail;
use version::Version;

/// What a commit did to a record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    Added,
    Modified,
    Deleted,
    /// The file moved (its id stayed); `from` is the old path.
    Moved {
        from: String,
    },
}

/// One field whose value changed (top-level front-matter / YAML fields).
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: SmallStr,
    pub old: Option<Shown>,
    pub new: Option<Shown>,
    /// For a list (`history`, `tests`, `reviews`…): the entries added or altered, so a
    /// reader sees "12.01.2026 elif.kara in_progress added", not `[1] → [2]`. (Every
    /// field is written, none skipped when empty: the kept trail's binary form has no
    /// field names to tell a skipped one by.)
    pub list: Option<Box<ListChange>>,
}

/// How a list field changed: the entries added or altered (at most [`LIST_KEPT`]), by
/// their scalar members, and how many were removed.
#[derive(Clone, Debug, Default, PartialEq, Hash, Serialize, Deserialize)]
pub struct ListChange {
    pub entries: Vec<ItemChange>,
    /// Entries added or altered beyond the [`LIST_KEPT`] kept.
    pub more: usize,
    pub removed: usize,
}

/// How many added or altered entries of one list one change keeps (a bulk edit of a
/// long list is told by its count beyond these).
pub(crate) const LIST_KEPT: usize = 10;

/// One entry of a list that a change added or altered.
#[derive(Clone, Debug, PartialEq, Hash, Serialize, Deserialize)]
pub struct ItemChange {
    /// Added (else altered in place).
    pub added: bool,
    /// The entry's scalar members in order, as `(key, value)`; an entry that is a scalar
    /// itself is one member with an empty key. Nested lists and mappings are left out.
    pub members: Vec<(SmallStr, Shown)>,
}

/// A field's value as the trail keeps it: scalars whole, a list by its length, a mapping
/// by its shape (see [`version`]). A large repository's trail holds hundreds of thousands
/// of these, so it is 24 bytes (a short string inline) where a JSON value is 80. In JSON
/// it is the value it stands for (a list as that many `null`s); in a binary format (the
/// kept trail's), which cannot tell a value's type by looking, it is tagged with its
/// kind, and a float is kept exactly (not-a-number too, which JSON writes as `null`).
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(SmallStr),
    List(usize),
    Map,
}

/// For the site's build keys (a record's page is keyed by its history): a float by its
/// bits, so equal values hash alike.
impl std::hash::Hash for Shown {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Shown::Null | Shown::Map => {}
            Shown::Bool(b) => b.hash(h),
            Shown::Int(i) => i.hash(h),
            Shown::Float(x) => x.to_bits().hash(h),
            Shown::Str(s) => s.hash(h),
            Shown::List(n) => n.hash(h),
        }
    }
}

impl Shown {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Shown::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl std::fmt::Display for Shown {
    /// The value as the trail's readers show it: scalars as JSON writes them (a string
    /// unquoted), a list by its length (`[3]`), a mapping as `{…}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Null => f.write_str("null"),
            Shown::Bool(b) => write!(f, "{b}"),
            Shown::Int(i) => write!(f, "{i}"),
            Shown::Float(x) => {
                write!(f, "{}", serde_json::Number::from_f64(*x).map_or("null".into(), |n| n.to_string()))
            }
            Shown::Str(s) => f.write_str(s),
            Shown::List(n) => write!(f, "[{n}]"),
            Shown::Map => f.write_str("{…}"),
        }
    }
}

/// [`Shown`] in a binary format: each value with its kind (serde's mirror of the type,
/// whose derive needs the variants spelt again).
#[derive(Serialize, Deserialize)]
#[serde(remote = "Shown")]
enum ShownTagged {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(SmallStr),
    List(usize),
    Map,
}

impl Serialize for Shown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        if !s.is_human_readable() {
            return ShownTagged::serialize(self, s);
        }
        match self {
            Shown::Null => s.serialize_unit(),
            Shown::Bool(b) => s.serialize_bool(*b),
            Shown::Int(i) => s.serialize_i64(*i),
            Shown::Float(x) if x.is_finite() => s.serialize_f64(*x),
            Shown::Float(_) => s.serialize_unit(),
            Shown::Str(text) => s.serialize_str(text),
            Shown::List(n) => {
                let mut seq = s.serialize_seq(Some(*n))?;
                for _ in 0..*n {
                    seq.serialize_element(&())?;
                }
                seq.end()
            }
            Shown::Map => s.serialize_map(Some(0))?.end(),
        }
    }
}

impl<'de> Deserialize<'de> for Shown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Shown;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field value")
            }
            fn visit_unit<E>(self) -> Result<Shown, E> {
                Ok(Shown::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Shown, E> {
                Ok(Shown::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> Result<Shown, E> {
                Ok(Shown::Int(i))
            }
            fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Shown, E> {
                i64::try_from(u).map(Shown::Int).map_err(E::custom)
            }
            fn visit_f64<E>(self, x: f64) -> Result<Shown, E> {
                Ok(Shown::Float(x))
            }
            fn visit_str<E>(self, s: &str) -> Result<Shown, E> {
                Ok(Shown::Str(s.into()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shown, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Shown::List(n))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shown, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(Shown::Map)
            }
        }
        if d.is_human_readable() { d.deserialize_any(Visitor) } else { ShownTagged::deserialize(d) }
    }
}

/// One commit's change to one record.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Index into [`AuditTrail::commits`].
    pub commit: usize,
    pub action: Action,
    pub path: String,
    /// The top-level fields that changed (lists and mappings by their shape); for an
    /// added record only its first state ([`STATE_FIELDS`]).
    pub fields: Vec<FieldChange>,
    pub body_changed: bool,
}

/// Parses a blob as the record at `path` (`None` when it is not a loadable record).
pub(crate) fn parse_blob(git: &Git, path: &str, id: ObjectId) -> Result<Option<Record>> {
    let bytes = git.blob(id)?;
    Ok(match load::load_file(RawFile { path: path.to_string(), bytes }) {
        Loaded::Record(record, _) => Some(record),
        Loaded::Problem(..) => None,
    })
}

/// The fields an added record's entry keeps: the state it started in. The rest of an
/// added record is its first version, which the trail shows as "created" (keeping every
/// field of every record's first version would double a large repository's trail).
pub(crate) const STATE_FIELDS: [&str; 2] = ["status", "phase"];

/// Commits whose entries are computed together: the versions they read are parsed in
/// parallel.
const CHUNK: usize = 256;

/// A parsed version is kept for a later read at most this many chunks ahead; one read
/// further away parses the blob again. Keeps the walk's memory bounded by the activity
/// of a window of commits instead of the size of the repository.
const WINDOW: usize = 8;

/// The parsed versions the walk still needs, and where each blob is read.
struct Versions {
    parsed: HashMap<ObjectId, Option<Version>>,
    /// Per blob: the path it is first read at (it is parsed as that path) and the chunks
    /// that read it, the next one last.
    reads: HashMap<ObjectId, (String, Vec<usize>)>,
}

impl Versions {
    fn new(changes: &[Vec<FileChange>]) -> Self {
        let mut reads: HashMap<ObjectId, (String, Vec<usize>)> = HashMap::new();
        for (chunk, commits) in changes.chunks(CHUNK).enumerate() {
            for change in commits.iter().flatten() {
                for id in [change.old, change.new].into_iter().flatten() {
                    let (_, chunks) = reads.entry(id).or_insert_with(|| (change.path.clone(), Vec::new()));
                    if chunks.last() != Some(&chunk) {
                        chunks.push(chunk);
                    }
                }
            }
        }
        for (_, chunks) in reads.values_mut() {
            chunks.reverse();
        }
        Versions { parsed: HashMap::new(), reads }
    }

    /// Parses (in parallel) the blobs chunk `chunk` reads that are not at hand.
    fn load(&mut self, shared: &Shared, changes: &[Vec<FileChange>]) -> Result<()> {
        let mut wanted: Vec<(ObjectId, &str)> = Vec::new();
        let mut seen: HashSet<ObjectId> = HashSet::new();
        for change in changes.iter().flatten() {
            for id in [change.old, change.new].into_iter().flatten() {
                if !self.parsed.contains_key(&id) && seen.insert(id) {
                    wanted.push((id, self.reads.get(&id).map_or(&change.path, |(path, _)| path)));
                }
            }
        }
        let parsed: Vec<(ObjectId, Option<Version>)> = wanted
            .par_iter()
            .map_init(
                || shared.local(),
                |git, (id, path)| Ok((*id, parse_blob(git, path, *id)?.map(|r| Version::of(&r)))),
            )
            .collect::<Result<_>>()?;
        self.parsed.extend(parsed);
        Ok(())
    }

    fn get(&self, id: Option<ObjectId>) -> Option<&Version> {
        self.parsed.get(&id?)?.as_ref()
    }

    /// After chunk `chunk`: forgets what no read within the window needs.
    fn done(&mut self, chunk: usize, changes: &[Vec<FileChange>]) {
        for change in changes.iter().flatten() {
            for id in [change.old, change.new].into_iter().flatten() {
                let Some((_, chunks)) = self.reads.get_mut(&id) else { continue };
                if chunks.last() == Some(&chunk) {
                    chunks.pop();
                }
                match chunks.last() {
                    None => {
                        self.reads.remove(&id);
                        self.parsed.remove(&id);
                    }
                    Some(next) if *next > chunk + WINDOW => {
                        self.parsed.remove(&id);
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

/// Whether `commits` (every commit reachable from a later commit, newest first) are the
/// commits `earlier` covers with new ones before them: a branch that moved forward,
/// whose trail [`extend_trail`] makes from the earlier one.
pub(crate) fn extends(earlier: &AuditTrail, commits: &[Commit]) -> bool {
    let new = commits.len().saturating_sub(earlier.commits.len());
    commits[new..].iter().map(|c| c.id).eq(earlier.commits.iter().map(|c| c.id))
}

/// The trail of `commits` from the trail of an earlier commit that they extend
/// ([`extends`]): only the new commits are diffed, the earlier entries kept, and the
/// result is what a trail made from scratch gives.
pub(crate) fn extend_trail(git: &Git, mut earlier: AuditTrail, commits: Vec<Commit>) -> Result<AuditTrail> {
    debug_assert!(extends(&earlier, &commits));
    let new = commits.len() - earlier.commits.len();
    let newer = entries_of(git, &commits[..new])?;
    earlier.extend(commits, newer);
    Ok(earlier)
}

/// The entries of `commits` (newest first), keyed by record id, newest first; each
/// entry's `commit` is an index into `commits`.
pub(crate) fn entries_of(git: &Git, commits: &[Commit]) -> Result<HashMap<String, Vec<Entry>>> {
    let shared = git.shared();
    let changes: Vec<Vec<FileChange>> = commits
        .par_iter()
        .map_init(|| shared.local(), |git, c| if c.parents.len() > 1 { Ok(Vec::new()) } else { git.changes(c) })
        .collect::<Result<_>>()?;
    let mut by_id: HashMap<String, Vec<Entry>> = HashMap::new();
    let mut versions = Versions::new(&changes);
    for (chunk, changes) in changes.chunks(CHUNK).enumerate() {
        versions.load(&shared, changes)?;
        let entries: Vec<Vec<(String, Entry)>> = changes
            .par_iter()
            .enumerate()
            .map(|(i, changes)| commit_entries(chunk * CHUNK + i, changes, &versions))
            .collect();
        for (id, entry) in entries.into_iter().flatten() {
            by_id.entry(id).or_default().push(entry);
        }
        versions.done(chunk, changes);
    }
    by_id.values_mut().for_each(Vec::shrink_to_fit);
    Ok(by_id)
}

/// The entries one commit contributes, keyed by record id (moves folded into one).
fn commit_entries(index: usize, changes: &[FileChange], versions: &Versions) -> Vec<(String, Entry)> {
    let mut out: Vec<(String, Entry)> = Vec::new();
    let mut deleted: HashMap<&str, (&FileChange, Option<&Version>)> = HashMap::new();
    let mut added = Vec::new();
    for change in changes {
        let old = versions.get(change.old);
        let new = versions.get(change.new);
        match (old, new) {
            (Some(o), None) if change.new.is_none() => {
                deleted.insert(&o.id, (change, old));
            }
            (None, Some(_)) if change.old.is_none() => added.push((change, new)),
            _ => {
                let Some(id) = new.or(old).map(|v| v.id.clone()) else { continue };
                let (fields, body_changed) = version::diff(old, new);
                let entry =
                    Entry { commit: index, action: Action::Modified, path: change.path.clone(), fields, body_changed };
                out.push((id, entry));
            }
        }
    }
    for (change, new) in added {
        let Some(new) = new else { continue };
        let (action, old) = match deleted.remove(new.id.as_str()) {
            Some((from, old)) => (Action::Moved { from: from.path.clone() }, old),
            None => (Action::Added, None),
        };
        let (mut fields, body_changed) = version::diff(old, Some(new));
        if action == Action::Added {
            fields.retain(|f| STATE_FIELDS.contains(&f.field.as_str()));
            fields.shrink_to_fit();
        }
        out.push((new.id.clone(), Entry { commit: index, action, path: change.path.clone(), fields, body_changed }));
    }
    for (id, (change, old)) in deleted {
        let (fields, body_changed) = version::diff(old, None);
        out.push((
            id.to_string(),
            Entry { commit: index, action: Action::Deleted, path: change.path.clone(), fields, body_changed },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
