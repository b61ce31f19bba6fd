//! Builds throwaway repositories from the fixtures and runs the `defter` binary on them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The date every fixture is validated as of.
pub const AS_OF: &str = "2026-11-30";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies the tree at `from` into `to` (made as needed).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A repository in a temporary folder: the base organisation plus the given overlays.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn with_overlays(overlays: &[&Path]) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("base"), dir.path());
        for overlay in overlays {
            copy_tree(overlay, dir.path());
        }
        Repo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn defter(&self, args: &[&str]) -> Output {
        defter(self.path(), args)
    }
}

/// Runs `defter --repo DIR ARGS…` with colour off.
pub fn defter(repo: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_defter"))
        .arg("--repo")
        .arg(repo)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("defter runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// What a run printed on standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A run that succeeded: its standard output.
#[track_caller]
pub fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}{}", stdout(&output), stderr(&output));
    stdout(&output)
}

/// A run refused (exit status 1): its standard error.
#[track_caller]
pub fn refused(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "{}{}", stdout(output), stderr(output));
    stderr(output)
}

/// The report `defter validate` makes of the repository at `root`, from the library.
pub fn report(root: &Path) -> defter::diag::Findings {
    let config = defter::config::Config::load(root).unwrap();
    let rules = defter::load::rules::Ruleset::load(root).unwrap();
    let records = defter::load::load_dir(root).unwrap();
    defter::validate::validate(&records, &rules, &config, AS_OF.parse().unwrap()).unwrap()
}

/// Why `tr` is not a Turkish rendering of `en`, if it is not: it must not be empty nor
/// the English text, and must have words of its own spelt as only Turkish spells them
/// (ç ğ ı İ ö ş ü). Words both texts share — ids, field names, the Turkish phrases the
/// workflow data supplies — do not count, so an English message that quotes Turkish data
/// does not pass.
pub fn not_turkish(tr: &str, en: &str) -> Option<String> {
    if tr.trim().is_empty() || tr == en {
        return Some(format!("no Turkish text beside {en:?}"));
    }
    let words = |s: &str| s.split(|c: char| !c.is_alphanumeric()).map(str::to_string).collect::<Vec<_>>();
    let english: std::collections::HashSet<String> = words(en).iter().map(|w| w.to_lowercase()).collect();
    let mut own = words(tr).into_iter().filter(|w| !english.contains(&w.to_lowercase()));
    let turkish = own.any(|w| w.contains(|c| "çğıöşüÇĞİÖŞÜ".contains(c)));
    (!turkish).then(|| format!("{tr:?} has no Turkish wording of its own beside {en:?}"))
}

/// `validate --format json` findings as sorted `rule path:line:col` lines.
pub fn findings(output: &Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(output), String::from_utf8_lossy(&output.stderr)));
    let mut lines: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let pos = match (d["line"].as_u64(), d["column"].as_u64()) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                _ => String::new(),
            };
            format!("{} {}{}", d["rule"].as_str().unwrap(), d["path"].as_str().unwrap(), pos)
        })
        .collect();
    lines.sort();
    lines
}

/// A real git repository built commit by commit, with several authors (like just's
/// `Test` builder). Starts from the base organisation and the clean fixture.
pub struct GitRepo {
    pub repo: Repo,
    clock: u32,
}

impl GitRepo {
    pub fn new() -> GitRepo {
        let repo = Repo::with_overlays(&[&fixtures().join("good")]);
        let git = GitRepo { repo, clock: 0 };
        git.git(&["init", "-q", "-b", "main"]);
        git
    }

    /// A git repository of the project's example records with its rules and
    /// configuration, committed.
    pub fn examples() -> GitRepo {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for part in ["records", "schemas"] {
            copy_tree(&root.join(part), &dir.path().join(part));
        }
        std::fs::copy(root.join("defter.toml"), dir.path().join("defter.toml")).unwrap();
        let mut git = GitRepo { repo: Repo { dir }, clock: 0 };
        git.git(&["init", "-q", "-b", "main"]);
        git.commit_as("burak.yildiz", "The example records");
        git
    }

