//! The one place that talks to git (in-process, with gix): resolving revisions, listing
//! and reading the files of a commit, walking commits and diffing each against its
//! parent. Also what every cache in git's folder shares: where it lives
//! ([`Git::cache_file`]), how it is written ([`write_private`]), what it is keyed by
//! ([`blob_id`], [`binary_identity`]) and whether it may be used at all ([`caches_on`]).

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use crate::diag::msg;
use gix::ObjectId;
use gix::bstr::ByteSlice;
use rayon::prelude::*;

/// Files as (path relative to the records repository, blob id).
pub(crate) type Files = Vec<(String, ObjectId)>;

/// A repository opened for reading.
pub(crate) struct Git {
    repo: gix::Repository,
    /// Where the records repository sits inside the git work tree (`""` at its root,
    /// else `sub/dir/`).
    prefix: String,
}

/// Git's index, read once, asked for the blob id of one file at a time: what a load
/// whose own cache no longer trusts a file's times (a fresh checkout) asks before it
/// reads the file.
pub(crate) struct IndexedIds {
    index: gix::index::File,
    options: gix::index::entry::stat::Options,
    /// As [`Git`]'s.
    prefix: String,
}

impl IndexedIds {
    /// The blob id of the index entry of the file at `rel` (relative to the records
    /// repository; `path` on disk, of which the file system said `meta`, links not
    /// followed) when its size, times and inode match the entry's and the entry is not
    /// racily clean: as `git status` trusts the index (and [`Git::worktree_files`]
    /// does). That is the id of the bytes git would commit, which are the file's own
    /// unless a filter or a line ending conversion rewrote them on checkout: the caller
    /// compares lengths.
    pub(crate) fn clean(&self, rel: &str, path: &Path, meta: &std::fs::Metadata) -> Option<ObjectId> {
        let entry = self.index.entry_by_path(format!("{}{rel}", self.prefix).as_str().into())?;
        let stat = index_stat(path, meta)?;
        (is_file(entry) && clean(entry, &stat, &self.index, self.options)).then_some(entry.id)
    }
}

/// Whether an index entry is a regular file (not a link, a submodule or a folder).
fn is_file(entry: &gix::index::Entry) -> bool {
    matches!(entry.mode, gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE)
}

/// Whether `entry` of `index` knows the file of which the file system says `stat`
/// unchanged, as `git status` decides it: the same size, times and inode (as the
/// repository's stat options compare them), and the entry not racily clean.
fn clean(
    entry: &gix::index::Entry,
    stat: &gix::index::entry::Stat,
    index: &gix::index::File,
    options: gix::index::entry::stat::Options,
) -> bool {
    stat.matches(&entry.stat, options) && !entry.stat.is_racy(index.timestamp(), options)
}

/// What git's index keeps of a file's times, size and inode, from what the walk already
/// asked of the file system: as gix's `Stat::from_fs` makes it (each field cut to 32
/// bits, as git keeps them; a time before 1970 as zero), without asking again, which
/// after a checkout would be a second `lstat` of every file. gix makes its stat from
/// std's metadata on Windows only, since std's creation time is not the status-change
/// time git keeps on Unix.
#[cfg(unix)]
fn index_stat(_path: &Path, meta: &std::fs::Metadata) -> Option<gix::index::entry::Stat> {
    use gix::index::entry::stat::Time;
    use std::os::unix::fs::MetadataExt;
    let time = |secs: i64, nsecs: i64| {
        if secs < 0 { Time::default() } else { Time { secs: secs as u32, nsecs: nsecs as u32 } }
    };
    Some(gix::index::entry::Stat {
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        uid: meta.uid(),
        gid: meta.gid(),
        size: meta.len() as u32,
    })
}

#[cfg(not(unix))]
fn index_stat(path: &Path, _meta: &std::fs::Metadata) -> Option<gix::index::entry::Stat> {
    gix::index::entry::Stat::from_fs(&gix::index::fs::Metadata::from_path_no_follow(path).ok()?).ok()
}

