//! The cache of parsed records, `.git/defter/records.bin`: what loading made of each file
//! under `records/` — its YAML fields as a tree with positions and where its Markdown body
//! is, or the `parse-error` finding — keyed by the file's path and the git blob id of its
//! bytes, so that a run splits front matter and parses YAML only for the files whose
//! bytes it has not seen. A hit skips the parse; loading for a check that exits
//! (`validate`: [`super::Texts::Later`]) skips the read too, for a file the file system
//! says is unchanged (below), and reads its text only when a finding quotes it or a
//! check reads its body. Everything else reads every file: the site hashes and shows
//! every text, and `serve` and the language server keep the records while files change.
//!
//! Hashing every file would cost about what parsing it does, so an entry also keeps what
//! the file system said of the file when it was hashed (size, modification and
//! status-change times to the nanosecond, inode: [`Stat`]), and a file that says the same
//! takes the entry's blob id unhashed, as `git status` trusts git's index. Not when the
//! file changed less than [`RACY`] before the run that wrote the entry began (a coarse
//! clock could hide a second edit in the same tick), and not where there is no
//! status-change time (Windows: a copy that keeps the modification time could pass for
//! the file): those files are hashed.
//!
//! The cache is two files. The index, `records.bin`, is a header (this format's name,
//! the defter build that wrote it — another build never reuses an entry, since its
//! parser may differ — when that run began, and the name of its trees file), a checksum
//! of the index, and the index — one entry a file, in the order of the walk: path, blob
//! id, [`Stat`], the record's `id` field and where its body is (or the finding: [`Head`])
//! and where its tree is in the trees file and how long. The trees file,
//! `records.bin.trees-…` beside it, holds the trees, each with a checksum of its own
//! ([`Tree`]). A run that keeps the trees packed (`validate`) reads the index and no tree
//! it does not unpack: the trees file is mapped into memory where that is safe
//! ([`Whole`]), so those trees are never read from disk. An entry is decoded only when
//! its file is loaded, on the loading thread. An index that is missing, cut short, of
//! another format or build, corrupt, or whose trees file is gone or shorter than it
//! says, is the same as an empty cache: every file is parsed and the cache written anew;
//! a tree that is not whole is parsed again from its file.
//!
//! It is written only when a file was parsed, an entry's file is gone or a file's
//! [`Stat`] moved, or when many entries were made too soon after their files changed to
//! be trusted ([`RACY`]), with the entries of this run's files alone. The index is
//! written anew (atomically, readable by its owner only:
//! [`crate::git::write_private_with`]), about a tenth of the whole; the trees of the
//! files parsed are added to the end of the trees file, whose bytes already there never
//! change, so that a merge or a checkout does not write 100,000 trees again for the ten
//! it changed (docs/performance.md). When less than half of the trees file would be in
//! use, every tree is written to a new one instead. Two runs at once each add their own
//! trees (an append is one step), each write a whole index, and the last one stays.
//!
//! What is not cached is what costs nothing to redo or has no text to key: a file too
//! large, not UTF-8 or of no kind is refused as before.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diag::{Diagnostic, Message, Rule, Severity};
use crate::git::{Git, blob_id};
use crate::model::redaction::Leaves;
use crate::model::{Body, Fields, Kind, Node, Pos, Record, SharedText, Source, Unpack};

/// The cache's name in the git folder ([`Git::cache_file`]).
const NAME: &str = "records.bin";

/// Bumped whenever the file's layout or what an entry means changes.
const FORMAT: &str = "defter-records 4";

/// How the index and each tree are checked ([`Tree`]).
fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6465_6674_6572).hash_one(bytes)
}

/// The start of the file, decoded before anything else.
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    format: &'a str,
    binary: &'a str,
    /// When the run that wrote the file began loading (nanoseconds since the epoch).
    started: u64,
    /// The name of the trees file (beside this one) the entries' trees are in.
    trees: &'a str,
}

/// How long before the writing run began a file must have last changed for its [`Stat`]
/// to be trusted: more than the coarsest file system clock (FAT's two seconds), so that
/// any later edit moves its times.
const RACY: u64 = 2_000_000_000;

/// Whether a file of which the file system says `stat` last changed more than [`RACY`]
/// before `started` (never where there is no [`Stat`]).
fn long_before(stat: Option<Stat>, started: u64) -> bool {
    stat.is_some_and(|s| s.modified.max(s.changed).saturating_add(RACY) < started)
}

/// The cache is written again when at least one entry in this many, and this many
/// entries at least, would then be trusted by their times where they are not now
/// ([`Cache::keep`]).
const SETTLED_SHARE: usize = 10;
const SETTLED_MIN: usize = 100;

/// What the file system says of a file (the open file's, before it is read), by which a
/// later run knows its bytes unchanged without hashing them. `None` where there is no
/// status-change time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stat {
    len: u64,
    /// Modification and status-change times, nanoseconds since the epoch.
    modified: u64,
    changed: u64,
    inode: u64,
}

impl Stat {
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns = |secs: i64, nanos: i64| -> Option<u64> {
                u64::try_from(secs).ok()?.checked_mul(1_000_000_000)?.checked_add(u64::try_from(nanos).ok()?)
            };
            Some(Stat {
                len: meta.len(),
                modified: ns(meta.mtime(), meta.mtime_nsec())?,
                changed: ns(meta.ctime(), meta.ctime_nsec())?,
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// Now, in nanoseconds since the epoch (0 if the clock is before it: nothing is trusted).
fn now() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_nanos()).unwrap_or(0)
}

/// One file's entry in the file's index. What loading made of the file is in two parts:
/// its `head` here (the record's `id` field and where its body is, or the finding), and
/// the record's tree, `len` bytes at `at` in the trees file ([`Tree`]), so that a run
/// that keeps trees packed knows every record without touching the trees at all.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored<'a> {
    path: &'a str,
    blob: [u8; 20],
    /// The file's [`Stat`] when it was hashed.
    stat: Option<Stat>,
    #[serde(borrow)]
    head: Bytes<'a>,
    /// Where the record's tree is in the trees file, and its length.
    at: u64,
    len: u32,
    /// The entry's part of the trees file (after the index is read).
    #[serde(skip)]
    data: &'a [u8],
}

