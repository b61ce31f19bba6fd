//! The cache of parsed records (`.git/defter/records.bin`): after every kind of edit a
//! run that reads and writes it gives, byte for byte, what a run without it gives
//! (`DEFTER_CACHE=off`) — the records as loaded, `validate`'s JSON report and the whole
//! site — and it parses only the files whose bytes it has not seen. A damaged cache, or
//! one of another format or defter build, is replaced without a word.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use defter::load::{CacheUse, MAX_FILE_BYTES, Silent, Texts, load_dir_as, load_dir_cached};

use crate::harness::{AS_OF, GitRepo, copy_tree, defter_cached, files_in, stderr, stdout};

fn run(repo: &Path, cache: bool, args: &[&str]) -> Output {
    defter_cached(Path::new(env!("CARGO_BIN_EXE_defter")), repo, cache, args)
}

/// A copy of the defter binary elsewhere, with another path and modification time — as a
/// CI job that downloads the release on every run has — reuses every cache and the
/// site's build state the original left: they are keyed by the sources defter was built
/// from, not by the file that runs.
#[test]
fn a_copy_of_the_binary_reuses_the_caches_and_the_site() {
    let (_repo, root, files) = committed();
    let copy = tempfile::tempdir().unwrap();
    let exe = copy.path().join("defter");
    std::fs::copy(env!("CARGO_BIN_EXE_defter"), &exe).unwrap();
    let site = root.join("site");
    let build = ["-v", "build", "--as-of", AS_OF, "--out", site.to_str().unwrap()];
    let first = run(&root, true, &build);
    assert!(first.status.success(), "{}", stderr(&first));
    let again = defter_cached(&exe, &root, true, &build);
    assert!(again.status.success(), "{}", stderr(&again));
    let said = stderr(&again);
    assert!(said.contains(&format!("from the cache: {files}, parsed: 0")), "{said}");
    assert!(!said.contains("full build"), "the copy rebuilt the site in full: {said}");
    assert!(said.contains("(0 rendered"), "the copy rendered pages again: {said}");
}

fn cache_file(repo: &Path) -> PathBuf {
    repo.join(".git/defter/records.bin")
}

/// The trees file the cache's index names.
fn named_trees_file(repo: &Path) -> PathBuf {
    let index = std::fs::read(cache_file(repo)).unwrap();
    let named = trees_files(repo).into_iter().filter(|path| {
        let name = path.file_name().unwrap().to_str().unwrap().as_bytes();
        index.windows(name.len()).any(|w| w == name)
    });
    let [named] = named.collect::<Vec<_>>().try_into().expect("the index names one trees file");
    named
}

/// The trees files beside the cache's index, sorted.
fn trees_files(repo: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(repo.join(".git/defter"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("records.bin.trees-")))
        .collect();
    found.sort();
    found
}

/// The records loaded with the cache (library), checked against a load without it;
/// how the cache was used.
#[track_caller]
fn load_alike(repo: &Path) -> CacheUse {
    let (mut cached, used) = load_dir_cached(repo, &Silent, true).unwrap();
    let (plain, unused) = load_dir_cached(repo, &Silent, false).unwrap();
    assert_eq!(unused, CacheUse::default(), "no cache without one");
    // The blob ids the cache knew, handed on to the findings cache: one for every file
    // parsed or reused, and none without the cache.
    assert!(plain.blobs.is_empty());
    assert_eq!(cached.blobs.len(), used.parsed + used.reused);
    assert!(cached.blobs.keys().all(|path| plain.sources.contains_key(path)));
    cached.blobs.clear();
    assert_eq!(format!("{cached:?}"), format!("{plain:?}"), "the records differ with the cache");
    used
}

/// `defter -v validate --format json`, in English.
const VALIDATE: [&str; 8] = ["-v", "--lang", "en", "validate", "--as-of", AS_OF, "--format", "json"];

/// `defter validate --format json` with the cache and without it: the same bytes. The
/// `-v` line of the cached run (how it used the cache).
#[track_caller]
fn validate_alike(repo: &Path) -> String {
    let (cached, plain) = (run(repo, true, &VALIDATE), run(repo, false, &VALIDATE));
    assert_eq!(cached.status.code(), plain.status.code(), "{}", stderr(&cached));
    assert!(matches!(cached.status.code(), Some(0 | 1)), "{}", stderr(&cached));
    assert_eq!(stdout(&cached), stdout(&plain), "validate's report differs with the cache");
    assert!(!stderr(&plain).contains("from the cache"), "{}", stderr(&plain));
    let said = stderr(&cached).lines().find(|l| l.contains("from the cache")).map(str::to_string);
    said.unwrap_or_else(|| panic!("the cached run says nothing of the cache: {}", stderr(&cached)))
}

