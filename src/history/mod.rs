//! Record histories from git. [`audit_trail`] gives every record's story — each commit
//! that touched it, who and when, and what changed field by field — computed in one pass
//! over the commit graph (each commit diffed once against its parent), never one
//! `git log` per file. Records are followed by id, so a rename or move keeps its story.

use std::collections::HashMap;

use anyhow::Result;
use gix::ObjectId;
use serde_json::Value as Json;

use crate::git::{Commit, FileChange, Git};
use crate::load::{self, Loaded, RawFile, Record};

/// What a commit did to a record.
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

/// One commit's change to one record.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Index into [`AuditTrail::commits`].
    pub commit: usize,
    pub action: Action,
    pub path: String,
    pub fields: Vec<FieldChange>,
    pub body_changed: bool,
}

/// Every record's history, newest first.
#[derive(Debug, Default)]
pub struct AuditTrail {
    pub commits: Vec<Commit>,
    pub by_id: HashMap<String, Vec<Entry>>,
}

impl AuditTrail {
    pub fn of(&self, id: &str) -> &[Entry] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Parses a blob as the record at `path` (`None` when it is not a loadable record).
pub fn parse_blob(git: &Git, path: &str, id: ObjectId) -> Result<Option<Record>> {
    let bytes = git.blob(id)?;
    Ok(match load::load_file(RawFile { path: path.to_string(), bytes }) {
        Loaded::Record(record, _) => Some(record),
        Loaded::Problem(..) => None,
    })
}

/// The top-level fields that differ between two versions, in the order of the newer.
pub fn diff_fields(old: Option<&Record>, new: Option<&Record>) -> (Vec<FieldChange>, bool) {
    let json =
        |r: Option<&Record>| r.map(|r| r.fields.to_json()).and_then(|j| j.as_object().cloned()).unwrap_or_default();
    let (old_map, new_map) = (json(old), json(new));
    let mut changes = Vec::new();
    for (key, value) in &new_map {
        if old_map.get(key) != Some(value) {
            changes.push(FieldChange { field: key.clone(), old: old_map.get(key).cloned(), new: Some(value.clone()) });
        }
    }
    for (key, value) in &old_map {
        if !new_map.contains_key(key) {
            changes.push(FieldChange { field: key.clone(), old: Some(value.clone()), new: None });
        }
    }
    let body = |r: Option<&Record>| r.and_then(|r| r.body.as_ref()).map(|b| b.text.replace("\r\n", "\n"));
    let body_changed = body(old) != body(new);
    (changes, body_changed)
}

/// Parses blobs once each, however many commits see them.
#[derive(Default)]
struct BlobCache {
    parsed: HashMap<ObjectId, Option<Record>>,
}

impl BlobCache {
    fn get(&mut self, git: &Git, path: &str, id: Option<ObjectId>) -> Result<Option<Record>> {
        let Some(id) = id else { return Ok(None) };
        if let Some(found) = self.parsed.get(&id) {
            return Ok(found.clone());
        }
        let record = parse_blob(git, path, id)?;
        self.parsed.insert(id, record.clone());
        Ok(record)
    }
}

/// The audit trail of every record reachable from `head`. Merge commits are skipped
/// (as `git log` does): each change is credited to the commit that made it.
pub fn audit_trail(git: &Git, head: ObjectId) -> Result<AuditTrail> {
    let commits = git.commits(head, None)?;
    let mut trail = AuditTrail { by_id: HashMap::new(), commits: Vec::new() };
    let mut cache = BlobCache::default();
    for (index, commit) in commits.iter().enumerate() {
        if commit.parents.len() > 1 {
            continue;
        }
        for (id, entry) in commit_entries(git, commit, index, &mut cache)? {
            trail.by_id.entry(id).or_default().push(entry);
        }
    }
    trail.commits = commits;
    Ok(trail)
}

/// The entries one commit contributes, keyed by record id (moves folded into one).
fn commit_entries(git: &Git, commit: &Commit, index: usize, cache: &mut BlobCache) -> Result<Vec<(String, Entry)>> {
    let mut out: Vec<(String, Entry)> = Vec::new();
    let mut deleted: HashMap<String, (FileChange, Option<Record>)> = HashMap::new();
    let changes = git.changes(commit)?;
    let mut added = Vec::new();
    for change in changes {
        let old = cache.get(git, &change.path, change.old)?;
        let new = cache.get(git, &change.path, change.new)?;
        match (&old, &new) {
            (Some(o), None) if change.new.is_none() => {
                deleted.insert(o.id().to_string(), (change, old));
            }
            (None, Some(_)) if change.old.is_none() => added.push((change, new)),
            _ => {
                let Some(id) = new.as_ref().or(old.as_ref()).map(|r| r.id().to_string()) else { continue };
                let (fields, body_changed) = diff_fields(old.as_ref(), new.as_ref());
                let entry = Entry { commit: index, action: Action::Modified, path: change.path, fields, body_changed };
                out.push((id, entry));
            }
        }
    }
    for (change, new) in added {
        let Some(new) = new else { continue };
        let id = new.id().to_string();
        let (action, old) = match deleted.remove(&id) {
            Some((from, old)) => (Action::Moved { from: from.path }, old),
            None => (Action::Added, None),
        };
        let (fields, body_changed) = diff_fields(old.as_ref(), Some(&new));
        out.push((id, Entry { commit: index, action, path: change.path, fields, body_changed }));
    }
    for (id, (change, old)) in deleted {
        let (fields, body_changed) = diff_fields(old.as_ref(), None);
        out.push((id, Entry { commit: index, action: Action::Deleted, path: change.path, fields, body_changed }));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