/// An entry's bytes, borrowed from the file read (serialized as one run of bytes, not
/// byte by byte as a slice would be).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'a [u8]>::deserialize(deserializer).map(Bytes)
    }
}

/// What loading made of a file, but for a record's tree: the record's `id` field, so that
/// a run can keep the tree packed and still know the record's id
/// ([`crate::model::Fields`]), and where its body is; or the finding.
#[derive(Serialize, Deserialize)]
enum Head<'a> {
    Record {
        /// The `id` field, where it is a string.
        #[serde(borrow)]
        id: Option<std::borrow::Cow<'a, str>>,
        body: Option<BodyAt>,
        /// Which sites' redaction leaves the tree as it is: found once, when the file
        /// is parsed, rather than by every build.
        leaves: Leaves,
    },
    Problem(Problem),
}

/// A record's tree as the data keeps it: a checksum of the rest, then the tree (postcard),
/// checked when the tree is unpacked, so that a disk that flips a bit inside a field's
/// text does not put that text into a record (the blob id keys the file, not the entry).
struct Tree;

impl Tree {
    fn pack(tree: &Node) -> Option<Vec<u8>> {
        let bytes = postcard::to_allocvec(tree).ok()?;
        let mut out = Vec::with_capacity(8 + bytes.len());
        out.extend_from_slice(&checksum(&bytes).to_le_bytes());
        out.extend_from_slice(&bytes);
        Some(out)
    }

    /// The tree `data` packs, if it is whole.
    fn unpack(data: &[u8]) -> Option<Node> {
        let (sum, bytes) = data.split_first_chunk::<8>()?;
        (u64::from_le_bytes(*sum) == checksum(bytes)).then_some(())?;
        postcard::from_bytes(bytes).ok()
    }
}

/// Where a Markdown body is in its file's text (byte offsets) and its first line.
#[derive(Serialize, Deserialize)]
struct BodyAt {
    start: u32,
    end: u32,
    line: u32,
}

/// A `parse-error` finding about the file (its path is the entry's).
#[derive(Serialize, Deserialize)]
struct Problem {
    /// The rule's id (stable, unlike the enum's order).
    rule: String,
    severity: Severity,
    pos: Option<Pos>,
    message: (String, String),
    help: Option<(String, String)>,
    cap: Option<Severity>,
    more: usize,
}

impl Problem {
    fn of(d: &Diagnostic) -> Problem {
        Problem {
            rule: d.rule.id().to_string(),
            severity: d.severity,
            pos: d.pos,
            message: (d.message.en.clone(), d.message.tr.clone()),
            help: d.help.as_ref().map(|h| (h.en.clone(), h.tr.clone())),
            cap: d.cap,
            more: d.more,
        }
    }

    fn diagnostic(self, path: &str) -> Option<Diagnostic> {
        let message = |(en, tr): (String, String)| Message { en, tr };
        Some(Diagnostic {
            rule: Rule::from_id(&self.rule)?,
            severity: self.severity,
            path: path.to_string(),
            pos: self.pos,
            message: message(self.message),
            help: self.help.map(message),
            cap: self.cap,
            more: self.more,
        })
    }
}

/// How one load used the cache.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// Files whose entry was taken instead of parsing them.
    pub reused: usize,
    /// Files parsed (and kept for the next run).
    pub parsed: usize,
    /// Whether the cache file was written.
    pub written: bool,
}

/// The cache files of a repository, as read when a load starts.
pub(crate) struct Cache {
    /// The index file.
    file: PathBuf,
    /// The records repository.
    root: PathBuf,
    index: Arc<Whole>,
    /// The trees file the index names, when it names one that is there.
    trees_file: Option<PathBuf>,
    /// Its bytes (none without it), shared with the records whose fields stay packed
    /// ([`Fields::packed`]).
    trees: Arc<Whole>,
}

