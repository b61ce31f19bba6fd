//! The site byte for byte: every file the README's build command makes from the example
//! `records/`, and every file of the site of the benchmark's generated corpus at 1,000
//! records (its git history included), is compared with the digests kept in
//! `tests/fixtures/`. A refactoring must leave them all as they are; a change meant to
//! alter the site updates the files (`DEFTER_BLESS=1 cargo test --test integration
//! snapshot`), and the diff of the digests shows which pages it touched, for review like
//! code.

use std::hash::Hasher;
use std::path::Path;

use crate::harness::{AS_OF, copy_tree, defter, files_in};

/// A stable 128-bit digest (SipHash-1-3 with fixed keys: the same on every platform).
fn digest(bytes: &[u8]) -> String {
    let mut hasher = siphasher::sip128::SipHasher13::new_with_keys(0, 0);
    hasher.write(bytes);
    format!("{:032x}", siphasher::sip128::Hasher128::finish128(&hasher).as_u128())
}

/// The digests of every file of the site `defter build` makes of `repo` into `out`
/// (the build state aside: it is keyed with a per-repository secret and the binary).
fn site_digests(repo: &Path, out: &Path) -> String {
    let output = defter(repo, &["build", "--as-of", AS_OF, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    files_in(out)
        .iter()
        .filter(|(path, _)| !path.starts_with(".defter-"))
        .map(|(path, bytes)| format!("{}  {path}\n", digest(bytes)))
        .collect()
}

/// Compares `made` with the digests kept in `file` (or keeps them, with DEFTER_BLESS).
fn compare(made: &str, file: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    if std::env::var_os("DEFTER_BLESS").is_some() {
        std::fs::write(&path, made).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    let changed: Vec<String> = {
        let kept: std::collections::BTreeSet<&str> = kept.lines().collect();
        let made: std::collections::BTreeSet<&str> = made.lines().collect();
        kept.symmetric_difference(&made).map(|l| l.to_string()).collect()
    };
    assert!(
        changed.is_empty(),
        "the site differs from {file} in {} lines (first: {:?}); if the change is meant, \
         update it with DEFTER_BLESS=1 cargo test --test integration snapshot",
        changed.len(),
        &changed[..changed.len().min(10)]
    );
}

#[test]
fn the_example_site_is_the_one_its_digests_record() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Outside git, so that no commit or history makes the pages differ from run to run.
    let dir = tempfile::tempdir().unwrap();
    for part in ["records", "schemas", "site-templates"] {
        copy_tree(&root.join(part), &dir.path().join(part));
    }
    std::fs::copy(root.join("defter.toml"), dir.path().join("defter.toml")).unwrap();
    let made = site_digests(dir.path(), &dir.path().join("site"));
    assert!(made.lines().count() > 500, "the example site has its pages:\n{made}");
    compare(&made, "tests/fixtures/example-site.digest");
}

/// The benchmark's corpus generator, which `cargo test` builds beside the tests.
fn gen_corpus() -> std::path::PathBuf {
    let deps = std::env::current_exe().unwrap().parent().unwrap().to_path_buf();
    let examples = deps.parent().unwrap().join("examples");
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(&examples)
        .unwrap_or_else(|e| panic!("{}: {e} (cargo test builds the examples)", examples.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            (name == "gen_corpus" || name.starts_with("gen_corpus-")) && p.extension().is_none() && p.is_file()
        })
        .collect();
    found.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    found.pop().unwrap_or_else(|| panic!("no gen_corpus in {}", examples.display()))
}

/// The corpus carries the rule set (`schemas/`) in its first commit, and every page names
/// the commit it was built from: a change to the rules changes every digest here, and is
/// re-blessed with the change (the example site's digests show what really changed). The
/// generator embeds the rule set too: bless after `cargo test` or `cargo build --example
/// gen_corpus` has rebuilt it, not with `--test integration` alone.
#[test]
fn the_site_of_the_1000_record_corpus_is_the_one_its_digests_record() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c1000");
    let args = ["--records", "1000", "--commits", "200", "--seed", "1", "--out", corpus.to_str().unwrap()];
    let generated = std::process::Command::new(gen_corpus()).args(args).output().unwrap();
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let made = site_digests(&corpus, &dir.path().join("site"));
    assert!(made.lines().count() > 1000, "a page a record at least:\n{made}");
    compare(&made, "tests/fixtures/corpus-1000-site.digest");
}