/// One commit, as the audit trail shows it.
#[derive(Clone, Debug)]
pub struct Commit {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
    pub author_name: String,
    pub author_email: String,
    /// Seconds since the epoch, and the author's UTC offset in seconds.
    pub time: i64,
    pub offset: i32,
    /// The first line of the message.
    pub summary: String,
    pub message: String,
}

impl Commit {
    pub fn short(&self) -> String {
        self.id.to_hex_with_len(8).to_string()
    }
}

/// A file that a commit added, changed or deleted (paths relative to the records
/// repository root).
#[derive(Clone, Debug)]
pub(crate) struct FileChange {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// Bytes of decoded objects each thread's handle keeps.
const OBJECT_CACHE: usize = 16 << 20;

/// Bytes of decoded delta bases each thread's handle keeps.
const PACK_CACHE: usize = 8 << 20;

/// A repository that threads can share: each opens its own [`Git`] with [`Shared::local`].
pub(crate) struct Shared {
    repo: gix::ThreadSafeRepository,
    prefix: String,
}

impl Shared {
    /// This thread's handle.
    pub(crate) fn local(&self) -> Git {
        let mut repo = self.repo.to_thread_local();
        // Consecutive commits share most trees: keep decoded ones instead of inflating
        // a large `records/requests/<year>` tree again for every commit.
        repo.object_cache_size_if_unset(OBJECT_CACHE);
        // Blobs are stored as chains of deltas: keep decoded bases for the next blob of
        // the chain (gix's default keeps 64 objects, far too few for a history walk).
        repo.objects.set_pack_cache(|| Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(PACK_CACHE)));
        Git { repo, prefix: self.prefix.clone() }
    }
}

impl Git {
    /// A handle that can be sent to other threads (a `Git` cannot be shared).
    pub(crate) fn shared(&self) -> Shared {
        Shared { repo: self.repo.clone().into_sync(), prefix: self.prefix.clone() }
    }

    /// Opens the git repository that contains `root`.
    pub(crate) fn open(root: &Path) -> Result<Git> {
        let shown = root.display();
        let repo = gix::discover(root).with_context(|| {
            msg!("{shown} is not inside a git repository", "{shown} bir git deposunun içinde değil")
        })?;
        let workdir = repo.workdir().map(Path::to_path_buf).ok_or_else(|| {
            anyhow!(msg!("bare repositories are not supported", "çalışma ağacı olmayan (bare) depolar desteklenmiyor"))
        })?;
        let root = root.canonicalize().with_context(|| msg!("cannot resolve {shown}", "{shown} çözümlenemiyor"))?;
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        let rel = root.strip_prefix(&workdir).unwrap_or(Path::new(""));
        let mut prefix = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !prefix.is_empty() {
            prefix.push('/');
        }
        Ok(Git { repo, prefix })
    }

    /// Where defter keeps `name`, a cache of what it derived from this repository: inside
    /// the git folder, never in the working tree, one per records folder.
    pub(crate) fn cache_file(&self, name: &str) -> std::path::PathBuf {
        let folder = if self.prefix.is_empty() { String::new() } else { format!("-{}", self.prefix.replace('/', "_")) };
        self.repo.git_dir().join("defter").join(format!("{name}{folder}"))
    }

    /// Checks `commit` out into `dir` (a new, empty folder) as a repository of its own
    /// that borrows this one's objects (git's alternates): a past state of the records to
    /// build from, with its history, while this repository's working tree, index and
    /// refs stay as they are. The records repository's root inside `dir`.
    pub(crate) fn checkout_into(&self, commit: ObjectId, dir: &Path) -> Result<std::path::PathBuf> {
        std::fs::create_dir_all(dir)?;
        run(dir, &["init", "-q"])?;
        let objects = self.repo.common_dir().join("objects");
        let objects = objects.canonicalize().unwrap_or(objects);
        let info = dir.join(".git/objects/info");
        std::fs::create_dir_all(&info)?;
        std::fs::write(info.join("alternates"), format!("{}\n", objects.display()))?;
        // A shallow clone's boundary goes along, so the walk stops where this one's does.
        if let Ok(shallow) = std::fs::read(self.repo.common_dir().join("shallow")) {
            std::fs::write(dir.join(".git/shallow"), shallow)?;
        }
        let id = commit.to_string();
        run(dir, &["-c", "core.autocrlf=false", "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", &id])?;
        Ok(dir.join(self.prefix.trim_end_matches('/')))
    }

