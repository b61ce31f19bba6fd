//! The build state: what the last build made, kept in the site as `.defter-build`, so
//! the next build re-renders only what changed. After the global key and the keys of
//! what it is made of, one line per file: the part of the site it belongs to, the key of
//! that part's inputs, a hash of the file's bytes, its size, its path and the ids its
//! page holds (what the link check needs of a page it does not render).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// The state file, inside the site folder.
pub(crate) const FILE: &str = ".defter-build";

const HEADER: &str = "defter-build 3";

/// One file the last build made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub part: String,
    pub key: u64,
    pub hash: u64,
    pub size: u64,
    pub path: String,
    /// The ids its page holds, as the state file has them: separated by tabs. Most
    /// pages are kept, not rendered, and only the ids a rendered page links to are
    /// looked for among them: they are not split, one string each, for every page.
    pub ids: Box<str>,
}

impl Entry {
    /// The ids its page holds.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        ids_in(&self.ids)
    }
}

/// The ids in a state file's tab-separated list of them.
pub(crate) fn ids_in(ids: &str) -> impl Iterator<Item = &str> {
    ids.split('\t').filter(|id| !id.is_empty())
}

/// The last build's files, by part.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The key of everything every page shares (templates, configuration, rules, date,
    /// commit, the defter binary): when it differs, nothing can be reused.
    pub global: u64,
    /// What `global` was made of: a key per input, by name.
    pub inputs: Vec<(String, u64)>,
    pub entries: Vec<Entry>,
    parts: HashMap<String, Vec<usize>>,
    paths: HashMap<String, usize>,
}

impl State {
    pub(crate) fn new(global: u64, inputs: Vec<(String, u64)>, entries: Vec<Entry>) -> State {
        let mut state = State { global, inputs, entries, ..State::default() };
        for (i, e) in state.entries.iter().enumerate() {
            state.parts.entry(e.part.clone()).or_default().push(i);
            state.paths.insert(e.path.clone(), i);
        }
        state
    }

    /// The state of the site at `out`, if it has a readable one.
    pub(crate) fn read(out: &Path) -> Option<State> {
        let text = std::fs::read_to_string(out.join(FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let global = u64::from_str_radix(lines.next()?.strip_prefix("global ")?, 16).ok()?;
        let inputs = lines
            .next()?
            .strip_prefix("inputs")?
            .split('\t')
            .skip(1)
            .map(|cell| {
                let (name, key) = cell.rsplit_once(' ')?;
                Some((name.to_string(), u64::from_str_radix(key, 16).ok()?))
            })
            .collect::<Option<_>>()?;
        let mut entries = Vec::new();
        for line in lines {
            let mut cells = line.splitn(6, '\t');
            let part = cells.next()?.to_string();
            let key = u64::from_str_radix(cells.next()?, 16).ok()?;
            let hash = u64::from_str_radix(cells.next()?, 16).ok()?;
            let size = cells.next()?.parse().ok()?;
            let path = cells.next()?.to_string();
            let ids = cells.next().unwrap_or_default().into();
            entries.push(Entry { part, key, hash, size, path, ids });
        }
        Some(State::new(global, inputs, entries))
    }

    /// The text of the state file; `None` when a path or id cannot be written in it
    /// (the next build is then a full one).
    #[cfg(test)]
    pub(crate) fn text(&self) -> Option<String> {
        let inputs: Vec<(&str, u64)> = self.inputs.iter().map(|(name, key)| (name.as_str(), *key)).collect();
        let lines = self.entries.iter().map(|e| Line {
            part: &e.part,
            key: e.key,
            hash: e.hash,
            size: e.size,
            path: &e.path,
            ids: e.ids(),
        });
        text(self.global, &inputs, lines)
    }

    /// The files a part made, when the part's key was `key`.
    pub(crate) fn reusable(&self, part: &str, key: u64) -> Option<Vec<&Entry>> {
        self.part(part).filter(|files| files.iter().all(|e| e.key == key))
    }

    /// The files a part made.
    pub(crate) fn part(&self, part: &str) -> Option<Vec<&Entry>> {
        Some(self.parts.get(part)?.iter().map(|i| &self.entries[*i]).collect())
    }

    /// The names of the inputs whose keys differ from `inputs` (every name when the
    /// state has none of them).
    pub(crate) fn changed<'n>(&self, inputs: &[(&'n str, u64)]) -> Vec<&'n str> {
        inputs
            .iter()
            .filter(|(name, key)| !self.inputs.iter().any(|(n, k)| n == name && k == key))
            .map(|(name, _)| *name)
            .collect()
    }

    pub(crate) fn by_path(&self, path: &str) -> Option<&Entry> {
        self.paths.get(path).map(|i| &self.entries[*i])
    }
}

