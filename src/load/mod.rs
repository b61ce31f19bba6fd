//! Reading a records repository from disk: walking `records/` in parallel, recognising
//! each file's kind from its path, splitting front matter, parsing YAML with positions
//! (or taking what the last run made of the same bytes from the cache of parsed records,
//! [`cache`]). Problems with a single file become findings (`parse-error`,
//! `unknown-kind`); only a failure to read the repository itself is an error.

mod cache;
pub mod frontmatter;
pub mod rules;
pub mod trace;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;

pub use cache::CacheUse;
use cache::{Cache, Entries, Kept, Stat};

use crate::diag::{Diagnostic, Message, Rule, human::Sources, msg};
use crate::model::{Body, Kind, Node, Pos, Record, SharedText, Source, Value};

/// Files larger than this are refused (`parse-error`) without being read.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// The folder of records inside a repository.
pub const RECORDS_DIR: &str = "records";

/// Everything read from `records/`.
#[derive(Debug, Default)]
pub struct Records {
    pub records: Vec<Record>,
    /// Findings about files that are not records (`parse-error`, `unknown-kind`).
    pub problems: Vec<Diagnostic>,
    /// The text of every file loaded, for quoting in diagnostics (read when first asked
    /// for, where loading took the file from the cache unread: [`Texts::Later`]).
    pub sources: BTreeMap<String, Source>,
    /// The repository's CODEOWNERS file, if it has one: (path, text). Its text is in
    /// `sources` too.
    pub codeowners: Option<(String, Arc<str>)>,
    /// The git blob id of each file's bytes, by path, where the cache of parsed records
    /// knew or computed it (the findings cache keys records by it too, so a file is
    /// hashed at most once a run; empty without the cache).
    pub blobs: std::collections::HashMap<String, [u8; 20]>,
}

/// Where forges look for a CODEOWNERS file, in GitHub's order of precedence (Gitea reads
/// the root, `docs/` and `.gitea/`).
pub const CODEOWNERS_PATHS: [&str; 4] = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitea/CODEOWNERS"];

/// Told how a long run advances; the command layer draws it (the library never prints).
pub trait Progress: Sync {
    /// A phase of `total` steps begins.
    fn start(&self, _phase: &str, _total: usize) {}
    /// One step of the phase is done.
    fn step(&self) {}
    /// Loading took `used.reused` records from the cache of parsed records and parsed
    /// `used.parsed` files (said only when the cache was used).
    fn cached(&self, _used: CacheUse) {}
}

/// Shows no progress.
pub struct Silent;

impl Progress for Silent {}