    /// The commit a revision (branch, tag, commit, `HEAD~2`…) names.
    pub(crate) fn resolve(&self, rev: &str) -> Result<ObjectId> {
        let Ok(id) = self.repo.rev_parse_single(rev) else {
            let branches = self.branches();
            let near = crate::model::text::closest(rev, branches.iter().map(String::as_str));
            let list = branches.iter().map(|b| format!("`{b}`")).collect::<Vec<_>>().join(", ");
            let (near_en, near_tr) = match near {
                Some(b) => (format!("did you mean `{b}`? "), format!("`{b}` mi demek istediniz? ")),
                None => Default::default(),
            };
            anyhow::bail!(if branches.is_empty() {
                msg!(
                    "unknown revision `{rev}`: the repository has no branches yet (no commit)",
                    "bilinmeyen sürüm `{rev}`: depoda henüz dal yok (hiç commit yok)"
                )
            } else {
                msg!(
                    "unknown revision `{rev}`; {near_en}the branches are: {list}",
                    "bilinmeyen sürüm `{rev}`; {near_tr}var olan dallar: {list}"
                )
            });
        };
        let commit = id
            .object()?
            .peel_to_commit()
            .with_context(|| msg!("`{rev}` does not name a commit", "`{rev}` bir commit'i göstermiyor"))?;
        Ok(commit.id)
    }

    /// The names of the branches, local (`main`) then remote (`origin/main`), sorted.
    pub(crate) fn branches(&self) -> Vec<String> {
        let Ok(refs) = self.repo.references() else { return Vec::new() };
        let mut names = Vec::new();
        for (prefix, iter) in [("refs/heads/", refs.local_branches()), ("refs/remotes/", refs.remote_branches())] {
            let Ok(iter) = iter else { continue };
            let mut found: Vec<String> = iter
                .filter_map(Result::ok)
                .map(|r| r.name().as_bstr().to_string())
                .filter_map(|name| name.strip_prefix(prefix).map(str::to_string))
                .filter(|name| !name.ends_with("/HEAD"))
                .collect();
            found.sort();
            names.extend(found);
        }
        names
    }

    /// The blobs under `folders` (and the single files `files`) at a commit, as
    /// (path relative to the records repository, blob id), sorted by path.
    pub(crate) fn files_at(&self, commit: ObjectId, folders: &[&str]) -> Result<Vec<(String, ObjectId)>> {
        Ok(self.tree_at(commit, folders)?.0)
    }

    /// [`Git::files_at`], and the paths of the symbolic links among them (a folder of
    /// `folders` that is itself a link included), sorted: a checkout would make them
    /// links, so they are reported as the working tree's are, never read.
    pub(crate) fn tree_at(&self, commit: ObjectId, folders: &[&str]) -> Result<(Files, Vec<String>)> {
        let tree = self.repo.find_commit(commit)?.tree()?;
        let mut out = Vec::new();
        let mut links = Vec::new();
        for folder in folders {
            let full = format!("{}{folder}", self.prefix);
            let Some(entry) = tree.lookup_entry_by_path(&full)? else { continue };
            if entry.mode().is_blob() {
                out.push(((*folder).to_string(), entry.object_id()));
                continue;
            }
            if entry.mode().is_link() {
                links.push((*folder).to_string());
                continue;
            }
            if !entry.mode().is_tree() {
                continue;
            }
            let sub = entry.object()?.into_tree();
            let mut recorder = gix::traverse::tree::Recorder::default();
            sub.traverse().breadthfirst(&mut recorder)?;
            for e in recorder.records {
                if e.mode.is_blob() {
                    out.push((format!("{folder}/{}", e.filepath.to_str_lossy()), e.oid));
                } else if e.mode.is_link() {
                    links.push(format!("{folder}/{}", e.filepath.to_str_lossy()));
                }
            }
        }
        out.sort();
        links.sort();
        Ok((out, links))
    }