/// [`validate_alike`], and a full `defter build` with the cache and without it: the same
/// files.
#[track_caller]
fn runs_alike(repo: &Path) -> String {
    let said = validate_alike(repo);
    let sites = tempfile::tempdir().unwrap();
    let site = |cache: bool, name: &str| {
        let out = sites.path().join(name);
        let output = run(repo, cache, &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        // The build state is keyed with the binary and a per-repository secret; the
        // pages are what must not differ.
        files_in(&out).into_iter().filter(|(path, _)| !path.starts_with(".defter-")).collect::<Vec<_>>()
    };
    let (cached_site, plain_site) = (site(true, "cached"), site(false, "plain"));
    assert!(cached_site.len() > 50, "the site has its pages");
    let differ: Vec<&String> =
        cached_site.iter().zip(&plain_site).filter(|(a, b)| a != b).map(|((path, _), _)| path).collect();
    assert!(differ.is_empty() && cached_site.len() == plain_site.len(), "the site differs with the cache: {differ:?}");
    said
}

/// The identity of the cache file: a new one (written by a rename) is a new inode.
fn inode(repo: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(cache_file(repo)).unwrap().ino()
}

const PERSON: &str = "records/org/people/ayse.yilmaz.yaml";

/// The first request of the fixture, as (path, text).
fn a_request(repo: &GitRepo) -> (String, String) {
    let dir = repo.path().join("records/requests/2026");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let path = format!("records/requests/2026/{}", names[0]);
    let text = repo.read(&path);
    (path, text)
}

/// The fixture repository, committed: it, its root and how many files `records/` holds.
fn committed() -> (GitRepo, PathBuf, usize) {
    let mut repo = GitRepo::new();
    repo.commit_as("ayse.yilmaz", "kayıtlar");
    let root = repo.path().to_path_buf();
    let files = files_in(&root.join("records")).len();
    assert!(files > 10, "the fixture has its records");
    (repo, root, files)
}

/// Every kind of edit, one after the other, each checked against the uncached load:
/// what the cache reuses, what it parses, and when it writes.
#[test]
fn every_kind_of_edit_loads_what_a_load_without_the_cache_loads() {
    let (mut repo, root, files) = committed();

    let cold = load_alike(&root);
    assert_eq!(cold, CacheUse { reused: 0, parsed: files, written: true }, "cold");
    assert!(cache_file(&root).is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(cache_file(&root)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the cache is the owner's alone");
    }
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false }, "warm");

    // One file edited: it alone is parsed.
    repo.edit(PERSON, "ayse.yilmaz", "ayse.yilmaz\n# düzeltme");
    assert_eq!(load_alike(&root), CacheUse { reused: files - 1, parsed: 1, written: true }, "edited");

    // Added, with Turkish text, a BOM and CRLF line ends.
    let (request, text) = a_request(&repo);
    let added = request.replace(".md", "-kopya.md").replace("TLP-2026-", "TLP-2026-9");
    repo.write(&added, &format!("\u{feff}{}", text.replace('\n', "\r\n").replace("title:", "title: Şüphe ığdır |")));
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 1, written: true }, "added");

    // Deleted: nothing parsed, its entry dropped.
    std::fs::remove_file(root.join(&added)).unwrap();
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: true }, "deleted");
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false });

    // Renamed: the same bytes under another path are another entry (a path says the
    // kind and the id).
    let renamed = request.replace(".md", "-yeni.md");
    std::fs::rename(root.join(&request), root.join(&renamed)).unwrap();
    assert_eq!(load_alike(&root), CacheUse { reused: files - 1, parsed: 1, written: true }, "renamed");

    // The same bytes at the path of another kind: a project section may do without
    // front matter, a request may not.
    let section = "records/projects/PRJ-0999/notlar.md";
    let as_request = "records/requests/2026/TLP-2026-0999.md";
    repo.write(section, "# Notlar\n\nÖnemli bir not.\n").write(as_request, "# Notlar\n\nÖnemli bir not.\n");
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 2, written: true }, "two kinds");
    let (loaded, _) = load_dir_cached(&root, &Silent, true).unwrap();
    assert!(loaded.records.iter().any(|r| r.path == section));
    assert!(loaded.problems.iter().any(|d| d.path == as_request && d.message.en.contains("front matter")));

    // Front matter that decides what the record is: its fields gone.
    repo.edit(&renamed, "---\n", "---\n---\n");
    assert_eq!(load_alike(&root), CacheUse { reused: files + 1, parsed: 1, written: true }, "front matter");

    // Turned into a parse error, and back.
    let before = repo.read(PERSON);
    repo.write(PERSON, &format!("{before}\tbozuk: [\n"));
    assert_eq!(load_alike(&root), CacheUse { reused: files + 1, parsed: 1, written: true }, "parse error");
    let (loaded, _) = load_dir_cached(&root, &Silent, true).unwrap();
    assert!(loaded.problems.iter().any(|d| d.path == PERSON), "the parse error is found from the cache");
    repo.write(PERSON, &before);
    assert_eq!(load_alike(&root), CacheUse { reused: files + 1, parsed: 1, written: true }, "fixed");

    // Too large: refused unread, as without the cache, and its entry dropped.
    let big = format!("{before}# {}\n", "x".repeat(MAX_FILE_BYTES as usize));
    repo.write(PERSON, &big);
    assert_eq!(load_alike(&root), CacheUse { reused: files + 1, parsed: 0, written: true }, "too large");
    repo.write(PERSON, &before);
    assert_eq!(load_alike(&root), CacheUse { reused: files + 1, parsed: 1, written: true });
    assert_eq!(load_alike(&root), CacheUse { reused: files + 2, parsed: 0, written: false });
}