/// One file's line in the state file, borrowed from what a build made.
pub(crate) struct Line<'e, I> {
    pub part: &'e str,
    pub key: u64,
    pub hash: u64,
    pub size: u64,
    pub path: &'e str,
    pub ids: I,
}

/// The text of a state file of these inputs and files, written straight from what the
/// build made (no [`State`] with its lookups is built for it); `None` when a path or id
/// cannot be written in it (the next build is then a full one).
pub(crate) fn text<'e, I: Iterator<Item = &'e str>>(
    global: u64,
    inputs: &[(&str, u64)],
    lines: impl ExactSizeIterator<Item = Line<'e, I>>,
) -> Option<String> {
    let plain = |s: &str| !s.contains(['\t', '\n', '\r']);
    // About 120 bytes a file.
    let mut out = String::with_capacity(256 + lines.len() * 128);
    let _ = write!(out, "{HEADER}\nglobal {global:016x}\ninputs");
    for (name, key) in inputs {
        if !plain(name) {
            return None;
        }
        let _ = write!(out, "\t{name} {key:016x}");
    }
    out.push('\n');
    for line in lines {
        if !plain(line.part) || !plain(line.path) {
            return None;
        }
        let _ = write!(out, "{}\t{:016x}\t{:016x}\t{}\t{}", line.part, line.key, line.hash, line.size, line.path);
        for id in line.ids {
            if !plain(id) {
                return None;
            }
            out.push('\t');
            out.push_str(id);
        }
        out.push('\n');
    }
    Some(out)
}

/// A fast hash of a file's bytes, to tell whether a re-rendered file changed (not a
/// cryptographic hash: it detects changes, it does not resist forgery).
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut a: u64 = bytes.len() as u64 ^ 0x5851_F42D_4C95_7F2D;
    let mut b: u64 = 0x1405_7B7E_F767_814F;
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        let x = u64::from_le_bytes(c[..8].try_into().expect("8 bytes"));
        let y = u64::from_le_bytes(c[8..].try_into().expect("8 bytes"));
        a = (a ^ x).wrapping_mul(K).rotate_left(31);
        b = (b ^ y).wrapping_mul(0xC2B2_AE3D_27D4_EB4F).rotate_left(29);
    }
    for (i, byte) in chunks.remainder().iter().enumerate() {
        a = (a ^ (u64::from(*byte) << ((i % 8) * 8))).wrapping_mul(K);
    }
    let mut h = a ^ b.rotate_left(17);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_reads_back_what_it_wrote() {
        let entries = vec![
            Entry {
                part: "r:a.html".into(),
                key: 1,
                hash: 2,
                size: 10,
                path: "a.html".into(),
                ids: "main\tsecond".into(),
            },
            Entry { part: "assets".into(), key: 3, hash: 4, size: 0, path: "assets/x.css".into(), ids: "".into() },
        ];
        let inputs = vec![("the commit".to_string(), 5), ("the date (--as-of)".to_string(), 6)];
        let state = State::new(7, inputs.clone(), entries.clone());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), state.text().unwrap()).unwrap();
        let back = State::read(dir.path()).unwrap();
        assert_eq!((back.global, &back.inputs, &back.entries), (7, &inputs, &entries));
        assert_eq!(back.entries[0].ids().collect::<Vec<_>>(), ["main", "second"]);
        assert_eq!(back.entries[1].ids().count(), 0);
        assert_eq!(
            back.changed(&[("the commit", 5), ("the date (--as-of)", 8), ("new", 1)]),
            ["the date (--as-of)", "new"]
        );
        assert_eq!(back.reusable("r:a.html", 1).map(|f| f.len()), Some(1));
        assert!(back.reusable("r:a.html", 9).is_none());
    }

    #[test]
    fn content_hashes_tell_contents_apart() {
        assert_eq!(content_hash(b"<p>x</p>"), content_hash(b"<p>x</p>"));
        assert_ne!(content_hash(b"<p>x</p>"), content_hash(b"<p>y</p>"));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
        let long = vec![7u8; 4096];
        let mut other = long.clone();
        other[2000] = 8;
        assert_ne!(content_hash(&long), content_hash(&other));
    }
}
