//! The findings cache (`.git/defter/findings.bin`): after every kind of edit, a run that
//! takes the unchanged records' findings from the last run prints byte for byte what a
//! run that checks everything (`DEFTER_CACHE=off`) prints; a broken cache is replaced
//! without a word.

use std::path::Path;
use std::process::Output;

use crate::harness::{AS_OF, GitRepo, defter_cached, files_in, stdout};

fn defter(repo: &Path, args: &[&str], cache: bool) -> Output {
    defter_cached(Path::new(env!("CARGO_BIN_EXE_defter")), repo, cache, args)
}

/// `defter validate --format json --as-of AS_OF` on `repo`, with the findings cache or
/// without it.
fn validate(repo: &Path, as_of: &str, cache: bool) -> Output {
    defter(repo, &["validate", "--format", "json", "--as-of", as_of], cache)
}

/// The cached run's output, asserted the same as the uncached one's (standard output,
/// standard error and exit status).
#[track_caller]
fn same(repo: &Path, as_of: &str, what: &str) -> String {
    let cached = validate(repo, as_of, true);
    let full = validate(repo, as_of, false);
    assert_eq!(stdout(&cached), stdout(&full), "{what}: the cached run's findings");
    assert_eq!(cached.stderr, full.stderr, "{what}: standard error");
    assert_eq!(cached.status.code(), full.status.code(), "{what}: exit status");
    stdout(&cached)
}

const REQUEST: &str = "records/requests/2026/TLP-2026-0001.md";
const PROJECT: &str = "records/projects/PRJ-0001/index.md";

/// One kind of edit: what it is, the edit, the date the runs are as of, and a text the
/// findings then hold (`!` first: do not hold).
type Edit = (&'static str, fn(&mut GitRepo), &'static str, &'static str);

#[test]
fn every_kind_of_edit_gives_the_findings_of_a_full_check() {
    let mut repo = GitRepo::examples();
    assert!(!same(repo.path(), AS_OF, "the first run").contains("\"rule\""), "the examples are clean");
    assert!(repo.path().join(".git/defter/findings.bin").is_file(), "the first run keeps its findings");
    let edits: [Edit; 13] = [
        (
            "a field made wrong",
            |r| {
                r.edit(REQUEST, "priority: high", "priority: very-high");
            },
            AS_OF,
            "very-high",
        ),
        (
            "the field put right",
            |r| {
                r.edit(REQUEST, "priority: very-high", "priority: high");
            },
            AS_OF,
            "!very-high",
        ),
        (
            "a project that requests name changes phase",
            |r| {
                r.edit(PROJECT, "phase: live", "phase: testing");
            },
            AS_OF,
            "PRJ-0001",
        ),
        (
            "an application that requests name becomes a server",
            |r| {
                r.mv(
                    "records/inventory/application/app-bbys-zabita.yaml",
                    "records/inventory/server/app-bbys-zabita.yaml",
                );
            },
            AS_OF,
            "a server record",
        ),
        (
            "a reference left dangling",
            |r| {
                r.edit(REQUEST, "project: PRJ-0001", "project: PRJ-0007");
            },
            AS_OF,
            "`project` names `PRJ-0007`, but no record has that id",
        ),
        (
            "the record it names added",
            |r| {
                let text = r.read(PROJECT).replace("id: PRJ-0001", "id: PRJ-0007");
                r.write("records/projects/PRJ-0007/index.md", &text);
            },
            AS_OF,
            "!`project` names `PRJ-0007`",
        ),
        (
            "a repository a project names deleted",
            |r| {
                r.remove("records/inventory/repository/repo-zabita-denetim.yaml");
            },
            AS_OF,
            "repo-zabita-denetim",
        ),
        (
            "a project folder renamed, sections and all",
            |r| {
                r.mv("records/projects/PRJ-0002", "records/projects/PRJ-0008");
            },
            AS_OF,
            "PRJ-0008",
        ),
        (
            "a person leaves",
            |r| {
                r.edit("records/org/people/elif.kara.yaml", "active: true", "active: false\nleft_on: 2026-06-01");
            },
            AS_OF,
            "inactive-person",
        ),
        (
            "the configuration widens a window",
            |r| {
                r.edit("defter.toml", "expiring_days = 30", "expiring_days = 400");
            },
            AS_OF,
            "expiring",
        ),
        (
            "the rules change what a request's system may be",
            |r| {
                r.edit("schemas/workflows.yaml", "    system: [application]", "    system: [server]");
            },
            AS_OF,
            "it must name: server",
        ),
        ("another date", |_| {}, "2027-06-30", "expired"),
        (
            "a project section edited",
            |r| {
                r.edit("records/projects/PRJ-0001/analiz.md", "section: analysis", "section: analiz");
            },
            "2027-06-30",
            "analiz.md",
        ),
    ];
    for (what, edit, as_of, expect) in edits {
        edit(&mut repo);
        let found = same(repo.path(), as_of, what);
        match expect.strip_prefix('!') {
            Some(absent) => assert!(!found.contains(absent), "{what}: {absent} still found\n{found}"),
            None => assert!(found.contains(expect), "{what}: {expect} not found\n{found}"),
        }
    }
}

/// A small, fixed sequence of pseudo-random numbers (xorshift), so that a failure can be
/// run again.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn random_edits_of_one_record_give_the_findings_of_a_full_check() {
    let mut repo = GitRepo::examples();
    same(repo.path(), AS_OF, "the first run");
    let mut dice = Dice(0x5eed_defe_4a11);
    for round in 0..10 {
        let mut files: Vec<String> = walkdir::WalkDir::new(repo.path().join("records"))
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(repo.path()).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        let path = files[dice.below(files.len())].clone();
        let text = repo.read(&path);
        let lines: Vec<&str> = text.lines().collect();
        let what = match dice.below(5) {
            0 => {
                let at = dice.below(lines.len().max(1));
                let kept: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, l)| *l).collect();
                repo.write(&path, &(kept.join("\n") + "\n"));
                format!("line {} of {path} deleted", at + 1)
            }
            1 => {
                let other = &files[dice.below(files.len())];
                let stem = Path::new(other).file_stem().unwrap().to_string_lossy().into_owned();
                let replaced: Vec<String> = lines
                    .iter()
                    .map(|l| if l.starts_with("id: ") { format!("id: {stem}") } else { (*l).to_string() })
                    .collect();
                repo.write(&path, &(replaced.join("\n") + "\n"));
                format!("{path} takes the id {stem}")
            }
            2 => {
                std::fs::remove_file(repo.path().join(&path)).unwrap();
                format!("{path} deleted")
            }
            3 => {
                let (dir, name) = path.rsplit_once('/').unwrap();
                let copy = format!("{dir}/x-{round}-{name}");
                repo.write(&copy, &text);
                format!("{path} copied to {copy}")
            }
            _ => {
                let at = dice.below(lines.len().max(1));
                let changed: Vec<String> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| if i == at { format!("{l}x") } else { (*l).to_string() })
                    .collect();
                repo.write(&path, &(changed.join("\n") + "\n"));
                format!("line {} of {path} changed", at + 1)
            }
        };
        same(repo.path(), AS_OF, &format!("round {round}: {what}"));
    }
}