    /// The working tree's files under `folders` (relative to the records repository) as
    /// (path, blob id), sorted by path — what [`Git::files_at`] gives for a commit. Like
    /// `git status`, a file whose size, times and inode match its index entry takes the
    /// entry's blob id without being read; only new, changed and racily clean files are
    /// read and hashed; hidden files are skipped, as loading skips them. `None` when a
    /// folder holds something other than regular files (a link, a pipe): the caller then
    /// loads the tree itself, which reports them.
    pub(crate) fn worktree_files(&self, root: &Path, folders: &[&str]) -> Result<Option<Vec<(String, ObjectId)>>> {
        let index = self.repo.index_or_empty()?;
        let options = self.repo.stat_options()?;
        let mut paths = Vec::new();
        for folder in folders {
            let start = root.join(folder);
            // A link on the way (`records` itself a link): not read here; loading the
            // tree refuses it.
            let mut on_the_way = root.to_path_buf();
            for part in folder.split('/') {
                on_the_way.push(part);
                if std::fs::symlink_metadata(&on_the_way).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Ok(None);
                }
            }
            if start.is_file() {
                paths.push((*folder).to_string());
                continue;
            }
            if !start.is_dir() {
                continue;
            }
            // Hidden files and folders (an editor's swap file) are skipped, as loading does.
            let visible = |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
            for entry in walkdir::WalkDir::new(&start).follow_links(false).into_iter().filter_entry(visible) {
                let entry = entry.with_context(|| msg!("cannot walk {p}", "{p} taranamıyor", p = start.display()))?;
                if entry.file_type().is_dir() {
                    continue;
                }
                if !entry.file_type().is_file() {
                    return Ok(None);
                }
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                paths.push(rel);
            }
        }
        // Index entries are sorted by path bytes: walk both in that order (a binary search
        // per file cost a fifth of the run on 100,000 files).
        let prefix = &self.prefix;
        let mut paths: Vec<(String, String)> = paths.into_iter().map(|rel| (format!("{prefix}{rel}"), rel)).collect();
        paths.sort_unstable();
        let entries = index.entries();
        let mut next = 0;
        let paired: Vec<(String, Option<&gix::index::Entry>)> = paths
            .into_iter()
            .map(|(full, rel)| {
                let full = full.as_bytes();
                while next < entries.len() && entries[next].path(&index).as_bytes() < full {
                    next += 1;
                }
                let entry = entries.get(next).filter(|e| e.path(&index).as_bytes() == full && is_file(e));
                (rel, entry)
            })
            .collect();
        let kind = self.repo.object_hash();
        let ids: Vec<Result<(String, ObjectId)>> = paired
            .into_par_iter()
            .map(|(rel, indexed)| {
                let path = root.join(&rel);
                if let Some(entry) = indexed {
                    let meta = gix::index::fs::Metadata::from_path_no_follow(&path)?;
                    if gix::index::entry::Stat::from_fs(&meta).is_ok_and(|stat| clean(entry, &stat, &index, options)) {
                        return Ok((rel, entry.id));
                    }
                }
                let bytes = std::fs::read(&path)
                    .with_context(|| msg!("cannot read {p}", "{p} okunamıyor", p = path.display()))?;
                let id = gix::objs::compute_hash(kind, gix::objs::Kind::Blob, &bytes)?;
                Ok((rel, id))
            })
            .collect();
        let mut out = ids.into_iter().collect::<Result<Vec<_>>>()?;
        out.sort();
        Ok(Some(out))
    }

    /// What git's index knows of the working tree's files, for [`IndexedIds::clean`];
    /// `None` when there is no index to read.
    pub(crate) fn indexed_ids(&self) -> Option<IndexedIds> {
        let index = self.repo.open_index().ok()?;
        let options = self.repo.stat_options().ok()?;
        Some(IndexedIds { index, options, prefix: self.prefix.clone() })
    }

    /// The e-mail address the next commit will be authored with: `GIT_AUTHOR_EMAIL`, else
    /// `user.email` from git's configuration.
    pub(crate) fn user_email(&self) -> Option<String> {
        if let Some(email) = std::env::var("GIT_AUTHOR_EMAIL").ok().filter(|e| !e.trim().is_empty()) {
            return Some(email);
        }
        let config = self.repo.config_snapshot();
        let email = config.string("user.email")?.to_str_lossy().trim().to_string();
        (!email.is_empty()).then_some(email)
    }

    /// A blob's bytes.
    pub(crate) fn blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        Ok(self.repo.find_blob(id)?.detach().data)
    }

    /// The size of a blob, without reading it.
    pub(crate) fn blob_size(&self, id: ObjectId) -> Result<u64> {
        Ok(self.repo.find_header(id)?.size())
    }

    /// The git blob id the bytes would have.
    pub(crate) fn hash(&self, bytes: &[u8]) -> ObjectId {
        gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, bytes).expect("hashing in memory")
    }

    /// Commits reachable from `head` but not from `hidden`, newest first.
    pub(crate) fn commits(&self, head: ObjectId, hidden: Option<ObjectId>) -> Result<Vec<Commit>> {
        let mut walk =
            self.repo.rev_walk([head]).sorting(gix::revision::walk::Sorting::ByCommitTime(Default::default()));
        if let Some(hidden) = hidden {
            walk = walk.with_hidden([hidden]);
        }
        let mut out = Vec::new();
        for info in walk.all()? {
            out.push(self.commit(info?.id)?);
        }
        Ok(out)
    }

    /// One commit, as the audit trail shows it.
    pub(crate) fn commit(&self, id: ObjectId) -> Result<Commit> {
        let commit = self.repo.find_commit(id)?;
        let author = commit.author()?;
        let time = author.time()?;
        let message = commit.message_raw_sloppy().to_str_lossy().into_owned();
        Ok(Commit {
            id,
            parents: commit.parent_ids().map(|p| p.detach()).collect(),
            author_name: author.name.to_str_lossy().into_owned(),
            author_email: author.email.to_str_lossy().into_owned(),
            time: time.seconds,
            offset: time.offset,
            summary: message.lines().next().unwrap_or_default().to_string(),
            message,
        })
    }

    /// The files under the records repository's `records/` that `commit` changed
    /// relative to its first parent (the empty tree for a root commit).
    pub(crate) fn changes(&self, commit: &Commit) -> Result<Vec<FileChange>> {
        let new_tree = self.repo.find_commit(commit.id)?.tree()?;
        let old_tree = match commit.parents.first() {
            // A shallow clone's oldest commit names a parent it does not have: its records
            // are compared with nothing, as a root commit's are (the trail then starts
            // there, and `access` says how far back it goes).
            Some(p) if matches!(self.repo.is_shallow(), Ok(true)) && self.repo.find_commit(*p).is_err() => {
                self.repo.empty_tree()
            }
            Some(p) => self.repo.find_commit(*p)?.tree()?,
            None => self.repo.empty_tree(),
        };
        // The plain tree diff: `Repository::diff_tree_to_tree` also prepares blob diffs,
        // reading the whole git index for attributes on every call (quadratic over a
        // history walk of a large repository).
        let mut recorder = gix::diff::tree::Recorder::default();
        gix::diff::tree(
            gix::objs::TreeRefIter::from_bytes(&old_tree.data, old_tree.id.kind()),
            gix::objs::TreeRefIter::from_bytes(&new_tree.data, new_tree.id.kind()),
            &mut gix::diff::tree::State::default(),
            &self.repo.objects,
            &mut recorder,
        )?;
        let records = format!("{}records/", self.prefix);
        let mut out = Vec::new();
        for change in recorder.records {
            use gix::diff::tree::recorder::Change as C;
            let (location, old, new, mode) = match change {
                C::Addition { path, oid, entry_mode, .. } => (path, None, Some(oid), entry_mode),
                C::Deletion { path, oid, entry_mode, .. } => (path, Some(oid), None, entry_mode),
                C::Modification { path, previous_oid, oid, entry_mode, .. } => {
                    (path, Some(previous_oid), Some(oid), entry_mode)
                }
            };
            let path = location.to_str_lossy();
            if !mode.is_blob() || !path.starts_with(&records) {
                continue;
            }
            out.push(FileChange { path: path[self.prefix.len()..].to_string(), old, new });
        }
        Ok(out)
    }
}