/// The command line, after each kind of edit: `validate --format json` and the whole site
/// are the same bytes with the cache and without it; a run that changes nothing leaves
/// the cache file alone, and a damaged or foreign one is replaced.
#[test]
fn validate_and_build_are_the_same_with_the_cache_and_without() {
    let (mut repo, root, files) = committed();

    let cold = runs_alike(&root);
    assert!(cold.ends_with(&format!("from the cache: 0, parsed: {files} (cache written)")), "{cold}");
    let kept = inode(&root);
    let warm = runs_alike(&root);
    assert!(warm.ends_with(&format!("from the cache: {files}, parsed: 0")), "{warm}");
    assert_eq!(inode(&root), kept, "a run that changed nothing left the cache alone");
    // The same build elsewhere — this test binary links the same sources; a CI job
    // downloads the release binary anew on every run — reuses it.
    assert_eq!(load_dir_cached(&root, &Silent, true).unwrap().1.reused, files);
    // A cache written by another defter build is not reused (the build named in its
    // header changed, as a build of other sources names itself).
    let file = cache_file(&root);
    let mut foreign = std::fs::read(&file).unwrap();
    let version = concat!(env!("CARGO_PKG_VERSION"), " ").as_bytes();
    let at = foreign.windows(version.len()).position(|w| w == version).expect("the build is named") + version.len();
    foreign[at] = if foreign[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&file, &foreign).unwrap();
    assert!(validate_alike(&root).ends_with(&format!("parsed: {files} (cache written)")));

    // Each edit, and what the cached `validate` then says of the cache.
    let (request, text) = a_request(&repo);
    let (added, renamed) = (request.replace(".md", "-ek.md"), request.replace(".md", "-yeni.md"));
    let parsed = |n: usize| format!("parsed: {n} (cache written)");
    repo.edit(PERSON, "ayse.yilmaz", "ayse.yilmaz\n# düzeltme");
    assert!(runs_alike(&root).ends_with(&parsed(1)), "edited");
    repo.write(&added, &text.replace("title:", "title: Ek ığdır |"));
    assert!(runs_alike(&root).ends_with(&parsed(1)), "added");
    std::fs::remove_file(root.join(PERSON)).unwrap();
    assert!(runs_alike(&root).ends_with(&parsed(0)), "deleted");
    repo.mv(&request, &renamed);
    assert!(runs_alike(&root).ends_with(&parsed(1)), "renamed");
    repo.edit(&added, "title:", "title: [bozuk\n\t");
    assert!(runs_alike(&root).ends_with(&parsed(1)), "parse error");
    repo.edit(&renamed, "---\n", "---\n---\n");
    assert!(runs_alike(&root).ends_with(&parsed(1)), "front matter");
    // A file too large is refused unread and never kept: nothing to write.
    repo.write("records/org/units/buyuk.yaml", &"# x\n".repeat(MAX_FILE_BYTES as usize / 3));
    let said = runs_alike(&root);
    assert!(said.ends_with(&format!("from the cache: {files}, parsed: 0")), "too large: {said}");

    // Damaged and foreign cache files: replaced, and the next run is warm again.
    let file = cache_file(&root);
    let good = std::fs::read(&file).unwrap();
    let format = b"defter-records 4";
    let at = good.windows(format.len()).position(|w| w == format).expect("the format is named");
    let mut other_format = good.clone();
    other_format[at + format.len() - 1] = b'0';
    // A bit flipped in the index (the files' paths, blob ids and times come first, the
    // trees after them): the whole file is no cache.
    let mut flipped = good.clone();
    let in_index = good.windows(8).position(|w| w == b"records/").expect("a path in the index");
    flipped[in_index + 3] ^= 0x20;
    for (what, bytes) in [
        ("garbage", b"\x00\xffnot a cache at all".to_vec()),
        ("empty", Vec::new()),
        ("cut short", good[..good.len() / 3].to_vec()),
        ("another format", other_format),
        ("a flipped bit in the index", flipped),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        let said = validate_alike(&root);
        assert!(said.ends_with("(cache written)"), "{what}: {said}");
        let warm = validate_alike(&root);
        assert!(warm.contains("parsed: 0"), "{what}: {warm}");
    }
    // A bit flipped in a tree (the last one, in the trees file the index names): a load
    // that builds every tree parses that file again and writes the cache; `validate`,
    // which leaves a tree packed unless it reads it, reports the same as without the
    // cache.
    let trees = named_trees_file(&root);
    let (index, mut flipped) = (std::fs::read(&file).unwrap(), std::fs::read(&trees).unwrap());
    let near_the_end = flipped.len() - 20;
    flipped[near_the_end] ^= 0x20;
    std::fs::write(&trees, &flipped).unwrap();
    let (_, used) = load_dir_cached(&root, &Silent, true).unwrap();
    assert_eq!((used.parsed, used.written), (1, true), "a damaged tree: {used:?}");
    std::fs::write(&file, &index).unwrap();
    std::fs::write(&trees, &flipped).unwrap();
    validate_alike(&root);
}