/// A cache file's bytes: mapped into memory where a file in use may be replaced
/// (Unix), so that the trees a run keeps packed and never reads are never read from
/// disk nor held in memory; read whole elsewhere (Windows refuses to replace a mapped
/// file, and a run writes the cache anew while it still reads the old one).
pub(crate) enum Whole {
    #[cfg(unix)]
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Whole {
    fn open(file: &Path) -> Whole {
        #[cfg(unix)]
        if let Ok(opened) = std::fs::File::open(file)
            && opened.metadata().is_ok_and(|m| m.len() > 0)
        {
            // SAFETY: defter never changes a byte of a cache file once written: it
            // writes a new one and renames it over the old (`git::write_private_with`),
            // or adds to the end of a trees file, past what any mapping of it holds; on a
            // local file system a mapping keeps a replaced file's bytes. Only a program
            // cutting the file short or writing into it in place could change the bytes
            // under the mapping, and nothing but defter writes in `.git/defter/`. (On a
            // network file system another machine's rename may drop the old file's
            // pages; a repository shared that way between machines running defter at
            // once is not supported.)
            if let Ok(map) = unsafe { memmap2::Mmap::map(&opened) } {
                return Whole::Mapped(map);
            }
        }
        Whole::Read(std::fs::read(file).unwrap_or_default())
    }
}

impl AsRef<[u8]> for Whole {
    fn as_ref(&self) -> &[u8] {
        match self {
            #[cfg(unix)]
            Whole::Mapped(map) => map,
            Whole::Read(bytes) => bytes,
        }
    }
}

/// How long a trees file the index does not name is left alone after it last changed:
/// far longer than a run takes from writing its trees to writing its index.
const IN_FLIGHT: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether `name` is one a trees file of the index file `index` may have: beside it, in
/// the same folder, and no temporary file.
fn trees_name_of(index: &str, name: &str) -> bool {
    name.strip_prefix(index)
        .and_then(|rest| rest.strip_prefix(".trees-"))
        .is_some_and(|tag| !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Cache {
    /// The cache of the records repository at `root` (empty when there is none yet);
    /// `None` outside a git repository, where there is no git folder to keep it in.
    pub(crate) fn open(root: &Path) -> Option<Cache> {
        let file = Git::open(root).ok()?.cache_file(NAME);
        let index = Arc::new(Whole::open(&file));
        let name = file.file_name()?.to_str()?;
        let trees_file = postcard::take_from_bytes::<Header<'_>>((*index).as_ref())
            .ok()
            .map(|(header, _)| header.trees)
            .filter(|trees| trees_name_of(name, trees))
            .map(|trees| file.with_file_name(trees))
            .filter(|path| path.is_file());
        let trees = Arc::new(trees_file.as_deref().map_or(Whole::Read(Vec::new()), Whole::open));
        Some(Cache { file, root: root.to_path_buf(), index, trees_file, trees })
    }

    /// The entries kept by this defter build, by path: none when the file is missing,
    /// cut short, corrupt, or was written in another format or by another build, or its
    /// trees file is gone or shorter than it says.
    pub(crate) fn entries(&self) -> Entries<'_> {
        let (binary, now) = (crate::git::binary_identity(), now());
        let decoded = decode((*self.index).as_ref(), (*self.trees).as_ref(), &binary);
        let readable = decoded.is_some();
        let (started, by_path) = decoded.unwrap_or_default();
        Entries {
            by_path,
            binary,
            started,
            now,
            whole: self.trees.clone(),
            appendable: readable && self.trees_file.is_some(),
            root: self.root.clone(),
            indexed: std::sync::OnceLock::new(),
        }
    }

    /// Writes the entries of this run's files when they differ from those read (a file
    /// was parsed, a kept file is gone, or a file's [`Stat`] changed with its bytes the
    /// same), or when a tenth of them (a hundred at least) would be trusted by their
    /// times only in a file this run writes; says whether it wrote. A cache that cannot
    /// be written only makes the next run slower.
    ///
    /// The index is written anew; the trees of the files parsed are added to the end of
    /// the trees file read, whose other trees stay where they are, unless that would
    /// leave less than half of it in use (or there is none): then every tree is written
    /// to a new trees file, and the one read is removed ([`Cache::tidy`]).
    pub(crate) fn keep(&self, entries: &Entries<'_>, kept: &[Kept<'_>]) -> bool {
        let same = |k: &Kept<'_>| matches!(k, Kept::Reused { stored, stat } if stored.stat == *stat);
        // An entry made less than [`RACY`] after its file changed is not trusted by its
        // times, and its file is read and hashed on every run until the cache is written
        // again by a run begun later: as git writes its index again when it finds entries
        // racily clean. Writing the index costs far less than reading and hashing a
        // tenth of its files (at 100,000 records, 11 MB against 10,000 files), so it is
        // written for that many (a checkout or a copy just before a run leaves most of
        // them so; an edit, a few), and not for fewer than [`SETTLED_MIN`], which cost
        // nothing to hash.
        let settled = kept.iter().filter(|k| matches!(k, Kept::Reused { stat, .. } if entries.settled(*stat))).count();
        let settles = settled >= SETTLED_MIN && settled * SETTLED_SHARE >= kept.len();
        if kept.iter().all(same) && kept.len() == entries.by_path.len() && !settles {
            return false;
        }
        let appended = self.trees_file.as_ref().filter(|_| entries.appendable).and_then(|path| {
            let live: u64 = kept.iter().map(|k| k.data().len() as u64).sum();
            let fresh: Vec<u8> = kept
                .iter()
                .filter_map(|k| match k {
                    Kept::Parsed { data, .. } => Some(data.as_slice()),
                    Kept::Reused { .. } => None,
                })
                .collect::<Vec<_>>()
                .concat();
            let size = std::fs::metadata(path).ok()?.len();
            if size.saturating_add(fresh.len() as u64) > live.saturating_mul(2) {
                return None;
            }
            Some((path.clone(), append(path, &fresh)?))
        });
        let (trees, placed) = match appended {
            // The trees kept stay where they are; those parsed follow one another from
            // where they were added.
            Some((path, start)) => (path, place(kept, start, true)),
            None => match self.compact(entries, kept) {
                Some(written) => written,
                None => return false,
            },
        };
        let Some(name) = trees.file_name().and_then(|n| n.to_str()) else { return false };
        let written = crate::git::write_private_with(&self.file, |out| {
            write_index(out, (&entries.binary, entries.now, name), kept, &placed)
        });
        if written.is_ok() {
            self.tidy();
        }
        written.is_ok()
    }

    /// Removes the trees files the index now in place does not name: the one this run
    /// read, when it wrote a new one, and any other not changed for [`IN_FLIGHT`] (a run
    /// at the same time as this one may have just written its own and not yet its index,
    /// or be adding to another). Should a run still add to a file removed, its index
    /// names a file that is not there, which is no cache: the next run parses every
    /// file, as on a first run.
    fn tidy(&self) {
        let (Some(folder), Some(name)) = (self.file.parent(), self.file.file_name().and_then(|n| n.to_str())) else {
            return;
        };
        // The header is at the start of the index: a few hundred bytes of its 11 MB.
        use std::io::Read;
        let mut start = Vec::with_capacity(4096);
        let _ = std::fs::File::open(&self.file).and_then(|f| f.take(4096).read_to_end(&mut start));
        let named = postcard::take_from_bytes::<Header<'_>>(&start).ok().map(|(header, _)| header.trees);
        let Ok(listed) = std::fs::read_dir(folder) else { return };
        for other in listed.flatten() {
            let file_name = other.file_name();
            let Some(other_name) = file_name.to_str() else { continue };
            if !trees_name_of(name, other_name) || named == Some(other_name) {
                continue;
            }
            let read = self.trees_file.as_deref().is_some_and(|read| read == other.path());
            let idle =
                other.metadata().and_then(|m| m.modified()).is_ok_and(|m| m.elapsed().is_ok_and(|e| e > IN_FLIGHT));
            if read || idle {
                let _ = std::fs::remove_file(other.path());
            }
        }
    }

    /// Writes every tree of `kept` to a new trees file, one after the other: gives the
    /// new file's path and where each tree is in it.
    fn compact(&self, entries: &Entries<'_>, kept: &[Kept<'_>]) -> Option<(PathBuf, Vec<u64>)> {
        let name = self.file.file_name()?.to_str()?;
        let tag = entries.now ^ (u64::from(std::process::id()) << 32);
        let trees = self.file.with_file_name(format!("{name}.trees-{tag:016x}"));
        let placed = place(kept, 0, false);
        // The trees are streamed to the file: at 100,000 records they are about 85 MB,
        // which a buffer would hold beside every record loaded.
        crate::git::write_private_with(&trees, |out| kept.iter().try_for_each(|k| out.write_all(k.data()))).ok()?;
        Some((trees, placed))
    }
}