#[test]
fn a_missing_corrupt_or_older_cache_is_rebuilt_without_a_word() {
    let repo = GitRepo::examples();
    let cache = repo.path().join(".git/defter/findings.bin");
    let full = validate(repo.path(), AS_OF, false);
    assert!(!cache.exists(), "DEFTER_CACHE=off writes no cache");
    let first = validate(repo.path(), AS_OF, true);
    assert_eq!(stdout(&first), stdout(&full));
    let kept = std::fs::read(&cache).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the cache is its owner's alone");
    }
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    assert_eq!(stdout(&validate(repo.path(), AS_OF, true)), stdout(&full));
    assert_eq!(std::fs::metadata(&cache).unwrap().modified().unwrap(), written, "nothing changed: not rewritten");

    let mut older = b"defter-findings 0\n".to_vec();
    older.extend_from_slice(&kept[18..]);
    let mut cut = kept.clone();
    cut.truncate(kept.len() / 2);
    let mut flipped = kept.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x20;
    for (what, broken) in [
        ("garbage", b"not a cache".to_vec()),
        ("an older format", older),
        ("cut short", cut),
        ("one byte changed", flipped),
    ] {
        std::fs::write(&cache, &broken).unwrap();
        let run = validate(repo.path(), AS_OF, true);
        assert_eq!(stdout(&run), stdout(&full), "{what}");
        assert_eq!(run.stderr, full.stderr, "{what}: nothing said");
        assert_eq!(std::fs::read(&cache).unwrap(), kept, "{what}: rebuilt as it was");
    }
}

#[test]
fn a_site_built_with_kept_findings_is_the_site_built_without() {
    let mut repo = GitRepo::examples();
    let sites = tempfile::tempdir().unwrap();
    let build = |repo: &GitRepo, name: &str, cache: bool| {
        let out = sites.path().join(name);
        let run = defter(repo.path(), &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()], cache);
        assert!(run.status.success(), "{name}: {}", String::from_utf8_lossy(&run.stderr));
        files_in(&out)
    };
    build(&repo, "first", true);
    assert!(repo.path().join(".git/defter/findings.bin").is_file(), "a build keeps the findings too");
    repo.edit(REQUEST, "priority: high", "priority: very-high");
    repo.mv("records/inventory/application/app-bbys-zabita.yaml", "records/inventory/server/app-bbys-zabita.yaml");
    let (kept, full) = (build(&repo, "kept", true), build(&repo, "full", false));
    assert_eq!(kept.keys().collect::<Vec<_>>(), full.keys().collect::<Vec<_>>(), "the same files");
    for (file, bytes) in &kept {
        assert!(bytes == &full[file], "{file} differs from the one built without the cache");
    }
    let page = String::from_utf8_lossy(&kept["requests/TLP-2026-0001.html"]).into_owned();
    assert!(page.contains("very-high"), "the edited request's page shows its finding");
}