/// The trees of files parsed are added to the end of the trees file, whose bytes before
/// them stay as they were (a merge writes the small index and a few trees, not every
/// tree again); when less than half of it would be in use, every tree is written to a
/// new trees file and the old one goes. An index whose trees file is gone is no cache.
/// Each time, the records are those a load without the cache gives.
#[test]
fn trees_are_added_to_their_file_until_half_of_it_is_unused() {
    let (mut repo, root, files) = committed();
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files, written: true }, "cold");
    let [first] = trees_files(&root).try_into().expect("one trees file");
    let before = std::fs::read(&first).unwrap();

    // One edit: its tree is added; the others stay where they were.
    let (request, _) = a_request(&repo);
    repo.edit(&request, "title:", "title: Düzeltilmiş ığdır |");
    assert_eq!(load_alike(&root), CacheUse { reused: files - 1, parsed: 1, written: true }, "one edit");
    assert_eq!(trees_files(&root), std::slice::from_ref(&first), "the same trees file");
    let after = std::fs::read(&first).unwrap();
    assert!(after.len() > before.len() && after.starts_with(&before), "the tree was not added at the end");
    assert!(String::from_utf8_lossy(&after[before.len()..]).contains("Düzeltilmiş ığdır"), "its tree was added");

    // Every file edited: half of the trees file would be unused, and a new one is
    // written with the trees in use alone.
    for path in files_in(&root.join("records")).into_keys().map(|path| format!("records/{path}")) {
        let text = repo.read(&path);
        repo.write(&path, &format!("{text}\n"));
    }
    let used = load_alike(&root);
    assert!(used.written && used.parsed > files / 2, "{used:?}");
    let [second] = trees_files(&root).try_into().expect("one trees file");
    assert_ne!(second, first, "a new trees file");
    let in_use = std::fs::metadata(&second).unwrap().len();
    assert!(in_use < after.len() as u64, "{in_use} bytes: the unused tree was kept");
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false }, "warm");

    // The trees file gone: every file is parsed, and the cache written anew.
    std::fs::remove_file(&second).unwrap();
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files, written: true }, "no trees file");
    assert_eq!(trees_files(&root).len(), 1);
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false }, "warm again");
}

/// Once a file has not changed for a while, the cache knows it unchanged by what the file
/// system says of it, as git's index does, without hashing it. An edit that keeps the
/// file's size and modification time is still seen (its status-change time moved), and a
/// file touched but not changed is taken from the cache, with its new times kept.
#[test]
fn files_unchanged_for_a_while_are_known_by_their_times() {
    let (repo, root, files) = committed();
    // Older than the two seconds a file must be before the run that hashes it.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files, written: true }, "cold");
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false }, "warm");

    let path = root.join(PERSON);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let (text, changed) = (repo.read(PERSON), repo.read(PERSON).replacen("Ayşe", "Ayşa", 1));
    assert!(text != changed && text.len() == changed.len());
    std::fs::write(&path, &changed).unwrap();
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), modified);
    assert_eq!(load_alike(&root), CacheUse { reused: files - 1, parsed: 1, written: true }, "same size and time");

    let later = modified + std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: true }, "touched");
    assert_eq!(load_alike(&root), CacheUse { reused: files, parsed: 0, written: false });
}