/// Where each of `kept`'s trees is in the trees file: a reused one where it was, when
/// `in_place` (its file kept and added to); the others one after the other from `next`.
fn place(kept: &[Kept<'_>], mut next: u64, in_place: bool) -> Vec<u64> {
    kept.iter()
        .map(|k| match k {
            Kept::Reused { stored, .. } if in_place => stored.at,
            _ => {
                let at = next;
                next += k.data().len() as u64;
                at
            }
        })
        .collect()
}

/// Adds `bytes` to the end of the trees file at `path` in one write, and gives where
/// they start: another run adding to it at the same time adds its own bytes before or
/// after them, not among them (an append is one step for the file system). `None` when
/// the file could not take them whole (what it took is left unused).
fn append(path: &Path, bytes: &[u8]) -> Option<u64> {
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().append(true).open(path).ok()?;
    if bytes.is_empty() {
        return Some(0);
    }
    (file.write(bytes).ok()? == bytes.len()).then_some(())?;
    file.stream_position().ok()?.checked_sub(bytes.len() as u64)
}

/// Writes the index of `kept`'s entries, written by `binary` in a run begun at `started`,
/// whose trees are at `placed` in the trees file named `trees`, to `out`: the header, the
/// index's checksum, the index.
fn write_index(
    out: &mut dyn std::io::Write,
    (binary, started, trees): (&str, u64, &str),
    kept: &[Kept<'_>],
    placed: &[u64],
) -> std::io::Result<()> {
    let header = Header { format: FORMAT, binary, started, trees };
    let index = postcard::to_allocvec(&index(kept, placed)).map_err(std::io::Error::other)?;
    postcard::to_io(&header, &mut *out).map_err(std::io::Error::other)?;
    out.write_all(&checksum(&index).to_le_bytes())?;
    out.write_all(&index)
}

/// The index and the trees file of `kept`'s entries, in memory (for the tests).
#[cfg(test)]
fn encode(binary: &str, started: u64, kept: &[Kept<'_>]) -> Option<(Vec<u8>, Vec<u8>)> {
    let placed = place(kept, 0, false);
    let trees: Vec<u8> = kept.iter().flat_map(|k| k.data().iter().copied()).collect();
    let mut out = Vec::new();
    write_index(&mut out, (binary, started, "records.bin.trees-0"), kept, &placed).ok()?;
    Some((out, trees))
}

/// The index of `kept`'s entries, whose trees are at `placed`.
fn index<'a>(kept: &'a [Kept<'_>], placed: &[u64]) -> Vec<Stored<'a>> {
    kept.iter()
        .zip(placed)
        .map(|(k, at)| match k {
            Kept::Reused { stored: s, stat } => Stored {
                path: s.path,
                blob: s.blob,
                stat: *stat,
                head: Bytes(s.head.0),
                at: *at,
                len: s.len,
                data: s.data,
            },
            Kept::Parsed { path, blob, stat, head, data } => {
                let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
                Stored { path, blob: *blob, stat: *stat, head: Bytes(head), at: *at, len, data }
            }
        })
        .collect()
}

/// When the run that wrote a cache file began, and its entries by path.
type Decoded<'a> = (u64, foldhash::HashMap<&'a str, Stored<'a>>);

/// The entries of an index written in this format by `binary`, each given its part of
/// `trees` (which is not read here).
fn decode<'a>(bytes: &'a [u8], trees: &'a [u8], binary: &str) -> Option<Decoded<'a>> {
    let (header, rest) = postcard::take_from_bytes::<Header<'_>>(bytes).ok()?;
    if header.format != FORMAT || header.binary != binary {
        return None;
    }
    let (sum, rest) = rest.split_first_chunk::<8>()?;
    let (mut stored, left) = postcard::take_from_bytes::<Vec<Stored<'_>>>(rest).ok()?;
    if !left.is_empty() || u64::from_le_bytes(*sum) != checksum(rest) {
        return None;
    }
    for s in &mut stored {
        let start = usize::try_from(s.at).ok()?;
        s.data = trees.get(start..start.checked_add(s.len as usize)?)?;
    }
    Some((header.started, stored.into_iter().map(|s| (s.path, s)).collect()))
}

/// The entries of the cache file, by path.
pub(crate) struct Entries<'a> {
    by_path: foldhash::HashMap<&'a str, Stored<'a>>,
    /// The defter build this run is ([`crate::git::binary_identity`]), for the header.
    binary: String,
    /// When the run that wrote the entries began, and when this one did (nanoseconds
    /// since the epoch).
    started: u64,
    now: u64,
    /// The trees file's bytes, which the entries borrow.
    whole: Arc<Whole>,
    /// Whether the trees of files parsed may be added to the end of the trees file read
    /// (its index was read whole).
    appendable: bool,
    /// The records repository, whose git index is read the first time a file's times
    /// do not match its entry ([`Entries::indexed`]).
    root: PathBuf,
    indexed: std::sync::OnceLock<Option<crate::git::IndexedIds>>,
}

/// What a loaded file gives the next cache file.
pub(crate) enum Kept<'a> {
    /// Its entry, taken from the cache file, and the file's [`Stat`] now.
    Reused { stored: &'a Stored<'a>, stat: Option<Stat> },
    /// Its entry, made now: its [`Head`] and its [`Tree`] (none for a finding).
    Parsed { path: String, blob: [u8; 20], stat: Option<Stat>, head: Vec<u8>, data: Vec<u8> },
}

impl Kept<'_> {
    /// The entry's tree, packed (none for a finding).
    fn data(&self) -> &[u8] {
        match self {
            Kept::Reused { stored, .. } => stored.data,
            Kept::Parsed { data, .. } => data,
        }
    }

    /// The file's path and blob id.
    pub(crate) fn blob(&self) -> (&str, [u8; 20]) {
        match self {
            Kept::Reused { stored, .. } => (stored.path, stored.blob),
            Kept::Parsed { path, blob, .. } => (path, *blob),
        }
    }
}

/// A file's blob id as the cache keys it.
pub(crate) fn key(bytes: &[u8]) -> [u8; 20] {
    let id = blob_id(bytes);
    let mut key = [0; 20];
    key.copy_from_slice(id.as_slice());
    key
}

impl Entries<'_> {
    /// The blob id of the file at `path` whose bytes are `bytes` and of which the file
    /// system says `stat`: its entry's when the file is [`Entries::unchanged`]; else the
    /// bytes hashed.
    pub(crate) fn blob(&self, path: &str, stat: Option<Stat>, bytes: &[u8]) -> [u8; 20] {
        self.unchanged(path, stat).unwrap_or_else(|| key(bytes))
    }

    /// The blob id of the entry of the file at `path` when the file says what it said
    /// when its entry was made (`stat` now), long enough before that run began: its
    /// bytes are the entry's, unread and unhashed.
    pub(crate) fn unchanged(&self, path: &str, stat: Option<Stat>) -> Option<[u8; 20]> {
        let trusted = |s: &&Stored<'_>| stat.is_some() && s.stat == stat && long_before(stat, self.started);
        self.by_path.get(path).filter(trusted).map(|stored| stored.blob)
    }

    /// The blob id of the entry of the file at `path` (`file` on disk, of which the file
    /// system says `meta` now), when git's index knows the file unchanged by its times
    /// and gives the entry's id, and the file is as long as when the entry was made.
    /// After a checkout every file's times moved, and their entries' [`Stat`]s say
    /// nothing, while git's index was written with the files. Its id is that of the
    /// bytes git would commit; the length tells a file that a line ending conversion or
    /// a filter rewrote on checkout (whose bytes are not those the entry was made of) in
    /// all but a case built for the purpose (a rewrite that keeps the length), as it
    /// does for git.
    pub(crate) fn indexed(&self, path: &str, file: &Path, meta: &std::fs::Metadata) -> Option<[u8; 20]> {
        let stored = self.by_path.get(path)?;
        stored.stat.filter(|s| s.len == meta.len())?;
        let indexed = self.indexed.get_or_init(|| Git::open(&self.root).ok()?.indexed_ids()).as_ref()?;
        let id = indexed.clean(path, file, meta)?;
        (id.as_slice() == stored.blob).then_some(stored.blob)
    }

    /// Whether a file of which the file system says `stat` is not trusted by its times
    /// under the run that wrote the entries, and would be under an entry this run wrote.
    fn settled(&self, stat: Option<Stat>) -> bool {
        !long_before(stat, self.started) && long_before(stat, self.now)
    }

    /// `part` (of an entry) as a part of the trees file's bytes, shared; copied should it
    /// not be one.
    fn shared(&self, part: &[u8]) -> (crate::model::Shared, std::ops::Range<usize>) {
        let whole = (*self.whole).as_ref();
        let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        match whole.get(start..start.wrapping_add(part.len())) {
            Some(within) if std::ptr::eq(within, part) => (self.whole.clone(), start..start + part.len()),
            _ => (Arc::new(part.to_vec()), 0..part.len()),
        }
    }

    /// What loading made of the file at `path` (of `kind`, implying `path_id`) whose
    /// bytes have the blob id `blob` and whose text is `text` (maybe unread yet), when an
    /// entry keeps it: the record or the finding `parse_record` gave, exactly.
    pub(crate) fn get(
        &self,
        (path, blob, stat): (&str, &[u8; 20], Option<Stat>),
        (kind, path_id): (Kind, &str),
        text: &Source,
    ) -> Option<(Result<Record, Box<Diagnostic>>, Kept<'_>)> {
        let stored = self.by_path.get(path).filter(|s| s.blob == *blob)?;
        let parsed = match postcard::from_bytes::<Head<'_>>(stored.head.0).ok()? {
            Head::Record { id, body, leaves } => {
                let body = match body {
                    Some(BodyAt { start, end, line }) => {
                        let range = start as usize..end as usize;
                        // An unread text is the entry's bytes (the blob id says so).
                        if text.is_read() {
                            text.get(range.clone())?;
                        }
                        Some(Body { text: SharedText::new(text.clone(), range), line })
                    }
                    None => None,
                };
                // A file left unread is for a run that reads few records' fields: they
                // stay packed, their tree unread, until read. Otherwise every tree is
                // built now, on the loading thread; one that is not whole is parsed again.
                let fields = if text.is_read() {
                    Fields::from(Tree::unpack(stored.data)?)
                } else {
                    let unpack: Unpack = if kind.is_markdown() { unpack_markdown } else { unpack_yaml };
                    let id = id.map(|id| id.as_ref().into());
                    Fields::packed(self.shared(stored.data), (id, leaves), text.clone(), unpack)
                };
                Ok(Record { kind, path_id: path_id.to_string(), path: path.to_string(), fields, body })
            }
            Head::Problem(problem) => Err(Box::new(problem.diagnostic(path)?)),
        };
        Some((parsed, Kept::Reused { stored, stat }))
    }
}