/// The git blob id of `bytes`: the SHA-1 of `blob <len>\0` and the bytes, what `git
/// hash-object` says of a file with that text. The caches in the git folder key a
/// record by it, committed or not, without asking the repository.
pub(crate) fn blob_id(bytes: &[u8]) -> gix::ObjectId {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes).expect("hashing in memory")
}

/// Whether defter may read and write its caches in the git folder: not when the
/// environment says `DEFTER_CACHE=off`, and every run then computes everything, as the
/// first run in a fresh clone does (to rule a cache out when something looks wrong).
pub(crate) fn caches_on() -> bool {
    !CACHES_OFF.load(std::sync::atomic::Ordering::Relaxed)
        && std::env::var_os(CACHE_VARIABLE).is_none_or(|v| v != "off")
}

/// Set for a run whose repository is a temporary checkout (`build --at`, `serve --at`):
/// caches written there would be removed with it, unread.
static CACHES_OFF: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns every cache off for the rest of this run (see [`caches_on`]).
pub(crate) fn caches_off_for_this_run() {
    CACHES_OFF.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The environment variable that turns every defter cache off (`DEFTER_CACHE=off`).
const CACHE_VARIABLE: &str = "DEFTER_CACHE";

/// What tells this defter from another: its version and the hash of the sources it was
/// built from (`build.rs` says which). The caches and the site's build state are keyed by
/// it, so that what other code made (whose parse, checks or pages may differ) is never
/// reused, while any copy of the same build reuses it — the release binary a CI job
/// downloads anew on every run among them.
pub(crate) fn binary_identity() -> String {
    format!("{} {}", env!("CARGO_PKG_VERSION"), env!("DEFTER_SOURCE_ID"))
}

/// Writes `bytes` to `file`, a cache in the git folder: see [`write_private_with`].
pub(crate) fn write_private(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_with(file, |out| out.write_all(bytes))
}

/// How old a temporary file of a cache must be to be taken for one a killed run left
/// behind (a write takes a second or so): [`write_private_with`] removes it.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

/// Writes what `write` writes to `file`, a cache in the git folder (made as needed),
/// readable by its owner only (it may quote records), and all at once: into a temporary
/// file of this process and write beside it, then renamed over it, so that another run
/// reading it meanwhile sees the old file or the new one, never half of one (two runs at
/// once: the last rename wins). Temporary files of `file` older than [`ABANDONED`] (a run
/// killed while it wrote) are removed.
pub(crate) fn write_private_with(
    file: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = file.file_name().map_or_else(|| "cache".into(), |n| n.to_string_lossy().into_owned());
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    static WRITES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nth = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = file.with_file_name(format!("{name}.{}-{nth}.tmp", std::process::id()));
    // A leftover of a run that died with this process id would keep its own mode.
    let _ = std::fs::remove_file(&temp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|file| {
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        out.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        Ok(())
    });
    let written = written.and_then(|()| std::fs::rename(&temp, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    let abandoned = |entry: &std::fs::DirEntry| {
        let own = entry.file_name().to_str().is_some_and(|n| n.starts_with(&format!("{name}.")) && n.ends_with(".tmp"));
        own && entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ABANDONED))
    };
    if let Some(entries) = file.parent().and_then(|dir| std::fs::read_dir(dir).ok()) {
        for entry in entries.flatten().filter(abandoned) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    written
}

/// Runs git itself in `root`, for what changes the repository (`step --commit`): gix
/// reads; a commit goes through git so that hooks, signing and the user's configuration
/// apply as to any other commit.
fn run(root: &Path, args: &[&str]) -> Result<String> {
    let output = std::process::Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .with_context(|| msg!("cannot run git (is it installed?)", "git çalıştırılamıyor (kurulu mu?)"))?;
    if !output.status.success() {
        anyhow::bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether `dir` is inside a git repository (a working tree).
pub(crate) fn in_repository(dir: &Path) -> bool {
    gix::discover(dir).is_ok_and(|repo| repo.workdir().is_some())
}

/// Makes `dir` a new git repository whose first branch is `main`.
pub(crate) fn init_main(dir: &Path) -> Result<()> {
    run(dir, &["init", "-q", "-b", "main"]).map(drop)
}

/// The paths with staged changes.
pub(crate) fn staged(root: &Path) -> Result<Vec<String>> {
    Ok(run(root, &["diff", "--cached", "--name-only"])?.lines().map(str::to_string).collect())
}

/// The paths under `folder` that differ from HEAD in the working tree or the index,
/// untracked files included (`git status --porcelain`).
pub(crate) fn changed_under(root: &Path, folder: &str) -> Result<Vec<String>> {
    let status = run(root, &["status", "--porcelain", "--untracked-files=all", "--", folder])?;
    Ok(status.lines().filter_map(|l| l.get(3..)).map(str::to_string).collect())
}

/// Creates the branch `name` at HEAD and switches to it.
pub(crate) fn new_branch(root: &Path, name: &str) -> Result<()> {
    run(root, &["switch", "-c", name]).map(drop)
}

/// Commits the changes of `paths` (relative to `root`) alone, as `author` (`Name
/// <e-mail>`) when given; the new commit's id.
pub(crate) fn commit_paths(root: &Path, paths: &[&str], message: &str, author: Option<&str>) -> Result<String> {
    let author = author.map(|a| format!("--author={a}"));
    let mut args = vec!["commit", "-q", "-m", message];
    args.extend(author.as_deref());
    args.push("--");
    args.extend(paths);
    run(root, &args)?;
    Ok(run(root, &["rev-parse", "--short", "HEAD"])?.trim().to_string())
}

/// Runs git in `root` with `env` set and `input` on its standard input.
fn run_with(root: &Path, args: &[&str], env: &[(&str, &str)], input: Option<&[u8]>) -> Result<String> {
    use std::io::Write as _;
    let mut command = std::process::Command::new("git");
    command.current_dir(root).args(args).envs(env.iter().copied());
    command.stdin(if input.is_some() { std::process::Stdio::piped() } else { std::process::Stdio::null() });
    command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| msg!("cannot run git (is it installed?)", "git çalıştırılamıyor (kurulu mu?)"))?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(bytes)?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        anyhow::bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Commits `bytes` as the file `path` (relative to `root`) on top of HEAD, on a new branch
/// `branch`, as `author` (name, e-mail; the committer too): the new commit's id. With git's
/// plumbing and an index of its own, so the working tree, the real index and the branch
/// checked out stay as they were (`defter intake` runs in a CI checkout, and a user's
/// half-done work must not be swept into the commit). Dated `date` (RFC 3339), so the
/// same input on the same HEAD gives the same commit. Refuses a branch that exists.
pub(crate) fn commit_file_on_new_branch(
    root: &Path,
    branch: &str,
    path: &str,
    bytes: &[u8],
    message: &str,
    author: (&str, &str),
    date: &str,
) -> Result<String> {
    let reference = format!("refs/heads/{branch}");
    if run(root, &["rev-parse", "--verify", "--quiet", &reference]).is_ok() {
        anyhow::bail!(msg!(
            "the branch {branch} exists already, so nothing was written",
            "{branch} dalı zaten var, bu yüzden hiçbir şey yazılmadı"
        ));
    }
    let head = run_with(root, &["rev-parse", "--verify", "HEAD^{commit}"], &[], None)?;
    // The path from the top of the work tree (the records may be in a subfolder).
    let prefix = run_with(root, &["rev-parse", "--show-prefix"], &[], None)?;
    let full = format!("{prefix}{path}");
    let index = run_with(
        root,
        &["rev-parse", "--git-path", &format!("defter-intake-{}.index", std::process::id())],
        &[],
        None,
    )?;
    let index = root.join(index);
    let index_env = index.to_string_lossy().into_owned();
    let env = [
        ("GIT_INDEX_FILE", index_env.as_str()),
        ("GIT_AUTHOR_NAME", author.0),
        ("GIT_AUTHOR_EMAIL", author.1),
        ("GIT_COMMITTER_NAME", author.0),
        ("GIT_COMMITTER_EMAIL", author.1),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_DATE", date),
    ];
    let made = (|| -> Result<String> {
        let blob = run_with(root, &["hash-object", "-w", "--stdin"], &[], Some(bytes))?;
        run_with(root, &["read-tree", &head], &env, None)?;
        run_with(root, &["update-index", "--add", "--cacheinfo", &format!("100644,{blob},{full}")], &env, None)?;
        let tree = run_with(root, &["write-tree"], &env, None)?;
        let commit = run_with(root, &["commit-tree", &tree, "-p", &head, "-F", "-"], &env, Some(message.as_bytes()))?;
        // The empty old value: the branch is made only if no one made it meanwhile.
        run_with(root, &["update-ref", &reference, &commit, ""], &[], None)?;
        Ok(commit)
    })();
    let _ = std::fs::remove_file(&index);
    made
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stat made from what the walk asked is the one gix makes by asking again, for
    /// a file, an edited file and a file with old times.
    #[test]
    fn the_index_stat_is_the_one_gix_makes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        let gix_stat = |path: &Path| {
            gix::index::entry::Stat::from_fs(&gix::index::fs::Metadata::from_path_no_follow(path).unwrap()).unwrap()
        };
        std::fs::write(&path, "id: a\n").unwrap();
        let first = index_stat(&path, &std::fs::symlink_metadata(&path).unwrap()).unwrap();
        assert_eq!(first, gix_stat(&path));
        assert!(first.size == 6 && first.ino != 0 && first.mtime.secs != 0 && first.ctime.secs != 0, "{first:?}");
        std::fs::write(&path, "id: ab\n").unwrap();
        let old = std::time::UNIX_EPOCH + std::time::Duration::new(1_000_000_000, 123_456_789);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(old).unwrap();
        let edited = index_stat(&path, &std::fs::symlink_metadata(&path).unwrap()).unwrap();
        assert_eq!(edited, gix_stat(&path));
        assert_eq!((edited.size, edited.mtime.secs, edited.mtime.nsecs), (7, 1_000_000_000, 123_456_789));
    }

    #[test]
    fn blob_ids_are_the_ones_git_gives() {
        // `echo hello | git hash-object --stdin`, and git's empty blob.
        assert_eq!(blob_id(b"hello\n").to_string(), "ce013625030ba8dba906f756967f9e9ca394464a");
        assert_eq!(blob_id(b"").to_string(), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    /// A cache is replaced whole, readable by its owner only, and what a killed run left
    /// behind long ago is cleared away, while another run's file being written is not.
    #[test]
    fn caches_are_written_whole_and_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("defter/records.bin");
        write_private(&file, b"first").unwrap();
        let folder = file.parent().unwrap();
        let (old, writing) = (folder.join("records.bin.1-0.tmp"), folder.join("records.bin.2-0.tmp"));
        let other = folder.join("history.json.1-0.tmp");
        for path in [&old, &writing, &other] {
            std::fs::write(path, b"half").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - ABANDONED * 2;
        for path in [&old, &other] {
            std::fs::File::options().write(true).open(path).unwrap().set_modified(long_ago).unwrap();
        }
        write_private(&file, b"second").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"second");
        assert!(!old.exists(), "an abandoned temporary file is removed");
        assert!(writing.exists() && other.exists(), "another run's, or another cache's, is left alone");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