/// Files whose entries were made less than two seconds after they changed (a checkout
/// or a copy just before a run) are read and hashed, since their times cannot yet be
/// trusted; the first run long enough after writes the cache again, so that the runs
/// after it read none of them. An edit of one file among many does not make a run
/// write the whole cache for it, nor do a few files in a small repository (the
/// fixture alone: the other tests here).
#[test]
fn files_loaded_just_after_they_changed_are_trusted_once_written_again() {
    let (mut repo, _, fixture) = committed();
    // More files than the fewest worth writing the cache again for.
    for i in 0..120 {
        repo.write(
            &format!("records/org/people/kisi.{i:03}.yaml"),
            &format!(
                "id: kisi.{i:03}
name: Kişi {i}
"
            ),
        );
    }
    let (root, files) = (repo.path().to_path_buf(), fixture + 120);
    let records = root.join("records");
    let unread = |records: &defter::load::Records| records.sources.values().filter(|s| !s.is_read()).count();
    let later = || load_dir_as(&root, &Silent, true, Texts::Later).unwrap();
    // `paths` rewritten with their own bytes (new times), then loaded at once: a run
    // that begins within two seconds of the files' change cannot trust their times. A
    // run slower than that is tried again, so that the case is the one meant.
    let touched_and_loaded = |paths: &[String]| {
        for _ in 0..5 {
            let start = Instant::now();
            for path in paths {
                std::fs::write(root.join(path), std::fs::read(root.join(path)).unwrap()).unwrap();
            }
            let (_, used) = later();
            assert!(used.written && used.reused + used.parsed == files, "{used:?}");
            if start.elapsed() < std::time::Duration::from_millis(1500) {
                return;
            }
        }
        panic!("rewriting and loading {} files took more than 1.5 s five times", paths.len());
    };
    let all: Vec<String> = files_in(&records).into_keys().map(|p| format!("records/{p}")).collect();
    touched_and_loaded(&all);
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let (loaded, used) = later();
    assert_eq!(unread(&loaded), 0, "every entry was made too soon after its file changed: each file is read");
    assert_eq!(used, CacheUse { reused: files, parsed: 0, written: true }, "written again, now that they are trusted");
    let (loaded, used) = later();
    assert_eq!((unread(&loaded), used), (files, CacheUse { reused: files, parsed: 0, written: false }), "settled");

    // One file among many changed just before a run: read and hashed on the runs after
    // (its entry was made too soon), not worth writing the whole cache again for.
    assert!(files >= 10);
    touched_and_loaded(&[PERSON.to_string()]);
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let (loaded, used) = later();
    assert_eq!((unread(&loaded), used), (files - 1, CacheUse { reused: files, parsed: 0, written: false }));
    assert!(loaded.sources[PERSON].is_read(), "the file changed just before the run that wrote its entry");
}

