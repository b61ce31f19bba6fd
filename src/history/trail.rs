//! The audit trail in memory: every commit, and each record's entries — in memory, or
//! still the bytes of the kept file ([`super::cache`]) until someone asks for them. A
//! command that reads a few records' histories (`access` its grants, `log` one record)
//! decodes only those; the site, which shows every record's, decodes all of them at once
//! in parallel ([`AuditTrail::decode_all`]). Either way the entries are held once.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::{Entry, cache};
use crate::git::Commit;

/// Every record's history, newest first.
#[derive(Clone, Debug, Default)]
pub struct AuditTrail {
    pub commits: Vec<Commit>,
    /// By id, hashed with foldhash: the site looks up every record's history twice or
    /// more (its keys, its page, the feeds), and SipHash was most of a look-up's time.
    records: foldhash::HashMap<String, Slot>,
    /// The kept file, into which the records not decoded yet point (empty when every
    /// record's entries are in memory).
    stored: Vec<u8>,
}

/// One record's entries: where they are in the kept file, and once read, themselves.
#[derive(Clone, Debug, Default)]
struct Slot {
    at: Range<usize>,
    entries: OnceLock<Vec<Entry>>,
}

/// A record's entries as the cache writes them: the kept file's bytes, still valid as
/// they are, or the entries in memory.
pub(super) enum Kept<'a> {
    Stored(&'a [u8]),
    Decoded(&'a [Entry]),
}

impl Slot {
    fn entries<'a>(&'a self, stored: &[u8], commits: usize) -> &'a [Entry] {
        self.entries.get_or_init(|| decode(stored, &self.at, commits))
    }
}

/// The entries at `at` in the kept file. The file's checksum was checked when it was
/// opened, so entries that do not decode are a defect of the format, not of the disk:
/// they read as no history rather than failing a command that may need none.
fn decode(stored: &[u8], at: &Range<usize>, commits: usize) -> Vec<Entry> {
    let entries = stored.get(at.clone()).and_then(|bytes| cache::decode_entries(bytes, commits));
    debug_assert!(entries.is_some(), "the kept trail's entries at {at:?} do not decode");
    entries.unwrap_or_default()
}

impl AuditTrail {
    /// A trail of entries in memory (a walk's), each record's newest first.
    pub(crate) fn from_entries(commits: Vec<Commit>, by_id: HashMap<String, Vec<Entry>>) -> AuditTrail {
        let records = by_id.into_iter().map(|(id, e)| (id, Slot { at: 0..0, entries: OnceLock::from(e) })).collect();
        AuditTrail { commits, records, stored: Vec::new() }
    }

    /// A trail read from the kept file `stored`: each record's entries at a range of it.
    pub(super) fn from_stored(
        commits: Vec<Commit>,
        at: impl IntoIterator<Item = (String, Range<usize>)>,
        stored: Vec<u8>,
    ) -> AuditTrail {
        let records = at.into_iter().map(|(id, at)| (id, Slot { at, entries: OnceLock::new() })).collect();
        AuditTrail { commits, records, stored }
    }

    /// The history of the record `id`, newest first (empty when no commit touched it).
    pub fn of(&self, id: &str) -> &[Entry] {
        self.records.get(id).map_or(&[], |slot| slot.entries(&self.stored, self.commits.len()))
    }

    /// The id of every record some commit touched, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.records.keys().map(String::as_str)
    }

    /// Every record's history, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[Entry])> {
        self.records.iter().map(|(id, slot)| (id.as_str(), slot.entries(&self.stored, self.commits.len())))
    }

    /// Where the record `id` was (or is) after the newest commit that touched it, read
    /// without decoding its entries: how `access` picks the grants out of every record.
    pub fn newest_path(&self, id: &str) -> Option<&str> {
        let slot = self.records.get(id)?;
        match slot.entries.get() {
            Some(entries) => entries.first().map(|e| e.path.as_str()),
            None => cache::newest_path(self.stored.get(slot.at.clone())?),
        }
    }

    /// Decodes every record's entries not decoded yet, in parallel, and lets the kept
    /// file go: for a reader of every record (the site).
    pub fn decode_all(&mut self) {
        let (stored, commits) = (&self.stored, self.commits.len());
        self.records.par_iter().for_each(|(_, slot)| {
            slot.entries(stored, commits);
        });
        self.stored = Vec::new();
    }

    /// Every entry of every record, to change in place (redaction), in parallel.
    pub fn entries_mut(&mut self) -> impl ParallelIterator<Item = &mut Entry> {
        self.decode_all();
        self.records.par_iter_mut().flat_map_iter(|(_, slot)| slot.entries.get_mut().into_iter().flatten())
    }

    /// Brings the trail forward to `commits` (every commit reachable from the later
    /// commit, newest first: this trail's with new ones before them), whose new commits
    /// made the entries `newer`. The kept file's entries count their commit from the
    /// oldest, so they stay as they are; those in memory move down by the new commits.
    pub(crate) fn extend(&mut self, commits: Vec<Commit>, newer: HashMap<String, Vec<Entry>>) {
        let AuditTrail { commits: had, records, stored } = self;
        let added = commits.len() - had.len();
        for entries in records.values_mut().filter_map(|slot| slot.entries.get_mut()) {
            entries.iter_mut().for_each(|e| e.commit += added);
        }
        *had = commits;
        for (id, mut entries) in newer {
            let slot = records.entry(id).or_default();
            // Each record's entries are newest first: the new commits' come first.
            let older = match slot.entries.take() {
                Some(older) => older,
                // A record the earlier trail did not know.
                None if slot.at.is_empty() => Vec::new(),
                None => decode(stored, &slot.at, had.len()),
            };
            entries.extend(older);
            slot.entries = OnceLock::from(entries);
        }
    }

    /// Each record's entries as the cache writes them, in no particular order.
    pub(super) fn kept(&self) -> impl Iterator<Item = (&str, Kept<'_>)> {
        self.records.iter().map(|(id, slot)| {
            let kept = match slot.entries.get() {
                Some(entries) => Kept::Decoded(entries),
                None => Kept::Stored(self.stored.get(slot.at.clone()).unwrap_or_default()),
            };
            (id.as_str(), kept)
        })
    }
}

#[cfg(test)]
impl AuditTrail {
    /// How many records' entries are in memory.
    pub(super) fn decoded(&self) -> usize {
        self.records.values().filter(|slot| slot.entries.get().is_some()).count()
    }
}