    pub fn path(&self) -> &Path {
        self.repo.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .current_dir(self.path())
            .args(["-c", "core.autocrlf=false", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn write(&mut self, rel: &str, text: &str) -> &mut Self {
        self.repo.write(rel, text);
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Replaces `old` by `new` in a file (the text must be there).
    pub fn edit(&mut self, rel: &str, old: &str, new: &str) -> &mut Self {
        let text = self.read(rel);
        assert!(text.contains(old), "{rel} does not contain {old:?}");
        self.write(rel, &text.replacen(old, new, 1))
    }

    pub fn remove(&mut self, rel: &str) -> &mut Self {
        self.git(&["rm", "-q", rel]);
        self
    }

    pub fn mv(&mut self, from: &str, to: &str) -> &mut Self {
        std::fs::create_dir_all(self.path().join(to).parent().unwrap()).unwrap();
        self.git(&["mv", from, to]);
        self
    }

    /// Commits everything as `person` (whose git e-mail is `<person>@izmir.bel.tr`).
    pub fn commit_as(&mut self, person: &str, message: &str) -> String {
        self.clock += 1;
        let date = format!("2026-11-{:02}T10:{:02}:00+03:00", 1 + self.clock / 60, self.clock % 60);
        self.commit_at(person, message, &date)
    }

    /// Commits everything as `person` on `day` (`YYYY-MM-DD`, at noon in İzmir): a
    /// history that spans months.
    pub fn commit_on(&mut self, person: &str, day: &str, message: &str) -> String {
        self.commit_at(person, message, &format!("{day}T12:00:00+03:00"))
    }

    fn commit_at(&mut self, person: &str, message: &str, date: &str) -> String {
        self.git(&["add", "-A"]);
        let output = Command::new("git")
            .current_dir(self.path())
            .args(["-c", "commit.gpgsign=false", "commit", "-q", "-m", message])
            .env("GIT_AUTHOR_NAME", person)
            .env("GIT_AUTHOR_EMAIL", format!("{person}@izmir.bel.tr"))
            .env("GIT_COMMITTER_NAME", person)
            .env("GIT_COMMITTER_EMAIL", format!("{person}@izmir.bel.tr"))
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git commit runs");
        assert!(output.status.success(), "commit: {}", String::from_utf8_lossy(&output.stderr));
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    pub fn defter(&self, args: &[&str]) -> Output {
        self.repo.defter(args)
    }
}

/// `EXE --repo REPO ARGS…` (a defter binary), with defter's caches on or off
/// (`DEFTER_CACHE=off`).
pub fn defter_cached(exe: &Path, repo: &Path, cache: bool, args: &[&str]) -> Output {
    let mut command = Command::new(exe);
    command.arg("--repo").arg(repo).args(args).env("NO_COLOR", "1");
    if cache {
        command.env_remove("DEFTER_CACHE");
    } else {
        command.env("DEFTER_CACHE", "off");
    }
    command.output().expect("defter runs")
}

/// `defter --repo REPO ARGS…` as `person` (git's author and committer are theirs, with
/// the e-mail `<person>@izmir.bel.tr` their records hold).
pub fn defter_as(repo: &Path, person: &str, args: &[&str]) -> Output {
    let email = format!("{person}@izmir.bel.tr");
    Command::new(env!("CARGO_BIN_EXE_defter"))
        .arg("--repo")
        .arg(repo)
        .args(args)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", person)
        .env("GIT_AUTHOR_EMAIL", &email)
        .env("GIT_COMMITTER_NAME", person)
        .env("GIT_COMMITTER_EMAIL", &email)
        .output()
        .expect("defter runs")
}

/// Every file under `dir` (a built site), by path relative to it.
pub fn files_in(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}