/// A fresh clone (a CI job) with the cache of the last run restored into its git
/// folder: every file's times moved, so the cache's own say nothing, but git's index,
/// written by the checkout, knows which files are the commit's. Those are not read; a
/// file edited since the checkout is. A checkout that rewrote the line endings
/// (`core.autocrlf`) leaves files whose bytes are not the commit's, though the index
/// gives the commit's ids: they are read, and what is loaded is what a load without
/// the cache loads.
#[test]
fn a_fresh_checkout_with_the_cache_restored_reads_what_git_does_not_know() {
    let (_repo, root, files) = committed();
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files, written: true }, "cold");
    let unread = |records: &defter::load::Records| records.sources.values().filter(|s| !s.is_read()).count();
    let git = |dir: &Path, args: &[&str]| {
        let done = Command::new("git").current_dir(dir).args(args).output().unwrap();
        assert!(done.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&done.stderr));
    };
    for autocrlf in ["false", "true"] {
        let dir = tempfile::tempdir().unwrap();
        let clone = dir.path().join("kopya");
        let from = root.to_string_lossy().into_owned();
        git(dir.path(), &["-c", &format!("core.autocrlf={autocrlf}"), "clone", "-q", &from, "kopya"]);
        git(&clone, &["config", "core.autocrlf", autocrlf]);
        copy_tree(&root.join(".git/defter"), &clone.join(".git/defter"));
        // Git trusts no entry written in the same second as its index: a second later,
        // `git status` (a CI job's first git command, say) writes the index again.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        git(&clone, &["status", "--porcelain"]);
        let (mut later, used) = load_dir_as(&clone, &Silent, true, Texts::Later).unwrap();
        let (plain, _) = load_dir_cached(&clone, &Silent, false).unwrap();
        if autocrlf == "false" {
            assert_eq!(used, CacheUse { reused: files, parsed: 0, written: true }, "every file's times moved");
            assert_eq!(unread(&later), files, "known by git's index, and not read");
        } else {
            assert!(repo_text(&clone, PERSON).contains("\r\n"), "the checkout rewrote the line endings");
            assert_eq!(used, CacheUse { reused: 0, parsed: files, written: true }, "other bytes: parsed");
            assert_eq!(unread(&later), 0, "each file's bytes differ from the commit's: each is read");
        }
        later.blobs.clear();
        assert_eq!(format!("{later:?}"), format!("{plain:?}"), "{autocrlf}: the records differ with the cache");
    }

    // Edited after the checkout: git's index no longer knows it.
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["-c", "core.autocrlf=false", "clone", "-q", &root.to_string_lossy(), "kopya"]);
    let clone = dir.path().join("kopya");
    copy_tree(&root.join(".git/defter"), &clone.join(".git/defter"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    git(&clone, &["status", "--porcelain"]);
    let edited = repo_text(&clone, PERSON).replacen("ayse.yilmaz", "ayse.yilmaz\n# düzeltme", 1);
    std::fs::write(clone.join(PERSON), edited).unwrap();
    let (later, used) = load_dir_as(&clone, &Silent, true, Texts::Later).unwrap();
    assert_eq!(used, CacheUse { reused: files - 1, parsed: 1, written: true }, "edited");
    assert!(later.sources[PERSON].is_read() && unread(&later) == files - 1);
}

fn repo_text(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// A run that checks and exits (`validate`) does not read the files the cache knows
/// unchanged by their times: their records come from the cache (their fields packed
/// until read), and their texts are read when something asks for them — a finding that
/// quotes a line, a check of a body whose findings are not cached, the masking of a
/// secret. What it loads and reports is what a run that reads every file loads and
/// reports; an edited file is read.
#[test]
fn files_known_unchanged_are_read_only_when_asked_for() {
    let (mut repo, root, files) = committed();
    let (request, text) = a_request(&repo);
    let token = "ghp_R4tY7uI9oP2aS5dF8gH1jK3lZ6xC0vB9nM2q";
    let with_secret = request.replace(".md", "-anahtar.md").replace("TLP-2026-", "TLP-2026-8");
    let crlf = request.replace(".md", "-crlf.md").replace("TLP-2026-", "TLP-2026-7");
    let secret_text = format!("{text}\nErişim anahtarı: {token}\n");
    repo.write(&with_secret, &secret_text.replace("assignee: ", "assignee: kimse.yok # eskisi "));
    repo.write(&crlf, &format!("\u{feff}{}", text.replace('\n', "\r\n").replace("title:", "title: Şüphe ığdır |")));
    let files = files + 2;
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files, written: true }, "cold");

    let unread = |records: &defter::load::Records| records.sources.values().filter(|s| !s.is_read()).count();
    let (mut later, used) = load_dir_as(&root, &Silent, true, Texts::Later).unwrap();
    assert_eq!(used, CacheUse { reused: files, parsed: 0, written: false });
    assert_eq!(unread(&later), files, "every file was known unchanged, and none was read");
    // Their fields stay packed, and their ids are known all the same.
    assert!(later.records.iter().all(|r| !r.fields.is_unpacked()), "a record's fields were unpacked");
    let (plain, _) = load_dir_cached(&root, &Silent, false).unwrap();
    let ids = |records: &defter::load::Records| records.records.iter().map(|r| r.id().to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&later), ids(&plain));
    assert!(later.records.iter().all(|r| !r.fields.is_unpacked()), "unpacked for its id");
    let body = later.records.iter().find(|r| r.path == crlf).and_then(|r| r.body.clone()).unwrap();
    assert!(body.text.contains('\r') && !body.text.starts_with('\u{feff}'), "{body:?}");
    assert_eq!(unread(&later), files - 1, "the body read its file, and that file alone");
    later.blobs.clear();
    assert_eq!(format!("{later:?}"), format!("{plain:?}"), "the records differ when read later");

    // Edited: read now, as loading reads it.
    repo.edit(PERSON, "ayse.yilmaz", "ayse.yilmaz\n# düzeltme");
    let (later, used) = load_dir_as(&root, &Silent, true, Texts::Later).unwrap();
    assert_eq!(used, CacheUse { reused: files - 1, parsed: 1, written: true }, "edited");
    assert!(later.sources[PERSON].is_read() && unread(&later) == files - 1);

    // The command line, human output (which quotes the lines it reports): the same as a
    // run without caches, with the findings cache cold and warm.
    let human = ["--lang", "en", "validate", "--as-of", AS_OF];
    let plain = run(&root, false, &human);
    assert_eq!(plain.status.code(), Some(1), "{}", stderr(&plain));
    let report = stdout(&plain);
    // The comment is in no finding: only the quoted line shows it.
    assert!(report.contains("kimse.yok # eskisi") && report.contains("secret"), "{report}");
    assert!(!report.contains(token), "{report}");
    let _ = std::fs::remove_file(root.join(".git/defter/findings.bin"));
    for run_of in ["findings cache cold", "findings cache warm"] {
        let cached = run(&root, true, &human);
        assert_eq!((cached.status.code(), stdout(&cached)), (Some(1), report.clone()), "{run_of}");
    }

    // Findings across records that point into records left packed and unread: a second
    // record with the id of one, and a person whose id differs from another's in case.
    let people = root.join("records/org/people");
    let mut names: Vec<String> =
        std::fs::read_dir(&people).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let name = names.iter().find(|n| !PERSON.ends_with(n.as_str())).unwrap();
    let id = name.trim_end_matches(".yaml");
    let shouted = id.to_uppercase();
    let person = repo.read(&format!("records/org/people/{name}"));
    repo.write(&format!("records/org/people/{shouted}.yaml"), &person.replace(id, &shouted));
    repo.write(&request.replace(".md", "-ikinci.md"), &text);
    let report = stdout(&run(&root, false, &human));
    assert!(report.contains("duplicate-id") && report.contains("case-clash"), "{report}");
    for run_of in ["new records parsed", "all cached"] {
        let cached = run(&root, true, &human);
        assert_eq!((cached.status.code(), stdout(&cached)), (Some(1), report.clone()), "{run_of}");
    }
}