/// The entry of what `parse_record` made of the file at `path` whose bytes have the blob
/// id `blob` (and of which the file system said `stat`).
pub(crate) fn entry(
    (path, blob, stat): (&str, [u8; 20], Option<Stat>),
    parsed: &Result<Record, Box<Diagnostic>>,
) -> Option<Kept<'static>> {
    let (head, data) = match parsed {
        Ok(record) => {
            let body = match &record.body {
                Some(b) => {
                    let range = b.text.range();
                    let (start, end) = (u32::try_from(range.start).ok()?, u32::try_from(range.end).ok()?);
                    Some(BodyAt { start, end, line: b.line })
                }
                None => None,
            };
            let id = record.fields.get("id").and_then(Node::as_str).map(Into::into);
            let leaves = Leaves::of(&record.fields);
            (postcard::to_allocvec(&Head::Record { id, body, leaves }).ok()?, Tree::pack(&record.fields)?)
        }
        Err(d) => (postcard::to_allocvec(&Head::Problem(Problem::of(d))).ok()?, Vec::new()),
    };
    Some(Kept::Parsed { path: path.to_string(), blob, stat, head, data })
}

/// Unpacks the fields of a YAML record ([`Unpack`]); should the bytes not read back,
/// they are parsed again from the file's text.
fn unpack_yaml(bytes: &[u8], text: &Source) -> Node {
    Tree::unpack(bytes).unwrap_or_else(|| parsed_again(text, None))
}