impl Sources for Records {
    fn line(&self, path: &str, line: u32) -> Option<&str> {
        let text = self.sources.get(path)?;
        let line = text.split('\n').nth(line.checked_sub(1)? as usize)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// A file under `records/`, before parsing.
#[derive(Clone)]
pub struct RawFile {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Walks `root/records` and loads every file (in parallel), and reads the CODEOWNERS file.
/// In a git repository, files whose bytes the last run loaded are taken from the cache
/// of parsed records (`.git/defter/records.bin`) instead of being parsed again, unless
/// `DEFTER_CACHE=off`; the records are the same either way.
pub fn load_dir(root: &Path) -> Result<Records> {
    load_dir_with(root, &Silent)
}

/// [`load_dir`], telling `progress` about each file.
pub fn load_dir_with(root: &Path, progress: &dyn Progress) -> Result<Records> {
    load_dir_cached(root, progress, crate::git::caches_on()).map(|(records, _)| records)
}

/// Whether loading reads every file, or leaves unread the files the cache of parsed
/// records knows unchanged (read when their text is first asked for: [`Source::later`],
/// their fields unpacked when first read: [`crate::model::Fields`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Texts {
    /// Every file is read and every record's tree built as it is loaded: for whatever
    /// reads every record's text (`notify`) or keeps the records while files change
    /// (`serve`, the language server).
    Read,
    /// Files the cache knows unchanged are read only if their text is asked for, and
    /// their fields stay packed until read: for a run that takes most findings from
    /// its cache, reads a few files and exits (`validate`, which quotes a few lines;
    /// `build`, which shows the bodies of the pages it renders again).
    Later,
}

/// [`load_dir_with`], using the cache of parsed records or not (whatever `DEFTER_CACHE`
/// says), and how it was used: what the tests compare and count.
pub fn load_dir_cached(root: &Path, progress: &dyn Progress, use_cache: bool) -> Result<(Records, CacheUse)> {
    load_dir_as(root, progress, use_cache, Texts::Read)
}

/// [`load_dir_cached`], reading the files the cache knows as `texts` says: with
/// [`Texts::Later`], a file the cache knows unchanged is not read unless its text is
/// asked for, nor its fields unpacked unless they are read. The records are the same
/// either way.
pub fn load_dir_as(root: &Path, progress: &dyn Progress, use_cache: bool, texts: Texts) -> Result<(Records, CacheUse)> {
    let dir = root.join(RECORDS_DIR);
    // Nothing is read through a link: a `records` link to `/` would be walked, checked,
    // quoted in findings and published.
    crate::config::refuse_links(root, RECORDS_DIR)?;
    if !dir.is_dir() {
        let shown = root.display();
        bail!(msg!(
            "{shown} has no `{RECORDS_DIR}/` folder: is it a defter repository? (`defter init` makes one)",
            "{shown} içinde `{RECORDS_DIR}/` klasörü yok: bir defter deposu mu? (`defter init` bir tane oluşturur)"
        ));
    }
    let mut files: Vec<(PathBuf, Option<std::fs::Metadata>)> = Vec::new();
    let mut problems = Vec::new();
    // A run that leaves unchanged files unread knows them by what the file system says,
    // asked of each folder as it is walked: cheaper than looking each path up again.
    for found in walk(root, &dir, 0, use_cache && texts == Texts::Later)? {
        match found {
            Found::File(path, stat) => files.push((path, stat)),
            Found::Problem(d) => problems.push(d),
        }
    }
    let cache = if use_cache { Cache::open(root) } else { None };
    let entries = cache.as_ref().map(Cache::entries);
    progress.start("loading", files.len());
    let (loaded, kept): (Vec<Loaded>, Vec<Option<Kept<'_>>>) = files
        .par_iter()
        .map(|(path, stat)| load_path(root, path, entries.as_ref(), stat.as_ref()))
        .inspect(|_| progress.step())
        .unzip();
    let mut used = CacheUse::default();
    let mut blobs = std::collections::HashMap::new();
    if let (Some(cache), Some(entries)) = (&cache, &entries) {
        let kept: Vec<Kept<'_>> = kept.into_iter().flatten().collect();
        used.reused = kept.iter().filter(|k| matches!(k, Kept::Reused { .. })).count();
        used.parsed = kept.len() - used.reused;
        used.written = cache.keep(entries, &kept);
        progress.cached(used);
        blobs = kept.iter().map(|k| k.blob()).map(|(path, blob)| (path.to_string(), blob)).collect();
    }
    let mut records = Records::from_loaded(problems, loaded);
    records.blobs = blobs;
    for rel in CODEOWNERS_PATHS {
        if crate::config::link_on_the_way(root, rel).is_some() {
            records.problems.push(link_problem(rel.to_string(), true));
            break;
        }
        let path = root.join(rel);
        if path.is_file() {
            let bytes = match read_limited(&path) {
                Ok(Ok((bytes, _))) => bytes,
                Ok(Err(size)) => {
                    records.problems.push(too_large(rel.to_string(), size));
                    break;
                }
                Err(e) => return Err(e).with_context(|| msg!("cannot read {p}", "{p} okunamıyor", p = path.display())),
            };
            records.add_codeowners(rel, bytes);
            break;
        }
    }
    Ok((records, used))
}

/// The finding for a symbolic link where a record (or a folder of them) or, with
/// `codeowners`, the CODEOWNERS file is read: it is never followed.
pub(crate) fn link_problem(path: String, codeowners: bool) -> Diagnostic {
    let message = if codeowners {
        msg!(
            "symbolic link: CODEOWNERS must be a regular file (links are never followed; it was not read)",
            "sembolik bağlantı: CODEOWNERS normal bir dosya olmalıdır (bağlantılar izlenmez; okunmadı)"
        )
    } else {
        msg!(
            "symbolic link: records must be regular files (links are never followed)",
            "sembolik bağlantı: kayıtlar normal dosya olmalıdır (bağlantılar izlenmez)"
        )
    };
    Diagnostic::at(Rule::ParseError, path, Pos::new(1, 1), message)
        .with_help(msg!("replace the link with the file itself", "bağlantının yerine dosyanın kendisini koyun"))
}

/// Reads and loads the file at `path` (under `root`) as [`load_dir`] does: a file too
/// large or unreadable is a problem, not a record. With `cache`, what the cache keeps of
/// the file is taken if its bytes are the same, and what to keep of it is returned;
/// given what the file system said of the file as `records/` was walked (for
/// [`Texts::Later`]), without reading it where that says it is unchanged.
fn load_path<'a>(
    root: &Path,
    path: &Path,
    cache: Option<&'a Entries<'_>>,
    walked: Option<&std::fs::Metadata>,
) -> (Loaded, Option<Kept<'a>>) {
    let rel = relative(root, path);
    if let (Some(meta), Some(cache)) = (walked, cache)
        && let Some((loaded, kept)) = load_unread(path, &rel, meta, cache)
    {
        return (loaded, Some(kept));
    }
    let (bytes, stat) = match read_limited(path) {
        Ok(Ok((bytes, meta))) => (bytes, cache.and_then(|_| Stat::of(&meta))),
        Ok(Err(size)) => return (Loaded::Problem(too_large(rel, size), None), None),
        Err(e) => {
            // The OS's own words are English (or the locale's); keep them after the Turkish.
            let why = match e.kind() {
                std::io::ErrorKind::PermissionDenied => ": okuma izni yok".to_string(),
                _ => format!(" ({e})"),
            };
            let d = Diagnostic::at(
                Rule::ParseError,
                rel,
                Pos::new(1, 1),
                msg!("cannot read the file: {e}", "dosya okunamıyor{why}"),
            )
            .with_help(msg!(
                "check the file's permissions; records are regular, readable text files",
                "dosyanın izinlerini denetleyin; kayıtlar normal, okunabilir metin dosyalarıdır"
            ));
            return (Loaded::Problem(d, None), None);
        }
    };
    load_one(RawFile { path: rel, bytes }, cache.map(|cache| (cache, stat)))
}

/// What the cache keeps of the file at `path` (`rel` from the root), unread, when the
/// file system says of it (`meta`, links not followed) what it said when its entry was
/// made, long enough before that run began ([`Entries::unchanged`]), or, when its times
/// moved (a checkout), what git's index says of it gives the entry's blob id
/// ([`Entries::indexed`]): as git's index is trusted. `None` when the file must be read.
fn load_unread<'a>(
    path: &Path,
    rel: &str,
    meta: &std::fs::Metadata,
    cache: &'a Entries<'_>,
) -> Option<(Loaded, Kept<'a>)> {
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    let stat = Stat::of(meta);
    let blob = cache.unchanged(rel, stat).or_else(|| cache.indexed(rel, path, meta))?;
    let (kind, path_id) = Kind::from_path(rel.strip_prefix("records/").unwrap_or(rel))?;
    let known = crate::model::Known { len: meta.len(), id: blob, id_of: cache::key };
    let source = Source::later(path.to_path_buf(), known);
    let (parsed, kept) = cache.get((rel, &blob, stat), (kind, &path_id), &source)?;
    let loaded = match parsed {
        Ok(record) => Loaded::Record(record, source),
        Err(diag) => Loaded::Problem(*diag, Some(source)),
    };
    Some((loaded, kept))
}

/// Loads the files at `paths` (relative to `root`, `/`-separated) as [`load_dir`] loads
/// them, without walking `records/`: what `defter serve` reads again after an edit.
pub fn load_paths(root: &Path, paths: &[String]) -> Records {
    let loaded = paths
        .par_iter()
        .map(|rel| match crate::config::link_on_the_way(root, rel) {
            Some(link) => Loaded::Problem(link_problem(link, false), None),
            // A few files: reading the whole cache would cost more than parsing them.
            None => load_path(root, &root.join(rel), None, None).0,
        })
        .collect();
    Records::from_loaded(Vec::new(), loaded)
}

/// How deep [`walk`] goes into `records/`.
const MAX_FOLDER_DEPTH: usize = 32;

/// What the walk of `records/` finds: a file to load, or something that is no record.
enum Found {
    /// A file, and what the file system said of it when asked to ([`walk`]'s `stat`).
    File(PathBuf, Option<std::fs::Metadata>),
    Problem(Diagnostic),
}

/// Everything under `dir`, in the order of a depth-first walk with each folder's names
/// sorted (so records load in the same order on every machine). Names starting with a
/// dot are skipped, folders with their contents (`.git`, `.obsidian`), as git's
/// side of `validate --base` skips them. Folders are read in parallel: at 100,000
/// records the walk on one thread was a twentieth of `validate`. A folder nested deeper
/// than [`MAX_FOLDER_DEPTH`] is a problem, not walked (the walk recurses, on threads
/// with small stacks; records live three levels down). With `stat`, each file comes with
/// what the file system says of it.
fn walk(root: &Path, dir: &Path, depth: usize, stat: bool) -> Result<Vec<Found>> {
    let cannot = || format!("cannot walk {}", dir.display());
    let mut entries =
        std::fs::read_dir(dir).with_context(cannot)?.collect::<std::io::Result<Vec<_>>>().with_context(cannot)?;
    entries.sort_by_cached_key(std::fs::DirEntry::file_name);
    // What the file system says of each file, with `stat`: asked relative to the folder
    // being read (`fstatat`), links not followed, in parallel (a year's folder holds
    // tens of thousands of records).
    let mut stats: std::vec::IntoIter<Option<std::fs::Metadata>> = if stat {
        let file = |e: &std::fs::DirEntry| e.file_type().is_ok_and(|t| t.is_file());
        entries.par_iter().map(|e| file(e).then(|| e.metadata().ok()).flatten()).collect::<Vec<_>>().into_iter()
    } else {
        Vec::new().into_iter()
    };
    let mut found = Vec::with_capacity(entries.len());
    // The folders, each walked in parallel below and put in at its place in `found`.
    let mut folders = Vec::new();
    // Something under records/ that is not a record file, reported where it is.
    let problem = |path: &Path, message: Message, help: Message| {
        Found::Problem(Diagnostic::at(Rule::ParseError, relative(root, path), Pos::new(1, 1), message).with_help(help))
    };
    for entry in entries {
        let meta = stats.next().flatten();
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        let file_type =
            entry.file_type().with_context(|| msg!("cannot walk {p}", "{p} taranamıyor", p = path.display()))?;
        if file_type.is_symlink() {
            found.push(Found::Problem(link_problem(relative(root, &path), false)));
        } else if file_type.is_file() {
            found.push(Found::File(path, meta));
        } else if file_type.is_dir() && depth < MAX_FOLDER_DEPTH {
            folders.push((found.len(), path));
        } else if file_type.is_dir() {
            found.push(problem(
                &path,
                msg!(
                    "folder nested more than {MAX_FOLDER_DEPTH} levels deep in records/; it is not read",
                    "records/ içinde {MAX_FOLDER_DEPTH} düzeyden daha derinde bir klasör; okunmadı"
                ),
                msg!(
                    "records live at most three folders down (records/requests/2026/…); move or remove it",
                    "kayıtlar en çok üç klasör aşağıda durur (records/requests/2026/…); taşıyın ya da kaldırın"
                ),
            ));
        } else {
            found.push(problem(
                &path,
                msg!(
                    "not a regular file (a pipe, socket or device)",
                    "normal bir dosya değil (boru, soket ya da aygıt)"
                ),
                msg!(
                    "records are regular text files; remove it from records/",
                    "kayıtlar normal metin dosyalarıdır; bunu records/ klasöründen kaldırın"
                ),
            ));
        }
    }
    let inside: Vec<Vec<Found>> =
        folders.par_iter().map(|(_, path)| walk(root, path, depth + 1, stat)).collect::<Result<_>>()?;
    if inside.is_empty() {
        return Ok(found);
    }
    let mut all = Vec::with_capacity(found.len() + inside.iter().map(Vec::len).sum::<usize>());
    let mut here = found.into_iter();
    let mut taken = 0;
    for ((at, _), contents) in folders.iter().zip(inside) {
        all.extend(here.by_ref().take(at - taken));
        taken = *at;
        all.extend(contents);
    }
    all.extend(here);
    Ok(all)
}

/// Loads files already in memory (from a git tree, say), in parallel.
pub fn load_files(files: Vec<RawFile>) -> Records {
    Records::from_loaded(Vec::new(), files.into_par_iter().map(load_file).collect())
}

impl Records {
    /// The git blob id of the file at `path`: the one the cache of parsed records knew
    /// or computed, else its text hashed (`None` for a path with no text). One id only
    /// ever stands for one text, so a record is as well keyed by it as by its text:
    /// what the findings cache and the site's build keys take.
    pub fn blob(&self, path: &str) -> Option<[u8; 20]> {
        if let Some(blob) = self.blobs.get(path) {
            return Some(*blob);
        }
        let text = self.sources.get(path)?;
        crate::git::blob_id(text.as_bytes()).as_bytes().try_into().ok()
    }