/// A build leaves unread the files the cache knows unchanged, and reads a body only to
/// show it on a page it renders again: a full build reads every body (and hides the
/// secret in one it read late, as it hides one read at loading), a build with nothing
/// changed reads none, and one after a body was edited reads that file alone — but for
/// what the checks read, as `validate` does (the file whose finding quotes a secret, to
/// mask it there, and the records checked again because they name the edited one). Each
/// site is, file for file, the one a build without the cache makes.
#[test]
fn a_build_reads_only_the_bodies_it_shows() {
    use defter::site::{Made, Settings};
    let (mut repo, root, files) = committed();
    let (request, text) = a_request(&repo);
    let token = "ghp_R4tY7uI9oP2aS5dF8gH1jK3lZ6xC0vB9nM2q";
    // A request of its own, with its own id.
    let with_secret = request.replace("TLP-2026-", "TLP-2026-8");
    let secret_text = text.replace("TLP-2026-", "TLP-2026-8");
    repo.write(&with_secret, &format!("{secret_text}\nErişim anahtarı: {token}\n"));
    std::thread::sleep(std::time::Duration::from_millis(2200));
    assert_eq!(load_alike(&root), CacheUse { reused: 0, parsed: files + 1, written: true }, "cold");

    let settings = Settings { as_of: AS_OF.parse().unwrap(), base_url: None, live_reload: false, public: false };
    let sites = tempfile::tempdir().unwrap();
    let out = sites.path().join("site");
    let build = || defter::site::build(&root, &out, &settings, &Silent).unwrap();
    let read = |made: &Made| -> Vec<String> {
        let records = &made.redacted.records().records;
        records.iter().filter(|r| r.body.as_ref().is_some_and(|b| b.text.is_read())).map(|r| r.path.clone()).collect()
    };
    let plain = |name: &str| {
        let plain = sites.path().join(name);
        let output = run(&root, false, &["build", "--as-of", AS_OF, "--out", plain.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        files_in(&plain).into_iter().filter(|(path, _)| !path.starts_with(".defter-")).collect::<Vec<_>>()
    };
    let shown = || files_in(&out).into_iter().filter(|(path, _)| !path.starts_with(".defter-")).collect::<Vec<_>>();

    let (built, made) = build();
    assert!(built.full.is_some(), "the first build is a full one");
    let bodies = made.redacted.records().records.iter().filter(|r| r.body.is_some()).count();
    assert!(bodies >= 5 && read(&made).len() == bodies, "every page shown, every body read: {:?}", read(&made));
    let site = shown();
    for (path, bytes) in &site {
        assert!(!String::from_utf8_lossy(bytes).contains(token), "{path} shows the secret");
    }
    let page = |(path, _): &&(String, Vec<u8>)| path.contains("TLP-2026-8") && path.ends_with(".html");
    let secret_page = site.iter().find(page).expect("the page of the secret's request");
    assert!(String::from_utf8_lossy(&secret_page.1).contains("[…]"), "the secret is masked where it was");
    assert!(site == plain("plain-full"), "the site differs from one built without the cache");

    let (built, made) = build();
    assert_eq!((built.full, built.rendered), (None, 0));
    // The one file read is the one whose finding quotes a secret, which the checks
    // mask in the finding (as `validate` does, whatever the site shows).
    assert_eq!(read(&made), vec![with_secret.clone()], "nothing changed, and a body was read");

    repo.write(&request, &format!("{text}\nBirleştirmede eklenen not.\n"));
    let (built, made) = build();
    assert!(built.full.is_none() && built.rendered > 0);
    // Its project names it, so is checked again, and the checks read the project's body.
    let checked = "records/projects/PRJ-0001/index.md".to_string();
    assert_eq!(read(&made), vec![checked, request.clone(), with_secret.clone()], "the edited file alone");
    assert!(shown() == plain("plain-edited"), "the site differs from one built without the cache");
}

/// Runs at once, on a repository without a cache: each writes a whole cache file and the
/// last rename wins, so the file left is one of them, whole; each run's report is the
/// one made without the cache.
#[test]
fn runs_at_once_leave_one_whole_cache() {
    let (_repo, root, files) = committed();
    let plain = stdout(&run(&root, false, &VALIDATE));
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_defter"))
            .arg("--repo")
            .arg(&root)
            .args(VALIDATE)
            .env("NO_COLOR", "1")
            .env_remove("DEFTER_CACHE")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("defter runs")
    };
    for _ in 0..3 {
        let _ = std::fs::remove_file(cache_file(&root));
        let running: Vec<_> = (0..4).map(|_| spawn()).collect();
        for child in running {
            let output = child.wait_with_output().unwrap();
            assert_eq!(stdout(&output), plain, "{}", stderr(&output));
        }
        let warm = run(&root, true, &VALIDATE);
        assert_eq!(stdout(&warm), plain);
        assert!(stderr(&warm).contains(&format!("from the cache: {files}, parsed: 0")), "{}", stderr(&warm));
    }
    let left: Vec<String> = std::fs::read_dir(root.join(".git/defter"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

/// How long loading takes on the example repository's records (about 250 files): parsed,
/// read from the cache (the files known by their times, not hashed), and the first run
/// that writes it. Printed for a look (`cargo test
/// --test integration cache -- --nocapture`), not asserted: the figures that decide are
/// taken in release on the benchmark's corpora (docs/performance.md).
#[test]
fn loading_from_the_cache_is_timed_on_the_example_records() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("records"), &dir.path().join("records"));
    let git = Command::new("git").current_dir(dir.path()).args(["init", "-q"]).output().unwrap();
    assert!(git.status.success());
    // Old enough for the warm run to know the files by their times, as most runs do.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let time = |cache: bool| {
        let start = Instant::now();
        let (mut records, used) = load_dir_cached(dir.path(), &Silent, cache).unwrap();
        let elapsed = start.elapsed();
        records.blobs.clear();
        (elapsed, format!("{records:?}"), used)
    };
    let (parse, plain, _) = time(false);
    let (cold, first, written) = time(true);
    let (warm, cached, reused) = time(true);
    assert_eq!((first, cached), (plain.clone(), plain), "the records differ with the cache");
    assert!(written.written && reused.parsed == 0 && reused.reused == written.parsed, "{written:?} {reused:?}");
    let size = std::fs::metadata(cache_file(dir.path())).unwrap().len();
    println!(
        "{} files: parsed {parse:?}, cold (parsed and written) {cold:?}, from the cache {warm:?}; cache {size} bytes",
        reused.reused
    );
}

/// Redaction skips the trees the cache noted it leaves as they are, and only those: a
/// build from the cache, for the intranet and for a wider audience, hides the secret in
/// a field and (for the wider audience) the people's e-mail addresses as a build without
/// the cache does, byte for byte.
#[test]
fn trees_from_the_cache_are_redacted_as_trees_parsed_anew() {
    let (mut repo, root, _) = committed();
    let (request, text) = a_request(&repo);
    let id = Path::new(&request).file_stem().and_then(|s| s.to_str()).expect("a request's file name").to_string();
    let token = "ghp_R4tY7uI9oP2aS5dF8gH1jK3lZ6xC0vB9nM2q";
    repo.write(&request, &text.replacen("\ntitle:", &format!("\nnotes: 'anahtar {token}'\ntitle:"), 1));
    let email = repo.read(PERSON).lines().find_map(|l| l.strip_prefix("email: ").map(String::from));
    let email = email.expect("the person has an e-mail address");
    // Old enough for the cache to know the files unchanged by their times, unread.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let sites = tempfile::tempdir().unwrap();
    for public in [false, true] {
        let build = |name: &str, cache: bool| {
            let out = sites.path().join(name);
            let mut args = vec!["-v", "build", "--as-of", AS_OF, "--out", out.to_str().unwrap()];
            if public {
                args.push("--public");
            }
            let output = run(&root, cache, &args);
            assert!(out.join("index.html").is_file(), "{name}: no site: {}", stderr(&output));
            let files =
                files_in(&out).into_iter().filter(|(path, _)| !path.starts_with(".defter-")).collect::<Vec<_>>();
            (files, stderr(&output))
        };
        let (plain, _) = build(&format!("plain-{public}"), false);
        build(&format!("first-{public}"), true);
        let (cached, said) = build(&format!("cached-{public}"), true);
        assert!(said.contains("parsed: 0"), "every record from the cache: {said}");
        for (path, bytes) in &cached {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(token), "public {public}: {path} shows the secret");
            assert!(!public || !text.contains(&email), "{path} shows an e-mail address on a public site");
        }
        let page = cached.iter().find(|(path, _)| path.ends_with(&format!("/{id}.html"))).expect("the request's page");
        assert!(String::from_utf8_lossy(&page.1).contains("anahtar […]"), "the secret is masked where it was");
        assert!(cached == plain, "public {public}: the site differs from one built without the cache");
    }
    // The intranet's site shows what only the wider audience's hides.
    let intranet = files_in(&sites.path().join("cached-false"));
    assert!(intranet.iter().any(|(_, bytes)| String::from_utf8_lossy(bytes).contains(&email)), "no e-mail shown");
}