/// [`unpack_yaml`] for a Markdown record, whose fields are its front matter.
fn unpack_markdown(bytes: &[u8], text: &Source) -> Node {
    Tree::unpack(bytes).unwrap_or_else(|| {
        // Front matter that no longer splits: the file changed since; no fields.
        let front = super::frontmatter::split(text).map_or((None, 0), |s| (s.yaml, s.yaml_line_offset));
        parsed_again(text, Some(front))
    })
}

/// The fields parsed from `text` (or from the front matter `yaml` starting after line
/// `offset`, when given), as loading parsed them when the entry was made: only an entry
/// of a record is packed, so they parsed then (a project section without front matter
/// has none).
fn parsed_again(text: &str, front: Option<(Option<&str>, u32)>) -> Node {
    let nothing = || Node::new(crate::model::Value::Null, Pos::new(1, 1));
    match front {
        None => super::yaml::parse(text, 0).unwrap_or_else(|_| nothing()),
        Some((Some(yaml), offset)) => super::yaml::parse(yaml, offset).unwrap_or_else(|_| nothing()),
        Some((None, _)) => nothing(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Loaded, RawFile, load_one};
    use crate::model::Known;

    /// A loaded file as the tests compare it: everything `Debug` shows, and where a
    /// body is in its file's text (which `Debug` does not show).
    fn shown(loaded: &Loaded) -> String {
        match loaded {
            Loaded::Record(record, text) => {
                let range = record.body.as_ref().map(|b| b.text.range());
                format!("{record:?} {range:?} {text:?}")
            }
            Loaded::Problem(d, text) => format!("{d:?} {text:?}"),
        }
    }

    fn no_entries() -> Entries<'static> {
        entries(foldhash::HashMap::default())
    }

    fn entries<'a>(by_path: foldhash::HashMap<&'a str, Stored<'a>>) -> Entries<'a> {
        Entries {
            by_path,
            binary: "test build".into(),
            started: 0,
            now: 0,
            whole: Arc::new(Whole::Read(Vec::new())),
            appendable: false,
            root: PathBuf::new(),
            indexed: std::sync::OnceLock::from(None),
        }
    }

    /// Files of every shape loading knows: Turkish text in keys, values and bodies,
    /// strings short and long (inline and on the heap), every scalar type, nested lists
    /// and mappings, flow collections, a BOM and CRLF line ends, a project section
    /// without front matter, and files that are `parse-error` findings.
    fn files() -> Vec<RawFile> {
        let file = |path: &str, text: &str| RawFile { path: path.into(), bytes: text.as_bytes().to_vec() };
        vec![
            file(
                "records/requests/2026/TLP-2026-0001.md",
                "\u{feff}---\r\nid: TLP-2026-0001\r\ntitle: Şirket içi ağda İğdır şubesinin yazıcısı çalışmıyor\r\n\
                 öncelik: yüksek\r\nsayı: -42\r\noran: 2.5\r\nsonsuz: -.inf\r\nboş: ~\r\nacil: true\r\n\
                 history:\r\n  - { date: 2026-01-02, by: ayşe.yılmaz, to: açık }\r\n  - date: 2026-01-03\r\n    \
                 by: ömer.çelik\r\n    notlar: [bir, iki, üç]\r\n---\r\nGövde: ıslak zemin, ĞÜŞİÖÇ.\r\n",
            ),
            file("records/org/people/ayse.yilmaz.yaml", "id: ayse.yilmaz\nad: Ayşe Yılmaz\nbirim: BİM\nroller: []\n"),
            file("records/projects/PRJ-0001/analiz.md", "# Analiz\n\nİhtiyaçlar ve kısıtlar.\n"),
            file("records/requests/2026/TLP-2026-0002.md", "---\nid: TLP-2026-0002\nbaşlık: kapanmamış\n"),
            file("records/org/people/hatali.yaml", "id: hatali\n\tad: sekme\n"),
            file("records/org/units/bos.yaml", ""),
        ]
    }

    /// Every file comes back from the cache file exactly as parsing made it: the trees
    /// with every position, the bodies at the same place, the findings.
    #[test]
    fn trees_and_findings_come_back_as_they_were_parsed() {
        let empty = no_entries();
        let (parsed, kept): (Vec<Loaded>, Vec<Option<Kept<'_>>>) =
            files().into_iter().map(|f| load_one(f, Some((&empty, None)))).unzip();
        let kept: Vec<Kept<'_>> = kept.into_iter().flatten().collect();
        assert_eq!(kept.len(), parsed.len(), "every file is kept");
        assert!(kept.iter().all(|k| matches!(k, Kept::Parsed { .. })));
        let (index, trees) = encode("test build", 0, &kept).unwrap();
        let entries = entries(decode(&index, &trees, "test build").unwrap().1);
        assert_eq!(entries.by_path.len(), parsed.len());
        for (file, before) in files().into_iter().zip(&parsed) {
            let (again, kept) = load_one(file, Some((&entries, None)));
            assert!(matches!(kept, Some(Kept::Reused { .. })), "{} was parsed again", shown(&again));
            assert_eq!(shown(&again), shown(before));
        }
        // The first file's tree is what the test means it to be.
        let Loaded::Record(record, _) = &parsed[0] else { panic!("{}", shown(&parsed[0])) };
        assert_eq!(record.fields.get("title").unwrap().pos, Pos::new(3, 8));
        assert!(record.body.as_ref().unwrap().text.starts_with("Gövde: ıslak"));
        assert!(matches!(&parsed[3], Loaded::Problem(d, Some(_)) if d.rule == Rule::ParseError));
    }

    /// A cache file of another format or build, cut short or with a bit flipped in an
    /// entry gives nothing wrong: the file is no cache at all, or that entry is parsed
    /// again.
    #[test]
    fn damaged_or_foreign_cache_files_are_not_used() {
        let empty = no_entries();
        let kept: Vec<Kept<'_>> = files().into_iter().filter_map(|f| load_one(f, Some((&empty, None))).1).collect();
        let (bytes, trees) = encode("test build", 0, &kept).unwrap();
        assert!(decode(&bytes, &trees, "another build").is_none());
        assert!(decode(&bytes[..bytes.len() - 1], &trees, "test build").is_none());
        assert!(decode(&[bytes.as_slice(), b"\0"].concat(), &trees, "test build").is_none(), "more than the index");
        assert!(decode(&bytes, &trees[..trees.len() - 1], "test build").is_none(), "trees cut short");
        assert!(decode(b"", &trees, "test build").is_none());
        assert!(decode(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", &trees, "test build").is_none());
        let mut other = bytes.clone();
        let at = other.windows(FORMAT.len()).position(|w| w == FORMAT.as_bytes()).unwrap();
        other[at + FORMAT.len() - 1] ^= 1;
        assert!(decode(&other, &trees, "test build").is_none(), "another format");

        // A flipped bit in the index (a path): no cache at all.
        let mut in_index = bytes.clone();
        let path = "records/org/people/ayse.yilmaz.yaml".as_bytes();
        let at = in_index.windows(path.len()).position(|w| w == path).unwrap();
        in_index[at + path.len() - 6] ^= 1;
        assert!(decode(&in_index, &trees, "test build").is_none(), "a damaged index");

        // A flipped bit inside the first file's title (its tree): that file is parsed
        // again.
        let mut flipped = trees.clone();
        let title = "İğdır şubesinin".as_bytes();
        let at = flipped.windows(title.len()).position(|w| w == title).unwrap();
        flipped[at] ^= 1;
        let entries = entries(decode(&bytes, &flipped, "test build").unwrap().1);
        let mut files = files().into_iter();
        let (first, kept) = load_one(files.next().unwrap(), Some((&entries, None)));
        assert!(matches!(kept, Some(Kept::Parsed { .. })));
        assert!(shown(&first).contains("İğdır şubesinin"));
        assert!(files.all(|f| matches!(load_one(f, Some((&entries, None))).1, Some(Kept::Reused { .. }))));
    }

    /// Fields kept packed read as the tree the file parsed to, and know the record's id
    /// without being unpacked; packed bytes that do not read back are parsed again from
    /// the file (a BOM and CRLF line ends, front matter and none, Turkish text).
    #[test]
    fn packed_fields_read_as_the_parsed_tree_and_damaged_ones_are_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let empty = no_entries();
        let mut packed_some = 0;
        for file in files() {
            let on_disk = dir.path().join(file.path.replace('/', "_"));
            std::fs::write(&on_disk, &file.bytes).unwrap();
            let file_bytes = file.bytes.clone();
            let (parsed, kept) = load_one(file, Some((&empty, None)));
            let Loaded::Record(record, _) = parsed else { continue };
            let Some(Kept::Parsed { head, data, .. }) = kept else { panic!("{}: nothing to keep", record.path) };
            let Ok(Head::Record { id, leaves, .. }) = postcard::from_bytes::<Head<'_>>(&head) else {
                panic!("{}: no record kept", record.path)
            };
            let unpack: Unpack = if record.kind.is_markdown() { unpack_markdown } else { unpack_yaml };
            let len = std::fs::metadata(&on_disk).unwrap().len();
            let known = Known { len, id: key(&file_bytes), id_of: key };
            let source = Source::later(on_disk.clone(), known);
            let lazy = Record {
                fields: Fields::packed(
                    (Arc::new(data.clone()), 0..data.len()),
                    (id.map(|id| id.as_ref().into()), leaves),
                    source.clone(),
                    unpack,
                ),
                ..record.clone()
            };
            assert_eq!(leaves, Leaves::of(&record.fields), "{}: what redaction does, noted", record.path);
            assert_eq!(lazy.id(), record.id(), "{}", record.path);
            assert!(!lazy.fields.is_unpacked() && !source.is_read(), "{}: unpacked for its id", record.path);
            assert_eq!(*lazy.fields, *record.fields, "{}", record.path);
            assert!(lazy.fields.is_unpacked() && !source.is_read(), "{}: the file was read", record.path);
            for public in [false, true] {
                assert_eq!(lazy.fields.redaction_leaves(public), leaves.site(public), "{}", record.path);
            }
            let all = Leaves { intranet: true, public: true };
            let damaged = Fields::packed((Arc::new(vec![0xff; 3]), 0..3), (None, all), source.clone(), unpack);
            assert_eq!(*damaged, *record.fields, "{}: not parsed again", record.path);
            assert!(source.is_read() && !damaged.changed_since_loading());
            // Damaged, and the file no longer what loading knew: told, and still told
            // once a mutable borrow has dropped the packed form.
            let other = Known { len, id: key(b"other bytes"), id_of: key };
            let stale = || {
                Fields::packed(
                    (Arc::new(vec![0xff; 3]), 0..3),
                    (None, all),
                    Source::later(on_disk.clone(), other),
                    unpack,
                )
            };
            // What was noted of the packed tree is not taken for one parsed again from
            // a file that changed since.
            assert!(!stale().redaction_leaves(false), "{}: a changed file's tree left unredacted", record.path);
            let mut stale = stale();
            let _: &mut crate::model::Node = &mut stale;
            assert!(stale.changed_since_loading(), "{}: a changed file was not told", record.path);
            packed_some += 1;
        }
        assert!(packed_some >= 3, "records of both kinds of file were packed");
    }

    /// Runs adding trees to one trees file at once (threads here, each opening the file as
    /// a run does) each find their bytes whole where `append` says they start.
    #[test]
    fn trees_added_at_once_each_land_whole_where_they_are_said_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("records.bin.trees-00");
        std::fs::write(&path, b"earlier trees").unwrap();
        let chunks: Vec<Vec<u8>> = (0..6u8).map(|i| vec![b'a' + i; 20_000 + usize::from(i) * 777]).collect();
        let placed: Vec<(usize, u64)> = std::thread::scope(|s| {
            let running: Vec<_> = chunks
                .iter()
                .enumerate()
                .map(|(i, chunk)| {
                    let path = &path;
                    s.spawn(move || (0..30).map(|_| (i, append(path, chunk).expect("appended"))).collect::<Vec<_>>())
                })
                .collect();
            running.into_iter().flat_map(|r| r.join().unwrap()).collect()
        });
        let bytes = std::fs::read(&path).unwrap();
        let total: usize = chunks.iter().map(|c| c.len() * 30).sum();
        assert_eq!(bytes.len(), b"earlier trees".len() + total);
        assert!(bytes.starts_with(b"earlier trees"));
        let mut starts: Vec<u64> = placed.iter().map(|(_, at)| *at).collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts.len(), placed.len(), "two appends said the same place");
        for (i, at) in placed {
            let at = usize::try_from(at).unwrap();
            assert_eq!(&bytes[at..at + chunks[i].len()], chunks[i].as_slice(), "chunk {i} at {at}");
        }
        assert_eq!(append(&path, b""), Some(0), "nothing to add");
        assert_eq!(append(&dir.path().join("missing"), b"x"), None, "no file to add to");
    }

    /// The names a trees file of an index may have, and no others (a temporary file, a
    /// path elsewhere, another index's).
    #[test]
    fn only_trees_files_of_the_index_are_taken_for_its_trees() {
        assert!(trees_name_of("records.bin", "records.bin.trees-00ab12"));
        for other in [
            "records.bin",
            "records.bin.trees-",
            "records.bin.trees-00ab12.123-0.tmp",
            "records.bin.trees-../x",
            "records.bin-sub.trees-00",
            "findings.bin.trees-00",
        ] {
            assert!(!trees_name_of("records.bin", other), "{other}");
        }
        assert!(trees_name_of("records.bin-sub", "records.bin-sub.trees-00"));
    }

    /// A file that says what it said when it was hashed, long enough before the run that
    /// hashed it, takes its entry's blob id unhashed; any other is hashed.
    #[test]
    fn only_a_file_unchanged_long_before_the_last_run_goes_unhashed() {
        let stat = Stat { len: 6, modified: 10 * RACY, changed: 11 * RACY, inode: 7 };
        let stored = Stored {
            path: "records/org/people/a.yaml",
            blob: key(b"id: a\n"),
            stat: Some(stat),
            head: Bytes(b""),
            at: 0,
            len: 0,
            data: b"",
        };
        let mut by_path = foldhash::HashMap::default();
        by_path.insert(stored.path, stored);
        let mut entries = entries(by_path);
        let (path, now) = ("records/org/people/a.yaml", b"id: b\n");
        entries.started = 12 * RACY + 1;
        assert_eq!(entries.blob(path, Some(stat), now), key(b"id: a\n"), "trusted: not read");
        assert_eq!(entries.blob(path, None, now), key(now), "no stat");
        for other in [
            Stat { len: 7, ..stat },
            Stat { modified: stat.modified + 1, ..stat },
            Stat { changed: stat.changed + 1, ..stat },
            Stat { inode: 8, ..stat },
        ] {
            assert_eq!(entries.blob(path, Some(other), now), key(now), "{other:?}");
        }
        assert_eq!(entries.blob("records/org/people/b.yaml", Some(stat), now), key(now), "another path");
        entries.started = 12 * RACY;
        assert_eq!(entries.blob(path, Some(stat), now), key(now), "changed too close to the last run");
    }
}