    /// Keeps the repository's CODEOWNERS file (`path` relative to the root), from the
    /// working tree or a commit: a file over [`MAX_FILE_BYTES`] or not UTF-8 is a
    /// `parse-error` finding about it instead (and no CODEOWNERS is checked).
    pub fn add_codeowners(&mut self, path: &str, bytes: Vec<u8>) {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            self.problems.push(too_large(path.to_string(), bytes.len() as u64));
            return;
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.set_codeowners(path, text),
            Err(e) => {
                let pos = text_pos(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
                self.problems.push(not_utf8(path.to_string(), pos));
            }
        }
    }

    /// Keeps the text of the repository's CODEOWNERS file (`path` relative to the root).
    pub fn set_codeowners(&mut self, path: &str, text: String) {
        let text: Arc<str> = Arc::from(text);
        self.sources.insert(path.to_string(), text.clone().into());
        self.codeowners = Some((path.to_string(), text));
    }

    /// The records and problems of loaded files, in their order, after `problems` found
    /// before loading (by the walk). The texts are gathered in one list and made a map at
    /// once (faster than a map grown one file at a time, which was a serial step of
    /// loading 100,000 files).
    fn from_loaded(problems: Vec<Diagnostic>, loaded: Vec<Loaded>) -> Records {
        let mut records = Records { records: Vec::with_capacity(loaded.len()), problems, ..Records::default() };
        let mut sources = Vec::with_capacity(loaded.len());
        for item in loaded {
            match item {
                Loaded::Record(record, text) => {
                    sources.push((record.path.clone(), text));
                    records.records.push(record);
                }
                Loaded::Problem(diag, text) => {
                    if let Some(text) = text {
                        sources.push((diag.path.clone(), text));
                    }
                    records.problems.push(diag);
                }
            }
        }
        records.sources = sources.into_iter().collect();
        records
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`] (`Err(size)` when larger, unread),
/// and what the file system said of it before it was read. The size is checked on the
/// open file and the read is bounded, so a file that grows or is swapped after the walk
/// cannot make defter read more.
fn read_limited(path: &Path) -> std::io::Result<Result<(Vec<u8>, std::fs::Metadata), u64>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(if bytes.len() as u64 > MAX_FILE_BYTES { Err(bytes.len() as u64) } else { Ok((bytes, meta)) })
}

/// The finding for a file over [`MAX_FILE_BYTES`] (pointing at its first line).
pub(crate) fn too_large(path: String, size: u64) -> Diagnostic {
    Diagnostic::at(
        Rule::ParseError,
        path,
        Pos::new(1, 1),
        msg!(
            "file is {size} bytes; records are limited to {MAX_FILE_BYTES} bytes",
            "dosya {size} bayt; bir kayıt en çok {MAX_FILE_BYTES} bayt olabilir"
        ),
    )
    .with_help(msg!(
        "split the text, or keep large documents outside records/ and link to them",
        "metni bölün ya da büyük belgeleri records/ dışında tutup onlara bağlantı verin"
    ))
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The outcome of loading one file.
pub enum Loaded {
    Record(Record, Source),
    Problem(Diagnostic, Option<Source>),
}

/// Parses one file: kind from path, UTF-8 check, BOM, front matter, YAML.
pub fn load_file(file: RawFile) -> Loaded {
    load_one(file, None).0
}

/// [`load_file`], taking the record or finding from `cache` when it keeps the file's
/// bytes (the file system said `Stat` of the file), and saying what the cache is to keep
/// of the file (nothing for a file refused before it is parsed: too large, of no kind,
/// not UTF-8).
fn load_one<'a>(file: RawFile, cache: Option<(&'a Entries<'_>, Option<Stat>)>) -> (Loaded, Option<Kept<'a>>) {
    let RawFile { path, bytes } = file;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        // Files from git (`--base`, the history) are not measured before they are read.
        return (Loaded::Problem(too_large(path, bytes.len() as u64), None), None);
    }
    let in_records = path.strip_prefix("records/").unwrap_or(&path);
    let Some((kind, path_id)) = Kind::from_path(in_records) else {
        let help = if path.ends_with(".yml") {
            msg!(
                "records use the `.yaml` extension: rename the file",
                "kayıtların uzantısı `.yaml` olmalıdır: dosyayı yeniden adlandırın"
            )
        } else {
            msg!(
                "see docs/records.md for where each kind of record lives",
                "her kayıt türünün hangi klasörde durduğu docs/records.md belgesinde anlatılır"
            )
        };
        let message = msg!("this file matches no kind of record", "bu dosya hiçbir kayıt türüne uymuyor");
        let d = Diagnostic::new(Rule::UnknownKind, path, None, message).with_help(help);
        return (Loaded::Problem(d, None), None);
    };
    // The key is of the bytes as git stores them, before the BOM is dropped.
    let blob = cache.map(|(cache, stat)| (cache.blob(&path, stat, &bytes), stat));
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let pos = text_pos(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
            return (Loaded::Problem(not_utf8(path, pos), None), None);
        }
    };
    let text: Arc<str> = Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text));
    let kept_before = match (cache, &blob) {
        (Some((cache, _)), Some((blob, stat))) => {
            cache.get((&path, blob, *stat), (kind, &path_id), &text.clone().into())
        }
        _ => None,
    };
    let (parsed, kept) = match kept_before {
        Some((parsed, kept)) => (parsed, Some(kept)),
        None => {
            let parsed = parse_record(kind, path_id, &path, &text);
            let kept = blob.and_then(|(blob, stat)| cache::entry((&path, blob, stat), &parsed));
            (parsed, kept)
        }
    };
    let loaded = match parsed {
        Ok(record) => Loaded::Record(record, text.into()),
        Err(diag) => Loaded::Problem(*diag, Some(text.into())),
    };
    (loaded, kept)
}

/// The position just after `valid`, the valid UTF-8 start of a file.
fn text_pos(valid: &[u8]) -> Pos {
    let valid = std::str::from_utf8(valid).unwrap_or_default();
    let line = valid.matches('\n').count() as u32 + 1;
    let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos::new(line, col)
}

/// The finding for a file that is not UTF-8, at the first byte that is not.
fn not_utf8(path: String, pos: Pos) -> Diagnostic {
    Diagnostic::at(Rule::ParseError, path, pos, msg!("file is not valid UTF-8", "dosya geçerli bir UTF-8 metni değil"))
        .with_help(msg!(
            "save the file as UTF-8 (Turkish letters included)",
            "dosyayı UTF-8 olarak kaydedin (Türkçe harfler de UTF-8 ile yazılır)"
        ))
}

/// A `parse-error` finding (boxed: it is the error of [`parse_record`]).
fn parse_error(path: &str, pos: Pos, message: Message, help: Message) -> Box<Diagnostic> {
    Box::new(Diagnostic::at(Rule::ParseError, path, pos, message).with_help(help))
}

fn parse_record(kind: Kind, path_id: String, path: &str, file: &Arc<str>) -> Result<Record, Box<Diagnostic>> {
    let text: &str = file;
    if let Some(i) = text.find('\0') {
        let line = text[..i].matches('\n').count() as u32 + 1;
        return Err(parse_error(
            path,
            Pos::new(line, 1),
            msg!(
                "file contains NUL bytes: it is not a text record",
                "dosyada NUL baytları var: bu bir metin kaydı değil"
            ),
            msg!(
                "a record is UTF-8 text; remove the binary content",
                "kayıt UTF-8 metindir; ikili (binary) içeriği kaldırın"
            ),
        ));
    }
    // A CR not followed by LF (old Mac line endings, or one stray byte): YAML counts it
    // as a line break where every other tool (git, editors, the quoted line) does not, so
    // positions would point at the wrong line. Refused where it is.
    let bytes = text.as_bytes();
    if let Some(i) = memchr::memchr_iter(b'\r', bytes).find(|&i| bytes.get(i + 1) != Some(&b'\n')) {
        let before = &text[..i];
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() as u32 + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        return Err(parse_error(
            path,
            Pos::new(line, col),
            msg!(
                "a lone CR (a carriage return without a line feed, old Mac line endings) ends this line",
                "bu satır tek başına bir CR ile bitiyor (ardında LF olmayan satır başı; eski Mac satır sonları)"
            ),
            msg!("save the file with LF (or CRLF) line endings", "dosyayı LF (ya da CRLF) satır sonlarıyla kaydedin"),
        ));
    }
    let (yaml, offset, body) = if kind.is_markdown() {
        match frontmatter::split(text) {
            Ok(split) => {
                let start = split.body.as_ptr() as usize - text.as_ptr() as usize;
                let body = Body {
                    text: SharedText::new(file.clone(), start..start + split.body.len()),
                    line: split.body_line,
                };
                (split.yaml, split.yaml_line_offset, Some(body))
            }
            Err(frontmatter::SplitError::Unclosed) => {
                return Err(parse_error(
                    path,
                    Pos::new(1, 1),
                    msg!("front matter is not closed", "ön bilgi bölümü (front matter) kapatılmamış"),
                    msg!(
                        "end the YAML front matter with a line holding only `---`",
                        "ön bilgi bölümünü yalnızca `---` içeren bir satırla bitirin"
                    ),
                ));
            }
        }
    } else {
        (Some(text), 0, None)
    };
    let fields = match yaml {
        Some(yaml) => yaml::parse(yaml, offset).map_err(|e| {
            let help = msg!("fix the YAML syntax at this position", "bu konumdaki YAML yazımını düzeltin");
            parse_error(path, e.pos, e.message, help)
        })?,
        None if kind == Kind::ProjectSection => Node::new(Value::Null, Pos::new(1, 1)),
        None => {
            return Err(parse_error(
                path,
                Pos::new(1, 1),
                msg!("missing front matter", "ön bilgi bölümü (front matter) yok"),
                msg!(
                    "start the file with a `---` line, the record's YAML fields, and another `---` line",
                    "dosyaya bir `---` satırıyla başlayın, ardından kaydın YAML alanlarını ve yine bir `---` satırı yazın"
                ),
            ));
        }
    };
    if fields.value == Value::Null && kind != Kind::ProjectSection {
        return Err(parse_error(
            path,
            fields.pos,
            msg!("the record has no fields", "kaydın hiç alanı yok"),
            msg!(
                "write the fields of a {kind} record (docs/records.md)",
                "kaydın alanlarını yazın (`{kind}` türünün alanları docs/records.md belgesindedir)"
            ),
        ));
    }
    Ok(Record { kind, path_id, path: path.to_string(), fields: fields.into(), body })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &str, text: &[u8]) -> Loaded {
        load_file(RawFile { path: path.into(), bytes: text.to_vec() })
    }

    fn problem(loaded: Loaded) -> Diagnostic {
        match loaded {
            Loaded::Problem(d, _) => d,
            Loaded::Record(r, _) => panic!("expected a problem, loaded {}", r.path),
        }
    }

    #[test]
    fn loads_markdown_with_front_matter_bom_and_crlf() {
        let text = "\u{feff}---\r\nid: TLP-2026-0001\r\ntitle: Deneme\r\n---\r\nGövde\r\n";
        let Loaded::Record(record, _) = load("records/requests/2026/TLP-2026-0001.md", text.as_bytes()) else {
            panic!("not loaded")
        };
        assert_eq!(record.kind, Kind::Request);
        assert_eq!(record.id(), "TLP-2026-0001");
        assert_eq!(record.fields.get("title").unwrap().pos, Pos::new(3, 8));
        let body = record.body.unwrap();
        assert_eq!((body.text.as_str(), body.line), ("Gövde\r\n", 5));
    }

    /// The walk goes folder by folder in parallel but keeps the order of a sorted
    /// depth-first walk, and leaves out whatever is hidden, folders with their contents.
    #[test]
    fn the_walk_is_sorted_and_skips_what_is_hidden() {
        let repo = tempfile::tempdir().unwrap();
        let write = |path: &str| {
            let path = repo.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "id: x\n").unwrap();
        };
        for path in [
            "records/org/people/b.yaml",
            "records/org/people/a.yaml",
            "records/org/units/z.yaml",
            "records/inventory/servers/s.yaml",
            "records/org/people/.draft.yaml",
            "records/.obsidian/cache/c.yaml",
            "records/org/.trash/people/d.yaml",
            "records/a.yaml",
        ] {
            write(path);
        }
        // With `stat`, each file comes with its own metadata (six bytes each).
        let walked = |stat: bool| -> Vec<(String, Option<u64>)> {
            walk(repo.path(), &repo.path().join("records"), 0, stat)
                .unwrap()
                .into_iter()
                .map(|f| match f {
                    Found::File(path, meta) => (relative(repo.path(), &path), meta.map(|m| m.len())),
                    Found::Problem(d) => panic!("{}", d.message.en),
                })
                .collect()
        };
        let (plain, statted) = (walked(false), walked(true));
        assert!(plain.iter().all(|(_, len)| len.is_none()) && statted.iter().all(|(_, len)| *len == Some(6)));
        let found: Vec<String> = statted.into_iter().map(|(path, _)| path).collect();
        assert_eq!(found, plain.into_iter().map(|(path, _)| path).collect::<Vec<_>>());
        assert_eq!(
            found,
            [
                "records/a.yaml",
                "records/inventory/servers/s.yaml",
                "records/org/people/a.yaml",
                "records/org/people/b.yaml",
                "records/org/units/z.yaml",
            ]
        );
    }

    /// A folder tree deeper than records ever are is reported at the depth limit, not
    /// walked down to the file system's limit on threads with small stacks.
    #[test]
    fn folders_nested_too_deep_are_a_problem() {
        let repo = tempfile::tempdir().unwrap();
        let mut deep = repo.path().join("records");
        for _ in 0..MAX_FOLDER_DEPTH + 5 {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("x.yaml"), "id: x\n").unwrap();
        let found = walk(repo.path(), &repo.path().join("records"), 0, true).unwrap();
        let [Found::Problem(d)] = found.as_slice() else { panic!("one problem expected") };
        assert_eq!(d.rule, Rule::ParseError);
        assert_eq!(d.path.matches("/d").count(), MAX_FOLDER_DEPTH + 1, "{}", d.path);
        assert!(d.message.tr.contains("düzeyden daha derinde"), "{}", d.message.tr);
    }

    #[test]
    fn file_problems_are_findings() {
        let d = problem(load("records/org/people/a.yaml", b"id: a\nname: \xff\n"));
        assert_eq!((d.rule, d.pos), (Rule::ParseError, Some(Pos::new(2, 7))));
        let d = problem(load("records/org/people/a.yaml", b"\0\0\0"));
        assert_eq!(d.rule, Rule::ParseError);
        let d = problem(load("records/requests/2026/TLP-2026-0001.md", b"---\nid: x\n"));
        assert!(d.message.en.contains("not closed"));
        let d = problem(load("records/requests/2026/TLP-2026-0001.md", b"no front matter\n"));
        assert!(d.message.en.contains("missing front matter"));
        let d = problem(load("records/org/people/a.yaml", b""));
        assert!(d.message.en.contains("no fields"));
        let d = problem(load("records/org/people/a.yml", b"id: a\n"));
        assert_eq!(d.rule, Rule::UnknownKind);
        assert!(d.help.unwrap().tr.contains(".yaml"));
        let d = problem(load("records/org/people/a.yaml", b"id: a\n\tname: b\n"));
        assert_eq!(d.rule, Rule::ParseError);
    }

    #[test]
    fn project_sections_may_omit_front_matter() {
        let Loaded::Record(record, _) = load("records/projects/PRJ-0001/analiz.md", b"# Analiz\n") else {
            panic!("not loaded")
        };
        assert_eq!(record.id(), "PRJ-0001/analiz");
        assert_eq!(record.body.unwrap().line, 1);
    }
}
